//! The grant pool's reviews: staff assign reviewers (never one tied to the applicant), a
//! reviewer declares on conflicts of interest before seeing anything, scores, and submits; staff
//! rank a round against the pool's remaining budget.

use sammen_domain::grants::application::ApplicationStatus;
use sammen_domain::grants::round::{RoundKind, Track};
use sammen_domain::identity::{Role, RoleGrant};
use sammen_store::grants::{Round, reviews_of};
use serde_json::{Value, json};

use crate::common::{Actor, TestApp};

/// An app with staff, an organisation and a round of a pool with `budget_ore`, needing one review.
struct Grants {
    app: TestApp,
    staff: Actor,
    org: String,
    round: Round,
}

async fn grants(budget_ore: i64) -> Grants {
    let app = TestApp::start().await;
    let staff = app.staff();
    let org = app.organisation("Ældre Sagen Nørrebro");
    let pool = app.grant_pool(budget_ore);
    let round = app.grant_round(&pool, RoundKind::Deadline, Track::Large, 1);
    Grants { app, staff, org, round }
}

impl Grants {
    /// An application of the organisation in review, asking for `requested_ore`; its id.
    fn application(&self, requested_ore: i64) -> String {
        self.app.grant_application(&self.round, &self.org, requested_ore, ApplicationStatus::InReview).into_string()
    }

    /// `reviewer` assigned to `application` by staff; the review.
    async fn assign(&self, application: &str, reviewer: &Actor) -> Value {
        let path = format!("/api/v1/grant-applications/{application}/reviews");
        self.app.post(&path).by(&self.staff).json(&json!({"reviewer_id": reviewer.id})).send().await.ok(201)
    }

    /// `reviewer` assigned to `application`, declared free of conflicts; the review's id.
    async fn declared(&self, application: &str, reviewer: &Actor) -> String {
        let id = self.assign(application, reviewer).await["id"].as_str().unwrap().to_owned();
        let body = json!({"conflict": false});
        let path = format!("/api/v1/grant-reviews/{id}/declaration");
        let review = self.app.post(&path).by(reviewer).json(&body).send().await.ok(200);
        assert_eq!(review["coi_status"], "none");
        id
    }

    async fn put_scores(&self, review: &str, who: &Actor, if_match: &str, scores: Value) -> crate::common::Reply {
        let path = format!("/api/v1/grant-reviews/{review}/scores");
        self.app.put(&path).by(who).header("if-match", if_match).json(&json!({ "scores": scores })).send().await
    }

    async fn submit(&self, review: &str, who: &Actor) -> crate::common::Reply {
        self.app.post(&format!("/api/v1/grant-reviews/{review}/submit")).by(who).send().await
    }

    /// `reviewer` declared, scored (`reach`, `method`) and submitted on `application`.
    async fn reviewed(&self, application: &str, reviewer: &Actor, reach: i64, method: i64) {
        let id = self.declared(application, reviewer).await;
        let scores = json!([{"criterion": "reach", "score": reach}, {"criterion": "method", "score": method}]);
        self.put_scores(&id, reviewer, "*", scores).await.ok(200);
        let submitted = self.submit(&id, reviewer).await.ok(200);
        assert_eq!(submitted["submitted"], true);
    }
}

fn fields(problem: &Value) -> Vec<&str> {
    problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect()
}

#[actix_web::test]
async fn staff_assign_reviewers_and_never_one_who_represents_the_applicant() {
    let g = grants(100_000_000).await;
    let app = &g.app;
    let application = g.application(10_000_000);
    let path = format!("/api/v1/grant-applications/{application}/reviews");
    let reviewer = app.with_role(Role::Reviewer);

    let res = app
        .post(&path)
        .by(&g.staff)
        .header("idempotency-key", "assign-1")
        .json(&json!({"reviewer_id": reviewer.id}))
        .send()
        .await;
    let review = res.ok(201);
    let id = review["id"].as_str().unwrap();
    assert_eq!(res.header("location").unwrap(), format!("/api/v1/grant-reviews/{id}"));
    assert_eq!(res.header("etag"), Some("\"1\""));
    assert_eq!(review["application_id"], application.as_str());
    assert_eq!(review["reviewer_id"], reviewer.id.as_str());
    assert_eq!(review["coi_status"], "pending");
    assert_eq!(review["scores"], json!([]));
    assert_eq!(review["submitted"], false);
    // The same key replays the answer.
    let replay = app
        .post(&path)
        .by(&g.staff)
        .header("idempotency-key", "assign-1")
        .json(&json!({"reviewer_id": reviewer.id}))
        .send()
        .await;
    assert_eq!(replay.ok(201)["id"], id);
    // Without the key, a second assignment of the same reviewer is a conflict.
    let again = app.post(&path).by(&g.staff).json(&json!({"reviewer_id": reviewer.id})).send().await;
    assert!(again.problem(409, "conflict")["detail"].as_str().unwrap().contains("assigned"));

    // A reviewer who also represents the applicant (forvaltningsloven § 3): refused, nothing stored.
    let tied = app.user_granted(&[
        RoleGrant::global(Role::Reviewer),
        RoleGrant { role: Role::Organisation, scope: Some(g.org.clone()) },
    ]);
    let res = app.post(&path).by(&g.staff).json(&json!({"reviewer_id": tied.id})).send().await;
    assert!(res.problem(409, "conflict-of-interest")["detail"].as_str().unwrap().contains("forvaltningsloven § 3"));
    // Someone without the reviewer role, and no user at all: 422 on `reviewer_id`.
    let volunteer = app.volunteer();
    let res = app.post(&path).by(&g.staff).json(&json!({"reviewer_id": volunteer.id})).send().await;
    assert_eq!(fields(&res.problem(422, "validation")), ["reviewer_id"]);
    let nobody = uuid::Uuid::now_v7().to_string();
    let res = app.post(&path).by(&g.staff).json(&json!({"reviewer_id": nobody})).send().await;
    assert_eq!(fields(&res.problem(422, "validation")), ["reviewer_id"]);
    let app_id = sammen_domain::ids::GrantApplicationId::from_stored(application.clone());
    let stored = app.with_db(|c| reviews_of(c, &app_id)).unwrap();
    assert_eq!(stored.iter().map(|r| r.reviewer_id.as_str()).collect::<Vec<_>>(), [reviewer.id.as_str()]);

    // Only staff assign; the anonymous are not known; a malformed body is a 400.
    for who in [&reviewer, &app.representative_of(&g.org), &volunteer] {
        let res = app.post(&path).by(who).json(&json!({"reviewer_id": reviewer.id})).send().await;
        res.problem(403, "forbidden");
    }
    app.post(&path).json(&json!({"reviewer_id": reviewer.id})).send().await.problem(401, "unauthorized");
    let extra = json!({"reviewer_id": reviewer.id, "weight": 2});
    app.post(&path).by(&g.staff).json(&extra).send().await.problem(400, "bad-request");
    let missing = format!("/api/v1/grant-applications/{}/reviews", uuid::Uuid::now_v7());
    let res = app.post(&missing).by(&g.staff).json(&json!({"reviewer_id": reviewer.id})).send().await;
    res.problem(404, "not-found");
}

#[actix_web::test]
async fn the_application_stays_closed_to_a_reviewer_until_they_declare_free_of_conflicts() {
    let g = grants(100_000_000).await;
    let app = &g.app;
    let application = g.application(10_000_000);
    let reviewer = app.with_role(Role::Reviewer);
    let other = app.with_role(Role::Reviewer);
    let id = g.assign(&application, &reviewer).await["id"].as_str().unwrap().to_owned();
    let (detail, content) = (format!("/api/v1/grant-reviews/{id}"), format!("/api/v1/grant-reviews/{id}/application"));

    // Pending: the assignment and a hint, nothing of the application.
    let res = app.get(&detail).by(&reviewer).send().await;
    assert!(!res.text().contains("Tuesday walks") && !res.text().contains("lonely older men"), "{}", res.text());
    let body = res.ok(200);
    assert_eq!(res.header("etag"), Some("\"1\""));
    assert_eq!(body["coi_status"], "pending");
    assert_eq!(body["application_id"], application.as_str());
    assert_eq!(body["application"], Value::Null);
    assert!(body["hint"].as_str().unwrap().contains("/declaration"), "{body}");
    let res = app.get(&content).by(&reviewer).send().await;
    assert!(!res.text().contains("Tuesday walks") && !res.text().contains("lonely older men"), "{}", res.text());
    assert!(res.problem(403, "forbidden")["detail"].as_str().unwrap().contains("conflict of interest"));
    // Scores before the declaration are refused.
    let res = g.put_scores(&id, &reviewer, "*", json!([{"criterion": "reach", "score": 3}])).await;
    res.problem(409, "invalid-transition");

    // Another reviewer, a representative, the anonymous: nothing.
    let rep = app.representative_of(&g.org);
    for path in [&detail, &content] {
        let res = app.get(path).by(&other).send().await;
        assert!(!res.text().contains("Tuesday walks"));
        res.problem(404, "not-found");
        app.get(path).by(&rep).send().await.problem(404, "not-found");
        app.get(path).send().await.problem(401, "unauthorized");
    }
    // Another reviewer, and staff, do not declare for the reviewer.
    let declaration = format!("{detail}/declaration");
    for who in [&other, &g.staff] {
        app.post(&declaration).by(who).json(&json!({"conflict": false})).send().await.problem(404, "not-found");
    }
    let long = json!({"conflict": false, "note": "x".repeat(1001)});
    assert_eq!(
        fields(&app.post(&declaration).by(&reviewer).json(&long).send().await.problem(422, "validation")),
        ["note"]
    );

    let res =
        app.post(&declaration).by(&reviewer).json(&json!({"conflict": false, "note": "Ingen relation"})).send().await;
    let declared = res.ok(200);
    assert_eq!(res.header("etag"), Some("\"2\""));
    assert_eq!(
        (declared["coi_status"].as_str(), declared["coi_note"].as_str()),
        (Some("none"), Some("Ingen relation"))
    );
    assert!(declared["coi_declared_at"].as_str().unwrap().ends_with('Z'));
    // Once only.
    let again = app.post(&declaration).by(&reviewer).json(&json!({"conflict": true})).send().await;
    again.problem(409, "invalid-transition");

    // Now the content opens: the application and the criteria it is assessed against.
    let body = app.get(&detail).by(&reviewer).send().await.ok(200);
    assert_eq!(body["hint"], Value::Null);
    let a = &body["application"];
    assert_eq!(a["id"], application.as_str());
    assert_eq!(a["title"], "Tuesday walks");
    assert_eq!(a["summary"], "Weekly walks that bring lonely older men together");
    assert_eq!(a["amount_requested_ore"], 10_000_000);
    assert_eq!(a["planned_start"], "2027-08-01");
    assert_eq!(a["target_groups"], json!(["older_citizens", "loneliness"]));
    assert_eq!(a["status"], "in_review");
    assert_eq!(a["criteria_version"], 1);
    let keys: Vec<&str> = a["criteria"].as_array().unwrap().iter().map(|c| c["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["reach", "method"]);
    assert_eq!(app.get(&content).by(&reviewer).send().await.ok(200), *a);
    // Staff read it all, and other reviewers still nothing.
    assert_eq!(app.get(&detail).by(&g.staff).send().await.ok(200)["application"], *a);
    app.get(&content).by(&other).send().await.problem(404, "not-found");
}

#[actix_web::test]
async fn a_reviewer_who_declares_a_conflict_is_excluded_for_good() {
    let g = grants(100_000_000).await;
    let app = &g.app;
    let application = g.application(10_000_000);
    let reviewer = app.with_role(Role::Reviewer);
    let id = g.assign(&application, &reviewer).await["id"].as_str().unwrap().to_owned();
    let declaration = json!({"conflict": true, "note": "Min søster er formand for foreningen"});
    let path = format!("/api/v1/grant-reviews/{id}/declaration");
    let declared = app.post(&path).by(&reviewer).json(&declaration).send().await.ok(200);
    assert_eq!(declared["coi_status"], "declared");
    assert_eq!(declared["coi_note"], "Min søster er formand for foreningen");

    let res = app.get(&format!("/api/v1/grant-reviews/{id}/application")).by(&reviewer).send().await;
    assert!(!res.text().contains("Tuesday walks"));
    assert!(res.problem(403, "forbidden")["detail"].as_str().unwrap().contains("declared a conflict"));
    let res = app.get(&format!("/api/v1/grant-reviews/{id}")).by(&reviewer).send().await;
    assert!(!res.text().contains("Tuesday walks"));
    let body = res.ok(200);
    assert_eq!((body["coi_status"].as_str(), &body["application"]), (Some("declared"), &Value::Null));
    let scores = json!([{"criterion": "reach", "score": 3}, {"criterion": "method", "score": 3}]);
    let res = g.put_scores(&id, &reviewer, "*", scores).await;
    assert!(res.problem(409, "invalid-transition")["detail"].as_str().unwrap().contains("conflict of interest"));
    g.submit(&id, &reviewer).await.problem(409, "invalid-transition");
    app.post(&path).by(&reviewer).json(&json!({"conflict": false})).send().await.problem(409, "invalid-transition");
    let stored =
        app.with_db(|c| sammen_store::grants::find_review(c, &sammen_domain::ids::GrantReviewId::from_stored(id)));
    assert!(stored.unwrap().scores.is_empty());
}

#[actix_web::test]
async fn scores_are_checked_need_if_match_and_lock_when_submitted() {
    let g = grants(100_000_000).await;
    let app = &g.app;
    let application = g.application(10_000_000);
    let reviewer = app.with_role(Role::Reviewer);
    let id = g.declared(&application, &reviewer).await;
    let reach = json!([{"criterion": "reach", "score": 4, "comment": "Når mænd, som andre ikke når"}]);

    // If-Match: required (428), and it must be current (412; the declaration made it version 2).
    let path = format!("/api/v1/grant-reviews/{id}/scores");
    let res = app.put(&path).by(&reviewer).json(&json!({ "scores": reach })).send().await;
    res.problem(428, "precondition-required");
    g.put_scores(&id, &reviewer, "\"1\"", reach.clone()).await.problem(412, "precondition-failed");

    // Every bad score at once.
    let bad = json!([
        {"criterion": "reach", "score": 9},
        {"criterion": "impact", "score": 1},
        {"criterion": "method", "score": 2},
        {"criterion": "method", "score": 3},
        {"criterion": "reach", "score": 1, "comment": "x".repeat(2001)},
    ]);
    let problem = g.put_scores(&id, &reviewer, "\"2\"", bad).await.problem(422, "validation");
    assert_eq!(
        fields(&problem),
        ["scores[0].score", "scores[1].criterion", "scores[3].criterion", "scores[4].criterion", "scores[4].comment"]
    );
    let unknown = json!([{"criterion": "reach", "score": 2, "weight": 1}]);
    g.put_scores(&id, &reviewer, "\"2\"", unknown).await.problem(400, "bad-request");

    // Part of the criteria may be saved; submitting needs them all.
    let res = g.put_scores(&id, &reviewer, "\"2\"", reach.clone()).await;
    let saved = res.ok(200);
    assert_eq!(res.header("etag"), Some("\"3\""));
    assert_eq!(saved["scores"], json!([{"criterion": "reach", "score": 4, "comment": "Når mænd, som andre ikke når"}]));
    assert_eq!(saved["submitted"], false);
    let problem = g.submit(&id, &reviewer).await.problem(422, "validation");
    assert_eq!(fields(&problem), ["scores"]);
    assert!(problem["errors"][0]["message"].as_str().unwrap().contains("method"));

    // Another reviewer and staff do not score this review.
    let other = app.with_role(Role::Reviewer);
    g.put_scores(&id, &other, "*", reach.clone()).await.problem(404, "not-found");
    g.put_scores(&id, &g.staff, "*", reach.clone()).await.problem(404, "not-found");
    g.submit(&id, &other).await.problem(404, "not-found");

    let both = json!([{"criterion": "reach", "score": 4}, {"criterion": "method", "score": 2}]);
    g.put_scores(&id, &reviewer, "\"3\"", both).await.ok(200);
    let res = g.submit(&id, &reviewer).await;
    let submitted = res.ok(200);
    assert_eq!(res.header("etag"), Some("\"5\""));
    assert_eq!(submitted["submitted"], true);
    assert!(submitted["submitted_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(submitted["scores"][1], json!({"criterion": "method", "score": 2, "comment": ""}));

    // Locked.
    let change = json!([{"criterion": "reach", "score": 5}, {"criterion": "method", "score": 5}]);
    let res = g.put_scores(&id, &reviewer, "*", change).await;
    assert!(res.problem(409, "invalid-transition")["detail"].as_str().unwrap().contains("submitted"));
    g.submit(&id, &reviewer).await.problem(409, "invalid-transition");
    let read = app.get(&format!("/api/v1/grant-reviews/{id}")).by(&reviewer).send().await.ok(200);
    assert_eq!(read["scores"][0]["score"], 4);
    assert_eq!(read["version"], 5);
}

#[actix_web::test]
async fn reviewers_list_their_own_assignments_and_staff_those_of_an_application() {
    let g = grants(100_000_000).await;
    let app = &g.app;
    let reviewer = app.with_role(Role::Reviewer);
    let other = app.with_role(Role::Reviewer);
    let applications: Vec<String> = (0..3).map(|_| g.application(10_000_000)).collect();
    let mut mine = Vec::new();
    for a in &applications {
        mine.push(g.assign(a, &reviewer).await["id"].as_str().unwrap().to_owned());
    }
    let theirs = g.assign(&applications[0], &other).await["id"].as_str().unwrap().to_owned();

    let res = app.get("/api/v1/grant-reviews?limit=2").by(&reviewer).send().await;
    let first = res.ok(200);
    let ids = |page: &Value| -> Vec<String> {
        page["data"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(ids(&first), mine[..2]);
    let cursor = first["next_cursor"].as_str().unwrap();
    assert!(res.header("link").unwrap().contains(&format!("cursor={cursor}")));
    let second = app.get(&format!("/api/v1/grant-reviews?limit=2&cursor={cursor}")).by(&reviewer).send().await.ok(200);
    assert_eq!(ids(&second), mine[2..]);
    assert_eq!(second["next_cursor"], Value::Null);
    assert_eq!(ids(&app.get("/api/v1/grant-reviews").by(&other).send().await.ok(200)), [theirs.as_str()]);
    assert_eq!(app.get("/api/v1/grant-reviews").by(&g.staff).send().await.ok(200)["data"], json!([]));

    // Staff: every review of one application, reviewers and all.
    let of_first = format!("/api/v1/grant-reviews?application_id={}", applications[0]);
    let page = app.get(&of_first).by(&g.staff).send().await.ok(200);
    assert_eq!(ids(&page), [mine[0].clone(), theirs]);
    assert_eq!(page["data"][1]["reviewer_id"], other.id.as_str());
    let page = app.get(&format!("{of_first}&limit=1")).by(&g.staff).send().await.ok(200);
    assert_eq!(ids(&page), [mine[0].clone()]);
    let cursor = page["next_cursor"].as_str().unwrap();
    let page = app.get(&format!("{of_first}&limit=1&cursor={cursor}")).by(&g.staff).send().await.ok(200);
    assert_eq!(page["data"][0]["reviewer_id"], other.id.as_str());
    app.get(&of_first).by(&reviewer).send().await.problem(403, "forbidden");
    app.get("/api/v1/grant-reviews").send().await.problem(401, "unauthorized");
    app.get("/api/v1/grant-reviews?limit=500").by(&reviewer).send().await.problem(400, "bad-request");
}

#[actix_web::test]
async fn the_ranking_orders_by_weighted_score_and_draws_the_funding_line_at_the_remaining_budget() {
    // Three requests of 100,000 kr. against 250,000 kr.: two fit.
    let g = grants(25_000_000).await;
    let app = &g.app;
    let (top, middle, low) = (g.application(10_000_000), g.application(10_000_000), g.application(10_000_000));
    let unscored = g.application(9_000_000);
    let (r1, r2, r3) = (app.with_role(Role::Reviewer), app.with_role(Role::Reviewer), app.with_role(Role::Reviewer));
    // reach weighs 60, method 40, both 0 to 5.
    g.reviewed(&low, &r1, 1, 1).await; // 20
    g.reviewed(&middle, &r1, 4, 2).await; // 48 + 16 = 64
    g.reviewed(&top, &r1, 5, 5).await;
    g.reviewed(&top, &r2, 4, 3).await; // means 4.5 and 4: 54 + 32 = 86
    // A review not submitted, and one by a reviewer who declared a conflict, do not count.
    let saved = g.declared(&low, &r2).await;
    let five = json!([{"criterion": "reach", "score": 5}, {"criterion": "method", "score": 5}]);
    g.put_scores(&saved, &r2, "*", five).await.ok(200);
    let excluded = g.assign(&low, &r3).await["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/grant-reviews/{excluded}/declaration");
    app.post(&path).by(&r3).json(&json!({"conflict": true})).send().await.ok(200);
    // An application not yet in review is not ranked.
    app.grant_application(&g.round, &g.org, 9_000_000, ApplicationStatus::Submitted);

    let ranking_path = format!("/api/v1/grant-rounds/{}/ranking", g.round.id);
    let body = app.get(&ranking_path).by(&g.staff).send().await.ok(200);
    assert_eq!(body["round_id"], g.round.id.as_str());
    assert_eq!((body["budget_ore"].as_i64(), body["remaining_ore"].as_i64()), (Some(25_000_000), Some(25_000_000)));
    let criteria: Vec<&str> = body["criteria"].as_array().unwrap().iter().map(|c| c["key"].as_str().unwrap()).collect();
    assert_eq!(criteria, ["reach", "method"]);
    let items = body["applications"].as_array().unwrap();
    let column = |name: &str| items.iter().map(|i| i[name].clone()).collect::<Vec<_>>();
    assert_eq!(column("application_id"), [json!(top), json!(middle), json!(low), json!(unscored)]);
    assert_eq!(column("rank"), [json!(1), json!(2), json!(3), json!(4)]);
    assert_eq!(column("weighted_score"), [json!(86.0), json!(64.0), json!(20.0), Value::Null]);
    assert_eq!(column("reviews_completed"), [json!(2), json!(1), json!(1), json!(0)]);
    assert_eq!(
        column("cumulative_requested_ore"),
        [json!(10_000_000), json!(20_000_000), json!(30_000_000), json!(39_000_000)]
    );
    assert_eq!(column("above_funding_line"), [json!(true), json!(true), json!(false), json!(false)]);
    assert_eq!(
        items[0]["criteria"],
        json!([
            {"criterion": "reach", "mean": 4.5, "scale_min": 0, "scale_max": 5},
            {"criterion": "method", "mean": 4.0, "scale_min": 0, "scale_max": 5},
        ])
    );
    assert_eq!(items[3]["criteria"][0]["mean"], Value::Null);
    assert_eq!(items[0]["title"], "Tuesday walks");
    assert_eq!(items[0]["organisation_id"], g.org.as_str());
    assert_eq!(items[0]["status"], "in_review");
    assert_eq!(items[0]["requested_ore"], 10_000_000);

    // Staff only.
    for who in [&r1, &app.representative_of(&g.org), &app.volunteer()] {
        app.get(&ranking_path).by(who).send().await.problem(403, "forbidden");
    }
    app.get(&ranking_path).send().await.problem(401, "unauthorized");
    let missing = format!("/api/v1/grant-rounds/{}/ranking", uuid::Uuid::now_v7());
    app.get(&missing).by(&g.staff).send().await.problem(404, "not-found");
}

#[actix_web::test]
async fn a_reviewer_sees_who_applied_before_declaring_and_loses_the_review_on_becoming_tied() {
    let g = grants(100_000_000).await;
    let app = &g.app;
    let application = g.application(10_000_000);
    let reviewer = app.with_role(Role::Reviewer);
    let review = g.assign(&application, &reviewer).await["id"].as_str().unwrap().to_owned();
    let before = app.get(&format!("/api/v1/grant-reviews/{review}")).by(&reviewer).send().await.ok(200);
    assert_eq!(before["applicant"]["name"], "Ældre Sagen Nørrebro", "enough to judge a conflict");
    assert_eq!(before["applicant"]["organisation_id"], g.org.as_str());
    assert_eq!(before["application"], Value::Null);
    let path = format!("/api/v1/grant-reviews/{review}/declaration");
    app.post(&path).by(&reviewer).json(&json!({"conflict": false})).send().await.ok(200);

    // Later the reviewer becomes one of the applicant's representatives: scoring is refused.
    let user = sammen_domain::ids::UserId::from_stored(reviewer.id.clone());
    let roles = [RoleGrant::global(Role::Reviewer), RoleGrant { role: Role::Organisation, scope: Some(g.org.clone()) }];
    app.with_db(|c| {
        let changes = sammen_store::identity::UserChanges { roles: Some(roles.to_vec()), ..Default::default() };
        sammen_store::identity::update_user(c, &user, None, &changes, &crate::common::arranged())
    })
    .unwrap();
    let scores = json!([{"criterion": "reach", "score": 5}, {"criterion": "method", "score": 5}]);
    g.put_scores(&review, &reviewer, "*", scores).await.problem(409, "conflict-of-interest");
    assert!(reviews_of_scores(app, &application).is_empty(), "nothing was saved");
}

fn reviews_of_scores(app: &TestApp, application: &str) -> Vec<sammen_domain::grants::review::Score> {
    let id = sammen_domain::ids::GrantApplicationId::from_stored(application.to_owned());
    app.with_db(|c| reviews_of(c, &id)).unwrap().into_iter().flat_map(|r| r.scores).collect()
}

#[actix_web::test]
async fn a_reviewer_lists_an_application_only_after_declaring_and_never_sees_its_decision() {
    let g = grants(100_000_000).await;
    let app = &g.app;
    let application = g.application(10_000_000);
    let reviewer = app.with_role(Role::Reviewer);
    let review = g.assign(&application, &reviewer).await["id"].as_str().unwrap().to_owned();
    let listed = app.get("/api/v1/grant-applications").by(&reviewer).send().await.ok(200);
    assert!(listed["data"].as_array().unwrap().is_empty(), "not even the title before declaring: {listed}");
    let path = format!("/api/v1/grant-reviews/{review}/declaration");
    app.post(&path).by(&reviewer).json(&json!({"conflict": false})).send().await.ok(200);
    let listed = app.get("/api/v1/grant-applications").by(&reviewer).send().await.ok(200);
    assert_eq!(listed["data"][0]["id"], application.as_str());
    let seen = app.get(&format!("/api/v1/grant-applications/{application}")).by(&reviewer).send().await.ok(200);
    assert_eq!(seen["title"], "Tuesday walks");
    assert_eq!((seen["decision"].clone(), seen["tranches"].clone()), (Value::Null, json!([])));
}
