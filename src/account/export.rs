//! Everything the platform keeps about a member, gathered from every concept's store
//! (個人情報保護法: disclosure on request, here self-service), as JSON and as rows for a
//! spreadsheet.

use super::Account;
use crate::db::{Db, StoreResult};

/// The member's data, one section per kind of record.
///
/// # Errors
/// The database fails.
pub async fn personal_data(db: &Db, center: &str, account: &Account) -> StoreResult<serde_json::Value> {
    let (tenant, id) = (account.tenant_id, account.id);
    Ok(serde_json::json!({
        "center": center,
        "account": account,
        "privacy_consents": crate::privacy::store::of_account(db, tenant, id).await?,
        "sessions": crate::person::store::personal_data(db, tenant, account).await?,
        "social_issues": crate::social_issue::store::personal_data(db, tenant, id).await?,
        "labs": crate::lab::store::personal_data(db, tenant, id).await?,
        "organisations": crate::organisation::store::personal_data(db, tenant, id).await?,
        "directory": crate::directory::store::personal_data(db, tenant, id).await?,
        "board_posts": crate::board::store::personal_data(db, tenant, id).await?,
        "pro_bono": crate::probono::store::personal_data(db, tenant, id).await?,
        "introductions": crate::introduction::store::personal_data(db, tenant, id).await?,
        "projects": crate::project::store::personal_data(db, tenant, id).await?,
        "board_comments": crate::board::store::comments_of(db, tenant, id).await?,
        "consultation_comments": crate::consultation::store::personal_data(db, tenant, id).await?,
        "notifications": crate::notification::personal_data(db, tenant, id).await?,
        "mail_choices": crate::subscription::store::personal_data(db, tenant, id).await?,
        "mails": crate::mail::outbox::personal_data(db, tenant, id).await?,
    }))
}
