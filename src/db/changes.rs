//! Knowing when what a page read may have changed, on PostgreSQL, so that a page read
//! once can be kept by every instance until then (`event::store::PageCache`).
//!
//! [`Changes`] counts the changes an instance knows of: its own writes (counted by
//! [`super::Db::write`] as each commits, so a person sees their own change on the next
//! page) and everyone else's, which PostgreSQL announces: triggers on the tables the kept
//! pages read send a notification on [`CHANNEL`] with each statement that changes them
//! (migration 0014), whoever writes (another instance, the command line, `psql`), and
//! [`follow`] listens. A notification arrives after its transaction commits, within a
//! millisecond or so on one network.
//!
//! A page read while the count was N is kept only while it is still N. While nobody
//! listens (before [`follow`] has started, after its connection broke and until it
//! listens again) there is no count, and nothing is kept: notifications sent meanwhile are
//! lost. Listening again counts one change, which drops everything read before.
//!
//! SQLite has no such announcements between processes (a command-line import writes the
//! file beside the server), and needs none: its reads are already a look into the file's
//! pages, cached by the operating system, on the calling thread. There the count is
//! always absent.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::PgListener;

/// The channel the triggers notify.
pub const CHANNEL: &str = "socialhub_change";

/// How long to wait before listening again after the connection failed.
const RETRY_AFTER: Duration = Duration::from_secs(1);

/// The changes an instance knows of (see the module's notes).
#[derive(Debug, Default)]
pub struct Changes {
    count: AtomicU64,
    listening: AtomicBool,
}

impl Changes {
    /// How many changes are known, while every change will be known; `None` while
    /// nobody listens.
    pub fn seen(&self) -> Option<u64> {
        // The flag is read first: a count read after it can only be newer.
        if self.listening.load(Ordering::Acquire) { Some(self.count.load(Ordering::Acquire)) } else { None }
    }

    /// Counts one change.
    pub fn changed(&self) {
        self.count.fetch_add(1, Ordering::AcqRel);
    }

    fn listening(&self, listening: bool) {
        self.listening.store(listening, Ordering::Release);
    }
}

/// Stops counting when the listening task ends, whichever way it ends (its runtime may
/// drop it without a word).
struct Listening(Arc<Changes>);

impl Drop for Listening {
    fn drop(&mut self) {
        self.0.listening(false);
    }
}

/// Listens on [`CHANNEL`] through a connection of `pool` and counts every notification
/// in `changes`, until the pool is closed; a broken connection is opened again.
pub async fn follow(pool: PgPool, changes: Arc<Changes>) {
    let guard = Listening(changes);
    let changes = &guard.0;
    loop {
        let mut listener = match PgListener::connect_with(&pool).await {
            Ok(listener) => listener,
            Err(sqlx::Error::PoolClosed) => return,
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for changes; pages are read every time meanwhile");
                tokio::time::sleep(RETRY_AFTER).await;
                continue;
            }
        };
        if let Err(e) = listener.listen(CHANNEL).await {
            tracing::warn!(error = %e, "cannot listen for changes; pages are read every time meanwhile");
            tokio::time::sleep(RETRY_AFTER).await;
            continue;
        }
        // Told at once when the connection breaks, to stop keeping pages until listening
        // again on a new one.
        listener.eager_reconnect(false);
        // Whatever was read before now may have missed a change nobody heard of.
        changes.changed();
        changes.listening(true);
        let broken = loop {
            match listener.try_recv().await {
                Ok(Some(_)) => changes.changed(),
                Ok(None) => break None,
                Err(e) => break Some(e),
            }
        };
        // What is announced from now until listening again is lost.
        changes.listening(false);
        changes.changed();
        match broken {
            Some(sqlx::Error::PoolClosed) => return,
            Some(e) => {
                tracing::warn!(error = %e, "the connection listening for changes failed; listening again");
                tokio::time::sleep(RETRY_AFTER).await;
            }
            None => tracing::info!("the connection listening for changes broke; listening again"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_counted_while_nobody_listens() {
        let changes = Changes::default();
        assert_eq!(changes.seen(), None);
        changes.listening(true);
        let before = changes.seen().unwrap();
        changes.changed();
        assert_eq!(changes.seen(), Some(before + 1));
        let shared = Arc::new(Changes::default());
        shared.listening(true);
        drop(Listening(Arc::clone(&shared)));
        assert_eq!(shared.seen(), None, "a task that ends stops the count");
    }
}
