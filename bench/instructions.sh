#!/usr/bin/env bash
# Instructions per request of one page, counted by valgrind's callgrind on the release
# build: repeatable to the instruction whatever else the machine is doing, so a change to
# a hot path can be judged by one run where wall-clock benchmarks vary by a fifth.
# Serves the demo data on SQLite, warms up with 300 requests, counts N more on one
# keep-alive connection. Prints figures; never fails on them.
# Usage: bench/instructions.sh [path] [requests]   (path defaults to the first event page)
set -euo pipefail
cd "$(dirname "$0")/.."
path=${1:-}
n=${2:-2000}
command -v valgrind >/dev/null || { apt-get update -qq >/dev/null && apt-get install -y -qq valgrind >/dev/null; }
cargo build --release --quiet
bin=$PWD/target/release/socialhub

dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# The demo data first, so that callgrind counts only the serving.
(cd "$dir" && SOCIALHUB_LOG=warn "$bin" demo >/dev/null)
(cd "$dir" && SOCIALHUB_LOG=warn SOCIALHUB_WORKERS=1 SOCIALHUB_MAILBOX_DIR="$dir/mailbox" \
  exec valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.%p" "$bin" serve --listen "127.0.0.1:$port" \
  >/dev/null 2>"$dir/valgrind.log") &
pid=$!
trap 'kill -INT "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
[ -n "$path" ] || path=$(curl -fs "http://127.0.0.1:$port/events" | grep -o 'href="/events/[0-9]*"' | head -n 1 | cut -d'"' -f2)
requests() {
  python3 - "$port" "$path" "$1" <<'PY'
import http.client, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
for _ in range(int(sys.argv[3])):
    c.request("GET", sys.argv[2]); r = c.getresponse(); r.read()
    assert r.status == 200, r.status
PY
}
requests 300
callgrind_control -z "$pid" >/dev/null 2>&1
requests "$n"
callgrind_control -d "$pid" >/dev/null 2>&1
total=$(grep -h '^summary:' "$dir"/callgrind.*.1 | awk '{print $2}')
echo "socialhub $(git rev-parse --short HEAD 2>/dev/null || echo '?') — $path, $n requests under callgrind"
echo "instructions: $total in all, $((total / n)) per request"
