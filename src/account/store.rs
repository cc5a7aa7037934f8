//! All SQL about accounts and their one-time tokens. Every function takes the tenant first.

use chrono::{DateTime, Utc};

use super::token::{self, Purpose};
use super::{Account, AccountId, Profile, Role};
use crate::db::{Db, StoreError, StoreResult, Tx, now};
use crate::sector::Sector;
use crate::tenant::TenantId;
use crate::{with_db, with_tx};

#[derive(sqlx::FromRow)]
struct AccountRow {
    id: AccountId,
    tenant_id: TenantId,
    email: String,
    display_name: String,
    furigana: String,
    sector: Sector,
    affiliation: String,
    role: Role,
    email_verified_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    auth_version: i64,
    lang: String,
    consented_notice: Option<String>,
}

/// The columns [`AccountRow`] reads, for `concat!` into static SQL.
macro_rules! columns {
    () => {
        "id, tenant_id, email, display_name, furigana, sector, affiliation, role, email_verified_at, created_at, \
         auth_version, lang, (SELECT MAX(c.notice_version) FROM privacy_consent c \
         WHERE c.account_id = account.id) AS consented_notice"
    };
}

impl TryFrom<AccountRow> for Account {
    type Error = StoreError;

    fn try_from(r: AccountRow) -> Result<Account, StoreError> {
        Ok(Account {
            sector: r.sector,
            role: r.role,
            id: r.id,
            tenant_id: r.tenant_id,
            email: r.email,
            display_name: r.display_name,
            furigana: r.furigana,
            affiliation: r.affiliation,
            email_verified_at: r.email_verified_at,
            created_at: r.created_at,
            auth_version: r.auth_version,
            lang: crate::i18n::Lang::from_code(&r.lang).unwrap_or_default(),
            consented_notice: r.consented_notice,
        })
    }
}

/// The account with this id in this tenant.
///
/// # Errors
/// [`StoreError::NotFound`], also for an id of another tenant.
pub async fn get(db: &Db, tenant: TenantId, id: AccountId) -> StoreResult<Account> {
    find(db, tenant, id).await?.ok_or(StoreError::NotFound)
}

/// The account with this id in this tenant, if any.
///
/// # Errors
/// The database fails.
pub async fn find(db: &Db, tenant: TenantId, id: AccountId) -> StoreResult<Option<Account>> {
    const SQL: &str = concat!("SELECT ", columns!(), " FROM account WHERE tenant_id = $1 AND id = $2");
    let row = with_db!(db, |p| sqlx::query_as::<_, AccountRow>(SQL).bind(tenant).bind(id).fetch_optional(p).await?);
    row.map(Account::try_from).transpose()
}

/// The account with this (normalised) e-mail in this tenant, with its password hash.
///
/// # Errors
/// The database fails.
pub async fn find_by_email(db: &Db, tenant: TenantId, email: &str) -> StoreResult<Option<(Account, String)>> {
    const SQL: &str =
        concat!("SELECT ", columns!(), ", password_hash FROM account WHERE tenant_id = $1 AND email = $2");
    let row = with_db!(db, |p| {
        sqlx::query(SQL).bind(tenant).bind(email).fetch_optional(p).await?.map(|row| {
            use sqlx::{FromRow, Row};
            Ok::<_, sqlx::Error>((AccountRow::from_row(&row)?, row.try_get::<String, _>("password_hash")?))
        })
    });
    match row.transpose()? {
        Some((r, hash)) => Ok(Some((Account::try_from(r)?, hash))),
        None => Ok(None),
    }
}

/// Every account of the tenant, by name.
///
/// # Errors
/// The database fails.
pub async fn list(db: &Db, tenant: TenantId) -> StoreResult<Vec<Account>> {
    const SQL: &str = concat!("SELECT ", columns!(), " FROM account WHERE tenant_id = $1 ORDER BY display_name, id");
    let rows = with_db!(db, |p| sqlx::query_as::<_, AccountRow>(SQL).bind(tenant).fetch_all(p).await?);
    rows.into_iter().map(Account::try_from).collect()
}

/// How many accounts have this role.
///
/// # Errors
/// The database fails.
pub async fn count_with_role(db: &Db, tenant: TenantId, role: Role) -> StoreResult<i64> {
    Ok(with_db!(db, |p| {
        sqlx::query_as::<_, (i64,)>("SELECT COUNT(*) FROM account WHERE tenant_id = $1 AND role = $2")
            .bind(tenant)
            .bind(role.code())
            .fetch_one(p)
            .await?
            .0
    }))
}

/// The ids of the tenant's accounts with a role (the coordinators, for the report).
///
/// # Errors
/// The database fails.
pub async fn with_role(db: &Db, tenant: TenantId, role: Role) -> StoreResult<Vec<AccountId>> {
    Ok(with_db!(db, |p| {
        sqlx::query_scalar::<_, AccountId>("SELECT id FROM account WHERE tenant_id = $1 AND role = $2 ORDER BY id")
            .bind(tenant)
            .bind(role.code())
            .fetch_all(p)
            .await?
    }))
}

/// Creates an account. `verified` marks the e-mail as already verified (accounts made by
/// the secretariat on the command line).
///
/// # Errors
/// [`StoreError::Conflict`] when the e-mail is taken in this tenant.
pub async fn insert(
    tx: &mut Tx,
    tenant: TenantId,
    email: &str,
    password_hash: &str,
    profile: &Profile,
    role: Role,
    verified: bool,
) -> StoreResult<AccountId> {
    let now = now();
    Ok(with_tx!(tx, |c| {
        sqlx::query_as::<_, (AccountId,)>(
            "INSERT INTO account (tenant_id, email, password_hash, display_name, sector, affiliation, role, \
             email_verified_at, created_at, furigana) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(tenant)
        .bind(email)
        .bind(password_hash)
        .bind(&profile.display_name)
        .bind(profile.sector.code())
        .bind(&profile.affiliation)
        .bind(role.code())
        .bind(verified.then_some(now))
        .bind(now)
        .bind(&profile.furigana)
        .fetch_one(&mut *c)
        .await?
        .0
    }))
}

/// Changes the profile fields.
///
/// # Errors
/// [`StoreError::NotFound`] for an id of another tenant.
pub async fn update_profile(tx: &mut Tx, tenant: TenantId, id: AccountId, profile: &Profile) -> StoreResult<()> {
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE account SET display_name = $3, sector = $4, affiliation = $5, furigana = $6 \
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant)
        .bind(id)
        .bind(&profile.display_name)
        .bind(profile.sector.code())
        .bind(&profile.affiliation)
        .bind(&profile.furigana)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Changes the language of the account's mails.
///
/// # Errors
/// [`StoreError::NotFound`] for an id of another tenant.
pub async fn update_lang(tx: &mut Tx, tenant: TenantId, id: AccountId, lang: crate::i18n::Lang) -> StoreResult<()> {
    let n = with_tx!(tx, |c| {
        sqlx::query("UPDATE account SET lang = $3 WHERE tenant_id = $1 AND id = $2")
            .bind(tenant)
            .bind(id)
            .bind(lang.code())
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Changes the role.
///
/// # Errors
/// [`StoreError::NotFound`] for an id of another tenant.
pub async fn update_role(tx: &mut Tx, tenant: TenantId, id: AccountId, role: Role) -> StoreResult<()> {
    let n = with_tx!(tx, |c| {
        sqlx::query("UPDATE account SET role = $3 WHERE tenant_id = $1 AND id = $2")
            .bind(tenant)
            .bind(id)
            .bind(role.code())
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Sets a new password and ends every login session made with the old one.
///
/// # Errors
/// [`StoreError::NotFound`] for an id of another tenant.
pub async fn update_password(tx: &mut Tx, tenant: TenantId, id: AccountId, password_hash: &str) -> StoreResult<()> {
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE account SET password_hash = $3, auth_version = auth_version + 1 WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant)
        .bind(id)
        .bind(password_hash)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Deletes an account and its tokens (the person's right to deletion), unless it is the
/// tenant's last secretariat account (checked in the statement that deletes); returns
/// whether it was deleted. What it leaves names no one: when it was made and left, and
/// the fiscal years in which it had taken part in several programs (`several_programs_in`).
///
/// # Errors
/// [`StoreError::NotFound`] for an id of another tenant.
pub async fn delete(tx: &mut Tx, tenant: TenantId, id: AccountId, several_programs_in: &[i32]) -> StoreResult<bool> {
    let made: Option<(DateTime<Utc>,)> = with_tx!(tx, |c| {
        sqlx::query_as(
            "DELETE FROM account WHERE tenant_id = $1 AND id = $2 AND (role <> 'admin' OR \
             (SELECT COUNT(*) FROM account o WHERE o.tenant_id = $1 AND o.role = 'admin') > 1) \
             RETURNING created_at",
        )
        .bind(tenant)
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
    });
    if let Some((created_at,)) = made {
        // When it was made and when it left, for the reports of the years it was there.
        let (departure,): (i64,) = with_tx!(tx, |c| {
            sqlx::query_as(
                "INSERT INTO account_departure (tenant_id, created_at, departed_at) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(tenant)
            .bind(created_at)
            .bind(now())
            .fetch_one(&mut *c)
            .await?
        });
        for year in several_programs_in {
            with_tx!(tx, |c| {
                sqlx::query("INSERT INTO account_departure_year (departure_id, fiscal_year) VALUES ($1, $2)")
                    .bind(departure)
                    .bind(year)
                    .execute(&mut *c)
                    .await?
                    .rows_affected()
            });
        }
        return Ok(true);
    }
    let (exists,): (i64,) = with_tx!(tx, |c| {
        sqlx::query_as("SELECT COUNT(*) FROM account WHERE tenant_id = $1 AND id = $2")
            .bind(tenant)
            .bind(id)
            .fetch_one(&mut *c)
            .await?
    });
    if exists == 0 { Err(StoreError::NotFound) } else { Ok(false) }
}

/// Issues a one-time token for the account and returns it (to put in a mail link).
///
/// # Errors
/// The database fails.
pub async fn insert_token(tx: &mut Tx, tenant: TenantId, id: AccountId, purpose: Purpose) -> StoreResult<String> {
    let (token, hash) = token::generate();
    let now = now();
    with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO account_token (token_hash, tenant_id, account_id, purpose, expires_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&hash)
        .bind(tenant)
        .bind(id)
        .bind(purpose.code())
        .bind(now + purpose.lifetime())
        .bind(now)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(token)
}

/// The account a valid, unexpired token of this purpose belongs to, without using it up.
///
/// # Errors
/// The database fails.
pub async fn find_token(db: &Db, tenant: TenantId, token: &str, purpose: Purpose) -> StoreResult<Option<AccountId>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as::<_, (AccountId,)>(
            "SELECT account_id FROM account_token WHERE token_hash = $1 AND tenant_id = $2 AND purpose = $3 \
             AND expires_at > $4",
        )
        .bind(token::hash(token))
        .bind(tenant)
        .bind(purpose.code())
        .bind(now())
        .fetch_optional(p)
        .await?
        .map(|r| r.0)
    }))
}

/// Uses up a token: if it is valid, deletes it (and the account's other tokens of the same
/// purpose) and returns its account. Used twice, the second use finds nothing.
///
/// # Errors
/// The database fails.
pub async fn take_token(
    tx: &mut Tx,
    tenant: TenantId,
    token: &str,
    purpose: Purpose,
) -> StoreResult<Option<AccountId>> {
    let hash = token::hash(token);
    let now = now();
    with_tx!(tx, |c| {
        let found = sqlx::query_as::<_, (AccountId,)>(
            "DELETE FROM account_token WHERE token_hash = $1 AND tenant_id = $2 AND purpose = $3 \
             AND expires_at > $4 RETURNING account_id",
        )
        .bind(&hash)
        .bind(tenant)
        .bind(purpose.code())
        .bind(now)
        .fetch_optional(&mut *c)
        .await?
        .map(|r| r.0);
        if let Some(id) = found {
            sqlx::query("DELETE FROM account_token WHERE account_id = $1 AND purpose = $2")
                .bind(id)
                .bind(purpose.code())
                .execute(&mut *c)
                .await?;
        }
        Ok(found)
    })
}

/// Marks the account's e-mail as verified.
///
/// # Errors
/// The database fails.
pub async fn mark_verified(tx: &mut Tx, tenant: TenantId, id: AccountId) -> StoreResult<()> {
    with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE account SET email_verified_at = $3 WHERE tenant_id = $1 AND id = $2 AND email_verified_at IS NULL",
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

/// How many deleted accounts had taken part in several programs in the fiscal year.
///
/// # Errors
/// The database fails.
pub async fn count_departed_in_several(db: &Db, tenant: TenantId, fiscal_year: i32) -> StoreResult<i64> {
    let (n,): (i64,) = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT COUNT(*) FROM account_departure_year y JOIN account_departure d ON d.id = y.departure_id \
             WHERE d.tenant_id = $1 AND y.fiscal_year = $2",
        )
        .bind(tenant)
        .bind(fiscal_year)
        .fetch_one(p)
        .await?
    });
    Ok(n)
}

/// How many of the tenant's accounts were made before `end`, and how many of those from
/// `start` on (the network's members at a year's end and its new members in the year):
/// an account deleted after `end` still counts (its departure is kept), one deleted
/// before does not.
///
/// # Errors
/// The database fails.
pub async fn count_made(
    db: &Db,
    tenant: TenantId,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> StoreResult<(i64, i64)> {
    Ok(with_db!(db, |p| {
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN created_at >= $2 THEN 1 ELSE 0 END), 0) AS BIGINT) \
             FROM (SELECT created_at FROM account WHERE tenant_id = $1 AND created_at < $3 \
                   UNION ALL SELECT created_at FROM account_departure \
                   WHERE tenant_id = $1 AND created_at < $3 AND departed_at >= $3) made",
        )
        .bind(tenant)
        .bind(start)
        .bind(end)
        .fetch_one(p)
        .await?
    }))
}
