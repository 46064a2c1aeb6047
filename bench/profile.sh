#!/usr/bin/env bash
# Flame graphs of the release server under load, one per route, saved as SVG under
# bench/flame/. Needs what bench/run.sh needs, plus perf (Debian: apt-get install
# linux-perf) and inferno (cargo install inferno). perf samples the server's threads on
# the CPU clock (this machine has no hardware counters) with DWARF call stacks, which the
# release profile's line tables make readable.
#
#   bash bench/profile.sh after                         # bench/flame/after-*.svg
#   BIN=/tmp/finance-api-before bash bench/profile.sh before
set -euo pipefail
cd "$(dirname "$0")/.."

NAME=${1:?usage: bench/profile.sh NAME}
DURATION=${DURATION:-10}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
PG_URL=${FINANCE_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
REDIS_URL=${FINANCE_TEST_REDIS_URL:-redis://127.0.0.1:6379}
for tool in perf inferno-collapse-perf inferno-flamegraph; do
    command -v "$tool" >/dev/null || { echo "bench/profile.sh needs $tool (see the comment at the top)" >&2; exit 1; }
done

source bench/lib.sh

# profile FILE TITLE [wrk args...]: samples the server while wrk loads it.
profile() {
    local file=$1 title=$2
    shift 2
    perf record -q -F 499 --call-graph dwarf,16384 -p "$PID" -o "$work/perf.data" -- sleep "$DURATION" 2>/dev/null &
    local perf_pid=$!
    wrk -t "$THREADS" -c "$CONNS" -d "${DURATION}s" "$@" >"$work/wrk.txt"
    wait "$perf_pid"
    perf script -i "$work/perf.data" 2>/dev/null | inferno-collapse-perf >"$work/$file.folded"
    # FOLDED=dir keeps the collapsed stacks too, for grep and inferno-diff-folded.
    if [ -n "${FOLDED:-}" ]; then mkdir -p "$FOLDED" && cp "$work/$file.folded" "$FOLDED/"; fi
    # Frames under a pixel wide are left out: they only make the file large.
    inferno-flamegraph --minwidth 1 --title "$title ($(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt") req/s under perf)" \
        <"$work/$file.folded" >"bench/flame/$file.svg"
    echo "bench/flame/$file.svg"
}

for backend in postgres sqlite; do
    if [ "$backend" = postgres ]; then
        schema=$(new_schema)
        start_server pg "$PG_URL?options%5Bsearch_path%5D=$schema" "$REDIS_URL"
    else
        start_server sqlite "sqlite://$work/sqlite/finance.db"
    fi
    name=$([ "$backend" = postgres ] && echo pg || echo sqlite)
    token=$(sign_in "$name" "profile-$run_id@example.com")
    account=$(create_account "$token" "Bench")
    profile "$NAME-$backend-get-account" "GET /v1/accounts/{id}, $backend, $NAME" \
        -H "Authorization: Bearer $token" "$BASE/v1/accounts/$account"
    profile "$NAME-$backend-post-movement" "POST /v1/accounts/{id}/movements, $backend, $NAME" \
        -s "$work/post.lua" -H "Authorization: Bearer $token" "$BASE/v1/accounts/$account/movements"
    kill "$PID"
done
