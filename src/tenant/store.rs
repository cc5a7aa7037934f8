//! All SQL about tenants and their host names.

use super::{Locality, Tenant, TenantError, TenantId, normalize_host, validate_slug};
use crate::db::{Db, StoreError, StoreResult, now};
use crate::{with_db, with_tx};

/// The tenant a host name is registered to, if any.
///
/// # Errors
/// The database fails.
pub async fn find_by_host(db: &Db, host: &str) -> StoreResult<Option<Tenant>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as::<_, Tenant>(
            "SELECT t.id, t.slug, t.name FROM tenant_host h JOIN tenant t ON t.id = h.tenant_id WHERE h.host = $1",
        )
        .bind(host)
        .fetch_optional(p)
        .await?
    }))
}

/// The default tenant: the first one created. Requests on host names that no tenant
/// registered go there, so a single-center deployment needs no configuration.
///
/// # Errors
/// [`StoreError::NotFound`] before [`ensure_default`] ran.
pub async fn get_default(db: &Db) -> StoreResult<Tenant> {
    Ok(with_db!(db, |p| {
        sqlx::query_as::<_, Tenant>("SELECT id, slug, name FROM tenant ORDER BY id LIMIT 1").fetch_one(p).await?
    }))
}

/// Creates the default tenant named `name` if the database has no tenant yet.
///
/// # Errors
/// The database fails.
pub async fn ensure_default(db: &Db, name: &str) -> StoreResult<Tenant> {
    let inserted = db
        .write(async |tx| {
            Ok::<_, StoreError>(with_tx!(tx, |c| {
                sqlx::query(
                    "INSERT INTO tenant (slug, name, created_at) SELECT 'default', $1, $2 \
                     WHERE NOT EXISTS (SELECT 1 FROM tenant) ON CONFLICT (slug) DO NOTHING",
                )
                .bind(name)
                .bind(now())
                .execute(&mut *c)
                .await?
                .rows_affected()
            }))
        })
        .await?;
    if inserted > 0 {
        tracing::info!(name, "created the default center");
    }
    get_default(db).await
}

/// The tenant with this slug.
///
/// # Errors
/// [`StoreError::NotFound`] if there is none.
pub async fn get_by_slug(db: &Db, slug: &str) -> StoreResult<Tenant> {
    Ok(with_db!(db, |p| {
        sqlx::query_as::<_, Tenant>("SELECT id, slug, name FROM tenant WHERE slug = $1").bind(slug).fetch_one(p).await?
    }))
}

/// Every tenant with its host names, oldest first.
///
/// # Errors
/// The database fails.
pub async fn list(db: &Db) -> StoreResult<Vec<(Tenant, Vec<String>)>> {
    let tenants = with_db!(db, |p| {
        sqlx::query_as::<_, Tenant>("SELECT id, slug, name FROM tenant ORDER BY id").fetch_all(p).await?
    });
    let hosts: Vec<(TenantId, String)> = with_db!(db, |p| {
        sqlx::query_as("SELECT tenant_id, host FROM tenant_host ORDER BY host").fetch_all(p).await?
    });
    Ok(tenants
        .into_iter()
        .map(|t| {
            let h = hosts.iter().filter(|(id, _)| *id == t.id).map(|(_, h)| h.clone()).collect();
            (t, h)
        })
        .collect())
}

/// Adds a tenant served on `hosts`.
///
/// # Errors
/// [`StoreError::Conflict`] if the slug or a host is taken; invalid input is reported as
/// [`TenantError`] inside `Ok(Err(_))`.
pub async fn insert(db: &Db, slug: &str, name: &str, hosts: &[String]) -> StoreResult<Result<TenantId, TenantError>> {
    if let Err(e) = validate_slug(slug) {
        return Ok(Err(e));
    }
    if name.trim().is_empty() {
        return Ok(Err(TenantError::EmptyName));
    }
    let mut normalized = Vec::new();
    for h in hosts {
        match normalize_host(h) {
            Some(n) => normalized.push(n),
            None => return Ok(Err(TenantError::InvalidHost(h.clone()))),
        }
    }
    let id = db
        .write(async |tx| {
            with_tx!(tx, |c| {
                let (id,): (TenantId,) =
                    sqlx::query_as("INSERT INTO tenant (slug, name, created_at) VALUES ($1, $2, $3) RETURNING id")
                        .bind(slug)
                        .bind(name.trim())
                        .bind(now())
                        .fetch_one(&mut *c)
                        .await?;
                for h in &normalized {
                    sqlx::query("INSERT INTO tenant_host (host, tenant_id) VALUES ($1, $2)")
                        .bind(h)
                        .bind(id)
                        .execute(&mut *c)
                        .await?;
                }
                Ok::<_, StoreError>(id)
            })
        })
        .await?;
    Ok(Ok(id))
}

/// Where the center is, for open data (read fresh: the tenant cache does not hold it).
///
/// # Errors
/// [`StoreError::NotFound`] if there is no such tenant.
pub async fn locality(db: &Db, tenant: TenantId) -> StoreResult<Locality> {
    Ok(with_db!(db, |p| {
        sqlx::query_as::<_, Locality>("SELECT municipality_code, municipality, phone FROM tenant WHERE id = $1")
            .bind(tenant)
            .fetch_one(p)
            .await?
    }))
}

/// Sets where the center is (validated by [`super::LocalityForm::validate`]).
///
/// # Errors
/// The database fails.
pub async fn set_locality(db: &Db, tenant: TenantId, l: &Locality) -> StoreResult<()> {
    db.write(async |tx| {
        with_tx!(tx, |c| {
            sqlx::query("UPDATE tenant SET municipality_code = $1, municipality = $2, phone = $3 WHERE id = $4")
                .bind(&l.municipality_code)
                .bind(&l.municipality)
                .bind(&l.phone)
                .bind(tenant)
                .execute(&mut *c)
                .await?;
        });
        Ok(())
    })
    .await
}
