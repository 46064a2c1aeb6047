#!/usr/bin/env bash
# Two builds of finance-api side by side, loaded in turn (so that drift of the shared
# machine hits both alike): GET /v1/accounts/{id} and POST movement (on one account, and
# spread over 32), on Postgres and on SQLite, ROUNDS rounds of DURATION seconds each; prints the median
# requests/s of each build and the change, and the median CPU each request cost the
# server and the database together (steadier than requests/s on a shared machine: time
# another tenant takes is not counted). Needs what bench/run.sh needs.
#
#   bash bench/ab.sh /tmp/finance-api-before /tmp/finance-api-after
# BACKENDS=postgres (or sqlite) loads one engine only.
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

# measure KEY CONNS wrk-args...: appends the requests/s (or "errors" when any answer was
# not 2xx) to results[KEY] and the server + database CPU µs per request to cpu[KEY].
measure() {
    local key=$1 conns=$2 out t0 t1 n
    t0=$(($(ticks "${pid[${key%%.*}]}") + $(db_ticks)))
    out=$(wrk -t 2 -c "$conns" -d "${DURATION}s" "${@:3}")
    t1=$(($(ticks "${pid[${key%%.*}]}") + $(db_ticks)))
    n=$(awk '/requests in/ {print $1}' <<<"$out")
    if grep -q "Non-2xx" <<<"$out"; then
        results[$key]="${results[$key]:-} errors"
    else
        results[$key]="${results[$key]:-} $(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")"
    fi
    cpu[$key]="${cpu[$key]:-} $(per_request $((t1 - t0)) "$n")"
}
median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

echo "| backend | route | before (median req/s) | after | change | before (CPU µs/req) | after | change | rounds before / after (req/s; CPU µs/req) |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---|"
for backend in ${BACKENDS:-postgres sqlite}; do
    declare -A base token account spread pid results=() cpu=()
    DB_CPU=$([ "$backend" = postgres ] && echo 1 || echo 0)
    for build in before after; do
        BIN=$([ "$build" = before ] && echo "$BEFORE" || echo "$AFTER")
        name="$backend-$build"
        if [ "$backend" = postgres ]; then
            start_server "$name" "$PG_URL?options%5Bsearch_path%5D=$(new_schema)" "$REDIS_URL"
        else
            start_server "$name" "sqlite://$work/$name/finance.db"
        fi
        base[$build]=$BASE
        pid[$build]=$PID
        token[$build]=$(sign_in "$name" "ab-$build-$run_id@example.com")
        account[$build]=$(create_account "${token[$build]}" "Bench")
        many=()
        for i in $(seq 32); do many+=("$(create_account "${token[$build]}" "Spread $i")"); done
        spread[$build]="${many[*]}"
    done
    for round in $(seq "$ROUNDS"); do
        # Which build goes first alternates, so that neither always follows the other.
        for build in $([ $((round % 2)) = 1 ] && echo before after || echo after before); do
            auth="Authorization: Bearer ${token[$build]}"
            url="${base[$build]}/v1/accounts/${account[$build]}"
            measure "$build.get" "$CONNS" -H "$auth" "$url"
            measure "$build.post" "$WRITE_CONNS" -s "$work/post.lua" -H "$auth" "$url/movements"
            export ACCOUNTS="${spread[$build]}"
            measure "$build.many" "$WRITE_CONNS" -s "$work/post_many.lua" -H "$auth" "${base[$build]}"
        done
    done
    for route in get post many; do
        case $route in
            get) label="GET /v1/accounts/{id}" ;;
            post) label="POST movement, one account" ;;
            many) label="POST movement, over 32 accounts" ;;
        esac
        b=$(median "${results[before.$route]}")
        a=$(median "${results[after.$route]}")
        change=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%+.1f%%", 100 * (a - b) / b }')
        cb=$(median "${cpu[before.$route]}")
        ca=$(median "${cpu[after.$route]}")
        cpu_change=$(awk -v a="$ca" -v b="$cb" 'BEGIN { printf "%+.1f%%", 100 * (a - b) / b }')
        echo "| $backend | $label | $b | $a | $change | $cb | $ca | $cpu_change | ${results[before.$route]# } / ${results[after.$route]# }; ${cpu[before.$route]# } / ${cpu[after.$route]# } |"
    done
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    pids=()
    unset base token account spread pid results cpu
done
