//! What every handler shares: the pool, the token keys, the password hasher.

use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::web;
use sammen_domain::directory::vocabulary::KnownCodes;
use sammen_store::{Backend, DbConn, Pool, StoreError};

use crate::identity::jwt::JwtKeys;
use crate::identity::password::PasswordHasher;
use crate::platform::caching::ResponseCache;
use crate::platform::db_use;
use crate::platform::freshness::{Freshness, Memo};
use crate::problem::ApiError;

/// Settings of the HTTP layer (the database and bind address live with the binary).
#[derive(Debug, Clone, Default)]
pub struct HttpConfig {
    /// Origins allowed to call the API from a browser (`SAMMEN_CORS_ORIGINS`); empty = none.
    pub cors_origins: Vec<String>,
    /// Take the client address from `Forwarded`/`X-Forwarded-For` (`SAMMEN_TRUST_PROXY`): only
    /// behind a reverse proxy that sets them, else callers could choose their own address.
    pub trust_proxy: bool,
    /// Answer every request with a `Server-Timing` header saying how many database statements it
    /// ran and how long they took (`SAMMEN_SERVER_TIMING`): for benchmarks and budget tests.
    /// Off by default: timings are not for everyone to see.
    pub server_timing: bool,
    /// The most bytes of anonymous public answers to keep in memory (`SAMMEN_RESPONSE_CACHE_MB`);
    /// 0 turns the cache off.
    pub response_cache_bytes: u64,
    /// Allow webhooks to `http` URLs and to loopback and private addresses
    /// (`SAMMEN_WEBHOOKS_ALLOW_PRIVATE`): for development and tests only.
    pub webhooks_allow_private: bool,
    /// The registered 360Giving prefix grant ids start with (`SAMMEN_360G_PREFIX`, e.g.
    /// `360G-kk`); empty: `360G-sammen`.
    pub giving360_prefix: String,
    /// The API's public address, which the open data's links start with (`SAMMEN_API_URL`, e.g.
    /// `https://sammen.kk.dk`); empty: `http://localhost:8080`.
    pub api_url: String,
}

impl HttpConfig {
    pub fn giving360_prefix(&self) -> &str {
        if self.giving360_prefix.trim().is_empty() { "360G-sammen" } else { self.giving360_prefix.trim() }
    }

    pub fn api_url(&self) -> &str {
        let url = self.api_url.trim().trim_end_matches('/');
        if url.is_empty() { "http://localhost:8080" } else { url }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub backend: Backend,
    pub jwt: Arc<JwtKeys>,
    pub passwords: PasswordHasher,
    pub config: Arc<HttpConfig>,
    /// Requests being handled now (for a graceful shutdown).
    pub in_flight: crate::platform::middleware::InFlight,
    /// Which generation of the public data the caches below hold.
    pub freshness: Arc<Freshness>,
    /// Anonymous public answers (`platform::caching`).
    pub responses: ResponseCache,
    /// The taxonomy's codes, which every listing checks its filters against.
    pub known_codes: Arc<Memo<KnownCodes>>,
    /// The server's clock, which decides deadlines (settable in tests).
    pub clock: crate::platform::clock::Clock,
    /// One permit per pooled connection, handed out first come, first served: requests queue
    /// here in order instead of racing for r2d2's pool from blocking threads, where an unlucky
    /// one could lose again and again (measured: p50 5 ms but p99 440 ms at 32 clients).
    db_slots: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    /// Runs blocking database work on actix's blocking pool with a pooled connection. A pool
    /// checkout that times out or a lost database becomes 503 + Retry-After. The work's error is
    /// the store's or, for a command that also authorises and validates, the API's own.
    pub async fn db<T, E, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        E: Into<ApiError> + From<StoreError> + Send + 'static,
        T: Send + 'static,
    {
        let wait = self.pool.connection_timeout();
        let slot = actix_web::rt::time::timeout(wait, self.db_slots.acquire())
            .await
            .map_err(|_| ApiError::unavailable())?
            .map_err(|_| ApiError::unavailable())?;
        let (pool, freshness) = (self.pool.clone(), self.freshness.clone());
        let result = web::block(move || -> (Result<T, ApiError>, u64, Duration) {
            let mut conn = match pool.get() {
                Ok(conn) => conn,
                Err(e) => return (Err(StoreError::from(e).into()), 0, Duration::ZERO),
            };
            let (statements, commits, started) = (conn.statements(), conn.commits(), Instant::now());
            let result = work(&mut conn).map_err(Into::into);
            if let Err(ApiError::Unavailable { .. }) = result {
                conn.check_after_failure();
            }
            if conn.commits() != commits {
                // Something was written. If it was public data, the triggers moved its data
                // version in the same transaction: reading the versions now drops this instance's
                // caches at once (the others learn within their poll), and only when public data
                // changed, not on every login or claimed mail.
                match sammen_store::platform::data_versions(&mut conn) {
                    Ok(versions) => freshness.observe(versions),
                    Err(_) => freshness.changed(),
                }
            }
            (result, conn.statements() - statements, started.elapsed())
        })
        .await;
        // Released here, on the worker that waits for it, once the connection is back.
        drop(slot);
        let (result, statements, time) = result.map_err(|_| ApiError::unavailable())?;
        db_use::record(statements, time);
        result
    }
}

/// The setting that holds the generated JWT secret when none is configured.
const JWT_SECRET_SETTING: &str = "jwt_secret";

/// The token keys: from the configured secret (at least 32 bytes), or from a random secret
/// generated at first start and kept in the database, so restarts and several instances agree.
pub fn load_jwt_keys(conn: &mut DbConn, configured: Option<&str>) -> Result<JwtKeys, String> {
    if let Some(secret) = configured {
        return JwtKeys::new(secret.as_bytes()).map_err(|e| format!("SAMMEN_JWT_SECRET: {e}"));
    }
    let stored = sammen_store::platform::setting_get_or_insert(conn, JWT_SECRET_SETTING, || {
        use base64::Engine;
        let bytes: [u8; 32] = rand::random();
        base64::engine::general_purpose::STANDARD.encode(bytes)
    })
    .map_err(|e| format!("cannot read or store the JWT secret: {e}"))?;
    JwtKeys::new(stored.as_bytes())
}

impl AppState {
    pub fn new(pool: Pool, backend: Backend, jwt: JwtKeys, config: HttpConfig) -> Self {
        let pool_size = pool.max_size() as usize;
        Self {
            pool,
            backend,
            jwt: Arc::new(jwt),
            // Two argon2 verifications per core at once: bounded memory, and logins queue
            // instead of starving every other request of CPU.
            passwords: PasswordHasher::new(2 * std::thread::available_parallelism().map_or(2, |n| n.get())),
            responses: ResponseCache::new(config.response_cache_bytes),
            config: Arc::new(config),
            in_flight: Default::default(),
            freshness: Default::default(),
            known_codes: Default::default(),
            clock: Default::default(),
            db_slots: Arc::new(tokio::sync::Semaphore::new(pool_size)),
        }
    }
}
