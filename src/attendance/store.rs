//! All SQL about attendances.

use super::{EventStats, Source, first_time};
use crate::db::{Db, StoreError, StoreResult, now};
use crate::event::{Event, EventId, Mode};
use crate::person::PersonId;
use crate::registration::RegistrationId;
use crate::sector::Sector;
use crate::tenant::TenantId;
use crate::with_db;

/// What to record.
#[derive(Clone, Debug)]
pub struct NewAttendance {
    pub person: Option<PersonId>,
    pub registration: Option<RegistrationId>,
    pub sector: Sector,
    pub mode: Mode,
    /// A value given explicitly (at the door, by an import); `None` to decide from history.
    pub first_time: Option<bool>,
    pub source: Source,
}

/// The person's history before `event`: `None` when it cannot be told (no account and no
/// e-mail, e.g. a walk-in who gave only a name), else whether they attended an event of the
/// tenant that started earlier.
async fn history(db: &Db, tenant: TenantId, person: PersonId, event: &Event) -> StoreResult<Option<bool>> {
    let row: Option<(bool, i64)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT (pe.account_id IS NOT NULL OR pe.email IS NOT NULL), \
             (SELECT COUNT(*) FROM attendance a JOIN event e ON e.id = a.event_id \
              WHERE a.tenant_id = $1 AND a.person_id = pe.id AND e.starts_at < $3) \
             FROM person pe WHERE pe.tenant_id = $1 AND pe.id = $2",
        )
        .bind(tenant)
        .bind(person)
        .bind(event.starts_at)
        .fetch_optional(p)
        .await?
    });
    Ok(row.and_then(|(known, n)| known.then_some(n > 0)))
}

/// Records an attendance at `event`; a person or a registration already recorded there is
/// not counted twice (a registration matters on anonymous events, which keep no person).
/// Returns whether a new attendance was recorded.
///
/// # Errors
/// The database fails.
pub async fn record(db: &Db, tenant: TenantId, event: &Event, new: &NewAttendance) -> StoreResult<bool> {
    let before = match (new.first_time, new.person) {
        (None, Some(person)) => history(db, tenant, person, event).await?,
        _ => None,
    };
    let first = first_time(new.first_time, before.is_some(), before.unwrap_or(false));
    // Anonymous events keep nobody's identity (顔出しなし・匿名): 市民, first time unknown.
    let (person, sector, first) =
        if event.anonymous { (None, Sector::Citizen, None) } else { (new.person, new.sector, first) };
    let _turn = db.write_turn().await;
    let inserted = with_db!(db, |p| {
        // A second record of a person or of a registration meets the unique indexes
        // (event, person) and (registration); NULLs are never equal, so anonymous walk-ins
        // each count.
        sqlx::query(
            "INSERT INTO attendance (tenant_id, event_id, person_id, registration_id, sector, mode, first_time, \
             source, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
        )
        .bind(tenant)
        .bind(event.id)
        .bind(person)
        .bind(new.registration)
        .bind(sector.code())
        .bind(new.mode.code())
        .bind(first)
        .bind(new.source.code())
        .bind(now())
        .execute(p)
        .await?
        .rows_affected()
    });
    Ok(inserted > 0)
}

/// The event's statistics, counted from its attendance records.
///
/// # Errors
/// The database fails.
pub async fn stats(db: &Db, tenant: TenantId, event: EventId) -> StoreResult<EventStats> {
    let rows: Vec<(String, String, Option<bool>, i64)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT sector, mode, first_time, COUNT(*) FROM attendance WHERE tenant_id = $1 AND event_id = $2 \
             GROUP BY sector, mode, first_time",
        )
        .bind(tenant)
        .bind(event)
        .fetch_all(p)
        .await?
    });
    let groups = rows
        .into_iter()
        .map(|(s, m, f, n)| {
            let sector = Sector::from_code(&s)
                .ok_or_else(|| StoreError::Other(sqlx::Error::Decode(format!("unknown sector {s}").into())))?;
            Ok((sector, Mode::from_code(&m).unwrap_or(Mode::Venue), f, n))
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(EventStats::tally(&groups))
}

/// One line of an event's roster.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct RosterLine {
    pub name: Option<String>,
    pub email: Option<String>,
    pub affiliation: Option<String>,
    pub sector: String,
    pub first_time: Option<bool>,
    pub mode: String,
}

/// Everyone who attended the event, by name, for the secretariat's roster export.
///
/// # Errors
/// The database fails.
pub async fn roster(db: &Db, tenant: TenantId, event: EventId) -> StoreResult<Vec<RosterLine>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as::<_, RosterLine>(
            "SELECT p.name, p.email, p.affiliation, a.sector, a.first_time, a.mode FROM attendance a \
             LEFT JOIN person p ON p.id = a.person_id WHERE a.tenant_id = $1 AND a.event_id = $2 \
             ORDER BY a.id",
        )
        .bind(tenant)
        .bind(event)
        .fetch_all(p)
        .await?
    }))
}
