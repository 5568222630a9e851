//! Conventions every area uses, built once: problem details for every error, request ids and
//! the access log, cursor pagination, ETag/If-Match, Idempotency-Key, caching of public reads, and
//! the health endpoints.

pub mod caching;
pub mod clock;
pub mod command;
pub mod db_use;
pub mod extract;
pub mod fallback;
pub mod freshness;
pub mod health;
pub mod idempotency;
pub mod middleware;
pub mod pagination;
pub mod precondition;

/// The largest JSON (or form) body accepted: 256 KiB.
pub const BODY_LIMIT: usize = 256 * 1024;
