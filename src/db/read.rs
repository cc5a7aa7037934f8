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

/// The statements a connection keeps prepared, by their SQL text.
type Prepared<'conn> = Vec<(&'static str, rusqlite::Statement<'conn>)>;

/// Statements kept prepared beyond this many are prepared for each use (the pages read
/// through here have a few fixed queries; this bounds a mistake).
const MAX_PREPARED: usize = 16;

self_cell::self_cell!(
    /// A connection with the statements it keeps prepared. rusqlite's own statement cache
    /// finds a statement by hashing and comparing its whole text, twice a read (to take it
    /// and to put it back): for the event page's query of 1,300 bytes, about 4,000
    /// instructions. A kept statement is found by the address of its `&'static` text.
    struct Held {
        owner: rusqlite::Connection,
        #[covariant]
        dependent: Prepared,
    }
);

thread_local! {
    /// This thread's connection to each reader it has read through. A server worker thread
    /// reads with the same connection every time: no lock is shared between threads, and
    /// the connection's page and statement caches stay in the memory of the core that uses
    /// them (a pool handed connections from one core to the other). Connections of a
    /// reader that is gone are closed when the thread next opens one.
    static OWN: RefCell<Vec<(Weak<()>, Held)>> = const { RefCell::new(Vec::new()) };
}

impl SqliteReader {
    /// A reader of the database file at `path` (which the pool has already created and
    /// migrated). Opens one connection to check that it can.
    ///
    /// # Errors
    /// The file cannot be opened.
    pub fn open(path: PathBuf) -> StoreResult<SqliteReader> {
        let reader = SqliteReader { path, alive: Arc::new(()) };
        let first = reader.connect()?;
        reader.keep(first);
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

    /// The first row of `sql` with `params`, read by `f`, with a statement this thread's
    /// connection keeps prepared (see [`Held`]), on this thread: `sql` is one of the
    /// program's own short reads, since the thread does nothing else meanwhile.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when there is no row; what `f` returns; the file cannot be
    /// opened.
    pub fn query_row<T>(
        &self,
        sql: &'static str,
        params: impl rusqlite::Params,
        f: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> StoreResult<T> {
        self.with_held(|held| {
            held.with_dependent_mut(|conn, prepared| {
                let at = prepared
                    .iter()
                    .position(|(text, _)| std::ptr::eq(*text, sql))
                    .or_else(|| prepared.iter().position(|(text, _)| *text == sql));
                match at {
                    Some(at) => prepared[at].1.query_row(params, f),
                    None if prepared.len() < MAX_PREPARED => {
                        let mut statement = conn.prepare(sql)?;
                        let row = statement.query_row(params, f);
                        prepared.push((sql, statement));
                        row
                    }
                    None => conn.prepare(sql)?.query_row(params, f),
                }
            })
        })
    }

    /// Runs `f` with this thread's connection to this reader, opened on first use.
    fn with_held<T>(&self, f: impl FnOnce(&mut Held) -> rusqlite::Result<T>) -> StoreResult<T> {
        let me = Arc::as_ptr(&self.alive);
        // Taken out while `f` runs, so that nothing `f` does can find it borrowed.
        let own = OWN.with_borrow_mut(|own| {
            let at = own.iter().position(|(reader, _)| std::ptr::eq(reader.as_ptr(), me))?;
            Some(own.swap_remove(at))
        });
        let (reader, mut held) = match own {
            Some(own) => own,
            None => {
                OWN.with_borrow_mut(|own| own.retain(|(reader, _)| reader.strong_count() > 0));
                (Arc::downgrade(&self.alive), Held::new(self.connect()?, |_| Vec::new()))
            }
        };
        let out = f(&mut held);
        OWN.with_borrow_mut(|own| own.push((reader, held)));
        Ok(out?)
    }

    /// Keeps `conn` as this thread's connection to this reader, closing the connections of
    /// readers that are gone.
    fn keep(&self, conn: rusqlite::Connection) {
        OWN.with_borrow_mut(|own| {
            own.retain(|(reader, _)| reader.strong_count() > 0);
            own.push((Arc::downgrade(&self.alive), Held::new(conn, |_| Vec::new())));
        });
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

/// A text column, checked to be UTF-8 several bytes at a time (`simdutf8`): rusqlite's own
/// check goes a byte at a time and cost more than SQLite's whole read of the event page's
/// Japanese texts. Refuses what rusqlite refuses (NULL, numbers, blobs, invalid UTF-8).
///
/// # Errors
/// The column holds no text, or text that is not UTF-8.
pub fn text(row: &rusqlite::Row<'_>, column: usize) -> rusqlite::Result<String> {
    opt_text(row, column)?.ok_or(rusqlite::Error::InvalidColumnType(column, String::new(), rusqlite::types::Type::Null))
}

/// A text column that may be NULL, read as [`text`].
///
/// # Errors
/// The column holds something other than text or NULL, or text that is not UTF-8.
pub fn opt_text(row: &rusqlite::Row<'_>, column: usize) -> rusqlite::Result<Option<String>> {
    use rusqlite::types::ValueRef;
    match row.get_ref(column)? {
        ValueRef::Null => Ok(None),
        ValueRef::Text(bytes) => match simdutf8::basic::from_utf8(bytes) {
            Ok(text) => Ok(Some(text.to_owned())),
            Err(_) => Err(rusqlite::Error::FromSqlConversionFailure(
                column,
                rusqlite::types::Type::Text,
                Box::new(std::str::from_utf8(bytes).expect_err("simdutf8 and std agree on UTF-8")),
            )),
        },
        other => Err(rusqlite::Error::InvalidColumnType(column, String::new(), other.data_type())),
    }
}

/// A text code column read as its enum (see [`crate::text_code!`]).
///
/// # Errors
/// The column holds no text, or a code `from_code` does not know.
pub fn code<T>(row: &rusqlite::Row<'_>, column: usize, from_code: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    let text = text(row, column)?;
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

    fn prepared_here() -> Vec<usize> {
        OWN.with_borrow(|own| own.iter().map(|(_, held)| held.borrow_dependent().len()).collect())
    }

    #[test]
    fn kept_statements_see_every_commit_and_are_bounded() {
        const COUNT: &str = "SELECT count(*) FROM t WHERE x >= ?1";
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        let writer = rusqlite::Connection::open(&path).unwrap();
        writer.pragma_update(None, "journal_mode", "wal").unwrap();
        writer.execute_batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);").unwrap();
        // On a thread of its own, so that only this reader's connection is counted.
        std::thread::spawn(move || {
            let reader = SqliteReader::open(path).unwrap();
            let count = |min: i64| reader.query_row(COUNT, [min], |r| r.get::<_, i64>(0)).unwrap();
            assert_eq!(count(0), 1);
            // Kept prepared, the statement holds no snapshot between reads.
            writer.execute("INSERT INTO t VALUES (2)", []).unwrap();
            assert_eq!((count(0), count(2)), (2, 1));
            assert_eq!(prepared_here(), [1], "one statement, prepared once");
            // The same text at another address is the same statement.
            let copy: &'static str = Box::leak(COUNT.to_owned().into_boxed_str());
            assert_eq!(reader.query_row(copy, [0], |r| r.get::<_, i64>(0)).unwrap(), 2);
            assert_eq!(prepared_here(), [1]);
            // No row is NotFound (its statement is kept); SQL in error keeps nothing.
            let none = reader.query_row("SELECT x FROM t WHERE x > 9", [], |r| r.get::<_, i64>(0));
            assert!(matches!(none, Err(StoreError::NotFound)), "{none:?}");
            assert!(reader.query_row("SELECT nothing FROM nowhere", [], |r| r.get::<_, i64>(0)).is_err());
            assert_eq!(prepared_here(), [2]);
            // Past the bound, statements are prepared for each use and still answer.
            let texts: Vec<&'static str> =
                (0..MAX_PREPARED + 3).map(|n| &*Box::leak(format!("SELECT {n}").into_boxed_str())).collect();
            for (n, text) in texts.iter().enumerate() {
                assert_eq!(reader.query_row(text, [], |r| r.get::<_, i64>(0)).unwrap(), i64::try_from(n).unwrap());
            }
            assert_eq!(prepared_here(), [MAX_PREPARED]);
        })
        .join()
        .unwrap();
    }

    #[test]
    fn texts_are_read_as_rusqlite_reads_them() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let row_of = |sql: &str| {
            conn.query_row(sql, [], |r| {
                Ok((
                    text(r, 0).ok(),
                    opt_text(r, 0).ok(),
                    r.get::<_, String>(0).ok(),
                    r.get::<_, Option<String>>(0).ok(),
                ))
            })
            .unwrap()
        };
        for sql in [
            "SELECT '第3回 情報交換会「まちの居場所」'",
            "SELECT ''",
            "SELECT 'ascii only, and long enough to be checked in blocks of thirty-two bytes or more'",
            "SELECT NULL",
            "SELECT 12",
            "SELECT x'e381'",
            "SELECT CAST(x'e381' AS TEXT)",
            "SELECT CAST(x'e381824142' AS TEXT)",
        ] {
            let (t, o, std_t, std_o) = row_of(sql);
            assert_eq!(t, std_t, "{sql}");
            assert_eq!(o, std_o, "{sql}");
        }
        let (t, ..) = row_of("SELECT '第3回 情報交換会'");
        assert_eq!(t.as_deref(), Some("第3回 情報交換会"));
        let (t, o, ..) = row_of("SELECT NULL");
        assert_eq!((t, o), (None, Some(None)));
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
        // A kept connection holds no snapshot between reads: the next read sees a commit.
        writer.execute("INSERT INTO t VALUES (2)", []).unwrap();
        assert_eq!(count(&reader), 2);
        assert_eq!(own_connections(), 1);

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
