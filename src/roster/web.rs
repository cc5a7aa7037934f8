//! The secretariat's roster upload page: the same import as `socialhub import roster`.

use askama::Template;
use axum::Router;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::store::{ImportSummary, import};
use super::{RowError, parse_file};
use crate::event::EventKind;
use crate::web::{Admin, AppResult, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/roster", get(form).post(upload))
}

#[derive(Template)]
#[template(path = "roster/import.html")]
pub struct ImportPage {
    pub ctx: Ctx,
    pub kinds: Vec<(&'static str, String)>,
    pub kind: String,
    pub problems: Vec<String>,
    pub summary: Option<ImportSummary>,
}

fn page(ctx: Ctx, kind: EventKind, problems: Vec<String>, summary: Option<ImportSummary>) -> ImportPage {
    let kinds = EventKind::ALL.iter().map(|k| (k.code(), k.label(ctx.lang).into_owned())).collect();
    ImportPage { ctx, kinds, kind: kind.code().to_owned(), problems, summary }
}

async fn form(Admin(ctx, _): Admin) -> ImportPage {
    page(ctx, EventKind::InfoExchange, Vec::new(), None)
}

async fn upload(Admin(ctx, _): Admin, State(st): State<AppState>, mut multipart: Multipart) -> AppResult<Response> {
    let mut file: Option<Vec<u8>> = None;
    let mut kind = EventKind::InfoExchange;
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name() {
            Some("file") => file = field.bytes().await.ok().map(|b| b.to_vec()),
            Some("kind") => {
                if let Ok(text) = field.text().await {
                    kind = EventKind::from_code(&text).unwrap_or(kind);
                }
            }
            _ => {}
        }
    }
    let lang = ctx.lang;
    let Some(bytes) = file.filter(|f| !f.is_empty()) else {
        let problems = vec![lang.t("roster-error-no-file").into_owned()];
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page(ctx, kind, problems, None)).into_response());
    };
    match parse_file(&bytes, kind) {
        Ok(rows) => {
            let summary = import(&st.db, ctx.tenant.id, &rows).await?;
            Ok(page(ctx, kind, Vec::new(), Some(summary)).into_response())
        }
        Err(errors) => {
            let problems = errors.iter().map(|e: &RowError| e.describe(lang)).collect();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(ctx, kind, problems, None)).into_response())
        }
    }
}

crate::html_page!(ImportPage);
