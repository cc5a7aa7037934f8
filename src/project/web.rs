//! Project pages: the list (or those born in a session, a lab or on an issue), a
//! project's page (where it came from, its members, updates and needs), starting and
//! editing one, its members, and posting an update to the board.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use super::{Access, Member, Project, ProjectForm, ProjectId, Refused, store};
use crate::account::AccountId;
use crate::db::StoreError;
use crate::web::{AppError, AppResult, AppState, Ctx, Member as Signed};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/projects", get(index).post(create))
        .route("/projects/new", get(new))
        .route("/projects/{id}", get(show).post(update))
        .route("/projects/{id}/edit", get(edit))
        .route("/projects/{id}/members", post(add_member))
        .route("/projects/{id}/members/{account}/remove", post(remove_member))
        .route("/projects/{id}/updates", post(post_update))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct OriginQuery {
    pub issue: Option<i64>,
    pub event: Option<i64>,
    pub lab: Option<i64>,
}

impl OriginQuery {
    fn origin(&self) -> store::Origin {
        store::Origin {
            issue: self.issue.map(crate::social_issue::SocialIssueId),
            event: self.event.map(crate::event::EventId),
            lab: self.lab.map(crate::lab::LabId),
        }
    }
}

#[derive(Template)]
#[template(path = "project/index.html")]
pub struct IndexPage {
    pub ctx: Ctx,
    pub projects: Vec<Project>,
}

async fn index(ctx: Ctx, State(st): State<AppState>, Query(q): Query<OriginQuery>) -> AppResult<IndexPage> {
    let projects = store::list(&st.db, ctx.tenant.id, q.origin()).await?;
    Ok(IndexPage { ctx, projects })
}

#[derive(Template)]
#[template(path = "project/form.html")]
pub struct FormPage {
    pub ctx: Ctx,
    pub form: ProjectForm,
    pub id: Option<i64>,
    /// What it was born in or works on, as (label id, title), shown above the form.
    pub origins: Vec<(&'static str, String)>,
}

/// The titles of what the form names, to show where the project comes from.
async fn origins(ctx: &Ctx, st: &AppState, form: &ProjectForm) -> AppResult<Vec<(&'static str, String)>> {
    let tenant = ctx.tenant.id;
    let mut found = Vec::new();
    if let Ok(id) = form.issue.trim().parse::<i64>() {
        let i = crate::social_issue::store::get(&st.db, tenant, crate::social_issue::SocialIssueId(id)).await?;
        if i.status != crate::moderation::Status::Published && !ctx.is_admin() {
            return Err(AppError::NotFound);
        }
        found.push(("project-issue", i.title));
    }
    if let Ok(id) = form.event.trim().parse::<i64>() {
        let e = crate::event::store::get(&st.db, tenant, crate::event::EventId(id)).await?;
        if !e.visible_to(ctx.is_admin()) {
            return Err(AppError::NotFound);
        }
        found.push(("project-event", e.title));
    }
    if let Ok(id) = form.lab.trim().parse::<i64>() {
        let l = crate::lab::store::get(&st.db, tenant, crate::lab::LabId(id)).await?;
        found.push(("project-lab", l.title));
    }
    Ok(found)
}

async fn new(Signed(ctx, _): Signed, State(st): State<AppState>, Query(q): Query<OriginQuery>) -> AppResult<FormPage> {
    let s = |v: Option<i64>| v.map(|i| i.to_string()).unwrap_or_default();
    let form = ProjectForm { issue: s(q.issue), event: s(q.event), lab: s(q.lab), ..ProjectForm::default() };
    let origins = origins(&ctx, &st, &form).await?;
    Ok(FormPage { ctx, form, id: None, origins })
}

async fn save(ctx: Ctx, st: &AppState, form: ProjectForm, id: Option<ProjectId>) -> AppResult<Response> {
    // What it names must be there for the reader (never a draft session or a hidden issue).
    let origins = origins(&ctx, st, &form).await?;
    let draft = match form.validate() {
        Ok(d) => d,
        Err(errors) => {
            let page = FormPage { ctx: ctx.with_errors(errors), form, id: id.map(|i| i.0), origins };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let account = ctx.require_account()?.id;
    let id = match id {
        None => super::start(&st.db, ctx.tenant.id, account, &draft).await?,
        Some(id) => {
            super::update(&st.db, ctx.tenant.id, id, &draft).await?;
            id
        }
    };
    ctx.set_flash("project-saved");
    Ok(Redirect::to(&format!("/projects/{}", id.0)).into_response())
}

async fn create(
    Signed(ctx, _): Signed,
    State(st): State<AppState>,
    Form(form): Form<ProjectForm>,
) -> AppResult<Response> {
    save(ctx, &st, form, None).await
}

/// The project, the reader's own membership and what they may do.
async fn load(ctx: &Ctx, st: &AppState, id: i64) -> AppResult<(Project, Vec<Member>, Access)> {
    let project = store::get(&st.db, ctx.tenant.id, ProjectId(id)).await?;
    let members = store::members(&st.db, ctx.tenant.id, project.id).await?;
    let own = ctx.account.as_ref().and_then(|a| members.iter().find(|m| m.account_id == a.id));
    let access = Access::of(ctx.account.as_ref(), own);
    Ok((project, members, access))
}

async fn load_managed(ctx: &Ctx, st: &AppState, id: i64) -> AppResult<Project> {
    let (project, _, access) = load(ctx, st, id).await?;
    if access.manage { Ok(project) } else { Err(AppError::Forbidden) }
}

#[derive(Template)]
#[template(path = "project/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub project: Project,
    pub access: Access,
    /// Its members, to members of the center.
    pub members: Vec<Member>,
    pub updates: Vec<(crate::board::PostId, String, chrono::DateTime<chrono::Utc>)>,
    /// Its needs the reader may read: (id, title, status).
    pub needs: Vec<(i64, String, String)>,
    /// The update form (refused input comes back in it).
    pub update: crate::board::PostForm,
    /// The address typed to add a member, kept when refused.
    pub member_email: String,
}

impl ShowPage {
    /// Whether the member is the reader.
    pub fn is_me(&self, account: &AccountId) -> bool {
        self.ctx.account.as_ref().is_some_and(|a| a.id == *account)
    }
}

async fn show_page(
    ctx: Ctx,
    st: &AppState,
    id: i64,
    update: crate::board::PostForm,
    member_email: String,
) -> AppResult<ShowPage> {
    let (project, members, access) = load(&ctx, st, id).await?;
    let updates = store::updates(&st.db, ctx.tenant.id, project.id, ctx.account.is_some()).await?;
    let viewer = crate::visibility::Viewer::of(ctx.account.as_ref());
    let own = ctx.account.as_ref().map(|a| a.id);
    let needs = crate::probono::store::needs_of_project(&st.db, ctx.tenant.id, project.id, viewer, own)
        .await?
        .into_iter()
        .map(|n| (n.id.0, n.title, n.status.label(ctx.lang).into_owned()))
        .collect();
    let members = if access.see_members { members } else { Vec::new() };
    Ok(ShowPage { ctx, project, access, members, updates, needs, update, member_email })
}

async fn show(ctx: Ctx, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<ShowPage> {
    let update = crate::board::PostForm { audience: "public".into(), ..crate::board::PostForm::default() };
    show_page(ctx, &st, id, update, String::new()).await
}

async fn edit(Signed(ctx, _): Signed, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<FormPage> {
    let project = load_managed(&ctx, &st, id).await?;
    let form = ProjectForm::of(&project);
    let origins = origins(&ctx, &st, &form).await?;
    Ok(FormPage { ctx, form, id: Some(id), origins })
}

async fn update(
    Signed(ctx, _): Signed,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(form): Form<ProjectForm>,
) -> AppResult<Response> {
    let project = load_managed(&ctx, &st, id).await?;
    save(ctx, &st, form, Some(project.id)).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct MemberForm {
    pub email: String,
    /// "1" to lead.
    pub lead: String,
}

fn refused(ctx: &Ctx, r: Refused) -> AppResult<()> {
    match r {
        Refused::LastLead => ctx.set_flash("project-error-last-lead"),
        Refused::NoSuchAccount => ctx.set_flash("project-error-no-account"),
        Refused::Store(e) => return Err(e.into()),
    }
    Ok(())
}

/// A lead adds a member by their address; a refusal comes back with the address kept and
/// the reason on its field.
async fn add_member(
    Signed(ctx, _): Signed,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<MemberForm>,
) -> AppResult<Response> {
    let project = load_managed(&ctx, &st, id).await?;
    let message = match super::set_member(&st.db, ctx.tenant.id, project.id, &f.email, f.lead == "1").await {
        Ok(()) => {
            ctx.set_flash("project-member-saved");
            return Ok(Redirect::to(&format!("/projects/{id}#members-heading")).into_response());
        }
        Err(Refused::LastLead) => "project-error-last-lead",
        Err(Refused::NoSuchAccount) => "project-error-no-account",
        Err(Refused::Store(e)) => return Err(e.into()),
    };
    let ctx = ctx.with_errors(crate::validate::FieldErrors::single("email", message));
    let update = crate::board::PostForm { audience: "public".into(), ..crate::board::PostForm::default() };
    let page = show_page(ctx, &st, id, update, f.email).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// A lead removes someone; anyone in it leaves.
async fn remove_member(
    Signed(ctx, me): Signed,
    State(st): State<AppState>,
    Path((id, account)): Path<(i64, i64)>,
) -> AppResult<Redirect> {
    let (project, _, access) = load(&ctx, &st, id).await?;
    if !access.manage && me.id != AccountId(account) {
        return Err(AppError::Forbidden);
    }
    match super::remove_member(&st.db, ctx.tenant.id, project.id, AccountId(account)).await {
        Ok(()) => ctx.set_flash("project-member-removed"),
        Err(Refused::Store(StoreError::NotFound)) => return Err(AppError::NotFound),
        Err(r) => refused(&ctx, r)?,
    }
    Ok(Redirect::to(&format!("/projects/{id}")))
}

/// One of its members posts an update, which goes on the board.
async fn post_update(
    Signed(ctx, me): Signed,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(mut form): Form<crate::board::PostForm>,
) -> AppResult<Response> {
    let (project, _, access) = load(&ctx, &st, id).await?;
    if !access.member {
        return Err(AppError::Forbidden);
    }
    form.category = crate::board::Category::Project.code().to_owned();
    form.event = String::new();
    let mut draft = match form.validate() {
        Ok(d) => d,
        Err(errors) => {
            let page = show_page(ctx.with_errors(errors), &st, id, form, String::new()).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    draft.title = ctx.lang.t_args("project-update-title", &[("project", &project.title), ("title", &draft.title)]);
    draft.body = format!(
        "{}\n\n[{}](/projects/{})",
        draft.body,
        ctx.lang.t_args("project-update-link", &[("project", &project.title)]),
        project.id.0
    );
    super::post_update(&st.db, ctx.tenant.id, &project, me.id, &draft).await?;
    ctx.set_flash("project-update-posted");
    Ok(Redirect::to(&format!("/projects/{id}")).into_response())
}

crate::html_page!(IndexPage, FormPage, ShowPage);
