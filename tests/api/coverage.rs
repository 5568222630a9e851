//! The coverage report: which weekly in-person activities reach which housing areas and
//! districts, what is not counted, the parameters, and who may read it.

use chrono::{Duration, NaiveDate, Utc};
use sammen_domain::directory::schedule::TIME_ZONE;
use sammen_domain::identity::{Role, Scope};
use sammen_store::directory::{District, HousingArea, put_district, put_housing_area};
use serde_json::{Value, json};

use crate::common::{Actor, TestApp, arranged};

const REPORT: &str = "/api/v1/reports/coverage";
/// Metres per degree of latitude at housing area A, as the report measures.
fn metres_per_degree() -> f64 {
    sammen_domain::directory::geo::metres_per_degree_lat(LAT_A)
}
/// Housing area A's centre; every place below is due north or south of it.
const LAT_A: f64 = 55.70;
const LON: f64 = 12.55;

fn north_of_a(metres: f64) -> f64 {
    LAT_A + metres / metres_per_degree()
}

fn today() -> NaiveDate {
    Utc::now().with_timezone(&TIME_ZONE).date_naive()
}

struct Town {
    app: TestApp,
    staff: Actor,
    org: String,
}

/// Two districts: Nordby with housing areas A and B (2.2 km north of A), Sydby with C (5.5 km
/// south of A).
async fn town() -> Town {
    let app = TestApp::start().await;
    app.with_db(|c| {
        for (code, name, lat, order) in [("nordby", "Nordby", 55.71, 1), ("sydby", "Sydby", 55.65, 2)] {
            let district = District { code: code.into(), name: name.into(), lat, lon: LON, sort_order: order };
            put_district(c, &district, &arranged())?;
        }
        for (code, name, district, metres, order) in [
            ("omraade_a", "Område A", "nordby", 0.0, 1),
            ("omraade_b", "Område B", "nordby", 2200.0, 2),
            ("omraade_c", "Område C", "sydby", -5500.0, 3),
        ] {
            let area = HousingArea {
                code: code.into(),
                name: name.into(),
                district_code: district.into(),
                lat: north_of_a(metres),
                lon: LON,
                sort_order: order,
            };
            put_housing_area(c, &area, &arranged())?;
        }
        Ok::<_, sammen_store::StoreError>(())
    })
    .expect("the town is stored");
    let staff = app.staff();
    let org = app
        .post("/api/v1/organisations")
        .by(&staff)
        .json(&json!({"name": "Nordby Frivillige", "kind": "association"}))
        .send()
        .await
        .ok(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    Town { app, staff, org }
}

/// An in-person activity `metres` north of area A, every Tuesday since January 2025, with some
/// fields changed.
fn activity(name: &str, metres: f64, district: Option<&str>, changes: Value) -> Value {
    let mut body = json!({
        "name": name,
        "summary": "Vi mødes hver uge og hygger os sammen. Alle er velkomne.",
        "activity_types": ["cafe"],
        "target_groups": ["everyone"],
        "languages": ["da"],
        "mode": "in_person",
        "location": {"address": "Nordbyvej 1", "postcode": "2200", "district": district, "lat": north_of_a(metres), "lon": LON},
        "schedule": {
            "recurrence": {"frequency": "weekly", "interval": 1, "weekdays": ["tuesday"], "starts_on": "2025-01-06"},
            "start_time": "10:00:00", "duration_minutes": 90
        }
    });
    for (k, v) in changes.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

impl Town {
    /// Creates the activity as staff and, unless `draft`, publishes it.
    async fn add(&self, body: Value, publish: bool) {
        let created = self
            .app
            .post(&format!("/api/v1/organisations/{}/activities", self.org))
            .by(&self.staff)
            .json(&body)
            .send()
            .await
            .ok(201);
        if publish {
            self.app
                .post(&format!("/api/v1/activities/{}/transitions", created["id"].as_str().unwrap()))
                .by(&self.staff)
                .header("if-match", "*")
                .json(&json!({"action": "approve"}))
                .send()
                .await
                .ok(200);
        }
    }

    /// The activities of the scenario: three that count, and six that do not.
    async fn populate(&self) {
        let weekly_from =
            |d: NaiveDate| json!({"frequency": "weekly", "interval": 1, "weekdays": ["tuesday"], "starts_on": d});
        // Counted. 300 m north of A: 390 m of walking.
        self.add(
            activity(
                "Sang nær A",
                300.0,
                Some("nordby"),
                json!({"activity_types": ["singing_music"], "target_groups": ["dementia"]}),
            ),
            true,
        )
        .await;
        // 700 m north of A: 910 m of walking, beyond the default 800. On Wednesdays.
        let mut cafe = activity("Café ved grænsen", 700.0, Some("nordby"), json!({}));
        cafe["schedule"]["recurrence"]["weekdays"] = json!(["wednesday"]);
        self.add(cafe, true).await;
        // 4.4 km south of A, without a district, naming area B; 1.1 km north of C (1,430 m of walking).
        let mut named = activity(
            "Motion for B",
            -4400.0,
            None,
            json!({"activity_types": ["exercise"], "target_groups": ["men", "everyone"], "housing_areas": ["omraade_b"]}),
        );
        named["schedule"]["recurrence"]["weekdays"] = json!(["thursday", "saturday"]);
        self.add(named, true).await;

        // Not counted: every other week, online, a draft, ended, starting in two weeks, a home
        // visit naming area C.
        let mut fortnightly =
            activity("Gåtur hver anden uge", 0.0, Some("nordby"), json!({"activity_types": ["walking"]}));
        fortnightly["schedule"]["recurrence"]["interval"] = json!(2);
        self.add(fortnightly, true).await;
        self.add(activity("Online kaffe", 0.0, None, json!({"mode": "online", "location": null})), true).await;
        self.add(activity("Kladde ved A", 0.0, Some("nordby"), json!({})), false).await;
        let mut ended = activity("Sluttet klub", 0.0, Some("nordby"), json!({}));
        ended["schedule"]["recurrence"]["ends_on"] = json!("2025-06-30");
        self.add(ended, true).await;
        let mut soon = activity("Ny klub ved A", 0.0, Some("nordby"), json!({"activity_types": ["creative"]}));
        soon["schedule"]["recurrence"] = weekly_from(today() + Duration::days(14));
        self.add(soon, true).await;
        self.add(
            activity(
                "Besøgsven i C",
                -5500.0,
                Some("sydby"),
                json!({"mode": "home_visit", "location": null, "housing_areas": ["omraade_c"], "activity_types": ["visiting_friend"]}),
            ),
            true,
        )
        .await;
    }

    async fn report(&self, query: &str) -> Value {
        self.app.get(&format!("{REPORT}{query}")).by(&self.staff).send().await.ok(200)
    }
}

/// `[(code, count)]` of a list of code counts.
fn codes(counts: &Value) -> Vec<(String, u64)> {
    counts
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["code"].as_str().unwrap().to_owned(), c["count"].as_u64().unwrap()))
        .collect()
}

fn pairs(expected: &[(&str, u64)]) -> Vec<(String, u64)> {
    expected.iter().map(|(c, n)| ((*c).to_owned(), *n)).collect()
}

/// The housing area `code` of a report.
fn area<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["districts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["housing_areas"].as_array().unwrap())
        .find(|a| a["code"] == code)
        .unwrap_or_else(|| panic!("area {code} in {report}"))
}

fn uncovered(report: &Value) -> (Vec<&str>, Vec<&str>) {
    let list = |key: &str| {
        report["uncovered"][key].as_array().unwrap().iter().map(|a| a["code"].as_str().unwrap()).collect::<Vec<_>>()
    };
    (list("housing_areas"), list("districts"))
}

#[actix_web::test]
async fn weekly_in_person_activities_cover_the_areas_they_reach_and_the_gaps_are_listed() {
    let t = town().await;
    t.populate().await;
    let r = t.report("").await;
    assert_eq!(r["as_of"], today().to_string());
    assert_eq!((r["walking_distance_m"].as_u64(), r["straight_line_m"].as_u64()), (Some(800), Some(615)));
    assert_eq!((r["detour_factor"].as_f64(), r["weeks"].as_u64()), (Some(1.3), Some(4)));

    // Three count: not the fortnightly, online, draft, ended, not yet started or home-visit ones.
    let m = &r["municipality"];
    assert_eq!((m["weekly_activities"].as_u64(), m["without_district"].as_u64()), (Some(3), Some(1)));
    assert_eq!(codes(&m["by_activity_type"]), pairs(&[("cafe", 1), ("exercise", 1), ("singing_music", 1)]));
    assert_eq!(codes(&m["by_target_group"]), pairs(&[("everyone", 2), ("dementia", 1), ("men", 1)]));
    let weekdays: Vec<(&str, u64)> = m["by_weekday"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["weekday"].as_str().unwrap(), w["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        weekdays,
        [
            ("monday", 0),
            ("tuesday", 1),
            ("wednesday", 1),
            ("thursday", 1),
            ("friday", 0),
            ("saturday", 1),
            ("sunday", 0)
        ]
    );
    let dementia = &m["by_target_group"][1];
    assert_eq!(
        (dementia["label"]["da"].as_str(), dementia["label"]["en"].as_str()),
        (Some("Demens"), Some("Dementia"))
    );

    // Nordby: the two activities located in it, and both its areas covered.
    let nordby = &r["districts"][0];
    assert_eq!((nordby["code"].as_str(), nordby["name"].as_str()), (Some("nordby"), Some("Nordby")));
    assert_eq!((nordby["weekly_activities"].as_u64(), nordby["covered"].as_bool()), (Some(2), Some(true)));
    assert_eq!(codes(&nordby["by_activity_type"]), pairs(&[("cafe", 1), ("singing_music", 1)]));
    assert_eq!(nordby["uncovered_housing_areas"], 0);
    // A: the singing 390 m away; the café is 910 m of walking away.
    let a = area(&r, "omraade_a");
    assert_eq!((a["weekly_activities"].as_u64(), a["covered"].as_bool()), (Some(1), Some(true)));
    assert_eq!(codes(&a["by_activity_type"]), pairs(&[("singing_music", 1)]));
    assert_eq!(codes(&a["by_target_group"]), pairs(&[("dementia", 1)]));
    assert_eq!(a["nearest_walking_m"], 390);
    assert_eq!((a["name"].as_str(), a["lat"].as_f64()), (Some("Område A"), Some(LAT_A)));
    // B: only by the exercise group that names it, from 4.4 km south.
    let b = area(&r, "omraade_b");
    assert_eq!((b["weekly_activities"].as_u64(), b["covered"].as_bool()), (Some(1), Some(true)));
    assert_eq!(codes(&b["by_activity_type"]), pairs(&[("exercise", 1)]));
    assert_eq!(b["nearest_walking_m"], 1950, "the café, 1.5 km on the map");

    // Sydby: nothing located in it (the exercise group has no district); C is beyond walking
    // distance of it, and a home visit naming C does not count.
    let sydby = &r["districts"][1];
    assert_eq!((sydby["weekly_activities"].as_u64(), sydby["covered"].as_bool()), (Some(0), Some(false)));
    assert_eq!(sydby["uncovered_housing_areas"], 1);
    let c = area(&r, "omraade_c");
    assert_eq!((c["weekly_activities"].as_u64(), c["covered"].as_bool()), (Some(0), Some(false)));
    assert_eq!(c["by_activity_type"], json!([]));
    assert_eq!(c["nearest_walking_m"], 1430);
    assert_eq!(uncovered(&r), (vec!["omraade_c"], vec!["sydby"]));
    assert_eq!(
        r["uncovered"]["housing_areas"][0],
        json!({"code": "omraade_c", "name": "Område C", "district_code": "sydby", "nearest_walking_m": 1430})
    );
    assert_eq!(r["uncovered"]["districts"][0], json!({"code": "sydby", "name": "Sydby"}));
}

#[actix_web::test]
async fn the_walking_distance_the_filters_and_the_date_change_the_report() {
    let t = town().await;
    t.populate().await;

    // 1000 m of walking reaches the café from A; 1500 m reaches the exercise group from C.
    let r = t.report("?walking_distance_m=1000").await;
    assert_eq!(area(&r, "omraade_a")["weekly_activities"], 2);
    assert_eq!(r["straight_line_m"], 769);
    assert_eq!(uncovered(&r), (vec!["omraade_c"], vec!["sydby"]));
    let r = t.report("?walking_distance_m=1500").await;
    assert_eq!(codes(&area(&r, "omraade_c")["by_activity_type"]), pairs(&[("exercise", 1)]));
    assert_eq!(uncovered(&r), (vec![], vec!["sydby"]));
    // 100 m reaches nothing by distance; B is still reached by name.
    let r = t.report("?walking_distance_m=100").await;
    assert_eq!(uncovered(&r), (vec!["omraade_a", "omraade_c"], vec!["sydby"]));

    // Only activities for people with dementia: B and C have none; OR within a parameter.
    let r = t.report("?target_group=dementia").await;
    assert_eq!(r["municipality"]["weekly_activities"], 1);
    assert_eq!(uncovered(&r), (vec!["omraade_b", "omraade_c"], vec!["sydby"]));
    let r = t.report("?activity_type=cafe&activity_type=exercise").await;
    assert_eq!(r["municipality"]["weekly_activities"], 2);
    assert_eq!(uncovered(&r), (vec!["omraade_a", "omraade_c"], vec!["sydby"]));
    // AND across parameters.
    let r = t.report("?activity_type=exercise&target_group=dementia").await;
    assert_eq!(r["municipality"]["weekly_activities"], 0);

    // One district: only its areas, while the municipality still counts everything.
    let r = t.report("?district=sydby").await;
    let districts: Vec<&str> = r["districts"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(districts, ["sydby"]);
    assert_eq!(r["municipality"]["weekly_activities"], 3);
    assert_eq!(uncovered(&r), (vec!["omraade_c"], vec!["sydby"]));

    // In two weeks the new club by A has started and counts for four weeks ahead.
    let r = t.report(&format!("?as_of={}", today() + Duration::days(14))).await;
    assert_eq!(r["municipality"]["weekly_activities"], 4);
    assert_eq!(codes(&area(&r, "omraade_a")["by_activity_type"]), pairs(&[("creative", 1), ("singing_music", 1)]));
}

#[actix_web::test]
async fn an_empty_directory_leaves_every_area_uncovered() {
    let t = town().await;
    let r = t.report("").await;
    assert_eq!(r["municipality"]["weekly_activities"], 0);
    assert_eq!(uncovered(&r), (vec!["omraade_a", "omraade_b", "omraade_c"], vec!["nordby", "sydby"]));
    assert_eq!(area(&r, "omraade_a")["nearest_walking_m"], Value::Null);
}

#[actix_web::test]
async fn bad_parameters_are_a_400_problem() {
    let t = town().await;
    let in_a_year = today() + Duration::days(366);
    let yesterday = today() - Duration::days(1);
    for bad in [
        "walking_distance_m=99".to_owned(),
        "walking_distance_m=5001".into(),
        "walking_distance_m=800.5".into(),
        "walking_distance_m=-1".into(),
        "walking_distance_m=far".into(),
        "district=mars".into(),
        "activity_type=knitting_on_the_moon".into(),
        "target_group=aliens".into(),
        format!("as_of={in_a_year}"),
        format!("as_of={yesterday}"),
        "as_of=tomorrow".into(),
        "walking_distance=500".into(),
    ] {
        let p = t.app.get(&format!("{REPORT}?{bad}")).by(&t.staff).send().await.problem(400, "bad-request");
        assert!(!p["detail"].as_str().unwrap().is_empty(), "{bad}");
    }
    let p = t.app.get(&format!("{REPORT}?district=mars")).by(&t.staff).send().await.problem(400, "bad-request");
    assert_eq!(p["detail"], "unknown district `mars`: see GET /api/v1/taxonomy");
    let p = t.app.get(&format!("{REPORT}?walking_distance_m=99")).by(&t.staff).send().await.problem(400, "bad-request");
    assert_eq!(p["detail"], "walking_distance_m must be 100 to 5000 metres");
    // The edges are allowed.
    for ok in ["walking_distance_m=100", "walking_distance_m=5000", &format!("as_of={}", today() + Duration::days(365))]
    {
        t.report(&format!("?{ok}")).await;
    }
}

#[actix_web::test]
async fn only_staff_and_admins_read_the_report() {
    let t = town().await;
    t.app.get(REPORT).send().await.problem(401, "unauthorized");
    t.app.get(REPORT).bearer("not-a-token").send().await.problem(401, "unauthorized");

    let admin = t.app.admin();
    assert_eq!(t.app.get(REPORT).by(&admin).send().await.ok(200)["districts"].as_array().unwrap().len(), 2);

    let mut refused = vec![t.app.representative_of(&t.org)];
    for role in [Role::Volunteer, Role::Coordinator, Role::Secretary, Role::Reviewer] {
        refused.push(t.app.with_role(role));
    }
    refused.push(t.app.client_of(&t.org, &[Scope::DirectoryWrite]));
    for who in &refused {
        let p = t.app.get(REPORT).by(who).send().await.problem(403, "forbidden");
        assert_eq!(p["detail"], "this requires one of the roles: admin, staff");
    }
    // Refused before the parameters are looked at.
    t.app.get(&format!("{REPORT}?district=mars")).by(&refused[0]).send().await.problem(403, "forbidden");
}
