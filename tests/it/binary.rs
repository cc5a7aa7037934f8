//! The server as the binary runs it (`socialhub serve --demo`: a worker per core, each with
//! its own event loop and, on PostgreSQL, its own connections; the real signal handling),
//! on both databases: under load from concurrent clients it answers every request whole,
//! and SIGTERM, while people register, stops it with status 0 within seconds, failing no
//! request whose connection it had accepted and losing no registration, and closing a connection left idle; killed with SIGKILL while people
//! register, again and again, it loses no registration it had confirmed.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::on_both_backends;
use crate::support::{Backend, drop_pg_database, fresh_database};

on_both_backends!(sigterm_under_load_fails_no_accepted_request, kill_9_under_registrations_loses_no_confirmed_one);

/// Concurrent clients: half keep their connections open between requests (as a browser or
/// a proxy does), half open a new connection for every request (and so keep meeting the
/// listening sockets' queues of new connections).
const CLIENTS: usize = 16;

/// How long the server may take to stop after SIGTERM.
const STOP_WITHIN: Duration = Duration::from_secs(10);

/// The running binary; killed if the test ends before it exits.
struct Server {
    child: Child,
    base: String,
    log: PathBuf,
}

impl Server {
    /// `socialhub serve --demo` on `database_url`, in `dir`, with two workers whatever the
    /// machine's cores.
    fn start(dir: &Path, database_url: &str) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let log = dir.join("serve.log");
        let child = Command::new(env!("CARGO_BIN_EXE_socialhub"))
            .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--demo"])
            .current_dir(dir)
            .env_remove("SOCIALHUB_CONFIG")
            .env_remove("SOCIALHUB_LISTEN")
            .env("SOCIALHUB_DATABASE_URL", database_url)
            .env("SOCIALHUB_MAILBOX_DIR", dir.join("mailbox"))
            .env("SOCIALHUB_WORKERS", "2")
            .env("SOCIALHUB_LOG", "info,sqlx=warn")
            // Clients say which address they come from (X-Forwarded-For), as behind a proxy.
            .env("SOCIALHUB_TRUST_PROXY", "true")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        Server { child, base: format!("http://127.0.0.1:{port}"), log }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until `/healthz` answers (the demo data is loaded before the server listens).
    async fn wait_until_ready(&mut self) {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(120) {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("serve exited with {status} before answering:\n{}", self.log());
            }
            if let Ok(res) = reqwest::get(format!("{}/healthz", self.base)).await
                && res.status() == reqwest::StatusCode::OK
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("serve did not answer /healthz:\n{}", self.log());
    }

    /// Kills the process outright (SIGKILL), as a power cut or the OOM killer would.
    fn kill_9(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// Sends SIGTERM, and waits for the process to exit: its status and how long it took.
    async fn terminate(&mut self) -> (std::process::ExitStatus, Duration) {
        let signalled = Instant::now();
        let kill = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        assert!(kill.success(), "kill -TERM");
        while signalled.elapsed() < STOP_WITHIN * 3 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return (status, signalled.elapsed());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("serve did not stop within {:?} of SIGTERM:\n{}", STOP_WITHIN * 3, self.log());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Drops the test's PostgreSQL database at the end, whatever happens.
struct PgDatabase(Option<String>);

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Some(name) = self.0.take() {
            drop_pg_database(name);
        }
    }
}

/// What the clients saw.
#[derive(Default)]
struct Tally {
    /// Requests answered 200 with a whole page.
    answered: AtomicUsize,
    /// Connections refused: the server had stopped listening (each such client stops).
    refused: AtomicUsize,
    /// Everything else: an error after the connection was accepted, an answer other than
    /// 200, or a page cut short.
    failures: Mutex<Vec<String>>,
}

impl Tally {
    fn fail(&self, what: String) {
        self.failures.lock().unwrap().push(what);
    }
}

/// GETs `paths` in turn until the server refuses the connection or `stop` is set, checking
/// each answer.
async fn client(
    base: String,
    paths: [String; 2],
    new_connection_each_time: bool,
    tally: Arc<Tally>,
    stop: Arc<AtomicBool>,
) {
    let mut builder = reqwest::Client::builder().timeout(Duration::from_secs(30));
    if new_connection_each_time {
        builder = builder.pool_max_idle_per_host(0);
    }
    let http = builder.build().unwrap();
    let kind = if new_connection_each_time { "new connection" } else { "kept connection" };
    for n in 0.. {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let path = &paths[n % 2];
        match http.get(format!("{base}{path}")).header("accept", "text/html").send().await {
            Ok(res) => {
                let status = res.status();
                match res.text().await {
                    Ok(body) if status == reqwest::StatusCode::OK && body.ends_with("</html>") => {
                        tally.answered.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(body) => {
                        let end = body.char_indices().rev().nth(80).map_or(0, |(i, _)| i);
                        tally.fail(format!(
                            "GET {path} ({kind}): {status}, {} bytes ending {:?}",
                            body.len(),
                            &body[end..]
                        ));
                    }
                    Err(e) => tally.fail(format!("GET {path} ({kind}): {status}, then the body failed: {e:?}")),
                }
            }
            Err(e) if e.is_connect() => {
                tally.refused.fetch_add(1, Ordering::Relaxed);
                break;
            }
            Err(e) => tally.fail(format!("GET {path} ({kind}): {e:?}")),
        }
    }
}

async fn sigterm_under_load_fails_no_accepted_request(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some((url, pg_name)) = fresh_database(backend, dir.path()).await else { return };
    let _database = PgDatabase(pg_name);
    let mut server = Server::start(dir.path(), &url);
    server.wait_until_ready().await;

    let event = demo_session(&server.base).await;

    // A connection kept open and idle through the signal (a browser's keep-alive
    // connection): the server closes it after its grace period, and stops.
    let mut idle = tokio::net::TcpStream::connect(server.base.trim_start_matches("http://")).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n").await.unwrap();
    let mut answer = [0u8; 1024];
    let n = idle.read(&mut answer).await.unwrap();
    assert!(answer[..n].starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&answer[..n]));

    let tally = Arc::new(Tally::default());
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|n| {
            let paths = ["/".to_owned(), event.clone()];
            tokio::spawn(client(server.base.clone(), paths, n % 2 == 1, tally.clone(), stop.clone()))
        })
        .collect();
    // People registering all the while: writes under way when the signal comes.
    let writers: Vec<_> =
        (0..4).map(|w| tokio::spawn(register_until_stopped(server.base.clone(), event.clone(), w, 99))).collect();
    // Under load for a while before the signal: every client has had answers.
    let loaded = Instant::now();
    while tally.answered.load(Ordering::Relaxed) < CLIENTS * 20 && loaded.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let before = tally.answered.load(Ordering::Relaxed);
    assert!(
        before >= CLIENTS * 20,
        "the server answered {before} requests in a minute: {:?}\n{}",
        tally.failures.lock().unwrap().first(),
        server.log()
    );

    let (status, took) = server.terminate().await;
    let closed = tokio::time::timeout(Duration::from_secs(1), idle.read(&mut answer)).await;
    assert!(matches!(closed, Ok(Ok(0))), "the idle connection was closed: {closed:?}");
    // Clients still running (none should be: each stops when refused) stop now.
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        tokio::time::timeout(Duration::from_secs(40), c).await.expect("a client stops").unwrap();
    }
    let mut confirmed = Vec::new();
    for w in writers {
        let done = tokio::time::timeout(Duration::from_secs(40), w).await.expect("a writer stops").unwrap();
        if let Some(broken) = done.broken {
            tally.fail(broken);
        }
        confirmed.extend(done.confirmed);
    }
    let held = registrations_held(&url, "kill99-").await;
    let lost: Vec<&String> = confirmed.iter().filter(|e| !held.contains(*e)).collect();
    assert!(!confirmed.is_empty(), "registrations were confirmed before the signal:\n{}", server.log());
    assert!(lost.is_empty(), "{} confirmed registrations lost: {:?}", lost.len(), &lost[..lost.len().min(10)]);

    let answered = tally.answered.load(Ordering::Relaxed);
    let refused = tally.refused.load(Ordering::Relaxed);
    let failures = tally.failures.lock().unwrap();
    eprintln!(
        "{backend:?}: {answered} answered ({} after SIGTERM), {} registrations confirmed, {refused} refused \
         after the server stopped listening, {} failed; stopped in {took:?} with {status}",
        answered - before,
        confirmed.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} requests failed after their connection was accepted ({answered} answered, {refused} refused):\n{}\n\
         server log:\n{}",
        failures.len(),
        failures.iter().take(20).cloned().collect::<Vec<_>>().join("\n"),
        server.log()
    );
    assert!(status.success(), "serve exited with {status}:\n{}", server.log());
    assert!(took < STOP_WITHIN, "serve took {took:?} to stop after SIGTERM:\n{}", server.log());
}

/// The first published session of the demo data on the server's list of sessions.
async fn demo_session(base: &str) -> String {
    let events = reqwest::get(format!("{base}/events")).await.unwrap().text().await.unwrap();
    events
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .find(|href| href.strip_prefix("/events/").is_some_and(|id| id.parse::<i64>().is_ok()))
        .unwrap_or_else(|| panic!("the demo data has a published session: {events}"))
        .to_owned()
}

/// What one writer's registrations came to.
#[derive(Default)]
struct Registered {
    /// The addresses whose registration the server confirmed (the page saying so came
    /// back whole).
    confirmed: Vec<String>,
    /// How the writer stopped, when it was not by being refused a connection (the server
    /// had stopped listening): a request sent on an accepted connection and not answered
    /// whole.
    broken: Option<String>,
}

/// Registers guests on `event` one after another, each a new person from a new address,
/// until the server stops answering.
async fn register_until_stopped(base: String, event: String, writer: usize, round: usize) -> Registered {
    let mut done = Registered::default();
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let Ok(page) = client.get(format!("{base}{event}")).send().await else { return done };
    let Ok(page) = page.text().await else { return done };
    let token = page
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the registration form's token")
        .to_owned();
    for i in 0.. {
        let email = format!("kill{round}-{writer}-{i}@example.jp");
        let sent = client
            .post(format!("{base}{event}/registrations"))
            .header("x-forwarded-for", format!("10.{round}.{writer}.{}", i % 250))
            .form(&[
                ("csrf_token", token.as_str()),
                ("mode", "online"),
                ("name", "停電 試験"),
                ("email", &email),
                ("furigana", "テイデン シケン"),
                ("sector", "citizen"),
                ("consent", "yes"),
            ])
            .send()
            .await;
        let res = match sent {
            Ok(res) => res,
            Err(e) if e.is_connect() => break,
            Err(e) => {
                done.broken = Some(format!("POST registration {email}: {e:?}"));
                break;
            }
        };
        let ok = res.status() == reqwest::StatusCode::OK;
        let body = match res.text().await {
            Ok(body) => body,
            Err(e) => {
                done.broken = Some(format!("POST registration {email}: the answer was cut: {e:?}"));
                break;
            }
        };
        if ok && (body.contains("申し込みました") || body.contains("キャンセル待ちで受け付けました"))
        {
            done.confirmed.push(email);
        } else if !ok {
            panic!("registration {email} refused: {body}");
        }
    }
    done
}

/// The registrations of guests whose address starts with `prefix` held by the database.
async fn registrations_held(url: &str, prefix: &str) -> std::collections::HashSet<String> {
    let db = socialhub::db::Db::connect(url).await.unwrap();
    let pattern = format!("{prefix}%");
    let held: Vec<String> = socialhub::with_db!(&db, |p| {
        sqlx::query_scalar(
            "SELECT p.email FROM registration r JOIN person p ON p.id = r.person_id WHERE p.email LIKE $1",
        )
        .bind(&pattern)
        .fetch_all(p)
        .await
        .unwrap()
    });
    db.close().await;
    held.into_iter().collect()
}

/// kill -9 of `serve` while registrations keep coming, five times over: after each kill
/// the server starts again on the same database, and at the end every registration it had
/// confirmed to someone is there.
async fn kill_9_under_registrations_loses_no_confirmed_one(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some((url, pg_name)) = fresh_database(backend, dir.path()).await else { return };
    let _database = PgDatabase(pg_name);
    let mut confirmed: Vec<String> = Vec::new();
    for round in 0..5 {
        let mut server = Server::start(dir.path(), &url);
        server.wait_until_ready().await;
        let event = demo_session(&server.base).await;
        let writers: Vec<_> = (0..4)
            .map(|w| tokio::spawn(register_until_stopped(server.base.clone(), event.clone(), w, round)))
            .collect();
        // Killed at a different moment each round, with registrations under way.
        tokio::time::sleep(Duration::from_millis(400 + 150 * round as u64)).await;
        server.kill_9();
        let mut this_round = 0;
        for w in writers {
            let done = w.await.unwrap().confirmed;
            this_round += done.len();
            confirmed.extend(done);
        }
        assert!(this_round > 0, "round {round}: registrations were confirmed before the kill:\n{}", server.log());
    }
    let held = registrations_held(&url, "kill").await;
    let lost: Vec<&String> = confirmed.iter().filter(|e| !held.contains(*e)).collect();
    eprintln!("{backend:?}: {} registrations confirmed over five kills, {} held", confirmed.len(), held.len());
    assert!(lost.is_empty(), "{} confirmed registrations lost: {:?}", lost.len(), &lost[..lost.len().min(10)]);
}
