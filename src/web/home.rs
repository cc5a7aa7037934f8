//! The language switch, and the operations endpoints (`/healthz`,
//! `/metrics`). The home page itself gathers the concepts' news: `crate::home`.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use super::AppState;
use super::ctx::LANG_COOKIE;
use crate::i18n::Lang;

pub fn router() -> Router<AppState> {
    Router::new().route("/lang", post(switch_lang))
}

/// Routes outside tenants, sessions and pages: for load balancers and monitoring.
pub fn operations_router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/metrics", get(metrics))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct LangForm {
    lang: String,
    next: String,
}

/// Only local paths are followed after a form, never another site.
pub fn local_path(next: &str) -> &str {
    // Browsers drop tabs and line breaks and read `\` as `/`, so none may appear at all.
    let clean = !next.bytes().any(|b| b <= 0x20 || b == 0x7f || b == b'\\');
    if clean && next.starts_with('/') && !next.starts_with("//") { next } else { "/" }
}

async fn switch_lang(State(state): State<AppState>, Form(form): Form<LangForm>) -> Response {
    let lang = Lang::from_code(&form.lang).unwrap_or_default();
    let secure = if state.config.secure_cookies() { "; Secure" } else { "" };
    let mut res = Redirect::to(local_path(&form.next)).into_response();
    let cookie = format!("{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000{secure}", lang.code());
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

async fn healthz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable\n").into_response()
        }
    }
}

/// The metrics, for a scraper that sends the configured token (`metrics_token`) as
/// `Authorization: Bearer …`; for anyone else, as if there were none.
async fn metrics(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let sent = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    match (&state.config.metrics_token, sent) {
        (Some(token), Some(sent)) if same_secret(token.0.as_bytes(), sent.trim().as_bytes()) => {
            ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], state.metrics.render())
                .into_response()
        }
        _ => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

/// Whether two secrets are equal, taking as long whatever the first difference.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(super::local_path("/account"), "/account");
        assert_eq!(super::local_path("//evil.example"), "/");
        assert_eq!(super::local_path("https://evil.example"), "/");
        assert_eq!(super::local_path("/\\evil.example"), "/");
        assert_eq!(super::local_path("/\t/evil.example"), "/");
        assert_eq!(super::local_path("/a\nb"), "/");
        assert_eq!(super::local_path("/events?x=1"), "/events?x=1");
    }
}
