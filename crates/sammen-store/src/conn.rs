//! The connection enum, the database URL rules and the r2d2 pool with per-backend session setup.

use std::path::Path;
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::r2d2::R2D2Connection;
use diesel::{Connection, PgConnection, RunQueryDsl, SqliteConnection};

use crate::error::StoreResult;

/// One connection to either backend. Query code is written once against this enum; the few
/// backend-specific statements (full-text search, upserts) match on the variant.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

impl DbConn {
    pub fn backend(&self) -> Backend {
        match self {
            DbConn::Postgres(_) => Backend::Postgres,
            DbConn::Sqlite(_) => Backend::Sqlite,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Postgres => "postgresql",
            Backend::Sqlite => "sqlite",
        }
    }
}

/// The default when `DATABASE_URL` is unset: an embedded SQLite file under `data/`.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/sammen.db";

/// A parsed `DATABASE_URL`: `postgres://` or `postgresql://` picks PostgreSQL; `sqlite://PATH`,
/// `file:PATH` or a bare path picks SQLite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    pub backend: Backend,
    /// What diesel is given to connect (a path or `file:` URI for SQLite, the URL for PostgreSQL).
    pub connect: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UrlError {
    #[error("DATABASE_URL is empty")]
    Empty,
    #[error("an in-memory SQLite database cannot be shared by a connection pool; use a file path")]
    InMemory,
    #[error("unsupported DATABASE_URL scheme `{0}`: use postgres://, sqlite://, file: or a path")]
    Scheme(String),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, UrlError> {
        let url = url.trim();
        if url.is_empty() {
            return Err(UrlError::Empty);
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self { backend: Backend::Postgres, connect: with_connect_timeout(url) });
        }
        let connect = if let Some(path) = url.strip_prefix("sqlite://") {
            path.to_owned()
        } else if let Some(path) = url.strip_prefix("sqlite:") {
            path.to_owned()
        } else if url.starts_with("file:") {
            url.to_owned()
        } else if let Some((scheme, _)) = url.split_once("://") {
            return Err(UrlError::Scheme(scheme.to_owned()));
        } else {
            url.to_owned()
        };
        if connect.is_empty() {
            return Err(UrlError::Empty);
        }
        if connect.contains(":memory:") || connect.contains("mode=memory") {
            return Err(UrlError::InMemory);
        }
        Ok(Self { backend: Backend::Sqlite, connect })
    }

    /// The SQLite file's path (without a `file:` prefix or URI parameters); `None` for PostgreSQL.
    pub fn sqlite_path(&self) -> Option<&Path> {
        if self.backend != Backend::Sqlite {
            return None;
        }
        let path = self.connect.strip_prefix("file:").unwrap_or(&self.connect);
        let path = path.split('?').next().unwrap_or(path);
        Some(Path::new(path))
    }

    /// The URL with any password replaced, for logs.
    pub fn redacted(&self) -> String {
        match self.backend {
            Backend::Sqlite => self.connect.clone(),
            Backend::Postgres => redact_password(&self.connect),
        }
    }
}

/// libpq waits indefinitely for an unreachable host unless told otherwise.
fn with_connect_timeout(url: &str) -> String {
    if url.contains("connect_timeout=") {
        return url.to_owned();
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}connect_timeout=2")
}

fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

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
            // SQLite has one writer at a time; a few connections serve concurrent reads.
            max_size: match backend {
                Backend::Postgres => 16,
                Backend::Sqlite => 4,
            },
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
        use diesel::r2d2::Error;
        let conn = match self.url.backend {
            Backend::Postgres => {
                let mut c = PgConnection::establish(&self.url.connect).map_err(Error::ConnectionError)?;
                let ms = self.statement_timeout.as_millis();
                // No JIT: compiling costs more than it saves on these short queries (about a
                // second for the coverage report's read at 100,000 activities).
                c.batch_execute(&format!(
                    "SET statement_timeout = {ms}; SET lock_timeout = {lock}; \
                     SET idle_in_transaction_session_timeout = {idle}; SET TIME ZONE 'UTC'; \
                     SET jit = off;",
                    lock = ms.min(5_000),
                    idle = ms * 3,
                ))
                .map_err(Error::QueryError)?;
                DbConn::Postgres(c)
            }
            Backend::Sqlite => {
                if let Some(dir) = self.url.sqlite_path().and_then(Path::parent).filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        Error::ConnectionError(diesel::ConnectionError::BadConnection(format!(
                            "cannot create the folder {}: {e}",
                            dir.display()
                        )))
                    })?;
                }
                let mut c = SqliteConnection::establish(&self.url.connect).map_err(Error::ConnectionError)?;
                // busy_timeout first, so switching to WAL waits for a concurrent opener.
                c.batch_execute(
                    "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                )
                .map_err(Error::QueryError)?;
                DbConn::Sqlite(c)
            }
        };
        Ok(conn)
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

/// Runs `work` in a transaction that takes the write lock up front on SQLite (`BEGIN IMMEDIATE`),
/// so a read-then-write cannot deadlock against another writer; a plain transaction on PostgreSQL.
/// Rolls back when `work` fails.
pub fn write_transaction<T>(conn: &mut DbConn, work: impl FnOnce(&mut DbConn) -> StoreResult<T>) -> StoreResult<T> {
    // Inside another transaction the lock is already held: a savepoint is all that is needed.
    let depth = <DbConn as Connection>::TransactionManager::transaction_manager_status_mut(conn).transaction_depth()?;
    if depth.is_some() {
        return conn.transaction(work);
    }
    match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        DbConn::Postgres(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    match work(conn) {
        Ok(value) => {
            <DbConn as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(err) => {
            // The work's error is the one worth reporting; a failed rollback marks the
            // connection broken and the pool discards it.
            let _ = <DbConn as Connection>::TransactionManager::rollback_transaction(conn);
            Err(err)
        }
    }
}

/// A trivial round trip to the database.
pub fn ping(conn: &mut DbConn) -> StoreResult<()> {
    diesel::sql_query("SELECT 1").execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_the_backend_by_scheme() {
        let pg = DatabaseUrl::parse("postgres://u:secret@db:5432/sammen").unwrap();
        assert_eq!(pg.backend, Backend::Postgres);
        assert_eq!(pg.connect, "postgres://u:secret@db:5432/sammen?connect_timeout=2");
        assert_eq!(pg.redacted(), "postgres://u:***@db:5432/sammen?connect_timeout=2");
        assert_eq!(
            DatabaseUrl::parse("postgresql://db/x?sslmode=require").unwrap().connect,
            "postgresql://db/x?sslmode=require&connect_timeout=2"
        );

        let sqlite = DatabaseUrl::parse("sqlite://data/sammen.db").unwrap();
        assert_eq!((sqlite.backend, sqlite.connect.as_str()), (Backend::Sqlite, "data/sammen.db"));
        assert_eq!(sqlite.sqlite_path().unwrap(), Path::new("data/sammen.db"));
        let file = DatabaseUrl::parse("file:/tmp/x.db?mode=rwc").unwrap();
        assert_eq!(file.sqlite_path().unwrap(), Path::new("/tmp/x.db"));
        assert_eq!(DatabaseUrl::parse("/var/lib/sammen.db").unwrap().backend, Backend::Sqlite);

        assert_eq!(DatabaseUrl::parse("mysql://x").unwrap_err(), UrlError::Scheme("mysql".into()));
        assert_eq!(DatabaseUrl::parse("sqlite://:memory:").unwrap_err(), UrlError::InMemory);
        assert_eq!(DatabaseUrl::parse(" ").unwrap_err(), UrlError::Empty);
    }
}
