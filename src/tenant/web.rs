//! The secretariat's page for where the center is: the municipality's code and name and
//! the contact phone, which the open-data event list publishes with every event.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use super::{LocalityForm, store};
use crate::web::{Admin, AppResult, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/center", get(show).post(update))
}

#[derive(Template)]
#[template(path = "tenant/settings.html")]
pub struct SettingsPage {
    pub ctx: Ctx,
    pub form: LocalityForm,
    /// 都道府県名 the saved code gives (shown beside it).
    pub prefecture: &'static str,
}

crate::html_page!(SettingsPage);

async fn show(Admin(ctx, _): Admin, State(st): State<AppState>) -> AppResult<SettingsPage> {
    let locality = store::locality(&st.db, ctx.tenant.id).await?;
    Ok(SettingsPage { prefecture: locality.prefecture(), form: LocalityForm::of(&locality), ctx })
}

async fn update(
    Admin(ctx, _): Admin,
    State(st): State<AppState>,
    Form(form): Form<LocalityForm>,
) -> AppResult<Response> {
    match form.validate() {
        Ok(locality) => {
            store::set_locality(&st.db, ctx.tenant.id, &locality).await?;
            ctx.set_flash("center-saved");
            Ok(Redirect::to("/admin/center").into_response())
        }
        Err(errors) => {
            let page = SettingsPage { ctx: ctx.with_errors(errors), form, prefecture: "" };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
