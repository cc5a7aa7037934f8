//! All SQL about consent to the privacy notice: the only module that writes
//! `privacy_consent`.

use super::{Consent, Form, NOTICE_VERSION, Subject};
use crate::account::AccountId;
use crate::db::{Db, StoreResult, Tx, now};
use crate::person::PersonId;
use crate::tenant::TenantId;
use crate::{with_db, with_tx};

/// Records consent to the current notice, in the caller's transaction.
///
/// # Errors
/// The database fails.
pub async fn record(tx: &mut Tx, tenant: TenantId, who: Subject, form: Form) -> StoreResult<()> {
    let (account, person) = match who {
        Subject::Account(a) => (Some(a), None),
        Subject::Person(p) => (None, Some(p)),
    };
    with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO privacy_consent (tenant_id, account_id, person_id, notice_version, form, given_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(tenant)
        .bind(account)
        .bind(person)
        .bind(NOTICE_VERSION)
        .bind(form)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(())
}

/// Every consent an account gave, oldest first.
///
/// # Errors
/// The database fails.
pub async fn of_account(db: &Db, tenant: TenantId, account: AccountId) -> StoreResult<Vec<Consent>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT notice_version, form, given_at FROM privacy_consent \
             WHERE tenant_id = $1 AND account_id = $2 ORDER BY given_at, id",
        )
        .bind(tenant)
        .bind(account)
        .fetch_all(p)
        .await?
    }))
}

/// Every consent a guest gave, oldest first.
///
/// # Errors
/// The database fails.
pub async fn of_person(db: &Db, tenant: TenantId, person: PersonId) -> StoreResult<Vec<Consent>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT notice_version, form, given_at FROM privacy_consent \
             WHERE tenant_id = $1 AND person_id = $2 ORDER BY given_at, id",
        )
        .bind(tenant)
        .bind(person)
        .fetch_all(p)
        .await?
    }))
}
