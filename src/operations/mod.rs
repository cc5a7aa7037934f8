//! The state of the installation, for the secretariat's operations page: the version, the
//! database and its migrations, the mail waiting to go out, the roster imports running,
//! the last backup and the disk.
//! Gathered by reading only.

pub mod web;

use chrono::{DateTime, Utc};

use crate::db::{Db, StoreResult};

/// What the operations page shows.
#[derive(Debug)]
pub struct Status {
    pub version: &'static str,
    /// `sqlite` or `postgres`.
    pub backend: &'static str,
    /// The SQLite file and its size in bytes (with its write-ahead log).
    pub file: Option<(String, u64)>,
    /// Migrations this program knows, those the database has, and the last one's name.
    pub migrations_known: usize,
    pub migrations_applied: usize,
    pub last_migration: String,
    /// Mails waiting: ready to go, held or pausing after a failure, given up.
    pub mail_ready: i64,
    pub mail_held: i64,
    pub mail_given_up: i64,
    /// Roster import jobs running, and failed in the last seven days.
    pub jobs_running: i64,
    pub jobs_failed: i64,
    /// When `socialhub backup` last wrote a backup (SQLite; `pg_dump` is not seen).
    pub last_backup: Option<DateTime<Utc>>,
    /// Space left for the database (or the working directory) and the disk's size, bytes.
    pub disk: Option<(u64, u64)>,
}

impl Status {
    /// Whether every migration this program knows is applied.
    pub fn up_to_date(&self) -> bool {
        self.migrations_applied >= self.migrations_known
    }

    /// Whether less than a tenth of the disk is free.
    pub fn disk_low(&self) -> bool {
        self.disk.is_some_and(|(free, total)| free.saturating_mul(10) < total)
    }
}

/// A size in bytes for people: 1.2 GB, 340 MB.
pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 { format!("{bytes} B") } else { format!("{value:.1} {}", UNITS[unit]) }
}

/// Reads the state of the installation.
///
/// # Errors
/// The database fails.
pub async fn status(db: &Db) -> StoreResult<Status> {
    let (migrations_known, migrations_applied, last_migration) = db.migration_status().await?;
    let (mail_ready, mail_held, mail_given_up) = crate::mail::outbox::waiting(db, crate::db::now()).await?;
    let week_ago = crate::db::now() - chrono::TimeDelta::days(7);
    let (jobs_running, jobs_failed) = crate::roster::store::count(db, week_ago).await?;
    let last_backup = crate::db::setting::get(db, crate::db::setting::LAST_BACKUP)
        .await?
        .and_then(|v| DateTime::parse_from_rfc3339(&v).ok())
        .map(|t| t.with_timezone(&Utc));
    let sqlite = db.sqlite_file();
    let file = sqlite.as_ref().map(|path| {
        let bytes = [path.clone(), std::path::PathBuf::from(format!("{}-wal", path.display()))]
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum();
        (path.display().to_string(), bytes)
    });
    let where_ = sqlite.and_then(|p| p.parent().map(std::path::Path::to_path_buf)).unwrap_or_else(|| ".".into());
    let disk = fs4::statvfs(&where_).ok().map(|s| (s.available_space(), s.total_space()));
    Ok(Status {
        version: env!("CARGO_PKG_VERSION"),
        backend: db.backend(),
        file,
        migrations_known,
        migrations_applied,
        last_migration,
        mail_ready,
        mail_held,
        mail_given_up,
        jobs_running,
        jobs_failed,
        last_backup,
        disk,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(super::size(512), "512 B");
        assert_eq!(super::size(1_234_567), "1.2 MB");
        assert_eq!(super::size(25_000_000_000), "25.0 GB");
    }
}
