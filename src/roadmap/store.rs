//! All SQL about roadmap versions.

use chrono::{DateTime, Utc};

use super::Version;
use crate::account::AccountId;
use crate::db::{Db, StoreResult, now};
use crate::lab::LabId;
use crate::with_db;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    lab_id: LabId,
    version: i64,
    body: String,
    note: String,
    author: Option<String>,
    created_at: DateTime<Utc>,
}

impl From<Row> for Version {
    fn from(r: Row) -> Version {
        Version {
            id: r.id,
            lab_id: r.lab_id,
            number: r.version,
            body: r.body,
            note: r.note,
            author: r.author,
            created_at: r.created_at,
        }
    }
}

macro_rules! select {
    ($where:expr) => {
        concat!(
            "SELECT v.id, v.lab_id, v.version, v.body, v.note, a.display_name AS author, v.created_at \
             FROM roadmap_version v LEFT JOIN account a ON a.id = v.created_by WHERE ",
            $where
        )
    };
}

/// Saves a new version of the lab's roadmap; returns its number.
///
/// # Errors
/// The database fails.
pub async fn insert(db: &Db, lab: LabId, body: &str, note: &str, by: AccountId) -> StoreResult<i64> {
    let _turn = db.write_turn().await;
    Ok(with_db!(db, |p| {
        let mut tx = p.begin().await?;
        let (number,): (i64,) =
            sqlx::query_as("SELECT COALESCE(MAX(version), 0) + 1 FROM roadmap_version WHERE lab_id = $1")
                .bind(lab)
                .fetch_one(&mut *tx)
                .await?;
        sqlx::query(
            "INSERT INTO roadmap_version (lab_id, version, body, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(lab)
        .bind(number)
        .bind(body)
        .bind(note)
        .bind(by)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        number
    }))
}

/// Version `number` of the lab's roadmap.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] when there is no such version.
pub async fn get(db: &Db, lab: LabId, number: i64) -> StoreResult<Version> {
    const SQL: &str = select!("v.lab_id = $1 AND v.version = $2");
    Ok(with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(lab).bind(number).fetch_one(p).await?).into())
}

/// The version with this row id.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] when there is no such version.
pub async fn get_by_id(db: &Db, id: i64) -> StoreResult<Version> {
    const SQL: &str = select!("v.id = $1");
    Ok(with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(id).fetch_one(p).await?).into())
}

/// Every version of the lab's roadmap, newest first.
///
/// # Errors
/// The database fails.
pub async fn list(db: &Db, lab: LabId) -> StoreResult<Vec<Version>> {
    const SQL: &str = select!("v.lab_id = $1 ORDER BY v.version DESC");
    let rows = with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(lab).fetch_all(p).await?);
    Ok(rows.into_iter().map(Into::into).collect())
}
