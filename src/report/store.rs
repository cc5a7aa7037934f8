//! The annual report's SQL: counts grouped per event, sector, mode and first time, straight
//! from attendance records (never from stored totals that could drift).

use chrono::{DateTime, Utc};

use super::{AnnualReport, EventCounts, KindCount, tally};
use crate::db::{Db, StoreResult};
use crate::event::{EventId, EventKind, Mode};
use crate::i18n::FiscalYear;
use crate::sector::Sector;
use crate::tenant::TenantId;
use crate::with_db;

type Row = (EventId, DateTime<Utc>, String, Option<Sector>, Option<Mode>, Option<bool>, i64);

/// Which sessions a year counts: published ones of the tenant, of `$2` kind, starting in
/// [`$3`, `$4`), that have taken place: ended by `$5`, or with attendance recorded (a
/// session under way). A published session still to come is not counted as held.
macro_rules! held {
    () => {
        "e.tenant_id = $1 AND e.kind = $2 AND e.status = 'published' AND e.starts_at >= $3 AND e.starts_at < $4 \
         AND (e.ends_at <= $5 OR EXISTS (SELECT 1 FROM attendance h WHERE h.event_id = e.id))"
    };
}

/// The held events of a kind in a fiscal year, with their counts, and the number of
/// people told apart.
async fn year(
    db: &Db,
    tenant: TenantId,
    fy: FiscalYear,
    kind: EventKind,
    now: DateTime<Utc>,
) -> StoreResult<(Vec<EventCounts>, i64)> {
    let (from, to) = fy.utc_range();
    let rows: Vec<Row> = with_db!(db, |p| {
        sqlx::query_as(concat!(
            "SELECT e.id, e.starts_at, e.title, a.sector, a.mode, a.first_time, COUNT(a.id) FROM event e \
             LEFT JOIN attendance a ON a.event_id = e.id WHERE ",
            held!(),
            " GROUP BY e.id, e.starts_at, e.title, a.sector, a.mode, a.first_time ORDER BY e.starts_at, e.id"
        ))
        .bind(tenant)
        .bind(kind)
        .bind(from)
        .bind(to)
        .bind(now)
        .fetch_all(p)
        .await?
    });
    let mut events: Vec<EventCounts> = Vec::new();
    for (id, starts_at, title, sector, mode, first_time, n) in rows {
        if events.last().is_none_or(|e| e.id != id) {
            events.push(EventCounts { id, starts_at, title, groups: Vec::new() });
        }
        if let (Some(sector), Some(mode), Some(e)) = (sector, mode, events.last_mut()) {
            e.groups.push((sector, mode, first_time, n));
        }
    }
    let (unique,): (i64,) = with_db!(db, |p| {
        sqlx::query_as(concat!(
            "SELECT COUNT(DISTINCT a.person_id) FROM attendance a JOIN event e ON e.id = a.event_id \
             JOIN person p ON p.id = a.person_id \
             AND (p.account_id IS NOT NULL OR p.email IS NOT NULL OR p.erased_at IS NOT NULL) WHERE ",
            held!()
        ))
        .bind(tenant)
        .bind(kind)
        .bind(from)
        .bind(to)
        .bind(now)
        .fetch_one(p)
        .await?
    });
    Ok((events, unique))
}

/// Sessions held in the fiscal year and their attendances, by kind (every kind, internal
/// meetings included), for the report's overview.
async fn kinds(db: &Db, tenant: TenantId, fy: FiscalYear, now: DateTime<Utc>) -> StoreResult<Vec<KindCount>> {
    let (from, to) = fy.utc_range();
    let rows: Vec<(EventKind, i64, i64)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT e.kind, COUNT(*), CAST(COALESCE(SUM((SELECT COUNT(*) FROM attendance a WHERE a.event_id = e.id)), 0) AS BIGINT) \
             FROM event e WHERE e.tenant_id = $1 AND e.status = 'published' AND e.starts_at >= $2 AND e.starts_at < $3 \
             AND (e.ends_at <= $4 OR EXISTS (SELECT 1 FROM attendance h WHERE h.event_id = e.id)) GROUP BY e.kind",
        )
        .bind(tenant)
        .bind(from)
        .bind(to)
        .bind(now)
        .fetch_all(p)
        .await?
    });
    Ok(EventKind::ALL
        .into_iter()
        .filter_map(|kind| {
            rows.iter().find(|(k, ..)| *k == kind).map(|(_, events, participants)| KindCount {
                kind,
                events: *events,
                participants: *participants,
            })
        })
        .collect())
}

/// The report for one tenant, fiscal year and kind of event, as of now.
///
/// # Errors
/// The database fails.
pub async fn annual(db: &Db, tenant: TenantId, fy: FiscalYear, kind: EventKind) -> StoreResult<AnnualReport> {
    let now = crate::db::now();
    let (events, unique) = year(db, tenant, fy, kind, now).await?;
    let (lines, totals) = tally(&events, unique);
    let (before, before_unique) = year(db, tenant, fy.previous(), kind, now).await?;
    let (_, previous) = tally(&before, before_unique);
    let labs = crate::lab::store::activity(db, tenant, fy).await?;
    let kinds = kinds(db, tenant, fy, now).await?;
    let network = network(db, tenant, fy).await?;
    let bodies = bodies(db, tenant, fy, kind, now).await?;
    let innovation = innovation(db, tenant, fy).await?;
    Ok(AnnualReport {
        fiscal_year: fy.0,
        kind,
        events: lines,
        totals,
        previous,
        labs,
        kinds,
        network,
        bodies,
        innovation,
    })
}

/// Where the year's participants came from: each attendance at a held session of the kind
/// with the affiliation its person gave, counted by body.
async fn bodies(
    db: &Db,
    tenant: TenantId,
    fy: FiscalYear,
    kind: EventKind,
    now: DateTime<Utc>,
) -> StoreResult<crate::organisation::Bodies> {
    let (from, to) = fy.utc_range();
    let rows: Vec<(i64, String)> = with_db!(db, |p| {
        sqlx::query_as(concat!(
            "SELECT a.person_id, p.affiliation FROM attendance a JOIN event e ON e.id = a.event_id \
             JOIN person p ON p.id = a.person_id WHERE ",
            held!()
        ))
        .bind(tenant)
        .bind(kind)
        .bind(from)
        .bind(to)
        .bind(now)
        .fetch_all(p)
        .await?
    });
    let organisations = crate::organisation::store::list(db, tenant, None).await?;
    let entries: Vec<(i64, &str)> = rows.iter().map(|(p, a)| (*p, a.as_str())).collect();
    Ok(crate::organisation::tally_bodies(&entries, &organisations))
}

/// The network in numbers for the year, each program's people read through its own store.
///
/// # Errors
/// The database fails.
pub async fn network(db: &Db, tenant: TenantId, fy: FiscalYear) -> StoreResult<super::Network> {
    let (start, end) = fy.utc_range();
    let (members, new_members) = crate::account::store::count_made(db, tenant, start, end).await?;
    let mut organisations = crate::sector::SectorCounts::default();
    for (kind, n) in crate::organisation::store::count_by_kind(db, tenant, end).await? {
        organisations.add(kind.sector(), n);
    }
    let posts = crate::board::store::count_between(db, tenant, start, end).await?;
    // Those who have left since are counted by what their departure kept.
    let in_several_programs = super::in_several(&programs(db, tenant, fy).await?)
        + crate::account::store::count_departed_in_several(db, tenant, fy.0).await?;
    Ok(super::Network { members, new_members, organisations, posts, in_several_programs })
}

/// The accounts in each program during the fiscal year: sessions attended, labs belonged
/// to (by the year's end), issues brought or supported, consultations commented on, the
/// board written on.
async fn programs(db: &Db, tenant: TenantId, fy: FiscalYear) -> StoreResult<[Vec<crate::account::AccountId>; 5]> {
    let (start, end) = fy.utc_range();
    Ok([
        crate::attendance::store::accounts_between(db, tenant, start, end).await?,
        crate::lab::store::accounts_before(db, tenant, end).await?,
        crate::social_issue::store::accounts_between(db, tenant, start, end).await?,
        crate::consultation::store::accounts_between(db, tenant, start, end).await?,
        crate::board::store::accounts_between(db, tenant, start, end).await?,
    ])
}

/// The fiscal years, from the one the account was made in to the current one, in which
/// it took part in several programs: what its deletion keeps so that those years' reports
/// count it still (once it is gone its activities cannot be linked to one another).
/// Earlier years cannot count: every program but the sessions needs the account.
///
/// # Errors
/// The database fails.
pub async fn years_in_several_programs(
    db: &Db,
    tenant: TenantId,
    account: &crate::account::Account,
    now: DateTime<Utc>,
) -> StoreResult<Vec<i32>> {
    let mut years = Vec::new();
    for year in FiscalYear::of_instant(account.created_at).0..=FiscalYear::of_instant(now).0 {
        let programs = programs(db, tenant, FiscalYear(year)).await?;
        if programs.iter().filter(|p| p.contains(&account.id)).count() >= 2 {
            years.push(year);
        }
    }
    Ok(years)
}

/// Open innovation in numbers for the year, each read through its own store.
///
/// # Errors
/// The database fails.
pub async fn innovation(db: &Db, tenant: TenantId, fy: FiscalYear) -> StoreResult<super::Innovation> {
    let (start, end) = fy.utc_range();
    let (needs_posted, needs_met) = crate::probono::store::count_needs(db, tenant, start, end).await?;
    let introductions = crate::introduction::store::count(db, tenant, start, end).await?;
    let hearings =
        crate::hearing::summarise(&crate::hearing::store::between(db, tenant, fy.first_day(), fy.last_day()).await?);
    let trainings = crate::training::store::between(db, tenant, fy.first_day(), fy.last_day()).await?;
    let coordinators = crate::account::store::with_role(db, tenant, crate::account::Role::Coordinator).await?;
    let trainings = crate::training::count(&trainings, &coordinators);
    let visits = crate::visit::count(&crate::visit::store::between(db, tenant, fy.first_day(), fy.last_day()).await?);
    let projects_started = crate::project::store::count_started(db, tenant, fy.first_day(), fy.last_day()).await?;
    Ok(super::Innovation { projects_started, needs_posted, needs_met, introductions, hearings, trainings, visits })
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
