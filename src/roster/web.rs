//! The secretariat's roster upload page: the same import as `socialhub import roster`.

use askama::Template;
use axum::Router;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::import::{ImportSummary, import};
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

/// `kind` is what the form sent: a code selects its option; anything else selects none.
impl ImportPage {
    /// "Sessions recorded on this site, left as they are: N (M rows)".
    pub fn on_platform(&self, s: &ImportSummary) -> String {
        let (events, rows) = (s.events_on_platform.to_string(), s.rows_on_platform.to_string());
        self.ctx.lang.t_args("roster-summary-on-platform", &[("count", &events), ("rows", &rows)])
    }
}

fn page(ctx: Ctx, kind: String, problems: Vec<String>, summary: Option<ImportSummary>) -> ImportPage {
    let kinds = EventKind::ALL.iter().map(|k| (k.code(), k.label(ctx.lang).into_owned())).collect();
    ImportPage { ctx, kinds, kind, problems, summary }
}

async fn form(Admin(ctx, _): Admin) -> ImportPage {
    page(ctx, EventKind::InfoExchange.code().to_owned(), Vec::new(), None)
}

async fn upload(Admin(ctx, _): Admin, State(st): State<AppState>, mut multipart: Multipart) -> AppResult<Response> {
    let mut file: Option<Vec<u8>> = None;
    let mut typed_kind: Option<String> = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name() {
            Some("file") => file = field.bytes().await.ok().map(|b| b.to_vec()),
            Some("kind") => typed_kind = field.text().await.ok(),
            _ => {}
        }
    }
    let lang = ctx.lang;
    // Every problem at once: an unknown kind, then the file's own (read with 情報交換会 for
    // rows without a 種別 while the kind is unknown: nothing is imported anyway).
    let mut problems = Vec::new();
    let kind = match typed_kind.as_deref().map(|k| super::parse_default_kind(k, lang)) {
        None => EventKind::InfoExchange,
        Some(Ok(kind)) => kind,
        Some(Err(message)) => {
            problems.push(message);
            EventKind::InfoExchange
        }
    };
    let kind_shown = match &problems[..] {
        [] => kind.code().to_owned(),
        _ => typed_kind.unwrap_or_default(),
    };
    let rows = match file.filter(|f| !f.is_empty()) {
        None => {
            problems.push(lang.t("roster-error-no-file").into_owned());
            None
        }
        Some(bytes) => match parse_file(&bytes, kind) {
            Ok(rows) => Some(rows),
            Err(errors) => {
                problems.extend(errors.iter().map(|e: &RowError| e.describe(lang)));
                None
            }
        },
    };
    match rows {
        Some(rows) if problems.is_empty() => {
            let summary = import(&st.db, ctx.tenant.id, &rows).await?;
            Ok(page(ctx, kind_shown, Vec::new(), Some(summary)).into_response())
        }
        _ => Ok((StatusCode::UNPROCESSABLE_ENTITY, page(ctx, kind_shown, problems, None)).into_response()),
    }
}

crate::html_page!(ImportPage);
