#!/usr/bin/env bash
# Benchmark of the annual report on generated data: 20 centers, 10 fiscal years, one
# 情報交換会 a month, 1,000,000 attendances in all (about 417 a session), 2,000 people a
# center. Times `socialhub report annual` (the whole command: start, connect, count,
# write JSON) for one center's year, and the same through the secretariat's page.
# Prints figures; never fails on them. Usage: bench/report.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
command -v sqlite3 >/dev/null || { apt-get update -qq >/dev/null && apt-get install -y -qq sqlite3 >/dev/null; }
cargo build --release --quiet
bin=$PWD/target/release/socialhub
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
"$bin" migrate >/dev/null

start=$(date +%s.%N)
sqlite3 socialhub.sqlite3 <<'SQL'
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE t(n) AS (SELECT 2 UNION ALL SELECT n + 1 FROM t WHERE n < 20)
INSERT INTO tenant (id, slug, name, created_at) SELECT n, 'center' || n, 'Center ' || n, '2014-01-01T00:00:00+00:00' FROM t;
WITH RECURSIVE p(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM p WHERE n < 39999)
INSERT INTO person (id, tenant_id, email, name, sector, affiliation, created_at)
SELECT n + 1, n / 2000 + 1, 'p' || n || '@example.jp', 'Person ' || n,
       CASE n % 10 WHEN 0 THEN 'citizen' WHEN 1 THEN 'citizen' WHEN 2 THEN 'company' WHEN 3 THEN 'university'
                   WHEN 4 THEN 'npo' WHEN 5 THEN 'npo' WHEN 6 THEN 'npo' WHEN 7 THEN 'government'
                   WHEN 8 THEN 'npo' ELSE 'councilor' END, '', '2014-01-01T00:00:00+00:00'
FROM p;
-- 20 centers × 10 years × 12 months = 2,400 sessions, FY2014 … FY2023.
WITH RECURSIVE e(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM e WHERE n < 2399)
INSERT INTO event (id, tenant_id, kind, title, starts_at, ends_at, status, checkin_code, created_at, updated_at)
SELECT n + 1, n / 120 + 1, 'info_exchange', '情報交換会 ' || n,
       strftime('%Y-%m-%dT%H:%M:%S+00:00', '2014-04-15 10:00:00', '+' || (n % 120) || ' months'),
       strftime('%Y-%m-%dT%H:%M:%S+00:00', '2014-04-15 11:30:00', '+' || (n % 120) || ' months'),
       'published', 'CODE' || n, '2014-01-01T00:00:00+00:00', '2014-01-01T00:00:00+00:00'
FROM e;
-- 1,000,000 attendances: each session gets 416 or 417 of its center's people.
WITH RECURSIVE a(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM a WHERE n < 999999)
INSERT INTO attendance (tenant_id, event_id, person_id, sector, mode, first_time, source, created_at)
SELECT ev.tenant_id, ev.id, pe.id, pe.sector, CASE n % 3 WHEN 0 THEN 'online' ELSE 'venue' END,
       CASE WHEN n % 7 = 0 THEN 1 ELSE 0 END, 'import', '2014-01-01T00:00:00+00:00'
FROM a
JOIN event ev ON ev.id = n % 2400 + 1
JOIN person pe ON pe.id = (ev.tenant_id - 1) * 2000 + (n / 2400) % 2000 + 1;
COMMIT;
ANALYZE;
SQL
gen=$(python3 -c "print(round($(date +%s.%N) - $start))")
count=$(sqlite3 socialhub.sqlite3 "SELECT COUNT(*) FROM attendance")

times=()
for _ in $(seq 1 "$runs"); do
  t0=$(date +%s%N)
  "$bin" report annual --fiscal-year 2020 --format json --tenant center7 >/dev/null
  t1=$(date +%s%N)
  times+=($(( (t1 - t0) / 1000000 )))
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")
worst=$(echo "$sorted" | tail -n 1)
events=$("$bin" report annual --fiscal-year 2020 --format json --tenant center7 | python3 -c 'import json,sys; r=json.load(sys.stdin); print(len(r["events"]), r["totals"]["participants"])')

echo "socialhub $(git -C "$OLDPWD" rev-parse --short HEAD 2>/dev/null || echo '?') — annual report, SQLite, $(nproc) cores"
echo "generated: $count attendances, 2,400 sessions, 20 centers, 10 fiscal years in ${gen} s"
echo "one center's FY2020 (sessions, attendances): $events"
echo "socialhub report annual --format json, whole command, $runs runs: median ${median} ms, slowest ${worst} ms"
