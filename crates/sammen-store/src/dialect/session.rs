//! Sessions: connecting to the backend a URL names and setting the session up, write
//! transactions, migrations, and the locks that make invariants hold under concurrency.

use std::path::Path;
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel::{PgConnection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::{Backend, DatabaseUrl};
use crate::dialect::DbConn;
use crate::error::{StoreError, StoreResult};

/// Connects to the database `url` names (`DbConn::establish` would try each variant in turn, and
/// SQLite takes any string as a file name) and sets the session up:
/// - PostgreSQL: `statement_timeout`, `lock_timeout` and `idle_in_transaction_session_timeout`, so
///   one slow query or a held lock cannot stall the service; UTC; no JIT (compiling cost more than
///   it saved on these short queries: about a second for the coverage report at 100,000 activities);
/// - SQLite: `busy_timeout` first (so switching to WAL waits for a concurrent opener), WAL,
///   `synchronous = NORMAL`, foreign keys on. Its folder is created.
pub fn establish(url: &DatabaseUrl, statement_timeout: Duration) -> Result<DbConn, diesel::r2d2::Error> {
    use diesel::r2d2::Error;
    let conn = match url.backend {
        Backend::Postgres => {
            let mut c = PgConnection::establish(&url.connect).map_err(Error::ConnectionError)?;
            let ms = statement_timeout.as_millis();
            c.batch_execute(&format!(
                "SET statement_timeout = {ms}; SET lock_timeout = {lock}; \
                 SET idle_in_transaction_session_timeout = {idle}; SET TIME ZONE 'UTC'; SET jit = off;",
                lock = ms.min(5_000),
                idle = ms * 3,
            ))
            .map_err(Error::QueryError)?;
            DbConn::Postgres(c)
        }
        Backend::Sqlite => {
            if let Some(dir) = url.sqlite_path().and_then(Path::parent).filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| {
                    Error::ConnectionError(diesel::ConnectionError::BadConnection(format!(
                        "cannot create the folder {}: {e}",
                        dir.display()
                    )))
                })?;
            }
            let mut c = SqliteConnection::establish(&url.connect).map_err(Error::ConnectionError)?;
            // The database file is read through a memory map (up to SQLite's own 2 GB limit): the
            // connections share the operating system's cached pages instead of copying them into a
            // small cache each. Measured at 100,000 activities with 4 connections: a search's CPU
            // 53 ms -> 25-30 ms, private memory 76 MB -> 27 MB (docs/benchmarks.md).
            c.batch_execute(
                "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                 PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA mmap_size = 2147418112;",
            )
            .map_err(Error::QueryError)?;
            DbConn::Sqlite(c)
        }
    };
    Ok(conn)
}

/// Runs `work` in a transaction and commits if it succeeds, rolls back if it fails.
///
/// On SQLite the write lock is taken up front (`BEGIN IMMEDIATE`), so a read-then-write cannot
/// deadlock and writers are serialised: every invariant holds there without further locks. On
/// PostgreSQL it is a READ COMMITTED transaction: an invariant that spans rows needs one of the
/// locks below (see docs/architecture.md, "Invariants under concurrency"). Inside another
/// transaction it is a savepoint.
pub fn write_transaction<T, E>(conn: &mut DbConn, work: impl FnOnce(&mut DbConn) -> Result<T, E>) -> Result<T, E>
where
    E: From<StoreError>,
{
    let store = |e: diesel::result::Error| E::from(StoreError::from(e));
    let depth = <DbConn as Connection>::TransactionManager::transaction_manager_status_mut(conn)
        .transaction_depth()
        .map_err(store)?;
    if depth.is_some() {
        return conn.transaction(|conn| work(conn).map_err(Savepoint::Work)).map_err(|e| match e {
            Savepoint::Work(e) => e,
            Savepoint::Diesel(e) => store(e),
        });
    }
    by_backend!(conn, {
        postgres(c) => AnsiTransactionManager::begin_transaction(c),
        sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE"),
    })
    .map_err(store)?;
    match work(conn) {
        Ok(value) => {
            <DbConn as Connection>::TransactionManager::commit_transaction(conn).map_err(store)?;
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

/// A savepoint's outcome: the work's own error, or diesel's.
enum Savepoint<E> {
    Work(E),
    Diesel(diesel::result::Error),
}

impl<E> From<diesel::result::Error> for Savepoint<E> {
    fn from(e: diesel::result::Error) -> Self {
        Savepoint::Diesel(e)
    }
}

/// An invariant over many rows that one lock guards: every transaction that could break it
/// takes the lock before it reads what the invariant depends on, so on PostgreSQL they run one
/// after the other and each sees what the one before committed. (SQLite serialises writers
/// anyway.) Used where the rows to lock are not known in advance: a tree walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invariant {
    /// No organisation is its own ancestor.
    OrganisationTree,
}

impl Invariant {
    /// The advisory lock key: arbitrary, fixed, distinct from the migration lock.
    fn key(self) -> i64 {
        match self {
            Invariant::OrganisationTree => 0x5a_4d_4d_01,
        }
    }
}

/// Takes the lock of `invariant` until the end of the transaction.
pub fn serialise(conn: &mut DbConn, invariant: Invariant) -> StoreResult<()> {
    by_backend!(conn, {
        postgres(c) => {
            diesel::sql_query("SELECT pg_advisory_xact_lock($1)").bind::<BigInt, _>(invariant.key()).execute(c)?;
        },
        sqlite(_) => {},
    });
    Ok(())
}

/// Locks the rows a query selects until the end of the transaction (`SELECT … FOR UPDATE` on
/// PostgreSQL, in the query's order; nothing on SQLite, whose write transaction already holds
/// the database). The query selects one text column (an id); the values come back, so it
/// doubles as "does the row exist".
/// `lock_rows!(conn, activities::table.find(id).select(activities::id))`.
#[macro_export]
macro_rules! lock_rows {
    ($conn:expr, $query:expr) => {{
        use diesel::prelude::*;
        let rows: diesel::QueryResult<Vec<String>> = match $conn {
            $crate::DbConn::Postgres(c) => $query.for_update().load::<String>(c),
            $crate::DbConn::Sqlite(c) => $query.load::<String>(c),
        };
        rows
    }};
}

/// Like `lock_rows!`, but passes over rows another transaction holds instead of waiting for
/// them (`FOR UPDATE SKIP LOCKED`): for workers on several instances taking turns at a queue,
/// each taking rows no other has. SQLite has one writer at a time, so there is nothing to skip.
#[macro_export]
macro_rules! claim_rows {
    ($conn:expr, $query:expr) => {{
        use diesel::prelude::*;
        let rows: diesel::QueryResult<Vec<String>> = match $conn {
            $crate::DbConn::Postgres(c) => $query.for_update().skip_locked().load::<String>(c),
            $crate::DbConn::Sqlite(c) => $query.load::<String>(c),
        };
        rows
    }};
}

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// An arbitrary constant: the advisory lock that lets one of several starting instances migrate
/// while the others wait.
const MIGRATION_LOCK: i64 = 0x5a_4d_4d_45_4e; // "SAMMEN"-ish

/// Applies every pending migration of the connection's tree and returns the versions applied.
pub fn run_migrations(conn: &mut DbConn) -> StoreResult<Vec<String>> {
    let fail = |e: Box<dyn std::error::Error + Send + Sync>| StoreError::Corrupt(format!("migration failed: {e}"));
    let names =
        |versions: Vec<diesel::migration::MigrationVersion<'_>>| versions.iter().map(|v| v.to_string()).collect();
    by_backend!(conn, {
        postgres(c) => {
            diesel::sql_query("SELECT pg_advisory_lock($1)").bind::<BigInt, _>(MIGRATION_LOCK).execute(c)?;
            let result = c.run_pending_migrations(POSTGRES_MIGRATIONS).map(names).map_err(fail);
            diesel::sql_query("SELECT pg_advisory_unlock($1)").bind::<BigInt, _>(MIGRATION_LOCK).execute(c)?;
            result
        },
        sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(names).map_err(fail),
    })
}
