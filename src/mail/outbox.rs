//! Mails kept as jobs in the database until sent: the only module that writes `mail_job`.
//!
//! Whatever queues mail does so in the transaction that decides it ([`enqueue`]), so a
//! mail exists exactly when its reason was committed. A sender claims a few jobs for a
//! while ([`LEASE`]; on PostgreSQL `FOR UPDATE SKIP LOCKED`, so instances take different
//! jobs; SQLite has one writer), sends them and marks them sent. A job whose sender died
//! is taken again when its claim runs out; a mail refused by the server is tried again
//! later, up to [`MAX_ATTEMPTS`] times. The one case of a mail sent twice is a sender
//! killed between the server's acceptance and the mark.

use chrono::{DateTime, TimeDelta, Utc};

use super::Mailer;
use crate::account::AccountId;
use crate::db::{Db, StoreResult, Tx};
use crate::tenant::TenantId;
use crate::{with_db, with_tx};

/// How long a claimed job is left to its sender.
pub const LEASE: TimeDelta = TimeDelta::minutes(10);
/// How often a mail is tried before it is left (and shown as failed).
pub const MAX_ATTEMPTS: i64 = 8;
/// How long sent mails are kept (their text is personal data).
pub const KEEP_SENT: TimeDelta = TimeDelta::days(7);
/// Jobs claimed at once: few enough that a slow mail server sends them well within
/// [`LEASE`] (each send gives up after a minute).
const BATCH: i64 = 10;

/// A mail to queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outgoing {
    pub tenant: TenantId,
    /// The member it is for (its jobs go with the account).
    pub account: Option<AccountId>,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The one-click unsubscribe address (absolute), or empty.
    pub unsubscribe_url: String,
}

/// Queues mails, in the caller's transaction.
///
/// # Errors
/// The database fails.
pub async fn enqueue(tx: &mut Tx, mails: &[Outgoing], now: DateTime<Utc>) -> StoreResult<()> {
    // A hundred rows to a statement: far below either database's limit on parameters.
    for chunk in mails.chunks(100) {
        let mut sql = String::from(
            "INSERT INTO mail_job (tenant_id, account_id, recipient, subject, body, unsubscribe_url, created_at) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 7;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${}, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6,
                b + 7
            ));
        }
        with_tx!(tx, |c| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for m in chunk {
                q = q
                    .bind(m.tenant)
                    .bind(m.account)
                    .bind(&m.to)
                    .bind(&m.subject)
                    .bind(&m.body)
                    .bind(&m.unsubscribe_url)
                    .bind(now);
            }
            q.execute(&mut *c).await?.rows_affected()
        });
    }
    Ok(())
}

/// A claimed job.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Job {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub unsubscribe_url: String,
    /// Counting this one.
    pub attempts: i64,
}

/// Claims up to `limit` jobs waiting to be sent, for [`LEASE`].
///
/// # Errors
/// The database fails.
pub async fn claim(tx: &mut Tx, now: DateTime<Utc>, limit: i64) -> StoreResult<Vec<Job>> {
    macro_rules! pick {
        () => {
            "SELECT id FROM mail_job WHERE sent_at IS NULL AND attempts < $4 \
             AND (claimed_until IS NULL OR claimed_until < $1) ORDER BY id LIMIT $3"
        };
    }
    let until = now + LEASE;
    Ok(match tx {
        Tx::Sqlite(c) => {
            sqlx::query_as(concat!(
                "UPDATE mail_job SET claimed_until = $2, attempts = attempts + 1 WHERE id IN (",
                pick!(),
                ") RETURNING id, recipient, subject, body, unsubscribe_url, attempts"
            ))
            .bind(now)
            .bind(until)
            .bind(limit)
            .bind(MAX_ATTEMPTS)
            .fetch_all(&mut **c)
            .await?
        }
        Tx::Postgres(c) => {
            sqlx::query_as(concat!(
                "UPDATE mail_job SET claimed_until = $2, attempts = attempts + 1 WHERE id IN (",
                pick!(),
                " FOR UPDATE SKIP LOCKED) RETURNING id, recipient, subject, body, unsubscribe_url, attempts"
            ))
            .bind(now)
            .bind(until)
            .bind(limit)
            .bind(MAX_ATTEMPTS)
            .fetch_all(&mut **c)
            .await?
        }
    })
}

/// Marks a job sent.
///
/// # Errors
/// The database fails.
pub async fn mark_sent(tx: &mut Tx, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    with_tx!(tx, |c| {
        sqlx::query("UPDATE mail_job SET sent_at = $2, last_error = '' WHERE id = $1")
            .bind(id)
            .bind(now)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    Ok(())
}

/// Notes why a job could not be sent; it is tried again from `retry_at`.
///
/// # Errors
/// The database fails.
pub async fn mark_failed(tx: &mut Tx, id: i64, error: &str, retry_at: DateTime<Utc>) -> StoreResult<()> {
    with_tx!(tx, |c| {
        sqlx::query("UPDATE mail_job SET claimed_until = $2, last_error = $3 WHERE id = $1")
            .bind(id)
            .bind(retry_at)
            .bind(error)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    Ok(())
}

/// Which mails are old enough to go: sent before `$1`, or given up and queued before it.
macro_rules! old {
    () => {
        "(sent_at IS NOT NULL AND sent_at < $1) OR (sent_at IS NULL AND attempts >= $2 AND created_at < $1)"
    };
}

/// Deletes mails sent before `before`, and those given up and queued before it.
///
/// # Errors
/// The database fails.
pub async fn purge(tx: &mut Tx, before: DateTime<Utc>) -> StoreResult<u64> {
    Ok(with_tx!(tx, |c| {
        sqlx::query(concat!("DELETE FROM mail_job WHERE ", old!()))
            .bind(before)
            .bind(MAX_ATTEMPTS)
            .execute(&mut *c)
            .await?
            .rows_affected()
    }))
}

/// Whether [`purge`] has something to delete (a look that writes nothing).
///
/// # Errors
/// The database fails.
pub async fn purge_due(db: &Db, before: DateTime<Utc>) -> StoreResult<bool> {
    Ok(with_db!(db, |p| {
        sqlx::query_as::<_, (i64,)>(concat!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM mail_job WHERE ",
            old!(),
            " LIMIT 1) o"
        ))
        .bind(before)
        .bind(MAX_ATTEMPTS)
        .fetch_one(p)
        .await?
        .0
    }) > 0)
}

/// Mails waiting: how many may be claimed at `now` (not claimed by a sender, not pausing
/// after a failure), how many are held or pausing, and how many were given up.
///
/// # Errors
/// The database fails.
pub async fn waiting(db: &Db, now: DateTime<Utc>) -> StoreResult<(i64, i64, i64)> {
    Ok(with_db!(db, |p| {
        sqlx::query_as::<_, (i64, i64, i64)>(
            "SELECT \
             COALESCE(SUM(CASE WHEN attempts < $1 AND (claimed_until IS NULL OR claimed_until < $2) THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN attempts < $1 AND claimed_until >= $2 THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN attempts >= $1 THEN 1 ELSE 0 END), 0) FROM mail_job WHERE sent_at IS NULL",
        )
        .bind(MAX_ATTEMPTS)
        .bind(now)
        .fetch_one(p)
        .await?
    }))
}

/// Sends what is waiting, batch by batch, until nothing is; returns how many went out.
/// A mail that fails is tried again after a pause that grows with each attempt.
///
/// Each batch is claimed at the time it is taken (`now`, or the clock if it has moved on
/// past it while earlier batches were sent): a claim counted from the start of a long
/// round would run out while its mails are still being sent, and another instance would
/// send them again.
///
/// # Errors
/// The database fails (a mail that cannot be sent is logged and kept for later).
pub async fn send_waiting(db: &Db, mailer: &Mailer, now: DateTime<Utc>) -> StoreResult<usize> {
    let mut sent = 0;
    loop {
        let at = now.max(crate::db::now());
        let jobs = db.write(async |tx| claim(tx, at, BATCH).await).await?;
        if jobs.is_empty() {
            return Ok(sent);
        }
        for job in jobs {
            let unsubscribe = (!job.unsubscribe_url.is_empty()).then_some(job.unsubscribe_url.as_str());
            match mailer.send_listed(&job.recipient, &job.subject, &job.body, unsubscribe).await {
                Ok(()) => {
                    db.write(async |tx| mark_sent(tx, job.id, crate::db::now()).await).await?;
                    sent += 1;
                }
                Err(e) => {
                    let error = format!("{e:#}");
                    tracing::warn!(error, job = job.id, "cannot send a mail; it will be tried again");
                    // The pause doubles with each attempt: 1, 2, 4… minutes.
                    let retry_at = now.max(crate::db::now()) + TimeDelta::minutes(1 << (job.attempts.clamp(1, 10) - 1));
                    db.write(async |tx| mark_failed(tx, job.id, &error, retry_at).await).await?;
                }
            }
        }
    }
}

/// The mails to an account still kept (waiting, or sent within [`KEEP_SENT`]), for its
/// data export.
///
/// # Errors
/// The database fails.
pub async fn personal_data(db: &Db, tenant: TenantId, account: AccountId) -> StoreResult<serde_json::Value> {
    type Row = (String, String, DateTime<Utc>, Option<DateTime<Utc>>);
    let rows: Vec<Row> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT recipient, subject, created_at, sent_at FROM mail_job WHERE tenant_id = $1 AND account_id = $2 \
             ORDER BY id",
        )
        .bind(tenant)
        .bind(account)
        .fetch_all(p)
        .await?
    });
    Ok(serde_json::json!(
        rows.iter()
            .map(|(to, subject, created_at, sent_at)| serde_json::json!({
                "to": to, "subject": subject, "queued_at": created_at, "sent_at": sent_at
            }))
            .collect::<Vec<_>>()
    ))
}
