#!/usr/bin/env bash
# Two builds of finance-api side by side, loaded in turn (so that drift of the shared
# machine hits both alike): GET /v1/accounts/{id} and POST movement (one account), on
# Postgres and on SQLite, ROUNDS rounds of DURATION seconds each; prints the median
# requests/s of each build and the change. Needs what bench/run.sh needs.
#
#   bash bench/ab.sh /tmp/finance-api-before /tmp/finance-api-after
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE=$1
AFTER=$2
DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-5}
CONNS=${CONNS:-64}
WRITE_CONNS=${WRITE_CONNS:-32}
PG_URL=${FINANCE_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
REDIS_URL=${FINANCE_TEST_REDIS_URL:-redis://127.0.0.1:6379}
BIN=$BEFORE
source bench/lib.sh

rps() { # CONNS wrk-args...: requests/s, or "errors" when any answer was not 2xx
    local out
    out=$(wrk -t 2 -c "$1" -d "${DURATION}s" "${@:2}")
    if grep -q "Non-2xx" <<<"$out"; then echo errors; else awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out"; fi
}
median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

echo "| backend | route | before (median req/s) | after | change | rounds before / after |"
echo "|---|---|---:|---:|---:|---|"
for backend in postgres sqlite; do
    declare -A base token account results=()
    for build in before after; do
        BIN=$([ "$build" = before ] && echo "$BEFORE" || echo "$AFTER")
        name="$backend-$build"
        if [ "$backend" = postgres ]; then
            start_server "$name" "$PG_URL?options%5Bsearch_path%5D=$(new_schema)" "$REDIS_URL"
        else
            start_server "$name" "sqlite://$work/$name/finance.db"
        fi
        base[$build]=$BASE
        token[$build]=$(sign_in "$name" "ab-$build-$run_id@example.com")
        account[$build]=$(create_account "${token[$build]}" "Bench")
    done
    for _ in $(seq "$ROUNDS"); do
        for build in before after; do
            auth="Authorization: Bearer ${token[$build]}"
            url="${base[$build]}/v1/accounts/${account[$build]}"
            results[$build.get]="${results[$build.get]:-} $(rps "$CONNS" -H "$auth" "$url")"
            results[$build.post]="${results[$build.post]:-} $(rps "$WRITE_CONNS" -s "$work/post.lua" -H "$auth" "$url/movements")"
        done
    done
    for route in get post; do
        label=$([ "$route" = get ] && echo "GET /v1/accounts/{id}" || echo "POST movement, one account")
        b=$(median "${results[before.$route]}")
        a=$(median "${results[after.$route]}")
        change=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%+.1f%%", 100 * (a - b) / b }')
        echo "| $backend | $label | $b | $a | $change | ${results[before.$route]# } / ${results[after.$route]# } |"
    done
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    pids=()
    unset base token account results
done
