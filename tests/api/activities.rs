//! Activities: drafts, moderation, changes to published listings, integration upserts, who may
//! do what, and occurrences over HTTP.

use sammen_domain::identity::Scope;
use serde_json::{Value, json};

use crate::common::{Actor, Reply, TestApp, listing};

struct Directory {
    app: TestApp,
    staff: Actor,
    org: String,
    rep: Actor,
    other_rep: Actor,
}

async fn directory() -> Directory {
    let app = TestApp::start().await;
    app.norrebro();
    let staff = app.staff();
    let org = app.organisation("Nørrebro Sangkor");
    let rep = app.representative_of(&org);
    let other_rep = app.representative_of("another-org");
    Directory { app, staff, org, rep, other_rep }
}

impl Directory {
    async fn create(&self, who: &Actor, body: &Value) -> Reply {
        self.app.post(&format!("/api/v1/organisations/{}/activities", self.org)).by(who).json(body).send().await
    }

    async fn step(&self, who: &Actor, id: &str, action: &str, reason: Option<&str>) -> Reply {
        let mut body = json!({"action": action});
        if let Some(reason) = reason {
            body["reason"] = json!(reason);
        }
        self.app
            .post(&format!("/api/v1/activities/{id}/transitions"))
            .by(who)
            .header("if-match", "*")
            .json(&body)
            .send()
            .await
    }
}

#[actix_web::test]
async fn a_draft_is_private_until_staff_publish_it() {
    let d = directory().await;
    let res = d.create(&d.rep, &listing("Søndagssang")).await;
    let draft = res.ok(201);
    let id = draft["id"].as_str().unwrap().to_owned();
    assert_eq!(res.header("location").unwrap(), format!("/api/v1/activities/{id}"));
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["listing"]["target_groups"], json!(["dementia", "newly_widowed"]));
    assert_eq!(draft["time_zone"], "Europe/Copenhagen");
    let path = format!("/api/v1/activities/{id}");

    // Invisible to the public, and to another organisation, everywhere.
    for who in [&d.app.anonymous(), &d.other_rep] {
        for p in [path.clone(), format!("{path}/occurrences")] {
            d.app.get(&p).by(who).send().await.problem(404, "not-found");
        }
    }
    assert_eq!(d.app.get(&path).by(&d.rep).send().await.ok(200)["status"], "draft");

    assert_eq!(d.step(&d.rep, &id, "approve", None).await.problem(403, "forbidden")["status"], 403);
    assert_eq!(d.step(&d.rep, &id, "submit", None).await.ok(200)["status"], "submitted");
    d.app.get(&path).send().await.problem(404, "not-found");
    let queue = d.app.get("/api/v1/moderation/activities").by(&d.staff).send().await.ok(200);
    assert_eq!(queue["data"][0]["id"], id.as_str());
    d.app.get("/api/v1/moderation/activities").by(&d.rep).send().await.problem(403, "forbidden");

    let p = d.step(&d.staff, &id, "reject", None).await.problem(422, "validation");
    assert_eq!(p["errors"][0]["field"], "reason");
    let rejected = d.step(&d.staff, &id, "reject", Some("Tilføj hvordan man tilmelder sig")).await.ok(200);
    assert_eq!(
        (rejected["status"].as_str(), rejected["rejection_reason"].as_str()),
        (Some("rejected"), Some("Tilføj hvordan man tilmelder sig"))
    );
    d.app.get(&path).send().await.problem(404, "not-found");
    d.step(&d.rep, &id, "submit", None).await.ok(200);
    let published = d.step(&d.staff, &id, "approve", None).await.ok(200);
    assert_eq!(published["status"], "published");
    assert!(published["published_at"].is_string());

    let public = d.app.get(&path).send().await.ok(200);
    assert_eq!(public["listing"]["name"], "Søndagssang");
    assert!(public.get("rejection_reason").is_none() && public.get("pending_change").is_none());
    assert!(
        public["next_occurrence"]["starts_at"].as_str().unwrap().ends_with("+01:00")
            || public["next_occurrence"]["starts_at"].as_str().unwrap().ends_with("+02:00")
    );
    assert!(
        d.app.get("/api/v1/moderation/activities").by(&d.staff).send().await.ok(200)["data"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Not a step from here: 409. Withdrawn listings disappear from the public.
    d.step(&d.rep, &id, "submit", None).await.problem(409, "conflict");
    d.step(&d.rep, &id, "withdraw", None).await.ok(200);
    d.app.get(&path).send().await.problem(404, "not-found");
}

#[actix_web::test]
async fn an_organisations_change_to_a_published_activity_waits_for_staff() {
    let d = directory().await;
    let id = d.create(&d.rep, &listing("Søndagssang")).await.ok(201)["id"].as_str().unwrap().to_owned();
    d.step(&d.staff, &id, "approve", None).await.ok(200);
    let path = format!("/api/v1/activities/{id}");
    let etag = d.app.get(&path).by(&d.rep).send().await.header("etag").unwrap().to_owned();

    let changed = d
        .app
        .put(&path)
        .by(&d.rep)
        .header("if-match", &etag)
        .json(&listing("Søndagssang i kirken"))
        .send()
        .await
        .ok(200);
    assert_eq!(changed["pending_change"]["name"], "Søndagssang i kirken");
    assert_eq!(changed["listing"]["name"], "Søndagssang", "the published version stays");
    assert_eq!(d.app.get(&path).send().await.ok(200)["listing"]["name"], "Søndagssang");
    assert_eq!(
        d.app.get("/api/v1/moderation/activities").by(&d.staff).send().await.ok(200)["data"][0]["id"],
        id.as_str()
    );
    d.app
        .put(&path)
        .by(&d.rep)
        .header("if-match", &etag)
        .json(&listing("Stale"))
        .send()
        .await
        .problem(412, "precondition-failed");
    d.app.put(&path).by(&d.rep).json(&listing("No If-Match")).send().await.problem(428, "precondition-required");

    let approved = d.step(&d.staff, &id, "approve", None).await.ok(200);
    assert_eq!(
        (approved["listing"]["name"].as_str(), approved["status"].as_str()),
        (Some("Søndagssang i kirken"), Some("published"))
    );
    assert!(approved.get("pending_change").is_none());
    assert_eq!(d.app.get(&path).send().await.ok(200)["listing"]["name"], "Søndagssang i kirken");

    // A rejected change is discarded; the listing stays published.
    d.app.put(&path).by(&d.rep).header("if-match", "*").json(&listing("Forkert navn")).send().await.ok(200);
    let rejected = d.step(&d.staff, &id, "reject", Some("Navnet passer ikke")).await.ok(200);
    assert_eq!(
        (rejected["status"].as_str(), rejected["listing"]["name"].as_str()),
        (Some("published"), Some("Søndagssang i kirken"))
    );
    // Staff edits apply at once.
    let direct =
        d.app.put(&path).by(&d.staff).header("if-match", "*").json(&listing("Fællessang")).send().await.ok(200);
    assert_eq!(direct["listing"]["name"], "Fællessang");
    assert!(direct.get("pending_change").is_none());
    // Withdrawing settles a waiting change: it leaves the moderation queue.
    d.app
        .put(&path)
        .by(&d.rep)
        .header("if-match", "*")
        .json(&listing("Ændring før tilbagetrækning"))
        .send()
        .await
        .ok(200);
    let withdrawn = d.step(&d.rep, &id, "withdraw", None).await.ok(200);
    assert!(withdrawn.get("pending_change").is_none());
    assert!(
        d.app.get("/api/v1/moderation/activities").by(&d.staff).send().await.ok(200)["data"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    d.step(&d.rep, &id, "submit", None).await.ok(200);
    d.step(&d.staff, &id, "approve", None).await.ok(200);
    // Another organisation may read the published activity but not change it.
    d.app
        .put(&path)
        .by(&d.other_rep)
        .header("if-match", "*")
        .json(&listing("Overtaget"))
        .send()
        .await
        .problem(403, "forbidden");
    d.step(&d.other_rep, &id, "withdraw", None).await.problem(403, "forbidden");
    d.app.put(&path).header("if-match", "*").json(&listing("Overtaget")).send().await.problem(401, "unauthorized");
}

#[actix_web::test]
async fn only_the_organisations_people_and_staff_create_its_activities() {
    let d = directory().await;
    let volunteer = d.app.volunteer();
    d.create(&d.other_rep, &listing("X")).await.problem(403, "forbidden");
    d.create(&volunteer, &listing("X")).await.problem(403, "forbidden");
    d.app
        .post(&format!("/api/v1/organisations/{}/activities", d.org))
        .json(&listing("X"))
        .send()
        .await
        .problem(401, "unauthorized");
    d.create(&d.staff, &listing("Af personalet")).await.ok(201);
    let p = d
        .app
        .post("/api/v1/organisations/0193a8a4-0c7e-7bd2-9d5e-4e1f2a3b4c5d/activities")
        .by(&d.staff)
        .json(&listing("Ingen forening"))
        .send()
        .await;
    p.problem(404, "not-found");

    // Every bad field at once, nothing stored.
    let mut bad = listing("X");
    bad["target_groups"] = json!(["aliens"]);
    bad["languages"] = json!([]);
    bad["location"]["lat"] = json!(12.5);
    bad["schedule"]["duration_minutes"] = json!(0);
    let p = d.create(&d.rep, &bad).await.problem(422, "validation");
    let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["name", "target_groups[0]", "languages", "location.lat", "schedule.duration_minutes"], "{p}");
    let mut unknown = listing("Ukendt felt");
    unknown["status"] = json!("published");
    d.create(&d.rep, &unknown).await.problem(400, "bad-request");
    let mut daily = listing("Dagligt");
    daily["schedule"]["recurrence"]["frequency"] = json!("daily");
    d.create(&d.rep, &daily).await.problem(400, "bad-request");
    let queue = d.app.get("/api/v1/moderation/activities").by(&d.staff).send().await.ok(200);
    assert!(queue["data"].as_array().unwrap().is_empty());
}

#[actix_web::test]
async fn an_integration_syncs_by_its_own_id_without_duplicates() {
    let d = directory().await;
    let sync = d.app.client_of(&d.org, &[Scope::DirectoryWrite]);
    let foreign = d.app.client_of("0193a8a4-0c7e-7bd2-9d5e-4e1f2a3b4c5d", &[Scope::DirectoryWrite]);
    let path = format!("/api/v1/organisations/{}/activities/external/vc-4711", d.org);

    let first = d.app.put(&path).by(&sync).json(&listing("Strikkecafé")).send().await;
    let created = first.ok(201);
    assert_eq!(created["external_id"], "vc-4711");
    let again = d.app.put(&path).by(&sync).json(&listing("Strikkecafé på biblioteket")).send().await.ok(200);
    assert_eq!(again["id"], created["id"]);
    assert_eq!(again["listing"]["name"], "Strikkecafé på biblioteket", "a draft is updated at once");
    d.app.put(&path).by(&foreign).json(&listing("X")).send().await.problem(403, "forbidden");
    d.app
        .put(&format!("/api/v1/organisations/{}/activities/external/{}", d.org, "x".repeat(101)))
        .by(&sync)
        .json(&listing("X"))
        .send()
        .await
        .problem(400, "bad-request");
    assert_eq!(
        d.app.get("/api/v1/moderation/activities").by(&d.staff).send().await.ok(200)["data"].as_array().unwrap().len(),
        0
    );
}

#[actix_web::test]
async fn occurrences_keep_local_time_across_daylight_saving_and_skip_holidays() {
    let d = directory().await;
    let mut body = listing("Torsdagscafé");
    body["schedule"]["recurrence"]["weekdays"] = json!(["thursday", "sunday"]);
    let id = d.create(&d.rep, &body).await.ok(201)["id"].as_str().unwrap().to_owned();
    d.step(&d.staff, &id, "approve", None).await.ok(200);
    let occurrences =
        d.app.get(&format!("/api/v1/activities/{id}/occurrences?from=2026-03-22&to=2026-04-05")).send().await.ok(200);
    let starts: Vec<&str> =
        occurrences["data"].as_array().unwrap().iter().map(|o| o["starts_at"].as_str().unwrap()).collect();
    // 29 March: summer time begins; 2 April is Maundy Thursday and 5 April Easter Sunday (skipped).
    assert_eq!(starts, ["2026-03-22T10:00:00+01:00", "2026-03-26T10:00:00+01:00", "2026-03-29T10:00:00+02:00"]);
    assert_eq!(occurrences["data"][0]["ends_at"], "2026-03-22T11:30:00+01:00");
    let path = format!("/api/v1/activities/{id}/occurrences");
    d.app.get(&format!("{path}?from=2026-05-01&to=2026-04-01")).send().await.problem(400, "bad-request");
    d.app.get(&format!("{path}?from=2026-01-01&to=2027-12-31")).send().await.problem(400, "bad-request");
    d.app.get(&format!("{path}?from=1st-of-may")).send().await.problem(400, "bad-request");
}

#[actix_web::test]
async fn the_organisation_confirms_its_listing_as_current() {
    let d = directory().await;
    let created = d.create(&d.rep, &listing("Gåtur")).await.ok(201);
    let id = created["id"].as_str().unwrap();
    assert_eq!(created["stale"], false);
    let assured = d.app.post(&format!("/api/v1/activities/{id}/assure")).by(&d.rep).send().await.ok(200);
    assert!(assured["assured_at"].as_str().unwrap() >= created["assured_at"].as_str().unwrap());
    assert_eq!(assured["version"], 2);
    d.app.post(&format!("/api/v1/activities/{id}/assure")).by(&d.other_rep).send().await.problem(404, "not-found");
    d.app.post(&format!("/api/v1/activities/{id}/assure")).send().await.problem(401, "unauthorized");
}

impl Directory {
    /// Creates and publishes an activity (staff approve the draft directly); returns its id.
    async fn published(&self, body: &Value) -> String {
        let id = self.create(&self.rep, body).await.ok(201)["id"].as_str().unwrap().to_owned();
        self.step(&self.staff, &id, "approve", None).await.ok(200);
        id
    }

    async fn names(&self, query: &str) -> Vec<String> {
        let body = self.app.get(&format!("/api/v1/activities?{query}")).send().await.ok(200);
        body["data"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap().to_owned()).collect()
    }
}

/// A listing at (lat, lon) with some fields changed.
fn at(name: &str, lat: f64, lon: f64, changes: Value) -> Value {
    let mut body = listing(name);
    body["location"]["lat"] = json!(lat);
    body["location"]["lon"] = json!(lon);
    for (k, v) in changes.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

#[actix_web::test]
async fn the_public_listing_shows_published_activities_filtered_with_and_across_or_within() {
    let d = directory().await;
    d.published(&at("Alfa sang", 55.70, 12.54, json!({"target_groups": ["dementia"], "languages": ["da"]}))).await;
    d.published(&at("Beta café", 55.70, 12.55, json!({"target_groups": ["newly_widowed"], "languages": ["da", "en"], "cost_ore": 2500, "seeks_volunteers": false, "volunteer_roles": [], "housing_areas": []}))).await;
    d.published(&at("Gamma gåtur", 55.69, 12.53, json!({"target_groups": ["minority_background"], "languages": ["ar"], "activity_types": ["walking"], "mode": "in_person"}))).await;
    d.published(&at(
        "Delta telefon",
        55.69,
        12.53,
        json!({"mode": "phone", "location": null, "housing_areas": [], "target_groups": ["hard_to_leave_home"]}),
    ))
    .await;
    d.create(&d.rep, &listing("Kladde")).await.ok(201);
    let submitted = d.create(&d.rep, &listing("Indsendt")).await.ok(201)["id"].as_str().unwrap().to_owned();
    d.step(&d.rep, &submitted, "submit", None).await.ok(200);

    assert_eq!(
        d.names("").await,
        ["Alfa sang", "Beta café", "Delta telefon", "Gamma gåtur"],
        "published only, by name"
    );
    assert_eq!(
        d.names("target_group=dementia&target_group=newly_widowed").await,
        ["Alfa sang", "Beta café"],
        "OR within"
    );
    assert_eq!(
        d.names("target_group=dementia&target_group=newly_widowed&language=en").await,
        ["Beta café"],
        "AND across"
    );
    assert_eq!(d.names("language=ar").await, ["Gamma gåtur"]);
    assert_eq!(d.names("activity_type=walking").await, ["Gamma gåtur"]);
    assert_eq!(d.names("mode=phone").await, ["Delta telefon"]);
    assert_eq!(d.names("mode=phone&mode=online").await, ["Delta telefon"]);
    assert_eq!(d.names("free=false").await, ["Beta café"]);
    assert_eq!(d.names("free=true&seeks_volunteers=true").await, ["Alfa sang", "Delta telefon", "Gamma gåtur"]);
    assert_eq!(
        d.names("volunteer_role=host&seeks_volunteers=true&free=true&target_group=dementia").await,
        ["Alfa sang"]
    );
    assert_eq!(d.names("housing_area=mjolnerparken&mode=in_person").await, ["Alfa sang", "Gamma gåtur"]);
    assert_eq!(d.names("district=norrebro&postcode=2200").await, ["Alfa sang", "Beta café", "Gamma gåtur"]);
    assert_eq!(d.names(&format!("organisation={}", d.org)).await.len(), 4);
    assert!(d.names("organisation=0193a8a4-0c7e-7bd2-9d5e-4e1f2a3b4c5d").await.is_empty());
    // Values are data, never SQL, whatever they hold.
    assert!(d.names("language=da%27%29%20OR%20TRUE%20--").await.is_empty());
    assert!(d.names("language=da%27&language=ar").await == ["Gamma gåtur"]);

    // Each item is what a result row shows, the same for everyone (the organisation's own people
    // find their drafts and waiting changes elsewhere); the whole activity is one request away.
    let public = d.app.get("/api/v1/activities?q=alfa").send().await.ok(200);
    let alfa = &public["data"][0];
    let fields: Vec<&str> = alfa.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        fields,
        [
            "id",
            "name",
            "summary",
            "organisation",
            "mode",
            "cost_ore",
            "full",
            "seeks_volunteers",
            "location",
            "next_occurrence",
            "activity_types",
            "target_groups",
            "accessibility",
            "first_visit_support",
            "volunteer_roles",
            "languages",
            "housing_areas",
            "stale",
            "version",
            "updated_at"
        ]
    );
    assert_eq!(alfa["organisation"], json!({"id": d.org, "name": "Nørrebro Sangkor"}));
    assert_eq!((&alfa["target_groups"], &alfa["languages"]), (&json!(["dementia"]), &json!(["da"])));
    assert_eq!(
        (&alfa["housing_areas"], &alfa["accessibility"]),
        (&json!(["mjolnerparken"]), &json!(["hearing_loop", "step_free_access"]))
    );
    assert_eq!(alfa["location"]["district"], "norrebro");
    assert!(alfa["next_occurrence"]["starts_at"].is_string());
    let whole = d.app.get(&format!("/api/v1/activities/{}", alfa["id"].as_str().unwrap())).send().await.ok(200);
    assert_eq!((&whole["listing"]["name"], &whole["version"]), (&alfa["name"], &alfa["version"]));
    let as_rep = d.app.get("/api/v1/activities?q=alfa").by(&d.rep).send().await.ok(200);
    assert_eq!(as_rep["data"], public["data"]);

    for bad in [
        "target_group=aliens",
        "district=mars",
        "postcode=22",
        "mode=teleport",
        "free=maybe",
        "organisation=x",
        "sort=loudest",
        "limit=0",
    ] {
        d.app.get(&format!("/api/v1/activities?{bad}")).send().await.problem(400, "bad-request");
    }
}

#[actix_web::test]
async fn around_a_point_the_nearest_come_first_with_their_distance() {
    let d = directory().await;
    // Metres north of (55.70, 12.55): 0.001° of latitude is about 110.6 m.
    for (name, dlat) in [("Fire", 0.004), ("En", 0.001), ("Tre", 0.003), ("To", 0.002), ("Langt væk", 0.05)] {
        d.published(&at(name, 55.70 + dlat, 12.55, json!({}))).await;
    }
    let body = d.app.get("/api/v1/activities?lat=55.70&lon=12.55&radius_m=1000").send().await.ok(200);
    let hits = body["data"].as_array().unwrap();
    let names: Vec<&str> = hits.iter().map(|h| h["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["En", "To", "Tre", "Fire"], "nearest first, the far one outside the radius");
    let metres: Vec<u64> = hits.iter().map(|h| h["distance_m"].as_u64().unwrap()).collect();
    assert_eq!(metres, [111, 223, 334, 445]);

    // Pages by distance: no skips or repeats, also where several share a place (ties, in id order).
    let mut same_place = Vec::new();
    for name in ["To b", "To c", "To d"] {
        let id = d.published(&at(name, 55.70 + 0.002, 12.55, json!({}))).await;
        same_place.push((id, name));
    }
    let to = d.app.get("/api/v1/activities?q=to&sort=name").send().await.ok(200);
    assert_eq!(to["data"][0]["name"], "To");
    same_place.push((to["data"][0]["id"].as_str().unwrap().to_owned(), "To"));
    same_place.sort();
    let ties: Vec<&str> = same_place.iter().map(|(_, name)| *name).collect();
    let app = &d.app;
    let pages = move |path: String| async move {
        let (mut seen, mut path) = (Vec::new(), path);
        loop {
            let res = app.get(&path).send().await;
            let body = res.ok(200);
            seen.extend(body["data"].as_array().unwrap().iter().map(|h| h["name"].as_str().unwrap().to_owned()));
            match res.header("link") {
                Some(link) => path = link.trim_start_matches('<').split('>').next().unwrap().to_owned(),
                None => return seen,
            }
        }
    };
    let mut expected = vec!["En"];
    expected.extend(&ties);
    expected.extend(["Tre", "Fire", "Langt væk"]);
    for limit in [1, 2, 3] {
        let seen = pages(format!("/api/v1/activities?lat=55.70&lon=12.55&radius_m=10000&limit={limit}")).await;
        assert_eq!(seen, expected, "pages of {limit}");
    }
    // By name when asked, still within the radius and with distances.
    let by_name = d.app.get("/api/v1/activities?lat=55.70&lon=12.55&radius_m=1000&sort=name").send().await.ok(200);
    let names: Vec<&str> = by_name["data"].as_array().unwrap().iter().map(|h| h["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["En", "Fire", "To", "To b", "To c", "To d", "Tre"]);
    assert!(by_name["data"][0]["distance_m"].is_u64());
    assert!(d.app.get("/api/v1/activities").send().await.ok(200)["data"][0].get("distance_m").is_none());

    // Far from Denmark nothing is near, wherever on Earth the point is.
    for far in
        ["lat=0&lon=0", "lat=-89.9&lon=-179.9&sort=distance", "lat=52.52&lon=13.40&facets=district", "lat=55.7&lon=90"]
    {
        let body = d.app.get(&format!("/api/v1/activities?{far}&radius_m=50000")).send().await.ok(200);
        assert_eq!(body["data"], json!([]), "{far}");
    }

    // A place whose grid point is missing (written before the grid, or by another program) gets
    // it at the next start-up, and is found again.
    d.app.with_db(|c| {
        use diesel::RunQueryDsl;
        diesel::sql_query("UPDATE activities SET easting = NULL, northing = NULL").execute(c).unwrap();
    });
    assert!(d.names("lat=55.70&lon=12.55&radius_m=1000").await.is_empty());
    d.app.with_db(sammen_store::migrate::run_pending).unwrap();
    assert_eq!(d.names("lat=55.70&lon=12.55&radius_m=1000").await, expected[..expected.len() - 1]);

    for bad in [
        "lat=55.7",
        "radius_m=500",
        "lat=95&lon=12",
        "lat=55.7&lon=12.5&radius_m=60000",
        "sort=distance",
        "lat=abc&lon=12",
    ] {
        d.app.get(&format!("/api/v1/activities?{bad}")).send().await.problem(400, "bad-request");
    }
    // A cursor from one order does not continue another.
    let cursor =
        d.app.get("/api/v1/activities?limit=1").send().await.ok(200)["next_cursor"].as_str().unwrap().to_owned();
    d.app
        .get(&format!("/api/v1/activities?lat=55.70&lon=12.55&limit=1&cursor={cursor}"))
        .send()
        .await
        .problem(400, "bad-request");
}

#[actix_web::test]
async fn free_text_finds_words_inside_danish_compounds_best_match_first() {
    let d = directory().await;
    let with_summary = |name: &str, summary: &str| at(name, 55.70, 12.54, json!({"summary": summary}));
    d.published(&with_summary("Fællessang i kirken", "Vi mødes om salmer og viser hver tirsdag.")).await;
    d.published(&with_summary("Sangkoret Nordlys", "Et kor for seniorer, øvning tirsdag aften.")).await;
    d.published(&with_summary("Gåtur i Fælledparken", "En rolig tur, bagefter kaffe og en sang eller to.")).await;
    d.published(&with_summary("Strikkecafé", "Hyggeligt samvær med strikketøj og kaffe.")).await;
    d.create(&d.rep, &with_summary("Sangaften (kladde)", "Ikke offentlig endnu.")).await.ok(201);

    // "sang" is inside "Fællessang" and "Sangkoret"; a name match ranks above a summary match.
    let hits = d.names("q=sang").await;
    assert_eq!(hits.len(), 3, "{hits:?}");
    assert_eq!(hits[2], "Gåtur i Fælledparken", "summary-only match last: {hits:?}");
    assert!(
        hits[..2].contains(&"Fællessang i kirken".to_owned()) && hits[..2].contains(&"Sangkoret Nordlys".to_owned())
    );
    assert_eq!(d.names("q=SANG").await.len(), 3, "case does not matter");
    assert_eq!(d.names("q=sang%20tirsdag").await.len(), 2, "every word must appear");
    assert_eq!(d.names("q=kaffe&sort=name").await, ["Gåtur i Fælledparken", "Strikkecafé"]);
    assert_eq!(d.names("q=caf%C3%A9").await, ["Strikkecafé"]);
    assert_eq!(d.names("q=%22sang%22%3B").await.len(), 3, "punctuation is not syntax");
    assert!(d.names("q=xylofon").await.is_empty());
    // Text and filters together: AND.
    assert!(d.names("q=sang&mode=phone").await.is_empty());

    // Pages in relevance order: no skips or repeats.
    let first = d.app.get("/api/v1/activities?q=sang&limit=2").send().await.ok(200);
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest = d.app.get(&format!("/api/v1/activities?q=sang&limit=2&cursor={cursor}")).send().await.ok(200);
    let mut all: Vec<String> = first["data"]
        .as_array()
        .unwrap()
        .iter()
        .chain(rest["data"].as_array().unwrap())
        .map(|a| a["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(all, hits);
    all.dedup();
    assert_eq!(all.len(), 3);

    for bad in
        ["q=%22%27%25", "sort=relevance", &format!("q={}", "ord%20".repeat(9)), &format!("q={}", "a".repeat(201))]
    {
        d.app.get(&format!("/api/v1/activities?{bad}")).send().await.problem(400, "bad-request");
    }
}

#[actix_web::test]
async fn facets_count_each_value_with_every_filter_but_their_own() {
    let d = directory().await;
    d.published(&at("En", 55.70, 12.54, json!({"target_groups": ["dementia"], "languages": ["da"]}))).await;
    d.published(&at(
        "To",
        55.70,
        12.54,
        json!({"target_groups": ["dementia", "newly_widowed"], "languages": ["da", "en"]}),
    ))
    .await;
    d.published(&at("Tre", 55.70, 12.54, json!({"target_groups": ["newly_widowed"], "languages": ["ar"]}))).await;
    d.published(&at("Fire", 55.70, 12.54, json!({"mode": "phone", "location": null, "housing_areas": [], "target_groups": ["everyone"], "languages": ["da"]}))).await;
    d.create(&d.rep, &at("Kladde", 55.70, 12.54, json!({"target_groups": ["dementia"]}))).await.ok(201);

    let body = d
        .app
        .get("/api/v1/activities?target_group=dementia&facets=target_group,language,mode,district")
        .send()
        .await
        .ok(200);
    assert_eq!(body["data"].as_array().unwrap().len(), 2);
    let facet = |name: &str| -> Vec<(String, i64)> {
        body["facets"][name]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["code"].as_str().unwrap().to_owned(), f["count"].as_i64().unwrap()))
            .collect()
    };
    let c = |code: &str, n: i64| (code.to_owned(), n);
    // Its own filter left out: all four published activities count; the draft never does.
    assert_eq!(facet("target_group"), [c("dementia", 2), c("newly_widowed", 2), c("everyone", 1)]);
    // The others under the filter.
    assert_eq!(facet("language"), [c("da", 2), c("en", 1)]);
    assert_eq!(facet("mode"), [c("in_person", 2)]);
    assert_eq!(facet("district"), [c("norrebro", 2)]);
    assert!(d.app.get("/api/v1/activities").send().await.ok(200).get("facets").is_none(), "only when asked");
    d.app.get("/api/v1/activities?facets=colour").send().await.problem(400, "bad-request");
}

/// Parses an iCalendar file with Python's `icalendar` (a real RFC 5545 implementation), when
/// scripts/test has installed it (`SAMMEN_PYTHON`), and returns what it read of the first event.
fn parse_with_icalendar(ics: &str) -> Option<Value> {
    let python = std::env::var("SAMMEN_PYTHON").ok()?;
    let script = r#"
import json, sys, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.read())
ev = next(c for c in cal.walk("VEVENT"))
ex = ev.get("EXDATE")
ex = ex if isinstance(ex, list) else ([ex] if ex else [])
print(json.dumps({
  "start": ev.decoded("DTSTART").isoformat(),
  "tz": str(ev.decoded("DTSTART").tzinfo),
  "rrule": {k: [str(v) for v in vs] for k, vs in ev.get("RRULE").items()} if ev.get("RRULE") else None,
  "exdates": [d.dt.isoformat() for e in ex for d in e.dts],
  "summary": str(ev.get("SUMMARY")),
  "events": len(cal.walk("VEVENT")),
}))
"#;
    let mut child = std::process::Command::new(python)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python runs");
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), ics.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "icalendar could not parse the feed:\n{ics}");
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

#[actix_web::test]
async fn calendar_feeds_carry_the_recurrence_the_skipped_dates_and_the_time_zone() {
    let d = directory().await;
    let mut body = at("Torsdagssang, med kaffe", 55.70, 12.54, json!({}));
    body["schedule"] = json!({
        "recurrence": {"frequency": "weekly", "interval": 1, "weekdays": ["thursday"], "starts_on": "2026-03-02", "ends_on": "2026-04-30"},
        "start_time": "10:00:00", "duration_minutes": 90, "cancelled": ["2026-03-12"], "skip_holidays": true
    });
    let id = d.published(&body).await;
    let draft =
        d.create(&d.rep, &at("Kladde", 55.70, 12.54, json!({}))).await.ok(201)["id"].as_str().unwrap().to_owned();

    let res = d.app.get(&format!("/api/v1/activities/{id}/calendar.ics")).send().await;
    assert_eq!(res.status, 200);
    assert_eq!(res.header("content-type"), Some("text/calendar; charset=utf-8"));
    let ics = res.text();
    let unfolded = ics.replace("\r\n ", "");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    assert!(unfolded.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Copenhagen\r\n"));
    assert!(unfolded.contains("DTSTART;TZID=Europe/Copenhagen:20260305T100000\r\n"), "{unfolded}");
    assert!(unfolded.contains("RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=TH;UNTIL=20260430T215959Z\r\n"));
    assert!(
        unfolded.contains("EXDATE;TZID=Europe/Copenhagen:20260312T100000,20260402T100000\r\n"),
        "cancelled and Maundy Thursday"
    );
    assert!(unfolded.contains("SUMMARY:Torsdagssang\\, med kaffe\r\n"));

    match parse_with_icalendar(&ics) {
        Some(parsed) => {
            assert_eq!(parsed["start"], "2026-03-05T10:00:00+01:00");
            assert_eq!(parsed["tz"], "Europe/Copenhagen");
            assert_eq!(parsed["rrule"]["FREQ"], json!(["WEEKLY"]));
            assert_eq!(parsed["rrule"]["BYDAY"], json!(["TH"]));
            assert_eq!(parsed["exdates"], json!(["2026-03-12T10:00:00+01:00", "2026-04-02T10:00:00+02:00"]));
            assert_eq!(parsed["summary"], "Torsdagssang, med kaffe");
        }
        None => eprintln!("icalendar check skipped: SAMMEN_PYTHON is unset (scripts/test sets it)"),
    }

    // Drafts have no public calendar; the search calendar holds the matching published ones.
    d.app.get(&format!("/api/v1/activities/{draft}/calendar.ics")).send().await.problem(404, "not-found");
    let all = d.app.get("/api/v1/activities/calendar.ics?q=torsdagssang").send().await;
    assert_eq!(all.status, 200);
    assert_eq!(all.text().matches("BEGIN:VEVENT").count(), 1);
    if let Some(parsed) = parse_with_icalendar(&all.text()) {
        assert_eq!(parsed["events"], 1);
    }
    let none = d.app.get("/api/v1/activities/calendar.ics?mode=online").send().await;
    assert_eq!(none.text().matches("BEGIN:VEVENT").count(), 0);
    d.app.get("/api/v1/activities/calendar.ics?target_group=aliens").send().await.problem(400, "bad-request");
}

#[actix_web::test]
async fn the_change_feed_sends_new_versions_and_tombstones_for_what_left() {
    let d = directory().await;
    let start = "2000-01-01T00:00:00Z";
    let a = d.published(&listing("Alfa")).await;
    let b = d.published(&listing("Beta")).await;
    d.create(&d.rep, &listing("Kladde")).await.ok(201);
    d.step(&d.rep, &b, "withdraw", None).await.ok(200);

    let feed = d.app.get(&format!("/api/v1/activities/changes?modified_since={start}")).send().await.ok(200);
    let changes: Vec<(String, String)> = feed["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap().to_owned(), c["change"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        changes,
        [(a.clone(), "upserted".to_owned()), (b.clone(), "deleted".to_owned())],
        "oldest change first; never-published drafts are not in it"
    );
    assert_eq!(feed["data"][0]["activity"]["listing"]["name"], "Alfa");
    assert!(feed["data"][1].get("activity").is_none(), "a tombstone carries no content");

    // Resume from the last change seen: only what changed since.
    let last = feed["data"][1]["updated_at"].as_str().unwrap().replace('+', "%2B");
    d.app
        .put(&format!("/api/v1/activities/{a}"))
        .by(&d.staff)
        .header("if-match", "*")
        .json(&listing("Alfa 2"))
        .send()
        .await
        .ok(200);
    let next = d.app.get(&format!("/api/v1/activities/changes?modified_since={last}")).send().await.ok(200);
    let ids: Vec<&str> = next["data"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids.last(), Some(&a.as_str()));
    assert_eq!(next["data"].as_array().unwrap().last().unwrap()["activity"]["listing"]["name"], "Alfa 2");

    // Pages without skips or repeats.
    let first = d.app.get(&format!("/api/v1/activities/changes?modified_since={start}&limit=1")).send().await;
    let link = first.header("link").unwrap().trim_start_matches('<').split('>').next().unwrap().to_owned();
    let second = d.app.get(&link).send().await.ok(200);
    assert_ne!(first.json()["data"][0]["id"], second["data"][0]["id"]);

    d.app.get("/api/v1/activities/changes").send().await.problem(400, "bad-request");
    d.app.get("/api/v1/activities/changes?modified_since=yesterday").send().await.problem(400, "bad-request");
}

#[actix_web::test]
async fn locations_are_geojson_points_in_lon_lat_order() {
    let d = directory().await;
    let a = d.published(&at("Alfa", 55.70, 12.54, json!({"target_groups": ["dementia"]}))).await;
    d.published(&at("Telefon", 55.70, 12.54, json!({"mode": "phone", "location": null, "housing_areas": []}))).await;
    d.published(&at("Beta", 55.71, 12.55, json!({"target_groups": ["newly_widowed"]}))).await;
    d.create(&d.rep, &at("Kladde", 55.72, 12.56, json!({}))).await.ok(201);

    let res = d.app.get("/api/v1/activities/locations.geojson").send().await;
    assert_eq!(res.status, 200);
    assert_eq!(res.header("content-type"), Some("application/geo+json"));
    let body = res.json();
    assert_eq!(body["type"], "FeatureCollection");
    let features = body["features"].as_array().unwrap();
    assert_eq!(features.len(), 2, "published in-person only");
    assert_eq!(features[0]["id"], a.as_str());
    assert_eq!(features[0]["geometry"], json!({"type": "Point", "coordinates": [12.54, 55.70]}));
    assert_eq!(features[0]["properties"]["name"], "Alfa");
    let filtered = d.app.get("/api/v1/activities/locations.geojson?target_group=newly_widowed").send().await.json();
    assert_eq!(filtered["features"].as_array().unwrap().len(), 1);
    d.app.get("/api/v1/activities/locations.geojson?district=mars").send().await.problem(400, "bad-request");
}

/// Today in Copenhagen, the zone every schedule is in.
fn local_today() -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&sammen_domain::directory::schedule::TIME_ZONE).date_naive()
}

fn weekly_on(weekday: &str, time: &str, starts_on: chrono::NaiveDate, extra: Value) -> Value {
    let mut schedule = json!({
        "recurrence": {"frequency": "weekly", "interval": 1, "weekdays": [weekday], "starts_on": starts_on},
        "start_time": time, "duration_minutes": 60
    });
    for (k, v) in extra.as_object().unwrap() {
        schedule[k] = v.clone();
    }
    schedule
}

#[actix_web::test]
async fn weekday_time_and_date_filters_see_the_real_occurrences_and_next_occurrence_orders() {
    use chrono::{Datelike, Duration};
    let d = directory().await;
    let today = local_today();
    let day = |n: i64| today + Duration::days(n);
    let with = |name: &str, schedule: Value, changes: Value| {
        let mut body = at(name, 55.70, 12.54, changes);
        body["schedule"] = schedule;
        body
    };
    d.published(&with("Mandagsmotion", weekly_on("monday", "09:30:00", day(-30), json!({})), json!({}))).await;
    // Paused for the next three weeks, then back on Tuesdays.
    let pause = json!({"pauses": [{"from": day(0), "to": day(20)}]});
    d.published(&with("Tirsdagskor", weekly_on("tuesday", "14:00:00", day(-30), pause), json!({}))).await;
    let once = json!({"recurrence": {"frequency": "once", "dates": [day(10)]}, "start_time": "18:00:00", "duration_minutes": 120});
    d.published(&with("Engangsfest", once, json!({}))).await;
    let ended = weekly_on("wednesday", "11:00:00", day(-60), json!({}));
    let mut ended_body = with("Afsluttet", ended, json!({}));
    ended_body["schedule"]["recurrence"]["ends_on"] = json!(day(-1));
    d.published(&ended_body).await;
    d.published(&with(
        "Fuld strikkeklub",
        weekly_on("thursday", "10:00:00", day(-30), json!({})),
        json!({"full": true}),
    ))
    .await;
    // A draft never shows, whatever it matches.
    d.create(&d.rep, &with("Kladde mandag", weekly_on("monday", "09:30:00", day(-30), json!({})), json!({})))
        .await
        .ok(201);

    assert_eq!(d.names("weekday=monday").await, ["Mandagsmotion"]);
    assert_eq!(d.names("weekday=tuesday").await, ["Tirsdagskor"], "back after the pause");
    assert!(d.names(&format!("weekday=tuesday&date_to={}", day(20))).await.is_empty(), "paused until then");
    assert_eq!(d.names("weekday=monday&weekday=tuesday").await, ["Mandagsmotion", "Tirsdagskor"], "OR within");
    assert!(!d.names("weekday=wednesday").await.contains(&"Afsluttet".to_owned()), "ended: no coming Wednesday");
    assert_eq!(d.names("weekday=monday&has_capacity=true").await, ["Mandagsmotion"]);

    // One date: the one-off party and the weekly ones on that weekday (the choir is paused).
    let party = day(10);
    let mut expected = vec!["Engangsfest"];
    match party.weekday() {
        chrono::Weekday::Mon => expected.push("Mandagsmotion"),
        chrono::Weekday::Thu => expected.push("Fuld strikkeklub"),
        _ => {}
    }
    expected.sort();
    assert_eq!(d.names(&format!("date_from={party}&date_to={party}")).await, expected);
    // A week from today holds one of each weekly activity still running, but not the paused choir.
    let week = d.names(&format!("date_from={}&date_to={}", day(1), day(7))).await;
    assert_eq!(
        week,
        ["Fuld strikkeklub", "Mandagsmotion"]
            .iter()
            .copied()
            .chain((party <= day(7)).then_some("Engangsfest"))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    );
    // Earlier dates count as today.
    assert_eq!(d.names(&format!("date_from={}&weekday=monday", day(-100))).await, ["Mandagsmotion"]);

    // The start time, both bounds included.
    assert_eq!(d.names("time_from=13:00").await, ["Engangsfest", "Tirsdagskor"]);
    assert_eq!(d.names("time_to=10:00").await, ["Fuld strikkeklub", "Mandagsmotion"]);
    assert_eq!(d.names("time_from=09:30&time_to=10:00:00").await, ["Fuld strikkeklub", "Mandagsmotion"]);
    assert_eq!(d.names("has_capacity=false").await, ["Fuld strikkeklub"]);
    assert_eq!(d.names("has_capacity=true&time_to=10:00").await, ["Mandagsmotion"]);

    // Soonest first, the ended one last; pages of two give the same order without repeats.
    let body = d.app.get("/api/v1/activities?sort=next_occurrence").send().await.ok(200);
    let starts: Vec<Option<String>> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["next_occurrence"]["starts_at"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(starts.len(), 5);
    assert_eq!(starts[4], None, "no coming occurrence: last");
    assert_eq!(body["data"][4]["name"], "Afsluttet");
    let known: Vec<&String> = starts.iter().flatten().collect();
    assert!(known.windows(2).all(|w| w[0] <= w[1]), "soonest first: {known:?}");
    let all = d.names("sort=next_occurrence").await;
    let mut paged = Vec::new();
    let mut path = "/api/v1/activities?sort=next_occurrence&limit=2".to_owned();
    loop {
        let res = d.app.get(&path).send().await;
        let body = res.ok(200);
        paged.extend(body["data"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap().to_owned()));
        match res.header("link") {
            Some(link) => path = link.trim_start_matches('<').split('>').next().unwrap().to_owned(),
            None => break,
        }
    }
    assert_eq!(paged, all);

    for bad in [
        "weekday=funday".to_owned(),
        "time_from=25:00".to_owned(),
        "time_from=noon".to_owned(),
        "time_from=14:00&time_to=10:00".to_owned(),
        format!("date_to={}", day(-1)),
        format!("date_to={}", day(187)),
        format!("date_from={}&date_to={}", day(5), day(2)),
        "date_from=2026-13-01".to_owned(),
        "has_capacity=perhaps".to_owned(),
    ] {
        let problem = d.app.get(&format!("/api/v1/activities?{bad}")).send().await.problem(400, "bad-request");
        assert!(problem["detail"].as_str().is_some_and(|s| !s.is_empty()), "{bad}: {problem}");
    }
}

#[actix_web::test]
async fn the_sweep_moves_stored_occurrences_and_next_starts_on_with_time() {
    use diesel::prelude::*;
    use sammen_store::schema::{activities, activity_occurrences};
    let d = directory().await;
    let today = local_today();
    let id = d
        .published(&{
            let mut body = listing("Mandagsmotion");
            body["schedule"] = weekly_on("monday", "09:30:00", today - chrono::Duration::days(7), json!({}));
            body
        })
        .await;
    let stored =
        |conn: &mut sammen_store::conn::DbConn| -> (i64, Option<chrono::NaiveDateTime>, chrono::NaiveDateTime) {
            let count = activity_occurrences::table
                .filter(activity_occurrences::activity_id.eq(&id))
                .count()
                .get_result(conn)
                .unwrap();
            let (next, until) = activities::table
                .find(&id)
                .select((activities::next_occurrence_at, activities::occurrences_until.assume_not_null()))
                .first(conn)
                .unwrap();
            (count, next, until)
        };
    let (count, next, until) = d.app.with_db(stored);
    // About 26 Mondays in the 186 days ahead.
    assert!((26..=28).contains(&count), "{count}");
    let next = next.expect("a coming Monday");
    assert_eq!(d.app.with_db(|c| sammen_store::directory::refresh_occurrences(c, sammen_store::now())).unwrap(), 0);

    // Thirty days on: a month more is stored, the past is dropped, the next Monday moved on.
    let later = sammen_store::now() + chrono::Duration::days(30);
    assert_eq!(d.app.with_db(|c| sammen_store::directory::refresh_occurrences(c, later)).unwrap(), 1);
    let (count_later, next_later, until_later) = d.app.with_db(stored);
    assert!(until_later >= until + chrono::Duration::days(29), "{until} -> {until_later}");
    assert!((26..=29).contains(&count_later), "{count_later}");
    let next_later = next_later.unwrap();
    assert!(next_later >= later && next_later < later + chrono::Duration::days(7), "{next} -> {next_later}");

    // An activity never expanded (as after the migration) is expanded in full, and found again.
    d.app.with_db(|c| {
        diesel::delete(activity_occurrences::table.filter(activity_occurrences::activity_id.eq(&id)))
            .execute(c)
            .unwrap();
        diesel::update(activities::table.find(&id))
            .set((activities::occurrences_until.eq(None::<chrono::NaiveDateTime>), activities::start_minute.eq(0)))
            .execute(c)
            .unwrap();
    });
    assert!(d.names("weekday=monday").await.is_empty());
    assert!(d.names("time_from=09:00").await.is_empty());
    assert_eq!(d.app.with_db(|c| sammen_store::directory::refresh_occurrences(c, sammen_store::now())).unwrap(), 1);
    assert_eq!(d.names("weekday=monday").await, ["Mandagsmotion"]);
    assert_eq!(d.names("time_from=09:30&time_to=09:30").await, ["Mandagsmotion"]);
}

#[actix_web::test]
async fn an_organisation_sees_all_its_own_activities_in_every_state() {
    let d = directory().await;
    let draft = d.create(&d.rep, &listing("Kladde")).await.ok(201)["id"].as_str().unwrap().to_owned();
    let published = d.published(&listing("Offentlig")).await;
    let submitted = d.create(&d.rep, &listing("Indsendt")).await.ok(201)["id"].as_str().unwrap().to_owned();
    d.step(&d.rep, &submitted, "submit", None).await.ok(200);
    let path = format!("/api/v1/organisations/{}/activities", d.org);

    let statuses = |body: &Value| -> Vec<(String, String)> {
        body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| (a["id"].as_str().unwrap().to_owned(), a["status"].as_str().unwrap().to_owned()))
            .collect()
    };
    let all = d.app.get(&path).by(&d.rep).send().await.ok(200);
    assert_eq!(
        statuses(&all),
        [(draft.clone(), "draft".into()), (published, "published".into()), (submitted.clone(), "submitted".into())]
    );
    assert_eq!(d.app.get(&path).by(&d.staff).send().await.ok(200)["data"], all["data"]);
    let some = d.app.get(&format!("{path}?status=draft&status=submitted")).by(&d.rep).send().await.ok(200);
    assert_eq!(statuses(&some), [(draft, "draft".into()), (submitted, "submitted".into())]);
    let first = d.app.get(&format!("{path}?limit=2")).by(&d.rep).send().await.ok(200);
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest = d.app.get(&format!("{path}?limit=2&cursor={cursor}")).by(&d.rep).send().await.ok(200);
    assert_eq!(rest["data"].as_array().unwrap().len(), 1);
    assert!(rest["next_cursor"].is_null());

    let volunteer = d.app.volunteer();
    d.app.get(&path).by(&d.other_rep).send().await.problem(403, "forbidden");
    d.app.get(&path).by(&volunteer).send().await.problem(403, "forbidden");
    d.app.get(&path).send().await.problem(401, "unauthorized");
    d.app
        .get("/api/v1/organisations/0193a8a4-0c7e-7bd2-9d5e-4e1f2a3b4c5d/activities")
        .by(&d.staff)
        .send()
        .await
        .problem(404, "not-found");
    d.app.get(&format!("{path}?status=lost")).by(&d.rep).send().await.problem(400, "bad-request");
}

#[actix_web::test]
async fn anyone_reports_an_error_on_a_listing_and_its_people_resolve_it() {
    let d = directory().await;
    let id = d.published(&listing("Søndagssang")).await;
    let draft = d.create(&d.rep, &listing("Kladde")).await.ok(201)["id"].as_str().unwrap().to_owned();
    let report_path = format!("/api/v1/activities/{id}/reports");
    let message = "Koret mødes nu i Blågårdsgade 12, ikke på Nørrebrogade.";

    let receipt = d
        .app
        .post(&report_path)
        .json(&json!({"message": message, "contact_email": "Borger@Example.dk"}))
        .send()
        .await
        .ok(201);
    assert_eq!(receipt["status"], "open");
    assert!(receipt.get("contact_email").is_none() && receipt.get("message").is_none(), "{receipt}");
    let report_id = receipt["id"].as_str().unwrap().to_owned();

    // Only published listings can be reported by the public; bad reports say what is wrong.
    d.app
        .post(&format!("/api/v1/activities/{draft}/reports"))
        .json(&json!({"message": message}))
        .send()
        .await
        .problem(404, "not-found");
    let p = d
        .app
        .post(&report_path)
        .json(&json!({"message": "kort", "contact_email": "ikke en adresse"}))
        .send()
        .await
        .problem(422, "validation");
    let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["message", "contact_email"]);
    d.app
        .post(&report_path)
        .json(&json!({"message": message, "status": "resolved"}))
        .send()
        .await
        .problem(400, "bad-request");

    // Staff see the reporter's address; the organisation sees the report without it.
    let staff_view = d.app.get("/api/v1/activity-reports?status=open").by(&d.staff).send().await.ok(200);
    assert_eq!(staff_view["data"].as_array().unwrap().len(), 1);
    let report = &staff_view["data"][0];
    assert_eq!(report["message"], message);
    assert_eq!(report["contact_email"], "borger@example.dk");
    assert_eq!(report["activity_name"], "Søndagssang");
    assert_eq!(report["organisation_id"], d.org.as_str());
    let org_path = format!("/api/v1/activity-reports?organisation={}", d.org);
    let org_view = d.app.get(&org_path).by(&d.rep).send().await.ok(200);
    assert_eq!(org_view["data"][0]["message"], message);
    assert!(org_view["data"][0].get("contact_email").is_none());
    let volunteer = d.app.volunteer();
    d.app.get("/api/v1/activity-reports").by(&d.rep).send().await.problem(403, "forbidden");
    d.app.get(&org_path).by(&d.other_rep).send().await.problem(403, "forbidden");
    d.app.get(&org_path).by(&volunteer).send().await.problem(403, "forbidden");
    d.app.get(&org_path).send().await.problem(401, "unauthorized");
    d.app.get("/api/v1/activity-reports?status=lost").by(&d.staff).send().await.problem(400, "bad-request");

    // Resolved once, by the organisation's people or staff; others learn nothing.
    let resolve = format!("/api/v1/activity-reports/{report_id}/resolve");
    let note = json!({"note": "Adressen er rettet."});
    d.app.post(&resolve).by(&d.other_rep).json(&note).send().await.problem(404, "not-found");
    d.app.post(&resolve).by(&volunteer).json(&note).send().await.problem(404, "not-found");
    d.app.post(&resolve).json(&note).send().await.problem(401, "unauthorized");
    let resolved = d.app.post(&resolve).by(&d.rep).json(&note).send().await.ok(200);
    assert_eq!(resolved["status"], "resolved");
    assert_eq!(resolved["resolution_note"], "Adressen er rettet.");
    assert!(resolved["resolved_at"].is_string());
    d.app.post(&resolve).by(&d.staff).json(&note).send().await.problem(409, "conflict");
    assert!(
        d.app.get("/api/v1/activity-reports?status=open").by(&d.staff).send().await.ok(200)["data"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Ten reports an hour from one address; the eleventh waits and is not stored.
    for _ in 0..9 {
        d.app.post(&report_path).json(&json!({"message": message})).send().await.ok(201);
    }
    let res = d.app.post(&report_path).json(&json!({"message": message})).send().await;
    assert!(res.header("retry-after").is_some_and(|s| s.parse::<u64>().unwrap() > 0));
    res.problem(429, "rate-limited");
    let stored = d.app.get(&format!("/api/v1/activity-reports?activity={id}&limit=100")).by(&d.staff).send().await;
    assert_eq!(stored.ok(200)["data"].as_array().unwrap().len(), 10);
}
