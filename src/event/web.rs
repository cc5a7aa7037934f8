//! Public event pages: upcoming and past sessions, an event's page with its registration
//! form, the iCalendar feed and per-event `.ics`, and open data (CSV and JSON).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::store::{self, Listing};
use super::{Event, EventId, Status, opendata};
use crate::registration::{Seats, store as registration_store};
use crate::web::{AppError, AppResult, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events", get(index))
        .route("/events.ics", get(feed))
        .route("/events/opendata.csv", get(opendata_csv))
        .route("/events/opendata.json", get(opendata_json))
        .route("/events/{id}", get(show))
        .route("/events/{id}/calendar.ics", get(one_ics))
}

#[derive(Template, WebTemplate)]
#[template(path = "event/index.html")]
pub struct EventIndexPage {
    pub ctx: Ctx,
    pub upcoming: Vec<Event>,
    pub past: Vec<Event>,
}

async fn index(ctx: Ctx, State(st): State<AppState>) -> AppResult<EventIndexPage> {
    let upcoming = store::list(&st.db, ctx.tenant.id, Listing::Upcoming, 50).await?;
    let past = store::list(&st.db, ctx.tenant.id, Listing::Past, 50).await?;
    Ok(EventIndexPage { ctx, upcoming, past })
}

/// The registration form as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RegistrationForm {
    pub mode: String,
    pub name: String,
    pub email: String,
    pub sector: String,
    pub affiliation: String,
    pub consent: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "event/show.html")]
pub struct EventShowPage {
    pub ctx: Ctx,
    pub event: Event,
    pub seats: Vec<Seats>,
    pub form: RegistrationForm,
    pub open: bool,
    pub description_html: String,
    /// The social issue the session takes up: (id, title).
    pub issue: Option<(i64, String)>,
    /// The lab it belongs to: (id, theme).
    pub lab: Option<(i64, String)>,
}

impl EventShowPage {
    pub fn seats_label(&self, s: &Seats) -> String {
        match s.left() {
            None => self.ctx.t("event-seats-unlimited"),
            Some(0) => self.ctx.t1("event-seats-full", "waiting", s.waiting),
            Some(n) => self.ctx.t1("event-seats-left", "count", n),
        }
    }
}

/// An event visible to the reader: published or cancelled, or any to the secretariat.
///
/// # Errors
/// [`AppError::NotFound`] for drafts (to others) and other tenants' ids.
pub async fn visible_event(ctx: &Ctx, st: &AppState, id: EventId) -> AppResult<Event> {
    let event = store::get(&st.db, ctx.tenant.id, id).await?;
    if event.status == Status::Draft && !ctx.is_admin() {
        return Err(AppError::NotFound);
    }
    Ok(event)
}

/// The event page, with the registration form as typed (and its errors in `ctx`).
///
/// # Errors
/// The database fails.
pub async fn show_page(ctx: Ctx, st: &AppState, event: Event, form: RegistrationForm) -> AppResult<EventShowPage> {
    let seats = registration_store::seats(&st.db, ctx.tenant.id, &event).await?;
    let links = links_of(&ctx, st, &event).await?;
    Ok(page_with_seats(ctx, event, seats, form, links))
}

/// The published social issue the event takes up and the lab it belongs to, if any.
type Links = (Option<(i64, String)>, Option<(i64, String)>);

async fn links_of(ctx: &Ctx, st: &AppState, event: &Event) -> AppResult<Links> {
    let issue = match event.social_issue_id {
        None => None,
        Some(id) => match crate::social_issue::store::get(&st.db, ctx.tenant.id, id).await {
            Ok(i) if i.status == crate::social_issue::Status::Published => Some((i.id.0, i.title)),
            Ok(_) | Err(crate::db::StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        },
    };
    let lab = match event.lab_id {
        None => None,
        Some(id) => match crate::lab::store::get(&st.db, ctx.tenant.id, id).await {
            Ok(l) => Some((l.id.0, l.title)),
            Err(crate::db::StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        },
    };
    Ok((issue, lab))
}

fn page_with_seats(
    ctx: Ctx,
    event: Event,
    seats: Vec<Seats>,
    form: RegistrationForm,
    (issue, lab): Links,
) -> EventShowPage {
    let open = event.status == Status::Published && !event.is_past(crate::db::now()) && !event.modes().is_empty();
    let description_html = event.description_html.clone();
    EventShowPage { ctx, event, seats, form, open, description_html, issue, lab }
}

async fn show(ctx: Ctx, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<EventShowPage> {
    // The most visited page: one query for the event, its co-hosts and its seats.
    let (event, counts) = store::get_with_counts(&st.db, ctx.tenant.id, EventId(id)).await?;
    if event.status == Status::Draft && !ctx.is_admin() {
        return Err(AppError::NotFound);
    }
    let mut form = RegistrationForm {
        mode: event.modes().first().map(|m| m.code().to_owned()).unwrap_or_default(),
        ..RegistrationForm::default()
    };
    if let Some(me) = &ctx.account {
        form.name = me.display_name.clone();
        form.email = me.email.clone();
    }
    let seats = event
        .modes()
        .into_iter()
        .map(|mode| {
            let (registered, waiting) = match mode {
                super::Mode::Venue => (counts.venue_registered, counts.venue_waiting),
                super::Mode::Online => (counts.online_registered, counts.online_waiting),
            };
            Seats { mode, capacity: event.capacity(mode), registered, waiting }
        })
        .collect();
    let links = links_of(&ctx, &st, &event).await?;
    Ok(page_with_seats(ctx, event, seats, form, links))
}

fn calendar_response(body: String, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{filename}\"")),
        ],
        body,
    )
        .into_response()
}

async fn feed(ctx: Ctx, State(st): State<AppState>) -> AppResult<Response> {
    let mut events = store::list(&st.db, ctx.tenant.id, Listing::Upcoming, 200).await?;
    events.extend(store::list(&st.db, ctx.tenant.id, Listing::Past, 200).await?);
    Ok(calendar_response(super::ical::calendar(&ctx.tenant.name, &events, &ctx.base_url), "events.ics"))
}

async fn one_ics(ctx: Ctx, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    let event = visible_event(&ctx, &st, EventId(id)).await?;
    let body = super::ical::calendar(&ctx.tenant.name, std::slice::from_ref(&event), &ctx.base_url);
    Ok(calendar_response(body, &format!("event-{id}.ics")))
}

async fn public_events(ctx: &Ctx, st: &AppState) -> AppResult<Vec<Event>> {
    let mut upcoming = store::list(&st.db, ctx.tenant.id, Listing::Upcoming, 1000).await?;
    let mut past = store::list(&st.db, ctx.tenant.id, Listing::Past, 1000).await?;
    past.reverse();
    past.append(&mut upcoming);
    Ok(past)
}

fn publisher(ctx: &Ctx) -> opendata::Publisher {
    opendata::Publisher { center: ctx.tenant.name.clone(), ..opendata::Publisher::default() }
}

async fn opendata_csv(ctx: Ctx, State(st): State<AppState>) -> AppResult<Response> {
    let events = public_events(&ctx, &st).await?;
    let body = opendata::to_csv(&publisher(&ctx), &events, &ctx.base_url)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"event-list.csv\""),
        ],
        body,
    )
        .into_response())
}

async fn opendata_json(ctx: Ctx, State(st): State<AppState>) -> AppResult<Response> {
    let events = public_events(&ctx, &st).await?;
    Ok(axum::Json(opendata::to_json(&publisher(&ctx), &events, &ctx.base_url)).into_response())
}
