//! The person's own account: profile, password, data export and deletion
//! (個人情報保護法: disclosure and deletion on request, here self-service).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::account::{Account, password, store, validate_password, validate_profile};
use crate::validate::FieldErrors;
use crate::web::{AppResult, AppState, Ctx, Member};

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct ProfileForm {
    pub display_name: String,
    pub furigana: String,
    pub sector: String,
    pub affiliation: String,
}

impl ProfileForm {
    fn of(a: &Account) -> ProfileForm {
        ProfileForm {
            display_name: a.display_name.clone(),
            furigana: a.furigana.clone(),
            sector: a.sector.code().to_owned(),
            affiliation: a.affiliation.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "account/profile.html")]
pub struct ProfilePage {
    pub ctx: Ctx,
    pub account: Account,
    pub form: ProfileForm,
    /// The recorded organisation the saved 所属 names, linked beside the field.
    pub organisation: Option<crate::organisation::Organisation>,
}

async fn page(ctx: Ctx, st: &AppState, account: Account, form: ProfileForm) -> AppResult<ProfilePage> {
    let organisations = crate::organisation::store::list(&st.db, ctx.tenant.id, None).await?;
    let organisation = crate::organisation::named_by(&account.affiliation, &organisations).cloned();
    Ok(ProfilePage { ctx, account, form, organisation })
}

pub async fn show(Member(ctx, account): Member, State(st): State<AppState>) -> AppResult<ProfilePage> {
    let form = ProfileForm::of(&account);
    page(ctx, &st, account, form).await
}

pub async fn update(
    Member(ctx, account): Member,
    State(st): State<AppState>,
    Form(form): Form<ProfileForm>,
) -> AppResult<Response> {
    match validate_profile(&form.display_name, &form.furigana, &form.sector, &form.affiliation) {
        Ok(profile) => {
            crate::account::update_profile(&st.db, ctx.tenant.id, account.id, &profile).await?;
            ctx.set_flash("profile-saved");
            Ok(Redirect::to("/account").into_response())
        }
        Err(errors) => Ok((StatusCode::UNPROCESSABLE_ENTITY, page(ctx.with_errors(errors), &st, account, form).await?)
            .into_response()),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
}

pub async fn change_password(
    Member(ctx, account): Member,
    State(st): State<AppState>,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    let (_, hash) =
        store::find_by_email(&st.db, ctx.tenant.id, &account.email).await?.ok_or(crate::web::AppError::NotFound)?;
    if !password::verify(form.current_password, Some(hash)).await? {
        errors.add("current_password", "account-error-password-wrong");
    }
    validate_password(&form.new_password, "new_password", &mut errors);
    if !errors.is_empty() {
        let form = ProfileForm::of(&account);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page(ctx.with_errors(errors), &st, account, form).await?)
            .into_response());
    }
    let hash = password::hash(form.new_password).await?;
    crate::account::change_password(&st.db, ctx.tenant.id, account.id, &hash).await?;
    // Other sessions end with the old password; this one goes on with the new version.
    if let Some(session) = &ctx.session {
        let auth = crate::web::ctx::AuthSession {
            account_id: account.id,
            tenant_id: account.tenant_id,
            auth_version: account.auth_version + 1,
        };
        session.cycle_id().await.map_err(|e| anyhow::anyhow!(e))?;
        session.insert(crate::web::ctx::AUTH_KEY, auth).await.map_err(|e| anyhow::anyhow!(e))?;
    }
    ctx.set_flash("password-changed");
    Ok(Redirect::to("/account").into_response())
}

/// Everything the platform keeps about the person, as JSON.
pub async fn export(Member(ctx, account): Member, State(st): State<AppState>) -> AppResult<Response> {
    let body = exported(&ctx, &st, &account).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"socialhub-account.json\""),
        ],
        serde_json::to_string_pretty(&body).unwrap_or_default(),
    )
        .into_response())
}

/// The same as a spreadsheet reads it: a row per value (section, item, field, value).
pub async fn export_csv(Member(ctx, account): Member, State(st): State<AppState>) -> AppResult<Response> {
    let body = exported(&ctx, &st, &account).await?;
    let header = ["account-export-section", "account-export-item", "account-export-field", "account-export-value"]
        .map(|id| ctx.lang.t(id).into_owned());
    let csv = crate::spreadsheet::to_csv(&crate::spreadsheet::json_rows(&body, header))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"socialhub-account.csv\""),
        ],
        csv,
    )
        .into_response())
}

/// The person's data, the download noted in the access log.
async fn exported(ctx: &Ctx, st: &AppState, account: &Account) -> AppResult<serde_json::Value> {
    let body = crate::account::export::personal_data(&st.db, &ctx.tenant.name, account).await?;
    let action = crate::access_log::Action::ExportDownloaded;
    let address = ctx.client_address();
    crate::access_log::store::record(&st.db, ctx.tenant.id, Some(account.id), action, &account.email, &address).await?;
    Ok(body)
}

#[derive(Template)]
#[template(path = "account/delete.html")]
pub struct DeletePage {
    pub ctx: Ctx,
}

pub async fn delete_form(Member(ctx, _): Member) -> DeletePage {
    DeletePage { ctx }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DeleteForm {
    password: String,
}

pub async fn delete(
    Member(ctx, account): Member,
    State(st): State<AppState>,
    Form(form): Form<DeleteForm>,
) -> AppResult<Response> {
    let (_, hash) =
        store::find_by_email(&st.db, ctx.tenant.id, &account.email).await?.ok_or(crate::web::AppError::NotFound)?;
    if !password::verify(form.password, Some(hash)).await? {
        let page = DeletePage { ctx: ctx.with_errors(FieldErrors::single("password", "account-error-password-wrong")) };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let several =
        crate::report::store::years_in_several_programs(&st.db, ctx.tenant.id, &account, chrono::Utc::now()).await?;
    let Some(cancelled) = crate::account::delete(&st.db, ctx.tenant.id, &account, &several).await? else {
        let page = DeletePage { ctx: ctx.with_errors(FieldErrors::single("password", "account-error-last-admin")) };
        return Ok((StatusCode::CONFLICT, page).into_response());
    };
    // Those who waited get the places the account held.
    crate::registration::web::notify_all_promoted(&ctx, &st, &cancelled).await?;
    if let Some(session) = &ctx.session {
        session.flush().await.map_err(|e| anyhow::anyhow!(e))?;
    }
    ctx.set_flash("account-deleted");
    Ok(Redirect::to("/").into_response())
}

crate::html_page!(ProfilePage, DeletePage);
