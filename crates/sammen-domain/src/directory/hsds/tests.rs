//! Unit tests of the HSDS mapping: derived ids, the export window, schedule rows across skipped
//! dates and offset changes, services and organisations with everything nested, and the values
//! HSDS formats constrain.

use chrono::{Duration, NaiveDate, NaiveTime};
use uuid::Uuid;

use super::formats::{hsds_email, hsds_uri};
use super::schedules::schedule_rows;
use super::services::kroner;
use super::*;
use crate::directory::activity::{ActivityContent, Location, Mode};
use crate::directory::organisation::OrganisationKind;
use crate::directory::schedule::{MAX_WINDOW_DAYS, Pause, Recurrence, Schedule, Weekday};
use crate::directory::vocabulary::Vocabulary;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn weekly(weekdays: Vec<Weekday>, starts_on: NaiveDate, ends_on: Option<NaiveDate>) -> Schedule {
    Schedule {
        recurrence: Recurrence::Weekly { interval: 1, weekdays, starts_on, ends_on },
        start_time: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
        duration_minutes: 90,
        cancelled: vec![],
        pauses: vec![],
        skip_holidays: false,
    }
}

fn window(from: NaiveDate, today: NaiveDate) -> Window {
    Window { today, from, to: today + Duration::days(MAX_WINDOW_DAYS) }
}

fn content(schedule: Schedule) -> ActivityContent {
    ActivityContent {
        name: "Søndagssang".parse().unwrap(),
        summary: "Vi synger kendte sange sammen.".parse().unwrap(),
        description: "Kaffe bagefter.".parse().unwrap(),
        activity_types: vec!["singing_music".into()],
        target_groups: vec!["dementia".into()],
        accessibility: vec!["hearing_loop".into()],
        first_visit_support: vec![],
        languages: vec!["da".into(), "ar".into()],
        mode: Mode::InPerson,
        cost_ore: 2550,
        registration_required: true,
        registration_how: Some("Ring til Else".parse().unwrap()),
        capacity: Some(30),
        full: false,
        seeks_volunteers: true,
        volunteer_roles: vec!["host".into()],
        location: Some(Location {
            address: "Nørrebrogade 208".parse().unwrap(),
            postcode: "2200".into(),
            district: Some("norrebro".into()),
            lat: 55.7,
            lon: 12.54,
        }),
        housing_areas: vec!["mjolnerparken".into()],
        schedule,
    }
}

fn labels() -> Labels {
    let mut labels = Labels::default();
    let mut put = |v: Vocabulary, c: &str, da: &str, en: &str| {
        labels.terms.entry(v).or_default().insert(c.into(), TermLabel { da: da.into(), en: en.into() });
    };
    put(Vocabulary::ActivityType, "singing_music", "Sang og musik", "Singing and music");
    put(Vocabulary::TargetGroup, "dementia", "Demens", "Dementia");
    put(Vocabulary::Accessibility, "hearing_loop", "Teleslynge", "Hearing loop");
    put(Vocabulary::VolunteerRole, "host", "Vært", "Host");
    labels.districts.insert("norrebro".into(), "Nørrebro".into());
    labels.housing_areas.insert("mjolnerparken".into(), "Mjølnerparken".into());
    labels
}

fn organisation(contact_public: bool) -> OrganisationRecord<'static> {
    OrganisationRecord {
        id: "0190b6a4-0000-7000-8000-000000000001",
        name: "Nørrebro Sangkor",
        kind: OrganisationKind::Association,
        description: "Vi synger.",
        website: Some("https://sangkor-nørrebro.dk/om os"),
        contact_email: Some("else@sangkor.dk"),
        contact_phone: Some("+45 33 66 33 66"),
        contact_public,
        cvr: Some("64942212"),
        parent_id: None,
    }
}

const ACTIVITY: &str = "0190b6a4-0000-7000-8000-0000000000aa";

fn record<'a>(c: &'a ActivityContent, provider: Option<&'a OrganisationRecord<'a>>) -> ActivityRecord<'a> {
    ActivityRecord {
        id: ACTIVITY,
        organisation_id: "0190b6a4-0000-7000-8000-000000000001",
        content: c,
        assured_at: "2026-11-01T23:30:00Z".parse().unwrap(),
        updated_at: "2026-11-20T08:15:30.123456Z".parse().unwrap(),
        provider,
    }
}

#[test]
fn the_namespace_is_the_uuid_of_its_url_and_ids_are_stable() {
    assert_eq!(NAMESPACE, Uuid::new_v5(&Uuid::NAMESPACE_URL, b"https://sammen.dk/hsds"));
    assert_eq!(derived_id("a/location"), derived_id("a/location"));
    assert_ne!(derived_id("a/location"), derived_id("b/location"));
    assert_eq!(Uuid::parse_str(&derived_id("x")).unwrap().get_version_num(), 5);
}

#[test]
fn the_window_starts_with_the_current_daylight_saving_period() {
    // Winter time began on 25 October 2026; summer time on 29 March 2026.
    let w = Window::at(ymd(2026, 11, 22));
    assert_eq!((w.from, w.to), (ymd(2026, 10, 25), ymd(2027, 12, 27)));
    assert_eq!(Window::at(ymd(2026, 7, 1)).from, ymd(2026, 3, 29));
    assert_eq!(Window::at(ymd(2026, 3, 29)).from, ymd(2026, 3, 29));
}

#[test]
fn a_weekly_schedule_is_cut_at_skipped_dates_and_at_the_change_of_offset() {
    let mut s = weekly(vec![Weekday::Thursday], ymd(2026, 3, 2), Some(ymd(2026, 4, 30)));
    s.cancelled = vec![ymd(2026, 3, 12)];
    s.skip_holidays = true; // 2 April is Maundy Thursday.
    let rows = schedule_rows(ACTIVITY, &s, Mode::InPerson, &window(ymd(2026, 3, 1), ymd(2026, 3, 1)));
    let spans: Vec<(NaiveDate, NaiveDate, &str, &str, i32)> = rows
        .iter()
        .map(|r| (r.valid_from, r.valid_to, r.opens_at.as_str(), r.closes_at.as_str(), r.timezone))
        .collect();
    assert_eq!(
        spans,
        [
            (ymd(2026, 3, 5), ymd(2026, 3, 5), "10:00+01:00", "11:30+01:00", 1),
            (ymd(2026, 3, 19), ymd(2026, 3, 26), "10:00+01:00", "11:30+01:00", 1),
            (ymd(2026, 4, 9), ymd(2026, 4, 30), "10:00+02:00", "11:30+02:00", 2),
        ]
    );
    let r = &rows[2];
    assert_eq!((r.freq, r.interval, r.byday.as_deref(), r.wkst), (Some("WEEKLY"), Some(1), Some("TH"), Some("MO")));
    assert_eq!((r.dtstart, r.until), (ymd(2026, 3, 5), Some(ymd(2026, 4, 30))));
    assert_eq!(r.description, "Hver torsdag kl. 10:00–11:30");
    assert_eq!(r.attending_type, "Fremmøde");
    assert_eq!(r.id, derived_id(&format!("{ACTIVITY}/schedule/2026-04-09")));
}

#[test]
fn a_pause_ends_a_stretch_and_the_window_bounds_an_open_end() {
    let mut s = weekly(vec![Weekday::Tuesday, Weekday::Monday], ymd(2026, 1, 5), None);
    s.pauses = vec![Pause { from: ymd(2026, 7, 1), to: ymd(2026, 8, 9) }];
    let w = window(ymd(2026, 3, 29), ymd(2026, 6, 1));
    let rows = schedule_rows(ACTIVITY, &s, Mode::InPerson, &w);
    assert_eq!((rows[0].valid_from, rows[0].valid_to), (ymd(2026, 3, 30), ymd(2026, 6, 30)));
    assert_eq!((rows[1].valid_from, rows[1].valid_to), (ymd(2026, 8, 10), ymd(2026, 10, 20)));
    assert_eq!(rows[0].byday.as_deref(), Some("MO,TU"));
    assert_eq!(rows[0].description, "Hver mandag og tirsdag kl. 10:00–11:30");
    assert_eq!(rows[0].dtstart, ymd(2026, 1, 5));
    assert!(rows.last().unwrap().valid_to <= w.to);
}

#[test]
fn monthly_schedules_give_an_ordinal_byday_and_one_off_dates_a_row_each() {
    let mut s = weekly(vec![], ymd(2026, 1, 1), None);
    s.recurrence = Recurrence::MonthlyByWeekday {
        interval: 2,
        nth: -1,
        weekday: Weekday::Friday,
        starts_on: ymd(2026, 1, 1),
        ends_on: None,
    };
    let w = window(ymd(2026, 10, 25), ymd(2026, 11, 22));
    let rows = schedule_rows(ACTIVITY, &s, Mode::Online, &w);
    assert_eq!((rows[0].freq, rows[0].byday.as_deref(), rows[0].interval), (Some("MONTHLY"), Some("-1FR"), Some(2)));
    assert_eq!(rows[0].valid_from, ymd(2026, 11, 27));
    assert_eq!(rows[0].description, "Den sidste fredag hver 2. måned kl. 10:00–11:30");
    assert_eq!(rows[0].attending_type, "Online");

    s.recurrence = Recurrence::Once { dates: vec![ymd(2026, 12, 3), ymd(2026, 11, 26), ymd(2026, 12, 10)] };
    s.cancelled = vec![ymd(2026, 12, 10)];
    let rows = schedule_rows(ACTIVITY, &s, Mode::InPerson, &w);
    let dates: Vec<(NaiveDate, NaiveDate, NaiveDate)> =
        rows.iter().map(|r| (r.dtstart, r.valid_from, r.valid_to)).collect();
    assert_eq!(
        dates,
        [
            (ymd(2026, 11, 26), ymd(2026, 11, 26), ymd(2026, 11, 26)),
            (ymd(2026, 12, 3), ymd(2026, 12, 3), ymd(2026, 12, 3))
        ]
    );
    assert!(rows.iter().all(|r| r.freq.is_none() && r.byday.is_none() && r.until.is_none()));
    assert_eq!(rows[1].description, "3. december 2026 kl. 10:00–11:30");
}

#[test]
fn a_late_evening_activity_closes_after_midnight_and_a_gap_time_moves_on() {
    let mut s = weekly(vec![Weekday::Saturday], ymd(2026, 3, 1), Some(ymd(2026, 4, 12)));
    s.start_time = NaiveTime::from_hms_opt(23, 30, 0).unwrap();
    s.duration_minutes = 180;
    let rows = schedule_rows(ACTIVITY, &s, Mode::InPerson, &window(ymd(2026, 3, 1), ymd(2026, 3, 1)));
    // 28 March: 23:30 winter time, ending 03:30 summer time, after the change at 02:00.
    let spans: Vec<(NaiveDate, &str, &str)> =
        rows.iter().map(|r| (r.valid_from, r.opens_at.as_str(), r.closes_at.as_str())).collect();
    assert_eq!(
        spans,
        [
            (ymd(2026, 3, 7), "23:30+01:00", "02:30+01:00"),
            (ymd(2026, 3, 28), "23:30+01:00", "03:30+02:00"),
            (ymd(2026, 4, 4), "23:30+02:00", "02:30+02:00"),
        ]
    );
}

#[test]
fn an_activity_becomes_a_service_with_everything_nested() {
    let c = content(weekly(vec![Weekday::Sunday], ymd(2026, 3, 1), None));
    let org = organisation(true);
    let w = window(ymd(2026, 10, 25), ymd(2026, 11, 22));
    let s = service(&record(&c, Some(&org)), &labels(), &w);
    assert_eq!(s.id, ACTIVITY);
    assert_eq!(s.description, "Vi synger kendte sange sammen.\n\nKaffe bagefter.");
    assert_eq!((s.status, s.email.as_deref()), ("active", Some("else@sangkor.dk")));
    assert_eq!(s.phones[0].number, "+45 33 66 33 66");
    assert_eq!(s.application_process.as_deref(), Some("Ring til Else"));
    assert_eq!(s.fees_description, "25,50 kr. pr. gang");
    assert_eq!((s.cost_options[0].amount, s.cost_options[0].currency), (25.5, "DKK"));
    assert_eq!(s.assured_date, "2026-11-02", "the local date in Copenhagen");
    assert_eq!(s.last_modified, "2026-11-20T08:15:30.123Z");
    let languages: Vec<(&str, Option<&str>)> = s.languages.iter().map(|l| (l.code.as_str(), l.name)).collect();
    assert_eq!(languages, [("da", Some("Dansk")), ("ar", Some("Arabisk"))]);
    let areas: Vec<&str> = s.service_areas.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(areas, ["Nørrebro", "Mjølnerparken"]);

    let sal = &s.service_at_locations[0];
    let l = &sal.location;
    assert_eq!((l.latitude, l.longitude, l.location_type), (55.7, 12.54, "physical"));
    assert_eq!(sal.location_id, l.id);
    let a = &l.addresses[0];
    assert_eq!(
        (a.address_1.as_str(), a.postal_code.as_str(), a.city.as_str(), a.state_province.as_str(), a.country),
        ("Nørrebrogade 208", "2200", "København N", "Region Hovedstaden", "DK")
    );
    assert_eq!(l.accessibility[0].description, "Teleslynge");

    let terms: Vec<(&str, &str, &str)> = s
        .attributes
        .iter()
        .map(|a| (a.link_type.as_str(), a.taxonomy_term.code.as_str(), a.taxonomy_term.name.as_str()))
        .collect();
    assert_eq!(
        terms,
        [
            ("activity_type", "singing_music", "Sang og musik"),
            ("target_group", "dementia", "Demens"),
            ("accessibility", "hearing_loop", "Teleslynge"),
            ("volunteer_role", "host", "Vært"),
            ("mode", "in_person", "Fremmøde"),
        ]
    );
    let dementia = &s.attributes[1];
    assert_eq!(dementia.taxonomy_term_id, derived_id("term/target_group/dementia"), "the same term everywhere");
    assert_eq!(dementia.taxonomy_term.taxonomy_detail.name, "Målgrupper");
    assert_eq!(dementia.link_id, ACTIVITY);

    // Every id in the service is different.
    let json = serde_json::to_value(&s).unwrap();
    let mut ids = Vec::new();
    fn collect<'a>(v: &'a serde_json::Value, ids: &mut Vec<&'a str>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::String(id)) = m.get("id") {
                    ids.push(id);
                }
                m.iter().filter(|(k, _)| *k != "taxonomy_term").for_each(|(_, v)| collect(v, ids));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| collect(v, ids)),
            _ => {}
        }
    }
    collect(&json, &mut ids);
    let unique: std::collections::HashSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
}

#[test]
fn contact_details_only_when_public_and_an_ended_activity_is_inactive() {
    let mut c = content(weekly(vec![Weekday::Sunday], ymd(2025, 3, 1), Some(ymd(2025, 6, 1))));
    c.cost_ore = 0;
    c.location = None;
    c.mode = Mode::Phone;
    c.registration_required = false;
    let org = organisation(false);
    let s = service(&record(&c, Some(&org)), &labels(), &window(ymd(2026, 10, 25), ymd(2026, 11, 22)));
    assert_eq!((s.email.as_deref(), s.phones.len()), (None, 0));
    assert_eq!((s.fees_description.as_str(), s.cost_options.len()), ("Gratis", 0));
    assert_eq!((s.status, s.schedules.len()), ("inactive", 0));
    assert!(s.service_at_locations.is_empty() && s.application_process.is_none());
    assert_eq!(s.service_areas.len(), 1, "the housing area, no district without a location");

    let o = organization(&org);
    assert_eq!((o.email, o.phones.len()), (None, 0));
    let o = organization(&organisation(true));
    assert_eq!(o.email.as_deref(), Some("else@sangkor.dk"));
    assert_eq!(o.phones[0].organization_id.as_deref(), Some(o.id.as_str()));
    assert_eq!(o.website.as_deref(), Some("https://xn--sangkor-nrrebro-eub.dk/om%20os"));
    assert_eq!(
        (o.organization_identifiers[0].identifier_scheme, o.organization_identifiers[0].identifier.as_str()),
        ("DK-CVR", "64942212")
    );
    assert_eq!(o.attributes[0].taxonomy_term.name, "Forening");
    assert_eq!(o.attributes[0].link_entity, "organization");
}

#[test]
fn only_addresses_and_links_the_hsds_formats_accept() {
    assert_eq!(hsds_email("a.b+c@x.dk").as_deref(), Some("a.b+c@x.dk"));
    assert_eq!(hsds_email("else@bådklub.dk").as_deref(), Some("else@xn--bdklub-iua.dk"));
    for bad in ["a..b@x.dk", ".a@x.dk", "a(b)@x.dk", "a@x", "a@-x.dk", "a@[1.2.3.4]", "æ@x.dk"] {
        assert_eq!(hsds_email(bad), None, "{bad}");
    }
    assert_eq!(hsds_uri("https://x.dk").as_deref(), Some("https://x.dk/"));
    assert_eq!(hsds_uri("javascript:alert(1)"), None);
}

#[test]
fn postal_towns_of_the_copenhagen_area() {
    assert_eq!(postal_town("1300"), Some(("København K", "Region Hovedstaden")));
    assert_eq!(postal_town("1620"), Some(("København V", "Region Hovedstaden")));
    assert_eq!(postal_town("2450"), Some(("København SV", "Region Hovedstaden")));
    assert_eq!(postal_town("2670"), Some(("Greve", "Region Sjælland")));
    assert_eq!(postal_town("8000"), None);
    assert_eq!(kroner(2500), "25 kr.");
    assert_eq!(kroner(5), "0,05 kr.");
}
