#!/usr/bin/env bash
# The contract check: schemathesis (pinned below) against a real server on one engine,
# every operation of /openapi.json, all checks, every phase (stateful included). Any
# finding fails. Usage: tests/contract/run.sh sqlite|postgres
#   postgres also needs FINANCE_TEST_DATABASE_URL and FINANCE_TEST_REDIS_URL.
#   FINANCE_CONTRACT_EXAMPLES: cases per operation (default 100).
set -euo pipefail
cd "$(dirname "$0")/../.."

SCHEMATHESIS_VERSION=4.32.5
engine=${1:?usage: tests/contract/run.sh sqlite|postgres}
venv=${FINANCE_CONTRACT_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/finance/schemathesis-$SCHEMATHESIS_VERSION}
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi

# FINANCE_API_BIN: a server already built (CI builds once); else the debug build.
server=${FINANCE_API_BIN:-}
if [ -z "$server" ]; then
    target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
    cargo build -q -p finance-api
    server="$target/debug/finance-api"
fi

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
schema=""
cleanup() {
    [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    [ -n "$schema" ] && psql -q "$FINANCE_TEST_DATABASE_URL" -c "DROP SCHEMA $schema CASCADE" >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT

env=(FINANCE_DATA_DIR="$work/data" FINANCE_BIND="127.0.0.1:$port"
     FINANCE_AUTH_CLIENT_LIMIT=100000000 FINANCE_LOG=error)
case "$engine" in
    sqlite) ;;
    postgres)
        : "${FINANCE_TEST_DATABASE_URL:?postgres needs FINANCE_TEST_DATABASE_URL}"
        : "${FINANCE_TEST_REDIS_URL:?postgres needs FINANCE_TEST_REDIS_URL}"
        schema="contract_$(date +%s)_$$"
        psql -q "$FINANCE_TEST_DATABASE_URL" -c "CREATE SCHEMA $schema"
        sep='?'; [[ $FINANCE_TEST_DATABASE_URL == *\?* ]] && sep='&'
        env+=(FINANCE_DATABASE_URL="$FINANCE_TEST_DATABASE_URL${sep}options%5Bsearch_path%5D=$schema"
              FINANCE_REDIS_URL="$FINANCE_TEST_REDIS_URL")
        ;;
    *) echo "unknown engine $engine (sqlite or postgres)" >&2; exit 2 ;;
esac

env "${env[@]}" "$server" >"$work/server.log" 2>&1 &
pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -fs "$base/readyz" >/dev/null && break; sleep 0.1; done
curl -fs "$base/readyz" >/dev/null || { cat "$work/server.log"; exit 1; }

echo "schemathesis $SCHEMATHESIS_VERSION on $engine ($base)"
status=0
FINANCE_CONTRACT_URL="$base" FINANCE_CONTRACT_OUTBOX="$work/data/outbox" \
SCHEMATHESIS_HOOKS=hooks PYTHONPATH=tests/contract \
    "$venv/bin/schemathesis" --config-file tests/contract/schemathesis.toml run "$base/openapi.json" \
    --checks all --phases examples,coverage,fuzzing,stateful \
    --max-examples "${FINANCE_CONTRACT_EXAMPLES:-100}" --seed "${FINANCE_CONTRACT_SEED:-1}" \
    --generation-database none --no-color --report junit --report-dir "$work/report" \
    || status=$?
if grep -q "panicked" "$work/server.log"; then
    echo "FATAL: the server panicked:" >&2
    grep -A5 "panicked" "$work/server.log" >&2
    status=1
fi
exit $status
