//! Reminder mails, the day before a session, to everyone with a place. The postman
//! ([`crate::subscription::postman`]) looks every few seconds on every instance; an event
//! is claimed in the database (`reminded_at`) in the transaction that queues its
//! reminders ([`crate::mail::outbox`]), so with several instances each reminder is queued
//! once, and a restart loses none.

use chrono::{DateTime, TimeDelta, Utc};

use crate::db::{Db, StoreResult, now};
use crate::event::store as event_store;
use crate::mail::Mailer;
use crate::mail::outbox::{self, Outgoing};
use crate::registration::store as registration_store;
use crate::tenant::{Tenant, store as tenant_store};

/// How long before the start reminders go out.
pub const AHEAD: TimeDelta = TimeDelta::hours(24);

/// Claims the center's events whose reminders are due and queues their mails, in one
/// transaction; returns how many were queued. `base` is where the center is reached.
///
/// # Errors
/// The database fails.
pub async fn queue_due(db: &Db, tenant: &Tenant, base: &str, now: DateTime<Utc>) -> StoreResult<usize> {
    if !event_store::reminders_due(db, tenant.id, now, now + AHEAD).await? {
        return Ok(0);
    }
    db.write(async |tx| {
        let claimed = event_store::claim_reminders(tx, tenant.id, now, now + AHEAD).await?;
        let mut mails = Vec::new();
        for event_id in claimed {
            // Read beside the transaction: what it reads was committed before.
            let event = event_store::get(db, tenant.id, event_id).await?;
            for (email, name, lang, account) in registration_store::reminder_recipients(db, tenant.id, event_id).await?
            {
                let body = lang.t_args(
                    "mail-reminder-body",
                    &[
                        ("name", &name),
                        ("center", &tenant.name),
                        ("title", &event.title),
                        ("when", &format!("{} {}", event.date_label(lang), event.time_label())),
                        ("venue", &event.venue),
                        ("page", &format!("{base}/events/{}", event.id.0)),
                    ],
                );
                mails.push(Outgoing {
                    tenant: tenant.id,
                    // A member's reminder goes with their account (deleted with it, in
                    // their export); a guest's is deleted a week after it was sent.
                    account,
                    to: email,
                    subject: lang.t_args("mail-reminder-subject", &[("title", &event.title)]),
                    body,
                    unsubscribe_url: String::new(),
                });
            }
        }
        outbox::enqueue(tx, &mails, now).await?;
        Ok(mails.len())
    })
    .await
}

/// Queues the reminders that are due in every center and sends what waits; returns how
/// many mails went out.
///
/// `default_base_url` is where the default center is reached; other centers are reached
/// on their first registered host name with `scheme`.
///
/// # Errors
/// The database fails (mail failures are logged and kept for later).
pub async fn send_due(db: &Db, mailer: &Mailer, default_base_url: &str, scheme: &str) -> StoreResult<usize> {
    let now = now();
    for (tenant, hosts) in tenant_store::list(db).await? {
        let base = hosts.first().map_or_else(|| default_base_url.to_owned(), |h| format!("{scheme}://{h}"));
        queue_due(db, &tenant, &base, now).await?;
    }
    outbox::send_waiting(db, mailer, now).await
}
