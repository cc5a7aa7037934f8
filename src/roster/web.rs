//! The secretariat's roster upload page: the same import as `socialhub import roster`,
//! run as a job whose page follows it (`job.rs`), so that a file of any length is taken
//! in whole or not at all, however long it takes.

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use super::import::ImportSummary;
use super::job::{self, Job, JobId, Outcome, Progress};
use super::{RowError, parse_file};
use crate::event::EventKind;
use crate::web::{Admin, AppResult, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/roster", get(form).post(upload).layer(DefaultBodyLimit::max(MAX_FILE_BYTES)))
        .route("/admin/roster/jobs/{id}", get(show_job))
}

/// The largest roster file taken (a year of a busy center is a few MB; 200,000 rows of
/// CSV about 25 MB).
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

#[derive(Template)]
#[template(path = "roster/import.html")]
pub struct ImportPage {
    pub ctx: Ctx,
    pub kinds: Vec<(&'static str, String)>,
    pub kind: String,
    pub problems: Vec<String>,
}

/// `kind` is what the form sent: a code selects its option; anything else selects none.
fn page(ctx: Ctx, kind: String, problems: Vec<String>) -> ImportPage {
    let kinds = EventKind::ALL.iter().map(|k| (k.code(), k.label(ctx.lang).into_owned())).collect();
    ImportPage { ctx, kinds, kind, problems }
}

async fn form(Admin(ctx, _): Admin) -> ImportPage {
    page(ctx, EventKind::InfoExchange.code().to_owned(), Vec::new())
}

async fn upload(Admin(ctx, _): Admin, State(st): State<AppState>, mut multipart: Multipart) -> AppResult<Response> {
    let mut file: Option<Vec<u8>> = None;
    let mut file_name = String::new();
    let mut typed_kind: Option<String> = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name() {
            Some("file") => {
                file_name = field.file_name().unwrap_or_default().chars().take(200).collect();
                file = field.bytes().await.ok().map(|b| b.to_vec());
            }
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
    match file.filter(|f| !f.is_empty()) {
        None => problems.push(lang.t("roster-error-no-file").into_owned()),
        // A file and a kind: the job takes it from here.
        Some(bytes) if problems.is_empty() => {
            let (tenant, by) = (ctx.tenant.id, ctx.account_id());
            let board = std::sync::Arc::clone(&st.import_progress);
            let upload = job::Upload { file_name: &file_name, file: &bytes, default_kind: kind, lang };
            let id = job::submit(&st.db, tenant, by, upload, board).await?;
            return Ok(Redirect::to(&format!("/admin/roster/jobs/{}", id.0)).into_response());
        }
        // The kind is wrong: the file's own problems too, all at once.
        Some(bytes) => {
            let parsed = tokio::task::spawn_blocking(move || parse_file(&bytes, kind)).await;
            if let Err(errors) = parsed.map_err(|e| crate::web::AppError::Internal(e.into()))? {
                problems.extend(errors.iter().map(|e: &RowError| e.describe(lang)));
            }
        }
    }
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page(ctx, kind_shown, problems)).into_response())
}

#[derive(Template)]
#[template(path = "roster/job.html")]
pub struct JobPage {
    pub ctx: Ctx,
    pub job: Job,
    pub outcome: Option<Outcome>,
    /// How far it is, while it runs.
    pub progress: Option<Progress>,
}

impl JobPage {
    /// "Sessions recorded on this site, left as they are: N (M rows)".
    pub fn on_platform(&self, s: &ImportSummary) -> String {
        let (events, rows) = (s.events_on_platform.to_string(), s.rows_on_platform.to_string());
        self.ctx.lang.t_args("roster-summary-on-platform", &[("count", &events), ("rows", &rows)])
    }

    /// "12,000 of 200,000 rows written".
    pub fn written(&self, p: &Progress) -> String {
        let (done, total) = (p.done.to_string(), p.total.to_string());
        self.ctx.lang.t_args("roster-job-written", &[("done", &done), ("total", &total)])
    }

    pub fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        crate::i18n::wareki::format_datetime(self.ctx.lang, *at)
    }
}

/// The job's page: how far it is, then what it did (a refused file answers 422, as the
/// upload would have). Reads only.
async fn show_job(Admin(ctx, _): Admin, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    let job = job::get(&st.db, ctx.tenant.id, JobId(id)).await?.ok_or(crate::web::AppError::NotFound)?;
    let outcome = job.outcome();
    let progress = job.progress(&st.import_progress, ctx.tenant.id);
    let status = match outcome {
        Some(Outcome::Rejected(_)) => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::OK,
    };
    Ok((status, JobPage { ctx, job, outcome, progress }).into_response())
}

crate::html_page!(ImportPage, JobPage);
