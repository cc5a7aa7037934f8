#!/usr/bin/env python3
"""A roster of 200,000 rows imported through the secretariat's page, as a job.

For each backend (SQLite, and PostgreSQL when `createdb` reaches one), starts the release
build on the demo data, logs in as the demo secretariat, uploads the file on /admin/roster
and follows the job's page until it ends, as the browser does. Prints the file's size, the
upload's answer (status, and the time until it came: the request must not wait for the
import), the job's run time, how often its page showed progress, and what it imported;
fails if the upload was not answered 303, or the job did not import every row.

Usage: bench/roster_import.py [ROWS]   (default 200000; builds the release binary)
PostgreSQL: PGHOST, PGPORT, PGUSER (default 127.0.0.1, 5432, postgres).
"""
import http.cookiejar, os, re, shutil, socket, subprocess, sys, tempfile, time, urllib.request, uuid

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
BIN = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "socialhub")


def roster(rows, per_session=200):
    sectors = ["市民", "企業", "大学", "NPO", "行政"]
    out = ["日付,テーマ,氏名,メール,所属,属性,初参加,参加方法"]
    for n in range(rows):
        s, p = divmod(n, per_session)
        day = time.strftime("%Y-%m-%d", time.gmtime(1_262_304_000 + s * 86400))  # from 2010-01-01
        out.append(f"{day},大きな名簿の回{s},参加 {s}-{p},p{s}-{p}@example.jp,NPO法人{p % 50},{sectors[n % 5]},{'○' if p % 3 == 0 else ''},会場")
    return ("\r\n".join(out) + "\r\n").encode()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    return s.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def run(backend, url, body):
    work = tempfile.mkdtemp()
    port = free_port()
    env = dict(os.environ, SOCIALHUB_DATABASE_URL=url, SOCIALHUB_MAILBOX_DIR=os.path.join(work, "mail"), SOCIALHUB_LOG="warn")
    server = subprocess.Popen([BIN, "serve", "--demo", "--listen", f"127.0.0.1:{port}"], cwd=work, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except Exception:
                time.sleep(0.1)
        jar = http.cookiejar.CookieJar()
        web = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

        def get(path):
            with web.open(base + path) as r:
                return r.status, r.read().decode()

        def post(path, data, content_type="application/x-www-form-urlencoded"):
            req = urllib.request.Request(base + path, data=data, headers={"content-type": content_type})
            try:
                with web.open(req) as r:
                    return r.status, r.headers.get("location"), r.read()
            except urllib.error.HTTPError as e:
                return e.code, e.headers.get("location"), e.read()

        token = re.search(r'name="csrf_token" value="([^"]+)"', get("/login")[1]).group(1)
        form = urllib.parse.urlencode({"csrf_token": token, "email": "admin@example.jp", "password": "socialhub-demo"})
        assert post("/login", form.encode())[0] == 303, "logged in"
        action = re.search(r'action="(/admin/roster\?csrf_token=[^"]+)"', get("/admin/roster")[1]).group(1)
        boundary = uuid.uuid4().hex
        multipart = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n"
                     "Content-Type: text/csv\r\n\r\n").encode() + body + f"\r\n--{boundary}--\r\n".encode()
        t0 = time.monotonic()
        status, job, _ = post(action.replace("&amp;", "&"), multipart, f"multipart/form-data; boundary={boundary}")
        answered = time.monotonic() - t0
        assert status == 303 and job and job.startswith("/admin/roster/jobs/"), f"upload answered {status} {job}"
        polls, progress_seen = 0, 0
        while True:
            code, page = get(job)
            polls += 1
            if 'data-job-running="no"' in page:
                break
            if 'id="job-progress"' in page:
                progress_seen += 1
            time.sleep(0.5)
        took = time.monotonic() - t0
        summary = re.findall(r"<li>([^<]*：\d+)</li>", page)
        assert code == 200 and f"新しい参加記録：{ROWS}" in summary, f"job ended {code}: {summary or page[:2000]}"
        print(f"{backend:8} upload answered {status} in {answered:5.2f} s; job done in {took:6.1f} s "
              f"({ROWS / took:,.0f} rows/s); page read {polls} times, progress shown {progress_seen} times; {', '.join(summary)}")
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)


body = roster(ROWS)
print(f"roster: {ROWS:,} rows, {len(body) / 1e6:.1f} MB")
with tempfile.TemporaryDirectory() as d:
    run("sqlite", f"sqlite://{d}/bench.sqlite3", body)
pg = ["-h", os.environ.get("PGHOST", "127.0.0.1"), "-p", os.environ.get("PGPORT", "5432"), "-U", os.environ.get("PGUSER", "postgres")]
name = f"sh_roster_bench_{os.getpid()}"
if shutil.which("createdb") and subprocess.run(["createdb", *pg, name], capture_output=True).returncode == 0:
    try:
        user = os.environ.get("PGUSER", "postgres")
        run("postgres", f"postgres://{user}@{pg[1]}:{pg[3]}/{name}", body)
    finally:
        subprocess.run(["dropdb", *pg, "--force", name], capture_output=True)
else:
    print("postgres: skipped (createdb cannot reach PostgreSQL)")
