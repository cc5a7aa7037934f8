//! Following a social issue: members who follow one are told when it moves to a new
//! stage, gets a comment, or a lab or session takes it up. The only module that writes
//! `social_issue_follow`.

use super::SocialIssueId;
use crate::account::AccountId;
use crate::db::{Db, StoreResult, Tx, now};
use crate::notification::{self, Message, Notifier, Recipient};
use crate::tenant::TenantId;
use crate::{with_db, with_tx};

/// Whether the account follows the issue.
///
/// # Errors
/// The database fails.
pub async fn follows(db: &Db, tenant: TenantId, issue: SocialIssueId, account: AccountId) -> StoreResult<bool> {
    let (n,): (i64,) = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT COUNT(*) FROM social_issue_follow f JOIN social_issue i ON i.id = f.issue_id \
             WHERE i.tenant_id = $1 AND f.issue_id = $2 AND f.account_id = $3",
        )
        .bind(tenant)
        .bind(issue)
        .bind(account)
        .fetch_one(p)
        .await?
    });
    Ok(n > 0)
}

/// Starts following an issue of the tenant, or stops; returns whether the account now
/// follows.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] for another tenant's issue.
pub async fn toggle(db: &Db, tenant: TenantId, issue: SocialIssueId, account: AccountId) -> StoreResult<bool> {
    db.write(async |tx| {
        let removed = with_tx!(tx, |c| {
            sqlx::query(
                "DELETE FROM social_issue_follow WHERE account_id = $3 AND issue_id = \
                 (SELECT id FROM social_issue WHERE tenant_id = $1 AND id = $2)",
            )
            .bind(tenant)
            .bind(issue)
            .bind(account)
            .execute(&mut *c)
            .await?
            .rows_affected()
        });
        if removed > 0 {
            return Ok(false);
        }
        follow(tx, tenant, issue, account).await?;
        Ok(true)
    })
    .await
}

/// Makes the account follow an issue of the tenant (the author of an issue follows it).
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] for another tenant's issue.
pub async fn follow(tx: &mut Tx, tenant: TenantId, issue: SocialIssueId, account: AccountId) -> StoreResult<()> {
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO social_issue_follow (issue_id, account_id, created_at) \
             SELECT id, $3, $4 FROM social_issue WHERE tenant_id = $1 AND id = $2 ON CONFLICT DO NOTHING",
        )
        .bind(tenant)
        .bind(issue)
        .bind(account)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if n == 0 && !crate::social_issue::store::exists_in(tx, tenant, issue).await? {
        return Err(crate::db::StoreError::NotFound);
    }
    Ok(())
}

/// The issue's followers, except `except` (who caused the news).
///
/// # Errors
/// The database fails.
pub async fn followers(
    db: &Db,
    tenant: TenantId,
    issue: SocialIssueId,
    except: Option<AccountId>,
) -> StoreResult<Vec<Recipient>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT a.id, a.email FROM social_issue_follow f JOIN account a ON a.id = f.account_id \
             WHERE a.tenant_id = $1 AND f.issue_id = $2 AND ($3 IS NULL OR a.id <> $3) ORDER BY a.id",
        )
        .bind(tenant)
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
    let recipients = followers(&notifier.db, tenant, issue, by).await?;
    notification::send(notifier, recipients, Message { tenant, id: message_id, subject: &subject.title, link }).await
}
