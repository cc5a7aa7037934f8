#!/usr/bin/env bash
# Compares builds of socialhub on the event page in one run: each binary serves its own
# copy of the demo data, and wrk measures them and nginx (the same page's bytes as a static
# file) in turn, ROUNDS times, so that the machine's drift from minute to minute falls on
# all of them alike. Build the binaries first (e.g. copy target/release/socialhub aside at
# each commit). Prints each round's requests/s and p99; never fails on them.
# Usage: bench/compare.sh SECS ROUNDS BINARY...
set -euo pipefail
secs=$1; rounds=$2; shift 2
bins=()
for b in "$@"; do bins+=("$(realpath "$b")"); done
command -v wrk >/dev/null && [ -x /usr/sbin/nginx ] || { apt-get update -qq >/dev/null && apt-get install -y -qq wrk nginx-light >/dev/null; }
dir=$(mktemp -d)
# nginx's workers run as nobody when started by root: they must be able to read the page
# (in a private directory they answer every request 403 Forbidden, fast and small).
chmod 755 "$dir"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pids=(); ports=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -f "$dir/nginx.pid" ]; then kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
i=0
for b in "${bins[@]}"; do
  p=$(free_port); mkdir -p "$dir/s$i"
  (cd "$dir/s$i" && SOCIALHUB_LOG=warn SOCIALHUB_TRUST_PROXY=true SOCIALHUB_MAILBOX_DIR="$dir/s$i/mb" exec "$b" serve --listen "127.0.0.1:$p" --demo >/dev/null) &
  pids+=($!); ports+=($p); i=$((i+1))
done
for p in "${ports[@]}"; do for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$p/healthz" >/dev/null && break; sleep 0.2; done; done
path=$(curl -fs "http://127.0.0.1:${ports[0]}/events" | grep -o 'href="/events/[0-9]*"' | head -n 1 | cut -d'"' -f2)
nport=$(free_port); mkdir -p "$dir/www"; curl -fs "http://127.0.0.1:${ports[0]}$path" > "$dir/www/event.html"
cat > "$dir/nginx.conf" <<CONF
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log;
events { worker_connections 1024; }
http { access_log off; server { listen 127.0.0.1:$nport; root $dir/www; location / { default_type text/html; } } }
CONF
/usr/sbin/nginx -c "$dir/nginx.conf" -p "$dir"; sleep 0.5
# The comparison is void unless nginx answers 200 with exactly the page's bytes.
if ! curl -fs "http://127.0.0.1:$nport/event.html" | cmp -s - "$dir/www/event.html"; then
  echo "nginx does not serve the page's bytes:" >&2; cat "$dir/nginx-error.log" >&2; exit 1
fi
echo "page $path, $(wc -c < "$dir/www/event.html") bytes"
for p in "${ports[@]}"; do wrk -t2 -c64 -d2s "http://127.0.0.1:$p$path" >/dev/null; done
# Requests/s and p99 of a wrk run, and any errors or answers but 200 it met.
figures() { awk '/Requests\/sec/ {rps=$2} /^ +99%/ {p99=$2} /Non-2xx|Socket errors/ {sub(/^ +/, ""); bad=bad " (" $0 ")"} END {print rps, p99 bad}'; }
for r in $(seq 1 "$rounds"); do
  line="round $r:"
  for k in "${!ports[@]}"; do
    f=$(wrk -t2 -c64 -d"${secs}s" --latency "http://127.0.0.1:${ports[$k]}$path" | figures)
    line="$line  [$k] $f"
  done
  f=$(wrk -t2 -c64 -d"${secs}s" --latency "http://127.0.0.1:$nport/event.html" | figures)
  echo "$line  [nginx] $f"
done
