//! All SQL about visits: the only module that writes `visit`. Every function takes the
//! tenant first.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Visit, VisitDraft, VisitId};
use crate::db::{Db, StoreError, StoreResult, Tx, now};
use crate::tenant::TenantId;
use crate::{with_db, with_tx};

#[derive(sqlx::FromRow)]
struct Row {
    id: VisitId,
    tenant_id: TenantId,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    destination: String,
    purpose: String,
    organisations: String,
    people_met: String,
    learnt: String,
    shared_with_city: String,
    visitors: i64,
    created_at: DateTime<Utc>,
}

impl From<Row> for Visit {
    fn from(r: Row) -> Visit {
        let lines = |s: &str| s.split('\n').filter(|l| !l.is_empty()).map(str::to_owned).collect();
        Visit {
            id: r.id,
            tenant_id: r.tenant_id,
            draft: VisitDraft {
                starts_on: r.starts_on,
                ends_on: r.ends_on,
                destination: r.destination,
                purpose: r.purpose,
                organisations: lines(&r.organisations),
                people_met: lines(&r.people_met),
                learnt: r.learnt,
                shared_with_city: r.shared_with_city,
                visitors: r.visitors,
            },
            created_at: r.created_at,
        }
    }
}

macro_rules! select {
    ($where:expr) => {
        concat!(
            "SELECT id, tenant_id, starts_on, ends_on, destination, purpose, organisations, people_met, learnt, \
             shared_with_city, visitors, created_at FROM visit WHERE ",
            $where
        )
    };
}

/// Records a visit.
///
/// # Errors
/// The database fails.
pub async fn insert(tx: &mut Tx, tenant: TenantId, d: &VisitDraft) -> StoreResult<VisitId> {
    let now = now();
    Ok(with_tx!(tx, |c| {
        sqlx::query_as::<_, (VisitId,)>(
            "INSERT INTO visit (tenant_id, starts_on, ends_on, destination, purpose, organisations, people_met, \
             learnt, shared_with_city, visitors, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
        )
        .bind(tenant)
        .bind(d.starts_on)
        .bind(d.ends_on)
        .bind(&d.destination)
        .bind(&d.purpose)
        .bind(d.organisations.join("\n"))
        .bind(d.people_met.join("\n"))
        .bind(&d.learnt)
        .bind(&d.shared_with_city)
        .bind(d.visitors)
        .bind(now)
        .fetch_one(&mut *c)
        .await?
        .0
    }))
}

/// Saves an edited visit.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's.
pub async fn update(tx: &mut Tx, tenant: TenantId, id: VisitId, d: &VisitDraft) -> StoreResult<()> {
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE visit SET starts_on = $3, ends_on = $4, destination = $5, purpose = $6, organisations = $7, \
             people_met = $8, learnt = $9, shared_with_city = $10, visitors = $11, updated_at = $12 \
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant)
        .bind(id)
        .bind(d.starts_on)
        .bind(d.ends_on)
        .bind(&d.destination)
        .bind(&d.purpose)
        .bind(d.organisations.join("\n"))
        .bind(d.people_met.join("\n"))
        .bind(&d.learnt)
        .bind(&d.shared_with_city)
        .bind(d.visitors)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if n == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

/// Deletes a visit.
///
/// # Errors
/// [`StoreError::NotFound`].
pub async fn delete(tx: &mut Tx, tenant: TenantId, id: VisitId) -> StoreResult<()> {
    let n = with_tx!(tx, |c| {
        sqlx::query("DELETE FROM visit WHERE tenant_id = $1 AND id = $2")
            .bind(tenant)
            .bind(id)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if n == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

/// A visit of the tenant.
///
/// # Errors
/// [`StoreError::NotFound`].
pub async fn get(db: &Db, tenant: TenantId, id: VisitId) -> StoreResult<Visit> {
    const SQL: &str = select!("tenant_id = $1 AND id = $2");
    Ok(with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(id).fetch_one(p).await?).into())
}

/// The visits that began from `first` to `last` (inclusive), oldest first.
///
/// # Errors
/// The database fails.
pub async fn between(db: &Db, tenant: TenantId, first: NaiveDate, last: NaiveDate) -> StoreResult<Vec<Visit>> {
    const SQL: &str = select!("tenant_id = $1 AND starts_on >= $2 AND starts_on <= $3 ORDER BY starts_on, id");
    let rows = with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(first).bind(last).fetch_all(p).await?);
    Ok(rows.into_iter().map(Into::into).collect())
}
