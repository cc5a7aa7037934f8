//! The postman: every few seconds each instance announces new news, builds the digests
//! that are due, queues the reminders of tomorrow's sessions, and sends the mails waiting
//! in the database. Every step is claimed in
//! the database, so any number of instances can run it; it writes only when there is
//! something to do (a look first, then the claim).

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::digest::{self, Period};
use super::news::{self, Site};
use super::{Cadence, UnsubscribeKey, store};
use crate::db::{Db, StoreResult};
use crate::mail::Mailer;
use crate::mail::outbox;
use crate::tenant::Tenant;

/// How often an instance looks.
pub const EVERY: Duration = Duration::from_secs(10);

/// What one round did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Round {
    /// Mails queued for news sent at once.
    pub immediate: usize,
    /// Digest mails queued.
    pub digests: usize,
    /// Reminders of tomorrow's sessions queued.
    pub reminders: usize,
    /// Mails sent.
    pub sent: usize,
}

/// What the rounds need.
#[derive(Clone, Debug)]
pub struct Postman {
    db: Db,
    mailer: Mailer,
    /// Where the default center is reached.
    default_base_url: String,
    /// How the other centers are reached on their host names.
    scheme: &'static str,
    key: UnsubscribeKey,
}

impl Postman {
    /// # Errors
    /// The database fails (reading the unsubscribe key).
    pub async fn new(db: Db, mailer: Mailer, default_base_url: String, scheme: &'static str) -> StoreResult<Postman> {
        let key = UnsubscribeKey::load(&db).await?;
        Ok(Postman { db, mailer, default_base_url, scheme, key })
    }

    /// One round at `now`.
    ///
    /// # Errors
    /// The database fails (a mail that cannot be sent is kept for later).
    pub async fn round(&self, now: DateTime<Utc>) -> StoreResult<Round> {
        let mut round = Round::default();
        for (tenant, hosts) in crate::tenant::store::list(&self.db).await? {
            let base =
                hosts.first().map_or_else(|| self.default_base_url.clone(), |h| format!("{}://{h}", self.scheme));
            // One center's trouble does not keep the others' mail, nor the sending, back.
            if let Err(e) = self.center(&tenant, &base, now, &mut round).await {
                tracing::warn!(error = %e, center = tenant.slug, "the postman skipped a center this round");
            }
        }
        if outbox::waiting(&self.db, now).await?.0 > 0 {
            round.sent = outbox::send_waiting(&self.db, &self.mailer, now).await?;
        }
        let before = now - outbox::KEEP_SENT;
        if outbox::purge_due(&self.db, before).await? {
            self.db.write(async |tx| outbox::purge(tx, before).await).await?;
        }
        Ok(round)
    }

    /// A center's part of a round: its news, its due digests and reminders.
    async fn center(&self, tenant: &Tenant, base: &str, now: DateTime<Utc>, round: &mut Round) -> StoreResult<()> {
        let site = Site { tenant, base, key: &self.key };
        round.reminders += crate::registration::reminder::queue_due(&self.db, tenant, base, now).await?;
        let pending = store::pending_news(&self.db, tenant.id, now).await?;
        if pending.any() {
            round.immediate += self.db.write(async |tx| news::announce(tx, &site, pending, now).await).await?;
        }
        for cadence in [Cadence::Daily, Cadence::Weekly] {
            let last = store::last_digest(&self.db, tenant.id, cadence).await?;
            // Each owed period comes after the latest built, so none is built yet (another
            // instance building it meanwhile loses nothing: the claim keeps it once).
            for period in Period::owed(cadence, last, now) {
                let queued = self.db.write(async |tx| digest::build(tx, &site, &period, now).await).await?;
                round.digests += queued.unwrap_or(0);
            }
        }
        Ok(())
    }

    /// Runs a round every [`EVERY`], on the caller's runtime, for the life of the process.
    pub fn spawn(self) {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(EVERY);
            loop {
                tick.tick().await;
                match self.round(crate::db::now()).await {
                    Ok(r) if r == Round::default() => {}
                    Ok(r) => tracing::info!(
                        immediate = r.immediate,
                        digests = r.digests,
                        reminders = r.reminders,
                        sent = r.sent,
                        "postman"
                    ),
                    Err(e) => tracing::warn!(error = %e, "the postman's round failed"),
                }
            }
        });
    }
}
