//! Accounts people run themselves, through a real SMTP server: registration with a confirmed
//! address, password reset by e-mail, password change; answers that tell nothing about who has an
//! account; mail that a failing server delays but does not lose.

use std::time::Duration;

use serde_json::{Value, json};

use crate::common::mail::{MailSink, token_in};
use crate::common::{PASSWORD, TestApp};

const WITHIN: Duration = Duration::from_secs(20);

fn registration(email: &str) -> Value {
    json!({"email": email, "display_name": "Karen Jensen", "password": "mit lange kodeord"})
}

/// Registers, confirms the address from the mail, and returns the mail.
async fn registered(app: &TestApp, sink: &MailSink, email: &str) {
    let before = sink.received().len();
    app.post("/api/v1/auth/register").json(&registration(email)).send().await.ok(202);
    let mails = sink.wait_for(before + 1, WITHIN).await;
    let token = token_in(mails.last().unwrap());
    let res = app.post("/api/v1/auth/verify-email").json(&json!({"token": token})).send().await;
    assert_eq!(res.status, 204, "{}", res.text());
}

#[actix_web::test]
async fn registration_confirms_the_address_by_mail_and_tells_no_one_who_has_an_account() {
    let Some(sink) = MailSink::start(0) else { return };
    let app = TestApp::start().await;
    app.dispatch_to(&sink);
    let (existing, _) = app.user("karen@example.dk", &[]);

    let new = app.post("/api/v1/auth/register").json(&registration("ny@example.dk")).send().await;
    let taken = app.post("/api/v1/auth/register").json(&registration("karen@example.dk")).send().await;
    assert_eq!(new.status, 202);
    assert_eq!((taken.status, taken.json()), (new.status, new.json()), "the same answer for a taken address");
    assert!(new.json()["detail"].as_str().unwrap().contains("message has been sent"));

    let mails = sink.wait_for(2, WITHIN).await;
    let confirm = &sink.mails_to("ny@example.dk")[0];
    assert_eq!(confirm["subject"], "Bekræft din e-mailadresse til Sammen");
    assert_eq!(confirm["from"], "Sammen <noreply@sammen.example>");
    assert!(confirm["body"].as_str().unwrap().contains("https://frivillig.example.dk/account/verify#token=ve_"));
    assert!(confirm["body"].as_str().unwrap().contains("Hej Karen Jensen"));
    let told = &sink.mails_to("karen@example.dk")[0];
    assert_eq!(told["subject"], "Du har allerede en konto i Sammen");
    assert!(!told["body"].as_str().unwrap().contains("#token="), "no link that does anything: {told}");
    for mail in &mails {
        let subject = mail["subject"].as_str().unwrap();
        assert!(!subject.contains('@') && !subject.contains("Karen"), "no personal data in a subject: {subject}");
    }

    // Not before the address is confirmed; then with the password chosen.
    let early = app.login("ny@example.dk", "mit lange kodeord").await;
    assert_eq!(early.json()["error"], "invalid_grant");
    assert!(early.json()["detail"].as_str().unwrap().contains("confirm your e-mail address"));
    let token = token_in(confirm);
    assert_eq!(app.post("/api/v1/auth/verify-email").json(&json!({"token": token})).send().await.status, 204);
    app.login("ny@example.dk", "mit lange kodeord").await.ok(200);
    // The existing account is unchanged: its password still works, no second account was made.
    app.login("karen@example.dk", PASSWORD).await.ok(200);
    let count = app.with_db(|c| {
        use diesel::prelude::*;
        sammen_store::schema::users::table.count().get_result::<i64>(c).unwrap()
    });
    assert_eq!(count, 2);
    let events: Vec<String> = app.with_db(|c| {
        use diesel::prelude::*;
        use sammen_store::schema::audit_events::dsl::*;
        audit_events.filter(subject_user_id.eq(existing.as_str())).select(action).load(c).unwrap()
    });
    assert!(events.contains(&"user.registration_repeated".to_owned()), "{events:?}");
}

#[actix_web::test]
async fn a_confirmation_link_works_once_and_not_after_it_expires() {
    let Some(sink) = MailSink::start(0) else { return };
    let app = TestApp::start().await;
    app.dispatch_to(&sink);
    // Registering again before confirming sends a new link; both work until one is used.
    for _ in 0..2 {
        app.post("/api/v1/auth/register").json(&registration("ny@example.dk")).send().await.ok(202);
    }
    let mails = sink.wait_for(2, WITHIN).await;
    let (first, second) = (token_in(&mails[0]), token_in(&mails[1]));
    assert_ne!(first, second);
    assert_eq!(mails[1]["subject"], "Bekræft din e-mailadresse til Sammen", "not yet confirmed: a new link");

    let verify = |token: String| app.post("/api/v1/auth/verify-email").json(&json!({"token": token})).send();
    assert_eq!(verify(second.clone()).await.status, 204);
    for spent in [second, first, "ve_not-a-token".to_owned(), "x".repeat(500)] {
        let body = verify(spent).await.problem(422, "validation");
        assert_eq!(body["errors"][0]["field"], "token");
        assert_eq!(body["errors"][0]["code"], "invalid_token");
    }
    app.post("/api/v1/auth/verify-email").json(&json!({})).send().await.problem(400, "bad-request");

    // An expired link.
    app.post("/api/v1/auth/register").json(&registration("senere@example.dk")).send().await.ok(202);
    let token = token_in(&sink.wait_for(3, WITHIN).await[2]);
    app.with_db(|c| {
        use diesel::prelude::*;
        use sammen_store::schema::account_tokens::dsl::*;
        diesel::update(account_tokens).set(expires_at.eq(sammen_store::now())).execute(c).unwrap();
    });
    verify(token).await.problem(422, "validation");
    assert_eq!(app.login("senere@example.dk", "mit lange kodeord").await.json()["error"], "invalid_grant");
}

#[actix_web::test]
async fn a_password_reset_by_mail_ends_every_session_and_tells_nothing_about_addresses() {
    let Some(sink) = MailSink::start(0) else { return };
    let app = TestApp::start().await;
    app.dispatch_to(&sink);
    app.user("karen@example.dk", &[]);
    let session = app.login("karen@example.dk", PASSWORD).await.ok(200);
    let access = session["access_token"].as_str().unwrap().to_owned();
    app.get("/api/v1/me").bearer(&access).send().await.ok(200);

    let ask = |email: &'static str| app.post("/api/v1/auth/password-reset").json(&json!({"email": email})).send();
    let known = ask("Karen@Example.dk").await;
    let unknown = ask("ingen@example.dk").await;
    assert_eq!(known.status, 202);
    assert_eq!((unknown.status, unknown.json()), (known.status, known.json()), "alike for unknown addresses");
    let mail = &sink.wait_for(1, WITHIN).await[0];
    assert_eq!(mail["rcpt_tos"], json!(["karen@example.dk"]));
    assert_eq!(mail["subject"], "Ny adgangskode til Sammen");
    let token = token_in(mail);
    assert!(token.starts_with("pr_"));

    let complete = |token: &str, password: &str| {
        app.post("/api/v1/auth/password-reset/complete").json(&json!({"token": token, "password": password})).send()
    };
    let weak = complete(&token, "kort").await.problem(422, "validation");
    assert_eq!(weak["errors"][0]["field"], "password");
    assert_eq!(complete(&token, "et helt nyt kodeord").await.status, 204);

    // The old password, the old session's tokens and the link itself no longer work.
    assert_eq!(app.login("karen@example.dk", PASSWORD).await.json()["error"], "invalid_grant");
    app.get("/api/v1/me").bearer(&access).send().await.problem(401, "unauthorized");
    let refresh = json!({"grant_type": "refresh_token", "refresh_token": session["refresh_token"]});
    assert_eq!(app.post("/api/v1/auth/token").json(&refresh).send().await.json()["error"], "invalid_grant");
    complete(&token, "endnu et nyt kodeord").await.problem(422, "validation");
    app.login("karen@example.dk", "et helt nyt kodeord").await.ok(200);

    let changed = &sink.wait_for(2, WITHIN).await[1];
    assert_eq!(changed["subject"], "Din adgangskode til Sammen er ændret");
    assert_eq!(sink.mails_to("ingen@example.dk").len(), 0);
    app.post("/api/v1/auth/password-reset")
        .json(&json!({"email": "ikke en adresse"}))
        .send()
        .await
        .problem(422, "validation");
}

#[actix_web::test]
async fn changing_the_password_ends_the_other_sessions_at_once() {
    let Some(sink) = MailSink::start(0) else { return };
    let app = TestApp::start().await;
    app.dispatch_to(&sink);
    registered(&app, &sink, "ny@example.dk").await;
    let (phone, laptop) = (
        app.login("ny@example.dk", "mit lange kodeord").await.ok(200),
        app.login("ny@example.dk", "mit lange kodeord").await.ok(200),
    );
    let bearer = |session: &Value| session["access_token"].as_str().unwrap().to_owned();

    let change = |token: String, current: &str, new: &str| {
        app.post("/api/v1/me/password")
            .bearer(&token)
            .json(&json!({"current_password": current, "new_password": new}))
            .send()
    };
    let wrong = change(bearer(&phone), "forkert kodeord", "et helt nyt kodeord").await.problem(422, "validation");
    assert_eq!(wrong["errors"][0]["field"], "current_password");
    let fresh = change(bearer(&phone), "mit lange kodeord", "et helt nyt kodeord").await.ok(200);

    app.get("/api/v1/me").bearer(&bearer(&laptop)).send().await.problem(401, "unauthorized");
    app.get("/api/v1/me").bearer(&bearer(&phone)).send().await.problem(401, "unauthorized");
    app.get("/api/v1/me").bearer(&bearer(&fresh)).send().await.ok(200);
    let refresh = |s: &Value| json!({"grant_type": "refresh_token", "refresh_token": s["refresh_token"]});
    assert_eq!(app.post("/api/v1/auth/token").json(&refresh(&laptop)).send().await.json()["error"], "invalid_grant");
    app.post("/api/v1/auth/token").json(&refresh(&fresh)).send().await.ok(200);
    app.login("ny@example.dk", "et helt nyt kodeord").await.ok(200);
    let mails = sink.wait_for(2, WITHIN).await;
    assert_eq!(mails[1]["subject"], "Din adgangskode til Sammen er ændret");

    // Who may not: no token, an API client (no account); five wrong current passwords are a 429.
    app.post("/api/v1/me/password")
        .json(&json!({"current_password": "a", "new_password": "b".repeat(12)}))
        .send()
        .await
        .problem(401, "unauthorized");
    for _ in 0..5 {
        change(bearer(&fresh), "forkert kodeord", "et tredje kodeord").await.problem(422, "validation");
    }
    let limited = change(bearer(&fresh), "et helt nyt kodeord", "et tredje kodeord").await;
    let limited_body = limited.problem(429, "rate-limited");
    assert!(limited.header("retry-after").is_some(), "{limited_body}");
}

#[actix_web::test]
async fn registration_and_reset_requests_are_throttled_per_address_mailed() {
    let Some(sink) = MailSink::start(0) else { return };
    let app = TestApp::start().await;
    app.dispatch_to(&sink);
    for _ in 0..5 {
        app.post("/api/v1/auth/password-reset").json(&json!({"email": "ingen@example.dk"})).send().await.ok(202);
    }
    let res = app.post("/api/v1/auth/password-reset").json(&json!({"email": "ingen@example.dk"})).send().await;
    res.problem(429, "rate-limited");
    assert!(res.header("retry-after").unwrap().parse::<u64>().unwrap() > 0);
    // Another address is unaffected.
    app.post("/api/v1/auth/password-reset").json(&json!({"email": "anden@example.dk"})).send().await.ok(202);
}

#[actix_web::test]
async fn a_failing_mail_server_delays_mail_but_loses_none_and_admins_see_the_attempts() {
    let Some(sink) = MailSink::start(1) else { return };
    let app = TestApp::start().await;
    app.dispatch_to(&sink);
    let admin = app.admin();
    app.user("karen@example.dk", &[]);
    app.post("/api/v1/auth/password-reset").json(&json!({"email": "karen@example.dk"})).send().await.ok(202);

    // The first attempt is refused (451) and the delivery waits for its retry, 5 seconds later.
    let deliveries = || app.get("/api/v1/outbox/deliveries").by(&admin).send();
    let mut waited = 0;
    let first = loop {
        let page = deliveries().await.ok(200);
        if page["data"][0]["attempts"] == 1 && page["data"][0]["last_error"].is_string() {
            break page;
        }
        waited += 1;
        assert!(waited < 200, "a failed first attempt: {page}");
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    };
    let delivery = &first["data"][0];
    assert_eq!(delivery["status"], "pending");
    assert_eq!(delivery["channel"], "email");
    assert_eq!(delivery["last_error"], "the SMTP server answered 451");
    assert_eq!(delivery["event"]["event_type"], "account.password_reset_requested");
    assert!(!delivery.to_string().contains("karen@"), "no address in the outbox: {delivery}");

    let mail = &sink.wait_for(1, WITHIN).await[0];
    assert_eq!(mail["rcpt_tos"], json!(["karen@example.dk"]));
    let page = deliveries().await.ok(200);
    assert_eq!(page["data"][0]["status"], "delivered", "{page}");
    assert_eq!(page["data"][0]["attempts"], 2);
    assert_eq!(page["data"][0]["last_error"], Value::Null);
    let done = app.get("/api/v1/outbox/deliveries?status=pending").by(&admin).send().await.ok(200);
    assert_eq!(done["data"], json!([]));

    // Only admins see deliveries.
    for who in [app.staff(), app.volunteer()] {
        app.get("/api/v1/outbox/deliveries").by(&who).send().await.problem(403, "forbidden");
    }
    app.get("/api/v1/outbox/deliveries").send().await.problem(401, "unauthorized");
    app.get("/api/v1/outbox/deliveries?status=lost").by(&admin).send().await.problem(400, "bad-request");
}

#[actix_web::test]
async fn two_dispatchers_on_one_database_send_each_mail_exactly_once() {
    let Some(sink) = MailSink::start(0) else { return };
    let app = TestApp::start().await;
    let people: Vec<String> = (0..30).map(|i| format!("person{i}@example.dk")).collect();
    for email in &people {
        app.user(email, &[]);
    }
    app.with_db(|c| {
        for email in &people {
            sammen_store::identity::request_password_reset(c, email, &crate::common::arranged()).unwrap();
        }
    });
    // Two instances' dispatchers at once, as two servers on one database would run them.
    app.dispatch_to(&sink);
    app.dispatch_to(&sink);
    let mails = sink.wait_for(people.len(), WITHIN).await;
    actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    let mut recipients: Vec<String> =
        sink.received().iter().map(|m| m["rcpt_tos"][0].as_str().unwrap().to_owned()).collect();
    recipients.sort();
    let mut expected = people.clone();
    expected.sort();
    assert_eq!(recipients, expected, "each person once ({} mails)", mails.len());
}
