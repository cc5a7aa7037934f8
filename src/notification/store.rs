//! All SQL about notifications: the only module that writes `notification`. Every
//! function takes the tenant first.

use chrono::{DateTime, Utc};

use super::{Message, Notification, NotificationId};
use crate::account::AccountId;
use crate::db::{Db, StoreResult, Tx, now};
use crate::tenant::TenantId;
use crate::{with_db, with_tx};

/// Records `message` for each account.
///
/// # Errors
/// The database fails.
pub async fn insert(tx: &mut Tx, tenant: TenantId, accounts: &[AccountId], message: &Message<'_>) -> StoreResult<()> {
    let now = now();
    for account in accounts {
        with_tx!(tx, |c| {
            sqlx::query(
                "INSERT INTO notification (tenant_id, account_id, message_id, subject, link, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(tenant)
            .bind(account)
            .bind(message.id)
            .bind(message.subject)
            .bind(message.link)
            .bind(now)
            .execute(&mut *c)
            .await?
            .rows_affected()
        });
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    id: NotificationId,
    account_id: AccountId,
    message_id: String,
    subject: String,
    link: String,
    created_at: DateTime<Utc>,
    read_at: Option<DateTime<Utc>>,
}

impl Row {
    fn into_pair(self) -> (AccountId, Notification) {
        let n = Notification {
            id: self.id,
            message_id: self.message_id,
            subject: self.subject,
            link: self.link,
            created_at: self.created_at,
            read: self.read_at.is_some(),
        };
        (self.account_id, n)
    }
}

/// Claims the notifications not yet looked at for mail (each once, by one instance), for
/// the mails sent at once.
///
/// # Errors
/// The database fails.
pub async fn claim_unmailed(
    tx: &mut Tx,
    tenant: TenantId,
    now: DateTime<Utc>,
) -> StoreResult<Vec<(AccountId, Notification)>> {
    let rows: Vec<Row> = with_tx!(tx, |c| {
        sqlx::query_as(
            "UPDATE notification SET mailed_at = $2 WHERE tenant_id = $1 AND mailed_at IS NULL \
             RETURNING id, account_id, message_id, subject, link, created_at, read_at",
        )
        .bind(tenant)
        .bind(now)
        .fetch_all(&mut *c)
        .await?
    });
    Ok(rows.into_iter().map(Row::into_pair).collect())
}

/// The notifications made in [from, to), oldest first, for digests.
///
/// # Errors
/// The database fails.
pub async fn between(
    tx: &mut Tx,
    tenant: TenantId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<(AccountId, Notification)>> {
    let rows: Vec<Row> = with_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT id, account_id, message_id, subject, link, created_at, read_at FROM notification \
             WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3 ORDER BY created_at, id",
        )
        .bind(tenant)
        .bind(from)
        .bind(to)
        .fetch_all(&mut *c)
        .await?
    });
    Ok(rows.into_iter().map(Row::into_pair).collect())
}

/// The account's notifications, newest first.
///
/// # Errors
/// The database fails.
pub async fn list(db: &Db, tenant: TenantId, account: AccountId, limit: i64) -> StoreResult<Vec<Notification>> {
    let rows: Vec<Row> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT id, account_id, message_id, subject, link, created_at, read_at FROM notification \
             WHERE tenant_id = $1 AND account_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3",
        )
        .bind(tenant)
        .bind(account)
        .bind(limit)
        .fetch_all(p)
        .await?
    });
    Ok(rows.into_iter().map(|r| r.into_pair().1).collect())
}

/// Marks all the account's notifications read.
///
/// # Errors
/// The database fails.
pub async fn mark_all_read(tx: &mut Tx, tenant: TenantId, account: AccountId) -> StoreResult<()> {
    with_tx!(tx, |c| {
        sqlx::query("UPDATE notification SET read_at = $3 WHERE tenant_id = $1 AND account_id = $2 AND read_at IS NULL")
            .bind(tenant)
            .bind(account)
            .bind(now())
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    Ok(())
}
