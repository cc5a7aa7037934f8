//! The secretariat's page of the access log.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;

use super::{Action, Entry, store};
use crate::web::{Admin, AppResult, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/access-log", get(index))
}

/// How many lines the page shows.
pub const SHOWN: i64 = 500;

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct Filter {
    pub action: String,
}

#[derive(Template)]
#[template(path = "access_log/index.html")]
pub struct AccessLogPage {
    pub ctx: Ctx,
    pub entries: Vec<Entry>,
    pub actions: &'static [Action],
    pub action: Option<Action>,
}

impl AccessLogPage {
    /// Whether the page shows only this action.
    pub fn chosen(&self, a: &Action) -> bool {
        self.action == Some(*a)
    }

    /// When, in Japan time, as the reader expects it.
    pub fn when(&self, e: &Entry) -> String {
        crate::i18n::wareki::format_datetime(self.ctx.lang, e.at)
    }
}

async fn index(
    Admin(ctx, _): Admin,
    State(st): State<AppState>,
    Query(filter): Query<Filter>,
) -> AppResult<AccessLogPage> {
    let action = Action::from_code(&filter.action);
    let entries = store::recent(&st.db, ctx.tenant.id, action, SHOWN).await?;
    Ok(AccessLogPage { ctx, entries, actions: &Action::ALL, action })
}

crate::html_page!(AccessLogPage);
