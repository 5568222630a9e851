//! Sammen's persistence: one hand-kept diesel schema in portable SQL types, used on SQLite
//! (the embedded default) and PostgreSQL (production), chosen at runtime from `DATABASE_URL`.
//!
//! Every query function is synchronous and takes `&mut DbConn`; the HTTP crate runs them on
//! actix's blocking thread pool.

pub mod audit;
mod columns;
pub mod conn;
pub mod dialect;
pub mod directory;
pub mod error;
pub mod grants;
pub mod identity;
pub mod migrate;
pub mod outbox;
pub mod platform;
pub mod retention;
pub mod schema;
pub mod webhooks;

pub use conn::{Pool, PoolOptions};
pub use dialect::{Backend, DatabaseUrl, DbConn, write_transaction};
pub use error::{Found, StoreError, StoreResult};

/// The current instant as stored: UTC, microsecond precision (what both backends keep).
pub fn now() -> chrono::NaiveDateTime {
    let now = chrono::Utc::now().naive_utc();
    chrono::DurationRound::duration_trunc(now, chrono::TimeDelta::microseconds(1)).unwrap_or(now)
}

/// A new time-ordered id (UUID v7) for records that are no entity of the domain (audit events,
/// refresh-token families); entities have typed ids (`sammen_domain::ids`).
pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
