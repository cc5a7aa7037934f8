//! Public event pages: upcoming and past sessions, an event's page with its registration
//! form, the iCalendar feed and per-event `.ics`, and open data (CSV and JSON).

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::store::{self, Listing, PageData};
use super::{Event, EventId, opendata};
use crate::registration::Seats;
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

#[derive(Template)]
#[template(path = "event/index.html")]
pub struct EventIndexPage {
    pub ctx: Ctx,
    pub upcoming: Vec<Card>,
    pub past: Vec<Card>,
}

async fn index(ctx: Ctx, State(st): State<AppState>) -> AppResult<EventIndexPage> {
    let upcoming = upcoming_cards(&st, ctx.tenant.id, 50).await?;
    let past = store::list(&st.db, ctx.tenant.id, Listing::Past, 50).await?;
    let past = past.into_iter().map(|event| Card { event, seats: Vec::new() }).collect();
    Ok(EventIndexPage { ctx, upcoming, past })
}

/// An event as a list shows it, with its seats while one can still register.
pub struct Card {
    pub event: Event,
    /// Empty when registration is closed (a past or cancelled session).
    pub seats: Vec<Seats>,
}

impl Card {
    /// What the list says of the seats, a label a mode (残り3席, 満席・キャンセル待ち 2人),
    /// each with whether that mode is full.
    pub fn seat_labels(&self, lang: crate::i18n::Lang) -> Vec<(String, bool)> {
        let hybrid = self.event.is_hybrid();
        self.seats.iter().map(|s| (s.short_label(lang, hybrid), s.is_full())).collect()
    }

    /// Where it takes place: the venue, or オンライン for a session only online.
    pub fn place(&self, lang: crate::i18n::Lang) -> String {
        if self.event.venue.is_empty() {
            self.event.modes().first().map(|m| m.label(lang).into_owned()).unwrap_or_default()
        } else {
            self.event.venue.clone()
        }
    }
}

/// The next `limit` sessions of the tenant as cards, their seats read in one query.
///
/// # Errors
/// The database fails.
pub async fn upcoming_cards(st: &AppState, tenant: crate::tenant::TenantId, limit: i64) -> AppResult<Vec<Card>> {
    let events = store::list(&st.db, tenant, Listing::Upcoming, limit).await?;
    let seats = crate::registration::store::seats_for(&st.db, tenant, &events).await?;
    let now = crate::db::now();
    Ok(events
        .into_iter()
        .zip(seats)
        .map(|(event, seats)| {
            let seats = if crate::registration::closed_for(&event, now).is_none() { seats } else { Vec::new() };
            Card { event, seats }
        })
        .collect())
}

/// The registration form as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RegistrationForm {
    pub mode: String,
    pub name: String,
    pub furigana: String,
    pub email: String,
    pub sector: String,
    pub affiliation: String,
    pub consent: Option<String>,
}

#[derive(Template)]
#[template(path = "event/show.html")]
pub struct EventShowPage {
    pub ctx: Ctx,
    pub event: Event,
    pub seats: Vec<Seats>,
    pub form: RegistrationForm,
    pub open: bool,
    /// Whether a member may still cancel their registration here: until the session ends,
    /// past its 申込締切 too (a freed seat still helps the waiting list).
    pub can_cancel: bool,
    /// Why registration is closed on a published session, as a message id.
    pub closed_message: Option<&'static str>,
    /// The social issue the session takes up: (id, title).
    pub issue: Option<(i64, String)>,
    /// The lab it belongs to: (id, theme).
    pub lab: Option<(i64, String)>,
    /// The logged-in member's own registration, shown instead of the form.
    pub mine: Option<crate::registration::store::Mine>,
    /// Published articles about the session (its report), once it has ended: before, there
    /// are none to read, and the page people register on reads nothing more.
    pub articles: Vec<crate::article::store::Linked>,
    /// Projects born in the session, once it has taken place: (id, title, status).
    pub projects: Option<Vec<(i64, String, String)>>,
    /// Labs that grew out of the session, once it has taken place.
    pub labs: Vec<crate::lab::Lab>,
}

impl EventShowPage {
    /// 申し込み済みです（会場）, or キャンセル待ちの2番目です（オンライン）.
    pub fn mine_label(&self, mine: &crate::registration::store::Mine) -> String {
        let lang = self.ctx.lang;
        let mode = mine.mode.label(lang);
        if mine.status == crate::registration::Status::Waiting {
            let place = mine.waiting_place.to_string();
            lang.t_args("registration-mine-waiting", &[("place", &place), ("mode", &mode)])
        } else {
            lang.t_args("registration-mine-registered", &[("mode", &mode)])
        }
    }

    pub fn seats_label(&self, s: &Seats) -> std::borrow::Cow<'static, str> {
        let lang = self.ctx.lang;
        match s.left() {
            None => lang.t("event-seats-unlimited"),
            Some(0) => lang.t_int("event-seats-full", "waiting", s.waiting),
            Some(n) => lang.t_int("event-seats-left", "count", n),
        }
    }
}

/// An event visible to the reader: published or cancelled, or any to the secretariat.
///
/// # Errors
/// [`AppError::NotFound`] for drafts (to others) and other tenants' ids.
pub async fn visible_event(ctx: &Ctx, st: &AppState, id: EventId) -> AppResult<Event> {
    let event = store::get(&st.db, ctx.tenant.id, id).await?;
    if !event.visible_to(ctx.is_admin()) {
        return Err(AppError::NotFound);
    }
    Ok(event)
}

/// The event page, with the registration form as typed (and its errors in `ctx`).
///
/// # Errors
/// [`AppError::NotFound`] as for [`visible_event`]; the database fails.
pub async fn show_page(ctx: Ctx, st: &AppState, id: EventId, form: RegistrationForm) -> AppResult<EventShowPage> {
    let data = st.event_pages.page(&st.db, ctx.tenant.id, id).await?;
    page(ctx, st, data, form).await
}

/// The page for what [`store::page`] read, if the reader may see the event; for a member,
/// with their own registration (an anonymous session keeps none of theirs).
async fn page(ctx: Ctx, st: &AppState, data: PageData, form: RegistrationForm) -> AppResult<EventShowPage> {
    let PageData { event, counts, issue_title, lab_title } = data;
    if !event.visible_to(ctx.is_admin()) {
        return Err(AppError::NotFound);
    }
    let mine = match &ctx.account {
        Some(me) if !event.anonymous => {
            crate::registration::store::find_mine(&st.db, ctx.tenant.id, event.id, me.id).await?
        }
        _ => None,
    };
    let seats = counts.seats(&event);
    let closed = crate::registration::closed_for(&event, crate::db::now());
    let open = closed.is_none() && !event.modes().is_empty();
    // Why a published session takes no registration; drafts and cancelled ones say it above.
    let closed_message = match closed {
        Some(crate::registration::RegisterError::DeadlinePassed) => Some("registration-error-deadline"),
        Some(crate::registration::RegisterError::Ended) => Some("registration-closed"),
        None if !open => Some("registration-closed"),
        _ => None,
    };
    let issue = event.social_issue_id.zip(issue_title).map(|(id, title)| (id.0, title));
    let lab = event.lab_id.zip(lab_title).map(|(id, title)| (id.0, title));
    let can_cancel = matches!(closed, None | Some(crate::registration::RegisterError::DeadlinePassed));
    // What a session gave rise to, once it has taken place.
    let (articles, projects, labs) = if event.ends_at < crate::db::now() {
        let link = crate::article::store::Link::Event(event.id);
        let origin = crate::project::store::Origin { event: Some(event.id), ..Default::default() };
        (
            crate::article::store::linked_to(&st.db, ctx.tenant.id, link).await?,
            Some(crate::project::store::born_in(&st.db, ctx.tenant.id, origin, ctx.lang).await?),
            crate::lab::store::list_for_event(&st.db, ctx.tenant.id, event.id).await?,
        )
    } else {
        (Vec::new(), None, Vec::new())
    };
    Ok(EventShowPage {
        ctx,
        event,
        seats,
        form,
        open,
        can_cancel,
        closed_message,
        issue,
        lab,
        mine,
        articles,
        projects,
        labs,
    })
}

async fn show(ctx: Ctx, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<EventShowPage> {
    // The most visited page: one read for the event, its co-hosts, seats and links, kept
    // until any of them changes.
    let data = st.event_pages.page(&st.db, ctx.tenant.id, EventId(id)).await?;
    let mut form = RegistrationForm {
        mode: data.event.modes().first().map(|m| m.code().to_owned()).unwrap_or_default(),
        ..RegistrationForm::default()
    };
    if let Some(me) = &ctx.account {
        form.name = me.display_name.clone();
        form.email = me.email.clone();
    }
    page(ctx, &st, data, form).await
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

async fn publisher(ctx: &Ctx, st: &AppState) -> AppResult<opendata::Publisher> {
    let locality = crate::tenant::store::locality(&st.db, ctx.tenant.id).await?;
    Ok(opendata::Publisher::of(&ctx.tenant.name, &locality))
}

async fn opendata_csv(ctx: Ctx, State(st): State<AppState>) -> AppResult<Response> {
    let events = public_events(&ctx, &st).await?;
    let body = opendata::to_csv(&publisher(&ctx, &st).await?, &events, &ctx.base_url)?;
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
    Ok(axum::Json(opendata::to_json(&publisher(&ctx, &st).await?, &events, &ctx.base_url)).into_response())
}

crate::html_page!(EventIndexPage, EventShowPage);
