#!/usr/bin/env bash
# The cost of a converted net worth: GET /v1/me?currency=EUR against GET /v1/me, for a
# user with 20 accounts in 8 currencies and 25 years of the ECB's daily rates (6,500
# business days × 8 currencies, imported in one request), on Postgres and on SQLite.
# Target (issue 16): the converted profile within 1.5× the cost of the plain one.
#
#   bash bench/convert.sh              # DURATION=10 CONNS=64 by default
#   DURATION=5 bash bench/convert.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-3}
PG_URL=${FINANCE_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
REDIS_URL=${FINANCE_TEST_REDIS_URL:-redis://127.0.0.1:6379}

source bench/lib.sh

# 6,500 weekdays back from 2026-11-20, newest first, in the ECB's shape (trailing comma).
python3 - >"$work/ecb.csv" <<'PY'
import datetime
codes = ["USD", "JPY", "GBP", "CHF", "SEK", "NOK", "PLN", "BHD"]
print("Date," + ",".join(codes) + ",")
day, n = datetime.date(2026, 11, 20), 0
while n < 6500:
    if day.weekday() < 5:
        k = n % 97
        print(day.isoformat() + "," + ",".join(f"{1 + i / 10 + k / 1000:.4f}" for i in range(len(codes))) + ",")
        n += 1
    day -= datetime.timedelta(days=1)
PY

wrk_rps() { wrk -t "$THREADS" -c "$CONNS" -d "${DURATION}s" --latency -H "Authorization: Bearer $1" "$2" \
    | awk '/Requests\/sec/ {rps = $2} $1 == "50%" {p50 = $2} END {print rps, p50}'; }

echo "# Converted net worth"
echo
echo "- when: $(date -u +%Y-%m-%dT%H:%MZ); machine: $(nproc) cores; wrk $THREADS threads, $CONNS connections, ${DURATION}s per run, $ROUNDS rounds alternating, medians"
echo "- data: 20 accounts in EUR and 7 other currencies (USD JPY GBP CHF SEK NOK BHD), 6,500 days × 8 currencies of rates (52,000 rows)"
echo
echo "| engine | import (52,000 rates) | GET /v1/me req/s (p50) | GET /v1/me?currency=EUR req/s (p50) | converted / plain cost |"
echo "|---|---:|---:|---:|---:|"
for backend in postgres sqlite; do
    if [ "$backend" = postgres ]; then
        start_server pg "$PG_URL?options%5Bsearch_path%5D=$(new_schema)" "$REDIS_URL"
        name=pg
    else
        start_server sqlite "sqlite://$work/sqlite/finance.db"
        name=sqlite
    fi
    token=$(sign_in "$name" "convert-$run_id@example.com")
    currencies=(EUR USD JPY GBP CHF SEK NOK BHD)
    for i in $(seq 20); do
        c=${currencies[$((i % 8))]}
        id=$(curl -fs -X POST "$BASE/v1/accounts" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
            -d "{\"name\":\"Account $i\",\"currency\":\"$c\"}" | json '["id"]')
        curl -fs -X POST "$BASE/v1/accounts/$id/movements" -H "Authorization: Bearer $token" \
            -H 'Content-Type: application/json' -d "{\"amount\":\"$((i * 100))\",\"description\":\"seed\"}" >/dev/null
    done
    t0=$(date +%s%N)
    curl -fs -X POST "$BASE/v1/rates/import" -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' \
        --data-binary @"$work/ecb.csv" >"$work/import.json"
    import_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    missing=$(curl -fs "$BASE/v1/me?currency=EUR" -H "Authorization: Bearer $token" | json '["net_worth"]["missing"]')
    [ "$missing" = "[]" ] || { echo "conversion misses $missing" >&2; exit 1; }
    plain=() converted=()
    for _ in $(seq "$ROUNDS"); do
        plain+=("$(wrk_rps "$token" "$BASE/v1/me")")
        converted+=("$(wrk_rps "$token" "$BASE/v1/me?currency=EUR")")
    done
    median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $0} END {print v[int((NR + 1) / 2)]}'; }
    p=$(median "${plain[@]}") c=$(median "${converted[@]}")
    ratio=$(awk -v p="${p%% *}" -v c="${c%% *}" 'BEGIN { printf "%.2f×", p / c }')
    echo "| $backend | ${import_ms} ms | ${p%% *} (${p##* }) | ${c%% *} (${c##* }) | $ratio |"
    kill "$PID"
done
echo
echo "Cost ratio = plain req/s ÷ converted req/s (1.00× means free). Both engines answer the"
echo "rates of all pairs in one statement: per pair one probe of the (owner, base, quote, day) key."
