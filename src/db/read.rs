//! Reads from the embedded SQLite file on the calling thread, for the hottest public pages.
//!
//! sqlx runs every SQLite connection on a worker thread of its own: each query is a
//! hand-off to that thread and back, and each connection returned to the pool is pinged,
//! another round trip. For a page that makes one short indexed read, those thread
//! switches cost more than the read itself (see `docs/performance.md`). A
//! [`SqliteReader`] keeps a few plain connections to the same file, marked query-only, and
//! runs a read directly where it is called. In WAL mode a reader never waits for the
//! writer and sees every transaction committed before its statement began, so a page read
//! this way is exactly as fresh as one read through the pool.
//!
//! Writes, and reads inside a transaction, always go through the sqlx pool.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use super::{StoreError, StoreResult};

/// Connections kept open between reads; more are opened while more threads read at once.
const KEEP: usize = 8;

/// Plain connections to one SQLite file, for reads on the calling thread.
#[derive(Debug)]
pub struct SqliteReader {
    path: PathBuf,
    idle: Mutex<Vec<rusqlite::Connection>>,
}

impl SqliteReader {
    /// A reader of the database file at `path` (which the pool has already created and
    /// migrated). Opens one connection to check that it can.
    ///
    /// # Errors
    /// The file cannot be opened.
    pub fn open(path: PathBuf) -> StoreResult<SqliteReader> {
        let reader = SqliteReader { path, idle: Mutex::new(Vec::new()) };
        let first = reader.connect()?;
        reader.idle().push(first);
        Ok(reader)
    }

    fn connect(&self) -> StoreResult<rusqlite::Connection> {
        use rusqlite::OpenFlags;
        let conn = rusqlite::Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // Opened for writing so that it can share the WAL index whether or not the pool
        // has the file open, but refuses to change anything.
        conn.pragma_update(None, "query_only", true)?;
        // A WAL reader waits only while SQLite recovers the index after a crash.
        conn.busy_timeout(Duration::from_secs(2))?;
        conn.set_prepared_statement_cache_capacity(32);
        Ok(conn)
    }

    /// Runs `f` with a connection of its own, on this thread. `f` should be one short
    /// read: the thread does nothing else meanwhile.
    ///
    /// # Errors
    /// What `f` returns ([`StoreError::NotFound`] for a query that returned no rows), or
    /// the file cannot be opened.
    pub fn read<T>(&self, f: impl FnOnce(&rusqlite::Connection) -> rusqlite::Result<T>) -> StoreResult<T> {
        let idle = self.idle().pop();
        let conn = match idle {
            Some(c) => c,
            None => self.connect()?,
        };
        let out = f(&conn);
        let mut idle = self.idle();
        if idle.len() < KEEP {
            idle.push(conn);
        }
        Ok(out?)
    }

    /// The idle connections. A panic while the lock was held cannot leave the list half
    /// changed, so a poisoned lock is taken as it is.
    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<rusqlite::Connection>> {
        self.idle.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A time as sqlx stores it on SQLite (RFC 3339 text), read quickly; any other form
/// SQLite may hold is left to rusqlite.
///
/// # Errors
/// The column holds no time.
pub fn utc(row: &rusqlite::Row<'_>, column: usize) -> rusqlite::Result<chrono::DateTime<chrono::Utc>> {
    if let Ok(text) = row.get_ref(column)?.as_str()
        && let Ok(t) = chrono::DateTime::parse_from_rfc3339(text)
    {
        return Ok(t.to_utc());
    }
    row.get(column)
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e {
            rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound,
            e => StoreError::Read(e),
        }
    }
}
