//! Registering for an event (members, guests, or anonymously), and cancelling by the link
//! in the confirmation mail or, for a member, from the event's page.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::{Placed, Registrant, Status, store};
use crate::event::web::{RegistrationForm, show_page, visible_event};
use crate::event::{Event, EventId, Mode};
use crate::person::GuestDetails;
use crate::rate_limit;
use crate::sector::Sector;
use crate::validate::FieldErrors;
use crate::web::{AppResult, AppState, Ctx, Member};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events/{id}/registrations", post(create))
        .route("/registrations/cancel", get(cancel_form).post(cancel))
        .route("/events/{id}/registration/cancel", post(cancel_mine))
}

#[derive(Template)]
#[template(path = "registration/done.html")]
pub struct RegisteredPage {
    pub ctx: Ctx,
    pub event: Event,
    pub mode: Mode,
    pub waiting: bool,
    /// Shown on the page only when no mail carries it (anonymous events).
    pub cancel_link: Option<String>,
    /// Likewise, the link to join online.
    pub join_link: Option<String>,
    pub mailed: bool,
}

fn validate(event: &Event, ctx: &Ctx, form: &RegistrationForm) -> Result<(Mode, Registrant), FieldErrors> {
    let mut errors = FieldErrors::default();
    let mode = Mode::from_code(&form.mode).filter(|m| event.offers(*m));
    if mode.is_none() {
        errors.add("mode", "registration-error-mode");
    }
    let registrant = if event.anonymous {
        Some(Registrant::Anonymous)
    } else if let Some(me) = &ctx.account {
        Some(Registrant::Member(me.clone()))
    } else {
        let name = form.name.trim();
        if name.is_empty() {
            errors.add("name", "registration-error-name");
        }
        let email = errors.email("email", &form.email);
        let furigana = errors.required_furigana("furigana", &form.furigana);
        let sector = Sector::from_code(&form.sector);
        if sector.is_none() {
            errors.add("sector", "account-error-sector-required");
        }
        if form.affiliation.trim().chars().count() > 200 {
            errors.add("affiliation", "account-error-affiliation-long");
        }
        if form.consent.is_none() {
            errors.add("consent", "account-error-consent-required");
        }
        match (email, sector, furigana) {
            (Some(email), Some(sector), Some(furigana)) if errors.is_empty() => Some(Registrant::Guest(GuestDetails {
                name: name.to_owned(),
                furigana,
                email,
                sector,
                affiliation: form.affiliation.trim().to_owned(),
            })),
            _ => None,
        }
    };
    match (mode, registrant) {
        (Some(mode), Some(r)) if errors.is_empty() => Ok((mode, r)),
        _ => Err(errors),
    }
}

async fn again(
    ctx: Ctx,
    st: &AppState,
    event: Event,
    form: RegistrationForm,
    errors: FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    Ok((status, show_page(ctx.with_errors(errors), st, event.id, form).await?).into_response())
}

async fn create(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(form): Form<RegistrationForm>,
) -> AppResult<Response> {
    let event = visible_event(&ctx, &st, EventId(id)).await?;
    if !rate_limit::hit(&st.db, rate_limit::PUBLIC_FORM, &ctx.client_key()).await? {
        let errors = FieldErrors::single("mode", "error-too-many-message");
        return again(ctx, &st, event, form, errors, StatusCode::TOO_MANY_REQUESTS).await;
    }
    // A closed session says so first, whatever else the form holds.
    if let Some(e) = super::closed_for(&event, crate::db::now()) {
        return again(
            ctx,
            &st,
            event,
            form,
            FieldErrors::single("mode", e.message()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let (mode, registrant) = match validate(&event, &ctx, &form) {
        Ok(v) => v,
        Err(errors) => return again(ctx, &st, event, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let (mail_to, name) = match &registrant {
        Registrant::Anonymous => (None, String::new()),
        Registrant::Member(me) => (Some(me.email.clone()), me.display_name.clone()),
        Registrant::Guest(g) => (Some(g.email.clone()), g.name.clone()),
    };
    let placed = match super::register(&st.db, ctx.tenant.id, event.id, &registrant, mode, ctx.lang).await? {
        Ok(p) => p,
        // A guest gets the same answer whether or not the address was registered already,
        // so nobody learns from a form who takes part in what; the address itself is told.
        Err(super::RegisterError::AlreadyRegistered) if matches!(registrant, Registrant::Guest(_)) => {
            if let Some(to) = &mail_to {
                let body = ctx.lang.t_args(
                    "mail-already-body",
                    &[
                        ("center", &ctx.tenant.name),
                        ("title", &event.title),
                        ("page", &format!("{}/events/{}", ctx.base_url, event.id.0)),
                    ],
                );
                let subject = ctx.lang.t_args("mail-already-subject", &[("title", &event.title)]);
                if let Err(e) = st.mailer.send(to, &subject, &body).await {
                    tracing::warn!(error = format!("{e:#}"), "cannot send the already-registered mail");
                }
            }
            return Ok(RegisteredPage {
                waiting: false,
                cancel_link: None,
                join_link: None,
                mailed: true,
                ctx,
                event,
                mode,
            }
            .into_response());
        }
        Err(e) => {
            let status = if e == super::RegisterError::AlreadyRegistered {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            return again(ctx, &st, event, form, FieldErrors::single("mode", e.message()), status).await;
        }
    };
    let cancel_link = format!("{}/registrations/cancel?token={}", ctx.base_url, placed.token);
    if let Some(to) = &mail_to {
        // The registration is kept even when the mail cannot go out; the page says it is done.
        if let Err(e) = send_confirmation(&ctx, &st, &event, mode, &placed, to, &name, &cancel_link).await {
            tracing::warn!(error = %e, "cannot send the registration mail");
        }
    }
    let join_link = (mode == Mode::Online).then(|| format!("{}/join?token={}", ctx.base_url, placed.token));
    Ok(RegisteredPage {
        waiting: placed.status == Status::Waiting,
        join_link: join_link.filter(|_| mail_to.is_none()),
        cancel_link: mail_to.is_none().then_some(cancel_link),
        mailed: mail_to.is_some(),
        ctx,
        event,
        mode,
    }
    .into_response())
}

#[allow(clippy::too_many_arguments)]
async fn send_confirmation(
    ctx: &Ctx,
    st: &AppState,
    event: &Event,
    mode: Mode,
    placed: &Placed,
    to: &str,
    name: &str,
    cancel_link: &str,
) -> AppResult<()> {
    let lang = ctx.lang;
    let when = format!("{} {}", event.date_label(lang), event.time_label());
    // The join link works once the registration has a place, so the waiting get it too
    // (only its hash is kept: it cannot be sent again when they move up).
    let place = match mode {
        Mode::Venue => event.venue.clone(),
        Mode::Online => format!("{}/join?token={}", ctx.base_url, placed.token),
    };
    let (subject, body_id) = if placed.status == Status::Registered {
        ("mail-registered-subject", "mail-registered-body")
    } else {
        ("mail-waiting-subject", "mail-waiting-body")
    };
    let body = lang.t_args(
        body_id,
        &[
            ("name", name),
            ("center", &ctx.tenant.name),
            ("title", &event.title),
            ("when", &when),
            ("mode", &mode.label(lang)),
            ("place", &place),
            ("page", &format!("{}/events/{}", ctx.base_url, event.id.0)),
            ("cancel", cancel_link),
        ],
    );
    st.mailer.send(to, &lang.t_args(subject, &[("title", &event.title)]), &body).await?;
    Ok(())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct TokenForm {
    token: String,
}

#[derive(Template)]
#[template(path = "registration/cancel.html")]
pub struct CancelPage {
    pub ctx: Ctx,
    pub event: Option<Event>,
    pub token: String,
    pub done: bool,
}

async fn cancel_form(ctx: Ctx, State(st): State<AppState>, Query(q): Query<TokenForm>) -> AppResult<Response> {
    let found = store::find_by_token(&st.db, ctx.tenant.id, &q.token).await?;
    let event = match found {
        Some((_, event, status, _)) if status != Status::Cancelled => {
            Some(crate::event::store::get(&st.db, ctx.tenant.id, event).await?)
        }
        _ => None,
    };
    let status = if event.is_some() { StatusCode::OK } else { StatusCode::NOT_FOUND };
    Ok((status, CancelPage { ctx, event, token: q.token, done: false }).into_response())
}

async fn cancel(ctx: Ctx, State(st): State<AppState>, Form(form): Form<TokenForm>) -> AppResult<Response> {
    let Some(cancelled) = super::cancel(&st.db, ctx.tenant.id, &form.token).await? else {
        return Ok(
            (StatusCode::NOT_FOUND, CancelPage { ctx, event: None, token: form.token, done: false }).into_response()
        );
    };
    let event = crate::event::store::get(&st.db, ctx.tenant.id, cancelled.event).await?;
    notify_promoted(&ctx, &st, &event, &cancelled.promoted).await;
    Ok(CancelPage { ctx, event: Some(event), token: String::new(), done: true }.into_response())
}

/// A member cancels their own registration from the event's page.
async fn cancel_mine(Member(ctx, me): Member, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    let event = visible_event(&ctx, &st, EventId(id)).await?;
    match super::cancel_mine(&st.db, ctx.tenant.id, event.id, me.id).await? {
        Some(cancelled) => {
            notify_promoted(&ctx, &st, &event, &cancelled.promoted).await;
            ctx.set_flash("registration-cancelled-mine");
        }
        None => ctx.set_flash("registration-error-nothing-to-cancel"),
    }
    Ok(Redirect::to(&format!("/events/{id}")).into_response())
}

/// Tells each person whose waiting registration got a place. Failures are logged: the
/// places are theirs either way.
/// Tells those who waited of the places a person's cancellations freed (their account
/// or their data deleted), session by session.
///
/// # Errors
/// The database fails reading a session.
pub async fn notify_all_promoted(ctx: &Ctx, st: &AppState, cancelled: &[super::store::Cancelled]) -> AppResult<()> {
    for c in cancelled.iter().filter(|c| !c.promoted.is_empty()) {
        let event = crate::event::store::get(&st.db, ctx.tenant.id, c.event).await?;
        notify_promoted(ctx, st, &event, &c.promoted).await;
    }
    Ok(())
}

pub async fn notify_promoted(ctx: &Ctx, st: &AppState, event: &Event, promoted: &[super::RegistrationId]) {
    for id in promoted {
        if let Err(e) = notify_one(ctx, st, event, *id).await {
            tracing::warn!(error = %e, "cannot tell a promoted registration");
        }
    }
}

async fn notify_one(ctx: &Ctx, st: &AppState, event: &Event, id: super::RegistrationId) -> AppResult<()> {
    let Some((email, name, mode)) = store::contact(&st.db, ctx.tenant.id, id).await? else {
        return Ok(());
    };
    let lang = ctx.lang;
    let body = lang.t_args(
        if mode == Mode::Online { "mail-promoted-body-online" } else { "mail-promoted-body" },
        &[
            ("name", &name),
            ("center", &ctx.tenant.name),
            ("title", &event.title),
            ("when", &format!("{} {}", event.date_label(lang), event.time_label())),
            ("page", &format!("{}/events/{}", ctx.base_url, event.id.0)),
        ],
    );
    st.mailer.send(&email, &lang.t_args("mail-promoted-subject", &[("title", &event.title)]), &body).await?;
    Ok(())
}

crate::html_page!(RegisteredPage, CancelPage);
