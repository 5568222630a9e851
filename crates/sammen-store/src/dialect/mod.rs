//! The one seam between PostgreSQL and SQLite.
//!
//! Everything that differs between the two backends lives in this folder, so the rest of the
//! store is written once against `DbConn`:
//! - `url`: which backend a `DATABASE_URL` names;
//! - `session`: connecting and setting each session up, write transactions, migrations, row
//!   locks and the lock that serialises an invariant;
//! - `sql`: the SQL the two spell differently (text match and rank, array overlap, aggregation,
//!   null ordering), as named functions returning `Sql` fragments with bound values;
//! - `BACKEND_ONLY`: the columns and tables only one backend has.
//!
//! `db_run!` runs the same diesel code on whichever connection a `DbConn` holds, for what the
//! MultiConnection enum cannot do itself (multi-row inserts, `UNION ALL`). Code that must differ
//! by backend is written here with `by_backend!`, which is private to this module.

/// Runs `$body` with `$c` bound to the concrete connection (`PgConnection` or
/// `SqliteConnection`): the same code, compiled once for each backend.
/// `db_run!(conn, c => diesel::insert_into(t).values(&rows).execute(c))`.
#[macro_export]
macro_rules! db_run {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::DbConn::Postgres($c) => $body,
            $crate::DbConn::Sqlite($c) => $body,
        }
    };
}

/// Backend-specific code: one arm per backend. Only this module uses it.
macro_rules! by_backend {
    ($conn:expr, { postgres($pg:pat) => $pg_body:expr, sqlite($lite:pat) => $lite_body:expr $(,)? }) => {
        match $conn {
            $crate::DbConn::Postgres($pg) => $pg_body,
            $crate::DbConn::Sqlite($lite) => $lite_body,
        }
    };
}
pub(crate) use by_backend;

mod connection;
mod fragment;
mod session;
pub mod sql;
mod union;
mod url;

pub use connection::{DbConn, MultiBackend};
pub use fragment::Sql;
pub use session::{Invariant, establish, run_migrations, serialise, write_transaction};
pub use union::UnionAll;
pub use url::{DatabaseUrl, UrlError};

/// Which database a connection or URL is for.
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

    /// Connections per instance by default: PostgreSQL serves many at once; SQLite has one
    /// writer at a time, and a few connections serve concurrent reads.
    pub fn default_pool_size(self) -> u32 {
        match self {
            Backend::Postgres => 16,
            Backend::Sqlite => 4,
        }
    }

    /// How long to keep trying to reach the database at start-up: a PostgreSQL server may still
    /// be starting (docker compose); a SQLite file that cannot be opened will not get better.
    pub fn startup_patience(self) -> std::time::Duration {
        match self {
            Backend::Postgres => std::time::Duration::from_secs(60),
            Backend::Sqlite => std::time::Duration::ZERO,
        }
    }
}

impl DbConn {
    pub fn backend(&self) -> Backend {
        by_backend!(self, { postgres(_) => Backend::Postgres, sqlite(_) => Backend::Sqlite })
    }
}

/// A column or table only one backend has: a search structure, not part of the data model. The
/// migration parity test leaves exactly these out, and docs/architecture.md lists them.
#[derive(Debug, Clone, Copy)]
pub struct BackendOnly {
    pub backend: Backend,
    pub table: &'static str,
    /// `None`: the whole table (with SQLite's shadow tables named after it).
    pub column: Option<&'static str>,
    pub why: &'static str,
}

pub const BACKEND_ONLY: [BackendOnly; 5] = [
    BackendOnly {
        backend: Backend::Postgres,
        table: "activities",
        column: Some("search_document"),
        why: "the Danish text vector of name, summary and description that full-text search reads and ranks",
    },
    BackendOnly {
        backend: Backend::Postgres,
        table: "activities",
        column: Some("filter_codes"),
        why: "the terms and languages as one array with a GIN index, so filters combine with text and place in one bitmap",
    },
    BackendOnly {
        backend: Backend::Postgres,
        table: "data_versions",
        column: Some("moved_by"),
        why: "the transaction that last moved the version, so a transaction that changes many rows moves it once (SQLite's single writer needs no such guard)",
    },
    BackendOnly {
        backend: Backend::Sqlite,
        table: "activities_fts",
        column: None,
        why: "the FTS5 trigram index over name, summary and description, kept in step by triggers",
    },
    BackendOnly {
        backend: Backend::Sqlite,
        table: "activity_places",
        column: None,
        why: "the R*Tree of the activities' grid points that finds a search's radius (PostgreSQL has a B-tree box and a GiST index on activities instead), kept in step by triggers",
    },
];

impl BackendOnly {
    /// Whether `table.column` is (part of) this backend-only structure.
    pub fn covers(&self, table: &str, column: &str) -> bool {
        match self.column {
            Some(c) => table == self.table && column == c,
            None => table.starts_with(self.table),
        }
    }
}
