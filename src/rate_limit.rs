//! Rate limits on login, sign-up, password reset, self check-in and other public forms.
//! Counters live in the database (fixed windows), so several `serve` instances enforce one
//! shared limit.

use crate::db::{Db, StoreResult};
use crate::{with_db, with_tx};

/// A limit: at most `max` attempts per `window_secs`.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub name: &'static str,
    pub max: i64,
    pub window_secs: i64,
}

/// Failed logins on one account from one address: a person who keeps mistyping (or one
/// guesser) is stopped there, while the others behind the same address (a venue's shared
/// Wi-Fi) log in as usual.
pub const LOGIN_FAILED_PAIR: Limit = Limit { name: "login_pair", max: 5, window_secs: 900 };
/// Failed logins on one account from any address: guessing one account from many
/// addresses is slowed to this.
pub const LOGIN_FAILED_ACCOUNT: Limit = Limit { name: "login_account", max: 20, window_secs: 3600 };
/// Failed logins from one address on any account: trying many accounts from one address.
/// Sized for a hall of people on one Wi-Fi, some of whom mistype.
pub const LOGIN_FAILED_ADDRESS: Limit = Limit { name: "login_address", max: 50, window_secs: 3600 };
pub const SIGNUP: Limit = Limit { name: "signup", max: 10, window_secs: 3600 };
pub const PASSWORD_RESET: Limit = Limit { name: "reset", max: 10, window_secs: 3600 };
/// Registrations and other public forms, per client address.
pub const PUBLIC_FORM: Limit = Limit { name: "public", max: 60, window_secs: 3600 };
/// Self check-in, per client address. A venue's crowd shares one Wi-Fi address, so this
/// is sized for a full hall checking in within the hour, not for one person.
pub const SELF_CHECKIN: Limit = Limit { name: "checkin", max: 600, window_secs: 3600 };
/// Check-in codes that match no session, per client address: what stops guessing the short
/// code (6 of 26 characters), while leaving room for a crowd's typing mistakes.
pub const CHECKIN_CODE_MISS: Limit = Limit { name: "checkin_miss", max: 100, window_secs: 3600 };
/// Self check-in e-mails that match no registration, per client address: what stops
/// learning who registered for a session by trying addresses (as many as the public forms
/// allowed before self check-in had its own limit).
pub const CHECKIN_EMAIL_MISS: Limit = Limit { name: "checkin_email_miss", max: 60, window_secs: 3600 };

/// The counter's key and the start of its current window.
fn slot(limit: Limit, who: &str) -> (String, i64) {
    let now = chrono::Utc::now().timestamp();
    (format!("{}:{who}", limit.name), now - now.rem_euclid(limit.window_secs))
}

/// Counts one attempt by `who` (a client address, an e-mail…) and says whether it is
/// within the limit. The counter is one atomic upsert, so concurrent attempts on several
/// instances are all counted.
///
/// # Errors
/// The database fails.
pub async fn hit(db: &Db, limit: Limit, who: &str) -> StoreResult<bool> {
    let (key, window) = slot(limit, who);
    let hits: i64 = db
        .write(async |tx| {
            Ok::<_, crate::db::StoreError>(with_tx!(tx, |c| {
                sqlx::query_as::<_, (i64,)>(
                    "INSERT INTO rate_limit (key, window_start, hits) VALUES ($1, $2, 1) \
             ON CONFLICT (key) DO UPDATE SET \
               hits = CASE WHEN rate_limit.window_start = excluded.window_start THEN rate_limit.hits + 1 ELSE 1 END, \
               window_start = excluded.window_start \
             RETURNING hits",
                )
                .bind(&key)
                .bind(window)
                .fetch_one(&mut *c)
                .await?
                .0
            }))
        })
        .await?;
    Ok(hits <= limit.max)
}

/// Whether `who` has used up `limit` in the current window, without counting an attempt:
/// for limits counted only on failures, checked before each try.
///
/// # Errors
/// The database fails.
pub async fn exhausted(db: &Db, limit: Limit, who: &str) -> StoreResult<bool> {
    let (key, window) = slot(limit, who);
    let hits: Option<(i64,)> = with_db!(db, |p| {
        sqlx::query_as("SELECT hits FROM rate_limit WHERE key = $1 AND window_start = $2")
            .bind(&key)
            .bind(window)
            .fetch_optional(p)
            .await?
    });
    Ok(hits.is_some_and(|(h,)| h >= limit.max))
}

/// Forgets counters from windows that have ended.
///
/// # Errors
/// The database fails.
pub async fn delete_expired(db: &Db) -> StoreResult<u64> {
    // The longest window is an hour; anything older is over.
    let cutoff = chrono::Utc::now().timestamp() - 2 * 3600;
    db.write(async |tx| {
        Ok(with_tx!(tx, |c| {
            sqlx::query("DELETE FROM rate_limit WHERE window_start < $1")
                .bind(cutoff)
                .execute(&mut *c)
                .await?
                .rows_affected()
        }))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_venue_crowd_fits_self_check_in_but_not_code_guessing() {
        // A hall of several hundred people behind one address checks in within the hour…
        const { assert!(SELF_CHECKIN.max >= 10 * PUBLIC_FORM.max) };
        assert_eq!(SELF_CHECKIN.window_secs, 3600);
        // …while wrong codes stay few: a year of misses covers a tiny share of the codes.
        let codes = 26_i64.pow(6);
        let misses_per_year = CHECKIN_CODE_MISS.max * (365 * 24 * 3600 / CHECKIN_CODE_MISS.window_secs);
        assert!(misses_per_year * 100 < codes);
        // Every limit has its own counter.
        let names = [
            LOGIN_FAILED_PAIR,
            LOGIN_FAILED_ACCOUNT,
            LOGIN_FAILED_ADDRESS,
            SIGNUP,
            PASSWORD_RESET,
            PUBLIC_FORM,
            SELF_CHECKIN,
            CHECKIN_CODE_MISS,
            CHECKIN_EMAIL_MISS,
        ]
        .map(|l| l.name);
        // However many addresses guess one account, it gets fewer than 200,000 guesses a
        // year (a common-password list runs to millions).
        let guesses_per_year = LOGIN_FAILED_ACCOUNT.max * (365 * 24 * 3600 / LOGIN_FAILED_ACCOUNT.window_secs);
        assert!(guesses_per_year < 200_000);
        let mut unique = names.to_vec();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
    }
}
