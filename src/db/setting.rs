//! Deployment-wide settings kept in the database, such as the secret that signs CSRF
//! tokens: every `serve` instance on one database shares them.

use super::{Db, StoreResult};
use crate::with_tx;

/// Returns the setting `key`, creating it with `init()` if it does not exist yet.
/// Concurrent callers on several instances all get the value that was stored first.
///
/// # Errors
/// The database fails.
pub async fn get_or_init(db: &Db, key: &str, init: impl FnOnce() -> String) -> StoreResult<String> {
    let value = init();
    db.write(async |tx| {
        with_tx!(tx, |c| {
            sqlx::query("INSERT INTO setting (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
                .bind(key)
                .bind(&value)
                .execute(&mut *c)
                .await?;
            let v: (String,) =
                sqlx::query_as("SELECT value FROM setting WHERE key = $1").bind(key).fetch_one(&mut *c).await?;
            Ok(v.0)
        })
    })
    .await
}

/// A random 32-byte secret, hex encoded.
pub fn random_secret() -> String {
    rand::random::<[u8; 32]>().iter().map(|b| format!("{b:02x}")).collect()
}

/// Sets the setting `key` to `value`, whatever it was.
///
/// # Errors
/// The database fails.
pub async fn set(db: &Db, key: &str, value: &str) -> StoreResult<()> {
    db.write(async |tx| {
        with_tx!(tx, |c| {
            sqlx::query(
                "INSERT INTO setting (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(key)
            .bind(value)
            .execute(&mut *c)
            .await?;
            Ok(())
        })
    })
    .await
}

/// The setting `key`, if it was ever set.
///
/// # Errors
/// The database fails.
pub async fn get(db: &Db, key: &str) -> StoreResult<Option<String>> {
    Ok(crate::with_db!(db, |p| {
        sqlx::query_scalar("SELECT value FROM setting WHERE key = $1").bind(key).fetch_optional(p).await?
    }))
}

/// The key under which `socialhub backup` notes when it last wrote a backup (RFC 3339).
pub const LAST_BACKUP: &str = "last_backup_at";
