//! Webhooks through a real receiver that verifies each signature with an independent
//! implementation of Standard Webhooks (PyPI standardwebhooks): the directory's events reach the
//! subscriptions that ask for them and may see them; a failing receiver gets retries, then its
//! subscription is turned off; a delivery can be sent again.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use diesel::prelude::*;
use sammen_domain::directory::moderation::ListingStatus;
use sammen_domain::identity::Scope;
use serde_json::{Value, json};

use crate::common::mail::Receiver;
use crate::common::{Actor, TestApp};

const WITHIN: Duration = Duration::from_secs(20);
const ALL: [&str; 4] = ["listing.published", "listing.changed", "listing.withdrawn", "organisation.changed"];

/// Subscribes `client` to `types` at the receiver as `who`, and gives the receiver the secret.
async fn subscribe(app: &TestApp, who: &Actor, client: &str, receiver: &Receiver, types: &[&str]) -> Value {
    let res = app
        .post("/api/v1/webhook-subscriptions")
        .by(who)
        .json(&json!({"api_client_id": client, "url": format!("http://127.0.0.1:{}/hooks", receiver.port), "event_types": types}))
        .send()
        .await;
    let body = res.ok(201);
    assert_eq!(
        res.header("location"),
        Some(format!("/api/v1/webhook-subscriptions/{}", body["id"].as_str().unwrap()).as_str())
    );
    receiver.secret(body["secret"].as_str().unwrap());
    body
}

#[actix_web::test]
async fn subscribed_clients_get_signed_events_that_an_independent_implementation_verifies() {
    let Some(receiver) = Receiver::receiver(0) else { return };
    let app = TestApp::start().await;
    app.norrebro();
    let (admin, org) = (app.admin(), app.organisation("Nørrebro Sangkor"));
    let client = app.client_of(&org, &[Scope::DirectoryRead]).id;
    let subscription = subscribe(&app, &admin, &client, &receiver, &ALL).await;
    assert!(subscription["secret"].as_str().unwrap().starts_with("whsec_"));
    assert_eq!(subscription["organisation_id"], Value::Null, "an admin's subscription gets every event");
    app.dispatch_webhooks();

    let activity = app.activity_of(&org, "Fællessang", ListingStatus::Published);
    let published = &receiver.wait_for(1, WITHIN).await[0];
    assert_eq!(published["verified"], true, "{published}");
    assert_eq!(published["content_type"], "application/json");
    assert_eq!(published["body"]["type"], "listing.published");
    assert_eq!(published["body"]["data"], json!({"id": activity, "organisation_id": org, "version": 2}));
    assert!(published["body"]["timestamp"].as_str().unwrap().parse::<DateTime<Utc>>().is_ok());

    let representative = app.representative_of(&org);
    app.patch(&format!("/api/v1/organisations/{org}"))
        .by(&representative)
        .header("if-match", "*")
        .json(&json!({"description": "Vi synger hver søndag."}))
        .send()
        .await
        .ok(200);
    app.post(&format!("/api/v1/activities/{activity}/transitions"))
        .by(&representative)
        .header("if-match", "*")
        .json(&json!({"action": "withdraw"}))
        .send()
        .await
        .ok(200);
    let received = receiver.wait_for(3, WITHIN).await;
    let types: Vec<&str> = received.iter().map(|r| r["body"]["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["listing.published", "organisation.changed", "listing.withdrawn"]);
    assert!(received.iter().all(|r| r["verified"] == true), "{received:#?}");

    // The delivery log, newest first, and a replay with the same message id.
    let log = app
        .get(&format!("/api/v1/webhook-subscriptions/{}/deliveries", subscription["id"].as_str().unwrap()))
        .by(&admin)
        .send()
        .await
        .ok(200);
    let deliveries = log["data"].as_array().unwrap();
    assert_eq!(deliveries.len(), 3, "{log}");
    assert!(deliveries.iter().all(|d| d["status"] == "delivered" && d["channel"] == "webhook"), "{log}");
    let first = &deliveries[2];
    assert_eq!(first["event"]["event_type"], "listing.published");
    let replay = app
        .post(&format!("/api/v1/outbox/deliveries/{}/replay", first["id"].as_str().unwrap()))
        .by(&admin)
        .send()
        .await;
    let replayed = replay.ok(202);
    assert_eq!(replayed["status"], "pending");
    assert_ne!(replayed["id"], first["id"]);
    let again = &receiver.wait_for(4, WITHIN).await[3];
    assert_eq!(again["webhook_id"], received[0]["webhook_id"], "the same message, sent again");
    assert_eq!(again["verified"], true);
}

#[actix_web::test]
async fn a_representative_subscribes_its_own_client_to_its_own_organisation_s_events() {
    let Some(receiver) = Receiver::receiver(0) else { return };
    let app = TestApp::start().await;
    app.norrebro();
    let (org, other) = (app.organisation("Nørrebro Sangkor"), app.organisation("Amager Strikkeklub"));
    let client = app.client_of(&org, &[Scope::DirectoryRead]).id;
    let representative = app.representative_of(&org);
    let subscription = subscribe(&app, &representative, &client, &receiver, &["listing.published"]).await;
    assert_eq!(subscription["organisation_id"], org.as_str());
    app.dispatch_webhooks();

    app.activity_of(&other, "Strik", ListingStatus::Published);
    let own = app.activity_of(&org, "Sang", ListingStatus::Published);
    let received = receiver.wait_for(1, WITHIN).await;
    actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.received().len(), 1, "nothing of another organisation: {received:#?}");
    assert_eq!(received[0]["body"]["data"]["id"], own.as_str());

    // Who may not: another organisation's representative, staff, a volunteer, no one.
    let id = subscription["id"].as_str().unwrap();
    for who in [app.representative_of(&other), app.staff(), app.volunteer()] {
        app.get(&format!("/api/v1/webhook-subscriptions/{id}")).by(&who).send().await.problem(403, "forbidden");
        let body = json!({"api_client_id": client, "url": "https://frivillig.example.dk/h", "event_types": ["listing.published"]});
        app.post("/api/v1/webhook-subscriptions").by(&who).json(&body).send().await.problem(403, "forbidden");
    }
    app.get(&format!("/api/v1/webhook-subscriptions/{id}")).send().await.problem(401, "unauthorized");
}

#[actix_web::test]
async fn a_failing_receiver_gets_retries_on_the_schedule_then_the_subscription_is_turned_off() {
    let Some(receiver) = Receiver::receiver(1) else { return };
    let app = TestApp::start().await;
    app.norrebro();
    let (admin, org) = (app.admin(), app.organisation("Nørrebro Sangkor"));
    let client = app.client_of(&org, &[Scope::DirectoryRead]).id;
    let subscription = subscribe(&app, &admin, &client, &receiver, &ALL).await;
    let id = subscription["id"].as_str().unwrap().to_owned();
    app.dispatch_webhooks();
    app.activity_of(&org, "Sang", ListingStatus::Published);

    // The first attempt is answered 500: tried again 5 seconds later, and delivered then.
    let log = |app: &TestApp| app.get(&format!("/api/v1/webhook-subscriptions/{id}/deliveries")).by(&admin).send();
    let mut waited = 0;
    let failed = loop {
        let page = log(&app).await.ok(200);
        if page["data"][0]["attempts"] == 1 && page["data"][0]["last_error"].is_string() {
            break page["data"][0].clone();
        }
        waited += 1;
        assert!(waited < 200, "a failed first attempt: {page}");
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(failed["last_error"], "the receiver answered 500");
    let next: DateTime<Utc> = failed["next_attempt_at"].as_str().unwrap().parse().unwrap();
    let wait = next - Utc::now();
    assert!(wait > TimeDelta::seconds(2) && wait <= TimeDelta::seconds(5), "the first retry after 5 s: {wait}");
    let got = &receiver.wait_for(1, WITHIN).await[0];
    assert_eq!(got["verified"], true);
    let page = log(&app).await.ok(200);
    assert_eq!(
        (page["data"][0]["status"].as_str(), page["data"][0]["attempts"].as_i64()),
        (Some("delivered"), Some(2))
    );
    let on = app.get(&format!("/api/v1/webhook-subscriptions/{id}")).by(&admin).send().await.ok(200);
    assert_eq!((on["active"].as_bool(), on["failing_since"].as_str()), (Some(true), None));

    // A receiver that has failed for 72 hours: the next failure turns the subscription off.
    drop(receiver);
    app.with_db(|c| {
        use sammen_store::schema::webhook_subscriptions::dsl::*;
        let long_ago = sammen_store::now() - TimeDelta::hours(73);
        diesel::update(webhook_subscriptions).set(failing_since.eq(Some(long_ago))).execute(c).unwrap();
    });
    app.activity_of(&org, "Strik", ListingStatus::Published);
    let mut waited = 0;
    let off = loop {
        let s = app.get(&format!("/api/v1/webhook-subscriptions/{id}")).by(&admin).send().await.ok(200);
        if s["active"] == false {
            break s;
        }
        waited += 1;
        assert!(waited < 300, "turned off: {s}");
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(off["disabled_reason"], "every delivery failed for 72 hours");

    // Turned on again by its manager, with its failures forgotten.
    let res = app
        .patch(&format!("/api/v1/webhook-subscriptions/{id}"))
        .by(&admin)
        .header("if-match", format!("\"{}\"", off["version"]))
        .json(&json!({"active": true}))
        .send()
        .await;
    let on = res.ok(200);
    assert_eq!(
        (on["active"].as_bool(), on["failing_since"].as_str(), on["disabled_reason"].as_str()),
        (Some(true), None, None)
    );
}

#[actix_web::test]
async fn a_subscription_is_checked_before_it_is_stored() {
    let app = TestApp::start().await;
    app.norrebro();
    let (admin, org) = (app.admin(), app.organisation("Nørrebro Sangkor"));
    let client = app.client_of(&org, &[Scope::DirectoryRead]).id;
    let post = |body: Value| app.post("/api/v1/webhook-subscriptions").by(&admin).json(&body).send();
    for (url, types, field) in [
        ("ftp://frivillig.example.dk/hooks", json!(["listing.published"]), "url"),
        ("https://bruger:kode@frivillig.example.dk/hooks", json!(["listing.published"]), "url"),
        ("ikke en adresse", json!(["listing.published"]), "url"),
        ("https://frivillig.example.dk/hooks", json!([]), "event_types"),
        ("https://frivillig.example.dk/hooks", json!(["account.password_changed"]), "event_types"),
    ] {
        let body =
            post(json!({"api_client_id": client, "url": url, "event_types": types})).await.problem(422, "validation");
        assert_eq!(body["errors"][0]["field"], field, "{body}");
    }
    post(json!({"api_client_id": client, "url": "https://x.dk/", "event_types": ["listing.sold"]}))
        .await
        .problem(400, "bad-request");
    let unknown = uuid::Uuid::new_v4();
    post(json!({"api_client_id": unknown, "url": "https://x.dk/", "event_types": ["listing.published"]}))
        .await
        .problem(404, "not-found");
    let stored =
        app.with_db(|c| sammen_store::schema::webhook_subscriptions::table.count().get_result::<i64>(c).unwrap());
    assert_eq!(stored, 0, "nothing stored");
}

#[actix_web::test]
async fn an_organisation_s_client_is_told_who_became_or_stopped_being_its_representative() {
    let Some(receiver) = Receiver::receiver(0) else { return };
    let app = TestApp::start().await;
    app.norrebro();
    let (admin, org, other) = (app.admin(), app.organisation("Nørrebro Sangkor"), app.organisation("Amager Strik"));
    let client = app.client_of(&org, &[Scope::DirectoryRead]).id;
    let representative = app.representative_of(&org);
    subscribe(&app, &representative, &client, &receiver, &["organisation.representatives_changed"]).await;
    app.dispatch_webhooks();

    let volunteer = app.volunteer();
    let grant = |roles: Value| {
        app.patch(&format!("/api/v1/users/{}", volunteer.id))
            .by(&admin)
            .header("if-match", "*")
            .json(&json!({"roles": roles}))
            .send()
    };
    grant(json!([{"role": "organisation", "scope": other}])).await.ok(200);
    grant(json!([{"role": "organisation", "scope": org}])).await.ok(200);
    grant(json!([{"role": "volunteer"}])).await.ok(200);
    let received = receiver.wait_for(2, WITHIN).await;
    actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.received().len(), 2, "nothing about another organisation: {received:#?}");
    let changes: Vec<&Value> = received.iter().map(|r| &r["body"]["data"]).collect();
    assert_eq!(
        changes,
        [
            &json!({"organisation_id": org, "user_id": volunteer.id, "change": "added"}),
            &json!({"organisation_id": org, "user_id": volunteer.id, "change": "removed"}),
        ]
    );
    assert!(received.iter().all(|r| r["verified"] == true && !r.to_string().contains('@')), "{received:#?}");
}
