//! All SQL about files: the only module that writes `file`. Every function takes the
//! tenant first.

use chrono::{DateTime, Utc};
use sha2::Digest;

use super::{Checked, FileId, Kind};
use crate::account::AccountId;
use crate::db::{Db, StoreResult, Tx, now};
use crate::tenant::TenantId;
use crate::{with_db, with_tx};

/// A file as served.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Stored {
    pub id: FileId,
    pub name: String,
    pub kind: Kind,
    pub bytes: Vec<u8>,
}

/// A file as listed.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Listed {
    pub id: FileId,
    pub name: String,
    pub kind: Kind,
    pub size: i64,
    pub created_at: DateTime<Utc>,
}

impl Listed {
    /// Where it is served.
    pub fn url(&self) -> String {
        format!("/files/{}/{}", self.id.0, self.name)
    }
}

/// Keeps a checked file, served to everyone at `/files/ID/NAME`; the same bytes kept
/// before in the tenant are not kept twice.
///
/// # Errors
/// The database fails.
pub async fn insert(tx: &mut Tx, tenant: TenantId, f: &Checked, by: Option<AccountId>) -> StoreResult<FileId> {
    insert_as(tx, tenant, f, by, true).await
}

/// Keeps a checked file that is not public: whoever holds it (a board post) serves it to
/// those who may read it. Each is kept on its own (never shared with another holder), so
/// that one holder letting it go never takes it from another.
///
/// # Errors
/// The database fails.
pub async fn insert_private(tx: &mut Tx, tenant: TenantId, f: &Checked, by: Option<AccountId>) -> StoreResult<FileId> {
    insert_as(tx, tenant, f, by, false).await
}

async fn insert_as(
    tx: &mut Tx,
    tenant: TenantId,
    f: &Checked,
    by: Option<AccountId>,
    public: bool,
) -> StoreResult<FileId> {
    let hash: String = sha2::Sha256::digest(&f.bytes).iter().map(|b| format!("{b:02x}")).collect();
    let existing: Option<FileId> = if !public {
        None
    } else {
        with_tx!(tx, |c| {
            sqlx::query_scalar("SELECT id FROM file WHERE tenant_id = $1 AND sha256 = $2 AND name = $3 AND public = $4")
                .bind(tenant)
                .bind(&hash)
                .bind(&f.name)
                .bind(public)
                .fetch_optional(&mut *c)
                .await?
        })
    };
    if let Some(id) = existing {
        return Ok(id);
    }
    Ok(with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO file (tenant_id, name, kind, bytes, size, sha256, created_by, created_at, public) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(tenant)
        .bind(&f.name)
        .bind(f.kind)
        .bind(&f.bytes)
        .bind(f.bytes.len() as i64)
        .bind(&hash)
        .bind(by)
        .bind(now())
        .bind(public)
        .fetch_one(&mut *c)
        .await?
    }))
}

/// The public file with this id in this tenant.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`], also for another tenant's id or a file that is
/// not public.
pub async fn get_public(db: &Db, tenant: TenantId, id: FileId) -> StoreResult<Stored> {
    Ok(with_db!(db, |p| {
        sqlx::query_as("SELECT id, name, kind, bytes FROM file WHERE tenant_id = $1 AND id = $2 AND public")
            .bind(tenant)
            .bind(id)
            .fetch_one(p)
            .await?
    }))
}

/// The file with this id in this tenant, public or not: for whoever holds it and has
/// decided the reader may have it.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`], also for another tenant's id.
pub async fn get(db: &Db, tenant: TenantId, id: FileId) -> StoreResult<Stored> {
    Ok(with_db!(db, |p| {
        sqlx::query_as("SELECT id, name, kind, bytes FROM file WHERE tenant_id = $1 AND id = $2")
            .bind(tenant)
            .bind(id)
            .fetch_one(p)
            .await?
    }))
}

/// The tenant's files, newest first.
///
/// # Errors
/// The database fails.
pub async fn list(db: &Db, tenant: TenantId, limit: i64) -> StoreResult<Vec<Listed>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
            "SELECT id, name, kind, size, created_at FROM file WHERE tenant_id = $1 AND public \
             ORDER BY created_at DESC, id DESC LIMIT $2",
        )
        .bind(tenant)
        .bind(limit)
        .fetch_all(p)
        .await?
    }))
}

/// Deletes a file that is not public (its holder let it go).
///
/// # Errors
/// The database fails.
pub async fn delete_private(tx: &mut Tx, tenant: TenantId, id: FileId) -> StoreResult<()> {
    with_tx!(tx, |c| {
        sqlx::query("DELETE FROM file WHERE tenant_id = $1 AND id = $2 AND NOT public")
            .bind(tenant)
            .bind(id)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    Ok(())
}
