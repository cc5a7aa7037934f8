//! Importing a roster: its sessions, people and attendances written in one transaction
//! through the stores of those concepts, so that a file is imported whole or not at all
//! and its attendances follow the same rules as check-in (anonymity, first time).
//!
//! Importing the same file again changes nothing: sessions are found by date, kind and
//! title, people by e-mail, and each attendance by a key made of its session, its person
//! and its place among identical rows. Someone known only by a name becomes a person with
//! that row's first import (a name cannot be found again, so it is never matched). A
//! session created on the platform (not by an import) is the platform's record: a roster
//! row for it (an exported roster imported back, say) changes nothing.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use super::RosterRow;
use crate::attendance::{FirstTime, NewAttendance, Source, store as attendance_store};
use crate::db::{Db, StoreResult};
use crate::event::store::{ImportedEvent, find_on_platform, find_or_insert_imported};
use crate::event::{Event, Mode, japan_instant, store as event_store};
use crate::person::{GuestDetails, PersonId, store as person_store};
use crate::tenant::TenantId;

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

/// A session of the file: its first row, and what all of its rows say.
struct FileEvent<'a> {
    key: String,
    first: &'a RosterRow,
    /// Whether every row is anonymous (then the session is).
    anonymous: bool,
    modes: Vec<Mode>,
}

/// The sessions of the file, in file order.
fn file_events(rows: &[RosterRow]) -> Vec<FileEvent<'_>> {
    let mut events: Vec<FileEvent<'_>> = Vec::new();
    for r in rows {
        let key = event_key(r);
        match events.iter_mut().find(|e| e.key == key) {
            Some(e) => {
                e.anonymous &= r.is_anonymous();
                if !e.modes.contains(&r.mode) {
                    e.modes.push(r.mode);
                }
            }
            None => events.push(FileEvent { key, first: r, anonymous: r.is_anonymous(), modes: vec![r.mode] }),
        }
    }
    events
}

/// Who took part in a row's session and how (its session, e-mail, name, sector, mode).
fn identity(r: &RosterRow) -> String {
    format!(
        "{}|{}|{}|{}|{}",
        event_key(r),
        r.email.as_deref().unwrap_or_default(),
        r.name.as_deref().unwrap_or_default(),
        r.sector.code(),
        r.mode.code()
    )
}

/// What identifies a row across imports: its [`identity`] and its place among identical
/// rows (the `occurrence`-th, from 1).
fn row_key(identity: &str, occurrence: usize) -> String {
    Sha256::digest(format!("{identity}|{occurrence}").as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Imports valid rows in one transaction.
///
/// # Errors
/// The database fails; then nothing is imported.
pub async fn import(db: &Db, tenant: TenantId, rows: &[RosterRow]) -> StoreResult<ImportSummary> {
    import_with_progress(db, tenant, rows, &|_| {}).await
}

/// [`import`], telling `progress` how many rows it has gone through, every
/// [`PROGRESS_EVERY`] rows and at the end.
///
/// # Errors
/// The database fails; then nothing is imported.
pub async fn import_with_progress(
    db: &Db,
    tenant: TenantId,
    rows: &[RosterRow],
    progress: &(dyn Fn(usize) + Sync),
) -> StoreResult<ImportSummary> {
    let default_start = chrono::NaiveTime::from_hms_opt(19, 0, 0).expect("valid time");
    let default_end = chrono::NaiveTime::from_hms_opt(20, 30, 0).expect("valid time");
    db.write(async |tx| {
        let mut summary = ImportSummary { rows: rows.len(), ..ImportSummary::default() };
        let mut events: HashMap<String, Event> = HashMap::new();
        for e in file_events(rows) {
            let r = e.first;
            if find_on_platform(tx, tenant, &r.title, r.date).await?.is_some() {
                summary.events_on_platform += 1;
                continue;
            }
            let imported = ImportedEvent {
                key: &e.key,
                kind: r.kind,
                title: &r.title,
                starts_at: japan_instant(r.date, default_start),
                ends_at: japan_instant(r.date, default_end),
                anonymous: e.anonymous,
                modes: &e.modes,
            };
            let (id, created) = find_or_insert_imported(tx, tenant, &imported).await?;
            summary.events_created += usize::from(created);
            events.insert(e.key, event_store::get_in(tx, tenant, id).await?);
        }
        let mut people: HashMap<&str, PersonId> = HashMap::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (n, r) in rows.iter().enumerate() {
            if n % PROGRESS_EVERY == 0 {
                progress(n);
            }
            let Some(event) = events.get(&event_key(r)) else {
                summary.rows_on_platform += 1;
                continue;
            };
            let identity = identity(r);
            let occurrence = seen.entry(identity.clone()).or_default();
            *occurrence += 1;
            let import_key = row_key(&identity, *occurrence);
            let person = match (&r.email, &r.name) {
                (Some(email), _) => match people.get(email.as_str()) {
                    Some(id) => Some(*id),
                    None => {
                        let guest = GuestDetails {
                            name: r.name.clone().unwrap_or_default(),
                            furigana: String::new(),
                            email: email.clone(),
                            sector: r.sector,
                            affiliation: r.affiliation.clone(),
                        };
                        let (id, created) = person_store::upsert_guest(tx, tenant, &guest).await?;
                        summary.people_created += usize::from(created);
                        people.insert(email, id);
                        Some(id)
                    }
                },
                // A name without an address: kept for the roster, as a walk-in's is, but
                // only with its row's first import (nobody can be found again by a name).
                (None, Some(name)) if !attendance_store::is_imported(tx, tenant, &import_key).await? => {
                    summary.people_created += 1;
                    Some(person_store::insert_named(tx, tenant, name, "", r.sector, &r.affiliation).await?)
                }
                (None, _) => None,
            };
            let new = NewAttendance {
                person,
                registration: None,
                sector: r.sector,
                mode: r.mode,
                first_time: FirstTime::Given(r.first_time),
                source: Source::Import,
                import_key: Some(import_key),
            };
            if attendance_store::record(tx, tenant, event, new).await? {
                summary.attendances_created += 1;
            } else {
                summary.attendances_unchanged += 1;
            }
        }
        progress(rows.len());
        Ok(summary)
    })
    .await
}

/// How often [`import_with_progress`] says how far it is, in rows.
pub const PROGRESS_EVERY: usize = 500;
