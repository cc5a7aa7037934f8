//! All SQL about members' choices of what reaches them: the only module that writes
//! `subscription`. Every function takes the tenant first.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::{Cadence, Choices, Kind};
use crate::account::AccountId;
use crate::db::{Db, StoreResult, Tx, now};
use crate::i18n::Lang;
use crate::tenant::TenantId;
use crate::{with_db, with_tx};

/// Someone news may reach: a member with a verified address.
#[derive(Clone, Debug)]
pub struct Reader {
    pub account: AccountId,
    /// When the account was made (its unsubscribe links are signed with it).
    pub since: DateTime<Utc>,
    pub email: String,
    pub display_name: String,
    pub lang: Lang,
    pub choices: Choices,
}

/// Folds rows of (kind, cadence) into choices over the defaults; unknown codes are ignored.
fn fold(choices: &mut Choices, kind: Option<&str>, cadence: Option<&str>) {
    if let (Some(k), Some(c)) = (kind.and_then(Kind::from_code), cadence.and_then(Cadence::from_code)) {
        choices.set(k, c);
    }
}

/// The account's choices (the defaults for what it has not chosen).
///
/// # Errors
/// The database fails.
pub async fn choices(db: &Db, tenant: TenantId, account: AccountId) -> StoreResult<Choices> {
    let rows: Vec<(String, String)> = with_db!(db, |p| {
        sqlx::query_as("SELECT kind, cadence FROM subscription WHERE tenant_id = $1 AND account_id = $2")
            .bind(tenant)
            .bind(account)
            .fetch_all(p)
            .await?
    });
    let mut choices = Choices::default();
    for (k, c) in &rows {
        fold(&mut choices, Some(k), Some(c));
    }
    Ok(choices)
}

/// The account's choices, read in a transaction that will change them.
///
/// # Errors
/// The database fails.
pub async fn choices_in(tx: &mut Tx, tenant: TenantId, account: AccountId) -> StoreResult<Choices> {
    let rows: Vec<(String, String)> = with_tx!(tx, |c| {
        sqlx::query_as("SELECT kind, cadence FROM subscription WHERE tenant_id = $1 AND account_id = $2")
            .bind(tenant)
            .bind(account)
            .fetch_all(&mut *c)
            .await?
    });
    let mut choices = Choices::default();
    for (k, c) in &rows {
        fold(&mut choices, Some(k), Some(c));
    }
    Ok(choices)
}

/// Keeps the account's choice for every kind.
///
/// # Errors
/// The database fails.
pub async fn save(tx: &mut Tx, tenant: TenantId, account: AccountId, choices: &Choices) -> StoreResult<()> {
    let now = now();
    for (kind, cadence) in choices.iter() {
        with_tx!(tx, |c| {
            sqlx::query(
                "INSERT INTO subscription (account_id, tenant_id, kind, cadence, updated_at) \
                 SELECT id, tenant_id, $3, $4, $5 FROM account WHERE tenant_id = $1 AND id = $2 \
                 ON CONFLICT (account_id, kind) DO UPDATE SET cadence = excluded.cadence, updated_at = excluded.updated_at",
            )
            .bind(tenant)
            .bind(account)
            .bind(kind.code())
            .bind(cadence.code())
            .bind(now)
            .execute(&mut *c)
            .await?
            .rows_affected()
        });
    }
    Ok(())
}

/// Everyone in the center news may reach (verified addresses), with their choices, in
/// account order.
///
/// # Errors
/// The database fails.
pub async fn readers(tx: &mut Tx, tenant: TenantId) -> StoreResult<Vec<Reader>> {
    type Row = (AccountId, DateTime<Utc>, String, String, String, Option<String>, Option<String>);
    let rows: Vec<Row> = with_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT a.id, a.created_at, a.email, a.display_name, a.lang, s.kind, s.cadence FROM account a \
             LEFT JOIN subscription s ON s.account_id = a.id \
             WHERE a.tenant_id = $1 AND a.email_verified_at IS NOT NULL ORDER BY a.id",
        )
        .bind(tenant)
        .fetch_all(&mut *c)
        .await?
    });
    let mut readers: Vec<Reader> = Vec::new();
    for (account, since, email, display_name, lang, kind, cadence) in rows {
        if readers.last().is_none_or(|r| r.account != account) {
            readers.push(Reader {
                account,
                since,
                email,
                display_name,
                lang: Lang::from_code(&lang).unwrap_or_default(),
                choices: Choices::default(),
            });
        }
        let reader = readers.last_mut().expect("pushed above");
        fold(&mut reader.choices, kind.as_deref(), cadence.as_deref());
    }
    Ok(readers)
}

/// The readers by account, for news addressed to accounts (notifications).
pub fn by_account(readers: &[Reader]) -> HashMap<AccountId, &Reader> {
    readers.iter().map(|r| (r.account, r)).collect()
}

/// The account's choices, for its data export.
///
/// # Errors
/// The database fails.
pub async fn personal_data(db: &Db, tenant: TenantId, account: AccountId) -> StoreResult<serde_json::Value> {
    let choices = choices(db, tenant, account).await?;
    Ok(serde_json::json!(
        choices
            .iter()
            .map(|(k, c)| (k.code().to_owned(), serde_json::Value::from(c.code())))
            .collect::<serde_json::Map<_, _>>()
    ))
}

/// Claims the digest of a center, cadence and period (its first day); `false` when it was
/// claimed before, by this instance or another.
///
/// # Errors
/// The database fails.
pub async fn claim_digest(
    tx: &mut Tx,
    tenant: TenantId,
    cadence: Cadence,
    first_day: NaiveDate,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO digest_run (tenant_id, cadence, period, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (tenant_id, cadence, period) DO NOTHING",
        )
        .bind(tenant)
        .bind(cadence.code())
        .bind(first_day.to_string())
        .bind(now)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(n == 1)
}

/// Records how many mails a digest made.
///
/// # Errors
/// The database fails.
pub async fn set_digest_mails(
    tx: &mut Tx,
    tenant: TenantId,
    cadence: Cadence,
    first_day: NaiveDate,
    mails: usize,
) -> StoreResult<()> {
    with_tx!(tx, |c| {
        sqlx::query("UPDATE digest_run SET mails = $4 WHERE tenant_id = $1 AND cadence = $2 AND period = $3")
            .bind(tenant)
            .bind(cadence.code())
            .bind(first_day.to_string())
            .bind(i64::try_from(mails).unwrap_or(i64::MAX))
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    Ok(())
}

/// What became news and was not yet announced, kind by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pending {
    pub posts: bool,
    pub events: bool,
    pub consultations: bool,
    pub notifications: bool,
}

impl Pending {
    pub fn any(self) -> bool {
        self.posts || self.events || self.consultations || self.notifications
    }
}

/// What became news that was not yet announced: a published post or session, an opened
/// consultation, a notification. A look that writes nothing, so that the postman writes
/// only when there is news, and claims only the kinds that have some (a claim on
/// sessions, even one that changes nothing, tells every instance on PostgreSQL that the
/// event pages they keep may have changed).
///
/// # Errors
/// The database fails.
pub async fn pending_news(db: &Db, tenant: TenantId, now: DateTime<Utc>) -> StoreResult<Pending> {
    let (posts, events, consultations, notifications): (i64, i64, i64, i64) = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM board_post WHERE tenant_id = $1 AND announced_at IS NULL \
             AND status = 'published' LIMIT 1) b), \
             (SELECT COUNT(*) FROM (SELECT 1 FROM event WHERE tenant_id = $1 AND announced_at IS NULL \
             AND status = 'published' LIMIT 1) e), \
             (SELECT COUNT(*) FROM (SELECT 1 FROM consultation WHERE tenant_id = $1 AND announced_at IS NULL \
             AND opens_at <= $2 LIMIT 1) c), \
             (SELECT COUNT(*) FROM (SELECT 1 FROM notification WHERE tenant_id = $1 AND mailed_at IS NULL LIMIT 1) n)",
        )
        .bind(tenant)
        .bind(now)
        .fetch_one(p)
        .await?
    });
    Ok(Pending {
        posts: posts > 0,
        events: events > 0,
        consultations: consultations > 0,
        notifications: notifications > 0,
    })
}

/// The first day of the center's latest digest of this cadence, if any was built.
///
/// # Errors
/// The database fails.
pub async fn last_digest(db: &Db, tenant: TenantId, cadence: Cadence) -> StoreResult<Option<NaiveDate>> {
    let last: Option<String> = with_db!(db, |p| {
        sqlx::query_scalar("SELECT MAX(period) FROM digest_run WHERE tenant_id = $1 AND cadence = $2")
            .bind(tenant)
            .bind(cadence.code())
            .fetch_one(p)
            .await?
    });
    Ok(last.and_then(|d| d.parse().ok()))
}
