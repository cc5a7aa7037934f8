//! All SQL about people: the only module that writes the `person` table.

use super::{Guest, GuestDetails, PersonId};
use crate::account::Account;
use crate::db::{Db, StoreResult, Tx, now};
use crate::sector::Sector;
use crate::tenant::TenantId;
use crate::with_tx;
use chrono::{DateTime, Utc};

/// The person of a guest, by e-mail: created on first contact; returns it and whether it
/// was created. A later registration with the same address changes nothing: whoever
/// types an address must not be able to rewrite that person's name or sector.
///
/// # Errors
/// The database fails.
pub async fn upsert_guest(tx: &mut Tx, tenant: TenantId, guest: &GuestDetails) -> StoreResult<(PersonId, bool)> {
    let inserted: Option<(PersonId,)> = with_tx!(tx, |c| {
        sqlx::query_as(
            "INSERT INTO person (tenant_id, email, name, sector, affiliation, created_at, furigana) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (tenant_id, email) DO NOTHING RETURNING id",
        )
        .bind(tenant)
        .bind(&guest.email)
        .bind(&guest.name)
        .bind(guest.sector)
        .bind(&guest.affiliation)
        .bind(now())
        .bind(&guest.furigana)
        .fetch_optional(&mut *c)
        .await?
    });
    if let Some((id,)) = inserted {
        return Ok((id, true));
    }
    let (id,): (PersonId,) = with_tx!(tx, |c| {
        sqlx::query_as("SELECT id FROM person WHERE tenant_id = $1 AND email = $2")
            .bind(tenant)
            .bind(&guest.email)
            .fetch_one(&mut *c)
            .await?
    });
    Ok((id, false))
}

/// A new person known only by the name they gave (a walk-in without an e-mail address,
/// a roster line with a name and no address), so rosters show who came. Without an
/// address nobody can be told apart across sessions: every call creates a new record,
/// and their first time stays unknown.
///
/// # Errors
/// The database fails.
pub async fn insert_named(
    tx: &mut Tx,
    tenant: TenantId,
    name: &str,
    furigana: &str,
    sector: Sector,
    affiliation: &str,
) -> StoreResult<PersonId> {
    Ok(with_tx!(tx, |c| {
        sqlx::query_as::<_, (PersonId,)>(
            "INSERT INTO person (tenant_id, email, name, sector, affiliation, created_at, furigana) \
             VALUES ($1, NULL, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(tenant)
        .bind(name)
        .bind(sector)
        .bind(affiliation)
        .bind(now())
        .bind(furigana)
        .fetch_one(&mut *c)
        .await?
        .0
    }))
}

/// The person of an account: the one linked to it, else the guest record with the same
/// e-mail (now linked), else a new one.
///
/// # Errors
/// The database fails.
pub async fn for_account(tx: &mut Tx, tenant: TenantId, account: &Account) -> StoreResult<PersonId> {
    for _ in 0..3 {
        let linked: Option<(PersonId,)> = with_tx!(tx, |c| {
            sqlx::query_as("SELECT id FROM person WHERE tenant_id = $1 AND account_id = $2")
                .bind(tenant)
                .bind(account.id)
                .fetch_optional(&mut *c)
                .await?
        });
        if let Some((id,)) = linked {
            // The account's profile is the person's own word: keep the record in step.
            with_tx!(tx, |c| {
                sqlx::query(
                    "UPDATE person SET name = $3, sector = $4, affiliation = $5, furigana = $6 \
                     WHERE tenant_id = $1 AND id = $2",
                )
                .bind(tenant)
                .bind(id)
                .bind(&account.display_name)
                .bind(account.sector)
                .bind(&account.affiliation)
                .bind(&account.furigana)
                .execute(&mut *c)
                .await?
                .rows_affected()
            });
            return Ok(id);
        }
        let adopted: Option<(PersonId,)> = with_tx!(tx, |c| {
            sqlx::query_as(
                "UPDATE person SET account_id = $2 WHERE tenant_id = $1 AND email = $3 AND account_id IS NULL RETURNING id",
            )
            .bind(tenant)
            .bind(account.id)
            .bind(&account.email)
            .fetch_optional(&mut *c)
            .await?
        });
        if let Some((id,)) = adopted {
            return Ok(id);
        }
        let created: Option<(PersonId,)> = with_tx!(tx, |c| {
            sqlx::query_as(
                "INSERT INTO person (tenant_id, account_id, email, name, sector, affiliation, created_at, furigana) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id",
            )
            .bind(tenant)
            .bind(account.id)
            .bind(&account.email)
            .bind(&account.display_name)
            .bind(account.sector)
            .bind(&account.affiliation)
            .bind(now())
            .bind(&account.furigana)
            .fetch_optional(&mut *c)
            .await?
        });
        if let Some((id,)) = created {
            return Ok(id);
        }
        // Another instance linked or created it a moment ago: look again.
    }
    Err(crate::db::StoreError::Conflict { constraint: "person".into() })
}

/// The person linked to an account, if there is one.
///
/// # Errors
/// The database fails.
pub async fn of_account(tx: &mut Tx, tenant: TenantId, account: &Account) -> StoreResult<Option<PersonId>> {
    let found: Option<(PersonId,)> = with_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT id FROM person WHERE tenant_id = $1 AND (account_id = $2 OR email = $3) ORDER BY id LIMIT 1",
        )
        .bind(tenant)
        .bind(account.id)
        .bind(&account.email)
        .fetch_optional(&mut *c)
        .await?
    });
    Ok(found.map(|(id,)| id))
}

/// Removes what identifies the person of a deleted account (name, フリガナ, e-mail),
/// keeping only what the center's statistics count: their sector and the body they came
/// from, on a row marked erased, which no page or export shows.
///
/// # Errors
/// The database fails.
pub async fn anonymize_account(tx: &mut Tx, tenant: TenantId, account: &Account) -> StoreResult<()> {
    with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE person SET name = '', furigana = '', email = NULL, account_id = NULL, erased_at = $4 \
             WHERE tenant_id = $1 AND (account_id = $2 OR email = $3)",
        )
        .bind(tenant)
        .bind(account.id)
        .bind(&account.email)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(())
}

/// The guest (a person without an account) with this normalised e-mail, if any.
///
/// # Errors
/// The database fails.
pub async fn find_guest(db: &Db, tenant: TenantId, email: &str) -> StoreResult<Option<Guest>> {
    Ok(crate::with_db!(db, |p| {
        sqlx::query_as(
            "SELECT id, email, name, furigana, sector, affiliation, created_at FROM person \
             WHERE tenant_id = $1 AND email = $2 AND account_id IS NULL",
        )
        .bind(tenant)
        .bind(email)
        .fetch_optional(p)
        .await?
    }))
}

/// The guest (a person with an address and without an account) with this id, if any.
///
/// # Errors
/// The database fails.
pub async fn guest(db: &Db, tenant: TenantId, id: PersonId) -> StoreResult<Option<Guest>> {
    Ok(crate::with_db!(db, |p| {
        sqlx::query_as(
            "SELECT id, email, name, furigana, sector, affiliation, created_at FROM person \
             WHERE tenant_id = $1 AND id = $2 AND account_id IS NULL AND email IS NOT NULL",
        )
        .bind(tenant)
        .bind(id)
        .fetch_optional(p)
        .await?
    }))
}

/// A guest's details as corrected on their request. `false` when the person is no
/// guest of the tenant (any more).
///
/// # Errors
/// [`crate::db::StoreError::Conflict`] when the new address is another person's.
pub async fn correct_guest(tx: &mut Tx, tenant: TenantId, id: PersonId, details: &GuestDetails) -> StoreResult<bool> {
    let changed = with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE person SET email = $3, name = $4, furigana = $5, sector = $6, affiliation = $7 \
             WHERE tenant_id = $1 AND id = $2 AND account_id IS NULL AND email IS NOT NULL",
        )
        .bind(tenant)
        .bind(id)
        .bind(&details.email)
        .bind(&details.name)
        .bind(&details.furigana)
        .bind(details.sector)
        .bind(&details.affiliation)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(changed == 1)
}

/// Removes what identifies a guest (name, フリガナ, e-mail), keeping only what the
/// center's statistics count, as for a deleted account.
///
/// # Errors
/// The database fails.
pub async fn anonymize_guest(tx: &mut Tx, tenant: TenantId, id: PersonId) -> StoreResult<()> {
    with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE person SET name = '', furigana = '', email = NULL, erased_at = $3 \
             WHERE tenant_id = $1 AND id = $2 AND account_id IS NULL",
        )
        .bind(tenant)
        .bind(id)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(())
}

/// Erases the guests (people without an account, known by an address or a name given
/// at the door) whose last session ended before `before` and who first came before it:
/// their name, フリガナ and address removed, as for a deletion (a guest known only by
/// a name was never told apart from others, so is not marked erased: the report still
/// does not count them as one person). How many.
///
/// # Errors
/// The database fails.
pub async fn erase_guests_inactive_since(tx: &mut Tx, tenant: TenantId, before: DateTime<Utc>) -> StoreResult<u64> {
    Ok(with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE person SET name = '', furigana = '', email = NULL, \
             erased_at = CASE WHEN email IS NOT NULL THEN $3 END \
             WHERE tenant_id = $1 AND account_id IS NULL AND erased_at IS NULL \
             AND (email IS NOT NULL OR name <> '') AND created_at < $2 \
             AND NOT EXISTS (SELECT 1 FROM registration r JOIN event e ON e.id = r.event_id \
                             WHERE r.person_id = person.id AND e.ends_at >= $2) \
             AND NOT EXISTS (SELECT 1 FROM attendance a JOIN event e ON e.id = a.event_id \
                             WHERE a.person_id = person.id AND e.ends_at >= $2)",
        )
        .bind(tenant)
        .bind(before)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    }))
}

/// The sessions a member registered for and attended, for their data export.
///
/// # Errors
/// The database fails.
pub async fn personal_data(db: &Db, tenant: TenantId, account: &Account) -> StoreResult<serde_json::Value> {
    let registrations = crate::registration::store::list_of_account(db, tenant, account.id).await?;
    let attendances = crate::attendance::store::list_of_account(db, tenant, account.id).await?;
    Ok(sessions_json(&registrations, &attendances))
}

/// Registrations and attendances as the exports give them.
fn sessions_json(
    registrations: &[crate::registration::store::OfAccount],
    attendances: &[crate::attendance::store::OfAccount],
) -> serde_json::Value {
    serde_json::json!({
        "registrations": registrations.iter().map(|r| serde_json::json!({
            "event": r.title, "starts_at": r.starts_at, "mode": r.mode.code(), "status": r.status.code()
        })).collect::<Vec<_>>(),
        "attendances": attendances.iter().map(|a| serde_json::json!({
            "event": a.title, "starts_at": a.starts_at, "mode": a.mode.code(), "sector": a.sector.code(),
            "first_time": a.first_time
        })).collect::<Vec<_>>(),
    })
}

/// The sessions a guest registered for and attended, for the secretariat's answer to
/// their request.
///
/// # Errors
/// The database fails.
pub async fn personal_data_of_guest(db: &Db, tenant: TenantId, person: PersonId) -> StoreResult<serde_json::Value> {
    let registrations = crate::registration::store::list_of_person(db, tenant, person).await?;
    let attendances = crate::attendance::store::list_of_person(db, tenant, person).await?;
    Ok(sessions_json(&registrations, &attendances))
}
