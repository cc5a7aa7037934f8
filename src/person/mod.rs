//! People who take part (参加者): everyone the center has met, with or without an account.
//! A person is known by their account or, for guests, by their normalised e-mail. A walk-in
//! who gave only a name is a record holding that name, never matched to anyone else;
//! an anonymous participant is no person record at all. Without an account or e-mail
//! nobody's history can be told, so their first time stays unknown.

use crate::account::AccountId;
use crate::sector::Sector;
use crate::tenant::TenantId;

pub mod store;

/// A person's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize, serde::Deserialize)]
#[sqlx(transparent)]
pub struct PersonId(pub i64);

/// Someone who registered for or attended an event.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Person {
    pub id: PersonId,
    #[serde(skip)]
    pub tenant_id: TenantId,
    pub account_id: Option<AccountId>,
    pub email: Option<String>,
    /// As written, family name first.
    pub name: String,
    pub sector: Sector,
    pub affiliation: String,
}

/// What a guest tells about themselves when registering or at the door.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuestDetails {
    pub name: String,
    /// Normalised (see [`crate::account::normalize_email`]).
    pub email: String,
    pub sector: Sector,
    pub affiliation: String,
}
