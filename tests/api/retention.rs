//! Retention: the sweep deletes what has served its purpose, at the instant it is given (the
//! clock is a parameter), and nothing else; the audit log's first year is beyond its reach.

use chrono::TimeDelta;
use diesel::prelude::*;
use sammen_domain::directory::moderation::ListingStatus;
use sammen_store::retention::{Retention, sweep};
use sammen_store::schema::{
    account_tokens, activity_reports, audit_events, outbox_deliveries, outbox_events, refresh_tokens,
};
use serde_json::json;

use crate::common::{PASSWORD, TestApp};

/// Rows in a table.
macro_rules! count {
    ($app:expr, $table:expr) => {
        $app.with_db(|c| $table.count().get_result::<i64>(c).unwrap())
    };
}

#[actix_web::test]
async fn the_sweep_deletes_what_has_served_its_purpose_and_nothing_else() {
    let app = TestApp::start().await;
    app.norrebro();
    let staff = app.staff();
    app.user("karen@example.dk", &[]);
    // A session that ended, a reset mail that went out, one still waiting, a resolved report.
    let session = app.login("karen@example.dk", PASSWORD).await.ok(200);
    let revoked = app.post("/api/v1/auth/revoke").json(&json!({"token": session["refresh_token"]})).send().await;
    assert_eq!(revoked.status, 200);
    app.post("/api/v1/auth/password-reset").json(&json!({"email": "karen@example.dk"})).send().await.ok(202);
    let delivered: String = app.with_db(|c| outbox_deliveries::table.select(outbox_deliveries::id).first(c).unwrap());
    app.with_db(|c| sammen_store::outbox::mark_delivered(c, &delivered).unwrap());
    app.post("/api/v1/auth/password-reset").json(&json!({"email": "karen@example.dk"})).send().await.ok(202);
    let org = app.organisation("Nørrebro Sangkor");
    let activity = app.activity_of(&org, "Sang", ListingStatus::Published);
    for message in ["Adressen er forkert nu.", "Det er om onsdagen nu."] {
        app.post(&format!("/api/v1/activities/{activity}/reports"))
            .json(&json!({"message": message, "contact_email": "borger@example.dk"}))
            .send()
            .await
            .ok(201);
    }
    let report: String = app.with_db(|c| activity_reports::table.select(activity_reports::id).first(c).unwrap());
    app.post(&format!("/api/v1/activity-reports/{report}/resolve")).by(&staff).json(&json!({})).send().await.ok(200);
    // An audit event from two years ago.
    let old = sammen_store::now() - TimeDelta::days(730);
    app.with_db(|c| {
        diesel::insert_into(audit_events::table)
            .values((
                audit_events::id.eq("00000000-0000-7000-8000-000000000001"),
                audit_events::occurred_at.eq(old),
                audit_events::actor.eq("system"),
                audit_events::action.eq("test.old"),
                audit_events::target_type.eq("test"),
                audit_events::target_id.eq("1"),
                audit_events::request_id.eq("r"),
                audit_events::details.eq("{}"),
            ))
            .execute(c)
            .unwrap()
    });
    let audit_before = count!(app, audit_events::table);

    // Now: only the two-year-old audit event has served its purpose (five years by default,
    // but at least a year; this one is older than both once the period is set to a year).
    let year = Retention { audit: TimeDelta::days(365), ..Retention::default() };
    let swept = app.with_db(|c| sweep(c, &year, sammen_store::now()).unwrap());
    assert_eq!(swept.audit_events, 1, "{swept:?}");
    assert_eq!(swept.total(), 1, "{swept:?}");
    assert_eq!(count!(app, audit_events::table), audit_before - 1);

    // 200 days on: the ended session, the sent mail and its event, the resolved report are gone;
    // the waiting mail, the open report, and the audit log's young rows are not.
    let later = sammen_store::now() + TimeDelta::days(200);
    let swept = app.with_db(|c| sweep(c, &Retention::default(), later).unwrap());
    assert!(swept.refresh_tokens >= 1, "{swept:?}");
    assert_eq!((swept.outbox_deliveries, swept.outbox_events, swept.listing_reports), (1, 1, 1), "{swept:?}");
    assert_eq!(swept.audit_events, 0);
    assert_eq!(count!(app, refresh_tokens::table), 0);
    assert_eq!(count!(app, outbox_deliveries::table), 1, "the waiting mail stays");
    assert_eq!(count!(app, outbox_events::table), 1);
    let open: Vec<String> = app.with_db(|c| activity_reports::table.select(activity_reports::status).load(c).unwrap());
    assert_eq!(open, ["open"]);
    assert_eq!(count!(app, audit_events::table), audit_before - 1);
    assert_eq!(count!(app, account_tokens::table), 0);

    // The database itself refuses to delete a young audit row.
    let refused = app.with_db(|c| diesel::delete(audit_events::table).execute(c));
    assert!(refused.is_err(), "the audit log's first year is append-only");
    assert_eq!(count!(app, audit_events::table), audit_before - 1);
}
