//! The database: one handle over SQLite (embedded default) or PostgreSQL (scale-out),
//! connection, migrations, and the error type every store returns.
//!
//! SQL is written once with `$1` placeholders, which both backends accept, and run through
//! [`with_db!`] against whichever pool is configured. Code branches per backend only where
//! the dialects truly differ, with a comment saying why.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

pub mod changes;
pub mod code;
pub mod pg_read;
pub mod read;
pub mod restore;
pub mod setting;

pub use changes::Changes;
pub use pg_read::PgReader;
pub use read::SqliteReader;

/// The connections of a PostgreSQL database's reader ([`PgReader`]), besides its pool's 16.
const READER_CONNECTIONS: u32 = 4;

/// A PostgreSQL connection idle for longer than this is pinged before it is used again (a
/// server restart or a firewall may have dropped it meanwhile).
const PING_AFTER_IDLE: Duration = Duration::from_secs(10);

/// The database: SQLite (embedded) or PostgreSQL.
///
/// Reads run on a pool of connections ([`with_db!`]); every write runs in one
/// transaction through [`Db::write`], the only way to change anything.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqliteDb),
    Postgres(PgDb),
}

/// A SQLite file: one connection that writes, a pool that reads, and for the hottest
/// public page a reader on the calling thread (see [`read`]).
#[derive(Clone, Debug)]
pub struct SqliteDb {
    /// Connections for reads. In WAL mode they never wait for the writer and see every
    /// transaction committed before their statement began.
    pub readers: SqlitePool,
    /// The one connection that writes: SQLite allows one writer at a time, so writers wait
    /// for it in turn (in order) instead of meeting SQLite's lock and its busy handler.
    writer: SqlitePool,
    reader: Option<Arc<SqliteReader>>,
}

/// A PostgreSQL database: a pool for reads and writes, and for the hottest public page a
/// few connections lent without pings (see [`pg_read`]).
#[derive(Clone, Debug)]
pub struct PgDb {
    pub pool: PgPool,
    reader: Arc<PgReader>,
    /// The changes known to this process (every worker's copy shares them).
    changes: Arc<Changes>,
}

impl PgDb {
    /// `pool`, with a reader of `connections` connections to the same database.
    fn new(pool: PgPool, connections: u32, changes: Arc<Changes>) -> PgDb {
        let options = PgConnectOptions::clone(&pool.connect_options());
        PgDb { pool, reader: Arc::new(PgReader::new(options, connections as usize)), changes }
    }
}

/// A write transaction (see [`Db::write`]); store functions that write take it.
#[derive(Debug)]
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// Runs the same body against whichever pool `$db` holds; `$pool` names the pool inside.
/// For reads: a write goes through [`Db::write`] and [`with_tx!`].
///
/// The body is compiled once per backend, so `query_as::<_, Row>` infers the right
/// database type in each arm.
#[macro_export]
macro_rules! with_db {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite(sqlite) => {
                let $pool = &sqlite.readers;
                $body
            }
            $crate::db::Db::Postgres(pg) => {
                let $pool = &pg.pool;
                $body
            }
        }
    };
}

/// Runs the same body against a write transaction's connection; `$conn` names it inside
/// (use `&mut *$conn` as the executor of each statement).
#[macro_export]
macro_rules! with_tx {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(tx) => {
                let $conn: &mut ::sqlx::SqliteConnection = &mut **tx;
                $body
            }
            $crate::db::Tx::Postgres(tx) => {
                let $conn: &mut ::sqlx::PgConnection = &mut **tx;
                $body
            }
        }
    };
}

/// What a store function can fail with.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("record not found")]
    NotFound,
    #[error("unique or foreign key constraint violated: {constraint}")]
    Conflict { constraint: String },
    #[error(transparent)]
    Other(sqlx::Error),
    /// A read on the calling thread failed (see [`read`]).
    #[error(transparent)]
    Read(rusqlite::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() || db.is_foreign_key_violation() => {
                StoreError::Conflict {
                    // SQLite reports no constraint name; its message names the columns.
                    constraint: db.constraint().map(str::to_owned).unwrap_or_else(|| db.message().to_owned()),
                }
            }
            _ => StoreError::Other(e),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The error for a stored value this program does not understand (`what` it should be).
pub fn decode_error(what: &str, value: &str) -> StoreError {
    StoreError::Other(sqlx::Error::Decode(format!("unknown {what} {value:?}").into()))
}

impl Db {
    /// Connects to `url` (`sqlite://FILE`, `sqlite::memory:`, `postgres://…`).
    ///
    /// SQLite files are created if missing and opened in WAL mode with a busy timeout, so
    /// that `serve` and a CLI command can use the same file at once.
    ///
    /// # Errors
    /// An unsupported scheme, or a database that cannot be reached.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)
                .with_context(|| format!("invalid SQLite URL {url}"))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // FULL: a registration confirmed to a person survives a power cut too.
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let writer = SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                // An embedded file cannot drop a connection the way a server can: pinging
                // it before every use would cost a round trip to its worker thread.
                .test_before_acquire(false)
                // Writers wait here in turn; a long roster import holds the others this long.
                .acquire_timeout(Duration::from_secs(30))
                .idle_timeout(None)
                .max_lifetime(None)
                .connect_with(opts.clone())
                .await
                .with_context(|| format!("cannot open the SQLite database {url}"))?;
            let file: String = sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
                .fetch_one(&writer)
                .await
                .context("cannot read the SQLite file name")?;
            if file.is_empty() {
                anyhow::bail!("{url} is not a file: the writer and the readers must share one SQLite file");
            }
            let readers = SqlitePoolOptions::new()
                // A few: on two cores more connections only add worker threads to switch between.
                .max_connections(4)
                .test_before_acquire(false)
                .acquire_timeout(Duration::from_secs(10))
                // Readers cannot write, so no write can go around the writer by mistake.
                .connect_with(opts.pragma("query_only", "ON"))
                .await
                .with_context(|| format!("cannot open the SQLite database {url} for reading"))?;
            let reader = Some(Arc::new(
                SqliteReader::open(file.into()).with_context(|| format!("cannot open {url} for reading"))?,
            ));
            Ok(Db::Sqlite(SqliteDb { readers, writer, reader }))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let opts = PgConnectOptions::from_str(url).context("invalid PostgreSQL URL")?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                // As long as a request may take (the time limit layer): under a burst of writes
                // waiting for one row lock, connections come free in turn.
                .acquire_timeout(Duration::from_secs(30))
                // sqlx pings a connection (a round trip to the server) each time it is taken
                // from the pool; one in steady use is known to answer, as its last statement
                // has just come back. Only a connection idle for a while is pinged.
                .test_before_acquire(false)
                .before_acquire(|conn, meta| {
                    Box::pin(async move {
                        if meta.idle_for > PING_AFTER_IDLE {
                            sqlx::Connection::ping(conn).await?;
                        }
                        Ok(true)
                    })
                })
                .connect_with(opts)
                .await
                .with_context(|| format!("cannot connect to PostgreSQL at {}", redact_url(url)))?;
            Ok(Db::Postgres(PgDb::new(pool, READER_CONNECTIONS, Arc::default())))
        } else {
            anyhow::bail!("unsupported database URL {}: use sqlite://FILE or postgres://…", redact_url(url))
        }
    }

    /// A copy of this handle for a server worker's event loop (`web::serve_workers`), to be
    /// made on that event loop. On PostgreSQL it is a pool and a reader of its own, with
    /// the same connection options, sharing the worker's `1/workers` share of the pool's
    /// connections (at least one each): a connection is a socket of the event loop that
    /// opened it, so a worker using a connection of another loop is woken through that
    /// loop's thread, and the connection breaks when that loop stops. On SQLite it is a
    /// clone: the file's writer and reader pools are the process's (their connections run
    /// on threads of their own), and the event page is read on the calling thread anyway.
    /// Close the copy with [`Db::close_worker`].
    ///
    /// # Errors
    /// PostgreSQL cannot be reached.
    pub async fn for_worker(&self, workers: usize) -> anyhow::Result<Db> {
        match self {
            Db::Sqlite(s) => Ok(Db::Sqlite(s.clone())),
            Db::Postgres(PgDb { pool: p, changes, .. }) => {
                let workers = u32::try_from(workers.max(1)).unwrap_or(u32::MAX);
                let share = p.options().get_max_connections() / workers;
                // Half for the event page's reader: with more, the page went no faster
                // and its p99 grew (more PostgreSQL processes waiting for the same cores).
                let readers = (share / 2).max(1);
                let pool = p
                    .options()
                    .clone()
                    .max_connections(share.saturating_sub(readers).max(1))
                    .min_connections(0)
                    .connect_with(PgConnectOptions::clone(&p.connect_options()))
                    .await
                    .context("cannot connect a server worker to PostgreSQL")?;
                Ok(Db::Postgres(PgDb::new(pool, readers, Arc::clone(changes))))
            }
        }
    }

    /// Closes what [`Db::for_worker`] opened: on PostgreSQL the worker's pool and reader;
    /// on SQLite nothing (the pools are the process's, closed with [`Db::close`]).
    pub async fn close_worker(&self) {
        if let Db::Postgres(pg) = self {
            pg.reader.close().await;
            pg.pool.close().await;
        }
    }

    /// Runs `work` in one write transaction and commits it when `work` returns `Ok`; an
    /// `Err` rolls everything back. This is the only way to write: on SQLite the
    /// transaction takes the file's one writer connection and SQLite's write lock at its
    /// start (`BEGIN IMMEDIATE`), so writers run one after another in the order they came;
    /// on PostgreSQL it is an ordinary transaction (rows that must not change meanwhile are
    /// locked by the store that reads them). Never call `write` inside `work`: it would
    /// wait for itself.
    ///
    /// # Errors
    /// What `work` returns, or the database fails to begin or commit.
    pub async fn write<T, E>(&self, work: impl AsyncFnOnce(&mut Tx) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let mut tx = match self {
            Db::Sqlite(s) => Tx::Sqlite(s.writer.begin_with("BEGIN IMMEDIATE").await.map_err(StoreError::from)?),
            Db::Postgres(pg) => Tx::Postgres(pg.pool.begin().await.map_err(StoreError::from)?),
        };
        match work(&mut tx).await {
            Ok(value) => {
                let committed = tx.commit().await;
                // Counted even if the commit's answer was lost: it may have committed.
                if let Db::Postgres(pg) = self {
                    pg.changes.changed();
                }
                committed?;
                Ok(value)
            }
            Err(e) => {
                tx.rollback().await;
                Err(e)
            }
        }
    }

    /// Applies every pending migration of this backend.
    ///
    /// # Errors
    /// A migration that fails, or one applied earlier that has since changed.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        match self {
            Db::Sqlite(s) => sqlx::migrate!("migrations/sqlite").run(&s.writer).await,
            Db::Postgres(pg) => sqlx::migrate!("migrations/postgres").run(&pg.pool).await,
        }
        .context("cannot migrate the database")
    }

    /// Writes a consistent copy of a SQLite database to `output` (`VACUUM INTO`), while
    /// others read and write; its reads take the writer connection of this process only
    /// for the copy's own consistency, not SQLite's write lock.
    ///
    /// # Errors
    /// On PostgreSQL (use `pg_dump`), or the copy cannot be written.
    pub async fn backup_to(&self, output: &std::path::Path) -> anyhow::Result<()> {
        match self {
            Db::Sqlite(s) => {
                sqlx::query("VACUUM INTO $1")
                    .bind(output.to_string_lossy().as_ref())
                    .execute(&s.writer)
                    .await
                    .with_context(|| format!("cannot write {}", output.display()))?;
                Ok(())
            }
            Db::Postgres(_) => anyhow::bail!("for PostgreSQL, use pg_dump (see docs/operations.md)"),
        }
    }

    /// How many changes this process knows of, while it knows of every change to what
    /// the kept pages read (see [`changes`]): on PostgreSQL once [`Db::follow_changes`]
    /// listens; on SQLite never.
    pub fn changes_seen(&self) -> Option<u64> {
        match self {
            Db::Sqlite(_) => None,
            Db::Postgres(pg) => pg.changes.seen(),
        }
    }

    /// On PostgreSQL, the task that listens for changes made by others (to spawn on a
    /// runtime that lasts as long as the server); it ends when the database is closed.
    pub fn follow_changes(&self) -> Option<impl Future<Output = ()> + Send + 'static> {
        match self {
            Db::Sqlite(_) => None,
            Db::Postgres(pg) => Some(changes::follow(pg.pool.clone(), Arc::clone(&pg.changes))),
        }
    }

    /// The reader on the calling thread, where the database is a SQLite file.
    pub fn sqlite_reader(&self) -> Option<&SqliteReader> {
        match self {
            Db::Sqlite(s) => s.reader.as_deref(),
            Db::Postgres(_) => None,
        }
    }

    /// The reader for the hottest page, where the database is PostgreSQL.
    pub fn pg_reader(&self) -> Option<&PgReader> {
        match self {
            Db::Sqlite(_) => None,
            Db::Postgres(pg) => Some(&pg.reader),
        }
    }

    /// The migrations this program knows and how many of them the database has, with
    /// the last one's description.
    ///
    /// # Errors
    /// The database fails.
    pub async fn migration_status(&self) -> StoreResult<(usize, usize, String)> {
        let known = match self {
            Db::Sqlite(_) => sqlx::migrate!("migrations/sqlite").iter().count(),
            Db::Postgres(_) => sqlx::migrate!("migrations/postgres").iter().count(),
        };
        let applied: Vec<(i64, String)> = with_db!(self, |p| {
            sqlx::query_as("SELECT version, description FROM _sqlx_migrations WHERE success ORDER BY version")
                .fetch_all(p)
                .await?
        });
        let last = applied.last().map(|(v, d)| format!("{v:04} {d}")).unwrap_or_default();
        Ok((known, applied.len(), last))
    }

    /// The SQLite file, when the database is one.
    pub fn sqlite_file(&self) -> Option<std::path::PathBuf> {
        self.sqlite_reader().map(|r| r.path().to_path_buf())
    }

    /// `sqlite` or `postgres`, for logs and health output.
    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// Checks that the database answers.
    ///
    /// # Errors
    /// The database does not answer.
    pub async fn ping(&self) -> StoreResult<()> {
        with_db!(self, |p| sqlx::query("SELECT 1").execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// Gathers the planner's statistics after a bulk load (the demo data, a roster import).
    /// PostgreSQL plans from them: before autovacuum's first pass (a minute or more after a
    /// load, once enough rows changed) it guesses, and on the demo data it took the event
    /// page's event through a wrong index: the page answered 17,225 requests/s before,
    /// 20,373 after (`bench/backends.sh 5 3 OLD NEW`). SQLite's planner needs none for
    /// these queries and would change the event page's plans with them, so there it does
    /// nothing.
    ///
    /// # Errors
    /// The database fails.
    pub async fn analyze(&self) -> StoreResult<()> {
        if let Db::Postgres(pg) = self {
            sqlx::query("ANALYZE").execute(&pg.pool).await?;
        }
        Ok(())
    }

    /// Closes every connection (on shutdown).
    pub async fn close(&self) {
        match self {
            Db::Sqlite(s) => {
                s.readers.close().await;
                s.writer.close().await;
            }
            Db::Postgres(pg) => {
                pg.reader.close().await;
                pg.pool.close().await;
            }
        }
    }
}

impl Tx {
    /// Makes the transaction's changes permanent.
    ///
    /// # Errors
    /// The database fails.
    pub async fn commit(self) -> StoreResult<()> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }

    /// Undoes the transaction's changes. A failure is only logged: the connection is
    /// then closed, which undoes them too.
    pub async fn rollback(self) {
        let rolled = match self {
            Tx::Sqlite(tx) => tx.rollback().await,
            Tx::Postgres(tx) => tx.rollback().await,
        };
        if let Err(e) = rolled {
            tracing::warn!(error = %e, "cannot roll back a transaction");
        }
    }
}

/// Hides the password in a database URL, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_owned(),
    }
}

/// The current time, truncated to microseconds so that both backends store and return
/// the same value.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::{DurationRound, TimeDelta};
    let now = chrono::Utc::now();
    now.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(redact_url("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact_url("sqlite://x.db"), "sqlite://x.db");
    }
}
