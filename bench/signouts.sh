#!/usr/bin/env bash
# What sharing sign-outs through Redis costs each authenticated request (one MGET, so that
# every server refuses a signed-out token from the next request on): the same release
# server on the same Postgres schema, without Redis and with it. Needs wrk, PostgreSQL
# and Redis as in .ci/run.
#
#   bash bench/signouts.sh
#   DURATION=5 bash bench/signouts.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
CONNS=${CONNS:-64}
PG_URL=${FINANCE_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
REDIS_URL=${FINANCE_TEST_REDIS_URL:-redis://127.0.0.1:6379}

source bench/lib.sh

schema=$(new_schema)
db="$PG_URL?options%5Bsearch_path%5D=$schema"

row() { # LABEL URL TOKEN
    local result
    result=$(wrk --latency -t 2 -c "$CONNS" -d "${DURATION}s" -H "Authorization: Bearer $3" "$2")
    printf '| %s | %s | %s | %s |\n' "$1" "$(awk '/Requests\/sec/ {print $2}' <<<"$result")" \
        "$(awk '$1 == "50%" {print $2}' <<<"$result")" "$(awk '$1 == "99%" {print $2}' <<<"$result")"
}

echo "| route, $(nproc) cores, $CONNS connections, ${DURATION}s | requests/s | p50 | p99 |"
echo "|---|---:|---:|---:|"
for setup in "Postgres alone" "Postgres + Redis"; do
    if [ "$setup" = "Postgres alone" ]; then
        start_server alone "$db"
    else
        start_server shared "$db" "$REDIS_URL"
    fi
    name=$([ "$setup" = "Postgres alone" ] && echo alone || echo shared)
    token=$(sign_in "$name" "signouts-$run_id-$name@example.com")
    account=$(create_account "$token" "Bench")
    row "GET /v1/accounts/{id}, $setup" "$BASE/v1/accounts/$account" "$token"
    row "GET /v1/me, $setup" "$BASE/v1/me" "$token"
    kill "$PID"
done
