# Shared by the benchmark scripts: build, start servers, sign in, make accounts.
# The caller sets PG_URL and REDIS_URL; `work` is the run's scratch folder, removed at exit.

for tool in wrk pgbench psql curl python3; do
    command -v "$tool" >/dev/null || { echo "bench needs $tool (see the comment at the top of bench/run.sh)" >&2; exit 1; }
done
# BIN=path runs another build (an earlier commit's, say) with the same script.
if [ -z "${BIN:-}" ]; then
    cargo build --release -q -p finance-api
    # Where cargo put it: CARGO_TARGET_DIR or a config may move target/.
    BIN=$(cargo metadata --format-version 1 --no-deps \
        | python3 -c 'import sys, json; print(json.load(sys.stdin)["target_directory"])')/release/finance-api
fi
work=$(mktemp -d)
# Emails unique to this run: the sign-in rate limit remembers earlier runs in Redis.
run_id=$(date +%s)$RANDOM
pids=()
schemas=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for s in "${schemas[@]}"; do psql -q "$PG_URL" -c "DROP SCHEMA IF EXISTS $s CASCADE" >/dev/null 2>&1 || true; done
    # BENCH_KEEP=1 keeps the server logs and data for a look afterwards.
    if [ -n "${BENCH_KEEP:-}" ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# The write most loads send (wrk -s "$work/post.lua"), one movement each.
cat >"$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"amount":"-0.01","description":"bench","category":"bench"}'
LUA

# Spreads the writes over the accounts named by ACCOUNTS (space-separated ids), in turn.
cat >"$work/post_many.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"amount":"-0.01","description":"bench","category":"bench"}'
function init(args)
  paths, i = {}, math.random(1000)
  for id in os.getenv("ACCOUNTS"):gmatch("%S+") do paths[#paths + 1] = "/v1/accounts/" .. id .. "/movements" end
end
function request()
  i = i + 1
  return wrk.format(nil, paths[i % #paths + 1])
end
LUA

TICK=$(getconf CLK_TCK)
# CPU ticks used so far by the processes given (user + system, all threads).
ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo "$t"; }
# All PostgreSQL server processes when DB_CPU=1; else none, so the database's CPU reads 0.
db_pids() { [ "${DB_CPU:-}" = 1 ] && pgrep -x postgres || true; }
# Their CPU, with that of the backends that exited (pgbench's), which the postmaster reaped.
db_ticks() {
    local master live
    master=$([ "${DB_CPU:-}" = 1 ] && pgrep -o -x postgres || true)
    live=$(ticks $(db_pids))
    [ -n "$master" ] || { echo "$live"; return; }
    echo $((live + $(awk '{print $16 + $17}' "/proc/$master/stat")))
}
per_request() { awk -v t="$1" -v n="$2" -v hz="$TICK" 'BEGIN { if (n > 0) printf "%.0f", t * 1e6 / hz / n; else print "-" }'; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

new_schema() {
    local s="finance_bench_$RANDOM$RANDOM"
    psql -q "$PG_URL" -c "CREATE SCHEMA $s" >/dev/null
    schemas+=("$s")
    echo "$s"
}

# start_server NAME DATABASE_URL [REDIS_URL]: sets PID and BASE.
start_server() {
    local name=$1 db=$2 redis=${3:-} port
    port=$(free_port)
    mkdir -p "$work/$name"
    env -i PATH="$PATH" HOME="$work/$name" FINANCE_DATA_DIR="$work/$name" FINANCE_BIND="127.0.0.1:$port" \
        FINANCE_DATABASE_URL="$db" ${redis:+FINANCE_REDIS_URL="$redis"} FINANCE_LOG=warn \
        FINANCE_AUTH_CLIENT_LIMIT=100000000 \
        "$BIN" >"$work/$name.log" 2>&1 &
    PID=$!
    pids+=("$PID")
    BASE="http://127.0.0.1:$port"
    for _ in $(seq 100); do curl -fs "$BASE/healthz" >/dev/null && return 0; sleep 0.1; done
    echo "server $name did not start" >&2
    cat "$work/$name.log" >&2
    exit 1
}

json() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }

# sign_in NAME EMAIL: prints a token.
sign_in() {
    local name=$1 email=$2 code mail
    curl -fs -X POST "$BASE/v1/auth/otp" -H 'Content-Type: application/json' -d "{\"email\":\"$email\"}" >/dev/null
    mail=$(grep -l "^To: $email" "$work/$name"/outbox/*.eml | sort | tail -n 1)
    code=$(grep -o 'code is [0-9]\{6\}' "$mail" | grep -o '[0-9]\{6\}')
    curl -fs -X POST "$BASE/v1/auth/token" -H 'Content-Type: application/json' \
        -d "{\"email\":\"$email\",\"code\":\"$code\"}" | json '["token"]'
}

create_account() { # TOKEN NAME
    curl -fs -X POST "$BASE/v1/accounts" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' \
        -d "{\"name\":\"$2\",\"currency\":\"EUR\"}" | json '["id"]'
}


# The seeded movements: 2,000 days from FILL_FROM (8 categories and the uncategorised,
# "needle" in 0.1% of descriptions and in the first of each account); one in $SPLIT split.
FILL_FROM=${FILL_FROM:-2020-01-01}
SPLIT=${SPLIT:-0}

# Makes one movement in $SPLIT of them a split one: no category of its own, two parts
# (two thirds food, a third household) in its row and in movement_parts. Plain SQL both
# engines run.
split_sql() {
    [ "$SPLIT" -gt 0 ] || return 0
    cat <<SQL
INSERT INTO movement_parts (movement_id, part, account_id, occurred_on, category, amount)
SELECT id, 0, account_id, occurred_on, 'food', amount - amount / 3 FROM movements WHERE seq % $SPLIT = 3;
INSERT INTO movement_parts (movement_id, part, account_id, occurred_on, category, amount)
SELECT id, 1, account_id, occurred_on, 'household', amount / 3 FROM movements WHERE seq % $SPLIT = 3;
UPDATE movements SET category = NULL,
    splits = '[{"a":' || (amount - amount / 3) || ',"c":"food"},{"a":' || (amount / 3) || ',"c":"household"}]'
WHERE seq % $SPLIT = 3;
SQL
}
# Fills the SQLite file at $1 with $2 movements per account of its accounts.
fill_sqlite() {
    python3 - "$1" "$2" "$FILL_FROM" <<'PY'
import sqlite3, sys, uuid, datetime
path, per = sys.argv[1], int(sys.argv[2])
db = sqlite3.connect(path)
accounts = [r[0] for r in db.execute("SELECT id FROM accounts")]
cats = ["food", "rent", "travel", "fun", "health", "gifts", "tax", "pay", None]
start = datetime.date.fromisoformat(sys.argv[3])
now = "2026-01-01T00:00:00Z"
def rows():
    for a in accounts:
        for g in range(1, per + 1):
            desc = f"needle {g}" if g % 1000 == 0 or g == 1 else f"seed {g}"
            amount = (g % 5000 + 1) * (1 if g % 7 == 0 else -1)
            day = (start + datetime.timedelta(days=g % 2000)).isoformat()
            yield (uuid.uuid4().bytes, a, amount, desc, cats[g % 9], day, now, now)
db.executemany("INSERT INTO movements (id, account_id, amount, description, category, occurred_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows())
db.execute("UPDATE accounts SET balance = (SELECT coalesce(sum(amount), 0) FROM movements m WHERE m.account_id = accounts.id)")
db.commit()
db.close()
PY
    split_sql | sqlite3 "$1"
    sqlite3 "$1" "ANALYZE"
}

fill_pg() { # SCHEMA PER_ACCOUNT
    psql -q "$PG_URL" >/dev/null <<SQL
SET search_path = $1;
INSERT INTO movements (id, account_id, amount, description, category, occurred_on, created_at, updated_at)
SELECT gen_random_uuid(), a.id, (g % 5000 + 1) * (CASE WHEN g % 7 = 0 THEN 1 ELSE -1 END),
       CASE WHEN g % 1000 = 0 OR g = 1 THEN 'needle ' || g ELSE 'seed ' || g END,
       (ARRAY['food','rent','travel','fun','health','gifts','tax','pay',NULL])[g % 9 + 1],
       DATE '$FILL_FROM' + (g % 2000), now(), now()
FROM accounts a, generate_series(1, $2) g;
UPDATE accounts SET balance = (SELECT coalesce(sum(amount), 0) FROM movements m WHERE m.account_id = accounts.id);
$(split_sql)
VACUUM ANALYZE;
SQL
}

