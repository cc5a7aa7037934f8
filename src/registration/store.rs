//! All SQL about registrations: the only module that writes the `registration` table.
//!
//! Placing a registration reads the seats taken and writes the new one as one atomic step,
//! inside the caller's write transaction with the event's gate locked
//! ([`crate::event::store::lock_gate`]): on PostgreSQL the event row is locked; on SQLite
//! the transaction holds the file's write lock from its start.

use chrono::{DateTime, Utc};

use super::{Placed, RegisterError, Registration, RegistrationId, Seats, Status};
use crate::account::token;
use crate::db::{Db, StoreResult, Tx, now};
use crate::event::store::{Gate, lock_gate};
use crate::event::{EventId, Mode};
use crate::person::PersonId;
use crate::sector::Sector;
use crate::tenant::TenantId;
use crate::{with_db, with_tx};

impl Gate {
    /// Whether the event takes a registration in `mode` at `now`; its capacity in that
    /// mode if so.
    fn admits(&self, mode: Mode, now: DateTime<Utc>) -> Result<Option<i64>, RegisterError> {
        if let Some(closed) = super::closed(self.status, self.ends_at, self.registration_closes_at, now) {
            return Err(closed);
        }
        if self.offers(mode) { Ok(self.capacity(mode)) } else { Err(RegisterError::ModeNotOffered) }
    }
}

/// Moves waiting registrations of one mode up, oldest first, while places are free;
/// returns the ids promoted. The event's gate must be locked.
async fn fill_from_waiting(
    tx: &mut Tx,
    tenant: TenantId,
    event: EventId,
    mode: Mode,
    capacity: Option<i64>,
    now: DateTime<Utc>,
) -> StoreResult<Vec<RegistrationId>> {
    let mut promoted = Vec::new();
    loop {
        let (taken,): (i64,) = with_tx!(tx, |c| {
            sqlx::query_as(
                "SELECT COUNT(*) FROM registration WHERE tenant_id = $1 AND event_id = $2 AND mode = $3 \
                 AND status = 'registered'",
            )
            .bind(tenant)
            .bind(event)
            .bind(mode)
            .fetch_one(&mut *c)
            .await?
        });
        if capacity.is_some_and(|c| taken >= c) {
            break;
        }
        let next: Option<(RegistrationId,)> = with_tx!(tx, |c| {
            sqlx::query_as(
                "UPDATE registration SET status = 'registered', updated_at = $4 WHERE id = ( \
                   SELECT id FROM registration WHERE tenant_id = $1 AND event_id = $2 AND mode = $3 \
                   AND status = 'waiting' ORDER BY created_at, id LIMIT 1) RETURNING id",
            )
            .bind(tenant)
            .bind(event)
            .bind(mode)
            .bind(now)
            .fetch_optional(&mut *c)
            .await?
        });
        match next {
            Some((id,)) => promoted.push(id),
            None => break,
        }
    }
    Ok(promoted)
}

/// Gives free places to waiting registrations, oldest first (after cancellations or when
/// the secretariat raises a capacity). Returns those promoted.
///
/// # Errors
/// [`StoreError::NotFound`] for an event of another tenant.
pub async fn refill(tx: &mut Tx, tenant: TenantId, event: EventId) -> StoreResult<Vec<RegistrationId>> {
    let now = now();
    let gate = lock_gate(tx, tenant, event).await?;
    let mut promoted = fill_from_waiting(tx, tenant, event, Mode::Venue, gate.venue_capacity, now).await?;
    promoted.extend(fill_from_waiting(tx, tenant, event, Mode::Online, gate.online_capacity, now).await?);
    Ok(promoted)
}

/// Registers `person` (or, for an anonymous event, nobody in particular) in `mode`: a
/// place if one is left, else the waiting list.
///
/// # Errors
/// [`StoreError::NotFound`] for an event of another tenant; the refusal reasons inside
/// `Ok(Err(_))`, having written nothing.
pub async fn register(
    tx: &mut Tx,
    tenant: TenantId,
    event: EventId,
    person: Option<PersonId>,
    mode: Mode,
    lang: crate::i18n::Lang,
) -> StoreResult<Result<Placed, RegisterError>> {
    let (token, hash) = token::generate();
    let now = now();
    let gate = lock_gate(tx, tenant, event).await?;
    let capacity = match gate.admits(mode, now) {
        Ok(c) => c,
        Err(e) => return Ok(Err(e)),
    };
    // The anonymity rule: a registration for an anonymous session keeps nobody.
    let person = person.filter(|_| !gate.anonymous);
    if let Some(person) = person {
        let (existing,): (i64,) = with_tx!(tx, |c| {
            sqlx::query_as(
                "SELECT COUNT(*) FROM registration WHERE tenant_id = $1 AND event_id = $2 AND person_id = $3 \
                 AND status <> 'cancelled'",
            )
            .bind(tenant)
            .bind(event)
            .bind(person)
            .fetch_one(&mut *c)
            .await?
        });
        if existing > 0 {
            return Ok(Err(RegisterError::AlreadyRegistered));
        }
    }
    let (taken, waiting): (i64, i64) = with_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT COALESCE(SUM(CASE WHEN status = 'registered' THEN 1 ELSE 0 END), 0), \
                    COALESCE(SUM(CASE WHEN status = 'waiting' THEN 1 ELSE 0 END), 0) \
             FROM registration WHERE tenant_id = $1 AND event_id = $2 AND mode = $3",
        )
        .bind(tenant)
        .bind(event)
        .bind(mode)
        .fetch_one(&mut *c)
        .await?
    });
    // Nobody passes those already waiting.
    let free = capacity.is_none_or(|c| taken < c) && waiting == 0;
    let status = if free { Status::Registered } else { Status::Waiting };
    let (id,): (RegistrationId,) = with_tx!(tx, |c| {
        sqlx::query_as(
            "INSERT INTO registration (tenant_id, event_id, person_id, mode, status, lang, token_hash, created_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(tenant)
        .bind(event)
        .bind(person)
        .bind(mode)
        .bind(status)
        .bind(lang.code())
        .bind(&hash)
        .bind(now)
        .fetch_one(&mut *c)
        .await?
    });
    Ok(Ok(Placed { id, status, token }))
}

/// What cancelling did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cancelled {
    pub event: EventId,
    /// The waiting registrations that got the freed place (or places), oldest first.
    pub promoted: Vec<RegistrationId>,
}

/// Cancels a registration that is not cancelled yet; the oldest waiting registration of
/// the same mode then takes the freed place. `None` when there is nothing to cancel.
async fn cancel_one(
    tx: &mut Tx,
    tenant: TenantId,
    id: RegistrationId,
    event: EventId,
    now: DateTime<Utc>,
) -> StoreResult<Option<Cancelled>> {
    let gate = lock_gate(tx, tenant, event).await?;
    let cancelled: Option<(Mode,)> = with_tx!(tx, |c| {
        sqlx::query_as(
            "UPDATE registration SET status = 'cancelled', updated_at = $3 \
             WHERE tenant_id = $1 AND id = $2 AND status <> 'cancelled' RETURNING mode",
        )
        .bind(tenant)
        .bind(id)
        .bind(now)
        .fetch_optional(&mut *c)
        .await?
    });
    let Some((mode,)) = cancelled else { return Ok(None) };
    // Free places, if any, go to those waiting (a place, or the secretariat having raised
    // the capacity meanwhile).
    let promoted = fill_from_waiting(tx, tenant, event, mode, gate.capacity(mode), now).await?;
    Ok(Some(Cancelled { event, promoted }))
}

/// Cancels the registration whose link carries `token_value`; the oldest waiting
/// registration of the same mode then takes the freed place. `None` when the link is
/// unknown or already cancelled.
///
/// # Errors
/// The database fails.
pub async fn cancel(tx: &mut Tx, tenant: TenantId, token_value: &str) -> StoreResult<Option<Cancelled>> {
    let found: Option<(RegistrationId, EventId)> = with_tx!(tx, |c| {
        sqlx::query_as("SELECT id, event_id FROM registration WHERE tenant_id = $1 AND token_hash = $2")
            .bind(tenant)
            .bind(token::hash(token_value))
            .fetch_optional(&mut *c)
            .await?
    });
    match found {
        Some((id, event)) => cancel_one(tx, tenant, id, event, now()).await,
        None => Ok(None),
    }
}

/// One of a member's registrations, with the session it is for.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct OfAccount {
    pub event_id: EventId,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub mode: Mode,
    pub status: Status,
}

/// Every registration of the account in this tenant, cancelled ones too, by the session's
/// start: for their マイページ and their data export.
///
/// # Errors
/// The database fails.
pub async fn list_of_account(
    db: &Db,
    tenant: TenantId,
    account: crate::account::AccountId,
) -> StoreResult<Vec<OfAccount>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT e.id AS event_id, e.title, e.starts_at, e.ends_at, r.mode, r.status FROM registration r \
             JOIN person pe ON pe.id = r.person_id AND pe.tenant_id = r.tenant_id \
             JOIN event e ON e.id = r.event_id AND e.tenant_id = r.tenant_id \
             WHERE r.tenant_id = $1 AND pe.account_id = $2 ORDER BY e.starts_at, r.id",
        )
        .bind(tenant)
        .bind(account)
        .fetch_all(p)
        .await?
    }))
}

/// Every registration of a person (a guest), by the session's start.
///
/// # Errors
/// The database fails.
pub async fn list_of_person(db: &Db, tenant: TenantId, person: PersonId) -> StoreResult<Vec<OfAccount>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT e.id AS event_id, e.title, e.starts_at, e.ends_at, r.mode, r.status FROM registration r \
             JOIN event e ON e.id = r.event_id AND e.tenant_id = r.tenant_id \
             WHERE r.tenant_id = $1 AND r.person_id = $2 ORDER BY e.starts_at, r.id",
        )
        .bind(tenant)
        .bind(person)
        .fetch_all(p)
        .await?
    }))
}

/// A member's own registration for an event, as its page shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Mine {
    pub id: RegistrationId,
    pub mode: Mode,
    pub status: Status,
    /// Their place on the waiting list (1 is next), 0 when they have a seat.
    pub waiting_place: i64,
}

/// The account's registration for the event that is not cancelled, if any.
///
/// # Errors
/// The database fails.
pub async fn find_mine(
    db: &Db,
    tenant: TenantId,
    event: EventId,
    account: crate::account::AccountId,
) -> StoreResult<Option<Mine>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT r.id, r.mode, r.status, CASE WHEN r.status = 'waiting' THEN \
               (SELECT COUNT(*) FROM registration w WHERE w.tenant_id = r.tenant_id AND w.event_id = r.event_id \
                AND w.mode = r.mode AND w.status = 'waiting' \
                AND (w.created_at < r.created_at OR (w.created_at = r.created_at AND w.id <= r.id))) \
               ELSE 0 END AS waiting_place \
             FROM registration r JOIN person p ON p.id = r.person_id AND p.tenant_id = r.tenant_id \
             WHERE r.tenant_id = $1 AND r.event_id = $2 AND p.account_id = $3 AND r.status <> 'cancelled'",
        )
        .bind(tenant)
        .bind(event)
        .bind(account)
        .fetch_optional(p)
        .await?
    }))
}

/// Cancels the account's registration for the event; the oldest waiting registration of
/// the same mode then takes the freed place. `None` when there is nothing to cancel.
///
/// # Errors
/// The database fails.
pub async fn cancel_mine(
    tx: &mut Tx,
    tenant: TenantId,
    event: EventId,
    account: crate::account::AccountId,
) -> StoreResult<Option<Cancelled>> {
    let found: Option<(RegistrationId,)> = with_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT r.id FROM registration r JOIN person p ON p.id = r.person_id AND p.tenant_id = r.tenant_id \
             WHERE r.tenant_id = $1 AND r.event_id = $2 AND p.account_id = $3 AND r.status <> 'cancelled'",
        )
        .bind(tenant)
        .bind(event)
        .bind(account)
        .fetch_optional(&mut *c)
        .await?
    });
    match found {
        Some((id,)) => cancel_one(tx, tenant, id, event, now()).await,
        None => Ok(None),
    }
}

/// Cancels every registration of `person` for a session that has not ended (their
/// account is being deleted), moving the waiting lists up; returns what each did.
///
/// # Errors
/// The database fails.
pub async fn cancel_upcoming_of(tx: &mut Tx, tenant: TenantId, person: PersonId) -> StoreResult<Vec<Cancelled>> {
    let now = now();
    let open: Vec<(RegistrationId, EventId)> = with_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT r.id, r.event_id FROM registration r JOIN event e ON e.id = r.event_id \
             WHERE r.tenant_id = $1 AND r.person_id = $2 AND r.status <> 'cancelled' AND e.ends_at >= $3 \
             ORDER BY r.id",
        )
        .bind(tenant)
        .bind(person)
        .bind(now)
        .fetch_all(&mut *c)
        .await?
    });
    let mut done = Vec::new();
    for (id, event) in open {
        if let Some(cancelled) = cancel_one(tx, tenant, id, event, now).await? {
            done.push(cancelled);
        }
    }
    Ok(done)
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
    Ok(with_db!(db, |p| {
        sqlx::query_as("SELECT id, event_id, status, mode FROM registration WHERE tenant_id = $1 AND token_hash = $2")
            .bind(tenant)
            .bind(token::hash(token_value))
            .fetch_optional(p)
            .await?
    }))
}

/// Seats registered and waiting in each mode the event offers.
///
/// # Errors
/// The database fails.
pub async fn seats(db: &Db, tenant: TenantId, event: &crate::event::Event) -> StoreResult<Vec<Seats>> {
    Ok(seats_for(db, tenant, std::slice::from_ref(event)).await?.pop().unwrap_or_default())
}

/// The seats of each event of a list, in its order: one query for the list, not one an event.
///
/// # Errors
/// The database fails.
pub async fn seats_for(db: &Db, tenant: TenantId, events: &[crate::event::Event]) -> StoreResult<Vec<Vec<Seats>>> {
    let mut counts: Vec<(EventId, Mode, Status, i64)> = Vec::new();
    for chunk in events.chunks(200) {
        let placeholders: Vec<String> = (2..=chunk.len() + 1).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT event_id, mode, status, COUNT(*) FROM registration WHERE tenant_id = $1 AND event_id IN ({}) \
             AND status <> 'cancelled' GROUP BY event_id, mode, status",
            placeholders.join(", ")
        );
        let rows: Vec<(EventId, Mode, Status, i64)> = with_db!(db, |p| {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(tenant);
            for e in chunk {
                q = q.bind(e.id);
            }
            q.fetch_all(p).await?
        });
        counts.extend(rows);
    }
    Ok(events
        .iter()
        .map(|event| {
            let count = |mode: Mode, status: Status| {
                counts
                    .iter()
                    .filter(|(e, m, s, _)| *e == event.id && *m == mode && *s == status)
                    .map(|(_, _, _, n)| *n)
                    .sum::<i64>()
            };
            crate::event::store::SeatCounts {
                venue_registered: count(Mode::Venue, Status::Registered),
                venue_waiting: count(Mode::Venue, Status::Waiting),
                online_registered: count(Mode::Online, Status::Registered),
                online_waiting: count(Mode::Online, Status::Waiting),
            }
            .seats(event)
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct ListRow {
    id: RegistrationId,
    event_id: EventId,
    person_id: Option<PersonId>,
    mode: Mode,
    status: Status,
    name: Option<String>,
    furigana: Option<String>,
    email: Option<String>,
    affiliation: Option<String>,
    sector: Option<Sector>,
    attended: i64,
}

macro_rules! list {
    ($rest:literal) => {
        concat!(
            "SELECT r.id, r.event_id, r.person_id, r.mode, r.status, p.name, p.furigana, p.email, \
     CASE WHEN p.erased_at IS NULL THEN p.affiliation ELSE '' END AS affiliation, p.sector, \
     (SELECT COUNT(*) FROM attendance a WHERE a.registration_id = r.id) AS attended \
     FROM registration r LEFT JOIN person p ON p.id = r.person_id \
     WHERE r.tenant_id = $1 AND r.event_id = $2 AND r.status <> 'cancelled' ",
            $rest
        )
    };
}

impl From<ListRow> for Registration {
    fn from(r: ListRow) -> Registration {
        Registration {
            id: r.id,
            event_id: r.event_id,
            person_id: r.person_id,
            mode: r.mode,
            status: r.status,
            name: r.name.unwrap_or_default(),
            furigana: r.furigana.unwrap_or_default(),
            email: r.email.unwrap_or_default(),
            affiliation: r.affiliation.unwrap_or_default(),
            sector: r.sector,
            attended: r.attended > 0,
        }
    }
}

/// The registrations of an event that are not cancelled, registered first, each group in
/// the order it came (the waiting list's order of moving up), for the check-in list.
///
/// # Errors
/// The database fails.
pub async fn list_for_event(db: &Db, tenant: TenantId, event: EventId) -> StoreResult<Vec<Registration>> {
    const SQL: &str = list!("ORDER BY r.status, r.created_at, r.id");
    let rows: Vec<ListRow> = with_db!(db, |p| sqlx::query_as(SQL).bind(tenant).bind(event).fetch_all(p).await?);
    Ok(rows.into_iter().map(Into::into).collect())
}

/// One registration of the event that is not cancelled, as the check-in list shows it.
///
/// # Errors
/// [`StoreError::NotFound`], also for another event's or tenant's registration.
pub async fn get_for_event(
    tx: &mut Tx,
    tenant: TenantId,
    event: EventId,
    id: RegistrationId,
) -> StoreResult<Registration> {
    const SQL: &str = list!("AND r.id = $3");
    let row: ListRow =
        with_tx!(tx, |c| sqlx::query_as(SQL).bind(tenant).bind(event).bind(id).fetch_one(&mut *c).await?);
    Ok(row.into())
}

/// The registration with a place at the event of the person, if any.
///
/// # Errors
/// The database fails.
pub async fn find_registered(
    tx: &mut Tx,
    tenant: TenantId,
    event: EventId,
    person: PersonId,
) -> StoreResult<Option<Registration>> {
    const SQL: &str = list!("AND r.person_id = $3 AND r.status = 'registered'");
    let row: Option<ListRow> =
        with_tx!(tx, |c| sqlx::query_as(SQL).bind(tenant).bind(event).bind(person).fetch_optional(&mut *c).await?);
    Ok(row.map(Into::into))
}

/// The e-mail and name of a registration's person, if it has them, and its mode.
///
/// # Errors
/// The database fails.
pub async fn contact(db: &Db, tenant: TenantId, id: RegistrationId) -> StoreResult<Option<(String, String, Mode)>> {
    let row: Option<(Option<String>, Option<String>, Mode)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT p.email, p.name, r.mode FROM registration r JOIN person p ON p.id = r.person_id \
             WHERE r.tenant_id = $1 AND r.id = $2",
        )
        .bind(tenant)
        .bind(id)
        .fetch_optional(p)
        .await?
    });
    Ok(row.and_then(|(email, name, mode)| Some((email?, name.unwrap_or_default(), mode))))
}

/// The person registered (with a place) for the event with this e-mail, if any.
///
/// # Errors
/// The database fails.
pub async fn person_by_email(db: &Db, tenant: TenantId, event: EventId, email: &str) -> StoreResult<Option<PersonId>> {
    Ok(with_db!(db, |p| {
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

/// Everyone with a place at the event who gave an e-mail, for reminders: (email, name,
/// the language they registered in).
///
/// # Errors
/// The database fails, or a stored language is unknown.
pub async fn reminder_recipients(
    db: &Db,
    tenant: TenantId,
    event: EventId,
) -> StoreResult<Vec<(String, String, crate::i18n::Lang, Option<crate::account::AccountId>)>> {
    let rows: Vec<(String, String, String, Option<crate::account::AccountId>)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT p.email, p.name, r.lang, p.account_id FROM registration r JOIN person p ON p.id = r.person_id \
             WHERE r.tenant_id = $1 AND r.event_id = $2 AND r.status = 'registered' AND p.email IS NOT NULL",
        )
        .bind(tenant)
        .bind(event)
        .fetch_all(p)
        .await?
    });
    rows.into_iter()
        .map(|(email, name, lang, account)| {
            let lang = crate::i18n::Lang::from_code(&lang).ok_or_else(|| crate::db::decode_error("language", &lang))?;
            Ok((email, name, lang, account))
        })
        .collect()
}
