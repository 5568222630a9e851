//! Refresh tokens and how long a session lasts, revocation, and client credentials. Login
//! throttling is in `login_throttle.rs`.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use sammen_domain::identity::{Role, RoleGrant};
use serde_json::{Value, json};

use crate::common::{Actor, PASSWORD, Reply, TestApp};

async fn refresh(app: &TestApp, token: &str) -> Reply {
    app.post("/api/v1/auth/token").json(&json!({"grant_type": "refresh_token", "refresh_token": token})).send().await
}

fn audit_actions(app: &TestApp, action: &str) -> usize {
    let filter = sammen_store::audit::AuditFilter { action: Some(action.into()), ..Default::default() };
    app.with_db(|c| sammen_store::audit::list(c, &filter, None, 1000).unwrap().len())
}

#[actix_web::test]
async fn refresh_tokens_rotate_and_a_replay_ends_the_session() {
    let app = TestApp::start().await;
    app.user("anna@example.dk", &[RoleGrant::global(Role::Volunteer)]);
    let first = app.login("anna@example.dk", PASSWORD).await.ok(200);
    let r1 = first["refresh_token"].as_str().unwrap().to_owned();
    assert!(r1.starts_with("rt_") && r1.len() > 60);

    let second = refresh(&app, &r1).await.ok(200);
    let r2 = second["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(r1, r2, "rotated");
    assert_eq!(app.get("/api/v1/me").bearer(second["access_token"].as_str().unwrap()).send().await.status, 200);

    // r1 again: a replay. It fails, and so does r2, which was handed out from the same login.
    let replay = refresh(&app, &r1).await;
    assert_eq!(replay.problem(400, "oauth-invalid-grant")["error"], "invalid_grant");
    refresh(&app, &r2).await.problem(400, "oauth-invalid-grant");
    assert_eq!(audit_actions(&app, "auth.refresh_token_replayed"), 1);
    assert_eq!(audit_actions(&app, "auth.token_refreshed"), 1);

    // Only the hash is stored.
    let stored: Vec<String> = app.with_db(|c| {
        use diesel::prelude::*;
        sammen_store::schema::refresh_tokens::table
            .select(sammen_store::schema::refresh_tokens::token_hash)
            .load(c)
            .unwrap()
    });
    assert!(!stored.contains(&r1) && !stored.contains(&r2));
    assert!(stored.contains(&sammen_store::identity::secret_hash(&r1)));
}

#[actix_web::test]
async fn concurrent_use_of_one_refresh_token_succeeds_at_most_once() {
    let app = TestApp::start().await;
    app.user("anna@example.dk", &[RoleGrant::global(Role::Volunteer)]);
    let token = app.login("anna@example.dk", PASSWORD).await.ok(200)["refresh_token"].as_str().unwrap().to_owned();
    let results = futures_util::future::join_all((0..6).map(|_| refresh(&app, &token))).await;
    let ok = results.iter().filter(|r| r.status == 200).count();
    assert!(ok <= 1, "{:?}", results.iter().map(|r| r.status).collect::<Vec<_>>());
    assert!(results.iter().all(|r| r.status == 200 || r.status == 400));
}

#[actix_web::test]
async fn bad_refresh_tokens_are_refused() {
    let app = TestApp::start().await;
    let (id, _) = app.user("anna@example.dk", &[RoleGrant::global(Role::Volunteer)]);
    let tokens = app.login("anna@example.dk", PASSWORD).await.ok(200);
    let access = tokens["access_token"].as_str().unwrap();
    let refresh_token = tokens["refresh_token"].as_str().unwrap();

    // A refresh token is no access token, and the other way round.
    let res = app.get("/api/v1/me").bearer(refresh_token).send().await;
    res.problem(401, "unauthorized");
    refresh(&app, access).await.problem(400, "oauth-invalid-grant");
    refresh(&app, "rt_unknown").await.problem(400, "oauth-invalid-grant");
    app.post("/api/v1/auth/token")
        .json(&json!({"grant_type": "refresh_token"}))
        .send()
        .await
        .problem(400, "oauth-invalid-request");

    // Disabling the user ends their sessions: the refresh token stops working too.
    app.disable(&id);
    refresh(&app, refresh_token).await.problem(400, "oauth-invalid-grant");
}

#[actix_web::test]
async fn revoking_a_refresh_token_ends_its_session_and_unknown_tokens_are_fine() {
    let app = TestApp::start().await;
    app.user("anna@example.dk", &[RoleGrant::global(Role::Volunteer)]);
    let a = app.login("anna@example.dk", PASSWORD).await.ok(200)["refresh_token"].as_str().unwrap().to_owned();
    let b = app.login("anna@example.dk", PASSWORD).await.ok(200)["refresh_token"].as_str().unwrap().to_owned();

    let res = app
        .post("/api/v1/auth/revoke")
        .raw("application/x-www-form-urlencoded", format!("token={a}&token_type_hint=refresh_token"))
        .send()
        .await;
    assert_eq!(res.status, 200);
    refresh(&app, &a).await.problem(400, "oauth-invalid-grant");
    refresh(&app, &b).await.ok(200); // another login's session goes on
    assert_eq!(audit_actions(&app, "auth.token_revoked"), 1);

    // RFC 7009: unknown tokens are not an error, so revocation reveals nothing.
    assert_eq!(app.post("/api/v1/auth/revoke").json(&json!({"token": "rt_nonsense"})).send().await.status, 200);
    app.post("/api/v1/auth/revoke").json(&json!({"token": ""})).send().await.problem(400, "oauth-invalid-request");
    app.post("/api/v1/auth/revoke").json(&json!({"nope": 1})).send().await.problem(400, "bad-request");
    app.post("/api/v1/auth/revoke").raw("text/plain", "token=x").send().await.problem(415, "unsupported-media-type");
}

async fn make_client(app: &TestApp, admin: &Actor, scopes: Value) -> (String, String) {
    let body = app
        .post("/api/v1/api-clients")
        .by(admin)
        .json(&json!({"name": "Frivilligcenter import", "scopes": scopes, "organisation_id": "org-1"}))
        .send()
        .await
        .ok(201);
    (body["client"]["id"].as_str().unwrap().to_owned(), body["client_secret"].as_str().unwrap().to_owned())
}

fn basic(id: &str, secret: &str) -> String {
    use base64::Engine;
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}")))
}

#[actix_web::test]
async fn client_credentials_give_a_token_with_exactly_the_clients_scopes() {
    let app = TestApp::start().await;
    let admin = app.admin();
    let (id, secret) = make_client(&app, &admin, json!(["directory:write", "directory:read"])).await;

    // In the body.
    let body = app
        .post("/api/v1/auth/token")
        .raw(
            "application/x-www-form-urlencoded",
            format!("grant_type=client_credentials&client_id={id}&client_secret={secret}"),
        )
        .send()
        .await
        .ok(200);
    assert_eq!(body["scope"], "directory:read directory:write");
    assert!(body.get("refresh_token").is_none(), "clients get no refresh token");
    let token = body["access_token"].as_str().unwrap().to_owned();

    // As HTTP Basic auth, asking for less.
    let narrow = app
        .post("/api/v1/auth/token")
        .header("authorization", basic(&id, &secret))
        .raw("application/x-www-form-urlencoded", "grant_type=client_credentials&scope=directory:read")
        .send()
        .await
        .ok(200);
    assert_eq!(narrow["scope"], "directory:read");

    // A scope the client does not hold.
    let p = app
        .post("/api/v1/auth/token")
        .header("authorization", basic(&id, &secret))
        .raw("application/x-www-form-urlencoded", "grant_type=client_credentials&scope=grants:write")
        .send()
        .await
        .problem(400, "oauth-invalid-scope");
    assert_eq!(p["error"], "invalid_scope");

    // A client token is not a user: no account, no user administration.
    app.get("/api/v1/me").bearer(&token).send().await.problem(403, "forbidden");
    app.get("/api/v1/users").bearer(&token).send().await.problem(403, "forbidden");

    // Wrong secret, unknown client, none at all: 401 invalid_client with a Basic challenge.
    for auth in [basic(&id, "cs_wrong"), basic("0193a8a4-0c7e-7bd2-9d5e-4e1f2a3b4c5d", &secret)] {
        let res = app
            .post("/api/v1/auth/token")
            .header("authorization", auth)
            .raw("application/x-www-form-urlencoded", "grant_type=client_credentials")
            .send()
            .await;
        assert_eq!(res.problem(401, "oauth-invalid-client")["error"], "invalid_client");
        assert!(res.header("www-authenticate").unwrap().starts_with("Basic"));
    }
    app.post("/api/v1/auth/token")
        .json(&json!({"grant_type": "client_credentials"}))
        .send()
        .await
        .problem(401, "oauth-invalid-client");

    // Rotation: the old secret stops working, the new one works.
    let rotated = app.post(&format!("/api/v1/api-clients/{id}/secret")).by(&admin).send().await.ok(200);
    let new_secret = rotated["client_secret"].as_str().unwrap();
    assert_ne!(new_secret, secret);
    let grant = |s: &str| {
        app.post("/api/v1/auth/token")
            .header("authorization", basic(&id, s))
            .raw("application/x-www-form-urlencoded", "grant_type=client_credentials")
            .send()
    };
    grant(&secret).await.problem(401, "oauth-invalid-client");
    grant(new_secret).await.ok(200);

    // Disabling: no new tokens, and the issued ones stop working at once.
    let client_token = grant(new_secret).await.ok(200)["access_token"].as_str().unwrap().to_owned();
    app.patch(&format!("/api/v1/api-clients/{id}"))
        .by(&admin)
        .header("if-match", "*")
        .json(&json!({"disabled": true}))
        .send()
        .await
        .ok(200);
    grant(new_secret).await.problem(401, "oauth-invalid-client");
    app.get("/api/v1/users").bearer(&client_token).send().await.problem(401, "unauthorized");
    assert!(audit_actions(&app, "auth.client_token_issued") >= 3);
}

/// A stored refresh token's family, when the family started, and when the token was issued and
/// expires.
fn stored_token(app: &TestApp, token: &str) -> (String, NaiveDateTime, NaiveDateTime, NaiveDateTime) {
    use sammen_store::schema::refresh_tokens::dsl::*;
    let hash = sammen_store::identity::secret_hash(token);
    app.with_db(|c| {
        refresh_tokens.find(hash).select((family_id, family_started_at, issued_at, expires_at)).first(c).unwrap()
    })
}

/// Moves the start of `token`'s family back by `age`, as if the login had been that long ago.
fn login_was_earlier(app: &TestApp, token: &str, age: TimeDelta) {
    use sammen_store::schema::refresh_tokens::dsl::*;
    let (family, started, ..) = stored_token(app, token);
    let moved = app.with_db(|c| {
        diesel::update(refresh_tokens.filter(family_id.eq(family)))
            .set(family_started_at.eq(started - age))
            .execute(c)
            .unwrap()
    });
    assert!(moved >= 1);
}

fn refresh_token_of(reply: &Reply) -> String {
    reply.json()["refresh_token"].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn a_session_ends_after_its_idle_time_and_at_its_absolute_lifetime() {
    let app = TestApp::start().await;
    app.user("anna@example.dk", &[RoleGrant::global(Role::Volunteer)]);
    let old = refresh_token_of(&app.login("anna@example.dk", PASSWORD).await);
    let other = refresh_token_of(&app.login("anna@example.dk", PASSWORD).await);
    let idle = refresh_token_of(&app.login("anna@example.dk", PASSWORD).await);

    // A token lasts 14 days unused; its successor carries the family's start.
    let (family, started, issued, expires) = stored_token(&app, &old);
    assert_eq!((started, expires - issued), (issued, TimeDelta::days(14)));
    let renewed = refresh_token_of(&refresh(&app, &old).await);
    let (renewed_family, renewed_start, ..) = stored_token(&app, &renewed);
    assert_eq!((renewed_family, renewed_start), (family, started));

    // Twenty days after the login, a successor lasts only to the 30th day, not 14 more.
    login_was_earlier(&app, &renewed, TimeDelta::days(20));
    let late = refresh_token_of(&refresh(&app, &renewed).await);
    let (_, late_start, late_issued, late_expires) = stored_token(&app, &late);
    assert_eq!(late_expires, late_start + TimeDelta::days(30));
    assert!(late_expires - late_issued < TimeDelta::days(11), "{late_issued} .. {late_expires}");

    // Past 30 days the family ends however recently its token was issued, with the answer an
    // idle token gets.
    login_was_earlier(&app, &late, TimeDelta::days(10) + TimeDelta::minutes(1));
    let ended = refresh(&app, &late).await;
    app.with_db(|c| {
        use sammen_store::schema::refresh_tokens::dsl::*;
        let hash = sammen_store::identity::secret_hash(&idle);
        let past = chrono::Utc::now().naive_utc() - TimeDelta::minutes(1);
        diesel::update(refresh_tokens.find(hash)).set(expires_at.eq(past)).execute(c).unwrap()
    });
    let expired = refresh(&app, &idle).await;
    let answer = |reply: &Reply| {
        let mut body = reply.problem(400, "oauth-invalid-grant");
        body.as_object_mut().unwrap().retain(|k, _| !["instance", "request_id"].contains(&k.as_str()));
        body
    };
    assert_eq!(answer(&ended), answer(&expired));
    assert_eq!(answer(&ended)["error_description"], "the refresh token is not valid or has expired");

    // Another login's session goes on.
    refresh(&app, &other).await.ok(200);
}
