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
use axum::response::Response;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
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
pub mod frame;
pub mod home;
pub mod tenant;

pub use ctx::{Admin, Ctx, Member};
pub use error::{AppError, AppResult};

/// A page with a title and a message (Fluent ids), for "check your mail" and similar
/// outcomes, with an optional follow-up link: (href, Fluent id of its text).
#[derive(askama::Template, askama_web::WebTemplate)]
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
    use axum::response::IntoResponse;
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
    pub csrf_key: Arc<[u8]>,
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
            csrf_key: csrf_key.into_bytes().into(),
            tenants: tenant::TenantResolver::default(),
            metrics: metrics_handle(),
            base_url,
            config: Arc::new(config),
        })))
    }
}

impl AppState {
    /// What sends notifications, with links to the request's tenant.
    pub fn notifier(&self, ctx: &Ctx) -> crate::notification::Notifier {
        crate::notification::Notifier {
            db: self.db.clone(),
            mailer: self.mailer.clone(),
            base_url: ctx.base_url.clone(),
        }
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

/// Counts requests and their durations by route and status.
async fn record_metrics(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let route = req.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = req.method().to_string();
    let res = next.run(req).await;
    let status = res.status().as_u16().to_string();
    metrics::counter!("http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("http_request_duration_seconds", "method" => method, "route" => route)
        .record(start.elapsed().as_secs_f64());
    res
}

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The whole application: every concept's routes inside the shared layers.
pub fn app(state: AppState) -> Router {
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name(SESSION_COOKIE)
        .with_same_site(SameSite::Lax)
        .with_http_only(true)
        .with_secure(state.config.secure_cookies())
        .with_expiry(Expiry::OnInactivity(time::Duration::days(14)));

    let pages = Router::new()
        .merge(home::router())
        .merge(crate::account::web::router())
        .merge(crate::event::web::router())
        .merge(crate::event::admin::router())
        .merge(crate::registration::web::router())
        .merge(crate::attendance::web::router())
        .merge(crate::roster::web::router())
        .merge(crate::report::web::router())
        .merge(crate::social_issue::web::router())
        .merge(crate::lab::web::router())
        .merge(crate::roadmap::web::router())
        .merge(crate::consultation::web::router())
        .merge(crate::notification::web::router())
        .fallback(|| async { AppError::NotFound })
        .layer(middleware::from_fn_with_state(state.clone(), frame::frame))
        .layer(sessions)
        .layer(middleware::from_fn_with_state(state.clone(), tenant::resolve_tenant));

    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    Router::new()
        .merge(home::operations_router())
        .merge(assets::router())
        .merge(pages)
        .layer(middleware::from_fn(record_metrics))
        .layer(DefaultBodyLimit::max(8 * 1024 * 1024))
        .layer(
            ServiceBuilder::new()
                .layer(CatchPanicLayer::new())
                .layer(TraceLayer::new_for_http())
                .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
                .layer(CompressionLayer::new())
                .layer(header(header::CONTENT_SECURITY_POLICY, CSP))
                .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                .layer(header(header::X_FRAME_OPTIONS, "DENY"))
                .layer(header(header::REFERRER_POLICY, "same-origin"))
                .layer(header(
                    HeaderName::from_static("permissions-policy"),
                    "camera=(), microphone=(), geolocation=()",
                )),
        )
        .with_state(state)
}

/// Sends due reminder mails every five minutes (see `registration::reminder`).
pub fn spawn_reminders(state: &AppState) {
    let (db, mailer, base) = (state.db.clone(), state.mailer.clone(), state.base_url.clone());
    let scheme = if state.config.secure_cookies() { "https" } else { "http" };
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(300));
        loop {
            tick.tick().await;
            match crate::registration::reminder::send_due(&db, &mailer, &base, scheme).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(mails = n, "sent reminders"),
                Err(e) => tracing::warn!(error = %e, "cannot send reminders"),
            }
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
/// way and returns.
///
/// # Errors
/// The listener fails.
pub async fn serve(listener: tokio::net::TcpListener, app: Router) -> anyhow::Result<()> {
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("server error")
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
