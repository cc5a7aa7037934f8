//! Notifications: what a member is told about what they follow (a social issue moving
//! to a new stage, a new comment, a lab or session taking it up). Each is kept for the
//! member's page of notifications and sent by mail; they go with the account.

use chrono::{DateTime, Utc};

use crate::account::AccountId;
use crate::db::{Db, StoreResult};
use crate::i18n::Lang;
use crate::tenant::TenantId;

pub mod store;
pub mod web;

/// A notification's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize)]
#[sqlx(transparent)]
pub struct NotificationId(pub i64);

/// One notification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notification {
    pub id: NotificationId,
    /// Fluent id of the sentence, which takes the subject as `$subject`.
    pub message_id: String,
    /// What it is about (an issue's title, a lab's theme…).
    pub subject: String,
    /// A path within the tenant's site.
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

impl Notification {
    pub fn text(&self, lang: Lang) -> String {
        lang.t_args(&self.message_id, &[("subject", &self.subject)])
    }
}

/// Who is told: account and e-mail address.
pub type Recipient = (AccountId, String);

/// What notifying needs: the database. (Mails go out later, as each member chose, by
/// [`crate::subscription::postman`].)
#[derive(Clone, Debug)]
pub struct Notifier {
    pub db: Db,
}

impl Notifier {
    /// What sends notifications for a request.
    pub fn for_request(st: &crate::web::AppState, _ctx: &crate::web::Ctx) -> Notifier {
        Notifier { db: st.db.clone() }
    }
}

/// One notification to send.
#[derive(Clone, Copy, Debug)]
pub struct Message<'a> {
    pub tenant: TenantId,
    /// Fluent id of the sentence (takes `$subject`).
    pub id: &'static str,
    pub subject: &'a str,
    /// A path within the tenant's site.
    pub link: &'a str,
}

/// Records a notification for each recipient. The postman mails it, at once or in a
/// digest, as each recipient chose.
///
/// # Errors
/// The database fails.
pub async fn send(notifier: &Notifier, recipients: Vec<Recipient>, message: Message<'_>) -> StoreResult<()> {
    if recipients.is_empty() {
        return Ok(());
    }
    let accounts: Vec<AccountId> = recipients.iter().map(|(a, _)| *a).collect();
    notifier.db.write(async |tx| store::insert(tx, message.tenant, &accounts, &message).await).await
}

/// Marks all the account's notifications read.
///
/// # Errors
/// The database fails.
pub async fn mark_all_read(db: &Db, tenant: TenantId, account: AccountId) -> StoreResult<()> {
    db.write(async |tx| store::mark_all_read(tx, tenant, account).await).await
}

/// A member's notifications, for their data export.
///
/// # Errors
/// The database fails.
pub async fn personal_data(db: &Db, tenant: TenantId, account: AccountId) -> StoreResult<serde_json::Value> {
    Ok(serde_json::json!(
        store::list(db, tenant, account, i64::MAX)
            .await?
            .iter()
            .map(|n| serde_json::json!({
                "text": n.text(Lang::Ja), "link": n.link, "created_at": n.created_at, "read": n.read
            }))
            .collect::<Vec<_>>()
    ))
}
