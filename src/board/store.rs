//! All SQL about the board: the only module that writes `board_post` and
//! `board_reaction`. Every function takes the tenant first; a reaction is found through a
//! post of the tenant.

use chrono::{DateTime, Utc};

use super::{Audience, Category, Post, PostDraft, PostId};
use crate::account::AccountId;
use crate::db::{Db, StoreError, StoreResult, Tx, now};
use crate::event::EventId;
use crate::moderation::Status;
use crate::tenant::TenantId;
use crate::{with_db, with_tx};

#[derive(sqlx::FromRow)]
struct Row {
    id: PostId,
    tenant_id: TenantId,
    author_account_id: Option<AccountId>,
    author: Option<String>,
    category: Category,
    audience: Audience,
    title: String,
    body: String,
    body_html: String,
    event_id: Option<EventId>,
    pinned: bool,
    status: Status,
    hidden_reason: String,
    reactions: i64,
    created_at: DateTime<Utc>,
}

impl From<Row> for Post {
    fn from(r: Row) -> Post {
        Post {
            id: r.id,
            tenant_id: r.tenant_id,
            author_id: r.author_account_id,
            author: r.author.unwrap_or_default(),
            category: r.category,
            audience: r.audience,
            title: r.title,
            body: r.body,
            body_html: r.body_html,
            event_id: r.event_id,
            pinned: r.pinned,
            status: r.status,
            hidden_reason: r.hidden_reason,
            reactions: r.reactions,
            created_at: r.created_at,
        }
    }
}

macro_rules! select {
    ($where:expr) => {
        concat!(
            "SELECT b.id, b.tenant_id, b.author_account_id, a.display_name AS author, b.category, b.audience, b.title, \
             b.body, b.body_html, b.event_id, b.pinned, b.status, b.hidden_reason, \
             (SELECT COUNT(*) FROM board_reaction r WHERE r.post_id = b.id) AS reactions, b.created_at \
             FROM board_post b LEFT JOIN account a ON a.id = b.author_account_id WHERE ",
            $where
        )
    };
}

/// Checks that the session a post announces is one of the tenant's public ones.
async fn check_event(tx: &mut Tx, tenant: TenantId, event: Option<EventId>) -> StoreResult<()> {
    match event {
        Some(id) if !crate::event::store::get_in(tx, tenant, id).await?.visible_to(false) => Err(StoreError::NotFound),
        _ => Ok(()),
    }
}

/// Posts, published at once (signed by a member).
///
/// # Errors
/// [`StoreError::NotFound`] when the session announced is not the tenant's or not public.
pub async fn insert(tx: &mut Tx, tenant: TenantId, d: &PostDraft, by: AccountId) -> StoreResult<PostId> {
    check_event(tx, tenant, d.event_id).await?;
    let now = now();
    let id = with_tx!(tx, |c| {
        sqlx::query_as::<_, (PostId,)>(
            "INSERT INTO board_post (tenant_id, author_account_id, category, audience, title, body, body_html, event_id, \
             status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'published', $9, $9) RETURNING id",
        )
        .bind(tenant)
        .bind(by)
        .bind(d.category)
        .bind(d.audience)
        .bind(&d.title)
        .bind(&d.body)
        .bind(crate::markdown::render_markdown(&d.body))
        .bind(d.event_id)
        .bind(now)
        .fetch_one(&mut *c)
        .await?
        .0
    });
    crate::search::store::changed(tx, tenant, crate::search::Kind::Post, id.0).await?;
    Ok(id)
}

/// Changes a post's text, category, audience and session.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's post or session.
pub async fn update(tx: &mut Tx, tenant: TenantId, id: PostId, d: &PostDraft) -> StoreResult<()> {
    check_event(tx, tenant, d.event_id).await?;
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE board_post SET category = $3, audience = $4, title = $5, body = $6, body_html = $7, event_id = $8, \
             updated_at = $9 WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant)
        .bind(id)
        .bind(d.category)
        .bind(d.audience)
        .bind(&d.title)
        .bind(&d.body)
        .bind(crate::markdown::render_markdown(&d.body))
        .bind(d.event_id)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    crate::search::store::changed(tx, tenant, crate::search::Kind::Post, id.0).await
}

/// The post with this id in this tenant, whatever its status.
///
/// # Errors
/// [`StoreError::NotFound`], also for another tenant's id.
pub async fn get(db: &Db, tenant: TenantId, id: PostId) -> StoreResult<Post> {
    const SQL: &str = select!("b.tenant_id = $1 AND b.id = $2");
    Ok(with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(id).fetch_one(p).await?).into())
}

/// The same, inside a change.
///
/// # Errors
/// [`StoreError::NotFound`], also for another tenant's id.
pub async fn get_in(tx: &mut Tx, tenant: TenantId, id: PostId) -> StoreResult<Post> {
    const SQL: &str = select!("b.tenant_id = $1 AND b.id = $2");
    Ok(with_tx!(tx, |c| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(id).fetch_one(&mut *c).await?).into())
}

/// The published posts a reader may read (members' posts too when `member`), of one
/// category or all: pinned first, then the newest.
///
/// # Errors
/// The database fails.
pub async fn list(
    db: &Db,
    tenant: TenantId,
    member: bool,
    category: Option<Category>,
    limit: i64,
    offset: i64,
) -> StoreResult<Vec<Post>> {
    const SQL: &str = select!(
        "b.tenant_id = $1 AND b.status = 'published' AND (b.audience = 'public' OR $2) \
         AND ($3 IS NULL OR b.category = $3) ORDER BY b.pinned DESC, b.created_at DESC, b.id DESC LIMIT $4 OFFSET $5"
    );
    let rows = with_db!(db, |p| {
        sqlx::query_as::<_, Row>(SQL)
            .bind(tenant)
            .bind(member)
            .bind(category)
            .bind(limit)
            .bind(offset)
            .fetch_all(p)
            .await?
    });
    Ok(rows.into_iter().map(Into::into).collect())
}

/// How many posts [`list`] has in all, for its pages.
///
/// # Errors
/// The database fails.
pub async fn count(db: &Db, tenant: TenantId, member: bool, category: Option<Category>) -> StoreResult<i64> {
    Ok(with_db!(db, |p| {
        sqlx::query_as::<_, (i64,)>(
            "SELECT COUNT(*) FROM board_post b WHERE b.tenant_id = $1 AND b.status = 'published' \
             AND (b.audience = 'public' OR $2) AND ($3 IS NULL OR b.category = $3)",
        )
        .bind(tenant)
        .bind(member)
        .bind(category)
        .fetch_one(p)
        .await?
        .0
    }))
}

/// Pins or unpins a post.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's post.
pub async fn set_pinned(tx: &mut Tx, tenant: TenantId, id: PostId, pinned: bool) -> StoreResult<()> {
    let n = with_tx!(tx, |c| {
        sqlx::query("UPDATE board_post SET pinned = $3 WHERE tenant_id = $1 AND id = $2")
            .bind(tenant)
            .bind(id)
            .bind(pinned)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// A moderator's decision on a post.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's post.
pub async fn set_status(tx: &mut Tx, tenant: TenantId, id: PostId, status: Status, reason: &str) -> StoreResult<()> {
    let n = with_tx!(tx, |c| {
        sqlx::query("UPDATE board_post SET status = $3, hidden_reason = $4 WHERE tenant_id = $1 AND id = $2")
            .bind(tenant)
            .bind(id)
            .bind(status)
            .bind(reason)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    crate::search::store::changed(tx, tenant, crate::search::Kind::Post, id.0).await
}

/// Whether the account marked the post useful.
///
/// # Errors
/// The database fails.
pub async fn reacted(db: &Db, tenant: TenantId, id: PostId, account: AccountId) -> StoreResult<bool> {
    let n: (i64,) = with_db!(db, |p| {
        sqlx::query_as("SELECT COUNT(*) FROM board_reaction WHERE tenant_id = $1 AND post_id = $2 AND account_id = $3")
            .bind(tenant)
            .bind(id)
            .bind(account)
            .fetch_one(p)
            .await?
    });
    Ok(n.0 > 0)
}

/// Marks the post useful for the account, or takes the mark back. Returns whether it is
/// marked now.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's post.
pub async fn toggle_reaction(tx: &mut Tx, tenant: TenantId, id: PostId, account: AccountId) -> StoreResult<bool> {
    let removed = with_tx!(tx, |c| {
        sqlx::query("DELETE FROM board_reaction WHERE tenant_id = $1 AND post_id = $2 AND account_id = $3")
            .bind(tenant)
            .bind(id)
            .bind(account)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if removed > 0 {
        return Ok(false);
    }
    let added = with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO board_reaction (post_id, account_id, tenant_id, created_at) \
             SELECT b.id, a.id, b.tenant_id, $4 FROM board_post b JOIN account a ON a.tenant_id = b.tenant_id \
             WHERE b.tenant_id = $1 AND b.id = $2 AND a.id = $3 ON CONFLICT (post_id, account_id) DO NOTHING",
        )
        .bind(tenant)
        .bind(id)
        .bind(account)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if added == 0 { Err(StoreError::NotFound) } else { Ok(true) }
}

/// The posts an account wrote, for their export.
///
/// # Errors
/// The database fails.
pub async fn personal_data(db: &Db, tenant: TenantId, account: AccountId) -> StoreResult<serde_json::Value> {
    const SQL: &str = select!("b.tenant_id = $1 AND b.author_account_id = $2 ORDER BY b.created_at, b.id");
    let rows = with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(account).fetch_all(p).await?);
    let mut posts = Vec::with_capacity(rows.len());
    for r in rows {
        // The files by name and address (the bytes stay at the address, for the person to fetch).
        let files: Vec<serde_json::Value> = attachments(db, tenant, r.id)
            .await?
            .iter()
            .map(|a| serde_json::json!({"name": a.name, "url": a.url(r.id)}))
            .collect();
        posts.push(serde_json::json!({
            "post": r.id.0, "title": r.title, "body": r.body, "category": r.category.code(),
            "audience": r.audience.code(), "created_at": r.created_at, "attachments": files,
        }));
    }
    Ok(serde_json::Value::Array(posts))
}

/// A comment on a post, as shown.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Comment {
    pub id: i64,
    /// Its author's display name; `None` once their account is gone.
    pub author: Option<String>,
    pub body: String,
    pub status: Status,
    pub hidden_reason: String,
    pub created_at: DateTime<Utc>,
}

/// A member's comment on a published post of the tenant, published at once. `false` when
/// there is no such post.
///
/// # Errors
/// The database fails.
pub async fn insert_comment(
    tx: &mut Tx,
    tenant: TenantId,
    post: PostId,
    author: AccountId,
    body: &str,
) -> StoreResult<bool> {
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO board_comment (tenant_id, post_id, author_account_id, body, status, created_at) \
             SELECT $1, b.id, $3, $4, 'published', $5 FROM board_post b \
             WHERE b.tenant_id = $1 AND b.id = $2 AND b.status = 'published'",
        )
        .bind(tenant)
        .bind(post)
        .bind(author)
        .bind(body)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(n > 0)
}

/// A post's comments, oldest first: the published ones, and for the secretariat the
/// hidden ones too (to restore them).
///
/// # Errors
/// The database fails.
pub async fn comments(db: &Db, tenant: TenantId, post: PostId, hidden_too: bool) -> StoreResult<Vec<Comment>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT k.id, a.display_name AS author, k.body, k.status, k.hidden_reason, k.created_at FROM board_comment k \
             LEFT JOIN account a ON a.id = k.author_account_id WHERE k.tenant_id = $1 AND k.post_id = $2 \
             AND (k.status = 'published' OR $3) ORDER BY k.created_at, k.id",
        )
        .bind(tenant)
        .bind(post)
        .bind(hidden_too)
        .fetch_all(p)
        .await?
    }))
}

/// A moderator's decision on a comment; returns its post.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's comment.
pub async fn set_comment_status(
    tx: &mut Tx,
    tenant: TenantId,
    id: i64,
    status: Status,
    reason: &str,
) -> StoreResult<PostId> {
    let (post,): (PostId,) = with_tx!(tx, |c| {
        sqlx::query_as(
            "UPDATE board_comment SET status = $3, hidden_reason = $4 WHERE tenant_id = $1 AND id = $2 RETURNING post_id",
        )
        .bind(tenant)
        .bind(id)
        .bind(status)
        .bind(reason)
        .fetch_one(&mut *c)
        .await?
    });
    Ok(post)
}

/// The post of a published comment (what a reader may report).
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's comment or one not published.
pub async fn published_comment_post(tx: &mut Tx, tenant: TenantId, id: i64) -> StoreResult<PostId> {
    let (post,): (PostId,) = with_tx!(tx, |c| {
        sqlx::query_as("SELECT post_id FROM board_comment WHERE tenant_id = $1 AND id = $2 AND status = 'published'")
            .bind(tenant)
            .bind(id)
            .fetch_one(&mut *c)
            .await?
    });
    Ok(post)
}

/// How many posts the tenant's board received in `[start, end)`, whatever became of them
/// since (for the annual report).
///
/// # Errors
/// The database fails.
pub async fn count_between(db: &Db, tenant: TenantId, start: DateTime<Utc>, end: DateTime<Utc>) -> StoreResult<i64> {
    Ok(with_db!(db, |p| {
        sqlx::query_as::<_, (i64,)>(
            "SELECT COUNT(*) FROM board_post WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3",
        )
        .bind(tenant)
        .bind(start)
        .bind(end)
        .fetch_one(p)
        .await?
        .0
    }))
}

/// The accounts that posted or commented on the board in `[start, end)` (for the
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
            "SELECT author_account_id FROM board_post WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3 \
             AND author_account_id IS NOT NULL \
             UNION SELECT author_account_id FROM board_comment WHERE tenant_id = $1 AND created_at >= $2 \
             AND created_at < $3 AND author_account_id IS NOT NULL",
        )
        .bind(tenant)
        .bind(start)
        .bind(end)
        .fetch_all(p)
        .await?
    });
    Ok(rows.into_iter().map(|(a,)| a).collect())
}

/// The post of a comment of the tenant, if any (to check who may read it before a report).
///
/// # Errors
/// The database fails.
pub async fn find_comment_post(db: &Db, tenant: TenantId, id: i64) -> StoreResult<Option<PostId>> {
    let row: Option<(PostId,)> = with_db!(db, |p| {
        sqlx::query_as("SELECT post_id FROM board_comment WHERE tenant_id = $1 AND id = $2")
            .bind(tenant)
            .bind(id)
            .fetch_optional(p)
            .await?
    });
    Ok(row.map(|(p,)| p))
}

/// The account's comments on the board, for their export.
///
/// # Errors
/// The database fails.
pub async fn comments_of(db: &Db, tenant: TenantId, account: AccountId) -> StoreResult<serde_json::Value> {
    let rows: Vec<(i64, PostId, String, DateTime<Utc>)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT id, post_id, body, created_at FROM board_comment WHERE tenant_id = $1 AND author_account_id = $2 \
             ORDER BY created_at, id",
        )
        .bind(tenant)
        .bind(account)
        .fetch_all(p)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(id, post, body, at)| serde_json::json!({"comment": id, "post": post.0, "body": body, "created_at": at}))
        .collect())
}

/// A published post as news: id, category, title and author.
pub type PostNews = (PostId, Category, String, Option<AccountId>);

/// Claims the posts published since the last look (each is claimed once, by one
/// instance), for the mails sent at once.
///
/// # Errors
/// The database fails.
pub async fn claim_news(tx: &mut Tx, tenant: TenantId, now: DateTime<Utc>) -> StoreResult<Vec<PostNews>> {
    Ok(with_tx!(tx, |c| {
        sqlx::query_as(
            "UPDATE board_post SET announced_at = $2 WHERE tenant_id = $1 AND status = 'published' \
             AND announced_at IS NULL RETURNING id, category, title, author_account_id",
        )
        .bind(tenant)
        .bind(now)
        .fetch_all(&mut *c)
        .await?
    }))
}

/// The posts announced in [from, to) and still published, oldest first, for digests.
///
/// # Errors
/// The database fails.
pub async fn news_between(
    tx: &mut Tx,
    tenant: TenantId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<PostNews>> {
    Ok(with_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT id, category, title, author_account_id FROM board_post WHERE tenant_id = $1 \
             AND status = 'published' AND announced_at >= $2 AND announced_at < $3 ORDER BY announced_at, id",
        )
        .bind(tenant)
        .bind(from)
        .bind(to)
        .fetch_all(&mut *c)
        .await?
    }))
}

/// A file attached to a post.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Attachment {
    pub file_id: crate::file::FileId,
    pub name: String,
    pub kind: crate::file::Kind,
    pub size: i64,
}

impl Attachment {
    /// Where it is served: at its post, to those who may read the post.
    pub fn url(&self, post: PostId) -> String {
        format!("/board/{}/files/{}/{}", post.0, self.file_id.0, self.name)
    }

    /// Its size in kilobytes, rounded up, for the list.
    pub fn kilobytes(&self) -> i64 {
        (self.size + 1023) / 1024
    }
}

/// The post's attachments, in the order they were added.
///
/// # Errors
/// The database fails.
pub async fn attachments(db: &Db, tenant: TenantId, post: PostId) -> StoreResult<Vec<Attachment>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT f.id AS file_id, f.name, f.kind, f.size FROM board_attachment a JOIN file f ON f.id = a.file_id \
             WHERE a.tenant_id = $1 AND a.post_id = $2 ORDER BY a.created_at, f.id",
        )
        .bind(tenant)
        .bind(post)
        .fetch_all(p)
        .await?
    }))
}

/// Locks the post's row until the transaction ends (PostgreSQL; SQLite has one writer):
/// attaching and taking off files of one post happen one after the other.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's post.
pub async fn lock(tx: &mut Tx, tenant: TenantId, post: PostId) -> StoreResult<()> {
    let found: Option<(PostId,)> = match tx {
        Tx::Sqlite(c) => {
            sqlx::query_as("SELECT id FROM board_post WHERE tenant_id = $1 AND id = $2")
                .bind(tenant)
                .bind(post)
                .fetch_optional(&mut **c)
                .await?
        }
        Tx::Postgres(c) => {
            sqlx::query_as("SELECT id FROM board_post WHERE tenant_id = $1 AND id = $2 FOR UPDATE")
                .bind(tenant)
                .bind(post)
                .fetch_optional(&mut **c)
                .await?
        }
    };
    found.map(|_| ()).ok_or(StoreError::NotFound)
}

/// How many files are attached to the post.
///
/// # Errors
/// The database fails.
pub async fn count_attachments(tx: &mut Tx, tenant: TenantId, post: PostId) -> StoreResult<i64> {
    Ok(with_tx!(tx, |c| {
        sqlx::query_scalar("SELECT COUNT(*) FROM board_attachment WHERE tenant_id = $1 AND post_id = $2")
            .bind(tenant)
            .bind(post)
            .fetch_one(&mut *c)
            .await?
    }))
}

/// Attaches a kept file to the post (once).
///
/// # Errors
/// The database fails.
pub async fn insert_attachment(
    tx: &mut Tx,
    tenant: TenantId,
    post: PostId,
    file: crate::file::FileId,
) -> StoreResult<()> {
    with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO board_attachment (post_id, file_id, tenant_id, created_at) \
             SELECT id, $3, tenant_id, $4 FROM board_post WHERE tenant_id = $1 AND id = $2 \
             ON CONFLICT (post_id, file_id) DO NOTHING",
        )
        .bind(tenant)
        .bind(post)
        .bind(file)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(())
}

/// Takes a file off the post; whether it was attached.
///
/// # Errors
/// The database fails.
pub async fn delete_attachment(
    tx: &mut Tx,
    tenant: TenantId,
    post: PostId,
    file: crate::file::FileId,
) -> StoreResult<bool> {
    let n = with_tx!(tx, |c| {
        sqlx::query("DELETE FROM board_attachment WHERE tenant_id = $1 AND post_id = $2 AND file_id = $3")
            .bind(tenant)
            .bind(post)
            .bind(file)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    Ok(n > 0)
}
