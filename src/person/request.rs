//! A guest's request about their data (開示・訂正・削除), answered by the secretariat: a
//! person who registered without an account has no page of their own, so they ask the
//! center, which finds them by e-mail. Each answer is one change; the web layer logs it.

use super::{Guest, GuestDetails, PersonId, store};
use crate::db::{Db, StoreError, StoreResult};
use crate::tenant::TenantId;

/// Everything the center keeps about a guest: their details, consents, registrations and
/// attendances, and the comments that left their address.
///
/// # Errors
/// The database fails.
pub async fn disclosure(db: &Db, tenant: TenantId, center: &str, guest: &Guest) -> StoreResult<serde_json::Value> {
    Ok(serde_json::json!({
        "center": center,
        "person": guest,
        "privacy_consents": crate::privacy::store::of_person(db, tenant, guest.id).await?,
        "sessions": store::personal_data_of_guest(db, tenant, guest.id).await?,
        "consultation_comments": crate::consultation::store::of_contact(db, tenant, &guest.email).await?,
    }))
}

/// Why a correction was not made.
#[derive(Debug, PartialEq, Eq)]
pub enum CorrectError {
    /// The new address is another person's.
    EmailTaken,
    /// The guest is gone (deleted meanwhile, or now has an account).
    Gone,
}

/// Corrects a guest's details; the comments that left the old address keep the new one.
///
/// # Errors
/// The database fails.
pub async fn correct(
    db: &Db,
    tenant: TenantId,
    guest: &Guest,
    details: &GuestDetails,
) -> StoreResult<Result<(), CorrectError>> {
    let done = db
        .write(async |tx| {
            if !store::correct_guest(tx, tenant, guest.id, details).await? {
                return Ok(Err(CorrectError::Gone));
            }
            if details.email != guest.email {
                crate::consultation::store::move_contact(tx, tenant, &guest.email, &details.email).await?;
            }
            Ok(Ok(()))
        })
        .await;
    match done {
        Err(StoreError::Conflict { .. }) => Ok(Err(CorrectError::EmailTaken)),
        other => other,
    }
}

/// Deletes a guest: their upcoming places cancelled (the waiting lists move up), what
/// names them removed from their person record (the sector stays on past attendances, so
/// the report's numbers do not change), the address their comments left forgotten.
/// Returns the cancellations, with whom each promoted.
///
/// # Errors
/// The database fails.
pub async fn delete(
    db: &Db,
    tenant: TenantId,
    guest: &Guest,
) -> StoreResult<Vec<crate::registration::store::Cancelled>> {
    db.write(async |tx| {
        let cancelled = crate::registration::store::cancel_upcoming_of(tx, tenant, guest.id).await?;
        store::anonymize_guest(tx, tenant, guest.id).await?;
        crate::consultation::store::forget_contact(tx, tenant, &guest.email).await?;
        Ok(cancelled)
    })
    .await
}

/// The guest with this id, if they are one of the tenant's (still).
///
/// # Errors
/// The database fails.
pub async fn find(db: &Db, tenant: TenantId, id: PersonId) -> StoreResult<Option<Guest>> {
    store::guest(db, tenant, id).await
}
