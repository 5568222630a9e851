//! Which backend a `DATABASE_URL` names, and what to connect to.

use std::path::Path;

use super::Backend;

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
