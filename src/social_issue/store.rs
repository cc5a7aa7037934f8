//! All SQL about social issues, their supporters, stage history and comments: the only
//! module that writes `social_issue`, `social_issue_support`, `social_issue_stage` and
//! `issue_comment`. Every function takes the tenant first.

use chrono::{DateTime, Utc};

use super::{CommentId, NewIssue, SocialIssue, SocialIssueId, Stage, Status};
use crate::account::AccountId;
use crate::db::{Db, StoreError, StoreResult, Tx, now};
use crate::tenant::TenantId;
use crate::{with_db, with_tx};

#[derive(sqlx::FromRow)]
struct Row {
    id: SocialIssueId,
    tenant_id: TenantId,
    title: String,
    description: String,
    description_html: String,
    tags: String,
    place: String,
    author: Option<String>,
    status: Status,
    hidden_reason: String,
    stage: i64,
    supporters: i64,
    created_at: DateTime<Utc>,
}

macro_rules! select {
    ($where:expr) => {
        concat!(
            "SELECT i.id, i.tenant_id, i.title, i.description, i.description_html, i.tags, i.place, \
             a.display_name AS author, i.status, i.hidden_reason, i.stage, \
             (SELECT COUNT(*) FROM social_issue_support s WHERE s.issue_id = i.id) AS supporters, i.created_at \
             FROM social_issue i LEFT JOIN account a ON a.id = i.author_account_id WHERE ",
            $where
        )
    };
}

impl From<Row> for SocialIssue {
    fn from(r: Row) -> SocialIssue {
        SocialIssue {
            id: r.id,
            tenant_id: r.tenant_id,
            title: r.title,
            description: r.description,
            description_html: r.description_html,
            tags: r.tags.split(',').filter(|t| !t.is_empty()).map(str::to_owned).collect(),
            place: r.place,
            author: r.author,
            status: r.status,
            hidden_reason: r.hidden_reason,
            stage: Stage(r.stage),
            supporters: r.supporters,
            created_at: r.created_at,
        }
    }
}

/// Records a new issue: published at once when a member signs it, else pending.
///
/// # Errors
/// The database fails.
pub async fn insert(
    tx: &mut Tx,
    tenant: TenantId,
    new: &NewIssue,
    author: Option<AccountId>,
) -> StoreResult<SocialIssueId> {
    let status = Status::of_new_post(author.is_some());
    let now = now();
    let id = with_tx!(tx, |c| {
        sqlx::query_as::<_, (SocialIssueId,)>(
            "INSERT INTO social_issue (tenant_id, title, description, description_html, tags, place, \
             author_account_id, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
        )
        .bind(tenant)
        .bind(&new.title)
        .bind(&new.description)
        .bind(crate::markdown::render_markdown(&new.description))
        .bind(new.tags.join(","))
        .bind(&new.place)
        .bind(author)
        .bind(status)
        .bind(now)
        .fetch_one(&mut *c)
        .await?
        .0
    });
    crate::search::store::changed(tx, tenant, crate::search::Kind::Issue, id.0).await?;
    Ok(id)
}

/// The issue with this id in this tenant.
///
/// # Errors
/// [`StoreError::NotFound`], also for another tenant's id.
pub async fn get(db: &Db, tenant: TenantId, id: SocialIssueId) -> StoreResult<SocialIssue> {
    const SQL: &str = select!("i.tenant_id = $1 AND i.id = $2");
    let row = with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(id).fetch_one(p).await?);
    Ok(row.into())
}

/// The status of the issue with this id in this tenant, read in a write transaction.
///
/// # Errors
/// [`StoreError::NotFound`], also for another tenant's id.
pub async fn status_in(tx: &mut Tx, tenant: TenantId, id: SocialIssueId) -> StoreResult<Status> {
    let (status,): (Status,) = with_tx!(tx, |c| {
        sqlx::query_as("SELECT status FROM social_issue WHERE tenant_id = $1 AND id = $2")
            .bind(tenant)
            .bind(id)
            .fetch_one(&mut *c)
            .await?
    });
    Ok(status)
}

/// Whether the tenant has an issue with this id, read in a write transaction.
///
/// # Errors
/// The database fails.
pub async fn exists_in(tx: &mut Tx, tenant: TenantId, id: SocialIssueId) -> StoreResult<bool> {
    match status_in(tx, tenant, id).await {
        Ok(_) => Ok(true),
        Err(StoreError::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Issues with this status, newest first.
///
/// # Errors
/// The database fails.
pub async fn list(db: &Db, tenant: TenantId, status: Status, limit: i64) -> StoreResult<Vec<SocialIssue>> {
    const SQL: &str = select!("i.tenant_id = $1 AND i.status = $2 ORDER BY i.created_at DESC, i.id DESC LIMIT $3");
    let rows =
        with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(status).bind(limit).fetch_all(p).await?);
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Whether the account supports the issue.
///
/// # Errors
/// The database fails.
pub async fn supports(db: &Db, tenant: TenantId, id: SocialIssueId, account: AccountId) -> StoreResult<bool> {
    let (n,): (i64,) = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT COUNT(*) FROM social_issue_support s JOIN social_issue i ON i.id = s.issue_id \
             WHERE i.tenant_id = $1 AND s.issue_id = $2 AND s.account_id = $3",
        )
        .bind(tenant)
        .bind(id)
        .bind(account)
        .fetch_one(p)
        .await?
    });
    Ok(n > 0)
}

/// Adds or withdraws the account's support ("me too") of a published issue; returns
/// whether it now supports.
///
/// # Errors
/// [`StoreError::NotFound`] unless the issue is published in this tenant.
pub async fn toggle_support(tx: &mut Tx, tenant: TenantId, id: SocialIssueId, account: AccountId) -> StoreResult<bool> {
    if status_in(tx, tenant, id).await? != Status::Published {
        return Err(StoreError::NotFound);
    }
    let removed = with_tx!(tx, |c| {
        sqlx::query("DELETE FROM social_issue_support WHERE issue_id = $1 AND account_id = $2")
            .bind(id)
            .bind(account)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if removed > 0 {
        return Ok(false);
    }
    with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO social_issue_support (issue_id, account_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(account)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(true)
}

/// Moves the issue to a stage, keeping the history.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's id.
pub async fn set_stage(
    tx: &mut Tx,
    tenant: TenantId,
    id: SocialIssueId,
    stage: Stage,
    note: &str,
    by: AccountId,
) -> StoreResult<()> {
    let now = now();
    let n = with_tx!(tx, |c| {
        sqlx::query("UPDATE social_issue SET stage = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2")
            .bind(tenant)
            .bind(id)
            .bind(stage.0)
            .bind(now)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO social_issue_stage (issue_id, stage, note, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(stage.0)
        .bind(note)
        .bind(by)
        .bind(now)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(())
}

/// One step of an issue's stage history: (stage, note, who, when).
pub type StageEntry = (Stage, String, Option<String>, DateTime<Utc>);

/// The stage history, oldest first.
///
/// # Errors
/// The database fails.
pub async fn stage_history(db: &Db, tenant: TenantId, id: SocialIssueId) -> StoreResult<Vec<StageEntry>> {
    let rows: Vec<(i64, String, Option<String>, DateTime<Utc>)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT h.stage, h.note, a.display_name, h.changed_at FROM social_issue_stage h \
             JOIN social_issue i ON i.id = h.issue_id AND i.tenant_id = $1 \
             LEFT JOIN account a ON a.id = h.changed_by WHERE h.issue_id = $2 ORDER BY h.changed_at, h.id",
        )
        .bind(tenant)
        .bind(id)
        .fetch_all(p)
        .await?
    });
    Ok(rows.into_iter().map(|(s, n, w, t)| (Stage(s), n, w, t)).collect())
}

/// Sets the issue's status (a moderation step: see [`crate::moderation`]), keeping the
/// reason when it hides.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's id.
pub async fn set_status(
    tx: &mut Tx,
    tenant: TenantId,
    id: SocialIssueId,
    status: Status,
    hidden_reason: &str,
) -> StoreResult<()> {
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE social_issue SET status = $3, hidden_reason = $4, updated_at = $5 WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant)
        .bind(id)
        .bind(status)
        .bind(hidden_reason)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    crate::search::store::changed(tx, tenant, crate::search::Kind::Issue, id.0).await
}

/// A comment on an issue.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Comment {
    pub id: CommentId,
    pub issue_id: SocialIssueId,
    /// The member who wrote it; `None` for a visitor.
    pub author: Option<String>,
    pub body: String,
    pub status: Status,
    pub hidden_reason: String,
    pub created_at: DateTime<Utc>,
}

/// Adds a comment to a published issue: shown at once when a member writes it, else
/// waiting for approval. Returns its status, or `None`, writing nothing, unless the
/// issue is published in this tenant (checked in the statement that writes).
///
/// # Errors
/// The database fails.
pub async fn insert_comment(
    tx: &mut Tx,
    tenant: TenantId,
    issue: SocialIssueId,
    author: Option<AccountId>,
    body: &str,
) -> StoreResult<Option<Status>> {
    let status = Status::of_new_post(author.is_some());
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO issue_comment (tenant_id, issue_id, author_account_id, body, status, created_at) \
             SELECT $1, i.id, $3, $4, $5, $6 FROM social_issue i \
             WHERE i.tenant_id = $1 AND i.id = $2 AND i.status = 'published'",
        )
        .bind(tenant)
        .bind(issue)
        .bind(author)
        .bind(body)
        .bind(status)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok((n > 0).then_some(status))
}

/// Comments of the tenant with this status (of one issue, or of all), oldest first.
///
/// # Errors
/// The database fails.
pub async fn list_comments(
    db: &Db,
    tenant: TenantId,
    issue: Option<SocialIssueId>,
    status: Status,
) -> StoreResult<Vec<Comment>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as::<_, Comment>(
            "SELECT c.id, c.issue_id, a.display_name AS author, c.body, c.status, c.hidden_reason, c.created_at \
             FROM issue_comment c LEFT JOIN account a ON a.id = c.author_account_id \
             WHERE c.tenant_id = $1 AND c.status = $2 AND ($3 IS NULL OR c.issue_id = $3) ORDER BY c.created_at, c.id",
        )
        .bind(tenant)
        .bind(status)
        .bind(issue)
        .fetch_all(p)
        .await?
    }))
}

/// Sets a comment's status (a moderation step), with the reason when it hides; returns
/// the issue it is on.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's comment.
pub async fn set_comment_status(
    tx: &mut Tx,
    tenant: TenantId,
    id: CommentId,
    status: Status,
    hidden_reason: &str,
) -> StoreResult<SocialIssueId> {
    let (issue,): (SocialIssueId,) = with_tx!(tx, |c| {
        sqlx::query_as(
            "UPDATE issue_comment SET status = $3, hidden_reason = $4 WHERE tenant_id = $1 AND id = $2 RETURNING issue_id",
        )
        .bind(tenant)
        .bind(id)
        .bind(status)
        .bind(hidden_reason)
        .fetch_one(&mut *c)
        .await?
    });
    Ok(issue)
}

/// The issue a published comment is on, read in a write transaction; `None` for a
/// comment that is not published (or of another tenant).
///
/// # Errors
/// The database fails.
pub async fn published_comment_issue(
    tx: &mut Tx,
    tenant: TenantId,
    id: CommentId,
) -> StoreResult<Option<SocialIssueId>> {
    Ok(with_tx!(tx, |c| {
        sqlx::query_as::<_, (SocialIssueId,)>(
            "SELECT issue_id FROM issue_comment WHERE tenant_id = $1 AND id = $2 AND status = 'published'",
        )
        .bind(tenant)
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
    })
    .map(|(issue,)| issue))
}

/// One member's part in local issues: the issues they brought (signed), supported and
/// follow, and the comments they signed; for their マイページ and their data export.
#[derive(Clone, Debug, Default)]
pub struct OfAccount {
    /// (issue, title, status, brought at), newest first.
    pub brought: Vec<(SocialIssueId, String, Status, DateTime<Utc>)>,
    /// (issue, title, status) of the issues they support.
    pub supported: Vec<(SocialIssueId, String, Status)>,
    /// (issue, title, status) of the issues they follow.
    pub following: Vec<(SocialIssueId, String, Status)>,
    /// (issue, its title, body, status, written at), newest first.
    pub comments: Vec<(SocialIssueId, String, String, Status, DateTime<Utc>)>,
}

/// What [`OfAccount`] holds for this account.
///
/// # Errors
/// The database fails.
pub async fn of_account(db: &Db, tenant: TenantId, account: AccountId) -> StoreResult<OfAccount> {
    let brought = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT id, title, status, created_at FROM social_issue WHERE tenant_id = $1 AND author_account_id = $2 \
             ORDER BY created_at DESC, id DESC",
        )
        .bind(tenant)
        .bind(account)
        .fetch_all(p)
        .await?
    });
    let supported = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT i.id, i.title, i.status FROM social_issue_support s JOIN social_issue i ON i.id = s.issue_id \
             WHERE i.tenant_id = $1 AND s.account_id = $2 ORDER BY i.id DESC",
        )
        .bind(tenant)
        .bind(account)
        .fetch_all(p)
        .await?
    });
    let following = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT i.id, i.title, i.status FROM social_issue_follow f JOIN social_issue i ON i.id = f.issue_id \
             WHERE i.tenant_id = $1 AND f.account_id = $2 ORDER BY i.id DESC",
        )
        .bind(tenant)
        .bind(account)
        .fetch_all(p)
        .await?
    });
    let comments = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT c.issue_id, i.title, c.body, c.status, c.created_at FROM issue_comment c \
             JOIN social_issue i ON i.id = c.issue_id AND i.tenant_id = c.tenant_id \
             WHERE c.tenant_id = $1 AND c.author_account_id = $2 ORDER BY c.id DESC",
        )
        .bind(tenant)
        .bind(account)
        .fetch_all(p)
        .await?
    });
    Ok(OfAccount { brought, supported, following, comments })
}

/// What the platform keeps of one member's part in local issues, for their data export:
/// issues they brought (signed), supported, follow, and comments they signed.
///
/// # Errors
/// The database fails.
pub async fn personal_data(db: &Db, tenant: TenantId, account: AccountId) -> StoreResult<serde_json::Value> {
    let mine = of_account(db, tenant, account).await?;
    Ok(serde_json::json!({
        "brought": mine.brought.iter().map(|(id, title, _, at)| serde_json::json!({"issue": id, "title": title, "created_at": at})).collect::<Vec<_>>(),
        "supported": mine.supported.iter().map(|(id, ..)| id).collect::<Vec<_>>(),
        "following": mine.following.iter().map(|(id, ..)| id).collect::<Vec<_>>(),
        "comments": mine.comments.iter().map(|(id, _, body, status, at)| serde_json::json!({"issue": id, "body": body, "status": status.code(), "created_at": at})).collect::<Vec<_>>(),
    }))
}

/// Renders the tenant's stored issue descriptions again with today's renderer
/// ([`crate::markdown::render_stored_again`]).
///
/// # Errors
/// The database fails.
pub async fn render_markdown_again(tx: &mut Tx, tenant: TenantId) -> StoreResult<()> {
    crate::markdown::render_rows_again(
        tx,
        tenant,
        "SELECT id, description FROM social_issue WHERE tenant_id = $1",
        "UPDATE social_issue SET description_html = $3 WHERE tenant_id = $1 AND id = $2",
    )
    .await
}

/// The accounts that brought or supported an issue of the tenant in `[start, end)`, by
/// name (an issue brought anonymously has no account; for the network's people active in
/// several programs).
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
            "SELECT author_account_id FROM social_issue WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3 \
             AND author_account_id IS NOT NULL \
             UNION SELECT s.account_id FROM social_issue_support s JOIN social_issue i ON i.id = s.issue_id \
             WHERE i.tenant_id = $1 AND s.created_at >= $2 AND s.created_at < $3",
        )
        .bind(tenant)
        .bind(start)
        .bind(end)
        .fetch_all(p)
        .await?
    });
    Ok(rows.into_iter().map(|(a,)| a).collect())
}
