//! All SQL about needs and offers: the only module that writes `need` and `offer`. Every
//! function takes the tenant first.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Behalf, Draft, Kind, Named, Need, NeedId, NeedStatus, Offer, OfferId, OfferStatus, Terms};
use crate::account::AccountId;
use crate::db::{Db, StoreError, StoreResult, Tx, now};
use crate::lab::LabId;
use crate::organisation::OrganisationId;
use crate::skill::Skill;
use crate::tenant::TenantId;
use crate::visibility::{Viewer, Visibility};
use crate::{with_db, with_tx};

/// The columns both tables share, as read.
#[derive(sqlx::FromRow)]
struct Common {
    tenant_id: TenantId,
    account_id: AccountId,
    organisation_id: Option<OrganisationId>,
    organisation_name: Option<String>,
    title: String,
    body: String,
    kind: Kind,
    skills: String,
    tags: String,
    place: String,
    online: bool,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    visibility: Visibility,
    created_at: DateTime<Utc>,
}

impl Common {
    fn terms(&self) -> Terms {
        Terms {
            kind: Some(self.kind),
            skills: Skill::parse_list(&self.skills),
            tags: self.tags.split('\n').filter(|t| !t.is_empty()).map(str::to_owned).collect(),
            place: self.place.clone(),
            online: self.online,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
        }
    }

    fn organisation(&self) -> Option<Named<OrganisationId>> {
        match (self.organisation_id, &self.organisation_name) {
            (Some(id), Some(name)) => Some(Named { id, name: name.clone() }),
            _ => None,
        }
    }
}

#[derive(sqlx::FromRow)]
struct NeedRow {
    id: NeedId,
    #[sqlx(flatten)]
    common: Common,
    lab_id: Option<LabId>,
    lab_title: Option<String>,
    project_id: Option<crate::project::ProjectId>,
    project_title: Option<String>,
    status: NeedStatus,
}

impl From<NeedRow> for Need {
    fn from(r: NeedRow) -> Need {
        let c = &r.common;
        Need {
            id: r.id,
            tenant_id: c.tenant_id,
            account_id: c.account_id,
            organisation: c.organisation(),
            lab: match (r.lab_id, r.lab_title) {
                (Some(id), Some(name)) => Some(Named { id, name }),
                _ => None,
            },
            project: match (r.project_id, r.project_title) {
                (Some(id), Some(name)) => Some(Named { id, name }),
                _ => None,
            },
            title: c.title.clone(),
            body: c.body.clone(),
            terms: c.terms(),
            visibility: c.visibility,
            status: r.status,
            created_at: c.created_at,
        }
    }
}

#[derive(sqlx::FromRow)]
struct OfferRow {
    id: OfferId,
    #[sqlx(flatten)]
    common: Common,
    status: OfferStatus,
}

impl From<OfferRow> for Offer {
    fn from(r: OfferRow) -> Offer {
        let c = &r.common;
        Offer {
            id: r.id,
            tenant_id: c.tenant_id,
            account_id: c.account_id,
            organisation: c.organisation(),
            title: c.title.clone(),
            body: c.body.clone(),
            terms: c.terms(),
            visibility: c.visibility,
            status: r.status,
            created_at: c.created_at,
        }
    }
}

macro_rules! need {
    ($where:expr) => {
        concat!(
            "SELECT n.id, n.tenant_id, n.account_id, n.organisation_id, o.name AS organisation_name, n.lab_id, \
             l.title AS lab_title, n.project_id, pr.title AS project_title, n.title, n.body, n.kind, n.skills, n.tags, \
             n.place, n.online, n.starts_on, n.ends_on, n.visibility, n.status, n.created_at FROM need n \
             LEFT JOIN organisation o ON o.id = n.organisation_id LEFT JOIN lab l ON l.id = n.lab_id \
             LEFT JOIN project pr ON pr.id = n.project_id WHERE ",
            $where
        )
    };
}

macro_rules! offer {
    ($where:expr) => {
        concat!(
            "SELECT n.id, n.tenant_id, n.account_id, n.organisation_id, o.name AS organisation_name, n.title, \
             n.body, n.kind, n.skills, n.tags, n.place, n.online, n.starts_on, n.ends_on, n.visibility, n.status, \
             n.created_at FROM offer n LEFT JOIN organisation o ON o.id = n.organisation_id WHERE ",
            $where
        )
    };
}

fn organisation_of(b: Behalf) -> Option<OrganisationId> {
    match b {
        Behalf::Organisation(o) => Some(o),
        _ => None,
    }
}

fn project_of(b: Behalf) -> Option<crate::project::ProjectId> {
    match b {
        Behalf::Project(p) => Some(p),
        _ => None,
    }
}

fn lab_of(b: Behalf) -> Option<LabId> {
    match b {
        Behalf::Lab(l) => Some(l),
        _ => None,
    }
}

/// Checks that what a draft is posted for is the tenant's.
async fn check_behalf(tx: &mut Tx, tenant: TenantId, b: Behalf) -> StoreResult<()> {
    match b {
        Behalf::Own => Ok(()),
        Behalf::Organisation(o) => crate::organisation::store::get_in(tx, tenant, o).await.map(|_| ()),
        Behalf::Lab(l) => {
            let n: i64 = with_tx!(tx, |c| {
                sqlx::query_scalar("SELECT COUNT(*) FROM lab WHERE tenant_id = $1 AND id = $2")
                    .bind(tenant)
                    .bind(l)
                    .fetch_one(&mut *c)
                    .await?
            });
            if n == 1 { Ok(()) } else { Err(StoreError::NotFound) }
        }
        Behalf::Project(p) => crate::project::store::get_in(tx, tenant, p).await.map(|_| ()),
    }
}

/// Posts a need.
///
/// # Errors
/// [`StoreError::NotFound`] when what it is for is not the tenant's.
pub async fn insert_need(tx: &mut Tx, tenant: TenantId, by: AccountId, d: &Draft) -> StoreResult<NeedId> {
    check_behalf(tx, tenant, d.behalf).await?;
    let t = &d.terms;
    let now = now();
    let id = with_tx!(tx, |c| {
        sqlx::query_as::<_, (NeedId,)>(
            "INSERT INTO need (tenant_id, account_id, organisation_id, lab_id, title, body, kind, skills, tags, place, \
             online, starts_on, ends_on, visibility, status, created_at, updated_at, project_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'open', $15, $15, $16) RETURNING id",
        )
        .bind(tenant)
        .bind(by)
        .bind(organisation_of(d.behalf))
        .bind(lab_of(d.behalf))
        .bind(&d.title)
        .bind(&d.body)
        .bind(t.kind)
        .bind(Skill::store_list(&t.skills))
        .bind(t.tags.join("\n"))
        .bind(&t.place)
        .bind(t.online)
        .bind(t.starts_on)
        .bind(t.ends_on)
        .bind(d.visibility)
        .bind(now)
        .bind(project_of(d.behalf))
        .fetch_one(&mut *c)
        .await?
        .0
    });
    crate::search::store::changed(tx, tenant, crate::search::Kind::Need, id.0).await?;
    Ok(id)
}

/// Saves an edited need.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's.
pub async fn update_need(tx: &mut Tx, tenant: TenantId, id: NeedId, d: &Draft) -> StoreResult<()> {
    check_behalf(tx, tenant, d.behalf).await?;
    let t = &d.terms;
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE need SET organisation_id = $3, lab_id = $4, title = $5, body = $6, kind = $7, skills = $8, \
             tags = $9, place = $10, online = $11, starts_on = $12, ends_on = $13, visibility = $14, updated_at = $15, \
             project_id = $16 WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant)
        .bind(id)
        .bind(organisation_of(d.behalf))
        .bind(lab_of(d.behalf))
        .bind(&d.title)
        .bind(&d.body)
        .bind(t.kind)
        .bind(Skill::store_list(&t.skills))
        .bind(t.tags.join("\n"))
        .bind(&t.place)
        .bind(t.online)
        .bind(t.starts_on)
        .bind(t.ends_on)
        .bind(d.visibility)
        .bind(now())
        .bind(project_of(d.behalf))
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if n != 1 {
        return Err(StoreError::NotFound);
    }
    crate::search::store::changed(tx, tenant, crate::search::Kind::Need, id.0).await
}

/// Sets a need's status; met records when.
///
/// # Errors
/// [`StoreError::NotFound`].
pub async fn set_need_status(tx: &mut Tx, tenant: TenantId, id: NeedId, status: NeedStatus) -> StoreResult<()> {
    let now = now();
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE need SET status = $3, met_at = CASE WHEN $3 = 'met' THEN COALESCE(met_at, $4) END, updated_at = $4 \
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant)
        .bind(id)
        .bind(status)
        .bind(now)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if n != 1 {
        return Err(StoreError::NotFound);
    }
    crate::search::store::changed(tx, tenant, crate::search::Kind::Need, id.0).await
}

/// A need of the tenant.
///
/// # Errors
/// [`StoreError::NotFound`].
pub async fn get_need(db: &Db, tenant: TenantId, id: NeedId) -> StoreResult<Need> {
    const SQL: &str = need!("n.tenant_id = $1 AND n.id = $2");
    Ok(with_db!(db, |p| sqlx::query_as::<_, NeedRow>(SQL).bind(tenant).bind(id).fetch_one(p).await?).into())
}

/// The same, inside a change.
///
/// # Errors
/// [`StoreError::NotFound`].
pub async fn get_need_in(tx: &mut Tx, tenant: TenantId, id: NeedId) -> StoreResult<Need> {
    const SQL: &str = need!("n.tenant_id = $1 AND n.id = $2");
    Ok(with_tx!(tx, |c| sqlx::query_as::<_, NeedRow>(SQL).bind(tenant).bind(id).fetch_one(&mut *c).await?).into())
}

/// What the lists show: of one status (open by default), one kind or all.
#[derive(Clone, Copy, Debug, Default)]
pub struct Filter<S> {
    pub status: Option<S>,
    pub kind: Option<Kind>,
    pub skill: Option<Skill>,
}

/// How many a list shows at most (the newest).
pub const LIST_MAX: i64 = 300;

/// The needs the viewer may read (and their own), newest first.
///
/// # Errors
/// The database fails.
pub async fn needs(
    db: &Db,
    tenant: TenantId,
    viewer: Viewer,
    own: Option<AccountId>,
    f: Filter<NeedStatus>,
) -> StoreResult<Vec<Need>> {
    const SQL: &str = need!(
        "n.tenant_id = $1 AND (n.visibility IN ($2, $3, $4) OR n.account_id = $5) AND n.status = $6 \
         AND ($7 IS NULL OR n.kind = $7) AND ($8 IS NULL OR (' ' || n.skills || ' ') LIKE $8) \
         ORDER BY n.created_at DESC, n.id DESC LIMIT $9"
    );
    let [a, b, c] = viewer.codes_shown();
    let skill = f.skill.map(|s| format!("% {} %", s.code()));
    let rows = with_db!(db, |p| {
        sqlx::query_as::<_, NeedRow>(SQL)
            .bind(tenant)
            .bind(a)
            .bind(b)
            .bind(c)
            .bind(own.unwrap_or(AccountId(0)))
            .bind(f.status.unwrap_or(NeedStatus::Open))
            .bind(f.kind)
            .bind(skill)
            .bind(LIST_MAX)
            .fetch_all(p)
            .await?
    });
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The needs an account posted, newest first.
///
/// # Errors
/// The database fails.
pub async fn needs_of(db: &Db, tenant: TenantId, account: AccountId) -> StoreResult<Vec<Need>> {
    const SQL: &str = need!("n.tenant_id = $1 AND n.account_id = $2 ORDER BY n.created_at DESC, n.id DESC");
    let rows = with_db!(db, |p| sqlx::query_as::<_, NeedRow>(SQL).bind(tenant).bind(account).fetch_all(p).await?);
    Ok(rows.into_iter().map(Into::into).collect())
}

/// A project's needs the viewer may read (and their own), newest first.
///
/// # Errors
/// The database fails.
pub async fn needs_of_project(
    db: &Db,
    tenant: TenantId,
    project: crate::project::ProjectId,
    viewer: Viewer,
    own: Option<AccountId>,
) -> StoreResult<Vec<Need>> {
    const SQL: &str = need!(
        "n.tenant_id = $1 AND n.project_id = $2 AND (n.visibility IN ($3, $4, $5) OR n.account_id = $6) \
         ORDER BY n.created_at DESC, n.id DESC"
    );
    let [a, b, c] = viewer.codes_shown();
    let rows = with_db!(db, |p| {
        sqlx::query_as::<_, NeedRow>(SQL)
            .bind(tenant)
            .bind(project)
            .bind(a)
            .bind(b)
            .bind(c)
            .bind(own.unwrap_or(AccountId(0)))
            .fetch_all(p)
            .await?
    });
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The open needs and offers everyone may read: what search holds of them.
///
/// # Errors
/// The database fails.
pub async fn public_open(db: &Db, tenant: TenantId) -> StoreResult<(Vec<Need>, Vec<Offer>)> {
    const NEEDS: &str = need!("n.tenant_id = $1 AND n.status = 'open' AND n.visibility = 'public'");
    const OFFERS: &str = offer!("n.tenant_id = $1 AND n.status = 'open' AND n.visibility = 'public'");
    let needs = with_db!(db, |p| sqlx::query_as::<_, NeedRow>(NEEDS).bind(tenant).fetch_all(p).await?);
    let offers = with_db!(db, |p| sqlx::query_as::<_, OfferRow>(OFFERS).bind(tenant).fetch_all(p).await?);
    Ok((needs.into_iter().map(Into::into).collect(), offers.into_iter().map(Into::into).collect()))
}

/// Tells search, in the transaction that deletes an account, that the needs and offers
/// it posted are going with it.
///
/// # Errors
/// The database fails.
pub async fn forget_in_search(tx: &mut Tx, tenant: TenantId, account: AccountId) -> StoreResult<()> {
    let (needs, offers): (Vec<(i64,)>, Vec<(i64,)>) = with_tx!(tx, |c| {
        let needs = sqlx::query_as("SELECT id FROM need WHERE tenant_id = $1 AND account_id = $2")
            .bind(tenant)
            .bind(account)
            .fetch_all(&mut *c)
            .await?;
        let offers = sqlx::query_as("SELECT id FROM offer WHERE tenant_id = $1 AND account_id = $2")
            .bind(tenant)
            .bind(account)
            .fetch_all(&mut *c)
            .await?;
        (needs, offers)
    });
    for (id,) in needs {
        crate::search::store::changed(tx, tenant, crate::search::Kind::Need, id).await?;
    }
    for (id,) in offers {
        crate::search::store::changed(tx, tenant, crate::search::Kind::Offer, id).await?;
    }
    Ok(())
}

/// The open needs, oldest first: the coordinators' queue.
///
/// # Errors
/// The database fails.
pub async fn open_needs(db: &Db, tenant: TenantId) -> StoreResult<Vec<Need>> {
    const SQL: &str = need!("n.tenant_id = $1 AND n.status = 'open' ORDER BY n.created_at, n.id LIMIT $2");
    let rows = with_db!(db, |p| sqlx::query_as::<_, NeedRow>(SQL).bind(tenant).bind(LIST_MAX).fetch_all(p).await?);
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Posts an offer.
///
/// # Errors
/// [`StoreError::NotFound`] when its organisation is not the tenant's.
pub async fn insert_offer(tx: &mut Tx, tenant: TenantId, by: AccountId, d: &Draft) -> StoreResult<OfferId> {
    check_behalf(tx, tenant, d.behalf).await?;
    let t = &d.terms;
    let now = now();
    let id = with_tx!(tx, |c| {
        sqlx::query_as::<_, (OfferId,)>(
            "INSERT INTO offer (tenant_id, account_id, organisation_id, title, body, kind, skills, tags, place, \
             online, starts_on, ends_on, visibility, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'open', $14, $14) RETURNING id",
        )
        .bind(tenant)
        .bind(by)
        .bind(organisation_of(d.behalf))
        .bind(&d.title)
        .bind(&d.body)
        .bind(t.kind)
        .bind(Skill::store_list(&t.skills))
        .bind(t.tags.join("\n"))
        .bind(&t.place)
        .bind(t.online)
        .bind(t.starts_on)
        .bind(t.ends_on)
        .bind(d.visibility)
        .bind(now)
        .fetch_one(&mut *c)
        .await?
        .0
    });
    crate::search::store::changed(tx, tenant, crate::search::Kind::Offer, id.0).await?;
    Ok(id)
}

/// Saves an edited offer.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's.
pub async fn update_offer(tx: &mut Tx, tenant: TenantId, id: OfferId, d: &Draft) -> StoreResult<()> {
    check_behalf(tx, tenant, d.behalf).await?;
    let t = &d.terms;
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE offer SET organisation_id = $3, title = $4, body = $5, kind = $6, skills = $7, tags = $8, \
             place = $9, online = $10, starts_on = $11, ends_on = $12, visibility = $13, updated_at = $14 \
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant)
        .bind(id)
        .bind(organisation_of(d.behalf))
        .bind(&d.title)
        .bind(&d.body)
        .bind(t.kind)
        .bind(Skill::store_list(&t.skills))
        .bind(t.tags.join("\n"))
        .bind(&t.place)
        .bind(t.online)
        .bind(t.starts_on)
        .bind(t.ends_on)
        .bind(d.visibility)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if n != 1 {
        return Err(StoreError::NotFound);
    }
    crate::search::store::changed(tx, tenant, crate::search::Kind::Offer, id.0).await
}

/// Sets an offer's status.
///
/// # Errors
/// [`StoreError::NotFound`].
pub async fn set_offer_status(tx: &mut Tx, tenant: TenantId, id: OfferId, status: OfferStatus) -> StoreResult<()> {
    let n = with_tx!(tx, |c| {
        sqlx::query("UPDATE offer SET status = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2")
            .bind(tenant)
            .bind(id)
            .bind(status)
            .bind(now())
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if n != 1 {
        return Err(StoreError::NotFound);
    }
    crate::search::store::changed(tx, tenant, crate::search::Kind::Offer, id.0).await
}

/// An offer of the tenant.
///
/// # Errors
/// [`StoreError::NotFound`].
pub async fn get_offer(db: &Db, tenant: TenantId, id: OfferId) -> StoreResult<Offer> {
    const SQL: &str = offer!("n.tenant_id = $1 AND n.id = $2");
    Ok(with_db!(db, |p| sqlx::query_as::<_, OfferRow>(SQL).bind(tenant).bind(id).fetch_one(p).await?).into())
}

/// The same, inside a change.
///
/// # Errors
/// [`StoreError::NotFound`].
pub async fn get_offer_in(tx: &mut Tx, tenant: TenantId, id: OfferId) -> StoreResult<Offer> {
    const SQL: &str = offer!("n.tenant_id = $1 AND n.id = $2");
    Ok(with_tx!(tx, |c| sqlx::query_as::<_, OfferRow>(SQL).bind(tenant).bind(id).fetch_one(&mut *c).await?).into())
}

/// The offers the viewer may read (and their own), newest first.
///
/// # Errors
/// The database fails.
pub async fn offers(
    db: &Db,
    tenant: TenantId,
    viewer: Viewer,
    own: Option<AccountId>,
    f: Filter<OfferStatus>,
) -> StoreResult<Vec<Offer>> {
    const SQL: &str = offer!(
        "n.tenant_id = $1 AND (n.visibility IN ($2, $3, $4) OR n.account_id = $5) AND n.status = $6 \
         AND ($7 IS NULL OR n.kind = $7) AND ($8 IS NULL OR (' ' || n.skills || ' ') LIKE $8) \
         ORDER BY n.created_at DESC, n.id DESC LIMIT $9"
    );
    let [a, b, c] = viewer.codes_shown();
    let skill = f.skill.map(|s| format!("% {} %", s.code()));
    let rows = with_db!(db, |p| {
        sqlx::query_as::<_, OfferRow>(SQL)
            .bind(tenant)
            .bind(a)
            .bind(b)
            .bind(c)
            .bind(own.unwrap_or(AccountId(0)))
            .bind(f.status.unwrap_or(OfferStatus::Open))
            .bind(f.kind)
            .bind(skill)
            .bind(LIST_MAX)
            .fetch_all(p)
            .await?
    });
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The offers an account posted, newest first.
///
/// # Errors
/// The database fails.
pub async fn offers_of(db: &Db, tenant: TenantId, account: AccountId) -> StoreResult<Vec<Offer>> {
    const SQL: &str = offer!("n.tenant_id = $1 AND n.account_id = $2 ORDER BY n.created_at DESC, n.id DESC");
    let rows = with_db!(db, |p| sqlx::query_as::<_, OfferRow>(SQL).bind(tenant).bind(account).fetch_all(p).await?);
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The open offers of a kind, not over by `today`, that the viewer may read (a
/// coordinator: all): what [`super::matching::suggest`] chooses from.
///
/// # Errors
/// The database fails.
pub async fn candidates(
    db: &Db,
    tenant: TenantId,
    kind: Kind,
    viewer: Viewer,
    today: NaiveDate,
) -> StoreResult<Vec<Offer>> {
    const SQL: &str = offer!(
        "n.tenant_id = $1 AND n.status = 'open' AND n.kind = $2 AND n.visibility IN ($3, $4, $5) \
         AND (n.ends_on IS NULL OR n.ends_on >= $6)"
    );
    let [a, b, c] = viewer.codes_shown();
    let rows = with_db!(db, |p| {
        sqlx::query_as::<_, OfferRow>(SQL)
            .bind(tenant)
            .bind(kind)
            .bind(a)
            .bind(b)
            .bind(c)
            .bind(today)
            .fetch_all(p)
            .await?
    });
    Ok(rows.into_iter().map(Into::into).collect())
}

/// What a member posted, for their data export.
///
/// # Errors
/// The database fails.
pub async fn personal_data(db: &Db, tenant: TenantId, account: AccountId) -> StoreResult<serde_json::Value> {
    let terms = |t: &Terms| {
        serde_json::json!({
            "kind": t.kind.map(Kind::code),
            "skills": t.skills.iter().map(|s| s.code()).collect::<Vec<_>>(),
            "tags": t.tags,
            "place": t.place,
            "online": t.online,
            "starts_on": t.starts_on,
            "ends_on": t.ends_on,
        })
    };
    let needs: Vec<serde_json::Value> = needs_of(db, tenant, account)
        .await?
        .iter()
        .map(|n| {
            serde_json::json!({
                "id": n.id.0, "title": n.title, "body": n.body, "terms": terms(&n.terms),
                "organisation": n.organisation.as_ref().map(|o| &o.name), "lab": n.lab.as_ref().map(|l| &l.name),
                "shown_to": n.visibility.code(), "status": n.status.code(), "created_at": n.created_at,
            })
        })
        .collect();
    let offers: Vec<serde_json::Value> = offers_of(db, tenant, account)
        .await?
        .iter()
        .map(|o| {
            serde_json::json!({
                "id": o.id.0, "title": o.title, "body": o.body, "terms": terms(&o.terms),
                "organisation": o.organisation.as_ref().map(|o| &o.name),
                "shown_to": o.visibility.code(), "status": o.status.code(), "created_at": o.created_at,
            })
        })
        .collect();
    Ok(serde_json::json!({ "needs": needs, "offers": offers }))
}

/// Needs posted and needs met in `[start, end)`, for the annual report.
///
/// # Errors
/// The database fails.
pub async fn count_needs(
    db: &Db,
    tenant: TenantId,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> StoreResult<(i64, i64)> {
    Ok(with_db!(db, |p| {
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT (SELECT COUNT(*) FROM need WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3), \
             (SELECT COUNT(*) FROM need WHERE tenant_id = $1 AND met_at >= $2 AND met_at < $3)",
        )
        .bind(tenant)
        .bind(start)
        .bind(end)
        .fetch_one(p)
        .await?
    }))
}
