//! docs/security.md's table of who may do what, walked: every operation it lists is sent as every
//! kind of caller (anonymous, a volunteer, the organisation's representative, another
//! organisation's, an API client of the organisation with and without `directory:write`, staff,
//! an admin) against records of its own, and the status must be the one the table says. Every
//! operation the API serves must have a row, and every row a request here.

use std::collections::{BTreeMap, BTreeSet};

use sammen_domain::directory::moderation::ListingStatus;
use sammen_domain::grants::application::{ApplicationStatus, AttachmentKind};
use sammen_domain::grants::round::{RoundKind, Track};
use sammen_domain::identity::{Role, Scope};
use sammen_domain::ids::{ActivityId, GrantApplicationId, UserId};
use sammen_store::grants::{self as grants, NewAttachment, Pool, Round};
use serde_json::json;

use crate::common::grants::{criteria, eligibility};
use crate::common::{Actor, Call, PASSWORD, Reply, TestApp, arranged, listing};

/// The kinds of caller, in the order of the table's columns.
const CALLERS: [&str; 8] = [
    "Anonymous",
    "Volunteer",
    "Representative",
    "Another organisation's",
    "Client",
    "Client, read only",
    "Staff",
    "Admin",
];

/// The table: operation (as written in its first cell) → the status for each caller.
fn documented() -> BTreeMap<String, Vec<u16>> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/security.md")).unwrap();
    let section = doc.split("## 2. Who may do what").nth(1).unwrap().split("\n## ").next().unwrap();
    let mut lines = section.lines().filter(|l| l.starts_with('|'));
    let header: Vec<&str> = lines.next().unwrap().split('|').map(str::trim).filter(|c| !c.is_empty()).collect();
    assert_eq!(header[1..], CALLERS, "the table's columns");
    lines
        .skip(1)
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).filter(|c| !c.is_empty()).collect();
            let statuses = cells[1..].iter().map(|c| c.parse().unwrap_or_else(|_| panic!("{line}"))).collect();
            (cells[0].to_owned(), statuses)
        })
        .collect()
}

/// The records an operation acts on: a fresh database with an organisation, its draft and
/// published listings, a report, a user and an API client.
struct World {
    app: TestApp,
    org: String,
    other_org: String,
    published: String,
    user: String,
    client: String,
}

impl World {
    async fn new() -> World {
        let app = TestApp::start().await;
        app.norrebro();
        let (org, other_org) = (app.organisation("Nørrebro Sangkor"), app.organisation("Amager Strikkeklub"));
        let published = app.activity_of(&org, "Fællessang", ListingStatus::Published);
        let user = app.volunteer().id;
        let client = app.client_of(&other_org, &[Scope::DirectoryRead]).id;
        World { app, org, other_org, published, user, client }
    }

    fn caller(&self, kind: &str) -> Actor {
        let app = &self.app;
        match kind {
            "Anonymous" => app.anonymous(),
            "Volunteer" => app.volunteer(),
            "Representative" => app.representative_of(&self.org),
            "Another organisation's" => app.representative_of(&self.other_org),
            "Client" => app.client_of(&self.org, &[Scope::DirectoryRead, Scope::DirectoryWrite]),
            "Client, read only" => app.client_of(&self.org, &[Scope::DirectoryRead]),
            "Staff" => app.staff(),
            "Admin" => app.admin(),
            other => panic!("no caller {other}"),
        }
    }

    fn activity(&self, status: ListingStatus) -> String {
        self.app.activity_of(&self.org, "Fællessang", status)
    }

    /// A webhook subscription of an API client of the organisation, made straight in the database.
    fn subscription(&self) -> String {
        let client =
            sammen_domain::ids::ApiClientId::from_stored(self.app.client_of(&self.org, &[Scope::DirectoryRead]).id);
        let new = sammen_store::webhooks::NewSubscription {
            api_client_id: &client,
            organisation_id: None,
            url: "https://frivillig.example.dk/hooks",
            event_types: &[sammen_domain::outbox::EventType::ListingPublished],
            secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        };
        let made = self.app.with_db(|c| sammen_store::webhooks::create_subscription(c, &new, &arranged()));
        made.unwrap().id.into_string()
    }

    /// An e-mail delivery in the outbox (a password reset for a volunteer).
    fn delivery(&self) -> String {
        use diesel::prelude::*;
        use sammen_store::schema::outbox_deliveries::dsl::*;
        let someone = self.app.volunteer();
        self.app.with_db(|c| {
            sammen_store::identity::request_password_reset(c, &someone.email, &arranged()).unwrap();
            outbox_deliveries.select(id).order(id.desc()).first::<String>(c).unwrap()
        })
    }

    /// A report on the published listing, made straight in the database.
    fn report(&self) -> String {
        let message = "Caféen er flyttet til Blågårdsgade.".parse().unwrap();
        let report = sammen_domain::directory::listing_report::ListingReport { message, contact_email: None };
        let id = ActivityId::from_stored(self.published.clone());
        let stored = self.app.with_db(|c| sammen_store::directory::insert_report(c, &id, &report, &arranged()));
        stored.unwrap().id.into_string()
    }

    /// A published grant pool of 1,000,000 kr, made straight in the database.
    fn pool(&self) -> Pool {
        self.app.grant_pool(100_000_000)
    }

    /// A grant pool still in draft (seen by staff only).
    fn draft_pool(&self) -> Pool {
        let new = grants::NewPool {
            title: "Puljen til nye fællesskaber".into(),
            purpose: "New kinds of communities for lonely older citizens".into(),
            legal_basis: "Serviceloven § 18".into(),
            funder_name: "Københavns Kommune".into(),
            funder_identifier: "DK-CVR-64942212".into(),
            budget_ore: 100_000_000,
        };
        self.app.with_db(|c| grants::insert_pool(c, &new, &arranged())).unwrap()
    }

    /// An open deadline round for small grants, deciding without reviews, of a pool of its own.
    fn round(&self) -> Round {
        self.app.grant_round(&self.pool(), RoundKind::Deadline, Track::Small, 0)
    }

    /// An application of the organisation for 25,000 kr in a round of its own, taken to `status`.
    fn application(&self, status: ApplicationStatus) -> GrantApplicationId {
        self.app.grant_application(&self.round(), &self.org, 2_500_000, status)
    }

    /// A file attached to a draft application of the organisation: (application, attachment).
    fn attachment(&self) -> (GrantApplicationId, String) {
        let id = self.application(ApplicationStatus::Draft);
        let file = NewAttachment {
            kind: AttachmentKind::Budget,
            file_name: "budget.pdf",
            media_type: "application/pdf",
            content: b"%PDF-1.4 test",
        };
        let made = self.app.with_db(|c| grants::insert_attachment(c, &id, &file, &arranged())).unwrap();
        (id, made.id.into_string())
    }

    /// An accepted award of the organisation and its first tranche (planned, paid on acceptance).
    fn tranche(&self) -> (GrantApplicationId, String) {
        let id = self.application(ApplicationStatus::Accepted);
        let first = self.app.with_db(|c| grants::tranches(c, &id)).unwrap().remove(0);
        (id, first.id.into_string())
    }

    /// An accepted award of the organisation with its report submitted: (application, report).
    fn report_on_award(&self) -> (GrantApplicationId, String) {
        let id = self.application(ApplicationStatus::Accepted);
        let text = "We walked every Tuesday, as we said.";
        let report = self.app.with_db(|c| grants::submit_report(c, &id, 2_500_000, text, &arranged())).unwrap();
        (id, report.id.into_string())
    }

    /// An accepted award of the organisation ready to close: its first tranche paid, its report approved.
    fn closable(&self) -> GrantApplicationId {
        let (id, report) = self.report_on_award();
        let ctx = arranged();
        self.app
            .with_db(|c| {
                let first = grants::tranches(c, &id)?.remove(0);
                grants::pay_tranche(c, &id, &first.id, "NK-1", &ctx)?;
                let report = sammen_domain::ids::GrantReportId::from_stored(report);
                grants::review_report(c, &id, &report, true, None, &ctx)?;
                Ok::<_, sammen_store::StoreError>(())
            })
            .unwrap();
        id
    }

    /// A user with the role `reviewer` (no other).
    fn reviewer(&self) -> Actor {
        self.app.with_role(Role::Reviewer)
    }

    /// A reviewer (a user of their own, none of the callers) assigned to an application of the
    /// organisation in review, declared free of conflicts if `declared`; the review's id.
    fn review(&self, declared: bool) -> String {
        let id = self.application(ApplicationStatus::InReview);
        let reviewer = UserId::from_stored(self.reviewer().id);
        let ctx = arranged();
        self.app
            .with_db(|c| {
                let review = grants::assign_reviewer(c, &id, &reviewer, &ctx)?;
                if declared {
                    grants::declare_interest(c, &review.id, false, None, &ctx)?;
                }
                Ok::<_, sammen_store::StoreError>(review.id.into_string())
            })
            .unwrap()
    }
}

/// The reasons of an award decision.
fn award() -> serde_json::Value {
    json!({"outcome": "award", "reasons": {
        "justification": "Assessed against the round's published criteria", "criteria": [], "reconsideration": null
    }})
}

/// The request of one row of the table, for the `n`th caller (so what each creates is its own).
fn request(row: &str, w: &World, n: usize) -> Call {
    let app = &w.app;
    let (get, post, put, patch) = (
        |path: String| app.get(&format!("/api/v1{path}")),
        |path: String| app.post(&format!("/api/v1{path}")),
        |path: String| app.put(&format!("/api/v1{path}")),
        |path: String| app.patch(&format!("/api/v1{path}")).header("if-match", "*"),
    );
    let (org, published) = (&w.org, &w.published);
    match row {
        "`GET /health/live`" => get("/health/live".into()),
        "`GET /health/ready`" => get("/health/ready".into()),
        "`GET /openapi.json`" => get("/openapi.json".into()),
        "`POST /auth/token`" => {
            let someone = app.volunteer();
            post("/auth/token".into())
                .json(&json!({"grant_type": "password", "username": someone.email, "password": PASSWORD}))
        }
        "`POST /auth/revoke`" => post("/auth/revoke".into()).json(&json!({"token": "rt_not_a_token"})),
        "`POST /auth/register`" => post("/auth/register".into()).json(&json!({
            "email": format!("ny-{n}@example.dk"), "display_name": "Ny", "password": "en lang adgangskode"
        })),
        "`POST /auth/verify-email` with a token that does not work" => {
            post("/auth/verify-email".into()).json(&json!({"token": "ve_not_a_token"}))
        }
        "`POST /auth/password-reset`" => {
            post("/auth/password-reset".into()).json(&json!({"email": format!("glemt-{n}@example.dk")}))
        }
        "`POST /auth/password-reset/complete` with a token that does not work" => {
            post("/auth/password-reset/complete".into())
                .json(&json!({"token": "pr_not_a_token", "password": "et helt nyt kodeord"}))
        }
        "`POST /me/password`" => post("/me/password".into())
            .json(&json!({"current_password": PASSWORD, "new_password": "et helt nyt kodeord"})),
        "`GET /me`" => get("/me".into()),
        "`GET /me/export`" => get("/me/export".into()),
        "`DELETE /me`" => app.request(actix_web::http::Method::DELETE, "/api/v1/me"),
        "`POST /users`" => post("/users".into()).json(&json!({
            "email": format!("ny-{n}@example.dk"), "display_name": "Ny", "password": "en lang adgangskode",
            "roles": [{"role": "volunteer"}]
        })),
        "`GET /users`" => get("/users".into()),
        "`GET /users/{id}`" => get(format!("/users/{}", w.user)),
        "`PATCH /users/{id}`" => {
            patch(format!("/users/{}", w.user)).json(&json!({"display_name": format!("Navn {n}")}))
        }
        "`POST /api-clients`" => {
            post("/api-clients".into()).json(&json!({"name": "Sync", "scopes": ["directory:read"]}))
        }
        "`GET /api-clients`" => get("/api-clients".into()),
        "`GET /api-clients/{id}`" => get(format!("/api-clients/{}", w.client)),
        "`PATCH /api-clients/{id}`" => patch(format!("/api-clients/{}", w.client)).json(&json!({"name": "Sync 2"})),
        "`POST /api-clients/{id}/secret`" => post(format!("/api-clients/{}/secret", w.client)),
        "`GET /audit-events`" => get("/audit-events".into()),
        "`GET /outbox/deliveries`" => get("/outbox/deliveries".into()),
        "`POST /outbox/deliveries/{id}/replay` of an e-mail" => {
            post(format!("/outbox/deliveries/{}/replay", w.delivery()))
        }
        "`POST /webhook-subscriptions` for the organisation's client" => {
            let client = app.client_of(org, &[Scope::DirectoryRead]).id;
            post("/webhook-subscriptions".into()).json(&json!({
                "api_client_id": client, "url": "https://frivillig.example.dk/hooks", "event_types": ["listing.published"]
            }))
        }
        "`GET /webhook-subscriptions/{id}`" => get(format!("/webhook-subscriptions/{}", w.subscription())),
        "`PATCH /webhook-subscriptions/{id}`" => {
            patch(format!("/webhook-subscriptions/{}", w.subscription())).json(&json!({"active": true}))
        }
        "`GET /webhook-subscriptions/{id}/deliveries`" => {
            get(format!("/webhook-subscriptions/{}/deliveries", w.subscription()))
        }
        "`GET /taxonomy`" => get("/taxonomy".into()),
        "`PUT /taxonomy/terms/{vocabulary}/{code}`" => {
            put(format!("/taxonomy/terms/activity_type/term_{n}")).json(&json!({"label_da": "Nyt", "label_en": "New"}))
        }
        "`PUT /taxonomy/districts/{code}`" => put(format!("/taxonomy/districts/district_{n}"))
            .json(&json!({"name": "Ny bydel", "lat": 55.7, "lon": 12.5})),
        "`PUT /taxonomy/housing-areas/{code}`" => put(format!("/taxonomy/housing-areas/area_{n}"))
            .json(&json!({"name": "Nyt område", "lat": 55.7, "lon": 12.5, "district_code": "norrebro"})),
        "`GET /organisations`" => get("/organisations".into()),
        "`GET /organisations/{id}`" => get(format!("/organisations/{org}")),
        "`POST /organisations`" => {
            post("/organisations".into()).json(&json!({"name": format!("Forening {n}"), "kind": "association"}))
        }
        "`PATCH /organisations/{id}`" => {
            patch(format!("/organisations/{org}")).json(&json!({"description": "Vi synger."}))
        }
        "`PATCH /organisations/{id}` with `parent_id`" => {
            patch(format!("/organisations/{org}")).json(&json!({"parent_id": w.other_org}))
        }
        "`POST /organisations/{id}/activities`" => {
            post(format!("/organisations/{org}/activities")).json(&listing("Ny"))
        }
        "`PUT /organisations/{id}/activities/external/{external_id}`" => {
            put(format!("/organisations/{org}/activities/external/ext-{n}")).json(&listing("Ny"))
        }
        "`POST /organisations/{id}/activities/import`" => {
            let csv = "external_id,name,summary,languages,mode,frequency,weekdays,starts_on,start_time,duration_minutes\n\
                       k-1,Telefonkæde,Vi ringer til hinanden hver tirsdag.,da,phone,weekly,tuesday,2026-01-06,10:00,30\n";
            post(format!("/organisations/{org}/activities/import?dry_run=true")).raw("text/csv", csv)
        }
        "`GET /organisations/{id}/activities`" => get(format!("/organisations/{org}/activities")),
        "`GET /activities`" => get("/activities?q=sang".into()),
        "`GET /activities/calendar.ics`" => get("/activities/calendar.ics".into()),
        "`GET /activities/locations.geojson`" => get("/activities/locations.geojson".into()),
        "`GET /activities/changes`" => get("/activities/changes?modified_since=2026-01-01T00:00:00Z".into()),
        "`GET /exports/hsds`" => get("/exports/hsds".into()),
        "`GET /activities/{id}` of a published activity" => get(format!("/activities/{published}")),
        "`GET /activities/{id}` of a draft" => get(format!("/activities/{}", w.activity(ListingStatus::Draft))),
        "`GET /activities/{id}/occurrences` of a draft" => {
            get(format!("/activities/{}/occurrences", w.activity(ListingStatus::Draft)))
        }
        "`GET /activities/{id}/calendar.ics` of a draft" => {
            get(format!("/activities/{}/calendar.ics", w.activity(ListingStatus::Draft)))
        }
        "`PUT /activities/{id}` of a published activity" => {
            put(format!("/activities/{published}")).header("if-match", "*").json(&listing("Rettet"))
        }
        "`PUT /activities/{id}` of a draft" => put(format!("/activities/{}", w.activity(ListingStatus::Draft)))
            .header("if-match", "*")
            .json(&listing("Rettet")),
        "`POST /activities/{id}/transitions` (submit a draft)" => {
            post(format!("/activities/{}/transitions", w.activity(ListingStatus::Draft)))
                .header("if-match", "*")
                .json(&json!({"action": "submit"}))
        }
        "`POST /activities/{id}/transitions` (approve a submission)" => {
            post(format!("/activities/{}/transitions", w.activity(ListingStatus::Submitted)))
                .header("if-match", "*")
                .json(&json!({"action": "approve"}))
        }
        "`POST /activities/{id}/assure`" => post(format!("/activities/{published}/assure")),
        "`GET /moderation/activities`" => get("/moderation/activities".into()),
        "`POST /activities/{id}/reports`" => {
            post(format!("/activities/{published}/reports")).json(&json!({"message": "Adressen er forkert nu."}))
        }
        "`GET /activity-reports`" => get("/activity-reports".into()),
        "`GET /activity-reports` with `organisation`" => get(format!("/activity-reports?organisation={org}")),
        "`POST /activity-reports/{id}/resolve`" => {
            post(format!("/activity-reports/{}/resolve", w.report())).json(&json!({"note": "Rettet."}))
        }
        "`GET /reports/coverage`" => get("/reports/coverage".into()),
        "`GET /grant-pools`" => get("/grant-pools".into()),
        "`GET /grant-pools/calendar`" => get("/grant-pools/calendar".into()),
        "`POST /grant-pools`" => post("/grant-pools".into()).json(&json!({
            "title": format!("Pulje {n}"), "purpose": "New communities of older citizens",
            "legal_basis": "Serviceloven § 18", "funder_name": "Københavns Kommune",
            "funder_identifier": "DK-CVR-64942212", "budget_ore": 100_000_000
        })),
        "`GET /grant-pools/{id}`" => get(format!("/grant-pools/{}", w.pool().id)),
        "`GET /grant-pools/{id}` of a draft" => get(format!("/grant-pools/{}", w.draft_pool().id)),
        "`PATCH /grant-pools/{id}`" => {
            patch(format!("/grant-pools/{}", w.pool().id)).json(&json!({"budget_ore": 200_000_000}))
        }
        "`GET /grant-pools/{id}/ledger`" => get(format!("/grant-pools/{}/ledger", w.pool().id)),
        "`POST /grant-pools/{id}/rounds`" => post(format!("/grant-pools/{}/rounds", w.pool().id)).json(&json!({
            "title": "Små bevillinger 2027", "kind": "deadline", "track": "small",
            "opens_at": "2027-01-04T08:00:00Z", "closes_at": "2027-03-01T11:00:00Z",
            "min_amount_ore": 500_000, "max_amount_ore": 8_000_000, "decision_expected_on": "2027-05-01",
            "reviews_required": 1, "criteria": criteria(), "eligibility": eligibility()
        })),
        "`GET /grant-rounds/{id}`" => get(format!("/grant-rounds/{}", w.round().id)),
        "`GET /grant-rounds/{id}` of a draft pool" => {
            let round = app.grant_round(&w.draft_pool(), RoundKind::Deadline, Track::Small, 0);
            get(format!("/grant-rounds/{}", round.id))
        }
        "`PATCH /grant-rounds/{id}`" => {
            patch(format!("/grant-rounds/{}", w.round().id)).json(&json!({"title": "Små bevillinger, forår"}))
        }
        "`PUT /grant-rounds/{id}/criteria`" => put(format!("/grant-rounds/{}/criteria", w.round().id)).json(&json!({
            "criteria": criteria(), "eligibility": eligibility(), "notice": "The criteria are explained better."
        })),
        "`GET /grant-rounds/{id}/ranking`" => get(format!("/grant-rounds/{}/ranking", w.round().id)),
        "`GET /grant-rounds/{id}/statistics`" => get(format!("/grant-rounds/{}/statistics", w.round().id)),
        "`POST /grant-rounds/{id}/applications` for the organisation" => {
            post(format!("/grant-rounds/{}/applications", w.round().id))
                .json(&json!({"organisation_id": org, "title": "Tirsdagsture", "amount_requested_ore": 2_500_000}))
        }
        "`POST /grant-rounds/{id}/decisions`" => {
            let round = w.round();
            let id = app.grant_application(&round, org, 2_500_000, ApplicationStatus::InReview);
            let mut decision = award();
            decision["application_id"] = json!(id);
            post(format!("/grant-rounds/{}/decisions", round.id)).json(&json!({"decisions": [decision]}))
        }
        "`GET /grant-applications`" => get("/grant-applications".into()),
        "`GET /grant-applications/{id}`" => {
            get(format!("/grant-applications/{}", w.application(ApplicationStatus::InReview)))
        }
        "`PATCH /grant-applications/{id}` of a draft" => {
            patch(format!("/grant-applications/{}", w.application(ApplicationStatus::Draft)))
                .json(&json!({"title": format!("Tirsdagsture {n}")}))
        }
        "`GET /grant-applications/{id}/revisions`" => {
            get(format!("/grant-applications/{}/revisions", w.application(ApplicationStatus::InReview)))
        }
        "`GET /grant-applications/{id}/timeline`" => {
            get(format!("/grant-applications/{}/timeline", w.application(ApplicationStatus::InReview)))
        }
        "`POST /grant-applications/{id}/attachments` to a draft" => post(format!(
            "/grant-applications/{}/attachments?kind=budget&file_name=budget.pdf",
            w.application(ApplicationStatus::Draft)
        ))
        .raw("application/pdf", "%PDF-1.4 test"),
        "`GET /grant-applications/{id}/attachments/{attachment_id}`" => {
            let (id, attachment) = w.attachment();
            get(format!("/grant-applications/{id}/attachments/{attachment}"))
        }
        "`DELETE /grant-applications/{id}/attachments/{attachment_id}` of a draft" => {
            let (id, attachment) = w.attachment();
            app.request(
                actix_web::http::Method::DELETE,
                &format!("/api/v1/grant-applications/{id}/attachments/{attachment}"),
            )
        }
        "`POST /grant-applications/{id}/submit` of a complete draft" => {
            post(format!("/grant-applications/{}/submit", w.application(ApplicationStatus::Draft)))
        }
        "`POST /grant-applications/{id}/withdraw` of a submitted application" => {
            post(format!("/grant-applications/{}/withdraw", w.application(ApplicationStatus::Submitted)))
        }
        "`POST /grant-applications/{id}/screening`" => {
            post(format!("/grant-applications/{}/screening", w.application(ApplicationStatus::Submitted)))
                .json(&json!({"outcome": "eligible"}))
        }
        "`POST /grant-applications/{id}/reviews`" => {
            post(format!("/grant-applications/{}/reviews", w.application(ApplicationStatus::InReview)))
                .json(&json!({"reviewer_id": w.reviewer().id}))
        }
        "`POST /grant-applications/{id}/decision`" => {
            post(format!("/grant-applications/{}/decision", w.application(ApplicationStatus::InReview))).json(&award())
        }
        "`POST /grant-applications/{id}/award-response`" => {
            post(format!("/grant-applications/{}/award-response", w.application(ApplicationStatus::Awarded)))
                .json(&json!({"accept": true}))
        }
        "`POST /grant-applications/{id}/tranches/{tranche_id}/payment`" => {
            let (id, tranche) = w.tranche();
            post(format!("/grant-applications/{id}/tranches/{tranche}/payment"))
                .json(&json!({"reference": format!("NK-{n}")}))
        }
        "`POST /grant-applications/{id}/reports`" => {
            post(format!("/grant-applications/{}/reports", w.application(ApplicationStatus::Accepted))).json(&json!({
                "spent_ore": 2_500_000, "text": "We walked every Tuesday, as we said.", "declaration_on_honour": true
            }))
        }
        "`POST /grant-applications/{id}/reports/{report_id}/review`" => {
            let (id, report) = w.report_on_award();
            post(format!("/grant-applications/{id}/reports/{report}/review")).json(&json!({"approve": true}))
        }
        "`POST /grant-applications/{id}/close`" => post(format!("/grant-applications/{}/close", w.closable())),
        "`GET /grant-reviews`" => get("/grant-reviews".into()),
        "`GET /grant-reviews` with `application_id`" => {
            let review = w.review(false);
            let application = app.with_db(|c| {
                grants::find_review(c, &sammen_domain::ids::GrantReviewId::from_stored(review)).unwrap().application_id
            });
            get(format!("/grant-reviews?application_id={application}"))
        }
        "`GET /grant-reviews/{id}`" => get(format!("/grant-reviews/{}", w.review(true))),
        "`GET /grant-reviews/{id}/application`" => get(format!("/grant-reviews/{}/application", w.review(true))),
        "`POST /grant-reviews/{id}/declaration`" => {
            post(format!("/grant-reviews/{}/declaration", w.review(false))).json(&json!({"conflict": false}))
        }
        "`PUT /grant-reviews/{id}/scores`" => put(format!("/grant-reviews/{}/scores", w.review(true)))
            .header("if-match", "*")
            .json(&json!({"scores": [{"criterion": "reach", "score": 4}]})),
        "`POST /grant-reviews/{id}/submit`" => post(format!("/grant-reviews/{}/submit", w.review(true))),
        "`GET /grants`" => get("/grants".into()),
        "`GET /grants/{id}` of an accepted award" => {
            get(format!("/grants/{}", w.application(ApplicationStatus::Accepted)))
        }
        "`GET /grants/{id}` of an application in review" => {
            get(format!("/grants/{}", w.application(ApplicationStatus::InReview)))
        }
        "`GET /grants/changes`" => get("/grants/changes?modified_since=2026-01-01T00:00:00Z".into()),
        "`GET /exports/360giving`" => {
            w.application(ApplicationStatus::Accepted);
            get("/exports/360giving".into())
        }
        other => panic!("docs/security.md lists {other}, which this test cannot send: add it here"),
    }
}

/// Every operation of the contract, as `METHOD /path` (without `/api/v1`).
fn served_operations() -> BTreeSet<String> {
    let api: serde_json::Value = serde_json::from_str(&sammen_http::contract_json()).unwrap();
    let mut operations = BTreeSet::new();
    for (path, item) in api["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            operations.insert(format!("{} {}", method.to_uppercase(), path.trim_start_matches("/api/v1")));
        }
    }
    operations
}

#[test]
fn the_table_names_every_operation_the_api_serves() {
    let documented: BTreeSet<String> =
        documented().keys().map(|row| row.split('`').nth(1).unwrap().to_owned()).collect();
    let missing: Vec<String> = served_operations().difference(&documented).cloned().collect();
    assert!(missing.is_empty(), "docs/security.md's table has no row for {missing:?}");
    let extra: Vec<String> = documented.difference(&served_operations()).cloned().collect();
    assert!(extra.is_empty(), "docs/security.md's table names operations the API does not serve: {extra:?}");
}

#[actix_web::test]
async fn every_caller_gets_what_the_table_says() {
    let mut wrong = Vec::new();
    for (row, expected) in documented() {
        let world = World::new().await;
        for (n, (kind, status)) in CALLERS.iter().zip(&expected).enumerate() {
            let caller = world.caller(kind);
            let reply: Reply = request(&row, &world, n).by(&caller).send().await;
            if reply.status.as_u16() != *status {
                wrong.push(format!("{row} as {kind}: {} (the table says {status}): {}", reply.status, reply.text()));
            } else if *status >= 400 {
                reply.problem(*status, reply.json()["type"].as_str().unwrap().rsplit('/').next().unwrap());
            }
        }
    }
    assert!(wrong.is_empty(), "{} answers differ from docs/security.md:\n{}", wrong.len(), wrong.join("\n"));
}
