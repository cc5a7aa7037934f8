//! Tenants: the centers one deployment hosts (e.g. Sendai and Tagajo), each chosen by the
//! host name a request arrives on. Every record belongs to a tenant; every store function
//! takes the tenant first.

pub mod store;

/// A tenant's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize, serde::Deserialize)]
#[sqlx(transparent)]
pub struct TenantId(pub i64);

/// A center hosted by this deployment.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Tenant {
    pub id: TenantId,
    /// Short stable name used on the command line (`sendai`).
    pub slug: String,
    /// The center's name as shown on its pages.
    pub name: String,
}

/// Why a new tenant was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TenantError {
    #[error("a slug is 1-40 characters of a-z, 0-9 and '-'")]
    InvalidSlug,
    #[error("the name must not be empty")]
    EmptyName,
    #[error("invalid host name {0}")]
    InvalidHost(String),
}

/// Checks a slug: lower-case ASCII letters, digits and hyphens, 1-40 characters.
///
/// # Errors
/// [`TenantError::InvalidSlug`].
pub fn validate_slug(slug: &str) -> Result<(), TenantError> {
    let ok = !slug.is_empty()
        && slug.len() <= 40
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok { Ok(()) } else { Err(TenantError::InvalidSlug) }
}

/// Normalises a `Host` header or a configured host name: lower case, without port.
/// Returns `None` for something that is not a host name.
pub fn normalize_host(host: &str) -> Option<String> {
    let host = host.trim().to_ascii_lowercase();
    // Strip the port, but keep bracketed IPv6 literals whole.
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let (inner, after) = rest.split_once(']')?;
        (format!("[{inner}]"), after.strip_prefix(':'))
    } else {
        match host.rsplit_once(':') {
            Some((h, p)) => (h.to_owned(), Some(p)),
            None => (host.clone(), None),
        }
    };
    // A port, if any, is digits only: `host:80@evil.example` is no host name.
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let valid = !name.is_empty()
        && name.len() <= 253
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'[' | b']' | b':'));
    valid.then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_lose_their_port_and_case() {
        assert_eq!(normalize_host("Tagajo.Example.JP:8080").as_deref(), Some("tagajo.example.jp"));
        assert_eq!(normalize_host("127.0.0.1").as_deref(), Some("127.0.0.1"));
        assert_eq!(normalize_host("[::1]:80").as_deref(), Some("[::1]"));
        assert_eq!(normalize_host("bad host/"), None);
        assert_eq!(normalize_host("sendai.example.jp:80@evil.example"), None);
        assert_eq!(normalize_host("sendai.example.jp:x"), None);
    }

    #[test]
    fn slugs() {
        assert!(validate_slug("tagajo-2").is_ok());
        assert_eq!(validate_slug("Tagajo"), Err(TenantError::InvalidSlug));
        assert_eq!(validate_slug(""), Err(TenantError::InvalidSlug));
    }
}
