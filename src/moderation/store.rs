//! The moderation log's SQL: the only module that writes `moderation_log`, and only ever
//! adds to it. The queue of reported posts is read from it: a post is in the queue while
//! its latest line is a report.

use chrono::{DateTime, Utc};

use super::{Flagged, LogEntry, Post, Step, Subject};
use crate::account::AccountId;
use crate::db::{Db, StoreResult, Tx, now};
use crate::tenant::TenantId;
use crate::{with_db, with_tx};

/// Adds a step to the log (in the transaction that applied it).
///
/// # Errors
/// The database fails.
pub async fn log(
    tx: &mut Tx,
    tenant: TenantId,
    subject: Subject,
    id: i64,
    step: &Step,
    actor: Option<AccountId>,
) -> StoreResult<()> {
    with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO moderation_log (tenant_id, subject, subject_id, action, reason, actor_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(tenant)
        .bind(subject)
        .bind(id)
        .bind(step.action)
        .bind(&step.reason)
        .bind(actor)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(())
}

/// The tenant's log, newest first.
///
/// # Errors
/// The database fails, or a line names a subject or step this program does not know.
pub async fn list_log(db: &Db, tenant: TenantId, limit: i64) -> StoreResult<Vec<LogEntry>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT m.subject, m.subject_id, m.action, m.reason, a.display_name AS actor, m.created_at \
             FROM moderation_log m LEFT JOIN account a ON a.id = m.actor_id \
             WHERE m.tenant_id = $1 ORDER BY m.id DESC LIMIT $2",
        )
        .bind(tenant)
        .bind(limit)
        .fetch_all(p)
        .await?
    }))
}

/// The reports on each post whose latest line is a report: (subject, id, reports since
/// the last decision, id of the last report line). `$1` is the tenant.
macro_rules! flagged {
    () => {
        "SELECT m.subject, m.subject_id, COUNT(*) AS reports, MAX(m.id) AS last FROM moderation_log m \
         WHERE m.tenant_id = $1 AND m.action = 'reported' AND m.id > COALESCE((SELECT MAX(d.id) FROM moderation_log d \
           WHERE d.tenant_id = m.tenant_id AND d.subject = m.subject AND d.subject_id = m.subject_id \
           AND d.action <> 'reported'), 0) \
         GROUP BY m.subject, m.subject_id"
    };
}

/// The moderators' queue of reported posts that are still published, most recently
/// reported first, with what each is and where it is read.
///
/// # Errors
/// The database fails.
pub async fn flagged(db: &Db, tenant: TenantId) -> StoreResult<Vec<Flagged>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        subject: Subject,
        subject_id: i64,
        reports: i64,
        reason: String,
        reported_at: DateTime<Utc>,
        text: Option<String>,
        parent: Option<i64>,
    }
    let rows: Vec<Row> = with_db!(db, |p| {
        sqlx::query_as(concat!(
            "SELECT q.subject, q.subject_id, q.reports, l.reason, l.created_at AS reported_at, \
             CASE q.subject \
               WHEN 'social_issue' THEN (SELECT i.title FROM social_issue i \
                 WHERE i.tenant_id = $1 AND i.id = q.subject_id AND i.status = 'published') \
               WHEN 'issue_comment' THEN (SELECT k.body FROM issue_comment k \
                 WHERE k.tenant_id = $1 AND k.id = q.subject_id AND k.status = 'published') \
               WHEN 'consultation_comment' THEN (SELECT k.body FROM consultation_comment k \
                 WHERE k.tenant_id = $1 AND k.id = q.subject_id AND k.status = 'published') \
               WHEN 'article_comment' THEN (SELECT k.body FROM article_comment k \
                 WHERE k.tenant_id = $1 AND k.id = q.subject_id AND k.status = 'published') \
               WHEN 'board_post' THEN (SELECT b.title FROM board_post b \
                 WHERE b.tenant_id = $1 AND b.id = q.subject_id AND b.status = 'published') \
               WHEN 'board_comment' THEN (SELECT k.body FROM board_comment k \
                 WHERE k.tenant_id = $1 AND k.id = q.subject_id AND k.status = 'published') \
             END AS text, \
             CASE q.subject \
               WHEN 'issue_comment' THEN (SELECT k.issue_id FROM issue_comment k WHERE k.id = q.subject_id) \
               WHEN 'consultation_comment' THEN (SELECT k.consultation_id FROM consultation_comment k \
                 WHERE k.id = q.subject_id) \
               WHEN 'article_comment' THEN (SELECT k.article_id FROM article_comment k WHERE k.id = q.subject_id) \
               WHEN 'board_comment' THEN (SELECT k.post_id FROM board_comment k WHERE k.id = q.subject_id) \
             END AS parent \
             FROM (",
            flagged!(),
            ") q JOIN moderation_log l ON l.id = q.last ORDER BY q.last DESC"
        ))
        .bind(tenant)
        .fetch_all(p)
        .await?
    });
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            // A post hidden or deleted since it was reported has left the queue.
            Some(Flagged {
                post: Post {
                    subject: r.subject,
                    subject_id: r.subject_id,
                    text: r.text?,
                    parent: r.parent,
                    created_at: r.reported_at,
                },
                reports: r.reports,
                reason: r.reason,
                reported_at: r.reported_at,
            })
        })
        .collect())
}

/// The tenant's posts of every kind waiting for approval, oldest first.
///
/// # Errors
/// The database fails.
pub async fn pending(db: &Db, tenant: TenantId) -> StoreResult<Vec<Post>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT 'social_issue' AS subject, i.id AS subject_id, i.title AS text, CAST(NULL AS BIGINT) AS parent, \
             i.created_at FROM social_issue i WHERE i.tenant_id = $1 AND i.status = 'pending' \
             UNION ALL SELECT 'issue_comment', k.id, k.body, k.issue_id, k.created_at FROM issue_comment k \
             WHERE k.tenant_id = $1 AND k.status = 'pending' \
             UNION ALL SELECT 'consultation_comment', k.id, k.body, k.consultation_id, k.created_at \
             FROM consultation_comment k WHERE k.tenant_id = $1 AND k.status = 'pending' \
             UNION ALL SELECT 'article_comment', k.id, k.body, k.article_id, k.created_at \
             FROM article_comment k WHERE k.tenant_id = $1 AND k.status = 'pending' \
             ORDER BY created_at, subject_id",
        )
        .bind(tenant)
        .fetch_all(p)
        .await?
    }))
}

/// The reported comments among `subject`'s posts with ids in `ids` that wait for a
/// decision: (id, reports, last reason, when). For a lab's page of its consultation.
///
/// # Errors
/// The database fails.
pub async fn flagged_among(
    db: &Db,
    tenant: TenantId,
    subject: Subject,
    ids: &[i64],
) -> StoreResult<Vec<(i64, i64, String, DateTime<Utc>)>> {
    let all: Vec<(Subject, i64, i64, String, DateTime<Utc>)> = with_db!(db, |p| {
        sqlx::query_as(concat!(
            "SELECT q.subject, q.subject_id, q.reports, l.reason, l.created_at FROM (",
            flagged!(),
            ") q JOIN moderation_log l ON l.id = q.last ORDER BY q.last DESC"
        ))
        .bind(tenant)
        .fetch_all(p)
        .await?
    });
    Ok(all
        .into_iter()
        .filter(|(s, id, ..)| *s == subject && ids.contains(id))
        .map(|(_, id, n, reason, at)| (id, n, reason, at))
        .collect())
}
