//! The annual report's SQL: counts grouped per event, sector and first time, straight
//! from attendance records (never from stored totals that could drift).

use chrono::{DateTime, Utc};

use super::{AnnualReport, EventCounts, tally};
use crate::db::{Db, StoreError, StoreResult};
use crate::event::{EventId, EventKind};
use crate::i18n::FiscalYear;
use crate::sector::Sector;
use crate::tenant::TenantId;
use crate::with_db;

type Row = (EventId, DateTime<Utc>, String, Option<String>, Option<bool>, i64);

/// The held (published) events of a kind in a fiscal year, with their counts, and the
/// number of people told apart.
async fn year(db: &Db, tenant: TenantId, fy: FiscalYear, kind: EventKind) -> StoreResult<(Vec<EventCounts>, i64)> {
    let (from, to) = fy.utc_range();
    let rows: Vec<Row> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT e.id, e.starts_at, e.title, a.sector, a.first_time, COUNT(a.id) FROM event e \
             LEFT JOIN attendance a ON a.event_id = e.id \
             WHERE e.tenant_id = $1 AND e.kind = $2 AND e.status = 'published' AND e.starts_at >= $3 AND e.starts_at < $4 \
             GROUP BY e.id, e.starts_at, e.title, a.sector, a.first_time ORDER BY e.starts_at, e.id",
        )
        .bind(tenant)
        .bind(kind.code())
        .bind(from)
        .bind(to)
        .fetch_all(p)
        .await?
    });
    let mut events: Vec<EventCounts> = Vec::new();
    for (id, starts_at, title, sector, first_time, n) in rows {
        if events.last().is_none_or(|e| e.id != id) {
            events.push(EventCounts { id, starts_at, title, groups: Vec::new() });
        }
        if let (Some(sector), Some(e)) = (sector, events.last_mut()) {
            let sector = Sector::from_code(&sector)
                .ok_or_else(|| StoreError::Other(sqlx::Error::Decode(format!("unknown sector {sector}").into())))?;
            e.groups.push((sector, first_time, n));
        }
    }
    let (unique,): (i64,) = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT COUNT(DISTINCT a.person_id) FROM attendance a JOIN event e ON e.id = a.event_id \
             JOIN person p ON p.id = a.person_id AND (p.account_id IS NOT NULL OR p.email IS NOT NULL) \
             WHERE e.tenant_id = $1 AND e.kind = $2 AND e.status = 'published' AND e.starts_at >= $3 AND e.starts_at < $4",
        )
        .bind(tenant)
        .bind(kind.code())
        .bind(from)
        .bind(to)
        .fetch_one(p)
        .await?
    });
    Ok((events, unique))
}

/// The report for one tenant, fiscal year and kind of event.
///
/// # Errors
/// The database fails.
pub async fn annual(db: &Db, tenant: TenantId, fy: FiscalYear, kind: EventKind) -> StoreResult<AnnualReport> {
    let (events, unique) = year(db, tenant, fy, kind).await?;
    let (lines, totals) = tally(&events, unique);
    let (before, before_unique) = year(db, tenant, fy.previous(), kind).await?;
    let (_, previous) = tally(&before, before_unique);
    let labs = crate::lab::store::activity(db, tenant, fy).await?;
    Ok(AnnualReport { fiscal_year: fy.0, kind: kind.code(), events: lines, totals, previous, labs })
}

/// The fiscal years that have events of the kind, newest first (for the year picker).
///
/// # Errors
/// The database fails.
pub async fn years(db: &Db, tenant: TenantId) -> StoreResult<Vec<FiscalYear>> {
    let starts: Vec<(DateTime<Utc>,)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT starts_at FROM event WHERE tenant_id = $1 AND status = 'published' ORDER BY starts_at DESC",
        )
        .bind(tenant)
        .fetch_all(p)
        .await?
    });
    let mut years: Vec<FiscalYear> = starts.into_iter().map(|(t,)| FiscalYear::of_instant(t)).collect();
    years.dedup();
    Ok(years)
}
