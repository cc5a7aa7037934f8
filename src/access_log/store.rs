//! All SQL about the access log: the only module that writes `access_log`, and only
//! inserts (the database refuses anything else).

use super::{Action, Entry};
use crate::account::AccountId;
use crate::db::{Db, StoreResult, now};
use crate::tenant::TenantId;
use crate::{with_db, with_tx};

/// Appends a line.
///
/// # Errors
/// The database fails.
pub async fn record(
    db: &Db,
    tenant: TenantId,
    who: Option<AccountId>,
    action: Action,
    subject: &str,
    address: &str,
) -> StoreResult<()> {
    db.write(async |tx| {
        with_tx!(tx, |c| {
            sqlx::query(
                "INSERT INTO access_log (tenant_id, at, account_id, action, subject, address) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(tenant)
            .bind(now())
            .bind(who)
            .bind(action)
            .bind(subject)
            .bind(address)
            .execute(&mut *c)
            .await?
            .rows_affected()
        });
        Ok(())
    })
    .await
}

/// The newest `limit` lines of the tenant's log, newest first, of one action or all.
///
/// # Errors
/// The database fails.
pub async fn recent(db: &Db, tenant: TenantId, action: Option<Action>, limit: i64) -> StoreResult<Vec<Entry>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT l.at, l.account_id, a.display_name AS account_name, l.action, l.subject, l.address \
             FROM access_log l LEFT JOIN account a ON a.id = l.account_id AND a.tenant_id = l.tenant_id \
             WHERE l.tenant_id = $1 AND ($2 IS NULL OR l.action = $2) ORDER BY l.at DESC, l.id DESC LIMIT $3",
        )
        .bind(tenant)
        .bind(action)
        .bind(limit)
        .fetch_all(p)
        .await?
    }))
}
