//! The secretariat's operations page.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;

use super::Status;
use crate::web::{Admin, AppResult, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/operations", get(show))
}

#[derive(Template)]
#[template(path = "operations/show.html")]
pub struct OperationsPage {
    pub ctx: Ctx,
    pub s: Status,
}

impl OperationsPage {
    pub fn size(&self, bytes: &u64) -> String {
        super::size(*bytes)
    }

    pub fn disk_free(&self, free: &u64, total: &u64) -> String {
        self.ctx.lang.t_args("ops-disk-free", &[("free", &super::size(*free)), ("total", &super::size(*total))])
    }

    pub fn when(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        crate::i18n::wareki::format_datetime(self.ctx.lang, *t)
    }
}

async fn show(Admin(ctx, _): Admin, State(st): State<AppState>) -> AppResult<OperationsPage> {
    Ok(OperationsPage { s: super::status(&st.db).await?, ctx })
}

crate::html_page!(OperationsPage);
