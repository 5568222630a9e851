//! Identity: users and roles, accounts' life by e-mail, refresh tokens, API clients and login
//! throttling.

mod accounts;
mod clients;
mod login;
mod throttle;
mod tokens;
mod users;

pub use accounts::*;
pub use clients::*;
pub use login::*;
pub use throttle::*;
pub use tokens::*;
pub use users::*;

use sha2::{Digest, Sha256};

/// SHA-256 of a high-entropy secret (refresh token, client secret), hex-encoded. A fast hash is
/// right for 256-bit random secrets: there is nothing to guess.
pub fn secret_hash(secret: &str) -> String {
    format!("{:x}", Sha256::digest(secret.as_bytes()))
}

/// A new random secret: 32 random bytes as hex, with a prefix saying what it is.
pub fn new_secret(prefix: &str) -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let encoded: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{prefix}{encoded}")
}
