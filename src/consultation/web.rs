//! Consultation pages: the public page (the roadmap version paragraph by paragraph, a
//! comment form under each while the window is open, the published result), opening a
//! consultation, and the lab's page to moderate, read the summary by paragraph and
//! publish the result.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::{
    Comment, CommentForm, CommentId, Consultation, ConsultationId, Phase, ResponseForm, ResponseId, WindowForm, store,
};
use crate::db::{StoreError, now};
use crate::lab::Lab;
use crate::lab::web::{load, load_managed};
use crate::moderation::web::{ModerationForm, ReasonForm};
use crate::moderation::{Step, Subject};
use crate::rate_limit;
use crate::roadmap::{Paragraph, Version};
use crate::social_issue::Status;
use crate::validate::FieldErrors;
use crate::web::{AppError, AppResult, AppState, Ctx, Member};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/labs/{id}/consultations", post(create))
        .route("/labs/{id}/consultations/new", get(new))
        .route("/consultations/{id}", get(show))
        .route("/consultations/{id}/comments", post(comment))
        .route("/consultations/{id}/manage", get(manage))
        .route("/consultations/{id}/comments/{comment}/moderation", post(moderate))
        .route("/consultations/{id}/comments/{comment}/report", post(report))
        .route("/consultations/{id}/responses", post(add_response))
        .route("/consultations/{id}/responses/{response}/delete", post(delete_response))
        .route("/consultations/{id}/publish", post(publish))
}

#[derive(Template)]
#[template(path = "consultation/new.html")]
pub struct NewPage {
    pub ctx: Ctx,
    pub lab: Lab,
    pub form: WindowForm,
    pub versions: Vec<Version>,
}

async fn new(Member(ctx, _): Member, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<NewPage> {
    let lab = load_managed(&ctx, &st, id).await?;
    let versions = crate::roadmap::store::list(&st.db, ctx.tenant.id, lab.id).await?;
    let form = WindowForm {
        version: versions.first().map(|v| v.number.to_string()).unwrap_or_default(),
        ..WindowForm::default()
    };
    Ok(NewPage { ctx, lab, form, versions })
}

async fn create(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(form): Form<WindowForm>,
) -> AppResult<Response> {
    let lab = load_managed(&ctx, &st, id).await?;
    let errors = match form.validate() {
        Ok(window) => match super::open(&st.db, ctx.tenant.id, lab.id, &window).await {
            Ok(cid) => {
                ctx.set_flash("consultation-opened");
                return Ok(Redirect::to(&format!("/consultations/{}", cid.0)).into_response());
            }
            Err(StoreError::NotFound) => FieldErrors::single("version", "consultation-error-version"),
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors,
    };
    let versions = crate::roadmap::store::list(&st.db, ctx.tenant.id, lab.id).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, NewPage { ctx: ctx.with_errors(errors), lab, form, versions })
        .into_response())
}

/// A paragraph with the comments on it.
pub struct Section {
    pub paragraph: Paragraph,
    pub comments: Vec<Comment>,
}

fn sections(paragraphs: Vec<Paragraph>, comments: &[Comment]) -> Vec<Section> {
    paragraphs
        .into_iter()
        .map(|paragraph| {
            let comments = comments.iter().filter(|c| c.paragraph == paragraph.number).cloned().collect();
            Section { paragraph, comments }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "consultation/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub c: Consultation,
    pub phase: Phase,
    pub sections: Vec<Section>,
    pub responses: Vec<super::Response>,
    pub manage: bool,
    /// The comment being written, kept when it is refused: (paragraph, text).
    pub draft: (i64, String),
}

async fn load_consultation(ctx: &Ctx, st: &AppState, id: i64) -> AppResult<(Consultation, Version)> {
    let c = store::get(&st.db, ctx.tenant.id, ConsultationId(id)).await?;
    let version = crate::roadmap::store::get_by_id(&st.db, ctx.tenant.id, c.version_id).await?;
    Ok((c, version))
}

async fn show(ctx: Ctx, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<ShowPage> {
    let (c, version) = load_consultation(&ctx, &st, id).await?;
    let (_, access) = load(&ctx, &st, c.lab_id.0).await?;
    let comments = store::comments(&st.db, ctx.tenant.id, c.id, Some(Status::Published)).await?;
    let phase = c.phase(now());
    let responses =
        if phase == Phase::Published { store::responses(&st.db, ctx.tenant.id, c.id).await? } else { Vec::new() };
    Ok(ShowPage {
        sections: sections(version.paragraphs(), &comments),
        responses,
        manage: access.manage,
        phase,
        c,
        ctx,
        draft: (0, String::new()),
    })
}

async fn comment(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<CommentForm>,
) -> AppResult<Response> {
    let (c, version) = load_consultation(&ctx, &st, id).await?;
    let paragraphs = version.paragraphs().len() as i64;
    let paragraph = f.paragraph.trim().parse::<i64>().ok().filter(|n| (1..=paragraphs).contains(n));
    let body = f.body.trim();
    let problem = if !rate_limit::hit(&st.db, rate_limit::PUBLIC_FORM, &ctx.client_key()).await? {
        Some(("error-too-many-message", StatusCode::TOO_MANY_REQUESTS))
    } else if c.phase(now()) != Phase::Open {
        Some(("consultation-error-closed", StatusCode::CONFLICT))
    } else if paragraph.is_none() {
        Some(("consultation-error-paragraph", StatusCode::UNPROCESSABLE_ENTITY))
    } else if body.is_empty() {
        Some(("consultation-error-empty", StatusCode::UNPROCESSABLE_ENTITY))
    } else if body.chars().count() > 2000 {
        Some(("consultation-error-long", StatusCode::UNPROCESSABLE_ENTITY))
    } else {
        None
    };
    let author = ctx.account.as_ref().filter(|_| f.anonymous.is_none()).map(|a| a.id);
    let written = match (problem, paragraph) {
        // `None`: the window closed between the check and the write.
        (None, Some(p)) => super::comment(&st.db, ctx.tenant.id, c.id, p, author, body)
            .await?
            .ok_or(("consultation-error-closed", StatusCode::CONFLICT)),
        (Some(problem), _) => Err(problem),
        (None, None) => Err(("consultation-error-paragraph", StatusCode::UNPROCESSABLE_ENTITY)),
    };
    match written {
        Ok(status) => {
            ctx.set_flash(if status == Status::Published {
                "consultation-comment-published"
            } else {
                "consultation-comment-pending"
            });
            Ok(Redirect::to(&format!("/consultations/{id}#paragraph-{}", paragraph.unwrap_or(1))).into_response())
        }
        Err((message, status)) => {
            let field = if message == "consultation-error-closed" { "paragraphs" } else { "body" };
            let errors = FieldErrors::single(field, message);
            let page = show(ctx.with_errors(errors), State(st), Path(id)).await?;
            Ok((status, ShowPage { draft: (paragraph.unwrap_or(0), f.body), ..page }).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "consultation/manage.html")]
pub struct ManagePage {
    pub ctx: Ctx,
    pub c: Consultation,
    pub phase: Phase,
    pub sections: Vec<Section>,
    pub responses: Vec<super::Response>,
    pub versions: Vec<Version>,
    pub form: ResponseForm,
    /// Readers' reports waiting for a decision: (comment, reports, last reason, when).
    pub reports: Vec<(i64, i64, String, chrono::DateTime<chrono::Utc>)>,
}

impl ManagePage {
    pub fn count(&self, status: &str) -> usize {
        self.sections.iter().flat_map(|s| &s.comments).filter(|c| c.status.code() == status).count()
    }

    pub fn count_in(&self, section: &Section, status: &str) -> usize {
        section.comments.iter().filter(|c| c.status.code() == status).count()
    }
}

async fn manage_page(ctx: Ctx, st: &AppState, id: i64, form: ResponseForm) -> AppResult<ManagePage> {
    let (c, version) = load_consultation(&ctx, st, id).await?;
    load_managed(&ctx, st, c.lab_id.0).await?;
    let t = ctx.tenant.id;
    let comments = store::comments(&st.db, t, c.id, None).await?;
    let ids: Vec<i64> = comments.iter().map(|k| k.id.0).collect();
    Ok(ManagePage {
        reports: crate::moderation::store::flagged_among(&st.db, t, Subject::ConsultationComment, &ids).await?,
        sections: sections(version.paragraphs(), &comments),
        responses: store::responses(&st.db, t, c.id).await?,
        versions: crate::roadmap::store::list(&st.db, t, c.lab_id).await?,
        phase: c.phase(now()),
        c,
        ctx,
        form,
    })
}

async fn manage(Member(ctx, _): Member, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<ManagePage> {
    manage_page(ctx, &st, id, ResponseForm::default()).await
}

/// The consultation, when the reader manages its lab.
async fn load_managed_consultation(ctx: &Ctx, st: &AppState, id: i64) -> AppResult<Consultation> {
    let c = store::get(&st.db, ctx.tenant.id, ConsultationId(id)).await?;
    load_managed(ctx, st, c.lab_id.0).await?;
    Ok(c)
}

async fn moderate(
    Member(ctx, me): Member,
    State(st): State<AppState>,
    Path((id, comment)): Path<(i64, i64)>,
    Form(f): Form<ModerationForm>,
) -> AppResult<Response> {
    // Who may moderate is decided before anything changes: the lab's lead or the
    // secretariat, for this consultation; the comment must be one of its own.
    let c = load_managed_consultation(&ctx, &st, id).await?;
    let back = format!("/consultations/{id}/manage");
    let back = f.back(&back).to_owned();
    let Some(step) = f.step(&ctx)? else {
        return Ok(Redirect::to(&back).into_response());
    };
    super::moderate_comment(&st.db, ctx.tenant.id, c.id, CommentId(comment), &step, Some(me.id)).await?;
    ctx.set_flash("issue-moderated");
    Ok(Redirect::to(&back).into_response())
}

/// A reader reports a published comment; it waits, marked, in the lab's page and the
/// moderators' queue until someone decides.
async fn report(
    ctx: Ctx,
    State(st): State<AppState>,
    Path((id, comment)): Path<(i64, i64)>,
    Form(f): Form<ReasonForm>,
) -> AppResult<Response> {
    let c = store::get(&st.db, ctx.tenant.id, ConsultationId(id)).await?;
    if !rate_limit::hit(&st.db, rate_limit::PUBLIC_FORM, &ctx.client_key()).await? {
        return Err(AppError::TooManyRequests);
    }
    let actor = ctx.account.as_ref().map(|a| a.id);
    super::moderate_comment(&st.db, ctx.tenant.id, c.id, CommentId(comment), &Step::report(&f.reason), actor).await?;
    ctx.set_flash("issue-reported");
    Ok(Redirect::to(&format!("/consultations/{id}#comment-{comment}")).into_response())
}

async fn add_response(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(form): Form<ResponseForm>,
) -> AppResult<Response> {
    let c = load_managed_consultation(&ctx, &st, id).await?;
    if c.phase(now()) != Phase::Closed {
        ctx.set_flash("consultation-error-not-closed");
        return Ok(Redirect::to(&format!("/consultations/{id}/manage")).into_response());
    }
    let version = crate::roadmap::store::get_by_id(&st.db, ctx.tenant.id, c.version_id).await?;
    let published: Vec<CommentId> =
        store::comments(&st.db, ctx.tenant.id, c.id, Some(Status::Published)).await?.iter().map(|k| k.id).collect();
    match form.validate(version.paragraphs().len() as i64, &published) {
        Ok(draft) => {
            super::add_response(&st.db, ctx.tenant.id, c.id, &draft).await?;
            ctx.set_flash("consultation-response-saved");
            Ok(Redirect::to(&format!("/consultations/{id}/manage#responses-heading")).into_response())
        }
        Err(errors) => {
            let page = manage_page(ctx.with_errors(errors), &st, id, form).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn delete_response(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path((id, response)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let c = load_managed_consultation(&ctx, &st, id).await?;
    if c.phase(now()) == Phase::Closed {
        super::delete_response(&st.db, ctx.tenant.id, c.id, ResponseId(response)).await?;
    }
    Ok(Redirect::to(&format!("/consultations/{id}/manage#responses-heading")).into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PublishForm {
    version: String,
}

async fn publish(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<PublishForm>,
) -> AppResult<Response> {
    let c = load_managed_consultation(&ctx, &st, id).await?;
    let version = crate::i18n::normalize_identifier(&f.version).parse::<i64>().unwrap_or(0);
    let message = match super::publish_result(&st.db, ctx.tenant.id, &c, version).await {
        Ok(true) => "consultation-result-published",
        Ok(false) => "consultation-error-not-closed",
        Err(StoreError::NotFound) => "consultation-error-version",
        Err(e) => return Err(e.into()),
    };
    ctx.set_flash(message);
    let to = if message == "consultation-result-published" {
        format!("/consultations/{id}#result-heading")
    } else {
        format!("/consultations/{id}/manage")
    };
    Ok(Redirect::to(&to).into_response())
}

crate::html_page!(NewPage, ShowPage, ManagePage);
