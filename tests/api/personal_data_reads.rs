//! Every answer that shows someone else's personal data leaves audit events naming whose data
//! it was and why, written with the read. `AUDITED` lists these operations; each is called here
//! and the rows it left are checked. A walk of the contract finds every operation whose answer
//! can hold a personal field and fails for one in neither `AUDITED` nor `OWN_DATA`, so a new
//! read of personal data cannot be added unaudited without this test noticing.

use std::collections::BTreeSet;

use sammen_domain::directory::moderation::ListingStatus;
use serde_json::{Value, json};

use crate::common::{Actor, Call, TestApp};

/// Fields that hold a person's data wherever they appear in an answer.
const PERSONAL_FIELDS: [&str; 4] = ["email", "contact_email", "display_name", "subject_user_id"];

/// Schemas with such a field that hold no person's data, and why.
const NOT_A_PERSON: [(&str, &str); 1] =
    [("ContactResponse", "an organisation's contact details, given by the organisation to be contacted as one")];

/// Operations whose answers hold only the caller's own data.
const OWN_DATA: [&str; 3] = ["GET /api/v1/me", "GET /api/v1/me/export", "POST /api/v1/auth/register"];

/// Operations whose answers hold someone else's personal data, with the event each leaves per
/// person shown (other than the caller) and, for a read, its purpose.
const AUDITED: [(&str, &str, Option<&str>); 7] = [
    ("GET /api/v1/users", "personal_data.read", Some("user administration")),
    ("GET /api/v1/users/{id}", "personal_data.read", Some("user administration")),
    ("PATCH /api/v1/users/{id}", "personal_data.read", Some("user administration")),
    // The answer holds what the caller just sent; the creation's event names the account.
    ("POST /api/v1/users", "user.created", None),
    ("GET /api/v1/activity-reports", "personal_data.read", Some("answering a listing report")),
    ("POST /api/v1/activity-reports/{id}/resolve", "personal_data.read", Some("answering a listing report")),
    ("GET /api/v1/audit-events", "personal_data.read", Some("audit log review")),
];

/// Adds to `found` the personal fields `schema` can hold, following references.
fn personal_fields(doc: &Value, schema: &Value, followed: &mut BTreeSet<String>, found: &mut BTreeSet<String>) {
    match schema {
        Value::Object(map) => {
            if let Some(name) = map.get("$ref").and_then(Value::as_str).and_then(|r| r.rsplit('/').next()) {
                let exempt = NOT_A_PERSON.iter().any(|(schema, _)| *schema == name);
                if !exempt && followed.insert(name.to_owned()) {
                    personal_fields(doc, &doc["components"]["schemas"][name], followed, found);
                }
            }
            if let Some(properties) = map.get("properties").and_then(Value::as_object) {
                found.extend(properties.keys().filter(|k| PERSONAL_FIELDS.contains(&k.as_str())).cloned());
            }
            for value in map.values() {
                personal_fields(doc, value, followed, found);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| personal_fields(doc, item, followed, found)),
        _ => {}
    }
}

#[test]
fn every_operation_that_answers_with_personal_data_is_audited_or_the_callers_own() {
    let doc: Value = serde_json::from_str(&sammen_http::contract_json()).unwrap();
    let mut showing = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let successes = op["responses"].as_object().into_iter().flatten().filter(|(s, _)| s.starts_with('2'));
            let mut found = BTreeSet::new();
            for (_, response) in successes {
                personal_fields(&doc, &response["content"], &mut BTreeSet::new(), &mut found);
            }
            if !found.is_empty() {
                showing.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    let audited: BTreeSet<String> = AUDITED.iter().map(|(op, ..)| op.to_string()).collect();
    for op in &showing {
        assert!(
            audited.contains(op) || OWN_DATA.contains(&op.as_str()),
            "{op} answers with personal data: record its reads (sammen_store::audit::record_personal_data_reads) \
             and add it to AUDITED in tests/api/personal_data_reads.rs, or to OWN_DATA if it shows only the \
             caller's own"
        );
    }
    for op in &audited {
        assert!(showing.contains(op), "{op} is in AUDITED but its answer holds no personal field any more");
    }
}

/// What the calls need: who acts, whose data they read, a report with a reporter's address.
struct World {
    admin: Actor,
    staff: Actor,
    anna: Actor,
    representative: Actor,
    org: String,
    report_with_email: String,
    report_without: String,
}

async fn world(app: &TestApp) -> World {
    app.norrebro();
    let org = app.organisation("Sangkoret");
    let activity = app.activity_of(&org, "Fællessang", ListingStatus::Published);
    let mut reports = Vec::new();
    for contact in [json!("reporter@example.dk"), Value::Null] {
        let body = json!({"message": "Caféen er flyttet til Blågårdsgade 12.", "contact_email": contact});
        let receipt = app.post(&format!("/api/v1/activities/{activity}/reports")).json(&body).send().await.ok(201);
        reports.push(receipt["id"].as_str().unwrap().to_owned());
    }
    World {
        admin: app.admin(),
        staff: app.staff(),
        anna: app.volunteer(),
        representative: app.representative_of(&org),
        org,
        report_with_email: reports[0].clone(),
        report_without: reports[1].clone(),
    }
}

/// A read of someone's data as the audit log should hold it: (target_type, target_id, subject).
type Read = (String, String, Option<String>);

fn read_of_user(target_type: &str, id: &str) -> Read {
    (target_type.to_owned(), id.to_owned(), Some(id.to_owned()))
}

fn read_of_report(id: &str) -> Read {
    ("activity_report".to_owned(), id.to_owned(), None)
}

/// Calls `op` as its audience would, checks the answer shows the personal data, and returns
/// the reads the audit log must hold for it.
async fn call(app: &TestApp, w: &World, op: &str, request_id: &str) -> BTreeSet<Read> {
    let anna = format!("/api/v1/users/{}", w.anna.id);
    let send = |call: Call, who: &Actor| call.by(who).header("x-request-id", request_id).send();
    match op {
        "GET /api/v1/users" => {
            let page = send(app.get("/api/v1/users"), &w.staff).await.ok(200);
            assert!(page.to_string().contains(&w.anna.email));
            let shown = page["data"].as_array().unwrap().iter().map(|u| u["id"].as_str().unwrap());
            shown.filter(|id| *id != w.staff.id).map(|id| read_of_user("user", id)).collect()
        }
        "GET /api/v1/users/{id}" => {
            assert_eq!(send(app.get(&anna), &w.staff).await.ok(200)["email"], w.anna.email);
            [read_of_user("user", &w.anna.id)].into()
        }
        "PATCH /api/v1/users/{id}" => {
            let change = app.patch(&anna).header("if-match", "*").json(&json!({"display_name": "Anna Berg"}));
            assert_eq!(send(change, &w.staff).await.ok(200)["email"], w.anna.email);
            [read_of_user("user", &w.anna.id)].into()
        }
        "POST /api/v1/users" => {
            let body = json!({"email": "ny@example.dk", "display_name": "Ny", "password": "en lang adgangskode"});
            let created = send(app.post("/api/v1/users").json(&body), &w.staff).await.ok(201);
            [read_of_user("user", created["id"].as_str().unwrap())].into()
        }
        "GET /api/v1/activity-reports" => {
            let page = send(app.get("/api/v1/activity-reports"), &w.staff).await.ok(200);
            assert_eq!(page["data"][0]["contact_email"], "reporter@example.dk");
            assert_eq!(page["data"][1]["id"], w.report_without.as_str());
            [read_of_report(&w.report_with_email)].into()
        }
        "POST /api/v1/activity-reports/{id}/resolve" => {
            let resolve = app.post(&format!("/api/v1/activity-reports/{}/resolve", w.report_with_email));
            let resolved = send(resolve.json(&json!({"note": "Rettet."})), &w.staff).await.ok(200);
            assert_eq!(resolved["contact_email"], "reporter@example.dk");
            [read_of_report(&w.report_with_email)].into()
        }
        "GET /api/v1/audit-events" => {
            let page = send(app.get("/api/v1/audit-events?limit=100"), &w.admin).await.ok(200);
            let events = page["data"].as_array().unwrap();
            let mut people: BTreeSet<&str> = events.iter().filter_map(|e| e["subject_user_id"].as_str()).collect();
            people.extend(events.iter().filter_map(|e| e["actor"].as_str()?.strip_prefix("user:")));
            assert!(people.contains(w.anna.id.as_str()) && people.contains(w.admin.id.as_str()));
            people.remove(w.admin.id.as_str());
            people.into_iter().map(|id| read_of_user("audit_log", id)).collect()
        }
        _ => panic!("no call for {op}: add one to tests/api/personal_data_reads.rs"),
    }
}

/// The events of `action` that request `request_id` left, as reads, with their purposes.
fn recorded(app: &TestApp, request_id: &str, action: &str) -> (BTreeSet<Read>, BTreeSet<Option<String>>) {
    let events = app.with_db(|c| sammen_store::audit::list(c, &Default::default(), None, 100_000).unwrap());
    let ours: Vec<_> = events.into_iter().filter(|e| e.request_id == request_id && e.action == action).collect();
    let reads = ours.iter().map(|e| (e.target_type.clone(), e.target_id.clone(), e.subject_user_id.clone())).collect();
    (reads, ours.into_iter().map(|e| e.purpose).collect())
}

#[actix_web::test]
async fn each_read_of_someone_elses_personal_data_leaves_an_event_per_person_with_its_purpose() {
    let app = TestApp::start().await;
    let w = world(&app).await;
    for (i, (op, action, purpose)) in AUDITED.iter().enumerate() {
        let request_id = format!("personal-data-{i}");
        let expected = call(&app, &w, op, &request_id).await;
        assert!(!expected.is_empty(), "{op}");
        let (reads, purposes) = recorded(&app, &request_id, action);
        assert_eq!(reads, expected, "{op}: the {action} events");
        assert_eq!(purposes, BTreeSet::from([purpose.map(str::to_owned)]), "{op}: the purpose");
    }
}

#[actix_web::test]
async fn reading_ones_own_data_or_a_report_without_an_address_records_no_read() {
    let app = TestApp::start().await;
    let w = world(&app).await;
    let own = app.get(&format!("/api/v1/users/{}", w.anna.id)).by(&w.anna).header("x-request-id", "own");
    assert_eq!(own.send().await.ok(200)["email"], w.anna.email);
    // The organisation's own people see its reports without the reporters' addresses.
    let reports = app
        .get(&format!("/api/v1/activity-reports?organisation={}", w.org))
        .by(&w.representative)
        .header("x-request-id", "organisation")
        .send()
        .await
        .ok(200);
    assert_eq!(reports["data"].as_array().unwrap().len(), 2);
    assert!(reports["data"].as_array().unwrap().iter().all(|r| r.get("contact_email").is_none()));
    let resolve = app.post(&format!("/api/v1/activity-reports/{}/resolve", w.report_without));
    resolve.by(&w.staff).header("x-request-id", "no-address").json(&json!({})).send().await.ok(200);
    for request_id in ["own", "organisation", "no-address"] {
        assert_eq!(recorded(&app, request_id, "personal_data.read").0, BTreeSet::new(), "{request_id}");
    }
}
