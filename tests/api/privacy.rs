//! Privacy rights: a user's export of everything held about them (including when their data
//! was read and why, not by whom), and erasure with a receipt.

use sammen_domain::identity::{Role, RoleGrant};
use serde_json::json;

use crate::common::{PASSWORD, TestApp};

#[actix_web::test]
async fn the_export_holds_the_account_and_when_and_why_it_was_read_but_not_by_whom() {
    let app = TestApp::start().await;
    let staff = app.staff();
    let (id, token) = app.user("anna@example.dk", &[RoleGrant::global(Role::Volunteer)]);
    app.login("anna@example.dk", PASSWORD).await.ok(200);
    app.get(&format!("/api/v1/users/{id}")).by(&staff).send().await.ok(200);
    app.get("/api/v1/users").by(&staff).send().await.ok(200);
    // Reading one's own account is not a read by someone else.
    app.get(&format!("/api/v1/users/{id}")).bearer(&token).send().await.ok(200);

    let export = app.get("/api/v1/me/export").bearer(&token).send().await.ok(200);
    assert_eq!(export["account"]["email"], "anna@example.dk");
    assert_eq!(export["account"]["roles"], json!([{"role": "volunteer"}]));
    let events = export["events"].as_array().unwrap();
    let reads: Vec<_> = events.iter().filter(|e| e["action"] == "personal_data.read").collect();
    assert_eq!(reads.len(), 2, "{events:?}");
    assert!(reads.iter().all(|e| e["purpose"] == "user administration" && e["occurred_at"].is_string()));
    assert!(events.iter().any(|e| e["action"] == "auth.login_succeeded"));
    assert!(!export.to_string().contains(&staff.id), "not by whom");
    assert!(!export.to_string().contains("actor"));

    // Only for oneself; a client has no account.
    app.get("/api/v1/me/export").send().await.problem(401, "unauthorized");
}

#[actix_web::test]
async fn erasure_removes_personal_data_ends_access_and_keeps_the_audit_trail() {
    let app = TestApp::start().await;
    app.admin();
    let (id, token) = app.user("anna@example.dk", &[RoleGrant::global(Role::Volunteer)]);
    let refresh = app.login("anna@example.dk", PASSWORD).await.ok(200)["refresh_token"].as_str().unwrap().to_owned();

    app.request(actix_web::http::Method::DELETE, "/api/v1/me").send().await.problem(401, "unauthorized");
    let receipt = app.request(actix_web::http::Method::DELETE, "/api/v1/me").bearer(&token).send().await.ok(200);
    assert_eq!(receipt["erased"], json!(["email", "display_name", "password", "roles", "sessions"]));
    assert!(receipt["kept"][0]["why"].as_str().unwrap().contains("accountability"));

    app.get("/api/v1/me").bearer(&token).send().await.problem(401, "unauthorized");
    app.post("/api/v1/auth/token")
        .json(&json!({"grant_type": "refresh_token", "refresh_token": refresh}))
        .send()
        .await
        .problem(400, "oauth-invalid-grant");
    app.login("anna@example.dk", PASSWORD).await.problem(400, "oauth-invalid-grant");

    let user = app.with_db(|c| sammen_store::identity::find_user(c, &id.clone().into()).unwrap());
    assert!(
        !user.email.contains("anna") && user.display_name == "Slettet bruger" && user.disabled && user.roles.is_empty()
    );
    let login = app.with_db(|c| sammen_store::identity::find_login(c, &user.email).unwrap().unwrap());
    assert!(login.password_hash.is_none());
    // The address is free again, and the audit trail of the old account is intact.
    app.post("/api/v1/auth/register")
        .json(&json!({"email": "anna@example.dk", "display_name": "Anna", "password": "en lang adgangskode"}))
        .send()
        .await
        .ok(202);
    let trail = app.with_db(|c| sammen_store::audit::about_user(c, &id).unwrap());
    assert!(
        trail.iter().any(|e| e.action == "user.erased") && trail.iter().any(|e| e.action == "auth.login_succeeded")
    );
}

#[actix_web::test]
async fn the_last_admin_cannot_erase_their_account() {
    let app = TestApp::start().await;
    let admin = app.admin();
    let p = app.request(actix_web::http::Method::DELETE, "/api/v1/me").by(&admin).send().await.problem(409, "conflict");
    assert!(p["detail"].as_str().unwrap().contains("no active admin"));
    app.get("/api/v1/me").by(&admin).send().await.ok(200);
    let second = app.admin();
    app.request(actix_web::http::Method::DELETE, "/api/v1/me").by(&admin).send().await.ok(200);
    app.get("/api/v1/me").by(&second).send().await.ok(200);
}
