//! Login throttling: per account and client address with delays that grow, so that an
//! attacker's address cannot lock the owner out from another; per address across accounts; the
//! same answers whether an account exists or not. The server trusts a proxy here, so that each
//! request can say which address it comes from.

use diesel::prelude::*;
use sammen_domain::identity::{Role, RoleGrant};
use serde_json::{Value, json};

use crate::common::{PASSWORD, Reply, TestApp};

const ATTACKER: &str = "203.0.113.66";
const OWNER: &str = "198.51.100.7";
const WRONG: &str = "forkert adgangskode";

async fn login_from(app: &TestApp, address: &str, email: &str, password: &str) -> Reply {
    app.post("/api/v1/auth/token")
        .sent_from(address)
        .json(&json!({"grant_type": "password", "username": email, "password": password}))
        .send()
        .await
}

/// A wrong password's answer.
#[track_caller]
fn refused(reply: &Reply) {
    assert_eq!(reply.problem(400, "oauth-invalid-grant")["error"], "invalid_grant");
}

/// A throttled answer's wait in seconds.
#[track_caller]
fn throttled(reply: &Reply) -> u64 {
    let body = reply.problem(429, "rate-limited");
    let wait: u64 = reply.header("retry-after").expect("Retry-After").parse().unwrap();
    assert!(body["detail"].as_str().unwrap().contains(&wait.to_string()), "{body}");
    wait
}

/// As if `seconds` had gone by since every failure counted so far.
fn time_passes(app: &TestApp, seconds: i64) {
    use sammen_store::schema::throttle_buckets::dsl::*;
    let gone = chrono::TimeDelta::seconds(seconds);
    app.with_db(|c| {
        let rows: Vec<(String, chrono::NaiveDateTime, chrono::NaiveDateTime)> =
            throttle_buckets.select((bucket, window_start, last_failure_at)).load(c).unwrap();
        for (name, start, last) in rows {
            diesel::update(throttle_buckets.find(name))
                .set((window_start.eq(start - gone), last_failure_at.eq(last - gone)))
                .execute(c)
                .unwrap();
        }
    });
}

/// Five wrong passwords for `email` from `address`, the free ones.
async fn use_up_free_failures(app: &TestApp, address: &str, email: &str) {
    for _ in 0..5 {
        refused(&login_from(app, address, email, WRONG).await);
    }
}

#[actix_web::test]
async fn an_attackers_address_does_not_lock_the_owner_out_from_another() {
    let app = TestApp::behind_proxy().await;
    let (anna, _) = app.user("anna@example.dk", &[RoleGrant::global(Role::Volunteer)]);
    use_up_free_failures(&app, ATTACKER, "anna@example.dk").await;
    assert_eq!(throttled(&login_from(&app, ATTACKER, "anna@example.dk", WRONG).await), 1);
    // Throttled before the password is looked at: the right one is no way to tell.
    throttled(&login_from(&app, ATTACKER, "anna@example.dk", PASSWORD).await);

    let owner = login_from(&app, OWNER, "anna@example.dk", PASSWORD).await.ok(200);
    assert!(owner["access_token"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(owner["refresh_token"].as_str().is_some_and(|t| t.starts_with("rt_")));

    // A distributed attack: another address fails five times too. Ten failures within the hour
    // put the account under attack, so a new address gets one try before it has to wait...
    use_up_free_failures(&app, "203.0.113.1", "anna@example.dk").await;
    refused(&login_from(&app, "203.0.113.2", "anna@example.dk", WRONG).await);
    assert_eq!(throttled(&login_from(&app, "203.0.113.2", "anna@example.dk", WRONG).await), 1);
    // ...and the owner, with no failures of her own, still gets in.
    login_from(&app, OWNER, "anna@example.dk", PASSWORD).await.ok(200);
    let failed = app.with_db(|c| sammen_store::audit::about_user(c, &anna).unwrap());
    assert_eq!(failed.iter().filter(|e| e.action == "auth.login_failed").count(), 11);
    assert_eq!(failed.iter().filter(|e| e.action == "auth.login_succeeded").count(), 2);
}

/// `rounds` times: the attacker is told to wait, waits, and fails again. Returns the waits.
async fn fail_after_each_delay(app: &TestApp, rounds: usize) -> Vec<u64> {
    let mut waits = Vec::new();
    for _ in 0..rounds {
        let wait = throttled(&login_from(app, ATTACKER, "anna@example.dk", WRONG).await);
        waits.push(wait);
        time_passes(app, wait as i64);
        refused(&login_from(app, ATTACKER, "anna@example.dk", WRONG).await);
    }
    waits
}

#[actix_web::test]
async fn the_delay_doubles_with_each_failure_up_to_fifteen_minutes() {
    let app = TestApp::behind_proxy().await;
    app.user("anna@example.dk", &[RoleGrant::global(Role::Volunteer)]);
    use_up_free_failures(&app, ATTACKER, "anna@example.dk").await;
    assert_eq!(fail_after_each_delay(&app, 5).await, [1, 2, 4, 8, 16]);
    // Ten failures within the hour: the account is under attack, its free failures drop to one,
    // and this address's delay jumps accordingly (2^(10-1) seconds).
    assert_eq!(throttled(&login_from(&app, ATTACKER, "anna@example.dk", WRONG).await), 512);
    time_passes(&app, 512);
    refused(&login_from(&app, ATTACKER, "anna@example.dk", WRONG).await);
    assert_eq!(throttled(&login_from(&app, ATTACKER, "anna@example.dk", WRONG).await), 900, "at most 15 minutes");
    // The owner elsewhere is not held up meanwhile.
    login_from(&app, OWNER, "anna@example.dk", PASSWORD).await.ok(200);
}

#[actix_web::test]
async fn attempts_sent_at_once_cannot_all_pass_the_throttle() {
    let app = TestApp::behind_proxy().await;
    app.user("anna@example.dk", &[RoleGrant::global(Role::Volunteer)]);
    use_up_free_failures(&app, ATTACKER, "anna@example.dk").await;
    fail_after_each_delay(&app, 3).await;
    time_passes(&app, 8);
    // One try is due (the next one 16 seconds after it); twenty at once get that one and no
    // more: each attempt is counted before its password is checked.
    let burst = (0..20).map(|_| login_from(&app, ATTACKER, "anna@example.dk", WRONG));
    let replies = futures_util::future::join_all(burst).await;
    let statuses: Vec<u16> = replies.iter().map(|r| r.status.as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 400).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 19, "{statuses:?}");
}

/// A problem's body without what differs between any two requests.
fn comparable(reply: &Reply) -> (u16, Option<String>, Value) {
    let mut body = reply.json();
    for varying in ["instance", "request_id"] {
        body.as_object_mut().unwrap().remove(varying);
    }
    (reply.status.as_u16(), reply.header("retry-after").map(str::to_owned), body)
}

#[actix_web::test]
async fn an_unknown_account_is_answered_and_throttled_like_a_known_one() {
    let app = TestApp::behind_proxy().await;
    app.user("anna@example.dk", &[RoleGrant::global(Role::Volunteer)]);
    let mut answers = Vec::new();
    for _ in 0..6 {
        let known = login_from(&app, "192.0.2.1", "anna@example.dk", WRONG).await;
        let unknown = login_from(&app, "192.0.2.2", "ingen@example.dk", WRONG).await;
        assert_eq!(comparable(&known), comparable(&unknown));
        answers.push(known.status.as_u16());
    }
    assert_eq!(answers, [400, 400, 400, 400, 400, 429]);
    // Even the right password of the known account is answered like a guess at the unknown one.
    let right = login_from(&app, "192.0.2.1", "anna@example.dk", PASSWORD).await;
    let guess = login_from(&app, "192.0.2.2", "ingen@example.dk", PASSWORD).await;
    assert_eq!(comparable(&right), comparable(&guess));
}

#[actix_web::test]
async fn an_address_failing_across_many_accounts_waits_for_its_window() {
    let app = TestApp::behind_proxy().await;
    app.user("anna@example.dk", &[RoleGrant::global(Role::Volunteer)]);
    for i in 0..30 {
        refused(&login_from(&app, ATTACKER, &format!("stuffing{i}@example.dk"), "gæt et kodeord").await);
    }
    // The 31st, for any account, waits for the 15-minute window to end.
    let wait = throttled(&login_from(&app, ATTACKER, "anna@example.dk", PASSWORD).await);
    assert!((800..=900).contains(&wait), "{wait}");
    // Client authentication from the address counts there too.
    let client = app
        .post("/api/v1/auth/token")
        .sent_from(ATTACKER)
        .json(&json!({"grant_type": "client_credentials", "client_id": "x", "client_secret": "y"}))
        .send()
        .await;
    throttled(&client);
    // Another address is not affected, and the window's end frees this one.
    login_from(&app, OWNER, "anna@example.dk", PASSWORD).await.ok(200);
    time_passes(&app, 900);
    login_from(&app, ATTACKER, "anna@example.dk", PASSWORD).await.ok(200);
}

#[actix_web::test]
async fn an_ipv6_client_is_throttled_by_its_network() {
    let app = TestApp::behind_proxy().await;
    app.user("anna@example.dk", &[RoleGrant::global(Role::Volunteer)]);
    // Each try from another address of the same /64 counts for the same client.
    for host in 1..=5 {
        refused(&login_from(&app, &format!("2001:db8:7:1::{host}"), "anna@example.dk", WRONG).await);
    }
    throttled(&login_from(&app, "2001:db8:7:1::99", "anna@example.dk", WRONG).await);
    login_from(&app, "2001:db8:7:2::1", "anna@example.dk", PASSWORD).await.ok(200);
}
