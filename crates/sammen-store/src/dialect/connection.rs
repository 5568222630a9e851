//! The connection: one enum over the two backends' connections. Query code is written once
//! against it; what must differ by backend is written in this folder.

use diesel::{PgConnection, SqliteConnection};

/// One connection to either backend.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}
