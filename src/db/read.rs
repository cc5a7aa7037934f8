//! Reads from the embedded SQLite file on the calling thread, for the hottest public page.
//!
//! sqlx runs every SQLite connection on a worker thread of its own: each query is a
//! hand-off to that thread and back, and each connection returned to the pool is pinged,
//! another round trip. For a page that makes one short indexed read, those thread
//! switches cost more than the read itself (see `docs/performance.md`). A
//! [`SqliteReader`] gives each thread that reads a plain connection of its own to the same
//! file, marked query-only, and runs the read where it is called, with rusqlite's own
//! cache of prepared statements. In WAL mode a reader never waits for the writer and sees
//! every transaction committed before its statement began, so a page read this way is
//! exactly as fresh as one read through the pool (a test reads the same event both ways).
//!
//! Writes, and reads inside a transaction, always go through sqlx.

use std::cell::RefCell;
use std::path::PathBuf;
use std::sync::{Arc, Weak};
use std::time::Duration;

use super::{StoreError, StoreResult};

/// Plain connections to one SQLite file, for reads on the calling thread.
#[derive(Debug)]
pub struct SqliteReader {
    path: PathBuf,
    /// Identifies this reader to the threads' connections, and tells them when it is gone.
    alive: Arc<()>,
}

thread_local! {
    /// This thread's connection to each reader it has read through. A server worker thread
    /// reads with the same connection every time: no lock is shared between threads, and
    /// the connection's page and statement caches stay with the core that uses them.
    /// Connections of a reader that is gone are closed when the thread next opens one.
    static OWN: RefCell<Vec<(Weak<()>, rusqlite::Connection)>> = const { RefCell::new(Vec::new()) };
}

impl SqliteReader {
    /// The database file read.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// A reader of the database file at `path` (which the pool has already created and
    /// migrated). Opens one connection to check that it can.
    ///
    /// # Errors
    /// The file cannot be opened.
    pub fn open(path: PathBuf) -> StoreResult<SqliteReader> {
        let reader = SqliteReader { path, alive: Arc::new(()) };
        let first = reader.connect()?;
        OWN.with_borrow_mut(|own| {
            own.retain(|(reader, _)| reader.strong_count() > 0);
            own.push((Arc::downgrade(&reader.alive), first));
        });
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
        Ok(conn)
    }

    /// The first row of `sql` with `params`, read by `f`, on this thread's connection with
    /// its statement cache: `sql` is one of the program's own short reads, since the
    /// thread does nothing else meanwhile.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when there is no row; what `f` returns; the file cannot be
    /// opened.
    pub fn query_row<T>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        f: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> StoreResult<T> {
        let me = Arc::as_ptr(&self.alive);
        // Taken out while it reads, so that nothing `f` does can find it borrowed.
        let own = OWN.with_borrow_mut(|own| {
            let at = own.iter().position(|(reader, _)| std::ptr::eq(reader.as_ptr(), me))?;
            Some(own.swap_remove(at))
        });
        let (reader, conn) = match own {
            Some(own) => own,
            None => {
                OWN.with_borrow_mut(|own| own.retain(|(reader, _)| reader.strong_count() > 0));
                (Arc::downgrade(&self.alive), self.connect()?)
            }
        };
        let row = conn.prepare_cached(sql).and_then(|mut statement| statement.query_row(params, f));
        OWN.with_borrow_mut(|own| own.push((reader, conn)));
        Ok(row?)
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

/// A time column that may be NULL, read as [`utc`] reads one that may not.
///
/// # Errors
/// The column holds something other than NULL or a time.
pub fn utc_opt(row: &rusqlite::Row<'_>, column: usize) -> rusqlite::Result<Option<chrono::DateTime<chrono::Utc>>> {
    if row.get_ref(column)? == rusqlite::types::ValueRef::Null {
        return Ok(None);
    }
    utc(row, column).map(Some)
}

/// A text code column read as its enum (see [`crate::text_code!`]).
///
/// # Errors
/// The column holds no text, or a code `from_code` does not know.
pub fn code<T>(row: &rusqlite::Row<'_>, column: usize, from_code: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    let text: String = row.get(column)?;
    from_code(&text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            column,
            rusqlite::types::Type::Text,
            format!("unknown code {text:?}").into(),
        )
    })
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e {
            rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound,
            e => StoreError::Read(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own_connections() -> usize {
        OWN.with_borrow(Vec::len)
    }

    fn count(reader: &SqliteReader) -> i64 {
        reader.query_row("SELECT count(*) FROM t", [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn sqlite_is_built_for_many_threads() {
        // `.cargo/config.toml` sets these for libsqlite3-sys's bundled SQLite (see there).
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let mut stmt = conn.prepare("PRAGMA compile_options").unwrap();
        let options: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        assert!(options.iter().any(|o| o == "THREADSAFE=1"), "{options:?}");
        assert!(!options.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT"), "one page cache for all: {options:?}");
        assert!(options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"), "allocations counted: {options:?}");
    }

    #[test]
    fn each_thread_reads_with_its_own_connection_and_sees_every_commit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        let writer = rusqlite::Connection::open(&path).unwrap();
        writer.pragma_update(None, "journal_mode", "wal").unwrap();
        writer.execute_batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);").unwrap();

        let reader = Arc::new(SqliteReader::open(path.clone()).unwrap());
        assert_eq!(count(&reader), 1);
        assert_eq!(own_connections(), 1, "the opening thread keeps the connection it checked with");
        // A cached statement holds no snapshot between reads: the next read sees a commit.
        writer.execute("INSERT INTO t VALUES (2)", []).unwrap();
        assert_eq!(count(&reader), 2);
        assert_eq!(own_connections(), 1);
        // No row is NotFound; SQL in error is an error.
        let none = reader.query_row("SELECT x FROM t WHERE x > 9", [], |r| r.get::<_, i64>(0));
        assert!(matches!(none, Err(StoreError::NotFound)), "{none:?}");
        assert!(reader.query_row("SELECT nothing FROM nowhere", [], |r| r.get::<_, i64>(0)).is_err());

        let threads: Vec<_> = (0..2)
            .map(|_| {
                let reader = Arc::clone(&reader);
                std::thread::spawn(move || {
                    let (a, b) = (count(&reader), count(&reader));
                    (a, b, own_connections())
                })
            })
            .collect();
        for t in threads {
            assert_eq!(t.join().unwrap(), (2, 2, 1), "one connection per thread, reused");
        }

        // A query-only connection refuses to write.
        assert!(reader.query_row("INSERT INTO t VALUES (3) RETURNING x", [], |r| r.get::<_, i64>(0)).is_err());

        // A reader that is gone leaves its connection until this thread opens another.
        drop(reader);
        assert_eq!(own_connections(), 1);
        let again = SqliteReader::open(path).unwrap();
        assert_eq!(own_connections(), 1, "the old reader's connection was closed");
        assert_eq!(count(&again), 2);
    }
}
