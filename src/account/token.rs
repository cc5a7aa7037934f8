//! One-time tokens sent by mail (e-mail verification, password reset): random, stored
//! only as a SHA-256 hash, single use, with an expiry.

use base64::Engine;
use sha2::{Digest, Sha256};

/// What a token lets its holder do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Verify,
    Reset,
}

crate::text_code!(Purpose { Verify = "verify", Reset = "reset" });

impl Purpose {
    /// How long a token stays valid.
    pub fn lifetime(self) -> chrono::TimeDelta {
        match self {
            Purpose::Verify => chrono::TimeDelta::hours(48),
            Purpose::Reset => chrono::TimeDelta::hours(1),
        }
    }
}

/// A fresh token (to send) and its hash (to store).
pub fn generate() -> (String, String) {
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
    let hash = hash(&token);
    (token, hash)
}

/// The stored form of a token.
pub fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}
