#!/usr/bin/env bash
# Benchmark of the home page: requests/s and latency percentiles at 64 connections
# (wrk, on loopback), and the resident memory of `serve` when idle and after the load.
# The machine is shared and one run differs from the next by a fifth or more, so after a
# warm-up it measures ROUNDS runs and prints each and their medians.
# Prints figures; never fails on them. Usage: bench/home.sh [seconds] [sqlite|postgres] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-15}
backend=${2:-sqlite}
rounds=${3:-3}

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
figures() { awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +90%/ {p90=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad=$NF} END {print rps, p50, p90, p99, (bad == "" ? 0 : bad)}'; }
# Percentiles as wrk prints them (12.3us, 4.5ms, 1.2s), in milliseconds.
ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.2f\n", v}'; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
wrk -t2 -c64 -d"${secs}s" "http://127.0.0.1:$port/" >/dev/null   # warm-up
: > "$dir/runs"
for r in $(seq 1 "$rounds"); do
  read -r rps p50 p90 p99 bad < <(wrk -t2 -c64 -d"${secs}s" --latency "http://127.0.0.1:$port/" | figures)
  echo "$rps $(echo "$p50" | ms) $(echo "$p90" | ms) $(echo "$p99" | ms) $bad" >> "$dir/runs"
  echo "round $r: $rps requests/s, p50 $(echo "$p50" | ms) ms, p90 $(echo "$p90" | ms) ms, p99 $(echo "$p99" | ms) ms, non-2xx $bad"
done
col() { cut -d' ' -f"$1" "$dir/runs" | median; }
echo "median of $rounds rounds: $(col 1) requests/s, p50 $(col 2) ms, p90 $(col 3) ms, p99 $(col 4) ms"
echo "non-2xx responses in all rounds: $(cut -d' ' -f5 "$dir/runs" | awk '{s+=$1} END {print s}')"
echo "resident memory after the load: $(rss)"
