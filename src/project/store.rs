//! All SQL about projects, their members and updates: the only module that writes
//! `project`, `project_member` and `project_update`. Every function takes the tenant
//! first; members and updates are found through a project of the tenant.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Member, Project, ProjectDraft, ProjectId, Status};
use crate::account::AccountId;
use crate::board::PostId;
use crate::db::{Db, StoreError, StoreResult, Tx, now};
use crate::event::EventId;
use crate::lab::LabId;
use crate::social_issue::SocialIssueId;
use crate::tenant::TenantId;
use crate::{with_db, with_tx};

#[derive(sqlx::FromRow)]
struct Row {
    id: ProjectId,
    tenant_id: TenantId,
    title: String,
    description: String,
    status: Status,
    social_issue_id: Option<SocialIssueId>,
    issue_title: Option<String>,
    event_id: Option<EventId>,
    event_title: Option<String>,
    lab_id: Option<LabId>,
    lab_title: Option<String>,
    started_on: Option<NaiveDate>,
    created_at: DateTime<Utc>,
}

impl From<Row> for Project {
    fn from(r: Row) -> Project {
        Project {
            id: r.id,
            tenant_id: r.tenant_id,
            title: r.title,
            description: r.description,
            status: r.status,
            issue: r.social_issue_id.zip(r.issue_title),
            event: r.event_id.zip(r.event_title),
            lab: r.lab_id.zip(r.lab_title),
            started_on: r.started_on,
            created_at: r.created_at,
        }
    }
}

macro_rules! select {
    ($where:expr) => {
        concat!(
            "SELECT p.id, p.tenant_id, p.title, p.description, p.status, p.social_issue_id, i.title AS issue_title, \
             p.event_id, e.title AS event_title, p.lab_id, l.title AS lab_title, p.started_on, p.created_at \
             FROM project p LEFT JOIN social_issue i ON i.id = p.social_issue_id AND i.status = 'published' \
             LEFT JOIN event e ON e.id = p.event_id AND e.status <> 'draft' AND e.kind <> 'secretariat_meeting' \
             LEFT JOIN lab l ON l.id = p.lab_id WHERE ",
            $where
        )
    };
}

/// Checks that what a project was born in or works on is the tenant's.
async fn check_origin(tx: &mut Tx, tenant: TenantId, d: &ProjectDraft) -> StoreResult<()> {
    for (sql, id) in [
        ("SELECT COUNT(*) FROM social_issue WHERE tenant_id = $1 AND id = $2", d.issue.map(|i| i.0)),
        ("SELECT COUNT(*) FROM event WHERE tenant_id = $1 AND id = $2", d.event.map(|e| e.0)),
        ("SELECT COUNT(*) FROM lab WHERE tenant_id = $1 AND id = $2", d.lab.map(|l| l.0)),
    ] {
        if let Some(id) = id {
            let n: i64 = with_tx!(tx, |c| sqlx::query_scalar(sql).bind(tenant).bind(id).fetch_one(&mut *c).await?);
            if n != 1 {
                return Err(StoreError::NotFound);
            }
        }
    }
    Ok(())
}

/// The day in Japan, for a project that becomes active.
fn today() -> NaiveDate {
    crate::i18n::wareki::jst_date(Utc::now())
}

/// Starts a project.
///
/// # Errors
/// [`StoreError::NotFound`] when what it names is not the tenant's.
pub async fn insert(tx: &mut Tx, tenant: TenantId, d: &ProjectDraft) -> StoreResult<ProjectId> {
    check_origin(tx, tenant, d).await?;
    let started = (d.status == Status::Active).then(today);
    let id = with_tx!(tx, |c| {
        sqlx::query_as::<_, (ProjectId,)>(
            "INSERT INTO project (tenant_id, title, description, status, social_issue_id, event_id, lab_id, \
             started_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
        )
        .bind(tenant)
        .bind(&d.title)
        .bind(&d.description)
        .bind(d.status)
        .bind(d.issue)
        .bind(d.event)
        .bind(d.lab)
        .bind(started)
        .bind(now())
        .fetch_one(&mut *c)
        .await?
        .0
    });
    Ok(id)
}

/// Saves an edited project; the first time it leaves 準備中 is the day it started.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's.
pub async fn update(tx: &mut Tx, tenant: TenantId, id: ProjectId, d: &ProjectDraft) -> StoreResult<()> {
    check_origin(tx, tenant, d).await?;
    let started = (d.status == Status::Active).then(today);
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE project SET title = $3, description = $4, status = $5, social_issue_id = $6, event_id = $7, \
             lab_id = $8, started_on = COALESCE(started_on, $9), updated_at = $10 WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant)
        .bind(id)
        .bind(&d.title)
        .bind(&d.description)
        .bind(d.status)
        .bind(d.issue)
        .bind(d.event)
        .bind(d.lab)
        .bind(started)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if n == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

/// A project of the tenant.
///
/// # Errors
/// [`StoreError::NotFound`].
pub async fn get(db: &Db, tenant: TenantId, id: ProjectId) -> StoreResult<Project> {
    const SQL: &str = select!("p.tenant_id = $1 AND p.id = $2");
    Ok(with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(id).fetch_one(p).await?).into())
}

/// The same, inside a change.
///
/// # Errors
/// [`StoreError::NotFound`].
pub async fn get_in(tx: &mut Tx, tenant: TenantId, id: ProjectId) -> StoreResult<Project> {
    const SQL: &str = select!("p.tenant_id = $1 AND p.id = $2");
    Ok(with_tx!(tx, |c| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(id).fetch_one(&mut *c).await?).into())
}

/// What a list of projects is narrowed to.
#[derive(Clone, Copy, Debug, Default)]
pub struct Origin {
    pub issue: Option<SocialIssueId>,
    pub event: Option<EventId>,
    pub lab: Option<LabId>,
}

/// The tenant's projects, newest first, born in or working on what `origin` names.
///
/// # Errors
/// The database fails.
pub async fn list(db: &Db, tenant: TenantId, origin: Origin) -> StoreResult<Vec<Project>> {
    const SQL: &str = select!(
        "p.tenant_id = $1 AND ($2 IS NULL OR p.social_issue_id = $2) AND ($3 IS NULL OR p.event_id = $3) \
         AND ($4 IS NULL OR p.lab_id = $4) ORDER BY p.created_at DESC, p.id DESC LIMIT 500"
    );
    let rows = with_db!(db, |p| {
        sqlx::query_as::<_, Row>(SQL)
            .bind(tenant)
            .bind(origin.issue)
            .bind(origin.event)
            .bind(origin.lab)
            .fetch_all(p)
            .await?
    });
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The projects born in or working on what `origin` names, as a page links them:
/// (id, title, status in the reader's language).
///
/// # Errors
/// The database fails.
pub async fn born_in(
    db: &Db,
    tenant: TenantId,
    origin: Origin,
    lang: crate::i18n::Lang,
) -> StoreResult<Vec<(i64, String, String)>> {
    Ok(list(db, tenant, origin)
        .await?
        .into_iter()
        .map(|p| (p.id.0, p.title, p.status.label(lang).into_owned()))
        .collect())
}

/// The projects an account is in, with whether they lead it.
///
/// # Errors
/// The database fails.
pub async fn of_account(db: &Db, tenant: TenantId, account: AccountId) -> StoreResult<Vec<(ProjectId, String, bool)>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT p.id, p.title, m.lead FROM project_member m JOIN project p ON p.id = m.project_id \
             WHERE p.tenant_id = $1 AND m.account_id = $2 ORDER BY p.title, p.id",
        )
        .bind(tenant)
        .bind(account)
        .fetch_all(p)
        .await?
    }))
}

/// A project's members, leads first.
///
/// # Errors
/// The database fails.
pub async fn members(db: &Db, tenant: TenantId, id: ProjectId) -> StoreResult<Vec<Member>> {
    let rows: Vec<(AccountId, String, bool)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT m.account_id, a.display_name, m.lead FROM project_member m JOIN account a ON a.id = m.account_id \
             WHERE m.tenant_id = $1 AND m.project_id = $2 ORDER BY m.lead DESC, a.furigana, a.display_name, a.id",
        )
        .bind(tenant)
        .bind(id)
        .fetch_all(p)
        .await?
    });
    Ok(rows.into_iter().map(|(account_id, name, lead)| Member { account_id, name, lead }).collect())
}

/// Adds a member or changes whether they lead.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's project or account.
pub async fn set_member(
    tx: &mut Tx,
    tenant: TenantId,
    id: ProjectId,
    account: AccountId,
    lead: bool,
) -> StoreResult<()> {
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO project_member (project_id, account_id, tenant_id, lead, created_at) \
             SELECT p.id, a.id, p.tenant_id, $4, $5 FROM project p JOIN account a ON a.tenant_id = p.tenant_id \
             WHERE p.tenant_id = $1 AND p.id = $2 AND a.id = $3 \
             ON CONFLICT (project_id, account_id) DO UPDATE SET lead = excluded.lead",
        )
        .bind(tenant)
        .bind(id)
        .bind(account)
        .bind(lead)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if n == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

/// Takes someone off a project.
///
/// # Errors
/// [`StoreError::NotFound`] when they are not in it.
pub async fn remove_member(tx: &mut Tx, tenant: TenantId, id: ProjectId, account: AccountId) -> StoreResult<()> {
    let n = with_tx!(tx, |c| {
        sqlx::query("DELETE FROM project_member WHERE tenant_id = $1 AND project_id = $2 AND account_id = $3")
            .bind(tenant)
            .bind(id)
            .bind(account)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if n == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

/// Whether `account` is the project's only lead (read with the project locked on
/// PostgreSQL, so that two leads stepping down at once cannot both go).
///
/// # Errors
/// The database fails.
pub async fn is_only_lead(tx: &mut Tx, tenant: TenantId, id: ProjectId, account: AccountId) -> StoreResult<bool> {
    if let Tx::Postgres(c) = tx {
        sqlx::query("SELECT id FROM project WHERE tenant_id = $1 AND id = $2 FOR UPDATE")
            .bind(tenant)
            .bind(id)
            .fetch_optional(&mut **c)
            .await?;
    }
    let (leads, this): (i64, i64) = with_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN account_id = $3 THEN 1 ELSE 0 END), 0) FROM project_member \
             WHERE tenant_id = $1 AND project_id = $2 AND lead",
        )
        .bind(tenant)
        .bind(id)
        .bind(account)
        .fetch_one(&mut *c)
        .await?
    });
    Ok(leads == 1 && this == 1)
}

/// Lists a board post as one of the project's updates.
///
/// # Errors
/// The database fails.
pub async fn insert_update(tx: &mut Tx, tenant: TenantId, id: ProjectId, post: PostId) -> StoreResult<()> {
    with_tx!(tx, |c| {
        sqlx::query("INSERT INTO project_update (project_id, post_id, tenant_id) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(post)
            .bind(tenant)
            .execute(&mut *c)
            .await?;
    });
    Ok(())
}

/// A project's updates the reader may read (published, and for members those for
/// members), newest first: (post, title, posted at).
///
/// # Errors
/// The database fails.
pub async fn updates(
    db: &Db,
    tenant: TenantId,
    id: ProjectId,
    member: bool,
) -> StoreResult<Vec<(PostId, String, DateTime<Utc>)>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT b.id, b.title, b.created_at FROM project_update u JOIN board_post b ON b.id = u.post_id \
             WHERE u.tenant_id = $1 AND u.project_id = $2 AND b.status = 'published' AND (b.audience = 'public' OR $3) \
             ORDER BY b.created_at DESC, b.id DESC",
        )
        .bind(tenant)
        .bind(id)
        .bind(member)
        .fetch_all(p)
        .await?
    }))
}

/// Projects started from `first` to `last` (inclusive), for the annual report.
///
/// # Errors
/// The database fails.
pub async fn count_started(db: &Db, tenant: TenantId, first: NaiveDate, last: NaiveDate) -> StoreResult<i64> {
    Ok(with_db!(db, |p| {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM project WHERE tenant_id = $1 AND started_on >= $2 AND started_on <= $3",
        )
        .bind(tenant)
        .bind(first)
        .bind(last)
        .fetch_one(p)
        .await?
    }))
}

/// The projects a member is in, for their data export.
///
/// # Errors
/// The database fails.
pub async fn personal_data(db: &Db, tenant: TenantId, account: AccountId) -> StoreResult<serde_json::Value> {
    Ok(of_account(db, tenant, account)
        .await?
        .into_iter()
        .map(|(id, title, lead)| serde_json::json!({ "project": id.0, "title": title, "lead": lead }))
        .collect())
}
