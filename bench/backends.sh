#!/usr/bin/env bash
# The public event page on SQLite and on PostgreSQL, side by side in one run: each binary
# serves the demo data twice (`serve --demo`), once on a SQLite file and once on a fresh
# PostgreSQL database, and wrk measures every server in turn, ROUNDS times, for an anonymous
# visitor and for the demo member logged in, so that the machine's drift from minute to
# minute falls on all of them alike. Before measuring, every server must answer the page with
# 200, the member's page must show the logout button (the member is logged in), and both
# backends must send pages of the same size; any round that met an error or an answer other
# than 200 is printed. Prints each round, the medians and PostgreSQL's rate as a share of
# SQLite's; never fails on them.
#
# Usage: bench/backends.sh SECS ROUNDS [BINARY...]   (default: the release build here)
# PostgreSQL: PGHOST, PGPORT and PGUSER (default 127.0.0.1, 5432, postgres), a user that
# may create databases (with `createdb`; each is dropped at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
rounds=${2:-5}
shift 2 || true
pghost=${PGHOST:-127.0.0.1}; pgport=${PGPORT:-5432}; pguser=${PGUSER:-postgres}
pgopts=(-h "$pghost" -p "$pgport" -U "$pguser")

command -v wrk >/dev/null || { apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null; }
bins=()
if [ $# -eq 0 ]; then
  cargo build --release --quiet
  bins+=("${CARGO_TARGET_DIR:-$PWD/target}/release/socialhub")
else
  for b in "$@"; do bins+=("$(realpath "$b")"); done
fi

dir=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pids=(); dbs=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for d in "${dbs[@]}"; do dropdb "${pgopts[@]}" --force "$d" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT

# One server per binary and backend: names[i] is "k backend", bases[i] its address.
names=(); bases=()
for k in "${!bins[@]}"; do
  for backend in sqlite postgres; do
    p=$(free_port); s="$dir/s$k-$backend"; mkdir -p "$s"
    if [ "$backend" = postgres ]; then
      db="sh_bench_$$_$k"
      createdb "${pgopts[@]}" "$db"
      dbs+=("$db"); url="postgres://$pguser@$pghost:$pgport/$db"
    else
      url="sqlite://$s/socialhub.sqlite3"
    fi
    (cd "$s" && SOCIALHUB_LOG=warn SOCIALHUB_TRUST_PROXY=true SOCIALHUB_MAILBOX_DIR="$s/mailbox" \
      SOCIALHUB_DATABASE_URL="$url" exec "${bins[$k]}" serve --listen "127.0.0.1:$p" --demo >"$s/log" 2>&1) &
    pids+=($!); names+=("$k $backend"); bases+=("http://127.0.0.1:$p")
  done
done
for i in "${!bases[@]}"; do
  for _ in $(seq 1 300); do curl -fs "${bases[$i]}/healthz" >/dev/null && break; sleep 0.2; done
  curl -fs "${bases[$i]}/healthz" >/dev/null || { echo "server ${names[$i]} did not start:" >&2; cat "$dir/s${names[$i]// /-}/log" >&2; exit 1; }
done

# The demo member logs in on each server (GET /login for the CSRF cookie and token, then
# POST /login); wrk then sends the login session's cookie, as the browser would.
paths=(); cookies=()
for i in "${!bases[@]}"; do
  base=${bases[$i]}; jar="$dir/jar$i"
  paths+=("$(curl -fs "$base/events" | grep -o 'href="/events/[0-9]*"' | head -n 1 | cut -d'"' -f2)")
  token=$(curl -fs -c "$jar" "$base/login" | grep -o 'name="csrf_token" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//')
  code=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" --data-urlencode "csrf_token=$token" \
    --data-urlencode "email=member@example.jp" --data-urlencode "password=socialhub-demo" "$base/login")
  [ "$code" = 303 ] || { echo "server ${names[$i]}: logging in answered $code, not 303" >&2; exit 1; }
  cookies+=("sh_session=$(awk '$6 == "sh_session" {print $7}' "$jar"); sh_csrf=$(awk '$6 == "sh_csrf" {print $7}' "$jar")")
done

# Every page answers 200; the member's shows the logout button and the visitor's does not;
# the two backends' pages have the same size (the same demo data, the same template).
check() { # i who -> size
  local i=$1 who=$2 out code
  if [ "$who" = member ]; then out=$(curl -s -w '\n%{http_code}' -H "Cookie: ${cookies[$i]}" "${bases[$i]}${paths[$i]}")
  else out=$(curl -s -w '\n%{http_code}' "${bases[$i]}${paths[$i]}"); fi
  code=${out##*$'\n'}; out=${out%$'\n'*}
  [ "$code" = 200 ] || { echo "server ${names[$i]}, $who: the page answered $code" >&2; exit 1; }
  if [ "$who" = member ] && ! grep -q 'action="/logout"' <<<"$out"; then echo "server ${names[$i]}: the member is not logged in" >&2; exit 1; fi
  if [ "$who" = visitor ] && grep -q 'action="/logout"' <<<"$out"; then echo "server ${names[$i]}: the visitor is logged in" >&2; exit 1; fi
  printf '%s' "$out" | wc -c
}
for k in "${!bins[@]}"; do
  for who in visitor member; do
    a=$(check $((2 * k)) $who); b=$(check $((2 * k + 1)) $who)
    [ "$a" = "$b" ] || { echo "binary $k, $who: SQLite sends $a bytes, PostgreSQL $b" >&2; exit 1; }
    echo "binary $k (${bins[$k]}), $who: ${paths[$((2 * k))]} on SQLite and ${paths[$((2 * k + 1))]} on PostgreSQL, 200, $a bytes each"
  done
done

cat > "$dir/bytes.lua" <<'LUA'
-- Only a summary at the end: a response() callback would slow wrk down.
done = function(summary, latency, requests)
  if summary.requests > 0 then io.write(string.format("bytes per response %.0f\n", summary.bytes / summary.requests)) end
end
LUA
run() { # i who [secs]
  local i=$1 who=$2 d=${3:-$secs}
  if [ "$who" = member ]; then
    wrk -t2 -c64 -d"${d}s" --latency -s "$dir/bytes.lua" -H "Cookie: ${cookies[$i]}" "${bases[$i]}${paths[$i]}"
  else
    wrk -t2 -c64 -d"${d}s" --latency -s "$dir/bytes.lua" "${bases[$i]}${paths[$i]}"
  fi
}
# Requests/s, p99 in ms, bytes per response, and any errors or answers but 200.
figures() {
  awk '/Requests\/sec/ {rps=$2} /^ +99%/ {p=$2} /bytes per response/ {bytes=$4}
       /Non-2xx|Socket errors/ {sub(/^ +/, ""); bad=bad " (" $0 ")"}
       END {v=p; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000};
            printf "%s %.2f %s%s\n", rps, v, bytes, bad}'
}
for i in "${!bases[@]}"; do run "$i" visitor 2 >/dev/null; run "$i" member 2 >/dev/null; done # warm-up

: > "$dir/results"
for r in $(seq 1 "$rounds"); do
  for i in "${!bases[@]}"; do
    for who in visitor member; do
      read -r rps p99 bytes bad < <(run "$i" $who | figures)
      echo "${names[$i]} $who $rps $p99" >> "$dir/results"
      printf 'round %s: binary %s, %-8s %-7s %9s requests/s, p99 %6s ms, %s bytes a response%s\n' \
        "$r" ${names[$i]} "$who" "$rps" "$p99" "$bytes" "${bad:+ — ERRORS:$bad}"
      [ -z "$bad" ] || echo "  round $r, binary ${names[$i]}, $who:$bad" >&2
    done
  done
done

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo "socialhub $(git rev-parse --short HEAD 2>/dev/null || echo '?') — event page, $(nproc) cores, wrk -t2 -c64 -d${secs}s, median of $rounds rounds"
for k in "${!bins[@]}"; do
  echo "binary $k: ${bins[$k]}"
  for who in visitor member; do
    for backend in sqlite postgres; do
      rps=$(awk -v k="$k" -v b=$backend -v w=$who '$1 == k && $2 == b && $3 == w {print $4}' "$dir/results" | median)
      p99=$(awk -v k="$k" -v b=$backend -v w=$who '$1 == k && $2 == b && $3 == w {print $5}' "$dir/results" | median)
      printf '  %-8s %-9s %9s requests/s, p99 %s ms\n' "$who" "$backend" "$rps" "$p99"
      eval "rps_$backend=$rps"
    done
    python3 -c "print(f'  {\"$who\":<8} PostgreSQL / SQLite: {float(\"$rps_postgres\") / float(\"$rps_sqlite\") * 100:.1f}%')"
  done
done
