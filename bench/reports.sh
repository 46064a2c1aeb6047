#!/usr/bin/env bash
# Search and reports at scale: for 100 and for 1,000,000 movements (10 accounts, 2,000
# days from 2020-01-01, 8 categories and the uncategorised, 0.1% of descriptions holding
# "needle", and the first of each account), on Postgres and on SQLite, the p50 and p99 latency at one connection of
#   - a text search matching 0.1% of movements, first page of 50 (GET /v1/movements?q=),
#   - a 12-month cash-flow report by month and category,
#   - a 12-month net-worth report by month,
#   - an account's balance at the end of a day a month before its last movement
#     (GET /v1/accounts/{id}/balance?on=, issue 29: its balance less what is dated after).
# Targets (issue 17): under 50 ms, 200 ms and 200 ms p50 at 1,000,000. One movement in
# ten (SPLIT=10, by its seq; SPLIT=0 for none) is split in two parts (issue 28), which
# the cash flow then sums by part.
#
#   bash bench/reports.sh            # DURATION=5 by default
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-5}
SPLIT=${SPLIT:-10}

PG_URL=${FINANCE_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
REDIS_URL=${FINANCE_TEST_REDIS_URL:-redis://127.0.0.1:6379}

source bench/lib.sh

# p50 and p99 of one route at one connection.
latency() { # TOKEN URL
    wrk -t1 -c1 -d"${DURATION}s" --latency -H "Authorization: Bearer $1" "$2" \
        | awk '$1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2} /Non-2xx/ {bad = $5} END {printf "%s / %s%s", p50, p99, bad ? " (" bad " errors)" : ""}'
}

search="/v1/movements?q=needle&limit=50"
flow="/v1/reports/cash-flow?from=2024-07-01&to=2025-06-30&step=month"
worth="/v1/reports/net-worth?from=2024-07-01&to=2025-06-30&step=month&currency=EUR"

echo "# Search and reports at scale"
echo
echo "- when: $(date -u +%Y-%m-%dT%H:%MZ); machine: $(nproc) cores; wrk, 1 connection, ${DURATION}s per cell; cells: p50 / p99"
echo "- split: $([ "$SPLIT" -gt 0 ] && echo "one movement in $SPLIT, in two parts" || echo none)"
echo
echo "| engine | movements | search, 0.1% match, first 50 | cash flow, 12 months by category | net worth, 12 months | balance on a day |"
echo "|---|---:|---:|---:|---:|---:|"
for backend in postgres sqlite; do
    for per in 10 100000; do
        name="$backend$per"
        if [ "$backend" = postgres ]; then
            schema=$(new_schema)
            start_server "$name" "$PG_URL?options%5Bsearch_path%5D=$schema" "$REDIS_URL"
        else
            start_server "$name" "sqlite://$work/$name/finance.db"
        fi
        token=$(sign_in "$name" "reports-$run_id@example.com")
        first=$(create_account "$token" "Account 1")
        for a in $(seq 2 10); do create_account "$token" "Account $a" >/dev/null; done
        t0=$(date +%s)
        if [ "$backend" = postgres ]; then
            fill_pg "$schema" "$per"
        else
            kill "$PID"
            wait "$PID" 2>/dev/null || true
            fill_sqlite "$work/$name/finance.db" "$per"
            start_server "$name" "sqlite://$work/$name/finance.db"
        fi
        echo "filled $name in $(( $(date +%s) - t0 )) s" >&2
        found=$(curl -fs "$BASE$search" -H "Authorization: Bearer $token" | json '["items"].__len__()')
        [ "$found" -gt 0 ] || { echo "the search found nothing" >&2; exit 1; }
        echo "| $backend | $((per * 10)) | $(latency "$token" "$BASE$search") | $(latency "$token" "$BASE$flow") | $(latency "$token" "$BASE$worth") | $(latency "$token" "$BASE/v1/accounts/$first/balance?on=2025-05-23") |"
        kill "$PID"
    done
done
