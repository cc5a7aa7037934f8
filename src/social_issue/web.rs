//! Social issue pages: the public list, bringing an issue (signed or anonymous), an
//! issue's page with "me too" and its stage history, reporting a post; and the
//! secretariat's moderation queue with stages and the audit log.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::store;
use super::{CommentId, IssueForm, SocialIssue, SocialIssueId, Stage, Status, TAGS};
use crate::moderation::web::{ModerationForm, ReasonForm};
use crate::moderation::{Action, Step};
use crate::rate_limit;
use crate::validate::FieldErrors;
use crate::web::{Admin, AppError, AppResult, AppState, Ctx, Member, NoticePage};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/issues", get(index).post(create))
        .route("/issues.atom", get(feed))
        .route("/issues/new", get(new))
        .route("/issues/{id}", get(show))
        .route("/issues/{id}/support", post(support))
        .route("/issues/{id}/follow", post(follow))
        .route("/issues/{id}/report", post(report))
        .route("/issues/{id}/comments", post(comment))
        .route("/comments/{id}/report", post(report_comment))
        .route("/admin/comments/{id}/moderation", post(moderate_comment))
        .route("/admin/issues", get(admin_index))
        .route("/admin/issues/{id}/moderation", post(moderate))
        .route("/admin/issues/{id}/stage", post(set_stage))
}

#[derive(Template)]
#[template(path = "social_issue/index.html")]
pub struct IndexPage {
    pub ctx: Ctx,
    pub issues: Vec<SocialIssue>,
}

async fn index(ctx: Ctx, State(st): State<AppState>) -> AppResult<IndexPage> {
    let issues = store::list(&st.db, ctx.tenant.id, Status::Published, 200).await?;
    Ok(IndexPage { ctx, issues })
}

#[derive(Template)]
#[template(path = "social_issue/new.html")]
pub struct NewPage {
    pub ctx: Ctx,
    pub form: IssueForm,
    pub tags: [&'static str; 9],
    /// Issues already there that say much the same, shown once before sending.
    pub similar: Vec<crate::search::Hit>,
}

async fn new(ctx: Ctx) -> NewPage {
    NewPage { ctx, form: IssueForm::default(), tags: TAGS, similar: Vec::new() }
}

/// How many similar issues the form shows before sending.
const SIMILAR: usize = 3;

async fn create(ctx: Ctx, State(st): State<AppState>, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let form = IssueForm::from_pairs(pairs);
    if !rate_limit::hit(&st.db, rate_limit::PUBLIC_FORM, &ctx.client_key()).await? {
        let page = NewPage {
            ctx: ctx.with_errors(FieldErrors::single("title", "error-too-many-message")),
            form,
            tags: TAGS,
            similar: Vec::new(),
        };
        return Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response());
    }
    let issue = match form.validate() {
        Ok(i) => i,
        Err(errors) => {
            let page = NewPage { ctx: ctx.with_errors(errors), form, tags: TAGS, similar: Vec::new() };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    // Before the first sending: are there issues that say the same? Support beats a copy.
    if form.similar_seen.is_none() {
        let similar =
            st.search.similar(&st.db, ctx.tenant.id, crate::search::Kind::Issue, &issue.title, SIMILAR).await?;
        if !similar.is_empty() {
            return Ok(NewPage { ctx, form, tags: TAGS, similar }.into_response());
        }
    }
    // Signed by a member unless they chose anonymity; an anonymous post keeps no author.
    let author = ctx.account.as_ref().filter(|_| !issue.anonymous).map(|a| a.id);
    let id = super::bring(&st.db, ctx.tenant.id, &issue, author).await?;
    if author.is_some() {
        ctx.set_flash("issue-published");
        return Ok(Redirect::to(&format!("/issues/{}", id.0)).into_response());
    }
    Ok(NoticePage {
        ctx,
        title: "issue-pending-title",
        message: "issue-pending-message",
        link: Some(("/issues", "issues-title")),
    }
    .into_response())
}

#[derive(Template)]
#[template(path = "social_issue/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub issue: SocialIssue,
    pub supported: bool,
    pub following: bool,
    /// Labs that took the issue up.
    pub labs: Vec<crate::lab::Lab>,
    pub history: Vec<store::StageEntry>,
    pub stages: [Stage; 4],
    /// Sessions that took the issue up.
    pub events: Vec<crate::event::Event>,
    pub comments: Vec<store::Comment>,
    /// The comment being written, kept when it is refused.
    pub draft: String,
    /// Published articles about the issue.
    pub articles: Vec<crate::article::store::Linked>,
    /// Projects working on it: (id, title, status).
    pub projects: Vec<(i64, String, String)>,
}

async fn show(ctx: Ctx, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<ShowPage> {
    let issue = store::get(&st.db, ctx.tenant.id, SocialIssueId(id)).await?;
    if issue.status != Status::Published && !ctx.is_admin() {
        return Err(AppError::NotFound);
    }
    let (supported, following) = match &ctx.account {
        Some(a) => {
            let t = ctx.tenant.id;
            (
                store::supports(&st.db, t, issue.id, a.id).await?,
                super::follow::follows(&st.db, t, issue.id, a.id).await?,
            )
        }
        None => (false, false),
    };
    let labs = crate::lab::store::list_for_issue(&st.db, ctx.tenant.id, issue.id).await?;
    let history = store::stage_history(&st.db, ctx.tenant.id, issue.id).await?;
    let events = crate::event::store::list_for_issue(&st.db, ctx.tenant.id, issue.id).await?;
    let comments = store::list_comments(&st.db, ctx.tenant.id, Some(issue.id), Status::Published).await?;
    let link = crate::article::store::Link::Issue(issue.id);
    let articles = crate::article::store::linked_to(&st.db, ctx.tenant.id, link).await?;
    let origin = crate::project::store::Origin { issue: Some(issue.id), ..Default::default() };
    let projects = crate::project::store::born_in(&st.db, ctx.tenant.id, origin, ctx.lang).await?;
    Ok(ShowPage {
        articles,
        projects,
        ctx,
        issue,
        supported,
        following,
        labs,
        history,
        stages: Stage::ALL,
        events,
        comments,
        draft: String::new(),
    })
}

async fn support(Member(ctx, me): Member, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    let now = super::toggle_support(&st.db, ctx.tenant.id, SocialIssueId(id), me.id).await?;
    ctx.set_flash(if now { "issue-supported" } else { "issue-unsupported" });
    Ok(Redirect::to(&format!("/issues/{id}")).into_response())
}

async fn follow(Member(ctx, me): Member, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    let issue = store::get(&st.db, ctx.tenant.id, SocialIssueId(id)).await?;
    if issue.status != Status::Published {
        return Err(AppError::NotFound);
    }
    let now = super::follow::toggle(&st.db, ctx.tenant.id, issue.id, me.id).await?;
    ctx.set_flash(if now { "issue-followed" } else { "issue-unfollowed" });
    Ok(Redirect::to(&format!("/issues/{id}")).into_response())
}

async fn report(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<ReasonForm>,
) -> AppResult<Response> {
    let issue = store::get(&st.db, ctx.tenant.id, SocialIssueId(id)).await?;
    if issue.status != Status::Published {
        return Err(AppError::NotFound);
    }
    if !rate_limit::hit(&st.db, rate_limit::PUBLIC_FORM, &ctx.client_key()).await? {
        return Err(AppError::TooManyRequests);
    }
    super::moderate(&st.db, ctx.tenant.id, issue.id, &Step::report(&f.reason), ctx.account.as_ref().map(|a| a.id))
        .await?;
    ctx.set_flash("issue-reported");
    Ok(Redirect::to(&format!("/issues/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "social_issue/admin.html")]
pub struct AdminPage {
    pub ctx: Ctx,
    pub published: Vec<SocialIssue>,
    pub hidden: Vec<SocialIssue>,
}

/// The secretariat's list of issues, to hide or restore (what waits for approval or was
/// reported is in the moderators' queue, `/admin/moderation`).
async fn admin_index(Admin(ctx, _): Admin, State(st): State<AppState>) -> AppResult<AdminPage> {
    let t = ctx.tenant.id;
    Ok(AdminPage {
        published: store::list(&st.db, t, Status::Published, 200).await?,
        hidden: store::list(&st.db, t, Status::Hidden, 200).await?,
        ctx,
    })
}

async fn moderate(
    Admin(ctx, me): Admin,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<ModerationForm>,
) -> AppResult<Response> {
    let back = f.back("/admin/moderation");
    let Some(step) = f.step(&ctx)? else {
        return Ok(Redirect::to(back).into_response());
    };
    super::moderate(&st.db, ctx.tenant.id, SocialIssueId(id), &step, Some(me.id)).await?;
    ctx.set_flash("issue-moderated");
    Ok(Redirect::to(back).into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct StageForm {
    stage: String,
    note: String,
}

async fn set_stage(
    Admin(ctx, me): Admin,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<StageForm>,
) -> AppResult<Response> {
    let stage = f.stage.parse::<i64>().ok().map(Stage).filter(|s| Stage::ALL.contains(s)).ok_or(AppError::NotFound)?;
    let note = crate::validate::short_text(&f.note, 500);
    super::set_stage(&st.db, ctx.tenant.id, SocialIssueId(id), stage, &note, me.id).await?;
    let link = format!("/issues/{id}");
    super::follow::notify(
        &crate::notification::Notifier::for_request(&st, &ctx),
        ctx.tenant.id,
        SocialIssueId(id),
        Some(me.id),
        "follow-note-stage",
        &link,
    )
    .await?;
    ctx.set_flash("issue-stage-saved");
    Ok(Redirect::to(&format!("/issues/{id}")).into_response())
}

/// An Atom feed of open consultations and newly published issues, for feed readers and
/// the city's portal.
async fn feed(ctx: Ctx, State(st): State<AppState>) -> AppResult<Response> {
    let issues = store::list(&st.db, ctx.tenant.id, Status::Published, 50).await?;
    let consultations = crate::consultation::store::list_open(&st.db, ctx.tenant.id, crate::db::now()).await?;
    let mut entries: Vec<crate::web::atom::Entry> = consultations
        .iter()
        .map(|c| crate::web::atom::Entry {
            id: format!("consultation-{}", c.id.0),
            title: ctx.t1("consultation-title", "lab", &c.lab_title),
            url: format!("{}/consultations/{}", ctx.base_url, c.id.0),
            updated: c.opens_at,
            author: c.lab_title.clone(),
            content_html: None,
            summary: Some(ctx.t1("consultation-until", "date", ctx.day(c.last_day()))),
        })
        .collect();
    entries.extend(issues.iter().map(|i| crate::web::atom::Entry {
        id: format!("issue-{}", i.id.0),
        title: i.title.clone(),
        url: format!("{}/issues/{}", ctx.base_url, i.id.0),
        updated: i.created_at,
        author: i.author.clone().unwrap_or_else(|| ctx.lang.t("issue-anonymous-author").into_owned()),
        content_html: Some(i.description_html.clone()),
        summary: None,
    }));
    let feed = crate::web::atom::Feed {
        id: "issues",
        title: format!("{} — {}", ctx.tenant.name, ctx.lang.t("issues-title")),
        lang: ctx.lang.code(),
        base_url: &ctx.base_url,
        path: "/issues",
        entries,
    };
    Ok(feed.into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CommentForm {
    body: String,
}

/// What is wrong with a public comment as sent (a message id and the status to answer
/// with): too many from one address, empty, or too long. Issues and articles alike.
///
/// # Errors
/// The database fails.
pub async fn comment_problem(ctx: &Ctx, st: &AppState, body: &str) -> AppResult<Option<(&'static str, StatusCode)>> {
    Ok(if !rate_limit::hit(&st.db, rate_limit::PUBLIC_FORM, &ctx.client_key()).await? {
        Some(("error-too-many-message", StatusCode::TOO_MANY_REQUESTS))
    } else if body.is_empty() {
        Some(("issue-comment-error-empty", StatusCode::UNPROCESSABLE_ENTITY))
    } else if body.chars().count() > 2000 {
        Some(("issue-comment-error-long", StatusCode::UNPROCESSABLE_ENTITY))
    } else {
        None
    })
}

async fn comment(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<CommentForm>,
) -> AppResult<Response> {
    let issue_id = SocialIssueId(id);
    let body = f.body.trim();
    let problem = comment_problem(&ctx, &st, body).await?;
    if let Some((message, status)) = problem {
        let page = show(ctx.with_errors(FieldErrors::single("body", message)), State(st), Path(id)).await?;
        return Ok((status, ShowPage { draft: f.body, ..page }).into_response());
    }
    let author = ctx.account.as_ref().map(|a| a.id);
    let status = super::comment(&st.db, ctx.tenant.id, issue_id, author, body).await?.ok_or(AppError::NotFound)?;
    if status == Status::Published {
        let link = format!("/issues/{id}#comments-heading");
        super::follow::notify(
            &crate::notification::Notifier::for_request(&st, &ctx),
            ctx.tenant.id,
            issue_id,
            author,
            "follow-note-comment",
            &link,
        )
        .await?;
    }
    ctx.set_flash(if status == Status::Published { "issue-comment-published" } else { "issue-comment-pending" });
    Ok(Redirect::to(&format!("/issues/{id}#comments-heading")).into_response())
}

async fn moderate_comment(
    Admin(ctx, me): Admin,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<ModerationForm>,
) -> AppResult<Response> {
    let back = f.back("/admin/moderation");
    let Some(step) = f.step(&ctx)? else {
        return Ok(Redirect::to(back).into_response());
    };
    let (issue, newly_published) =
        super::moderate_comment(&st.db, ctx.tenant.id, CommentId(id), &step, Some(me.id)).await?;
    if step.action == Action::Approved && newly_published {
        let link = format!("/issues/{}#comments-heading", issue.0);
        super::follow::notify(
            &crate::notification::Notifier::for_request(&st, &ctx),
            ctx.tenant.id,
            issue,
            None,
            "follow-note-comment",
            &link,
        )
        .await?;
    }
    ctx.set_flash("issue-moderated");
    Ok(Redirect::to(back).into_response())
}

/// A reader reports a comment; the secretariat sees it in the log and decides.
async fn report_comment(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<ReasonForm>,
) -> AppResult<Response> {
    if !rate_limit::hit(&st.db, rate_limit::PUBLIC_FORM, &ctx.client_key()).await? {
        return Err(AppError::TooManyRequests);
    }
    let actor = ctx.account.as_ref().map(|a| a.id);
    let (issue, _) =
        super::moderate_comment(&st.db, ctx.tenant.id, CommentId(id), &Step::report(&f.reason), actor).await?;
    ctx.set_flash("issue-reported");
    Ok(Redirect::to(&format!("/issues/{}#comments-heading", issue.0)).into_response())
}

crate::html_page!(IndexPage, NewPage, ShowPage, AdminPage);
