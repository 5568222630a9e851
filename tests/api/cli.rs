//! The command line: `sammen user create` and `sammen seed --demo` against a real database.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::json;

use crate::common::{TestApp, TestDb};

fn sammen(db: &TestDb, args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sammen"))
        .args(args)
        .env("DATABASE_URL", &db.url)
        .env_remove("SAMMEN_USER_PASSWORD")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[actix_web::test]
async fn user_create_reads_one_line_of_password_and_the_user_can_log_in() {
    let db = TestDb::new();
    // The line ending is not part of the password; the spaces are.
    let out =
        sammen(&db, &["user", "create", "--email", "Chef@Kommune.dk", "--role", "admin"], " første admin kode \n");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("chef@kommune.dk"));

    let again =
        sammen(&db, &["user", "create", "--email", "chef@kommune.dk", "--role", "admin"], "en anden kode 123\n");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let short = sammen(&db, &["user", "create", "--email", "b@kommune.dk", "--role", "staff"], "kort\n");
    assert!(!short.status.success() && String::from_utf8_lossy(&short.stderr).contains("at least 10"));
    let scoped =
        sammen(&db, &["user", "create", "--email", "c@kommune.dk", "--role", "coordinator"], "en lang kode 123\n");
    assert!(!scoped.status.success() && String::from_utf8_lossy(&scoped.stderr).contains("scoped"));

    let app = TestApp::start_with(db, |_| {}).await;
    let login = |password: &'static str| {
        app.post("/api/v1/auth/token")
            .json(&json!({"grant_type": "password", "username": "chef@kommune.dk", "password": password}))
            .send()
    };
    login(" første admin kode ").await.ok(200);
    login("første admin kode").await.problem(400, "oauth-invalid-grant");
}

#[actix_web::test]
async fn seed_demo_makes_one_user_per_role_only_into_an_empty_database() {
    let db = TestDb::new();
    let out = sammen(&db, &["seed", "--demo"], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let refused = sammen(&db, &["seed", "--demo"], "");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    let forced = sammen(&db, &["seed", "--demo", "--force"], "");
    assert!(forced.status.success(), "{}", String::from_utf8_lossy(&forced.stderr));

    let app = TestApp::start_with(db, |_| {}).await;
    let users = app.with_db(|c| sammen_store::identity::list_users(c, None, 100).unwrap());
    assert_eq!(users.len(), 7, "no duplicates after --force");
    demo_grants_are_in_every_state(&app);
    for (role, scope, email, password) in [
        ("admin", None, "admin@demo.sammen.dk", "sammen-demo-admin"),
        ("coordinator", Some("demo-unit-1"), "coordinator@demo.sammen.dk", "sammen-demo-coordinator"),
        ("volunteer", None, "volunteer@demo.sammen.dk", "sammen-demo-volunteer"),
    ] {
        let token = app.login(email, password).await.ok(200)["access_token"].as_str().unwrap().to_owned();
        let me = app.get("/api/v1/me").bearer(&token).send().await.ok(200);
        let mut grant = json!({"role": role});
        if let Some(scope) = scope {
            grant["scope"] = json!(scope);
        }
        assert_eq!(me["roles"], json!([grant]));
    }
}

/// The demo grant pools, once (not again with --force), with an application in every state.
fn demo_grants_are_in_every_state(app: &TestApp) {
    use sammen_domain::grants::application::ApplicationStatus;
    use sammen_store::grants::{self as grants, ApplicationFilter, ApplicationScope};
    let pools = app.with_db(|c| grants::list_pools(c, false, None, 100).unwrap());
    let titles: Vec<&str> = pools.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(titles.len(), 2, "no duplicates after --force: {titles:?}");
    assert!(titles.contains(&"Puljen til ældrefællesskaber"), "{titles:?}");
    let all = ApplicationFilter::default();
    let applications = app.with_db(|c| grants::list_applications(c, &ApplicationScope::All, &all, None, 500).unwrap());
    for status in ApplicationStatus::ALL {
        assert!(applications.iter().any(|a| a.status == status), "a demo application that is {status}");
    }
}
