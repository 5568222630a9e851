//! Password hashing with argon2id (the crate's defaults: 19 MiB, t=2, p=1, the OWASP minimum),
//! on the blocking pool, with a bound on how many run at once so a login flood cannot exhaust
//! memory or starve other requests.

use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Argon2, Params};
use tokio::sync::Semaphore;

use crate::problem::ApiError;

/// How long a login waits for a hashing slot before answering 503.
const QUEUE_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    /// Verified against when the account does not exist, so an unknown e-mail takes as long as
    /// a wrong password.
    dummy_hash: Arc<String>,
}

/// The outcome of a verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Verified {
    pub ok: bool,
    /// The stored hash uses weaker parameters than today's: store a new one.
    pub needs_rehash: bool,
}

fn hash_now(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::internal(format!("password hashing failed: {e}")))
}

fn verify_now(password: &str, stored: &str) -> Verified {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return Verified { ok: false, needs_rehash: false };
    };
    let ok = Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok();
    let current = Params::default();
    let needs_rehash = ok
        && (parsed.algorithm.as_str() != "argon2id"
            || Params::try_from(&parsed)
                .map(|p| p.m_cost() < current.m_cost() || p.t_cost() < current.t_cost())
                .unwrap_or(true));
    Verified { ok, needs_rehash }
}

/// Hashes on the current thread, for the command line.
pub fn hash_blocking(password: &str) -> Result<String, ApiError> {
    hash_now(password)
}

impl PasswordHasher {
    /// `concurrency` hashes at most at once (each holds 19 MiB for tens of milliseconds).
    pub fn new(concurrency: usize) -> Self {
        let dummy = hash_now("sammen-dummy-password-for-timing").unwrap_or_default();
        Self { permits: Arc::new(Semaphore::new(concurrency.max(1))), dummy_hash: Arc::new(dummy) }
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
        let permit = actix_web::rt::time::timeout(QUEUE_TIMEOUT, self.permits.acquire())
            .await
            .map_err(|_| ApiError::Unavailable { retry_after: 1 })?
            .map_err(|_| ApiError::unavailable())?;
        let result = web::block(work).await.map_err(|_| ApiError::unavailable());
        drop(permit);
        result
    }

    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        self.run(move || hash_now(&password)).await?
    }

    /// Verifies `password` against `stored`, or against a dummy hash when there is none.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<Verified, ApiError> {
        let exists = stored.is_some();
        let stored = stored.unwrap_or_else(|| self.dummy_hash.as_str().to_owned());
        let verified = self.run(move || verify_now(&password, &stored)).await?;
        Ok(Verified { ok: exists && verified.ok, ..verified })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_the_owasp_parameters_and_verify() {
        let hash = hash_now("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert_eq!(verify_now("correct horse battery", &hash), Verified { ok: true, needs_rehash: false });
        assert!(!verify_now("correct horse batter", &hash).ok);
        assert!(!verify_now(" correct horse battery", &hash).ok);
        assert!(!verify_now("x", "not a phc string").ok);
    }

    #[test]
    fn weaker_stored_parameters_ask_for_a_rehash() {
        let weak =
            Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, Params::new(8192, 1, 1, None).unwrap());
        let salt = SaltString::generate(&mut OsRng);
        let hash = weak.hash_password(b"old password 1", &salt).unwrap().to_string();
        assert_eq!(verify_now("old password 1", &hash), Verified { ok: true, needs_rehash: true });
    }
}
