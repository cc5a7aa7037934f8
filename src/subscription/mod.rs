//! What reaches people: each member chooses, for each kind of news (each board category,
//! new sessions, the issues they follow, consultations opening), mails at once, a daily
//! or a weekly digest, or nothing. Mails go out in the member's language, carry a link
//! that stops them without logging in (`List-Unsubscribe`, one click), and are kept as
//! jobs in the database until sent ([`crate::mail::outbox`]).
//!
//! News is announced once: the [`postman::Postman`] claims what became visible since it
//! last looked (a published post, a published session, a consultation that opened, a
//! notification) in the same transaction that queues the mails sent at once; a digest is
//! claimed once per center and period (`digest_run`) in the transaction that queues its
//! mails. With several instances each piece of news and each digest goes out once; a
//! restart loses nothing that was committed.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::account::AccountId;
use crate::board::Category;
use crate::i18n::Lang;
use crate::tenant::TenantId;

pub mod digest;
pub mod news;
pub mod postman;
pub mod store;
pub mod web;

/// A kind of news a member chooses how to receive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    BoardNotice,
    BoardGrant,
    BoardProject,
    BoardData,
    BoardEvent,
    /// A new session (published, not an internal meeting).
    Event,
    /// News of a social issue the member follows (their notifications).
    Issue,
    /// A consultation (意見募集) opening.
    Consultation,
}

crate::text_code!(Kind {
    BoardNotice = "board_notice",
    BoardGrant = "board_grant",
    BoardProject = "board_project",
    BoardData = "board_data",
    BoardEvent = "board_event",
    Event = "event",
    Issue = "issue",
    Consultation = "consultation",
});

impl Kind {
    /// The kind of a board post's category.
    pub fn of_board(category: Category) -> Kind {
        match category {
            Category::Notice => Kind::BoardNotice,
            Category::Grant => Kind::BoardGrant,
            Category::Project => Kind::BoardProject,
            Category::Data => Kind::BoardData,
            Category::Event => Kind::BoardEvent,
        }
    }

    pub fn label(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        match self {
            Kind::BoardNotice => Category::Notice.label(lang),
            Kind::BoardGrant => Category::Grant.label(lang),
            Kind::BoardProject => Category::Project.label(lang),
            Kind::BoardData => Category::Data.label(lang),
            Kind::BoardEvent => Category::Event.label(lang),
            Kind::Event | Kind::Issue | Kind::Consultation => lang.t(&format!("subscription-kind-{}", self.code())),
        }
    }

    /// Whether it is a board category (shown under the board's heading in the form).
    pub fn is_board(self) -> bool {
        matches!(self, Kind::BoardNotice | Kind::BoardGrant | Kind::BoardProject | Kind::BoardData | Kind::BoardEvent)
    }

    /// What a member receives before choosing: the issues they follow at once (they
    /// asked for them by following), the rest in the weekly digest.
    pub fn default_cadence(self) -> Cadence {
        if self == Kind::Issue { Cadence::Immediately } else { Cadence::Weekly }
    }

    fn index(self) -> usize {
        Kind::ALL.iter().position(|k| *k == self).expect("every kind is in ALL")
    }
}

/// How often a kind of news reaches a member.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cadence {
    Immediately,
    Daily,
    Weekly,
    Never,
}

crate::text_code!(Cadence { Immediately = "immediately", Daily = "daily", Weekly = "weekly", Never = "never" });

impl Cadence {
    pub fn label(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        lang.t(&format!("subscription-cadence-{}", self.code()))
    }
}

/// A member's choice for every kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choices([Cadence; Kind::ALL.len()]);

impl Default for Choices {
    fn default() -> Choices {
        Choices(Kind::ALL.map(Kind::default_cadence))
    }
}

impl Choices {
    pub fn get(&self, kind: Kind) -> Cadence {
        self.0[kind.index()]
    }

    pub fn set(&mut self, kind: Kind, cadence: Cadence) {
        self.0[kind.index()] = cadence;
    }

    /// The kinds received at `cadence`.
    pub fn kinds_at(&self, cadence: Cadence) -> impl Iterator<Item = Kind> + '_ {
        Kind::ALL.into_iter().filter(move |k| self.get(*k) == cadence)
    }

    /// Every kind and its cadence, in the order of [`Kind::ALL`].
    pub fn iter(&self) -> impl Iterator<Item = (Kind, Cadence)> + '_ {
        Kind::ALL.into_iter().map(|k| (k, self.get(k)))
    }
}

/// What an unsubscribe link stops: one kind of mail sent at once, or a digest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Kind(Kind),
    /// The daily or weekly digest: every kind received in it.
    Digest(Cadence),
}

impl Scope {
    /// As in the link: a kind's code, `daily` or `weekly`.
    pub fn code(self) -> &'static str {
        match self {
            Scope::Kind(k) => k.code(),
            Scope::Digest(c) => c.code(),
        }
    }

    pub fn from_code(code: &str) -> Option<Scope> {
        match Cadence::from_code(code) {
            Some(c @ (Cadence::Daily | Cadence::Weekly)) => Some(Scope::Digest(c)),
            Some(_) => None,
            None => Kind::from_code(code).map(Scope::Kind),
        }
    }

    /// The choices with what this scope covers set to nothing.
    pub fn stopped(self, mut choices: Choices) -> Choices {
        for kind in Kind::ALL {
            let covered = match self {
                Scope::Kind(k) => k == kind,
                Scope::Digest(c) => choices.get(kind) == c,
            };
            if covered {
                choices.set(kind, Cadence::Never);
            }
        }
        choices
    }

    pub fn label(self, lang: Lang) -> String {
        match self {
            Scope::Kind(k) => lang.t_args("unsubscribe-scope-kind", &[("kind", &k.label(lang))]),
            Scope::Digest(c) => lang.t(&format!("unsubscribe-scope-{}", c.code())).into_owned(),
        }
    }
}

/// Keeps a member's choices and the language of their mails.
///
/// # Errors
/// The database fails.
pub async fn choose(
    db: &crate::db::Db,
    tenant: TenantId,
    account: AccountId,
    lang: Lang,
    choices: &Choices,
) -> crate::db::StoreResult<()> {
    db.write(async |tx| {
        crate::account::store::update_lang(tx, tenant, account, lang).await?;
        store::save(tx, tenant, account, choices).await
    })
    .await
}

/// Stops what an unsubscribe link covers.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] for an account of another center (or deleted).
pub async fn stop(
    db: &crate::db::Db,
    tenant: TenantId,
    account: AccountId,
    scope: Scope,
) -> crate::db::StoreResult<()> {
    db.write(async |tx| {
        let choices = scope.stopped(store::choices_in(tx, tenant, account).await?);
        store::save(tx, tenant, account, &choices).await
    })
    .await
}

/// Whom an unsubscribe link is for: the account's id and when it was made.
pub type Signee = (AccountId, chrono::DateTime<chrono::Utc>);

/// The secret that signs unsubscribe links, shared by every instance through the database.
#[derive(Clone)]
pub struct UnsubscribeKey(Hmac<Sha256>);

impl std::fmt::Debug for UnsubscribeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UnsubscribeKey(…)")
    }
}

impl UnsubscribeKey {
    pub fn new(secret: &[u8]) -> UnsubscribeKey {
        UnsubscribeKey(<Hmac<Sha256> as KeyInit>::new_from_slice(secret).expect("HMAC takes any key length"))
    }

    /// The key kept in the database (made on first use).
    ///
    /// # Errors
    /// The database fails.
    pub async fn load(db: &crate::db::Db) -> crate::db::StoreResult<UnsubscribeKey> {
        let secret = crate::db::setting::get_or_init(db, "unsubscribe_key", crate::db::setting::random_secret).await?;
        Ok(UnsubscribeKey::new(secret.as_bytes()))
    }

    /// The signature covers the account's creation time as well as its id: an id that
    /// SQLite gives again after an account was deleted does not make an old link work
    /// for the newcomer.
    fn mac(&self, tenant: TenantId, account: Signee, scope: Scope) -> Hmac<Sha256> {
        let mut m = self.0.clone();
        let (id, since) = account;
        m.update(format!("unsubscribe/{}/{}/{}/{}", tenant.0, id.0, since.timestamp_micros(), scope.code()).as_bytes());
        m
    }

    fn b64() -> base64::engine::GeneralPurpose {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
    }

    /// The path of the link that stops `scope` for the account (no login needed).
    pub fn path(&self, tenant: TenantId, account: Signee, scope: Scope) -> String {
        use base64::Engine;
        let sig = Self::b64().encode(self.mac(tenant, account, scope).finalize().into_bytes());
        format!("/unsubscribe/{}/{}/{sig}", account.0.0, scope.code())
    }

    /// Whether `sig` is the signature of this link.
    pub fn verifies(&self, tenant: TenantId, account: Signee, scope: Scope, sig: &str) -> bool {
        use base64::Engine;
        Self::b64().decode(sig).is_ok_and(|bytes| self.mac(tenant, account, scope).verify_slice(&bytes).is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_signed_for_one_account_scope_and_center() {
        let key = UnsubscribeKey::new(b"k1");
        let since = chrono::DateTime::from_timestamp(1_700_000_000, 123_456_000).unwrap();
        let (t, a) = (TenantId(1), (AccountId(7), since));
        let scope = Scope::Digest(Cadence::Daily);
        let path = key.path(t, a, scope);
        let sig = path.rsplit('/').next().unwrap();
        assert!(path.starts_with("/unsubscribe/7/daily/"));
        assert!(key.verifies(t, a, scope, sig));
        assert!(!key.verifies(TenantId(2), a, scope, sig), "another center");
        assert!(!key.verifies(t, (AccountId(8), since), scope, sig), "another account");
        let later = since + chrono::TimeDelta::seconds(1);
        assert!(!key.verifies(t, (AccountId(7), later), scope, sig), "an account made again with the same id");
        assert!(!key.verifies(t, a, Scope::Digest(Cadence::Weekly), sig), "another scope");
        assert!(!UnsubscribeKey::new(b"k2").verifies(t, a, scope, sig), "another key");
        assert!(!key.verifies(t, a, scope, "not base64!"));
    }

    #[test]
    fn stopping_a_digest_stops_every_kind_in_it_and_nothing_else() {
        let mut c = Choices::default();
        c.set(Kind::BoardGrant, Cadence::Daily);
        c.set(Kind::Event, Cadence::Daily);
        let stopped = Scope::Digest(Cadence::Daily).stopped(c);
        assert_eq!(stopped.get(Kind::BoardGrant), Cadence::Never);
        assert_eq!(stopped.get(Kind::Event), Cadence::Never);
        assert_eq!(stopped.get(Kind::Issue), Cadence::Immediately);
        assert_eq!(stopped.get(Kind::BoardNotice), Cadence::Weekly);
        let one = Scope::Kind(Kind::Issue).stopped(c);
        assert_eq!(one.get(Kind::Issue), Cadence::Never);
        assert_eq!(one.get(Kind::Event), Cadence::Daily);
        for code in ["daily", "weekly", "board_grant", "issue"] {
            assert_eq!(Scope::from_code(code).unwrap().code(), code);
        }
        assert_eq!(Scope::from_code("never"), None);
        assert_eq!(Scope::from_code("immediately"), None);
        assert_eq!(Scope::from_code("x"), None);
    }
}
