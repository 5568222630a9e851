//! The grant pool's public outputs: the awards, a round's statistics, the calendar of rounds,
//! the change feed and the 360Giving export; only accepted and closed grants, valid 360Giving,
//! and never anything about a person.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use diesel::prelude::*;
use sammen_domain::directory::organisation::OrganisationKind;
use sammen_domain::grants::application::ApplicationStatus as S;
use sammen_domain::grants::round::{RoundKind, Track};
use sammen_domain::identity::{Role, RoleGrant};
use sammen_domain::ids::{GrantApplicationId, UserId};
use sammen_store::grants::{NewPool, Pool, Round};
use serde_json::{Value, json};

use crate::common::{TestApp, arranged, association};

/// The grant schema's URL, as the package schema refers to it.
const GRANT_SCHEMA_URL: &str =
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json";

fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/360giving").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("the schema is JSON")
}

/// The official 360Giving 1.4 package schema, with the grant schema it refers to registered
/// under its URL from the copy kept with the tests (nothing is fetched), formats checked.
fn package_schema() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let registry = jsonschema::Registry::new()
            .add(GRANT_SCHEMA_URL, fixture("360-giving-schema.json"))
            .expect("the grant schema registers")
            .prepare()
            .expect("the registry is ready");
        let registry: &'static jsonschema::Registry<'static> = Box::leak(Box::new(registry));
        jsonschema::options()
            .with_registry(registry)
            .offline()
            .should_validate_formats(true)
            .build(&fixture("360-giving-package-schema.json"))
            .expect("the package schema compiles")
    })
}

#[track_caller]
fn assert_valid_package(package: &Value) {
    let errors: Vec<String> =
        package_schema().iter_errors(package).map(|e| format!("  at {}: {e}", e.instance_path())).collect();
    assert!(errors.is_empty(), "not a valid 360Giving package:\n{}\n{package:#}", errors.join("\n"));
}

/// The 360Giving prefix the server uses (as `SAMMEN_360G_PREFIX`, if the test run sets it).
fn prefix() -> String {
    std::env::var("SAMMEN_360G_PREFIX").ok().filter(|p| !p.trim().is_empty()).unwrap_or("360G-sammen".into())
}

/// What the public must never read, with what it is.
struct Secrets(Vec<(String, &'static str)>);

/// The arranged grant pool: one published pool with three rounds, a draft pool, a registered
/// association with a CVR number and an informal group, applications in every kind of state,
/// and the persons around them.
struct Grants {
    app: TestApp,
    pool: Pool,
    draft_pool: Pool,
    earlier: Round,
    rolling: Round,
    deadline: Round,
    draft_round: Round,
    association: String,
    group: String,
    awards: Vec<GrantApplicationId>,
    hidden: Vec<GrantApplicationId>,
    secrets: Secrets,
}

fn organisation(
    app: &TestApp,
    name: &str,
    kind: OrganisationKind,
    cvr: Option<&str>,
    email: &str,
    phone: &str,
) -> String {
    let mut new = association(name);
    new.kind = kind;
    new.cvr = cvr.map(Into::into);
    new.contact_email = Some(email.into());
    new.contact_phone = Some(phone.into());
    new.contact_public = false;
    let org = app.with_db(|c| sammen_store::directory::insert_organisation(c, &new, &arranged()));
    org.expect("the organisation is stored").id.into_string()
}

async fn arrange() -> Grants {
    let app = TestApp::start().await;
    let association = organisation(
        &app,
        "Nørrebro Gåklub",
        OrganisationKind::Association,
        Some("64942212"),
        "formand.gaaklub@example.dk",
        "+45 33 66 33 66",
    );
    let group = organisation(
        &app,
        "Kaffegruppen på 3. sal",
        OrganisationKind::InformalGroup,
        None,
        "kaffe.gruppe@example.dk",
        "+45 22 33 44 55",
    );
    // The persons: a representative of each organisation and a reviewer, with known names.
    let (rep_id, _) = app.user(
        "ansoeger.birgitte.holm@example.dk",
        &[RoleGrant { role: Role::Organisation, scope: Some(association.clone()) }],
    );
    let (group_rep_id, _) = app
        .user("kaffe.karsten.lund@example.dk", &[RoleGrant { role: Role::Organisation, scope: Some(group.clone()) }]);
    let (reviewer_id, _) = app.user("bedoemmer.vibeke.storm@example.dk", &[RoleGrant::global(Role::Reviewer)]);

    let pool = app.grant_pool(100_000_000);
    let earlier = app.grant_round(&pool, RoundKind::Rolling, Track::Small, 0);
    let rolling = app.grant_round(&pool, RoundKind::Rolling, Track::Small, 0);
    let deadline = app.grant_round(&pool, RoundKind::Deadline, Track::Small, 0);

    // The association applied before (in the earlier round), so it is a repeat applicant in
    // the rolling round; the group applies for the first time there.
    let a0 = app.grant_application(&earlier, &association, 1_000_000, S::Closed);
    let a1 = app.grant_application(&rolling, &association, 2_000_000, S::Accepted);
    let a2 = app.grant_application(&rolling, &association, 1_000_000, S::Rejected);
    let a3 = app.grant_application(&rolling, &association, 1_500_000, S::Accepted);
    let g1 = app.grant_application(&rolling, &group, 600_000, S::Closed);
    let g2 = app.grant_application(&rolling, &group, 700_000, S::Declined);
    let g3 = app.grant_application(&rolling, &group, 800_000, S::Draft);
    let g4 = app.grant_application(&rolling, &group, 900_000, S::InReview);
    let withdrawn = app.grant_application(&deadline, &group, 900_000, S::Withdrawn);
    let ineligible = app.grant_application(&deadline, &association, 900_000, S::Ineligible);
    let awarded = app.grant_application(&deadline, &association, 900_000, S::Awarded);
    app.with_db(|c| {
        sammen_store::grants::assign_reviewer(c, &g4, &UserId::from_stored(reviewer_id.clone()), &arranged())
    })
    .expect("the reviewer is assigned");

    // What applicants wrote for the assessment may name people; and the applications were made
    // by the representatives' accounts.
    let private_text = "Kontakt: Birgitte Holm, birgitte.holm.privat@example.dk, tlf. 40 11 22 33";
    app.with_db(|c| {
        use sammen_store::schema::grant_applications as t;
        for (id, by) in [
            (&a0, &rep_id),
            (&a1, &rep_id),
            (&a2, &rep_id),
            (&a3, &rep_id),
            (&g1, &group_rep_id),
            (&g2, &group_rep_id),
            (&g4, &group_rep_id),
        ] {
            diesel::update(t::table.filter(t::id.eq(id.as_str())))
                .set((t::description.eq(private_text), t::created_by.eq(by)))
                .execute(c)?;
        }
        Ok::<_, diesel::result::Error>(())
    })
    .expect("the descriptions are stored");

    // A pool still being prepared, with a round: not public at all.
    let draft_pool = app
        .with_db(|c| {
            let new = NewPool {
                title: "Hemmelig pulje under forberedelse".into(),
                purpose: "Not yet decided what this pool is for".into(),
                legal_basis: "Serviceloven § 18".into(),
                funder_name: "Københavns Kommune".into(),
                funder_identifier: "DK-CVR-64942212".into(),
                budget_ore: 10_000_000,
            };
            sammen_store::grants::insert_pool(c, &new, &arranged())
        })
        .expect("the draft pool is stored");
    let draft_round = app.grant_round(&draft_pool, RoundKind::Deadline, Track::Small, 0);

    let secrets = Secrets(vec![
        ("ansoeger.birgitte.holm@example.dk".into(), "the representative's e-mail"),
        ("ansoeger.birgitte.holm".into(), "the representative's name"),
        (rep_id.clone(), "the representative's user id"),
        ("kaffe.karsten.lund".into(), "the group representative's e-mail or name"),
        (group_rep_id.clone(), "the group representative's user id"),
        ("bedoemmer.vibeke.storm".into(), "the reviewer's e-mail or name"),
        (reviewer_id.clone(), "the reviewer's user id"),
        ("formand.gaaklub@example.dk".into(), "the association's private e-mail"),
        ("33 66 33 66".into(), "the association's private phone"),
        ("kaffe.gruppe@example.dk".into(), "the group's private e-mail"),
        ("22 33 44 55".into(), "the group's private phone"),
        ("birgitte.holm.privat".into(), "an e-mail in the assessment text"),
        ("40 11 22 33".into(), "a phone number in the assessment text"),
        ("Birgitte Holm".into(), "a name in the assessment text"),
        ("Hemmelig pulje".into(), "the draft pool"),
        ("reviewer".into(), "anything about reviewers"),
        ("created_by".into(), "who made a record"),
    ]);
    Grants {
        app,
        pool,
        draft_pool,
        earlier,
        rolling,
        deadline,
        draft_round,
        association,
        group,
        awards: vec![a0, a1, a3, g1],
        hidden: vec![a2, g2, g3, g4, withdrawn, ineligible, awarded],
        secrets,
    }
}

impl Grants {
    /// GETs `path` anonymously, expects 200, and checks the body holds nothing private.
    async fn public(&self, path: &str) -> Body {
        let res = self.app.get(path).send().await;
        assert_eq!(res.status, 200, "{path}: {}", res.text());
        let text = res.text();
        self.assert_nothing_private(path, &text);
        Body { text, content_type: res.header("content-type").unwrap_or_default().to_owned() }
    }

    #[track_caller]
    fn assert_nothing_private(&self, path: &str, body: &str) {
        let lower = body.to_lowercase();
        for (secret, what) in &self.secrets.0 {
            assert!(!lower.contains(&secret.to_lowercase()), "{path} shows {what} ({secret}):\n{body}");
        }
        // No e-mail address at all.
        let email = body
            .split(|c: char| c.is_whitespace() || "\"<>,;:()[]{}".contains(c))
            .find(|w| w.split_once('@').is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.')));
        assert!(email.is_none(), "{path} shows an e-mail address {email:?}");
    }
}

/// A public answer's body.
struct Body {
    text: String,
    content_type: String,
}

impl Body {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

fn ids(list: &Value) -> BTreeSet<String> {
    list.as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap().to_owned()).collect()
}

fn set(ids: &[GrantApplicationId]) -> BTreeSet<String> {
    ids.iter().map(|i| i.as_str().to_owned()).collect()
}

#[actix_web::test]
async fn awards_are_the_accepted_and_closed_grants_with_public_facts_only() {
    let g = arrange().await;
    let list = g.public("/api/v1/grants").await.json();
    assert_eq!(ids(&list["data"]), set(&g.awards), "accepted and closed grants only");
    assert_eq!(list["next_cursor"], Value::Null);

    // One in full.
    let closed = &g.awards[3];
    let award = g.public(&format!("/api/v1/grants/{closed}")).await.json();
    let pool = g.pool.id.as_str();
    assert_eq!(
        award,
        json!({
            "id": closed.as_str(),
            "title": "Tuesday walks",
            "summary": "Weekly walks that bring lonely older men together",
            "status": "closed",
            "amount_requested_ore": 600_000,
            "amount_awarded_ore": 600_000,
            "amount_disbursed_ore": 600_000,
            "currency": "DKK",
            "award_date": award["award_date"],
            "planned_start": "2027-08-01",
            "planned_end": "2028-06-30",
            "recipient": {"id": g.group, "name": "Kaffegruppen på 3. sal", "kind": "informal_group", "cvr": null},
            "pool": {"id": pool, "title": "Puljen til ældrefællesskaber"},
            "round": {"id": g.rolling.id.as_str(), "title": g.rolling.title},
            "updated_at": award["updated_at"],
        })
    );
    assert!(award["award_date"].as_str().is_some_and(|d| d.len() == 10));
    let running = g.public(&format!("/api/v1/grants/{}", g.awards[1])).await.json();
    assert_eq!(running["status"], "accepted");
    assert_eq!(running["amount_disbursed_ore"], 0);
    assert_eq!(running["recipient"]["cvr"], "64942212");
    assert_eq!(running["recipient"]["kind"], "association");

    // Drafts, rejected, declined, withdrawn, ineligible, under review and not yet accepted: never.
    for hidden in &g.hidden {
        g.app.get(&format!("/api/v1/grants/{hidden}")).send().await.problem(404, "not-found");
    }
    g.app.get(&format!("/api/v1/grants/{}", uuid::Uuid::now_v7())).send().await.problem(404, "not-found");
    g.app.get("/api/v1/grants/not-an-id").send().await.problem(400, "bad-request");

    // Filters.
    let of_group = g.public(&format!("/api/v1/grants?organisation_id={}", g.group)).await.json();
    assert_eq!(ids(&of_group["data"]), set(&g.awards[3..]));
    let of_round = g.public(&format!("/api/v1/grants?round_id={}", g.earlier.id)).await.json();
    assert_eq!(ids(&of_round["data"]), set(&g.awards[..1]));
    let of_pool = g.public(&format!("/api/v1/grants?pool_id={pool}")).await.json();
    assert_eq!(ids(&of_pool["data"]).len(), 4);
    let of_draft_pool = g.public(&format!("/api/v1/grants?pool_id={}", g.draft_pool.id)).await.json();
    assert_eq!(of_draft_pool["data"], json!([]));

    // Pages, followed to the end.
    let mut seen = BTreeSet::new();
    let mut path = "/api/v1/grants?limit=3".to_owned();
    let mut pages = 0;
    loop {
        let page = g.public(&path).await.json();
        pages += 1;
        seen.extend(ids(&page["data"]));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/grants?limit=3&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!((pages, seen), (2, set(&g.awards)));
    g.app.get("/api/v1/grants?limit=101").send().await.problem(400, "bad-request");
    g.app.get("/api/v1/grants?cursor=nonsense!").send().await.problem(400, "bad-request");
    g.app.get("/api/v1/grants?pool_id=nonsense").send().await.problem(400, "bad-request");

    // A public read: an ETag, and 304 for the copy the caller has.
    let res = g.app.get("/api/v1/grants").send().await;
    let etag = res.header("etag").expect("an ETag").to_owned();
    assert_eq!(res.header("cache-control"), Some("public, max-age=30"));
    let again = g.app.get("/api/v1/grants").header("if-none-match", &etag).send().await;
    assert_eq!(again.status, 304);
}

#[actix_web::test]
async fn a_rounds_statistics_count_by_registration_and_experience() {
    let g = arrange().await;
    let stats = g.public(&format!("/api/v1/grant-rounds/{}/statistics", g.rolling.id)).await.json();
    assert_eq!(stats["round"], json!({"id": g.rolling.id.as_str(), "title": g.rolling.title}));
    assert_eq!(stats["pool"]["id"], g.pool.id.as_str());
    // Submitted: the association's two accepted and one rejected, the group's closed, declined
    // and in-review ones (its draft is not counted). Decided on merit: all but the one in review
    // and the declined award (the applicant's choice, not the pool's).
    assert_eq!(
        stats["total"],
        json!({
            "applications": 6, "decided": 4, "awarded": 3,
            "requested_ore": 2_000_000 + 1_000_000 + 1_500_000 + 600_000 + 700_000 + 900_000,
            "awarded_ore": 2_000_000 + 1_500_000 + 600_000,
            "success_rate_percent": 75.0,
        })
    );
    let registered = &stats["by_registration"]["registered"];
    assert_eq!((registered["applications"].as_i64(), registered["awarded"].as_i64()), (Some(3), Some(2)));
    assert_eq!(registered["success_rate_percent"], 66.7);
    assert_eq!(registered["awarded_ore"], 3_500_000);
    let informal = &stats["by_registration"]["informal"];
    assert_eq!((informal["applications"].as_i64(), informal["decided"].as_i64()), (Some(3), Some(1)));
    assert_eq!(informal["success_rate_percent"], 100.0);
    assert_eq!(informal["requested_ore"], 600_000 + 700_000 + 900_000);
    // The association applied in the earlier round first, so only the group's first is first-time.
    let first = &stats["by_experience"]["first_time"];
    assert_eq!((first["applications"].as_i64(), first["awarded_ore"].as_i64()), (Some(1), Some(600_000)));
    assert_eq!(first["success_rate_percent"], 100.0);
    let repeat = &stats["by_experience"]["repeat"];
    assert_eq!(
        (repeat["applications"].as_i64(), repeat["decided"].as_i64(), repeat["awarded"].as_i64()),
        (Some(5), Some(3), Some(2))
    );
    assert_eq!(repeat["success_rate_percent"], 66.7);
    assert_eq!(stats["by_kind"]["informal_group"]["applications"], 3);
    assert_eq!(stats["by_size_band"]["micro"]["applications"], 6);

    let earlier = g.public(&format!("/api/v1/grant-rounds/{}/statistics", g.earlier.id)).await.json();
    assert_eq!(earlier["by_experience"]["first_time"]["applications"], 1);
    assert_eq!(earlier["total"]["success_rate_percent"], 100.0);
    // A round of a draft pool, or none: not found.
    g.app.get(&format!("/api/v1/grant-rounds/{}/statistics", g.draft_round.id)).send().await.problem(404, "not-found");
    g.app
        .get(&format!("/api/v1/grant-rounds/{}/statistics", uuid::Uuid::now_v7()))
        .send()
        .await
        .problem(404, "not-found");
}

/// Reads a calendar with Python's `icalendar` (scripts/test installs it: `SAMMEN_PYTHON`).
fn parse_with_icalendar(ics: &str) -> Option<Value> {
    let python = std::env::var("SAMMEN_PYTHON").ok()?;
    let script = r#"
import json, sys, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.read())
print(json.dumps([{
  "uid": str(ev.get("UID")),
  "start": ev.decoded("DTSTART").isoformat(),
  "summary": str(ev.get("SUMMARY")),
  "url": str(ev.get("URL")),
} for ev in cal.walk("VEVENT")]))
"#;
    let mut child = std::process::Command::new(python)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python runs");
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), ics.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "icalendar could not parse the calendar:\n{ics}");
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

#[actix_web::test]
async fn the_calendar_has_each_public_rounds_opening_and_deadline() {
    let g = arrange().await;
    let res = g.public("/api/v1/grant-pools/calendar").await;
    assert_eq!(res.content_type, "text/calendar; charset=utf-8");
    let ics = res.text;
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    assert!(ics.split("\r\n").all(|l| l.len() <= 75), "lines are folded");
    let unfolded = ics.replace("\r\n ", "");
    // Three rounds open; the deadline round also closes.
    assert_eq!(unfolded.matches("BEGIN:VEVENT").count(), 4);
    let closes = g.deadline.closes_at.unwrap().format("%Y%m%dT%H%M%SZ");
    assert!(unfolded.contains(&format!("UID:grant-round-{}-deadline@sammen\r\n", g.deadline.id)));
    assert!(unfolded.contains(&format!("DTSTART:{closes}\r\n")), "{unfolded}");
    assert!(unfolded.contains(&format!("UID:grant-round-{}-opens@sammen\r\n", g.rolling.id)));
    assert!(!unfolded.contains(g.draft_round.id.as_str()), "a draft pool's rounds are not public");
    assert!(
        unfolded.contains("SUMMARY:Ansøgningsfrist: Puljen til ældrefællesskaber – deadline round\\, small grants\r\n")
    );

    match parse_with_icalendar(&ics) {
        Some(events) => {
            let events = events.as_array().unwrap();
            assert_eq!(events.len(), 4);
            let deadline = events
                .iter()
                .find(|e| e["uid"] == format!("grant-round-{}-deadline@sammen", g.deadline.id))
                .expect("the deadline event");
            assert_eq!(
                deadline["start"],
                g.deadline.closes_at.unwrap().and_utc().format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
            );
            assert_eq!(
                deadline["summary"],
                "Ansøgningsfrist: Puljen til ældrefællesskaber – deadline round, small grants"
            );
            assert!(deadline["url"].as_str().unwrap().ends_with(&format!("/api/v1/grant-pools/{}", g.pool.id)));
            let uids: BTreeSet<&str> = events.iter().map(|e| e["uid"].as_str().unwrap()).collect();
            assert_eq!(uids.len(), 4, "one UID per round and event");
        }
        None => eprintln!("icalendar check skipped: SAMMEN_PYTHON is unset (scripts/test sets it)"),
    }
    // The same calendar next time: stable UIDs and bytes.
    g.app.with_db(|_| ());
    assert_eq!(g.public("/api/v1/grant-pools/calendar").await.text, ics);
}

#[actix_web::test]
async fn the_change_feed_lists_pools_and_awards_oldest_first() {
    let g = arrange().await;
    let mut entries = Vec::new();
    let mut path = "/api/v1/grants/changes?modified_since=2000-01-01T00:00:00Z&limit=2".to_owned();
    loop {
        let page = g.public(&path).await.json();
        entries.extend(page["data"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(cursor) => {
                path = format!("/api/v1/grants/changes?modified_since=2000-01-01T00:00:00Z&limit=2&cursor={cursor}")
            }
            None => break,
        }
    }
    let times: Vec<&str> = entries.iter().map(|e| e["updated_at"].as_str().unwrap()).collect();
    let parsed: Vec<chrono::DateTime<chrono::Utc>> = times.iter().map(|t| t.parse().unwrap()).collect();
    assert!(parsed.windows(2).all(|w| w[0] <= w[1]), "oldest first: {times:?}");
    assert!(entries.iter().all(|e| e["change"] == "upserted"));

    let pools: Vec<&Value> = entries.iter().filter(|e| e["type"] == "pool").collect();
    assert_eq!(pools.len(), 1, "the published pool only: {pools:?}");
    assert_eq!(pools[0]["id"], g.pool.id.as_str());
    assert_eq!(pools[0]["pool"]["title"], "Puljen til ældrefællesskaber");
    assert_eq!(pools[0]["pool"]["status"], "published");
    let grants: BTreeSet<String> =
        entries.iter().filter(|e| e["type"] == "grant").map(|e| e["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(grants, set(&g.awards), "every award, nothing else");
    let closed = entries.iter().rev().find(|e| e["id"] == g.awards[3].as_str()).unwrap();
    assert_eq!(closed["grant"]["amount_disbursed_ore"], 600_000);
    assert_eq!(closed["grant"]["recipient"]["name"], "Kaffegruppen på 3. sal");

    // From the last change on: only what changed at that instant or later.
    let last = times.last().unwrap();
    let tail = g.public(&format!("/api/v1/grants/changes?modified_since={}", last.replace('+', "%2B"))).await.json();
    assert!(!tail["data"].as_array().unwrap().is_empty());
    assert!(tail["data"].as_array().unwrap().len() < entries.len());
    g.app.get("/api/v1/grants/changes").send().await.problem(400, "bad-request");
}

#[actix_web::test]
async fn the_360giving_export_is_a_valid_package_of_the_awards() {
    let g = arrange().await;
    let res = g.public("/api/v1/exports/360giving").await;
    assert_eq!(res.content_type, "application/json");
    let package = res.json();
    assert_valid_package(&package);
    assert_eq!(package["version"], "1.4");
    let prefix = prefix();
    let grants = package["grants"].as_array().unwrap();
    let exported: BTreeSet<String> = grants.iter().map(|g| g["id"].as_str().unwrap().to_owned()).collect();
    let expected: BTreeSet<String> = g.awards.iter().map(|id| format!("{prefix}-{id}")).collect();
    assert_eq!(exported, expected, "the awards, nothing else");

    let by_id = |id: &GrantApplicationId| grants.iter().find(|x| x["id"] == format!("{prefix}-{id}")).unwrap();
    let registered = by_id(&g.awards[1]);
    assert_eq!(registered["recipientOrganization"][0]["id"], "DK-CVR-64942212");
    assert_eq!(registered["recipientOrganization"][0]["name"], "Nørrebro Gåklub");
    assert_eq!(registered["amountAwarded"], json!(20000), "kroner, as a number");
    assert_eq!(registered["amountAppliedFor"], json!(20000));
    assert_eq!(registered["amountDisbursed"], json!(0));
    assert_eq!(registered["currency"], "DKK");
    assert_eq!(registered["fundingOrganization"][0]["id"], "DK-CVR-64942212");
    assert_eq!(registered["description"], "Weekly walks that bring lonely older men together", "the public summary");
    let informal = by_id(&g.awards[3]);
    assert_eq!(informal["recipientOrganization"][0]["id"], format!("{prefix}-org-{}", g.group));
    assert_eq!(informal["amountDisbursed"], json!(6000));
    assert_eq!(informal["disbursementTransaction"][0]["value"], json!(6000));
    assert!(informal["url"].as_str().unwrap().ends_with(&format!("/api/v1/grants/{}", g.awards[3])));
    assert_eq!(informal["plannedDates"], json!([{"startDate": "2027-08-01", "endDate": "2028-06-30"}]));
    assert_ne!(g.association, g.group);

    // Drafts, rejected and declined applications are never exported.
    for hidden in &g.hidden {
        assert!(!exported.contains(&format!("{prefix}-{hidden}")));
        assert!(!res.text.contains(hidden.as_str()));
    }
    // And every grant on its own is a valid 360Giving grant (the package check covers it too).
    assert_valid_package(&json!({"version": "1.4", "grants": [registered]}));
    // A package the schema refuses is refused here too (the check is real).
    let mut broken = registered.clone();
    broken["amountAwarded"] = json!("20000");
    assert!(!package_schema().is_valid(&json!({"version": "1.4", "grants": [broken]})));
    assert!(!package_schema().is_valid(&json!({"version": "1.4", "grants": []})));
}

#[actix_web::test]
async fn without_awards_there_is_no_package_to_export() {
    let app = TestApp::start().await;
    let pool = app.grant_pool(10_000_000);
    let round = app.grant_round(&pool, RoundKind::Rolling, Track::Small, 0);
    let org = app.organisation("Strikkeklubben");
    app.grant_application(&round, &org, 600_000, S::Rejected);
    let problem = app.get("/api/v1/exports/360giving").send().await.problem(404, "not-found");
    assert!(problem["detail"].as_str().unwrap().contains("at least one grant"), "{problem}");
    // Once one is accepted, there is.
    app.grant_application(&round, &org, 600_000, S::Accepted);
    let package = app.get("/api/v1/exports/360giving").send().await.ok(200);
    assert_valid_package(&package);
    assert_eq!(package["grants"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn no_public_grants_answer_holds_anything_about_a_person() {
    let g = arrange().await;
    let mut paths = vec![
        "/api/v1/grants".to_owned(),
        format!("/api/v1/grants?organisation_id={}", g.association),
        "/api/v1/grants/changes?modified_since=2000-01-01T00:00:00Z&limit=100".to_owned(),
        "/api/v1/grant-pools/calendar".to_owned(),
        "/api/v1/exports/360giving".to_owned(),
    ];
    for round in [&g.earlier, &g.rolling, &g.deadline] {
        paths.push(format!("/api/v1/grant-rounds/{}/statistics", round.id));
    }
    for award in &g.awards {
        paths.push(format!("/api/v1/grants/{award}"));
    }
    for path in &paths {
        g.public(path).await;
    }
    // The pools' own public reads, where they are served.
    for path in ["/api/v1/grant-pools".to_owned(), format!("/api/v1/grant-pools/{}", g.pool.id)] {
        let res = g.app.get(&path).send().await;
        if res.status == 200 {
            g.assert_nothing_private(&path, &res.text());
        } else {
            eprintln!("{path} answered {}: not scanned", res.status);
        }
    }
}

/// Copies of an accepted award, made straight in the database (a lifecycle per award would take
/// minutes for a page's worth): only what the public read models read.
fn copies_of(app: &TestApp, award: &GrantApplicationId, count: usize) -> Vec<GrantApplicationId> {
    use sammen_store::schema::grant_applications as t;
    app.with_db(|c| {
        let a = sammen_store::grants::find_application(c, award).expect("the award");
        let now = chrono::Utc::now().naive_utc();
        let mut ids = Vec::new();
        for _ in 0..count {
            let id = GrantApplicationId::from(uuid::Uuid::now_v7());
            diesel::insert_into(t::table)
                .values((
                    t::id.eq(id.as_str()),
                    t::round_id.eq(a.round_id.as_str()),
                    t::pool_id.eq(a.pool_id.as_str()),
                    t::organisation_id.eq(a.organisation_id.as_str()),
                    t::title.eq(&a.title),
                    t::summary.eq(&a.summary),
                    t::description.eq(""),
                    t::amount_requested_ore.eq(a.amount_requested_ore),
                    t::target_groups.eq("[\"older_citizens\"]"),
                    t::answers.eq("{}"),
                    t::declarations.eq("[]"),
                    t::status.eq("accepted"),
                    t::outcome.eq("award"),
                    t::awarded_ore.eq(a.awarded_ore),
                    t::submitted_at.eq(now),
                    t::decided_at.eq(now),
                    t::created_by.eq("system"),
                    t::created_at.eq(now),
                    t::updated_at.eq(now),
                ))
                .execute(c)
                .expect("the copy is stored");
            ids.push(id);
        }
        ids
    })
}

#[actix_web::test]
async fn the_export_streams_every_award_across_pages() {
    use sammen_http::grants::public::EXPORT_PAGE_SIZE;
    let app = TestApp::start().await;
    let pool = app.grant_pool(10_000_000);
    let round = app.grant_round(&pool, RoundKind::Rolling, Track::Small, 0);
    let org = app.organisation("Strikkeklubben");
    let first = app.grant_application(&round, &org, 600_000, S::Accepted);
    let count = usize::try_from(EXPORT_PAGE_SIZE).unwrap() * 2 + 1;
    let mut all = copies_of(&app, &first, count - 1);
    all.push(first);

    let res = app.get("/api/v1/exports/360giving").send().await;
    assert_eq!(res.status, 200);
    let package = res.json();
    assert_valid_package(&package);
    let prefix = prefix();
    let exported: Vec<String> =
        package["grants"].as_array().unwrap().iter().map(|g| g["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(exported.len(), count, "three pages, each award once");
    let expected: BTreeSet<String> = all.iter().map(|id| format!("{prefix}-{id}")).collect();
    assert_eq!(exported.iter().cloned().collect::<BTreeSet<_>>(), expected);
    assert!(exported.windows(2).all(|w| w[0] < w[1]), "in id order");
}

#[actix_web::test]
async fn the_export_refuses_a_bad_token_like_every_other_read() {
    let app = TestApp::start().await;
    let reply = app.get("/api/v1/exports/360giving").bearer("not-a-token").send().await;
    reply.problem(401, "unauthorized");
}
