//! All SQL about introductions: the only module that writes `introduction`. Every
//! function takes the tenant first.

use chrono::{DateTime, Utc};

use super::{Answer, Counts, Introduction, IntroductionId, NewIntroduction, Outcome, Party, Side};
use crate::account::AccountId;
use crate::db::{Db, StoreError, StoreResult, Tx, now};
use crate::organisation::OrganisationId;
use crate::probono::{Named, NeedId, OfferId};
use crate::tenant::TenantId;
use crate::{with_db, with_tx};

#[derive(sqlx::FromRow)]
struct Row {
    id: IntroductionId,
    tenant_id: TenantId,
    coordinator_id: Option<AccountId>,
    need_id: Option<NeedId>,
    offer_id: Option<OfferId>,
    purpose: String,
    a_account_id: Option<AccountId>,
    a_organisation_id: Option<OrganisationId>,
    a_organisation: Option<String>,
    a_answer: Option<Answer>,
    b_account_id: Option<AccountId>,
    b_organisation_id: Option<OrganisationId>,
    b_organisation: Option<String>,
    b_answer: Option<Answer>,
    outcome: Option<Outcome>,
    created_at: DateTime<Utc>,
}

fn named(id: Option<OrganisationId>, name: Option<String>) -> Option<Named<OrganisationId>> {
    Some(Named { id: id?, name: name? })
}

impl From<Row> for Introduction {
    fn from(r: Row) -> Introduction {
        Introduction {
            id: r.id,
            tenant_id: r.tenant_id,
            coordinator: r.coordinator_id,
            need: r.need_id,
            offer: r.offer_id,
            purpose: r.purpose,
            a: Party {
                account: r.a_account_id,
                organisation: named(r.a_organisation_id, r.a_organisation),
                answer: r.a_answer,
            },
            b: Party {
                account: r.b_account_id,
                organisation: named(r.b_organisation_id, r.b_organisation),
                answer: r.b_answer,
            },
            outcome: r.outcome,
            created_at: r.created_at,
        }
    }
}

macro_rules! select {
    ($where:expr) => {
        concat!(
            "SELECT i.id, i.tenant_id, i.coordinator_id, i.need_id, i.offer_id, i.purpose, i.a_account_id, \
             i.a_organisation_id, oa.name AS a_organisation, i.a_answer, i.b_account_id, i.b_organisation_id, \
             ob.name AS b_organisation, i.b_answer, i.outcome, i.created_at FROM introduction i \
             LEFT JOIN organisation oa ON oa.id = i.a_organisation_id \
             LEFT JOIN organisation ob ON ob.id = i.b_organisation_id WHERE ",
            $where
        )
    };
}

/// Checks that an account, need or offer named is the tenant's.
async fn check(tx: &mut Tx, tenant: TenantId, table: &str, id: i64) -> StoreResult<()> {
    let sql = match table {
        "account" => "SELECT COUNT(*) FROM account WHERE tenant_id = $1 AND id = $2",
        "need" => "SELECT COUNT(*) FROM need WHERE tenant_id = $1 AND id = $2",
        "offer" => "SELECT COUNT(*) FROM offer WHERE tenant_id = $1 AND id = $2",
        _ => "SELECT COUNT(*) FROM organisation WHERE tenant_id = $1 AND id = $2",
    };
    let n: i64 = with_tx!(tx, |c| sqlx::query_scalar(sql).bind(tenant).bind(id).fetch_one(&mut *c).await?);
    if n == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

/// Records an introduction, awaiting both answers.
///
/// # Errors
/// [`StoreError::NotFound`] when an account, organisation, need or offer is not the
/// tenant's.
pub async fn insert(
    tx: &mut Tx,
    tenant: TenantId,
    coordinator: AccountId,
    n: &NewIntroduction,
) -> StoreResult<IntroductionId> {
    for (table, id) in [("account", Some(n.a.0.0)), ("account", Some(n.b.0.0))]
        .into_iter()
        .chain([("need", n.need.map(|x| x.0)), ("offer", n.offer.map(|x| x.0))])
        .chain([("organisation", n.a.1.map(|x| x.0)), ("organisation", n.b.1.map(|x| x.0))])
    {
        if let Some(id) = id {
            check(tx, tenant, table, id).await?;
        }
    }
    Ok(with_tx!(tx, |c| {
        sqlx::query_as::<_, (IntroductionId,)>(
            "INSERT INTO introduction (tenant_id, coordinator_id, need_id, offer_id, purpose, a_account_id, \
             a_organisation_id, b_account_id, b_organisation_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(tenant)
        .bind(coordinator)
        .bind(n.need)
        .bind(n.offer)
        .bind(&n.purpose)
        .bind(n.a.0)
        .bind(n.a.1)
        .bind(n.b.0)
        .bind(n.b.1)
        .bind(now())
        .fetch_one(&mut *c)
        .await?
        .0
    }))
}

/// Records one side's answer.
///
/// # Errors
/// [`StoreError::NotFound`].
pub async fn set_answer(
    tx: &mut Tx,
    tenant: TenantId,
    id: IntroductionId,
    side: Side,
    answer: Answer,
) -> StoreResult<()> {
    let sql = match side {
        Side::A => "UPDATE introduction SET a_answer = $3 WHERE tenant_id = $1 AND id = $2",
        Side::B => "UPDATE introduction SET b_answer = $3 WHERE tenant_id = $1 AND id = $2",
    };
    let n = with_tx!(tx, |c| {
        sqlx::query(sql).bind(tenant).bind(id).bind(answer).execute(&mut *c).await?.rows_affected()
    });
    if n == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

/// Records what came of it.
///
/// # Errors
/// [`StoreError::NotFound`].
pub async fn set_outcome(tx: &mut Tx, tenant: TenantId, id: IntroductionId, outcome: Outcome) -> StoreResult<()> {
    let n = with_tx!(tx, |c| {
        sqlx::query("UPDATE introduction SET outcome = $3, outcome_at = $4 WHERE tenant_id = $1 AND id = $2")
            .bind(tenant)
            .bind(id)
            .bind(outcome)
            .bind(now())
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if n == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

/// An introduction of the tenant.
///
/// # Errors
/// [`StoreError::NotFound`].
pub async fn get(db: &Db, tenant: TenantId, id: IntroductionId) -> StoreResult<Introduction> {
    const SQL: &str = select!("i.tenant_id = $1 AND i.id = $2");
    Ok(with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(id).fetch_one(p).await?).into())
}

/// The same, inside a change (on PostgreSQL the row locked, so that two answers given at
/// once are seen one after the other).
///
/// # Errors
/// [`StoreError::NotFound`].
pub async fn get_in(tx: &mut Tx, tenant: TenantId, id: IntroductionId) -> StoreResult<Introduction> {
    const SQL: &str = select!("i.tenant_id = $1 AND i.id = $2");
    const LOCKED: &str = concat!(select!("i.tenant_id = $1 AND i.id = $2"), " FOR UPDATE OF i");
    Ok(match tx {
        Tx::Sqlite(c) => sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(id).fetch_one(&mut **c).await?,
        Tx::Postgres(c) => sqlx::query_as::<_, Row>(LOCKED).bind(tenant).bind(id).fetch_one(&mut **c).await?,
    }
    .into())
}

/// The tenant's introductions, newest first (for coordinators), or those `account` is
/// one of the two in.
///
/// # Errors
/// The database fails.
pub async fn list(db: &Db, tenant: TenantId, of: Option<AccountId>) -> StoreResult<Vec<Introduction>> {
    const SQL: &str = select!(
        "i.tenant_id = $1 AND ($2 IS NULL OR i.a_account_id = $2 OR i.b_account_id = $2) \
         ORDER BY i.created_at DESC, i.id DESC LIMIT 500"
    );
    let rows = with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(of).fetch_all(p).await?);
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The introductions made in `[start, end)`, counted by answer and outcome.
///
/// # Errors
/// The database fails.
pub async fn count(db: &Db, tenant: TenantId, start: DateTime<Utc>, end: DateTime<Utc>) -> StoreResult<Counts> {
    type Group = (Option<Answer>, Option<Answer>, Option<Outcome>, i64);
    let rows: Vec<Group> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT a_answer, b_answer, outcome, COUNT(*) FROM introduction \
             WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3 GROUP BY a_answer, b_answer, outcome",
        )
        .bind(tenant)
        .bind(start)
        .bind(end)
        .fetch_all(p)
        .await?
    });
    let mut c = Counts::default();
    for (a, b, outcome, n) in rows {
        c.made += n;
        match (a, b) {
            (Some(Answer::Declined), _) | (_, Some(Answer::Declined)) => c.declined += n,
            (Some(Answer::Accepted), Some(Answer::Accepted)) => c.accepted += n,
            _ => c.waiting += n,
        }
        match outcome {
            Some(Outcome::Met) => c.met += n,
            Some(Outcome::ProjectStarted) => c.project_started += n,
            Some(Outcome::NoFit) => c.no_fit += n,
            None => {}
        }
    }
    Ok(c)
}

/// The introductions a member is one of the two in, for their data export: the purpose,
/// their own answer and the outcome (nothing of the other).
///
/// # Errors
/// The database fails.
pub async fn personal_data(db: &Db, tenant: TenantId, account: AccountId) -> StoreResult<serde_json::Value> {
    Ok(list(db, tenant, Some(account))
        .await?
        .iter()
        .map(|i| {
            let own = i.side_of(account).map(|s| i.party(s).answer.map(Answer::code));
            serde_json::json!({
                "id": i.id.0, "purpose": i.purpose, "answer": own.flatten(),
                "outcome": i.outcome.map(Outcome::code), "created_at": i.created_at,
            })
        })
        .collect())
}
