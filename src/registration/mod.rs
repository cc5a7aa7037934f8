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

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Registered => "registered",
            Status::Waiting => "waiting",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<Status> {
        [Status::Registered, Status::Waiting, Status::Cancelled].into_iter().find(|s| s.code() == code)
    }
}

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
    pub affiliation: String,
    pub sector: Option<crate::sector::Sector>,
    /// Whether the person has been checked in.
    pub attended: bool,
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
    #[error("the event is not held in this mode")]
    ModeNotOffered,
    #[error("already registered")]
    AlreadyRegistered,
}

impl RegisterError {
    /// The Fluent id of the message people see.
    pub fn message(self) -> &'static str {
        match self {
            RegisterError::NotOpen => "registration-error-not-open",
            RegisterError::Ended => "registration-error-ended",
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
}
