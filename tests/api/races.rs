//! Invariants that span rows, raced with real concurrent requests (dozens at once) as an attacker
//! would. SQLite serialises writers, so these are written for PostgreSQL's READ COMMITTED, where
//! a check after the write lets two transactions each pass against the other's old row; the same
//! tests run on both databases (docs/architecture.md, "Invariants under concurrency").

use std::collections::HashSet;

use futures_util::future::join_all;
use sammen_domain::directory::moderation::ListingStatus;
use sammen_domain::ids::OrganisationId;
use serde_json::{Value, json};

use crate::common::{Actor, Reply, TestApp, listing};

fn statuses(replies: &[Reply]) -> Vec<u16> {
    replies.iter().map(|r| r.status.as_u16()).collect()
}

fn count(replies: &[Reply], status: u16) -> usize {
    replies.iter().filter(|r| r.status.as_u16() == status).count()
}

fn active_admins(app: &TestApp) -> i64 {
    app.with_db(sammen_store::identity::active_admin_count).unwrap()
}

#[actix_web::test]
async fn admins_disabling_each_other_at_once_always_leave_one() {
    let app = TestApp::start().await;
    for round in 0..8 {
        // The only two active admins disable each other at the same instant.
        let admins: Vec<Actor> = (0..2).map(|_| app.admin()).collect();
        if round > 0 {
            // Last round's survivor steps down first, so these two are the only active ones.
            let others: Vec<String> = app
                .with_db(sammen_store::identity::lock_active_admins)
                .unwrap()
                .into_iter()
                .map(|id| id.into_string())
                .filter(|id| admins.iter().all(|a| a.id != *id))
                .collect();
            for id in others {
                app.disable(&id);
            }
        }
        assert_eq!(active_admins(&app), 2);
        let replies = join_all([(0, 1), (1, 0)].map(|(by, target)| {
            app.patch(&format!("/api/v1/users/{}", admins[target].id))
                .by(&admins[by])
                .header("if-match", "*")
                .json(&json!({"disabled": true}))
                .send()
        }))
        .await;
        assert_eq!(active_admins(&app), 1, "round {round}: {:?}", statuses(&replies));
        // One wins; the other is told why (409), or was already disabled when it arrived (401).
        assert_eq!(count(&replies, 200), 1, "round {round}: {:?}", statuses(&replies));
        for refused in replies.iter().filter(|r| r.status != 200) {
            match refused.status.as_u16() {
                409 => {
                    assert!(refused.problem(409, "conflict")["detail"].as_str().unwrap().contains("no active admin"))
                }
                401 => drop(refused.problem(401, "unauthorized")),
                other => panic!("round {round}: {other}: {}", refused.text()),
            }
        }
    }
}

#[actix_web::test]
async fn a_crowd_of_admins_demoting_each_other_leaves_one() {
    let app = TestApp::start().await;
    let admins: Vec<Actor> = (0..16).map(|_| app.admin()).collect();
    // Each demotes the next, all at once (a ring: every admin is someone's target).
    let replies = join_all((0..admins.len()).map(|i| {
        let target = &admins[(i + 1) % admins.len()];
        app.patch(&format!("/api/v1/users/{}", target.id))
            .by(&admins[i])
            .header("if-match", "*")
            .json(&json!({"roles": [{"role": "staff"}]}))
            .send()
    }))
    .await;
    assert!(statuses(&replies).iter().all(|s| [200, 403, 409].contains(s)), "{:?}", statuses(&replies));
    assert!(active_admins(&app) >= 1, "{:?}", statuses(&replies));
    assert_eq!(active_admins(&app) as usize + count(&replies, 200), admins.len(), "each 200 took one admin away");
}

/// Sets the parent of organisation `id` (`None` clears it) as staff.
async fn set_parent(app: &TestApp, staff: &Actor, id: &str, parent: Option<&str>) -> Reply {
    app.patch(&format!("/api/v1/organisations/{id}"))
        .by(staff)
        .header("if-match", "*")
        .json(&json!({ "parent_id": parent }))
        .send()
        .await
}

/// Walks the parents of every organisation: each walk must end (no cycle).
fn assert_no_cycle(app: &TestApp, ids: &[String]) {
    for start in ids {
        let mut seen = HashSet::new();
        let mut at = Some(OrganisationId::from_stored(start.clone()));
        while let Some(id) = at {
            assert!(seen.insert(id.clone()), "{start} reaches itself through its parents");
            at = app.with_db(|c| sammen_store::directory::find_organisation(c, &id)).unwrap().parent_id;
        }
    }
}

#[actix_web::test]
async fn concurrent_parent_changes_never_link_organisations_into_a_cycle() {
    let app = TestApp::start().await;
    let staff = app.staff();
    let (a, b) = (app.organisation("A"), app.organisation("B"));
    for round in 0..12 {
        // A under B and B under A, at the same instant.
        let replies = join_all([set_parent(&app, &staff, &a, Some(&b)), set_parent(&app, &staff, &b, Some(&a))]).await;
        assert_eq!(count(&replies, 200), 1, "round {round}: {:?}", statuses(&replies));
        let refused = replies.iter().find(|r| r.status != 200).unwrap();
        assert!(refused.problem(409, "conflict")["detail"].as_str().unwrap().contains("branch of itself"));
        assert_no_cycle(&app, &[a.clone(), b.clone()]);
        for id in [&a, &b] {
            set_parent(&app, &staff, id, None).await.ok(200);
        }
    }
    // A ring of twenty: each asks to go under the next, all at once. At most nineteen can.
    let ring: Vec<String> = (0..20).map(|i| app.organisation(&format!("Ring {i}"))).collect();
    let replies =
        join_all((0..ring.len()).map(|i| set_parent(&app, &staff, &ring[i], Some(&ring[(i + 1) % ring.len()])))).await;
    assert!(statuses(&replies).iter().all(|s| [200, 409].contains(s)), "{:?}", statuses(&replies));
    assert!(count(&replies, 409) >= 1);
    assert_no_cycle(&app, &ring);
}

/// An activity in `status` of a new organisation, and the organisation's representative.
fn activity(app: &TestApp, status: ListingStatus) -> (Actor, String) {
    app.norrebro();
    let org = app.organisation("Nørrebro Sangkor");
    (app.representative_of(&org), app.activity_of(&org, "Fællessang", status))
}

#[actix_web::test]
async fn of_many_changes_based_on_one_version_exactly_one_is_saved() {
    let app = TestApp::start().await;
    let staff = app.staff();
    let (_, id) = activity(&app, ListingStatus::Published);
    let current = app.get(&format!("/api/v1/activities/{id}")).send().await;
    let etag = current.header("etag").unwrap().to_owned();
    let replies = join_all((0..24).map(|i| {
        app.request(actix_web::http::Method::PUT, &format!("/api/v1/activities/{id}"))
            .by(&staff)
            .header("if-match", &etag)
            .json(&listing(&format!("Fællessang {i}")))
            .send()
    }))
    .await;
    assert_eq!((count(&replies, 200), count(&replies, 412)), (1, 23), "{:?}", statuses(&replies));
    let winner = replies.iter().find(|r| r.status == 200).unwrap().json();
    let now = app.get(&format!("/api/v1/activities/{id}")).send().await.ok(200);
    assert_eq!(now["listing"]["name"], winner["listing"]["name"]);
    assert_eq!(now["version"], current.json()["version"].as_i64().unwrap() + 1);
}

#[actix_web::test]
async fn concurrent_moderation_steps_take_one_path_through_the_states() {
    let app = TestApp::start().await;
    let staff = app.staff();
    let (rep, id) = activity(&app, ListingStatus::Draft);
    let step = |by: &Actor, body: Value| {
        app.post(&format!("/api/v1/activities/{id}/transitions")).by(by).header("if-match", "*").json(&body).send()
    };
    step(&rep, json!({"action": "submit"})).await.ok(200);
    // Twelve approvals and twelve rejections of the submission, at once, each taking whatever
    // version there is: one decides, the rest find it decided.
    let approve = json!({"action": "approve"});
    let reject = json!({"action": "reject", "reason": "Mangler adresse"});
    let replies =
        join_all((0..24).map(|i| step(&staff, if i % 2 == 0 { approve.clone() } else { reject.clone() }))).await;
    assert_eq!(count(&replies, 200), 1, "{:?}", statuses(&replies));
    for r in replies.iter().filter(|r| r.status != 200) {
        r.problem(409, "conflict");
    }
    let decided = app.get(&format!("/api/v1/activities/{id}")).by(&staff).send().await.ok(200);
    let events = app.with_db(|c| {
        let filter = sammen_store::audit::AuditFilter { target_id: Some(id.clone()), ..Default::default() };
        sammen_store::audit::list(c, &filter, None, 100)
    });
    let decisions: Vec<String> = events
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .filter(|a| a == "activity.published" || a == "activity.rejected")
        .collect();
    assert_eq!(decisions, [format!("activity.{}", decided["status"].as_str().unwrap())]);
}

#[actix_web::test]
async fn one_external_id_sent_at_once_from_many_requests_makes_one_listing() {
    let app = TestApp::start().await;
    app.norrebro();
    let org = app.organisation("Frivilligcenter");
    let client = app.client_of(&org, &[sammen_domain::identity::Scope::DirectoryWrite]);
    let replies = join_all((0..24).map(|i| {
        app.request(actix_web::http::Method::PUT, &format!("/api/v1/organisations/{org}/activities/external/vc-1"))
            .by(&client)
            .json(&listing(&format!("Fællessang {i}")))
            .send()
    }))
    .await;
    assert_eq!((count(&replies, 201), count(&replies, 200)), (1, 23), "{:?}", statuses(&replies));
    let ids: HashSet<String> = replies.iter().map(|r| r.json()["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(ids.len(), 1, "every answer names the same listing");
    let org = OrganisationId::from_stored(org);
    let stored = app.with_db(|c| sammen_store::directory::find_by_external_ids(c, &org, &["vc-1"])).unwrap();
    assert_eq!(stored.len(), 1);
}

#[actix_web::test]
async fn a_report_is_resolved_once_however_many_resolve_it_at_once() {
    let app = TestApp::start().await;
    let staff = app.staff();
    let (rep, id) = activity(&app, ListingStatus::Published);
    let report = app
        .post(&format!("/api/v1/activities/{id}/reports"))
        .json(&json!({"message": "Caféen er flyttet til Blågårdsgade."}))
        .send()
        .await
        .ok(201);
    let path = format!("/api/v1/activity-reports/{}/resolve", report["id"].as_str().unwrap());
    let replies = join_all((0..20).map(|i| {
        let by = if i % 2 == 0 { &staff } else { &rep };
        app.post(&path).by(by).json(&json!({"note": format!("Rettet ({i})")})).send()
    }))
    .await;
    assert_eq!((count(&replies, 200), count(&replies, 409)), (1, 19), "{:?}", statuses(&replies));
    for r in replies.iter().filter(|r| r.status == 409) {
        assert!(r.problem(409, "conflict")["detail"].as_str().unwrap().contains("resolved already"));
    }
}

#[actix_web::test]
async fn one_address_registered_at_once_from_many_requests_makes_one_account() {
    let app = TestApp::start().await;
    let replies = join_all((0..12).map(|_| {
        app.post("/api/v1/auth/register")
            .json(&json!({"email": "samme@example.dk", "display_name": "Samme", "password": "en lang adgangskode"}))
            .send()
    }))
    .await;
    // Every answer alike (202), or 429 once the address has had its registrations for the hour;
    // never a 409 that would tell the address is taken, never a 5xx.
    assert!(count(&replies, 202) >= 1, "{:?}", statuses(&replies));
    assert_eq!(count(&replies, 202) + count(&replies, 429), 12, "{:?}", statuses(&replies));
    let accounts = app.with_db(|c| sammen_store::identity::list_users(c, None, 10).unwrap());
    assert_eq!(accounts.len(), 1, "one account");
}
