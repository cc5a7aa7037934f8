//! All SQL about roster import jobs: the only module that writes `import_job`.

use chrono::{DateTime, Utc};

use super::job::{Job, JobId, Progress, Status};
use crate::account::AccountId;
use crate::db::{Db, StoreResult, Tx, now};
use crate::tenant::TenantId;
use crate::{with_db, with_tx};

/// A new job, waiting, with its file.
///
/// # Errors
/// The database fails.
pub async fn insert(
    tx: &mut Tx,
    tenant: TenantId,
    by: Option<AccountId>,
    file_name: &str,
    file: &[u8],
    default_kind: crate::event::EventKind,
    lang: crate::i18n::Lang,
) -> StoreResult<JobId> {
    Ok(with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO import_job (tenant_id, account_id, status, file_name, file, default_kind, lang, created_at) \
             VALUES ($1, $2, 'queued', $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(tenant)
        .bind(by)
        .bind(file_name)
        .bind(file)
        .bind(default_kind)
        .bind(lang.code())
        .bind(now())
        .fetch_one(&mut *c)
        .await?
    }))
}

/// Takes a waiting job's file and marks it running; `None` when it is not waiting (another
/// took it).
///
/// # Errors
/// The database fails.
pub async fn start(tx: &mut Tx, tenant: TenantId, id: JobId) -> StoreResult<Option<Vec<u8>>> {
    Ok(with_tx!(tx, |c| {
        sqlx::query_scalar(
            "UPDATE import_job SET status = 'running' WHERE tenant_id = $1 AND id = $2 AND status = 'queued' \
             RETURNING file",
        )
        .bind(tenant)
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
    })
    .flatten())
}

/// Records how far a running job is, for the other instances' pages.
///
/// # Errors
/// The database fails.
pub async fn set_progress(tx: &mut Tx, tenant: TenantId, id: JobId, progress: Progress) -> StoreResult<()> {
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE import_job SET rows_total = $3, rows_done = $4 WHERE tenant_id = $1 AND id = $2 AND status = 'running'",
        )
        .bind(tenant)
        .bind(id)
        .bind(count(progress.total))
        .bind(count(progress.done))
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(())
}

/// Records how a job ended and forgets its file.
///
/// # Errors
/// The database fails.
pub async fn finish(tx: &mut Tx, tenant: TenantId, id: JobId, status: Status, outcome: &str) -> StoreResult<()> {
    with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE import_job SET status = $3, outcome = $4, file = NULL, finished_at = $5 \
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant)
        .bind(id)
        .bind(status)
        .bind(outcome)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(())
}

/// Jobs left waiting or running since before `before` (their process stopped): failed,
/// their files forgotten. How many.
///
/// # Errors
/// The database fails.
pub async fn fail_abandoned(tx: &mut Tx, before: DateTime<Utc>, outcome: &str) -> StoreResult<u64> {
    Ok(with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE import_job SET status = 'failed', outcome = $2, file = NULL, finished_at = $3 \
             WHERE status IN ('queued', 'running') AND created_at < $1",
        )
        .bind(before)
        .bind(outcome)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    }))
}

/// A job of the tenant, without its file.
///
/// # Errors
/// The database fails.
pub async fn get(db: &Db, tenant: TenantId, id: JobId) -> StoreResult<Option<Job>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT id, status, file_name, default_kind, outcome, created_at, finished_at, rows_total, rows_done \
             FROM import_job WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant)
        .bind(id)
        .fetch_optional(p)
        .await?
    }))
}

/// Jobs of every center running now, and those that failed (refused or interrupted) since
/// `since`: for the operations page.
///
/// # Errors
/// The database fails.
pub async fn count(db: &Db, since: DateTime<Utc>) -> StoreResult<(i64, i64)> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(CASE WHEN status IN ('queued', 'running') THEN 1 ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN status = 'failed' AND finished_at >= $1 THEN 1 ELSE 0 END), 0) AS BIGINT) \
             FROM import_job",
        )
        .bind(since)
        .fetch_one(p)
        .await?
    }))
}
