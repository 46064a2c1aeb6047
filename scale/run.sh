#!/usr/bin/env bash
# Several API servers on loopback, built from Debian's packages and torn down at the end:
#
#   HAProxy :27080 (round robin, health-checked)  ->  finance-api :27081 :27082 :27083
#   PostgreSQL primary :27432  ->  streaming replica :27433 (FINANCE_DATABASE_READ_URL)
#   Redis Cluster :27001-27006, bus :27101-27106 (3 masters, 3 replicas;
#     FINANCE_REDIS_URL=redis+cluster://…)
#   aiosmtpd (mail into a Maildir the tests read)
#
# Then the proof: the workspace's tests with every end-to-end test through the balancer,
# and the scale-out tests
# (tests/scale_proof.rs): codes, tokens and idempotency keys across servers, one API server
# SIGKILLed and one Redis master stopped under load, schedules booked once by three.
#
#   bash scale/run.sh            build, prove, tear down
#   bash scale/run.sh up         build and leave it running (prints the variables; Ctrl-C ends)
#   bash scale/run.sh bench      build, measure (bench/scale.sh), tear down
#
# SCALE_PORT (default 27000) moves every port; SCALE_REPLICATION=async makes the replica
# asynchronous (lists may then trail writes by up to two seconds; see the README).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
mode=${1:-prove}

base=${SCALE_PORT:-27000}
lb=$((base + 80))
stats=$((base + 79))
pg_primary=$((base + 432))
pg_replica=$((base + 433))
redis_ports=$(seq $((base + 1)) $((base + 6)))
api_ports="$((base + 81)) $((base + 82)) $((base + 83))"

log() { printf '== scale: %s\n' "$*"; }
fail() { echo "FATAL: $*" >&2; exit 1; }

wait_for() { # what, tries (tenths of a second), command...
    local what=$1 tries=$2
    shift 2
    for _ in $(seq "$tries"); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.1
    done
    fail "$what did not come up"
}

install() { # command, package
    command -v "$1" >/dev/null 2>&1 && return 0
    log "installing $2"
    apt-get install -y -q "$2" >/dev/null 2>&1 \
        || { apt-get update -q >/dev/null && apt-get install -y -q "$2" >/dev/null; } \
        || fail "cannot install $2"
}

install haproxy haproxy
install redis-server redis-server
[ "$mode" = bench ] && install wrk wrk
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null \
    || install aiosmtpd python3-aiosmtpd
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[ -x "$pg_bin/initdb" ] || fail "PostgreSQL's server binaries are missing (apt-get install postgresql)"

# Every port below 32768, out of the range the system hands out to outgoing connections
# (Redis' default bus port, its port + 10000, would be in it, and was once taken).
bus_ports=$(for port in $redis_ports; do echo $((port + 100)); done)
for port in $lb $stats $pg_primary $pg_replica $redis_ports $bus_ports $api_ports; do
    if (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then
        fail "port $port is taken (another scale/run.sh? set SCALE_PORT)"
    fi
done

work=$(mktemp -d /tmp/finance-scale.XXXXXX)
chmod 755 "$work"
pids=()
pg_dirs=()
# From / : the postgres user may not enter the checkout's folder.
as_postgres() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

teardown() {
    local status=$?
    log "tearing down"
    for pid in "${pids[@]}" $(cat "$work"/api-*.pid 2>/dev/null); do
        { kill -9 "$pid" && wait "$pid"; } 2>/dev/null || true
    done
    for port in $redis_ports; do redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; done
    for dir in "${pg_dirs[@]}"; do as_postgres "$pg_bin/pg_ctl" -D "$dir" -m immediate stop >/dev/null 2>&1 || true; done
    if [ "$status" != 0 ] && [ -d "$work" ]; then
        for f in "$work"/*.log "$work"/pglog/*.log; do echo "--- tail of $f"; tail -n 8 "$f"; done
    fi
    rm -rf "$work"
    exit "$status"
}
trap teardown EXIT
trap 'exit 130' INT TERM

log "building finance-api"
# Where cargo puts binaries: CARGO_TARGET_DIR (a shared build cache) or a config may move
# target/ away from the checkout.
target_dir=$(cargo metadata --format-version 1 --no-deps \
    | python3 -c 'import sys, json; print(json.load(sys.stdin)["target_directory"])')
if [ "$mode" = bench ]; then
    cargo build --release -q -p finance-api
    server_bin="$target_dir/release/finance-api"
else
    cargo build -q --workspace --bins
    server_bin="$target_dir/debug/finance-api"
fi

# PostgreSQL: a primary, and a replica cloned from it by pg_basebackup that streams its log.
# By default the primary waits for the replica to apply each commit (remote_apply), so a
# list read from the replica right after a write sees it. hot_standby_feedback: a list
# running on the replica keeps the primary's vacuum from removing rows it reads, instead
# of holding up replay (and with it every commit) for up to max_standby_streaming_delay.
log "PostgreSQL primary :$pg_primary and streaming replica :$pg_replica"
mkdir -p "$work/pg-primary" "$work/pg-replica" "$work/sock" "$work/pglog"
chown postgres "$work/pg-primary" "$work/pg-replica" "$work/sock" "$work/pglog"
pg_dirs+=("$work/pg-primary")
as_postgres "$pg_bin/initdb" -D "$work/pg-primary" -A trust -U postgres >"$work/initdb.log"
pg_common=(-c listen_addresses=127.0.0.1 -c "unix_socket_directories=$work/sock"
    -c max_connections=200 -c shared_buffers=128MB -c wal_level=replica -c max_wal_senders=4
    -c hot_standby=on -c hot_standby_feedback=on)
as_postgres "$pg_bin/pg_ctl" -D "$work/pg-primary" -l "$work/pglog/primary.log" -w -s start \
    -o "$(printf '%q ' -p "$pg_primary" "${pg_common[@]}")"
as_postgres "$pg_bin/pg_basebackup" -h 127.0.0.1 -p "$pg_primary" -U postgres \
    -D "$work/pg-replica" -X stream -R
echo "primary_conninfo = 'host=127.0.0.1 port=$pg_primary user=postgres application_name=replica1'" \
    >>"$work/pg-replica/postgresql.auto.conf"
chmod 700 "$work/pg-replica"
pg_dirs+=("$work/pg-replica")
as_postgres "$pg_bin/pg_ctl" -D "$work/pg-replica" -l "$work/pglog/replica.log" -w -s start \
    -o "$(printf '%q ' -p "$pg_replica" "${pg_common[@]}")"
psql -q -h 127.0.0.1 -p "$pg_primary" -U postgres -c "CREATE DATABASE finance" postgres
wait_for "the replica" 100 psql -h 127.0.0.1 -p "$pg_replica" -U postgres -Atc "SELECT 1" finance
[ "$(psql -h 127.0.0.1 -p "$pg_replica" -U postgres -Atc 'SELECT pg_is_in_recovery()' postgres)" = t ] \
    || fail "the replica is not in recovery"
# Set once the replica streams (a commit waiting for a standby not there yet would hang),
# and with ALTER SYSTEM, so that scale/ctl.sh can change it while it runs.
if [ "${SCALE_REPLICATION:-sync}" != async ]; then
    psql -q -h 127.0.0.1 -p "$pg_primary" -U postgres postgres \
        -c "ALTER SYSTEM SET synchronous_standby_names = 'replica1'" \
        -c "ALTER SYSTEM SET synchronous_commit = 'remote_apply'" -c "SELECT pg_reload_conf()" >/dev/null
fi

# Redis Cluster: six nodes, then one command that gives three of them the slots and makes
# the other three their replicas.
log "Redis Cluster :$((base + 1))-:$((base + 6)), 3 masters and 3 replicas"
# One Redis node by port; started again after a kill, its nodes.conf makes it rejoin.
start_redis() {
    mkdir -p "$work/redis-$1"
    redis-server --port "$1" --bind 127.0.0.1 --cluster-enabled yes \
        --cluster-port $(($1 + 100)) \
        --cluster-config-file "$work/redis-$1/nodes.conf" --cluster-node-timeout 2000 \
        --save "" --appendonly no --dir "$work/redis-$1" --daemonize yes \
        --logfile "$work/redis-$1.log"
}
nodes=()
for port in $redis_ports; do
    start_redis "$port"
    nodes+=("127.0.0.1:$port")
done
for port in $redis_ports; do wait_for "redis :$port" 50 redis-cli -p "$port" ping; done
redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >"$work/redis-create.log"
cluster_ok() {
    local port
    for port in $redis_ports; do
        redis-cli -p "$port" cluster info | grep -q 'cluster_state:ok' || return 1
    done
}
wait_for "the Redis Cluster" 100 cluster_ok
redis_url="redis+cluster://$(IFS=,; echo "${nodes[*]}")"

log "SMTP (aiosmtpd)"
mkdir -p "$work/maildir"/{tmp,new,cur}
smtp_port=$((base + 25))
/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox \
    "$work/maildir" >"$work/smtp.log" 2>&1 &
pids+=($!)
wait_for "aiosmtpd" 50 bash -c "exec 3<>/dev/tcp/127.0.0.1/$smtp_port"

database_url="postgres://postgres@127.0.0.1:$pg_primary/finance"
read_url="postgres://postgres@127.0.0.1:$pg_replica/finance"

# One API server by number (1-3): every server shares the database, Redis and signing key.
start_api() {
    local n=$1 port
    port=$(echo $api_ports | cut -d' ' -f"$n")
    mkdir -p "$work/api-$n"
    env FINANCE_DATA_DIR="$work/api-$n" \
        FINANCE_BIND="127.0.0.1:$port" \
        FINANCE_DATABASE_URL="$database_url" \
        FINANCE_DATABASE_READ_URL="$read_url" \
        FINANCE_REDIS_URL="$redis_url" \
        FINANCE_SMTP_URL="smtp://127.0.0.1:$smtp_port" \
        FINANCE_TOKEN_KEY_FILE="$work/token.key" \
        FINANCE_TRUST_PROXY=true \
        FINANCE_AUTH_CLIENT_LIMIT=1000000 \
        FINANCE_LOG="info,warp::filters::trace=error" \
        "$server_bin" >>"$work/api-$n.log" 2>&1 &
    echo $! >"$work/api-$n.pid"
    wait_for "finance-api $n" 300 curl -sf "http://127.0.0.1:$port/readyz"
}

# Whether HAProxy sends requests to API server N again (its checks passed).
balanced() {
    curl -sf "http://127.0.0.1:$stats/stats;csv" | awk -F, -v s="api$1" '$1 == "servers" && $2 == s && $18 == "UP" { up = 1 } END { exit !up }'
}

# The first server makes the key file and runs the migrations; the others find both.
log "3 API servers :$(echo $api_ports | tr ' ' ,)"
start_api 1
start_api 2 &
second=$!
start_api 3 &
third=$!
wait "$second" || fail "API server 2 did not start"
wait "$third" || fail "API server 3 did not start"

log "HAProxy :$lb"
{
    echo "global"
    echo "    maxconn 4096"
    echo "defaults"
    echo "    mode http"
    echo "    timeout connect 1s"
    echo "    timeout client 30s"
    echo "    timeout server 30s"
    # Only a request that never reached a server is sent to another one: a write that
    # reached a server which then died is the client's to retry, with its Idempotency-Key.
    echo "    retries 2"
    echo "    retry-on conn-failure"
    echo "    option redispatch"
    echo "    option forwardfor"
    echo "frontend api"
    echo "    bind 127.0.0.1:$lb"
    # The largest body any route takes (a bank file, 10 MiB) is refused here already: a
    # server refusing it mid-upload closes the connection, which a proxy passes on as a
    # reset rather than the 413.
    echo "    http-request deny deny_status 413 if { req.hdr_val(content-length) gt 10485760 }"
    echo "    default_backend servers"
    echo "backend servers"
    echo "    balance roundrobin"
    # /healthz (the process), not /readyz: readiness includes Redis and the database,
    # which all servers share, so an outage of either would take every server out at
    # once, even for the routes that do not need the one that is down.
    echo "    option httpchk GET /healthz"
    echo "    default-server inter 300ms fall 2 rise 2"
    echo "    http-response set-header X-Served-By %s"
    n=0
    for port in $api_ports; do
        n=$((n + 1))
        echo "    server api$n 127.0.0.1:$port check"
    done
    echo "listen stats"
    echo "    bind 127.0.0.1:$stats"
    echo "    stats enable"
    echo "    stats uri /stats"
} >"$work/haproxy.cfg"
haproxy -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 &
pids+=($!)
wait_for "HAProxy" 100 curl -sf "http://127.0.0.1:$lb/readyz"
for n in 1 2 3; do wait_for "HAProxy to send to API server $n" 100 balanced "$n"; done

# What the tests (and a person) need to find it all.
export FINANCE_TEST_BALANCER_URL="http://127.0.0.1:$lb"
export FINANCE_TEST_BALANCER_SERVERS=$(wc -w <<<"$api_ports")
export FINANCE_TEST_DATABASE_URL="$database_url"
export FINANCE_TEST_READ_DATABASE_URL="$read_url"
export FINANCE_TEST_REDIS_URL="$redis_url"
export FINANCE_TEST_SMTP_URL="smtp://127.0.0.1:$smtp_port"
export FINANCE_TEST_SMTP_MAILDIR="$work/maildir"
# scale/ctl.sh kills, starts and stops parts for the proof; it finds them through this.
export FINANCE_SCALE_CTL="$root/scale/ctl.sh" SCALE_WORK="$work"
declare -f start_api start_redis cluster_ok balanced wait_for fail log >"$work/functions.sh"
for v in work server_bin database_url read_url redis_url smtp_port api_ports redis_ports stats; do
    printf '%s=%q\n' "$v" "${!v}" >>"$work/functions.sh"
done

case "$mode" in
up)
    log "running; these variables point the tests at it:"
    env | grep -E '^(FINANCE_TEST|FINANCE_SCALE|SCALE_WORK)' | sort
    log "Ctrl-C (or kill -TERM $$) tears it down"
    while true; do sleep 3600 & wait $!; done
    ;;
bench)
    bash bench/scale.sh
    ;;
prove)
    # The workspace's tests as CI builds them (so nothing is built again): the end-to-end
    # tests go through the balancer, the core's store tests run on the primary and the
    # Redis Cluster.
    log "the workspace's tests, the end-to-end ones through the balancer"
    started=$(date +%s)
    cargo test -q --workspace -- --test-threads=4 2>&1 | tee "$work/suite.log" \
        | grep -E '^(test result|failures:|    [a-z_:]+$|thread .* panicked)' || true
    grep -q 'FAILED\|panicked' "$work/suite.log" && fail "the end-to-end suite failed through the balancer"
    log "the scale-out proof"
    FINANCE_SCALE_PROOF=1 cargo test -q --workspace --test scale_proof -- --test-threads=1 --nocapture
    log "proved in $(($(date +%s) - started)) s"
    ;;
*)
    fail "usage: scale/run.sh [prove|up|bench]"
    ;;
esac
