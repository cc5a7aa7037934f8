//! The roster import's SQL: events, people and attendances of one file written in one
//! transaction, so that a file is imported whole or not at all. Importing the same file
//! again changes nothing: events are found by date, kind and title, people by e-mail, and
//! each attendance by a key made of its event, its person and its place among identical
//! rows. Someone known only by a name becomes a person with that row's first import (for
//! the roster; a name cannot be found again, so it is never matched). A session that was
//! created on the platform (not by an import) is the platform's record: a roster row for
//! it (an exported roster imported back, say) changes nothing.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use super::RosterRow;
use crate::db::{Db, StoreResult, now};
use crate::event::{EventId, japan_instant, store::new_checkin_code};
use crate::person::PersonId;
use crate::tenant::TenantId;

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportSummary {
    pub rows: usize,
    pub events_created: usize,
    pub people_created: usize,
    pub attendances_created: usize,
    /// Rows already imported before (or the person already recorded at the event).
    pub attendances_unchanged: usize,
    /// Sessions of the file that were created on the platform: left as they are.
    pub events_on_platform: usize,
    /// The rows of those sessions, read and left.
    pub rows_on_platform: usize,
}

fn event_key(r: &RosterRow) -> String {
    format!("roster|{}|{}|{}", r.date, r.kind.code(), r.title)
}

/// Imports valid rows.
///
/// # Errors
/// The database fails; then nothing is imported.
pub async fn import(db: &Db, tenant: TenantId, rows: &[RosterRow]) -> StoreResult<ImportSummary> {
    let mut summary = ImportSummary { rows: rows.len(), ..ImportSummary::default() };
    // Events, in file order, with whether all of their rows are anonymous.
    let mut events: Vec<(String, &RosterRow, bool)> = Vec::new();
    for r in rows {
        let key = event_key(r);
        match events.iter_mut().find(|(k, _, _)| *k == key) {
            Some(e) => e.2 &= r.is_anonymous(),
            None => events.push((key, r, r.is_anonymous())),
        }
    }
    let now = now();
    let default_start = chrono::NaiveTime::from_hms_opt(19, 0, 0).expect("valid time");
    let default_end = chrono::NaiveTime::from_hms_opt(20, 30, 0).expect("valid time");
    macro_rules! body {
        ($tx:ident) => {{
            let mut event_ids: HashMap<String, EventId> = HashMap::new();
            for (key, r, anonymous) in &events {
                let day = japan_instant(r.date, chrono::NaiveTime::MIN);
                let on_platform: Option<(EventId,)> = sqlx::query_as(
                    // The same title on the same day is the same session, whatever kind the
                    // file says (a roster exported before it carried 種別 says none).
                    "SELECT id FROM event WHERE tenant_id = $1 AND import_key IS NULL AND title = $2 \
                     AND starts_at >= $3 AND starts_at < $4 AND status <> 'cancelled' LIMIT 1",
                )
                .bind(tenant)
                .bind(&r.title)
                .bind(day)
                .bind(day + chrono::TimeDelta::days(1))
                .fetch_optional(&mut *$tx)
                .await?;
                if on_platform.is_some() {
                    summary.events_on_platform += 1;
                    continue;
                }
                let inserted: Option<(EventId,)> = sqlx::query_as(
                    "INSERT INTO event (tenant_id, kind, title, description, starts_at, ends_at, anonymous, status, \
                     checkin_code, import_key, created_at, updated_at) \
                     VALUES ($1, $2, $3, '', $4, $5, $6, 'published', $7, $8, $9, $9) \
                     ON CONFLICT (tenant_id, import_key) DO NOTHING RETURNING id",
                )
                .bind(tenant)
                .bind(r.kind.code())
                .bind(&r.title)
                .bind(japan_instant(r.date, default_start))
                .bind(japan_instant(r.date, default_end))
                .bind(*anonymous)
                .bind(new_checkin_code())
                .bind(key)
                .bind(now)
                .fetch_optional(&mut *$tx)
                .await?;
                let id = match inserted {
                    Some((id,)) => {
                        summary.events_created += 1;
                        id
                    }
                    None => {
                        sqlx::query_as::<_, (EventId,)>("SELECT id FROM event WHERE tenant_id = $1 AND import_key = $2")
                            .bind(tenant)
                            .bind(key)
                            .fetch_one(&mut *$tx)
                            .await?
                            .0
                    }
                };
                event_ids.insert(key.clone(), id);
            }
            let mut people: HashMap<String, PersonId> = HashMap::new();
            let mut seen: HashMap<String, usize> = HashMap::new();
            for r in rows {
                if !event_ids.contains_key(&event_key(r)) {
                    summary.rows_on_platform += 1;
                    continue;
                }
                let key = event_key(r);
                let identity = format!(
                    "{key}|{}|{}|{}|{}",
                    r.email.as_deref().unwrap_or_default(),
                    r.name.as_deref().unwrap_or_default(),
                    r.sector.code(),
                    r.mode.code()
                );
                let occurrence = seen.entry(identity.clone()).or_default();
                *occurrence += 1;
                let import_key: String = Sha256::digest(format!("{identity}|{occurrence}").as_bytes())
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                let person = match &r.email {
                    Some(email) => match people.get(email) {
                        Some(id) => Some(*id),
                        None => {
                            let inserted: Option<(PersonId,)> = sqlx::query_as(
                                "INSERT INTO person (tenant_id, email, name, sector, affiliation, created_at) \
                                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, email) DO NOTHING RETURNING id",
                            )
                            .bind(tenant)
                            .bind(email)
                            .bind(r.name.as_deref().unwrap_or_default())
                            .bind(r.sector.code())
                            .bind(&r.affiliation)
                            .bind(now)
                            .fetch_optional(&mut *$tx)
                            .await?;
                            let id = match inserted {
                                Some((id,)) => {
                                    summary.people_created += 1;
                                    id
                                }
                                None => {
                                    sqlx::query_as::<_, (PersonId,)>(
                                        "SELECT id FROM person WHERE tenant_id = $1 AND email = $2",
                                    )
                                    .bind(tenant)
                                    .bind(email)
                                    .fetch_one(&mut *$tx)
                                    .await?
                                    .0
                                }
                            };
                            people.insert(email.clone(), id);
                            Some(id)
                        }
                    },
                    // A name without an address: kept for the roster, as a walk-in's is, but
                    // only with its row's first import (nobody can be found again by a name).
                    None => match &r.name {
                        Some(name) => {
                            let (done,): (i64,) = sqlx::query_as(
                                "SELECT COUNT(*) FROM attendance WHERE tenant_id = $1 AND import_key = $2",
                            )
                            .bind(tenant)
                            .bind(&import_key)
                            .fetch_one(&mut *$tx)
                            .await?;
                            if done > 0 {
                                None
                            } else {
                                let (id,): (PersonId,) = sqlx::query_as(
                                    "INSERT INTO person (tenant_id, email, name, sector, affiliation, created_at) \
                                     VALUES ($1, NULL, $2, $3, $4, $5) RETURNING id",
                                )
                                .bind(tenant)
                                .bind(name)
                                .bind(r.sector.code())
                                .bind(&r.affiliation)
                                .bind(now)
                                .fetch_one(&mut *$tx)
                                .await?;
                                summary.people_created += 1;
                                Some(id)
                            }
                        }
                        None => None,
                    },
                };
                let created = sqlx::query(
                    "INSERT INTO attendance (tenant_id, event_id, person_id, sector, mode, first_time, source, \
                     import_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'import', $7, $8) ON CONFLICT DO NOTHING",
                )
                .bind(tenant)
                .bind(event_ids[&key])
                .bind(person)
                .bind(r.sector.code())
                .bind(r.mode.code())
                .bind(r.first_time)
                .bind(&import_key)
                .bind(now)
                .execute(&mut *$tx)
                .await?
                .rows_affected();
                if created > 0 {
                    summary.attendances_created += 1;
                } else {
                    summary.attendances_unchanged += 1;
                }
            }
            $tx.commit().await?;
        }};
    }
    match db {
        Db::Sqlite(p, _) => {
            let _turn = db.write_turn().await;
            let mut tx = p.begin_with("BEGIN IMMEDIATE").await?;
            body!(tx)
        }
        Db::Postgres(p) => {
            let mut tx = p.begin().await?;
            body!(tx)
        }
    }
    Ok(summary)
}
