//! All SQL about labs, their members and meetings.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Lab, LabDraft, LabId, LabMember, LabRole, Meeting, MeetingDraft};
use crate::account::AccountId;
use crate::db::{Db, StoreError, StoreResult, now};
use crate::social_issue::SocialIssueId;
use crate::tenant::TenantId;
use crate::with_db;

#[derive(sqlx::FromRow)]
struct Row {
    id: LabId,
    tenant_id: TenantId,
    title: String,
    description: String,
    description_html: String,
    social_issue_id: Option<SocialIssueId>,
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
            members: r.members,
            created_at: r.created_at,
        }
    }
}

macro_rules! select {
    ($where:expr) => {
        concat!(
            "SELECT l.id, l.tenant_id, l.title, l.description, l.description_html, l.social_issue_id, \
             (SELECT COUNT(*) FROM lab_member m WHERE m.lab_id = l.id) AS members, l.created_at FROM lab l WHERE ",
            $where
        )
    };
}

/// Checks that the issue a lab takes up is one of this tenant's.
async fn check_issue(db: &Db, tenant: TenantId, issue: Option<SocialIssueId>) -> StoreResult<()> {
    match issue {
        Some(id) => crate::social_issue::store::get(db, tenant, id).await.map(|_| ()),
        None => Ok(()),
    }
}

/// Opens a lab.
///
/// # Errors
/// [`StoreError::NotFound`] when the social issue is not this tenant's.
pub async fn insert(db: &Db, tenant: TenantId, draft: &LabDraft) -> StoreResult<LabId> {
    check_issue(db, tenant, draft.social_issue_id).await?;
    let now = now();
    let _turn = db.write_turn().await;
    Ok(with_db!(db, |p| {
        sqlx::query_as::<_, (LabId,)>(
            "INSERT INTO lab (tenant_id, title, description, description_html, social_issue_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(tenant)
        .bind(&draft.title)
        .bind(&draft.description)
        .bind(crate::event::render_markdown(&draft.description))
        .bind(draft.social_issue_id)
        .bind(now)
        .fetch_one(p)
        .await?
        .0
    }))
}

/// Changes a lab's theme, description and issue.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's lab or issue.
pub async fn update(db: &Db, tenant: TenantId, id: LabId, draft: &LabDraft) -> StoreResult<()> {
    check_issue(db, tenant, draft.social_issue_id).await?;
    let _turn = db.write_turn().await;
    let n = with_db!(db, |p| {
        sqlx::query(
            "UPDATE lab SET title = $3, description = $4, description_html = $5, social_issue_id = $6, updated_at = $7 \
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant)
        .bind(id)
        .bind(&draft.title)
        .bind(&draft.description)
        .bind(crate::event::render_markdown(&draft.description))
        .bind(draft.social_issue_id)
        .bind(now())
        .execute(p)
        .await?
        .rows_affected()
    });
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
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

/// The labs that took up an issue.
///
/// # Errors
/// The database fails.
pub async fn list_for_issue(db: &Db, tenant: TenantId, issue: SocialIssueId) -> StoreResult<Vec<Lab>> {
    const SQL: &str = select!("l.tenant_id = $1 AND l.social_issue_id = $2 ORDER BY l.created_at, l.id");
    let rows = with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(issue).fetch_all(p).await?);
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The lab's members, leads first, then by name.
///
/// # Errors
/// The database fails.
pub async fn members(db: &Db, lab: LabId) -> StoreResult<Vec<LabMember>> {
    let rows: Vec<(AccountId, String, String)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT a.id, a.display_name, m.role FROM lab_member m JOIN account a ON a.id = m.account_id \
             WHERE m.lab_id = $1 ORDER BY CASE m.role WHEN 'lead' THEN 0 WHEN 'member' THEN 1 WHEN 'advisor' THEN 2 ELSE 3 END, \
             a.display_name, a.id",
        )
        .bind(lab)
        .fetch_all(p)
        .await?
    });
    Ok(rows
        .into_iter()
        .filter_map(|(account_id, name, role)| {
            LabRole::from_code(&role).map(|role| LabMember { account_id, name, role })
        })
        .collect())
}

/// The account's role in the lab, if it is a member.
///
/// # Errors
/// The database fails.
pub async fn role_of(db: &Db, lab: LabId, account: AccountId) -> StoreResult<Option<LabRole>> {
    let row: Option<(String,)> = with_db!(db, |p| {
        sqlx::query_as("SELECT role FROM lab_member WHERE lab_id = $1 AND account_id = $2")
            .bind(lab)
            .bind(account)
            .fetch_optional(p)
            .await?
    });
    Ok(row.and_then(|(r,)| LabRole::from_code(&r)))
}

/// Adds the tenant's account with this e-mail to the lab, or changes its role.
///
/// # Errors
/// [`StoreError::NotFound`] when no account of the tenant has the address.
pub async fn set_member(db: &Db, tenant: TenantId, lab: LabId, email: &str, role: LabRole) -> StoreResult<()> {
    let email = crate::account::normalize_email(email).ok_or(StoreError::NotFound)?;
    let (account, _) = crate::account::store::find_by_email(db, tenant, &email).await?.ok_or(StoreError::NotFound)?;
    let _turn = db.write_turn().await;
    with_db!(db, |p| {
        sqlx::query(
            "INSERT INTO lab_member (lab_id, account_id, role, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (lab_id, account_id) DO UPDATE SET role = excluded.role",
        )
        .bind(lab)
        .bind(account.id)
        .bind(role.code())
        .bind(now())
        .execute(p)
        .await?
        .rows_affected()
    });
    Ok(())
}

/// Removes a member from the lab.
///
/// # Errors
/// The database fails.
pub async fn remove_member(db: &Db, lab: LabId, account: AccountId) -> StoreResult<()> {
    let _turn = db.write_turn().await;
    with_db!(db, |p| {
        sqlx::query("DELETE FROM lab_member WHERE lab_id = $1 AND account_id = $2")
            .bind(lab)
            .bind(account)
            .execute(p)
            .await?
            .rows_affected()
    });
    Ok(())
}

/// Records a meeting of the lab.
///
/// # Errors
/// The database fails.
pub async fn add_meeting(db: &Db, lab: LabId, draft: &MeetingDraft, by: AccountId) -> StoreResult<()> {
    let _turn = db.write_turn().await;
    with_db!(db, |p| {
        sqlx::query(
            "INSERT INTO lab_meeting (lab_id, held_on, attendees, minutes, minutes_html, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(lab)
        .bind(draft.held_on)
        .bind(draft.attendees)
        .bind(&draft.minutes)
        .bind(crate::event::render_markdown(&draft.minutes))
        .bind(by)
        .bind(now())
        .execute(p)
        .await?
        .rows_affected()
    });
    Ok(())
}

/// The lab's meetings, latest first.
///
/// # Errors
/// The database fails.
pub async fn meetings(db: &Db, lab: LabId) -> StoreResult<Vec<Meeting>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as::<_, MeetingRow>(
            "SELECT id, held_on, attendees, minutes, minutes_html FROM lab_meeting WHERE lab_id = $1 \
             ORDER BY held_on DESC, id DESC",
        )
        .bind(lab)
        .fetch_all(p)
        .await?
    })
    .into_iter()
    .map(Into::into)
    .collect())
}

#[derive(sqlx::FromRow)]
struct MeetingRow {
    id: i64,
    held_on: NaiveDate,
    attendees: i64,
    minutes: String,
    minutes_html: String,
}

impl From<MeetingRow> for Meeting {
    fn from(r: MeetingRow) -> Meeting {
        Meeting {
            id: r.id,
            held_on: r.held_on,
            attendees: r.attendees,
            minutes: r.minutes,
            minutes_html: r.minutes_html,
        }
    }
}

/// One meeting of the lab.
///
/// # Errors
/// [`StoreError::NotFound`], also for another lab's meeting.
pub async fn meeting(db: &Db, lab: LabId, id: i64) -> StoreResult<Meeting> {
    Ok(with_db!(db, |p| {
        sqlx::query_as::<_, MeetingRow>(
            "SELECT id, held_on, attendees, minutes, minutes_html FROM lab_meeting WHERE lab_id = $1 AND id = $2",
        )
        .bind(lab)
        .bind(id)
        .fetch_one(p)
        .await?
    })
    .into())
}

/// Corrects a meeting's record.
///
/// # Errors
/// [`StoreError::NotFound`] for another lab's meeting.
pub async fn update_meeting(db: &Db, lab: LabId, id: i64, draft: &MeetingDraft) -> StoreResult<()> {
    let _turn = db.write_turn().await;
    let n = with_db!(db, |p| {
        sqlx::query(
            "UPDATE lab_meeting SET held_on = $3, attendees = $4, minutes = $5, minutes_html = $6 \
             WHERE lab_id = $1 AND id = $2",
        )
        .bind(lab)
        .bind(id)
        .bind(draft.held_on)
        .bind(draft.attendees)
        .bind(&draft.minutes)
        .bind(crate::event::render_markdown(&draft.minutes))
        .execute(p)
        .await?
        .rows_affected()
    });
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Deletes a meeting recorded by mistake.
///
/// # Errors
/// [`StoreError::NotFound`] for another lab's meeting.
pub async fn delete_meeting(db: &Db, lab: LabId, id: i64) -> StoreResult<()> {
    let _turn = db.write_turn().await;
    let n = with_db!(db, |p| {
        sqlx::query("DELETE FROM lab_meeting WHERE lab_id = $1 AND id = $2")
            .bind(lab)
            .bind(id)
            .execute(p)
            .await?
            .rows_affected()
    });
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// A lab's activity in a period, for the annual report.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Activity {
    pub lab: String,
    /// Meetings held.
    pub meetings: i64,
    /// Attendances at those meetings (のべ人数).
    pub attendees: i64,
    /// Study sessions and other events of the lab (not cancelled).
    pub events: i64,
}

/// Each lab's meetings, attendances and events in a fiscal year, for labs that did
/// anything in it.
///
/// # Errors
/// The database fails.
pub async fn activity(db: &Db, tenant: TenantId, fy: crate::i18n::FiscalYear) -> StoreResult<Vec<Activity>> {
    let (from, to) = (fy.first_day(), fy.last_day());
    let (start, end) = fy.utc_range();
    let rows: Vec<(String, i64, i64, i64)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT l.title, \
             (SELECT COUNT(*) FROM lab_meeting m WHERE m.lab_id = l.id AND m.held_on BETWEEN $2 AND $3), \
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
    Ok(rows
        .into_iter()
        .map(|(lab, meetings, attendees, events)| Activity { lab, meetings, attendees, events })
        .filter(|a| a.meetings + a.events > 0)
        .collect())
}

/// The labs a member belongs to and their role, for their data export.
///
/// # Errors
/// The database fails.
pub async fn personal_data(db: &Db, account: AccountId) -> StoreResult<serde_json::Value> {
    let rows: Vec<(LabId, String, String)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT l.id, l.title, m.role FROM lab_member m JOIN lab l ON l.id = m.lab_id WHERE m.account_id = $1 ORDER BY l.id",
        )
        .bind(account)
        .fetch_all(p)
        .await?
    });
    Ok(serde_json::json!(
        rows.iter()
            .map(|(id, title, role)| serde_json::json!({"lab": id, "theme": title, "role": role}))
            .collect::<Vec<_>>()
    ))
}
