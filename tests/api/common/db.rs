//! A database of its own for each test: a fresh SQLite file in a temporary folder, or a
//! PostgreSQL database cloned from a template that was migrated once (fast: a file copy).

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Once, OnceLock};

use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel::{Connection, PgConnection};
use sha2::{Digest, Sha256};

/// A PostgreSQL server URL (any database on it; `postgres` is typical). Unset: tests use SQLite.
pub const PG_ENV: &str = "SAMMEN_TEST_DATABASE_URL";

pub struct TestDb {
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Folder(PathBuf),
    /// Another `TestDb` owns and removes the database.
    Shared,
    PgDatabase {
        admin_url: String,
        name: String,
    },
}

fn say_once(message: &str) {
    static SAID: Once = Once::new();
    SAID.call_once(|| {
        // Written past the test harness's capture on purpose, so the backend shows in every run.
        let _ = writeln!(std::io::stderr(), "{message}");
    });
}

pub fn postgres_server() -> Option<String> {
    std::env::var(PG_ENV).ok().filter(|v| !v.trim().is_empty())
}

impl TestDb {
    /// A database on the backend this run tests.
    pub fn new() -> Self {
        match postgres_server() {
            Some(server) => {
                say_once(&format!("sammen tests: PostgreSQL ({})", redact(&server)));
                Self::postgres(&server)
            }
            None => {
                say_once(&format!("sammen tests: SQLite; PostgreSQL skipped ({PG_ENV} unset; scripts/test runs both)"));
                Self::sqlite()
            }
        }
    }

    pub fn sqlite() -> Self {
        let folder = std::env::temp_dir().join(format!("sammen-test-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&folder).unwrap();
        let url = format!("sqlite://{}", folder.join("sammen.db").display());
        migrate(&url);
        TestDb { url, cleanup: Cleanup::Folder(folder) }
    }

    pub fn postgres(server: &str) -> Self {
        let template = pg_template(server);
        let name = format!("sammen_t_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::establish(server).expect("connect to the PostgreSQL test server");
        diesel::sql_query(format!("CREATE DATABASE {name} TEMPLATE {template}")).execute(&mut admin).unwrap();
        TestDb {
            url: with_database(server, &name),
            cleanup: Cleanup::PgDatabase { admin_url: server.to_owned(), name },
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.url.starts_with("postgres")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Folder(folder) => {
                let _ = std::fs::remove_dir_all(folder);
            }
            Cleanup::Shared => {}
            Cleanup::PgDatabase { admin_url, name } => {
                if let Ok(mut admin) = PgConnection::establish(admin_url) {
                    let _ =
                        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin);
                }
            }
        }
    }
}

pub fn migrate(url: &str) {
    let url = sammen_store::DatabaseUrl::parse(url).unwrap();
    let manager = sammen_store::conn::DbManager::new(url, std::time::Duration::ZERO);
    let mut conn = manager.connect_now().expect("connect to the test database");
    sammen_store::migrate::run_pending(&mut conn).expect("migrations apply");
}

/// The URL of database `name` on the server of `server`.
pub fn with_database(server: &str, name: &str) -> String {
    let (base, query) = server.split_once('?').map_or((server, None), |(b, q)| (b, Some(q)));
    let (scheme, rest) = base.split_once("://").unwrap();
    let authority = rest.split('/').next().unwrap();
    match query {
        Some(q) => format!("{scheme}://{authority}/{name}?{q}"),
        None => format!("{scheme}://{authority}/{name}"),
    }
}

fn redact(url: &str) -> String {
    sammen_store::DatabaseUrl::parse(url).map(|u| u.redacted()).unwrap_or_default()
}

/// The template's name carries a hash of the migrations, so a changed migration gets a new one.
fn pg_template(server: &str) -> String {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE
        .get_or_init(|| {
            let mut hasher = Sha256::new();
            let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("migrations/postgres");
            let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
                .unwrap()
                .flat_map(|d| std::fs::read_dir(d.unwrap().path()).unwrap())
                .map(|f| f.unwrap().path())
                .collect();
            files.sort();
            for file in files {
                hasher.update(file.strip_prefix(&root).unwrap().to_string_lossy().as_bytes());
                hasher.update(std::fs::read(&file).unwrap());
            }
            let name = format!("sammen_tpl_{}", &format!("{:x}", hasher.finalize())[..16]);
            let mut admin = PgConnection::establish(server).expect("connect to the PostgreSQL test server");
            // One test process builds the template; the others wait for it.
            diesel::sql_query("SELECT pg_advisory_lock(727272)").execute(&mut admin).unwrap();
            #[derive(QueryableByName)]
            struct Found {
                #[diesel(sql_type = Text)]
                #[allow(dead_code)]
                datname: String,
            }
            let exists = !diesel::sql_query("SELECT datname FROM pg_database WHERE datname = $1")
                .bind::<Text, _>(&name)
                .load::<Found>(&mut admin)
                .unwrap()
                .is_empty();
            if !exists {
                let building = format!("{name}_building");
                diesel::sql_query(format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
                    .execute(&mut admin)
                    .unwrap();
                diesel::sql_query(format!("CREATE DATABASE {building}")).execute(&mut admin).unwrap();
                migrate(&with_database(server, &building));
                diesel::sql_query(format!("ALTER DATABASE {building} RENAME TO {name}")).execute(&mut admin).unwrap();
            }
            diesel::sql_query("SELECT pg_advisory_unlock(727272)").execute(&mut admin).unwrap();
            name
        })
        .clone()
}

/// One argon2 hash of `PASSWORD`, made once per test process.
pub fn password_hash() -> String {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| sammen_http::identity::password::hash_blocking(super::PASSWORD).unwrap()).clone()
}

/// While alive, new connections to the test database are refused and existing ones are cut,
/// as when PostgreSQL restarts. (PostgreSQL only: an embedded SQLite file cannot go away.)
pub struct Outage {
    admin_url: String,
    name: String,
}

impl Outage {
    pub fn begin(db: &TestDb) -> Option<Outage> {
        let Cleanup::PgDatabase { admin_url, name } = &db.cleanup else { return None };
        let mut admin = PgConnection::establish(admin_url).unwrap();
        diesel::sql_query(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false")).execute(&mut admin).unwrap();
        diesel::sql_query(format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
            .execute(&mut admin)
            .unwrap();
        Some(Outage { admin_url: admin_url.clone(), name: name.clone() })
    }
}

impl Drop for Outage {
    fn drop(&mut self) {
        let mut admin = PgConnection::establish(&self.admin_url).unwrap();
        diesel::sql_query(format!("ALTER DATABASE {} ALLOW_CONNECTIONS true", self.name)).execute(&mut admin).unwrap();
    }
}

/// Holds the write lock on the `users` table from a connection of its own while alive.
pub struct WriteLock {
    _conn: sammen_store::DbConn,
}

impl WriteLock {
    pub fn users(db: &TestDb) -> WriteLock {
        use diesel::connection::SimpleConnection;
        let url = sammen_store::DatabaseUrl::parse(&db.url).unwrap();
        let mut conn = sammen_store::conn::DbManager::new(url, std::time::Duration::ZERO).connect_now().unwrap();
        // SQLite has no LOCK TABLE; an open write transaction locks the whole database. On
        // PostgreSQL the lock on `users` is what a blocked write waits for.
        let sql = if db.is_postgres() {
            "BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE;"
        } else {
            "BEGIN IMMEDIATE; UPDATE users SET version = version;"
        };
        sammen_store::db_run!(&mut conn, c => c.batch_execute(sql)).unwrap();
        WriteLock { _conn: conn }
    }
}

impl TestDb {
    /// The same database again, for a second server (no cleanup of its own).
    pub fn attach(other: &TestDb) -> TestDb {
        TestDb { url: other.url.clone(), cleanup: Cleanup::Shared }
    }
}
