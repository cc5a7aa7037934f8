//! Lab pages: the list, a lab's page (members, meetings, study sessions, roadmap and
//! consultations), opening and editing a lab, its members and its meetings.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::store;
use super::{
    Access, Answer, JoinForm, JoinRequest, Lab, LabForm, LabId, LabMember, LabRole, Meeting, MeetingForm, MeetingId,
};
use crate::account::AccountId;
use crate::db::StoreError;
use crate::validate::FieldErrors;
use crate::web::{Admin, AppError, AppResult, AppState, Ctx, Member};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/labs", get(index).post(create))
        .route("/labs/new", get(new))
        .route("/labs/{id}", get(show).post(update))
        .route("/labs/{id}/edit", get(edit))
        .route("/labs/{id}/members", get(members_page).post(add_member))
        .route("/labs/{id}/members/{account}/remove", post(remove_member))
        .route("/labs/{id}/join", post(join))
        .route("/labs/{id}/join/withdraw", post(withdraw_join))
        .route("/labs/{id}/requests/{account}", post(answer_request))
        .route("/labs/{id}/meetings", post(add_meeting))
        .route("/labs/{id}/meetings/new", get(new_meeting))
        .route("/labs/{id}/meetings/{meeting}", post(update_meeting))
        .route("/labs/{id}/meetings/{meeting}/edit", get(edit_meeting))
        .route("/labs/{id}/meetings/{meeting}/delete", post(delete_meeting))
}

/// The lab and what the reader may do with it.
///
/// # Errors
/// [`AppError::NotFound`] for another tenant's lab.
pub async fn load(ctx: &Ctx, st: &AppState, id: i64) -> AppResult<(Lab, Access)> {
    let lab = store::get(&st.db, ctx.tenant.id, LabId(id)).await?;
    let role = match &ctx.account {
        Some(a) => store::role_of(&st.db, ctx.tenant.id, lab.id, a.id).await?,
        None => None,
    };
    Ok((lab, Access::of(ctx.account.as_ref(), role)))
}

/// The lab, when the reader may manage it.
///
/// # Errors
/// Login required; [`AppError::Forbidden`] for others.
pub async fn load_managed(ctx: &Ctx, st: &AppState, id: i64) -> AppResult<Lab> {
    ctx.require_account()?;
    let (lab, access) = load(ctx, st, id).await?;
    if access.manage { Ok(lab) } else { Err(AppError::Forbidden) }
}

#[derive(Template)]
#[template(path = "lab/index.html")]
pub struct IndexPage {
    pub ctx: Ctx,
    pub labs: Vec<Lab>,
    pub open: Vec<crate::consultation::Consultation>,
}

async fn index(ctx: Ctx, State(st): State<AppState>) -> AppResult<IndexPage> {
    let labs = store::list(&st.db, ctx.tenant.id).await?;
    let open = crate::consultation::store::list_open(&st.db, ctx.tenant.id, crate::db::now()).await?;
    Ok(IndexPage { ctx, labs, open })
}

#[derive(Template)]
#[template(path = "lab/form.html")]
pub struct FormPage {
    pub ctx: Ctx,
    pub form: LabForm,
    /// `None` for a new lab.
    pub lab: Option<LabId>,
}

/// Where a new lab is started from: `?issue=N` or `?event=N` (the issue's or session's
/// page links here).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct StartedFrom {
    issue: String,
    event: String,
}

async fn new(Admin(ctx, _): Admin, Query(from): Query<StartedFrom>) -> FormPage {
    let today = crate::i18n::wareki::jst_date(crate::db::now());
    let number = |s: &str| s.parse::<i64>().ok().filter(|n| *n > 0);
    FormPage { ctx, form: LabForm::new_from(today, number(&from.issue), number(&from.event)), lab: None }
}

/// Validates and saves; an unknown issue number is the form's error, not a 404.
async fn save(ctx: Ctx, st: &AppState, form: LabForm, lab: Option<LabId>) -> AppResult<Response> {
    let refuse = |ctx: Ctx, errors: FieldErrors, form: LabForm| {
        (StatusCode::UNPROCESSABLE_ENTITY, FormPage { ctx: ctx.with_errors(errors), form, lab }).into_response()
    };
    let draft = match form.validate() {
        Ok(d) => d,
        Err(errors) => return Ok(refuse(ctx, errors, form)),
    };
    let saved = match lab {
        None => super::open(&st.db, ctx.tenant.id, &draft).await,
        Some(id) => super::update(&st.db, ctx.tenant.id, id, &draft).await.map(|()| id),
    };
    match saved {
        Ok(id) => {
            if let (Some(issue), None) = (draft.social_issue_id, lab) {
                let link = format!("/labs/{}", id.0);
                let notifier = crate::notification::Notifier::for_request(st, &ctx);
                crate::social_issue::follow::notify(&notifier, ctx.tenant.id, issue, None, "follow-note-lab", &link)
                    .await?;
            }
            ctx.set_flash("lab-saved");
            Ok(Redirect::to(&format!("/labs/{}", id.0)).into_response())
        }
        Err(StoreError::NotFound) if draft.social_issue_id.is_some() => {
            Ok(refuse(ctx, FieldErrors::single("social_issue", "lab-error-issue-unknown"), form))
        }
        Err(StoreError::Conflict { constraint }) if constraint == store::UNKNOWN_EVENT => {
            Ok(refuse(ctx, FieldErrors::single("event", "lab-error-event-unknown"), form))
        }
        Err(e) => Err(e.into()),
    }
}

async fn create(Admin(ctx, _): Admin, State(st): State<AppState>, Form(form): Form<LabForm>) -> AppResult<Response> {
    save(ctx, &st, form, None).await
}

async fn edit(Member(ctx, _): Member, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<FormPage> {
    let lab = load_managed(&ctx, &st, id).await?;
    Ok(FormPage { form: LabForm::from_lab(&lab), lab: Some(lab.id), ctx })
}

async fn update(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(form): Form<LabForm>,
) -> AppResult<Response> {
    let lab = load_managed(&ctx, &st, id).await?;
    save(ctx, &st, form, Some(lab.id)).await
}

#[derive(Template)]
#[template(path = "lab/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub lab: Lab,
    pub access: Access,
    pub issue: Option<crate::social_issue::SocialIssue>,
    /// The session it grew out of: (id, title, day).
    pub origin: Option<(i64, String, chrono::NaiveDate)>,
    /// Whether the reader, not a member, has asked to join.
    pub requested: bool,
    /// The request-to-join form as typed.
    pub join: JoinForm,
    pub members: Vec<LabMember>,
    pub meetings: Vec<Meeting>,
    pub events: Vec<crate::event::Event>,
    pub versions: Vec<crate::roadmap::Version>,
    pub consultations: Vec<crate::consultation::Consultation>,
    pub now: chrono::DateTime<chrono::Utc>,
    /// Published articles about the lab (its results, its sessions' reports).
    pub articles: Vec<crate::article::store::Linked>,
    /// Projects born in the lab: (id, title, status).
    pub projects: Vec<(i64, String, String)>,
}

async fn show(ctx: Ctx, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<ShowPage> {
    let (lab, access) = load(&ctx, &st, id).await?;
    show_page(ctx, &st, lab, access, JoinForm::default()).await
}

/// The lab's page, with the request-to-join form as typed.
async fn show_page(ctx: Ctx, st: &AppState, lab: Lab, access: Access, join: JoinForm) -> AppResult<ShowPage> {
    let t = ctx.tenant.id;
    let requested = match &ctx.account {
        Some(a) if !access.member => store::has_requested(&st.db, t, lab.id, a.id).await?,
        _ => false,
    };
    // A hidden or pending issue is not named publicly.
    let issue = match lab.social_issue_id {
        Some(i) => crate::social_issue::store::get(&st.db, t, i)
            .await
            .ok()
            .filter(|i| i.status == crate::social_issue::Status::Published || ctx.is_admin()),
        None => None,
    };
    let origin = match lab.event_id {
        Some(e) => crate::event::store::get(&st.db, t, e)
            .await
            .ok()
            .filter(|e| e.status == crate::event::Status::Published)
            .map(|e| (e.id.0, e.title, crate::i18n::wareki::jst_date(e.starts_at))),
        None => None,
    };
    Ok(ShowPage {
        requested,
        join,
        issue,
        origin,
        members: store::members(&st.db, ctx.tenant.id, lab.id).await?,
        meetings: super::meeting::store::list(&st.db, ctx.tenant.id, lab.id).await?,
        events: if access.manage {
            crate::event::store::list_all_for_lab(&st.db, t, lab.id).await?
        } else {
            crate::event::store::list_for_lab(&st.db, t, lab.id).await?
        },
        versions: crate::roadmap::store::list(&st.db, t, lab.id).await?,
        consultations: crate::consultation::store::list_for_lab(&st.db, t, lab.id).await?,
        now: crate::db::now(),
        articles: crate::article::store::linked_to(&st.db, t, crate::article::store::Link::Lab(lab.id)).await?,
        projects: crate::project::store::born_in(
            &st.db,
            t,
            crate::project::store::Origin { lab: Some(lab.id), ..Default::default() },
            ctx.lang,
        )
        .await?,
        lab,
        access,
        ctx,
    })
}

#[derive(Template)]
#[template(path = "lab/members.html")]
pub struct MembersPage {
    pub ctx: Ctx,
    pub lab: Lab,
    pub members: Vec<LabMember>,
    /// Requests to join, waiting for an answer.
    pub requests: Vec<JoinRequest>,
    pub email: String,
    pub role: String,
    pub roles: [LabRole; 4],
}

impl MembersPage {
    /// The page, with the add form as typed.
    async fn of(ctx: Ctx, st: &AppState, lab: Lab, email: String, role: String) -> AppResult<MembersPage> {
        let members = store::members(&st.db, ctx.tenant.id, lab.id).await?;
        let requests = store::requests(&st.db, ctx.tenant.id, lab.id).await?;
        Ok(MembersPage { ctx, lab, members, requests, email, role, roles: LabRole::ALL })
    }
}

async fn members_page(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> AppResult<MembersPage> {
    let lab = load_managed(&ctx, &st, id).await?;
    MembersPage::of(ctx, &st, lab, String::new(), "member".into()).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct MemberForm {
    email: String,
    role: String,
}

async fn add_member(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<MemberForm>,
) -> AppResult<Response> {
    let lab = load_managed(&ctx, &st, id).await?;
    let problem = match LabRole::from_code(&f.role) {
        None => Some(FieldErrors::single("role", "lab-error-role")),
        Some(role) => match super::set_member(&st.db, ctx.tenant.id, lab.id, &f.email, role).await {
            Ok(()) => None,
            Err(StoreError::NotFound) => Some(FieldErrors::single("email", "lab-error-member-unknown")),
            Err(e) => return Err(e.into()),
        },
    };
    if let Some(errors) = problem {
        let page = MembersPage::of(ctx.with_errors(errors), &st, lab, f.email, f.role).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    ctx.set_flash("lab-member-saved");
    Ok(Redirect::to(&format!("/labs/{id}/members")).into_response())
}

/// A member asks to join the lab (its leads are told); one who belongs already is told so.
async fn join(
    Member(ctx, me): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(form): Form<JoinForm>,
) -> AppResult<Response> {
    let (lab, access) = load(&ctx, &st, id).await?;
    let note = match form.validate() {
        Ok(note) => note,
        Err(errors) => {
            let page = show_page(ctx.with_errors(errors), &st, lab, access, form).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let requested = super::request_join(&st.db, ctx.tenant.id, &lab, &me, &note).await?;
    ctx.set_flash(if requested { "lab-join-requested" } else { "lab-join-already" });
    Ok(Redirect::to(&format!("/labs/{id}")).into_response())
}

/// A member withdraws their request to join.
async fn withdraw_join(
    Member(ctx, me): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (lab, _) = load(&ctx, &st, id).await?;
    super::withdraw_request(&st.db, ctx.tenant.id, lab.id, me.id).await?;
    ctx.set_flash("lab-join-withdrawn");
    Ok(Redirect::to(&format!("/labs/{id}")).into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct AnswerForm {
    answer: String,
}

/// The lead (or the secretariat) accepts or declines a request to join.
async fn answer_request(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path((id, account)): Path<(i64, i64)>,
    Form(f): Form<AnswerForm>,
) -> AppResult<Response> {
    let lab = load_managed(&ctx, &st, id).await?;
    let Some(answer) = Answer::from_code(&f.answer) else {
        let errors = FieldErrors::single("answer", "lab-error-answer");
        let page = MembersPage::of(ctx.with_errors(errors), &st, lab, String::new(), "member".into()).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    super::answer_request(&st.db, ctx.tenant.id, &lab, AccountId(account), answer).await?;
    ctx.set_flash(match answer {
        Answer::Accept => "lab-request-accepted",
        Answer::Decline => "lab-request-declined",
    });
    Ok(Redirect::to(&format!("/labs/{id}/members")).into_response())
}

async fn remove_member(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path((id, account)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let lab = load_managed(&ctx, &st, id).await?;
    super::remove_member(&st.db, ctx.tenant.id, lab.id, AccountId(account)).await?;
    ctx.set_flash("lab-member-removed");
    Ok(Redirect::to(&format!("/labs/{id}/members")).into_response())
}

#[derive(Template)]
#[template(path = "lab/meeting.html")]
pub struct MeetingPage {
    pub ctx: Ctx,
    pub lab: Lab,
    pub form: MeetingForm,
    /// The meeting being corrected; `None` when recording a new one.
    pub meeting: Option<MeetingId>,
    /// The lab's members, to tick those who came.
    pub members: Vec<LabMember>,
    pub sectors: [crate::sector::Sector; 6],
}

impl MeetingPage {
    async fn of(
        ctx: Ctx,
        st: &AppState,
        lab: Lab,
        form: MeetingForm,
        meeting: Option<MeetingId>,
    ) -> AppResult<MeetingPage> {
        let members = store::members(&st.db, ctx.tenant.id, lab.id).await?;
        Ok(MeetingPage { ctx, lab, form, meeting, members, sectors: crate::sector::Sector::ALL })
    }
}

/// The lab, when the reader is one of its members (or the secretariat).
async fn load_as_member(ctx: &Ctx, st: &AppState, id: i64) -> AppResult<Lab> {
    let (lab, access) = load(ctx, st, id).await?;
    if access.member { Ok(lab) } else { Err(AppError::Forbidden) }
}

async fn new_meeting(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> AppResult<MeetingPage> {
    let lab = load_as_member(&ctx, &st, id).await?;
    MeetingPage::of(ctx, &st, lab, MeetingForm::default(), None).await
}

/// Saves a meeting (new, or the one corrected): the form again with what was typed when
/// refused.
async fn save_meeting(
    ctx: Ctx,
    st: &AppState,
    lab: Lab,
    meeting: Option<MeetingId>,
    form: MeetingForm,
    by: AccountId,
) -> AppResult<Response> {
    let draft = match form.validate() {
        Ok(draft) => draft,
        Err(errors) => {
            let page = MeetingPage::of(ctx.with_errors(errors), st, lab, form, meeting).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    match meeting {
        None => super::meeting::add(&st.db, ctx.tenant.id, lab.id, &draft, by).await.map(|_| ())?,
        Some(m) => super::meeting::update(&st.db, ctx.tenant.id, lab.id, m, &draft).await?,
    }
    ctx.set_flash("lab-meeting-saved");
    Ok(Redirect::to(&format!("/labs/{}#meetings-heading", lab.id.0)).into_response())
}

async fn add_meeting(
    Member(ctx, me): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let lab = load_as_member(&ctx, &st, id).await?;
    save_meeting(ctx, &st, lab, None, MeetingForm::from_pairs(&pairs), me.id).await
}

async fn edit_meeting(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path((id, meeting)): Path<(i64, i64)>,
) -> AppResult<MeetingPage> {
    let lab = load_as_member(&ctx, &st, id).await?;
    let m = super::meeting::store::get(&st.db, ctx.tenant.id, lab.id, MeetingId(meeting)).await?;
    let attendance = super::meeting::store::attendance(&st.db, ctx.tenant.id, lab.id, m.id).await?;
    MeetingPage::of(ctx, &st, lab, MeetingForm::of(&m, &attendance), Some(m.id)).await
}

async fn update_meeting(
    Member(ctx, me): Member,
    State(st): State<AppState>,
    Path((id, meeting)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let lab = load_as_member(&ctx, &st, id).await?;
    let m = super::meeting::store::get(&st.db, ctx.tenant.id, lab.id, MeetingId(meeting)).await?;
    save_meeting(ctx, &st, lab, Some(m.id), MeetingForm::from_pairs(&pairs), me.id).await
}

async fn delete_meeting(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path((id, meeting)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let lab = load_as_member(&ctx, &st, id).await?;
    super::meeting::delete(&st.db, ctx.tenant.id, lab.id, MeetingId(meeting)).await?;
    ctx.set_flash("lab-meeting-deleted");
    Ok(Redirect::to(&format!("/labs/{id}#meetings-heading")).into_response())
}

crate::html_page!(IndexPage, FormPage, ShowPage, MembersPage, MeetingPage);
