//! Reads from PostgreSQL on connections of their own, for the hottest public page.
//!
//! sqlx's pool sends the server a ping (a round trip) each time a connection goes back to
//! it, and another each time one is taken out unless that is turned off: with the page's
//! one query, two of every three round trips to PostgreSQL were pings, and each round trip
//! wakes a PostgreSQL process and then the server's event loop again (see
//! `docs/performance.md`). A [`PgReader`] keeps a few plain connections and lends one to a
//! read at a time, with no ping and no timer: a connection in steady use is known to answer,
//! as its last statement has just come back; one idle for a while is pinged first.
//!
//! Each statement runs on its own (autocommit), so a read sees every transaction committed
//! before it began, exactly as through the pool. Writes always go through the pool.
//!
//! A server worker has a reader of its own ([`super::Db::for_worker`]), whose connections
//! are sockets of the worker's event loop, as its pool's are.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{ConnectOptions, Connection};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::{PING_AFTER_IDLE, StoreError, StoreResult};

/// How long opening a new connection may take before the read fails.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A few connections to one PostgreSQL database, lent to one read at a time.
pub struct PgReader {
    options: PgConnectOptions,
    shared: Arc<Shared>,
}

/// What a read cancelled midway still needs once its request is gone.
struct Shared {
    /// Connections not in use, with when each was last given back; the last is the most
    /// recently used, and is lent first (its buffers are the warmest).
    idle: Mutex<Vec<(PgConnection, Instant)>>,
    /// One permit per connection the reader may have open: a read waits here for a turn.
    turns: Arc<Semaphore>,
}

impl std::fmt::Debug for PgReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgReader").field("available", &self.shared.turns.available_permits()).finish_non_exhaustive()
    }
}

impl PgReader {
    /// A reader of at most `connections` connections (at least one), opened with `options`
    /// when first needed.
    pub fn new(options: PgConnectOptions, connections: usize) -> PgReader {
        let turns = Arc::new(Semaphore::new(connections.max(1)));
        PgReader { options, shared: Arc::new(Shared { idle: Mutex::default(), turns }) }
    }

    /// Runs `read` on a connection of this reader, and keeps the connection for the next
    /// read unless it failed.
    ///
    /// # Errors
    /// What `read` returns, or a new connection cannot be opened.
    pub async fn read<T>(&self, read: impl AsyncFnOnce(&mut PgConnection) -> sqlx::Result<T>) -> StoreResult<T> {
        let turn = Arc::clone(&self.shared.turns)
            .acquire_owned()
            .await
            .map_err(|_| StoreError::Other(sqlx::Error::PoolClosed))?;
        let conn = self.take().await?;
        let mut lent = Lent { conn: Some(conn), turn: Some(turn), shared: Arc::clone(&self.shared) };
        let Some(conn) = lent.conn.as_mut() else { return Err(StoreError::Other(sqlx::Error::PoolClosed)) };
        let result = read(conn).await;
        let conn = lent.conn.take();
        // An error the server answered leaves the connection usable; any other (a broken
        // socket, a protocol error) closes it.
        if let Some(conn) = conn
            && matches!(&result, Ok(_) | Err(sqlx::Error::RowNotFound | sqlx::Error::Database(_)))
        {
            self.shared.give_back(conn);
        }
        Ok(result?)
    }

    /// An idle connection (pinged first if it has been idle for long), or a new one.
    async fn take(&self) -> StoreResult<PgConnection> {
        let held = self.shared.idle.lock().ok().and_then(|mut idle| idle.pop());
        if let Some((mut conn, since)) = held
            && (since.elapsed() <= PING_AFTER_IDLE || conn.ping().await.is_ok())
        {
            return Ok(conn);
        }
        match tokio::time::timeout(CONNECT_TIMEOUT, self.options.connect()).await {
            Ok(conn) => Ok(conn?),
            Err(_) => Err(StoreError::Other(sqlx::Error::PoolTimedOut)),
        }
    }

    /// Closes the idle connections and refuses further reads (on shutdown). Call it once
    /// the reads under way have ended.
    pub async fn close(&self) {
        self.shared.turns.close();
        let idle = self.shared.idle.lock().map(|mut idle| std::mem::take(&mut *idle)).unwrap_or_default();
        for (conn, _) in idle {
            let _ = conn.close().await;
        }
    }
}

impl Shared {
    fn give_back(&self, conn: PgConnection) {
        // After `close`, a read that was under way drops its connection instead.
        if !self.turns.is_closed()
            && let Ok(mut idle) = self.idle.lock()
        {
            idle.push((conn, Instant::now()));
        }
    }
}

/// A connection lent to a read, with the read's turn.
struct Lent {
    conn: Option<PgConnection>,
    turn: Option<OwnedSemaphorePermit>,
    shared: Arc<Shared>,
}

impl Drop for Lent {
    /// A read cancelled midway (its request dropped: the client went away) leaves the
    /// answer to its statement on the way. A task of its own waits for it (a ping: sqlx
    /// reads and drops what the connection still owes first) and then gives the connection
    /// back, keeping the turn meanwhile; closing the connection instead would make the
    /// server open another, and log a connection reset.
    fn drop(&mut self) {
        let Some(mut conn) = self.conn.take() else { return };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        let (shared, turn) = (Arc::clone(&self.shared), self.turn.take());
        runtime.spawn(async move {
            if conn.ping().await.is_ok() {
                shared.give_back(conn);
            }
            drop(turn);
        });
    }
}
