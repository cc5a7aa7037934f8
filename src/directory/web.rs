//! Directory pages: the list of people (as each reader may see them, by area of interest
//! or sector), a person's page, and the form where a member chooses what to tell and to
//! whom.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::{Part, ProfileForm, Seen, store};
use crate::account::AccountId;
use crate::sector::Sector;
use crate::visibility::{Viewer, Visibility};
use crate::web::{AppError, AppResult, AppState, Ctx, Member};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/people", get(index))
        .route("/people/{id}", get(show))
        .route("/account/directory", get(edit).post(save))
        .route("/account/directory/withdraw", post(withdraw))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct Filter {
    /// An area of interest (a tag).
    pub interest: String,
    pub sector: String,
}

#[derive(Template)]
#[template(path = "directory/index.html")]
pub struct IndexPage {
    pub ctx: Ctx,
    pub people: Vec<Seen>,
    pub filter: Filter,
    /// Whether the reader has a profile in the directory (to invite them to make one).
    pub listed: bool,
}

/// Who the reader is, for what they may see.
fn viewer(ctx: &Ctx) -> Viewer {
    Viewer::of(ctx.account.as_ref())
}

async fn index(ctx: Ctx, State(st): State<AppState>, Query(filter): Query<Filter>) -> AppResult<IndexPage> {
    let me = ctx.account.as_ref().map(|a| a.id);
    let interest = crate::i18n::normalize_identifier(filter.interest.trim());
    let sector = Sector::from_code(&filter.sector);
    // A filter matches only what the reader may see of each person.
    let people: Vec<Seen> = store::list_shown(&st.db, ctx.tenant.id, viewer(&ctx))
        .await?
        .iter()
        .filter_map(|p| p.seen_by(viewer(&ctx), Some(p.account_id) == me))
        .filter(|s| interest.is_empty() || s.interests.contains(&interest))
        .filter(|s| sector.is_none() || s.sector == sector)
        .collect();
    let listed = match me {
        Some(me) => store::find(&st.db, ctx.tenant.id, me).await?.is_some(),
        None => false,
    };
    Ok(IndexPage { ctx, people, filter, listed })
}

#[derive(Template)]
#[template(path = "directory/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub person: Seen,
    /// Their organisations the reader may see.
    pub organisations: Vec<(crate::organisation::OrganisationId, String)>,
    /// Their labs and the sessions they attended, when shown to the reader.
    pub labs: Vec<(crate::lab::LabId, String, crate::lab::LabRole)>,
    pub sessions: Vec<crate::attendance::store::OfAccount>,
    /// The reader's own page.
    pub own: bool,
}

async fn show(ctx: Ctx, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<ShowPage> {
    let t = ctx.tenant.id;
    let own = ctx.account.as_ref().is_some_and(|a| a.id.0 == id);
    let profile = store::find(&st.db, t, AccountId(id)).await?.ok_or(AppError::NotFound)?;
    // A person the reader may not see does not exist for them.
    let person = profile.seen_by(viewer(&ctx), own).ok_or(AppError::NotFound)?;
    // Reading more of someone than the public may is in the access log.
    if !own && profile.seen_by(Viewer::Public, false).as_ref() != Some(&person) {
        let action = crate::access_log::Action::ProfileViewed;
        let subject = format!("{} (#{id})", person.name);
        let address = ctx.client_address();
        crate::access_log::store::record(&st.db, t, ctx.account_id(), action, &subject, &address).await?;
    }
    let organisations = crate::organisation::store::of_account(&st.db, t, person.account_id)
        .await?
        .into_iter()
        .filter(|(_, _, m)| m.confirmed() && (own || m.visibility.shows_to(viewer(&ctx))))
        .map(|(id, name, _)| (id, name))
        .collect();
    let (labs, sessions) = if person.activity {
        (
            crate::lab::store::of_account(&st.db, t, person.account_id).await?,
            crate::attendance::store::list_public_of_account(&st.db, t, person.account_id).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(ShowPage { ctx, person, organisations, labs, sessions, own })
}

#[derive(Template)]
#[template(path = "directory/form.html")]
pub struct FormPage {
    pub ctx: Ctx,
    pub form: ProfileForm,
    pub listed: bool,
    pub parts: [Part; 6],
    pub choices: [Visibility; 4],
}

async fn edit(Member(ctx, account): Member, State(st): State<AppState>) -> AppResult<FormPage> {
    let profile = store::find(&st.db, ctx.tenant.id, account.id).await?;
    let form = ProfileForm::of(profile.as_ref());
    Ok(FormPage { ctx, form, listed: profile.is_some(), parts: Part::ALL, choices: Visibility::ALL })
}

async fn save(
    Member(ctx, account): Member,
    State(st): State<AppState>,
    Form(form): Form<ProfileForm>,
) -> AppResult<Response> {
    let draft = match form.validate() {
        Ok(d) => d,
        Err(errors) => {
            let listed = store::find(&st.db, ctx.tenant.id, account.id).await?.is_some();
            let page =
                FormPage { ctx: ctx.with_errors(errors), form, listed, parts: Part::ALL, choices: Visibility::ALL };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    super::save(&st.db, ctx.tenant.id, account.id, &draft).await?;
    ctx.set_flash("directory-saved");
    Ok(Redirect::to(&format!("/people/{}", account.id.0)).into_response())
}

async fn withdraw(Member(ctx, account): Member, State(st): State<AppState>) -> AppResult<Redirect> {
    super::withdraw(&st.db, ctx.tenant.id, account.id).await?;
    ctx.set_flash("directory-withdrawn");
    Ok(Redirect::to("/account/directory"))
}

crate::html_page!(IndexPage, ShowPage, FormPage);
