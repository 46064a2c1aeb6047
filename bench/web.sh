#!/usr/bin/env bash
# The web app's pages at scale (issue 30): a user with 20 accounts and 100,000 movements
# (5,000 each, the last 2,000 days up to today), on Postgres and on SQLite, release build.
# For the overview (net worth, accounts, this month's budgets, a twelve-month cash flow),
# an account page (first 50 movements with the running balance) and the reports page:
# p50 / p99 latency at one connection, and the page's weight before compression (htmx,
# served apart and cached for good, not counted). Targets: overview under 50 ms p50,
# every page under 100 KB.
#
#   bash bench/web.sh            # DURATION=5 by default
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-5}
PER=${PER:-5000}
PG_URL=${FINANCE_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
REDIS_URL=${FINANCE_TEST_REDIS_URL:-redis://127.0.0.1:6379}
FILL_FROM=$(date -u -d "-1999 days" +%F)

source bench/lib.sh

# p50 and p99 of one page at one connection, signed in by the session cookie (the
# session is the token).
latency() { # TOKEN URL
    wrk -t1 -c1 -d"${DURATION}s" --latency -H "Cookie: finance_session=$1" "$2" \
        | awk '$1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2} /Non-2xx/ {bad = $5} END {printf "%s / %s%s", p50, p99, bad ? " (" bad " errors)" : ""}'
}

weight() { # TOKEN URL
    local size
    size=$(curl -fs -H "Cookie: finance_session=$1" "$2" | wc -c)
    echo "$((size / 1024)) KB"
}

echo "# The web app at scale"
echo
echo "- when: $(date -u +%Y-%m-%dT%H:%MZ); machine: $(nproc) cores; wrk, 1 connection, ${DURATION}s per cell; cells: p50 / p99, then weight"
echo
echo "| engine | movements | overview | account page | reports | weights: overview, account, reports |"
echo "|---|---:|---:|---:|---:|---|"
for backend in postgres sqlite; do
    name="web-$backend"
    if [ "$backend" = postgres ]; then
        schema=$(new_schema)
        start_server "$name" "$PG_URL?options%5Bsearch_path%5D=$schema" "$REDIS_URL"
    else
        start_server "$name" "sqlite://$work/$name/finance.db"
    fi
    token=$(sign_in "$name" "web-$run_id@example.com")
    first=$(create_account "$token" "Account 1")
    for a in $(seq 2 20); do create_account "$token" "Account $a" >/dev/null; done
    for c in food rent travel; do
        curl -fs -X PUT "$BASE/v1/budgets/$c" -H "Authorization: Bearer $token" \
            -H 'Content-Type: application/json' -d '{"amount":"500.00","currency":"EUR"}' >/dev/null
    done
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
    grep -q "Account 20" <(curl -fs -H "Cookie: finance_session=$token" "$BASE/") \
        || { echo "the overview does not list the accounts" >&2; exit 1; }
    echo "| $backend | $((PER * 20)) | $(latency "$token" "$BASE/") | $(latency "$token" "$BASE/accounts/$first") | $(latency "$token" "$BASE/reports") | $(weight "$token" "$BASE/"), $(weight "$token" "$BASE/accounts/$first"), $(weight "$token" "$BASE/reports") |"
    kill "$PID"
done
