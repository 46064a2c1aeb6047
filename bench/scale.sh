#!/usr/bin/env bash
# The read mix through one API server and through three behind HAProxy, and the reads
# that go to the replica (movement pages, reports) from the replica and from the primary.
# Printed as Markdown rows for BENCHMARKS.md. Run it through the scale-out setup, which
# builds release servers for it and tears everything down afterwards:
#
#   bash scale/run.sh bench
#   DURATION=5 bash scale/run.sh bench
set -euo pipefail
: "${SCALE_WORK:?run it through: bash scale/run.sh bench}"
# shellcheck source=/dev/null
source "$SCALE_WORK/functions.sh"
command -v wrk >/dev/null || { echo "bench needs wrk (apt-get install wrk)" >&2; exit 1; }

DURATION=${DURATION:-10}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
lb=$FINANCE_TEST_BALANCER_URL
first="http://127.0.0.1:$(echo "$api_ports" | cut -d' ' -f1)"
out="$SCALE_WORK/bench"
mkdir -p "$out"

json() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }

# sign_in BASE EMAIL: prints a token (the code from the Maildir the SMTP server fills).
sign_in() {
    local base=$1 email=$2 mail code
    curl -fs -X POST "$base/v1/auth/otp" -H 'Content-Type: application/json' -d "{\"email\":\"$email\"}" >/dev/null
    for _ in $(seq 50); do
        mail=$(grep -l "^To: $email" "$FINANCE_TEST_SMTP_MAILDIR"/new/* 2>/dev/null | tail -n 1 || true)
        [ -n "$mail" ] && break
        sleep 0.1
    done
    code=$(grep -o 'code is [0-9]\{6\}' "$mail" | grep -o '[0-9]\{6\}')
    curl -fs -X POST "$base/v1/auth/token" -H 'Content-Type: application/json' \
        -d "{\"email\":\"$email\",\"code\":\"$code\"}" | json '["token"]'
}

# row LABEL URL [wrk args]: requests/s, p50, p99, non-2xx.
row() {
    local label=$1 result rps p50 p99 errors
    shift
    result=$(wrk --latency -t "$THREADS" -c "$CONNS" -d "${DURATION}s" "$@")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$result")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$result")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$result")
    errors=$(awk '/Non-2xx/ {print $5}' <<<"$result")
    printf '| %s | %s | %s | %s | %s |' "$label" "$rps" "$p50" "$p99" "${errors:-0}"
}

replica_transactions() {
    local port=${read_url##*:}
    psql -h 127.0.0.1 -p "${port%%/*}" -U postgres -Atc \
        "SELECT xact_commit FROM pg_stat_database WHERE datname = 'finance'" postgres 2>/dev/null \
        | head -n1
}

token=$(sign_in "$first" "bench-$(date +%s)$RANDOM@example.com")
account=$(curl -fs -X POST "$first/v1/accounts" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d '{"name":"Bench","currency":"EUR"}' | json '["id"]')

# About a few thousand movements to page through and sum, written through the balancer.
cat >"$out/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"amount":"-0.01","description":"bench","category":"bench"}'
LUA
wrk -t 2 -c 16 -d 3s -s "$out/post.lua" -H "Authorization: Bearer $token" \
    "$lb/v1/accounts/$account/movements" >/dev/null
movements=$(curl -fs "$first/v1/accounts/$account" -H "Authorization: Bearer $token" | json '["balance"]')

# rotation FILE PATH...: a wrk script that asks for the paths in turn.
rotation() {
    local file=$1 list=""
    shift
    for p in "$@"; do list="$list\"$p\", "; done
    printf 'local paths = {%s}\nlocal i = 0\nfunction request()\n  i = i + 1\n  return wrk.format(nil, paths[i %% #paths + 1])\nend\n' \
        "$list" >"$file"
}
# The read mix: the profile, one account, a page of its movements, a cash-flow report.
rotation "$out/mix.lua" /v1/me "/v1/accounts/$account" "/v1/accounts/$account/movements" /v1/reports/cash-flow
# What the replica serves: pages and reports only.
rotation "$out/lists.lua" "/v1/accounts/$account/movements" /v1/reports/cash-flow

# A fourth server like the others but without the replica: lists read the primary.
no_replica_port=$(( $(echo "$api_ports" | cut -d' ' -f3) + 1 ))
mkdir -p "$SCALE_WORK/api-4"
env FINANCE_DATA_DIR="$SCALE_WORK/api-4" FINANCE_BIND="127.0.0.1:$no_replica_port" \
    FINANCE_DATABASE_URL="$database_url" FINANCE_REDIS_URL="$redis_url" \
    FINANCE_SMTP_URL="smtp://127.0.0.1:$smtp_port" FINANCE_TOKEN_KEY_FILE="$SCALE_WORK/token.key" \
    FINANCE_LOG=warn "$server_bin" >>"$SCALE_WORK/api-4.log" 2>&1 &
echo $! >"$SCALE_WORK/api-4.pid"
wait_for "the server without a replica" 300 curl -sf "http://127.0.0.1:$no_replica_port/healthz"
sleep 3 # the replica watchers vouch for the replica after two checks

auth=(-H "Authorization: Bearer $token")
echo "- $(nproc) cores; wrk $THREADS threads, $CONNS connections, ${DURATION}s per row; release servers;"
echo "  the account holds $movements EUR of -0.01 movements; replica: ${SCALE_REPLICATION:-sync} (remote_apply unless async)"
echo
echo "| Read mix (/v1/me, account, movement page, cash flow) | req/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|"
row "one server, directly" "${auth[@]}" -s "$out/mix.lua" "$first"; echo
row "three servers behind HAProxy" "${auth[@]}" -s "$out/mix.lua" "$lb"; echo
echo
echo "| GET /v1/accounts/{id} alone (the cheapest read) | req/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|"
row "one server, directly" "${auth[@]}" "$first/v1/accounts/$account"; echo
row "three servers behind HAProxy" "${auth[@]}" "$lb/v1/accounts/$account"; echo
echo
echo "| Pages and reports (movement page, cash flow) | req/s | p50 | p99 | non-2xx | replica transactions |"
echo "|---|---|---|---|---|---|"
before=$(replica_transactions)
line=$(row "one server reading the replica" "${auth[@]}" -s "$out/lists.lua" "$first")
echo "$line $(( $(replica_transactions) - before )) |"
before=$(replica_transactions)
line=$(row "one server reading the primary" "${auth[@]}" -s "$out/lists.lua" "http://127.0.0.1:$no_replica_port")
echo "$line $(( $(replica_transactions) - before )) |"
kill "$(cat "$SCALE_WORK/api-4.pid")" 2>/dev/null || true
