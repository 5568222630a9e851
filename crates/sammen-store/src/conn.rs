//! The r2d2 pool of connections. The connection enum and how each backend's sessions are set up
//! live in the dialect seam (`crate::dialect`).

use std::time::Duration;

use diesel::RunQueryDsl;
use diesel::r2d2::R2D2Connection;

pub use crate::dialect::DbConn;
use crate::dialect::{Backend, DatabaseUrl};
use crate::error::StoreResult;

/// The default when `DATABASE_URL` is unset: an embedded SQLite file under `data/`.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/sammen.db";

/// Pool settings. The checkout timeout is short on purpose: a request that cannot get a
/// connection within it answers 503 + Retry-After instead of hanging.
#[derive(Debug, Clone)]
pub struct PoolOptions {
    pub max_size: u32,
    pub checkout_timeout: Duration,
    /// PostgreSQL `statement_timeout`: no single statement may hold a connection longer.
    pub statement_timeout: Duration,
}

impl PoolOptions {
    pub fn for_backend(backend: Backend) -> Self {
        Self {
            max_size: backend.default_pool_size(),
            checkout_timeout: Duration::from_secs(2),
            statement_timeout: Duration::from_secs(10),
        }
    }
}

pub type Pool = r2d2::Pool<DbManager>;
pub type PooledConn = r2d2::PooledConnection<DbManager>;

/// Builds connections of the variant the URL names (`DbConn::establish` would try each variant
/// in turn, and SQLite accepts any string as a file name) and sets each session up.
#[derive(Debug)]
pub struct DbManager {
    url: DatabaseUrl,
    statement_timeout: Duration,
}

impl DbManager {
    pub fn new(url: DatabaseUrl, statement_timeout: Duration) -> Self {
        Self { url, statement_timeout }
    }

    pub fn connect_now(&self) -> Result<DbConn, diesel::r2d2::Error> {
        crate::dialect::establish(&self.url, self.statement_timeout)
    }
}

impl r2d2::ManageConnection for DbManager {
    type Connection = DbConn;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConn, Self::Error> {
        self.connect_now()
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), Self::Error> {
        conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

/// Builds the pool without connecting yet, so the server can start and report "not ready"
/// while the database is away.
pub fn build_pool(url: &DatabaseUrl, options: &PoolOptions) -> Pool {
    r2d2::Pool::builder()
        .max_size(options.max_size)
        .min_idle(Some(1))
        .connection_timeout(options.checkout_timeout)
        .test_on_check_out(true)
        .error_handler(Box::new(LogConnectError))
        .build_unchecked(DbManager::new(url.clone(), options.statement_timeout))
}

/// Logs a failed connection attempt on one line at WARN (r2d2's default is a multi-line ERROR
/// per attempt, which floods the log while the database is away; the 503s tell the story).
#[derive(Debug)]
struct LogConnectError;

impl r2d2::HandleError<diesel::r2d2::Error> for LogConnectError {
    fn handle_error(&self, error: diesel::r2d2::Error) {
        let message = error.to_string().split_whitespace().collect::<Vec<_>>().join(" ");
        log::warn!("database connection failed: {message}");
    }
}

/// A trivial round trip to the database.
pub fn ping(conn: &mut DbConn) -> StoreResult<()> {
    diesel::sql_query("SELECT 1").execute(conn)?;
    Ok(())
}
