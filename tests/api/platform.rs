//! Health, the docs page, request ids, security headers, CORS, and behaviour when the database
//! is unavailable.

use std::time::{Duration, Instant};

use crate::common::{ALLOWED_ORIGIN, TestApp, TestDb};

#[actix_web::test]
async fn liveness_and_readiness_answer_ok() {
    let app = TestApp::start().await;
    let live = app.get("/api/v1/health/live").send().await;
    assert_eq!(live.ok(200), serde_json::json!({"status": "ok"}));
    let ready = app.get("/api/v1/health/ready").send().await.ok(200);
    assert_eq!(ready["status"], "ok");
    let expected = if app.db.is_postgres() { "postgresql" } else { "sqlite" };
    assert_eq!(ready["database"], expected);
}

#[actix_web::test]
async fn the_docs_page_is_served_from_the_binary_and_points_at_the_contract() {
    let app = TestApp::start().await;
    let page = app.get("/api/docs/").send().await;
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").unwrap().starts_with("text/html"));
    assert!(page.text().contains("swagger-ui"), "{}", page.text());
    // Every asset the page loads comes from this server: no CDN, so it works offline.
    for asset in ["swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-initializer.js"]
    {
        assert!(page.text().contains(asset), "page refers to {asset}");
        let res = app.get(&format!("/api/docs/{asset}")).send().await;
        assert_eq!(res.status, 200, "{asset}");
    }
    assert!(!page.text().contains("https://"), "the page loads nothing from other hosts");
    let init = app.get("/api/docs/swagger-initializer.js").send().await.text();
    assert!(init.contains("/api/v1/openapi.json"), "{init}");
    for path in ["/api/docs", "/"] {
        let redirect = app.get(path).send().await;
        assert_eq!(redirect.status, 308, "{path}");
        assert_eq!(redirect.header("location"), Some("/api/docs/"));
    }
}

#[actix_web::test]
async fn request_ids_are_echoed_generated_or_replaced() {
    let app = TestApp::start().await;
    let given = app.get("/api/v1/health/live").header("x-request-id", "abc-123.x").send().await;
    assert_eq!(given.header("x-request-id"), Some("abc-123.x"));

    let generated = app.get("/api/v1/health/live").send().await;
    let id = generated.header("x-request-id").expect("an id is made");
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");

    // Ids that are unsafe to log or echo are replaced.
    for bad in ["has space", "<script>", &"x".repeat(129)] {
        let res = app.get("/api/v1/health/live").header("x-request-id", bad).send().await;
        let echoed = res.header("x-request-id").unwrap();
        assert_ne!(echoed, bad);
        assert!(uuid::Uuid::parse_str(echoed).is_ok());
    }

    // The id also names the request in a problem.
    let problem = app.get("/api/v1/nowhere").header("x-request-id", "trace-42").send().await.problem(404, "not-found");
    assert_eq!(problem["request_id"], "trace-42");
    assert_eq!(problem["instance"], "/api/v1/nowhere");
}

#[actix_web::test]
async fn security_headers_are_set() {
    let app = TestApp::start().await;
    let anna = app.volunteer();
    for res in [
        app.get("/api/v1/health/live").send().await,
        app.get("/api/v1/nowhere").send().await,
        app.get("/api/v1/me").by(&anna).send().await,
    ] {
        assert_eq!(res.header("x-content-type-options"), Some("nosniff"));
    }
    let me = app.get("/api/v1/me").by(&anna).send().await;
    assert_eq!(me.status, 200);
    assert_eq!(me.header("cache-control"), Some("no-store"));
    // The contract may be cached by anonymous clients, but not when the request was authenticated.
    assert_eq!(app.get("/api/v1/openapi.json").send().await.header("cache-control"), Some("public, max-age=300"));
    assert_eq!(app.get("/api/v1/openapi.json").by(&anna).send().await.header("cache-control"), Some("no-store"));
}

#[actix_web::test]
async fn cors_allows_only_the_configured_origins() {
    let app = TestApp::start().await;
    let allowed = app.get("/api/v1/health/live").header("origin", ALLOWED_ORIGIN).send().await;
    assert_eq!(allowed.status, 200);
    assert_eq!(allowed.header("access-control-allow-origin"), Some(ALLOWED_ORIGIN));
    assert!(allowed.header("access-control-expose-headers").unwrap().contains("etag"));

    let other = app.get("/api/v1/health/live").header("origin", "https://evil.example").send().await;
    assert_eq!(other.status, 200, "a non-browser client is unaffected");
    assert_eq!(other.header("access-control-allow-origin"), None, "but a browser would withhold the answer");

    let preflight = app
        .request(actix_web::http::Method::OPTIONS, "/api/v1/users")
        .header("origin", ALLOWED_ORIGIN)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "authorization, content-type, idempotency-key")
        .send()
        .await;
    assert_eq!(preflight.status, 200);
    assert_eq!(preflight.header("access-control-allow-origin"), Some(ALLOWED_ORIGIN));
    assert!(preflight.header("access-control-allow-methods").unwrap().contains("POST"));

    // A browser may revalidate a public read it holds.
    let revalidate = app
        .request(actix_web::http::Method::OPTIONS, "/api/v1/activities")
        .header("origin", ALLOWED_ORIGIN)
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "if-none-match")
        .send()
        .await;
    assert_eq!(revalidate.status, 200);
    assert!(revalidate.header("access-control-allow-headers").unwrap().contains("if-none-match"));

    let evil_preflight = app
        .request(actix_web::http::Method::OPTIONS, "/api/v1/users")
        .header("origin", "https://evil.example")
        .header("access-control-request-method", "DELETE")
        .send()
        .await;
    assert_eq!(evil_preflight.header("access-control-allow-origin"), None);
}

#[actix_web::test]
async fn an_exhausted_pool_answers_503_with_retry_after_instead_of_hanging() {
    let app = TestApp::start_with(TestDb::new(), |o| {
        o.max_size = 1;
        o.checkout_timeout = Duration::from_millis(500);
    })
    .await;
    let anna = app.volunteer();
    // Take the pool's only connection, as a stuck request would.
    let held = app.state.pool.get().unwrap();

    let started = Instant::now();
    let ready = app.get("/api/v1/health/ready").send().await;
    let problem = ready.problem(503, "unavailable");
    assert!(ready.header("retry-after").is_some_and(|v| v.parse::<u64>().is_ok()));
    assert!(problem["detail"].as_str().unwrap().contains("retry"));
    assert!(started.elapsed() < Duration::from_secs(3), "ready answered in {:?}", started.elapsed());

    let me = app.get("/api/v1/me").by(&anna).send().await;
    me.problem(503, "unavailable");
    assert!(me.header("retry-after").is_some());
    assert_eq!(app.get("/api/v1/health/live").send().await.status, 200, "liveness never needs the database");

    drop(held);
    assert_eq!(app.get("/api/v1/health/ready").send().await.status, 200, "recovers by itself");
    assert_eq!(app.get("/api/v1/me").by(&anna).send().await.status, 200);
}

#[actix_web::test]
async fn a_lost_database_answers_503_and_recovers_without_a_restart() {
    // The production checkout timeout: DB-backed requests must give up within it.
    let production = sammen_store::PoolOptions::for_backend(sammen_store::Backend::Postgres).checkout_timeout;
    let app = TestApp::start_with(TestDb::new(), |o| o.checkout_timeout = production).await;
    let anna = app.volunteer();
    assert_eq!(app.get("/api/v1/health/ready").send().await.status, 200);
    let Some(outage) = crate::common::db::Outage::begin(&app.db) else {
        eprintln!("skipped on SQLite: an embedded database file cannot go away (see the pool test)");
        return;
    };
    let started = Instant::now();
    app.get("/api/v1/health/ready").send().await.problem(503, "unavailable");
    app.get("/api/v1/me").by(&anna).send().await.problem(503, "unavailable");
    assert!(started.elapsed() < Duration::from_secs(5), "answered in {:?}", started.elapsed());
    drop(outage);
    let mut recovered = false;
    for _ in 0..20 {
        if app.get("/api/v1/health/ready").send().await.status == 200 {
            recovered = true;
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(recovered, "ready again once the database is back, without a restart");
    assert_eq!(app.get("/api/v1/me").by(&anna).send().await.status, 200);
}

#[actix_web::test]
async fn a_write_blocked_by_a_held_lock_answers_503_not_500_and_writes_nothing() {
    let app = TestApp::start().await;
    let lock = crate::common::db::WriteLock::users(&app.db);
    let body =
        serde_json::json!({"email": "karen@example.dk", "display_name": "Karen", "password": "en lang adgangskode"});
    let started = Instant::now();
    let res = app.post("/api/v1/auth/register").json(&body).send().await;
    res.problem(503, "unavailable");
    assert!(res.header("retry-after").is_some());
    assert!(started.elapsed() < Duration::from_secs(12), "gave up in {:?}", started.elapsed());
    drop(lock);
    let count = app.with_db(|c| sammen_store::identity::list_users(c, None, 10).unwrap().len());
    assert_eq!(count, 0, "nothing half-written");
    app.post("/api/v1/auth/register").json(&body).send().await.ok(202);
}

#[actix_web::test]
async fn head_is_answered_like_get_without_a_body() {
    let app = TestApp::start().await;
    let get = app.get("/api/v1/health/live").send().await;
    let head = app.request(actix_web::http::Method::HEAD, "/api/v1/health/live").send().await;
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("content-type"), get.header("content-type"));
    assert_eq!(head.header("content-length"), Some(get.body.len().to_string().as_str()));
    let head = app.request(actix_web::http::Method::HEAD, "/api/v1/openapi.json").send().await;
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let res = app.request(actix_web::http::Method::POST, "/api/v1/health/live").send().await;
    res.problem(405, "method-not-allowed");
    assert_eq!(res.header("allow"), Some("GET, HEAD"));
}
