//! Test support: a real server on a random port over a fresh database (SQLite file or
//! PostgreSQL database), a browser-like client with cookies, and the mailbox.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use socialhub::config::{Layer, Secret};
use socialhub::db::Db;
use tokio::sync::OnceCell;

pub mod html;

/// Which database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Generates `mod NAME { sqlite(), postgres() }` running `async fn NAME(Backend)` on both.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::support::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::support::Backend::Postgres).await
            }
        }
    )*};
}

/// The PostgreSQL server tests create their databases on.
fn pg_admin_url() -> String {
    std::env::var("SOCIALHUB_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

static PG_AVAILABLE: OnceCell<Result<(), String>> = OnceCell::const_new();

async fn pg_available() -> Result<(), String> {
    PG_AVAILABLE
        .get_or_init(|| async {
            match tokio::time::timeout(std::time::Duration::from_secs(5), Db::connect(&pg_admin_url())).await {
                Ok(Ok(db)) => {
                    db.close().await;
                    Ok(())
                }
                Ok(Err(e)) => Err(format!("{e:#}")),
                Err(_) => Err("connection timed out".into()),
            }
        })
        .await
        .clone()
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh, empty database of the backend. `None` when PostgreSQL cannot be reached
/// outside CI (the test says it skipped); in CI that is a failure.
pub async fn fresh_database(backend: Backend, dir: &Path) -> Option<(String, Option<String>)> {
    match backend {
        Backend::Sqlite => Some((format!("sqlite://{}", dir.join("test.sqlite3").display()), None)),
        Backend::Postgres => {
            if let Err(e) = pg_available().await {
                if std::env::var_os("CI").is_some() {
                    panic!("PostgreSQL is required in CI but cannot be reached at {}: {e}", pg_admin_url());
                }
                eprintln!(
                    "SKIPPED: PostgreSQL test (no server at {}: {e}); set SOCIALHUB_TEST_POSTGRES_URL",
                    pg_admin_url()
                );
                return None;
            }
            let name = format!(
                "sh_test_{}_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed),
                rand::random::<u32>()
            );
            let admin = Db::connect(&pg_admin_url()).await.expect("admin connection");
            if let Db::Postgres(pg) = &admin {
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&pg.pool)
                    .await
                    .expect("create test database");
            }
            admin.close().await;
            let mut url = url::Url::parse(&pg_admin_url()).expect("valid URL");
            url.set_path(&name);
            Some((url.to_string(), Some(name)))
        }
    }
}

/// Drops a test database, on a thread of its own (Drop cannot await).
pub fn drop_pg_database(name: String) {
    let _ = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(async {
            if let Ok(Db::Postgres(pg)) = Db::connect(&pg_admin_url()).await {
                let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                    .execute(&pg.pool)
                    .await;
            }
        });
    })
    .join();
}

/// A running server.
pub struct TestServer {
    pub addr: SocketAddr,
    pub db: Db,
    pub database_url: String,
    pub mailbox: PathBuf,
    dir: tempfile::TempDir,
    pg_name: Option<String>,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// Starts a server on a fresh database; `None` if the backend is unavailable here.
    pub async fn start(backend: Backend) -> Option<TestServer> {
        TestServer::start_with(backend, |_| {}).await
    }

    /// Starts a server with some configuration changed.
    pub async fn start_with(backend: Backend, configure: impl FnOnce(&mut Layer)) -> Option<TestServer> {
        let dir = tempfile::tempdir().expect("temp dir");
        let (url, pg_name) = fresh_database(backend, dir.path()).await?;
        let mut server = TestServer::start_on(&url, dir, configure).await;
        server.pg_name = pg_name;
        Some(server)
    }

    /// Starts a server on a database that exists already (a restored one).
    pub async fn start_on_database(url: &str) -> TestServer {
        TestServer::start_on(url, tempfile::tempdir().expect("temp dir"), |_| {}).await
    }

    /// Starts another server on the same database (a second instance behind a balancer).
    pub async fn another_instance(&self) -> TestServer {
        TestServer::start_on(&self.database_url, tempfile::tempdir().expect("temp dir"), |_| {}).await
    }

    async fn start_on(url: &str, dir: tempfile::TempDir, configure: impl FnOnce(&mut Layer)) -> TestServer {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(
                std::env::var("SOCIALHUB_LOG").unwrap_or_else(|_| "warn".into()),
            ))
            .with_test_writer()
            .try_init();
        let mailbox = dir.path().join("mailbox");
        let mut layer = Layer {
            database_url: Some(Secret(url.to_owned())),
            mailbox_dir: Some(mailbox.clone()),
            center_name: Some("せんだい・みやぎソーシャルハブ".into()),
            ..Layer::default()
        };
        configure(&mut layer);
        let config = layer.resolve();
        let db = Db::connect(url).await.expect("connect");
        db.migrate().await.expect("migrate");
        socialhub::tenant::store::ensure_default(&db, &config.center_name).await.expect("default tenant");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let state = socialhub::AppState::new(db.clone(), config, addr).await.expect("state");
        let app = socialhub::app(state);
        let task = tokio::spawn(async move {
            let _ = socialhub::web::serve(listener, app).await;
        });
        TestServer { addr, db, database_url: url.to_owned(), mailbox, dir, pg_name: None, task }
    }

    /// A new browser (own cookie jar) on the default center.
    pub fn browser(&self) -> Browser {
        Browser::new(format!("http://{}", self.addr), None)
    }

    /// A new browser on a host name that resolves to this server.
    pub fn browser_at(&self, host: &str) -> Browser {
        Browser::new(format!("http://{host}:{}", self.addr.port()), Some((host.to_owned(), self.addr)))
    }

    /// Every mail sent so far, oldest first.
    pub fn mails(&self) -> Vec<Mail> {
        let Ok(entries) = std::fs::read_dir(&self.mailbox) else {
            return Vec::new();
        };
        // Only whole mails: one being written has another name until it is complete.
        let mut paths: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        paths.sort();
        paths.iter().map(|p| Mail::parse(&std::fs::read_to_string(p).expect("mail file"))).collect()
    }

    /// The mails sent to `to`.
    pub fn mails_to(&self, to: &str) -> Vec<Mail> {
        self.mails().into_iter().filter(|m| m.to.contains(to)).collect()
    }

    /// Adds a center served on `host`.
    pub async fn add_tenant(&self, slug: &str, name: &str, host: &str) {
        socialhub::tenant::store::insert(&self.db, slug, name, &[host.to_owned()])
            .await
            .expect("db")
            .expect("valid tenant");
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
        if let Some(name) = self.pg_name.take() {
            drop_pg_database(name);
        }
    }
}

/// A mail as written to the mailbox directory.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The headers, unfolded.
    pub head: String,
}

impl Mail {
    fn parse(raw: &str) -> Mail {
        let (head, body) = raw.split_once("\r\n\r\n").expect("headers and body");
        // Long headers are folded onto continuation lines that start with white space.
        let head = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        let header =
            |name: &str| head.lines().find_map(|l| l.strip_prefix(&format!("{name}: "))).unwrap_or_default().to_owned();
        Mail {
            to: header("To"),
            subject: decode_subject(&header("Subject")),
            body: body.replace("\r\n", "\n"),
            head: head.clone(),
        }
    }

    /// A header's value, empty when absent.
    pub fn header(&self, name: &str) -> String {
        self.head.lines().find_map(|l| l.strip_prefix(&format!("{name}: "))).unwrap_or_default().to_owned()
    }

    /// The first link in the body that starts with `prefix` (after the host).
    pub fn link(&self, path_prefix: &str) -> String {
        self.body
            .split_whitespace()
            .find(|w| w.starts_with("http") && w.contains(path_prefix))
            .unwrap_or_else(|| panic!("no {path_prefix} link in mail: {}", self.body))
            .to_owned()
    }
}

/// Decodes an RFC 2047 `=?utf-8?b?…?=` subject (lettre encodes non-ASCII subjects):
/// white space between two encoded words is dropped, other white space kept.
fn decode_subject(s: &str) -> String {
    use base64::Engine;
    let mut out = String::new();
    let mut previous_encoded = false;
    for (i, word) in s.split(' ').enumerate() {
        let lower = word.to_ascii_lowercase();
        let encoded = lower.starts_with("=?utf-8?b?") && word.ends_with("?=");
        if i > 0 && !(encoded && previous_encoded) {
            out.push(' ');
        }
        if encoded {
            let b = &word[10..word.len() - 2];
            out.push_str(
                &String::from_utf8(base64::engine::general_purpose::STANDARD.decode(b).unwrap_or_default())
                    .unwrap_or_default(),
            );
        } else {
            out.push_str(word);
        }
        previous_encoded = encoded;
    }
    out
}

/// A response as a test looks at it.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or_default()
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }

    pub fn html(&self) -> html::Html {
        html::Html::parse(&self.body)
    }
}

/// A browser: cookies kept, redirects not followed (tests look at them).
pub struct Browser {
    pub base: String,
    client: reqwest::Client,
    resolve: Option<(String, SocketAddr)>,
}

impl Browser {
    fn new(base: String, resolve: Option<(String, SocketAddr)>) -> Browser {
        let mut b = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none());
        if let Some((host, addr)) = &resolve {
            b = b.resolve(host, *addr);
        }
        Browser { base, client: b.build().expect("client"), resolve }
    }

    async fn page(res: reqwest::Response) -> Page {
        Page { status: res.status(), headers: res.headers().clone(), body: res.text().await.expect("body") }
    }

    pub async fn get(&self, path: &str) -> Page {
        let res =
            self.client.get(format!("{}{path}", self.base)).header("accept", "text/html").send().await.expect("GET");
        Browser::page(res).await
    }

    /// Posts a form exactly as given (no token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let res = self
            .client
            .post(format!("{}{path}", self.base))
            .header("accept", "text/html")
            .form(fields)
            .send()
            .await
            .expect("POST");
        Browser::page(res).await
    }

    /// Posts a form carrying its CSRF token in the `X-CSRF-Token` header (as a script does).
    pub async fn post_with_token_header(&self, path: &str, token: &str, fields: &[(&str, &str)]) -> Page {
        let res = self
            .client
            .post(format!("{}{path}", self.base))
            .header("accept", "text/html")
            .header("x-csrf-token", token)
            .form(fields)
            .send()
            .await
            .expect("POST");
        Browser::page(res).await
    }

    /// Opens `page_path`, takes its CSRF token, and posts `fields` to `action`, as a person
    /// filling in the form on that page would.
    pub async fn submit(&self, page_path: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let page = self.get(page_path).await;
        let token = page.html().csrf_token().unwrap_or_else(|| panic!("no form on {page_path}: {}", page.body));
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(action, &all).await
    }

    /// Signs up, opens the verification link from the mail, and logs in.
    pub async fn sign_up_and_log_in(&self, server: &TestServer, email: &str, password: &str, name: &str) {
        let page = self
            .submit(
                "/signup",
                "/signup",
                &[
                    ("email", email),
                    ("password", password),
                    ("display_name", name),
                    ("furigana", "カイイン"),
                    ("sector", "npo"),
                    ("affiliation", "NPO法人あおば"),
                    ("consent", "yes"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let mail = server.mails_to(email).pop().expect("verification mail");
        let link = mail.link("/account/verify");
        let path = link.split_once(&self.base).map(|(_, p)| p.to_owned()).expect("link on this host");
        let token = path.split("token=").nth(1).expect("token").to_owned();
        let verified = self.submit(&path, "/account/verify", &[("token", &token)]).await;
        assert_eq!(verified.status, StatusCode::SEE_OTHER, "{}", verified.body);
        self.log_in(email, password).await;
    }

    pub async fn log_in(&self, email: &str, password: &str) {
        let page = self.submit("/login", "/login", &[("email", email), ("password", password)]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "login failed: {}", page.body);
    }
}

/// Runs the `socialhub` binary with arguments and environment; returns (status, stdout, stderr).
pub fn run_cli(args: &[&str], env: &[(&str, &str)], cwd: &Path) -> (i32, String, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_socialhub"));
    cmd.args(args).current_dir(cwd).env_remove("SOCIALHUB_DATABASE_URL").stdin(std::process::Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run socialhub");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

impl TestServer {
    /// Creates a verified account directly in the database, in the default center.
    pub async fn create_account(&self, email: &str, password: &str, name: &str, role: socialhub::account::Role) {
        let tenant = socialhub::tenant::store::get_default(&self.db).await.expect("default tenant");
        self.create_account_in(tenant.id, email, password, name, role).await;
    }

    /// Creates a verified account directly in the database, in the given center.
    pub async fn create_account_in(
        &self,
        tenant: socialhub::tenant::TenantId,
        email: &str,
        password: &str,
        name: &str,
        role: socialhub::account::Role,
    ) -> socialhub::account::AccountId {
        let hash = socialhub::account::password::hash(password.to_owned()).await.expect("hash");
        let profile = socialhub::account::Profile {
            display_name: name.to_owned(),
            furigana: String::new(),
            sector: socialhub::sector::Sector::Npo,
            affiliation: String::new(),
        };
        socialhub::account::create_verified(&self.db, tenant, email, &hash, &profile, role).await.expect("insert")
    }
}

impl Browser {
    /// The same browser (same cookies) pointed at another server, e.g. a second instance.
    pub fn at(&self, base: String) -> Browser {
        Browser { base, client: self.client.clone(), resolve: self.resolve.clone() }
    }

    /// A GET with exactly this `Cookie` header and no cookie jar (a replayed cookie).
    /// A GET carrying one more header (as a browser would add it), with this browser's cookies.
    pub async fn get_with_header(&self, path: &str, name: &str, value: &str) -> Page {
        let res = self
            .client
            .get(format!("{}{path}", self.base))
            .header(name, value)
            .header("accept", "text/html")
            .send()
            .await
            .expect("GET");
        Browser::page(res).await
    }

    pub async fn get_with_cookie(&self, path: &str, cookie: &str) -> Page {
        let mut builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
        if let Some((host, addr)) = &self.resolve {
            builder = builder.resolve(host, *addr);
        }
        let client = builder.build().expect("client");
        let res = client
            .get(format!("{}{path}", self.base))
            .header("cookie", cookie)
            .header("accept", "text/html")
            .send()
            .await
            .expect("GET");
        Browser::page(res).await
    }
}

impl Page {
    /// `name=value` of a cookie this response sets.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with(&format!("{name}=")))
            .map(|c| c.split(';').next().unwrap_or_default().to_owned())
    }
}

impl TestServer {
    /// The default center's id.
    pub async fn tenant(&self) -> socialhub::tenant::TenantId {
        socialhub::tenant::store::get_default(&self.db).await.expect("default tenant").id
    }

    /// A browser logged in as a new secretariat account.
    pub async fn secretariat(&self) -> Browser {
        let email = format!("office{}@example.jp", COUNTER.fetch_add(1, Ordering::Relaxed));
        self.create_account(&email, "office password", "事務局 担当", socialhub::account::Role::Admin).await;
        let b = self.browser();
        b.log_in(&email, "office password").await;
        b
    }

    /// Creates and publishes an event directly in the database, starting `in_hours` from
    /// now (negative: in the past), with `venue_seats` at the venue and online without limit.
    pub async fn published_event(
        &self,
        title: &str,
        in_hours: i64,
        venue_seats: Option<i64>,
    ) -> socialhub::event::EventId {
        self.published_event_in(title, in_hours, venue_seats, None).await
    }

    /// [`TestServer::published_event`], of a lab.
    pub async fn published_event_in(
        &self,
        title: &str,
        in_hours: i64,
        venue_seats: Option<i64>,
        lab: Option<socialhub::lab::LabId>,
    ) -> socialhub::event::EventId {
        let start = chrono::Utc::now() + chrono::TimeDelta::hours(in_hours);
        let draft = socialhub::event::EventDraft {
            description: "**みんなで**話しましょう".to_owned(),
            online_url: "https://zoom.example/j/123".to_owned(),
            venue_capacity: venue_seats,
            cohosts: vec!["NPO法人底上げ".to_owned()],
            lab_id: lab,
            ..event_draft(title, start)
        };
        self.insert_event(&draft, socialhub::event::Status::Published).await
    }

    /// Opens a lab directly in the database.
    pub async fn open_lab(&self, title: &str) -> socialhub::lab::LabId {
        socialhub::lab::open(&self.db, self.tenant().await, &lab_draft(title)).await.expect("open lab")
    }

    /// Creates an event directly in the database.
    pub async fn insert_event(
        &self,
        draft: &socialhub::event::EventDraft,
        status: socialhub::event::Status,
    ) -> socialhub::event::EventId {
        let tenant = self.tenant().await;
        self.db
            .write(async |tx| socialhub::event::store::insert(tx, tenant, draft, status).await)
            .await
            .expect("insert event")
    }
}

impl Browser {
    /// A GET whose body is bytes (downloads).
    pub async fn get_bytes(&self, path: &str) -> Vec<u8> {
        let res = self.client.get(format!("{}{path}", self.base)).send().await.expect("GET");
        assert!(res.status().is_success(), "GET {path}: {}", res.status());
        res.bytes().await.expect("body").to_vec()
    }

    /// Posts a multipart form to `action` (which carries its CSRF token in the query).
    pub async fn post_multipart(&self, action: &str, form: reqwest::multipart::Form) -> Page {
        let res = self
            .client
            .post(format!("{}{action}", self.base))
            .header("accept", "text/html")
            .multipart(form)
            .send()
            .await
            .expect("POST");
        Browser::page(res).await
    }
}

impl Browser {
    /// Posts a form as if from the client address `ip` (through a trusted proxy).
    pub async fn post_raw_from(&self, ip: &str, path: &str, fields: &[(&str, &str)]) -> Page {
        let res = self
            .client
            .post(format!("{}{path}", self.base))
            .header("accept", "text/html")
            .header("x-forwarded-for", ip)
            .form(fields)
            .send()
            .await
            .expect("POST");
        Browser::page(res).await
    }
}

impl TestServer {
    /// The postman of this server's database, mailing into its mailbox: what `serve`
    /// runs every few seconds, for a test to run at the moment it chooses.
    pub async fn postman(&self) -> socialhub::subscription::postman::Postman {
        self.postman_on(&self.db).await
    }

    /// A postman working on `db` (another instance's) and mailing into this server's mailbox.
    pub async fn postman_on(&self, db: &Db) -> socialhub::subscription::postman::Postman {
        let mailer = socialhub::mail::Mailer::from_config(
            &Layer { mailbox_dir: Some(self.mailbox.clone()), ..Default::default() }.resolve(),
        )
        .expect("mailer");
        socialhub::subscription::postman::Postman::new(db.clone(), mailer, format!("http://{}", self.addr), "http")
            .await
            .expect("postman")
    }

    /// One round of the postman now: news announced, due digests built, mails sent.
    pub async fn deliver_mail(&self) -> socialhub::subscription::postman::Round {
        self.postman().await.round(chrono::Utc::now()).await.expect("postman's round")
    }

    /// The newest mail to `to`, waiting up to five seconds for one sent after a response.
    pub async fn wait_for_mail(&self, to: &str) -> Mail {
        for _ in 0..100 {
            if let Some(m) = self.mails_to(to).pop() {
                return m;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("no mail to {to}")
    }
}

/// Japan dates `days` from today, as the forms take them.
pub fn jst_day(days: i64) -> String {
    let today = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(9 * 3600).unwrap()).date_naive();
    (today + chrono::TimeDelta::days(days)).format("%Y-%m-%d").to_string()
}

/// Fields built as owned strings, as `Browser::submit` takes them.
pub fn fields_of<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// A lab on a theme, founded on 1 October 2023, from no issue or session.
pub fn lab_draft(title: &str) -> socialhub::lab::LabDraft {
    socialhub::lab::LabDraft {
        title: title.to_owned(),
        description: String::new(),
        social_issue_id: None,
        event_id: None,
        founded_on: chrono::NaiveDate::from_ymd_opt(2023, 10, 1).expect("a day"),
    }
}

/// A 情報交換会 of 90 minutes from `start` at the center's venue, without limit, fee or
/// deadline: what tests change the rest of with `..event_draft(title, start)`.
pub fn event_draft(title: &str, start: chrono::DateTime<chrono::Utc>) -> socialhub::event::EventDraft {
    socialhub::event::EventDraft {
        kind: socialhub::event::EventKind::InfoExchange,
        title: title.to_owned(),
        description: String::new(),
        starts_at: start,
        ends_at: start + chrono::TimeDelta::minutes(90),
        venue: "仙台市市民活動サポートセンター".to_owned(),
        online_url: String::new(),
        venue_capacity: None,
        online_capacity: None,
        anonymous: false,
        fee_yen: 0,
        registration_closes_at: None,
        cohosts: Vec::new(),
        social_issue_id: None,
        lab_id: None,
    }
}
