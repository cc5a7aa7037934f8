//! Routes each request to its tenant by host name. Look-ups are cached briefly: tenants
//! change rarely, and a new host name is picked up by every instance within `TTL`.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::ctx::ResolvedTenant;
use super::error::AppError;
use crate::db::{Db, StoreResult};
use crate::tenant::{normalize_host, store};

const TTL: Duration = Duration::from_secs(30);

/// A short-lived cache of host name → tenant.
#[derive(Clone, Debug, Default)]
pub struct TenantResolver {
    cache: Arc<RwLock<HashMap<String, (Instant, ResolvedTenant)>>>,
}

impl TenantResolver {
    /// The tenant for `host` (normalised): the one it is registered to, else the default,
    /// and when it was read from the database.
    ///
    /// # Errors
    /// The database fails.
    pub async fn resolve(&self, db: &Db, host: &str) -> StoreResult<(Instant, ResolvedTenant)> {
        if let Ok(cache) = self.cache.read()
            && let Some((at, t)) = cache.get(host)
            && at.elapsed() < TTL
        {
            return Ok((*at, t.clone()));
        }
        let resolved = match store::find_by_host(db, host).await? {
            Some(tenant) => ResolvedTenant { tenant: tenant.into(), registered_host: Some(host.to_owned()) },
            None => ResolvedTenant { tenant: store::get_default(db).await?.into(), registered_host: None },
        };
        let now = Instant::now();
        if let Ok(mut cache) = self.cache.write() {
            if cache.len() > 10_000 {
                cache.clear();
            }
            cache.insert(host.to_owned(), (now, resolved.clone()));
        }
        Ok((now, resolved))
    }
}

/// Middleware: puts the request's [`ResolvedTenant`] into its extensions.
pub async fn resolve_tenant(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let raw_host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| req.uri().authority().map(|a| a.as_str()))
        .unwrap_or_default();
    let raw_host = raw_host.to_owned();
    let host = normalize_host(&raw_host).unwrap_or_default();
    match state.tenants.resolve(&state.db, &host).await {
        Ok((_, mut resolved)) => {
            // Links in mails use the registered host name, with the port the browser used
            // when it is a plain number (anything else in the header is ignored).
            if resolved.registered_host.is_some() {
                let port = raw_host
                    .rsplit_once(':')
                    .map(|(_, p)| p)
                    .filter(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
                resolved.registered_host = Some(match port {
                    Some(p) if !host.starts_with('[') || raw_host.contains("]:") => format!("{host}:{p}"),
                    _ => host.clone(),
                });
            }
            req.extensions_mut().insert(resolved);
            next.run(req).await
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot resolve tenant");
            AppError::Unavailable.into_response()
        }
    }
}
