#!/usr/bin/env bash
# Acts on the parts that scale/run.sh started, for the proof's tests:
#   ctl.sh kill N             SIGKILL API server N (1-3): no shutdown, as in a crash
#   ctl.sh start N            start API server N again; wait until HAProxy sends to it
#   ctl.sh restart-all        stop the three API servers, then start them at the same time
#   ctl.sh stop-redis-master  SIGKILL one Redis master (its replica takes over); prints its port
#   ctl.sh redis-settled      succeed once every live Redis node reports the cluster ok
#   ctl.sh start-redis PORT   start a killed Redis node again; wait until it is a replica
#   ctl.sh replica-caught-up  wait until the replica has replayed all the primary has written
#   ctl.sh replica-pause      let the Postgres replica lag: replay paused, the primary not waiting
#   ctl.sh replica-resume     undo replica-pause
set -euo pipefail
work=${SCALE_WORK:?"run through scale/run.sh"}
# shellcheck source=/dev/null
source "$work/functions.sh"

port_of() { local p=${1##*:}; echo "${p%%/*}"; }

alive() { kill -0 "$(cat "$work/api-$1.pid")" 2>/dev/null; }

case "${1:-}" in
kill)
    kill -9 "$(cat "$work/api-$2.pid")"
    ;;
start)
    start_api "$2"
    wait_for "HAProxy to send to API server $2" 100 balanced "$2"
    ;;
restart-all)
    for n in 1 2 3; do kill -TERM "$(cat "$work/api-$n.pid")" 2>/dev/null || true; done
    for n in 1 2 3; do
        for _ in $(seq 100); do alive "$n" || break; sleep 0.1; done
        kill -9 "$(cat "$work/api-$n.pid")" 2>/dev/null || true
    done
    starting=()
    for n in 1 2 3; do
        start_api "$n" &
        starting+=($!)
    done
    for pid in "${starting[@]}"; do wait "$pid" || fail "an API server did not start"; done
    for n in 1 2 3; do wait_for "HAProxy to send to API server $n" 100 balanced "$n"; done
    ;;
stop-redis-master)
    for port in $redis_ports; do
        if redis-cli -p "$port" role 2>/dev/null | head -n1 | grep -qx master; then
            kill -9 "$(redis-cli -p "$port" info server | tr -d '\r' | sed -n 's/^process_id://p')"
            echo "$port" >"$work/redis-killed"
            echo "$port"
            exit 0
        fi
    done
    fail "no Redis master found"
    ;;
start-redis)
    # The killed node again, as a replica of the master that took its slots over.
    node=$2
    start_redis "$node"
    rejoined() {
        cluster_ok && [ "$(redis-cli -p "$node" role | sed -n '1p;4p' | tr '\n' ' ')" = "slave connected " ]
    }
    wait_for "Redis :$node to rejoin as a replica" 300 rejoined
    rm -f "$work/redis-killed"
    ;;
replica-caught-up)
    # Succeeds once the replica has replayed all the primary had written when asked.
    primary_at=$(psql -h 127.0.0.1 -p "$(port_of "$database_url")" -U postgres -Atc \
        "SELECT pg_current_wal_lsn()" postgres)
    replayed() {
        [ "$(psql -h 127.0.0.1 -p "$(port_of "$read_url")" -U postgres -Atc \
            "SELECT pg_last_wal_replay_lsn() >= '$primary_at'::pg_lsn" postgres)" = t ]
    }
    wait_for "the replica to catch up" 100 replayed
    ;;
replica-pause)
    # The primary stops waiting for the replica, and the replica stops replaying: it lags.
    psql -h 127.0.0.1 -p "$(port_of "$database_url")" -U postgres -Atc "SHOW synchronous_commit" postgres \
        >"$work/synchronous_commit"
    psql -q -h 127.0.0.1 -p "$(port_of "$database_url")" -U postgres postgres \
        -c "ALTER SYSTEM SET synchronous_commit = 'local'" -c "SELECT pg_reload_conf()" >/dev/null
    psql -q -h 127.0.0.1 -p "$(port_of "$read_url")" -U postgres -c "SELECT pg_wal_replay_pause()" postgres >/dev/null
    ;;
replica-resume)
    psql -q -h 127.0.0.1 -p "$(port_of "$read_url")" -U postgres -c "SELECT pg_wal_replay_resume()" postgres >/dev/null
    psql -q -h 127.0.0.1 -p "$(port_of "$database_url")" -U postgres postgres \
        -c "ALTER SYSTEM SET synchronous_commit = '$(cat "$work/synchronous_commit")'" \
        -c "SELECT pg_reload_conf()" >/dev/null
    ;;
redis-settled)
    # Every live node sees the cluster ok and the killed master as failed, holding no
    # slots any more (its replica has taken them over).
    killed=$(cat "$work/redis-killed" 2>/dev/null || echo none)
    for port in $redis_ports; do
        redis-cli -p "$port" ping >/dev/null 2>&1 || continue
        redis-cli -p "$port" cluster info | grep -q 'cluster_state:ok' || exit 1
        redis-cli -p "$port" cluster nodes \
            | awk -v dead="127.0.0.1:$killed@" 'index($2, dead) == 1 { seen = 1; if ($3 !~ /fail/ || NF > 8) bad = 1 }
                                               END { exit (bad || (dead != "127.0.0.1:none@" && !seen)) }' \
            || exit 1
    done
    ;;
*)
    fail "usage: ctl.sh kill N | start N | restart-all | stop-redis-master | redis-settled | start-redis PORT | replica-caught-up | replica-pause | replica-resume"
    ;;
esac
