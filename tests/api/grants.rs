//! The grant pool through HTTP: a pool and round set up by staff, an application from draft to
//! close by its organisation's representative, the deadline by the server's clock, criteria fixed
//! once the round opens, applications hidden from other organisations, and the budget that no
//! number of concurrent decisions can over-commit.

use chrono::{TimeDelta, Utc};
use futures_util::future::join_all;
use sammen_domain::grants::application::ApplicationStatus;
use sammen_domain::grants::round::{RoundKind, Track};
use serde_json::{Value, json};
use sha2::Digest;

use crate::common::grants::criteria;
use crate::common::{Actor, TestApp};

fn reasons() -> Value {
    json!({
        "justification": "Assessed against the round's published criteria",
        "criteria": [
            {"criterion": "reach", "assessment": "Reaches few older citizens"},
            {"criterion": "method", "assessment": "The method is well known"}
        ],
        "reconsideration": "Ask the pool's secretariat for reconsideration within four weeks"
    })
}

fn complete_content(org: &str, requested: i64) -> Value {
    json!({
        "organisation_id": org,
        "title": "Tirsdagsture",
        "summary": "Weekly walks that bring lonely older men together",
        "description": "We walk every Tuesday from the library, and invite men we meet at the pharmacy.",
        "amount_requested_ore": requested,
        "planned_start": "2027-08-01",
        "planned_end": "2028-06-30",
        "size_band": "micro",
        "target_groups": ["older_citizens"],
        "declarations": ["local"]
    })
}

async fn pool_by_http(app: &TestApp, staff: &Actor, budget: i64) -> Value {
    let pool = app
        .post("/api/v1/grant-pools")
        .by(staff)
        .json(&json!({
            "title": "Puljen til ældrefællesskaber",
            "purpose": "New ways of finding lonely older citizens and new kinds of communities",
            "legal_basis": "Serviceloven § 18",
            "funder_name": "Københavns Kommune",
            "funder_identifier": "DK-CVR-64942212",
            "budget_ore": budget
        }))
        .send()
        .await
        .ok(201);
    assert_eq!(pool["status"], "draft");
    let id = pool["id"].as_str().unwrap();
    let anonymous = app.get(&format!("/api/v1/grant-pools/{id}")).send().await;
    anonymous.problem(404, "not-found");
    app.patch(&format!("/api/v1/grant-pools/{id}"))
        .by(staff)
        .header("if-match", "\"1\"")
        .json(&json!({"status": "published"}))
        .send()
        .await
        .ok(200)
}

async fn round_by_http(
    app: &TestApp,
    staff: &Actor,
    pool: &str,
    opens: chrono::DateTime<Utc>,
    closes: chrono::DateTime<Utc>,
) -> Value {
    app.post(&format!("/api/v1/grant-pools/{pool}/rounds"))
        .by(staff)
        .json(&json!({
            "title": "Små bevillinger",
            "kind": "deadline",
            "track": "small",
            "opens_at": opens,
            "closes_at": closes,
            "min_amount_ore": 500_000,
            "max_amount_ore": 8_000_000,
            "decision_expected_on": (closes + TimeDelta::days(30)).date_naive(),
            "criteria": criteria(),
            "eligibility": [{"key": "local", "text": "The project takes place in Copenhagen"}]
        }))
        .send()
        .await
        .ok(201)
}

#[actix_web::test]
async fn an_application_from_draft_to_close() {
    let app = TestApp::start().await;
    let staff = app.staff();
    let now = Utc::now();
    let pool = pool_by_http(&app, &staff, 10_000_000).await;
    let pool_id = pool["id"].as_str().unwrap().to_owned();
    let back = app
        .patch(&format!("/api/v1/grant-pools/{pool_id}"))
        .by(&staff)
        .header("if-match", "*")
        .json(&json!({"status": "draft"}))
        .send()
        .await;
    assert_eq!(back.problem(422, "validation")["errors"][0]["field"], "status");
    let round = round_by_http(&app, &staff, &pool_id, now - TimeDelta::days(1), now + TimeDelta::days(10)).await;
    assert_eq!(round["phase"], "open");
    assert_eq!(round["time_zone"], "Europe/Copenhagen");
    assert_eq!(round["track"]["report"], "declaration");
    let round_id = round["id"].as_str().unwrap().to_owned();

    // Five neighbours without a CVR number apply on the same terms as anyone.
    let org = app.organisation("Naboerne i Nørrebrogade");
    let (alice, bob) = (app.representative_of(&org), app.representative_of(&org));
    let draft = app
        .post(&format!("/api/v1/grant-rounds/{round_id}/applications"))
        .by(&alice)
        .json(&json!({"organisation_id": org, "title": "Tirsdagsture"}))
        .send()
        .await
        .ok(201);
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["plain_status"]["da"], "Kladde – ikke indsendt");
    let missing: Vec<&str> =
        draft["checklist"].as_array().unwrap().iter().map(|m| m["field"].as_str().unwrap()).collect();
    assert_eq!(
        missing,
        ["summary", "amount_requested_ore", "planned_start", "size_band", "target_groups", "declarations.local"]
    );
    let id = draft["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/grant-applications/{id}");

    // Co-editing: Bob saves on version 1; Alice's save based on version 1 too is refused.
    let mut content = complete_content(&org, 2_500_000);
    content.as_object_mut().unwrap().remove("organisation_id");
    let saved = app.patch(&path).by(&bob).header("if-match", "\"1\"").json(&content).send().await.ok(200);
    assert!(saved["checklist"].as_array().unwrap().is_empty(), "{saved}");
    let stale = app.patch(&path).by(&alice).header("if-match", "\"1\"").json(&json!({"title": "Mine"})).send().await;
    stale.problem(412, "precondition-failed");
    app.patch(&path).by(&alice).json(&json!({"title": "Mine"})).send().await.problem(428, "precondition-required");
    // An end before the start is refused, also when the start was saved before.
    let early =
        app.patch(&path).by(&alice).header("if-match", "*").json(&json!({"planned_end": "2027-07-01"})).send().await;
    assert_eq!(early.problem(422, "validation")["errors"][0]["field"], "planned_end");
    assert_eq!(app.get(&path).by(&alice).send().await.ok(200)["title"], "Tirsdagsture");

    let submitted = app.post(&format!("{path}/submit")).by(&alice).send().await.ok(200);
    let receipt = &submitted["receipt"];
    assert_eq!(receipt["revision"], 1);
    assert_eq!(receipt["status"], "submitted");
    // The receipt's hash is of the revision's content exactly as the API serves it.
    let revisions = app.get(&format!("{path}/revisions")).by(&bob).send().await.ok(200);
    let content = revisions[0]["content"].as_str().unwrap();
    assert_eq!(format!("{:x}", sha2::Sha256::digest(content.as_bytes())), receipt["content_sha256"].as_str().unwrap());
    assert_eq!(serde_json::from_str::<Value>(content).unwrap()["title"], "Tirsdagsture");
    assert_eq!(submitted["application"]["expected_decision_on"], round["decision_expected_on"]);
    // Submitting again, or editing a submitted application, is not a transition it has.
    app.post(&format!("{path}/submit")).by(&alice).send().await.problem(409, "invalid-transition");
    app.patch(&path)
        .by(&bob)
        .header("if-match", "*")
        .json(&json!({"title": "Late"}))
        .send()
        .await
        .problem(409, "invalid-transition");
    // Deciding before screening is not one either.
    let decision = json!({"outcome": "award", "reasons": reasons()});
    app.post(&format!("{path}/decision")).by(&staff).json(&decision).send().await.problem(409, "invalid-transition");

    app.post(&format!("{path}/screening")).by(&staff).json(&json!({"outcome": "eligible"})).send().await.ok(200);
    let decided = app.post(&format!("{path}/decision")).by(&staff).json(&decision).send().await.ok(200);
    assert_eq!(decided["status"], "awarded");
    assert_eq!(decided["decision"]["awarded_ore"], 2_500_000);
    let pool_now = app.get(&format!("/api/v1/grant-pools/{pool_id}")).send().await.ok(200);
    assert_eq!(
        (pool_now["committed_ore"].as_i64(), pool_now["remaining_ore"].as_i64()),
        (Some(2_500_000), Some(7_500_000))
    );

    // Only the applicant answers the award.
    app.post(&format!("{path}/award-response"))
        .by(&staff)
        .json(&json!({"accept": true}))
        .send()
        .await
        .problem(403, "forbidden");
    let accepted =
        app.post(&format!("{path}/award-response")).by(&bob).json(&json!({"accept": true})).send().await.ok(200);
    let tranches = accepted["tranches"].as_array().unwrap();
    assert_eq!(tranches.len(), 1, "a small grant is paid at once");
    let tranche = tranches[0]["id"].as_str().unwrap();
    app.post(&format!("{path}/tranches/{tranche}/payment"))
        .by(&staff)
        .json(&json!({"reference": "NK-1"}))
        .send()
        .await
        .ok(200);
    app.post(&format!("{path}/close")).by(&staff).send().await.problem(409, "invalid-transition");
    let report = app
        .post(&format!("{path}/reports"))
        .by(&alice)
        .json(&json!({"spent_ore": 2_000_000, "text": "We walked 40 Tuesdays with 12 men", "declaration_on_honour": true}))
        .send()
        .await
        .ok(201);
    assert_eq!(report["kind"], "declaration");
    let report_id = report["id"].as_str().unwrap();
    app.post(&format!("{path}/reports/{report_id}/review"))
        .by(&staff)
        .json(&json!({"approve": true}))
        .send()
        .await
        .ok(200);
    let closed = app.post(&format!("{path}/close")).by(&staff).send().await.ok(200);
    assert_eq!(closed["status"], "closed");
    // The public award's paid amount is the ledger's: paid less what was paid back.
    let award = app.get(&format!("/api/v1/grants/{id}")).send().await.ok(200);
    assert_eq!(award["amount_disbursed_ore"], 2_000_000);

    // 500,000 øre not spent was reclaimed: the ledger and the pool agree.
    let ledger = app.get(&format!("/api/v1/grant-pools/{pool_id}/ledger")).by(&staff).send().await.ok(200);
    let kinds: Vec<(&str, i64)> = ledger["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["kind"].as_str().unwrap(), e["amount_ore"].as_i64().unwrap()))
        .collect();
    assert_eq!(kinds, [("commitment", 2_500_000), ("disbursement", 2_500_000), ("reclaim", 500_000)]);
    let pool_now = app.get(&format!("/api/v1/grant-pools/{pool_id}")).by(&staff).send().await.ok(200);
    assert_eq!(pool_now["committed_ore"], ledger["committed_ore"]);
    assert_eq!(
        (ledger["committed_ore"].as_i64(), ledger["disbursed_ore"].as_i64()),
        (Some(2_000_000), Some(2_000_000))
    );
    let timeline = app.get(&format!("{path}/timeline")).by(&alice).send().await.ok(200);
    let steps: Vec<&str> = timeline.as_array().unwrap().iter().map(|e| e["transition"].as_str().unwrap()).collect();
    assert_eq!(steps, ["submit", "screen_eligible", "award", "accept", "close"]);
}

#[actix_web::test]
async fn the_deadline_is_the_servers_clock() {
    let app = TestApp::start().await;
    let staff = app.staff();
    let (opens, closes) = (Utc::now() - TimeDelta::days(5), Utc::now() + TimeDelta::days(5));
    let pool = pool_by_http(&app, &staff, 100_000_000).await;
    let round = round_by_http(&app, &staff, pool["id"].as_str().unwrap(), opens, closes).await;
    let org = app.organisation("Sangkoret");
    let rep = app.representative_of(&org);
    let mut drafts = Vec::new();
    for _ in 0..2 {
        let created = app
            .post(&format!("/api/v1/grant-rounds/{}/applications", round["id"].as_str().unwrap()))
            .by(&rep)
            .json(&complete_content(&org, 1_000_000))
            .send()
            .await
            .ok(201);
        drafts.push(created["id"].as_str().unwrap().to_owned());
    }
    app.state.clock.set(Some((closes - TimeDelta::seconds(1)).naive_utc()));
    let on_time = app.post(&format!("/api/v1/grant-applications/{}/submit", drafts[0])).by(&rep).send().await.ok(200);
    assert_eq!(
        on_time["receipt"]["received_at"].as_str().unwrap(),
        (closes - TimeDelta::seconds(1)).to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    );
    app.state.clock.set(Some((closes + TimeDelta::seconds(1)).naive_utc()));
    let late = app.post(&format!("/api/v1/grant-applications/{}/submit", drafts[1])).by(&rep).send().await;
    let problem = late.problem(409, "round-closed");
    assert!(problem["detail"].as_str().unwrap().contains("closes at"), "{problem}");
    let still = app.get(&format!("/api/v1/grant-applications/{}", drafts[1])).by(&rep).send().await.ok(200);
    assert_eq!(still["status"], "draft", "nothing was half-submitted");
    assert_eq!(still["revision"], 0);
}

#[actix_web::test]
async fn criteria_are_fixed_once_the_round_opens() {
    let app = TestApp::start().await;
    let staff = app.staff();
    let pool = pool_by_http(&app, &staff, 100_000_000).await;
    let now = Utc::now();
    let upcoming =
        round_by_http(&app, &staff, pool["id"].as_str().unwrap(), now + TimeDelta::days(1), now + TimeDelta::days(9))
            .await;
    let path = format!("/api/v1/grant-rounds/{}/criteria", upcoming["id"].as_str().unwrap());
    let changed = app.put(&path).by(&staff).json(&json!({"criteria": criteria()})).send().await.ok(200);
    assert_eq!((changed["criteria_version"].as_i64(), changed["notices"].as_array().map(Vec::len)), (Some(2), Some(0)));

    let open =
        round_by_http(&app, &staff, pool["id"].as_str().unwrap(), now - TimeDelta::days(1), now + TimeDelta::days(9))
            .await;
    let path = format!("/api/v1/grant-rounds/{}/criteria", open["id"].as_str().unwrap());
    let mut weights = criteria();
    weights[0].weight = 10;
    app.put(&path).by(&staff).json(&json!({"criteria": weights})).send().await.problem(409, "criteria-frozen");
    let unchanged = app.get(&format!("/api/v1/grant-rounds/{}", open["id"].as_str().unwrap())).send().await.ok(200);
    assert_eq!(unchanged["criteria"][0]["weight"], 60);
    let noticed = app
        .put(&path)
        .by(&staff)
        .json(&json!({"criteria": weights, "notice": "Reach now weighs less; the deadline is unchanged"}))
        .send()
        .await
        .ok(200);
    assert_eq!(noticed["criteria_version"], 2);
    assert_eq!(noticed["criteria"][0]["weight"], 10);
    assert_eq!(noticed["notices"][0]["notice"], "Reach now weighs less; the deadline is unchanged");
    // Only staff change criteria; bad criteria are all named.
    app.put(&path).by(&app.volunteer()).json(&json!({"criteria": criteria()})).send().await.problem(403, "forbidden");
    let bad = app.put(&path).by(&staff).json(&json!({"criteria": [{"key": "X!", "title": "", "description": "", "weight": 0, "scale_min": 5, "scale_max": 1}]})).send().await;
    let problem = bad.problem(422, "validation");
    assert_eq!(problem["errors"].as_array().unwrap().len(), 4, "{problem}");
}

#[actix_web::test]
async fn other_organisations_cannot_see_or_touch_an_application() {
    let app = TestApp::start().await;
    let pool = app.grant_pool(100_000_000);
    let round = app.grant_round(&pool, RoundKind::Deadline, Track::Small, 0);
    let (a, b) = (app.organisation("A"), app.organisation("B"));
    let id = app.grant_application(&round, &a, 1_000_000, ApplicationStatus::Draft);
    let path = format!("/api/v1/grant-applications/{id}");
    let (rep_b, client_b) =
        (app.representative_of(&b), app.client_of(&b, &[sammen_domain::identity::Scope::GrantsWrite]));
    for other in [&rep_b, &client_b] {
        app.get(&path).by(other).send().await.problem(404, "not-found");
        app.patch(&path)
            .by(other)
            .header("if-match", "*")
            .json(&json!({"title": "Taken"}))
            .send()
            .await
            .problem(404, "not-found");
        app.post(&format!("{path}/submit")).by(other).send().await.problem(404, "not-found");
        let listed = app.get("/api/v1/grant-applications").by(other).send().await.ok(200);
        assert!(listed["data"].as_array().unwrap().is_empty());
    }
    // B cannot apply in A's name either.
    let create = format!("/api/v1/grant-rounds/{}/applications", round.id);
    app.post(&create).by(&rep_b).json(&json!({"organisation_id": a})).send().await.problem(403, "forbidden");
    app.get(&path).send().await.problem(401, "unauthorized");
    app.get("/api/v1/grant-applications").by(&app.volunteer()).send().await.problem(403, "forbidden");
    // A's own client with grants:read reads it; with directory:write it does not.
    app.get(&path).by(&app.client_of(&a, &[sammen_domain::identity::Scope::GrantsRead])).send().await.ok(200);
    app.get(&path)
        .by(&app.client_of(&a, &[sammen_domain::identity::Scope::DirectoryWrite]))
        .send()
        .await
        .problem(404, "not-found");
    assert_eq!(app.get(&path).by(&app.representative_of(&a)).send().await.ok(200)["title"], "Tuesday walks");
}

#[actix_web::test]
async fn a_rolling_round_waitlists_and_moves_up_when_money_is_released() {
    let app = TestApp::start().await;
    let pool = app.grant_pool(1_000_000);
    let round = app.grant_round(&pool, RoundKind::Rolling, Track::Small, 0);
    let org = app.organisation("Strikkeklubben");
    let rep = app.representative_of(&org);
    let first = app.grant_application(&round, &org, 600_000, ApplicationStatus::Submitted);
    let second = app.grant_application(&round, &org, 600_000, ApplicationStatus::Draft);
    let submitted = app.post(&format!("/api/v1/grant-applications/{second}/submit")).by(&rep).send().await.ok(200);
    assert_eq!(submitted["receipt"]["status"], "waitlisted", "never silently rejected");
    assert_eq!(submitted["application"]["plain_status"]["en"], "Waitlisted – the pool's money is spent for now");
    app.post(&format!("/api/v1/grant-applications/{first}/withdraw")).by(&rep).send().await.ok(200);
    let moved = app.get(&format!("/api/v1/grant-applications/{second}")).by(&rep).send().await.ok(200);
    assert_eq!(moved["status"], "submitted");
    // A third waits behind it; when staff reject the second, its place in the queue frees money.
    let third = app.grant_application(&round, &org, 600_000, ApplicationStatus::Waitlisted);
    assert_eq!(
        app.get(&format!("/api/v1/grant-applications/{third}")).by(&rep).send().await.ok(200)["status"],
        "waitlisted"
    );
    let staff = app.staff();
    app.post(&format!("/api/v1/grant-applications/{second}/screening"))
        .by(&staff)
        .json(&json!({"outcome": "eligible"}))
        .send()
        .await
        .ok(200);
    let rejection = json!({"outcome": "rejection", "reasons": reasons()});
    app.post(&format!("/api/v1/grant-applications/{second}/decision")).by(&staff).json(&rejection).send().await.ok(200);
    let third_now = app.get(&format!("/api/v1/grant-applications/{third}")).by(&rep).send().await.ok(200);
    assert_eq!(third_now["status"], "submitted", "moved up when the rejection freed its place");
    let timeline = app.get(&format!("/api/v1/grant-applications/{second}/timeline")).by(&rep).send().await.ok(200);
    let steps: Vec<&str> = timeline.as_array().unwrap().iter().map(|e| e["transition"].as_str().unwrap()).collect();
    assert_eq!(steps, ["submit", "waitlist", "move_up", "screen_eligible", "reject"]);
}

#[actix_web::test]
async fn concurrent_awards_never_commit_more_than_the_budget() {
    let app = TestApp::start().await;
    // Room for exactly 10 of 50 awards of 500,000 øre.
    let pool = app.grant_pool(5_000_000);
    let round = app.grant_round(&pool, RoundKind::Deadline, Track::Small, 0);
    let org = app.organisation("Mange ansøgere");
    let ids: Vec<String> = (0..50)
        .map(|_| app.grant_application(&round, &org, 500_000, ApplicationStatus::InReview).into_string())
        .collect();
    let staff = app.staff();
    let decision = json!({"outcome": "award", "reasons": reasons()});
    let replies =
        join_all(ids.iter().map(|id| {
            app.post(&format!("/api/v1/grant-applications/{id}/decision")).by(&staff).json(&decision).send()
        }))
        .await;
    let mut awarded = 0;
    for reply in &replies {
        match reply.status.as_u16() {
            200 => awarded += 1,
            409 => {
                assert!(reply.problem(409, "budget-exceeded")["detail"].as_str().unwrap().contains("remaining budget"))
            }
            other => panic!("every answer is 200 or 409, not {other}: {}", reply.text()),
        }
    }
    assert_eq!(awarded, 10);
    let ledger = app.get(&format!("/api/v1/grant-pools/{}/ledger", pool.id)).by(&staff).send().await.ok(200);
    assert_eq!(ledger["committed_ore"], 5_000_000);
    assert_eq!(ledger["entries"].as_array().unwrap().len(), 10);
    let pool_now = app.get(&format!("/api/v1/grant-pools/{}", pool.id)).send().await.ok(200);
    assert_eq!((pool_now["committed_ore"].as_i64(), pool_now["remaining_ore"].as_i64()), (Some(5_000_000), Some(0)));
    // The refused ones are still in review: nothing half-written.
    let in_review = app
        .get(&format!("/api/v1/grant-applications?round_id={}&status=in_review&limit=100", round.id))
        .by(&staff)
        .send()
        .await
        .ok(200);
    assert_eq!(in_review["data"].as_array().unwrap().len(), 40);
}

#[actix_web::test]
async fn a_batch_that_would_overflow_applies_nothing() {
    let app = TestApp::start().await;
    let pool = app.grant_pool(1_000_000);
    let round = app.grant_round(&pool, RoundKind::Deadline, Track::Small, 0);
    let org = app.organisation("Batch");
    let ids: Vec<String> = (0..3)
        .map(|_| app.grant_application(&round, &org, 500_000, ApplicationStatus::InReview).into_string())
        .collect();
    let staff = app.staff();
    let batch = json!({"decisions": ids.iter().map(|id| json!({"application_id": id, "outcome": "award", "reasons": reasons()})).collect::<Vec<_>>()});
    let path = format!("/api/v1/grant-rounds/{}/decisions", round.id);
    app.post(&path).by(&staff).json(&batch).send().await.problem(409, "budget-exceeded");
    let pool_now = app.get(&format!("/api/v1/grant-pools/{}", pool.id)).send().await.ok(200);
    assert_eq!(pool_now["committed_ore"], 0);
    for id in &ids {
        assert_eq!(
            app.get(&format!("/api/v1/grant-applications/{id}")).by(&staff).send().await.ok(200)["status"],
            "in_review"
        );
    }
    let two = json!({"decisions": batch["decisions"].as_array().unwrap()[..2].to_vec()});
    let decided = app.post(&path).by(&staff).json(&two).send().await.ok(200);
    assert_eq!(decided.as_array().unwrap().len(), 2);
    assert_eq!(app.get(&format!("/api/v1/grant-pools/{}", pool.id)).send().await.ok(200)["remaining_ore"], 0);
    // The budget cannot be cut below what is committed.
    let cut = app
        .patch(&format!("/api/v1/grant-pools/{}", pool.id))
        .by(&staff)
        .header("if-match", "*")
        .json(&json!({"budget_ore": 999_999}))
        .send()
        .await;
    cut.problem(409, "budget-exceeded");
}

#[actix_web::test]
async fn the_applicant_sees_mean_scores_but_never_reviewers_or_their_single_scores() {
    use sammen_domain::grants::review::Score;
    use sammen_domain::identity::Role;
    let app = TestApp::start().await;
    let pool = app.grant_pool(100_000_000);
    let round = app.grant_round(&pool, RoundKind::Deadline, Track::Small, 2);
    let org = app.organisation("Havefællesskabet");
    let id = app.grant_application(&round, &org, 1_000_000, ApplicationStatus::InReview);
    let (anna, bent) = (app.with_role(Role::Reviewer), app.with_role(Role::Reviewer));
    for (reviewer, reach, comment) in [(&anna, 5, "Anna's private note"), (&bent, 2, "Bent's private note")] {
        let user = sammen_domain::ids::UserId::from_stored(reviewer.id.clone());
        app.with_db(|c| {
            let ctx = crate::common::arranged();
            let review = sammen_store::grants::assign_reviewer(c, &id, &user, &ctx)?;
            sammen_store::grants::declare_interest(c, &review.id, false, None, &ctx)?;
            let scores = [("reach", reach), ("method", 4)]
                .map(|(k, s)| Score { criterion: k.into(), score: s, comment: comment.into() })
                .to_vec();
            sammen_store::grants::save_scores(c, &review.id, None, &scores, true, &ctx)
        })
        .unwrap();
    }
    let staff = app.staff();
    let path = format!("/api/v1/grant-applications/{id}");
    let decision = json!({"outcome": "partial_award", "amount_ore": 600_000, "reasons": reasons()});
    let decided = app.post(&format!("{path}/decision")).by(&staff).json(&decision).send().await.ok(200);
    assert_eq!(decided["decision"]["awarded_ore"], 600_000);

    let rep = app.representative_of(&org);
    let seen = app.get(&path).by(&rep).send().await;
    let body = seen.text();
    let view = seen.ok(200);
    let means: Vec<(&str, f64)> = view["decision"]["assessment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["criterion"].as_str().unwrap(), m["mean"].as_f64().unwrap()))
        .collect();
    assert_eq!(means, [("reach", 3.5), ("method", 4.0)]);
    assert_eq!(view["decision"]["reasons"]["criteria"][0]["assessment"], "Reaches few older citizens");
    for secret in [&anna.id, &bent.id, &anna.email, &bent.email, &"private note".to_owned()] {
        assert!(!body.contains(secret.as_str()), "the applicant's view holds {secret}");
    }
    // Nor can the applicant list the reviews.
    app.get(&format!("/api/v1/grant-reviews?application_id={id}")).by(&rep).send().await.problem(403, "forbidden");
}

#[actix_web::test]
async fn attachments_are_kept_across_edits_and_named_in_the_revision() {
    let app = TestApp::start().await;
    let pool = app.grant_pool(100_000_000);
    let round = app.grant_round(&pool, RoundKind::Deadline, Track::Large, 0);
    let org = app.organisation("Seniorhuset");
    let rep = app.representative_of(&org);
    let id = app.grant_application(&round, &org, 9_000_000, ApplicationStatus::Draft);
    let path = format!("/api/v1/grant-applications/{id}");
    // The fixture attached a budget and a project plan; add accounts as a spreadsheet, sent as
    // plain bytes with its name.
    let sheet = b"PK\x03\x04 a spreadsheet".to_vec();
    let added = app
        .post(&format!("{path}/attachments?kind=accounts&file_name=regnskab.xlsx"))
        .by(&rep)
        .raw("application/octet-stream", sheet.clone())
        .send()
        .await
        .ok(201);
    assert_eq!(added["media_type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert_eq!(added["size_bytes"], sheet.len());
    let attachment = added["id"].as_str().unwrap().to_owned();
    // Not an accepted kind of file, too large, or someone else's: refused, nothing stored.
    let html = app
        .post(&format!("{path}/attachments?kind=other&file_name=x.html"))
        .by(&rep)
        .raw("text/html", "<p>x</p>")
        .send()
        .await;
    html.problem(415, "unsupported-media-type");
    let big = vec![b'x'; 5 * 1024 * 1024 + 1];
    app.post(&format!("{path}/attachments?kind=other&file_name=big.pdf"))
        .by(&rep)
        .raw("application/pdf", big)
        .send()
        .await
        .problem(413, "payload-too-large");
    let other = app.representative_of(&app.organisation("Andre"));
    app.post(&format!("{path}/attachments?kind=other&file_name=a.pdf"))
        .by(&other)
        .raw("application/pdf", "%PDF")
        .send()
        .await
        .problem(404, "not-found");

    // An edit leaves the files; the download gives the bytes back.
    app.patch(&path)
        .by(&rep)
        .header("if-match", "*")
        .json(&json!({"title": "Seniorhusets nye fællesskaber"}))
        .send()
        .await
        .ok(200);
    let view = app.get(&path).by(&rep).send().await.ok(200);
    let kinds: Vec<&str> =
        view["attachments"].as_array().unwrap().iter().map(|a| a["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["budget", "project_plan", "accounts"]);
    let download = app.get(&format!("{path}/attachments/{attachment}")).by(&rep).send().await;
    assert_eq!(download.status, 200);
    assert_eq!(download.body, sheet);
    app.get(&format!("{path}/attachments/{attachment}")).by(&other).send().await.problem(404, "not-found");

    // The submitted revision names each file by its hash; after submitting they stay as they are.
    app.post(&format!("{path}/submit")).by(&rep).send().await.ok(200);
    let revision = app.with_db(|c| sammen_store::grants::revisions(c, &id)).unwrap().remove(0);
    assert!(revision.content.contains(added["sha256"].as_str().unwrap()), "{}", revision.content);
    let remove =
        app.request(actix_web::http::Method::DELETE, &format!("{path}/attachments/{attachment}")).by(&rep).send().await;
    remove.problem(409, "invalid-transition");
}

#[actix_web::test]
async fn a_declined_award_goes_back_to_the_pool_and_the_ledger_cannot_be_rewritten() {
    use diesel::RunQueryDsl;
    let app = TestApp::start().await;
    let pool = app.grant_pool(2_000_000);
    let round = app.grant_round(&pool, RoundKind::Deadline, Track::Small, 0);
    let org = app.organisation("Fortrydere");
    let id = app.grant_application(&round, &org, 1_500_000, ApplicationStatus::Awarded);
    let staff = app.staff();
    let pool_path = format!("/api/v1/grant-pools/{}", pool.id);
    assert_eq!(app.get(&pool_path).send().await.ok(200)["remaining_ore"], 500_000);
    let rep = app.representative_of(&org);
    let declined = app
        .post(&format!("/api/v1/grant-applications/{id}/award-response"))
        .by(&rep)
        .json(&json!({"accept": false}))
        .send()
        .await
        .ok(200);
    assert_eq!(declined["status"], "declined");
    assert_eq!(app.get(&pool_path).send().await.ok(200)["remaining_ore"], 2_000_000);
    let ledger = app.get(&format!("{pool_path}/ledger")).by(&staff).send().await.ok(200);
    let kinds: Vec<&str> = ledger["entries"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["commitment", "release"]);
    assert_eq!(ledger["committed_ore"], 0);
    // The ledger's history cannot be changed or removed, on either database.
    for statement in ["UPDATE grant_ledger SET amount_ore = 1", "DELETE FROM grant_ledger"] {
        let refused = app.with_db(|c| diesel::sql_query(statement).execute(c));
        assert!(refused.is_err(), "{statement} was allowed");
    }
    assert_eq!(
        app.get(&format!("{pool_path}/ledger")).by(&staff).send().await.ok(200)["entries"].as_array().unwrap().len(),
        2
    );
}

#[actix_web::test]
async fn a_large_grant_closes_only_when_what_was_spent_is_paid() {
    let app = TestApp::start().await;
    let pool = app.grant_pool(100_000_000);
    let round = app.grant_round(&pool, RoundKind::Deadline, Track::Large, 0);
    let org = app.organisation("Stor forening");
    let id = app.grant_application(&round, &org, 10_000_000, ApplicationStatus::Accepted);
    let (staff, rep) = (app.staff(), app.representative_of(&org));
    let path = format!("/api/v1/grant-applications/{id}");
    let tranches = app.get(&path).by(&staff).send().await.ok(200)["tranches"].clone();
    let ids: Vec<String> = tranches.as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(ids.len(), 2);
    app.post(&format!("{path}/tranches/{}/payment", ids[0]))
        .by(&staff)
        .json(&json!({"reference": "NK-1"}))
        .send()
        .await
        .ok(200);
    let early = app
        .post(&format!("{path}/tranches/{}/payment", ids[1]))
        .by(&staff)
        .json(&json!({"reference": "NK-2"}))
        .send()
        .await;
    early.problem(409, "invalid-transition");
    let report = app
        .post(&format!("{path}/reports"))
        .by(&rep)
        .json(&json!({"spent_ore": 9_000_000, "text": "Accounts: every krone spent on the project", "declaration_on_honour": true}))
        .send()
        .await
        .ok(201);
    app.post(&format!("{path}/reports/{}/review", report["id"].as_str().unwrap()))
        .by(&staff)
        .json(&json!({"approve": true}))
        .send()
        .await
        .ok(200);
    // 4,000,000 øre of what was spent is still owed: closing now would drop it.
    app.post(&format!("{path}/close")).by(&staff).send().await.problem(409, "invalid-transition");
    let owed = app
        .post(&format!("{path}/tranches/{}/payment", ids[1]))
        .by(&staff)
        .json(&json!({"reference": "NK-2"}))
        .send()
        .await
        .ok(200);
    assert_eq!(owed["amount_ore"], 4_000_000, "shrunk to what was spent");
    app.post(&format!("{path}/close")).by(&staff).send().await.ok(200);
    let ledger = app.get(&format!("/api/v1/grant-pools/{}/ledger", pool.id)).by(&staff).send().await.ok(200);
    assert_eq!(
        (ledger["committed_ore"].as_i64(), ledger["disbursed_ore"].as_i64()),
        (Some(9_000_000), Some(9_000_000))
    );
}

#[actix_web::test]
async fn a_decision_answers_the_criteria_the_application_was_submitted_under() {
    let app = TestApp::start().await;
    let pool = app.grant_pool(100_000_000);
    let round = app.grant_round(&pool, RoundKind::Deadline, Track::Small, 0);
    let org = app.organisation("Tidlige ansøgere");
    let id = app.grant_application(&round, &org, 1_000_000, ApplicationStatus::InReview);
    let staff = app.staff();
    // A criterion added later, with a notice: the application submitted before it is not held to it.
    let mut changed = criteria();
    changed.push(sammen_domain::grants::criteria::Criterion {
        key: "partners".into(),
        title: "Works with partners".into(),
        description: String::new(),
        weight: 20,
        scale_min: 0,
        scale_max: 5,
    });
    let notice = json!({"criteria": changed, "notice": "Partnerships now count"});
    app.put(&format!("/api/v1/grant-rounds/{}/criteria", round.id)).by(&staff).json(&notice).send().await.ok(200);
    let rejection = json!({"outcome": "rejection", "reasons": reasons()});
    let decided =
        app.post(&format!("/api/v1/grant-applications/{id}/decision")).by(&staff).json(&rejection).send().await.ok(200);
    assert_eq!(decided["status"], "rejected");
    let keys: Vec<&str> = decided["decision"]["assessment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["criterion"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["reach", "method"]);
}
