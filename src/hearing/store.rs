//! All SQL about company hearings: the only module that writes `hearing`. Every function
//! takes the tenant first.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Hearing, HearingDraft, HearingId, Method, Size};
use crate::account::AccountId;
use crate::db::{Db, StoreError, StoreResult, Tx, now};
use crate::organisation::Kind as BodyKind;
use crate::tenant::TenantId;
use crate::{with_db, with_tx};

#[derive(sqlx::FromRow)]
struct Row {
    id: HearingId,
    tenant_id: TenantId,
    company: String,
    industry: String,
    size: Size,
    held_on: NaiveDate,
    held_until: Option<NaiveDate>,
    method: Method,
    occasion: String,
    activities: String,
    community_view: String,
    issues_watched: String,
    probono_barriers: String,
    partners_wanted: String,
    partner_kinds: String,
    barrier_tags: String,
    issue_tags: String,
    follow_up: String,
    recorded_by: Option<AccountId>,
    created_at: DateTime<Utc>,
}

fn lines(s: &str) -> Vec<String> {
    s.split('\n').filter(|t| !t.is_empty()).map(str::to_owned).collect()
}

impl From<Row> for Hearing {
    fn from(r: Row) -> Hearing {
        Hearing {
            id: r.id,
            tenant_id: r.tenant_id,
            draft: HearingDraft {
                company: r.company,
                industry: r.industry,
                size: r.size,
                held_on: r.held_on,
                held_until: r.held_until,
                method: r.method,
                occasion: r.occasion,
                activities: r.activities,
                community_view: r.community_view,
                issues_watched: r.issues_watched,
                probono_barriers: r.probono_barriers,
                partners_wanted: r.partners_wanted,
                partner_kinds: r.partner_kinds.split_whitespace().filter_map(BodyKind::from_code).collect(),
                barrier_tags: lines(&r.barrier_tags),
                issue_tags: lines(&r.issue_tags),
                follow_up: r.follow_up,
            },
            recorded_by: r.recorded_by,
            created_at: r.created_at,
        }
    }
}

macro_rules! select {
    ($where:expr) => {
        concat!(
            "SELECT id, tenant_id, company, industry, size, held_on, held_until, method, occasion, activities, \
             community_view, issues_watched, probono_barriers, partners_wanted, partner_kinds, barrier_tags, \
             issue_tags, follow_up, recorded_by, created_at FROM hearing WHERE ",
            $where
        )
    };
}

fn kinds(d: &HearingDraft) -> String {
    d.partner_kinds.iter().map(|k| k.code()).collect::<Vec<_>>().join(" ")
}

/// Records a hearing.
///
/// # Errors
/// The database fails.
pub async fn insert(tx: &mut Tx, tenant: TenantId, by: AccountId, d: &HearingDraft) -> StoreResult<HearingId> {
    let now = now();
    Ok(with_tx!(tx, |c| {
        sqlx::query_as::<_, (HearingId,)>(
            "INSERT INTO hearing (tenant_id, company, industry, size, held_on, held_until, method, occasion, \
             activities, community_view, issues_watched, probono_barriers, partners_wanted, partner_kinds, \
             barrier_tags, issue_tags, follow_up, recorded_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19) \
             RETURNING id",
        )
        .bind(tenant)
        .bind(&d.company)
        .bind(&d.industry)
        .bind(d.size)
        .bind(d.held_on)
        .bind(d.held_until)
        .bind(d.method)
        .bind(&d.occasion)
        .bind(&d.activities)
        .bind(&d.community_view)
        .bind(&d.issues_watched)
        .bind(&d.probono_barriers)
        .bind(&d.partners_wanted)
        .bind(kinds(d))
        .bind(d.barrier_tags.join("\n"))
        .bind(d.issue_tags.join("\n"))
        .bind(&d.follow_up)
        .bind(by)
        .bind(now)
        .fetch_one(&mut *c)
        .await?
        .0
    }))
}

/// Saves an edited hearing.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's.
pub async fn update(tx: &mut Tx, tenant: TenantId, id: HearingId, d: &HearingDraft) -> StoreResult<()> {
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE hearing SET company = $3, industry = $4, size = $5, held_on = $6, held_until = $7, method = $8, \
             occasion = $9, activities = $10, community_view = $11, issues_watched = $12, probono_barriers = $13, \
             partners_wanted = $14, partner_kinds = $15, barrier_tags = $16, issue_tags = $17, follow_up = $18, \
             updated_at = $19 WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant)
        .bind(id)
        .bind(&d.company)
        .bind(&d.industry)
        .bind(d.size)
        .bind(d.held_on)
        .bind(d.held_until)
        .bind(d.method)
        .bind(&d.occasion)
        .bind(&d.activities)
        .bind(&d.community_view)
        .bind(&d.issues_watched)
        .bind(&d.probono_barriers)
        .bind(&d.partners_wanted)
        .bind(kinds(d))
        .bind(d.barrier_tags.join("\n"))
        .bind(d.issue_tags.join("\n"))
        .bind(&d.follow_up)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if n == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

/// Deletes a hearing.
///
/// # Errors
/// [`StoreError::NotFound`].
pub async fn delete(tx: &mut Tx, tenant: TenantId, id: HearingId) -> StoreResult<()> {
    let n = with_tx!(tx, |c| {
        sqlx::query("DELETE FROM hearing WHERE tenant_id = $1 AND id = $2")
            .bind(tenant)
            .bind(id)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if n == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

/// A hearing of the tenant.
///
/// # Errors
/// [`StoreError::NotFound`].
pub async fn get(db: &Db, tenant: TenantId, id: HearingId) -> StoreResult<Hearing> {
    const SQL: &str = select!("tenant_id = $1 AND id = $2");
    Ok(with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(id).fetch_one(p).await?).into())
}

/// The hearings held from `first` to `last` (days, inclusive), newest first.
///
/// # Errors
/// The database fails.
pub async fn between(db: &Db, tenant: TenantId, first: NaiveDate, last: NaiveDate) -> StoreResult<Vec<Hearing>> {
    const SQL: &str = select!("tenant_id = $1 AND held_on >= $2 AND held_on <= $3 ORDER BY held_on DESC, id DESC");
    let rows = with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(first).bind(last).fetch_all(p).await?);
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The fiscal years with hearings, newest first.
///
/// # Errors
/// The database fails.
pub async fn years(db: &Db, tenant: TenantId) -> StoreResult<Vec<crate::i18n::FiscalYear>> {
    let days: Vec<(NaiveDate,)> = with_db!(db, |p| {
        sqlx::query_as("SELECT held_on FROM hearing WHERE tenant_id = $1").bind(tenant).fetch_all(p).await?
    });
    let mut years: Vec<_> = days.into_iter().map(|(d,)| crate::i18n::FiscalYear::of(d)).collect();
    years.sort_by_key(|y| std::cmp::Reverse(y.0));
    years.dedup();
    Ok(years)
}
