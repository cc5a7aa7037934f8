//! `socialhub restore FILE`: a SQLite backup (`socialhub backup`) put back in place of the
//! configured database, after checking what it holds: a SQLite file that passes SQLite's
//! integrity check, made by this version of socialhub or an earlier one (its migrations
//! are ours; a newer one's are refused), brought up to date, and counted. The database it
//! replaces is kept beside it, renamed, never deleted; a database still in use by `serve`
//! is not replaced. PostgreSQL is restored with `pg_restore` (docs/operations.md).

use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::Context;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

/// What a restore put in place.
#[derive(Debug)]
pub struct Restored {
    /// The database file now in use.
    pub database: PathBuf,
    /// The database it replaced, kept under another name (none if there was none).
    pub kept: Option<PathBuf>,
    /// The backup's migrations and the ones applied to bring it up to date.
    pub migrations: usize,
    pub applied: usize,
    /// Rows of the records people care about, by table.
    pub rows: Vec<(&'static str, i64)>,
}

/// The tables counted for the person restoring (what they can compare with what they
/// expect): centers, accounts, people, sessions, attendances, labs, issues, articles.
const COUNTED: [&str; 8] = ["tenant", "account", "person", "event", "attendance", "lab", "social_issue", "article"];

async fn open(path: &Path) -> anyhow::Result<sqlx::SqlitePool> {
    let options = SqliteConnectOptions::new().filename(path).create_if_missing(false).foreign_keys(true);
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .with_context(|| format!("cannot open {}", path.display()))
}

/// Checks `backup` and puts it in place of the SQLite database at `url`.
///
/// # Errors
/// A backup that is not a sound SQLite database of socialhub (each reason named), a
/// database in use, or a file that cannot be read or written.
pub async fn restore_sqlite(backup: &Path, url: &str) -> anyhow::Result<Restored> {
    let target = SqliteConnectOptions::from_str(url)
        .with_context(|| format!("invalid SQLite URL {url}"))?
        .get_filename()
        .to_owned();
    let mut header = [0u8; 16];
    {
        use std::io::Read;
        let mut file = std::fs::File::open(backup).with_context(|| format!("cannot read {}", backup.display()))?;
        file.read_exact(&mut header).map_err(|_| anyhow::anyhow!("{} is not a SQLite database", backup.display()))?;
    }
    anyhow::ensure!(&header == b"SQLite format 3\0", "{} is not a SQLite database", backup.display());

    // Checked and brought up to date as a copy beside the target, so the move into place
    // is one rename on one file system.
    let staged = with_suffix(&target, ".restoring");
    std::fs::copy(backup, &staged).with_context(|| format!("cannot write {}", staged.display()))?;
    let checked = check_and_migrate(&staged).await;
    let (migrations, applied, rows) = match checked {
        Ok(found) => found,
        Err(e) => {
            let _ = std::fs::remove_file(&staged);
            return Err(e.context(format!("{} was not restored", backup.display())));
        }
    };

    let kept = if target.exists() {
        if let Err(e) = ensure_unused(&target).await {
            let _ = std::fs::remove_file(&staged);
            return Err(e);
        }
        let stamp = chrono::Utc::now().format("%Y%m%d%H%M%S");
        let kept = with_suffix(&target, &format!(".before-restore-{stamp}"));
        std::fs::rename(&target, &kept).with_context(|| format!("cannot rename {}", target.display()))?;
        Some(kept)
    } else {
        None
    };
    std::fs::rename(&staged, &target).with_context(|| format!("cannot move the backup to {}", target.display()))?;
    Ok(Restored { database: target, kept, migrations, applied, rows })
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// SQLite's integrity check, the backup's migrations against ours, ours applied, and the
/// rows counted: (migrations in the backup, migrations applied now, rows by table).
async fn check_and_migrate(path: &Path) -> anyhow::Result<(usize, usize, Vec<(&'static str, i64)>)> {
    let pool = open(path).await?;
    let result = async {
        let problems: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&pool).await?;
        anyhow::ensure!(problems == ["ok"], "SQLite's integrity check failed: {}", problems.join("; "));
        let has_migrations: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations')",
        )
        .fetch_one(&pool)
        .await?;
        anyhow::ensure!(has_migrations, "it is not a socialhub database (it has no migrations)");
        let done: Vec<(i64, Vec<u8>)> =
            sqlx::query_as("SELECT version, checksum FROM _sqlx_migrations WHERE success ORDER BY version")
                .fetch_all(&pool)
                .await?;
        let ours = sqlx::migrate!("migrations/sqlite");
        for (version, checksum) in &done {
            match ours.iter().find(|m| m.version == *version) {
                None => anyhow::bail!("it was made by a newer socialhub (migration {version} is unknown to this one)"),
                Some(m) if m.checksum.as_ref() != checksum.as_slice() => {
                    anyhow::bail!("its migration {version} differs from this socialhub's")
                }
                Some(_) => {}
            }
        }
        ours.run(&pool).await.context("cannot bring it up to date")?;
        let mut rows = Vec::new();
        for table in COUNTED {
            // `table` is one of our constant names, never input.
            let sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}"));
            let n: i64 = sqlx::query_scalar(sql).fetch_one(&pool).await?;
            rows.push((table, n));
        }
        let applied = ours.iter().filter(|m| !done.iter().any(|(v, _)| *v == m.version)).count();
        Ok((done.len(), applied, rows))
    }
    .await;
    pool.close().await;
    result
}

/// Fails when another process has the database open: opened and closed, SQLite folds the
/// write-ahead log back and removes it unless someone else still has the file open (a
/// `serve` that was killed leaves one behind, which this recovers).
async fn ensure_unused(target: &Path) -> anyhow::Result<()> {
    let wal = with_suffix(target, "-wal");
    if wal.exists() {
        let pool = open(target).await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&pool).await?;
        pool.close().await;
    }
    anyhow::ensure!(!wal.exists(), "{} is in use (stop socialhub serve first): nothing was changed", target.display());
    Ok(())
}
