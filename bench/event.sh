#!/usr/bin/env bash
# Benchmark of the public event page, rendered fresh on every request (no cache), for an
# anonymous visitor and for the demo member logged in, side by side in the same run with
# nginx serving the visitor's page's bytes as a static file; and of registrations committed
# durably (SQLite synchronous=FULL), each from its own address. The machine is shared and
# runs vary by a fifth or more from one to the next, so the page (visitor, member) and nginx
# are measured in turn, ROUNDS times, and the medians are compared.
# Prints figures; never fails on them. Usage: bench/event.sh [seconds] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-15}
rounds=${2:-5}

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
if [ ${#need[@]} -gt 0 ]; then apt-get update -qq >/dev/null && apt-get install -y -qq "${need[@]}" >/dev/null; fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-$PWD/target}/release/socialhub

dir=$(mktemp -d)
# nginx's workers run as nobody when started by root: they must be able to read the page
# (in a private directory they answer every request 403 Forbidden, fast and small).
chmod 755 "$dir"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
nport=$(free_port)
cleanup() {
  kill "$pid" 2>/dev/null || true
  [ -f "$dir/nginx.pid" ] && kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
(cd "$dir" && SOCIALHUB_LOG=warn SOCIALHUB_TRUST_PROXY=true SOCIALHUB_MAILBOX_DIR="$dir/mailbox" \
  exec "$bin" serve --listen "127.0.0.1:$port" --demo >/dev/null) &
pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
path=$(curl -fs "http://127.0.0.1:$port/events" | grep -o 'href="/events/[0-9]*"' | head -n 1 | cut -d'"' -f2)
url="http://127.0.0.1:$port$path"

# nginx serves the same bytes as a static file.
mkdir -p "$dir/www"
curl -fs "$url" > "$dir/www/event.html"
cat > "$dir/nginx.conf" <<CONF
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$nport;
    root $dir/www;
    location / { default_type text/html; }
  }
}
CONF
"$nginx_bin" -c "$dir/nginx.conf" -p "$dir"
sleep 0.5
# The comparison is void unless nginx answers 200 with exactly the page's bytes.
if ! curl -fs "http://127.0.0.1:$nport/event.html" | cmp -s - "$dir/www/event.html"; then
  echo "nginx does not serve the page's bytes:" >&2; cat "$dir/nginx-error.log" >&2; exit 1
fi

# The demo member logs in (GET /login for the CSRF cookie and token, then POST /login); wrk
# sends the login session's cookie, as the browser would. The member's page must show the
# logout button, and the visitor's must not.
token=$(curl -fs -c "$dir/member" "http://127.0.0.1:$port/login" | grep -o 'name="csrf_token" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//')
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$dir/member" -c "$dir/member" --data-urlencode "csrf_token=$token" \
  --data-urlencode "email=member@example.jp" --data-urlencode "password=socialhub-demo" "http://127.0.0.1:$port/login")
[ "$code" = 303 ] || { echo "logging in as the demo member answered $code, not 303" >&2; exit 1; }
cookie="sh_session=$(awk '$6 == "sh_session" {print $7}' "$dir/member"); sh_csrf=$(awk '$6 == "sh_csrf" {print $7}' "$dir/member")"
out=$(curl -s -w '\n%{http_code}' -H "Cookie: $cookie" "$url")
[ "${out##*$'\n'}" = 200 ] || { echo "the member's event page answered ${out##*$'\n'}" >&2; exit 1; }
grep -q 'action="/logout"' <<<"${out%$'\n'*}" || { echo "the member is not logged in on the event page" >&2; exit 1; }
if grep -q 'action="/logout"' "$dir/www/event.html"; then echo "the visitor is logged in" >&2; exit 1; fi
echo "event page $path: visitor $(wc -c < "$dir/www/event.html") bytes, member $(printf '%s' "${out%$'\n'*}" | wc -c) bytes, both 200"

run() { wrk -t2 -c64 -d"${secs}s" --latency "$@"; }
figures() { awk '/Requests\/sec/ {rps=$2} /^ +99%/ {p99=$2} END {print rps, p99}'; }
# p99 as wrk prints it (12.3us, 4.5ms, 1.2s), in milliseconds.
ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.2f\n", v}'; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
: > "$dir/app"; : > "$dir/member"; : > "$dir/ngx"
run "$url" >/dev/null # warm-up
run -H "Cookie: $cookie" "$url" >/dev/null
# A round that met errors or any answer but 200 says so: its rate is not the page's.
failures() { grep -E 'Non-2xx|Socket errors' | sed "s/^ */  $1, round $r: /" >&2 || true; }
for r in $(seq 1 "$rounds"); do
  out=$(run "$url"); echo "$out" | failures "event page"
  read -r rps p99 < <(echo "$out" | figures); echo "$rps $(echo "$p99" | ms)" >> "$dir/app"
  out=$(run -H "Cookie: $cookie" "$url"); echo "$out" | failures "member's event page"
  read -r rps p99 < <(echo "$out" | figures); echo "$rps $(echo "$p99" | ms)" >> "$dir/member"
  out=$(run "http://127.0.0.1:$nport/event.html"); echo "$out" | failures nginx
  read -r rps p99 < <(echo "$out" | figures); echo "$rps $(echo "$p99" | ms)" >> "$dir/ngx"
  line() { sed -n "${r}p" "$1" | awk '{print $1 " requests/s, p99 " $2 " ms"}'; }
  echo "round $r: event page $(line "$dir/app"); member $(line "$dir/member"); nginx $(line "$dir/ngx")"
done
app_rps=$(cut -d' ' -f1 "$dir/app" | median); app_p99=$(cut -d' ' -f2 "$dir/app" | median)
mem_rps=$(cut -d' ' -f1 "$dir/member" | median); mem_p99=$(cut -d' ' -f2 "$dir/member" | median)
ngx_rps=$(cut -d' ' -f1 "$dir/ngx" | median); ngx_p99=$(cut -d' ' -f2 "$dir/ngx" | median)

# Registrations: every request a new person from a new address, on the same event.
page=$(curl -fs -c "$dir/cookies" "$url")
token=$(echo "$page" | grep -o 'name="csrf_token" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//')
nonce=$(awk '$6 == "sh_csrf" {print $7}' "$dir/cookies")
cat > "$dir/register.lua" <<LUA
-- Each wrk thread has its own Lua state: number the threads so people never repeat.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  math.randomseed(tid * 7919 + os.time())
end
local n = 0
request = function()
  n = n + 1
  local id = tid .. "-" .. math.random(1, 1000000000) .. "-" .. n
  local body = "csrf_token=$token&mode=online&name=bench&furigana=%E3%83%99%E3%83%B3%E3%83%81&email=p" .. id .. "%40example.jp&sector=citizen&consent=yes"
  local headers = {}
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  headers["Cookie"] = "sh_csrf=$nonce"
  headers["X-Forwarded-For"] = "10." .. tid .. "." .. (math.floor(n / 250) % 250) .. "." .. (n % 250 + 1)
  return wrk.format("POST", "$path/registrations", headers, body)
end
LUA
reg=$(wrk -t2 -c16 -d"${secs}s" --latency -s "$dir/register.lua" "http://127.0.0.1:$port" )
reg_rps=$(echo "$reg" | awk '/Requests\/sec/ {print $2}')
reg_p99=$(echo "$reg" | awk '/^ +99%/ {print $2}')
non2xx=$(echo "$reg" | awk '/Non-2xx/ {print $NF}')
stored=$(cd "$dir" && sqlite3 socialhub.sqlite3 "SELECT COUNT(*) FROM registration" 2>/dev/null || echo "?")

echo "socialhub $(git rev-parse --short HEAD 2>/dev/null || echo '?') — event page $path, $(nproc) cores, wrk -t2 -c64 -d${secs}s, median of $rounds rounds"
echo "event page, rendered fresh:   $app_rps requests/s, p99 $app_p99 ms"
echo "the same, member logged in:   $mem_rps requests/s, p99 $mem_p99 ms"
echo "nginx, same bytes as a file:  $ngx_rps requests/s, p99 $ngx_p99 ms"
python3 -c "print(f'ratio socialhub / nginx:       {float(\"$app_rps\") / float(\"$ngx_rps\") * 100:.1f}%')"
echo "registrations (16 connections, each a new person, SQLite synchronous=FULL): $reg_rps/s, p99 $reg_p99, non-2xx ${non2xx:-0}, stored $stored"
