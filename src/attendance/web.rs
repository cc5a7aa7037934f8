//! Recording attendance: the secretariat's check-in list on a phone (one tap per person,
//! a quick form for walk-ins, a QR code for self check-in), self check-in with the code
//! shown at the venue, and the online join link that records attendance before it
//! forwards to the meeting.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::checkin::{self, Arrival, WalkIn};
use super::{Door, FirstTime, GRACE_AFTER_END, Tally, store};
use crate::account::normalize_email;
use crate::event::{Event, EventId, Mode, Status as EventStatus, store as event_store};
use crate::rate_limit;
use crate::registration::{Registration, RegistrationId, Seats, Status, store as registration_store};
use crate::sector::Sector;
use crate::validate::FieldErrors;
use crate::web::{AppError, AppResult, AppState, Ctx, Member};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/events/{id}/checkin", get(checkin_list))
        .route("/admin/events/{id}/checkin/{registration}", post(check_in))
        .route("/admin/events/{id}/walkins", post(walk_in))
        .route("/checkin", get(self_form).post(self_check_in))
        .route("/join", get(join_form).post(join))
}

/// Where the event's self check-in stands now (see [`super::self_checkin_door`]).
fn door(event: &Event) -> Door {
    if event.status == EventStatus::Published {
        super::self_checkin_door(event.starts_at, event.ends_at, crate::db::now())
    } else {
        Door::Closed
    }
}

/// Whether the online join link records attendance now (see [`super::join_records`]).
fn join_open(event: &Event) -> bool {
    event.status == EventStatus::Published && super::join_records(event.starts_at, event.ends_at, crate::db::now())
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct WalkInForm {
    pub name: String,
    pub furigana: String,
    pub email: String,
    pub sector: String,
    pub affiliation: String,
    pub mode: String,
    /// "yes", "no" or "" (unknown / decide from history).
    pub first_time: String,
}

/// The tap that checks a registration in: `waiting_list=yes` from the waiting list's own
/// button.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CheckInForm {
    waiting_list: String,
}

/// The check-in list's search, by name, フリガナ or e-mail.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SearchQuery {
    q: String,
}

#[derive(Template)]
#[template(path = "attendance/checkin.html")]
pub struct CheckinPage {
    pub ctx: Ctx,
    pub event: Event,
    /// Those with a seat, in あいうえお order (フリガナ, else the name).
    pub registrations: Vec<Registration>,
    /// Those on the waiting list, apart, in the order they move up.
    pub waiting: Vec<Registration>,
    /// The search as typed; the lists hold only who matches it.
    pub query: String,
    /// How many registrations there are before the search.
    pub total: usize,
    pub seats: Vec<Seats>,
    pub stats: Tally,
    pub form: WalkInForm,
    pub qr_svg: String,
    pub self_url: String,
    /// The bodies the attendees came from (「11団体15名」).
    pub bodies: crate::organisation::Bodies,
    /// The center's organisations by name, to link an affiliation that names one.
    pub organisations: crate::organisation::Names,
}

impl CheckinPage {
    /// The organisation an affiliation names, if the center has recorded it.
    pub fn organisation_of(&self, affiliation: &str) -> Option<crate::organisation::OrganisationId> {
        self.organisations.named_by(affiliation)
    }

    /// 「11団体15名」.
    pub fn bodies_count(&self) -> String {
        let (bodies, people) = (self.bodies.lines.len().to_string(), self.bodies.people.to_string());
        self.ctx.lang.t_args("checkin-bodies-count", &[("bodies", &bodies), ("people", &people)])
    }

    pub fn sector_label(&self, s: &Option<Sector>) -> String {
        s.map(|s| s.label(self.ctx.lang).into_owned()).unwrap_or_default()
    }
}

async fn checkin_page(
    ctx: Ctx,
    st: &AppState,
    event: Event,
    form: WalkInForm,
    query: String,
) -> AppResult<CheckinPage> {
    let all = registration_store::list_for_event(&st.db, ctx.tenant.id, event.id).await?;
    let total = all.len();
    let (mut registrations, waiting): (Vec<Registration>, Vec<Registration>) =
        all.into_iter().filter(|r| r.matches(&query)).partition(|r| r.status != crate::registration::Status::Waiting);
    registrations.sort_by_cached_key(Registration::sort_key);
    let seats = registration_store::seats(&st.db, ctx.tenant.id, &event).await?;
    let stats = store::tally(&st.db, ctx.tenant.id, event.id).await?;
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
    let affiliations = store::affiliations(&st.db, ctx.tenant.id, event.id).await?;
    let organisations = crate::organisation::store::list(&st.db, ctx.tenant.id, None).await?;
    let bodies = crate::organisation::bodies(&affiliations, &organisations);
    Ok(CheckinPage {
        ctx,
        event,
        registrations,
        waiting,
        query,
        total,
        seats,
        stats,
        form,
        qr_svg,
        self_url,
        bodies,
        organisations: crate::organisation::Names::of(&organisations),
    })
}

/// The event whose door `staff` may keep: the secretariat any; a coordinator, or the lead
/// of the event's lab, one anyone may see (not a draft, not an internal meeting), else it
/// does not exist for them; anyone else is refused.
async fn kept_by(ctx: &Ctx, st: &AppState, staff: &crate::account::Account, id: i64) -> AppResult<Event> {
    let event = event_store::get(&st.db, ctx.tenant.id, EventId(id)).await?;
    let keeper = matches!(staff.role, crate::account::Role::Admin | crate::account::Role::Coordinator)
        || crate::event::admin::leads_lab_of(ctx, st, staff, &event).await?;
    if !keeper {
        return Err(AppError::Forbidden);
    }
    if event.visible_to(staff.is_admin()) { Ok(event) } else { Err(AppError::NotFound) }
}

async fn checkin_list(
    Member(ctx, me): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Query(search): Query<SearchQuery>,
) -> AppResult<CheckinPage> {
    let event = kept_by(&ctx, &st, &me, id).await?;
    let form =
        WalkInForm { mode: event.modes().first().map_or("venue", |m| m.code()).to_owned(), ..WalkInForm::default() };
    checkin_page(ctx, &st, event, form, search.q.trim().to_owned()).await
}

async fn check_in(
    Member(ctx, me): Member,
    State(st): State<AppState>,
    Path((id, registration)): Path<(i64, i64)>,
    Form(form): Form<CheckInForm>,
) -> AppResult<Response> {
    let event = kept_by(&ctx, &st, &me, id).await?;
    let from_waiting_list = form.waiting_list == "yes";
    let done = checkin::registration(&st.db, ctx.tenant.id, &event, RegistrationId(registration), from_waiting_list)
        .await?
        .ok_or(AppError::NotFound)?;
    ctx.set_flash(match done {
        checkin::CheckedIn::Recorded => "checkin-done",
        checkin::CheckedIn::Already => "checkin-already",
        checkin::CheckedIn::Waiting => "checkin-error-waiting",
    });
    Ok(Redirect::to(&format!("/admin/events/{id}/checkin#registration-{registration}")).into_response())
}

/// Checks the walk-in form. On an anonymous event only the mode counts: whatever else
/// was sent is dropped, and the attendance is a 市民 whose first time is unknown.
fn validate_walk_in(event: &Event, form: &WalkInForm) -> Result<WalkIn, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mode = Mode::from_code(&form.mode).filter(|m| event.offers(*m));
    if mode.is_none() {
        errors.add("mode", "registration-error-mode");
    }
    if event.anonymous {
        return match mode {
            Some(mode) => Ok(WalkIn {
                mode,
                sector: Sector::Citizen,
                email: None,
                name: String::new(),
                furigana: String::new(),
                affiliation: String::new(),
                first_time: FirstTime::Given(None),
            }),
            None => Err(errors),
        };
    }
    let name = form.name.trim();
    if name.chars().count() > crate::account::NAME_MAX_CHARS {
        errors.add("name", "walkin-error-name-long");
    }
    let furigana = errors.furigana("furigana", &form.furigana);
    let email = if form.email.trim().is_empty() { Ok(None) } else { normalize_email(&form.email).map(Some).ok_or(()) };
    if email.is_err() {
        errors.add("email", "account-error-email-invalid");
    }
    let sector = Sector::from_code(&form.sector);
    if sector.is_none() {
        errors.add("sector", "account-error-sector-required");
    }
    let affiliation = form.affiliation.trim();
    if affiliation.chars().count() > crate::account::AFFILIATION_MAX_CHARS {
        errors.add("affiliation", "account-error-affiliation-long");
    }
    let first_time = match form.first_time.as_str() {
        "yes" => FirstTime::Given(Some(true)),
        "no" => FirstTime::Given(Some(false)),
        _ => FirstTime::FromHistory,
    };
    match (mode, sector, email, furigana) {
        (Some(mode), Some(sector), Ok(email), Some(furigana)) if errors.is_empty() => Ok(WalkIn {
            mode,
            sector,
            email,
            name: name.to_owned(),
            furigana,
            affiliation: affiliation.to_owned(),
            first_time,
        }),
        _ => Err(errors),
    }
}

async fn walk_in(
    Member(ctx, me): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(form): Form<WalkInForm>,
) -> AppResult<Response> {
    let event = kept_by(&ctx, &st, &me, id).await?;
    let w = match validate_walk_in(&event, &form) {
        Ok(w) => w,
        Err(errors) => {
            let page = checkin_page(ctx.with_errors(errors), &st, event, form, String::new()).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let recorded = checkin::walk_in(&st.db, ctx.tenant.id, &event, w).await?;
    ctx.set_flash(if recorded { "walkin-done" } else { "checkin-already" });
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
    /// Checked in by this request.
    pub done: bool,
    /// Had checked in before: nothing new was recorded.
    pub already: bool,
    /// Why the event's check-in does not take people now (not yet open, or closed).
    pub notice: Option<String>,
}

impl SelfCheckinPage {
    fn new(ctx: Ctx, form: SelfCheckinForm, event: Option<Event>) -> SelfCheckinPage {
        SelfCheckinPage { ctx, form, event, done: false, already: false, notice: None }
    }

    /// Whether the page asks for the e-mail of the registration: not of members, and never
    /// on an anonymous event.
    pub fn asks_email(&self) -> bool {
        !self.ctx.is_logged_in() && !self.event.as_ref().is_some_and(|e| e.anonymous)
    }

    fn with_status(self, status: StatusCode) -> Response {
        (status, self).into_response()
    }

    /// The form again, with `message` (a Fluent id) on `field`, answered with `status`.
    fn refused(
        ctx: Ctx,
        form: SelfCheckinForm,
        event: Option<Event>,
        (field, message): (&'static str, &'static str),
        status: StatusCode,
    ) -> Response {
        SelfCheckinPage::new(ctx.with_errors(FieldErrors::single(field, message)), form, event).with_status(status)
    }
}

/// What a typed or scanned check-in code found.
enum CodeLookup {
    Found(Box<Event>),
    Unknown,
    /// Too many unknown codes from this address lately: not even looked up.
    TooMany,
}

/// Finds the event of `code`. Unknown codes count against the client's address, and once
/// it has had too many no code is looked up, right or wrong: codes are short.
async fn look_up_code(ctx: &Ctx, st: &AppState, code: &str) -> AppResult<CodeLookup> {
    let who = ctx.client_key();
    if rate_limit::exhausted(&st.db, rate_limit::CHECKIN_CODE_MISS, &who).await? {
        return Ok(CodeLookup::TooMany);
    }
    Ok(match event_store::find_by_checkin_code(&st.db, ctx.tenant.id, code).await? {
        Some(event) => CodeLookup::Found(Box::new(event)),
        None => {
            rate_limit::hit(&st.db, rate_limit::CHECKIN_CODE_MISS, &who).await?;
            CodeLookup::Unknown
        }
    })
}

/// Why the event's self check-in does not take people now, in the reader's language.
fn door_notice(ctx: &Ctx, event: &Event) -> Option<String> {
    match door(event) {
        Door::Open => None,
        Door::NotYet => {
            let start = event.starts_at.with_timezone(&crate::i18n::wareki::jst()).format("%H:%M");
            Some(ctx.t1("self-checkin-not-yet", "time", start))
        }
        Door::Closed => Some(ctx.lang.t("self-checkin-closed").into_owned()),
    }
}

/// The cookie by which a browser that checked in to an anonymous event is known again.
fn anonymous_cookie_name(event: &Event) -> String {
    format!("checkin-{}", event.id.0)
}

fn has_cookie(headers: &HeaderMap, name: &str) -> bool {
    crate::web::ctx::cookie(headers, name).is_some_and(|v| !v.is_empty())
}

/// A random value that says nothing about who checked in and is kept nowhere else, valid
/// only under `/checkin` and only until the check-in closes.
fn anonymous_cookie(st: &AppState, event: &Event) -> Option<HeaderValue> {
    let token: String = rand::random::<[u8; 16]>().iter().map(|b| format!("{b:02x}")).collect();
    let until = event.ends_at + GRACE_AFTER_END - crate::db::now();
    let max_age = until.num_seconds().max(0) + 3600;
    let secure = if st.config.secure_cookies() { "; Secure" } else { "" };
    let name = anonymous_cookie_name(event);
    HeaderValue::from_str(&format!("{name}={token}; Path=/checkin; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"))
        .ok()
}

fn normalize_code(code: &str) -> String {
    crate::i18n::normalize_identifier(code).to_uppercase()
}

async fn self_form(
    ctx: Ctx,
    State(st): State<AppState>,
    headers: HeaderMap,
    Query(form): Query<SelfCheckinForm>,
) -> AppResult<Response> {
    let form = SelfCheckinForm { code: normalize_code(&form.code), ..form };
    // A request another site makes (an image, a link) gets the form with the code filled
    // in, unlooked-up: it must neither spend the venue's allowance of wrong codes (every
    // phone there shares one address) nor tell the other site whether a code exists. A
    // QR code scanned or a code typed comes without another site.
    let from_elsewhere = headers.get("sec-fetch-site").is_some_and(|v| v.as_bytes() == b"cross-site");
    if form.code.is_empty() || from_elsewhere {
        return Ok(SelfCheckinPage::new(ctx, form, None).into_response());
    }
    Ok(match look_up_code(&ctx, &st, &form.code).await? {
        CodeLookup::TooMany => {
            SelfCheckinPage::refused(ctx, form, None, ("code", "error-too-many-message"), StatusCode::TOO_MANY_REQUESTS)
        }
        CodeLookup::Unknown => {
            SelfCheckinPage::refused(ctx, form, None, ("code", "checkin-error-unknown-code"), StatusCode::OK)
        }
        CodeLookup::Found(event) => {
            let notice = door_notice(&ctx, &event);
            let already = notice.is_none() && event.anonymous && has_cookie(&headers, &anonymous_cookie_name(&event));
            SelfCheckinPage { done: already, already, notice, ..SelfCheckinPage::new(ctx, form, Some(*event)) }
                .into_response()
        }
    })
}

async fn self_check_in(
    ctx: Ctx,
    State(st): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<SelfCheckinForm>,
) -> AppResult<Response> {
    let mut form = SelfCheckinForm { code: normalize_code(&form.code), ..form };
    // Its own limit: a whole venue checks in from behind one address.
    if !rate_limit::hit(&st.db, rate_limit::SELF_CHECKIN, &ctx.client_key()).await? {
        return Ok(SelfCheckinPage::refused(
            ctx,
            form,
            None,
            ("code", "error-too-many-message"),
            StatusCode::TOO_MANY_REQUESTS,
        ));
    }
    let event = match look_up_code(&ctx, &st, &form.code).await? {
        CodeLookup::Found(event) => *event,
        CodeLookup::TooMany => {
            return Ok(SelfCheckinPage::refused(
                ctx,
                form,
                None,
                ("code", "error-too-many-message"),
                StatusCode::TOO_MANY_REQUESTS,
            ));
        }
        CodeLookup::Unknown => {
            return Ok(SelfCheckinPage::refused(
                ctx,
                form,
                None,
                ("code", "checkin-error-unknown-code"),
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    if event.anonymous {
        // Nothing that could identify anyone is kept, not even on the page.
        form.email.clear();
    }
    if let Some(notice) = door_notice(&ctx, &event) {
        return Ok(SelfCheckinPage { notice: Some(notice), ..SelfCheckinPage::new(ctx, form, Some(event)) }
            .with_status(StatusCode::UNPROCESSABLE_ENTITY));
    }
    if event.anonymous {
        return self_check_in_anonymous(ctx, &st, &headers, form, event).await;
    }
    // Who is checking in: the logged-in member, or the person registered with this e-mail.
    let who = if let Some(me) = &ctx.account {
        Arrival::Member(me)
    } else {
        // Whether an address registered is not to be learnt by trying addresses.
        let who = ctx.client_key();
        if rate_limit::exhausted(&st.db, rate_limit::CHECKIN_EMAIL_MISS, &who).await? {
            return Ok(SelfCheckinPage::refused(
                ctx,
                form,
                Some(event),
                ("email", "error-too-many-message"),
                StatusCode::TOO_MANY_REQUESTS,
            ));
        }
        let found = match normalize_email(&form.email) {
            Some(email) => registration_store::person_by_email(&st.db, ctx.tenant.id, event.id, &email).await?,
            None => {
                let message = crate::validate::email_message(&form.email);
                return Ok(SelfCheckinPage::refused(
                    ctx,
                    form,
                    Some(event),
                    ("email", message),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ));
            }
        };
        let Some(person) = found else {
            rate_limit::hit(&st.db, rate_limit::CHECKIN_EMAIL_MISS, &who).await?;
            return Ok(SelfCheckinPage::refused(
                ctx,
                form,
                Some(event),
                ("email", "checkin-error-not-registered"),
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        };
        Arrival::Registered(person)
    };
    let recorded = checkin::self_check_in(&st.db, ctx.tenant.id, &event, who).await?;
    Ok(SelfCheckinPage { done: true, already: !recorded, ..SelfCheckinPage::new(ctx, form, Some(event)) }
        .into_response())
}

/// Self check-in at an anonymous event: nobody is asked who they are, so a repeat from the
/// same browser is told apart by a cookie of its own, not by anything about the person.
async fn self_check_in_anonymous(
    ctx: Ctx,
    st: &AppState,
    headers: &HeaderMap,
    form: SelfCheckinForm,
    event: Event,
) -> AppResult<Response> {
    if has_cookie(headers, &anonymous_cookie_name(&event)) {
        return Ok(SelfCheckinPage { done: true, already: true, ..SelfCheckinPage::new(ctx, form, Some(event)) }
            .into_response());
    }
    // A browser that forgets its cookie could count again: never more than the hall holds.
    if !checkin::self_check_in_anonymous(&st.db, ctx.tenant.id, &event).await? {
        let notice = Some(ctx.lang.t("self-checkin-full").into_owned());
        return Ok(SelfCheckinPage { notice, ..SelfCheckinPage::new(ctx, form, Some(event)) }
            .with_status(StatusCode::CONFLICT));
    }
    let cookie = anonymous_cookie(st, &event);
    let mut res = SelfCheckinPage { done: true, ..SelfCheckinPage::new(ctx, form, Some(event)) }.into_response();
    if let Some(cookie) = cookie {
        res.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(res)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct JoinQuery {
    token: String,
}

/// The online registration a join link's token belongs to, with its event: `Err` with
/// the page to answer instead (not found; or waiting for a place).
async fn joining(ctx: Ctx, st: &AppState, token: &str) -> AppResult<Result<(Ctx, RegistrationId, Event), Response>> {
    let Some((id, event_id, status, mode)) = registration_store::find_by_token(&st.db, ctx.tenant.id, token).await?
    else {
        return Err(AppError::NotFound);
    };
    if mode != Mode::Online || status == Status::Cancelled {
        return Err(AppError::NotFound);
    }
    if status == Status::Waiting {
        // The meeting's address goes only to those with a place; this link works once a
        // place is free, and the waiting are told by mail when it is.
        let link = Some(("/events", "events-title"));
        return Ok(Err(crate::web::NoticePage {
            ctx,
            title: "join-waiting-title",
            message: "join-waiting-message",
            link,
        }
        .into_response()));
    }
    let event = event_store::get(&st.db, ctx.tenant.id, event_id).await?;
    if event.online_url.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(Ok((ctx, id, event)))
}

/// The online link from the confirmation mail: a page whose button joins (opening the
/// link, which mail scanners do too, records nothing).
async fn join_form(ctx: Ctx, State(st): State<AppState>, Query(q): Query<JoinQuery>) -> AppResult<Response> {
    let (ctx, _, event) = match joining(ctx, &st, &q.token).await? {
        Ok(found) => found,
        Err(page) => return Ok(page),
    };
    let detail = format!("{} — {} {}", event.title, event.date_label(ctx.lang), event.time_label());
    Ok(crate::web::ConfirmPage {
        ctx,
        title: "join-title",
        detail,
        message: "join-message",
        action: "/join",
        token: q.token,
        button: "join-button",
    }
    .into_response())
}

/// Joining: records attendance (once the door is open) and forwards to the meeting.
async fn join(ctx: Ctx, State(st): State<AppState>, Form(q): Form<JoinQuery>) -> AppResult<Response> {
    let (ctx, id, event) = match joining(ctx, &st, &q.token).await? {
        Ok(found) => found,
        Err(page) => return Ok(page),
    };
    if join_open(&event) {
        checkin::join_online(&st.db, ctx.tenant.id, &event, id).await?;
    }
    Ok(Redirect::to(&event.online_url).into_response())
}

crate::html_page!(CheckinPage, SelfCheckinPage);
