//! The store's one error type, with diesel's and r2d2's errors mapped onto it once.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique constraint or a state check refused the write (duplicate e-mail, budget exceeded...).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A referenced record does not exist (foreign key).
    #[error("invalid reference: {0}")]
    InvalidReference(String),
    /// The record exists but its `version` is not the one the caller based the change on.
    #[error("version mismatch")]
    VersionMismatch,
    /// The database cannot be reached right now (pool timeout, lost connection, lock or statement
    /// timeout, SQLite busy). Callers answer 503 and the client retries.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A stored value no longer parses (an unknown enum text, bad JSON): a bug or a manual edit.
    #[error("corrupt data: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(DieselError),
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
            DieselError::NotFound => StoreError::NotFound,
            DieselError::DatabaseError(kind, info) => {
                let message = info.message().to_owned();
                match kind {
                    DatabaseErrorKind::UniqueViolation | DatabaseErrorKind::CheckViolation => {
                        StoreError::Conflict(info.constraint_name().unwrap_or(&message).to_owned())
                    }
                    DatabaseErrorKind::ForeignKeyViolation => {
                        StoreError::InvalidReference(info.constraint_name().unwrap_or(&message).to_owned())
                    }
                    DatabaseErrorKind::ClosedConnection => StoreError::Unavailable(message),
                    DatabaseErrorKind::SerializationFailure => StoreError::Unavailable(message),
                    _ if TRANSIENT_MESSAGES.iter().any(|m| message.contains(m)) => StoreError::Unavailable(message),
                    _ => StoreError::Database(DieselError::DatabaseError(kind, info)),
                }
            }
            DieselError::BrokenTransactionManager => StoreError::Unavailable("broken transaction".into()),
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
