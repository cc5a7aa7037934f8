//! Organisation pages: the list, an organisation's page (what it does and looks for, its
//! people as each chose to be shown, joining and leaving), recording and editing one, and
//! its admins' page of people.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::{Access, Kind, Membership, Organisation, OrganisationForm, OrganisationId, Refused, store};
use crate::account::AccountId;
use crate::db::StoreError;
use crate::validate::FieldErrors;
use crate::visibility::{Viewer, Visibility};
use crate::web::{AppError, AppResult, AppState, Ctx, Member};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/organisations", get(index).post(create))
        .route("/organisations/new", get(new))
        .route("/organisations/{id}", get(show).post(update))
        .route("/organisations/{id}/edit", get(edit))
        .route("/organisations/{id}/join", post(join))
        .route("/organisations/{id}/leave", post(leave))
        .route("/organisations/{id}/people", get(people))
        .route("/organisations/{id}/people/{account}/confirm", post(confirm))
        .route("/organisations/{id}/people/{account}/remove", post(remove))
        .route("/organisations/{id}/people/{account}/admin", post(set_admin))
}

/// The organisation, the reader's own link to it and what they may do.
async fn load(ctx: &Ctx, st: &AppState, id: i64) -> AppResult<(Organisation, Option<Membership>, Access)> {
    let o = store::get(&st.db, ctx.tenant.id, OrganisationId(id)).await?;
    let own = match &ctx.account {
        Some(a) => store::membership(&st.db, ctx.tenant.id, o.id, a.id).await?,
        None => None,
    };
    let access = Access::of(ctx.account.as_ref(), own.as_ref());
    Ok((o, own, access))
}

/// The organisation, when the reader may manage it.
async fn load_managed(ctx: &Ctx, st: &AppState, id: i64) -> AppResult<Organisation> {
    ctx.require_account()?;
    let (o, _, access) = load(ctx, st, id).await?;
    if access.manage { Ok(o) } else { Err(AppError::Forbidden) }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct Filter {
    pub kind: String,
}

#[derive(Template)]
#[template(path = "organisation/index.html")]
pub struct IndexPage {
    pub ctx: Ctx,
    pub organisations: Vec<Organisation>,
    pub kind: Option<Kind>,
    pub kinds: [Kind; 7],
}

async fn index(ctx: Ctx, State(st): State<AppState>, Query(f): Query<Filter>) -> AppResult<IndexPage> {
    let kind = Kind::from_code(&f.kind);
    let organisations = store::list(&st.db, ctx.tenant.id, kind).await?;
    Ok(IndexPage { ctx, organisations, kind, kinds: Kind::ALL })
}

#[derive(Template)]
#[template(path = "organisation/form.html")]
pub struct FormPage {
    pub ctx: Ctx,
    pub form: OrganisationForm,
    /// `None` for a new organisation.
    pub organisation: Option<OrganisationId>,
    /// Who sees that the one recording it belongs (a new organisation only).
    pub visibility: Visibility,
    pub kinds: [Kind; 7],
    pub visibilities: [Visibility; 4],
}

impl FormPage {
    fn new(ctx: Ctx, form: OrganisationForm, organisation: Option<OrganisationId>, visibility: Visibility) -> Self {
        FormPage { ctx, form, organisation, visibility, kinds: Kind::ALL, visibilities: Visibility::ALL }
    }
}

async fn new(Member(ctx, _): Member) -> FormPage {
    FormPage::new(ctx, OrganisationForm::default(), None, Visibility::default())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CreateForm {
    #[serde(flatten)]
    pub organisation: OrganisationForm,
    pub visibility: String,
}

/// Validates and saves; a name the center already has is the form's error.
async fn save(
    ctx: Ctx,
    st: &AppState,
    form: OrganisationForm,
    id: Option<OrganisationId>,
    visibility: Visibility,
) -> AppResult<Response> {
    let refuse = |ctx: Ctx, errors: FieldErrors, form: OrganisationForm| {
        (StatusCode::UNPROCESSABLE_ENTITY, FormPage::new(ctx.with_errors(errors), form, id, visibility)).into_response()
    };
    let draft = match form.validate() {
        Ok(d) => d,
        Err(errors) => return Ok(refuse(ctx, errors, form)),
    };
    let account = ctx.require_account()?.id;
    let saved = match id {
        None => super::create(&st.db, ctx.tenant.id, &draft, account, visibility).await,
        Some(id) => super::update(&st.db, ctx.tenant.id, id, &draft).await.map(|()| id),
    };
    match saved {
        Ok(id) => {
            ctx.set_flash("organisation-saved");
            Ok(Redirect::to(&format!("/organisations/{}", id.0)).into_response())
        }
        Err(StoreError::Conflict { .. }) => {
            Ok(refuse(ctx, FieldErrors::single("name", "organisation-error-name-taken"), form))
        }
        Err(e) => Err(e.into()),
    }
}

async fn create(Member(ctx, _): Member, State(st): State<AppState>, Form(f): Form<CreateForm>) -> AppResult<Response> {
    let visibility = Visibility::from_code(&f.visibility).unwrap_or_default();
    save(ctx, &st, f.organisation, None, visibility).await
}

async fn edit(Member(ctx, _): Member, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<FormPage> {
    let o = load_managed(&ctx, &st, id).await?;
    Ok(FormPage::new(ctx, OrganisationForm::of(&o), Some(o.id), Visibility::default()))
}

async fn update(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(form): Form<OrganisationForm>,
) -> AppResult<Response> {
    let o = load_managed(&ctx, &st, id).await?;
    save(ctx, &st, form, Some(o.id), Visibility::default()).await
}

#[derive(Template)]
#[template(path = "organisation/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub organisation: Organisation,
    pub access: Access,
    /// The reader's own link, if any.
    pub own: Option<Membership>,
    /// Its people the reader may see.
    pub people: Vec<Membership>,
    pub visibilities: [Visibility; 4],
}

async fn show(ctx: Ctx, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<ShowPage> {
    let (organisation, own, access) = load(&ctx, &st, id).await?;
    let viewer = Viewer::of(ctx.account.as_ref());
    let people = store::members_shown(&st.db, ctx.tenant.id, organisation.id, viewer).await?;
    Ok(ShowPage { ctx, organisation, access, own, people, visibilities: Visibility::ALL })
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct VisibilityForm {
    pub visibility: String,
}

/// Asks to belong, or changes who sees it.
async fn join(
    Member(ctx, account): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<VisibilityForm>,
) -> AppResult<Redirect> {
    let visibility = Visibility::from_code(&f.visibility).unwrap_or_default();
    let had = store::membership(&st.db, ctx.tenant.id, OrganisationId(id), account.id).await?;
    super::ask_to_join(&st.db, ctx.tenant.id, OrganisationId(id), account.id, visibility).await?;
    ctx.set_flash(if had.is_some() { "organisation-visibility-saved" } else { "organisation-asked" });
    Ok(Redirect::to(&format!("/organisations/{id}")))
}

/// The flash for a change refused, or the error.
fn refused(ctx: &Ctx, r: Refused) -> AppResult<()> {
    match r {
        Refused::LastAdmin => {
            ctx.set_flash("organisation-error-last-admin");
            Ok(())
        }
        Refused::Store(e) => Err(e.into()),
    }
}

async fn leave(Member(ctx, account): Member, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<Redirect> {
    match super::remove(&st.db, ctx.tenant.id, OrganisationId(id), account.id).await {
        Ok(()) => ctx.set_flash("organisation-left"),
        Err(r) => refused(&ctx, r)?,
    }
    Ok(Redirect::to(&format!("/organisations/{id}")))
}

#[derive(Template)]
#[template(path = "organisation/people.html")]
pub struct PeoplePage {
    pub ctx: Ctx,
    pub organisation: Organisation,
    pub people: Vec<Membership>,
}

async fn people(Member(ctx, _): Member, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<PeoplePage> {
    let organisation = load_managed(&ctx, &st, id).await?;
    let people = store::members_all(&st.db, ctx.tenant.id, organisation.id).await?;
    Ok(PeoplePage { ctx, organisation, people })
}

async fn confirm(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path((id, account)): Path<(i64, i64)>,
) -> AppResult<Redirect> {
    let o = load_managed(&ctx, &st, id).await?;
    super::confirm(&st.db, ctx.tenant.id, o.id, AccountId(account)).await?;
    ctx.set_flash("organisation-confirmed");
    Ok(Redirect::to(&format!("/organisations/{id}/people")))
}

async fn remove(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path((id, account)): Path<(i64, i64)>,
) -> AppResult<Redirect> {
    let o = load_managed(&ctx, &st, id).await?;
    match super::remove(&st.db, ctx.tenant.id, o.id, AccountId(account)).await {
        Ok(()) => ctx.set_flash("organisation-removed"),
        Err(r) => refused(&ctx, r)?,
    }
    Ok(Redirect::to(&format!("/organisations/{id}/people")))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct AdminForm {
    /// "1" to make an admin, anything else to make no longer one.
    pub admin: String,
}

async fn set_admin(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path((id, account)): Path<(i64, i64)>,
    Form(f): Form<AdminForm>,
) -> AppResult<Redirect> {
    let o = load_managed(&ctx, &st, id).await?;
    match super::set_admin(&st.db, ctx.tenant.id, o.id, AccountId(account), f.admin == "1").await {
        Ok(()) => ctx.set_flash("organisation-saved"),
        Err(r) => refused(&ctx, r)?,
    }
    Ok(Redirect::to(&format!("/organisations/{id}/people")))
}
crate::html_page!(IndexPage, FormPage, ShowPage, PeoplePage);
