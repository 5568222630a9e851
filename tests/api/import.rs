//! CSV import of activities: the example file, re-imports, dry runs, every bad row with its line
//! and column, all-or-nothing commits (also when the database fails part-way), Danish Excel
//! files, limits, and who may import.

use diesel::connection::SimpleConnection;
use sammen_domain::identity::Scope;
use serde_json::{Value, json};

use crate::common::{Actor, Reply, TestApp};

/// The file the documentation shows (docs/csv-import.md).
const EXAMPLE: &str = include_str!("../../docs/examples/activities-import.csv");

const HEADER: &str = "external_id,name,summary,languages,mode,target_groups,cost_kr,address,postcode,district,lat,lon,\
                      frequency,weekdays,starts_on,start_time,duration_minutes";

fn row(id: &str, name: &str) -> String {
    format!(
        "{id},{name},Vi synger sammen hver tirsdag. Alle kan være med.,da,in_person,dementia|newly_widowed,\"25,50\",\
         Nørrebrogade 1,2200,norrebro,55.69,12.55,weekly,tuesday,2026-01-06,10:00,90"
    )
}

fn file(rows: &[String]) -> String {
    std::iter::once(HEADER.to_owned()).chain(rows.iter().cloned()).collect::<Vec<_>>().join("\n")
}

struct Centre {
    app: TestApp,
    staff: Actor,
    org: String,
    rep: Actor,
}

async fn centre() -> Centre {
    let app = TestApp::start().await;
    app.norrebro();
    let staff = app.staff();
    let org = app.organisation("Frivilligcenter Nørrebro");
    let rep = app.representative_of(&org);
    Centre { app, staff, org, rep }
}

impl Centre {
    async fn import(&self, who: &Actor, query: &str, csv: impl Into<Vec<u8>>) -> Reply {
        self.app
            .post(&format!("/api/v1/organisations/{}/activities/import{query}", self.org))
            .by(who)
            .raw("text/csv; charset=utf-8", csv)
            .send()
            .await
    }

    async fn activity(&self, id: &str) -> Value {
        self.app.get(&format!("/api/v1/activities/{id}")).by(&self.rep).send().await.ok(200)
    }

    /// The organisation's listings with these external ids, straight from the database.
    fn stored(&self, ids: &[&str]) -> Vec<sammen_store::directory::Activity> {
        let org = self.org.clone().into();
        self.app.with_db(|c| sammen_store::directory::find_by_external_ids(c, &org, ids)).unwrap()
    }

    fn events(&self, action: &str) -> Vec<sammen_store::audit::AuditEvent> {
        let filter = sammen_store::audit::AuditFilter { action: Some(action.into()), ..Default::default() };
        self.app.with_db(|c| sammen_store::audit::list(c, &filter, None, 1000).unwrap())
    }
}

/// `external_id` → `id` of an import's report.
fn ids(report: &Value) -> Vec<(String, String)> {
    report["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["external_id"].as_str().unwrap().to_owned(), a["id"].as_str().unwrap_or_default().to_owned()))
        .collect()
}

fn outcomes(report: &Value) -> Vec<String> {
    report["activities"].as_array().unwrap().iter().map(|a| a["outcome"].as_str().unwrap().to_owned()).collect()
}

#[actix_web::test]
async fn the_example_file_imports_as_drafts_and_a_reimport_updates_instead_of_duplicating() {
    let c = centre().await;
    let report = c.import(&c.rep, "", EXAMPLE).await.ok(200);
    assert_eq!(
        (&report["dry_run"], &report["rows"], &report["created"], &report["updated"], &report["unchanged"]),
        (&json!(false), &json!(4), &json!(4), &json!(0), &json!(0))
    );
    let first = ids(&report);
    assert_eq!(first.iter().map(|(e, _)| e.as_str()).collect::<Vec<_>>(), ["sang-1", "sorg-2", "tlf-3", "tur-4"]);
    assert_eq!(report["activities"][1]["line"], 4, "a quoted line break in row 1 keeps the physical line numbers");
    assert!(report["activities"].as_array().unwrap().iter().all(|a| a["status"] == "draft" && a["submitted"] == false));

    // Drafts, for the organisation only, with every column in its field.
    let sang = c.activity(&first[0].1).await;
    assert_eq!((sang["status"].as_str(), sang["external_id"].as_str()), (Some("draft"), Some("sang-1")));
    let listing = &sang["listing"];
    assert_eq!(listing["name"], "Søndagssang");
    assert_eq!(listing["description"], "Kaffe og kage bagefter.\nIngen forudsætninger.");
    assert_eq!(listing["target_groups"], json!(["dementia", "newly_widowed"]));
    assert_eq!(listing["housing_areas"], json!(["mjolnerparken"]));
    assert_eq!(
        listing["location"],
        json!({"address": "Nørrebrogade 208", "postcode": "2200", "district": "norrebro", "lat": 55.7, "lon": 12.54})
    );
    assert_eq!(
        listing["schedule"],
        json!({
            "recurrence": {"frequency": "weekly", "interval": 1, "weekdays": ["sunday"], "starts_on": "2026-03-01", "ends_on": null},
            "start_time": "10:00:00", "duration_minutes": 90, "cancelled": ["2026-04-12"],
            "pauses": [{"from": "2026-07-01", "to": "2026-08-09"}], "skip_holidays": true
        })
    );
    let sorg = c.activity(&first[1].1).await;
    assert_eq!(sorg["listing"]["cost_ore"], 2550);
    assert_eq!(sorg["listing"]["registration_how"], "Ring til Lise på 12 34 56 78");
    assert_eq!(sorg["listing"]["schedule"]["recurrence"]["nth"], 2);
    let phone = c.activity(&first[2].1).await;
    assert_eq!((&phone["listing"]["mode"], &phone["listing"]["location"]), (&json!("phone"), &Value::Null));
    let trip = c.activity(&first[3].1).await;
    assert_eq!(
        trip["listing"]["schedule"]["recurrence"],
        json!({"frequency": "once", "dates": ["2026-05-06", "2026-05-20"]})
    );
    c.app.get(&format!("/api/v1/activities/{}", first[0].1)).send().await.problem(404, "not-found");

    // The same file again: nothing to do, nothing written.
    let again = c.import(&c.rep, "", EXAMPLE).await.ok(200);
    assert_eq!((&again["created"], &again["unchanged"]), (&json!(0), &json!(4)));
    assert_eq!(ids(&again), first);
    assert_eq!(c.activity(&first[0].1).await["version"], 1);

    // A changed row updates its listing; the rest stay as they are.
    let changed = EXAMPLE.replace("Søndagssang,", "Søndagssang i kirken,");
    let report = c.import(&c.rep, "", changed).await.ok(200);
    assert_eq!(outcomes(&report), ["updated", "unchanged", "unchanged", "unchanged"]);
    assert_eq!(ids(&report), first);
    let sang = c.activity(&first[0].1).await;
    assert_eq!((&sang["listing"]["name"], &sang["version"]), (&json!("Søndagssang i kirken"), &json!(2)));
    assert_eq!(c.stored(&["sang-1", "sorg-2", "tlf-3", "tur-4"]).len(), 4);
    assert_eq!(c.events("activity.created").len(), 4);
    assert_eq!(c.events("activity.updated").len(), 1);
    let imported = c.events("activity.imported");
    assert_eq!(imported.len(), 3);
    assert_eq!(imported.iter().filter(|e| e.target_id == c.org).count(), 3);

    // The file's external ids are the integration upsert's: the API updates the same listing.
    let upsert = c
        .app
        .put(&format!("/api/v1/organisations/{}/activities/external/tlf-3", c.org))
        .by(&c.rep)
        .json(&phone["listing"])
        .send()
        .await
        .ok(200);
    assert_eq!(upsert["id"], first[2].1.as_str());
}

#[actix_web::test]
async fn a_dry_run_reports_what_would_happen_and_writes_nothing() {
    let c = centre().await;
    let plan = c.import(&c.rep, "?dry_run=true&submit=true", EXAMPLE).await.ok(200);
    assert_eq!((&plan["dry_run"], &plan["created"], &plan["submitted"]), (&json!(true), &json!(4), &json!(4)));
    assert!(plan["activities"].as_array().unwrap().iter().all(|a| a["id"].is_null() && a["status"] == "submitted"));
    assert!(c.stored(&["sang-1", "sorg-2", "tlf-3", "tur-4"]).is_empty());
    assert!(c.events("activity.created").is_empty() && c.events("activity.imported").is_empty());

    let first = ids(&c.import(&c.rep, "", EXAMPLE).await.ok(200));
    let changed = EXAMPLE.replace("Telefonven,", "Telefonvenner,");
    let plan = c.import(&c.rep, "?dry_run=true", changed.clone()).await.ok(200);
    assert_eq!(outcomes(&plan), ["unchanged", "unchanged", "updated", "unchanged"]);
    assert_eq!(ids(&plan), first, "a dry run names the listings that exist");
    assert_eq!(c.activity(&first[2].1).await["listing"]["name"], "Telefonven");
    assert_eq!(c.events("activity.updated").len(), 0);

    // A dry run of a bad file: the same problems, and it says nothing would be imported.
    let p = c.import(&c.rep, "?dry_run=true", changed.replace("sunday", "sundae")).await.problem(422, "validation");
    assert_eq!(
        p["errors"],
        json!([{"line": 2, "field": "weekdays", "code": "invalid",
        "message": "`sundae` is not a weekday: write monday to sunday (or mandag to søndag)"}])
    );
    assert!(p["detail"].as_str().unwrap().ends_with("nothing would be imported"), "{p}");
}

#[actix_web::test]
async fn every_bad_row_is_reported_with_its_line_column_and_message_and_nothing_is_imported() {
    let c = centre().await;
    let input = file(&[
        row("ok-1", "Fællessang"),
        row("bad-2", "Fællessang").replace(",tuesday,", ",tusday,"),
        row("bad-3", "Fællessang").replace("dementia|newly_widowed", "dementia|aliens"),
        row("bad-4", ""),
        row("bad-5", "Fællessang").replace("2026-01-06", "2026-13-01"),
        row("bad-6", "Fællessang").replace("55.69", "95.69"),
        row("ok-1", "Igen"),
        row("bad-8", "Fællessang").replace("\"25,50\"", "25 kr"),
        row("ok-9", "Sangkoret"),
    ]);
    let p = c.import(&c.rep, "", input).await.problem(422, "validation");
    assert_eq!(p["detail"], "the file has 8 problems on 8 lines; nothing was imported");
    assert_eq!(
        p["errors"],
        json!([
            {"line": 2, "field": "external_id", "code": "duplicate", "message": "`ok-1` is used again on line 8; each activity needs its own"},
            {"line": 3, "field": "weekdays", "code": "invalid", "message": "`tusday` is not a weekday: write monday to sunday (or mandag to søndag)"},
            {"line": 4, "field": "target_groups", "code": "unknown", "message": "value 2: `aliens` is not in the taxonomy (GET /api/v1/taxonomy)"},
            {"line": 5, "field": "name", "code": "required", "message": "is required"},
            {"line": 6, "field": "starts_on", "code": "invalid", "message": "`2026-13-01` is not a date such as 2026-03-01 (or 01-03-2026)"},
            {"line": 7, "field": "lat", "code": "invalid", "message": "must be a latitude in Denmark (WGS84)"},
            {"line": 8, "field": "external_id", "code": "duplicate", "message": "`ok-1` is already used on line 2"},
            {"line": 9, "field": "cost_kr", "code": "invalid", "message": "`25 kr` is not an amount of kroner such as 25 or 25,50"},
        ])
    );
    // Not even the good rows.
    assert!(c.stored(&["ok-1", "ok-9"]).is_empty());
    assert!(c.events("activity.created").is_empty());

    // The header is checked first: unknown and missing columns by name.
    let p = c.import(&c.rep, "", "external_id,name,farve\nk-1,Sang,blå").await.problem(422, "validation");
    let fields: Vec<(&str, &str)> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [
            ("farve", "unknown_column"),
            ("summary", "missing_column"),
            ("languages", "missing_column"),
            ("mode", "missing_column"),
            ("frequency", "missing_column"),
            ("start_time", "missing_column"),
            ("duration_minutes", "missing_column"),
        ]
    );
    assert!(p["errors"].as_array().unwrap().iter().all(|e| e["line"] == 1));

    // Malformed lines: the line and what is wrong with it.
    let malformed = file(&[row("ok-1", "Fællessang"), row("k-2", "\"Sang, uden slut")]);
    let p = c.import(&c.rep, "", malformed).await.problem(422, "validation");
    assert_eq!((&p["errors"][0]["line"], &p["errors"][0]["code"]), (&json!(3), &json!("column_count")));
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("quote"), "{p}");
}

#[actix_web::test]
async fn a_danish_excel_file_with_semicolons_and_a_byte_order_mark_imports() {
    let c = centre().await;
    let input = "\u{feff}external_id;name;summary;languages;mode;cost_kr;address;postcode;lat;lon;frequency;weekdays;\
                 starts_on;start_time;duration_minutes;skip_holidays\r\n\
                 cafe-1;Mandagscafé;\"Kaffe, kage og en god snak; alle er velkomne.\";da;in_person;12,50;Blågårdsgade 2;\
                 2200;55,6877;12,5553;weekly;mandag|Torsdag;05-01-2026;14.00;120;ja\r\n\
                 ;;;;;;;;;;;;;;;\r\n";
    let report = c.import(&c.rep, "", input).await.ok(200);
    assert_eq!(report["created"], 1);
    let cafe = c.activity(report["activities"][0]["id"].as_str().unwrap()).await;
    let listing = &cafe["listing"];
    assert_eq!(listing["summary"], "Kaffe, kage og en god snak; alle er velkomne.");
    assert_eq!(listing["cost_ore"], 1250);
    assert_eq!((&listing["location"]["lat"], &listing["location"]["lon"]), (&json!(55.6877), &json!(12.5553)));
    assert_eq!(
        listing["schedule"]["recurrence"],
        json!({"frequency": "weekly", "interval": 1, "weekdays": ["monday", "thursday"], "starts_on": "2026-01-05", "ends_on": null})
    );
    assert_eq!(
        (&listing["schedule"]["start_time"], &listing["schedule"]["skip_holidays"]),
        (&json!("14:00:00"), &json!(true))
    );
}

#[actix_web::test]
async fn the_body_must_be_csv_within_the_limits() {
    let c = centre().await;
    let path = format!("/api/v1/organisations/{}/activities/import", c.org);
    let send = |content_type: &'static str, body: Vec<u8>| c.app.post(&path).by(&c.rep).raw(content_type, body).send();
    let p = send("application/json", b"{}".to_vec()).await.problem(415, "unsupported-media-type");
    assert!(p["detail"].as_str().unwrap().contains("text/csv"), "{p}");
    send("text/csv; charset=windows-1252", EXAMPLE.into()).await.problem(415, "unsupported-media-type");
    c.app.post(&path).by(&c.rep).send().await.problem(415, "unsupported-media-type");
    // Windows-1252, as Excel's plain "CSV" writes it: the line of the first bad byte.
    let mut latin1 = file(&[row("k-1", "Fællessang")]).into_bytes();
    latin1.extend_from_slice(b"\nk-2,Caf\xe9");
    let p = send("text/csv", latin1).await.problem(422, "validation");
    assert_eq!((&p["errors"][0]["line"], &p["errors"][0]["code"]), (&json!(3), &json!("encoding")));

    // More than 5 MiB, or more than 5000 activities: 413.
    let big = file(&[row("k-1", "Fællessang").replace("Vi synger", &"x".repeat(5 * 1024 * 1024))]);
    let p = send("text/csv", big.into_bytes()).await.problem(413, "payload-too-large");
    assert!(p["detail"].as_str().unwrap().contains("5 MiB"), "{p}");
    let many: Vec<String> = (0..5001).map(|i| row(&format!("k-{i}"), "Fællessang")).collect();
    let p = send("text/csv", file(&many).into_bytes()).await.problem(413, "payload-too-large");
    assert!(p["detail"].as_str().unwrap().contains("5000"), "{p}");
    assert!(c.stored(&["k-1"]).is_empty());

    // A misspelt flag is refused rather than ignored (it would have turned a check into an import).
    c.import(&c.rep, "?dryrun=true", EXAMPLE).await.problem(400, "bad-request");
    c.import(&c.rep, "?dry_run=maybe", EXAMPLE).await.problem(400, "bad-request");
    assert!(c.stored(&["sang-1"]).is_empty());
    // Plain `text/csv` without a charset is UTF-8.
    assert_eq!(send("text/csv", EXAMPLE.into()).await.ok(200)["created"], 4);
}

#[actix_web::test]
async fn who_may_import() {
    let c = centre().await;
    let other_rep = c.app.representative_of("another-org");
    let volunteer = c.app.volunteer();
    let sync = c.app.client_of(&c.org, &[Scope::DirectoryWrite]);
    let reader = c.app.client_of(&c.org, &[Scope::DirectoryRead]);

    let path = format!("/api/v1/organisations/{}/activities/import", c.org);
    c.app.post(&path).raw("text/csv", EXAMPLE).send().await.problem(401, "unauthorized");
    for who in [&other_rep, &volunteer, &reader] {
        c.import(who, "", EXAMPLE).await.problem(403, "forbidden");
    }
    assert!(c.stored(&["sang-1"]).is_empty());
    let report = c.import(&sync, "", EXAMPLE).await.ok(200);
    assert_eq!(report["created"], 4);
    assert_eq!(c.import(&c.staff, "?dry_run=true", EXAMPLE).await.ok(200)["unchanged"], 4);
    let unknown = "/api/v1/organisations/0193a8a4-0c7e-7bd2-9d5e-4e1f2a3b4c5d/activities/import";
    let p = c.app.post(unknown).by(&c.staff).raw("text/csv", EXAMPLE).send().await.problem(404, "not-found");
    assert_eq!(p["detail"], "no such organisation");
}

#[actix_web::test]
async fn submit_sends_drafts_to_moderation_and_published_listings_change_through_staff() {
    let c = centre().await;
    let report = c.import(&c.rep, "?submit=true", EXAMPLE).await.ok(200);
    assert_eq!(report["submitted"], 4);
    assert!(
        report["activities"].as_array().unwrap().iter().all(|a| a["status"] == "submitted" && a["submitted"] == true)
    );
    let queue = c.app.get("/api/v1/moderation/activities").by(&c.staff).send().await.ok(200);
    assert_eq!(queue["data"].as_array().unwrap().len(), 4);

    // Staff publish one; the organisation's next import of it waits for staff.
    let sang = ids(&report)[0].1.clone();
    c.app
        .post(&format!("/api/v1/activities/{sang}/transitions"))
        .by(&c.staff)
        .header("if-match", "*")
        .json(&json!({"action": "approve"}))
        .send()
        .await
        .ok(200);
    let changed = EXAMPLE.replace("Søndagssang,", "Søndagssang i kirken,");
    let report = c.import(&c.rep, "?submit=true", changed.clone()).await.ok(200);
    assert_eq!(outcomes(&report), ["change_proposed", "unchanged", "unchanged", "unchanged"]);
    assert_eq!((&report["change_proposed"], &report["submitted"]), (&json!(1), &json!(0)));
    let public = c.app.get(&format!("/api/v1/activities/{sang}")).send().await.ok(200);
    assert_eq!(public["listing"]["name"], "Søndagssang");
    assert_eq!(c.activity(&sang).await["pending_change"]["name"], "Søndagssang i kirken");
    // The waiting change is what the file says now: importing it again changes nothing.
    assert_eq!(outcomes(&c.import(&c.rep, "", changed.clone()).await.ok(200))[0], "unchanged");

    // Staff's own import applies at once.
    let report = c.import(&c.staff, "", changed).await.ok(200);
    assert_eq!(outcomes(&report)[0], "updated");
    assert_eq!(
        c.app.get(&format!("/api/v1/activities/{sang}")).send().await.ok(200)["listing"]["name"],
        "Søndagssang i kirken"
    );
}

#[actix_web::test]
async fn a_database_failure_part_way_rolls_back_every_row() {
    let c = centre().await;
    let existing = ids(&c.import(&c.rep, "", file(&[row("keep-1", "Fællessang")])).await.ok(200))[0].1.clone();
    // A real constraint violation on the third row's insert: a trigger writes a language code of
    // three letters, which the schema refuses.
    let trigger = if c.app.db.is_postgres() {
        "CREATE FUNCTION import_boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
             IF NEW.name = 'Boom' THEN INSERT INTO activity_languages (activity_id, language) VALUES (NEW.id, 'xxx'); END IF;
             RETURN NEW;
         END $$;
         CREATE TRIGGER import_boom AFTER INSERT ON activities FOR EACH ROW EXECUTE FUNCTION import_boom();"
    } else {
        "CREATE TRIGGER import_boom AFTER INSERT ON activities WHEN NEW.name = 'Boom' BEGIN
             INSERT INTO activity_languages (activity_id, language) VALUES (NEW.id, 'xxx');
         END;"
    };
    c.app.with_db(|conn| conn.batch_execute(trigger)).unwrap();

    let input = file(&[
        row("keep-1", "Fællessang om torsdagen"),
        row("new-2", "Sangkoret"),
        row("new-3", "Boom"),
        row("new-4", "Kor"),
    ]);
    let p = c.import(&c.rep, "", input).await.problem(409, "conflict");
    let detail = p["detail"].as_str().unwrap();
    assert!(detail.starts_with("line 4 (external_id `new-3`) could not be written"), "{detail}");
    assert!(detail.ends_with("nothing was imported"), "{detail}");

    // The update before it and the insert before it are gone with it.
    let kept = c.activity(&existing).await;
    assert_eq!((&kept["listing"]["name"], &kept["version"]), (&json!("Fællessang"), &json!(1)));
    assert!(c.stored(&["new-2", "new-3", "new-4"]).is_empty());
    assert_eq!(c.events("activity.created").len(), 1);
    assert!(c.events("activity.updated").is_empty());
    assert_eq!(c.events("activity.imported").len(), 1);
}
