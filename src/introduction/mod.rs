//! Introductions (つなぐ): a coordinator puts two people in touch for a purpose, often a
//! need and an offer that could meet it. Each person answers; nothing of one (name,
//! organisation, address) is shown to the other until both have accepted, and if either
//! declines, neither learns anything of the other: the one who accepted is told only that
//! it will not go ahead. Once both have accepted, each sees the other's name, organisation
//! and e-mail address, and the outcome is recorded (会った, プロジェクト開始, 合わなかった)
//! for the annual report.
//!
//! Who may do what: coordinators and the secretariat introduce, read every introduction
//! and record outcomes; each of the two reads theirs, answers for themselves and, once
//! both have accepted, records the outcome too.

use chrono::{DateTime, Utc};

use crate::account::{Account, AccountId, Role};
use crate::db::{Db, StoreError};
use crate::i18n::Lang;
use crate::notification::Message;
use crate::organisation::OrganisationId;
use crate::probono::{Named, NeedId, OfferId};
use crate::tenant::TenantId;
use crate::validate::FieldErrors;

pub mod store;
pub mod web;

/// An introduction's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize)]
#[sqlx(transparent)]
pub struct IntroductionId(pub i64);

/// A person's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Answer {
    Accepted,
    Declined,
}

crate::text_code!(Answer { Accepted = "accepted", Declined = "declined" });

/// What came of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// 会った.
    Met,
    /// プロジェクト開始.
    ProjectStarted,
    /// 合わなかった.
    NoFit,
}

crate::text_code!(Outcome { Met = "met", ProjectStarted = "project_started", NoFit = "no_fit" });

impl Outcome {
    pub fn label(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        lang.t(&format!("introduction-outcome-{}", self.code()))
    }
}

/// One of the two introduced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Party {
    /// `None` once they have left the platform.
    pub account: Option<AccountId>,
    pub organisation: Option<Named<OrganisationId>>,
    pub answer: Option<Answer>,
}

/// Which of the two.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    A,
    B,
}

/// Where an introduction stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Someone has still to answer.
    Waiting,
    /// Someone declined: it does not go ahead.
    Declined,
    /// Both accepted: each sees the other's contact details.
    Accepted,
}

/// An introduction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Introduction {
    pub id: IntroductionId,
    pub tenant_id: TenantId,
    pub coordinator: Option<AccountId>,
    pub need: Option<NeedId>,
    pub offer: Option<OfferId>,
    pub purpose: String,
    pub a: Party,
    pub b: Party,
    pub outcome: Option<Outcome>,
    pub created_at: DateTime<Utc>,
}

impl Introduction {
    pub fn state(&self) -> State {
        match (self.a.answer, self.b.answer) {
            (Some(Answer::Declined), _) | (_, Some(Answer::Declined)) => State::Declined,
            (Some(Answer::Accepted), Some(Answer::Accepted)) => State::Accepted,
            _ => State::Waiting,
        }
    }

    /// The side `account` is on, if either.
    pub fn side_of(&self, account: AccountId) -> Option<Side> {
        if self.a.account == Some(account) {
            Some(Side::A)
        } else if self.b.account == Some(account) {
            Some(Side::B)
        } else {
            None
        }
    }

    pub fn party(&self, side: Side) -> &Party {
        match side {
            Side::A => &self.a,
            Side::B => &self.b,
        }
    }

    /// What the reader may do with it.
    pub fn access(&self, reader: Option<&Account>) -> Access {
        let staff = reader.is_some_and(|a| matches!(a.role, Role::Admin | Role::Coordinator));
        let side = reader.and_then(|a| self.side_of(a.id));
        let accepted = self.state() == State::Accepted;
        Access {
            read: staff || side.is_some(),
            staff,
            answer: side.filter(|s| self.state() == State::Waiting && self.party(*s).answer.is_none()),
            outcome: accepted && (staff || side.is_some()),
            // Contact details: to each of the two once both accepted; to the coordinators,
            // who introduced them, always.
            contact: staff || (side.is_some() && accepted),
            side,
        }
    }
}

/// What the reader may do with an introduction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Access {
    pub read: bool,
    /// A coordinator or the secretariat.
    pub staff: bool,
    /// The side they answer for, while their answer is awaited.
    pub answer: Option<Side>,
    pub outcome: bool,
    /// Sees who the two are.
    pub contact: bool,
    /// Their own side, if one of the two.
    pub side: Option<Side>,
}

/// Who is introduced to whom, for what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewIntroduction {
    pub need: Option<NeedId>,
    pub offer: Option<OfferId>,
    pub purpose: String,
    pub a: (AccountId, Option<OrganisationId>),
    pub b: (AccountId, Option<OrganisationId>),
}

/// The purpose as typed: required, at most 2,000 characters.
///
/// # Errors
/// The field's problem.
pub fn validate_purpose(typed: &str) -> Result<String, FieldErrors> {
    let purpose = typed.trim();
    if purpose.is_empty() {
        Err(FieldErrors::single("purpose", "introduction-error-purpose"))
    } else if purpose.chars().count() > 2_000 {
        Err(FieldErrors::single("purpose", "introduction-error-purpose-long"))
    } else {
        Ok(purpose.to_owned())
    }
}

/// Why an introduction or an answer was refused.
#[derive(Debug)]
pub enum Refused {
    /// Someone cannot be introduced to themselves.
    Same,
    /// The answer was given already, or it is no longer awaited.
    Answered,
    /// An outcome before both accepted.
    NotAccepted,
    Store(StoreError),
}

impl From<StoreError> for Refused {
    fn from(e: StoreError) -> Refused {
        Refused::Store(e)
    }
}

fn link(id: IntroductionId) -> String {
    format!("/introductions/{}", id.0)
}

/// A coordinator introduces two people; each is told (a notification, mailed as they
/// chose) that an introduction awaits their answer.
///
/// # Errors
/// [`Refused::Same`]; [`StoreError::NotFound`] for an account, need or offer not the
/// tenant's.
pub async fn introduce(
    db: &Db,
    tenant: TenantId,
    coordinator: AccountId,
    new: &NewIntroduction,
) -> Result<IntroductionId, Refused> {
    if new.a.0 == new.b.0 {
        return Err(Refused::Same);
    }
    Ok(db
        .write(async |tx| {
            let id = store::insert(tx, tenant, coordinator, new).await?;
            let link = link(id);
            let message = Message { tenant, id: "introduction-notice-new", subject: "", link: &link };
            crate::notification::store::insert(tx, tenant, &[new.a.0, new.b.0], &message).await?;
            Ok::<_, StoreError>(id)
        })
        .await?)
}

/// `account` answers for their side. When both have accepted, both are told; when one
/// declines, the other is told only that it will not go ahead, and the coordinator is
/// told who declined (they introduced them).
///
/// # Errors
/// [`Refused::Answered`]; [`StoreError::NotFound`] when they are not one of the two.
pub async fn answer(
    db: &Db,
    tenant: TenantId,
    id: IntroductionId,
    account: AccountId,
    answer: Answer,
) -> Result<State, Refused> {
    db.write(async |tx| {
        let intro = store::get_in(tx, tenant, id).await?;
        let Some(side) = intro.side_of(account) else {
            return Err(Refused::Store(StoreError::NotFound));
        };
        if intro.state() != State::Waiting || intro.party(side).answer.is_some() {
            return Err(Refused::Answered);
        }
        store::set_answer(tx, tenant, id, side, answer).await?;
        let after = store::get_in(tx, tenant, id).await?;
        let link = link(id);
        let both: Vec<AccountId> = [after.a.account, after.b.account].into_iter().flatten().collect();
        let others: Vec<AccountId> = both.iter().copied().filter(|a| *a != account).collect();
        let coordinator: Vec<AccountId> = after.coordinator.into_iter().collect();
        let state = after.state();
        let tell = async |tx: &mut crate::db::Tx, to: &[AccountId], id: &'static str| {
            let message = Message { tenant, id, subject: "", link: &link };
            crate::notification::store::insert(tx, tenant, to, &message).await
        };
        match state {
            State::Accepted => {
                tell(tx, &both, "introduction-notice-accepted").await?;
                tell(tx, &coordinator, "introduction-notice-accepted").await?;
            }
            State::Declined => {
                tell(tx, &others, "introduction-notice-not-going-ahead").await?;
                tell(tx, &coordinator, "introduction-notice-declined").await?;
            }
            State::Waiting => {}
        }
        Ok(state)
    })
    .await
}

/// Records what came of an introduction both accepted.
///
/// # Errors
/// [`Refused::NotAccepted`]; [`StoreError::NotFound`].
pub async fn record_outcome(db: &Db, tenant: TenantId, id: IntroductionId, outcome: Outcome) -> Result<(), Refused> {
    db.write(async |tx| {
        let intro = store::get_in(tx, tenant, id).await?;
        if intro.state() != State::Accepted {
            return Err(Refused::NotAccepted);
        }
        store::set_outcome(tx, tenant, id, outcome).await?;
        Ok(())
    })
    .await
}

/// The year's introductions as the annual report counts them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub made: i64,
    pub accepted: i64,
    pub declined: i64,
    pub waiting: i64,
    pub met: i64,
    pub project_started: i64,
    pub no_fit: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intro(a: Option<Answer>, b: Option<Answer>) -> Introduction {
        let party = |id, answer| Party { account: Some(AccountId(id)), organisation: None, answer };
        Introduction {
            id: IntroductionId(1),
            tenant_id: TenantId(1),
            coordinator: Some(AccountId(9)),
            need: None,
            offer: None,
            purpose: "会計の相談".into(),
            a: party(1, a),
            b: party(2, b),
            outcome: None,
            created_at: Utc::now(),
        }
    }

    fn reader(id: i64, role: Role) -> Account {
        Account::sample(id, role)
    }

    #[test]
    fn contact_details_only_once_both_accept() {
        let a = reader(1, Role::Member);
        let stranger = reader(3, Role::Member);
        let coordinator = reader(4, Role::Coordinator);
        let waiting = intro(Some(Answer::Accepted), None);
        assert_eq!(waiting.state(), State::Waiting);
        let access = waiting.access(Some(&a));
        assert!(access.read && !access.contact && access.answer.is_none(), "answered already");
        assert_eq!(waiting.access(Some(&reader(2, Role::Member))).answer, Some(Side::B));
        assert!(!waiting.access(Some(&stranger)).read);
        assert!(!waiting.access(None).read);
        assert!(waiting.access(Some(&coordinator)).contact && !waiting.access(Some(&coordinator)).outcome);

        let declined = intro(Some(Answer::Accepted), Some(Answer::Declined));
        assert_eq!(declined.state(), State::Declined);
        assert!(!declined.access(Some(&a)).contact, "a refusal shares nothing");

        let accepted = intro(Some(Answer::Accepted), Some(Answer::Accepted));
        assert!(accepted.access(Some(&a)).contact && accepted.access(Some(&a)).outcome);
        assert!(accepted.access(Some(&coordinator)).outcome);
        assert!(!accepted.access(Some(&stranger)).outcome);
        assert!(validate_purpose("  ").is_err());
        for o in Outcome::ALL {
            for lang in [Lang::Ja, Lang::En] {
                assert!(!o.label(lang).starts_with("introduction-"));
            }
        }
    }
}
