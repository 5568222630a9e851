//! What an applicant hears about a grant application, through a real SMTP server: the receipt
//! when it is submitted, the decision when it is made, each to every representative of the
//! applicant organisation and to no one else.

use std::time::Duration;

use sammen_domain::grants::application::ApplicationStatus;
use sammen_domain::grants::decision::{Outcome, Reasons};
use sammen_domain::grants::round::{RoundKind, Track};
use sammen_store::grants::{self as store, Decision, ScreeningResult};
use serde_json::Value;

use crate::common::mail::MailSink;
use crate::common::{TestApp, arranged};

const WITHIN: Duration = Duration::from_secs(20);

fn body(mail: &Value) -> &str {
    mail["body"].as_str().unwrap()
}

#[actix_web::test]
async fn the_applicant_s_representatives_get_the_receipt_and_the_decision_and_no_one_else_does() {
    let Some(sink) = MailSink::start(0) else { return };
    let app = TestApp::start().await;
    app.dispatch_to(&sink);
    let pool = app.grant_pool(200_000_000);
    let round = app.grant_round(&pool, RoundKind::Rolling, Track::Small, 0);
    let org = app.organisation("Gåturen på Nørrebro");
    let (rep, second_rep) = (app.representative_of(&org), app.representative_of(&org));
    let other = app.organisation("Strikkeklubben");
    let outsider = app.representative_of(&other);
    app.grant_application(&round, &other, 1_000_000, ApplicationStatus::Draft);

    let id = app.grant_application(&round, &org, 2_500_000, ApplicationStatus::Submitted);
    let revision = app.with_db(|c| store::revisions(c, &id)).unwrap().remove(0);
    sink.wait_for(2, WITHIN).await;
    let link = format!("https://frivillig.example.dk/grant-applications/{id}");
    for to in [&rep, &second_rep] {
        let mails = sink.mails_to(&to.email);
        assert_eq!(mails.len(), 1, "{mails:#?}");
        let receipt = &mails[0];
        assert_eq!(receipt["subject"], "Kvittering: jeres ansøgning om tilskud er modtaget");
        assert!(body(receipt).starts_with("Hej "), "{}", body(receipt));
        let version = format!("Version: {}", revision.revision);
        assert!(body(receipt).lines().any(|l| l.trim() == version), "{}", body(receipt));
        assert!(body(receipt).contains(&revision.content_sha256), "the receipt's fingerprint: {}", body(receipt));
        assert_eq!(body(receipt).matches(&link).count(), 2, "{}", body(receipt));
    }

    app.with_db(|c| {
        store::screen_application(c, &id, None, &ScreeningResult::Eligible, &arranged())?;
        let reasons = Reasons {
            justification: "A new way of meeting lonely older men".into(),
            criteria: Vec::new(),
            reconsideration: Some("Ask the secretariat within four weeks".into()),
        };
        let decision = Decision {
            application_id: id.clone(),
            expected_version: None,
            outcome: Outcome::PartialAward,
            awarded_ore: Some(2_000_000),
            reasons,
        };
        store::decide(c, &decision, &arranged())
    })
    .expect("the decision is made");
    let mails = sink.wait_for(4, WITHIN).await;
    for to in [&rep, &second_rep] {
        let decided = sink.mails_to(&to.email).remove(1);
        assert_eq!(decided["subject"], "Der er truffet afgørelse om jeres ansøgning om tilskud");
        assert!(body(&decided).contains("delvist bevilget: I får 20.000 kr. i tilskud"), "{}", body(&decided));
        assert!(body(&decided).contains("you get DKK 20,000"), "{}", body(&decided));
        assert!(body(&decided).contains("tager imod tilskuddet"), "what to do next: {}", body(&decided));
        assert!(body(&decided).contains(&link), "{}", body(&decided));
    }

    // Nothing more comes, and nothing to the other organisation's representative.
    actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.received().len(), 4, "{mails:#?}");
    assert!(sink.mails_to(&outsider.email).is_empty());
    for mail in &mails {
        let subject = mail["subject"].as_str().unwrap();
        assert!(!subject.contains('@') && !subject.contains("Gåturen"), "no personal data in a subject: {subject}");
    }
}

#[actix_web::test]
async fn a_request_for_more_information_and_a_rejection_say_what_to_do() {
    let Some(sink) = MailSink::start(0) else { return };
    let app = TestApp::start().await;
    app.dispatch_to(&sink);
    let pool = app.grant_pool(200_000_000);
    let round = app.grant_round(&pool, RoundKind::Rolling, Track::Small, 0);
    let org = app.organisation("Gåturen på Nørrebro");
    let rep = app.representative_of(&org);

    app.grant_application(&round, &org, 2_000_000, ApplicationStatus::InformationRequested);
    app.grant_application(&round, &org, 2_000_000, ApplicationStatus::Rejected);
    sink.wait_for(4, WITHIN).await;
    let subjects: Vec<Value> = sink.mails_to(&rep.email).iter().map(|m| m["subject"].clone()).collect();
    assert_eq!(subjects.len(), 4, "{subjects:#?}");
    let asked = sink
        .mails_to(&rep.email)
        .into_iter()
        .find(|m| m["subject"] == "Kommunen mangler oplysninger til jeres ansøgning om tilskud")
        .unwrap_or_else(|| panic!("the request for more information: {subjects:#?}"));
    assert!(body(&asked).contains("Svar gerne så hurtigt som muligt."), "{}", body(&asked));
    let rejected = sink
        .mails_to(&rep.email)
        .into_iter()
        .find(|m| m["subject"] == "Der er truffet afgørelse om jeres ansøgning om tilskud")
        .unwrap_or_else(|| panic!("the decision: {subjects:#?}"));
    assert!(body(&rejected).contains("fået afslag") && body(&rejected).contains("søge igen"), "{}", body(&rejected));
}
