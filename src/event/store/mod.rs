//! All SQL about events and their co-hosts: the only module that writes the `event` and
//! `event_cohost` tables. Every function takes the tenant first.

use chrono::{DateTime, Utc};

use super::{Event, EventDraft, EventId, EventKind, Mode, Status};
use crate::db::{Db, StoreError, StoreResult, Tx, now};
use crate::tenant::TenantId;
use crate::{with_db, with_tx};

#[derive(sqlx::FromRow)]
pub(crate) struct EventRow {
    id: EventId,
    tenant_id: TenantId,
    kind: EventKind,
    title: String,
    description: String,
    description_html: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    venue: String,
    online_url: String,
    venue_capacity: Option<i64>,
    online_capacity: Option<i64>,
    anonymous: bool,
    status: Status,
    checkin_code: String,
    social_issue_id: Option<crate::social_issue::SocialIssueId>,
    lab_id: Option<crate::lab::LabId>,
    held_modes: String,
    fee_yen: i64,
    registration_closes_at: Option<DateTime<Utc>>,
}

macro_rules! columns {
    () => {
        "id, tenant_id, kind, title, description, description_html, starts_at, ends_at, venue, online_url, venue_capacity, \
         online_capacity, anonymous, status, checkin_code, social_issue_id, lab_id, held_modes, fee_yen, \
         registration_closes_at"
    };
}

/// Only what the public may see: no drafts, no internal meetings.
macro_rules! public {
    () => {
        " AND status <> 'draft' AND kind <> 'secretariat_meeting'"
    };
}

// After the macros above: the page's read uses them.
mod page;

pub use page::{PageCache, PageData, SeatCounts, page, page_through_pool};

impl EventRow {
    fn into_event(self, cohosts: Vec<String>) -> StoreResult<Event> {
        let held_modes = self
            .held_modes
            .split(',')
            .filter(|c| !c.is_empty())
            .map(|c| Mode::from_code(c).ok_or_else(|| crate::db::decode_error("event mode", c)))
            .collect::<StoreResult<Vec<Mode>>>()?;
        Ok(Event {
            kind: self.kind,
            status: self.status,
            id: self.id,
            tenant_id: self.tenant_id,
            title: self.title,
            description: self.description,
            description_html: self.description_html,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            venue: self.venue,
            online_url: self.online_url,
            venue_capacity: self.venue_capacity,
            online_capacity: self.online_capacity,
            anonymous: self.anonymous,
            fee_yen: self.fee_yen,
            registration_closes_at: self.registration_closes_at,
            checkin_code: self.checkin_code,
            social_issue_id: self.social_issue_id,
            lab_id: self.lab_id,
            held_modes,
            cohosts,
        })
    }
}

/// A short code for self check-in: 6 characters that cannot be mistaken for each other.
pub fn new_checkin_code() -> String {
    const ALPHABET: &[u8] = b"ACDEFGHJKLMNPQRTUVWXY34679";
    (0..6).map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char).collect()
}

async fn cohosts_of(db: &Db, tenant: TenantId, ids: &[EventId]) -> StoreResult<Vec<(EventId, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // Few events per page: one query per page, not per event.
    let mut all = Vec::new();
    for chunk in ids.chunks(200) {
        let placeholders: Vec<String> = (2..=chunk.len() + 1).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT c.event_id, c.name FROM event_cohost c JOIN event e ON e.id = c.event_id AND e.tenant_id = $1 \
             WHERE c.event_id IN ({}) ORDER BY c.event_id, c.position",
            placeholders.join(", ")
        );
        let rows: Vec<(EventId, String)> = with_db!(db, |p| {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(tenant);
            for id in chunk {
                q = q.bind(*id);
            }
            q.fetch_all(p).await?
        });
        all.extend(rows);
    }
    Ok(all)
}

async fn with_cohosts(db: &Db, tenant: TenantId, rows: Vec<EventRow>) -> StoreResult<Vec<Event>> {
    let ids: Vec<EventId> = rows.iter().map(|r| r.id).collect();
    let cohosts = cohosts_of(db, tenant, &ids).await?;
    rows.into_iter()
        .map(|r| {
            let mine = cohosts.iter().filter(|(id, _)| *id == r.id).map(|(_, n)| n.clone()).collect();
            r.into_event(mine)
        })
        .collect()
}

/// The event with this id in this tenant.
///
/// # Errors
/// [`StoreError::NotFound`], also for an id of another tenant.
pub async fn get(db: &Db, tenant: TenantId, id: EventId) -> StoreResult<Event> {
    const SQL: &str = concat!("SELECT ", columns!(), " FROM event WHERE tenant_id = $1 AND id = $2");
    let row = with_db!(db, |p| sqlx::query_as::<_, EventRow>(SQL).bind(tenant).bind(id).fetch_one(p).await?);
    with_cohosts(db, tenant, vec![row]).await?.pop().ok_or(StoreError::NotFound)
}

/// The event with this id in this tenant, read in a write transaction (it may have been
/// written by it).
///
/// # Errors
/// [`StoreError::NotFound`], also for an id of another tenant.
pub async fn get_in(tx: &mut Tx, tenant: TenantId, id: EventId) -> StoreResult<Event> {
    const SQL: &str = concat!("SELECT ", columns!(), " FROM event WHERE tenant_id = $1 AND id = $2");
    let row: EventRow = with_tx!(tx, |c| sqlx::query_as(SQL).bind(tenant).bind(id).fetch_one(&mut *c).await?);
    let cohosts: Vec<(String,)> = with_tx!(tx, |c| {
        sqlx::query_as("SELECT name FROM event_cohost WHERE event_id = $1 ORDER BY position")
            .bind(id)
            .fetch_all(&mut *c)
            .await?
    });
    row.into_event(cohosts.into_iter().map(|(n,)| n).collect())
}

/// Which events a list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listing {
    /// Public (published or cancelled, not internal), not yet ended, soonest first.
    Upcoming,
    /// Published, not internal, and ended, latest first.
    Past,
    /// Every event of the tenant, latest first (for the secretariat).
    All,
}

/// Events of the tenant, `limit` at most.
///
/// # Errors
/// The database fails.
pub async fn list(db: &Db, tenant: TenantId, listing: Listing, limit: i64) -> StoreResult<Vec<Event>> {
    const UPCOMING: &str = concat!(
        "SELECT ",
        columns!(),
        " FROM event WHERE tenant_id = $1",
        public!(),
        " AND ends_at >= $2 ORDER BY starts_at, id LIMIT $3"
    );
    const PAST: &str = concat!(
        "SELECT ",
        columns!(),
        " FROM event WHERE tenant_id = $1 AND status = 'published'",
        public!(),
        " AND ends_at < $2 ORDER BY starts_at DESC, id DESC LIMIT $3"
    );
    const ALL: &str =
        concat!("SELECT ", columns!(), " FROM event WHERE tenant_id = $1 ORDER BY starts_at DESC, id DESC LIMIT $2");
    let rows = match listing {
        Listing::All => {
            with_db!(db, |p| sqlx::query_as::<_, EventRow>(ALL).bind(tenant).bind(limit).fetch_all(p).await?)
        }
        Listing::Upcoming | Listing::Past => {
            let sql = if listing == Listing::Upcoming { UPCOMING } else { PAST };
            with_db!(db, |p| {
                sqlx::query_as::<_, EventRow>(sql).bind(tenant).bind(now()).bind(limit).fetch_all(p).await?
            })
        }
    };
    with_cohosts(db, tenant, rows).await
}

/// Published events of any kind starting in [from, to), by start.
///
/// # Errors
/// The database fails.
pub async fn list_published_between(
    db: &Db,
    tenant: TenantId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<Event>> {
    const SQL: &str = concat!(
        "SELECT ",
        columns!(),
        " FROM event WHERE tenant_id = $1 AND status = 'published' AND starts_at >= $2 AND starts_at < $3 \
          ORDER BY starts_at, id"
    );
    let rows =
        with_db!(db, |p| sqlx::query_as::<_, EventRow>(SQL).bind(tenant).bind(from).bind(to).fetch_all(p).await?);
    with_cohosts(db, tenant, rows).await
}

/// The event whose self check-in code is `code` (upper-cased), if any.
///
/// # Errors
/// The database fails.
pub async fn find_by_checkin_code(db: &Db, tenant: TenantId, code: &str) -> StoreResult<Option<Event>> {
    const SQL: &str = concat!(
        "SELECT ",
        columns!(),
        " FROM event WHERE tenant_id = $1 AND checkin_code = $2 AND status = 'published' \
          ORDER BY starts_at DESC LIMIT 1"
    );
    let row = with_db!(db, |p| {
        sqlx::query_as::<_, EventRow>(SQL).bind(tenant).bind(code.to_uppercase()).fetch_optional(p).await?
    });
    match row {
        Some(r) => Ok(with_cohosts(db, tenant, vec![r]).await?.pop()),
        None => Ok(None),
    }
}

/// Creates an event.
///
/// # Errors
/// The database fails.
pub async fn insert(tx: &mut Tx, tenant: TenantId, draft: &EventDraft, status: Status) -> StoreResult<EventId> {
    let now = now();
    let code = new_checkin_code();
    let (id,): (EventId,) = with_tx!(tx, |c| {
        sqlx::query_as(
            "INSERT INTO event (tenant_id, kind, title, description, starts_at, ends_at, venue, online_url, \
             venue_capacity, online_capacity, anonymous, status, checkin_code, created_at, updated_at, \
             description_html, social_issue_id, lab_id, fee_yen, registration_closes_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $16, $17, $18, $19) \
             RETURNING id",
        )
        .bind(tenant)
        .bind(draft.kind)
        .bind(&draft.title)
        .bind(&draft.description)
        .bind(draft.starts_at)
        .bind(draft.ends_at)
        .bind(&draft.venue)
        .bind(&draft.online_url)
        .bind(draft.venue_capacity)
        .bind(draft.online_capacity)
        .bind(draft.anonymous)
        .bind(status)
        .bind(&code)
        .bind(now)
        .bind(crate::markdown::render_markdown(&draft.description))
        .bind(draft.social_issue_id)
        .bind(draft.lab_id)
        .bind(draft.fee_yen)
        .bind(draft.registration_closes_at)
        .fetch_one(&mut *c)
        .await?
    });
    set_cohosts(tx, id, &draft.cohosts).await?;
    crate::search::store::changed(tx, tenant, crate::search::Kind::Event, id.0).await?;
    Ok(id)
}

/// Replaces the co-hosts of an event the caller has found in its tenant.
async fn set_cohosts(tx: &mut Tx, id: EventId, cohosts: &[String]) -> StoreResult<()> {
    with_tx!(tx, |c| {
        sqlx::query("DELETE FROM event_cohost WHERE event_id = $1").bind(id).execute(&mut *c).await?;
        for (i, name) in cohosts.iter().enumerate() {
            sqlx::query("INSERT INTO event_cohost (event_id, position, name) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(i as i64)
                .bind(name)
                .execute(&mut *c)
                .await?;
        }
    });
    Ok(())
}

/// Replaces an event's fields and co-hosts.
///
/// # Errors
/// [`StoreError::NotFound`] for an id of another tenant.
pub async fn update(tx: &mut Tx, tenant: TenantId, id: EventId, draft: &EventDraft) -> StoreResult<()> {
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE event SET kind = $3, title = $4, description = $5, starts_at = $6, ends_at = $7, venue = $8, \
             online_url = $9, venue_capacity = $10, online_capacity = $11, anonymous = $12, updated_at = $13, \
             description_html = $14, social_issue_id = $15, lab_id = $16, fee_yen = $17, \
             registration_closes_at = $18 WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant)
        .bind(id)
        .bind(draft.kind)
        .bind(&draft.title)
        .bind(&draft.description)
        .bind(draft.starts_at)
        .bind(draft.ends_at)
        .bind(&draft.venue)
        .bind(&draft.online_url)
        .bind(draft.venue_capacity)
        .bind(draft.online_capacity)
        .bind(draft.anonymous)
        .bind(now())
        .bind(crate::markdown::render_markdown(&draft.description))
        .bind(draft.social_issue_id)
        .bind(draft.lab_id)
        .bind(draft.fee_yen)
        .bind(draft.registration_closes_at)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    set_cohosts(tx, id, &draft.cohosts).await?;
    crate::search::store::changed(tx, tenant, crate::search::Kind::Event, id.0).await
}

/// Publishes, cancels or withdraws an event to draft.
///
/// # Errors
/// [`StoreError::NotFound`] for an id of another tenant.
pub async fn set_status(tx: &mut Tx, tenant: TenantId, id: EventId, status: Status) -> StoreResult<()> {
    let n = with_tx!(tx, |c| {
        sqlx::query("UPDATE event SET status = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2")
            .bind(tenant)
            .bind(id)
            .bind(status)
            .bind(now())
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    crate::search::store::changed(tx, tenant, crate::search::Kind::Event, id.0).await
}

/// What registration needs to know of an event, read in the registration's transaction.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Gate {
    pub status: Status,
    pub ends_at: DateTime<Utc>,
    pub registration_closes_at: Option<DateTime<Utc>>,
    pub venue: String,
    pub online_url: String,
    pub venue_capacity: Option<i64>,
    pub online_capacity: Option<i64>,
    pub anonymous: bool,
}

impl Gate {
    pub fn offers(&self, mode: Mode) -> bool {
        match mode {
            Mode::Venue => !self.venue.is_empty(),
            Mode::Online => !self.online_url.is_empty(),
        }
    }

    pub fn capacity(&self, mode: Mode) -> Option<i64> {
        match mode {
            Mode::Venue => self.venue_capacity,
            Mode::Online => self.online_capacity,
        }
    }
}

/// The event's registration gate, locked against concurrent registrations until the
/// transaction ends: on PostgreSQL the row is locked (`FOR UPDATE`); on SQLite the
/// transaction already holds the file's write lock.
///
/// # Errors
/// [`StoreError::NotFound`] for an event of another tenant.
pub async fn lock_gate(tx: &mut Tx, tenant: TenantId, id: EventId) -> StoreResult<Gate> {
    const SQL: &str = "SELECT status, ends_at, registration_closes_at, venue, online_url, venue_capacity, \
                       online_capacity, anonymous FROM event WHERE tenant_id = $1 AND id = $2";
    Ok(match tx {
        Tx::Sqlite(t) => sqlx::query_as(SQL).bind(tenant).bind(id).fetch_one(&mut **t).await?,
        Tx::Postgres(t) => {
            sqlx::query_as(concat!(
                "SELECT status, ends_at, registration_closes_at, venue, online_url, venue_capacity, online_capacity, ",
                "anonymous ",
                "FROM event WHERE tenant_id = $1 AND id = $2 FOR UPDATE"
            ))
            .bind(tenant)
            .bind(id)
            .fetch_one(&mut **t)
            .await?
        }
    })
}

/// A session found in a roster file, for [`find_or_insert_imported`].
#[derive(Clone, Debug)]
pub struct ImportedEvent<'a> {
    /// What identifies it across imports (date, kind and title).
    pub key: &'a str,
    pub kind: EventKind,
    pub title: &'a str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub anonymous: bool,
    /// Where people took part, as the file says.
    pub modes: &'a [Mode],
}

/// The session created on the platform (not by an import) with this title that takes
/// place on `day` (a Japan date within its first and last day), if any: a roster row for
/// it belongs to the platform's own record.
///
/// # Errors
/// The database fails.
pub async fn find_on_platform(
    tx: &mut Tx,
    tenant: TenantId,
    title: &str,
    day: chrono::NaiveDate,
) -> StoreResult<Option<EventId>> {
    let start = super::japan_instant(day, chrono::NaiveTime::MIN);
    let found: Option<(EventId,)> = with_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT id FROM event WHERE tenant_id = $1 AND import_key IS NULL AND title = $2 \
             AND starts_at < $4 AND ends_at >= $3 AND status <> 'cancelled' ORDER BY starts_at, id LIMIT 1",
        )
        .bind(tenant)
        .bind(title)
        .bind(start)
        .bind(start + chrono::TimeDelta::days(1))
        .fetch_optional(&mut *c)
        .await?
    });
    Ok(found.map(|(id,)| id))
}

/// The session of an earlier import of the same file line's session, or a new published
/// one; returns it and whether it was created.
///
/// # Errors
/// The database fails.
pub async fn find_or_insert_imported(
    tx: &mut Tx,
    tenant: TenantId,
    e: &ImportedEvent<'_>,
) -> StoreResult<(EventId, bool)> {
    let now = now();
    let modes: Vec<&str> = Mode::ALL.into_iter().filter(|m| e.modes.contains(m)).map(Mode::code).collect();
    let inserted: Option<(EventId,)> = with_tx!(tx, |c| {
        sqlx::query_as(
            "INSERT INTO event (tenant_id, kind, title, description, starts_at, ends_at, anonymous, status, \
             checkin_code, import_key, held_modes, created_at, updated_at) \
             VALUES ($1, $2, $3, '', $4, $5, $6, 'published', $7, $8, $9, $10, $10) \
             ON CONFLICT (tenant_id, import_key) DO NOTHING RETURNING id",
        )
        .bind(tenant)
        .bind(e.kind)
        .bind(e.title)
        .bind(e.starts_at)
        .bind(e.ends_at)
        .bind(e.anonymous)
        .bind(new_checkin_code())
        .bind(e.key)
        .bind(modes.join(","))
        .bind(now)
        .fetch_optional(&mut *c)
        .await?
    });
    if let Some((id,)) = inserted {
        crate::search::store::changed(tx, tenant, crate::search::Kind::Event, id.0).await?;
        return Ok((id, true));
    }
    let (id,): (EventId,) = with_tx!(tx, |c| {
        sqlx::query_as("SELECT id FROM event WHERE tenant_id = $1 AND import_key = $2")
            .bind(tenant)
            .bind(e.key)
            .fetch_one(&mut *c)
            .await?
    });
    Ok((id, false))
}

/// Claims the tenant's published events starting in (`now`, `until`] whose reminders
/// have not gone out, and returns them. Claiming is one conditional update per event, so
/// concurrent instances never claim the same event.
///
/// # Errors
/// The database fails.
pub async fn claim_reminders(
    tx: &mut Tx,
    tenant: TenantId,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> StoreResult<Vec<EventId>> {
    Ok(with_tx!(tx, |c| {
        sqlx::query_as::<_, (EventId,)>(
            "UPDATE event SET reminded_at = $2 WHERE tenant_id = $1 AND status = 'published' \
             AND reminded_at IS NULL AND starts_at > $2 AND starts_at <= $3 RETURNING id",
        )
        .bind(tenant)
        .bind(now)
        .bind(until)
        .fetch_all(&mut *c)
        .await?
    })
    .into_iter()
    .map(|(id,)| id)
    .collect())
}

/// Whether some event's reminders are due and not yet claimed (a look that writes
/// nothing, before [`claim_reminders`]).
///
/// # Errors
/// The database fails.
pub async fn reminders_due(db: &Db, tenant: TenantId, now: DateTime<Utc>, until: DateTime<Utc>) -> StoreResult<bool> {
    Ok(with_db!(db, |p| {
        sqlx::query_as::<_, (i64,)>(
            "SELECT COUNT(*) FROM event WHERE tenant_id = $1 AND status = 'published' \
             AND reminded_at IS NULL AND starts_at > $2 AND starts_at <= $3",
        )
        .bind(tenant)
        .bind(now)
        .bind(until)
        .fetch_one(p)
        .await?
        .0
    }) > 0)
}

/// The public sessions that take up a social issue, by date.
///
/// # Errors
/// The database fails.
pub async fn list_for_issue(
    db: &Db,
    tenant: TenantId,
    issue: crate::social_issue::SocialIssueId,
) -> StoreResult<Vec<Event>> {
    const SQL: &str = concat!(
        "SELECT ",
        columns!(),
        " FROM event WHERE tenant_id = $1 AND social_issue_id = $2",
        public!(),
        " ORDER BY starts_at, id"
    );
    let rows = with_db!(db, |p| sqlx::query_as::<_, EventRow>(SQL).bind(tenant).bind(issue).fetch_all(p).await?);
    with_cohosts(db, tenant, rows).await
}

/// The public sessions of a lab (its study sessions), by date.
///
/// # Errors
/// The database fails.
pub async fn list_for_lab(db: &Db, tenant: TenantId, lab: crate::lab::LabId) -> StoreResult<Vec<Event>> {
    const SQL: &str = concat!(
        "SELECT ",
        columns!(),
        " FROM event WHERE tenant_id = $1 AND lab_id = $2",
        public!(),
        " ORDER BY starts_at, id"
    );
    let rows = with_db!(db, |p| sqlx::query_as::<_, EventRow>(SQL).bind(tenant).bind(lab).fetch_all(p).await?);
    with_cohosts(db, tenant, rows).await
}

/// Every session of a lab, drafts and cancelled ones too, by date (for those who manage
/// them: the lab's lead and the secretariat).
///
/// # Errors
/// The database fails.
pub async fn list_all_for_lab(db: &Db, tenant: TenantId, lab: crate::lab::LabId) -> StoreResult<Vec<Event>> {
    const SQL: &str =
        concat!("SELECT ", columns!(), " FROM event WHERE tenant_id = $1 AND lab_id = $2 ORDER BY starts_at, id");
    let rows = with_db!(db, |p| sqlx::query_as::<_, EventRow>(SQL).bind(tenant).bind(lab).fetch_all(p).await?);
    with_cohosts(db, tenant, rows).await
}

/// Renders the tenant's stored descriptions again with today's renderer
/// ([`crate::markdown::render_stored_again`]).
///
/// # Errors
/// The database fails.
pub async fn render_markdown_again(tx: &mut Tx, tenant: TenantId) -> StoreResult<()> {
    crate::markdown::render_rows_again(
        tx,
        tenant,
        "SELECT id, description FROM event WHERE tenant_id = $1",
        "UPDATE event SET description_html = $3 WHERE tenant_id = $1 AND id = $2",
    )
    .await
}

/// A new session as news: id, title and start.
pub type EventNews = (EventId, String, DateTime<Utc>);

/// Claims the sessions published since the last look (each once, by one instance) and
/// returns those that are news: upcoming, and not an internal meeting.
///
/// # Errors
/// The database fails.
pub async fn claim_news(tx: &mut Tx, tenant: TenantId, now: DateTime<Utc>) -> StoreResult<Vec<EventNews>> {
    let claimed: Vec<(EventId, String, DateTime<Utc>, EventKind)> = with_tx!(tx, |c| {
        sqlx::query_as(
            "UPDATE event SET announced_at = $2 WHERE tenant_id = $1 AND status = 'published' \
             AND announced_at IS NULL RETURNING id, title, starts_at, kind",
        )
        .bind(tenant)
        .bind(now)
        .fetch_all(&mut *c)
        .await?
    });
    Ok(claimed
        .into_iter()
        .filter(|(_, _, starts_at, kind)| *starts_at > now && *kind != EventKind::SecretariatMeeting)
        .map(|(id, title, starts_at, _)| (id, title, starts_at))
        .collect())
}

/// The sessions announced in [from, to) that are still published and were upcoming when
/// announced, by start, for digests.
///
/// # Errors
/// The database fails.
pub async fn news_between(
    tx: &mut Tx,
    tenant: TenantId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<EventNews>> {
    Ok(with_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT id, title, starts_at FROM event WHERE tenant_id = $1 AND status = 'published' \
             AND kind <> 'secretariat_meeting' AND announced_at >= $2 AND announced_at < $3 \
             AND starts_at > announced_at ORDER BY starts_at, id",
        )
        .bind(tenant)
        .bind(from)
        .bind(to)
        .fetch_all(&mut *c)
        .await?
    }))
}
