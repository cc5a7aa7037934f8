//! The frame around every page request: CSRF protection for state-changing requests and
//! error pages in the reader's language.
//!
//! CSRF uses a signed double-submit token: the browser holds a random nonce in an
//! HttpOnly cookie, every form carries HMAC(secret, nonce), and the secret is shared by
//! all instances through the database. A request from another origin is refused outright.
//!
//! Forms reach handlers without control characters other than line breaks and tabs
//! (`validate::is_stray_control`): the frame takes them out of every urlencoded body and
//! query string, so no handler stores a NUL (which PostgreSQL refuses) or an escape
//! sequence.

use askama::Template;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::AppState;
use super::ctx::{CsrfToken, Ctx, FLASH_COOKIE, FlashSlot, RequestInfo, cookie};
use super::error::{AppError, ErrorPage};
use crate::validate::{is_stray_control, without_stray_controls};

const CSRF_COOKIE: &str = "sh_csrf";
/// The form field (or `X-CSRF-Token` header, or query parameter for uploads) with the token.
pub const CSRF_FIELD: &str = "csrf_token";
const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;
/// Where one-click unsubscribe addresses start (`crate::subscription::web`).
const ONE_CLICK_PREFIX: &str = "/unsubscribe/";

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
}

/// The secret that signs CSRF tokens, keyed once: HMAC's inner and outer key blocks are
/// hashed when the key is set, not again for every page.
#[derive(Clone)]
pub struct CsrfKey(Hmac<Sha256>);

impl CsrfKey {
    pub fn new(secret: &[u8]) -> CsrfKey {
        CsrfKey(<Hmac<Sha256> as KeyInit>::new_from_slice(secret).expect("HMAC takes any key length"))
    }

    fn mac(&self, nonce: &str) -> Hmac<Sha256> {
        let mut m = self.0.clone();
        m.update(nonce.as_bytes());
        m
    }

    /// The token forms must carry for this nonce.
    pub fn token_for(&self, nonce: &str) -> String {
        b64().encode(self.mac(nonce).finalize().into_bytes())
    }

    fn matches(&self, nonce: &str, submitted: &str) -> bool {
        b64().decode(submitted).is_ok_and(|bytes| self.mac(nonce).verify_slice(&bytes).is_ok())
    }
}

impl std::fmt::Debug for CsrfKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CsrfKey(…)")
    }
}

fn valid_nonce(n: &str) -> bool {
    n.len() == 22 && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether a path has the shape of a one-click unsubscribe address and nothing else:
/// `/unsubscribe/ACCOUNT/SCOPE/SIGNATURE` (a route added under the prefix later keeps
/// its CSRF protection).
fn is_one_click_unsubscribe(path: &str) -> bool {
    let Some(rest) = path.strip_prefix(ONE_CLICK_PREFIX) else { return false };
    let parts: Vec<&str> = rest.split('/').collect();
    let word = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    parts.len() == 3
        && parts[0].bytes().all(|b| b.is_ascii_digit())
        && !parts[0].is_empty()
        && parts[1..].iter().all(|p| word(p))
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE)
}

/// Whether an `Origin` header, if present, names the host the request was sent to.
fn same_origin(req: &Request) -> bool {
    let Some(origin) = req.headers().get(header::ORIGIN) else {
        return true;
    };
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    origin.to_str().ok().and_then(|o| url::Url::parse(o).ok()).is_some_and(|u| {
        let origin_host = match (u.host_str(), u.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_owned(),
            _ => return false,
        };
        origin_host.eq_ignore_ascii_case(host)
    })
}

/// Reads a whole body of at most `limit` bytes.
///
/// A body over the limit is still read to its end, when it ends within
/// [`super::MAX_BODY_BYTES`], and thrown away: a server that answers before it has read
/// what the browser sends closes the connection under it, and the browser shows a reset
/// connection instead of the answer.
///
/// # Errors
/// [`AppError::TooLarge`] for a body over `limit`, [`AppError::BadRequest`] for a body
/// that cannot be read.
async fn read_body(mut body: Body, limit: usize) -> Result<Bytes, AppError> {
    let drain_limit = limit.max(super::MAX_BODY_BYTES) as u64;
    if body.size_hint().lower() > drain_limit {
        return Err(AppError::TooLarge);
    }
    let mut chunks: Vec<Bytes> = Vec::new();
    let mut total = 0u64;
    while let Some(frame) = std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await {
        let Ok(data) = frame.map_err(|_| AppError::BadRequest)?.into_data() else {
            continue; // trailers carry nothing a form needs
        };
        total += data.len() as u64;
        if total > drain_limit {
            return Err(AppError::TooLarge);
        }
        if total <= limit as u64 {
            chunks.push(data);
        }
    }
    if total > limit as u64 {
        return Err(AppError::TooLarge);
    }
    Ok(match chunks.len() {
        0 => Bytes::new(),
        1 => chunks.swap_remove(0),
        _ => Bytes::from(chunks.concat()),
    })
}

/// A urlencoded form (a body or a query string) with [`is_stray_control`] characters taken
/// out of its names and values, or `None` when it has none: the form then goes on byte
/// for byte as it came.
fn form_without_stray_controls(form: &[u8]) -> Option<String> {
    let pairs = url::form_urlencoded::parse(form);
    if !pairs.clone().any(|(k, v)| k.contains(is_stray_control) || v.contains(is_stray_control)) {
        return None;
    }
    let mut clean = url::form_urlencoded::Serializer::new(String::with_capacity(form.len()));
    for (k, v) in pairs {
        clean.append_pair(&without_stray_controls(&k), &without_stray_controls(&v));
    }
    Some(clean.finish())
}

/// The request with stray control characters taken out of its query string (the fields of
/// a GET form).
///
/// # Errors
/// [`AppError::BadRequest`] if the cleaned address cannot be put together again.
fn clean_query(req: Request) -> Result<Request, AppError> {
    let Some(clean) = req.uri().query().and_then(|q| form_without_stray_controls(q.as_bytes())) else {
        return Ok(req);
    };
    let (mut parts, body) = req.into_parts();
    let mut uri = parts.uri.into_parts();
    let path = uri.path_and_query.as_ref().map_or("/", |p| p.path());
    uri.path_and_query = Some(format!("{path}?{clean}").try_into().map_err(|_| AppError::BadRequest)?);
    parts.uri = Uri::from_parts(uri).map_err(|_| AppError::BadRequest)?;
    Ok(Request::from_parts(parts, body))
}

/// Checks the token of a state-changing request, buffering a form body to read it; a form
/// body goes on to the handler without stray control characters, whichever way its token
/// came.
async fn check_csrf(req: Request, key: &CsrfKey, nonce: Option<&str>) -> Result<Request, AppError> {
    // A one-click unsubscribe comes from a mail program, with neither cookie nor token:
    // the signed address is its authority, and all it can do is stop mail.
    if is_safe(req.method()) || is_one_click_unsubscribe(req.uri().path()) {
        return Ok(req);
    }
    if !same_origin(&req) {
        return Err(AppError::Csrf);
    }
    let Some(nonce) = nonce else {
        return Err(AppError::Csrf);
    };
    let from_header = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let from_query = req.uri().query().and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v.into_owned())
    });
    // The very test axum's `Form` makes: every body a handler reads as a form passes here.
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return match from_header.or(from_query) {
            Some(t) if key.matches(nonce, &t) => Ok(req),
            _ => Err(AppError::Csrf),
        };
    }
    let (parts, body) = req.into_parts();
    let bytes = read_body(body, MAX_FORM_BYTES).await?;
    let submitted = from_header
        .or(from_query)
        .or_else(|| url::form_urlencoded::parse(&bytes).find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v.into_owned()));
    match submitted {
        Some(t) if key.matches(nonce, &t) => {
            let bytes = form_without_stray_controls(&bytes).map_or(bytes, Bytes::from);
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        _ => Err(AppError::Csrf),
    }
}

/// The error page template.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    ctx: Ctx,
    title: String,
    message: String,
    status: u16,
}

/// The generic page for a status that a handler did not explain (axum's own 404, 405, 413,
/// a form that could not be read…).
fn page_for_status(status: StatusCode) -> ErrorPage {
    match status {
        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => {
            ErrorPage { title: "error-not-found-title", message: "error-not-found-message" }
        }
        StatusCode::PAYLOAD_TOO_LARGE => {
            ErrorPage { title: "error-too-large-title", message: "error-too-large-message" }
        }
        s if s.is_client_error() => {
            ErrorPage { title: "error-bad-request-title", message: "error-bad-request-message" }
        }
        _ => ErrorPage { title: "error-internal-title", message: "error-internal-message" },
    }
}

/// Middleware: CSRF check, then the handler, then error pages rendered in the reader's
/// language, and a CSRF nonce cookie for browsers that have none.
pub async fn frame(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let existing = cookie(&parts.headers, CSRF_COOKIE).filter(|n| valid_nonce(n)).map(str::to_owned);
    let nonce = existing.clone().unwrap_or_else(|| b64().encode(rand::random::<[u8; 16]>()));
    parts.extensions.insert(CsrfToken(state.csrf_key.token_for(&nonce)));
    let flash_out = FlashSlot::default();
    parts.extensions.insert(flash_out.clone());
    let had_flash = cookie(&parts.headers, FLASH_COOKIE).is_some();
    let changes_state = !is_safe(&parts.method);
    let session = parts.extensions.get::<tower_sessions::Session>().cloned();
    let wants_html =
        parts.headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    // What an error page needs of the request, kept before the handler takes it.
    let info = RequestInfo::from_parts(&parts, &state);
    let req = Request::from_parts(parts, body);

    let checked = match clean_query(req) {
        Ok(req) => check_csrf(req, &state.csrf_key, existing.as_deref()).await,
        Err(e) => Err(e),
    };
    let mut res = match checked {
        Ok(req) => next.run(req).await,
        Err(e) => e.into_response(),
    };
    // A login lasts 14 days from the last form its browser sent. Only a state-changing
    // request moves that on: a page view writes nothing to the database.
    if changes_state && let Some(session) = session {
        session.set_expiry(Some(tower_sessions::Expiry::OnInactivity(time::Duration::days(14))));
    }

    let status = res.status();
    let explained = res.extensions().get::<ErrorPage>().copied();
    let plain = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|ct| ct.starts_with("text/plain"));
    let page = explained.or_else(|| (status.as_u16() >= 400 && plain && wants_html).then(|| page_for_status(status)));
    if let Some(page) = page {
        let retry_after = res.headers().get(header::RETRY_AFTER).cloned();
        let ctx = match info {
            Ok(info) => info.into_ctx(&state).await,
            Err(e) => Err(e),
        };
        res = match ctx {
            Ok(ctx) => {
                let tpl = ErrorTemplate {
                    title: ctx.lang.t(page.title).into_owned(),
                    message: ctx.lang.t(page.message).into_owned(),
                    status: status.as_u16(),
                    ctx,
                };
                match tpl.render() {
                    Ok(html) => (status, Html(html)).into_response(),
                    Err(e) => {
                        tracing::error!(error = %e, "cannot render error page");
                        status.into_response()
                    }
                }
            }
            Err(_) => status.into_response(),
        };
        if let Some(r) = retry_after {
            res.headers_mut().insert(header::RETRY_AFTER, r);
        }
    }

    let secure = if state.config.secure_cookies() { "; Secure" } else { "" };
    if existing.is_none() {
        let value = format!("{CSRF_COOKIE}={nonce}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000{secure}");
        if let Ok(v) = HeaderValue::from_str(&value) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    // A message left for the next page goes with the response; one brought by this
    // request is spent once a page (not a redirect) has shown it.
    let flash = match flash_out.take() {
        Some(id) => Some(format!("{FLASH_COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=300{secure}")),
        None if had_flash && !res.status().is_redirection() => {
            Some(format!("{FLASH_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"))
        }
        None => None,
    };
    if let Some(v) = flash.and_then(|f| HeaderValue::from_str(&f).ok()) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unsubscribe_addresses_go_without_a_token() {
        assert!(is_one_click_unsubscribe("/unsubscribe/12/daily/AbC-_9"));
        assert!(is_one_click_unsubscribe("/unsubscribe/12/board_notice/sig"));
        for path in [
            "/unsubscribe/",
            "/unsubscribe/12/daily",
            "/unsubscribe/12/daily/sig/more",
            "/unsubscribe/x/daily/sig",
            "/unsubscribe//daily/sig",
            "/unsubscribe/12/daily/",
            "/unsubscribe/12/../sig",
            "/unsubscribes/12/daily/sig",
            "/account/mail",
        ] {
            assert!(!is_one_click_unsubscribe(path), "{path}");
        }
    }

    #[test]
    fn tokens_are_bound_to_nonce_and_key() {
        let key = CsrfKey::new(b"k1");
        let t = key.token_for("nonce-aaaaaaaaaaaaaaaa");
        assert!(key.matches("nonce-aaaaaaaaaaaaaaaa", &t));
        assert!(!key.matches("nonce-bbbbbbbbbbbbbbbb", &t));
        assert!(!CsrfKey::new(b"k2").matches("nonce-aaaaaaaaaaaaaaaa", &t));
        assert!(!key.matches("nonce-aaaaaaaaaaaaaaaa", "garbage!"));
        // Keyed once and cloned: the same token as HMAC computed from scratch.
        let mut fresh = <Hmac<Sha256> as KeyInit>::new_from_slice(b"k1").unwrap();
        fresh.update(b"nonce-aaaaaaaaaaaaaaaa");
        assert_eq!(t, b64().encode(fresh.finalize().into_bytes()));
    }

    #[test]
    fn forms_lose_stray_controls_and_keep_the_rest() {
        assert_eq!(form_without_stray_controls(b"name=%E4%BD%90%E8%97%A4&note=a%0D%0Ab%09c"), None);
        assert_eq!(
            form_without_stray_controls(b"name=a%00b%7F%C2%85&x%01y=1+2&flag").as_deref(),
            Some("name=ab&xy=1+2&flag=")
        );
        // Raw bytes, which a browser would have encoded, are read the same way.
        assert_eq!(form_without_stray_controls(b"a=1\x002").as_deref(), Some("a=12"));
    }

    #[tokio::test]
    async fn bodies_over_the_limit_are_too_large() {
        assert_eq!(read_body(Body::from("1234"), 4).await.unwrap(), "1234");
        assert!(matches!(read_body(Body::from("12345"), 4).await, Err(AppError::TooLarge)));
        assert_eq!(read_body(Body::empty(), 4).await.unwrap(), "");
    }
}
