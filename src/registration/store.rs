//! All SQL about registrations.
//!
//! Placing a registration reads the seats taken and writes the new one as one atomic step:
//! on PostgreSQL the event row is locked (`FOR UPDATE`); on SQLite the transaction takes
//! the write lock at its start (`BEGIN IMMEDIATE`), and writers in this process queue on a
//! mutex first, so they wait their turn instead of spinning on SQLite's busy handler.

use chrono::{DateTime, Utc};

use super::{Placed, RegisterError, Registration, RegistrationId, Seats, Status};
use crate::account::token;
use crate::db::{Db, StoreError, StoreResult, now};
use crate::event::{EventId, Mode, Status as EventStatus};
use crate::person::PersonId;
use crate::sector::Sector;
use crate::tenant::TenantId;

#[derive(sqlx::FromRow)]
struct EventGate {
    status: String,
    ends_at: DateTime<Utc>,
    venue: String,
    online_url: String,
    venue_capacity: Option<i64>,
    online_capacity: Option<i64>,
}

impl EventGate {
    fn check(&self, mode: Mode, now: DateTime<Utc>) -> Result<Option<i64>, RegisterError> {
        if EventStatus::from_code(&self.status) != Some(EventStatus::Published) {
            return Err(RegisterError::NotOpen);
        }
        if self.ends_at < now {
            return Err(RegisterError::Ended);
        }
        match mode {
            Mode::Venue if !self.venue.is_empty() => Ok(self.venue_capacity),
            Mode::Online if !self.online_url.is_empty() => Ok(self.online_capacity),
            _ => Err(RegisterError::ModeNotOffered),
        }
    }
}

const GATE: &str = "SELECT status, ends_at, venue, online_url, venue_capacity, online_capacity FROM event \
                    WHERE tenant_id = $1 AND id = $2";

/// Runs `$body` in a write transaction `$tx` on either backend, with the event row `$event`
/// of tenant `$tenant` locked against concurrent registrations.
macro_rules! in_event_lock {
    ($db:expr, $tenant:expr, $event:expr, |$tx:ident, $gate:ident| $body:expr) => {
        match $db {
            Db::Sqlite(p, _) => {
                let _turn = $db.write_turn().await;
                let mut $tx = p.begin_with("BEGIN IMMEDIATE").await?;
                let $gate: Option<EventGate> =
                    sqlx::query_as(GATE).bind($tenant).bind($event).fetch_optional(&mut *$tx).await?;
                $body
            }
            Db::Postgres(p) => {
                let mut $tx = p.begin().await?;
                let $gate: Option<EventGate> = sqlx::query_as(concat!(
                    "SELECT status, ends_at, venue, online_url, venue_capacity, online_capacity FROM event ",
                    "WHERE tenant_id = $1 AND id = $2 FOR UPDATE"
                ))
                .bind($tenant)
                .bind($event)
                .fetch_optional(&mut *$tx)
                .await?;
                $body
            }
        }
    };
}

/// Moves waiting registrations of one mode up, oldest first, while places are free;
/// evaluates to the ids promoted. Runs inside a locked transaction (`in_event_lock!`).
macro_rules! fill_from_waiting {
    ($tx:ident, $event:expr, $mode:expr, $capacity:expr, $now:expr) => {{
        let mut promoted = Vec::new();
        loop {
            let (taken,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM registration WHERE event_id = $1 AND mode = $2 AND status = 'registered'",
            )
            .bind($event)
            .bind($mode.code())
            .fetch_one(&mut *$tx)
            .await?;
            if !$capacity.is_none_or(|c: i64| taken < c) {
                break;
            }
            let next = sqlx::query_as::<_, (RegistrationId,)>(
                "UPDATE registration SET status = 'registered', updated_at = $3 WHERE id = ( \
                   SELECT id FROM registration WHERE event_id = $1 AND mode = $2 AND status = 'waiting' \
                   ORDER BY created_at, id LIMIT 1) RETURNING id",
            )
            .bind($event)
            .bind($mode.code())
            .bind($now)
            .fetch_optional(&mut *$tx)
            .await?;
            match next {
                Some((id,)) => promoted.push(id),
                None => break,
            }
        }
        promoted
    }};
}

/// Gives free places to waiting registrations, oldest first (after cancellations or when
/// the secretariat raises a capacity). Returns those promoted.
///
/// # Errors
/// [`StoreError::NotFound`] for an event of another tenant.
pub async fn refill(db: &Db, tenant: TenantId, event: EventId) -> StoreResult<Vec<RegistrationId>> {
    let now = now();
    in_event_lock!(db, tenant, event, |tx, gate| {
        let gate = gate.ok_or(StoreError::NotFound)?;
        let mut promoted = fill_from_waiting!(tx, event, Mode::Venue, gate.venue_capacity, now);
        promoted.extend(fill_from_waiting!(tx, event, Mode::Online, gate.online_capacity, now));
        tx.commit().await?;
        Ok(promoted)
    })
}

/// Registers `person` (or, for an anonymous event, nobody in particular) in `mode`: a
/// place if one is left, else the waiting list.
///
/// # Errors
/// [`StoreError::NotFound`] for an event of another tenant; the refusal reasons inside
/// `Ok(Err(_))`.
pub async fn register(
    db: &Db,
    tenant: TenantId,
    event: EventId,
    person: Option<PersonId>,
    mode: Mode,
    lang: crate::i18n::Lang,
) -> StoreResult<Result<Placed, RegisterError>> {
    let (token, hash) = token::generate();
    let now = now();
    in_event_lock!(db, tenant, event, |tx, gate| {
        let gate = gate.ok_or(StoreError::NotFound)?;
        let capacity = match gate.check(mode, now) {
            Ok(c) => c,
            Err(e) => return Ok(Err(e)),
        };
        if let Some(person) = person {
            let (existing,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM registration WHERE event_id = $1 AND person_id = $2 AND status <> 'cancelled'",
            )
            .bind(event)
            .bind(person)
            .fetch_one(&mut *tx)
            .await?;
            if existing > 0 {
                return Ok(Err(RegisterError::AlreadyRegistered));
            }
        }
        let (taken, waiting): (i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(CASE WHEN status = 'registered' THEN 1 ELSE 0 END), 0), \
                    COALESCE(SUM(CASE WHEN status = 'waiting' THEN 1 ELSE 0 END), 0) \
             FROM registration WHERE event_id = $1 AND mode = $2",
        )
        .bind(event)
        .bind(mode.code())
        .fetch_one(&mut *tx)
        .await?;
        // Nobody passes those already waiting.
        let free = capacity.is_none_or(|c| taken < c) && waiting == 0;
        let status = if free { Status::Registered } else { Status::Waiting };
        let (id,): (RegistrationId,) = sqlx::query_as(
            "INSERT INTO registration (tenant_id, event_id, person_id, mode, status, lang, token_hash, created_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(tenant)
        .bind(event)
        .bind(person)
        .bind(mode.code())
        .bind(status.code())
        .bind(lang.code())
        .bind(&hash)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Ok(Placed { id, status, token }))
    })
}

/// What cancelling did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cancelled {
    pub event: EventId,
    /// The waiting registrations that got the freed place (or places), oldest first.
    pub promoted: Vec<RegistrationId>,
}

/// Cancels the registration whose link carries `token_value`; the oldest waiting
/// registration of the same mode then takes the freed place. `None` when the link is
/// unknown or already cancelled.
///
/// # Errors
/// The database fails.
pub async fn cancel(db: &Db, tenant: TenantId, token_value: &str) -> StoreResult<Option<Cancelled>> {
    let Some((id, event, _, _)) = find_by_token(db, tenant, token_value).await? else {
        return Ok(None);
    };
    let now = now();
    in_event_lock!(db, tenant, event, |tx, gate| {
        let gate = gate.ok_or(StoreError::NotFound)?;
        let before: Option<(String, String)> =
            sqlx::query_as("SELECT mode, status FROM registration WHERE tenant_id = $1 AND id = $2")
                .bind(tenant)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((mode, status)) = before.filter(|(_, s)| s != "cancelled") else {
            return Ok(None);
        };
        sqlx::query("UPDATE registration SET status = 'cancelled', updated_at = $2 WHERE id = $1")
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        if status != "registered" {
            tx.commit().await?;
            return Ok(Some(Cancelled { event, promoted: Vec::new() }));
        }
        let mode = Mode::from_code(&mode).unwrap_or(Mode::Venue);
        let capacity = match mode {
            Mode::Venue => gate.venue_capacity,
            Mode::Online => gate.online_capacity,
        };
        let promoted = fill_from_waiting!(tx, event, mode, capacity, now);
        tx.commit().await?;
        Ok(Some(Cancelled { event, promoted }))
    })
}

/// The registration a link's token belongs to: (id, event, status, mode).
///
/// # Errors
/// The database fails.
pub async fn find_by_token(
    db: &Db,
    tenant: TenantId,
    token_value: &str,
) -> StoreResult<Option<(RegistrationId, EventId, Status, Mode)>> {
    let row: Option<(RegistrationId, EventId, String, String)> = crate::with_db!(db, |p| {
        sqlx::query_as("SELECT id, event_id, status, mode FROM registration WHERE tenant_id = $1 AND token_hash = $2")
            .bind(tenant)
            .bind(token::hash(token_value))
            .fetch_optional(p)
            .await?
    });
    Ok(row.map(|(id, event, status, mode)| {
        (
            id,
            event,
            Status::from_code(&status).unwrap_or(Status::Cancelled),
            Mode::from_code(&mode).unwrap_or(Mode::Venue),
        )
    }))
}

/// Seats registered and waiting in each mode the event offers.
///
/// # Errors
/// The database fails.
pub async fn seats(db: &Db, tenant: TenantId, event: &crate::event::Event) -> StoreResult<Vec<Seats>> {
    let counts: Vec<(String, String, i64)> = crate::with_db!(db, |p| {
        sqlx::query_as(
            "SELECT mode, status, COUNT(*) FROM registration WHERE tenant_id = $1 AND event_id = $2 \
             AND status <> 'cancelled' GROUP BY mode, status",
        )
        .bind(tenant)
        .bind(event.id)
        .fetch_all(p)
        .await?
    });
    let count = |mode: Mode, status: &str| {
        counts.iter().filter(|(m, s, _)| m == mode.code() && s == status).map(|(_, _, n)| *n).sum::<i64>()
    };
    let counts = crate::event::store::SeatCounts {
        venue_registered: count(Mode::Venue, "registered"),
        venue_waiting: count(Mode::Venue, "waiting"),
        online_registered: count(Mode::Online, "registered"),
        online_waiting: count(Mode::Online, "waiting"),
    };
    Ok(counts.seats(event))
}

#[derive(sqlx::FromRow)]
struct ListRow {
    id: RegistrationId,
    event_id: EventId,
    person_id: Option<PersonId>,
    mode: String,
    status: String,
    name: Option<String>,
    affiliation: Option<String>,
    sector: Option<String>,
    attended: i64,
}

/// The registrations of an event that are not cancelled, registered first, for the
/// check-in list.
///
/// # Errors
/// The database fails.
pub async fn list_for_event(db: &Db, tenant: TenantId, event: EventId) -> StoreResult<Vec<Registration>> {
    let rows: Vec<ListRow> = crate::with_db!(db, |p| {
        sqlx::query_as(
            "SELECT r.id, r.event_id, r.person_id, r.mode, r.status, p.name, p.affiliation, p.sector, \
             (SELECT COUNT(*) FROM attendance a WHERE a.registration_id = r.id) AS attended \
             FROM registration r LEFT JOIN person p ON p.id = r.person_id \
             WHERE r.tenant_id = $1 AND r.event_id = $2 AND r.status <> 'cancelled' \
             ORDER BY r.status, p.name, r.id",
        )
        .bind(tenant)
        .bind(event)
        .fetch_all(p)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|r| Registration {
            id: r.id,
            event_id: r.event_id,
            person_id: r.person_id,
            mode: Mode::from_code(&r.mode).unwrap_or(Mode::Venue),
            status: Status::from_code(&r.status).unwrap_or(Status::Cancelled),
            name: r.name.unwrap_or_default(),
            affiliation: r.affiliation.unwrap_or_default(),
            sector: r.sector.as_deref().and_then(Sector::from_code),
            attended: r.attended > 0,
        })
        .collect())
}

/// The e-mail and name of a registration's person, if it has them, and its mode.
///
/// # Errors
/// The database fails.
pub async fn contact(db: &Db, tenant: TenantId, id: RegistrationId) -> StoreResult<Option<(String, String, Mode)>> {
    let row: Option<(Option<String>, Option<String>, String)> = crate::with_db!(db, |p| {
        sqlx::query_as(
            "SELECT p.email, p.name, r.mode FROM registration r JOIN person p ON p.id = r.person_id \
             WHERE r.tenant_id = $1 AND r.id = $2",
        )
        .bind(tenant)
        .bind(id)
        .fetch_optional(p)
        .await?
    });
    Ok(row.and_then(|(email, name, mode)| {
        Some((email?, name.unwrap_or_default(), Mode::from_code(&mode).unwrap_or(Mode::Venue)))
    }))
}

/// The person registered (not cancelled) for the event with this e-mail, if any.
///
/// # Errors
/// The database fails.
pub async fn person_by_email(db: &Db, tenant: TenantId, event: EventId, email: &str) -> StoreResult<Option<PersonId>> {
    Ok(crate::with_db!(db, |p| {
        sqlx::query_as::<_, (PersonId,)>(
            "SELECT p.id FROM registration r JOIN person p ON p.id = r.person_id \
             WHERE r.tenant_id = $1 AND r.event_id = $2 AND p.email = $3 AND r.status = 'registered'",
        )
        .bind(tenant)
        .bind(event)
        .bind(email)
        .fetch_optional(p)
        .await?
        .map(|r| r.0)
    }))
}
