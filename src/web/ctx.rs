//! `Ctx`: what every page needs to know about the request (tenant, language, CSRF token,
//! the logged-in account), and the extractors that require a login or a role.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRef, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use tower_sessions::Session;

use super::AppState;
use super::error::AppError;
use crate::account::{Account, AccountId, store as account_store};
use crate::i18n::{Lang, wareki};
use crate::tenant::{Tenant, TenantId};
use crate::validate::FieldErrors;

/// The tenant a request was routed to, and whether its host name is registered to it
/// (only then may links in mails use the request's host).
#[derive(Clone, Debug)]
pub struct ResolvedTenant {
    pub tenant: std::sync::Arc<Tenant>,
    pub registered_host: Option<String>,
}

/// The CSRF token the request's forms must carry.
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

/// Who a login session belongs to.
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
pub struct AuthSession {
    pub account_id: AccountId,
    pub tenant_id: TenantId,
    pub auth_version: i64,
}

pub const AUTH_KEY: &str = "auth";
pub const LANG_COOKIE: &str = "lang";
/// The cookie carrying a one-time message to the next page (a Fluent id). A cookie, not
/// the login session: showing the message must not write to the database.
pub const FLASH_COOKIE: &str = "sh_flash";

/// Where a handler leaves a one-time message for the next page; the frame sends it as
/// [`FLASH_COOKIE`] with the response.
#[derive(Clone, Debug, Default)]
pub struct FlashSlot(pub std::sync::Arc<std::sync::Mutex<Option<String>>>);

impl FlashSlot {
    /// The message left, if any.
    pub fn take(&self) -> Option<String> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take()
    }
}

/// The message a request's flash cookie names, if it is one of ours.
pub fn flash_in(headers: &axum::http::HeaderMap) -> Option<String> {
    cookie(headers, FLASH_COOKIE)
        .filter(|id| id.len() <= 64 && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'))
        .filter(|id| Lang::has_message(id))
        .map(str::to_owned)
}

/// One option of a `<select>`.
#[derive(Clone, Debug)]
pub struct SelectOption {
    pub value: &'static str,
    pub label: std::borrow::Cow<'static, str>,
    pub selected: bool,
}

/// The request context every page is rendered with.
#[derive(Clone, Debug)]
pub struct Ctx {
    pub tenant: std::sync::Arc<Tenant>,
    pub lang: Lang,
    pub csrf: String,
    pub account: Option<Account>,
    /// Path and query of this request, to come back to after login or a language switch.
    pub path: String,
    /// A one-time message from the previous request (Fluent id).
    pub flash: Option<String>,
    /// Where this request leaves a message for the next page.
    flash_out: FlashSlot,
    /// Field errors of a submitted form (empty when showing a fresh form).
    pub errors: FieldErrors,
    pub session: Option<Session>,
    /// Where links in mails to this tenant point.
    pub base_url: String,
    /// The client's address, for rate limits.
    pub client_ip: Option<IpAddr>,
}

/// Reads one cookie's value from the request headers.
pub fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The client's address: the peer, or with `trust_proxy` the last `X-Forwarded-For` hop.
pub fn client_ip(parts: &Parts, trust_proxy: bool) -> Option<IpAddr> {
    if trust_proxy {
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse().ok());
        if forwarded.is_some() {
            return forwarded;
        }
    }
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())
}

/// What a [`Ctx`] is made from that the request itself says (tenant, cookies, path,
/// address), read without waiting on anything. Cheap to keep: the frame holds one to
/// render an error page after the handler has taken the request.
#[derive(Clone, Debug)]
pub struct RequestInfo {
    resolved: ResolvedTenant,
    lang: Lang,
    csrf: String,
    session: Option<Session>,
    has_session_cookie: bool,
    path: String,
    client_ip: Option<IpAddr>,
    flash: Option<String>,
    flash_out: FlashSlot,
}

impl RequestInfo {
    /// Reads a request's parts.
    ///
    /// # Errors
    /// The tenant middleware did not run (a bug).
    pub fn from_parts(parts: &Parts, state: &AppState) -> Result<RequestInfo, AppError> {
        let resolved = parts
            .extensions
            .get::<ResolvedTenant>()
            .cloned()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("tenant middleware missing")))?;
        Ok(RequestInfo {
            resolved,
            lang: cookie(&parts.headers, LANG_COOKIE).and_then(Lang::from_code).unwrap_or_default(),
            csrf: parts.extensions.get::<CsrfToken>().map(|t| t.0.clone()).unwrap_or_default(),
            session: parts.extensions.get::<Session>().cloned(),
            has_session_cookie: cookie(&parts.headers, super::SESSION_COOKIE).is_some(),
            path: parts.uri.path_and_query().map_or("/", |p| p.as_str()).to_owned(),
            client_ip: client_ip(parts, state.config.trust_proxy),
            flash: flash_in(&parts.headers),
            flash_out: parts.extensions.get::<FlashSlot>().cloned().unwrap_or_default(),
        })
    }

    /// The context: the logged-in account and a waiting message are read from the login
    /// session, when the browser sent its cookie.
    ///
    /// # Errors
    /// The database fails.
    pub async fn into_ctx(self, state: &AppState) -> Result<Ctx, AppError> {
        let RequestInfo { resolved, lang, csrf, session, has_session_cookie, path, client_ip, flash, flash_out } = self;
        let mut account = None;
        if let Some(session) = &session
            && has_session_cookie
        {
            let auth: Option<AuthSession> = session.get(AUTH_KEY).await.map_err(|e| anyhow::anyhow!(e))?;
            if let Some(auth) = auth.filter(|a| a.tenant_id == resolved.tenant.id) {
                account = account_store::find(&state.db, auth.tenant_id, auth.account_id)
                    .await?
                    .filter(|a| a.auth_version == auth.auth_version);
            }
        }
        let base_url = match &resolved.registered_host {
            Some(host) => format!("{}://{host}", if state.config.secure_cookies() { "https" } else { "http" }),
            None => state.base_url.clone(),
        };
        Ok(Ctx {
            tenant: resolved.tenant,
            lang,
            csrf,
            account,
            path,
            flash,
            flash_out,
            errors: FieldErrors::default(),
            session,
            base_url,
            client_ip,
        })
    }
}

impl Ctx {
    /// Builds the context from a request's parts.
    ///
    /// # Errors
    /// The tenant middleware did not run (a bug), or the database fails.
    pub async fn from_parts(parts: &Parts, state: &AppState) -> Result<Ctx, AppError> {
        RequestInfo::from_parts(parts, state)?.into_ctx(state).await
    }

    /// The message `id` in the reader's language, as HTML for a template (`{{ ctx.t("…") }}`
    /// writes it as it is: it was escaped once, when first used). Rust code that needs the
    /// text itself uses `ctx.lang.t(id)`.
    pub fn t(&self, id: &str) -> askama::filters::Safe<std::borrow::Cow<'static, str>> {
        askama::filters::Safe(self.lang.t_html(id))
    }

    /// ` lang="ja"` on an element holding what people wrote in Japanese ([`Lang::ja_attr`]).
    pub fn ja(&self, text: &str) -> askama::filters::Safe<&'static str> {
        askama::filters::Safe(self.lang.ja_attr(text))
    }

    /// The message `id` with one argument that people wrote (a lab's title), as HTML: in
    /// the English interface the argument, when Japanese, is marked `lang="ja"` within the
    /// English sentence ([`Ctx::ja`]).
    pub fn t1_ja(&self, id: &str, name: &str, value: &str) -> askama::filters::Safe<String> {
        const SLOT: &str = "\u{E000}";
        let escape = |text: &str| askama::filters::escape(text, askama::filters::Html).map(|e| e.to_string());
        let sentence = escape(&self.lang.t_args(id, &[(name, SLOT)])).unwrap_or_default();
        let value = escape(value).unwrap_or_default();
        let lang = self.ja(&value).0;
        let value = if lang.is_empty() { value } else { format!("<span{lang}>{value}</span>") };
        askama::filters::Safe(sentence.replacen(SLOT, &value, 1))
    }

    /// The message `id` with one argument.
    pub fn t1(&self, id: &str, name: &str, value: impl std::fmt::Display) -> String {
        self.lang.t_args(id, &[(name, &value.to_string())])
    }

    /// The logged-in account's id, if any.
    pub fn account_id(&self) -> Option<AccountId> {
        self.account.as_ref().map(|a| a.id)
    }

    /// Whether the logged-in member is asked to agree to the privacy notice (again): on
    /// every page but the notice's own, until they do.
    pub fn asks_consent(&self) -> bool {
        self.account.as_ref().is_some_and(|a| crate::privacy::asks_again(a.consented_notice.as_deref()))
            && !self.path.starts_with("/privacy")
    }

    /// The error message for a form field, translated, if it has one.
    pub fn field_error(&self, field: &str) -> Option<std::borrow::Cow<'static, str>> {
        self.errors.get(field).map(|id| self.lang.t(id))
    }

    /// The error messages of the form, for the summary at its top.
    pub fn error_list(&self) -> Vec<(String, String)> {
        self.errors.0.iter().map(|e| (e.field.to_owned(), self.lang.t(e.message).into_owned())).collect()
    }

    pub fn is_logged_in(&self) -> bool {
        self.account.is_some()
    }

    pub fn is_admin(&self) -> bool {
        self.account.as_ref().is_some_and(Account::is_admin)
    }

    /// Whether the reader is a coordinator.
    pub fn is_coordinator(&self) -> bool {
        self.account.as_ref().is_some_and(|a| a.role == crate::account::Role::Coordinator)
    }

    /// A role's name in the reader's language.
    pub fn role(&self, role: &crate::account::Role) -> std::borrow::Cow<'static, str> {
        self.lang.t(&format!("role-{}", role.code()))
    }

    /// A moderation step's name in the reader's language.
    pub fn moderation(&self, action: &str) -> std::borrow::Cow<'static, str> {
        self.lang.t(&format!("issue-log-{action}"))
    }

    /// A sector's name in the reader's language.
    pub fn sector(&self, sector: &crate::sector::Sector) -> std::borrow::Cow<'static, str> {
        sector.label(self.lang)
    }

    /// The sectors as options of a `<select>`, with `selected` (a code) marked.
    pub fn sector_options(&self, selected: &str) -> Vec<SelectOption> {
        crate::sector::Sector::ALL
            .iter()
            .map(|s| SelectOption { value: s.code(), label: s.label(self.lang), selected: s.code() == selected })
            .collect()
    }

    /// A date as the reader expects it (令和5年4月20日（木）in Japanese).
    pub fn date(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        wareki::format_date(self.lang, wareki::jst_date(*t))
    }

    /// A Japan calendar day as the reader expects it.
    pub fn day(&self, d: impl std::borrow::Borrow<chrono::NaiveDate>) -> String {
        wareki::format_date(self.lang, *d.borrow())
    }

    /// The client's address as the access log shows it.
    pub fn client_address(&self) -> String {
        self.client_ip.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
    }

    /// A key identifying the client for rate limits: tenant and address.
    pub fn client_key(&self) -> String {
        let ip = self.client_ip.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
        format!("{}:{ip}", self.tenant.id.0)
    }

    /// Whether the one-time message says something went wrong: its Fluent id has `-error-`
    /// in it (`issue-error-hide-reason-required`). Shown as an alert, never in the green
    /// banner of a success.
    pub fn flash_is_error(&self) -> bool {
        self.flash.as_deref().is_some_and(|id| id.contains("-error-"))
    }

    /// Leaves a message (a Fluent id) for the next page this browser shows.
    pub fn set_flash(&self, id: &str) {
        *self.flash_out.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(id.to_owned());
    }

    /// The same context with a form's errors, for re-displaying it.
    pub fn with_errors(mut self, errors: FieldErrors) -> Ctx {
        self.errors = errors;
        self
    }

    /// The logged-in account, or a redirect to the login page.
    ///
    /// # Errors
    /// [`AppError::LoginRequired`].
    pub fn require_account(&self) -> Result<&Account, AppError> {
        self.account.as_ref().ok_or_else(|| AppError::LoginRequired { next: self.path.clone() })
    }
}

impl<S> FromRequestParts<S> for Ctx
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Ctx::from_parts(parts, &AppState::from_ref(state)).await
    }
}

/// A context whose reader is logged in; otherwise the reader is sent to log in.
pub struct Member(pub Ctx, pub Account);

impl<S> FromRequestParts<S> for Member
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        let account = ctx.require_account()?.clone();
        Ok(Member(ctx, account))
    }
}

/// A context whose reader is the secretariat or a coordinator (who checks people in at
/// sessions); others get 403.
pub struct Staff(pub Ctx, pub Account);

impl<S> FromRequestParts<S> for Staff
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Member(ctx, account) = Member::from_request_parts(parts, state).await?;
        if matches!(account.role, crate::account::Role::Admin | crate::account::Role::Coordinator) {
            Ok(Staff(ctx, account))
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// A context whose reader is the secretariat (admin); others get 403.
pub struct Admin(pub Ctx, pub Account);

impl<S> FromRequestParts<S> for Admin
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Member(ctx, account) = Member::from_request_parts(parts, state).await?;
        if account.is_admin() { Ok(Admin(ctx, account)) } else { Err(AppError::Forbidden) }
    }
}
