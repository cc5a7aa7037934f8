//! Routes each request to its tenant by host name. Look-ups are cached briefly: tenants
//! change rarely, and a new host name is picked up by every instance within `TTL`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
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
use crate::tenant::{Tenant, normalize_host, store};
use rustc_hash::FxHashMap;

const TTL: Duration = Duration::from_secs(30);

/// A short-lived cache of host name → tenant.
#[derive(Clone, Debug)]
pub struct TenantResolver {
    cache: Arc<RwLock<HashMap<String, (Instant, ResolvedTenant)>>>,
    /// Tells this resolver's entries in the threads' copies from another's: unique for the
    /// life of the process (an address could be reused by a later resolver, with another
    /// database behind it).
    id: u64,
}

impl Default for TenantResolver {
    fn default() -> TenantResolver {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        TenantResolver { cache: Arc::default(), id: NEXT.fetch_add(1, Ordering::Relaxed) }
    }
}

/// Per resolver, the raw `Host` header → (when the shared cache read it, the tenant).
type Near = FxHashMap<u64, FxHashMap<Box<str>, (Instant, ResolvedTenant)>>;

thread_local! {
    /// Each thread's own copy of the answers it has given, by the raw `Host` header, with
    /// tenants copied for the thread: the shared cache is behind a lock, whose every read
    /// writes memory the other cores then fetch back, and its entries' reference counts
    /// would be shared too. An entry expires when the shared one it copies does.
    static NEAR: RefCell<Near> = RefCell::default();
}

/// How many host names a thread keeps per resolver (a guard against made-up names).
const NEAR_MAX: usize = 256;

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

    /// This thread's answer for the raw `Host` header, if it has a fresh one.
    fn near(&self, raw_host: &str) -> Option<ResolvedTenant> {
        NEAR.with_borrow(|near| {
            let (at, resolved) = near.get(&self.id)?.get(raw_host)?;
            (at.elapsed() < TTL).then(|| resolved.clone())
        })
    }

    /// Keeps `resolved` as this thread's answer for the raw `Host` header.
    fn keep_near(&self, raw_host: &str, at: Instant, resolved: &ResolvedTenant) {
        let own = ResolvedTenant {
            tenant: Arc::new(Tenant::clone(&resolved.tenant)),
            registered_host: resolved.registered_host.clone(),
        };
        NEAR.with_borrow_mut(|near| {
            // Resolvers of apps that are gone (tests start many) are dropped with the rest.
            if near.len() > 16 {
                near.clear();
            }
            let mine = near.entry(self.id).or_default();
            if mine.len() >= NEAR_MAX {
                mine.clear();
            }
            mine.insert(raw_host.into(), (at, own));
        });
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
    if let Some(resolved) = state.tenants.near(raw_host) {
        req.extensions_mut().insert(resolved);
        return next.run(req).await;
    }
    let raw_host = raw_host.to_owned();
    let host = normalize_host(&raw_host).unwrap_or_default();
    match state.tenants.resolve(&state.db, &host).await {
        Ok((at, mut resolved)) => {
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
            state.tenants.keep_near(&raw_host, at, &resolved);
            req.extensions_mut().insert(resolved);
            next.run(req).await
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot resolve tenant");
            AppError::Unavailable.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenant::TenantId;

    fn resolved(id: i64, name: &str) -> ResolvedTenant {
        ResolvedTenant {
            tenant: Arc::new(Tenant { id: TenantId(id), slug: format!("t{id}"), name: name.into() }),
            registered_host: Some("tagajo.test:8080".into()),
        }
    }

    #[test]
    fn each_thread_keeps_its_own_answers_per_resolver_until_they_expire() {
        let (a, b) = (TenantResolver::default(), TenantResolver::default());
        let answer = resolved(2, "多賀城");
        a.keep_near("tagajo.test:8080", Instant::now(), &answer);

        let kept = a.near("tagajo.test:8080").expect("kept");
        assert_eq!(*kept.tenant, *answer.tenant);
        assert_eq!(kept.registered_host.as_deref(), Some("tagajo.test:8080"));
        // The thread's own copy of the tenant, not a share of the shared one.
        assert!(!Arc::ptr_eq(&kept.tenant, &answer.tenant));
        // A clone of the resolver (the same app) sees it; another resolver does not, and
        // neither does another thread, nor another host header.
        assert!(a.clone().near("tagajo.test:8080").is_some());
        assert!(b.near("tagajo.test:8080").is_none());
        assert!(a.near("tagajo.test").is_none());
        let a2 = a.clone();
        assert!(std::thread::spawn(move || a2.near("tagajo.test:8080").is_none()).join().unwrap());

        // An answer the shared cache read longer than TTL ago has expired.
        let old = Instant::now().checked_sub(TTL + Duration::from_secs(1)).expect("the clock is past TTL");
        b.keep_near("old.test", old, &resolved(3, "古い"));
        assert!(b.near("old.test").is_none());
    }
}
