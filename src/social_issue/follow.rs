//! Following a social issue: members who follow one are told when it moves to a new
//! stage, gets a comment, or a lab or session takes it up.

use super::SocialIssueId;
use crate::account::AccountId;
use crate::db::{Db, StoreResult, now};
use crate::notification::{self, Message, Notifier, Recipient};
use crate::tenant::TenantId;
use crate::with_db;

/// Whether the account follows the issue.
///
/// # Errors
/// The database fails.
pub async fn follows(db: &Db, issue: SocialIssueId, account: AccountId) -> StoreResult<bool> {
    let (n,): (i64,) = with_db!(db, |p| {
        sqlx::query_as("SELECT COUNT(*) FROM social_issue_follow WHERE issue_id = $1 AND account_id = $2")
            .bind(issue)
            .bind(account)
            .fetch_one(p)
            .await?
    });
    Ok(n > 0)
}

/// Starts following, or stops; returns whether the account now follows.
///
/// # Errors
/// The database fails.
pub async fn toggle(db: &Db, issue: SocialIssueId, account: AccountId) -> StoreResult<bool> {
    let _turn = db.write_turn().await;
    let removed = with_db!(db, |p| {
        sqlx::query("DELETE FROM social_issue_follow WHERE issue_id = $1 AND account_id = $2")
            .bind(issue)
            .bind(account)
            .execute(p)
            .await?
            .rows_affected()
    });
    if removed > 0 {
        return Ok(false);
    }
    insert(db, issue, account).await?;
    Ok(true)
}

/// Makes the account follow the issue (the author of an issue follows it).
///
/// # Errors
/// The database fails.
pub async fn follow(db: &Db, issue: SocialIssueId, account: AccountId) -> StoreResult<()> {
    let _turn = db.write_turn().await;
    insert(db, issue, account).await
}

/// The row that says the account follows the issue (the caller holds the write turn).
async fn insert(db: &Db, issue: SocialIssueId, account: AccountId) -> StoreResult<()> {
    with_db!(db, |p| {
        sqlx::query(
            "INSERT INTO social_issue_follow (issue_id, account_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(issue)
        .bind(account)
        .bind(now())
        .execute(p)
        .await?
        .rows_affected()
    });
    Ok(())
}

/// The issue's followers, except `except` (who caused the news).
///
/// # Errors
/// The database fails.
pub async fn followers(db: &Db, issue: SocialIssueId, except: Option<AccountId>) -> StoreResult<Vec<Recipient>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT a.id, a.email FROM social_issue_follow f JOIN account a ON a.id = f.account_id \
             WHERE f.issue_id = $1 AND ($2 IS NULL OR a.id <> $2) ORDER BY a.id",
        )
        .bind(issue)
        .bind(except)
        .fetch_all(p)
        .await?
    }))
}

/// Tells the issue's followers (but not `by`, who did it) some news about it.
///
/// # Errors
/// The database fails.
pub async fn notify(
    notifier: &Notifier,
    tenant: TenantId,
    issue: SocialIssueId,
    by: Option<AccountId>,
    message_id: &'static str,
    link: &str,
) -> StoreResult<()> {
    let subject = super::store::get(&notifier.db, tenant, issue).await?;
    let recipients = followers(&notifier.db, issue, by).await?;
    notification::send(notifier, recipients, Message { tenant, id: message_id, subject: &subject.title, link }).await
}
