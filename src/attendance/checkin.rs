//! Recording attendance, each way it happens, as one write transaction: the secretariat's
//! tap on the check-in list, a walk-in, self check-in with the venue's code (a member, a
//! registered guest, or anyone at an anonymous session) and the online join link. Each
//! finds or creates the person through the person store and records through
//! [`store::record`], so the anonymity and first-time rules are applied the same way
//! whatever the door.

use super::{FirstTime, NewAttendance, Source, store};
use crate::account::Account;
use crate::db::{Db, StoreResult};
use crate::event::{Event, Mode};
use crate::person::{GuestDetails, PersonId, store as person_store};
use crate::registration::{RegistrationId, Status, store as registration_store};
use crate::sector::Sector;
use crate::tenant::TenantId;

/// What checking in a registration did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckedIn {
    /// A new attendance was recorded.
    Recorded,
    /// They had been checked in already.
    Already,
    /// They are on the waiting list, and the tap was not the waiting list's own: nothing
    /// was recorded.
    Waiting,
}

/// The secretariat checks in a registration of the event (one tap on the list). Someone
/// on the waiting list is checked in only from the waiting list's own button
/// (`from_waiting_list`), never by the tap meant for those with a seat. `None` when the
/// event has no such registration.
///
/// # Errors
/// The database fails.
pub async fn registration(
    db: &Db,
    tenant: TenantId,
    event: &Event,
    registration: RegistrationId,
    from_waiting_list: bool,
) -> StoreResult<Option<CheckedIn>> {
    db.write(async |tx| {
        let r = match registration_store::get_for_event(tx, tenant, event.id, registration).await {
            Ok(r) => r,
            Err(crate::db::StoreError::NotFound) => return Ok(None),
            Err(e) => return Err(e),
        };
        if r.status == crate::registration::Status::Waiting && !from_waiting_list {
            return Ok(Some(CheckedIn::Waiting));
        }
        let new = NewAttendance {
            person: r.person_id,
            registration: Some(r.id),
            sector: r.sector.unwrap_or(Sector::Citizen),
            mode: r.mode,
            first_time: FirstTime::FromHistory,
            source: Source::Checkin,
            import_key: None,
        };
        let recorded = store::record(tx, tenant, event, new).await?;
        Ok(Some(if recorded { CheckedIn::Recorded } else { CheckedIn::Already }))
    })
    .await
}

/// What the walk-in form said, as validated.
#[derive(Clone, Debug)]
pub struct WalkIn {
    pub mode: Mode,
    pub sector: Sector,
    /// Normalised; `None` when none was given.
    pub email: Option<String>,
    pub name: String,
    /// フリガナ, in katakana; may be empty.
    pub furigana: String,
    pub affiliation: String,
    /// "yes" or "no" at the door, or not said (then told from history where it can be).
    pub first_time: FirstTime,
}

/// Someone who came without registering. Someone who gave an address is found again by
/// it; someone who gave only a name keeps it on the roster; someone who gave neither (or
/// came to an anonymous session) is nobody. Returns whether a new attendance was recorded.
///
/// # Errors
/// The database fails.
pub async fn walk_in(db: &Db, tenant: TenantId, event: &Event, w: WalkIn) -> StoreResult<bool> {
    db.write(async |tx| {
        let person = if event.anonymous {
            None
        } else {
            match (&w.email, w.name.is_empty()) {
                (Some(email), _) => {
                    let guest = GuestDetails {
                        name: w.name.clone(),
                        furigana: w.furigana.clone(),
                        email: email.clone(),
                        sector: w.sector,
                        affiliation: w.affiliation.clone(),
                    };
                    Some(person_store::upsert_guest(tx, tenant, &guest).await?.0)
                }
                (None, false) => {
                    Some(person_store::insert_named(tx, tenant, &w.name, &w.furigana, w.sector, &w.affiliation).await?)
                }
                (None, true) => None,
            }
        };
        let new = NewAttendance {
            person,
            registration: None,
            sector: w.sector,
            mode: w.mode,
            first_time: w.first_time,
            source: Source::Walkin,
            import_key: None,
        };
        store::record(tx, tenant, event, new).await
    })
    .await
}

/// Who checks themselves in at the venue.
#[derive(Clone, Copy, Debug)]
pub enum Arrival<'a> {
    /// A logged-in member.
    Member(&'a Account),
    /// A guest, found by the e-mail of their registration.
    Registered(PersonId),
}

/// Self check-in at the venue of a member or a registered guest. Returns whether a new
/// attendance was recorded.
///
/// # Errors
/// The database fails.
pub async fn self_check_in(db: &Db, tenant: TenantId, event: &Event, who: Arrival<'_>) -> StoreResult<bool> {
    db.write(async |tx| {
        let person = match who {
            Arrival::Member(account) => person_store::for_account(tx, tenant, account).await?,
            Arrival::Registered(person) => person,
        };
        let registration = registration_store::find_registered(tx, tenant, event.id, person).await?;
        let account_sector = match who {
            Arrival::Member(account) => Some(account.sector),
            Arrival::Registered(_) => None,
        };
        let new = NewAttendance {
            person: Some(person),
            registration: registration.as_ref().map(|r| r.id),
            sector: registration.and_then(|r| r.sector).or(account_sector).unwrap_or(Sector::Citizen),
            mode: Mode::Venue,
            first_time: FirstTime::FromHistory,
            source: Source::SelfCheckin,
            import_key: None,
        };
        store::record(tx, tenant, event, new).await
    })
    .await
}

/// Self check-in at an anonymous session: nobody is asked who they are. A browser that
/// forgets its cookie could count again, so never more than the hall holds: `false`
/// (nothing recorded) once the venue's seats are counted.
///
/// # Errors
/// The database fails.
pub async fn self_check_in_anonymous(db: &Db, tenant: TenantId, event: &Event) -> StoreResult<bool> {
    db.write(async |tx| {
        if let Some(seats) = event.venue_capacity
            && store::count_at_venue(tx, tenant, event.id).await? >= seats
        {
            return Ok(false);
        }
        let new = NewAttendance {
            person: None,
            registration: None,
            sector: Sector::Citizen,
            mode: Mode::Venue,
            first_time: FirstTime::Given(None),
            source: Source::SelfCheckin,
            import_key: None,
        };
        store::record(tx, tenant, event, new).await
    })
    .await
}

/// The online join link of a registration with a place: records its attendance online.
///
/// # Errors
/// The database fails.
pub async fn join_online(db: &Db, tenant: TenantId, event: &Event, registration: RegistrationId) -> StoreResult<()> {
    db.write(async |tx| {
        let r = match registration_store::get_for_event(tx, tenant, event.id, registration).await {
            Ok(r) if r.status == Status::Registered => r,
            Ok(_) | Err(crate::db::StoreError::NotFound) => return Ok(()),
            Err(e) => return Err(e),
        };
        let new = NewAttendance {
            person: r.person_id,
            registration: Some(r.id),
            sector: r.sector.unwrap_or(Sector::Citizen),
            mode: Mode::Online,
            first_time: FirstTime::FromHistory,
            source: Source::Online,
            import_key: None,
        };
        store::record(tx, tenant, event, new).await.map(|_| ())
    })
    .await
}
