#!/usr/bin/env bash
# Benchmarks of the release finance-api on loopback, printed as Markdown (BENCHMARKS.md
# quotes a run). Needs wrk and pgbench (Debian: apt-get install wrk postgresql-client),
# PostgreSQL and Redis as in .ci/run. Bounded: each load runs DURATION seconds.
#
#   bash bench/run.sh                 # everything
#   DURATION=5 CONNS=32 bash bench/run.sh
#   BIN=/tmp/finance-api-before SCALING=0 bash bench/run.sh   # another build, no scaling part
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
CONNS=${CONNS:-64}
# Writes are loaded with fewer connections: one account's writers queue on its row anyway.
WRITE_CONNS=${WRITE_CONNS:-32}
THREADS=${THREADS:-2}
PG_URL=${FINANCE_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
REDIS_URL=${FINANCE_TEST_REDIS_URL:-redis://127.0.0.1:6379}

source bench/lib.sh


# load LABEL [wrk args...]: one row of the table. SERVER_PID is the server under load;
# LOAD_CONNS, when set, replaces CONNS.
load() {
    local label=$1
    shift
    local out rps p50 p99 errors n s0 d0 s1 d1
    s0=$(ticks "$SERVER_PID")
    d0=$(db_ticks)
    out=$(wrk --latency -t "$THREADS" -c "${LOAD_CONNS:-$CONNS}" -d "${DURATION}s" "$@")
    s1=$(ticks "$SERVER_PID")
    d1=$(db_ticks)
    n=$(awk '/requests in/ {print $1}' <<<"$out")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(awk '/Non-2xx/ {print $5}' <<<"$out")
    if grep -q CODES-RAN-OUT <<<"$out"; then rps="(codes ran out)"; fi
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$rps" "$p50" "$p99" "${errors:-0}" \
        "$(per_request $((s1 - s0)) "$n")" "$(per_request $((d1 - d0)) "$n")"
}

peak_rss() { awk '/VmHWM/ {printf "%.1f MiB", $2/1024}' "/proc/$1/status"; }

# Each write with an Idempotency-Key of its own, as a careful client sends them.
cat >"$work/post_keyed.lua" <<'LUA'
local n = 0
function setup(thread) thread:set("id", n); n = n + 1 end
function init(args)
  count, stamp, headers = 0, os.time(), {}
  for k, v in pairs(wrk.headers) do headers[k] = v end
  headers["Content-Type"] = "application/json"
end
function request()
  count = count + 1
  headers["Idempotency-Key"] = string.format("bench-%d-%d-%d", stamp, id, count)
  return wrk.format("POST", nil, headers, '{"amount":"-0.01","description":"bench","category":"bench"}')
end
LUA

cat >"$work/otp.lua" <<'LUA'
local n = 0
function setup(thread) thread:set("id", n); n = n + 1 end
function init(args) count = 0; stamp = os.time() end
function request()
  count = count + 1
  local body = string.format('{"email":"bench-%d-%d-%d@example.com"}', stamp, id, count)
  return wrk.format("POST", "/v1/auth/otp", {["Content-Type"] = "application/json"}, body)
end
LUA

# Redeems each code of the wrk-made sign-ins once (the file named by CODES, one "email code"
# a line, shared out among the threads). Should they run out, it says so: wrk would then
# divide the requests by the whole duration and understate the rate.
cat >"$work/token.lua" <<'LUA'
local n = 0
function setup(thread) thread:set("id", n); n = n + 1 end
function init(args)
  local stride = tonumber(os.getenv("WRK_THREADS"))
  codes, i, k = {}, 1, 0
  for line in io.lines(os.getenv("CODES")) do
    if k % stride == id then
      local email, code = line:match("^(%S+) (%d+)$")
      codes[#codes + 1] = {email, code}
    end
    k = k + 1
  end
end
function request()
  local p = codes[i]
  if p == nil then
    if not told then io.write("CODES-RAN-OUT\n"); told = true end
    wrk.thread:stop()
    p = codes[1]
  end
  i = i + 1
  return wrk.format("POST", "/v1/auth/token", {["Content-Type"] = "application/json"},
    string.format('{"email":"%s","code":"%s"}', p[1], p[2]))
end
LUA

# The (email, code) pairs of the mails that otp.lua caused, from an outbox folder.
codes_of() { # OUTBOX_DIR
    grep -rh "^To: bench-[0-9]*-[0-9]*-[0-9]*@\|code is [0-9]\{6\}" "$1" | tr -d '\r' \
        | grep -A1 "^To: " | grep -v "^--" | paste - - \
        | sed -nE 's/^To: (.*)\t.*code is ([0-9]+)$/\1 \2/p'
}

echo "# Benchmark run"
echo
echo "- when: $(date -u +%Y-%m-%dT%H:%MZ); machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB; $(uname -sr)"
echo "- load: wrk, $THREADS threads, $CONNS connections, ${DURATION}s per row, on loopback; server, database and load generator share the $(nproc) cores"
echo "- server: release build, FINANCE_LOG=warn"
echo

for backend in postgres sqlite; do
    if [ "$backend" = postgres ]; then
        schema=$(new_schema)
        start_server pg "$PG_URL?options%5Bsearch_path%5D=$schema" "$REDIS_URL"
        title="Postgres + Redis (OTPs in Redis)"
    else
        start_server sqlite "sqlite://$work/sqlite/finance.db"
        title="SQLite (embedded default, OTPs in SQLite)"
    fi
    SERVER_PID=$PID
    DB_CPU=$([ "$backend" = postgres ] && echo 1 || echo 0)
    name=$([ "$backend" = postgres ] && echo pg || echo sqlite)
    token=$(sign_in "$name" "bench-$run_id@example.com")
    account=$(create_account "$token" "Bench")
    user=$(curl -fs "$BASE/v1/me" -H "Authorization: Bearer $token" | json '["user"]["id"]')
    for i in $(seq 20); do
        curl -fs -X POST "$BASE/v1/accounts/$account/movements" -H "Authorization: Bearer $token" \
            -H 'Content-Type: application/json' -d "{\"amount\":\"$i.00\",\"description\":\"seed $i\"}" >/dev/null
    done
    # A user who sees 50 accounts: 10 own, 40 shared with them (as a viewer) by another.
    viewer_mail="bench-viewer-$run_id@example.com"
    viewer=$(sign_in "$name" "$viewer_mail")
    for i in $(seq 10); do create_account "$viewer" "Own $i" >/dev/null; done
    sharer=$(sign_in "$name" "bench-sharer-$run_id@example.com")
    for i in $(seq 40); do
        shared=$(create_account "$sharer" "Shared $i")
        curl -fs -X POST "$BASE/v1/accounts/$shared/members" -H "Authorization: Bearer $sharer" \
            -H 'Content-Type: application/json' -d "{\"email\":\"$viewer_mail\",\"role\":\"viewer\"}" >/dev/null
    done
    for id in $(curl -fs "$BASE/v1/invitations" -H "Authorization: Bearer $viewer" | json '["items"]' \
        | python3 -c 'import sys, ast; print(" ".join(i["id"] for i in ast.literal_eval(sys.stdin.read())))'); do
        curl -fs -X POST "$BASE/v1/invitations/$id/accept" -H "Authorization: Bearer $viewer" >/dev/null
    done
    seen=$(curl -fs "$BASE/v1/me" -H "Authorization: Bearer $viewer" | json '["accounts"].__len__()')
    [ "$seen" = 50 ] || { echo "the viewer sees $seen accounts, not 50" >&2; exit 1; }
    echo "## $title"
    echo
    echo "| route | requests/s | p50 | p99 | non-2xx | server CPU µs/req | Postgres CPU µs/req |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    row=$(load "GET /v1/accounts/{id}" -H "Authorization: Bearer $token" "$BASE/v1/accounts/$account")
    echo "$row"
    read_rps=$(awk -F'|' '{ printf "%.0f", $3 }' <<<"$row")
    load "GET /v1/me" -H "Authorization: Bearer $token" "$BASE/v1/me"
    load "GET /v1/me, 50 accounts (10 own, 40 shared)" -H "Authorization: Bearer $viewer" "$BASE/v1/me"
    load "GET /v1/accounts/{id}/movements" -H "Authorization: Bearer $token" "$BASE/v1/accounts/$account/movements"
    many=()
    for i in $(seq 32); do many+=("$(create_account "$token" "Spread $i")"); done
    export ACCOUNTS="${many[*]}"
    writes=$(
        LOAD_CONNS=$WRITE_CONNS load "POST movement, one account" -s "$work/post.lua" -H "Authorization: Bearer $token" "$BASE/v1/accounts/$account/movements"
        LOAD_CONNS=$WRITE_CONNS load "POST movement, over 32 accounts" -s "$work/post_many.lua" -H "Authorization: Bearer $token" "$BASE"
        LOAD_CONNS=$WRITE_CONNS load "POST movement, one account, Idempotency-Key each" -s "$work/post_keyed.lua" -H "Authorization: Bearer $token" "$BASE/v1/accounts/$account/movements"
    )
    echo "$writes"
    keyed_share=$(awk -F'|' '/one account \|/ { plain = $3 } /Idempotency-Key each/ { keyed = $3 } END { if (plain > 0) printf "%.0f%%", 100 * keyed / plain }' <<<"$writes")
    load "POST /v1/auth/otp (new email each)" -s "$work/otp.lua" "$BASE"
    # As many codes again, unmeasured, so that the next row does not run out of them.
    wrk -t "$THREADS" -c "$CONNS" -d "${DURATION}s" -s "$work/otp.lua" "$BASE" >/dev/null
    codes_of "$work/$name/outbox" >"$work/$name.codes"
    export CODES=$work/$name.codes WRK_THREADS=$THREADS
    load "POST /v1/auth/token (each code once)" -s "$work/token.lua" "$BASE"
    echo
    echo "Writes with an Idempotency-Key ran at $keyed_share of plain ones on the same account."
    echo
    echo "Peak server RSS over these loads: $(peak_rss "$SERVER_PID")."
    echo
    if [ "$backend" = postgres ]; then
        # The server's read of an account for a user (accounts::VISIBLE and its id).
        echo "SELECT a.id, a.owner_id, a.name, a.currency, a.balance, a.archived, a.created_at, u.email AS owner_email, m.role FROM account_members m JOIN accounts a ON a.id = m.account_id JOIN users u ON u.id = a.owner_id WHERE m.user_id = '$user' AND a.id = '$account';" >"$work/select.sql"
        # The database's own best: pgbench at a few client counts (on 2 cores, 64 backends
        # spend more on switching than on the query), the best one the denominator.
        best=0
        echo "Baseline in the same run: pgbench on the exact SELECT of GET /v1/accounts/{id}."
        echo
        echo "| pgbench, same SELECT (prepared) | transactions/s | Postgres CPU µs/txn |"
        echo "|---|---:|---:|"
        for clients in 8 16 "$CONNS"; do
            d0=$(db_ticks)
            out=$(PGOPTIONS="-c search_path=$schema" pgbench -n -M prepared -c "$clients" -j "$THREADS" -T "$DURATION" -f "$work/select.sql" "$PG_URL" 2>&1)
            d1=$(db_ticks)
            tps=$(awk -F'= ' '/^tps/ {split($2, a, " "); printf "%.0f", a[1]}' <<<"$out")
            n=$(awk -F': ' '/actually processed/ {print $2}' <<<"$out")
            echo "| $clients clients | $tps | $(per_request $((d1 - d0)) "$n") |"
            if [ "${tps:-0}" -gt "$best" ]; then best=$tps; fi
        done
        echo
        echo "GET /v1/accounts/{id} ran at **$(awk -v a="$read_rps" -v b="$best" 'BEGIN { printf "%.0f%%", 100 * a / b }')** of the best pgbench figure ($read_rps vs $best per second)."
        echo
        # The core of the write the server makes (PG_ADD_MOVEMENT without a key, and
        # without what later waves added to it: parts, tags, history, the change feed and
        # the webhook outbox), one script per account so that pgbench spreads its clients
        # as wrk does: the database's best for a movement, not the server's statement.
        write_sql() { # ACCOUNT
            cat <<SQL
WITH acct AS (SELECT id, archived, owner_id FROM accounts WHERE id = '$1' FOR UPDATE),
member AS (SELECT role FROM account_members WHERE account_id = (SELECT id FROM acct WHERE owner_id <> '$user')
  AND user_id = '$user' FOR SHARE),
writer AS (SELECT CASE WHEN owner_id = '$user' THEN 'owner' ELSE (SELECT role FROM member) END AS role FROM acct),
open AS (SELECT id FROM acct WHERE NOT archived AND (SELECT role FROM writer) IN ('owner', 'editor')),
new_key AS (INSERT INTO idempotency_keys (user_id, key, fingerprint, movement_id, created_at)
  SELECT '$user', NULL, NULL, gen_random_uuid(), now() FROM open WHERE NULL::text IS NOT NULL
  ON CONFLICT (user_id, key) DO NOTHING RETURNING 1),
moved AS (UPDATE accounts SET balance = accounts.balance + -1
  WHERE accounts.id = '$1' AND EXISTS (SELECT 1 FROM open) AND (NULL::text IS NULL OR EXISTS (SELECT 1 FROM new_key))
  RETURNING accounts.balance, accounts.currency),
inserted AS (INSERT INTO movements (id, account_id, amount, description, category, occurred_on, created_at, updated_at,
  created_by, updated_by)
  SELECT gen_random_uuid(), '$1', -1, 'bench', 'bench', current_date, now(), now(), '$user', '$user' FROM moved)
SELECT (SELECT role FROM writer) IS NOT NULL AS found, (SELECT role FROM writer) AS role, EXISTS (SELECT 1 FROM open) AS open,
  moved.balance, moved.currency
FROM (SELECT 1) AS one LEFT JOIN moved ON true;
SQL
        }
        write_sql "$account" >"$work/write-one.sql"
        spread=()
        for id in "${many[@]}"; do write_sql "$id" >"$work/write-$id.sql"; spread+=(-f "$work/write-$id.sql@1"); done
        pg_write() { # pgbench script arguments...
            PGOPTIONS="-c search_path=$schema" pgbench -n -M prepared -c "$WRITE_CONNS" -j "$THREADS" -T "$DURATION" "$@" "$PG_URL" 2>&1 \
                | awk -F'= ' '/^tps/ {split($2, a, " "); printf "%.0f", a[1]}'
        }
        one=$(pg_write -f "$work/write-one.sql")
        over=$(pg_write "${spread[@]}")
        rps_of() { grep -F "| $1 |" <<<"$writes" | awk -F'|' '{ printf "%.0f", $3 }'; }
        ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "-" }'; }
        echo "Baseline in the same run: pgbench, $WRITE_CONNS clients, running the server's write statement (one round trip, no key)."
        echo
        echo "| write | finance requests/s | pgbench, one statement, txn/s | finance / pgbench |"
        echo "|---|---:|---:|---:|"
        for row in "POST movement, one account:$one" "POST movement, over 32 accounts:$over" "POST movement, one account, Idempotency-Key each:$one"; do
            label=${row%:*}
            echo "| $label | $(rps_of "$label") | ${row##*:} | $(ratio "$(rps_of "$label")" "${row##*:}") |"
        done
        echo
    fi
    kill "$SERVER_PID"
done

# SCALING=0 stops here, for a quicker look at the rows above.
[ "${SCALING:-1}" = 0 ] && exit 0
ROUNDS=${ROUNDS:-5}
echo "## Scaling: 1,000,000 movements over 10 accounts (Postgres)"
echo
echo "Both datasets are served at once and loaded in turn, $ROUNDS rounds, so that drift of the"
echo "shared machine hits both alike. Cells: median requests/s (each round's figure)."
echo
declare -A base_of token_of page_of last_of pid_of
sizes=(10 100000)
for size in "${sizes[@]}"; do
    schema=$(new_schema)
    start_server "scale$size" "$PG_URL?options%5Bsearch_path%5D=$schema" "$REDIS_URL"
    pid_of[$size]=$PID
    base_of[$size]=$BASE
    token=$(sign_in "scale$size" "scale-$run_id@example.com")
    token_of[$size]=$token
    first=""
    for a in $(seq 10); do
        id=$(create_account "$token" "Account $a")
        first=${first:-$id}
    done
    psql -q "$PG_URL" >/dev/null <<SQL
SET search_path = $schema;
INSERT INTO movements (id, account_id, amount, description, category, occurred_on, created_at)
SELECT gen_random_uuid(), a.id, 100, 'seed', NULL, DATE '2020-01-01' + (g % 2000), now()
FROM accounts a, generate_series(1, $size) g;
UPDATE accounts SET balance = (SELECT coalesce(sum(amount), 0) FROM movements m WHERE m.account_id = accounts.id);
VACUUM ANALYZE;
SQL
    # Equal page sizes for both datasets; the last page is the one holding the oldest
    # movements (with 10 per account, that is the first page itself).
    page="$BASE/v1/accounts/$first/movements?limit=10"
    last=$page
    if [ "$size" -gt 10 ]; then
        cursor=$(psql -qAt "$PG_URL" -c "SET search_path = $schema; SELECT occurred_on || '/' || seq FROM movements WHERE account_id = '$first' ORDER BY occurred_on, seq OFFSET 10 LIMIT 1" | tail -n 1 | tr -d '\n' | xxd -p | tr -d '\n')
        last="$page&cursor=$cursor"
        [ "$(curl -fs "$last" -H "Authorization: Bearer $token" | json '["items"].__len__()')" = 10 ] || { echo "bad last page" >&2; exit 1; }
    fi
    page_of[$size]=$page
    last_of[$size]=$last
done

DB_CPU=1
declare -A results
for round in $(seq "$ROUNDS"); do
    for size in "${sizes[@]}"; do
        SERVER_PID=${pid_of[$size]}
        for route in me first last; do
            case $route in
                me) url="${base_of[$size]}/v1/me" ;;
                first) url=${page_of[$size]} ;;
                last) url=${last_of[$size]} ;;
            esac
            rps=$(load x -H "Authorization: Bearer ${token_of[$size]}" "$url" \
                | awk -F'|' '{ if ($6 + 0 > 0) print "errors"; else printf "%.0f", $3 }')
            results[$size.$route]="${results[$size.$route]:-} $rps"
        done
    done
done
cell() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{v[NR] = $1} END {printf "%s (", v[int((NR + 1) / 2)]}'; tr -s ' ' <<<"$1" | sed 's/^ //; s/ / \/ /g; s/$/)/'; }
echo "| data | GET /v1/me | first page (10) | last page (10) |"
echo "|---|---:|---:|---:|"
for size in "${sizes[@]}"; do
    echo "| $((size * 10)) movements | $(cell "${results[$size.me]}") | $(cell "${results[$size.first]}") | $(cell "${results[$size.last]}") |"
done
