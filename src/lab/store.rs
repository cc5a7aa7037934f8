//! All SQL about labs, their members and requests to join: the only module that writes
//! `lab`, `lab_member` and `lab_join_request` (meetings: `meeting::store`). Every function takes the tenant first; members and
//! meetings are found through a lab of the tenant, never by their ids alone.

use chrono::{DateTime, NaiveDate, Utc};

use super::{JoinRequest, Lab, LabDraft, LabId, LabMember, LabRole};
use crate::account::AccountId;
use crate::db::{Db, StoreError, StoreResult, Tx, now};
use crate::event::EventId;
use crate::social_issue::SocialIssueId;
use crate::tenant::TenantId;
use crate::{with_db, with_tx};

#[derive(sqlx::FromRow)]
struct Row {
    id: LabId,
    tenant_id: TenantId,
    title: String,
    description: String,
    description_html: String,
    social_issue_id: Option<SocialIssueId>,
    event_id: Option<EventId>,
    founded_on: NaiveDate,
    members: i64,
    created_at: DateTime<Utc>,
}

impl From<Row> for Lab {
    fn from(r: Row) -> Lab {
        Lab {
            id: r.id,
            tenant_id: r.tenant_id,
            title: r.title,
            description: r.description,
            description_html: r.description_html,
            social_issue_id: r.social_issue_id,
            event_id: r.event_id,
            founded_on: r.founded_on,
            members: r.members,
            created_at: r.created_at,
        }
    }
}

macro_rules! select {
    ($where:expr) => {
        concat!(
            "SELECT l.id, l.tenant_id, l.title, l.description, l.description_html, l.social_issue_id, l.event_id, \
             l.founded_on, (SELECT COUNT(*) FROM lab_member m WHERE m.lab_id = l.id) AS members, l.created_at FROM lab l WHERE ",
            $where
        )
    };
}

/// Checks that the issue a lab takes up is one of this tenant's.
async fn check_issue(tx: &mut Tx, tenant: TenantId, issue: Option<SocialIssueId>) -> StoreResult<()> {
    match issue {
        Some(id) if !crate::social_issue::store::exists_in(tx, tenant, id).await? => Err(StoreError::NotFound),
        _ => Ok(()),
    }
}

/// What [`check_event`] answers for a session a lab cannot name as its origin.
pub const UNKNOWN_EVENT: &str = "lab_event";

/// Checks that the session a lab grew out of is one of this tenant's published sessions.
async fn check_event(tx: &mut Tx, tenant: TenantId, event: Option<EventId>) -> StoreResult<()> {
    let Some(id) = event else { return Ok(()) };
    match crate::event::store::get_in(tx, tenant, id).await {
        Ok(e) if e.status == crate::event::Status::Published => Ok(()),
        Ok(_) | Err(StoreError::NotFound) => Err(StoreError::Conflict { constraint: UNKNOWN_EVENT.into() }),
        Err(e) => Err(e),
    }
}

/// Opens a lab.
///
/// # Errors
/// [`StoreError::NotFound`] when the social issue is not this tenant's; a
/// [`StoreError::Conflict`] on [`UNKNOWN_EVENT`] when the session is not one of its
/// published sessions.
pub async fn insert(tx: &mut Tx, tenant: TenantId, draft: &LabDraft) -> StoreResult<LabId> {
    check_issue(tx, tenant, draft.social_issue_id).await?;
    check_event(tx, tenant, draft.event_id).await?;
    let now = now();
    let id = with_tx!(tx, |c| {
        sqlx::query_as::<_, (LabId,)>(
            "INSERT INTO lab (tenant_id, title, description, description_html, social_issue_id, created_at, updated_at, \
             event_id, founded_on) VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8) RETURNING id",
        )
        .bind(tenant)
        .bind(&draft.title)
        .bind(&draft.description)
        .bind(crate::markdown::render_markdown(&draft.description))
        .bind(draft.social_issue_id)
        .bind(now)
        .bind(draft.event_id)
        .bind(draft.founded_on)
        .fetch_one(&mut *c)
        .await?
        .0
    });
    crate::search::store::changed(tx, tenant, crate::search::Kind::Lab, id.0).await?;
    Ok(id)
}

/// Changes a lab's theme, description, origins and founding day.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's lab or issue; a [`StoreError::Conflict`]
/// on [`UNKNOWN_EVENT`] as for [`insert`].
pub async fn update(tx: &mut Tx, tenant: TenantId, id: LabId, draft: &LabDraft) -> StoreResult<()> {
    check_issue(tx, tenant, draft.social_issue_id).await?;
    check_event(tx, tenant, draft.event_id).await?;
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE lab SET title = $3, description = $4, description_html = $5, social_issue_id = $6, updated_at = $7, \
             event_id = $8, founded_on = $9 WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant)
        .bind(id)
        .bind(&draft.title)
        .bind(&draft.description)
        .bind(crate::markdown::render_markdown(&draft.description))
        .bind(draft.social_issue_id)
        .bind(now())
        .bind(draft.event_id)
        .bind(draft.founded_on)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    // Its roadmap and consultations carry its title: the index reads them again too.
    crate::search::store::changed(tx, tenant, crate::search::Kind::Lab, id.0).await
}

/// The lab with this id in this tenant.
///
/// # Errors
/// [`StoreError::NotFound`], also for another tenant's id.
pub async fn get(db: &Db, tenant: TenantId, id: LabId) -> StoreResult<Lab> {
    const SQL: &str = select!("l.tenant_id = $1 AND l.id = $2");
    let row = with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(id).fetch_one(p).await?);
    Ok(row.into())
}

/// The tenant's labs, newest first.
///
/// # Errors
/// The database fails.
pub async fn list(db: &Db, tenant: TenantId) -> StoreResult<Vec<Lab>> {
    const SQL: &str = select!("l.tenant_id = $1 ORDER BY l.created_at DESC, l.id DESC");
    let rows = with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).fetch_all(p).await?);
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The labs that grew out of a session, oldest first.
///
/// # Errors
/// The database fails.
pub async fn list_for_event(db: &Db, tenant: TenantId, event: EventId) -> StoreResult<Vec<Lab>> {
    const SQL: &str = select!("l.tenant_id = $1 AND l.event_id = $2 ORDER BY l.founded_on, l.id");
    let rows = with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(event).fetch_all(p).await?);
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The labs that took up an issue.
///
/// # Errors
/// The database fails.
pub async fn list_for_issue(db: &Db, tenant: TenantId, issue: SocialIssueId) -> StoreResult<Vec<Lab>> {
    const SQL: &str = select!("l.tenant_id = $1 AND l.social_issue_id = $2 ORDER BY l.created_at, l.id");
    let rows = with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(issue).fetch_all(p).await?);
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The members of a lab of the tenant, leads first, then by name.
///
/// # Errors
/// The database fails, or a stored role is unknown.
pub async fn members(db: &Db, tenant: TenantId, lab: LabId) -> StoreResult<Vec<LabMember>> {
    let rows: Vec<(AccountId, String, LabRole)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT a.id, a.display_name, m.role FROM lab_member m JOIN account a ON a.id = m.account_id \
             JOIN lab l ON l.id = m.lab_id AND l.tenant_id = $1 WHERE m.lab_id = $2 \
             ORDER BY CASE m.role WHEN 'lead' THEN 0 WHEN 'member' THEN 1 WHEN 'advisor' THEN 2 ELSE 3 END, \
             a.display_name, a.id",
        )
        .bind(tenant)
        .bind(lab)
        .fetch_all(p)
        .await?
    });
    Ok(rows.into_iter().map(|(account_id, name, role)| LabMember { account_id, name, role }).collect())
}

/// The labs of the tenant the account leads.
///
/// # Errors
/// The database fails.
pub async fn led_by(db: &Db, tenant: TenantId, account: AccountId) -> StoreResult<Vec<LabId>> {
    let rows: Vec<(LabId,)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT m.lab_id FROM lab_member m JOIN lab l ON l.id = m.lab_id AND l.tenant_id = $1 \
             WHERE m.account_id = $2 AND m.role = 'lead' ORDER BY m.lab_id",
        )
        .bind(tenant)
        .bind(account)
        .fetch_all(p)
        .await?
    });
    Ok(rows.into_iter().map(|(l,)| l).collect())
}

/// The account's role in a lab of the tenant, if it is a member.
///
/// # Errors
/// The database fails, or the stored role is unknown.
pub async fn role_of(db: &Db, tenant: TenantId, lab: LabId, account: AccountId) -> StoreResult<Option<LabRole>> {
    let row: Option<(LabRole,)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT m.role FROM lab_member m JOIN lab l ON l.id = m.lab_id AND l.tenant_id = $1 \
             WHERE m.lab_id = $2 AND m.account_id = $3",
        )
        .bind(tenant)
        .bind(lab)
        .bind(account)
        .fetch_optional(p)
        .await?
    });
    Ok(row.map(|(r,)| r))
}

/// Records (or renews, with its new word) an account's request to join a lab of the
/// tenant; nothing when it is a member already. Whether a request was recorded.
///
/// # Errors
/// The database fails.
pub async fn request_join(
    tx: &mut Tx,
    tenant: TenantId,
    lab: LabId,
    account: AccountId,
    note: &str,
) -> StoreResult<bool> {
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO lab_join_request (lab_id, account_id, note, created_at) \
             SELECT l.id, a.id, $4, $5 FROM lab l JOIN account a ON a.tenant_id = l.tenant_id AND a.id = $3 \
             WHERE l.tenant_id = $1 AND l.id = $2 \
             AND NOT EXISTS (SELECT 1 FROM lab_member m WHERE m.lab_id = l.id AND m.account_id = a.id) \
             ON CONFLICT (lab_id, account_id) DO UPDATE SET note = excluded.note",
        )
        .bind(tenant)
        .bind(lab)
        .bind(account)
        .bind(note)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(n > 0)
}

/// Removes an account's request to join a lab of the tenant (withdrawn or declined);
/// whether there was one.
///
/// # Errors
/// The database fails.
pub async fn remove_request(tx: &mut Tx, tenant: TenantId, lab: LabId, account: AccountId) -> StoreResult<bool> {
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "DELETE FROM lab_join_request WHERE account_id = $3 \
             AND lab_id = (SELECT id FROM lab WHERE tenant_id = $1 AND id = $2)",
        )
        .bind(tenant)
        .bind(lab)
        .bind(account)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(n > 0)
}

/// Accepts an account's request to join a lab of the tenant: it becomes a member.
///
/// # Errors
/// [`StoreError::NotFound`] when there is no such request.
pub async fn accept_request(tx: &mut Tx, tenant: TenantId, lab: LabId, account: AccountId) -> StoreResult<()> {
    if !remove_request(tx, tenant, lab, account).await? {
        return Err(StoreError::NotFound);
    }
    with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO lab_member (lab_id, account_id, role, created_at) VALUES ($1, $2, 'member', $3) \
             ON CONFLICT (lab_id, account_id) DO NOTHING",
        )
        .bind(lab)
        .bind(account)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(())
}

/// The requests to join a lab of the tenant, oldest first.
///
/// # Errors
/// The database fails.
pub async fn requests(db: &Db, tenant: TenantId, lab: LabId) -> StoreResult<Vec<JoinRequest>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT a.id AS account_id, a.display_name AS name, r.note, r.created_at FROM lab_join_request r \
             JOIN account a ON a.id = r.account_id JOIN lab l ON l.id = r.lab_id AND l.tenant_id = $1 \
             WHERE r.lab_id = $2 ORDER BY r.created_at, a.id",
        )
        .bind(tenant)
        .bind(lab)
        .fetch_all(p)
        .await?
    }))
}

/// Whether the account has asked to join a lab of the tenant.
///
/// # Errors
/// The database fails.
pub async fn has_requested(db: &Db, tenant: TenantId, lab: LabId, account: AccountId) -> StoreResult<bool> {
    let (n,): (i64,) = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT COUNT(*) FROM lab_join_request r JOIN lab l ON l.id = r.lab_id AND l.tenant_id = $1 \
             WHERE r.lab_id = $2 AND r.account_id = $3",
        )
        .bind(tenant)
        .bind(lab)
        .bind(account)
        .fetch_one(p)
        .await?
    });
    Ok(n > 0)
}

/// The leads of a lab of the tenant, read in a write transaction (to tell them).
///
/// # Errors
/// The database fails.
pub async fn leads_in(tx: &mut Tx, tenant: TenantId, lab: LabId) -> StoreResult<Vec<AccountId>> {
    let rows: Vec<(AccountId,)> = with_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT m.account_id FROM lab_member m JOIN lab l ON l.id = m.lab_id AND l.tenant_id = $1 \
             WHERE m.lab_id = $2 AND m.role = 'lead' ORDER BY m.account_id",
        )
        .bind(tenant)
        .bind(lab)
        .fetch_all(&mut *c)
        .await?
    });
    Ok(rows.into_iter().map(|(a,)| a).collect())
}

/// Adds the tenant's account with this (normalised) e-mail to a lab of the tenant, or
/// changes its role.
///
/// # Errors
/// [`StoreError::NotFound`] when no account of the tenant has the address.
pub async fn set_member(tx: &mut Tx, tenant: TenantId, lab: LabId, email: &str, role: LabRole) -> StoreResult<()> {
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO lab_member (lab_id, account_id, role, created_at) \
             SELECT l.id, a.id, $4, $5 FROM lab l JOIN account a ON a.tenant_id = l.tenant_id \
             WHERE l.tenant_id = $1 AND l.id = $2 AND a.email = $3 \
             ON CONFLICT (lab_id, account_id) DO UPDATE SET role = excluded.role",
        )
        .bind(tenant)
        .bind(lab)
        .bind(email)
        .bind(role)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Removes a member from a lab of the tenant.
///
/// # Errors
/// The database fails.
pub async fn remove_member(tx: &mut Tx, tenant: TenantId, lab: LabId, account: AccountId) -> StoreResult<()> {
    with_tx!(tx, |c| {
        sqlx::query(
            "DELETE FROM lab_member WHERE account_id = $3 AND lab_id = (SELECT id FROM lab WHERE tenant_id = $1 AND id = $2)",
        )
        .bind(tenant)
        .bind(lab)
        .bind(account)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(())
}

/// A lab's activity in a period, for the annual report.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Activity {
    #[serde(skip)]
    pub id: LabId,
    pub lab: String,
    /// Meetings held.
    pub meetings: i64,
    /// Of those, meetings with pro bono partners.
    pub probono_meetings: i64,
    /// Attendances at those meetings (のべ人数).
    pub attendees: i64,
    /// Of those, by sector (the members ticked, the others by sector)…
    pub meeting_sectors: crate::sector::SectorCounts,
    /// …and of unknown sector (meetings recorded by a number alone).
    pub meeting_unknown: i64,
    /// Study sessions and other events of the lab (not cancelled).
    pub events: i64,
    /// Their participants by sector, as checked in.
    pub session_participants: crate::sector::SectorCounts,
}

/// Each lab's meetings (with their attendances by sector) and events (with their
/// participants by sector) in a fiscal year, for labs that did anything in it.
///
/// # Errors
/// The database fails.
pub async fn activity(db: &Db, tenant: TenantId, fy: crate::i18n::FiscalYear) -> StoreResult<Vec<Activity>> {
    let (from, to) = (fy.first_day(), fy.last_day());
    let (start, end) = fy.utc_range();
    let rows: Vec<(LabId, String, i64, i64, i64, i64)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT l.id, l.title, \
             (SELECT COUNT(*) FROM lab_meeting m WHERE m.lab_id = l.id AND m.held_on BETWEEN $2 AND $3), \
             (SELECT COUNT(*) FROM lab_meeting m WHERE m.lab_id = l.id AND m.held_on BETWEEN $2 AND $3 \
              AND m.with_probono), \
             (SELECT CAST(COALESCE(SUM(m.attendees), 0) AS BIGINT) FROM lab_meeting m WHERE m.lab_id = l.id AND m.held_on BETWEEN $2 AND $3), \
             (SELECT COUNT(*) FROM event e WHERE e.lab_id = l.id AND e.status = 'published' AND e.starts_at >= $4 AND e.starts_at < $5) \
             FROM lab l WHERE l.tenant_id = $1 ORDER BY l.created_at, l.id",
        )
        .bind(tenant)
        .bind(from)
        .bind(to)
        .bind(start)
        .bind(end)
        .fetch_all(p)
        .await?
    });
    let meeting_sectors = super::meeting::store::sectors_between(db, tenant, from, to).await?;
    let session_sectors = crate::attendance::store::sectors_by_lab(db, tenant, start, end).await?;
    let by_sector = |counts: &[(LabId, crate::sector::Sector, i64)], lab: LabId| {
        let mut out = crate::sector::SectorCounts::default();
        for (_, sector, n) in counts.iter().filter(|(l, _, _)| *l == lab) {
            out.add(*sector, *n);
        }
        out
    };
    Ok(rows
        .into_iter()
        .map(|(id, lab, meetings, probono_meetings, attendees, events)| {
            let meeting_sectors = by_sector(&meeting_sectors, id);
            Activity {
                id,
                lab,
                meetings,
                probono_meetings,
                attendees,
                meeting_unknown: attendees - meeting_sectors.total(),
                meeting_sectors,
                events,
                session_participants: by_sector(&session_sectors, id),
            }
        })
        .filter(|a| a.meetings + a.events > 0)
        .collect())
}

/// The labs a member belongs to and their role, for their data export.
///
/// # Errors
/// The database fails.
pub async fn personal_data(db: &Db, tenant: TenantId, account: AccountId) -> StoreResult<serde_json::Value> {
    let rows: Vec<(LabId, String, String, String)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT l.id, l.title, m.role, '' FROM lab_member m JOIN lab l ON l.id = m.lab_id \
             WHERE l.tenant_id = $1 AND m.account_id = $2 \
             UNION ALL SELECT l.id, l.title, 'requested', r.note FROM lab_join_request r JOIN lab l ON l.id = r.lab_id \
             WHERE l.tenant_id = $1 AND r.account_id = $2 ORDER BY 1, 3",
        )
        .bind(tenant)
        .bind(account)
        .fetch_all(p)
        .await?
    });
    Ok(serde_json::json!(
        rows.iter()
            .map(|(id, title, role, note)| match note.as_str() {
                "" => serde_json::json!({"lab": id, "theme": title, "role": role}),
                _ => serde_json::json!({"lab": id, "theme": title, "role": role, "note": note}),
            })
            .collect::<Vec<_>>()
    ))
}

/// Renders the tenant's stored lab descriptions and meeting minutes again with today's
/// renderer ([`crate::markdown::render_stored_again`]).
///
/// # Errors
/// The database fails.
pub async fn render_markdown_again(tx: &mut Tx, tenant: TenantId) -> StoreResult<()> {
    crate::markdown::render_rows_again(
        tx,
        tenant,
        "SELECT id, description FROM lab WHERE tenant_id = $1",
        "UPDATE lab SET description_html = $3 WHERE tenant_id = $1 AND id = $2",
    )
    .await?;
    super::meeting::store::render_markdown_again(tx, tenant).await
}

/// The accounts that were members of a lab of the tenant before `end` (for the network's
/// people active in several programs).
///
/// # Errors
/// The database fails.
pub async fn accounts_before(db: &Db, tenant: TenantId, end: DateTime<Utc>) -> StoreResult<Vec<AccountId>> {
    let rows: Vec<(AccountId,)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT DISTINCT m.account_id FROM lab_member m JOIN lab l ON l.id = m.lab_id \
             WHERE l.tenant_id = $1 AND m.created_at < $2",
        )
        .bind(tenant)
        .bind(end)
        .fetch_all(p)
        .await?
    });
    Ok(rows.into_iter().map(|(a,)| a).collect())
}

/// The labs an account belongs to, by theme, with its role (for the directory).
///
/// # Errors
/// The database fails, or a stored role is unknown.
pub async fn of_account(db: &Db, tenant: TenantId, account: AccountId) -> StoreResult<Vec<(LabId, String, LabRole)>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT l.id, l.title, m.role FROM lab_member m JOIN lab l ON l.id = m.lab_id \
             WHERE l.tenant_id = $1 AND m.account_id = $2 ORDER BY l.title, l.id",
        )
        .bind(tenant)
        .bind(account)
        .fetch_all(p)
        .await?
    }))
}
