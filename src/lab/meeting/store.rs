//! All SQL about lab meetings: the only module that writes `lab_meeting`,
//! `lab_meeting_member` and `lab_meeting_guest`. Every function takes the tenant first; a
//! meeting is found through a lab of the tenant, never by its id alone.

use chrono::NaiveDate;

use super::{Attendance, Meeting, MeetingDraft, MeetingId};
use crate::account::AccountId;
use crate::db::{Db, StoreError, StoreResult, Tx, now};
use crate::lab::LabId;
use crate::sector::Sector;
use crate::tenant::TenantId;
use crate::{with_db, with_tx};

/// Records a meeting of a lab of the tenant, with who came.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's lab.
pub async fn insert(
    tx: &mut Tx,
    tenant: TenantId,
    lab: LabId,
    draft: &MeetingDraft,
    by: AccountId,
) -> StoreResult<MeetingId> {
    let row: Option<(MeetingId,)> = with_tx!(tx, |c| {
        sqlx::query_as(
            "INSERT INTO lab_meeting (lab_id, held_on, attendees, minutes, minutes_html, created_by, created_at, \
             with_probono) SELECT l.id, $3, 0, $4, $5, $6, $7, $8 FROM lab l WHERE l.tenant_id = $1 AND l.id = $2 \
             RETURNING id",
        )
        .bind(tenant)
        .bind(lab)
        .bind(draft.held_on)
        .bind(&draft.minutes)
        .bind(crate::markdown::render_markdown(&draft.minutes))
        .bind(by)
        .bind(now())
        .bind(draft.with_probono)
        .fetch_optional(&mut *c)
        .await?
    });
    let (id,) = row.ok_or(StoreError::NotFound)?;
    set_attendance(tx, lab, id, draft).await?;
    Ok(id)
}

/// Corrects the record of a meeting of a lab of the tenant, who came included.
///
/// # Errors
/// [`StoreError::NotFound`] for another lab's meeting.
pub async fn update(tx: &mut Tx, tenant: TenantId, lab: LabId, id: MeetingId, draft: &MeetingDraft) -> StoreResult<()> {
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE lab_meeting SET held_on = $4, minutes = $5, minutes_html = $6, with_probono = $7 \
             WHERE id = $3 AND lab_id = (SELECT id FROM lab WHERE tenant_id = $1 AND id = $2)",
        )
        .bind(tenant)
        .bind(lab)
        .bind(id)
        .bind(draft.held_on)
        .bind(&draft.minutes)
        .bind(crate::markdown::render_markdown(&draft.minutes))
        .bind(draft.with_probono)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    for table in
        ["DELETE FROM lab_meeting_member WHERE meeting_id = $1", "DELETE FROM lab_meeting_guest WHERE meeting_id = $1"]
    {
        with_tx!(tx, |c| sqlx::query(table).bind(id).execute(&mut *c).await?.rows_affected());
    }
    set_attendance(tx, lab, id, draft).await
}

/// Writes who came to a meeting just written (its lab checked by the caller): the lab's
/// members among those ticked, each with the sector of their account today, the others by
/// sector, and the meeting's whole count.
async fn set_attendance(tx: &mut Tx, lab: LabId, id: MeetingId, draft: &MeetingDraft) -> StoreResult<()> {
    let mut members = 0;
    for account in &draft.members {
        members += with_tx!(tx, |c| {
            sqlx::query(
                "INSERT INTO lab_meeting_member (meeting_id, account_id, sector) \
                 SELECT $1, a.id, a.sector FROM lab_member m JOIN account a ON a.id = m.account_id \
                 WHERE m.lab_id = $2 AND m.account_id = $3 ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(lab)
            .bind(account)
            .execute(&mut *c)
            .await?
            .rows_affected()
        });
    }
    for (sector, count) in &draft.guests {
        with_tx!(tx, |c| {
            sqlx::query("INSERT INTO lab_meeting_guest (meeting_id, sector, count) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(sector)
                .bind(count)
                .execute(&mut *c)
                .await?
                .rows_affected()
        });
    }
    let guests: i64 = draft.guests.iter().map(|(_, n)| n).sum();
    let attendees = i64::try_from(members).unwrap_or(i64::MAX) + guests + draft.others;
    with_tx!(tx, |c| {
        sqlx::query("UPDATE lab_meeting SET attendees = $2 WHERE id = $1")
            .bind(id)
            .bind(attendees)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    Ok(())
}

/// Deletes a meeting of a lab of the tenant recorded by mistake (who came with it).
///
/// # Errors
/// [`StoreError::NotFound`] for another lab's meeting.
pub async fn delete(tx: &mut Tx, tenant: TenantId, lab: LabId, id: MeetingId) -> StoreResult<()> {
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "DELETE FROM lab_meeting WHERE id = $3 AND lab_id = (SELECT id FROM lab WHERE tenant_id = $1 AND id = $2)",
        )
        .bind(tenant)
        .bind(lab)
        .bind(id)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: MeetingId,
    held_on: NaiveDate,
    attendees: i64,
    with_probono: bool,
    minutes: String,
    minutes_html: String,
}

impl From<Row> for Meeting {
    fn from(r: Row) -> Meeting {
        Meeting {
            id: r.id,
            held_on: r.held_on,
            attendees: r.attendees,
            with_probono: r.with_probono,
            minutes: r.minutes,
            minutes_html: r.minutes_html,
        }
    }
}

/// `$1` is the tenant, `$2` the lab.
macro_rules! meetings {
    ($rest:literal) => {
        concat!(
            "SELECT m.id, m.held_on, m.attendees, m.with_probono, m.minutes, m.minutes_html FROM lab_meeting m \
             JOIN lab l ON l.id = m.lab_id AND l.tenant_id = $1 WHERE m.lab_id = $2 ",
            $rest
        )
    };
}

/// The meetings of a lab of the tenant, latest first.
///
/// # Errors
/// The database fails.
pub async fn list(db: &Db, tenant: TenantId, lab: LabId) -> StoreResult<Vec<Meeting>> {
    const SQL: &str = meetings!("ORDER BY m.held_on DESC, m.id DESC");
    let rows: Vec<Row> = with_db!(db, |p| sqlx::query_as(SQL).bind(tenant).bind(lab).fetch_all(p).await?);
    Ok(rows.into_iter().map(Into::into).collect())
}

/// One meeting of a lab of the tenant.
///
/// # Errors
/// [`StoreError::NotFound`], also for another lab's meeting.
pub async fn get(db: &Db, tenant: TenantId, lab: LabId, id: MeetingId) -> StoreResult<Meeting> {
    const SQL: &str = meetings!("AND m.id = $3");
    let row: Row = with_db!(db, |p| sqlx::query_as(SQL).bind(tenant).bind(lab).bind(id).fetch_one(p).await?);
    Ok(row.into())
}

/// Who came to a meeting of a lab of the tenant.
///
/// # Errors
/// The database fails.
pub async fn attendance(db: &Db, tenant: TenantId, lab: LabId, id: MeetingId) -> StoreResult<Attendance> {
    let members: Vec<(AccountId,)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT a.account_id FROM lab_meeting_member a JOIN lab_meeting m ON m.id = a.meeting_id \
             JOIN lab l ON l.id = m.lab_id AND l.tenant_id = $1 \
             WHERE m.lab_id = $2 AND m.id = $3 AND a.account_id IS NOT NULL ORDER BY a.account_id",
        )
        .bind(tenant)
        .bind(lab)
        .bind(id)
        .fetch_all(p)
        .await?
    });
    let guests: Vec<(Sector, i64)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT g.sector, g.count FROM lab_meeting_guest g JOIN lab_meeting m ON m.id = g.meeting_id \
             JOIN lab l ON l.id = m.lab_id AND l.tenant_id = $1 WHERE m.lab_id = $2 AND m.id = $3",
        )
        .bind(tenant)
        .bind(lab)
        .bind(id)
        .fetch_all(p)
        .await?
    });
    Ok(Attendance { members: members.into_iter().map(|(a,)| a).collect(), guests })
}

/// What the tenant's labs' meetings held between two days (inclusive) add up to, per lab:
/// the people counted by sector (members and others), and how many meetings had pro bono
/// partners.
///
/// # Errors
/// The database fails.
pub async fn sectors_between(
    db: &Db,
    tenant: TenantId,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<(LabId, Sector, i64)>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT lab_id, sector, CAST(SUM(n) AS BIGINT) FROM ( \
               SELECT m.lab_id, a.sector, 1 AS n FROM lab_meeting_member a JOIN lab_meeting m ON m.id = a.meeting_id \
               JOIN lab l ON l.id = m.lab_id AND l.tenant_id = $1 WHERE m.held_on BETWEEN $2 AND $3 \
               UNION ALL \
               SELECT m.lab_id, g.sector, g.count AS n FROM lab_meeting_guest g JOIN lab_meeting m ON m.id = g.meeting_id \
               JOIN lab l ON l.id = m.lab_id AND l.tenant_id = $1 WHERE m.held_on BETWEEN $2 AND $3 \
             ) counted GROUP BY lab_id, sector",
        )
        .bind(tenant)
        .bind(from)
        .bind(to)
        .fetch_all(p)
        .await?
    }))
}

/// Renders the tenant's stored minutes again with today's renderer.
///
/// # Errors
/// The database fails.
pub async fn render_markdown_again(tx: &mut Tx, tenant: TenantId) -> StoreResult<()> {
    crate::markdown::render_rows_again(
        tx,
        tenant,
        "SELECT m.id, m.minutes FROM lab_meeting m JOIN lab l ON l.id = m.lab_id WHERE l.tenant_id = $1",
        "UPDATE lab_meeting SET minutes_html = $3 WHERE id = $2 AND lab_id IN (SELECT id FROM lab WHERE tenant_id = $1)",
    )
    .await
}
