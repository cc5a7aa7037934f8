//! The secretariat's answers to a guest's request about their data (開示・訂正・削除):
//! found by e-mail (a POST, so the address stays out of addresses and logs), their data
//! handed over as JSON or CSV, corrected, or deleted; each step in the access log.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use super::request::{self, CorrectError};
use super::{Guest, GuestDetails, PersonId};
use crate::access_log::{Action, store as access_log};
use crate::sector::Sector;
use crate::validate::FieldErrors;
use crate::web::{Admin, AppError, AppResult, AppState, Ctx, download};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/people", get(search_form).post(search))
        .route("/admin/people/{id}", get(show))
        .route("/admin/people/{id}/export.json", get(export_json))
        .route("/admin/people/{id}/export.csv", get(export_csv))
        .route("/admin/people/{id}/correct", post(correct))
        .route("/admin/people/{id}/delete", post(delete))
}

/// The lookup's form.
#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct SearchForm {
    pub email: String,
}

/// The correction's form, the deletion's confirmation.
#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct GuestForm {
    pub name: String,
    pub furigana: String,
    pub email: String,
    pub sector: String,
    pub affiliation: String,
    pub confirm: Option<String>,
}

impl GuestForm {
    fn of(g: &Guest) -> GuestForm {
        GuestForm {
            name: g.name.clone(),
            furigana: g.furigana.clone(),
            email: g.email.clone(),
            sector: g.sector.code().to_owned(),
            affiliation: g.affiliation.clone(),
            confirm: None,
        }
    }

    fn validate(&self) -> Result<GuestDetails, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = self.name.trim();
        if name.is_empty() {
            errors.add("name", "registration-error-name");
        }
        let furigana = errors.furigana("furigana", &self.furigana);
        let email = errors.email("email", &self.email);
        let sector = Sector::from_code(&self.sector);
        if sector.is_none() {
            errors.add("sector", "account-error-sector-required");
        }
        if self.affiliation.trim().chars().count() > 200 {
            errors.add("affiliation", "account-error-affiliation-long");
        }
        match (furigana, email, sector) {
            (Some(furigana), Some(email), Some(sector)) if errors.is_empty() => Ok(GuestDetails {
                name: name.to_owned(),
                furigana,
                email,
                sector,
                affiliation: self.affiliation.trim().to_owned(),
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Template)]
#[template(path = "person/search.html")]
pub struct SearchPage {
    pub ctx: Ctx,
    pub form: SearchForm,
    /// Whether the address was looked for and no guest has it.
    pub not_found: bool,
    /// Whether the address is an account's (who answers for themselves on their page).
    pub has_account: bool,
}

#[derive(Template)]
#[template(path = "person/guest.html")]
pub struct GuestPage {
    pub ctx: Ctx,
    pub guest: Guest,
    pub form: GuestForm,
    pub registrations: Vec<crate::registration::store::OfAccount>,
    pub attendances: Vec<crate::attendance::store::OfAccount>,
    pub consents: Vec<crate::privacy::Consent>,
    /// How many consultation comments left the guest's address.
    pub comments: usize,
}

impl GuestPage {
    /// A day and time in Japan, as the reader writes it.
    pub fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        crate::i18n::wareki::format_datetime(self.ctx.lang, *at)
    }

    pub fn sector(&self, s: &Sector) -> String {
        s.label(self.ctx.lang).into_owned()
    }
}

async fn search_form(Admin(ctx, _): Admin) -> SearchPage {
    SearchPage { ctx, form: SearchForm::default(), not_found: false, has_account: false }
}

/// Looks a guest up by e-mail: their page, or the form saying nobody has the address.
async fn search(Admin(ctx, _): Admin, State(st): State<AppState>, Form(form): Form<SearchForm>) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    let Some(email) = errors.email("email", &form.email) else {
        let page = SearchPage { ctx: ctx.with_errors(errors), form, not_found: false, has_account: false };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    match super::store::find_guest(&st.db, ctx.tenant.id, &email).await? {
        Some(guest) => Ok(guest_page(ctx, &st, guest, None).await?.into_response()),
        None => {
            let has_account = crate::account::store::find_by_email(&st.db, ctx.tenant.id, &email).await?.is_some();
            Ok(SearchPage { ctx, form, not_found: true, has_account }.into_response())
        }
    }
}

/// The guest's page: what the center keeps about them, the forms to correct and delete.
/// Looking is logged.
async fn guest_page(ctx: Ctx, st: &AppState, guest: Guest, form: Option<GuestForm>) -> AppResult<GuestPage> {
    let tenant = ctx.tenant.id;
    access_log::record(&st.db, tenant, ctx.account_id(), Action::GuestLookedUp, &guest.email, &ctx.client_address())
        .await?;
    let registrations = crate::registration::store::list_of_person(&st.db, tenant, guest.id).await?;
    let attendances = crate::attendance::store::list_of_person(&st.db, tenant, guest.id).await?;
    let consents = crate::privacy::store::of_person(&st.db, tenant, guest.id).await?;
    let comments =
        crate::consultation::store::of_contact(&st.db, tenant, &guest.email).await?.as_array().map_or(0, Vec::len);
    let form = form.unwrap_or_else(|| GuestForm::of(&guest));
    Ok(GuestPage { ctx, guest, form, registrations, attendances, consents, comments })
}

async fn found(st: &AppState, ctx: &Ctx, id: i64) -> AppResult<Guest> {
    request::find(&st.db, ctx.tenant.id, PersonId(id)).await?.ok_or(AppError::NotFound)
}

async fn show(Admin(ctx, _): Admin, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<GuestPage> {
    let guest = found(&st, &ctx, id).await?;
    guest_page(ctx, &st, guest, None).await
}

/// The guest's data as JSON, handed over (logged as disclosed).
async fn export_json(Admin(ctx, _): Admin, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    let body = disclosed(&ctx, &st, id).await?;
    let json = serde_json::to_string_pretty(&body).unwrap_or_default();
    Ok(download("application/json; charset=utf-8", format!("socialhub-person-{id}.json"), json.into_bytes()))
}

/// The same as a spreadsheet reads it (logged as disclosed).
async fn export_csv(Admin(ctx, _): Admin, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    let body = disclosed(&ctx, &st, id).await?;
    let header = ["account-export-section", "account-export-item", "account-export-field", "account-export-value"]
        .map(|id| ctx.lang.t(id).into_owned());
    let csv = crate::spreadsheet::to_csv(&crate::spreadsheet::json_rows(&body, header))?;
    Ok(download("text/csv; charset=utf-8", format!("socialhub-person-{id}.csv"), csv))
}

async fn disclosed(ctx: &Ctx, st: &AppState, id: i64) -> AppResult<serde_json::Value> {
    let guest = found(st, ctx, id).await?;
    let body = request::disclosure(&st.db, ctx.tenant.id, &ctx.tenant.name, &guest).await?;
    let address = ctx.client_address();
    access_log::record(&st.db, ctx.tenant.id, ctx.account_id(), Action::GuestDisclosed, &guest.email, &address).await?;
    Ok(body)
}

async fn correct(
    Admin(ctx, _): Admin,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(form): Form<GuestForm>,
) -> AppResult<Response> {
    let guest = found(&st, &ctx, id).await?;
    let details = match form.validate() {
        Ok(d) => d,
        Err(errors) => {
            let page = guest_page(ctx.with_errors(errors), &st, guest, Some(form)).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    match request::correct(&st.db, ctx.tenant.id, &guest, &details).await? {
        Ok(()) => {}
        Err(CorrectError::Gone) => return Err(AppError::NotFound),
        Err(CorrectError::EmailTaken) => {
            let errors = FieldErrors::single("email", "person-error-email-taken");
            let page = guest_page(ctx.with_errors(errors), &st, guest, Some(form)).await?;
            return Ok((StatusCode::CONFLICT, page).into_response());
        }
    }
    let subject = if details.email == guest.email {
        guest.email.clone()
    } else {
        format!("{} → {}", guest.email, details.email)
    };
    access_log::record(
        &st.db,
        ctx.tenant.id,
        ctx.account_id(),
        Action::GuestCorrected,
        &subject,
        &ctx.client_address(),
    )
    .await?;
    ctx.set_flash("person-corrected");
    Ok(Redirect::to(&format!("/admin/people/{id}")).into_response())
}

async fn delete(
    Admin(ctx, _): Admin,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(form): Form<GuestForm>,
) -> AppResult<Response> {
    let guest = found(&st, &ctx, id).await?;
    if form.confirm.is_none() {
        let errors = FieldErrors::single("confirm", "person-error-confirm");
        let page = guest_page(ctx.with_errors(errors), &st, guest, None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let cancelled = request::delete(&st.db, ctx.tenant.id, &guest).await?;
    access_log::record(
        &st.db,
        ctx.tenant.id,
        ctx.account_id(),
        Action::GuestDeleted,
        &guest.email,
        &ctx.client_address(),
    )
    .await?;
    // Those who waited get the places the guest held.
    crate::registration::web::notify_all_promoted(&ctx, &st, &cancelled).await?;
    ctx.set_flash("person-deleted");
    Ok(Redirect::to("/admin/people").into_response())
}

crate::html_page!(SearchPage, GuestPage);
