//! The two migration trees must stay twins: the same folder names, and the same tables and
//! columns once applied.

use std::collections::BTreeMap;
use std::path::Path;

use diesel::prelude::*;
use diesel::sql_types::Text;

use sammen_store::dialect::BACKEND_ONLY;

use crate::common::TestDb;
use crate::common::db::postgres_server;

fn folders(backend: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(backend);
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn both_trees_have_the_same_migrations_each_with_up_and_down() {
    let sqlite = folders("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, folders("postgres"));
    for backend in ["sqlite", "postgres"] {
        for name in &sqlite {
            for file in ["up.sql", "down.sql"] {
                let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(backend).join(name).join(file);
                assert!(path.is_file(), "{} exists", path.display());
            }
        }
    }
}

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

type Schema = BTreeMap<String, Vec<String>>;

fn schema_of(columns: Vec<Column>) -> Schema {
    let mut schema = Schema::new();
    for c in columns {
        // Diesel's bookkeeping, and the search structures only one backend has (declared once,
        // in the store's dialect seam).
        if c.table_name.starts_with("__diesel") || BACKEND_ONLY.iter().any(|b| b.covers(&c.table_name, &c.column_name))
        {
            continue;
        }
        schema.entry(c.table_name).or_default().push(c.column_name);
    }
    for columns in schema.values_mut() {
        columns.sort();
    }
    schema
}

fn sqlite_schema() -> Schema {
    let db = TestDb::sqlite();
    let mut conn = SqliteConnection::establish(db.url.trim_start_matches("sqlite://")).unwrap();
    schema_of(
        diesel::sql_query(
            "SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m, pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
        )
        .load(&mut conn)
        .unwrap(),
    )
}

#[test]
fn both_trees_produce_the_same_tables_and_columns() {
    let sqlite = sqlite_schema();
    assert!(sqlite.contains_key("users"), "{sqlite:?}");
    let Some(server) = postgres_server() else {
        eprintln!("PostgreSQL half skipped: SAMMEN_TEST_DATABASE_URL is unset (scripts/test sets it)");
        return;
    };
    let db = TestDb::postgres(&server);
    let mut conn = PgConnection::establish(&db.url).unwrap();
    let postgres = schema_of(
        diesel::sql_query(
            "SELECT table_name::text AS table_name, column_name::text AS column_name FROM information_schema.columns \
             WHERE table_schema = 'public'",
        )
        .load(&mut conn)
        .unwrap(),
    );
    assert_eq!(sqlite, postgres);
}

/// What only one backend has is declared in one list, and docs/architecture.md names every entry.
#[test]
fn the_backend_only_structures_are_documented() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/architecture.md")).unwrap();
    for b in BACKEND_ONLY {
        let name = match b.column {
            Some(column) => format!("`{}.{column}`", b.table),
            None => format!("`{}`", b.table),
        };
        assert!(doc.contains(&name), "docs/architecture.md should name {name} ({}-only: {})", b.backend.name(), b.why);
    }
}
