#!/usr/bin/env bash
# The journal export at scale (issue 32): 10 accounts with 100,000 movements each
# (1,000,000 movements), on Postgres and on SQLite, release build. For each format: the
# time to stream the whole journal to curl, its size, and the server's peak resident
# memory during it (VmHWM, reset before each export through /proc/PID/clear_refs) next to
# its resident memory before. The export must not hold the books: the peak stays flat
# whatever the number of movements.
#
# Then the journal import at its limit: a 10 MiB hledger journal (122,551 transactions on
# two accounts, a balance assertion every 300) posted to a new user, its time and the
# server's peak memory likewise.
#
#   bash bench/export.sh            # PER=100000 by default
set -euo pipefail
cd "$(dirname "$0")/.."

PER=${PER:-100000}
PG_URL=${FINANCE_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
REDIS_URL=${FINANCE_TEST_REDIS_URL:-redis://127.0.0.1:6379}

source bench/lib.sh

kib() { awk '/^'"$2"':/ {print $2}' "/proc/$1/status"; }

echo "# The journal export at scale"
echo
echo "- when: $(date -u +%Y-%m-%dT%H:%MZ); machine: $(nproc) cores; $((PER * 10)) movements in 10 accounts"
echo
# The import's journal: as long as the limit allows, made once.
python3 - "$work/big.journal" <<'PY'
import random, sys
from datetime import date, timedelta
random.seed(1)
out, size, n, bal = [], 0, 0, {"Bank": 0, "Card": 0}
while size < 10_000_000 - 200:
    d = (date(2020, 1, 1) + timedelta(days=n // 300)).isoformat()
    acct = random.choice(["Bank", "Card"])
    amt = random.randint(-50000, 50000) or 1
    bal[acct] += amt
    cat = random.choice(["food", "rent", "fun", "salary", "misc"])
    check = f" = {bal[acct] / 100:.2f} EUR" if n % 300 == 299 else ""
    t = f"{d} Purchase {n}  ; trip:\n    assets:{acct}  {amt / 100:.2f} EUR{check}\n    expenses:{cat}\n\n"
    out.append(t)
    size += len(t)
    n += 1
open(sys.argv[1], "w").write("".join(out))
PY

echo "| engine | format | time | journal | server RSS before | peak during |"
echo "|---|---|---:|---:|---:|---:|"
for backend in postgres sqlite; do
    name="export-$backend"
    if [ "$backend" = postgres ]; then
        schema=$(new_schema)
        start_server "$name" "$PG_URL?options%5Bsearch_path%5D=$schema" "$REDIS_URL"
    else
        start_server "$name" "sqlite://$work/$name/finance.db"
    fi
    token=$(sign_in "$name" "export-$run_id@example.com")
    for a in $(seq 1 10); do create_account "$token" "Account $a" >/dev/null; done
    t0=$(date +%s)
    if [ "$backend" = postgres ]; then
        fill_pg "$schema" "$PER"
    else
        kill "$PID"
        wait "$PID" 2>/dev/null || true
        fill_sqlite "$work/$name/finance.db" "$PER"
        start_server "$name" "sqlite://$work/$name/finance.db"
    fi
    echo "filled $name in $(( $(date +%s) - t0 )) s" >&2
    for format in hledger ledger beancount; do
        before=$(kib "$PID" VmRSS)
        # Writing 5 to clear_refs resets the peak (VmHWM) to the current size.
        echo 5 > "/proc/$PID/clear_refs" 2>/dev/null || true
        start=$(date +%s.%N)
        bytes=$(curl -fsS "$BASE/v1/export?format=$format" -H "Authorization: Bearer $token" | wc -c)
        end=$(date +%s.%N)
        peak=$(kib "$PID" VmHWM)
        printf '| %s | %s | %.1f s | %d MB | %d MB | %d MB |\n' "$backend" "$format" \
            "$(echo "$end - $start" | bc)" $((bytes / 1000000)) $((before / 1024)) $((peak / 1024))
    done
    importer=$(sign_in "$name" "import-$run_id@example.com")
    before=$(kib "$PID" VmRSS)
    echo 5 > "/proc/$PID/clear_refs" 2>/dev/null || true
    start=$(date +%s.%N)
    made=$(curl -fsS -X POST "$BASE/v1/imports/journal" -H "Authorization: Bearer $importer" \
        -H 'Content-Type: text/plain' --data-binary @"$work/big.journal")
    end=$(date +%s.%N)
    peak=$(kib "$PID" VmHWM)
    echo "imported on $backend: $made" >&2
    printf '| %s | import (hledger) | %.1f s | %d MB | %d MB | %d MB |\n' "$backend" \
        "$(echo "$end - $start" | bc)" $(($(wc -c <"$work/big.journal") / 1000000)) \
        $((before / 1024)) $((peak / 1024))
    kill "$PID"
done
