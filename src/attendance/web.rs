//! Recording attendance: the secretariat's check-in list on a phone (one tap per person,
//! a quick form for walk-ins, a QR code for self check-in), self check-in with the code
//! shown at the venue, and the online join link that records attendance before it
//! forwards to the meeting.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::TimeDelta;

use super::store::{self, NewAttendance};
use super::{EventStats, Source};
use crate::account::normalize_email;
use crate::event::{Event, EventId, Mode, Status as EventStatus, store as event_store};
use crate::person::{GuestDetails, store as person_store};
use crate::registration::{Registration, Seats, Status, store as registration_store};
use crate::sector::Sector;
use crate::validate::FieldErrors;
use crate::web::{Admin, AppError, AppResult, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/events/{id}/checkin", get(checkin_list))
        .route("/admin/events/{id}/checkin/{registration}", post(check_in))
        .route("/admin/events/{id}/walkins", post(walk_in))
        .route("/checkin", get(self_form).post(self_check_in))
        .route("/join", get(join))
}

/// Whether self check-in and joining are open: from 30 minutes before the start until
/// two hours after the end.
fn door_open(event: &Event) -> bool {
    let now = crate::db::now();
    event.status == EventStatus::Published
        && now >= event.starts_at - TimeDelta::minutes(30)
        && now <= event.ends_at + TimeDelta::hours(2)
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct WalkInForm {
    pub name: String,
    pub email: String,
    pub sector: String,
    pub affiliation: String,
    pub mode: String,
    /// "yes", "no" or "" (unknown / decide from history).
    pub first_time: String,
}

#[derive(Template)]
#[template(path = "attendance/checkin.html")]
pub struct CheckinPage {
    pub ctx: Ctx,
    pub event: Event,
    pub registrations: Vec<Registration>,
    pub seats: Vec<Seats>,
    pub stats: EventStats,
    pub form: WalkInForm,
    pub qr_svg: String,
    pub self_url: String,
}

impl CheckinPage {
    pub fn sector_label(&self, s: &Option<Sector>) -> String {
        s.map(|s| s.label(self.ctx.lang).into_owned()).unwrap_or_default()
    }
}

async fn checkin_page(ctx: Ctx, st: &AppState, event: Event, form: WalkInForm) -> AppResult<CheckinPage> {
    let registrations = registration_store::list_for_event(&st.db, ctx.tenant.id, event.id).await?;
    let seats = registration_store::seats(&st.db, ctx.tenant.id, &event).await?;
    let stats = store::stats(&st.db, ctx.tenant.id, event.id).await?;
    let self_url = format!("{}/checkin?code={}", ctx.base_url, event.checkin_code);
    let qr_svg = qrcode::QrCode::new(self_url.as_bytes())
        .map(|q| {
            q.render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(200, 200)
                .dark_color(qrcode::render::svg::Color("#000000"))
                .light_color(qrcode::render::svg::Color("#ffffff"))
                .build()
        })
        .unwrap_or_default();
    // The SVG comes from our own renderer; drop its XML prolog to embed it in HTML.
    let qr_svg = qr_svg
        .split_once("<svg")
        .map(|(_, rest)| format!("<svg role=\"img\" aria-labelledby=\"qr-caption\"{rest}"))
        .unwrap_or_default();
    Ok(CheckinPage { ctx, event, registrations, seats, stats, form, qr_svg, self_url })
}

async fn checkin_list(Admin(ctx, _): Admin, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<CheckinPage> {
    let event = event_store::get(&st.db, ctx.tenant.id, EventId(id)).await?;
    let form =
        WalkInForm { mode: event.modes().first().map_or("venue", |m| m.code()).to_owned(), ..WalkInForm::default() };
    checkin_page(ctx, &st, event, form).await
}

async fn check_in(
    Admin(ctx, _): Admin,
    State(st): State<AppState>,
    Path((id, registration)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let event = event_store::get(&st.db, ctx.tenant.id, EventId(id)).await?;
    let registrations = registration_store::list_for_event(&st.db, ctx.tenant.id, event.id).await?;
    let r = registrations.iter().find(|r| r.id.0 == registration).ok_or(AppError::NotFound)?;
    let new = NewAttendance {
        person: r.person_id,
        registration: Some(r.id),
        sector: r.sector.unwrap_or(Sector::Citizen),
        mode: r.mode,
        first_time: None,
        source: Source::Checkin,
    };
    store::record(&st.db, ctx.tenant.id, &event, &new).await?;
    ctx.set_flash("checkin-done").await;
    Ok(Redirect::to(&format!("/admin/events/{id}/checkin#registration-{registration}")).into_response())
}

async fn walk_in(
    Admin(ctx, _): Admin,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(form): Form<WalkInForm>,
) -> AppResult<Response> {
    let event = event_store::get(&st.db, ctx.tenant.id, EventId(id)).await?;
    let mut errors = FieldErrors::default();
    let sector = Sector::from_code(&form.sector);
    if sector.is_none() && !event.anonymous {
        errors.add("sector", "account-error-sector-required");
    }
    let mode = Mode::from_code(&form.mode);
    if mode.is_none() {
        errors.add("mode", "registration-error-mode");
    }
    let email = if form.email.trim().is_empty() { Ok(None) } else { normalize_email(&form.email).map(Some).ok_or(()) };
    if email.is_err() {
        errors.add("email", "account-error-email-invalid");
    }
    let first_time = match form.first_time.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    };
    let (Some(mode), Ok(email)) = (mode, email) else {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, checkin_page(ctx.with_errors(errors), &st, event, form).await?)
            .into_response());
    };
    if !errors.is_empty() {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, checkin_page(ctx.with_errors(errors), &st, event, form).await?)
            .into_response());
    }
    let sector = sector.unwrap_or(Sector::Citizen);
    let person = match (&email, event.anonymous) {
        (Some(email), false) => Some(
            person_store::upsert_guest(
                &st.db,
                ctx.tenant.id,
                &GuestDetails {
                    name: form.name.trim().to_owned(),
                    email: email.clone(),
                    sector,
                    affiliation: form.affiliation.trim().to_owned(),
                },
            )
            .await?,
        ),
        _ => None,
    };
    let new = NewAttendance { person, registration: None, sector, mode, first_time, source: Source::Walkin };
    let recorded = store::record(&st.db, ctx.tenant.id, &event, &new).await?;
    ctx.set_flash(if recorded { "walkin-done" } else { "checkin-already" }).await;
    Ok(Redirect::to(&format!("/admin/events/{id}/checkin")).into_response())
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SelfCheckinForm {
    pub code: String,
    pub email: String,
}

#[derive(Template)]
#[template(path = "attendance/self.html")]
pub struct SelfCheckinPage {
    pub ctx: Ctx,
    pub form: SelfCheckinForm,
    pub event: Option<Event>,
    pub done: bool,
}

async fn self_form(
    ctx: Ctx,
    State(st): State<AppState>,
    Query(form): Query<SelfCheckinForm>,
) -> AppResult<SelfCheckinPage> {
    let code = crate::i18n::normalize_identifier(&form.code).to_uppercase();
    let event =
        if code.is_empty() { None } else { event_store::find_by_checkin_code(&st.db, ctx.tenant.id, &code).await? };
    Ok(SelfCheckinPage { ctx, form: SelfCheckinForm { code, ..form }, event, done: false })
}

async fn self_check_in(ctx: Ctx, State(st): State<AppState>, Form(form): Form<SelfCheckinForm>) -> AppResult<Response> {
    let code = crate::i18n::normalize_identifier(&form.code).to_uppercase();
    let form = SelfCheckinForm { code: code.clone(), ..form };
    // Codes are short: guessing them is slowed down like any public form.
    if !crate::rate_limit::hit(&st.db, crate::rate_limit::PUBLIC_FORM, &ctx.client_key()).await? {
        let errors = FieldErrors::single("code", "error-too-many-message");
        return Ok((
            StatusCode::TOO_MANY_REQUESTS,
            SelfCheckinPage { ctx: ctx.with_errors(errors), form, event: None, done: false },
        )
            .into_response());
    }
    let event = event_store::find_by_checkin_code(&st.db, ctx.tenant.id, &code).await?;
    let Some(event) = event.filter(door_open) else {
        let errors = FieldErrors::single("code", "checkin-error-code");
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            SelfCheckinPage { ctx: ctx.with_errors(errors), form, event: None, done: false },
        )
            .into_response());
    };
    // Who is checking in: the logged-in member, or the person registered with this e-mail.
    let registrations = registration_store::list_for_event(&st.db, ctx.tenant.id, event.id).await?;
    let person = if event.anonymous {
        None
    } else if let Some(me) = &ctx.account {
        Some(person_store::for_account(&st.db, ctx.tenant.id, me).await?)
    } else {
        let Some(email) = normalize_email(&form.email) else {
            let errors = FieldErrors::single("email", "account-error-email-invalid");
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                SelfCheckinPage { ctx: ctx.with_errors(errors), form, event: Some(event), done: false },
            )
                .into_response());
        };
        let found = registration_store::person_by_email(&st.db, ctx.tenant.id, event.id, &email).await?;
        if found.is_none() {
            let errors = FieldErrors::single("email", "checkin-error-not-registered");
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                SelfCheckinPage { ctx: ctx.with_errors(errors), form, event: Some(event), done: false },
            )
                .into_response());
        }
        found
    };
    let registration =
        registrations.iter().find(|r| r.person_id.is_some() && r.person_id == person && r.status == Status::Registered);
    let new = NewAttendance {
        person,
        registration: registration.map(|r| r.id),
        sector: registration
            .and_then(|r| r.sector)
            .or_else(|| ctx.account.as_ref().map(|a| a.sector))
            .unwrap_or(Sector::Citizen),
        mode: Mode::Venue,
        first_time: None,
        source: Source::SelfCheckin,
    };
    store::record(&st.db, ctx.tenant.id, &event, &new).await?;
    Ok(SelfCheckinPage { ctx, form, event: Some(event), done: true }.into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct JoinQuery {
    token: String,
}

/// The online link from the confirmation mail: records attendance (once the door is
/// open) and forwards to the meeting.
async fn join(ctx: Ctx, State(st): State<AppState>, Query(q): Query<JoinQuery>) -> AppResult<Response> {
    let Some((id, event_id, status, mode)) = registration_store::find_by_token(&st.db, ctx.tenant.id, &q.token).await?
    else {
        return Err(AppError::NotFound);
    };
    if status != Status::Registered || mode != Mode::Online {
        return Err(AppError::NotFound);
    }
    let event = event_store::get(&st.db, ctx.tenant.id, event_id).await?;
    if event.online_url.is_empty() {
        return Err(AppError::NotFound);
    }
    if door_open(&event) {
        let registrations = registration_store::list_for_event(&st.db, ctx.tenant.id, event.id).await?;
        if let Some(r) = registrations.iter().find(|r| r.id == id) {
            let new = NewAttendance {
                person: r.person_id,
                registration: Some(r.id),
                sector: r.sector.unwrap_or(Sector::Citizen),
                mode: Mode::Online,
                first_time: None,
                source: Source::Online,
            };
            store::record(&st.db, ctx.tenant.id, &event, &new).await?;
        }
    }
    Ok(Redirect::to(&event.online_url).into_response())
}

crate::html_page!(CheckinPage, SelfCheckinPage);
