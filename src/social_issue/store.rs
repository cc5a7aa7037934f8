//! All SQL about social issues, their supporters, stage history and moderation log.

use chrono::{DateTime, Utc};

use super::{NewIssue, SocialIssue, SocialIssueId, Stage, Status};
use crate::account::AccountId;
use crate::db::{Db, StoreError, StoreResult, now};
use crate::tenant::TenantId;
use crate::with_db;

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
    status: String,
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
            status: Status::from_code(&r.status).unwrap_or(Status::Hidden),
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
    db: &Db,
    tenant: TenantId,
    new: &NewIssue,
    author: Option<AccountId>,
) -> StoreResult<SocialIssueId> {
    let status = if author.is_some() { Status::Published } else { Status::Pending };
    let now = now();
    let _turn = db.write_turn().await;
    Ok(with_db!(db, |p| {
        sqlx::query_as::<_, (SocialIssueId,)>(
            "INSERT INTO social_issue (tenant_id, title, description, description_html, tags, place, \
             author_account_id, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
        )
        .bind(tenant)
        .bind(&new.title)
        .bind(&new.description)
        .bind(crate::event::render_markdown(&new.description))
        .bind(new.tags.join(","))
        .bind(&new.place)
        .bind(author)
        .bind(status.code())
        .bind(now)
        .fetch_one(p)
        .await?
        .0
    }))
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

/// Issues with this status, newest first.
///
/// # Errors
/// The database fails.
pub async fn list(db: &Db, tenant: TenantId, status: Status, limit: i64) -> StoreResult<Vec<SocialIssue>> {
    const SQL: &str = select!("i.tenant_id = $1 AND i.status = $2 ORDER BY i.created_at DESC, i.id DESC LIMIT $3");
    let rows = with_db!(db, |p| sqlx::query_as::<_, Row>(SQL)
        .bind(tenant)
        .bind(status.code())
        .bind(limit)
        .fetch_all(p)
        .await?);
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Whether the account supports the issue.
///
/// # Errors
/// The database fails.
pub async fn supports(db: &Db, id: SocialIssueId, account: AccountId) -> StoreResult<bool> {
    let (n,): (i64,) = with_db!(db, |p| {
        sqlx::query_as("SELECT COUNT(*) FROM social_issue_support WHERE issue_id = $1 AND account_id = $2")
            .bind(id)
            .bind(account)
            .fetch_one(p)
            .await?
    });
    Ok(n > 0)
}

/// Adds or withdraws the account's support ("me too"); returns whether it now supports.
///
/// # Errors
/// [`StoreError::NotFound`] unless the issue is published in this tenant.
pub async fn toggle_support(db: &Db, tenant: TenantId, id: SocialIssueId, account: AccountId) -> StoreResult<bool> {
    let issue = get(db, tenant, id).await?;
    if issue.status != Status::Published {
        return Err(StoreError::NotFound);
    }
    let _turn = db.write_turn().await;
    let removed = with_db!(db, |p| {
        sqlx::query("DELETE FROM social_issue_support WHERE issue_id = $1 AND account_id = $2")
            .bind(id)
            .bind(account)
            .execute(p)
            .await?
            .rows_affected()
    });
    if removed > 0 {
        return Ok(false);
    }
    with_db!(db, |p| {
        sqlx::query(
            "INSERT INTO social_issue_support (issue_id, account_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(account)
        .bind(now())
        .execute(p)
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
    db: &Db,
    tenant: TenantId,
    id: SocialIssueId,
    stage: Stage,
    note: &str,
    by: AccountId,
) -> StoreResult<()> {
    let now = now();
    let _turn = db.write_turn().await;
    with_db!(db, |p| {
        let mut tx = p.begin().await?;
        let n = sqlx::query("UPDATE social_issue SET stage = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2")
            .bind(tenant)
            .bind(id)
            .bind(stage.0)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("INSERT INTO social_issue_stage (issue_id, stage, note, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(stage.0)
            .bind(note)
            .bind(by)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    })
}

/// One step of an issue's stage history: (stage, note, who, when).
pub type StageEntry = (Stage, String, Option<String>, DateTime<Utc>);

/// One line of the moderation log: (subject, id, action, reason, who, when).
pub type LogEntry = (String, i64, String, String, Option<String>, DateTime<Utc>);

/// The stage history, oldest first.
///
/// # Errors
/// The database fails.
pub async fn stage_history(
    db: &Db,
    id: SocialIssueId,
) -> StoreResult<Vec<(Stage, String, Option<String>, DateTime<Utc>)>> {
    let rows: Vec<(i64, String, Option<String>, DateTime<Utc>)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT h.stage, h.note, a.display_name, h.changed_at FROM social_issue_stage h \
             LEFT JOIN account a ON a.id = h.changed_by WHERE h.issue_id = $1 ORDER BY h.changed_at, h.id",
        )
        .bind(id)
        .fetch_all(p)
        .await?
    });
    Ok(rows.into_iter().map(|(s, n, w, t)| (Stage(s), n, w, t)).collect())
}

/// A moderation step: approve, hide (with a reason), restore, or a reader's report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moderation {
    Reported,
    Approved,
    Hidden,
    Restored,
}

impl Moderation {
    pub fn code(self) -> &'static str {
        match self {
            Moderation::Reported => "reported",
            Moderation::Approved => "approved",
            Moderation::Hidden => "hidden",
            Moderation::Restored => "restored",
        }
    }

    /// The status the step leaves the post in; a report changes nothing.
    pub fn status(self) -> Option<Status> {
        match self {
            Moderation::Approved | Moderation::Restored => Some(Status::Published),
            Moderation::Hidden => Some(Status::Hidden),
            Moderation::Reported => None,
        }
    }
}

/// One line of the moderation log: tenant, subject (`social_issue`, `issue_comment`,
/// `consultation_comment`), its id, the step, the reason, who, when.
const LOG_MODERATION: &str = "INSERT INTO moderation_log \
     (tenant_id, subject, subject_id, action, reason, actor_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// Applies a moderation step and writes it to the audit log in one transaction.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's id.
pub async fn moderate(
    db: &Db,
    tenant: TenantId,
    id: SocialIssueId,
    action: Moderation,
    reason: &str,
    actor: Option<AccountId>,
) -> StoreResult<()> {
    let now = now();
    let status = action.status();
    let _turn = db.write_turn().await;
    with_db!(db, |p| {
        let mut tx = p.begin().await?;
        let (exists,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM social_issue WHERE tenant_id = $1 AND id = $2")
            .bind(tenant)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        if exists == 0 {
            return Err(StoreError::NotFound);
        }
        if let Some(status) = status {
            let hidden_reason = if status == Status::Hidden { reason } else { "" };
            sqlx::query(
                "UPDATE social_issue SET status = $3, hidden_reason = $4, updated_at = $5 WHERE tenant_id = $1 AND id = $2",
            )
            .bind(tenant)
            .bind(id)
            .bind(status.code())
            .bind(hidden_reason)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(LOG_MODERATION)
            .bind(tenant)
            .bind("social_issue")
            .bind(id)
            .bind(action.code())
            .bind(reason)
            .bind(actor)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    })
}

/// The audit log of the tenant's moderation, newest first: (issue, action, reason, who, when).
///
/// # Errors
/// The database fails.
pub async fn moderation_log(db: &Db, tenant: TenantId, limit: i64) -> StoreResult<Vec<LogEntry>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT m.subject, m.subject_id, m.action, m.reason, a.display_name, m.created_at FROM moderation_log m \
             LEFT JOIN account a ON a.id = m.actor_id WHERE m.tenant_id = $1 ORDER BY m.created_at DESC, m.id DESC LIMIT $2",
        )
        .bind(tenant)
        .bind(limit)
        .fetch_all(p)
        .await?
    }))
}

/// A comment on an issue.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Comment {
    pub id: i64,
    pub issue_id: SocialIssueId,
    /// The member who wrote it; `None` for a visitor.
    pub author: Option<String>,
    pub body: String,
    pub status: String,
    pub hidden_reason: String,
    pub created_at: DateTime<Utc>,
}

/// Adds a comment to a published issue: shown at once when a member writes it, else
/// waiting for approval.
///
/// # Errors
/// [`StoreError::NotFound`] unless the issue is published in this tenant.
pub async fn insert_comment(
    db: &Db,
    tenant: TenantId,
    issue: SocialIssueId,
    author: Option<AccountId>,
    body: &str,
) -> StoreResult<Status> {
    if get(db, tenant, issue).await?.status != Status::Published {
        return Err(StoreError::NotFound);
    }
    let status = if author.is_some() { Status::Published } else { Status::Pending };
    let _turn = db.write_turn().await;
    with_db!(db, |p| {
        sqlx::query(
            "INSERT INTO issue_comment (tenant_id, issue_id, author_account_id, body, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(tenant)
        .bind(issue)
        .bind(author)
        .bind(body)
        .bind(status.code())
        .bind(now())
        .execute(p)
        .await?
        .rows_affected()
    });
    Ok(status)
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
        .bind(status.code())
        .bind(issue)
        .fetch_all(p)
        .await?
    }))
}

/// Where a comment lives: on a local issue or on a consultation's paragraph. Each has
/// its table; moderation works the same on both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentKind {
    Issue,
    Consultation,
}

impl CommentKind {
    /// Selects what the comment is on (`$1` tenant, `$2` comment).
    fn parent_sql(self) -> &'static str {
        match self {
            CommentKind::Issue => "SELECT issue_id FROM issue_comment WHERE tenant_id = $1 AND id = $2",
            CommentKind::Consultation => {
                "SELECT consultation_id FROM consultation_comment WHERE tenant_id = $1 AND id = $2"
            }
        }
    }

    /// Sets status (`$3`) and reason (`$4`).
    fn status_sql(self) -> &'static str {
        match self {
            CommentKind::Issue => {
                "UPDATE issue_comment SET status = $3, hidden_reason = $4 WHERE tenant_id = $1 AND id = $2"
            }
            CommentKind::Consultation => {
                "UPDATE consultation_comment SET status = $3, hidden_reason = $4 WHERE tenant_id = $1 AND id = $2"
            }
        }
    }

    /// What the moderation log calls such a comment.
    fn log_subject(self) -> &'static str {
        match self {
            CommentKind::Issue => "issue_comment",
            CommentKind::Consultation => "consultation_comment",
        }
    }
}

/// Applies a moderation step to a comment and logs it, in one transaction; returns the
/// id of what it comments on (the issue or the consultation).
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's comment.
pub async fn moderate_comment(
    db: &Db,
    kind: CommentKind,
    tenant: TenantId,
    id: i64,
    step: (Moderation, &str),
    actor: Option<AccountId>,
) -> StoreResult<i64> {
    let (action, reason) = step;
    let now = now();
    let status = action.status();
    let _turn = db.write_turn().await;
    with_db!(db, |p| {
        let mut tx = p.begin().await?;
        let parent: Option<(i64,)> =
            sqlx::query_as(kind.parent_sql()).bind(tenant).bind(id).fetch_optional(&mut *tx).await?;
        let (parent,) = parent.ok_or(StoreError::NotFound)?;
        if let Some(status) = status {
            sqlx::query(kind.status_sql())
                .bind(tenant)
                .bind(id)
                .bind(status.code())
                .bind(if status == Status::Hidden { reason } else { "" })
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(LOG_MODERATION)
            .bind(tenant)
            .bind(kind.log_subject())
            .bind(id)
            .bind(action.code())
            .bind(reason)
            .bind(actor)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(parent)
    })
}

/// What the platform keeps of one member's part in local issues, for their data export:
/// issues they brought (signed), supported, follow, and comments they signed.
///
/// # Errors
/// The database fails.
pub async fn personal_data(db: &Db, account: AccountId) -> StoreResult<serde_json::Value> {
    let brought: Vec<(SocialIssueId, String, DateTime<Utc>)> = with_db!(db, |p| {
        sqlx::query_as("SELECT id, title, created_at FROM social_issue WHERE author_account_id = $1 ORDER BY id")
            .bind(account)
            .fetch_all(p)
            .await?
    });
    let supported: Vec<(SocialIssueId,)> = with_db!(db, |p| {
        sqlx::query_as("SELECT issue_id FROM social_issue_support WHERE account_id = $1 ORDER BY issue_id")
            .bind(account)
            .fetch_all(p)
            .await?
    });
    let following: Vec<(SocialIssueId,)> = with_db!(db, |p| {
        sqlx::query_as("SELECT issue_id FROM social_issue_follow WHERE account_id = $1 ORDER BY issue_id")
            .bind(account)
            .fetch_all(p)
            .await?
    });
    let comments: Vec<(SocialIssueId, String, String, DateTime<Utc>)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT issue_id, body, status, created_at FROM issue_comment WHERE author_account_id = $1 ORDER BY id",
        )
        .bind(account)
        .fetch_all(p)
        .await?
    });
    Ok(serde_json::json!({
        "brought": brought.iter().map(|(id, title, at)| serde_json::json!({"issue": id, "title": title, "created_at": at})).collect::<Vec<_>>(),
        "supported": supported.iter().map(|(id,)| id).collect::<Vec<_>>(),
        "following": following.iter().map(|(id,)| id).collect::<Vec<_>>(),
        "comments": comments.iter().map(|(id, body, status, at)| serde_json::json!({"issue": id, "body": body, "status": status, "created_at": at})).collect::<Vec<_>>(),
    }))
}
