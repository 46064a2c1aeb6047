#!/usr/bin/env bash
# A bank file imported in one request (one transaction), on Postgres (with and without
# the trigram index that serves description search) and on SQLite, then the same file
# again (every row a duplicate). Prints Markdown.
#
#   bash bench/imports.sh               # 10,000 rows, 50 rules; target (issues 18, 28): under 2 s
#   RULES=0 bash bench/imports.sh       # without rules
#   ROWS=200000 bash bench/imports.sh   # a full 10 MiB file; target (issue 25): under 10 s
#
# The rules (issue 28): 40 rename rows by text ("Shop 7" contains-matches Shop 7, 70-79)
# and tag them, 10 categorise by a regular expression; every row meets all 50, most match
# several, and each added tag is a row of its own.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${ROWS:-10000}
RULES=${RULES:-50}
PG_URL=${FINANCE_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
REDIS_URL=${FINANCE_TEST_REDIS_URL:-redis://127.0.0.1:6379}

source bench/lib.sh

python3 - "$ROWS" >"$work/statement.csv" <<'PY'
import sys, datetime
n = int(sys.argv[1])
print("date,amount,description,category,id")
start = datetime.date(2025, 1, 1)
for i in range(n):
    day = start + datetime.timedelta(days=i % 365)
    print(f"{day},{'-' if i % 5 else ''}{i % 300 + 1}.{i % 100:02d},Shop {i % 97},cat{i % 9},TX{i:07d}")
PY

echo "# Bank file import, $ROWS rows"
echo
echo "- when: $(date -u +%Y-%m-%dT%H:%MZ); machine: $(nproc) cores; one request each, wall time from curl"
echo "- file: $(du -h "$work/statement.csv" | cut -f1); $RULES rules"
echo
echo "| engine | first import | added | the same file again | duplicates |"
echo "|---|---:|---:|---:|---:|"
for backend in postgres postgres-no-trgm sqlite; do
    if [ "$backend" = sqlite ]; then
        start_server sqlite "sqlite://$work/sqlite/finance.db"
    else
        schema=$(new_schema)
        start_server "$backend" "$PG_URL?options%5Bsearch_path%5D=$schema" "$REDIS_URL"
        # What the trigram index (description search) costs an import: the same without it.
        if [ "$backend" = postgres-no-trgm ]; then
            psql -q "$PG_URL" -c "DROP INDEX $schema.movements_description_trgm" >/dev/null
        fi
    fi
    token=$(sign_in "$backend" "imports-$run_id-$backend@example.com")
    account=$(create_account "$token" "Bank")
    for r in $(seq 0 $((RULES - 1))); do
        if [ "$r" -lt 40 ]; then
            rule="{\"name\":\"r$r\",\"when\":{\"description_contains\":\"shop $r\"},\"then\":{\"description\":\"Store $r\",\"add_tags\":[\"t$((r % 4))\"]}}"
        else
            rule="{\"name\":\"r$r\",\"when\":{\"description_matches\":\"^Shop $((r - 40))[0-9]\$\"},\"then\":{\"category\":\"c$r\",\"add_tags\":[\"re\"]}}"
        fi
        curl -fs -o /dev/null -X POST "$BASE/v1/rules" -H "Authorization: Bearer $token" \
            -H 'Content-Type: application/json' -d "$rule"
    done
    cells=""
    for round in 1 2; do
        out=$(curl -fs -o "$work/answer.json" -w '%{time_total}' -X POST "$BASE/v1/accounts/$account/imports" \
            -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' --data-binary @"$work/statement.csv")
        key=$([ "$round" = 1 ] && echo added || echo duplicates)
        count=$(json "[\"$key\"]" <"$work/answer.json")
        cells="$cells | $(awk -v t="$out" 'BEGIN { printf "%.2f s", t }') | $count"
    done
    echo "| $backend$cells |"
    kill "$PID"
done
