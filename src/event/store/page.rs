//! The event page's read: the event with its co-hosts, seat counts and the titles of what
//! it links to, in one query, on the calling thread from a SQLite file or through the pool.

use super::EventRow;
use crate::db::{Db, StoreResult};
use crate::event::{Event, EventId, EventKind, Status};
use crate::tenant::TenantId;

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
#[derive(Clone, Debug, PartialEq, Eq)]
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
/// query: everything its public page needs. The most visited page: on a SQLite file it is
/// read on this thread (`db::read`), on PostgreSQL on connections lent without pings
/// (`db::pg_read`); [`page_through_pool`] reads the same row through the pool.
///
/// # Errors
/// [`StoreError::NotFound`], also for an id of another tenant.
pub async fn page(db: &Db, tenant: TenantId, id: EventId) -> StoreResult<PageData> {
    if let Some(reader) = db.sqlite_reader() {
        return reader.query_row(PAGE_SQL_SQLITE, (tenant.0, id.0), PageRow::from_sqlite)?.into_page();
    }
    if let Some(reader) = db.pg_reader() {
        let row: PageRow = reader
            .read(async |conn| sqlx::query_as(PAGE_SQL_POSTGRES).bind(tenant).bind(id).fetch_one(conn).await)
            .await?;
        return row.into_page();
    }
    page_through_pool(db, tenant, id).await
}

/// How long a kept page may be shown at most, even when no change was heard of: a bound
/// on how stale a page can be if the connection listening for changes silently stopped
/// hearing (a network that drops packets without closing).
const KEEP_AT_MOST: std::time::Duration = std::time::Duration::from_secs(30);

/// Pages kept beyond this many are dropped (all but those read since the last change,
/// then all): a center has hundreds of sessions, not tens of thousands.
const KEEP_PAGES: usize = 10_000;

/// The event pages this process has read, kept until anything they read changes (see
/// `db::changes`): one for every worker of the process.
///
/// On PostgreSQL the query and its round trip cost the two cores of one machine more than
/// the rest of the page (`docs/performance.md`); a page kept in memory costs nothing of
/// them. On SQLite nothing is kept ([`crate::db::Db::changes_seen`]) and every view reads
/// the file.
#[derive(Debug, Default)]
pub struct PageCache {
    pages: std::sync::RwLock<std::collections::HashMap<(TenantId, EventId), Kept>>,
}

#[derive(Debug)]
struct Kept {
    /// The changes known when the page was read.
    changes: u64,
    at: std::time::Instant,
    data: PageData,
}

impl PageCache {
    /// What [`page`] reads, kept from an earlier read when nothing it read has changed
    /// since.
    ///
    /// # Errors
    /// As [`page`]'s.
    pub async fn page(&self, db: &Db, tenant: TenantId, id: EventId) -> StoreResult<PageData> {
        // Counted before the read: a change that commits during the read counts after,
        // so a page that may have missed it is never taken for current.
        let Some(changes) = db.changes_seen() else { return page(db, tenant, id).await };
        if let Ok(pages) = self.pages.read()
            && let Some(kept) = pages.get(&(tenant, id))
            && kept.changes == changes
            && kept.at.elapsed() < KEEP_AT_MOST
        {
            return Ok(kept.data.clone());
        }
        let data = page(db, tenant, id).await?;
        if let Ok(mut pages) = self.pages.write() {
            if pages.len() >= KEEP_PAGES {
                pages.retain(|_, kept| kept.changes == changes);
                if pages.len() >= KEEP_PAGES {
                    pages.clear();
                }
            }
            pages.insert((tenant, id), Kept { changes, at: std::time::Instant::now(), data: data.clone() });
        }
        Ok(data)
    }
}

/// The event page's read through the pool: the check of the other two (a test reads the
/// same event each way).
///
/// # Errors
/// [`StoreError::NotFound`], also for an id of another tenant.
pub async fn page_through_pool(db: &Db, tenant: TenantId, id: EventId) -> StoreResult<PageData> {
    let row: PageRow = match db {
        Db::Sqlite(s) => sqlx::query_as(PAGE_SQL_SQLITE).bind(tenant).bind(id).fetch_one(&s.readers).await?,
        Db::Postgres(pg) => sqlx::query_as(PAGE_SQL_POSTGRES).bind(tenant).bind(id).fetch_one(&pg.pool).await?,
    };
    row.into_page()
}

impl PageRow {
    fn into_page(self) -> StoreResult<PageData> {
        let cohosts = self.cohosts.map(|c| c.lines().map(str::to_owned).collect()).unwrap_or_default();
        Ok(PageData {
            event: self.event.into_event(cohosts)?,
            counts: self.counts,
            issue_title: self.issue_title,
            lab_title: self.lab_title,
        })
    }
}

/// The columns of the event page's query, in order: [`PageRow::from_sqlite`] reads them
/// by position (by name, finding a column costs more than the rest of the read).
const PAGE_COLUMNS: [&str; 27] = [
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
    "fee_yen",
    "registration_closes_at",
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
        use crate::db::read::code;
        debug_assert_eq!(r.as_ref().column_names(), PAGE_COLUMNS);
        Ok(PageRow {
            event: EventRow {
                id: EventId(r.get(0)?),
                tenant_id: TenantId(r.get(1)?),
                kind: code(r, 2, EventKind::from_code)?,
                title: r.get(3)?,
                description: r.get(4)?,
                description_html: r.get(5)?,
                starts_at: crate::db::read::utc(r, 6)?,
                ends_at: crate::db::read::utc(r, 7)?,
                venue: r.get(8)?,
                online_url: r.get(9)?,
                venue_capacity: r.get(10)?,
                online_capacity: r.get(11)?,
                anonymous: r.get(12)?,
                status: code(r, 13, Status::from_code)?,
                checkin_code: r.get(14)?,
                social_issue_id: r.get::<_, Option<i64>>(15)?.map(crate::social_issue::SocialIssueId),
                lab_id: r.get::<_, Option<i64>>(16)?.map(crate::lab::LabId),
                held_modes: r.get(17)?,
                fee_yen: r.get(18)?,
                registration_closes_at: crate::db::read::utc_opt(r, 19)?,
            },
            counts: SeatCounts {
                venue_registered: r.get(20)?,
                venue_waiting: r.get(21)?,
                online_registered: r.get(22)?,
                online_waiting: r.get(23)?,
            },
            issue_title: r.get(24)?,
            lab_title: r.get(25)?,
            cohosts: r.get(26)?,
        })
    }
}
