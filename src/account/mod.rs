//! Accounts: sign-up, e-mail verification, login, password reset, profile and roles
//! (事務局 admin, coordinator, member). This file holds the types and validation; the SQL
//! is in `store.rs`, the pages in `web.rs`, password hashing in `password.rs`.

use chrono::{DateTime, Utc};

use crate::i18n::normalize_identifier;
use crate::sector::Sector;
use crate::tenant::TenantId;
use crate::validate::FieldErrors;

pub mod export;
pub mod password;
pub mod store;
pub mod token;
pub mod web;

/// An account's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize, serde::Deserialize)]
#[sqlx(transparent)]
pub struct AccountId(pub i64);

/// What an account may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The secretariat (事務局): runs the center.
    Admin,
    /// Connects people and runs pro bono coordination.
    Coordinator,
    Member,
}

crate::text_code!(Role { Admin = "admin", Coordinator = "coordinator", Member = "member" });

/// A person's account within one tenant.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Account {
    pub id: AccountId,
    pub tenant_id: TenantId,
    pub email: String,
    pub display_name: String,
    /// フリガナ of the display name, in katakana; empty when not given.
    pub furigana: String,
    pub sector: Sector,
    pub affiliation: String,
    pub role: Role,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The language of the account's mails (chosen at sign-up by the page's language).
    pub lang: crate::i18n::Lang,
    /// Bumped when the password changes, which ends every login session made before.
    #[serde(skip)]
    pub auth_version: i64,
    /// The version of the privacy notice the person last agreed to (`None`: never).
    pub consented_notice: Option<String>,
}

impl Account {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// An account of center 1 with a role, for unit tests of who may do what.
    #[cfg(test)]
    pub fn sample(id: i64, role: Role) -> Account {
        Account {
            id: AccountId(id),
            tenant_id: TenantId(1),
            email: format!("{id}@example.jp"),
            display_name: "x".into(),
            furigana: String::new(),
            sector: Sector::Citizen,
            affiliation: String::new(),
            role,
            email_verified_at: None,
            created_at: Utc::now(),
            lang: crate::i18n::Lang::Ja,
            auth_version: 0,
            consented_notice: None,
        }
    }
}

/// Profile fields a person fills in at sign-up and can change later.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    pub display_name: String,
    /// フリガナ, in katakana ([`crate::person::normalize_furigana`]); asked at sign-up and
    /// on the profile, empty only for accounts made before it was asked.
    pub furigana: String,
    pub sector: Sector,
    pub affiliation: String,
}

/// A validated sign-up.
#[derive(Clone, Debug)]
pub struct NewAccount {
    pub email: String,
    pub password: String,
    pub profile: Profile,
}

pub const PASSWORD_MIN_CHARS: usize = 10;
const PASSWORD_MAX_CHARS: usize = 256;
pub const NAME_MAX_CHARS: usize = 100;
pub const AFFILIATION_MAX_CHARS: usize = 200;

/// Normalises an e-mail address as typed: full-width to half-width (NFKC), trimmed,
/// lower-cased. Returns `None` unless it looks like `local@domain.tld`.
pub fn normalize_email(raw: &str) -> Option<String> {
    let email = normalize_identifier(raw).to_lowercase();
    let (local, domain) = email.split_once('@')?;
    let ok = !local.is_empty()
        && email.len() <= 254
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"'))
        // What the mailer cannot send to is no address here either (e.g. `taro..x@…`).
        && email.parse::<lettre::Address>().is_ok();
    ok.then_some(email)
}

/// Checks a new password's length.
pub fn validate_password(password: &str, field: &'static str, errors: &mut FieldErrors) {
    let n = password.chars().count();
    if n < PASSWORD_MIN_CHARS {
        errors.add(field, "account-error-password-short");
    } else if n > PASSWORD_MAX_CHARS {
        errors.add(field, "account-error-password-long");
    }
}

/// Validates profile fields as typed; names and free text are kept as written (no NFKC).
///
/// # Errors
/// Each field's problem.
pub fn validate_profile(
    display_name: &str,
    furigana: &str,
    sector: &str,
    affiliation: &str,
) -> Result<Profile, FieldErrors> {
    let mut errors = FieldErrors::default();
    let display_name = display_name.trim();
    if display_name.is_empty() {
        errors.add("display_name", "account-error-name-required");
    } else if display_name.chars().count() > NAME_MAX_CHARS {
        errors.add("display_name", "account-error-name-long");
    }
    let furigana = errors.required_furigana("furigana", furigana);
    let sector = Sector::from_code(sector);
    if sector.is_none() {
        errors.add("sector", "account-error-sector-required");
    }
    let affiliation = affiliation.trim();
    if affiliation.chars().count() > AFFILIATION_MAX_CHARS {
        errors.add("affiliation", "account-error-affiliation-long");
    }
    match (sector, furigana) {
        (Some(sector), Some(furigana)) if errors.is_empty() => {
            Ok(Profile { display_name: display_name.to_owned(), furigana, sector, affiliation: affiliation.to_owned() })
        }
        _ => Err(errors),
    }
}

/// Validates a sign-up as typed.
///
/// # Errors
/// Every field's problem, in form order.
pub fn validate_signup(
    email: &str,
    password: &str,
    display_name: &str,
    furigana: &str,
    sector: &str,
    affiliation: &str,
    consent: bool,
) -> Result<NewAccount, FieldErrors> {
    let mut errors = FieldErrors::default();
    let email = errors.email("email", email);
    validate_password(password, "password", &mut errors);
    let profile = match validate_profile(display_name, furigana, sector, affiliation) {
        Ok(p) => Some(p),
        Err(e) => {
            errors.0.extend(e.0);
            None
        }
    };
    if !consent {
        errors.add("consent", "account-error-consent-required");
    }
    match (email, profile) {
        (Some(email), Some(profile)) if errors.is_empty() => {
            Ok(NewAccount { email, password: password.to_owned(), profile })
        }
        _ => Err(errors),
    }
}

/// Creates a member's account, not yet verified, and the token of its verification
/// link, in one transaction. `None` when the address was taken meanwhile.
///
/// # Errors
/// The database fails.
pub async fn sign_up(
    db: &crate::db::Db,
    tenant: TenantId,
    email: &str,
    password_hash: &str,
    profile: &Profile,
    lang: crate::i18n::Lang,
) -> crate::db::StoreResult<Option<(AccountId, String)>> {
    let created = db
        .write(async |tx| {
            let id = store::insert(tx, tenant, email, password_hash, profile, Role::Member, false).await?;
            store::update_lang(tx, tenant, id, lang).await?;
            let who = crate::privacy::Subject::Account(id);
            crate::privacy::store::record(tx, tenant, who, crate::privacy::Form::SignUp).await?;
            let token = store::insert_token(tx, tenant, id, token::Purpose::Verify).await?;
            Ok((id, token))
        })
        .await;
    match created {
        Ok(done) => Ok(Some(done)),
        // Someone signed up with the same address a moment ago.
        Err(crate::db::StoreError::Conflict { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Creates an account whose address is taken as verified (made by the secretariat on the
/// command line, or demo accounts).
///
/// # Errors
/// [`crate::db::StoreError::Conflict`] when the e-mail is taken in this tenant.
pub async fn create_verified(
    db: &crate::db::Db,
    tenant: TenantId,
    email: &str,
    password_hash: &str,
    profile: &Profile,
    role: Role,
) -> crate::db::StoreResult<AccountId> {
    db.write(async |tx| store::insert(tx, tenant, email, password_hash, profile, role, true).await).await
}

/// Uses up a verification token and marks its account's address verified; returns the
/// account, `None` for an unknown, used or expired token.
///
/// # Errors
/// The database fails.
pub async fn verify(db: &crate::db::Db, tenant: TenantId, token: &str) -> crate::db::StoreResult<Option<AccountId>> {
    db.write(async |tx| {
        let found = store::take_token(tx, tenant, token, token::Purpose::Verify).await?;
        if let Some(id) = found {
            store::mark_verified(tx, tenant, id).await?;
        }
        Ok(found)
    })
    .await
}

/// Issues a one-time token for the account (for a mail link) and returns it.
///
/// # Errors
/// The database fails.
pub async fn issue_token(
    db: &crate::db::Db,
    tenant: TenantId,
    id: AccountId,
    purpose: token::Purpose,
) -> crate::db::StoreResult<String> {
    db.write(async |tx| store::insert_token(tx, tenant, id, purpose).await).await
}

/// Uses up a password-reset token and sets the new password (which ends every other
/// login); the link reached the mailbox, which proves the address too. Returns the
/// account, `None` for an unknown, used or expired token.
///
/// # Errors
/// The database fails.
pub async fn reset_password(
    db: &crate::db::Db,
    tenant: TenantId,
    token: &str,
    password_hash: &str,
) -> crate::db::StoreResult<Option<AccountId>> {
    db.write(async |tx| {
        let found = store::take_token(tx, tenant, token, token::Purpose::Reset).await?;
        if let Some(id) = found {
            store::update_password(tx, tenant, id, password_hash).await?;
            store::mark_verified(tx, tenant, id).await?;
        }
        Ok(found)
    })
    .await
}

/// Sets a new password, which ends every login made with the old one.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] for an id of another tenant.
pub async fn change_password(
    db: &crate::db::Db,
    tenant: TenantId,
    id: AccountId,
    password_hash: &str,
) -> crate::db::StoreResult<()> {
    db.write(async |tx| store::update_password(tx, tenant, id, password_hash).await).await
}

/// Changes the profile.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] for an id of another tenant.
pub async fn update_profile(
    db: &crate::db::Db,
    tenant: TenantId,
    id: AccountId,
    profile: &Profile,
) -> crate::db::StoreResult<()> {
    db.write(async |tx| {
        store::update_profile(tx, tenant, id, profile).await?;
        // The directory shows the name and sector: its search reads them again.
        crate::search::store::changed(tx, tenant, crate::search::Kind::Person, id.0).await
    })
    .await
}

/// Changes an account's role.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] for an id of another tenant.
pub async fn set_role(db: &crate::db::Db, tenant: TenantId, id: AccountId, role: Role) -> crate::db::StoreResult<()> {
    db.write(async |tx| store::update_role(tx, tenant, id, role).await).await
}

/// Deletes an account (the person's right to deletion), in one transaction: their
/// registrations for sessions still to come are cancelled and the waiting lists move up,
/// what identifies their person record is removed (the sector stays on past attendances
/// for the center's statistics), and the account goes. `None`, changing nothing, when it
/// is the center's last secretariat account; else the cancellations (with whom each
/// promoted, to tell them). `several_programs_in`: the fiscal years in which the account
/// took part in several programs (`report::store::years_in_several_programs`), kept
/// without a name so that those years' reports count it still.
///
/// # Errors
/// The database fails.
pub async fn delete(
    db: &crate::db::Db,
    tenant: TenantId,
    account: &Account,
    several_programs_in: &[i32],
) -> crate::db::StoreResult<Option<Vec<crate::registration::store::Cancelled>>> {
    db.write(async |tx| {
        let cancelled = match crate::person::store::of_account(tx, tenant, account).await? {
            Some(person) => crate::registration::store::cancel_upcoming_of(tx, tenant, person).await?,
            None => Vec::new(),
        };
        crate::person::store::anonymize_account(tx, tenant, account).await?;
        // Out of the directory and its search, in the same change.
        crate::directory::store::delete(tx, tenant, account.id).await?;
        crate::probono::store::forget_in_search(tx, tenant, account.id).await?;
        if !store::delete(tx, tenant, account.id, several_programs_in).await? {
            return Err(DeleteRefused::LastAdmin);
        }
        Ok(Some(cancelled))
    })
    .await
    .or_else(|e| match e {
        DeleteRefused::LastAdmin => Ok(None),
        DeleteRefused::Store(e) => Err(e),
    })
}

/// Why [`delete`] rolled back.
enum DeleteRefused {
    LastAdmin,
    Store(crate::db::StoreError),
}

impl From<crate::db::StoreError> for DeleteRefused {
    fn from(e: crate::db::StoreError) -> Self {
        DeleteRefused::Store(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised() {
        assert_eq!(normalize_email(" Ｔａｒｏ@Example.JP ").as_deref(), Some("taro@example.jp"));
        assert_eq!(normalize_email("taro＠example.jp").as_deref(), Some("taro@example.jp"));
        assert_eq!(normalize_email("taro@localhost"), None);
        assert_eq!(normalize_email("no-at-sign"), None);
        assert_eq!(normalize_email("a b@example.jp"), None);
        assert_eq!(normalize_email("@example.jp"), None);
    }

    #[test]
    fn signup_reports_every_problem() {
        let errors = validate_signup("x", "short", " ", "", "alien", "", false).unwrap_err();
        let fields: Vec<_> = errors.0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["email", "password", "display_name", "furigana", "sector", "consent"]);
        let messages: Vec<_> = errors.0.iter().map(|e| e.message).collect();
        assert_eq!(messages[3], "person-error-furigana-required");
        let errors = validate_signup("a@b.jp", "long enough pw", "佐藤", "佐藤", "npo", "", true).unwrap_err();
        assert_eq!(errors.0[0].message, "person-error-furigana");
    }

    #[test]
    fn names_are_kept_as_written() {
        let a = validate_signup("a@b.jp", "long enough pw", " 佐藤　美咲 ", "さとう みさき", "npo", "ＮＰＯ法人", true)
            .unwrap();
        assert_eq!(a.profile.display_name, "佐藤　美咲");
        assert_eq!(a.profile.furigana, "サトウ ミサキ");
        assert_eq!(a.profile.affiliation, "ＮＰＯ法人");
    }
}
