//! The store's one error type, with diesel's and r2d2's errors mapped onto it once.

use diesel::result::{DatabaseErrorKind, Error as DieselError, OptionalExtension, QueryResult};
use sammen_domain::Entity;
use sammen_domain::directory::DirectoryError;
use sammen_domain::grants::GrantError;
use sammen_domain::identity::IdentityError;

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record a command or read names does not exist.
    #[error("no such {}", .0.noun())]
    NotFound(Entity),
    /// A directory rule refused the change.
    #[error(transparent)]
    Directory(#[from] DirectoryError),
    /// A grant pool rule refused the change.
    #[error(transparent)]
    Grant(#[from] GrantError),
    /// An identity rule refused the change.
    #[error(transparent)]
    Identity(#[from] IdentityError),
    /// A unique constraint refused a write that no rule foresaw (named by the constraint, for the
    /// log): a duplicate.
    #[error("conflicts with existing data ({0})")]
    Conflict(String),
    /// A referenced record does not exist (foreign key).
    #[error("refers to a record that does not exist ({0})")]
    InvalidReference(String),
    /// The record exists but its `version` is not the one the caller based the change on.
    #[error("version mismatch")]
    VersionMismatch,
    /// A concurrent transaction committed what this one was about to write (an Idempotency-Key
    /// claimed at the same moment): run the command again, and it will see the other's result.
    #[error("a concurrent request got there first")]
    Retry,
    /// The database cannot be reached right now (pool timeout, lost connection, lock or statement
    /// timeout, SQLite busy). Callers answer 503 and the client retries.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A stored value no longer parses (an unknown enum text, bad JSON): a bug or a manual edit.
    #[error("corrupt data: {0}")]
    Corrupt(String),
    /// Anything else diesel reports: a bug. The cause is kept for the log.
    #[error("database error")]
    Database(#[source] DieselError),
}

/// Messages by which PostgreSQL and SQLite say "try again later" rather than "your query is wrong".
const TRANSIENT_MESSAGES: [&str; 9] = [
    "database is locked",
    "database table is locked",
    "canceling statement due to statement timeout",
    "canceling statement due to lock timeout",
    "terminating connection",
    "server closed the connection",
    "no connection to the server",
    "the database system is shutting down",
    "the database system is starting up",
];

impl From<DieselError> for StoreError {
    fn from(err: DieselError) -> Self {
        match err {
            DieselError::DatabaseError(kind, info) => {
                let message = info.message().to_owned();
                match kind {
                    DatabaseErrorKind::UniqueViolation | DatabaseErrorKind::CheckViolation => {
                        StoreError::Conflict(info.constraint_name().unwrap_or(&message).to_owned())
                    }
                    DatabaseErrorKind::ForeignKeyViolation => {
                        StoreError::InvalidReference(info.constraint_name().unwrap_or(&message).to_owned())
                    }
                    DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::SerializationFailure => {
                        StoreError::Unavailable(message)
                    }
                    _ if TRANSIENT_MESSAGES.iter().any(|m| message.contains(m)) => StoreError::Unavailable(message),
                    _ => StoreError::Database(DieselError::DatabaseError(kind, info)),
                }
            }
            DieselError::BrokenTransactionManager => StoreError::Unavailable("broken transaction".into()),
            // A lookup that may find nothing says what it looked for (`Found::found`); a bare
            // NotFound here is a row the code took for granted.
            other => StoreError::Database(other),
        }
    }
}

impl From<r2d2::Error> for StoreError {
    fn from(err: r2d2::Error) -> Self {
        StoreError::Unavailable(err.to_string())
    }
}

impl From<diesel::r2d2::Error> for StoreError {
    fn from(err: diesel::r2d2::Error) -> Self {
        match err {
            diesel::r2d2::Error::QueryError(e) => e.into(),
            diesel::r2d2::Error::ConnectionError(e) => StoreError::Unavailable(e.to_string()),
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(err: serde_json::Error) -> Self {
        StoreError::Corrupt(err.to_string())
    }
}

/// A lookup of one record that names what it looks for: no row is `NotFound(what)`.
pub trait Found<T> {
    fn found(self, what: Entity) -> StoreResult<T>;
}

impl<T> Found<T> for QueryResult<T> {
    fn found(self, what: Entity) -> StoreResult<T> {
        self.optional()?.ok_or(StoreError::NotFound(what))
    }
}
