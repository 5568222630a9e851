//! The directory's taxonomy and organisations: public reads, staff creation, updates by the
//! organisation's own representatives and integration clients, and nobody else.

use std::collections::HashSet;

use sammen_domain::identity::Scope;
use serde_json::{Value, json};

use crate::common::TestApp;

#[actix_web::test]
async fn the_taxonomy_is_public_data_with_danish_and_english_labels() {
    let app = TestApp::start().await;
    let res = app.get("/api/v1/taxonomy").send().await;
    let body = res.ok(200);
    assert_eq!(res.header("cache-control"), Some("public, max-age=300"));
    let codes = |list: &str| -> Vec<String> {
        body[list].as_array().unwrap().iter().map(|t| t["code"].as_str().unwrap().to_owned()).collect()
    };
    assert!(codes("target_groups").contains(&"dementia".to_owned()));
    assert!(codes("target_groups").contains(&"newly_widowed".to_owned()));
    assert!(codes("accessibility").contains(&"hearing_loop".to_owned()));
    assert!(codes("first_visit_support").contains(&"try_without_sign_up".to_owned()));
    assert!(codes("activity_types").contains(&"singing_music".to_owned()));
    assert!(codes("volunteer_roles").contains(&"bike_pilot".to_owned()));
    let dementia = body["target_groups"].as_array().unwrap().iter().find(|t| t["code"] == "dementia").unwrap();
    assert_eq!(dementia["label"], json!({"da": "Demens", "en": "Dementia"}));
    assert_eq!(body["districts"], json!([]), "municipality data starts empty");

    // Districts and housing areas are data too.
    app.norrebro();
    let body = app.get("/api/v1/taxonomy").send().await.ok(200);
    assert_eq!(body["districts"], json!([{"code": "norrebro", "name": "Nørrebro", "lat": 55.694, "lon": 12.549}]));
    assert_eq!(body["housing_areas"][0]["district_code"], "norrebro");
}

fn new_org(name: &str) -> Value {
    json!({"name": name, "kind": "association", "description": "Sang hver tirsdag", "website": "https://sang.example.dk",
           "contact_email": "Kontakt@Sang.example.dk", "contact_phone": "+45 33 66 33 66", "cvr": "DK 64942212"})
}

#[actix_web::test]
async fn staff_create_organisations_and_nobody_else_does() {
    let app = TestApp::start().await;
    let staff = app.staff();
    let admin = app.admin();
    let volunteer = app.volunteer();
    let rep = app.representative_of("x");

    let res = app.post("/api/v1/organisations").by(&staff).json(&new_org("Nørrebro Sangkor")).send().await;
    let org = res.ok(201);
    assert_eq!(res.header("location").unwrap(), format!("/api/v1/organisations/{}", org["id"].as_str().unwrap()));
    assert_eq!(res.header("etag"), Some("\"1\""));
    assert_eq!(org["cvr"], "64942212", "normalised");
    assert_eq!(org["contact"], json!({"email": "kontakt@sang.example.dk", "phone": "+45 33 66 33 66"}));
    app.post("/api/v1/organisations").by(&admin).json(&new_org("Valby Café")).send().await.ok(201);

    for who in [&volunteer, &rep] {
        app.post("/api/v1/organisations").by(who).json(&new_org("Nope")).send().await.problem(403, "forbidden");
    }
    app.post("/api/v1/organisations").json(&new_org("Nope")).send().await.problem(401, "unauthorized");

    // Every bad field at once; nothing stored.
    let p = app
        .post("/api/v1/organisations")
        .by(&staff)
        .json(&json!({"name": "X", "kind": "informal_group", "website": "javascript:alert(1)", "contact_email": "nope", "contact_phone": "12", "cvr": "64942213"}))
        .send()
        .await
        .problem(422, "validation");
    let fields: HashSet<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, HashSet::from(["name", "website", "contact_email", "contact_phone", "cvr"]), "{p}");
    app.post("/api/v1/organisations")
        .by(&staff)
        .json(&json!({"name": "Gruppe", "kind": "company"}))
        .send()
        .await
        .problem(400, "bad-request");
    app.post("/api/v1/organisations")
        .by(&staff)
        .json(&json!({"name": "Gruppe", "kind": "ngo", "verified": true}))
        .send()
        .await
        .problem(400, "bad-request");
    let p = app
        .post("/api/v1/organisations")
        .by(&staff)
        .json(&json!({"name": "Gren", "kind": "ngo_branch", "parent_id": "0193a8a4-0c7e-7bd2-9d5e-4e1f2a3b4c5d"}))
        .send()
        .await
        .problem(422, "validation");
    assert_eq!(p["errors"][0]["field"], "parent_id");
    let list = app.get("/api/v1/organisations").send().await.ok(200);
    assert_eq!(list["data"].as_array().unwrap().len(), 2);
}

#[actix_web::test]
async fn contact_details_are_public_only_when_the_organisation_says_so() {
    let app = TestApp::start().await;
    let staff = app.staff();
    let org = app.post("/api/v1/organisations").by(&staff).json(&new_org("Sangkoret")).send().await.ok(201);
    let id = org["id"].as_str().unwrap();
    let rep = app.representative_of(id);
    let other_rep = app.representative_of("other");
    let path = format!("/api/v1/organisations/{id}");

    assert!(app.get(&path).send().await.ok(200)["contact"].is_null());
    assert!(app.get(&path).by(&other_rep).send().await.ok(200)["contact"].is_null());
    assert!(app.get("/api/v1/organisations").send().await.ok(200)["data"][0]["contact"].is_null());
    assert!(app.get(&path).by(&staff).send().await.ok(200)["contact"].is_object());
    assert!(app.get(&path).by(&rep).send().await.ok(200)["contact"].is_object());

    app.patch(&path).by(&rep).header("if-match", "\"1\"").json(&json!({"contact_public": true})).send().await.ok(200);
    assert_eq!(app.get(&path).send().await.ok(200)["contact"]["email"], "kontakt@sang.example.dk");
    app.get("/api/v1/organisations/not-a-uuid").send().await.problem(400, "bad-request");
    app.get("/api/v1/organisations/0193a8a4-0c7e-7bd2-9d5e-4e1f2a3b4c5d").send().await.problem(404, "not-found");
}

#[actix_web::test]
async fn organisations_are_updated_by_their_own_people_and_staff_only() {
    let app = TestApp::start().await;
    let staff = app.staff();
    let admin = app.admin();
    let volunteer = app.volunteer();
    let mine = app.post("/api/v1/organisations").by(&staff).json(&new_org("Min forening")).send().await.ok(201);
    let theirs = app.post("/api/v1/organisations").by(&staff).json(&new_org("Deres forening")).send().await.ok(201);
    let (mine, theirs) = (mine["id"].as_str().unwrap().to_owned(), theirs["id"].as_str().unwrap().to_owned());
    let rep = app.representative_of(&mine);
    let path = format!("/api/v1/organisations/{mine}");
    let change = |name: &str| json!({"name": name});

    let updated = app
        .patch(&path)
        .by(&rep)
        .header("if-match", "\"1\"")
        .json(&change("Min forening af 1920"))
        .send()
        .await
        .ok(200);
    assert_eq!((updated["name"].as_str(), updated["version"].as_i64()), (Some("Min forening af 1920"), Some(2)));
    app.patch(&path).by(&rep).json(&change("X y")).send().await.problem(428, "precondition-required");
    app.patch(&path)
        .by(&rep)
        .header("if-match", "\"1\"")
        .json(&change("X y"))
        .send()
        .await
        .problem(412, "precondition-failed");
    // Another organisation's listing, a volunteer, no token.
    app.patch(&format!("/api/v1/organisations/{theirs}"))
        .by(&rep)
        .header("if-match", "*")
        .json(&change("Overtaget"))
        .send()
        .await
        .problem(403, "forbidden");
    app.patch(&path)
        .by(&volunteer)
        .header("if-match", "*")
        .json(&change("Overtaget"))
        .send()
        .await
        .problem(403, "forbidden");
    app.patch(&path).header("if-match", "*").json(&change("Overtaget")).send().await.problem(401, "unauthorized");
    // Only staff decide the structure.
    let make_branch = json!({"parent_id": theirs, "kind": "ngo_branch"});
    app.patch(&path).by(&rep).header("if-match", "*").json(&make_branch).send().await.problem(403, "forbidden");
    let branch = app.patch(&path).by(&staff).header("if-match", "*").json(&make_branch).send().await.ok(200);
    assert_eq!(branch["parent_id"], theirs.as_str());
    // No cycles: the parent cannot become a branch of its branch.
    let p = app
        .patch(&format!("/api/v1/organisations/{theirs}"))
        .by(&admin)
        .header("if-match", "*")
        .json(&json!({"parent_id": mine}))
        .send()
        .await
        .problem(409, "conflict");
    assert!(p["detail"].as_str().unwrap().contains("branch"));
    // An informal group has no CVR; clearing it first makes the change valid.
    app.patch(&path)
        .by(&staff)
        .header("if-match", "*")
        .json(&json!({"kind": "informal_group"}))
        .send()
        .await
        .problem(422, "validation");
    let informal = app
        .patch(&path)
        .by(&staff)
        .header("if-match", "*")
        .json(&json!({"kind": "informal_group", "cvr": null}))
        .send()
        .await
        .ok(200);
    assert!(informal["cvr"].is_null());
    assert_eq!(
        app.get(&format!("/api/v1/organisations?parent_id={theirs}")).send().await.ok(200)["data"][0]["id"],
        mine.as_str()
    );

    let events = app.with_db(|c| {
        let filter = sammen_store::audit::AuditFilter { target_id: Some(mine.clone()), ..Default::default() };
        sammen_store::audit::list(c, &filter, None, 100).unwrap()
    });
    assert_eq!(events.iter().filter(|e| e.action == "organisation.updated").count(), 3);
    assert_eq!(events.iter().filter(|e| e.action == "organisation.created").count(), 1);
}

#[actix_web::test]
async fn an_integration_client_updates_only_its_own_organisation_and_only_with_the_write_scope() {
    let app = TestApp::start().await;
    let admin = app.admin();
    let org = app.post("/api/v1/organisations").by(&admin).json(&new_org("Frivilligcenter")).send().await.ok(201);
    let id = org["id"].as_str().unwrap();
    let writer = app.client_of(id, &[Scope::DirectoryWrite]);
    let reader = app.client_of(id, &[Scope::DirectoryRead]);
    let elsewhere = app.client_of("0193a8a4-0c7e-7bd2-9d5e-4e1f2a3b4c5d", &[Scope::DirectoryWrite]);
    let path = format!("/api/v1/organisations/{id}");
    let change = json!({"description": "Synkroniseret fra frivilligcentrets platform"});
    app.patch(&path).by(&writer).header("if-match", "*").json(&change).send().await.ok(200);
    for who in [&reader, &elsewhere] {
        app.patch(&path).by(who).header("if-match", "*").json(&change).send().await.problem(403, "forbidden");
    }
    app.post("/api/v1/organisations").by(&writer).json(&new_org("Ny")).send().await.problem(403, "forbidden");
}

#[actix_web::test]
async fn the_organisation_list_filters_and_pages_in_name_order() {
    let app = TestApp::start().await;
    let staff = app.staff();
    let kinds = ["association", "ngo", "volunteer_centre"];
    for i in 0..15 {
        let body = json!({"name": format!("Forening {:02}", 14 - i), "kind": kinds[i % 3]});
        app.post("/api/v1/organisations").by(&staff).json(&body).send().await.ok(201);
    }
    let mut names = Vec::new();
    let mut path = "/api/v1/organisations?limit=4&kind=association&kind=ngo".to_owned();
    loop {
        let res = app.get(&path).send().await;
        let body = res.ok(200);
        for o in body["data"].as_array().unwrap() {
            assert!(["association", "ngo"].contains(&o["kind"].as_str().unwrap()));
            names.push(o["name"].as_str().unwrap().to_owned());
        }
        match res.header("link") {
            Some(link) => path = link.trim_start_matches('<').split('>').next().unwrap().to_owned(),
            None => break,
        }
    }
    assert_eq!(names.len(), 10, "{names:?}");
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert_eq!(names.iter().collect::<HashSet<_>>().len(), 10);
    app.get("/api/v1/organisations?kind=company").send().await.problem(400, "bad-request");
    app.get("/api/v1/organisations?parent_id=x").send().await.problem(400, "bad-request");
}

#[actix_web::test]
async fn staff_add_terms_districts_and_housing_areas_without_a_release() {
    let app = TestApp::start().await;
    let admin = app.admin();
    let staff = app.staff();
    let volunteer = app.volunteer();
    let rep = app.representative_of("org");

    let term = json!({"label_da": "Petanque", "label_en": "Pétanque", "sort_order": 5});
    let path = "/api/v1/taxonomy/terms/activity_type/petanque";
    let added = app.put(path).by(&staff).json(&term).send().await.ok(201);
    assert_eq!(added, json!({"code": "petanque", "label": {"da": "Petanque", "en": "Pétanque"}}));
    let changed =
        app.put(path).by(&staff).json(&json!({"label_da": "Petanque (boule)", "label_en": "Boules"})).send().await;
    assert_eq!(changed.ok(200)["label"]["da"], "Petanque (boule)");

    let district = json!({"name": "Amager Øst", "lat": 55.66, "lon": 12.61});
    assert_eq!(
        app.put("/api/v1/taxonomy/districts/amager_ost").by(&staff).json(&district).send().await.ok(201)["name"],
        "Amager Øst"
    );
    app.put("/api/v1/taxonomy/districts/amager_ost").by(&staff).json(&district).send().await.ok(200);
    let area = json!({"name": "Lindevangen", "district_code": "amager_ost", "lat": 55.661, "lon": 12.612});
    let area_path = "/api/v1/taxonomy/housing-areas/lindevangen";
    assert_eq!(app.put(area_path).by(&staff).json(&area).send().await.ok(201)["district_code"], "amager_ost");

    // In the taxonomy at once, and usable by listings and filters.
    let taxonomy = app.get("/api/v1/taxonomy").send().await.ok(200);
    let petanque = taxonomy["activity_types"].as_array().unwrap().iter().find(|t| t["code"] == "petanque").unwrap();
    assert_eq!(petanque["label"]["en"], "Boules");
    assert_eq!(taxonomy["districts"][0]["code"], "amager_ost");
    assert_eq!(taxonomy["housing_areas"][0]["code"], "lindevangen");
    app.get("/api/v1/activities?activity_type=petanque&housing_area=lindevangen").send().await.ok(200);
    let events = app.get("/api/v1/audit-events?action=taxonomy.term_put").by(&admin).send().await.ok(200);
    assert_eq!(events["data"].as_array().unwrap().len(), 2);

    // Bad input says what is wrong; nothing changes.
    app.put("/api/v1/taxonomy/terms/colour/red").by(&staff).json(&term).send().await.problem(404, "not-found");
    let p = app
        .put("/api/v1/taxonomy/terms/target_group/%C3%86ldre")
        .by(&staff)
        .json(&json!({"label_da": " ", "label_en": "Elderly"}))
        .send()
        .await
        .problem(422, "validation");
    let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["code", "label_da"]);
    app.put(path)
        .by(&staff)
        .json(&json!({"label_da": "x", "label_en": "y", "colour": 1}))
        .send()
        .await
        .problem(400, "bad-request");
    let p = app
        .put("/api/v1/taxonomy/housing-areas/nowhere")
        .by(&staff)
        .json(&json!({"name": "Intetsteds", "district_code": "atlantis", "lat": 55.6, "lon": 12.6}))
        .send()
        .await
        .problem(422, "validation");
    assert_eq!(p["errors"][0]["field"], "district_code", "{p}");
    let p = app
        .put("/api/v1/taxonomy/housing-areas/nowhere")
        .by(&staff)
        .json(&json!({"name": "Intetsteds", "lat": 95.0, "lon": 12.6}))
        .send()
        .await
        .problem(422, "validation");
    let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["lat", "district_code"]);
    app.put("/api/v1/taxonomy/districts/x")
        .by(&staff)
        .json(&json!({"name": "X", "lat": 1, "lon": 1, "district_code": "amager_ost"}))
        .send()
        .await
        .problem(422, "validation");
    let taxonomy_after = app.get("/api/v1/taxonomy").send().await.ok(200);
    assert_eq!(taxonomy_after, taxonomy);

    // Staff and admins only.
    for who in [&rep, &volunteer] {
        app.put(path).by(who).json(&term).send().await.problem(403, "forbidden");
        app.put("/api/v1/taxonomy/districts/amager_ost").by(who).json(&district).send().await.problem(403, "forbidden");
        app.put(area_path).by(who).json(&area).send().await.problem(403, "forbidden");
    }
    app.put(path).json(&term).send().await.problem(401, "unauthorized");
    app.put(path).by(&admin).json(&term).send().await.ok(200);
}
