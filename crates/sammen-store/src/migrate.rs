//! Embedded migrations, one tree per backend under the same folder names, applied at start-up.

use diesel::connection::SimpleConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::conn::DbConn;
use crate::error::{StoreError, StoreResult};

pub const SQLITE: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
pub const POSTGRES: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// An arbitrary constant: the advisory lock that lets one of several starting instances migrate
/// while the others wait.
const MIGRATION_LOCK: i64 = 0x5a_4d_4d_45_4e; // "SAMMEN"-ish

/// Applies every pending migration and returns the versions applied.
pub fn run_pending(conn: &mut DbConn) -> StoreResult<Vec<String>> {
    let fail = |e: Box<dyn std::error::Error + Send + Sync>| StoreError::Corrupt(format!("migration failed: {e}"));
    let names =
        |versions: Vec<diesel::migration::MigrationVersion<'_>>| versions.iter().map(|v| v.to_string()).collect();
    match conn {
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE).map(names).map_err(fail),
        DbConn::Postgres(c) => {
            c.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))?;
            let result = c.run_pending_migrations(POSTGRES).map(names).map_err(fail);
            c.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))?;
            result
        }
    }
}
