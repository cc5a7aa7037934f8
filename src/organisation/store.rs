//! All SQL about organisations and their people: the only module that writes
//! `organisation` and `organisation_member`. Every function takes the tenant first; a
//! membership is found through an organisation of the tenant, never by its ids alone.

use chrono::{DateTime, Utc};

use super::{Kind, Membership, Organisation, OrganisationDraft, OrganisationId};
use crate::account::AccountId;
use crate::db::{Db, StoreError, StoreResult, Tx, now};
use crate::tenant::TenantId;
use crate::visibility::{Viewer, Visibility};
use crate::{with_db, with_tx};

#[derive(sqlx::FromRow)]
struct Row {
    id: OrganisationId,
    tenant_id: TenantId,
    name: String,
    kind: Kind,
    place: String,
    activities: String,
    seeking: String,
    created_at: DateTime<Utc>,
}

impl From<Row> for Organisation {
    fn from(r: Row) -> Organisation {
        Organisation {
            id: r.id,
            tenant_id: r.tenant_id,
            name: r.name,
            kind: r.kind,
            place: r.place,
            activities: r.activities,
            seeking: r.seeking,
            created_at: r.created_at,
        }
    }
}

macro_rules! select {
    ($where:expr) => {
        concat!(
            "SELECT o.id, o.tenant_id, o.name, o.kind, o.place, o.activities, o.seeking, o.created_at \
             FROM organisation o WHERE ",
            $where
        )
    };
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    account_id: AccountId,
    name: String,
    admin: bool,
    confirmed_at: Option<DateTime<Utc>>,
    visibility: Visibility,
}

impl From<MemberRow> for Membership {
    fn from(r: MemberRow) -> Membership {
        Membership {
            account_id: r.account_id,
            name: r.name,
            admin: r.admin,
            confirmed_at: r.confirmed_at,
            visibility: r.visibility,
        }
    }
}

macro_rules! member {
    ($rest:expr) => {
        concat!(
            "SELECT m.account_id, a.display_name AS name, m.admin, m.confirmed_at, m.visibility \
             FROM organisation_member m JOIN account a ON a.id = m.account_id \
             WHERE m.tenant_id = $1 AND m.organisation_id = $2",
            $rest
        )
    };
}

/// Records an organisation.
///
/// # Errors
/// [`StoreError::Conflict`] when the tenant has one of that name.
pub async fn insert(tx: &mut Tx, tenant: TenantId, d: &OrganisationDraft) -> StoreResult<OrganisationId> {
    let now = now();
    let id = with_tx!(tx, |c| {
        sqlx::query_as::<_, (OrganisationId,)>(
            "INSERT INTO organisation (tenant_id, name, kind, place, activities, seeking, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        )
        .bind(tenant)
        .bind(&d.name)
        .bind(d.kind)
        .bind(&d.place)
        .bind(&d.activities)
        .bind(&d.seeking)
        .bind(now)
        .fetch_one(&mut *c)
        .await?
        .0
    });
    crate::search::store::changed(tx, tenant, crate::search::Kind::Organisation, id.0).await?;
    Ok(id)
}

/// Changes an organisation's record.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's; [`StoreError::Conflict`] for a name taken.
pub async fn update(tx: &mut Tx, tenant: TenantId, id: OrganisationId, d: &OrganisationDraft) -> StoreResult<()> {
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE organisation SET name = $3, kind = $4, place = $5, activities = $6, seeking = $7, updated_at = $8 \
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant)
        .bind(id)
        .bind(&d.name)
        .bind(d.kind)
        .bind(&d.place)
        .bind(&d.activities)
        .bind(&d.seeking)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    crate::search::store::changed(tx, tenant, crate::search::Kind::Organisation, id.0).await
}

/// The organisation with this id in this tenant.
///
/// # Errors
/// [`StoreError::NotFound`], also for another tenant's id.
pub async fn get(db: &Db, tenant: TenantId, id: OrganisationId) -> StoreResult<Organisation> {
    const SQL: &str = select!("o.tenant_id = $1 AND o.id = $2");
    Ok(with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(id).fetch_one(p).await?).into())
}

/// The same, inside a change.
///
/// # Errors
/// [`StoreError::NotFound`], also for another tenant's id.
pub async fn get_in(tx: &mut Tx, tenant: TenantId, id: OrganisationId) -> StoreResult<Organisation> {
    const SQL: &str = select!("o.tenant_id = $1 AND o.id = $2");
    Ok(with_tx!(tx, |c| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(id).fetch_one(&mut *c).await?).into())
}

/// The tenant's organisations by name, of one kind or all.
///
/// # Errors
/// The database fails.
pub async fn list(db: &Db, tenant: TenantId, kind: Option<Kind>) -> StoreResult<Vec<Organisation>> {
    const SQL: &str = select!("o.tenant_id = $1 AND ($2 IS NULL OR o.kind = $2) ORDER BY o.name, o.id");
    let rows = with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(kind).fetch_all(p).await?);
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The people of an organisation the viewer may see: confirmed, and shown to them.
///
/// # Errors
/// The database fails.
pub async fn members_shown(
    db: &Db,
    tenant: TenantId,
    id: OrganisationId,
    viewer: Viewer,
) -> StoreResult<Vec<Membership>> {
    const SQL: &str =
        member!(" AND m.confirmed_at IS NOT NULL AND m.visibility IN ($3, $4, $5) ORDER BY a.display_name, a.id");
    let [a, b, c] = viewer.codes_shown();
    let rows = with_db!(db, |p| {
        sqlx::query_as::<_, MemberRow>(SQL).bind(tenant).bind(id).bind(a).bind(b).bind(c).fetch_all(p).await?
    });
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Everyone linked to an organisation, those waiting first (for its admins).
///
/// # Errors
/// The database fails.
pub async fn members_all(db: &Db, tenant: TenantId, id: OrganisationId) -> StoreResult<Vec<Membership>> {
    const SQL: &str = member!(" ORDER BY m.confirmed_at IS NOT NULL, m.admin DESC, a.display_name, a.id");
    let rows = with_db!(db, |p| sqlx::query_as::<_, MemberRow>(SQL).bind(tenant).bind(id).fetch_all(p).await?);
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The account's link to an organisation of the tenant, if any.
///
/// # Errors
/// The database fails.
pub async fn membership(
    db: &Db,
    tenant: TenantId,
    id: OrganisationId,
    account: AccountId,
) -> StoreResult<Option<Membership>> {
    const SQL: &str = member!(" AND m.account_id = $3");
    let row = with_db!(db, |p| {
        sqlx::query_as::<_, MemberRow>(SQL).bind(tenant).bind(id).bind(account).fetch_optional(p).await?
    });
    Ok(row.map(Into::into))
}

/// The same, inside a change.
///
/// # Errors
/// The database fails.
pub async fn membership_in(
    tx: &mut Tx,
    tenant: TenantId,
    id: OrganisationId,
    account: AccountId,
) -> StoreResult<Option<Membership>> {
    const SQL: &str = member!(" AND m.account_id = $3");
    let row = with_tx!(tx, |c| {
        sqlx::query_as::<_, MemberRow>(SQL).bind(tenant).bind(id).bind(account).fetch_optional(&mut *c).await?
    });
    Ok(row.map(Into::into))
}

/// The organisations an account is linked to, by name, with its link to each.
///
/// # Errors
/// The database fails.
pub async fn of_account(
    db: &Db,
    tenant: TenantId,
    account: AccountId,
) -> StoreResult<Vec<(OrganisationId, String, Membership)>> {
    #[derive(sqlx::FromRow)]
    struct Linked {
        organisation_id: OrganisationId,
        organisation: String,
        #[sqlx(flatten)]
        member: MemberRow,
    }
    let rows = with_db!(db, |p| {
        sqlx::query_as::<_, Linked>(
            "SELECT o.id AS organisation_id, o.name AS organisation, m.account_id, a.display_name AS name, m.admin, \
             m.confirmed_at, m.visibility FROM organisation_member m JOIN organisation o ON o.id = m.organisation_id \
             JOIN account a ON a.id = m.account_id WHERE m.tenant_id = $1 AND m.account_id = $2 ORDER BY o.name, o.id",
        )
        .bind(tenant)
        .bind(account)
        .fetch_all(p)
        .await?
    });
    Ok(rows.into_iter().map(|r| (r.organisation_id, r.organisation, r.member.into())).collect())
}

/// The confirmed admins of an organisation, read after locking it on PostgreSQL, so that
/// two admins stepping down at once cannot both see the other still there (SQLite runs one
/// writer at a time).
///
/// # Errors
/// The database fails.
pub async fn count_admins_in(tx: &mut Tx, tenant: TenantId, id: OrganisationId) -> StoreResult<i64> {
    if let Tx::Postgres(t) = tx {
        sqlx::query("SELECT id FROM organisation WHERE tenant_id = $1 AND id = $2 FOR UPDATE")
            .bind(tenant)
            .bind(id)
            .fetch_optional(&mut **t)
            .await?;
    }
    Ok(with_tx!(tx, |c| {
        sqlx::query_as::<_, (i64,)>(
            "SELECT COUNT(*) FROM organisation_member WHERE tenant_id = $1 AND organisation_id = $2 \
             AND admin AND confirmed_at IS NOT NULL",
        )
        .bind(tenant)
        .bind(id)
        .fetch_one(&mut *c)
        .await?
        .0
    }))
}

/// Links the tenant's account to an organisation of the tenant.
///
/// # Errors
/// [`StoreError::NotFound`] when either is not the tenant's.
pub async fn insert_member(
    tx: &mut Tx,
    tenant: TenantId,
    id: OrganisationId,
    account: AccountId,
    admin: bool,
    confirmed: bool,
    shown: Visibility,
) -> StoreResult<()> {
    let now = now();
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO organisation_member (organisation_id, account_id, tenant_id, admin, confirmed_at, visibility, created_at) \
             SELECT o.id, a.id, o.tenant_id, $4, $5, $6, $7 FROM organisation o JOIN account a ON a.tenant_id = o.tenant_id \
             WHERE o.tenant_id = $1 AND o.id = $2 AND a.id = $3 \
             ON CONFLICT (organisation_id, account_id) DO NOTHING",
        )
        .bind(tenant)
        .bind(id)
        .bind(account)
        .bind(admin)
        .bind(confirmed.then_some(now))
        .bind(shown)
        .bind(now)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Runs one change on a membership; not found when there is none.
macro_rules! change_member {
    ($tx:expr, $sql:expr, $tenant:expr, $id:expr, $account:expr $(, $bind:expr)*) => {{
        let n = with_tx!($tx, |c| {
            sqlx::query($sql).bind($tenant).bind($id).bind($account)$(.bind($bind))*.execute(&mut *c).await?.rows_affected()
        });
        if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }};
}

/// Who sees that the person belongs.
///
/// # Errors
/// [`StoreError::NotFound`] when they do not.
pub async fn set_visibility(
    tx: &mut Tx,
    tenant: TenantId,
    id: OrganisationId,
    account: AccountId,
    shown: Visibility,
) -> StoreResult<()> {
    change_member!(
        tx,
        "UPDATE organisation_member SET visibility = $4 WHERE tenant_id = $1 AND organisation_id = $2 AND account_id = $3",
        tenant,
        id,
        account,
        shown
    )
}

/// Confirms a person's link (once; confirming again changes nothing).
///
/// # Errors
/// [`StoreError::NotFound`] when they did not ask.
pub async fn confirm(tx: &mut Tx, tenant: TenantId, id: OrganisationId, account: AccountId) -> StoreResult<()> {
    change_member!(
        tx,
        "UPDATE organisation_member SET confirmed_at = COALESCE(confirmed_at, $4) \
         WHERE tenant_id = $1 AND organisation_id = $2 AND account_id = $3",
        tenant,
        id,
        account,
        now()
    )
}

/// Makes the person an admin of the organisation, or no longer one.
///
/// # Errors
/// [`StoreError::NotFound`] when they do not belong.
pub async fn set_admin(
    tx: &mut Tx,
    tenant: TenantId,
    id: OrganisationId,
    account: AccountId,
    admin: bool,
) -> StoreResult<()> {
    change_member!(
        tx,
        "UPDATE organisation_member SET admin = $4 WHERE tenant_id = $1 AND organisation_id = $2 AND account_id = $3",
        tenant,
        id,
        account,
        admin
    )
}

/// Takes the person off the organisation.
///
/// # Errors
/// [`StoreError::NotFound`] when they do not belong.
pub async fn delete_member(tx: &mut Tx, tenant: TenantId, id: OrganisationId, account: AccountId) -> StoreResult<()> {
    change_member!(
        tx,
        "DELETE FROM organisation_member WHERE tenant_id = $1 AND organisation_id = $2 AND account_id = $3",
        tenant,
        id,
        account
    )
}

/// The account's links to organisations, for the person's export of their data.
///
/// # Errors
/// The database fails.
pub async fn personal_data(db: &Db, tenant: TenantId, account: AccountId) -> StoreResult<serde_json::Value> {
    let links = of_account(db, tenant, account).await?;
    Ok(links
        .into_iter()
        .map(|(id, name, m)| {
            serde_json::json!({
                "organisation": id.0,
                "name": name,
                "admin": m.admin,
                "confirmed_at": m.confirmed_at,
                "shown_to": m.visibility.code(),
            })
        })
        .collect())
}

/// The tenant's organisations recorded before `end`, by kind (for the annual report).
///
/// # Errors
/// The database fails, or a stored kind is unknown.
pub async fn count_by_kind(db: &Db, tenant: TenantId, end: DateTime<Utc>) -> StoreResult<Vec<(Kind, i64)>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as::<_, (Kind, i64)>(
            "SELECT kind, COUNT(*) FROM organisation WHERE tenant_id = $1 AND created_at < $2 GROUP BY kind",
        )
        .bind(tenant)
        .bind(end)
        .fetch_all(p)
        .await?
    }))
}
