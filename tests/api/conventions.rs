//! The API conventions every area relies on, exercised through the first real resources
//! (users): problem details for every kind of bad input, cursor pagination, ETag/If-Match and
//! Idempotency-Key.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::common::{TestApp, TestDb};

fn new_user(email: &str) -> Value {
    json!({"email": email, "display_name": "Bodil Nielsen", "password": "en lang adgangskode", "roles": [{"role": "volunteer"}]})
}

fn user_count(app: &TestApp) -> usize {
    app.with_db(|c| sammen_store::identity::list_users(c, None, 1000).unwrap().len())
}

#[actix_web::test]
async fn every_kind_of_bad_input_is_a_4xx_problem() {
    let app = TestApp::start().await;
    let admin = app.admin();
    let before = user_count(&app);

    // Unknown route and wrong method.
    app.get("/api/v1/no-such-thing").send().await.problem(404, "not-found");
    app.get("/no-such-thing").send().await.problem(404, "not-found");
    let res = app.request(actix_web::http::Method::DELETE, "/api/v1/users").by(&admin).send().await;
    res.problem(405, "method-not-allowed");
    assert_eq!(res.header("allow"), Some("GET, HEAD, POST"));
    app.request(actix_web::http::Method::PUT, "/api/v1/health/ready").send().await.problem(405, "method-not-allowed");

    let post =
        |body: &'static str, content_type: &'static str| app.post("/api/v1/users").by(&admin).raw(content_type, body);
    // Malformed JSON, wrong types, unknown fields, an empty body: 400 with what is wrong.
    let p = post("{\"email\": ", "application/json").send().await.problem(400, "bad-request");
    assert!(p["detail"].as_str().unwrap().contains("not valid"), "{p}");
    let p = post(r#"{"email": 5, "display_name": "x", "password": "0123456789"}"#, "application/json")
        .send()
        .await
        .problem(400, "bad-request");
    assert!(p["detail"].as_str().unwrap().contains("invalid type"), "{p}");
    let p =
        post(r#"{"email": "a@b.dk", "display_name": "x", "password": "0123456789", "id": "x"}"#, "application/json")
            .send()
            .await
            .problem(400, "bad-request");
    assert!(p["detail"].as_str().unwrap().contains("unknown field `id`"), "{p}");
    let p = post("", "application/json").send().await.problem(400, "bad-request");
    assert!(p["detail"].as_str().unwrap().contains("empty"), "{p}");
    post("[1, 2]", "application/json").send().await.problem(400, "bad-request");
    post("\u{0}\u{1}", "application/json").send().await.problem(400, "bad-request");

    // Wrong content type: 415.
    let p = post(r#"{"email": "a@b.dk"}"#, "text/plain").send().await.problem(415, "unsupported-media-type");
    assert!(p["detail"].as_str().unwrap().contains("application/json"));
    post("email=a@b.dk", "application/x-www-form-urlencoded").send().await.problem(415, "unsupported-media-type");

    // Over 256 KiB: 413, whether the length is announced or not.
    let big =
        format!(r#"{{"email": "a@b.dk", "display_name": "{}", "password": "0123456789"}}"#, "x".repeat(300 * 1024));
    app.post("/api/v1/users")
        .by(&admin)
        .raw("application/json", big.clone())
        .send()
        .await
        .problem(413, "payload-too-large");

    // Well-formed but invalid: 422 listing every bad field at once.
    let p = app
        .post("/api/v1/users")
        .by(&admin)
        .json(&json!({"email": "not-an-email", "display_name": "", "password": "short", "roles": [{"role": "coordinator"}]}))
        .send()
        .await
        .problem(422, "validation");
    let fields: HashSet<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, HashSet::from(["email", "display_name", "password", "roles[0]"]), "{p}");
    let p = app
        .post("/api/v1/users")
        .by(&admin)
        .json(&json!({"email": "ok@example.dk", "display_name": "Ok", "password": "0123456789ab", "roles": [{"role": "coordinator"}, {"role": "admin", "scope": "x"}]}))
        .send()
        .await
        .problem(422, "validation");
    let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["roles[0]", "roles[1]"], "{p}");
    let p = post(
        r#"{"email": "a@b.dk", "display_name": "x", "password": "0123456789", "roles": [{"role": "root"}]}"#,
        "application/json",
    )
    .send()
    .await
    .problem(400, "bad-request");
    assert!(p["detail"].as_str().unwrap().contains("unknown variant `root`"), "{p}");

    // Bad path and query values: 400.
    let p = app.get("/api/v1/users/not-a-uuid").by(&admin).send().await.problem(400, "bad-request");
    assert!(p["detail"].as_str().unwrap().contains("path"), "{p}");
    for query in
        ["limit=abc", "limit=0", "limit=101", "limit=-1", "limit=99999999999999999999", "cursor=%%%", "cursor=bm9wZQ"]
    {
        let p = app.get(&format!("/api/v1/users?{query}")).by(&admin).send().await.problem(400, "bad-request");
        assert!(!p["detail"].as_str().unwrap().is_empty(), "{query}");
    }

    assert_eq!(user_count(&app), before, "nothing was stored by any bad request");
}

#[actix_web::test]
async fn pages_cover_every_row_once_in_a_stable_order() {
    let app = TestApp::start().await;
    let admin = app.admin();
    for _ in 0..24 {
        app.volunteer();
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/users?limit=10".to_owned();
    let mut pages = 0;
    loop {
        let res = app.get(&path).by(&admin).send().await;
        let body = res.ok(200);
        pages += 1;
        let data = body["data"].as_array().unwrap();
        seen.extend(data.iter().map(|u| u["id"].as_str().unwrap().to_owned()));
        match body["next_cursor"].as_str() {
            Some(cursor) => {
                assert_eq!(data.len(), 10);
                let link = res.header("link").expect("a Link header on every page but the last");
                assert!(link.ends_with("; rel=\"next\""), "{link}");
                let next = link.trim_start_matches('<').split('>').next().unwrap().to_owned();
                assert!(
                    next.starts_with("/api/v1/users?") && next.contains("limit=10") && next.contains(cursor),
                    "{next}"
                );
                path = next;
            }
            None => {
                assert!(res.header("link").is_none());
                break;
            }
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 25);
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), 25, "no row twice");
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted, "in id order");

    // The default page size is 20; an exact multiple ends with an empty next page never shown.
    let body = app.get("/api/v1/users").by(&admin).send().await.ok(200);
    assert_eq!(body["data"].as_array().unwrap().len(), 20);
    let body = app.get("/api/v1/users?limit=25").by(&admin).send().await.ok(200);
    assert_eq!(body["data"].as_array().unwrap().len(), 25);
    assert!(body["next_cursor"].is_null());
}

#[actix_web::test]
async fn etags_and_if_match_prevent_lost_updates() {
    let app = TestApp::start().await;
    let admin = app.admin();
    let bodil = app.volunteer();
    let path = format!("/api/v1/users/{}", bodil.id);
    // Users made by the harness are named by their address's local part.
    let name = bodil.email.split('@').next().unwrap();

    let res = app.get(&path).by(&admin).send().await;
    assert_eq!(res.ok(200)["version"], 1);
    assert_eq!(res.header("etag"), Some("\"1\""));

    let change = json!({"display_name": "Bodil N."});
    app.patch(&path).by(&admin).json(&change).send().await.problem(428, "precondition-required");
    for stale in ["\"7\"", "W/\"1\"", "garbage"] {
        app.patch(&path)
            .by(&admin)
            .header("if-match", stale)
            .json(&change)
            .send()
            .await
            .problem(412, "precondition-failed");
    }
    let unchanged = app.get(&path).by(&admin).send().await.ok(200);
    assert_eq!((unchanged["display_name"].as_str(), unchanged["version"].as_i64()), (Some(name), Some(1)));

    let res = app.patch(&path).by(&admin).header("if-match", "\"1\"").json(&change).send().await;
    let body = res.ok(200);
    assert_eq!((body["display_name"].as_str(), body["version"].as_i64()), (Some("Bodil N."), Some(2)));
    assert_eq!(res.header("etag"), Some("\"2\""));
    // The old ETag no longer matches.
    app.patch(&path)
        .by(&admin)
        .header("if-match", "\"1\"")
        .json(&json!({"display_name": "X"}))
        .send()
        .await
        .problem(412, "precondition-failed");
    // `*` matches whatever the current version is.
    let body =
        app.patch(&path).by(&admin).header("if-match", "*").json(&json!({"disabled": true})).send().await.ok(200);
    assert_eq!((body["disabled"].as_bool(), body["version"].as_i64()), (Some(true), Some(3)));

    // Concurrent updates based on the same version: exactly one wins, the rest get 412.
    let attempts = (0..8).map(|i| {
        app.patch(&path)
            .by(&admin)
            .header("if-match", "\"3\"")
            .json(&json!({"display_name": format!("Writer {i}")}))
            .send()
    });
    let results = futures_util::future::join_all(attempts).await;
    let won: Vec<_> = results.iter().filter(|r| r.status == 200).collect();
    assert_eq!(won.len(), 1, "{:?}", results.iter().map(|r| r.status).collect::<Vec<_>>());
    assert!(results.iter().all(|r| r.status == 200 || r.status == 412));
    let last = app.get(&path).by(&admin).send().await.ok(200);
    assert_eq!(last["version"], 4);
    assert_eq!(last["display_name"], won[0].json()["display_name"]);

    app.patch("/api/v1/users/0193a8a4-0c7e-7bd2-9d5e-4e1f2a3b4c5d")
        .by(&admin)
        .header("if-match", "\"1\"")
        .json(&change)
        .send()
        .await
        .problem(404, "not-found");
}

#[actix_web::test]
async fn idempotency_keys_replay_the_first_response_and_refuse_a_different_body() {
    let app = TestApp::start().await;
    let admin = app.admin();
    let staff = app.staff();
    let key = "2f1c7d3e-retry-1";

    let first = app
        .post("/api/v1/users")
        .by(&admin)
        .header("idempotency-key", key)
        .json(&new_user("ny@example.dk"))
        .send()
        .await;
    let created = first.ok(201);
    assert!(first.header("idempotent-replayed").is_none());
    let again = app
        .post("/api/v1/users")
        .by(&admin)
        .header("idempotency-key", key)
        .json(&new_user("ny@example.dk"))
        .send()
        .await;
    assert_eq!(again.ok(201), created, "the same body");
    assert_eq!(again.header("location"), first.header("location"));
    assert_eq!(again.header("etag"), first.header("etag"));
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(user_count(&app), 3, "created once");

    let p = app
        .post("/api/v1/users")
        .by(&admin)
        .header("idempotency-key", key)
        .json(&new_user("anden@example.dk"))
        .send()
        .await
        .problem(422, "idempotency-key-reused");
    assert!(p["detail"].as_str().unwrap().contains("different request"));
    assert_eq!(user_count(&app), 3);

    // Keys belong to their caller: another caller's same key is a new request.
    app.post("/api/v1/users")
        .by(&staff)
        .header("idempotency-key", key)
        .json(&new_user("tredje@example.dk"))
        .send()
        .await
        .ok(201);
    assert_eq!(user_count(&app), 4);

    // A failed request does not use up its key: the retry runs again.
    let taken = new_user("ny@example.dk");
    app.post("/api/v1/users")
        .by(&admin)
        .header("idempotency-key", "k2")
        .json(&taken)
        .send()
        .await
        .problem(409, "conflict");
    app.post("/api/v1/users")
        .by(&admin)
        .header("idempotency-key", "k2")
        .json(&taken)
        .send()
        .await
        .problem(409, "conflict");

    let bad_key = "x".repeat(256);
    app.post("/api/v1/users")
        .by(&admin)
        .header("idempotency-key", &bad_key)
        .json(&new_user("z@example.dk"))
        .send()
        .await
        .problem(400, "bad-request");
}

#[actix_web::test]
async fn concurrent_retries_with_one_key_create_one_record() {
    let app = TestApp::start().await;
    let admin = app.admin();
    let body = new_user("samtidig@example.dk");
    let attempts =
        (0..20).map(|_| app.post("/api/v1/users").by(&admin).header("idempotency-key", "same-key").json(&body).send());
    let results = futures_util::future::join_all(attempts).await;
    // The claim of the key is part of the transaction that creates the user: the others wait
    // for it and replay its answer, so every one of them gets the 201 (none is left "in progress").
    let statuses: Vec<u16> = results.iter().map(|r| r.status.as_u16()).collect();
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    let replayed = results.iter().filter(|r| r.header("idempotent-replayed") == Some("true")).count();
    assert_eq!(replayed, 19);
    let created: HashSet<String> = results.iter().map(|r| r.json()["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(created.len(), 1, "every 201 names the same user");
    assert_eq!(user_count(&app), 2);
}

#[actix_web::test]
async fn idempotency_keys_are_shared_through_the_database() {
    // Two servers on one database, as two instances behind a load balancer.
    let first = TestApp::start().await;
    let second = TestApp::start_with(TestDb::attach(&first.db), |_| {}).await;
    let admin = first.admin();
    let created = first
        .post("/api/v1/users")
        .by(&admin)
        .header("idempotency-key", "k")
        .json(&new_user("a@example.dk"))
        .send()
        .await
        .ok(201);
    let replay = second
        .post("/api/v1/users")
        .by(&admin)
        .header("idempotency-key", "k")
        .json(&new_user("a@example.dk"))
        .send()
        .await;
    assert_eq!(replay.ok(201), created);
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
}

#[actix_web::test]
async fn a_request_that_failed_is_done_when_retried_with_its_key() {
    // The key's record is written in the transaction of the work it protects: when that fails
    // (here a held lock, as in an outage), neither is stored, and the retry runs afresh instead
    // of finding the key "in progress".
    let app = TestApp::start().await;
    let body = json!({"email": "karen@example.dk", "display_name": "Karen", "password": "en lang adgangskode"});
    let register = || app.post("/api/v1/auth/register").header("idempotency-key", "k-1").json(&body).send();
    let lock = crate::common::db::WriteLock::users(&app.db);
    register().await.problem(503, "unavailable");
    drop(lock);
    let created = register().await.ok(202);
    let again = register().await;
    assert_eq!(again.ok(202), created);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(user_count(&app), 1);

    // The same through a database that went away (PostgreSQL: SQLite's file cannot).
    let Some(outage) = crate::common::db::Outage::begin(&app.db) else { return };
    let body = json!({"email": "ole@example.dk", "display_name": "Ole", "password": "en lang adgangskode"});
    let register = || app.post("/api/v1/auth/register").header("idempotency-key", "k-2").json(&body).send();
    register().await.problem(503, "unavailable");
    drop(outage);
    let mut answer = register().await;
    for _ in 0..20 {
        if answer.status != 503 {
            break;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(250)).await;
        answer = register().await;
    }
    answer.ok(202);
    assert_eq!(user_count(&app), 2);
}
