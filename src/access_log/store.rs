//! All SQL about the access log: the only module that writes `access_log`: it inserts,
//! and deletes lines past their retention (the database refuses anything else).

use super::{Action, Entry};
use crate::account::AccountId;
use crate::db::{Db, StoreResult, Tx, now};
use crate::tenant::TenantId;
use crate::{with_db, with_tx};
use chrono::{DateTime, Utc};

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
    db.write(async |tx| append(tx, tenant, who, action, subject, address).await).await
}

/// Appends a line in the caller's transaction.
///
/// # Errors
/// The database fails.
pub async fn append(
    tx: &mut Tx,
    tenant: TenantId,
    who: Option<AccountId>,
    action: Action,
    subject: &str,
    address: &str,
) -> StoreResult<()> {
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
}

/// Deletes the lines older than `before` (the retention's purge; the database refuses
/// to delete a line younger than a year); how many.
///
/// # Errors
/// The database fails, or refuses.
pub async fn delete_before(tx: &mut Tx, tenant: TenantId, before: DateTime<Utc>) -> StoreResult<u64> {
    Ok(with_tx!(tx, |c| {
        sqlx::query("DELETE FROM access_log WHERE tenant_id = $1 AND at < $2")
            .bind(tenant)
            .bind(before)
            .execute(&mut *c)
            .await?
            .rows_affected()
    }))
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
