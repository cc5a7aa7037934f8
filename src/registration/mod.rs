//! Registrations (申し込み) for an event, at the venue or online: capacity per mode, a
//! waiting list that moves up when someone cancels, one registration per person, and a
//! secret link per registration for cancelling and for joining online.

use crate::event::{EventId, Mode};
use crate::person::PersonId;

pub mod reminder;
pub mod store;
pub mod web;

/// A registration's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize, serde::Deserialize)]
#[sqlx(transparent)]
pub struct RegistrationId(pub i64);

/// Where a registration stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Has a place.
    Registered,
    /// On the waiting list: moves up, oldest first, when a place frees.
    Waiting,
    Cancelled,
}

crate::text_code!(Status { Registered = "registered", Waiting = "waiting", Cancelled = "cancelled" });

/// A registration with what the check-in list shows of its person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registration {
    pub id: RegistrationId,
    pub event_id: EventId,
    pub person_id: Option<PersonId>,
    pub mode: Mode,
    pub status: Status,
    /// The person's name (empty for anonymous events).
    pub name: String,
    /// Its フリガナ, in katakana; empty when not given.
    pub furigana: String,
    /// The person's e-mail address, for the secretariat's search; empty when none.
    pub email: String,
    pub affiliation: String,
    pub sector: Option<crate::sector::Sector>,
    /// Whether the person has been checked in.
    pub attended: bool,
}

impl Registration {
    /// Where it goes in the check-in list's あいうえお order: the フリガナ, else the name,
    /// its hiragana read as katakana (names without フリガナ in kanji come after the kana).
    pub fn sort_key(&self) -> (String, i64) {
        let reading = if self.furigana.is_empty() { &self.name } else { &self.furigana };
        (reading.chars().map(crate::person::to_katakana).collect(), self.id.0)
    }

    /// Whether the secretariat's search finds it: every word of the query in the name,
    /// the フリガナ (hiragana or katakana, half-width too) or the e-mail address.
    pub fn matches(&self, query: &str) -> bool {
        let fold = |s: &str| -> String {
            use unicode_normalization::UnicodeNormalization;
            s.nfkc()
                .flat_map(char::to_lowercase)
                .map(crate::person::to_katakana)
                .filter(|c| !c.is_whitespace())
                .collect()
        };
        let haystack = [fold(&self.name), fold(&self.furigana), fold(&self.email)];
        query.split_whitespace().map(fold).all(|word| haystack.iter().any(|h| h.contains(&word)))
    }
}

/// A new registration: its place and the secret for its links (sent once, never stored).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placed {
    pub id: RegistrationId,
    pub status: Status,
    pub token: String,
}

/// Why a registration was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RegisterError {
    #[error("the event is not open for registration")]
    NotOpen,
    #[error("the event has ended")]
    Ended,
    /// Its 申込締切 has passed.
    #[error("the registration deadline has passed")]
    DeadlinePassed,
    #[error("the event is not held in this mode")]
    ModeNotOffered,
    #[error("already registered")]
    AlreadyRegistered,
}

/// Who registers.
#[derive(Clone, Debug)]
pub enum Registrant {
    /// At an anonymous session: nobody in particular.
    Anonymous,
    Member(crate::account::Account),
    Guest(crate::person::GuestDetails),
}

/// Registers for an event in one transaction: the registrant's person (the member's own,
/// or a guest's found or created by e-mail), then a place or the waiting list. A refusal
/// writes nothing, not even the guest's person.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] for an event of another tenant; refusals inside
/// `Ok(Err(_))`.
pub async fn register(
    db: &crate::db::Db,
    tenant: crate::tenant::TenantId,
    event: EventId,
    who: &Registrant,
    mode: Mode,
    lang: crate::i18n::Lang,
) -> crate::db::StoreResult<Result<Placed, RegisterError>> {
    use crate::person::store as person_store;
    /// What rolls the transaction back.
    enum Undo {
        Refused(RegisterError),
        Store(crate::db::StoreError),
    }
    impl From<crate::db::StoreError> for Undo {
        fn from(e: crate::db::StoreError) -> Self {
            Undo::Store(e)
        }
    }
    let placed = db
        .write(async |tx| {
            let person = match who {
                Registrant::Anonymous => None,
                Registrant::Member(account) => Some(person_store::for_account(tx, tenant, account).await?),
                Registrant::Guest(guest) => {
                    let person = person_store::upsert_guest(tx, tenant, guest).await?.0;
                    let who = crate::privacy::Subject::Person(person);
                    crate::privacy::store::record(tx, tenant, who, crate::privacy::Form::Registration).await?;
                    Some(person)
                }
            };
            store::register(tx, tenant, event, person, mode, lang).await?.map_err(Undo::Refused)
        })
        .await;
    match placed {
        Ok(placed) => Ok(Ok(placed)),
        Err(Undo::Refused(e)) => Ok(Err(e)),
        Err(Undo::Store(e)) => Err(e),
    }
}

/// Cancels the registration whose link carries `token`; the waiting list moves up.
/// `None` when the link is unknown or already cancelled.
///
/// # Errors
/// The database fails.
pub async fn cancel(
    db: &crate::db::Db,
    tenant: crate::tenant::TenantId,
    token: &str,
) -> crate::db::StoreResult<Option<store::Cancelled>> {
    db.write(async |tx| store::cancel(tx, tenant, token).await).await
}

/// Cancels a member's own registration for an event (from its page), moving its waiting
/// list up; `None` when they hold none.
///
/// # Errors
/// The database fails.
pub async fn cancel_mine(
    db: &crate::db::Db,
    tenant: crate::tenant::TenantId,
    event: EventId,
    account: crate::account::AccountId,
) -> crate::db::StoreResult<Option<store::Cancelled>> {
    db.write(async |tx| store::cancel_mine(tx, tenant, event, account).await).await
}

/// Why an event with this status, end and deadline takes no registration at `now`, if it
/// does not: registration is open while the session is published, its 申込締切 (if any)
/// has not passed and it has not ended (people join an online session late). Decided here
/// only: the event page, the lists, the form and the store all ask this.
pub fn closed(
    status: crate::event::Status,
    ends_at: chrono::DateTime<chrono::Utc>,
    registration_closes_at: Option<chrono::DateTime<chrono::Utc>>,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<RegisterError> {
    if status != crate::event::Status::Published {
        Some(RegisterError::NotOpen)
    } else if ends_at < now {
        Some(RegisterError::Ended)
    } else if registration_closes_at.is_some_and(|t| t <= now) {
        Some(RegisterError::DeadlinePassed)
    } else {
        None
    }
}

/// [`closed`] for an event as read.
pub fn closed_for(event: &crate::event::Event, now: chrono::DateTime<chrono::Utc>) -> Option<RegisterError> {
    closed(event.status, event.ends_at, event.registration_closes_at, now)
}

impl RegisterError {
    /// The Fluent id of the message people see.
    pub fn message(self) -> &'static str {
        match self {
            RegisterError::NotOpen => "registration-error-not-open",
            RegisterError::Ended => "registration-error-ended",
            RegisterError::DeadlinePassed => "registration-error-deadline",
            RegisterError::ModeNotOffered => "registration-error-mode",
            RegisterError::AlreadyRegistered => "registration-error-twice",
        }
    }
}

/// Seats taken and left in one mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seats {
    pub mode: Mode,
    pub capacity: Option<i64>,
    pub registered: i64,
    pub waiting: i64,
}

impl Seats {
    /// Places left; `None` when there is no limit.
    pub fn left(&self) -> Option<i64> {
        self.capacity.map(|c| (c - self.registered).max(0))
    }

    pub fn is_full(&self) -> bool {
        self.left() == Some(0)
    }

    /// What a list says of this mode's seats, in a few words: 残り3席, 満席・キャンセル待ち
    /// (with how many wait), or 定員なし; the mode first when the session offers both.
    pub fn short_label(&self, lang: crate::i18n::Lang, hybrid: bool) -> String {
        let seats = match self.left() {
            None => lang.t("event-seats-unlimited").into_owned(),
            Some(0) => lang.t_int("event-seats-full-short", "waiting", self.waiting).into_owned(),
            Some(n) => lang.t_int("event-seats-left", "count", n).into_owned(),
        };
        if hybrid {
            lang.t_args("event-seats-in-mode", &[("mode", &self.mode.label(lang)), ("seats", &seats)])
        } else {
            seats
        }
    }
}
