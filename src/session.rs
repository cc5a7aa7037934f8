//! Login sessions, kept in the database so that every `serve` instance on one database
//! sees the same sessions. This is the `tower-sessions` store over our own pool.

use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use crate::db::{Db, StoreError};
use crate::{with_db, with_tx};

/// The `tower-sessions` store backed by the `login_session` table.
#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        DbSessionStore { db }
    }

    /// Deletes expired sessions; returns how many.
    ///
    /// # Errors
    /// The database fails.
    pub async fn delete_expired(&self) -> Result<u64, StoreError> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        self.db
            .write(async |tx| {
                Ok(with_tx!(tx, |c| {
                    sqlx::query("DELETE FROM login_session WHERE expires_at < $1")
                        .bind(now)
                        .execute(&mut *c)
                        .await?
                        .rows_affected()
                }))
            })
            .await
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // Ids are 128 random bits; on the rare collision, draw again.
        loop {
            let data = serde_json::to_string(&record.data).map_err(backend)?;
            let (id, expires) = (record.id.to_string(), record.expiry_date.unix_timestamp());
            let inserted = self
                .db
                .write(async |tx| {
                    Ok::<_, StoreError>(with_tx!(tx, |c| {
                        sqlx::query(
                            "INSERT INTO login_session (id, data, expires_at) VALUES ($1, $2, $3) \
                             ON CONFLICT (id) DO NOTHING",
                        )
                        .bind(&id)
                        .bind(&data)
                        .bind(expires)
                        .execute(&mut *c)
                        .await?
                        .rows_affected()
                    }))
                })
                .await
                .map_err(backend)?;
            if inserted == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data).map_err(backend)?;
        let (id, expires) = (record.id.to_string(), record.expiry_date.unix_timestamp());
        self.db
            .write(async |tx| {
                Ok::<_, StoreError>(with_tx!(tx, |c| {
                    sqlx::query(
                        "INSERT INTO login_session (id, data, expires_at) VALUES ($1, $2, $3) \
                         ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
                    )
                    .bind(&id)
                    .bind(&data)
                    .bind(expires)
                    .execute(&mut *c)
                    .await?
                    .rows_affected()
                }))
            })
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let row: Option<(String, i64)> = with_db!(&self.db, |p| {
            sqlx::query_as("SELECT data, expires_at FROM login_session WHERE id = $1 AND expires_at > $2")
                .bind(id.to_string())
                .bind(now)
                .fetch_optional(p)
                .await
                .map_err(backend)?
        });
        let Some((data, expires_at)) = row else {
            return Ok(None);
        };
        Ok(Some(Record {
            id: *id,
            data: serde_json::from_str(&data).map_err(backend)?,
            expiry_date: time::OffsetDateTime::from_unix_timestamp(expires_at).map_err(backend)?,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let id = id.to_string();
        self.db
            .write(async |tx| {
                Ok::<_, StoreError>(with_tx!(tx, |c| {
                    sqlx::query("DELETE FROM login_session WHERE id = $1")
                        .bind(&id)
                        .execute(&mut *c)
                        .await?
                        .rows_affected()
                }))
            })
            .await
            .map_err(backend)?;
        Ok(())
    }
}
