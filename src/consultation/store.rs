//! All SQL about consultations, their comments and result rows: the only module that
//! writes `consultation`, `consultation_comment` and `consultation_response`. Every
//! function takes the tenant first; a comment or a result row is found through its
//! consultation, never by its id alone.

use chrono::{DateTime, Utc};

use super::{Comment, CommentId, Consultation, ConsultationId, ResponseDraft, ResponseId, Status, Window};
use crate::account::AccountId;
use crate::db::{Db, StoreError, StoreResult, Tx, now};
use crate::lab::LabId;
use crate::roadmap::VersionId;
use crate::tenant::TenantId;
use crate::{with_db, with_tx};

#[derive(sqlx::FromRow)]
struct Row {
    id: ConsultationId,
    tenant_id: TenantId,
    lab_id: LabId,
    lab_title: String,
    version_id: VersionId,
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

/// Opens a consultation on version `window.version` of the roadmap of a lab of the tenant.
///
/// # Errors
/// [`StoreError::NotFound`] when the lab (of this tenant) has no such version.
pub async fn insert(tx: &mut Tx, tenant: TenantId, lab: LabId, window: &Window) -> StoreResult<ConsultationId> {
    let version = crate::roadmap::store::id_in(tx, tenant, lab, window.version).await?;
    let id = with_tx!(tx, |c| {
        sqlx::query_as::<_, (ConsultationId,)>(
            "INSERT INTO consultation (tenant_id, lab_id, roadmap_version_id, opens_at, closes_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(tenant)
        .bind(lab)
        .bind(version)
        .bind(window.opens_at)
        .bind(window.closes_at)
        .bind(now())
        .fetch_one(&mut *c)
        .await?
        .0
    });
    crate::search::store::changed(tx, tenant, crate::search::Kind::Consultation, id.0).await?;
    Ok(id)
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
    tx: &mut Tx,
    tenant: TenantId,
    id: ConsultationId,
    paragraph: i64,
    author: Option<AccountId>,
    body: &str,
) -> StoreResult<Option<Status>> {
    // What the index holds of the consultation (its published comments and answers) may
    // change: it reads the consultation again.
    crate::search::store::changed(tx, tenant, crate::search::Kind::Consultation, id.0).await?;
    let status = Status::of_new_post(author.is_some());
    let now = now();
    let n = with_tx!(tx, |c| {
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
        .bind(status)
        .bind(now)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok((n > 0).then_some(status))
}

/// The consultation's comments with this status (all when `None`), by paragraph.
///
/// # Errors
/// The database fails.
pub async fn comments(
    db: &Db,
    tenant: TenantId,
    id: ConsultationId,
    status: Option<Status>,
) -> StoreResult<Vec<Comment>> {
    #[derive(sqlx::FromRow)]
    struct CommentRow {
        id: CommentId,
        paragraph: i64,
        author: Option<String>,
        body: String,
        status: Status,
        response_id: Option<ResponseId>,
        created_at: DateTime<Utc>,
        channel: super::Channel,
        kept_apart: bool,
        out_of_scope: bool,
        group_id: Option<super::GroupId>,
    }
    let rows: Vec<CommentRow> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT k.id, k.paragraph, a.display_name AS author, k.body, k.status, k.response_id, k.created_at, \
             k.channel, k.kept_apart, k.out_of_scope, k.group_id \
             FROM consultation_comment k LEFT JOIN account a ON a.id = k.author_account_id \
             WHERE k.tenant_id = $1 AND k.consultation_id = $2 AND ($3 IS NULL OR k.status = $3) ORDER BY k.paragraph, k.id",
        )
        .bind(tenant)
        .bind(id)
        .bind(status)
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
            status: r.status,
            response_id: r.response_id,
            created_at: r.created_at,
            channel: r.channel,
            kept_apart: r.kept_apart,
            out_of_scope: r.out_of_scope,
            group_id: r.group_id,
        })
        .collect())
}

/// Adds comments the lab received (on paper, by post, mail or fax, at the venue), all or
/// none: published, as the lab entered them. Taken until the result is published.
/// Returns how many, or `None` when the result is already published. `received_at` is
/// when they came (now, for what the lab enters as it comes).
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's consultation.
pub async fn insert_received(
    tx: &mut Tx,
    tenant: TenantId,
    id: ConsultationId,
    comments: &[super::Received],
    received_at: DateTime<Utc>,
) -> StoreResult<Option<usize>> {
    let published: Option<Option<DateTime<Utc>>> = with_tx!(tx, |c| {
        sqlx::query_scalar("SELECT result_published_at FROM consultation WHERE tenant_id = $1 AND id = $2")
            .bind(tenant)
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
    });
    match published {
        None => return Err(StoreError::NotFound),
        Some(Some(_)) => return Ok(None),
        Some(None) => {}
    }
    crate::search::store::changed(tx, tenant, crate::search::Kind::Consultation, id.0).await?;
    for r in comments {
        with_tx!(tx, |c| {
            sqlx::query(
                "INSERT INTO consultation_comment (tenant_id, consultation_id, paragraph, body, status, channel, \
                 contact_email, created_at) VALUES ($1, $2, $3, $4, 'published', $5, $6, $7)",
            )
            .bind(tenant)
            .bind(id)
            .bind(r.paragraph)
            .bind(&r.body)
            .bind(r.channel)
            .bind(&r.contact_email)
            .bind(received_at)
            .execute(&mut *c)
            .await?;
        });
    }
    Ok(Some(comments.len()))
}

/// Every consultation of the tenant, the newest first.
///
/// # Errors
/// The database fails.
pub async fn list(db: &Db, tenant: TenantId) -> StoreResult<Vec<Consultation>> {
    const SQL: &str = select!("c.tenant_id = $1 ORDER BY c.opens_at DESC, c.id DESC");
    let rows = with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).fetch_all(p).await?);
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Sets the status of a comment of this consultation (a moderation step), keeping the
/// reason when it hides. The comment must belong to the consultation, which is checked
/// in the statement that writes: `false`, writing nothing, when it does not.
///
/// # Errors
/// The database fails.
pub async fn set_comment_status(
    tx: &mut Tx,
    tenant: TenantId,
    consultation: ConsultationId,
    comment: CommentId,
    status: Status,
    hidden_reason: &str,
) -> StoreResult<bool> {
    // What the index holds of the consultation (its published comments and answers) may
    // change: it reads the consultation again.
    crate::search::store::changed(tx, tenant, crate::search::Kind::Consultation, consultation.0).await?;
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE consultation_comment SET status = $4, hidden_reason = $5 \
             WHERE tenant_id = $1 AND consultation_id = $2 AND id = $3",
        )
        .bind(tenant)
        .bind(consultation)
        .bind(comment)
        .bind(status)
        .bind(hidden_reason)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(n > 0)
}

/// Whether a published comment of this consultation has this id (only those can be
/// reported), read in a write transaction.
///
/// # Errors
/// The database fails.
pub async fn is_published_comment(
    tx: &mut Tx,
    tenant: TenantId,
    consultation: ConsultationId,
    comment: CommentId,
) -> StoreResult<bool> {
    let (n,): (i64,) = with_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT COUNT(*) FROM consultation_comment WHERE tenant_id = $1 AND consultation_id = $2 AND id = $3 \
             AND status = 'published'",
        )
        .bind(tenant)
        .bind(consultation)
        .bind(comment)
        .fetch_one(&mut *c)
        .await?
    });
    Ok(n > 0)
}

/// Adds a row to the result of a consultation of the tenant and marks the comments it
/// answers (of that consultation only), in the caller's transaction.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's consultation.
pub async fn add_response(
    tx: &mut Tx,
    tenant: TenantId,
    id: ConsultationId,
    draft: &ResponseDraft,
) -> StoreResult<ResponseId> {
    // What the index holds of the consultation (its published comments and answers) may
    // change: it reads the consultation again.
    crate::search::store::changed(tx, tenant, crate::search::Kind::Consultation, id.0).await?;
    let row: Option<(ResponseId,)> = with_tx!(tx, |c| {
        sqlx::query_as(
            "INSERT INTO consultation_response (consultation_id, paragraph, summary, response, changed, change_reason, \
             created_at) SELECT c.id, $3, $4, $5, $6, $7, $8 FROM consultation c \
             WHERE c.tenant_id = $1 AND c.id = $2 AND c.result_published_at IS NULL RETURNING id",
        )
        .bind(tenant)
        .bind(id)
        .bind(draft.paragraph)
        .bind(&draft.summary)
        .bind(&draft.response)
        .bind(draft.changed)
        .bind(&draft.change_reason)
        .bind(now())
        .fetch_optional(&mut *c)
        .await?
    });
    let (row,) = row.ok_or(StoreError::NotFound)?;
    for comment in &draft.comments {
        with_tx!(tx, |c| {
            sqlx::query(
                "UPDATE consultation_comment SET response_id = $4, out_of_scope = FALSE \
                 WHERE tenant_id = $1 AND consultation_id = $2 AND id = $3",
            )
            .bind(tenant)
            .bind(id)
            .bind(comment)
            .bind(row)
            .execute(&mut *c)
            .await?
            .rows_affected()
        });
    }
    Ok(row)
}

/// Marks comments of the consultation as outside what it asked (or inside again); a
/// comment marked outside answers to no row. Not once the result is published.
///
/// # Errors
/// The database fails.
pub async fn set_out_of_scope(
    tx: &mut Tx,
    tenant: TenantId,
    id: ConsultationId,
    comments: &[CommentId],
    out: bool,
) -> StoreResult<()> {
    for comment in comments {
        with_tx!(tx, |c| {
            sqlx::query(
                "UPDATE consultation_comment SET out_of_scope = $4, \
                 response_id = CASE WHEN $4 THEN NULL ELSE response_id END \
                 WHERE tenant_id = $1 AND consultation_id = $2 AND id = $3 AND consultation_id IN \
                 (SELECT id FROM consultation WHERE tenant_id = $1 AND result_published_at IS NULL)",
            )
            .bind(tenant)
            .bind(id)
            .bind(comment)
            .bind(out)
            .execute(&mut *c)
            .await?;
        });
    }
    crate::search::store::changed(tx, tenant, crate::search::Kind::Consultation, id.0).await
}

/// Keeps comments of the consultation out of any fold (a fold undone), or lets them fold
/// again.
///
/// # Errors
/// The database fails.
pub async fn set_kept_apart(
    tx: &mut Tx,
    tenant: TenantId,
    id: ConsultationId,
    comments: &[CommentId],
    apart: bool,
) -> StoreResult<()> {
    for comment in comments {
        with_tx!(tx, |c| {
            sqlx::query(
                "UPDATE consultation_comment SET kept_apart = $4 WHERE tenant_id = $1 AND consultation_id = $2 AND id = $3",
            )
            .bind(tenant)
            .bind(id)
            .bind(comment)
            .bind(apart)
            .execute(&mut *c)
            .await?;
        });
    }
    Ok(())
}

/// Removes a row of the result of a consultation of the tenant (its comments become
/// unanswered again).
///
/// # Errors
/// The database fails.
pub async fn delete_response(
    tx: &mut Tx,
    tenant: TenantId,
    id: ConsultationId,
    response: ResponseId,
) -> StoreResult<()> {
    // What the index holds of the consultation (its published comments and answers) may
    // change: it reads the consultation again.
    crate::search::store::changed(tx, tenant, crate::search::Kind::Consultation, id.0).await?;
    with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE consultation_comment SET response_id = NULL \
             WHERE tenant_id = $1 AND consultation_id = $2 AND response_id = $3",
        )
        .bind(tenant)
        .bind(id)
        .bind(response)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    with_tx!(tx, |c| {
        sqlx::query(
            "DELETE FROM consultation_response WHERE id = $3 AND consultation_id = \
             (SELECT id FROM consultation WHERE tenant_id = $1 AND id = $2)",
        )
        .bind(tenant)
        .bind(id)
        .bind(response)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(())
}

/// The rows of the result, by paragraph.
///
/// # Errors
/// The database fails.
pub async fn responses(db: &Db, tenant: TenantId, id: ConsultationId) -> StoreResult<Vec<super::Response>> {
    let rows: Vec<(ResponseId, i64, String, String, bool, String)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT r.id, r.paragraph, r.summary, r.response, r.changed, r.change_reason FROM consultation_response r \
             JOIN consultation c ON c.id = r.consultation_id AND c.tenant_id = $1 WHERE r.consultation_id = $2 \
             ORDER BY r.paragraph, r.id",
        )
        .bind(tenant)
        .bind(id)
        .fetch_all(p)
        .await?
    });
    let answered: Vec<(ResponseId, CommentId)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT response_id, id FROM consultation_comment WHERE tenant_id = $1 AND consultation_id = $2 \
             AND response_id IS NOT NULL AND status = 'published' ORDER BY id",
        )
        .bind(tenant)
        .bind(id)
        .fetch_all(p)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(rid, paragraph, summary, response, changed, change_reason)| super::Response {
            id: rid,
            paragraph,
            summary,
            response,
            changed,
            change_reason,
            comments: answered.iter().filter(|(r, _)| *r == rid).map(|(_, c)| *c).collect(),
        })
        .collect())
}

/// Publishes the result, naming the roadmap version (its number) that took the comments
/// into account; returns `false`, changing nothing, while the window is still open.
///
/// # Errors
/// [`StoreError::NotFound`] when the lab has no such version.
pub async fn publish_result(tx: &mut Tx, tenant: TenantId, c: &Consultation, version: i64) -> StoreResult<bool> {
    // What the index holds of the consultation (its published comments and answers) may
    // change: it reads the consultation again.
    crate::search::store::changed(tx, tenant, crate::search::Kind::Consultation, c.id.0).await?;
    let version = crate::roadmap::store::id_in(tx, tenant, c.lab_id, version).await?;
    let now = now();
    let n = with_tx!(tx, |k| {
        sqlx::query(
            "UPDATE consultation SET result_version_id = $3, result_published_at = $4 \
             WHERE tenant_id = $1 AND id = $2 AND closes_at <= $4 AND result_published_at IS NULL",
        )
        .bind(tenant)
        .bind(c.id)
        .bind(version)
        .bind(now)
        .execute(&mut *k)
        .await?
        .rows_affected()
    });
    Ok(n > 0)
}

/// The groups the lab keeps for a consultation.
///
/// # Errors
/// The database fails.
pub async fn groups(db: &Db, tenant: TenantId, id: ConsultationId) -> StoreResult<Vec<super::KeptGroup>> {
    let rows: Vec<(super::GroupId, i64, String)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT id, paragraph, label FROM consultation_group WHERE tenant_id = $1 AND consultation_id = $2 ORDER BY id",
        )
        .bind(tenant)
        .bind(id)
        .fetch_all(p)
        .await?
    });
    Ok(rows.into_iter().map(|(id, paragraph, label)| super::KeptGroup { id, paragraph, label }).collect())
}

/// Keeps a new group on a paragraph.
///
/// # Errors
/// The database fails.
pub async fn insert_group(
    tx: &mut Tx,
    tenant: TenantId,
    id: ConsultationId,
    paragraph: i64,
    label: &str,
) -> StoreResult<super::GroupId> {
    Ok(with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO consultation_group (tenant_id, consultation_id, paragraph, label, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(tenant)
        .bind(id)
        .bind(paragraph)
        .bind(label)
        .bind(now())
        .fetch_one(&mut *c)
        .await?
    }))
}

/// Puts comments of the consultation into one of its groups.
///
/// # Errors
/// The database fails.
pub async fn set_group(
    tx: &mut Tx,
    tenant: TenantId,
    id: ConsultationId,
    comments: &[CommentId],
    group: super::GroupId,
) -> StoreResult<()> {
    for comment in comments {
        with_tx!(tx, |c| {
            sqlx::query(
                "UPDATE consultation_comment SET group_id = $4 WHERE tenant_id = $1 AND consultation_id = $2 AND id = $3 \
                 AND $4 IN (SELECT id FROM consultation_group WHERE tenant_id = $1 AND consultation_id = $2)",
            )
            .bind(tenant)
            .bind(id)
            .bind(comment)
            .bind(group)
            .execute(&mut *c)
            .await?;
        });
    }
    Ok(())
}

/// Renames a group of the consultation.
///
/// # Errors
/// The database fails.
pub async fn rename_group(
    tx: &mut Tx,
    tenant: TenantId,
    id: ConsultationId,
    group: super::GroupId,
    label: &str,
) -> StoreResult<()> {
    with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE consultation_group SET label = $4 WHERE tenant_id = $1 AND consultation_id = $2 AND id = $3",
        )
        .bind(tenant)
        .bind(id)
        .bind(group)
        .bind(label)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}

/// Drops the consultation's groups left with no comment.
///
/// # Errors
/// The database fails.
pub async fn delete_empty_groups(tx: &mut Tx, tenant: TenantId, id: ConsultationId) -> StoreResult<()> {
    with_tx!(tx, |c| {
        sqlx::query(
            "DELETE FROM consultation_group WHERE tenant_id = $1 AND consultation_id = $2 AND id NOT IN \
             (SELECT group_id FROM consultation_comment WHERE consultation_id = $2 AND group_id IS NOT NULL)",
        )
        .bind(tenant)
        .bind(id)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}

/// Who is told of the result for one comment: its author's account, or the address it
/// left; the row that answers it (none when outside the scope).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub account: Option<AccountId>,
    pub contact_email: String,
    pub response: Option<ResponseId>,
}

/// The published comments whose commenter can be told (signed, or with an address), read
/// in the transaction that publishes.
///
/// # Errors
/// The database fails.
pub async fn replies(tx: &mut Tx, tenant: TenantId, id: ConsultationId) -> StoreResult<Vec<Reply>> {
    let rows: Vec<(Option<AccountId>, String, Option<ResponseId>)> = with_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT author_account_id, contact_email, response_id FROM consultation_comment \
             WHERE tenant_id = $1 AND consultation_id = $2 AND status = 'published' \
             AND (author_account_id IS NOT NULL OR contact_email <> '') ORDER BY id",
        )
        .bind(tenant)
        .bind(id)
        .fetch_all(&mut *c)
        .await?
    });
    Ok(rows.into_iter().map(|(account, contact_email, response)| Reply { account, contact_email, response }).collect())
}

/// The rows of the result in their published order (by paragraph, then as drafted).
///
/// # Errors
/// The database fails.
pub async fn response_order(tx: &mut Tx, tenant: TenantId, id: ConsultationId) -> StoreResult<Vec<ResponseId>> {
    Ok(with_tx!(tx, |c| {
        sqlx::query_scalar(
            "SELECT r.id FROM consultation_response r JOIN consultation c ON c.id = r.consultation_id \
             WHERE c.tenant_id = $1 AND r.consultation_id = $2 ORDER BY r.paragraph, r.id",
        )
        .bind(tenant)
        .bind(id)
        .fetch_all(&mut *c)
        .await?
    }))
}

/// A consultation comment a member signed: (consultation, its lab's theme, paragraph,
/// body, status, written at).
pub type CommentOfAccount = (ConsultationId, String, i64, String, Status, DateTime<Utc>);

/// The consultation comments a member signed, newest first, for their マイページ and their
/// data export (comments posted without a name keep no link to anyone and cannot be
/// listed).
///
/// # Errors
/// The database fails.
pub async fn comments_of_account(db: &Db, tenant: TenantId, account: AccountId) -> StoreResult<Vec<CommentOfAccount>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT cc.consultation_id, l.title, cc.paragraph, cc.body, cc.status, cc.created_at \
             FROM consultation_comment cc JOIN consultation c ON c.id = cc.consultation_id AND c.tenant_id = cc.tenant_id \
             JOIN lab l ON l.id = c.lab_id AND l.tenant_id = c.tenant_id \
             WHERE cc.tenant_id = $1 AND cc.author_account_id = $2 ORDER BY cc.id DESC",
        )
        .bind(tenant)
        .bind(account)
        .fetch_all(p)
        .await?
    }))
}

/// The consultation comments a member signed, for their data export.
///
/// # Errors
/// The database fails.
pub async fn personal_data(db: &Db, tenant: TenantId, account: AccountId) -> StoreResult<serde_json::Value> {
    let mut rows = comments_of_account(db, tenant, account).await?;
    rows.reverse();
    Ok(serde_json::json!(
        rows.iter()
            .map(|(c, _, paragraph, body, status, at)| serde_json::json!({
                "consultation": c, "paragraph": paragraph, "body": body, "status": status.code(), "created_at": at
            }))
            .collect::<Vec<_>>()
    ))
}

/// The accounts that commented on a consultation of the tenant in `[start, end)` (for the
/// network's people active in several programs).
///
/// # Errors
/// The database fails.
pub async fn accounts_between(
    db: &Db,
    tenant: TenantId,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> StoreResult<Vec<AccountId>> {
    let rows: Vec<(AccountId,)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT DISTINCT author_account_id FROM consultation_comment WHERE tenant_id = $1 \
             AND created_at >= $2 AND created_at < $3 AND author_account_id IS NOT NULL",
        )
        .bind(tenant)
        .bind(start)
        .bind(end)
        .fetch_all(p)
        .await?
    });
    Ok(rows.into_iter().map(|(a,)| a).collect())
}

/// A consultation that opened, as news: id, the lab's title and when it closes.
pub type ConsultationNews = (ConsultationId, String, DateTime<Utc>);

/// Claims the consultations that opened since the last look (each once, by one
/// instance) and returns those that opened within the last day and are still open: one
/// that opened long ago (before mail existed, or while no instance ran) is claimed
/// without being news.
///
/// # Errors
/// The database fails.
pub async fn claim_news(tx: &mut Tx, tenant: TenantId, now: DateTime<Utc>) -> StoreResult<Vec<ConsultationNews>> {
    let ids: Vec<(ConsultationId,)> = with_tx!(tx, |c| {
        sqlx::query_as(
            "UPDATE consultation SET announced_at = $2 WHERE tenant_id = $1 AND announced_at IS NULL \
             AND opens_at <= $2 RETURNING id",
        )
        .bind(tenant)
        .bind(now)
        .fetch_all(&mut *c)
        .await?
    });
    let mut news = Vec::new();
    for (id,) in ids {
        let (id, title, closes_at, opens_at): (ConsultationId, String, DateTime<Utc>, DateTime<Utc>) =
            with_tx!(tx, |c| {
                sqlx::query_as(
                    "SELECT c.id, l.title, c.closes_at, c.opens_at FROM consultation c JOIN lab l ON l.id = c.lab_id \
                 WHERE c.tenant_id = $1 AND c.id = $2",
                )
                .bind(tenant)
                .bind(id)
                .fetch_one(&mut *c)
                .await?
            });
        if closes_at > now && opens_at > now - chrono::TimeDelta::days(1) {
            news.push((id, title, closes_at));
        }
    }
    Ok(news)
}

/// The consultations that opened in [from, to), for digests.
///
/// # Errors
/// The database fails.
pub async fn news_between(
    tx: &mut Tx,
    tenant: TenantId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<ConsultationNews>> {
    Ok(with_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT c.id, l.title, c.closes_at FROM consultation c JOIN lab l ON l.id = c.lab_id \
             WHERE c.tenant_id = $1 AND c.opens_at >= $2 AND c.opens_at < $3 \
             ORDER BY c.closes_at, c.id",
        )
        .bind(tenant)
        .bind(from)
        .bind(to)
        .fetch_all(&mut *c)
        .await?
    }))
}

/// The comments that left this address to be told of the result (comments received on
/// paper or at the venue, or on the page without an account), for the secretariat's
/// answer to a guest's request.
///
/// # Errors
/// The database fails.
pub async fn of_contact(db: &Db, tenant: TenantId, email: &str) -> StoreResult<serde_json::Value> {
    let rows: Vec<(ConsultationId, i64, String, DateTime<Utc>)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT consultation_id, paragraph, body, created_at FROM consultation_comment \
             WHERE tenant_id = $1 AND contact_email = $2 ORDER BY id",
        )
        .bind(tenant)
        .bind(email)
        .fetch_all(p)
        .await?
    });
    Ok(serde_json::json!(
        rows.iter()
            .map(|(c, paragraph, body, at)| serde_json::json!({
                "consultation": c, "paragraph": paragraph, "body": body, "created_at": at
            }))
            .collect::<Vec<_>>()
    ))
}

/// Forgets the address comments left to be told of the result (the comments stay, as
/// anyone's); how many lost it.
///
/// # Errors
/// The database fails.
pub async fn forget_contact(tx: &mut Tx, tenant: TenantId, email: &str) -> StoreResult<u64> {
    Ok(with_tx!(tx, |c| {
        sqlx::query("UPDATE consultation_comment SET contact_email = '' WHERE tenant_id = $1 AND contact_email = $2")
            .bind(tenant)
            .bind(email)
            .execute(&mut *c)
            .await?
            .rows_affected()
    }))
}

/// Moves the address comments left to a corrected one.
///
/// # Errors
/// The database fails.
pub async fn move_contact(tx: &mut Tx, tenant: TenantId, from: &str, to: &str) -> StoreResult<u64> {
    Ok(with_tx!(tx, |c| {
        sqlx::query("UPDATE consultation_comment SET contact_email = $3 WHERE tenant_id = $1 AND contact_email = $2")
            .bind(tenant)
            .bind(from)
            .bind(to)
            .execute(&mut *c)
            .await?
            .rows_affected()
    }))
}

/// Forgets the addresses comments left once they have served: the result was published
/// before `published_before`, or the consultation closed before `closed_before` and
/// nothing was published. How many comments lost theirs.
///
/// # Errors
/// The database fails.
pub async fn forget_contacts_served(
    tx: &mut Tx,
    tenant: TenantId,
    published_before: DateTime<Utc>,
    closed_before: DateTime<Utc>,
) -> StoreResult<u64> {
    Ok(with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE consultation_comment SET contact_email = '' WHERE tenant_id = $1 AND contact_email <> '' \
             AND consultation_id IN (SELECT id FROM consultation WHERE tenant_id = $1 \
                 AND (result_published_at < $2 OR (result_published_at IS NULL AND closes_at < $3)))",
        )
        .bind(tenant)
        .bind(published_before)
        .bind(closed_before)
        .execute(&mut *c)
        .await?
        .rows_affected()
    }))
}
