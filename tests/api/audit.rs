//! The audit log: written with every change and security event, in the same transaction (so a
//! rolled-back change leaves no row), append-only, and readable by admins only.

use sammen_domain::identity::{Role, RoleGrant};
use serde_json::json;

use crate::common::{PASSWORD, TestApp};

fn events(app: &TestApp, action: &str) -> Vec<sammen_store::audit::AuditEvent> {
    let filter = sammen_store::audit::AuditFilter { action: Some(action.into()), ..Default::default() };
    app.with_db(|c| sammen_store::audit::list(c, &filter, None, 1000).unwrap())
}

#[actix_web::test]
async fn security_events_and_changes_are_recorded_with_actor_target_and_request_id() {
    let app = TestApp::start().await;
    let (admin_id, admin) = app.user("admin@example.dk", &[RoleGrant::global(Role::Admin)]);
    let login = |password: &'static str| {
        app.post("/api/v1/auth/token")
            .json(&json!({"grant_type": "password", "username": "admin@example.dk", "password": password}))
            .send()
    };
    login(PASSWORD).await.ok(200);
    login("forkert adgangskode").await;

    let created = app
        .post("/api/v1/users")
        .bearer(&admin)
        .header("x-request-id", "req-create-1")
        .json(&json!({"email": "ny@example.dk", "display_name": "Ny", "password": "en lang adgangskode", "roles": [{"role": "volunteer"}]}))
        .send()
        .await
        .ok(201);
    let id = created["id"].as_str().unwrap();
    app.patch(&format!("/api/v1/users/{id}"))
        .bearer(&admin)
        .header("if-match", "\"1\"")
        .json(&json!({"roles": [{"role": "reviewer"}], "disabled": true}))
        .send()
        .await
        .ok(200);

    let ok = events(&app, "auth.login_succeeded");
    assert_eq!(ok.len(), 1);
    assert_eq!(
        (ok[0].actor.as_str(), ok[0].target_id.as_str()),
        (format!("user:{admin_id}").as_str(), admin_id.as_str())
    );
    let failed = events(&app, "auth.login_failed");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].actor, "anonymous");
    assert!(
        !failed[0].details.contains("forkert") && !failed[0].details.contains("admin@"),
        "no secrets or e-mails: {}",
        failed[0].details
    );

    let created_event = events(&app, "user.created").into_iter().find(|e| e.target_id == id).unwrap();
    assert_eq!(created_event.actor, format!("user:{admin_id}"));
    assert_eq!(created_event.request_id, "req-create-1");
    assert!(!created_event.details.contains("ny@example.dk"));
    let roles = events(&app, "user.roles_changed");
    assert_eq!(roles.len(), 1);
    let details: serde_json::Value = serde_json::from_str(&roles[0].details).unwrap();
    assert_eq!(details, json!({"before": [{"role": "volunteer"}], "after": [{"role": "reviewer"}]}));
    assert_eq!(events(&app, "user.disabled").len(), 1);
    assert_eq!(events(&app, "user.updated").len(), 1);
}

#[actix_web::test]
async fn a_rolled_back_change_leaves_no_audit_row() {
    let app = TestApp::start().await;
    let admin = app.admin();
    let anna = app.volunteer();
    let before = app.with_db(|c| sammen_store::audit::list(c, &Default::default(), None, 1000).unwrap().len());

    // A duplicate e-mail fails inside the insert's transaction.
    app.post("/api/v1/users")
        .by(&admin)
        .json(&json!({"email": anna.email, "display_name": "Anna 2", "password": "en lang adgangskode"}))
        .send()
        .await
        .problem(409, "conflict");
    // A stale version fails inside the update's transaction.
    app.patch(&format!("/api/v1/users/{}", anna.id))
        .by(&admin)
        .header("if-match", "\"5\"")
        .json(&json!({"disabled": true}))
        .send()
        .await
        .problem(412, "precondition-failed");

    let after = app.with_db(|c| sammen_store::audit::list(c, &Default::default(), None, 1000).unwrap().len());
    assert_eq!(after, before);
    assert!(events(&app, "user.disabled").is_empty());
}

#[actix_web::test]
async fn the_audit_log_cannot_be_changed_even_from_inside() {
    let app = TestApp::start().await;
    app.admin();
    use diesel::RunQueryDsl;
    let update = app.with_db(|c| diesel::sql_query("UPDATE audit_events SET action = 'x'").execute(c));
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = app.with_db(|c| diesel::sql_query("DELETE FROM audit_events").execute(c));
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    assert_eq!(events(&app, "user.created").len(), 1);
}

#[actix_web::test]
async fn admins_read_the_audit_log_with_filters_and_pages() {
    let app = TestApp::start().await;
    let admin = app.admin();
    let staff = app.staff();
    let volunteer = app.volunteer();
    for _ in 0..3 {
        app.login(&admin.email, PASSWORD).await.ok(200);
    }

    for who in [&staff, &volunteer] {
        app.get("/api/v1/audit-events").by(who).send().await.problem(403, "forbidden");
    }
    app.get("/api/v1/audit-events").send().await.problem(401, "unauthorized");

    let page = app.get("/api/v1/audit-events?action=auth.login_succeeded&limit=2").by(&admin).send().await.ok(200);
    let data = page["data"].as_array().unwrap();
    assert_eq!(data.len(), 2);
    assert!(data.iter().all(|e| e["action"] == "auth.login_succeeded" && e["actor"] == format!("user:{}", admin.id)));
    assert!(data[0]["id"].as_str() > data[1]["id"].as_str(), "newest first");
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = app
        .get(&format!("/api/v1/audit-events?action=auth.login_succeeded&limit=2&cursor={cursor}"))
        .by(&admin)
        .send()
        .await
        .ok(200);
    assert_eq!(rest["data"].as_array().unwrap().len(), 1);
    assert!(rest["next_cursor"].is_null());

    let by_actor = app.get(&format!("/api/v1/audit-events?actor=user:{}", admin.id)).by(&admin).send().await.ok(200);
    assert!(by_actor["data"].as_array().unwrap().iter().all(|e| e["actor"] == format!("user:{}", admin.id)));
    let future = app.get("/api/v1/audit-events?since=2999-01-01T00:00:00Z").by(&admin).send().await.ok(200);
    assert_eq!(future["data"], json!([]));
    let past = app.get("/api/v1/audit-events?until=2000-01-01T00:00:00Z").by(&admin).send().await.ok(200);
    assert_eq!(past["data"], json!([]));
    app.get("/api/v1/audit-events?since=yesterday").by(&admin).send().await.problem(400, "bad-request");
    // Nothing edits or deletes the log through the API.
    for method in ["DELETE", "PATCH", "PUT", "POST"] {
        let res = app.request(method.parse().unwrap(), "/api/v1/audit-events").by(&admin).send().await;
        res.problem(405, "method-not-allowed");
    }
}
