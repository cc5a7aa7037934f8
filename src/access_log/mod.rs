//! The access log (アクセス記録): who looked at or downloaded personal data, when and from
//! where, logins refused for a wrong password or for too many tries, the secretariat's
//! answers to a guest's requests, and the purges of records past their retention. It is appended
//! to and never changed: the database itself refuses to update or delete its rows
//! (triggers, on both backends), and the application has no way to. The secretariat
//! reads it. It is the one table a read may write: a download of personal data is what
//! it records.

pub mod store;
pub mod web;

use chrono::{DateTime, Utc};

use crate::account::AccountId;

/// What was done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// A login refused: the address and password do not match.
    LoginFailed,
    /// A login refused without trying: too many failures (for the account, the address,
    /// or both together).
    LoginLocked,
    /// A session's roster (names, e-mails, affiliations, attendance) downloaded.
    RosterDownloaded,
    /// A person's own data downloaded (their export).
    ExportDownloaded,
    /// A guest's data (a person without an account) looked up by the secretariat, by
    /// e-mail, to answer their request.
    GuestLookedUp,
    /// A guest's data handed over on their request (開示).
    GuestDisclosed,
    /// A guest's details corrected on their request (訂正).
    GuestCorrected,
    /// A guest's details deleted on their request (削除).
    GuestDeleted,
    /// A person's directory profile read beyond what the public sees (by a member or
    /// coordinator who may see more).
    ProfileViewed,
    /// A company hearing's record read.
    HearingViewed,
    /// Records past their retention period emptied of personal data (the subject says
    /// how many of what).
    RetentionPurged,
}

crate::text_code!(Action {
    LoginFailed = "login-failed",
    LoginLocked = "login-locked",
    RosterDownloaded = "roster-downloaded",
    ExportDownloaded = "export-downloaded",
    GuestLookedUp = "guest-looked-up",
    GuestDisclosed = "guest-disclosed",
    GuestCorrected = "guest-corrected",
    GuestDeleted = "guest-deleted",
    ProfileViewed = "profile-viewed",
    HearingViewed = "hearing-viewed",
    RetentionPurged = "retention-purged",
});

impl Action {
    pub fn label(self, lang: crate::i18n::Lang) -> std::borrow::Cow<'static, str> {
        lang.t(&format!("access-action-{}", self.code()))
    }
}

/// One line of the log.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Entry {
    pub at: DateTime<Utc>,
    /// Who did it, when logged in; the name as the account has it now (none once deleted).
    pub account_id: Option<AccountId>,
    pub account_name: Option<String>,
    pub action: Action,
    /// What it was about: the address typed at a login, the session of a roster.
    pub subject: String,
    /// The client's address.
    pub address: String,
}
