//! All SQL about roadmap versions: the only module that writes `roadmap_version`. Every
//! function takes the tenant first: a version belongs to a lab of the tenant.

use chrono::{DateTime, Utc};

use super::{Version, VersionId};
use crate::account::AccountId;
use crate::db::{Db, StoreError, StoreResult, Tx, now};
use crate::lab::LabId;
use crate::tenant::TenantId;
use crate::{with_db, with_tx};

#[derive(sqlx::FromRow)]
struct Row {
    id: VersionId,
    lab_id: LabId,
    version: i64,
    body: String,
    note: String,
    author: Option<String>,
    created_at: DateTime<Utc>,
    withdrawn_at: Option<DateTime<Utc>>,
    withdrawn_note: String,
}

impl From<Row> for Version {
    fn from(r: Row) -> Version {
        Version {
            id: r.id,
            lab_id: r.lab_id,
            number: r.version,
            body: r.body,
            note: r.note,
            author: r.author,
            created_at: r.created_at,
            withdrawn_at: r.withdrawn_at,
            withdrawn_note: r.withdrawn_note,
        }
    }
}

/// `$1` is the tenant.
macro_rules! select {
    ($where:expr) => {
        concat!(
            "SELECT v.id, v.lab_id, v.version, v.body, v.note, a.display_name AS author, v.created_at, \
             v.withdrawn_at, v.withdrawn_note FROM roadmap_version v JOIN lab l ON l.id = v.lab_id AND l.tenant_id = $1 \
             LEFT JOIN account a ON a.id = v.created_by WHERE ",
            $where
        )
    };
}

/// Saves a new version of the roadmap of a lab of the tenant; returns its number.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's lab.
pub async fn insert(
    tx: &mut Tx,
    tenant: TenantId,
    lab: LabId,
    body: &str,
    note: &str,
    by: AccountId,
) -> StoreResult<i64> {
    let created: Option<(i64,)> = with_tx!(tx, |c| {
        sqlx::query_as(
            "INSERT INTO roadmap_version (lab_id, version, body, note, created_by, created_at) \
             SELECT l.id, (SELECT COALESCE(MAX(v.version), 0) + 1 FROM roadmap_version v WHERE v.lab_id = l.id), \
             $3, $4, $5, $6 FROM lab l WHERE l.tenant_id = $1 AND l.id = $2 RETURNING version",
        )
        .bind(tenant)
        .bind(lab)
        .bind(body)
        .bind(note)
        .bind(by)
        .bind(now())
        .fetch_optional(&mut *c)
        .await?
    });
    let (number,) = created.ok_or(StoreError::NotFound)?;
    crate::search::store::changed(tx, tenant, crate::search::Kind::Roadmap, lab.0).await?;
    Ok(number)
}

/// Version `number` of the roadmap of a lab of the tenant.
///
/// # Errors
/// [`StoreError::NotFound`] when there is no such version.
pub async fn get(db: &Db, tenant: TenantId, lab: LabId, number: i64) -> StoreResult<Version> {
    const SQL: &str = select!("v.lab_id = $2 AND v.version = $3");
    Ok(with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(lab).bind(number).fetch_one(p).await?).into())
}

/// The row id of version `number` of a lab's roadmap, read in a write transaction, unless
/// it was withdrawn (nobody consults on it or publishes it as a result any more).
///
/// # Errors
/// [`StoreError::NotFound`] when there is no such version, or it was withdrawn.
pub async fn id_in(tx: &mut Tx, tenant: TenantId, lab: LabId, number: i64) -> StoreResult<VersionId> {
    let (id,): (VersionId,) = with_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT v.id FROM roadmap_version v JOIN lab l ON l.id = v.lab_id AND l.tenant_id = $1 \
             WHERE v.lab_id = $2 AND v.version = $3 AND v.withdrawn_at IS NULL",
        )
        .bind(tenant)
        .bind(lab)
        .bind(number)
        .fetch_one(&mut *c)
        .await?
    });
    Ok(id)
}

/// The version with this row id, of a lab of the tenant.
///
/// # Errors
/// [`StoreError::NotFound`] when there is no such version.
pub async fn get_by_id(db: &Db, tenant: TenantId, id: VersionId) -> StoreResult<Version> {
    const SQL: &str = select!("v.id = $2");
    Ok(with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(id).fetch_one(p).await?).into())
}

/// Every version of the roadmap of a lab of the tenant, newest first.
///
/// # Errors
/// The database fails.
pub async fn list(db: &Db, tenant: TenantId, lab: LabId) -> StoreResult<Vec<Version>> {
    const SQL: &str = select!("v.lab_id = $2 ORDER BY v.version DESC");
    let rows = with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(lab).fetch_all(p).await?);
    Ok(rows.into_iter().map(Into::into).collect())
}

/// What [`withdraw`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Withdrawal {
    Done,
    /// Nothing: a consultation on the version is open or still to open.
    Consulted,
}

/// Withdraws version `number` of a lab of the tenant, unless a consultation on it is open
/// or still to open (checked in the statement that writes).
///
/// # Errors
/// [`StoreError::NotFound`] when there is no such version, or it was withdrawn already.
pub async fn withdraw(tx: &mut Tx, tenant: TenantId, lab: LabId, number: i64, note: &str) -> StoreResult<Withdrawal> {
    let now = now();
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE roadmap_version SET withdrawn_at = $4, withdrawn_note = $5 \
             WHERE lab_id = (SELECT id FROM lab WHERE tenant_id = $1 AND id = $2) AND version = $3 \
             AND withdrawn_at IS NULL AND NOT EXISTS \
             (SELECT 1 FROM consultation c WHERE c.roadmap_version_id = roadmap_version.id AND c.closes_at > $4)",
        )
        .bind(tenant)
        .bind(lab)
        .bind(number)
        .bind(now)
        .bind(note)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if n > 0 {
        // The index holds the current version: it may now be an older one.
        crate::search::store::changed(tx, tenant, crate::search::Kind::Roadmap, lab.0).await?;
        return Ok(Withdrawal::Done);
    }
    // Not written: either there is no such version to withdraw, or it is being consulted on.
    id_in(tx, tenant, lab, number).await?;
    Ok(Withdrawal::Consulted)
}
