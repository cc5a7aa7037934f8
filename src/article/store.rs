//! All SQL about articles: the only module that writes `article`. Every function takes
//! the tenant first; a linked session, lab or issue must be the tenant's own.

use chrono::{DateTime, Utc};

use super::{Article, ArticleId, Category, Draft, Status};
use crate::account::AccountId;
use crate::db::{Db, StoreError, StoreResult, Tx, now};
use crate::tenant::TenantId;
use crate::{with_db, with_tx};

#[derive(sqlx::FromRow)]
struct Row {
    id: ArticleId,
    tenant_id: TenantId,
    title: String,
    body: String,
    body_html: String,
    category: Category,
    tags: String,
    status: Status,
    dated_at: DateTime<Utc>,
    author: Option<String>,
    event_id: Option<i64>,
    event_title: Option<String>,
    lab_id: Option<i64>,
    lab_title: Option<String>,
    social_issue_id: Option<i64>,
    issue_title: Option<String>,
}

macro_rules! select {
    ($where:expr) => {
        concat!(
            "SELECT r.id, r.tenant_id, r.title, r.body, r.body_html, r.category, r.tags, r.status, r.dated_at, \
             a.display_name AS author, e.id AS event_id, e.title AS event_title, l.id AS lab_id, \
             l.title AS lab_title, i.id AS social_issue_id, i.title AS issue_title \
             FROM article r LEFT JOIN account a ON a.id = r.author_account_id \
             LEFT JOIN event e ON e.id = r.event_id AND e.tenant_id = r.tenant_id \
             AND e.status <> 'draft' AND e.kind <> 'secretariat_meeting' \
             LEFT JOIN lab l ON l.id = r.lab_id AND l.tenant_id = r.tenant_id \
             LEFT JOIN social_issue i ON i.id = r.social_issue_id AND i.tenant_id = r.tenant_id \
             AND i.status = 'published' WHERE ",
            $where
        )
    };
}

impl From<Row> for Article {
    fn from(r: Row) -> Article {
        Article {
            id: r.id,
            tenant_id: r.tenant_id,
            title: r.title,
            body: r.body,
            body_html: r.body_html,
            category: r.category,
            tags: r.tags.split(',').filter(|t| !t.is_empty()).map(str::to_owned).collect(),
            status: r.status,
            dated_at: r.dated_at,
            author: r.author,
            event: r.event_id.map(crate::event::EventId).zip(r.event_title),
            lab: r.lab_id.map(crate::lab::LabId).zip(r.lab_title),
            issue: r.social_issue_id.map(crate::social_issue::SocialIssueId).zip(r.issue_title),
        }
    }
}

/// Whether the session, lab and issue a draft links to are the tenant's.
async fn check_links(tx: &mut Tx, tenant: TenantId, d: &Draft) -> StoreResult<()> {
    let (events, labs, issues): (i64, i64, i64) = with_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM event WHERE tenant_id = $1 AND id = $2), \
             (SELECT COUNT(*) FROM lab WHERE tenant_id = $1 AND id = $3), \
             (SELECT COUNT(*) FROM social_issue WHERE tenant_id = $1 AND id = $4)",
        )
        .bind(tenant)
        .bind(d.event_id.map(|e| e.0))
        .bind(d.lab_id.map(|l| l.0))
        .bind(d.social_issue_id.map(|i| i.0))
        .fetch_one(&mut *c)
        .await?
    });
    let fine = (d.event_id.is_none() || events == 1)
        && (d.lab_id.is_none() || labs == 1)
        && (d.social_issue_id.is_none() || issues == 1);
    if fine { Ok(()) } else { Err(StoreError::NotFound) }
}

/// Saves a new article; returns its id.
///
/// # Errors
/// [`StoreError::NotFound`] when a link is not the tenant's.
pub async fn insert(
    tx: &mut Tx,
    tenant: TenantId,
    d: &Draft,
    status: Status,
    author: Option<AccountId>,
    import_key: Option<&str>,
) -> StoreResult<ArticleId> {
    check_links(tx, tenant, d).await?;
    let now = now();
    let (id,): (ArticleId,) = with_tx!(tx, |c| {
        sqlx::query_as(
            "INSERT INTO article (tenant_id, title, body, body_html, category, tags, status, dated_at, \
             author_account_id, event_id, lab_id, social_issue_id, import_key, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
        )
        .bind(tenant)
        .bind(&d.title)
        .bind(&d.body)
        .bind(crate::markdown::render_markdown(&d.body))
        .bind(d.category)
        .bind(d.tags.join(","))
        .bind(status)
        .bind(d.dated_at)
        .bind(author)
        .bind(d.event_id.map(|e| e.0))
        .bind(d.lab_id.map(|l| l.0))
        .bind(d.social_issue_id.map(|i| i.0))
        .bind(import_key)
        .bind(now)
        .fetch_one(&mut *c)
        .await?
    });
    crate::search::store::changed(tx, tenant, crate::search::Kind::Article, id.0).await?;
    Ok(id)
}

/// Changes an article's text, links and status.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's article or link.
pub async fn update(tx: &mut Tx, tenant: TenantId, id: ArticleId, d: &Draft, status: Status) -> StoreResult<()> {
    check_links(tx, tenant, d).await?;
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE article SET title = $3, body = $4, body_html = $5, category = $6, tags = $7, status = $8, \
             dated_at = $9, event_id = $10, lab_id = $11, social_issue_id = $12, updated_at = $13 \
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant)
        .bind(id)
        .bind(&d.title)
        .bind(&d.body)
        .bind(crate::markdown::render_markdown(&d.body))
        .bind(d.category)
        .bind(d.tags.join(","))
        .bind(status)
        .bind(d.dated_at)
        .bind(d.event_id.map(|e| e.0))
        .bind(d.lab_id.map(|l| l.0))
        .bind(d.social_issue_id.map(|i| i.0))
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    crate::search::store::changed(tx, tenant, crate::search::Kind::Article, id.0).await
}

/// The article imported from `key` before, if any.
///
/// # Errors
/// The database fails.
pub async fn find_imported(tx: &mut Tx, tenant: TenantId, key: &str) -> StoreResult<Option<ArticleId>> {
    Ok(with_tx!(tx, |c| {
        sqlx::query_scalar("SELECT id FROM article WHERE tenant_id = $1 AND import_key = $2")
            .bind(tenant)
            .bind(key)
            .fetch_optional(&mut *c)
            .await?
    }))
}

/// Updates an imported article from its source again: its text, category, tags, date and
/// status; the links the secretariat gave it stay.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's article.
pub async fn update_imported(
    tx: &mut Tx,
    tenant: TenantId,
    id: ArticleId,
    d: &Draft,
    status: Status,
) -> StoreResult<()> {
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE article SET title = $3, body = $4, body_html = $5, category = $6, tags = $7, status = $8, \
             dated_at = $9, updated_at = $10 WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant)
        .bind(id)
        .bind(&d.title)
        .bind(&d.body)
        .bind(crate::markdown::render_markdown(&d.body))
        .bind(d.category)
        .bind(d.tags.join(","))
        .bind(status)
        .bind(d.dated_at)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    crate::search::store::changed(tx, tenant, crate::search::Kind::Article, id.0).await
}

/// The article with this id in this tenant.
///
/// # Errors
/// [`StoreError::NotFound`], also for another tenant's id.
pub async fn get(db: &Db, tenant: TenantId, id: ArticleId) -> StoreResult<Article> {
    const SQL: &str = select!("r.tenant_id = $1 AND r.id = $2");
    let row = with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(id).fetch_one(p).await?);
    Ok(row.into())
}

/// Published articles, newest first, of one category or all; `limit` from `offset`.
///
/// # Errors
/// The database fails.
pub async fn published(
    db: &Db,
    tenant: TenantId,
    category: Option<Category>,
    limit: i64,
    offset: i64,
) -> StoreResult<Vec<Article>> {
    const SQL: &str = select!(
        "r.tenant_id = $1 AND r.status = 'published' AND ($2 IS NULL OR r.category = $2) \
         ORDER BY r.dated_at DESC, r.id DESC LIMIT $3 OFFSET $4"
    );
    let rows = with_db!(db, |p| {
        sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(category).bind(limit).bind(offset).fetch_all(p).await?
    });
    Ok(rows.into_iter().map(Article::from).collect())
}

/// How many published articles there are, of one category or all.
///
/// # Errors
/// The database fails.
pub async fn published_count(db: &Db, tenant: TenantId, category: Option<Category>) -> StoreResult<i64> {
    Ok(with_db!(db, |p| {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM article WHERE tenant_id = $1 AND status = 'published' AND ($2 IS NULL OR category = $2)",
        )
        .bind(tenant)
        .bind(category)
        .fetch_one(p)
        .await?
    }))
}

/// Every article of the tenant, drafts too, newest first (for the secretariat).
///
/// # Errors
/// The database fails.
pub async fn all(db: &Db, tenant: TenantId) -> StoreResult<Vec<Article>> {
    const SQL: &str = select!("r.tenant_id = $1 ORDER BY r.dated_at DESC, r.id DESC");
    let rows = with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).fetch_all(p).await?);
    Ok(rows.into_iter().map(Article::from).collect())
}

/// An article as a session, lab or issue lists it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Linked {
    pub id: ArticleId,
    pub title: String,
    pub dated_at: DateTime<Utc>,
}

/// What an article can be linked to.
#[derive(Clone, Copy, Debug)]
pub enum Link {
    Event(crate::event::EventId),
    Lab(crate::lab::LabId),
    Issue(crate::social_issue::SocialIssueId),
}

/// The published articles linked to a session, lab or issue, newest first.
///
/// # Errors
/// The database fails.
pub async fn linked_to(db: &Db, tenant: TenantId, link: Link) -> StoreResult<Vec<Linked>> {
    const EVENT: &str = "SELECT id, title, dated_at FROM article WHERE tenant_id = $1 AND status = 'published' \
                         AND event_id = $2 ORDER BY dated_at DESC, id DESC";
    const LAB: &str = "SELECT id, title, dated_at FROM article WHERE tenant_id = $1 AND status = 'published' \
                       AND lab_id = $2 ORDER BY dated_at DESC, id DESC";
    const ISSUE: &str = "SELECT id, title, dated_at FROM article WHERE tenant_id = $1 AND status = 'published' \
                         AND social_issue_id = $2 ORDER BY dated_at DESC, id DESC";
    let (query, id) = match link {
        Link::Event(e) => (EVENT, e.0),
        Link::Lab(l) => (LAB, l.0),
        Link::Issue(i) => (ISSUE, i.0),
    };
    Ok(with_db!(db, |p| sqlx::query_as(query).bind(tenant).bind(id).fetch_all(p).await?))
}

/// A comment on an article.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Comment {
    pub id: i64,
    /// The member who wrote it; `None` for a visitor.
    pub author: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// Adds a comment to a published article: published at once when a member signs it, else
/// waiting for approval. `None` when there is no such published article.
///
/// # Errors
/// The database fails.
pub async fn insert_comment(
    tx: &mut Tx,
    tenant: TenantId,
    article: ArticleId,
    author: Option<AccountId>,
    body: &str,
) -> StoreResult<Option<crate::moderation::Status>> {
    let status = crate::moderation::Status::of_new_post(author.is_some());
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO article_comment (tenant_id, article_id, author_account_id, body, status, created_at) \
             SELECT $1, r.id, $3, $4, $5, $6 FROM article r \
             WHERE r.tenant_id = $1 AND r.id = $2 AND r.status = 'published'",
        )
        .bind(tenant)
        .bind(article)
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

/// An article's published comments, oldest first.
///
/// # Errors
/// The database fails.
pub async fn comments(db: &Db, tenant: TenantId, article: ArticleId) -> StoreResult<Vec<Comment>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT k.id, a.display_name AS author, k.body, k.created_at FROM article_comment k \
             LEFT JOIN account a ON a.id = k.author_account_id \
             WHERE k.tenant_id = $1 AND k.article_id = $2 AND k.status = 'published' ORDER BY k.created_at, k.id",
        )
        .bind(tenant)
        .bind(article)
        .fetch_all(p)
        .await?
    }))
}

/// Sets a comment's status (a moderator's step); returns its article.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's comment.
pub async fn set_comment_status(
    tx: &mut Tx,
    tenant: TenantId,
    id: i64,
    status: crate::moderation::Status,
    hidden_reason: &str,
) -> StoreResult<ArticleId> {
    let (article,): (ArticleId,) = with_tx!(tx, |c| {
        sqlx::query_as(
            "UPDATE article_comment SET status = $3, hidden_reason = $4 WHERE tenant_id = $1 AND id = $2 \
             RETURNING article_id",
        )
        .bind(tenant)
        .bind(id)
        .bind(status)
        .bind(hidden_reason)
        .fetch_one(&mut *c)
        .await?
    });
    Ok(article)
}

/// The article of a published comment on a published article (what a reader may see,
/// and so report).
///
/// # Errors
/// The database fails.
pub async fn published_comment_article(tx: &mut Tx, tenant: TenantId, id: i64) -> StoreResult<Option<ArticleId>> {
    Ok(with_tx!(tx, |c| {
        sqlx::query_scalar(
            "SELECT c.article_id FROM article_comment c \
             JOIN article a ON a.tenant_id = c.tenant_id AND a.id = c.article_id \
             WHERE c.tenant_id = $1 AND c.id = $2 AND c.status = 'published' AND a.status = 'published'",
        )
        .bind(tenant)
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
    }))
}
