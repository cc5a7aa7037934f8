//! Reminder mails, the day before a session, to everyone with a place. Each instance looks
//! every few minutes; an event is claimed in the database (`reminded_at`) before its
//! reminders go out, so with several instances each reminder is sent once.

use chrono::TimeDelta;

use crate::db::{Db, StoreResult, now};
use crate::event::{EventId, store as event_store};
use crate::mail::Mailer;
use crate::registration::store as registration_store;
use crate::tenant::{Tenant, store as tenant_store};

/// Sends due reminder mails every five minutes, on the caller's runtime, for the life of
/// the process. `default_base_url` is where the default center is reached; `scheme`
/// reaches the others on their host names.
pub fn spawn(db: Db, mailer: Mailer, default_base_url: String, scheme: &'static str) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(300));
        loop {
            tick.tick().await;
            match send_due(&db, &mailer, &default_base_url, scheme).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(mails = n, "sent reminders"),
                Err(e) => tracing::warn!(error = %e, "cannot send reminders"),
            }
        }
    });
}

/// How long before the start reminders go out.
pub const AHEAD: TimeDelta = TimeDelta::hours(24);

/// Sends the reminders that are due; returns how many mails went out.
///
/// `default_base_url` is where the default center is reached; other centers are reached
/// on their first registered host name with `scheme`.
///
/// # Errors
/// The database fails (mail failures are logged and skipped).
pub async fn send_due(db: &Db, mailer: &Mailer, default_base_url: &str, scheme: &str) -> StoreResult<usize> {
    let now = now();
    let mut sent = 0;
    for (tenant, hosts) in tenant_store::list(db).await? {
        let claimed = db.write(async |tx| event_store::claim_reminders(tx, tenant.id, now, now + AHEAD).await).await?;
        let base = hosts.first().map_or_else(|| default_base_url.to_owned(), |h| format!("{scheme}://{h}"));
        for event_id in claimed {
            sent += send_for(db, mailer, &tenant, &base, event_id).await?;
        }
    }
    Ok(sent)
}

/// Sends one claimed event's reminders; returns how many went out.
async fn send_for(db: &Db, mailer: &Mailer, tenant: &Tenant, base: &str, event_id: EventId) -> StoreResult<usize> {
    let mut sent = 0;
    let event = event_store::get(db, tenant.id, event_id).await?;
    for (email, name, lang) in registration_store::reminder_recipients(db, tenant.id, event_id).await? {
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
        let subject = lang.t_args("mail-reminder-subject", &[("title", &event.title)]);
        match mailer.send(&email, &subject, &body).await {
            Ok(()) => sent += 1,
            Err(e) => tracing::warn!(error = format!("{e:#}"), event = event.id.0, "cannot send a reminder"),
        }
    }
    Ok(sent)
}
