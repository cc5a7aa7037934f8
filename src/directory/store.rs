//! All SQL about directory profiles: the only module that writes `profile`. Every function
//! takes the tenant first; a profile is read with its account of the same tenant.

use chrono::{DateTime, Utc};

use super::{Profile, ProfileDraft, Shown};
use crate::account::AccountId;
use crate::db::{Db, StoreResult, Tx, now};
use crate::sector::Sector;
use crate::tenant::TenantId;
use crate::visibility::{Viewer, Visibility};
use crate::{with_db, with_tx};

#[derive(sqlx::FromRow)]
struct Row {
    account_id: AccountId,
    name: String,
    sector: Sector,
    interests: String,
    skills: String,
    seeking: String,
    name_shown: Visibility,
    sector_shown: Visibility,
    interests_shown: Visibility,
    skills_shown: Visibility,
    seeking_shown: Visibility,
    activity_shown: Visibility,
    updated_at: DateTime<Utc>,
}

impl From<Row> for Profile {
    fn from(r: Row) -> Profile {
        Profile {
            account_id: r.account_id,
            name: r.name,
            sector: r.sector,
            interests: r.interests.split(',').filter(|t| !t.is_empty()).map(str::to_owned).collect(),
            skills: r.skills,
            seeking: r.seeking,
            shown: Shown {
                name: r.name_shown,
                sector: r.sector_shown,
                interests: r.interests_shown,
                skills: r.skills_shown,
                seeking: r.seeking_shown,
                activity: r.activity_shown,
            },
            updated_at: r.updated_at,
        }
    }
}

macro_rules! select {
    ($where:expr) => {
        concat!(
            "SELECT p.account_id, a.display_name AS name, a.sector, p.interests, p.skills, p.seeking, p.name_shown, \
             p.sector_shown, p.interests_shown, p.skills_shown, p.seeking_shown, p.activity_shown, p.updated_at \
             FROM profile p JOIN account a ON a.id = p.account_id AND a.tenant_id = p.tenant_id WHERE ",
            $where
        )
    };
}

/// The account's directory profile, if they have saved one.
///
/// # Errors
/// The database fails.
pub async fn find(db: &Db, tenant: TenantId, account: AccountId) -> StoreResult<Option<Profile>> {
    const SQL: &str = select!("p.tenant_id = $1 AND p.account_id = $2");
    let row = with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(account).fetch_optional(p).await?);
    Ok(row.map(Into::into))
}

/// The profiles whose name the viewer may see, by furigana then name (the directory's
/// order, as a Japanese name list is sorted).
///
/// # Errors
/// The database fails.
pub async fn list_shown(db: &Db, tenant: TenantId, viewer: Viewer) -> StoreResult<Vec<Profile>> {
    const SQL: &str = select!(
        "p.tenant_id = $1 AND p.name_shown IN ($2, $3, $4) \
         ORDER BY CASE WHEN a.furigana = '' THEN a.display_name ELSE a.furigana END, a.id"
    );
    let [a, b, c] = viewer.codes_shown();
    let rows =
        with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(a).bind(b).bind(c).fetch_all(p).await?);
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Saves the account's profile.
///
/// # Errors
/// The database fails.
pub async fn upsert(tx: &mut Tx, tenant: TenantId, account: AccountId, d: &ProfileDraft) -> StoreResult<()> {
    let s = d.shown;
    with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO profile (account_id, tenant_id, interests, skills, seeking, name_shown, sector_shown, \
             interests_shown, skills_shown, seeking_shown, activity_shown, updated_at) \
             SELECT a.id, a.tenant_id, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 FROM account a \
             WHERE a.tenant_id = $1 AND a.id = $2 \
             ON CONFLICT (account_id) DO UPDATE SET interests = excluded.interests, skills = excluded.skills, \
             seeking = excluded.seeking, name_shown = excluded.name_shown, sector_shown = excluded.sector_shown, \
             interests_shown = excluded.interests_shown, skills_shown = excluded.skills_shown, \
             seeking_shown = excluded.seeking_shown, activity_shown = excluded.activity_shown, \
             updated_at = excluded.updated_at",
        )
        .bind(tenant)
        .bind(account)
        .bind(d.interests.join(","))
        .bind(&d.skills)
        .bind(&d.seeking)
        .bind(s.name)
        .bind(s.sector)
        .bind(s.interests)
        .bind(s.skills)
        .bind(s.seeking)
        .bind(s.activity)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    crate::search::store::changed(tx, tenant, crate::search::Kind::Person, account.0).await
}

/// Takes the account out of the directory.
///
/// # Errors
/// The database fails.
pub async fn delete(tx: &mut Tx, tenant: TenantId, account: AccountId) -> StoreResult<()> {
    with_tx!(tx, |c| {
        sqlx::query("DELETE FROM profile WHERE tenant_id = $1 AND account_id = $2")
            .bind(tenant)
            .bind(account)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    crate::search::store::changed(tx, tenant, crate::search::Kind::Person, account.0).await
}

/// The account's directory profile, for their export of their data.
///
/// # Errors
/// The database fails.
pub async fn personal_data(db: &Db, tenant: TenantId, account: AccountId) -> StoreResult<serde_json::Value> {
    Ok(match find(db, tenant, account).await? {
        None => serde_json::Value::Null,
        Some(p) => serde_json::json!({
            "interests": p.interests,
            "skills": p.skills,
            "seeking": p.seeking,
            "shown_to": {
                "name": p.shown.name.code(),
                "sector": p.shown.sector.code(),
                "interests": p.shown.interests.code(),
                "skills": p.shown.skills.code(),
                "seeking": p.shown.seeking.code(),
                "activity": p.shown.activity.code(),
            },
        }),
    })
}
