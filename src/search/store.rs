//! The change table every instance's index follows (`search_change`): written here only,
//! by the records' stores inside the transaction that changes a record, so a change is
//! seen by the index exactly when it is committed.

use super::Kind;
use crate::db::{Db, StoreResult, Tx};
use crate::tenant::TenantId;
use crate::{with_db, with_tx};

/// The PostgreSQL advisory lock that orders changes (any number, the same everywhere).
const CHANGE_LOCK: i64 = 0x5345_4152_4348;

/// The kind code that asks every index to rebuild itself.
const REBUILD: &str = "*";

/// One committed change: a record of a tenant to read again (or `None`: rebuild all).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    pub id: i64,
    pub record: Option<(TenantId, Kind, i64)>,
}

/// Notes, in the caller's transaction, that a record may have changed what the index
/// holds of it (created, edited, published, hidden, deleted).
///
/// # Errors
/// The database fails.
pub async fn changed(tx: &mut Tx, tenant: TenantId, kind: Kind, record: i64) -> StoreResult<()> {
    insert(tx, tenant.0, kind.code(), record).await
}

/// Asks every instance's index to rebuild itself from the database.
///
/// # Errors
/// The database fails.
pub async fn request_rebuild(db: &Db) -> StoreResult<()> {
    db.write(async |tx| insert(tx, 0, REBUILD, 0).await).await
}

async fn insert(tx: &mut Tx, tenant: i64, kind: &str, record: i64) -> StoreResult<()> {
    // On PostgreSQL an id is taken when the row is written, not when it is committed: the
    // lock (held to the commit) makes the two orders one, so an index that has read up to
    // an id never misses a smaller one committed later. SQLite has one writer.
    if let Tx::Postgres(t) = tx {
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(CHANGE_LOCK).execute(&mut **t).await?;
    }
    with_tx!(tx, |c| {
        sqlx::query("INSERT INTO search_change (tenant_id, kind, record_id) VALUES ($1, $2, $3)")
            .bind(tenant)
            .bind(kind)
            .bind(record)
            .execute(&mut *c)
            .await?;
    });
    Ok(())
}

/// The last change committed (0 for none).
///
/// # Errors
/// The database fails.
pub async fn last(db: &Db) -> StoreResult<i64> {
    Ok(with_db!(db, |pool| {
        sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(id) FROM search_change").fetch_one(pool).await?
    })
    .unwrap_or(0))
}

/// Up to `limit` changes after `after`, in order. A change of a kind this program does
/// not know asks for a rebuild (a newer instance's record).
///
/// # Errors
/// The database fails.
pub async fn after(db: &Db, after: i64, limit: i64) -> StoreResult<Vec<Change>> {
    let rows: Vec<(i64, i64, String, i64)> = with_db!(db, |pool| {
        sqlx::query_as("SELECT id, tenant_id, kind, record_id FROM search_change WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after)
            .bind(limit)
            .fetch_all(pool)
            .await?
    });
    Ok(rows
        .into_iter()
        .map(|(id, tenant, kind, record)| Change {
            id,
            record: Kind::from_code(&kind).map(|k| (TenantId(tenant), k, record)),
        })
        .collect())
}
