//! API-client administration: admins only, validated input, ETags.

use serde_json::json;

use crate::common::TestApp;

#[actix_web::test]
async fn only_admins_administer_api_clients() {
    let app = TestApp::start().await;
    let admin = app.admin();
    let staff = app.staff();
    let volunteer = app.volunteer();
    let new = json!({"name": "Import", "scopes": ["directory:read"]});

    let created = app.post("/api/v1/api-clients").by(&admin).json(&new).send().await;
    let body = created.ok(201);
    let id = body["client"]["id"].as_str().unwrap().to_owned();
    assert_eq!(created.header("location").unwrap(), format!("/api/v1/api-clients/{id}"));
    assert!(body["client_secret"].as_str().unwrap().starts_with("cs_"));
    assert_eq!(body["client"]["scopes"], json!(["directory:read"]));
    let path = format!("/api/v1/api-clients/{id}");

    for who in [&staff, &volunteer] {
        app.post("/api/v1/api-clients").by(who).json(&new).send().await.problem(403, "forbidden");
        app.get("/api/v1/api-clients").by(who).send().await.problem(403, "forbidden");
        app.get(&path).by(who).send().await.problem(403, "forbidden");
        app.patch(&path)
            .by(who)
            .header("if-match", "*")
            .json(&json!({"disabled": true}))
            .send()
            .await
            .problem(403, "forbidden");
        app.post(&format!("{path}/secret")).by(who).send().await.problem(403, "forbidden");
    }
    app.post("/api/v1/api-clients").json(&new).send().await.problem(401, "unauthorized");
    app.get("/api/v1/api-clients").send().await.problem(401, "unauthorized");
    app.get(&path).send().await.problem(401, "unauthorized");
    app.patch(&path).header("if-match", "*").json(&json!({"disabled": true})).send().await.problem(401, "unauthorized");
    app.post(&format!("{path}/secret")).send().await.problem(401, "unauthorized");

    // The secret is never shown again.
    let read = app.get(&path).by(&admin).send().await;
    let client = read.ok(200);
    assert!(client.get("client_secret").is_none() && client.get("secret_hash").is_none());
    assert_eq!(read.header("etag"), Some("\"1\""));
    let list = app.get("/api/v1/api-clients").by(&admin).send().await.ok(200);
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    assert!(!list.to_string().contains("cs_"));

    // Updates need If-Match; scopes are checked.
    app.patch(&path).by(&admin).json(&json!({"name": "Ny"})).send().await.problem(428, "precondition-required");
    app.patch(&path)
        .by(&admin)
        .header("if-match", "\"9\"")
        .json(&json!({"name": "Ny"}))
        .send()
        .await
        .problem(412, "precondition-failed");
    let updated = app
        .patch(&path)
        .by(&admin)
        .header("if-match", "\"1\"")
        .json(&json!({"scopes": ["grants:read", "directory:read"]}))
        .send()
        .await
        .ok(200);
    assert_eq!(updated["scopes"], json!(["directory:read", "grants:read"]));
    assert_eq!(updated["version"], 2);
    app.get("/api/v1/api-clients/0193a8a4-0c7e-7bd2-9d5e-4e1f2a3b4c5d")
        .by(&admin)
        .send()
        .await
        .problem(404, "not-found");
}

#[actix_web::test]
async fn api_client_input_is_validated() {
    let app = TestApp::start().await;
    let admin = app.admin();
    let p = app
        .post("/api/v1/api-clients")
        .by(&admin)
        .json(&json!({"name": "", "scopes": ["root"]}))
        .send()
        .await
        .problem(422, "validation");
    let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["name", "scopes"]);
    app.post("/api/v1/api-clients")
        .by(&admin)
        .json(&json!({"name": "x", "scopes": []}))
        .send()
        .await
        .problem(422, "validation");
    app.post("/api/v1/api-clients")
        .by(&admin)
        .json(&json!({"name": "x", "scopes": ["directory:read"], "secret": "mine"}))
        .send()
        .await
        .problem(400, "bad-request");
    let count = app.with_db(|c| sammen_store::identity::list_clients(c, None, 10).unwrap().len());
    assert_eq!(count, 0);
}
