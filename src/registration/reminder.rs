//! Reminder mails, the day before a session, to everyone with a place. Each instance looks
//! every few minutes; an event is claimed in the database (`reminded_at`) before its
//! reminders go out, so with several instances each reminder is sent once.

use chrono::TimeDelta;

use crate::db::{Db, StoreResult, now};
use crate::event::{EventId, store as event_store};
use crate::i18n::Lang;
use crate::mail::Mailer;
use crate::tenant::{TenantId, store as tenant_store};
use crate::with_db;

/// How long before the start reminders go out.
pub const AHEAD: TimeDelta = TimeDelta::hours(24);

/// Claims the published events starting within [`AHEAD`] whose reminders have not gone
/// out; returns them. Claiming is one conditional update per event, so concurrent
/// instances never claim the same event.
async fn claim_due(db: &Db) -> StoreResult<Vec<(TenantId, EventId)>> {
    let now = now();
    let due: Vec<(TenantId, EventId)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT tenant_id, id FROM event WHERE status = 'published' AND reminded_at IS NULL \
             AND starts_at > $1 AND starts_at <= $2",
        )
        .bind(now)
        .bind(now + AHEAD)
        .fetch_all(p)
        .await?
    });
    let mut claimed = Vec::new();
    for (tenant, id) in due {
        let n = with_db!(db, |p| {
            sqlx::query("UPDATE event SET reminded_at = $2 WHERE id = $1 AND reminded_at IS NULL")
                .bind(id)
                .bind(now)
                .execute(p)
                .await?
                .rows_affected()
        });
        if n == 1 {
            claimed.push((tenant, id));
        }
    }
    Ok(claimed)
}

/// Everyone with a place at the event who gave an e-mail: (email, name, language).
async fn recipients(db: &Db, tenant: TenantId, event: EventId) -> StoreResult<Vec<(String, String, String)>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT p.email, p.name, r.lang FROM registration r JOIN person p ON p.id = r.person_id \
             WHERE r.tenant_id = $1 AND r.event_id = $2 AND r.status = 'registered' AND p.email IS NOT NULL",
        )
        .bind(tenant)
        .bind(event)
        .fetch_all(p)
        .await?
    }))
}

/// Sends the reminders that are due; returns how many mails went out.
///
/// `default_base_url` is where the default center is reached; other centers are reached
/// on their first registered host name with `scheme`.
///
/// # Errors
/// The database fails (mail failures are logged and skipped).
pub async fn send_due(db: &Db, mailer: &Mailer, default_base_url: &str, scheme: &str) -> StoreResult<usize> {
    let claimed = claim_due(db).await?;
    if claimed.is_empty() {
        return Ok(0);
    }
    let tenants = tenant_store::list(db).await?;
    let mut sent = 0;
    for (tenant_id, event_id) in claimed {
        let Some((tenant, hosts)) = tenants.iter().find(|(t, _)| t.id == tenant_id) else { continue };
        let base = hosts.first().map_or_else(|| default_base_url.to_owned(), |h| format!("{scheme}://{h}"));
        let event = event_store::get(db, tenant_id, event_id).await?;
        for (email, name, lang) in recipients(db, tenant_id, event_id).await? {
            let lang = Lang::from_code(&lang).unwrap_or_default();
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
    }
    Ok(sent)
}
