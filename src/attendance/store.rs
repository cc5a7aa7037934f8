//! All SQL about attendances: the only module that writes the `attendance` table.

use super::{FirstTime, NewAttendance, Tally, first_time};
use crate::db::{Db, StoreResult, Tx, now};
use crate::event::{Event, EventId, Mode};
use crate::person::PersonId;
use crate::sector::Sector;
use crate::tenant::TenantId;
use crate::{with_db, with_tx};

/// The person's history before `event`: `None` when it cannot be told (no account and no
/// e-mail, e.g. a walk-in who gave only a name), else whether they attended an event of the
/// tenant that started earlier.
async fn history(tx: &mut Tx, tenant: TenantId, person: PersonId, event: &Event) -> StoreResult<Option<bool>> {
    let row: Option<(bool, i64)> = with_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT (pe.account_id IS NOT NULL OR pe.email IS NOT NULL), \
             (SELECT COUNT(*) FROM attendance a JOIN event e ON e.id = a.event_id \
              WHERE a.tenant_id = $1 AND a.person_id = pe.id AND e.starts_at < $3) \
             FROM person pe WHERE pe.tenant_id = $1 AND pe.id = $2",
        )
        .bind(tenant)
        .bind(person)
        .bind(event.starts_at)
        .fetch_optional(&mut *c)
        .await?
    });
    Ok(row.and_then(|(known, n)| known.then_some(n > 0)))
}

/// Records an attendance at `event`, under the anonymity rule
/// ([`NewAttendance::at`]) and the first-time rule ([`first_time`]); a person, a
/// registration or a roster line already recorded there is not counted twice (a
/// registration matters on anonymous events, which keep no person). Returns whether a
/// new attendance was recorded.
///
/// # Errors
/// The database fails.
pub async fn record(tx: &mut Tx, tenant: TenantId, event: &Event, new: NewAttendance) -> StoreResult<bool> {
    let new = new.at(event.anonymous);
    let before = match (new.first_time, new.person) {
        (FirstTime::FromHistory, Some(person)) => history(tx, tenant, person, event).await?,
        _ => None,
    };
    let first = first_time(new.first_time, before);
    let inserted = with_tx!(tx, |c| {
        // A second record of a person, a registration or a roster line meets the unique
        // indexes (event, person), (registration) and (tenant, import key); NULLs are
        // never equal, so anonymous walk-ins each count.
        sqlx::query(
            "INSERT INTO attendance (tenant_id, event_id, person_id, registration_id, sector, mode, first_time, \
             source, import_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING",
        )
        .bind(tenant)
        .bind(event.id)
        .bind(new.person)
        .bind(new.registration)
        .bind(new.sector)
        .bind(new.mode)
        .bind(first)
        .bind(new.source)
        .bind(&new.import_key)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(inserted > 0)
}

/// Whether a roster line with this key was imported before.
///
/// # Errors
/// The database fails.
pub async fn is_imported(tx: &mut Tx, tenant: TenantId, import_key: &str) -> StoreResult<bool> {
    let (n,): (i64,) = with_tx!(tx, |c| {
        sqlx::query_as("SELECT COUNT(*) FROM attendance WHERE tenant_id = $1 AND import_key = $2")
            .bind(tenant)
            .bind(import_key)
            .fetch_one(&mut *c)
            .await?
    });
    Ok(n > 0)
}

/// The event's count, from its attendance records.
///
/// # Errors
/// The database fails.
pub async fn tally(db: &Db, tenant: TenantId, event: EventId) -> StoreResult<Tally> {
    let groups: Vec<(Sector, Mode, Option<bool>, i64)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT sector, mode, first_time, COUNT(*) FROM attendance WHERE tenant_id = $1 AND event_id = $2 \
             GROUP BY sector, mode, first_time",
        )
        .bind(tenant)
        .bind(event)
        .fetch_all(p)
        .await?
    });
    Ok(Tally::of(&groups))
}

/// How many attended the event at the venue, read in a write transaction (an anonymous
/// session's self check-in stops at the hall's seats).
///
/// # Errors
/// The database fails.
pub async fn count_at_venue(tx: &mut Tx, tenant: TenantId, event: EventId) -> StoreResult<i64> {
    let (n,): (i64,) = with_tx!(tx, |c| {
        sqlx::query_as("SELECT COUNT(*) FROM attendance WHERE tenant_id = $1 AND event_id = $2 AND mode = 'venue'")
            .bind(tenant)
            .bind(event)
            .fetch_one(&mut *c)
            .await?
    });
    Ok(n)
}

/// One line of an event's roster.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct RosterLine {
    pub name: Option<String>,
    pub email: Option<String>,
    pub affiliation: Option<String>,
    pub sector: Sector,
    pub first_time: Option<bool>,
    pub mode: Mode,
}

/// Everyone who attended the event, by name, for the secretariat's roster export.
///
/// # Errors
/// The database fails.
pub async fn roster(db: &Db, tenant: TenantId, event: EventId) -> StoreResult<Vec<RosterLine>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as::<_, RosterLine>(
            "SELECT p.name, p.email, CASE WHEN p.erased_at IS NULL THEN p.affiliation ELSE '' END AS affiliation, \
             a.sector, a.first_time, a.mode FROM attendance a \
             LEFT JOIN person p ON p.id = a.person_id WHERE a.tenant_id = $1 AND a.event_id = $2 \
             ORDER BY a.id",
        )
        .bind(tenant)
        .bind(event)
        .fetch_all(p)
        .await?
    }))
}

/// One of a member's attendances, with the session attended.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct OfAccount {
    pub event_id: EventId,
    pub title: String,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub mode: Mode,
    pub sector: Sector,
    pub first_time: Option<bool>,
}

macro_rules! of_account {
    ($and:expr) => {
        concat!(
            "SELECT e.id AS event_id, e.title, e.starts_at, a.mode, a.sector, a.first_time FROM attendance a \
             JOIN person pe ON pe.id = a.person_id AND pe.tenant_id = a.tenant_id \
             JOIN event e ON e.id = a.event_id AND e.tenant_id = a.tenant_id \
             WHERE a.tenant_id = $1 AND pe.account_id = $2",
            $and,
            " ORDER BY e.starts_at, a.id"
        )
    };
}

/// Every attendance of the account in this tenant, by the session's start: for their
/// マイページ and their data export.
///
/// # Errors
/// The database fails.
pub async fn list_of_account(
    db: &Db,
    tenant: TenantId,
    account: crate::account::AccountId,
) -> StoreResult<Vec<OfAccount>> {
    const SQL: &str = of_account!("");
    Ok(with_db!(db, |p| sqlx::query_as(SQL).bind(tenant).bind(account).fetch_all(p).await?))
}

/// Every attendance of a person (a guest), by the session's start.
///
/// # Errors
/// The database fails.
pub async fn list_of_person(db: &Db, tenant: TenantId, person: crate::person::PersonId) -> StoreResult<Vec<OfAccount>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT e.id AS event_id, e.title, e.starts_at, a.mode, a.sector, a.first_time FROM attendance a \
             JOIN event e ON e.id = a.event_id AND e.tenant_id = a.tenant_id \
             WHERE a.tenant_id = $1 AND a.person_id = $2 ORDER BY e.starts_at, a.id",
        )
        .bind(tenant)
        .bind(person)
        .fetch_all(p)
        .await?
    }))
}

/// The account's attendances at sessions anyone may see (no draft, no internal meeting;
/// [`crate::event::Event::visible_to`]), for their page in the directory.
///
/// # Errors
/// The database fails.
pub async fn list_public_of_account(
    db: &Db,
    tenant: TenantId,
    account: crate::account::AccountId,
) -> StoreResult<Vec<OfAccount>> {
    const SQL: &str = of_account!(" AND e.status <> 'draft' AND e.kind <> 'secretariat_meeting'");
    Ok(with_db!(db, |p| sqlx::query_as(SQL).bind(tenant).bind(account).fetch_all(p).await?))
}

/// The accounts that attended a session of the tenant held in `[start, end)` (for the
/// network's people active in several programs).
///
/// # Errors
/// The database fails.
pub async fn accounts_between(
    db: &Db,
    tenant: TenantId,
    start: chrono::DateTime<chrono::Utc>,
    end: chrono::DateTime<chrono::Utc>,
) -> StoreResult<Vec<crate::account::AccountId>> {
    let rows: Vec<(crate::account::AccountId,)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT DISTINCT p.account_id FROM attendance a JOIN person p ON p.id = a.person_id \
             JOIN event e ON e.id = a.event_id WHERE e.tenant_id = $1 AND e.status = 'published' \
             AND e.starts_at >= $2 AND e.starts_at < $3 AND p.account_id IS NOT NULL",
        )
        .bind(tenant)
        .bind(start)
        .bind(end)
        .fetch_all(p)
        .await?
    });
    Ok(rows.into_iter().map(|(a,)| a).collect())
}

/// The attendances at the tenant's labs' published events starting in `[start, end)`, by
/// lab and sector (a lab's study sessions, for the annual report's lab table).
///
/// # Errors
/// The database fails.
pub async fn sectors_by_lab(
    db: &Db,
    tenant: TenantId,
    start: chrono::DateTime<chrono::Utc>,
    end: chrono::DateTime<chrono::Utc>,
) -> StoreResult<Vec<(crate::lab::LabId, Sector, i64)>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT e.lab_id, a.sector, COUNT(*) FROM attendance a JOIN event e ON e.id = a.event_id \
             WHERE e.tenant_id = $1 AND e.lab_id IS NOT NULL AND e.status = 'published' \
             AND e.starts_at >= $2 AND e.starts_at < $3 GROUP BY e.lab_id, a.sector",
        )
        .bind(tenant)
        .bind(start)
        .bind(end)
        .fetch_all(p)
        .await?
    }))
}

/// The affiliation (所属) each attendee of a session stated, one per attendance (empty
/// for those who stated none; an anonymous attendance has no person and none).
///
/// # Errors
/// The database fails.
pub async fn affiliations(db: &Db, tenant: TenantId, event: EventId) -> StoreResult<Vec<String>> {
    let rows: Vec<(String,)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT p.affiliation FROM attendance a JOIN person p ON p.id = a.person_id AND p.tenant_id = a.tenant_id \
             WHERE a.tenant_id = $1 AND a.event_id = $2",
        )
        .bind(tenant)
        .bind(event)
        .fetch_all(p)
        .await?
    });
    Ok(rows.into_iter().map(|(a,)| a).collect())
}
