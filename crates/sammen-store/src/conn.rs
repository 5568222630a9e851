//! The r2d2 pool of connections. The connection enum and how each backend's sessions are set up
//! live in the dialect seam (`crate::dialect`).

use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use diesel::r2d2::R2D2Connection;
use diesel::{Connection, RunQueryDsl};

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

/// How long a connection may sit unused in the pool before it is pinged on checkout: long enough
/// that a busy server never pings (one round trip saved on every request), short enough that a
/// connection a firewall or the database dropped while idle is found before a request uses it.
pub const PING_WHEN_IDLE_FOR: Duration = Duration::from_secs(30);

/// A pooled connection, with what the pool knows about it: when it was last handed back, which
/// generation of losses it was last verified in, and whether it was found lost.
pub struct PooledDb {
    conn: DbConn,
    returned_at: Instant,
    verified_in: u64,
    lost: bool,
    counts: Arc<Counts>,
}

/// What a connection has run since it was opened.
#[derive(Debug, Default)]
struct Counts {
    /// Statements, each a round trip: queries, and BEGIN and COMMIT.
    statements: AtomicU64,
    /// Transactions committed (the outermost level).
    commits: AtomicU64,
}

impl Deref for PooledDb {
    type Target = DbConn;
    fn deref(&self) -> &DbConn {
        &self.conn
    }
}

impl DerefMut for PooledDb {
    fn deref_mut(&mut self) -> &mut DbConn {
        &mut self.conn
    }
}

impl PooledDb {
    /// How many statements (each a round trip: queries, and BEGIN/COMMIT) this connection has
    /// run since it was opened. The difference around a piece of work is what that work cost.
    pub fn statements(&self) -> u64 {
        self.counts.statements.load(Ordering::Relaxed)
    }

    /// How many transactions this connection has committed since it was opened. All writes run
    /// in a transaction (`write_transaction`) and reads do not, so a difference around a piece of
    /// work means it changed something.
    pub fn commits(&self) -> u64 {
        self.counts.commits.load(Ordering::Relaxed)
    }

    /// After work on this connection failed as if the database were away: a ping tells a lost
    /// connection (the pool then drops it, and checks every other one before its next use) from
    /// a busy or timed-out database (the connection stays). Costs a round trip on that error
    /// path only.
    pub fn check_after_failure(&mut self) {
        if ping(&mut self.conn).is_err() {
            self.lost = true;
        }
    }
}

/// Builds connections of the variant the URL names (`DbConn::establish` would try each variant
/// in turn, and SQLite accepts any string as a file name) and sets each session up.
///
/// Connections are not pinged on every checkout (a round trip per request): only one that was
/// idle for `PING_WHEN_IDLE_FOR`, or any after another connection was found lost (a database
/// restart drops them all at once).
#[derive(Debug)]
pub struct DbManager {
    url: DatabaseUrl,
    statement_timeout: Duration,
    /// How many connections were found lost so far: a connection verified before the last loss
    /// is pinged before its next use.
    losses: AtomicU64,
}

impl DbManager {
    pub fn new(url: DatabaseUrl, statement_timeout: Duration) -> Self {
        Self { url, statement_timeout, losses: AtomicU64::new(0) }
    }

    pub fn connect_now(&self) -> Result<DbConn, diesel::r2d2::Error> {
        crate::dialect::establish(&self.url, self.statement_timeout)
    }
}

impl r2d2::ManageConnection for DbManager {
    type Connection = PooledDb;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<PooledDb, Self::Error> {
        let mut conn = self.connect_now()?;
        let counts = Arc::new(Counts::default());
        conn.set_instrumentation(Counter(counts.clone()));
        Ok(PooledDb {
            conn,
            returned_at: Instant::now(),
            verified_in: self.losses.load(Ordering::Acquire),
            lost: false,
            counts,
        })
    }

    /// Called on every checkout (`test_on_check_out`), and pings only when there is a reason to.
    fn is_valid(&self, conn: &mut PooledDb) -> Result<(), Self::Error> {
        let losses = self.losses.load(Ordering::Acquire);
        if conn.verified_in != losses || conn.returned_at.elapsed() >= PING_WHEN_IDLE_FOR {
            conn.conn.ping().map_err(diesel::r2d2::Error::QueryError)?;
            conn.verified_in = losses;
        }
        Ok(())
    }

    /// Called when a connection comes back to the pool.
    fn has_broken(&self, conn: &mut PooledDb) -> bool {
        conn.returned_at = Instant::now();
        if conn.lost {
            self.losses.fetch_add(1, Ordering::AcqRel);
        }
        std::thread::panicking() || conn.lost || conn.conn.is_broken()
    }
}

/// Counts what a connection runs, as diesel reports it.
struct Counter(Arc<Counts>);

impl diesel::connection::Instrumentation for Counter {
    fn on_connection_event(&mut self, event: diesel::connection::InstrumentationEvent<'_>) {
        use diesel::connection::InstrumentationEvent as Event;
        match event {
            Event::StartQuery { query, .. } => {
                self.0.statements.fetch_add(1, Ordering::Relaxed);
                // For finding where time goes: the statement's text, never its bound values
                // (which may be personal data).
                if log::log_enabled!(target: "sammen::sql", log::Level::Trace) {
                    let text = query.to_string();
                    let sql = text.split(" -- binds:").next().unwrap_or_default();
                    log::trace!(target: "sammen::sql", "{sql}");
                }
            }
            Event::CommitTransaction { depth, .. } if depth.get() == 1 => {
                self.0.commits.fetch_add(1, Ordering::Relaxed);
            }
            _ => {}
        }
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
