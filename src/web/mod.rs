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
pub mod atom;
pub mod ctx;
pub mod error;
pub mod escape;
pub mod frame;
pub mod home;
pub mod tenant;
pub mod timeout;
pub mod workers;

pub use ctx::{Admin, Ctx, Member, Staff};
pub use error::{AppError, AppResult};
pub use workers::{listen, serve, serve_workers};

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

/// A page with one button that does what a link in a mail offers (verify an address,
/// join an online session), so that following the link, which mail scanners do too,
/// changes nothing: the button sends `token` to `action` (Fluent ids for the words).
#[derive(askama::Template)]
#[template(path = "confirm.html")]
pub struct ConfirmPage {
    pub ctx: Ctx,
    pub title: &'static str,
    /// What it is about (a session's title and time), or empty.
    pub detail: String,
    pub message: &'static str,
    pub action: &'static str,
    pub token: String,
    pub button: &'static str,
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
    /// The search index, one for the process (every worker shares it).
    pub search: Arc<crate::search::Index>,
    /// The event pages read, kept until what they read changes (every worker shares them).
    pub event_pages: Arc<crate::event::store::PageCache>,
    /// How far the roster imports this process runs are (every worker shares it).
    pub import_progress: Arc<crate::roster::job::Board>,
    /// Signs the unsubscribe addresses of mails.
    pub unsubscribe_key: crate::subscription::UnsubscribeKey,
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
        let unsubscribe_key =
            crate::subscription::UnsubscribeKey::load(&db).await.context("cannot read the unsubscribe secret")?;
        let base_url = config.base_url.clone().unwrap_or_else(|| format!("http://{listen}"));
        let search = crate::search::Index::build(&db).await.context("cannot build the search index")?;
        // On PostgreSQL, listening for what others change, for as long as the database is
        // open: until then no page is kept.
        if let Some(follow) = db.follow_changes() {
            tokio::spawn(follow);
        }
        Ok(AppState(Arc::new(Shared {
            search,
            event_pages: Arc::default(),
            import_progress: Arc::default(),
            db,
            mailer,
            csrf_key: frame::CsrfKey::new(csrf_key.as_bytes()),
            tenants: tenant::TenantResolver::default(),
            metrics: metrics_handle(),
            base_url,
            unsubscribe_key,
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
            search: Arc::clone(&self.search),
            event_pages: Arc::clone(&self.event_pages),
            import_progress: Arc::clone(&self.import_progress),
            unsubscribe_key: self.unsubscribe_key.clone(),
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

crate::html_page!(NoticePage, ConfirmPage);
