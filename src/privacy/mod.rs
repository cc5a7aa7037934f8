//! The privacy notice (個人情報の取り扱い) and consent to it: which version of the notice
//! a person agreed to, on which form, when. A member whose last consent is to an older
//! version is asked again on every page until they agree; a guest agrees on the
//! registration form, each time. The records are in the person's export.

pub mod retention;
pub mod store;
pub mod web;

pub use retention::Retention;

use chrono::{DateTime, Utc};

/// The notice's version: the day its text last changed (`privacy-*` messages). Changing
/// the text means changing this, which asks every member again.
pub const NOTICE_VERSION: &str = "2026-12-02";

/// The day [`NOTICE_VERSION`] names.
///
/// # Panics
/// Never: the constant is a date (a unit test checks it).
pub fn notice_date() -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(NOTICE_VERSION, "%Y-%m-%d").expect("NOTICE_VERSION is a date")
}

/// Whether a person who last agreed to `version` (or never did) must be asked again.
pub fn asks_again(version: Option<&str>) -> bool {
    version != Some(NOTICE_VERSION)
}

/// The form on which consent was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    /// Signing up for an account.
    SignUp,
    /// Registering for a session as a guest.
    Registration,
    /// Agreeing again to a changed notice.
    Renewal,
}

crate::text_code!(Form { SignUp = "sign_up", Registration = "registration", Renewal = "renewal" });

impl Form {
    /// The Fluent id naming the form.
    pub fn message_id(self) -> &'static str {
        match self {
            Form::SignUp => "privacy-form-sign-up",
            Form::Registration => "privacy-form-registration",
            Form::Renewal => "privacy-form-renewal",
        }
    }
}

/// One consent given.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct Consent {
    pub notice_version: String,
    pub form: Form,
    pub given_at: DateTime<Utc>,
}

impl Consent {
    /// The version agreed to, as the notice names it (「令和8年12月2日（水）版」).
    pub fn version_label(&self, lang: crate::i18n::Lang) -> String {
        match chrono::NaiveDate::parse_from_str(&self.notice_version, "%Y-%m-%d") {
            Ok(day) => {
                let date = crate::i18n::wareki::format_date(lang, day);
                lang.t_args("privacy-version", &[("date", &date)])
            }
            Err(_) => self.notice_version.clone(),
        }
    }
}

/// Whose consent: an account's, or a guest's (a person without an account).
#[derive(Clone, Copy, Debug)]
pub enum Subject {
    Account(crate::account::AccountId),
    Person(crate::person::PersonId),
}

/// Records a member's agreement to the current notice.
///
/// # Errors
/// The database fails.
pub async fn agree(
    db: &crate::db::Db,
    tenant: crate::tenant::TenantId,
    account: crate::account::AccountId,
) -> crate::db::StoreResult<()> {
    db.write(async |tx| store::record(tx, tenant, Subject::Account(account), Form::Renewal).await).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_a_date_and_asks_those_who_agreed_to_another() {
        assert_eq!(notice_date().format("%Y-%m-%d").to_string(), NOTICE_VERSION);
        assert!(asks_again(None));
        assert!(asks_again(Some("2020-01-01")));
        assert!(!asks_again(Some(NOTICE_VERSION)));
    }
}
