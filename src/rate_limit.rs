//! Rate limits on login, sign-up, password reset and other public forms. Counters live in
//! the database (fixed windows), so several `serve` instances enforce one shared limit.

use crate::db::{Db, StoreResult};
use crate::with_db;

/// A limit: at most `max` attempts per `window_secs`.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub name: &'static str,
    pub max: i64,
    pub window_secs: i64,
}

pub const LOGIN: Limit = Limit { name: "login", max: 10, window_secs: 300 };
pub const SIGNUP: Limit = Limit { name: "signup", max: 10, window_secs: 3600 };
pub const PASSWORD_RESET: Limit = Limit { name: "reset", max: 10, window_secs: 3600 };
/// Registrations and other public forms, per client address.
pub const PUBLIC_FORM: Limit = Limit { name: "public", max: 60, window_secs: 3600 };

/// Counts one attempt by `who` (a client address, an e-mail…) and says whether it is
/// within the limit. The counter is one atomic upsert, so concurrent attempts on several
/// instances are all counted.
///
/// # Errors
/// The database fails.
pub async fn hit(db: &Db, limit: Limit, who: &str) -> StoreResult<bool> {
    let now = chrono::Utc::now().timestamp();
    let window = now - now.rem_euclid(limit.window_secs);
    let key = format!("{}:{who}", limit.name);
    let _turn = db.write_turn().await;
    let hits: i64 = with_db!(db, |p| {
        sqlx::query_as::<_, (i64,)>(
            "INSERT INTO rate_limit (key, window_start, hits) VALUES ($1, $2, 1) \
             ON CONFLICT (key) DO UPDATE SET \
               hits = CASE WHEN rate_limit.window_start = excluded.window_start THEN rate_limit.hits + 1 ELSE 1 END, \
               window_start = excluded.window_start \
             RETURNING hits",
        )
        .bind(&key)
        .bind(window)
        .fetch_one(p)
        .await?
        .0
    });
    Ok(hits <= limit.max)
}

/// Forgets counters from windows that have ended.
///
/// # Errors
/// The database fails.
pub async fn delete_expired(db: &Db) -> StoreResult<u64> {
    // The longest window is an hour; anything older is over.
    let cutoff = chrono::Utc::now().timestamp() - 2 * 3600;
    Ok(with_db!(db, |p| {
        sqlx::query("DELETE FROM rate_limit WHERE window_start < $1").bind(cutoff).execute(p).await?.rows_affected()
    }))
}
