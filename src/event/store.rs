//! All SQL about events and their co-hosts: the only module that writes the `event` and
//! `event_cohost` tables. Every function takes the tenant first.

use chrono::{DateTime, Utc};
use rand::Rng;

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
}

macro_rules! columns {
    () => {
        "id, tenant_id, kind, title, description, description_html, starts_at, ends_at, venue, online_url, venue_capacity, \
         online_capacity, anonymous, status, checkin_code, social_issue_id, lab_id, held_modes"
    };
}

/// Only what the public may see: no drafts, no internal meetings.
macro_rules! public {
    () => {
        " AND status <> 'draft' AND kind <> 'secretariat_meeting'"
    };
}

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
    let mut rng = rand::thread_rng();
    (0..6).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
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
             description_html, social_issue_id, lab_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $16, $17) RETURNING id",
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
        .bind(super::render_markdown(&draft.description))
        .bind(draft.social_issue_id)
        .bind(draft.lab_id)
        .fetch_one(&mut *c)
        .await?
    });
    set_cohosts(tx, id, &draft.cohosts).await?;
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
             description_html = $14, social_issue_id = $15, lab_id = $16 WHERE tenant_id = $1 AND id = $2",
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
        .bind(super::render_markdown(&draft.description))
        .bind(draft.social_issue_id)
        .bind(draft.lab_id)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    set_cohosts(tx, id, &draft.cohosts).await
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
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// What registration needs to know of an event, read in the registration's transaction.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Gate {
    pub status: Status,
    pub ends_at: DateTime<Utc>,
    pub venue: String,
    pub online_url: String,
    pub venue_capacity: Option<i64>,
    pub online_capacity: Option<i64>,
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
    const SQL: &str = "SELECT status, ends_at, venue, online_url, venue_capacity, online_capacity FROM event \
                       WHERE tenant_id = $1 AND id = $2";
    Ok(match tx {
        Tx::Sqlite(t) => sqlx::query_as(SQL).bind(tenant).bind(id).fetch_one(&mut **t).await?,
        Tx::Postgres(t) => {
            sqlx::query_as(concat!(
                "SELECT status, ends_at, venue, online_url, venue_capacity, online_capacity FROM event ",
                "WHERE tenant_id = $1 AND id = $2 FOR UPDATE"
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

/// Registrations counted per mode and status, for the seats an event page shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct SeatCounts {
    pub venue_registered: i64,
    pub venue_waiting: i64,
    pub online_registered: i64,
    pub online_waiting: i64,
}

impl SeatCounts {
    /// The seats taken and waited for in each mode the event offers.
    pub fn seats(&self, event: &Event) -> Vec<crate::registration::Seats> {
        event
            .modes()
            .into_iter()
            .map(|mode| {
                let (registered, waiting) = match mode {
                    super::Mode::Venue => (self.venue_registered, self.venue_waiting),
                    super::Mode::Online => (self.online_registered, self.online_waiting),
                };
                crate::registration::Seats { mode, capacity: event.capacity(mode), registered, waiting }
            })
            .collect()
    }
}

#[derive(sqlx::FromRow)]
struct PageRow {
    #[sqlx(flatten)]
    event: EventRow,
    #[sqlx(flatten)]
    counts: SeatCounts,
    cohosts: Option<String>,
    issue_title: Option<String>,
    lab_title: Option<String>,
}

/// What an event's public page shows, read at once.
#[derive(Clone, Debug)]
pub struct PageData {
    pub event: Event,
    pub counts: SeatCounts,
    /// The title of the social issue the event takes up, if it is published.
    pub issue_title: Option<String>,
    /// The theme of the lab the event belongs to.
    pub lab_title: Option<String>,
}

/// The event page's query. The seat counts are one pass over the event's registrations
/// (an aggregate in `FROM`, which SQLite computes once), not four correlated `COUNT`s:
/// about 3,000 fewer instructions a page. `$tenant` and `$event` are the placeholders:
/// SQLite numbers `$n` parameters in order of appearance, and the event's comes first
/// here, so SQLite's query says `?1` and `?2`.
macro_rules! page_sql {
    ($cohosts:expr, $tenant:literal, $event:literal) => {
        concat!(
            "SELECT ",
            columns!(),
            ", seats.venue_registered, seats.venue_waiting, seats.online_registered, seats.online_waiting, \
              (SELECT title FROM social_issue s WHERE s.id = event.social_issue_id \
                AND s.tenant_id = event.tenant_id AND s.status = 'published') AS issue_title, \
              (SELECT title FROM lab l WHERE l.id = event.lab_id AND l.tenant_id = event.tenant_id) AS lab_title, ",
            $cohosts,
            " AS cohosts FROM event, \
              (SELECT COUNT(*) FILTER (WHERE mode = 'venue' AND status = 'registered') AS venue_registered, \
                COUNT(*) FILTER (WHERE mode = 'venue' AND status = 'waiting') AS venue_waiting, \
                COUNT(*) FILTER (WHERE mode = 'online' AND status = 'registered') AS online_registered, \
                COUNT(*) FILTER (WHERE mode = 'online' AND status = 'waiting') AS online_waiting \
               FROM registration WHERE event_id = ",
            $event,
            ") AS seats WHERE tenant_id = ",
            $tenant,
            " AND id = ",
            $event
        )
    };
}

/// The event page's query on SQLite: co-hosts joined by a line break (names hold none:
/// the form splits on them), written as a literal line break rather than `char(10)`, which
/// SQLite would compute again on every read.
const PAGE_SQL_SQLITE: &str = page_sql!(
    "(SELECT group_concat(name, '\n') FROM \
     (SELECT name FROM event_cohost c WHERE c.event_id = event.id ORDER BY position))",
    "?1",
    "?2"
);

/// The event page's query on PostgreSQL.
const PAGE_SQL_POSTGRES: &str = page_sql!(
    "(SELECT string_agg(name, E'\\n' ORDER BY position) FROM event_cohost c WHERE c.event_id = event.id)",
    "$1",
    "$2"
);

/// The event with its co-hosts, seat counts and the titles of what it links to, in one
/// query: everything its public page needs.
///
/// # Errors
/// [`StoreError::NotFound`], also for an id of another tenant.
pub async fn page(db: &Db, tenant: TenantId, id: EventId) -> StoreResult<PageData> {
    // The most visited page: on a SQLite file it is read on this thread (see `db::read`),
    // on PostgreSQL through connections lent without pings (see `db::pg_read`).
    let row: PageRow = if let Some(reader) = db.sqlite_reader() {
        reader.query_row(PAGE_SQL_SQLITE, (tenant.0, id.0), PageRow::from_sqlite)?
    } else if let Some(reader) = db.pg_reader() {
        reader.read(async |conn| sqlx::query_as(PAGE_SQL_POSTGRES).bind(tenant).bind(id).fetch_one(conn).await).await?
    } else {
        match db {
            Db::Sqlite(s) => sqlx::query_as(PAGE_SQL_SQLITE).bind(tenant).bind(id).fetch_one(&s.readers).await?,
            Db::Postgres(pg) => sqlx::query_as(PAGE_SQL_POSTGRES).bind(tenant).bind(id).fetch_one(&pg.pool).await?,
        }
    };
    let cohosts = row.cohosts.map(|c| c.lines().map(str::to_owned).collect()).unwrap_or_default();
    Ok(PageData {
        event: row.event.into_event(cohosts)?,
        counts: row.counts,
        issue_title: row.issue_title,
        lab_title: row.lab_title,
    })
}

/// The columns of the event page's query, in order: [`PageRow::from_sqlite`] reads them
/// by position (by name, finding a column costs more than the rest of the read).
const PAGE_COLUMNS: [&str; 25] = [
    "id",
    "tenant_id",
    "kind",
    "title",
    "description",
    "description_html",
    "starts_at",
    "ends_at",
    "venue",
    "online_url",
    "venue_capacity",
    "online_capacity",
    "anonymous",
    "status",
    "checkin_code",
    "social_issue_id",
    "lab_id",
    "held_modes",
    "venue_registered",
    "venue_waiting",
    "online_registered",
    "online_waiting",
    "issue_title",
    "lab_title",
    "cohosts",
];

impl PageRow {
    /// The same row as sqlx's `FromRow` reads, from a plain SQLite connection.
    fn from_sqlite(r: &rusqlite::Row<'_>) -> rusqlite::Result<PageRow> {
        use crate::db::read::{code, opt_text, text};
        debug_assert_eq!(r.as_ref().column_names(), PAGE_COLUMNS);
        Ok(PageRow {
            event: EventRow {
                id: EventId(r.get(0)?),
                tenant_id: TenantId(r.get(1)?),
                kind: code(r, 2, EventKind::from_code)?,
                title: text(r, 3)?,
                description: text(r, 4)?,
                description_html: text(r, 5)?,
                starts_at: crate::db::read::utc(r, 6)?,
                ends_at: crate::db::read::utc(r, 7)?,
                venue: text(r, 8)?,
                online_url: text(r, 9)?,
                venue_capacity: r.get(10)?,
                online_capacity: r.get(11)?,
                anonymous: r.get(12)?,
                status: code(r, 13, Status::from_code)?,
                checkin_code: text(r, 14)?,
                social_issue_id: r.get::<_, Option<i64>>(15)?.map(crate::social_issue::SocialIssueId),
                lab_id: r.get::<_, Option<i64>>(16)?.map(crate::lab::LabId),
                held_modes: text(r, 17)?,
            },
            counts: SeatCounts {
                venue_registered: r.get(18)?,
                venue_waiting: r.get(19)?,
                online_registered: r.get(20)?,
                online_waiting: r.get(21)?,
            },
            issue_title: opt_text(r, 22)?,
            lab_title: opt_text(r, 23)?,
            cohosts: opt_text(r, 24)?,
        })
    }
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
