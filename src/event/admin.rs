//! The event management pages: list, create, edit, publish or cancel, an event's
//! statistics, and its roster as CSV or XLSX. The secretariat manages every session; a
//! lab's lead the sessions of their lab (its study sessions), and creates them for it.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::store::{self, Listing};
use super::{Event, EventForm, EventId, EventKind, Status};
use crate::account::Account;
use crate::attendance::{Tally, store as attendance_store};
use crate::registration::{Seats, store as registration_store};
use crate::roster::export;
use crate::sector::Sector;
use crate::social_issue::store as social_issue_store;
use crate::validate::FieldErrors;
use crate::web::{Admin, AppError, AppResult, AppState, Ctx, Member, download};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/events", get(index).post(create))
        .route("/admin/events/new", get(new))
        .route("/admin/events/{id}", get(show).post(update))
        .route("/admin/events/{id}/edit", get(edit))
        .route("/admin/events/{id}/status", post(set_status))
        .route("/admin/events/{id}/roster.csv", get(roster_csv))
        .route("/admin/events/{id}/roster.xlsx", get(roster_xlsx))
}

#[derive(Template)]
#[template(path = "event/admin_index.html")]
pub struct AdminEventsPage {
    pub ctx: Ctx,
    pub events: Vec<Event>,
}

async fn index(Admin(ctx, _): Admin, State(st): State<AppState>) -> AppResult<AdminEventsPage> {
    let events = store::list(&st.db, ctx.tenant.id, Listing::All, 500).await?;
    Ok(AdminEventsPage { ctx, events })
}

/// The labs the reader may hold sessions for: every lab for the secretariat, else those
/// they lead.
async fn labs_of(ctx: &Ctx, st: &AppState, me: &Account) -> AppResult<Vec<crate::lab::Lab>> {
    let labs = crate::lab::store::list(&st.db, ctx.tenant.id).await?;
    if me.is_admin() {
        return Ok(labs);
    }
    let led = crate::lab::store::led_by(&st.db, ctx.tenant.id, me.id).await?;
    Ok(labs.into_iter().filter(|l| led.contains(&l.id)).collect())
}

/// The event, when the reader may manage it: the secretariat any of the center's; a lab's
/// lead those of their lab. Decided before anything is changed.
///
/// # Errors
/// [`AppError::NotFound`] for another center's event; [`AppError::Forbidden`] for others.
pub async fn managed(ctx: &Ctx, st: &AppState, me: &Account, id: EventId) -> AppResult<Event> {
    let event = store::get(&st.db, ctx.tenant.id, id).await?;
    if me.is_admin() || leads_lab_of(ctx, st, me, &event).await? { Ok(event) } else { Err(AppError::Forbidden) }
}

/// Whether the reader leads the lab the event belongs to.
///
/// # Errors
/// The database fails.
pub async fn leads_lab_of(ctx: &Ctx, st: &AppState, me: &Account, event: &Event) -> AppResult<bool> {
    Ok(match event.lab_id {
        Some(lab) => {
            crate::lab::store::role_of(&st.db, ctx.tenant.id, lab, me.id).await? == Some(crate::lab::LabRole::Lead)
        }
        None => false,
    })
}

/// One option of the kind `<select>`.
pub struct KindOption {
    pub code: &'static str,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "event/form.html")]
pub struct EventFormPage {
    pub ctx: Ctx,
    pub form: EventForm,
    /// `None` when creating.
    pub event: Option<EventId>,
    pub kinds: Vec<KindOption>,
    /// Published social issues the session can take up: (id, title, selected).
    pub issues: Vec<(i64, String, bool)>,
    /// Labs the session can belong to: (id, theme, selected).
    pub labs: Vec<(i64, String, bool)>,
}

async fn form_page(
    ctx: Ctx,
    st: &AppState,
    me: &Account,
    form: EventForm,
    event: Option<EventId>,
) -> AppResult<EventFormPage> {
    let kinds = EventKind::ALL
        .iter()
        .map(|k| KindOption { code: k.code(), label: k.label(ctx.lang).into_owned(), selected: k.code() == form.kind })
        .collect();
    let issues = social_issue_store::list(&st.db, ctx.tenant.id, crate::social_issue::Status::Published, 500)
        .await?
        .into_iter()
        .map(|i| (i.id.0, i.title, i.id.0.to_string() == form.social_issue))
        .collect();
    let labs =
        labs_of(&ctx, st, me).await?.into_iter().map(|l| (l.id.0, l.title, l.id.0.to_string() == form.lab)).collect();
    Ok(EventFormPage { ctx, form, event, kinds, issues, labs })
}

/// The form's checks, plus that a chosen social issue is one of this center's published ones.
async fn validate(ctx: &Ctx, st: &AppState, form: &EventForm) -> AppResult<Result<super::EventDraft, FieldErrors>> {
    let draft = match form.validate() {
        Ok(d) => d,
        Err(e) => return Ok(Err(e)),
    };
    if let Some(issue) = draft.social_issue_id {
        let ok = match social_issue_store::get(&st.db, ctx.tenant.id, issue).await {
            Ok(i) => i.status == crate::social_issue::Status::Published,
            Err(crate::db::StoreError::NotFound) => false,
            Err(e) => return Err(e.into()),
        };
        if !ok {
            return Ok(Err(FieldErrors::single("social_issue", "event-error-issue")));
        }
    }
    if let Some(lab) = draft.lab_id {
        match crate::lab::store::get(&st.db, ctx.tenant.id, lab).await {
            Ok(_) => {}
            Err(crate::db::StoreError::NotFound) => return Ok(Err(FieldErrors::single("lab", "event-error-lab"))),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Ok(draft))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    /// The lab the session is for (a lab page's link).
    lab: String,
}

/// The form for a new session: the secretariat's, or a lab's lead's for their lab.
async fn new(
    Member(ctx, me): Member,
    State(st): State<AppState>,
    Query(q): Query<NewQuery>,
) -> AppResult<EventFormPage> {
    let labs = labs_of(&ctx, &st, &me).await?;
    if !me.is_admin() && labs.is_empty() {
        return Err(AppError::Forbidden);
    }
    let mut form = EventForm::new_default();
    if let Some(lab) = labs.iter().find(|l| l.id.0.to_string() == q.lab).or(labs.first().filter(|_| !me.is_admin())) {
        form.lab = lab.id.0.to_string();
        form.kind = EventKind::Study.code().to_owned();
    }
    form_page(ctx, &st, &me, form, None).await
}

/// Whether the reader may hold a session for the lab the form names: the secretariat
/// always, a lead for a lab they lead (never for none).
async fn may_hold(ctx: &Ctx, st: &AppState, me: &Account, form: &EventForm) -> AppResult<bool> {
    if me.is_admin() {
        return Ok(true);
    }
    let led = crate::lab::store::led_by(&st.db, ctx.tenant.id, me.id).await?;
    Ok(led.iter().any(|l| l.0.to_string() == form.lab.trim()))
}

async fn create(
    Member(ctx, me): Member,
    State(st): State<AppState>,
    Form(form): Form<EventForm>,
) -> AppResult<Response> {
    if !may_hold(&ctx, &st, &me, &form).await? {
        return Err(AppError::Forbidden);
    }
    match validate(&ctx, &st, &form).await? {
        Ok(draft) => {
            let id = super::create(&st.db, ctx.tenant.id, &draft).await?;
            ctx.set_flash("event-created");
            Ok(Redirect::to(&format!("/admin/events/{}", id.0)).into_response())
        }
        Err(errors) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, form_page(ctx.with_errors(errors), &st, &me, form, None).await?)
                .into_response())
        }
    }
}

async fn edit(Member(ctx, me): Member, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<EventFormPage> {
    let event = managed(&ctx, &st, &me, EventId(id)).await?;
    form_page(ctx, &st, &me, EventForm::of(&event), Some(event.id)).await
}

async fn update(
    Member(ctx, me): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(form): Form<EventForm>,
) -> AppResult<Response> {
    let id = managed(&ctx, &st, &me, EventId(id)).await?.id;
    // A lead keeps the session in a lab they lead.
    if !may_hold(&ctx, &st, &me, &form).await? {
        return Err(AppError::Forbidden);
    }
    match validate(&ctx, &st, &form).await? {
        Ok(draft) => {
            // A raised capacity gives places to those waiting, oldest first.
            let promoted = super::save(&st.db, ctx.tenant.id, id, &draft).await?;
            if !promoted.is_empty() {
                let event = store::get(&st.db, ctx.tenant.id, id).await?;
                crate::registration::web::notify_promoted(&ctx, &st, &event, &promoted).await;
            }
            ctx.set_flash("event-saved");
            Ok(Redirect::to(&format!("/admin/events/{}", id.0)).into_response())
        }
        Err(errors) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, form_page(ctx.with_errors(errors), &st, &me, form, Some(id)).await?)
                .into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "event/admin_show.html")]
pub struct AdminEventPage {
    pub ctx: Ctx,
    pub event: Event,
    pub stats: Tally,
    pub seats: Vec<Seats>,
}

impl AdminEventPage {
    /// The first-timer count as the report prints it: 5, 5（不明 2）, or — when unknown.
    pub fn first_timers(&self) -> String {
        self.stats.first_timers_label(self.ctx.lang)
    }

    pub fn sectors(&self) -> Vec<(String, i64)> {
        Sector::ALL.iter().map(|s| (s.label(self.ctx.lang).into_owned(), self.stats.sectors.get(*s))).collect()
    }
}

async fn show(Member(ctx, me): Member, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<AdminEventPage> {
    let event = managed(&ctx, &st, &me, EventId(id)).await?;
    let stats = attendance_store::tally(&st.db, ctx.tenant.id, event.id).await?;
    let seats = registration_store::seats(&st.db, ctx.tenant.id, &event).await?;
    Ok(AdminEventPage { ctx, event, stats, seats })
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    status: String,
}

async fn set_status(
    Member(ctx, me): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(form): Form<StatusForm>,
) -> AppResult<Response> {
    managed(&ctx, &st, &me, EventId(id)).await?;
    let status = Status::from_code(&form.status).ok_or(AppError::NotFound)?;
    super::set_status(&st.db, ctx.tenant.id, EventId(id), status).await?;
    ctx.set_flash(match status {
        Status::Published => "event-published",
        Status::Cancelled => "event-cancelled",
        Status::Draft => "event-withdrawn",
    });
    Ok(Redirect::to(&format!("/admin/events/{id}")).into_response())
}

async fn roster_file(
    ctx: &Ctx,
    st: &AppState,
    me: &Account,
    id: i64,
) -> AppResult<(Event, Vec<attendance_store::RosterLine>)> {
    let event = managed(ctx, st, me, EventId(id)).await?;
    let lines = attendance_store::roster(&st.db, ctx.tenant.id, event.id).await?;
    Ok((event, lines))
}

/// A roster file made for `who` goes out, and into the access log.
async fn roster_sent(
    ctx: &Ctx,
    st: &AppState,
    event: &Event,
    who: &crate::account::Account,
    file: Response,
) -> AppResult<Response> {
    let subject = format!("{} ({})", event.title, ctx.date(&event.starts_at));
    let action = crate::access_log::Action::RosterDownloaded;
    crate::access_log::store::record(&st.db, ctx.tenant.id, Some(who.id), action, &subject, &ctx.client_address())
        .await?;
    Ok(file)
}

async fn roster_csv(Member(ctx, me): Member, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    let (event, lines) = roster_file(&ctx, &st, &me, id).await?;
    let file = download("text/csv; charset=utf-8", format!("roster-{id}.csv"), export::to_csv(&event, &lines)?);
    roster_sent(&ctx, &st, &event, &me, file).await
}

async fn roster_xlsx(Member(ctx, me): Member, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    let (event, lines) = roster_file(&ctx, &st, &me, id).await?;
    let file = download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("roster-{id}.xlsx"),
        export::to_xlsx(&event, &lines)?,
    );
    roster_sent(&ctx, &st, &event, &me, file).await
}

crate::html_page!(AdminEventsPage, EventFormPage, AdminEventPage);
