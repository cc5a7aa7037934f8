//! The web application: shared state, router assembly and the layers around it
//! (tenant routing, login sessions, CSRF, error pages, security headers, metrics…).

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use anyhow::Context;
use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::config::Config;
use crate::db::{Db, setting};
use crate::mail::Mailer;
use crate::session::DbSessionStore;

pub mod assets;
pub mod ctx;
pub mod error;
pub mod escape;
pub mod frame;
pub mod home;
pub mod tenant;
pub mod timeout;

pub use ctx::{Admin, Ctx, Member};
pub use error::{AppError, AppResult};

/// A page with a title and a message (Fluent ids), for "check your mail" and similar
/// outcomes, with an optional follow-up link: (href, Fluent id of its text).
#[derive(askama::Template)]
#[template(path = "notice.html")]
pub struct NoticePage {
    pub ctx: Ctx,
    pub title: &'static str,
    pub message: &'static str,
    pub link: Option<(&'static str, &'static str)>,
}

/// A file download that is never cached (rosters and reports hold personal data or
/// figures that change).
pub fn download(content_type: &'static str, filename: String, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// A page's HTML as a response. The output starts with room for 16 KiB (pages are 4–12 KiB,
/// so rendering does not move the text it has written), and the header map with room for
/// every header the layers add on the way out (content type, the CSRF cookie, the security
/// headers, `vary`…), so that it is never rebuilt larger. A template that fails to render
/// is logged and answers 500, which the frame turns into an error page.
pub fn html_page<T: askama::Template>(page: &T) -> Response {
    let mut html = String::with_capacity(16 * 1024);
    if let Err(e) = page.render_into(&mut html) {
        tracing::error!(error = %e, "cannot render a page");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let mut res = Response::new(axum::body::Body::from(html));
    let headers = res.headers_mut();
    *headers = axum::http::HeaderMap::with_capacity(16);
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    res
}

/// Makes page templates responses through [`html_page`].
#[macro_export]
macro_rules! html_page {
    ($($page:ty),+ $(,)?) => {$(
        impl ::axum::response::IntoResponse for $page {
            fn into_response(self) -> ::axum::response::Response {
                $crate::web::html_page(&self)
            }
        }
    )+};
}

/// The most of any request body the server reads (a roster upload is the largest); forms
/// have a smaller limit of their own (`frame`).
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// The login-session cookie's name.
pub const SESSION_COOKIE: &str = "sh_session";

/// Everything handlers share. Cheap to clone: one reference count (every extractor of
/// every request clones it).
#[derive(Clone, Debug)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] holds.
#[derive(Debug)]
pub struct Shared {
    pub db: Db,
    pub config: Arc<Config>,
    pub mailer: Mailer,
    /// Signs CSRF tokens; kept in the database so every instance shares it.
    pub csrf_key: frame::CsrfKey,
    pub tenants: tenant::TenantResolver,
    pub metrics: PrometheusHandle,
    /// Where the default center is reached, for links in mails.
    pub base_url: String,
}

impl AppState {
    /// Prepares the state for a migrated database. `listen` is the bound address, used for
    /// links in mails when no `base_url` is configured.
    ///
    /// # Errors
    /// The database fails, or the mail configuration is invalid.
    pub async fn new(db: Db, config: Config, listen: SocketAddr) -> anyhow::Result<AppState> {
        let csrf_key = setting::get_or_init(&db, "csrf_key", setting::random_secret)
            .await
            .context("cannot read the CSRF secret")?;
        let mailer = Mailer::from_config(&config)?;
        let base_url = config.base_url.clone().unwrap_or_else(|| format!("http://{listen}"));
        Ok(AppState(Arc::new(Shared {
            db,
            mailer,
            csrf_key: frame::CsrfKey::new(csrf_key.as_bytes()),
            tenants: tenant::TenantResolver::default(),
            metrics: metrics_handle(),
            base_url,
            config: Arc::new(config),
        })))
    }

    /// The state of one server worker of [`serve_workers`], made on the worker's event
    /// loop: the same configuration, keys, tenant cache, mailer and metrics, with the
    /// database copied for the worker ([`Db::for_worker`]: on PostgreSQL a pool of its own).
    /// Each worker also gets its own reference count, which every extractor of every
    /// request touches, so that the cores do not pass one counter back and forth.
    ///
    /// # Errors
    /// PostgreSQL cannot be reached.
    pub async fn for_worker(&self, workers: usize) -> anyhow::Result<AppState> {
        Ok(AppState(Arc::new(Shared {
            db: self.db.for_worker(workers).await?,
            config: Arc::clone(&self.config),
            mailer: self.mailer.clone(),
            csrf_key: self.csrf_key.clone(),
            tenants: self.tenants.clone(),
            metrics: self.metrics.clone(),
            base_url: self.base_url.clone(),
        })))
    }
}

/// The process-wide Prometheus recorder (installed once, shared by every app in tests).
fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets(&[0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5])
                .expect("static buckets are valid")
                .build_recorder();
            let handle = recorder.handle();
            // Another recorder may already be installed (a host program); ours then stays local.
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

/// Counts requests and their durations by method, route and status.
async fn record_metrics(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = match *req.method() {
        axum::http::Method::GET => "GET",
        axum::http::Method::HEAD => "HEAD",
        axum::http::Method::POST => "POST",
        axum::http::Method::PUT => "PUT",
        axum::http::Method::DELETE => "DELETE",
        axum::http::Method::PATCH => "PATCH",
        axum::http::Method::OPTIONS => "OPTIONS",
        _ => "other",
    };
    let route = req.extensions().get::<MatchedPath>().cloned();
    let res = next.run(req).await;
    let route = route.as_ref().map_or("unmatched", MatchedPath::as_str);
    let (counter, histogram) = request_metrics(method, route, res.status());
    counter.increment(1);
    histogram.record(start.elapsed().as_secs_f64());
    res
}

/// The counter and histogram of one method, route and status. Handles are kept per thread:
/// registering them again for every request (labels built, hashed and compared) cost more
/// than the rest of the measuring.
fn request_metrics(method: &'static str, route: &str, status: StatusCode) -> (metrics::Counter, metrics::Histogram) {
    /// Route → the handles of each method and status seen on it.
    type Handles =
        rustc_hash::FxHashMap<Box<str>, Vec<(&'static str, StatusCode, metrics::Counter, metrics::Histogram)>>;
    /// Routes are the application's own patterns, so this stays small; the bound is a guard.
    const MAX_KEPT: usize = 1024;
    thread_local! {
        static KEPT: std::cell::RefCell<Handles> = std::cell::RefCell::default();
    }
    KEPT.with_borrow_mut(|kept| {
        if let Some(seen) = kept.get(route)
            && let Some((.., counter, histogram)) = seen.iter().find(|(m, s, ..)| *m == method && *s == status)
        {
            return (counter.clone(), histogram.clone());
        }
        let counter = metrics::counter!(
            "http_requests_total",
            "method" => method,
            "route" => route.to_owned(),
            "status" => status.as_u16().to_string()
        );
        let histogram =
            metrics::histogram!("http_request_duration_seconds", "method" => method, "route" => route.to_owned());
        if kept.len() < MAX_KEPT {
            kept.entry(route.into()).or_default().push((method, status, counter.clone(), histogram.clone()));
        }
        (counter, histogram)
    })
}

/// Headers every response carries unless it set its own.
const SECURITY_HEADERS: [(HeaderName, &str); 5] = [
    (header::CONTENT_SECURITY_POLICY, CSP),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::REFERRER_POLICY, "same-origin"),
    (HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=()"),
];

/// Adds [`SECURITY_HEADERS`] in one step (room for all of them is made at once).
async fn security_headers(mut res: Response) -> Response {
    let headers = res.headers_mut();
    headers.reserve(SECURITY_HEADERS.len() + 1);
    for (name, value) in SECURITY_HEADERS {
        if let header::Entry::Vacant(slot) = headers.entry(name) {
            slot.insert(HeaderValue::from_static(value));
        }
    }
    res
}

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The application: `pages` (the concepts' routes, assembled above this shell by
/// [`crate::app`]) inside the shell's layers (tenant routing, login sessions, the frame),
/// beside the operations endpoints and static files, all inside the shared layers.
pub fn shell(state: AppState, pages: Router<AppState>) -> Router {
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name(SESSION_COOKIE)
        .with_same_site(SameSite::Lax)
        .with_http_only(true)
        .with_secure(state.config.secure_cookies())
        .with_expiry(Expiry::OnInactivity(time::Duration::days(14)));

    let pages = pages
        .merge(home::router())
        .fallback(|| async { AppError::NotFound })
        // One `layer` call for the stack: each call boxes the routes again, and a boxed
        // route is cloned on every request. Outermost first.
        .layer(
            ServiceBuilder::new()
                .layer(middleware::from_fn_with_state(state.clone(), tenant::resolve_tenant))
                .layer(sessions)
                .layer(middleware::from_fn_with_state(state.clone(), frame::frame)),
        );

    Router::new()
        .merge(home::operations_router())
        .merge(assets::router())
        .merge(pages)
        .layer(
            ServiceBuilder::new()
                .layer(CatchPanicLayer::new())
                .layer(TraceLayer::new_for_http())
                .layer(timeout::TimeoutLayer::new(Duration::from_secs(30)))
                .layer(CompressionLayer::new())
                .layer(middleware::map_response(security_headers))
                .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
                .layer(middleware::from_fn(record_metrics)),
        )
        .with_state(state)
}

/// Folds the request durations recorded since the last turn into the histograms every five
/// seconds, as the Prometheus exporter's own installer does: without it every recorded
/// duration stays in memory until something scrapes `/metrics` (at 25,000 requests a
/// second, hundreds of megabytes an hour).
pub fn spawn_metrics_upkeep(state: &AppState) {
    let handle = state.metrics.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            handle.run_upkeep();
        }
    });
}

/// Deletes expired login sessions and rate-limit counters every hour.
pub fn spawn_housekeeping(db: Db) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            if let Err(e) = DbSessionStore::new(db.clone()).delete_expired().await {
                tracing::warn!(error = %e, "cannot delete expired sessions");
            }
            if let Err(e) = crate::rate_limit::delete_expired(&db).await {
                tracing::warn!(error = %e, "cannot delete old rate-limit counters");
            }
        }
    });
}

/// Serves `app` on `listener` until SIGTERM or Ctrl-C, then finishes the requests under
/// way and returns. Runs on the caller's runtime (tests run several servers in one).
///
/// # Errors
/// The listener fails.
pub async fn serve(listener: tokio::net::TcpListener, app: Router) -> anyhow::Result<()> {
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("server error")
}

/// Listening sockets on `addr` for [`serve_workers`], one per worker, each with room for a
/// burst of new connections (a backlog of 1,024, as tokio's own `bind`). Call it on a
/// runtime.
///
/// On Linux every worker has a socket of its own on the same port (`SO_REUSEPORT`), and
/// the kernel spreads new connections evenly between them; a single shared socket let
/// whichever thread woke first take them all (seen: all 64 of a benchmark's connections
/// on one of two threads, the other idle). An address already in use is refused as a
/// plain bind would refuse it, so a second server cannot join the port by mistake.
///
/// # Errors
/// The address is taken or not ours.
pub fn listen(addr: SocketAddr, workers: usize) -> std::io::Result<Vec<std::net::TcpListener>> {
    let socket = || if addr.is_ipv4() { tokio::net::TcpSocket::new_v4() } else { tokio::net::TcpSocket::new_v6() };
    let probe = std::net::TcpListener::bind(addr)?;
    if cfg!(target_os = "linux") {
        // The port the probe got (for port 0), then the workers' sockets share it.
        let addr = probe.local_addr()?;
        drop(probe);
        (0..workers.max(1))
            .map(|_| {
                let s = socket()?;
                s.set_reuseaddr(true)?;
                #[cfg(target_os = "linux")]
                s.set_reuseport(true)?;
                s.bind(addr)?;
                s.listen(1024)?.into_std()
            })
            .collect()
    } else {
        drop(probe);
        let s = socket()?;
        s.set_reuseaddr(true)?;
        s.bind(addr)?;
        let shared = s.listen(1024)?.into_std()?;
        (0..workers.max(1)).map(|_| shared.try_clone()).collect()
    }
}

/// Serves the application from one thread per listener of [`listen`], each with an event
/// loop of its own that accepts connections and answers their requests itself, the way
/// nginx runs a worker per core. A request never moves between threads: with tokio's
/// work-stealing scheduler, waking the other thread cost about a third of the throughput
/// on two cores (see `docs/performance.md`). Each worker builds its own application with
/// `app` from its own state ([`AppState::for_worker`], made on the worker's event loop: on
/// PostgreSQL a pool of its own). Background work (reminders, housekeeping) stays on the
/// caller's runtime with `state`.
///
/// On SIGTERM or Ctrl-C every worker finishes the requests under way, then this returns.
///
/// # Errors
/// A worker cannot start (PostgreSQL cannot be reached), or its listener fails.
pub async fn serve_workers(
    listeners: Vec<std::net::TcpListener>,
    state: AppState,
    app: fn(AppState) -> Router,
) -> anyhow::Result<()> {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let (done, mut finished) = tokio::sync::mpsc::unbounded_channel::<anyhow::Result<()>>();
    let workers = listeners.len();
    let mut threads = Vec::new();
    for (n, listener) in listeners.into_iter().enumerate() {
        listener.set_nonblocking(true).context("cannot make the listener non-blocking")?;
        let (state, mut stopped, done) = (state.clone(), stopped.clone(), done.clone());
        let worker = move || {
            let served = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .context("cannot start a worker's event loop")
                .and_then(|runtime| {
                    runtime.block_on(async move {
                        let state = state.for_worker(workers).await?;
                        let listener = tokio::net::TcpListener::from_std(listener)?;
                        let served = axum::serve(
                            listener,
                            app(state.clone()).into_make_service_with_connect_info::<SocketAddr>(),
                        )
                        .with_graceful_shutdown(async move {
                            let _ = stopped.wait_for(|stop| *stop).await;
                        })
                        .await
                        .context("server error");
                        state.db.close_worker().await;
                        served
                    })
                });
            let _ = done.send(served);
        };
        threads.push(std::thread::Builder::new().name(format!("http-{n}")).spawn(worker)?);
    }
    drop(done);
    // Until a signal, or until a worker stops by itself (an error: the others stop too).
    let early = tokio::select! {
        () = shutdown_signal() => None,
        result = finished.recv() => result,
    };
    let _ = stop.send(true);
    let mut outcome = early.unwrap_or(Ok(()));
    while let Some(result) = finished.recv().await {
        outcome = outcome.and(result);
    }
    for thread in threads {
        if thread.join().is_err() {
            outcome = outcome.and(Err(anyhow::anyhow!("a server worker panicked")));
        }
    }
    outcome
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests under way");
}

crate::html_page!(NoticePage);

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_worker_listens_on_the_port_and_a_taken_port_is_refused() {
        let listeners = listen("127.0.0.1:0".parse().unwrap(), 3).unwrap();
        assert_eq!(listeners.len(), 3);
        let addr = listeners[0].local_addr().unwrap();
        assert_ne!(addr.port(), 0);
        assert!(listeners.iter().all(|l| l.local_addr().unwrap() == addr));
        // A second server on the same port is refused, not let in to share it.
        let err = listen(addr, 2).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::AddrInUse);
    }

    fn get(addr: SocketAddr) -> std::io::Result<String> {
        use std::io::{Read, Write};
        let mut conn = std::net::TcpStream::connect(addr)?;
        conn.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")?;
        let mut out = String::new();
        conn.read_to_string(&mut out)?;
        Ok(out)
    }

    #[tokio::test]
    async fn workers_answer_and_stop_with_their_server() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(&format!("sqlite://{}", dir.path().join("t.sqlite3").display())).await.unwrap();
        db.migrate().await.unwrap();
        let listeners = listen("127.0.0.1:0".parse().unwrap(), 2).unwrap();
        let addr = listeners[0].local_addr().unwrap();
        let state = AppState::new(db, crate::config::Layer::default().resolve(), addr).await.unwrap();
        let app = |_| Router::new().route("/", axum::routing::get(|| async { "ok" }));
        let served = tokio::spawn(serve_workers(listeners, state, app));
        for _ in 0..20 {
            let answer = tokio::task::spawn_blocking(move || get(addr)).await.unwrap().unwrap();
            assert!(answer.starts_with("HTTP/1.1 200") && answer.ends_with("ok"), "{answer}");
        }
        // Dropping the server tells its workers to stop: the port closes.
        served.abort();
        let closed = tokio::task::spawn_blocking(move || {
            (0..100).any(|_| {
                std::thread::sleep(Duration::from_millis(50));
                get(addr).is_err()
            })
        });
        assert!(closed.await.unwrap(), "the workers stopped listening");
    }
}
