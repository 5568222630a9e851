//! The read path: how many statements a read costs, the validators and cache headers of public
//! reads, and caches that no change outlives (on this instance at once, on another within the
//! poll of the data versions).

use std::time::{Duration, Instant};

use sammen_domain::directory::moderation::ListingStatus;
use serde_json::json;

use crate::common::{Reply, TestApp, TestDb, listing};

/// A directory with one published activity; (app, organisation id, activity id).
async fn one_published() -> (TestApp, String, String) {
    let app = TestApp::start().await;
    app.norrebro();
    let org = app.organisation("Nørrebro Sangkor");
    let id = app.activity_of(&org, "Søndagssang", ListingStatus::Published);
    (app, org, id)
}

#[actix_web::test]
async fn a_detail_and_a_list_page_cost_one_statement_and_a_repeat_none() {
    let (app, org, id) = one_published().await;
    app.user("anna@example.dk", &[]);
    let detail = format!("/api/v1/activities/{id}");
    let first = app.get(&detail).send().await;
    assert_eq!((first.status.as_u16(), first.db_statements()), (200, 1), "the row and its codes together");
    let again = app.get(&detail).send().await;
    assert_eq!((again.status.as_u16(), again.db_statements()), (200, 0), "from this instance's cache");
    assert_eq!(again.body, first.body);
    assert_eq!(again.header("etag"), first.header("etag"));
    // A write that changes no public data (a login, a password reset mail in the outbox) leaves
    // the cache alone; the outbox's dispatcher polling leaves it alone.
    app.login("anna@example.dk", crate::common::PASSWORD).await.ok(200);
    app.post("/api/v1/auth/password-reset").json(&serde_json::json!({"email": "anna@example.dk"})).send().await.ok(202);
    app.dispatch_webhooks();
    actix_web::rt::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(app.get(&detail).send().await.db_statements(), 0, "still cached after unrelated writes");

    // A page of a list is one statement on PostgreSQL; SQLite reads the page's codes in a second
    // one (it would run their subquery for every row it sorts). The first listing also reads the
    // taxonomy's codes (three statements) and keeps them.
    let page_statements = if app.db.is_postgres() { 1 } else { 2 };
    let listing = app.get("/api/v1/activities?district=norrebro").send().await;
    assert_eq!(listing.ok(200)["data"].as_array().unwrap().len(), 1);
    assert_eq!(listing.db_statements(), page_statements + 3);
    for query in ["", "?q=sang", "?sort=next_occurrence", "?target_group=dementia&limit=5"] {
        let page = app.get(&format!("/api/v1/activities{query}")).send().await;
        assert_eq!(page.ok(200)["data"][0]["id"], json!(id), "{query}");
        assert_eq!(page.db_statements(), page_statements, "the statements for the page of {query:?}");
    }
    // Nearest first: one statement on PostgreSQL (its GiST index walks by distance); SQLite looks
    // within 250 m, then four times wider while that holds less than a page (here: to 2 km).
    let near = app.get("/api/v1/activities?lat=55.70&lon=12.54").send().await;
    assert_eq!(near.ok(200)["data"][0]["id"], json!(id));
    assert_eq!(near.db_statements(), if app.db.is_postgres() { 1 } else { 3 + 1 });
    let faceted = app.get("/api/v1/activities?facets=district,language,target_group,mode").send().await;
    let facets = &faceted.ok(200)["facets"];
    assert_eq!(facets["district"], json!([{"code": "norrebro", "count": 1}]));
    assert_eq!(
        facets["target_group"],
        json!([{"code": "dementia", "count": 1}, {"code": "newly_widowed", "count": 1}])
    );
    assert_eq!(
        (&facets["language"], &facets["mode"]),
        (&json!([{"code": "da", "count": 1}]), &json!([{"code": "in_person", "count": 1}]))
    );
    assert_eq!(faceted.db_statements(), page_statements + 1, "the page, and one statement for every facet");

    // A caller with a token is answered afresh every time: checked, and not from the cache.
    let rep = app.representative_of(&org);
    for _ in 0..2 {
        let own = app.get(&detail).by(&rep).send().await;
        assert_eq!(own.ok(200)["id"], json!(id));
        assert_eq!(own.db_statements(), 2, "the caller's account and roles, then the activity");
    }
}

fn etag(reply: &Reply) -> String {
    reply.header("etag").expect("an ETag").to_owned()
}

#[actix_web::test]
async fn public_reads_answer_304_to_their_etag_until_a_change_makes_a_new_one() {
    let (app, org, id) = one_published().await;
    let detail = format!("/api/v1/activities/{id}");
    let first = app.get(&detail).send().await;
    let tag = etag(&first);
    let version = first.json()["version"].as_i64().unwrap();
    assert!(tag.starts_with(&format!("\"{version}-")) && tag.len() > 10, "the version, then the body's digest: {tag}");
    assert_eq!(first.header("cache-control"), Some("public, max-age=30"));
    assert!(first.header("vary").is_some_and(|v| v.starts_with("Authorization")), "{:?}", first.header("vary"));

    for holds in [tag.clone(), format!("W/{tag}"), format!("\"x\", {tag}"), "*".to_owned()] {
        let not_modified = app.get(&detail).header("if-none-match", &holds).send().await;
        assert_eq!(not_modified.status.as_u16(), 304, "{holds}");
        assert!(not_modified.body.is_empty());
        assert_eq!(not_modified.header("etag"), Some(tag.as_str()));
        assert_eq!(not_modified.header("cache-control"), Some("public, max-age=30"));
    }
    let other = app.get(&detail).header("if-none-match", "\"1-somethingelse\"").send().await;
    assert_eq!((other.status.as_u16(), other.body.clone()), (200, first.body.clone()));

    // With a token: answered privately (the organisation may see more of its own activity).
    let rep = app.representative_of(&org);
    let own = app.get(&detail).by(&rep).send().await;
    let own_tag = etag(&own);
    assert_eq!((own_tag.as_str(), &own.body), (tag.as_str(), &first.body), "nothing more to see yet");
    assert_eq!(own.header("cache-control"), Some("private, no-cache"));
    let own_again = app.get(&detail).by(&rep).header("if-none-match", &own_tag).send().await;
    assert_eq!(own_again.status.as_u16(), 304);
    assert_eq!(own_again.header("cache-control"), Some("private, no-cache"));

    // The GET's ETag serves If-Match; the change makes a new version and a new ETag.
    let mut changed = listing("Søndagssang i kirken");
    changed["summary"] = json!("Vi synger salmer og sange sammen.");
    let updated = app.put(&detail).by(&rep).header("if-match", &own_tag).json(&changed).send().await.ok(200);
    assert_eq!(updated["version"], version + 1);
    let stale = app.put(&detail).by(&rep).header("if-match", &own_tag).json(&changed).send().await;
    stale.problem(412, "precondition-failed");
    let after = app.get(&detail).header("if-none-match", &tag).send().await;
    assert_eq!(after.status.as_u16(), 200, "the old ETag no longer holds");
    assert!(etag(&after).starts_with(&format!("\"{}-", version + 1)));
    assert_eq!(after.json()["listing"]["name"], "Søndagssang", "the change waits for staff");
    // The organisation's view now shows the waiting change: another representation, another ETag.
    let own = app.get(&detail).by(&rep).send().await;
    assert_eq!(own.json()["pending_change"]["name"], "Søndagssang i kirken");
    assert_ne!(etag(&own), etag(&after));

    // Lists, feeds and the taxonomy have their validators too.
    for (path, max_age) in [
        ("/api/v1/activities?district=norrebro", 30),
        ("/api/v1/organisations", 30),
        (&format!("/api/v1/activities/{id}/calendar.ics"), 30),
        ("/api/v1/activities/locations.geojson", 30),
        ("/api/v1/taxonomy", 300),
    ] {
        let page = app.get(path).send().await;
        assert_eq!(page.status.as_u16(), 200, "{path}");
        assert_eq!(page.header("cache-control"), Some(format!("public, max-age={max_age}").as_str()), "{path}");
        let again = app.get(path).header("if-none-match", etag(&page)).send().await;
        assert_eq!(again.status.as_u16(), 304, "{path}");
    }
}

/// Asks `path` on `app` until `done` holds for the answer, for at most `within`; how long it took.
async fn until(app: &TestApp, path: &str, within: Duration, done: impl Fn(&Reply) -> bool) -> Duration {
    let started = Instant::now();
    loop {
        let reply = app.get(path).send().await;
        if done(&reply) {
            return started.elapsed();
        }
        assert!(started.elapsed() < within, "{path} still answers {} {} after {within:?}", reply.status, reply.text());
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The number of items on a page that answered 200.
fn items(reply: &Reply) -> usize {
    if reply.status.as_u16() == 200 { reply.json()["data"].as_array().map_or(0, Vec::len) } else { 0 }
}

async fn step(app: &TestApp, who: &crate::common::Actor, id: &str, action: &str) {
    let path = format!("/api/v1/activities/{id}/transitions");
    app.post(&path).by(who).header("if-match", "*").json(&json!({"action": action})).send().await.ok(200);
}

#[actix_web::test]
async fn a_change_through_another_instance_reaches_this_ones_cache_within_the_poll() {
    let (first, org, id) = one_published().await;
    let second = TestApp::start_with(TestDb::attach(&first.db), |_| {}).await;
    // The second instance has the listing in its cache.
    until(&second, "/api/v1/activities", Duration::from_secs(3), |r| items(r) == 1).await;
    let cached = second.get("/api/v1/activities").send().await;
    assert_eq!((items(&cached), cached.db_statements()), (1, 0));

    // A new activity through the first instance's API: the first sees it at once.
    let (rep, staff) = (first.representative_of(&org), first.staff());
    let path = format!("/api/v1/organisations/{org}/activities");
    let created = first.post(&path).by(&rep).json(&listing("Strikkecafé")).send().await;
    let new_id = created.ok(201)["id"].as_str().unwrap().to_owned();
    step(&first, &staff, &new_id, "approve").await;
    assert_eq!(items(&first.get("/api/v1/activities").send().await), 2);
    // The second within about the poll interval (one second).
    let took = until(&second, "/api/v1/activities", Duration::from_secs(5), |r| items(r) == 2).await;
    assert!(took < Duration::from_millis(2500), "took {took:?}");

    // Its cached detail read follows a withdrawal the same way: gone for the public.
    let detail = format!("/api/v1/activities/{id}");
    assert_eq!(second.get(&detail).send().await.status.as_u16(), 200);
    assert_eq!(second.get(&detail).send().await.db_statements(), 0, "cached");
    step(&first, &rep, &id, "withdraw").await;
    let took = until(&second, &detail, Duration::from_secs(5), |r| r.status.as_u16() == 404).await;
    assert!(took < Duration::from_millis(2500), "took {took:?}");

    // The taxonomy's codes, kept in memory for the listing's checks, follow too.
    let put = "/api/v1/taxonomy/districts/valby";
    let valby = json!({"name": "Valby", "lat": 55.66, "lon": 12.5, "sort_order": 2});
    second.get("/api/v1/activities?district=valby").send().await.problem(400, "bad-request");
    first.put(put).by(&staff).json(&valby).send().await.ok(201);
    let took = until(&second, "/api/v1/activities?district=valby", Duration::from_secs(5), |r| r.status == 200).await;
    assert!(took < Duration::from_millis(2500), "took {took:?}");
}

#[actix_web::test]
async fn a_pool_costs_one_statement_a_page_of_pools_two_and_a_decision_refreshes_both() {
    use sammen_domain::grants::application::ApplicationStatus;
    use sammen_domain::grants::round::{RoundKind, Track};
    let app = TestApp::start().await;
    let pool = app.grant_pool(10_000_000);
    let round = app.grant_round(&pool, RoundKind::Deadline, Track::Small, 0);
    app.grant_round(&pool, RoundKind::Rolling, Track::Small, 0);
    let org = app.organisation("Læseklubben");
    let id = app.grant_application(&round, &org, 1_000_000, ApplicationStatus::InReview);
    let detail = format!("/api/v1/grant-pools/{}", pool.id);
    let first = app.get(&detail).send().await;
    assert_eq!(first.db_statements(), 1, "the pool, its rounds and their criteria in one join");
    assert_eq!(first.ok(200)["rounds"].as_array().unwrap().len(), 2);
    assert_eq!(app.get(&detail).send().await.db_statements(), 0, "from this instance's cache");
    let list = app.get("/api/v1/grant-pools").send().await;
    assert_eq!(list.db_statements(), 2, "the page's ids, then the page with its rounds");
    assert_eq!(list.ok(200)["data"][0]["remaining_ore"], 10_000_000);

    // A decision moves the grants' data version: the cached pool shows the new remaining budget.
    let decision = json!({"outcome": "award", "reasons": {"justification": "Meets the criteria well", "criteria": []}});
    app.post(&format!("/api/v1/grant-applications/{id}/decision"))
        .by(&app.staff())
        .json(&decision)
        .send()
        .await
        .ok(200);
    let after = app.get(&detail).send().await;
    assert_eq!(after.ok(200)["remaining_ore"], 9_000_000);
    assert_ne!(after.header("etag"), first.header("etag"));
}
