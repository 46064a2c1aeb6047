#!/usr/bin/env bash
# Search and reports at scale: for 100 and for 1,000,000 movements (10 accounts, 2,000
# days from 2020-01-01, 8 categories and the uncategorised, 0.1% of descriptions holding
# "needle", and the first of each account), on Postgres and on SQLite, the p50 and p99 latency at one connection of
#   - a text search matching 0.1% of movements, first page of 50 (GET /v1/movements?q=),
#   - a 12-month cash-flow report by month and category,
#   - a 12-month net-worth report by month,
#   - an account's balance at the end of a day a month before its last movement
#     (GET /v1/accounts/{id}/balance?on=, issue 29: its balance less what is dated after).
# Targets (issue 17): under 50 ms, 200 ms and 200 ms p50 at 1,000,000. One movement in
# ten (SPLIT=10, by its seq; SPLIT=0 for none) is split in two parts (issue 28), which
# the cash flow then sums by part.
#
#   bash bench/reports.sh            # DURATION=5 by default
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-5}
SPLIT=${SPLIT:-10}

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
PG_URL=${FINANCE_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
REDIS_URL=${FINANCE_TEST_REDIS_URL:-redis://127.0.0.1:6379}

source bench/lib.sh

# p50 and p99 of one route at one connection.
latency() { # TOKEN URL
    wrk -t1 -c1 -d"${DURATION}s" --latency -H "Authorization: Bearer $1" "$2" \
        | awk '$1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2} /Non-2xx/ {bad = $5} END {printf "%s / %s%s", p50, p99, bad ? " (" bad " errors)" : ""}'
}

# Fills the SQLite file at $1 with $2 movements per account of its accounts.
fill_sqlite() {
    python3 - "$1" "$2" <<'PY'
import sqlite3, sys, uuid, datetime
path, per = sys.argv[1], int(sys.argv[2])
db = sqlite3.connect(path)
accounts = [r[0] for r in db.execute("SELECT id FROM accounts")]
cats = ["food", "rent", "travel", "fun", "health", "gifts", "tax", "pay", None]
start = datetime.date(2020, 1, 1)
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
       DATE '2020-01-01' + (g % 2000), now(), now()
FROM accounts a, generate_series(1, $2) g;
UPDATE accounts SET balance = (SELECT coalesce(sum(amount), 0) FROM movements m WHERE m.account_id = accounts.id);
$(split_sql)
VACUUM ANALYZE;
SQL
}

search="/v1/movements?q=needle&limit=50"
flow="/v1/reports/cash-flow?from=2024-07-01&to=2025-06-30&step=month"
worth="/v1/reports/net-worth?from=2024-07-01&to=2025-06-30&step=month&currency=EUR"

echo "# Search and reports at scale"
echo
echo "- when: $(date -u +%Y-%m-%dT%H:%MZ); machine: $(nproc) cores; wrk, 1 connection, ${DURATION}s per cell; cells: p50 / p99"
echo "- split: $([ "$SPLIT" -gt 0 ] && echo "one movement in $SPLIT, in two parts" || echo none)"
echo
echo "| engine | movements | search, 0.1% match, first 50 | cash flow, 12 months by category | net worth, 12 months | balance on a day |"
echo "|---|---:|---:|---:|---:|---:|"
for backend in postgres sqlite; do
    for per in 10 100000; do
        name="$backend$per"
        if [ "$backend" = postgres ]; then
            schema=$(new_schema)
            start_server "$name" "$PG_URL?options%5Bsearch_path%5D=$schema" "$REDIS_URL"
        else
            start_server "$name" "sqlite://$work/$name/finance.db"
        fi
        token=$(sign_in "$name" "reports-$run_id@example.com")
        first=$(create_account "$token" "Account 1")
        for a in $(seq 2 10); do create_account "$token" "Account $a" >/dev/null; done
        t0=$(date +%s)
        if [ "$backend" = postgres ]; then
            fill_pg "$schema" "$per"
        else
            kill "$PID"
            wait "$PID" 2>/dev/null || true
            fill_sqlite "$work/$name/finance.db" "$per"
            start_server "$name" "sqlite://$work/$name/finance.db"
        fi
        echo "filled $name in $(( $(date +%s) - t0 )) s" >&2
        found=$(curl -fs "$BASE$search" -H "Authorization: Bearer $token" | json '["items"].__len__()')
        [ "$found" -gt 0 ] || { echo "the search found nothing" >&2; exit 1; }
        echo "| $backend | $((per * 10)) | $(latency "$token" "$BASE$search") | $(latency "$token" "$BASE$flow") | $(latency "$token" "$BASE$worth") | $(latency "$token" "$BASE/v1/accounts/$first/balance?on=2025-05-23") |"
        kill "$PID"
    done
done
