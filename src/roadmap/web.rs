//! Roadmap pages: a version with its numbered paragraphs, the difference between two
//! versions, and writing a new version (the lab's lead or the secretariat).

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::{DiffLine, Paragraph, Version, VersionForm, WithdrawForm, WithdrawRefused, store};
use crate::lab::Lab;
use crate::lab::web::{load, load_managed};
use crate::web::{AppResult, AppState, Ctx, Member};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/labs/{id}/roadmap", get(latest).post(create))
        .route("/labs/{id}/roadmap/new", get(new))
        .route("/labs/{id}/roadmap/{version}", get(show))
        .route("/labs/{id}/roadmap/{version}/diff", get(diff))
        .route("/labs/{id}/roadmap/{version}/withdraw", post(withdraw))
}

#[derive(Template)]
#[template(path = "roadmap/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub lab: Lab,
    pub version: Version,
    pub paragraphs: Vec<Paragraph>,
    /// Every version, newest first.
    pub versions: Vec<Version>,
    pub manage: bool,
    /// The withdrawal form as typed, when it was refused.
    pub withdraw: WithdrawForm,
}

impl ShowPage {
    /// The lab's current version (the newest not withdrawn), if any.
    pub fn current(&self) -> Option<&Version> {
        super::current(&self.versions)
    }
}

/// The lab's current version (the newest not withdrawn; else the newest, withdrawn too).
async fn latest(ctx: Ctx, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    let (lab, _) = load(&ctx, &st, id).await?;
    let versions = store::list(&st.db, ctx.tenant.id, lab.id).await?;
    let shown = super::current(&versions).or(versions.first()).ok_or(crate::web::AppError::NotFound)?;
    Ok(Redirect::to(&format!("/labs/{id}/roadmap/{}", shown.number)).into_response())
}

async fn show_page(ctx: Ctx, st: &AppState, id: i64, number: i64, withdraw: WithdrawForm) -> AppResult<ShowPage> {
    let (lab, access) = load(&ctx, st, id).await?;
    let version = store::get(&st.db, ctx.tenant.id, lab.id, number).await?;
    let versions = store::list(&st.db, ctx.tenant.id, lab.id).await?;
    Ok(ShowPage { paragraphs: version.paragraphs(), ctx, lab, version, versions, manage: access.manage, withdraw })
}

async fn show(ctx: Ctx, State(st): State<AppState>, Path((id, number)): Path<(i64, i64)>) -> AppResult<ShowPage> {
    show_page(ctx, &st, id, number, WithdrawForm::default()).await
}

/// Withdraws a version (the lab's lead or the secretariat): refused, the reason kept, while
/// a consultation on it is open or still to open.
async fn withdraw(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path((id, number)): Path<(i64, i64)>,
    Form(form): Form<WithdrawForm>,
) -> AppResult<Response> {
    let lab = load_managed(&ctx, &st, id).await?;
    let (status, errors) = match form.validate() {
        Ok(note) => match super::withdraw(&st.db, ctx.tenant.id, lab.id, number, &note).await {
            Ok(()) => {
                ctx.set_flash("roadmap-withdrawn-done");
                return Ok(Redirect::to(&format!("/labs/{id}/roadmap/{number}")).into_response());
            }
            Err(WithdrawRefused::Consulted) => (
                StatusCode::CONFLICT,
                crate::validate::FieldErrors::single("withdrawn_note", "roadmap-error-consulted"),
            ),
            Err(WithdrawRefused::Store(e)) => return Err(e.into()),
        },
        Err(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors),
    };
    let page = show_page(ctx.with_errors(errors), &st, id, number, form).await?;
    Ok((status, page).into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DiffQuery {
    from: Option<i64>,
}

#[derive(Template)]
#[template(path = "roadmap/diff.html")]
pub struct DiffPage {
    pub ctx: Ctx,
    pub lab: Lab,
    pub old: Version,
    pub new: Version,
    pub lines: Vec<DiffLine>,
    pub versions: Vec<Version>,
}

impl DiffPage {
    pub fn added(&self) -> usize {
        self.lines.iter().filter(|l| l.change == super::Change::Added).count()
    }

    pub fn removed(&self) -> usize {
        self.lines.iter().filter(|l| l.change == super::Change::Removed).count()
    }
}

/// The difference from version `from` (by default the one before) to `version`.
async fn diff(
    ctx: Ctx,
    State(st): State<AppState>,
    Path((id, number)): Path<(i64, i64)>,
    Query(q): Query<DiffQuery>,
) -> AppResult<DiffPage> {
    let (lab, _) = load(&ctx, &st, id).await?;
    let new = store::get(&st.db, ctx.tenant.id, lab.id, number).await?;
    let old = store::get(&st.db, ctx.tenant.id, lab.id, q.from.unwrap_or(number - 1)).await?;
    let versions = store::list(&st.db, ctx.tenant.id, lab.id).await?;
    Ok(DiffPage { lines: super::diff(&old.body, &new.body), ctx, lab, old, new, versions })
}

#[derive(Template)]
#[template(path = "roadmap/form.html")]
pub struct FormPage {
    pub ctx: Ctx,
    pub lab: Lab,
    pub form: VersionForm,
    /// The number the new version will have.
    pub next: i64,
}

async fn new(Member(ctx, _): Member, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<FormPage> {
    let lab = load_managed(&ctx, &st, id).await?;
    let versions = store::list(&st.db, ctx.tenant.id, lab.id).await?;
    let next = versions.first().map_or(1, |v| v.number + 1);
    let body = super::current(&versions).or(versions.first()).map(|v| v.body.clone()).unwrap_or_default();
    Ok(FormPage { ctx, lab, form: VersionForm { body, note: String::new() }, next })
}

async fn create(
    Member(ctx, me): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(form): Form<VersionForm>,
) -> AppResult<Response> {
    let lab = load_managed(&ctx, &st, id).await?;
    match form.validate() {
        Ok((body, note)) => {
            let number = super::save(&st.db, ctx.tenant.id, lab.id, &body, &note, me.id).await?;
            ctx.set_flash("roadmap-saved");
            Ok(Redirect::to(&format!("/labs/{id}/roadmap/{number}")).into_response())
        }
        Err(errors) => {
            let next = store::list(&st.db, ctx.tenant.id, lab.id).await?.first().map_or(1, |v| v.number + 1);
            let page = FormPage { ctx: ctx.with_errors(errors), lab, form, next };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

crate::html_page!(ShowPage, DiffPage, FormPage);
