//! Text that both databases store alike: a NUL byte or another control character in any text
//! field, query parameter or CSV cell is a 422 naming the field, on PostgreSQL (which would
//! refuse it) and SQLite (which would store it) alike, and nothing is stored. Line breaks and
//! tabs are kept where a field may run over several lines.

use diesel::prelude::*;
use sammen_domain::directory::moderation::ListingStatus;
use serde_json::{Value, json};

use crate::common::{Reply, TestApp, listing};

/// Asserts a 422 naming `field` with the code `invalid_character`.
#[track_caller]
fn refused(reply: &Reply, field: &str) {
    let problem = reply.problem(422, "validation");
    let errors = problem["errors"].as_array().unwrap();
    assert!(
        errors.iter().any(|e| e["field"] == field && e["code"] == "invalid_character"),
        "expected {field} to be named: {problem}"
    );
}

fn count(app: &TestApp, table: &str) -> i64 {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let sql = format!("SELECT COUNT(*) AS n FROM {table}");
    app.with_db(|c| sammen_store::db_run!(c, c => diesel::sql_query(&sql).get_result::<N>(c))).unwrap().n
}

#[actix_web::test]
async fn control_characters_in_bodies_are_refused_naming_the_field() {
    let app = TestApp::start().await;
    app.norrebro();
    let staff = app.staff();
    let org = app.organisation("Nørrebro Sangkor");
    let organisations = count(&app, "organisations");

    for (name, field) in [("Sang\u{0}kor", "name"), ("Sang\u{1b}[31mkor", "name"), ("To\nlinjer", "name")] {
        let reply =
            app.post("/api/v1/organisations").by(&staff).json(&json!({"name": name, "kind": "ngo"})).send().await;
        refused(&reply, field);
    }
    assert_eq!(count(&app, "organisations"), organisations, "nothing was stored");

    let mut body = listing("Fællessang");
    body["location"]["address"] = json!("Nørrebrogade\u{0}208");
    let reply = app.post(&format!("/api/v1/organisations/{org}/activities")).by(&staff).json(&body).send().await;
    refused(&reply, "location.address");
    // Line breaks and tabs are kept where text may run over several lines.
    let mut body = listing("Fællessang");
    body["description"] = json!("Vi synger.\r\nBagefter:\tkaffe.");
    let made = app.post(&format!("/api/v1/organisations/{org}/activities")).by(&staff).json(&body).send().await.ok(201);
    assert_eq!(made["listing"]["description"], "Vi synger.\nBagefter:\tkaffe.");
    let id = made["id"].as_str().unwrap();

    let reply = app
        .post(&format!("/api/v1/activities/{id}/transitions"))
        .by(&staff)
        .header("if-match", "*")
        .json(&json!({"action": "reject", "reason": "Forkert\u{7}"}))
        .send()
        .await;
    refused(&reply, "reason");
    let reply = app
        .patch(&format!("/api/v1/users/{}", staff.id))
        .by(&app.admin())
        .header("if-match", "*")
        .json(&json!({"display_name": "Mette\u{0}"}))
        .send()
        .await;
    refused(&reply, "display_name");
    let reply = app
        .post("/api/v1/auth/register")
        .json(&json!({"email": "karen@example.dk", "display_name": "Karen\u{0}", "password": "en lang adgangskode"}))
        .send()
        .await;
    refused(&reply, "display_name");
}

#[actix_web::test]
async fn an_anonymous_report_with_a_nul_byte_stores_nothing() {
    let app = TestApp::start().await;
    app.norrebro();
    let org = app.organisation("Nørrebro Sangkor");
    let id = app.activity_of(&org, "Sang", ListingStatus::Published);
    let reply = app
        .post(&format!("/api/v1/activities/{id}/reports"))
        .json(&json!({"message": "Caféen er \u{0} flyttet."}))
        .send()
        .await;
    refused(&reply, "message");
    assert_eq!(count(&app, "activity_reports"), 0);
}

#[actix_web::test]
async fn control_characters_in_query_strings_name_the_parameter() {
    let app = TestApp::start().await;
    refused(&app.get("/api/v1/activities?q=sang%00kor").send().await, "q");
    refused(&app.get("/api/v1/activities?district=n%0Arrebro").send().await, "district");
    let admin = app.admin();
    refused(&app.get("/api/v1/audit-events?actor=user%3A%00").by(&admin).send().await, "actor");
    refused(&app.get("/api/v1/organisations?limit=5&cursor=%1b").send().await, "cursor");
}

#[actix_web::test]
async fn a_control_character_in_a_csv_cell_is_reported_with_its_line_and_column() {
    let app = TestApp::start().await;
    let staff = app.staff();
    let org = app.organisation("Frivilligcenter");
    let csv = "external_id,name,summary,languages,mode,frequency,weekdays,starts_on,start_time,duration_minutes\n\
               k-1,Telefonkæde,Vi ringer til hinanden hver tirsdag.,da,phone,weekly,tuesday,2026-01-06,10:00,30\n\
               k-2,Telefon\u{0}kæde,Vi ringer til hinanden hver onsdag.,da,phone,weekly,wednesday,2026-01-07,10:00,30\n";
    let reply = app
        .post(&format!("/api/v1/organisations/{org}/activities/import"))
        .by(&staff)
        .raw("text/csv", csv)
        .send()
        .await;
    let problem = reply.problem(422, "validation");
    let errors: Vec<&Value> = problem["errors"].as_array().unwrap().iter().collect();
    assert_eq!(errors.len(), 1, "{problem}");
    assert_eq!((errors[0]["line"].as_u64(), errors[0]["field"].as_str()), (Some(3), Some("name")));
    assert_eq!(errors[0]["code"], "invalid_character");
    assert_eq!(count(&app, "activities"), 0, "nothing was imported");
}

#[actix_web::test]
async fn an_external_id_with_a_control_character_is_refused() {
    let app = TestApp::start().await;
    app.norrebro();
    let staff = app.staff();
    let org = app.organisation("Frivilligcenter");
    let reply = app
        .put(&format!("/api/v1/organisations/{org}/activities/external/vc%001"))
        .by(&staff)
        .json(&listing("Sang"))
        .send()
        .await;
    assert!(reply.problem(400, "bad-request")["detail"].as_str().unwrap().contains("control characters"));
    assert_eq!(count(&app, "activities"), 0);
}

#[actix_web::test]
async fn a_control_character_stored_before_the_check_never_reaches_the_calendar() {
    let app = TestApp::start().await;
    app.norrebro();
    let org = app.organisation("Nørrebro Sangkor");
    let id = app.activity_of(&org, "Sang", ListingStatus::Published);
    // As a row written before the check (both databases store an escape character).
    {
        use sammen_store::schema::activities;
        app.with_db(|c| {
            diesel::update(activities::table.find(&id)).set(activities::name.eq("Sang\u{1b}[31m kor")).execute(c)
        })
        .unwrap();
    }
    let calendar = app.get(&format!("/api/v1/activities/{id}/calendar.ics")).send().await;
    assert_eq!(calendar.status, 200);
    let text = calendar.text();
    assert!(!text.chars().any(|c| c.is_control() && c != '\r' && c != '\n'), "{text:?}");
    assert!(text.contains("SUMMARY:Sang[31m kor"), "{text}");
    let json = app.get(&format!("/api/v1/activities/{id}")).send().await.ok(200);
    assert_eq!(json["listing"]["name"], "Sang[31m kor");
}
