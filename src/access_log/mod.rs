//! The access log (アクセス記録): who looked at or downloaded personal data, when and from
//! where, and logins refused for a wrong password or for too many tries. It is appended
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
}

crate::text_code!(Action {
    LoginFailed = "login-failed",
    LoginLocked = "login-locked",
    RosterDownloaded = "roster-downloaded",
    ExportDownloaded = "export-downloaded",
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
