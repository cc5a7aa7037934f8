//! Sign-up, e-mail verification, login, logout and password reset.
//!
//! Sign-up, login and reset answer the same for known and unknown addresses: whether an
//! address has an account is told only by mail, to that address.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::access_log::Action;
use crate::account::token::Purpose;
use crate::account::{Account, normalize_email, password, store, validate_password, validate_signup};
use crate::rate_limit;
use crate::validate::{FieldErrors, email_message};
use crate::web::ctx::{AUTH_KEY, AuthSession};
use crate::web::home::local_path;
use crate::web::{AppResult, AppState, ConfirmPage, Ctx, NoticePage};

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct SignupForm {
    pub email: String,
    #[serde(skip_serializing)]
    pub password: String,
    pub display_name: String,
    pub furigana: String,
    pub sector: String,
    pub affiliation: String,
    pub consent: Option<String>,
}

#[derive(Template)]
#[template(path = "account/signup.html")]
pub struct SignupPage {
    pub ctx: Ctx,
    pub form: SignupForm,
}

pub async fn signup_form(ctx: Ctx) -> Response {
    if ctx.is_logged_in() {
        return Redirect::to("/account").into_response();
    }
    SignupPage { ctx, form: SignupForm::default() }.into_response()
}

fn signup_again(ctx: Ctx, mut form: SignupForm, errors: FieldErrors, status: StatusCode) -> Response {
    form.password.clear();
    (status, SignupPage { ctx: ctx.with_errors(errors), form }).into_response()
}

pub async fn signup(ctx: Ctx, State(st): State<AppState>, Form(form): Form<SignupForm>) -> AppResult<Response> {
    if !rate_limit::hit(&st.db, rate_limit::SIGNUP, &ctx.client_key()).await? {
        let errors = FieldErrors::single("email", "error-too-many-message");
        return Ok(signup_again(ctx, form, errors, StatusCode::TOO_MANY_REQUESTS));
    }
    let new = match validate_signup(
        &form.email,
        &form.password,
        &form.display_name,
        &form.furigana,
        &form.sector,
        &form.affiliation,
        form.consent.is_some(),
    ) {
        Ok(new) => new,
        Err(errors) => return Ok(signup_again(ctx, form, errors, StatusCode::UNPROCESSABLE_ENTITY)),
    };
    let tenant = ctx.tenant.id;
    let existing = store::find_by_email(&st.db, tenant, &new.email).await?;
    let created = match existing {
        // Hash anyway, so a known address takes as long as a new one.
        Some(_) => {
            password::hash(new.password.clone()).await?;
            None
        }
        None => {
            let hash = password::hash(new.password.clone()).await?;
            crate::account::sign_up(&st.db, tenant, &new.email, &hash, &new.profile, ctx.lang).await?
        }
    };
    match created {
        Some((_, token)) => send_verification(&ctx, &st, &token, &new.email, &new.profile.display_name).await?,
        None => {
            let body = ctx.lang.t_args(
                "mail-exists-body",
                &[
                    ("center", &ctx.tenant.name),
                    ("login", &format!("{}/login", ctx.base_url)),
                    ("reset", &format!("{}/password/forgot", ctx.base_url)),
                ],
            );
            st.mailer.send(&new.email, &ctx.lang.t("mail-exists-subject"), &body).await?;
        }
    }
    Ok(NoticePage { ctx, title: "signup-done-title", message: "signup-done-message", link: None }.into_response())
}

async fn send_verification(ctx: &Ctx, st: &AppState, token: &str, email: &str, name: &str) -> AppResult<()> {
    let link = format!("{}/account/verify?token={token}", ctx.base_url);
    let body = ctx.lang.t_args("mail-verify-body", &[("name", name), ("center", &ctx.tenant.name), ("link", &link)]);
    st.mailer.send(email, &ctx.lang.t("mail-verify-subject"), &body).await?;
    Ok(())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct TokenQuery {
    token: String,
}

/// The link in the verification mail: a page whose button confirms the address (opening
/// the link changes nothing).
pub async fn verify_form(ctx: Ctx, Query(q): Query<TokenQuery>) -> ConfirmPage {
    ConfirmPage {
        ctx,
        title: "verify-title",
        detail: String::new(),
        message: "verify-message",
        action: "/account/verify",
        token: q.token,
        button: "verify-button",
    }
}

pub async fn verify(ctx: Ctx, State(st): State<AppState>, Form(q): Form<TokenQuery>) -> AppResult<Response> {
    match crate::account::verify(&st.db, ctx.tenant.id, &q.token).await? {
        Some(_) => {
            ctx.set_flash("verify-done");
            Ok(Redirect::to("/login").into_response())
        }
        None => Ok((
            StatusCode::BAD_REQUEST,
            NoticePage {
                ctx,
                title: "verify-invalid-title",
                message: "verify-invalid-message",
                link: Some(("/login", "nav-login")),
            },
        )
            .into_response()),
    }
}

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct LoginForm {
    pub email: String,
    pub password: String,
    pub next: String,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct NextQuery {
    next: String,
}

#[derive(Template)]
#[template(path = "account/login.html")]
pub struct LoginPage {
    pub ctx: Ctx,
    pub form: LoginForm,
}

pub async fn login_form(ctx: Ctx, Query(q): Query<NextQuery>) -> Response {
    if ctx.is_logged_in() {
        return Redirect::to(local_path(&q.next)).into_response();
    }
    LoginPage { ctx, form: LoginForm { next: q.next, ..LoginForm::default() } }.into_response()
}

fn login_again(ctx: Ctx, mut form: LoginForm, error: &'static str, status: StatusCode) -> Response {
    form.password.clear();
    (status, LoginPage { ctx: ctx.with_errors(FieldErrors::single("email", error)), form }).into_response()
}

/// Starts a login session for `account` under a fresh session id.
async fn start_session(ctx: &Ctx, account: &Account) -> AppResult<()> {
    let session = ctx.session.as_ref().ok_or_else(|| anyhow::anyhow!("session layer missing"))?;
    session.cycle_id().await.map_err(|e| anyhow::anyhow!(e))?;
    let auth = AuthSession { account_id: account.id, tenant_id: account.tenant_id, auth_version: account.auth_version };
    session.insert(AUTH_KEY, auth).await.map_err(|e| anyhow::anyhow!(e))?;
    Ok(())
}

/// The limits on failed logins an attempt counts against, with its keys: the account (as
/// typed, whether or not it exists, so a refusal says nothing of who has an account) with
/// the address, the account, and the address.
fn login_limits(ctx: &Ctx, email: Option<&str>, typed: &str) -> [(rate_limit::Limit, String); 3] {
    let account = format!("{}:{}", ctx.tenant.id.0, email.map_or_else(|| typed.trim().to_lowercase(), str::to_owned));
    let address = ctx.client_key();
    [
        (rate_limit::LOGIN_FAILED_PAIR, format!("{account}@{address}")),
        (rate_limit::LOGIN_FAILED_ACCOUNT, account),
        (rate_limit::LOGIN_FAILED_ADDRESS, address),
    ]
}

/// A refused login in the access log: the address as typed (trimmed, at most 254
/// characters), from where.
async fn log_login(ctx: &Ctx, st: &AppState, action: Action, typed: &str) -> AppResult<()> {
    let typed: String = typed.trim().chars().take(254).collect();
    crate::access_log::store::record(&st.db, ctx.tenant.id, None, action, &typed, &ctx.client_address()).await?;
    Ok(())
}

pub async fn login(ctx: Ctx, State(st): State<AppState>, Form(form): Form<LoginForm>) -> AppResult<Response> {
    let email = normalize_email(&form.email);
    let limits = login_limits(&ctx, email.as_deref(), &form.email);
    for (limit, key) in &limits {
        if rate_limit::exhausted(&st.db, *limit, key).await? {
            log_login(&ctx, &st, Action::LoginLocked, &form.email).await?;
            return Ok(login_again(ctx, form, "error-too-many-message", StatusCode::TOO_MANY_REQUESTS));
        }
    }
    let found = match &email {
        Some(email) => store::find_by_email(&st.db, ctx.tenant.id, email).await?,
        None => None,
    };
    let (account, hash) = match found {
        Some((a, h)) => (Some(a), Some(h)),
        None => (None, None),
    };
    let ok = password::verify(form.password.clone(), hash).await?;
    let Some(account) = account.filter(|_| ok) else {
        for (limit, key) in &limits {
            rate_limit::hit(&st.db, *limit, key).await?;
        }
        log_login(&ctx, &st, Action::LoginFailed, &form.email).await?;
        return Ok(login_again(ctx, form, "login-error-failed", StatusCode::UNPROCESSABLE_ENTITY));
    };
    if account.email_verified_at.is_none() {
        let token = crate::account::issue_token(&st.db, ctx.tenant.id, account.id, Purpose::Verify).await?;
        send_verification(&ctx, &st, &token, &account.email, &account.display_name).await?;
        return Ok(login_again(ctx, form, "login-error-unverified", StatusCode::UNPROCESSABLE_ENTITY));
    }
    start_session(&ctx, &account).await?;
    ctx.set_flash("login-done");
    Ok(Redirect::to(local_path(&form.next)).into_response())
}

pub async fn logout(ctx: Ctx) -> AppResult<Response> {
    if let Some(session) = &ctx.session {
        session.flush().await.map_err(|e| anyhow::anyhow!(e))?;
    }
    Ok(Redirect::to("/").into_response())
}

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct ForgotForm {
    pub email: String,
}

#[derive(Template)]
#[template(path = "account/forgot.html")]
pub struct ForgotPage {
    pub ctx: Ctx,
    pub form: ForgotForm,
}

pub async fn forgot_form(ctx: Ctx) -> ForgotPage {
    ForgotPage { ctx, form: ForgotForm::default() }
}

pub async fn forgot(ctx: Ctx, State(st): State<AppState>, Form(form): Form<ForgotForm>) -> AppResult<Response> {
    if !rate_limit::hit(&st.db, rate_limit::PASSWORD_RESET, &ctx.client_key()).await? {
        let page = ForgotPage { ctx: ctx.with_errors(FieldErrors::single("email", "error-too-many-message")), form };
        return Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response());
    }
    let Some(email) = normalize_email(&form.email) else {
        let page = ForgotPage { ctx: ctx.with_errors(FieldErrors::single("email", email_message(&form.email))), form };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    if let Some((account, _)) = store::find_by_email(&st.db, ctx.tenant.id, &email).await? {
        let token = crate::account::issue_token(&st.db, ctx.tenant.id, account.id, Purpose::Reset).await?;
        let link = format!("{}/password/reset?token={token}", ctx.base_url);
        let body = ctx.lang.t_args(
            "mail-reset-body",
            &[("name", &account.display_name), ("center", &ctx.tenant.name), ("link", &link)],
        );
        // Sent after answering, so a known address answers as fast as an unknown one.
        let (mailer, subject) = (st.mailer.clone(), ctx.lang.t("mail-reset-subject"));
        tokio::spawn(async move {
            if let Err(e) = mailer.send(&account.email, &subject, &body).await {
                tracing::warn!(error = format!("{e:#}"), "cannot send the password reset mail");
            }
        });
    }
    Ok(NoticePage { ctx, title: "forgot-done-title", message: "forgot-done-message", link: None }.into_response())
}

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct ResetForm {
    pub token: String,
    pub password: String,
    pub password_confirm: String,
}

#[derive(Template)]
#[template(path = "account/reset.html")]
pub struct ResetPage {
    pub ctx: Ctx,
    pub token: String,
}

fn reset_invalid(ctx: Ctx) -> Response {
    (
        StatusCode::BAD_REQUEST,
        NoticePage {
            ctx,
            title: "reset-invalid-title",
            message: "reset-invalid-message",
            link: Some(("/password/forgot", "forgot-title")),
        },
    )
        .into_response()
}

pub async fn reset_form(ctx: Ctx, State(st): State<AppState>, Query(q): Query<TokenQuery>) -> AppResult<Response> {
    if store::find_token(&st.db, ctx.tenant.id, &q.token, Purpose::Reset).await?.is_none() {
        return Ok(reset_invalid(ctx));
    }
    Ok(ResetPage { ctx, token: q.token }.into_response())
}

pub async fn reset(ctx: Ctx, State(st): State<AppState>, Form(form): Form<ResetForm>) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    validate_password(&form.password, "password", &mut errors);
    if errors.is_empty() && form.password != form.password_confirm {
        errors.add("password_confirm", "account-error-password-mismatch");
    }
    if !errors.is_empty() {
        let page = ResetPage { ctx: ctx.with_errors(errors), token: form.token };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let hash = password::hash(form.password).await?;
    if crate::account::reset_password(&st.db, ctx.tenant.id, &form.token, &hash).await?.is_none() {
        return Ok(reset_invalid(ctx));
    }
    ctx.set_flash("reset-done");
    Ok(Redirect::to("/login").into_response())
}

crate::html_page!(SignupPage, LoginPage, ForgotPage, ResetPage);
