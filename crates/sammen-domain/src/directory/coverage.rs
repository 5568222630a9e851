//! The coverage report: where weekly communities reach, and the elderly-housing areas and
//! districts they do not.
//!
//! The rules, in one place:
//! - **Weekly**: an activity's rhythm gives a date in every one of the [`WEEKS`] weeks (7-day
//!   spans) from the report's date. Weekly on any weekdays, or one-off dates a week apart, count;
//!   every other week, monthly, not started yet, or ending within those weeks do not. A holiday,
//!   a cancelled date or a summer break is not held against it: it is a break in a rhythm that
//!   goes on, and the report is about where communities exist, not about one week's calendar.
//! - **At a place**: only in-person activities can make a neighbourhood covered (the caller
//!   loads those). Online and phone activities are for everyone everywhere, and a home visit has
//!   no place to walk to; none of them is a community one can walk to.
//! - **Walking distance**: the straight line times [`DETOUR_FACTOR`], since streets seldom run
//!   straight to the door.
//! - A **housing area** is covered by the weekly activities within walking distance of its centre
//!   and by those that name it as an area they serve (wherever they are); a **district** by the
//!   weekly activities located in it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate};

use super::geo::straight_line_m;
use super::schedule::{Schedule, Weekday};

/// How much longer a walk is than the straight line: a common planning rule of thumb for city
/// streets (route factors of 1.2–1.4 are typical). 800 m of walking is about 615 m on the map.
pub const DETOUR_FACTOR: f64 = 1.3;
/// How many weeks ahead an activity must keep its weekly rhythm to count.
pub const WEEKS: i64 = 4;

const WEEKDAYS: [Weekday; 7] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
    Weekday::Saturday,
    Weekday::Sunday,
];

fn weekday_of(date: NaiveDate) -> Weekday {
    WEEKDAYS[date.weekday().num_days_from_monday() as usize]
}

/// The weekdays an activity meets on if it is weekly from `from` (see the module's rules), in
/// week order; `None` if it is not weekly.
pub fn weekly_weekdays(schedule: &Schedule, from: NaiveDate) -> Option<Vec<Weekday>> {
    let mut days = BTreeSet::new();
    for week in 0..WEEKS {
        let start = from + Duration::days(week * 7);
        let dates: Vec<NaiveDate> = start.iter_days().take(7).filter(|d| schedule.matches(*d)).collect();
        if dates.is_empty() {
            return None;
        }
        days.extend(dates.into_iter().map(weekday_of));
    }
    Some(days.into_iter().collect())
}

/// The estimated walking distance in metres from `from` to `to`, each `(lat, lon)`.
pub fn walking_m(from: (f64, f64), to: (f64, f64)) -> f64 {
    straight_line_m(from, to) * DETOUR_FACTOR
}

/// A published in-person activity with its place, as the report needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedActivity {
    pub id: String,
    pub lat: f64,
    pub lon: f64,
    /// Its district code, if the organisation gave one.
    pub district: Option<String>,
    /// The housing areas it says it serves.
    pub housing_areas: Vec<String>,
    pub activity_types: Vec<String>,
    pub target_groups: Vec<String>,
    pub schedule: Schedule,
}

/// An elderly-housing area and the centre its walking distances are measured from.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaCentre {
    pub code: String,
    pub district: String,
    pub lat: f64,
    pub lon: f64,
}

/// Counts of weekly activities: in total, per activity type, per target group and per weekday.
/// An activity with two types counts once in total and once under each type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub activities: usize,
    pub by_activity_type: BTreeMap<String, usize>,
    pub by_target_group: BTreeMap<String, usize>,
    /// Every weekday is present, with 0 where nothing meets.
    pub by_weekday: BTreeMap<Weekday, usize>,
}

impl Tally {
    fn new() -> Self {
        Tally { by_weekday: WEEKDAYS.iter().map(|d| (*d, 0)).collect(), ..Default::default() }
    }

    fn add(&mut self, a: &Weekly<'_>) {
        self.activities += 1;
        for code in &a.activity.activity_types {
            *self.by_activity_type.entry(code.clone()).or_default() += 1;
        }
        for code in &a.activity.target_groups {
            *self.by_target_group.entry(code.clone()).or_default() += 1;
        }
        for day in &a.weekdays {
            *self.by_weekday.entry(*day).or_default() += 1;
        }
    }

    /// At least one weekly activity.
    pub fn covered(&self) -> bool {
        self.activities > 0
    }
}

/// One housing area's coverage.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaCoverage {
    pub code: String,
    pub tally: Tally,
    /// The estimated walking distance to the nearest weekly activity anywhere, in metres;
    /// `None` when there is none at all.
    pub nearest_walking_m: Option<f64>,
}

/// One district's coverage and that of its housing areas.
#[derive(Debug, Clone, PartialEq)]
pub struct DistrictCoverage {
    pub code: String,
    /// The weekly activities located in the district.
    pub tally: Tally,
    pub housing_areas: Vec<AreaCoverage>,
}

impl DistrictCoverage {
    pub fn uncovered_housing_areas(&self) -> usize {
        self.housing_areas.iter().filter(|a| !a.tally.covered()).count()
    }
}

/// The whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    /// Every weekly activity of the municipality, whichever districts are reported.
    pub municipality: Tally,
    /// Weekly activities without a district code: they count for housing areas near them, but
    /// for no district.
    pub without_district: usize,
    pub districts: Vec<DistrictCoverage>,
}

/// A weekly activity and the weekdays it meets on.
struct Weekly<'a> {
    activity: &'a PlacedActivity,
    weekdays: Vec<Weekday>,
}

/// The coverage of `districts` (codes, in the order to report them) and of their housing areas
/// among `areas`, by the weekly ones of `activities` on `as_of`, with housing areas reached
/// within `walking_distance_m` of estimated walking.
pub fn report(
    districts: &[String],
    areas: &[AreaCentre],
    activities: &[PlacedActivity],
    as_of: NaiveDate,
    walking_distance_m: f64,
) -> Coverage {
    let weekly: Vec<Weekly<'_>> = activities
        .iter()
        .filter_map(|activity| Some(Weekly { activity, weekdays: weekly_weekdays(&activity.schedule, as_of)? }))
        .collect();
    let mut municipality = Tally::new();
    for w in &weekly {
        municipality.add(w);
    }
    let area_coverage = |area: &AreaCentre| {
        let centre = (area.lat, area.lon);
        let mut tally = Tally::new();
        let mut nearest: Option<f64> = None;
        for w in &weekly {
            let walk = walking_m(centre, (w.activity.lat, w.activity.lon));
            nearest = Some(nearest.map_or(walk, |n| n.min(walk)));
            if walk <= walking_distance_m || w.activity.housing_areas.contains(&area.code) {
                tally.add(w);
            }
        }
        AreaCoverage { code: area.code.clone(), tally, nearest_walking_m: nearest }
    };
    let districts = districts
        .iter()
        .map(|code| {
            let mut tally = Tally::new();
            for w in weekly.iter().filter(|w| w.activity.district.as_ref() == Some(code)) {
                tally.add(w);
            }
            let housing_areas = areas.iter().filter(|a| &a.district == code).map(area_coverage).collect();
            DistrictCoverage { code: code.clone(), tally, housing_areas }
        })
        .collect();
    Coverage {
        municipality,
        without_district: weekly.iter().filter(|w| w.activity.district.is_none()).count(),
        districts,
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveTime;

    use super::*;
    use crate::directory::geo::metres_per_degree_lat;
    use crate::directory::schedule::{Pause, Recurrence};

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn schedule(recurrence: Recurrence) -> Schedule {
        Schedule {
            recurrence,
            start_time: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
            duration_minutes: 90,
            cancelled: vec![],
            pauses: vec![],
            skip_holidays: false,
        }
    }

    fn weekly(interval: u32, weekdays: Vec<Weekday>, starts_on: NaiveDate, ends_on: Option<NaiveDate>) -> Schedule {
        schedule(Recurrence::Weekly { interval, weekdays, starts_on, ends_on })
    }

    /// A Monday.
    const AS_OF: (i32, u32, u32) = (2026, 11, 23);

    fn as_of() -> NaiveDate {
        ymd(AS_OF.0, AS_OF.1, AS_OF.2)
    }

    #[test]
    fn every_week_on_any_weekday_is_weekly() {
        let s = weekly(1, vec![Weekday::Thursday, Weekday::Tuesday], ymd(2025, 1, 1), None);
        assert_eq!(weekly_weekdays(&s, as_of()), Some(vec![Weekday::Tuesday, Weekday::Thursday]));
        // Starting on the report's date counts; the first week is the 7 days from it.
        let s = weekly(1, vec![Weekday::Sunday], as_of(), None);
        assert_eq!(weekly_weekdays(&s, as_of()), Some(vec![Weekday::Sunday]));
    }

    #[test]
    fn every_other_week_monthly_and_single_dates_are_not() {
        let fortnightly = weekly(2, vec![Weekday::Tuesday], ymd(2025, 1, 1), None);
        assert_eq!(weekly_weekdays(&fortnightly, as_of()), None);
        let monthly = schedule(Recurrence::MonthlyByWeekday {
            interval: 1,
            nth: 1,
            weekday: Weekday::Tuesday,
            starts_on: ymd(2025, 1, 1),
            ends_on: None,
        });
        assert_eq!(weekly_weekdays(&monthly, as_of()), None);
        let one_off = schedule(Recurrence::Once { dates: vec![ymd(2026, 11, 24)] });
        assert_eq!(weekly_weekdays(&one_off, as_of()), None);
        // A course on dates a week apart through the four weeks is weekly.
        let course = schedule(Recurrence::Once {
            dates: vec![ymd(2026, 11, 25), ymd(2026, 12, 2), ymd(2026, 12, 9), ymd(2026, 12, 16)],
        });
        assert_eq!(weekly_weekdays(&course, as_of()), Some(vec![Weekday::Wednesday]));
        // ... but not with a week left out.
        let gap = schedule(Recurrence::Once { dates: vec![ymd(2026, 11, 25), ymd(2026, 12, 2), ymd(2026, 12, 16)] });
        assert_eq!(weekly_weekdays(&gap, as_of()), None);
    }

    #[test]
    fn it_must_run_through_all_four_weeks() {
        let ended = weekly(1, vec![Weekday::Tuesday], ymd(2025, 1, 1), Some(ymd(2025, 6, 30)));
        assert_eq!(weekly_weekdays(&ended, as_of()), None);
        let ending = weekly(1, vec![Weekday::Tuesday], ymd(2025, 1, 1), Some(ymd(2026, 12, 10)));
        assert_eq!(weekly_weekdays(&ending, as_of()), None);
        let ends_in_week_four = weekly(1, vec![Weekday::Tuesday], ymd(2025, 1, 1), Some(ymd(2026, 12, 15)));
        assert!(weekly_weekdays(&ends_in_week_four, as_of()).is_some());
        let later = weekly(1, vec![Weekday::Tuesday], ymd(2026, 12, 1), None);
        assert_eq!(weekly_weekdays(&later, as_of()), None);
        assert!(weekly_weekdays(&later, ymd(2026, 12, 1)).is_some());
    }

    #[test]
    fn breaks_are_not_held_against_a_weekly_rhythm() {
        let mut s = weekly(1, vec![Weekday::Thursday], ymd(2025, 1, 1), None);
        s.pauses = vec![Pause { from: ymd(2026, 11, 23), to: ymd(2026, 12, 31) }];
        s.cancelled = vec![ymd(2026, 11, 26)];
        s.skip_holidays = true;
        assert_eq!(weekly_weekdays(&s, as_of()), Some(vec![Weekday::Thursday]));
    }

    #[test]
    fn walking_is_the_straight_line_with_a_detour() {
        let north = |m: f64| (55.7 + m / metres_per_degree_lat(55.7), 12.5);
        assert!((walking_m((55.7, 12.5), north(600.0)) - 780.0).abs() < 1e-6);
        assert!((walking_m((55.7, 12.5), north(1000.0)) - 1300.0).abs() < 1e-6);
    }

    fn placed(id: &str, metres_north: f64, district: Option<&str>, s: Schedule) -> PlacedActivity {
        PlacedActivity {
            id: id.into(),
            lat: 55.7 + metres_north / metres_per_degree_lat(55.7),
            lon: 12.5,
            district: district.map(str::to_owned),
            housing_areas: vec![],
            activity_types: vec!["cafe".into()],
            target_groups: vec!["everyone".into()],
            schedule: s,
        }
    }

    fn area(code: &str, district: &str, metres_north: f64) -> AreaCentre {
        AreaCentre {
            code: code.into(),
            district: district.into(),
            lat: 55.7 + metres_north / metres_per_degree_lat(55.7),
            lon: 12.5,
        }
    }

    #[test]
    fn areas_are_covered_within_walking_distance_or_by_name_and_districts_by_location() {
        let every_tuesday = || weekly(1, vec![Weekday::Tuesday], ymd(2025, 1, 1), None);
        let mut singing = placed("singing", 0.0, Some("north"), every_tuesday());
        singing.activity_types = vec!["singing_music".into(), "cafe".into()];
        singing.target_groups = vec!["dementia".into()];
        singing.schedule = weekly(1, vec![Weekday::Tuesday, Weekday::Friday], ymd(2025, 1, 1), None);
        // 600 m on the map: 780 m walking, inside 800.
        let near = placed("near", 600.0, Some("north"), every_tuesday());
        // 700 m on the map: 910 m walking, outside 800.
        let far = placed("far", 700.0, Some("north"), every_tuesday());
        // 5 km away in the other district, but it names the far area.
        let mut named = placed("named", 5000.0, Some("south"), every_tuesday());
        named.housing_areas = vec!["lonely".into()];
        let nowhere = placed("nowhere", 100.0, None, every_tuesday());
        let fortnightly = placed("fortnightly", 0.0, Some("north"), weekly(2, vec![Weekday::Monday], as_of(), None));
        let activities = [singing, near, far, named, nowhere, fortnightly];
        let areas = [area("centre", "north", 0.0), area("lonely", "north", -3000.0), area("empty", "south", 20_000.0)];
        let districts = ["north".to_owned(), "south".to_owned(), "west".to_owned()];
        let c = report(&districts, &areas, &activities, as_of(), 800.0);

        assert_eq!(c.municipality.activities, 5, "the fortnightly one is not weekly");
        assert_eq!(c.without_district, 1);
        assert_eq!(c.municipality.by_weekday[&Weekday::Tuesday], 5);
        assert_eq!(c.municipality.by_weekday[&Weekday::Friday], 1);
        assert_eq!(c.municipality.by_weekday[&Weekday::Monday], 0);

        let north = &c.districts[0];
        assert_eq!(north.tally.activities, 3, "singing, near and far are located in the north");
        let centre = &north.housing_areas[0];
        assert_eq!(centre.tally.activities, 3, "singing, near and nowhere; far is too far");
        assert_eq!(centre.tally.by_activity_type, BTreeMap::from([("cafe".into(), 3), ("singing_music".into(), 1)]));
        assert_eq!(centre.tally.by_target_group, BTreeMap::from([("dementia".into(), 1), ("everyone".into(), 2)]));
        assert_eq!(centre.nearest_walking_m, Some(0.0));
        let lonely = &north.housing_areas[1];
        assert_eq!(lonely.tally.activities, 1, "only the activity that names it");
        // Within a metre: the degree lengths are taken at the area's latitude, not the activity's.
        assert!((lonely.nearest_walking_m.unwrap() - 3900.0).abs() < 1.0);
        assert_eq!(north.uncovered_housing_areas(), 0);

        let south = &c.districts[1];
        assert_eq!((south.tally.activities, south.housing_areas.len()), (1, 1));
        assert!(!south.housing_areas[0].tally.covered());
        assert_eq!(south.uncovered_housing_areas(), 1);
        let west = &c.districts[2];
        assert!(!west.tally.covered() && west.housing_areas.is_empty());

        // A longer walk reaches further.
        let c = report(&districts, &areas, &activities, as_of(), 1000.0);
        assert_eq!(c.districts[0].housing_areas[0].tally.activities, 4);
    }

    #[test]
    fn with_nothing_weekly_nothing_is_covered() {
        let areas = [area("a", "d", 0.0)];
        let c = report(&["d".to_owned()], &areas, &[], as_of(), 800.0);
        assert_eq!(c.municipality.activities, 0);
        assert_eq!(c.municipality.by_weekday.len(), 7);
        assert_eq!(c.districts[0].housing_areas[0].nearest_walking_m, None);
        assert_eq!(c.districts[0].uncovered_housing_areas(), 1);
    }
}
