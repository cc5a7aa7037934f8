//! The secretariat's list of accounts and their roles.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::account::{Account, AccountId, Role, store};
use crate::web::{Admin, AppError, AppResult, AppState, Ctx};

#[derive(Template)]
#[template(path = "account/admin_index.html")]
pub struct AdminAccountsPage {
    pub ctx: Ctx,
    pub accounts: Vec<Account>,
    pub roles: [Role; 3],
    /// The center's organisations by name, to link an affiliation that names one.
    pub organisations: crate::organisation::Names,
}

impl AdminAccountsPage {
    /// The organisation an affiliation names, if the center has recorded it.
    pub fn organisation_of(&self, affiliation: &str) -> Option<crate::organisation::OrganisationId> {
        self.organisations.named_by(affiliation)
    }
}

pub async fn index(Admin(ctx, _): Admin, State(st): State<AppState>) -> AppResult<AdminAccountsPage> {
    let accounts = store::list(&st.db, ctx.tenant.id).await?;
    let organisations = crate::organisation::store::list(&st.db, ctx.tenant.id, None).await?;
    let organisations = crate::organisation::Names::of(&organisations);
    Ok(AdminAccountsPage { ctx, accounts, roles: Role::ALL, organisations })
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct RoleForm {
    role: String,
}

pub async fn update_role(
    Admin(ctx, me): Admin,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(form): Form<RoleForm>,
) -> AppResult<Response> {
    let id = AccountId(id);
    // 404 before anything else for ids of other tenants.
    store::get(&st.db, ctx.tenant.id, id).await?;
    let role = Role::from_code(&form.role).ok_or(AppError::NotFound)?;
    if id == me.id {
        // Demoting oneself could leave the center without a secretariat.
        ctx.set_flash("admin-error-role-self");
        return Ok(Redirect::to("/admin/accounts").into_response());
    }
    crate::account::set_role(&st.db, ctx.tenant.id, id, role).await?;
    ctx.set_flash("admin-role-saved");
    Ok(Redirect::to("/admin/accounts").into_response())
}

crate::html_page!(AdminAccountsPage);
