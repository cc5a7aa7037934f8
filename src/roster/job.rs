//! A roster import run off the request: the page hands the file to a job and shows the
//! job's page, which follows it (rows read, rows written) until it ends with the import's
//! summary or every problem by line and column. The import itself is still one
//! transaction: a file with one wrong row, or a job stopped half way, imports nothing.
//!
//! How far a running job is lives in the memory of the process running it (a [`Board`]).
//! On PostgreSQL, where several instances may serve one database, the process also
//! records it in the job's row every [`RECORD_EVERY`], for the others' pages. A SQLite
//! database is served by one process, and its writes would wait for the import's one
//! transaction: there it stays in memory.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use super::import::{ImportSummary, import_with_progress};
use super::store;
use crate::db::{Db, StoreResult};
use crate::event::EventKind;
use crate::i18n::Lang;
use crate::tenant::TenantId;

/// A job's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize, serde::Deserialize)]
#[sqlx(transparent)]
pub struct JobId(pub i64);

/// Where a job stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Queued,
    Running,
    Done,
    Failed,
}

crate::text_code!(Status { Queued = "queued", Running = "running", Done = "done", Failed = "failed" });

/// A job as its page shows it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Job {
    pub id: JobId,
    pub status: Status,
    pub file_name: String,
    pub default_kind: EventKind,
    /// The [`Outcome`] as JSON, once it has ended.
    pub outcome: String,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// How far it was when last recorded by the instance running it (PostgreSQL only).
    pub rows_total: i64,
    pub rows_done: i64,
}

/// How a job ended.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Imported, all of it.
    Imported(ImportSummary),
    /// Refused: every problem of the file, by line and column, in the uploader's language.
    Rejected(Vec<String>),
    /// Stopped by a failure of the server (the database), or by the server stopping.
    Interrupted,
}

impl Job {
    /// How it ended, once it has.
    pub fn outcome(&self) -> Option<Outcome> {
        serde_json::from_str(&self.outcome).ok()
    }

    /// Whether it is still to end.
    pub fn running(&self) -> bool {
        matches!(self.status, Status::Queued | Status::Running)
    }

    /// How far it is while it runs: from this process's [`Board`] when it runs the job,
    /// else as the instance running it last recorded it (once it has read the file).
    pub fn progress(&self, board: &Board, tenant: TenantId) -> Option<Progress> {
        if self.status != Status::Running {
            return None;
        }
        let count = |n: i64| usize::try_from(n).unwrap_or_default();
        let recorded = Progress { total: count(self.rows_total), done: count(self.rows_done) };
        board.get(tenant, self.id).or((recorded.total > 0).then_some(recorded))
    }
}

/// How far a running job is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Rows in the file, once it has been read (0 while reading).
    pub total: usize,
    /// Rows written so far.
    pub done: usize,
}

/// How far the jobs this process runs are.
#[derive(Debug, Default)]
pub struct Board(Mutex<HashMap<(TenantId, JobId), Progress>>);

impl Board {
    fn set(&self, key: (TenantId, JobId), p: Option<Progress>) {
        let mut all = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match p {
            Some(p) => all.insert(key, p),
            None => all.remove(&key),
        };
    }

    /// How far the job is, when this process runs it.
    pub fn get(&self, tenant: TenantId, id: JobId) -> Option<Progress> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&(tenant, id)).copied()
    }
}

/// A file handed to a job, with how to read it.
#[derive(Clone, Copy, Debug)]
pub struct Upload<'a> {
    pub file_name: &'a str,
    pub file: &'a [u8],
    /// The kind of the rows without a 種別.
    pub default_kind: EventKind,
    /// The uploader's language, for the problems found.
    pub lang: Lang,
}

/// Hands a file to a new job and starts it in the background: the job's id.
///
/// # Errors
/// The database fails.
pub async fn submit(
    db: &Db,
    tenant: TenantId,
    by: Option<crate::account::AccountId>,
    upload: Upload<'_>,
    board: Arc<Board>,
) -> StoreResult<JobId> {
    let Upload { file_name, file, default_kind, lang } = upload;
    let id = db.write(async |tx| store::insert(tx, tenant, by, file_name, file, default_kind, lang).await).await?;
    let db = db.clone();
    tokio::spawn(async move {
        if let Err(e) = run(&db, tenant, id, default_kind, lang, &board).await {
            tracing::error!(error = %e, job = id.0, "a roster import failed");
            let outcome = serde_json::to_string(&Outcome::Interrupted).unwrap_or_default();
            let ended = db.write(async |tx| store::finish(tx, tenant, id, Status::Failed, &outcome).await).await;
            if let Err(e) = ended {
                tracing::error!(error = %e, job = id.0, "cannot record that a roster import failed");
            }
        }
        board.set((tenant, id), None);
    });
    Ok(id)
}

/// Takes the job's file and [`import`]s it; on PostgreSQL records its progress meanwhile.
async fn run(
    db: &Db,
    tenant: TenantId,
    id: JobId,
    kind: EventKind,
    lang: Lang,
    board: &Arc<Board>,
) -> anyhow::Result<()> {
    let Some(file) = db.write(async |tx| store::start(tx, tenant, id).await).await? else { return Ok(()) };
    board.set((tenant, id), Some(Progress::default()));
    let recorder = matches!(db, Db::Postgres(..))
        .then(|| tokio::spawn(record_progress(db.clone(), tenant, id, Arc::clone(board))));
    let ended = import(db, tenant, id, kind, lang, board, file).await;
    if let Some(recorder) = recorder {
        recorder.abort();
    }
    ended
}

/// How often a running job's progress is recorded for the other instances (PostgreSQL).
pub const RECORD_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// Records the job's progress from the board whenever it has moved, until aborted.
async fn record_progress(db: Db, tenant: TenantId, id: JobId, board: Arc<Board>) {
    let mut recorded = None;
    loop {
        tokio::time::sleep(RECORD_EVERY).await;
        let now = board.get(tenant, id);
        if let Some(p) = now.filter(|_| now != recorded) {
            match db.write(async |tx| store::set_progress(tx, tenant, id, p).await).await {
                Ok(()) => recorded = now,
                Err(e) => tracing::warn!(error = %e, job = id.0, "cannot record a roster import's progress"),
            }
        }
    }
}

/// Reads the file, then imports it in one transaction, keeping the board up to date.
async fn import(
    db: &Db,
    tenant: TenantId,
    id: JobId,
    kind: EventKind,
    lang: Lang,
    board: &Board,
    file: Vec<u8>,
) -> anyhow::Result<()> {
    let parsed = tokio::task::spawn_blocking(move || super::parse_file(&file, kind)).await?;
    let (status, outcome) = match parsed {
        Err(errors) => (Status::Failed, Outcome::Rejected(errors.iter().map(|e| e.describe(lang)).collect())),
        Ok(rows) => {
            let total = rows.len();
            board.set((tenant, id), Some(Progress { total, done: 0 }));
            let report = |done| board.set((tenant, id), Some(Progress { total, done }));
            (Status::Done, Outcome::Imported(import_with_progress(db, tenant, &rows, &report).await?))
        }
    };
    let outcome = serde_json::to_string(&outcome)?;
    db.write(async |tx| store::finish(tx, tenant, id, status, &outcome).await).await?;
    Ok(())
}

/// Fails the jobs left waiting or running by a process that stopped (the import is one
/// transaction: nothing of theirs was written). At start: on SQLite, every such job
/// (one process serves it); on PostgreSQL, those an hour old (another instance may be
/// running a younger one).
///
/// # Errors
/// The database fails.
pub async fn fail_abandoned(db: &Db) -> StoreResult<u64> {
    let before = match db {
        Db::Sqlite(..) => crate::db::now() + chrono::TimeDelta::seconds(1),
        Db::Postgres(..) => crate::db::now() - chrono::TimeDelta::hours(1),
    };
    let outcome = serde_json::to_string(&Outcome::Interrupted).unwrap_or_default();
    db.write(async |tx| store::fail_abandoned(tx, before, &outcome).await).await
}

/// The job of the tenant, if any.
///
/// # Errors
/// The database fails.
pub async fn get(db: &Db, tenant: TenantId, id: JobId) -> StoreResult<Option<Job>> {
    store::get(db, tenant, id).await
}
