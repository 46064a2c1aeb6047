#!/usr/bin/env bash
# The change feed at scale (issue 31): 10 accounts with 100,000 movements each and a feed
# row for every one of them (1,000,000 changes), on Postgres and on SQLite, release build.
# wrk, one connection, p50 / p99 of
#   - the first page of 200 changes from the start of the feed (every item read in its
#     latest state: 200 movements by id, and their accounts),
#   - a page at the head (nothing new: what a client that follows pays per poll).
# Target: the first page under 20 ms at 1,000,000 changes.
#
#   bash bench/feed.sh            # DURATION=5 by default
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-5}
PER=${PER:-100000}
PG_URL=${FINANCE_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
REDIS_URL=${FINANCE_TEST_REDIS_URL:-redis://127.0.0.1:6379}

source bench/lib.sh

latency() { # TOKEN URL
    wrk -t1 -c1 -d"${DURATION}s" --latency -H "Authorization: Bearer $1" "$2" \
        | awk '$1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2} /Non-2xx/ {bad = $5} END {printf "%s / %s%s", p50, p99, bad ? " (" bad " errors)" : ""}'
}

# A feed row per movement, in the movements' order, written now (after the accounts were
# made: a member sees an account's rows from when they joined).
FEED_PG="INSERT INTO changes (account_id, at, entity, entity_id, action)
SELECT account_id, now(), 'movement', id::text, 'upserted' FROM movements ORDER BY seq;
VACUUM ANALYZE changes;"
FEED_SQLITE="INSERT INTO changes (account_id, at, entity, entity_id, action)
SELECT account_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'movement', lower(substr(hex(id), 1, 8) || '-' || substr(hex(id), 9, 4)
    || '-' || substr(hex(id), 13, 4) || '-' || substr(hex(id), 17, 4) || '-' || substr(hex(id), 21)),
    'upserted' FROM movements ORDER BY seq;
ANALYZE;"

echo "# The change feed at scale"
echo
echo "- when: $(date -u +%Y-%m-%dT%H:%MZ); machine: $(nproc) cores; wrk, 1 connection, ${DURATION}s per cell; cells: p50 / p99"
echo
echo "| engine | changes | first page of 200 | a page at the head |"
echo "|---|---:|---:|---:|"
for backend in postgres sqlite; do
    name="feed-$backend"
    if [ "$backend" = postgres ]; then
        schema=$(new_schema)
        start_server "$name" "$PG_URL?options%5Bsearch_path%5D=$schema" "$REDIS_URL"
    else
        start_server "$name" "sqlite://$work/$name/finance.db"
    fi
    token=$(sign_in "$name" "feed-$run_id@example.com")
    for a in $(seq 1 10); do create_account "$token" "Account $a" >/dev/null; done
    t0=$(date +%s)
    if [ "$backend" = postgres ]; then
        fill_pg "$schema" "$PER"
        printf 'SET search_path = %s;\n%s\n' "$schema" "$FEED_PG" | psql -q "$PG_URL" >/dev/null
    else
        kill "$PID"
        wait "$PID" 2>/dev/null || true
        fill_sqlite "$work/$name/finance.db" "$PER"
        sqlite3 "$work/$name/finance.db" "$FEED_SQLITE"
        start_server "$name" "sqlite://$work/$name/finance.db"
    fi
    echo "filled $name in $(( $(date +%s) - t0 )) s" >&2
    first=$(curl -fs "$BASE/v1/changes?since=0.0&limit=200" -H "Authorization: Bearer $token")
    n=$(echo "$first" | json '["items"].__len__()')
    [ "$n" -ge 200 ] || { echo "the first page has $n items" >&2; exit 1; }
    head=$(curl -fs "$BASE/v1/changes?since=0.0&limit=1" -H "Authorization: Bearer $token" >/dev/null;
           curl -fs "$BASE/v1/changes?limit=1" -H "Authorization: Bearer $token" | json '["next"]')
    head=${head#s.}; head=${head%.*}
    echo "| $backend | $((PER * 10)) | $(latency "$token" "$BASE/v1/changes?since=0.0&limit=200") | $(latency "$token" "$BASE/v1/changes?since=$head&limit=200") |"
    kill "$PID"
done
