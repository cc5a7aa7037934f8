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

/// The account's notifications, newest first.
///
/// # Errors
/// The database fails.
pub async fn list(db: &Db, tenant: TenantId, account: AccountId, limit: i64) -> StoreResult<Vec<Notification>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: NotificationId,
        message_id: String,
        subject: String,
        link: String,
        created_at: DateTime<Utc>,
        read_at: Option<DateTime<Utc>>,
    }
    let rows: Vec<Row> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT id, message_id, subject, link, created_at, read_at FROM notification \
             WHERE tenant_id = $1 AND account_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3",
        )
        .bind(tenant)
        .bind(account)
        .bind(limit)
        .fetch_all(p)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|r| Notification {
            id: r.id,
            message_id: r.message_id,
            subject: r.subject,
            link: r.link,
            created_at: r.created_at,
            read: r.read_at.is_some(),
        })
        .collect())
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
