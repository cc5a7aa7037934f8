#!/usr/bin/env bash
# Benchmark of the home page: requests/s and latency percentiles at 64 connections
# (wrk, on loopback), and the resident memory of `serve` when idle and after the load.
# Prints figures; never fails on them. Usage: bench/home.sh [seconds] [sqlite|postgres]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-15}
backend=${2:-sqlite}

command -v wrk >/dev/null || { apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null; }
cargo build --release --quiet
bin=target/release/socialhub

dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
if [ "$backend" = postgres ]; then
  db="sh_bench_$$"
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $db" >/dev/null
  url="postgres://postgres@127.0.0.1:5432/$db"
  trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"; psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null' EXIT
else
  url="sqlite://$dir/bench.sqlite3"
fi
(cd "$dir" && SOCIALHUB_LOG=warn SOCIALHUB_DATABASE_URL="$url" exec "$OLDPWD/$bin" serve --listen "127.0.0.1:$port") &
pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
sleep 1
rss() { awk '/VmRSS/ {printf "%.1f MB", $2/1024}' "/proc/$pid/status"; }
idle=$(rss)
curl -fs -o /dev/null "http://127.0.0.1:$port/"   # warm the page once

echo "socialhub $(git rev-parse --short HEAD 2>/dev/null || echo '?') — home page, $backend, $(nproc) cores"
echo "idle resident memory of serve: $idle"
out=$(wrk -t2 -c64 -d"${secs}s" --latency "http://127.0.0.1:$port/")
echo "$out" | awk '/Requests\/sec/ {print "requests/s: " $2} /^ +50%/ {print "p50: " $2} /^ +90%/ {print "p90: " $2} /^ +99%/ {print "p99: " $2} /Non-2xx/ {print "non-2xx responses: " $NF}'
echo "resident memory after the load: $(rss)"
