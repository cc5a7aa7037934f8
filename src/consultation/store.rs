//! All SQL about consultations, their comments and result rows.

use chrono::{DateTime, Utc};

use super::{Comment, Consultation, ConsultationId, ResponseDraft, Window};
use crate::account::AccountId;
use crate::db::{Db, StoreError, StoreResult, now};
use crate::lab::LabId;
use crate::social_issue::Status;
use crate::tenant::TenantId;
use crate::with_db;

#[derive(sqlx::FromRow)]
struct Row {
    id: ConsultationId,
    tenant_id: TenantId,
    lab_id: LabId,
    lab_title: String,
    version_id: i64,
    version_number: i64,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    result_version: Option<i64>,
    result_published_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

impl From<Row> for Consultation {
    fn from(r: Row) -> Consultation {
        Consultation {
            id: r.id,
            tenant_id: r.tenant_id,
            lab_id: r.lab_id,
            lab_title: r.lab_title,
            version_id: r.version_id,
            version_number: r.version_number,
            opens_at: r.opens_at,
            closes_at: r.closes_at,
            result_version: r.result_version,
            result_published_at: r.result_published_at,
            created_at: r.created_at,
        }
    }
}

macro_rules! select {
    ($where:expr) => {
        concat!(
            "SELECT c.id, c.tenant_id, c.lab_id, l.title AS lab_title, c.roadmap_version_id AS version_id, \
             v.version AS version_number, c.opens_at, c.closes_at, r.version AS result_version, c.result_published_at, \
             c.created_at FROM consultation c JOIN lab l ON l.id = c.lab_id \
             JOIN roadmap_version v ON v.id = c.roadmap_version_id \
             LEFT JOIN roadmap_version r ON r.id = c.result_version_id WHERE ",
            $where
        )
    };
}

/// Opens a consultation on version `window.version` of the lab's roadmap.
///
/// # Errors
/// [`StoreError::NotFound`] when the lab has no such version.
pub async fn insert(db: &Db, tenant: TenantId, lab: LabId, window: &Window) -> StoreResult<ConsultationId> {
    let version = crate::roadmap::store::get(db, lab, window.version).await?;
    let _turn = db.write_turn().await;
    Ok(with_db!(db, |p| {
        sqlx::query_as::<_, (ConsultationId,)>(
            "INSERT INTO consultation (tenant_id, lab_id, roadmap_version_id, opens_at, closes_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(tenant)
        .bind(lab)
        .bind(version.id)
        .bind(window.opens_at)
        .bind(window.closes_at)
        .bind(now())
        .fetch_one(p)
        .await?
        .0
    }))
}

/// The consultation with this id in this tenant.
///
/// # Errors
/// [`StoreError::NotFound`], also for another tenant's id.
pub async fn get(db: &Db, tenant: TenantId, id: ConsultationId) -> StoreResult<Consultation> {
    const SQL: &str = select!("c.tenant_id = $1 AND c.id = $2");
    Ok(with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(id).fetch_one(p).await?).into())
}

/// The lab's consultations, latest first.
///
/// # Errors
/// The database fails.
pub async fn list_for_lab(db: &Db, tenant: TenantId, lab: LabId) -> StoreResult<Vec<Consultation>> {
    const SQL: &str = select!("c.tenant_id = $1 AND c.lab_id = $2 ORDER BY c.opens_at DESC, c.id DESC");
    let rows = with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(lab).fetch_all(p).await?);
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The tenant's consultations open at `at`, closing soonest first.
///
/// # Errors
/// The database fails.
pub async fn list_open(db: &Db, tenant: TenantId, at: DateTime<Utc>) -> StoreResult<Vec<Consultation>> {
    const SQL: &str = select!("c.tenant_id = $1 AND c.opens_at <= $2 AND c.closes_at > $2 ORDER BY c.closes_at, c.id");
    let rows = with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(at).fetch_all(p).await?);
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Takes a comment on a paragraph while the window is open: shown at once when a member
/// signs it, otherwise waiting for moderation with no author kept.
///
/// Returns `None`, writing nothing, when the window is not open (checked in the same
/// statement that writes, so a comment cannot slip in after the close).
///
/// # Errors
/// The database fails.
pub async fn insert_comment(
    db: &Db,
    tenant: TenantId,
    id: ConsultationId,
    paragraph: i64,
    author: Option<AccountId>,
    body: &str,
) -> StoreResult<Option<Status>> {
    let status = if author.is_some() { Status::Published } else { Status::Pending };
    let now = now();
    let _turn = db.write_turn().await;
    let n = with_db!(db, |p| {
        sqlx::query(
            "INSERT INTO consultation_comment (tenant_id, consultation_id, paragraph, author_account_id, body, status, created_at) \
             SELECT $1, c.id, $3, $4, $5, $6, $7 FROM consultation c \
             WHERE c.tenant_id = $1 AND c.id = $2 AND c.opens_at <= $7 AND c.closes_at > $7",
        )
        .bind(tenant)
        .bind(id)
        .bind(paragraph)
        .bind(author)
        .bind(body)
        .bind(status.code())
        .bind(now)
        .execute(p)
        .await?
        .rows_affected()
    });
    Ok((n > 0).then_some(status))
}

/// The consultation's comments with this status (all when `None`), by paragraph.
///
/// # Errors
/// The database fails.
pub async fn comments(db: &Db, id: ConsultationId, status: Option<Status>) -> StoreResult<Vec<Comment>> {
    #[derive(sqlx::FromRow)]
    struct CommentRow {
        id: i64,
        paragraph: i64,
        author: Option<String>,
        body: String,
        status: String,
        response_id: Option<i64>,
        created_at: DateTime<Utc>,
    }
    let rows: Vec<CommentRow> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT k.id, k.paragraph, a.display_name AS author, k.body, k.status, k.response_id, k.created_at \
             FROM consultation_comment k LEFT JOIN account a ON a.id = k.author_account_id \
             WHERE k.consultation_id = $1 AND ($2 IS NULL OR k.status = $2) ORDER BY k.paragraph, k.id",
        )
        .bind(id)
        .bind(status.map(Status::code))
        .fetch_all(p)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|r| Comment {
            id: r.id,
            paragraph: r.paragraph,
            author: r.author,
            body: r.body,
            status: Status::from_code(&r.status).unwrap_or(Status::Hidden),
            response_id: r.response_id,
            created_at: r.created_at,
        })
        .collect())
}

/// Adds a row to the result and marks the comments it answers, in one transaction.
///
/// # Errors
/// The database fails.
pub async fn add_response(db: &Db, id: ConsultationId, draft: &ResponseDraft) -> StoreResult<()> {
    let now = now();
    let _turn = db.write_turn().await;
    with_db!(db, |p| {
        let mut tx = p.begin().await?;
        let (row,): (i64,) = sqlx::query_as(
            "INSERT INTO consultation_response (consultation_id, paragraph, summary, response, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(id)
        .bind(draft.paragraph)
        .bind(&draft.summary)
        .bind(&draft.response)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        for comment in &draft.comments {
            sqlx::query("UPDATE consultation_comment SET response_id = $3 WHERE consultation_id = $1 AND id = $2")
                .bind(id)
                .bind(comment)
                .bind(row)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok::<_, StoreError>(())
    })?;
    Ok(())
}

/// Removes a row of the result (its comments become unanswered again).
///
/// # Errors
/// The database fails.
pub async fn delete_response(db: &Db, id: ConsultationId, response: i64) -> StoreResult<()> {
    let _turn = db.write_turn().await;
    with_db!(db, |p| {
        let mut tx = p.begin().await?;
        sqlx::query(
            "UPDATE consultation_comment SET response_id = NULL WHERE consultation_id = $1 AND response_id = $2",
        )
        .bind(id)
        .bind(response)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM consultation_response WHERE consultation_id = $1 AND id = $2")
            .bind(id)
            .bind(response)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok::<_, StoreError>(())
    })?;
    Ok(())
}

/// The rows of the result, by paragraph.
///
/// # Errors
/// The database fails.
pub async fn responses(db: &Db, id: ConsultationId) -> StoreResult<Vec<super::Response>> {
    let rows: Vec<(i64, i64, String, String)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT id, paragraph, summary, response FROM consultation_response WHERE consultation_id = $1 \
             ORDER BY paragraph, id",
        )
        .bind(id)
        .fetch_all(p)
        .await?
    });
    let answered: Vec<(i64, i64)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT response_id, id FROM consultation_comment WHERE consultation_id = $1 AND response_id IS NOT NULL \
             AND status = 'published' ORDER BY id",
        )
        .bind(id)
        .fetch_all(p)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(rid, paragraph, summary, response)| super::Response {
            id: rid,
            paragraph,
            summary,
            response,
            comments: answered.iter().filter(|(r, _)| *r == rid).map(|(_, c)| *c).collect(),
        })
        .collect())
}

/// Publishes the result, naming the roadmap version (its number) that took the comments
/// into account; returns `false`, changing nothing, while the window is still open.
///
/// # Errors
/// [`StoreError::NotFound`] when the lab has no such version.
pub async fn publish_result(db: &Db, tenant: TenantId, c: &Consultation, version: i64) -> StoreResult<bool> {
    let version = crate::roadmap::store::get(db, c.lab_id, version).await?;
    let now = now();
    let _turn = db.write_turn().await;
    let n = with_db!(db, |p| {
        sqlx::query(
            "UPDATE consultation SET result_version_id = $3, result_published_at = $4 \
             WHERE tenant_id = $1 AND id = $2 AND closes_at <= $4",
        )
        .bind(tenant)
        .bind(c.id)
        .bind(version.id)
        .bind(now)
        .execute(p)
        .await?
        .rows_affected()
    });
    Ok(n > 0)
}

/// The consultation comments a member signed, for their data export (comments posted
/// without a name keep no link to anyone and cannot be listed).
///
/// # Errors
/// The database fails.
pub async fn personal_data(db: &Db, account: AccountId) -> StoreResult<serde_json::Value> {
    let rows: Vec<(ConsultationId, i64, String, String, DateTime<Utc>)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT consultation_id, paragraph, body, status, created_at FROM consultation_comment \
             WHERE author_account_id = $1 ORDER BY id",
        )
        .bind(account)
        .fetch_all(p)
        .await?
    });
    Ok(serde_json::json!(
        rows.iter()
            .map(|(c, paragraph, body, status, at)| serde_json::json!({
                "consultation": c, "paragraph": paragraph, "body": body, "status": status, "created_at": at
            }))
            .collect::<Vec<_>>()
    ))
}

/// Readers' reports on the consultation's comments, newest first: (comment, reason, when).
///
/// # Errors
/// The database fails.
pub async fn reports(db: &Db, id: ConsultationId) -> StoreResult<Vec<(i64, String, DateTime<Utc>)>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT m.subject_id, m.reason, m.created_at FROM moderation_log m \
             JOIN consultation_comment k ON k.id = m.subject_id AND k.tenant_id = m.tenant_id \
             WHERE m.subject = 'consultation_comment' AND m.action = 'reported' AND k.consultation_id = $1 \
             ORDER BY m.created_at DESC, m.id DESC",
        )
        .bind(id)
        .fetch_all(p)
        .await?
    }))
}
