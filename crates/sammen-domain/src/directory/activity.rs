//! An activity's content and the checks on it. Vocabulary codes are checked against the
//! taxonomy as it is in the database (`KnownCodes`), since vocabularies are data.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::schedule::Schedule;
pub use super::vocabulary::KnownCodes;
use super::vocabulary::Vocabulary;
use crate::text::{Line, Prose};
use crate::validation::{FieldError, ValidationErrors, text_length};

crate::text_enum! {
    /// How an activity takes place.
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Mode ("mode") {
        InPerson = "in_person",
        Online = "online",
        Phone = "phone",
        HomeVisit = "home_visit",
    }
}

/// Where an in-person activity takes place.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub address: Line,
    /// Danish postcode, four digits.
    pub postcode: String,
    /// District code from the taxonomy.
    pub district: Option<String>,
    /// WGS84.
    pub lat: f64,
    pub lon: f64,
}

/// Everything an organisation says about an activity. Stored as columns (for search) and, for a
/// change waiting for moderation, as JSON.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityContent {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub name: Line,
    /// In plain language: what happens, for whom.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub summary: Prose,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub description: Prose,
    #[serde(default)]
    pub activity_types: Vec<String>,
    #[serde(default)]
    pub target_groups: Vec<String>,
    #[serde(default)]
    pub accessibility: Vec<String>,
    #[serde(default)]
    pub first_visit_support: Vec<String>,
    /// ISO 639-1 codes of the languages the activity runs in.
    pub languages: Vec<String>,
    pub mode: Mode,
    /// The price per time in øre; 0 is free.
    #[serde(default)]
    pub cost_ore: i64,
    #[serde(default)]
    pub registration_required: bool,
    /// How to sign up, when it is required.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub registration_how: Option<Prose>,
    /// Places; absent when there is no limit.
    pub capacity: Option<i32>,
    /// All places are taken for now (the organisation says so); `has_capacity=true` leaves the
    /// activity out of searches.
    #[serde(default)]
    pub full: bool,
    #[serde(default)]
    pub seeks_volunteers: bool,
    /// What volunteers would do (volunteer-role codes), when it seeks volunteers.
    #[serde(default)]
    pub volunteer_roles: Vec<String>,
    /// Required for in-person activities.
    pub location: Option<Location>,
    /// The elderly-housing areas the activity serves.
    #[serde(default)]
    pub housing_areas: Vec<String>,
    pub schedule: Schedule,
}

impl ActivityContent {
    /// The activity's codes of `vocabulary`.
    pub fn codes(&self, vocabulary: Vocabulary) -> &[String] {
        match vocabulary {
            Vocabulary::ActivityType => &self.activity_types,
            Vocabulary::TargetGroup => &self.target_groups,
            Vocabulary::Accessibility => &self.accessibility,
            Vocabulary::FirstVisitSupport => &self.first_visit_support,
            Vocabulary::VolunteerRole => &self.volunteer_roles,
        }
    }

    /// The list of codes of `vocabulary`, to fill.
    pub fn codes_mut(&mut self, vocabulary: Vocabulary) -> &mut Vec<String> {
        match vocabulary {
            Vocabulary::ActivityType => &mut self.activity_types,
            Vocabulary::TargetGroup => &mut self.target_groups,
            Vocabulary::Accessibility => &mut self.accessibility,
            Vocabulary::FirstVisitSupport => &mut self.first_visit_support,
            Vocabulary::VolunteerRole => &mut self.volunteer_roles,
        }
    }
}

/// ISO 639-1 codes of the languages activities in Denmark commonly run in.
pub const LANGUAGES: [&str; 40] = [
    "da", "en", "de", "sv", "no", "is", "fo", "kl", "fi", "pl", "lt", "lv", "et", "ro", "bg", "uk", "ru", "bs", "hr",
    "sr", "sq", "el", "tr", "ku", "ar", "fa", "ps", "ur", "hi", "pa", "ta", "bn", "so", "ti", "am", "vi", "th", "zh",
    "tl", "es",
];

/// Roughly Denmark and its waters (Bornholm included): a coordinate outside is a mistake
/// (swapped latitude and longitude, a missing decimal point).
pub(crate) const LAT_RANGE: std::ops::RangeInclusive<f64> = 54.4..=57.9;
pub(crate) const LON_RANGE: std::ops::RangeInclusive<f64> = 7.9..=15.3;
/// 10,000 kroner: more is a typo in øre.
pub const MAX_COST_ORE: i64 = 1_000_000;
/// The longest external id (an integration's own id for a listing), in characters.
pub const MAX_EXTERNAL_ID_CHARS: usize = 100;

/// Whether `id` can be an external id: 1 to 100 characters (the database checks the same), no
/// control characters.
pub fn valid_external_id(id: &str) -> bool {
    !id.is_empty() && id.chars().count() <= MAX_EXTERNAL_ID_CHARS && !id.chars().any(char::is_control)
}

fn check_codes(errors: &mut ValidationErrors, field: &str, codes: &[String], known: &HashSet<String>, max: usize) {
    if codes.len() > max {
        errors.push(FieldError::new(field, "too_long", format!("at most {max} values")));
        return;
    }
    let mut seen = HashSet::new();
    for (i, code) in codes.iter().enumerate() {
        if !known.contains(code) {
            errors.push(FieldError::new(
                format!("{field}[{i}]"),
                "unknown",
                format!("`{code}` is not in the taxonomy (GET /api/v1/taxonomy)"),
            ));
        } else if !seen.insert(code) {
            errors.push(FieldError::new(format!("{field}[{i}]"), "duplicate", format!("`{code}` is listed twice")));
        }
    }
}

/// Every problem with the content, each with its field path.
pub fn check_activity(c: &ActivityContent, known: &KnownCodes) -> ValidationErrors {
    let mut errors = ValidationErrors::new();
    errors.check(text_length("name", &c.name, 2, 200));
    errors.check(text_length("summary", &c.summary, 10, 300));
    errors.check(text_length("description", &c.description, 0, 5000));
    for vocabulary in Vocabulary::ALL {
        let (field, max) = (vocabulary.plural(), vocabulary.max_per_activity());
        check_codes(&mut errors, field, c.codes(vocabulary), known.terms(vocabulary), max);
    }
    check_codes(&mut errors, "housing_areas", &c.housing_areas, &known.housing_areas, 50);
    if c.languages.is_empty() || c.languages.len() > 10 {
        errors.push(FieldError::new("languages", "invalid", "name 1 to 10 languages (ISO 639-1 codes such as `da`)"));
    }
    let known_languages: HashSet<String> = LANGUAGES.iter().map(|l| (*l).to_owned()).collect();
    check_codes(&mut errors, "languages", &c.languages, &known_languages, 10);
    if !(0..=MAX_COST_ORE).contains(&c.cost_ore) {
        errors.push(FieldError::new("cost_ore", "invalid", "must be 0 (free) to 1000000 øre"));
    }
    if let Some(how) = &c.registration_how {
        errors.check(text_length("registration_how", how, 1, 500));
    } else if c.registration_required {
        errors.push(FieldError::new(
            "registration_how",
            "required",
            "say how to sign up when registration is required",
        ));
    }
    if c.capacity.is_some_and(|n| !(1..=10_000).contains(&n)) {
        errors.push(FieldError::new("capacity", "invalid", "must be 1 to 10000 places, or absent for no limit"));
    }
    if !c.seeks_volunteers && !c.volunteer_roles.is_empty() {
        errors.push(FieldError::new("volunteer_roles", "invalid", "only when the activity seeks volunteers"));
    }
    match (&c.location, c.mode) {
        (None, Mode::InPerson) => {
            errors.push(FieldError::new("location", "required", "an in-person activity needs a location"))
        }
        (Some(l), _) => {
            errors.check(text_length("location.address", &l.address, 3, 200));
            if l.postcode.len() != 4 || !l.postcode.bytes().all(|b| b.is_ascii_digit()) || l.postcode.starts_with('0') {
                errors.push(FieldError::new(
                    "location.postcode",
                    "invalid",
                    "must be a Danish postcode of four digits",
                ));
            }
            if l.district.as_ref().is_some_and(|d| !known.districts.contains(d)) {
                errors.push(FieldError::new("location.district", "unknown", "is not a district in the taxonomy"));
            }
            if !LAT_RANGE.contains(&l.lat) {
                errors.push(FieldError::new("location.lat", "invalid", "must be a latitude in Denmark (WGS84)"));
            }
            if !LON_RANGE.contains(&l.lon) {
                errors.push(FieldError::new("location.lon", "invalid", "must be a longitude in Denmark (WGS84)"));
            }
        }
        (None, _) => {}
    }
    for e in c.schedule.check("schedule").0 {
        errors.push(e);
    }
    errors
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::directory::schedule::{Recurrence, Weekday};
    use chrono::{NaiveDate, NaiveTime};

    pub(crate) fn known() -> KnownCodes {
        let set = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect();
        let mut known =
            KnownCodes { districts: set(&["norrebro"]), housing_areas: set(&["mjolnerparken"]), ..Default::default() };
        for (vocabulary, code) in [
            (Vocabulary::ActivityType, "singing_music"),
            (Vocabulary::TargetGroup, "dementia"),
            (Vocabulary::TargetGroup, "newly_widowed"),
            (Vocabulary::Accessibility, "hearing_loop"),
            (Vocabulary::FirstVisitSupport, "bring_a_friend"),
            (Vocabulary::VolunteerRole, "host"),
        ] {
            known.add_term(vocabulary, code);
        }
        known
    }

    pub(crate) fn sample() -> ActivityContent {
        ActivityContent {
            name: "Fællessang".parse().unwrap(),
            summary: "Vi synger sammen hver tirsdag. Alle kan være med.".parse().unwrap(),
            description: Prose::default(),
            activity_types: vec!["singing_music".into()],
            target_groups: vec!["dementia".into()],
            accessibility: vec!["hearing_loop".into()],
            first_visit_support: vec!["bring_a_friend".into()],
            languages: vec!["da".into()],
            mode: Mode::InPerson,
            cost_ore: 0,
            registration_required: false,
            registration_how: None,
            capacity: Some(30),
            full: false,
            seeks_volunteers: true,
            volunteer_roles: vec!["host".into()],
            location: Some(Location {
                address: "Nørrebrogade 1".parse().unwrap(),
                postcode: "2200".into(),
                district: Some("norrebro".into()),
                lat: 55.69,
                lon: 12.55,
            }),
            housing_areas: vec!["mjolnerparken".into()],
            schedule: Schedule {
                recurrence: Recurrence::Weekly {
                    interval: 1,
                    weekdays: vec![Weekday::Tuesday],
                    starts_on: NaiveDate::from_ymd_opt(2026, 1, 6).unwrap(),
                    ends_on: None,
                },
                start_time: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
                duration_minutes: 90,
                cancelled: vec![],
                pauses: vec![],
                skip_holidays: true,
            },
        }
    }

    #[test]
    fn a_good_activity_passes() {
        assert!(check_activity(&sample(), &known()).is_empty());
        assert_eq!(Mode::parse("home_visit"), Some(Mode::HomeVisit));
    }

    #[test]
    fn every_problem_is_named_with_its_path() {
        let mut c = sample();
        c.name = "X".parse().unwrap();
        c.target_groups = vec!["dementia".into(), "aliens".into(), "dementia".into()];
        c.languages = vec!["dk".into()];
        c.cost_ore = -5;
        c.registration_required = true;
        c.capacity = Some(0);
        c.seeks_volunteers = false;
        c.location = Some(Location {
            address: "Et sted".parse().unwrap(),
            postcode: "220".into(),
            district: Some("mars".into()),
            lat: 12.55,
            lon: 55.69,
        });
        let fields: Vec<String> = check_activity(&c, &known()).0.into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "name",
                "target_groups[1]",
                "target_groups[2]",
                "languages[0]",
                "cost_ore",
                "registration_how",
                "capacity",
                "volunteer_roles",
                "location.postcode",
                "location.district",
                "location.lat",
                "location.lon"
            ]
        );
    }

    #[test]
    fn in_person_needs_a_location_and_other_modes_do_not() {
        let mut c = sample();
        c.location = None;
        assert_eq!(check_activity(&c, &known()).0[0].field, "location");
        c.mode = Mode::Phone;
        assert!(check_activity(&c, &known()).is_empty());
    }
}
