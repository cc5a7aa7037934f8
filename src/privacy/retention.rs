//! How long personal data is kept, and the purge of what has outlived it: a guest's name
//! and address a while after their last session, the addresses comments left once the
//! result is out, the access log's lines after some years. The server purges every hour
//! (`serve`), `socialhub purge` on demand; each purge that removes something says so in
//! the access log.

use chrono::{DateTime, TimeDelta, Utc};

use crate::access_log::{Action, store as access_log};
use crate::db::{Db, StoreResult};
use crate::tenant::TenantId;

/// The access log keeps a line a year at least (the database refuses to delete a
/// younger one).
pub const ACCESS_LOG_MIN_DAYS: u32 = 365;

/// The retention periods, in days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retention {
    /// A guest's name, フリガナ and address, after the end of their last session (or
    /// after they were recorded, if they never registered).
    pub guest_days: u32,
    /// The address a comment left to hear of the result, after the result is published
    /// (or, when none is, after the consultation closed and `guest_days` more).
    pub contact_days: u32,
    /// A line of the access log.
    pub access_log_days: u32,
}

impl Default for Retention {
    fn default() -> Self {
        Retention { guest_days: 365, contact_days: 90, access_log_days: 3 * 365 }
    }
}

impl Retention {
    /// The periods configured, each defaulted; the access log's raised to a year.
    pub fn new(guest_days: Option<u32>, contact_days: Option<u32>, access_log_days: Option<u32>) -> Retention {
        let d = Retention::default();
        Retention {
            guest_days: guest_days.unwrap_or(d.guest_days),
            contact_days: contact_days.unwrap_or(d.contact_days),
            access_log_days: access_log_days.unwrap_or(d.access_log_days).max(ACCESS_LOG_MIN_DAYS),
        }
    }
}

/// What one purge removed in one center.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub guests: u64,
    pub contacts: u64,
    pub access_log: u64,
}

impl Purged {
    pub fn is_empty(&self) -> bool {
        *self == Purged::default()
    }
}

fn days(n: u32) -> TimeDelta {
    TimeDelta::days(i64::from(n))
}

/// Purges, in one center, what has outlived its period as of `now`, in one change, the
/// purge noted in the access log when it removed anything.
///
/// # Errors
/// The database fails.
pub async fn purge(db: &Db, tenant: TenantId, retention: Retention, now: DateTime<Utc>) -> StoreResult<Purged> {
    db.write(async |tx| {
        let guests_before = now - days(retention.guest_days);
        let purged = Purged {
            guests: crate::person::store::erase_guests_inactive_since(tx, tenant, guests_before).await?,
            contacts: crate::consultation::store::forget_contacts_served(
                tx,
                tenant,
                now - days(retention.contact_days),
                guests_before,
            )
            .await?,
            access_log: access_log::delete_before(tx, tenant, now - days(retention.access_log_days)).await?,
        };
        if !purged.is_empty() {
            let subject =
                format!("guests={} contacts={} access_log={}", purged.guests, purged.contacts, purged.access_log);
            access_log::append(tx, tenant, None, Action::RetentionPurged, &subject, "").await?;
        }
        Ok(purged)
    })
    .await
}

/// Purges every center; what each removed.
///
/// # Errors
/// The database fails.
pub async fn purge_all(db: &Db, retention: Retention) -> StoreResult<Vec<(String, Purged)>> {
    let now = crate::db::now();
    let mut done = Vec::new();
    for (tenant, _) in crate::tenant::store::list(db).await? {
        done.push((tenant.slug.clone(), purge(db, tenant.id, retention, now).await?));
    }
    Ok(done)
}

/// Purges every hour in the background (`serve`).
pub fn spawn(db: Db, retention: Retention) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match purge_all(&db, retention).await {
                Ok(done) => {
                    for (center, p) in done.iter().filter(|(_, p)| !p.is_empty()) {
                        tracing::info!(
                            center,
                            guests = p.guests,
                            contacts = p.contacts,
                            access_log = p.access_log,
                            "purged"
                        );
                    }
                }
                Err(e) => tracing::warn!(error = %e, "cannot purge what has outlived its retention"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_default_and_the_access_log_keeps_a_year_at_least() {
        assert_eq!(Retention::new(None, None, None), Retention::default());
        let r = Retention::new(Some(30), Some(7), Some(10));
        assert_eq!((r.guest_days, r.contact_days, r.access_log_days), (30, 7, ACCESS_LOG_MIN_DAYS));
    }
}
