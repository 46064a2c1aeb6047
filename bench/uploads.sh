#!/usr/bin/env bash
# Whether a big upload holds up other requests (issue 25): /healthz timed alone, then
# while two 10 MiB camt.053 files (and then two OFX files) are being imported at once.
# The files are read on blocking threads, so /healthz should not notice. Prints Markdown.
#
#   bash bench/uploads.sh
set -euo pipefail
cd "$(dirname "$0")/.."

PG_URL=${FINANCE_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
REDIS_URL=${FINANCE_TEST_REDIS_URL:-redis://127.0.0.1:6379}

source bench/lib.sh

# 10 MiB of each format, in the shapes of finance_core::domain::samples.
python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
size = 10 * 1024 * 1024
def rows(n):
    for i in range(n):
        cents = (i * 7919) % 100000 + 1
        yield i, f"2026-11-{i % 28 + 1:02d}", cents
with open(f"{work}/big.camt", "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">\n<BkToCstmrStmt><Stmt><Id>1</Id>\n')
    for i, date, cents in rows(size // 226):
        f.write(f'<Ntry><Amt Ccy="EUR">{cents // 100}.{cents % 100:02d}</Amt><CdtDbtInd>DBIT</CdtDbtInd>'
                f'<BookgDt><Dt>{date}</Dt></BookgDt><AcctSvcrRef>r{i}</AcctSvcrRef>'
                f'<NtryDtls><TxDtls><RmtInf><Ustrd>Caf\u00e9 n\u00b0{i}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n')
    f.write("</Stmt></BkToCstmrStmt>\n</Document>\n")
with open(f"{work}/big.ofx", "w") as f:
    f.write("OFXHEADER:100\r\nDATA:OFXSGML\r\n\r\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR\r\n<BANKTRANLIST>\r\n")
    for i, date, cents in rows(size // 103):
        f.write(f"<STMTTRN><TRNTYPE>OTHER<DTPOSTED>{date.replace('-', '')}<TRNAMT>-{cents // 100}.{cents % 100:02d}"
                f"<FITID>o{i}<NAME>Caf\u00e9 n\u00b0{i}</STMTTRN>\r\n")
    f.write("</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\r\n")
PY

# healthz_times N: N sequential /healthz, one per 50 ms; prints "p50 max" in ms.
healthz_times() {
    for _ in $(seq "$1"); do
        curl -fs -o /dev/null -w '%{time_total}\n' "$BASE/healthz"
        sleep 0.05
    done | sort -n | awk '{ t[NR] = $1 * 1000 } END { printf "%.1f ms | %.1f ms", t[int((NR + 1) / 2)], t[NR] }'
}

echo "# /healthz while big bank files are imported"
echo
echo "- when: $(date -u +%Y-%m-%dT%H:%MZ); machine: $(nproc) cores; SQLite; files: camt $(du -h "$work/big.camt" | cut -f1), OFX $(du -h "$work/big.ofx" | cut -f1)"
echo
echo "| while | /healthz p50 | /healthz max | the uploads took |"
echo "|---|---:|---:|---:|"
start_server sqlite "sqlite://$work/sqlite/finance.db"
token=$(sign_in sqlite "uploads-$run_id@example.com")
echo "| nothing else | $(healthz_times 40) | |"
for kind in camt ofx; do
    type=$([ "$kind" = camt ] && echo application/vnd.camt+xml || echo application/x-ofx)
    upload_pids=()
    started=$(date +%s.%N)
    for n in 1 2; do
        account=$(create_account "$token" "$kind $n")
        curl -fs -o "$work/$kind-$n.json" -X POST "$BASE/v1/accounts/$account/imports" \
            -H "Authorization: Bearer $token" -H "Content-Type: $type" --data-binary @"$work/big.$kind" &
        upload_pids+=($!)
    done
    sleep 0.3
    times=$(healthz_times 30)
    for p in "${upload_pids[@]}"; do wait "$p"; done
    took=$(python3 -c "import time; print(f'{time.time() - $started:.1f} s')")
    echo "| two $kind uploads ($(json '["added"]' <"$work/$kind-1.json") rows each) | $times | $took |"
done
kill "$PID"
