//! The public listing of activities as a query: its parameters as they arrive, the checks on
//! them, and the one validated type the store runs (`ActivityListing`): what to find
//! (`ActivitySearch`), in which order (`ListingSort`), where the previous page ended
//! (`ListingKey`, the cursor) and which facets to count.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

use super::activity::Mode;
use super::geo::GridPoint;
use super::schedule::{SEARCH_HORIZON_DAYS, Weekday, day_start};
use super::vocabulary::{KnownCodes, Vocabulary};
use crate::ids::{ActivityId, OrganisationId};

/// The public listing's filters. Different parameters combine with AND; a repeated parameter
/// matches any of its values (OR), e.g. `?target_group=dementia&target_group=newly_widowed`.
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[derive(Debug, Default, Deserialize)]
pub struct ListingParams {
    /// Free text: every word must appear in the name, summary or description, as a word or an
    /// inflection of it (Danish stemming on PostgreSQL) or inside a longer word ("sang" finds
    /// "fællessang" and "sangkor"); case does not matter. At most 8 words, 200 characters.
    #[cfg_attr(feature = "openapi", param(max_length = 200))]
    pub q: Option<String>,
    /// Organisation ids.
    #[serde(default)]
    pub organisation: Vec<uuid::Uuid>,
    /// Activity-type codes (`GET /taxonomy`).
    #[serde(default)]
    pub activity_type: Vec<String>,
    /// Target-group codes.
    #[serde(default)]
    pub target_group: Vec<String>,
    /// Accessibility codes.
    #[serde(default)]
    pub accessibility: Vec<String>,
    /// First-visit-support codes.
    #[serde(default)]
    pub first_visit_support: Vec<String>,
    /// Volunteer-role codes (activities that seek volunteers for these roles).
    #[serde(default)]
    pub volunteer_role: Vec<String>,
    /// ISO 639-1 language codes.
    #[serde(default)]
    pub language: Vec<String>,
    #[serde(default)]
    pub mode: Vec<Mode>,
    /// District codes.
    #[serde(default)]
    pub district: Vec<String>,
    /// Four-digit postcodes.
    #[serde(default)]
    pub postcode: Vec<String>,
    /// Housing-area codes: activities that serve these areas.
    #[serde(default)]
    pub housing_area: Vec<String>,
    /// `true`: free only; `false`: paid only.
    pub free: Option<bool>,
    pub seeks_volunteers: Option<bool>,
    /// `true`: leaves out activities whose organisation marked them full; `false`: only those.
    pub has_capacity: Option<bool>,
    /// Days of the week: activities with an occurrence on one of them between `date_from` and
    /// `date_to` (by default from today on), so cancelled dates, pauses and skipped holidays
    /// don't count.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(inline))]
    pub weekday: Vec<Weekday>,
    /// Activities that start at or after this local time (`HH:MM`, Copenhagen).
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, example = "09:00", pattern = r"^\d{2}:\d{2}(:\d{2})?$"))]
    pub time_from: Option<NaiveTime>,
    /// Activities that start at or before this local time (`HH:MM`, Copenhagen).
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, example = "13:00", pattern = r"^\d{2}:\d{2}(:\d{2})?$"))]
    pub time_to: Option<NaiveTime>,
    /// Activities with an occurrence on or after this local date (earlier dates count as today).
    pub date_from: Option<NaiveDate>,
    /// Activities with an occurrence on or before this local date; at most 186 days ahead.
    pub date_to: Option<NaiveDate>,
    /// Search around this point (WGS84), with `lon`; each result then has `distance_m`.
    #[cfg_attr(feature = "openapi", param(minimum = -90, maximum = 90))]
    pub lat: Option<f64>,
    #[cfg_attr(feature = "openapi", param(minimum = -180, maximum = 180))]
    pub lon: Option<f64>,
    /// With `lat` and `lon`: only activities within this many metres (default 2000, at most 50000).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 50000))]
    pub radius_m: Option<f64>,
    /// Facet counts to return, comma-separated: any of `activity_type`, `target_group`,
    /// `accessibility`, `first_visit_support`, `volunteer_role`, `language`, `mode`, `district`.
    /// Each counts the matching activities per value with every filter except its own.
    pub facets: Option<String>,
    /// `relevance` (the default with `q`), `distance` (the default with `lat` and `lon`),
    /// `next_occurrence` or `name`.
    #[cfg_attr(feature = "openapi", param(inline))]
    pub sort: Option<ListingSort>,
}

crate::text_enum! {
    /// How the listing is ordered.
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ListingSort ("sort order") {
        /// By name (the default without `q` and a place).
        Name = "name",
        /// Nearest first (the default with `lat` and `lon` and no `q`; needs them).
        Distance = "distance",
        /// Best text match first (the default with `q`; needs it).
        Relevance = "relevance",
        /// Soonest next occurrence first; activities with none coming last.
        NextOccurrence = "next_occurrence",
    }
}

/// Where a page of the listing ended: the sort key of its last activity, ending with the
/// activity's id so the order is total. Its variant is its order. Sent as the opaque cursor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListingKey {
    Name(String, ActivityId),
    /// The squared distance in square metres.
    Distance(f64, ActivityId),
    /// The rank of the text match.
    Relevance(f64, ActivityId),
    /// The next start (`None`: no coming occurrence; those come last).
    Next(Option<NaiveDateTime>, ActivityId),
}

impl ListingKey {
    /// The order this key belongs to.
    pub fn sort(&self) -> ListingSort {
        match self {
            ListingKey::Name(..) => ListingSort::Name,
            ListingKey::Distance(..) => ListingSort::Distance,
            ListingKey::Relevance(..) => ListingSort::Relevance,
            ListingKey::Next(..) => ListingSort::NextOccurrence,
        }
    }
}

/// What can be counted per value alongside the listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Facet {
    Term(Vocabulary),
    Language,
    Mode,
    District,
}

impl Facet {
    pub const ALL: [Facet; 8] = [
        Facet::Term(Vocabulary::ActivityType),
        Facet::Term(Vocabulary::TargetGroup),
        Facet::Term(Vocabulary::Accessibility),
        Facet::Term(Vocabulary::FirstVisitSupport),
        Facet::Term(Vocabulary::VolunteerRole),
        Facet::Language,
        Facet::Mode,
        Facet::District,
    ];

    /// Its name in `facets=` and in the answer: the filter parameter's.
    pub fn name(self) -> &'static str {
        match self {
            Facet::Term(vocabulary) => vocabulary.as_str(),
            Facet::Language => "language",
            Facet::Mode => "mode",
            Facet::District => "district",
        }
    }

    pub fn parse(name: &str) -> Option<Facet> {
        Facet::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// A point (WGS84) and a radius to search around. Distances are measured on the national grid
/// (`super::geo::GridPoint`), where the databases hold every place's grid point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Near {
    pub lat: f64,
    pub lon: f64,
    pub radius_m: f64,
}

impl Near {
    /// The centre on the national grid.
    pub fn centre(&self) -> GridPoint {
        GridPoint::from_wgs84(self.lat, self.lon)
    }

    /// Whether the circle can hold any activity at all: every place lies in Denmark, and a centre
    /// farther away than the largest radius finds none (nor is the grid meaningful that far from
    /// its zone), so such a search is answered without asking the database.
    pub fn reaches_denmark(&self) -> bool {
        // 50 km is about 0.45° of latitude and 0.8° of longitude here.
        let (lat, lon) = (super::activity::LAT_RANGE, super::activity::LON_RANGE);
        (lat.start() - 0.5..=lat.end() + 0.5).contains(&self.lat)
            && (lon.start() - 0.9..=lon.end() + 0.9).contains(&self.lon)
    }

    /// The straight-line distance in metres from the centre to a place's grid point.
    pub fn distance_m(&self, place: &GridPoint) -> f64 {
        self.centre().distance_sq(place).sqrt()
    }
}

/// Activities that take place in a span of time: an occurrence that starts at or after `from`
/// and before `until` (UTC), on one of `weekdays` (local, ISO numbers, 1 = Monday) when any are
/// given. Cancellations, pauses and skipped holidays are no occurrences.
#[derive(Debug, Clone, PartialEq)]
pub struct Occurring {
    pub from: NaiveDateTime,
    pub until: NaiveDateTime,
    pub weekdays: Vec<i32>,
}

/// What the listing finds: published activities matching every field given (values of one field
/// match any of them).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActivitySearch {
    /// Words that must all appear (lower-case letters and digits).
    pub words: Vec<String>,
    pub organisations: Vec<OrganisationId>,
    /// Per vocabulary, the codes of which an activity must have one.
    pub terms: Vec<(Vocabulary, Vec<String>)>,
    pub languages: Vec<String>,
    pub modes: Vec<Mode>,
    pub districts: Vec<String>,
    pub postcodes: Vec<String>,
    pub housing_areas: Vec<String>,
    pub free: Option<bool>,
    pub seeks_volunteers: Option<bool>,
    /// `Some(true)`: not marked full; `Some(false)`: marked full.
    pub has_capacity: Option<bool>,
    /// The local start time, in minutes after midnight, within these bounds (both included).
    pub start_minutes: Option<(i32, i32)>,
    pub occurring: Option<Occurring>,
    pub near: Option<Near>,
}

impl ActivitySearch {
    /// The search without the filter that `facet` counts, so its counts show the alternatives.
    pub fn without(&self, facet: Facet) -> ActivitySearch {
        let mut s = self.clone();
        match facet {
            Facet::Language => s.languages.clear(),
            Facet::Mode => s.modes.clear(),
            Facet::District => s.districts.clear(),
            Facet::Term(vocabulary) => s.terms.retain(|(v, _)| *v != vocabulary),
        }
        s
    }
}

/// A checked listing request.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityListing {
    pub search: ActivitySearch,
    pub sort: ListingSort,
    pub facets: Vec<Facet>,
}

impl ActivityListing {
    /// Checks that a cursor's key belongs to this listing's order.
    pub fn resume_after(&self, key: Option<ListingKey>) -> Result<Option<ListingKey>, ListingError> {
        match key {
            Some(key) if key.sort() != self.sort => Err(ListingError::CursorOfAnotherOrder),
            key => Ok(key),
        }
    }
}

/// A listing parameter that cannot be used (a 400, with this message).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListingError {
    #[error("lat must be -90 to 90 and lon -180 to 180")]
    PointOutOfRange,
    #[error("radius_m must be 1 to 50000")]
    RadiusOutOfRange,
    #[error("give lat and lon together (and radius_m only with them)")]
    IncompletePoint,
    #[error(
        "unknown facet `{0}`; facets: activity_type, target_group, accessibility, first_visit_support, volunteer_role, language, mode, district"
    )]
    UnknownFacet(String),
    #[error("q must be at most 200 characters")]
    QueryTooLong,
    #[error("q must contain at least one word")]
    NoWords,
    #[error("q may contain at most 8 words")]
    TooManyWords,
    #[error("sort=distance needs lat and lon")]
    DistanceWithoutPoint,
    #[error("sort=relevance needs q")]
    RelevanceWithoutWords,
    #[error("time_from must not be after time_to")]
    TimesReversed,
    #[error("date_to must not be before date_from")]
    DatesReversed,
    #[error("date_to is in the past: the listing shows what is coming (today is {0})")]
    DateInThePast(NaiveDate),
    #[error("date_to can be at most {SEARCH_HORIZON_DAYS} days ahead (until {0})")]
    BeyondHorizon(NaiveDate),
    #[error("postcode must be four digits")]
    BadPostcode,
    #[error("unknown {0} `{1}`: see GET /api/v1/taxonomy")]
    UnknownCode(&'static str, String),
    #[error("the cursor belongs to a listing in another order")]
    CursorOfAnotherOrder,
}

/// The most words a free-text query may have, and the longest it may be.
const MAX_WORDS: usize = 8;
const MAX_QUERY_CHARS: usize = 200;

/// The words of a free-text query: lower-cased runs of letters and digits (at most 50 characters each).
pub fn query_words(q: &str) -> Result<Vec<String>, ListingError> {
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(ListingError::QueryTooLong);
    }
    let words: Vec<String> = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().chars().take(50).collect())
        .collect();
    match words.len() {
        0 => Err(ListingError::NoWords),
        n if n > MAX_WORDS => Err(ListingError::TooManyWords),
        _ => Ok(words),
    }
}

impl ListingParams {
    /// Checks every parameter (the codes against the taxonomy, the dates against `today`, the
    /// local date in Copenhagen) and builds the listing.
    pub fn into_listing(self, known: &KnownCodes, today: NaiveDate) -> Result<ActivityListing, ListingError> {
        let near = self.near()?;
        let facets = self.facets()?;
        let words = self.q.as_deref().map(query_words).transpose()?.unwrap_or_default();
        let sort = match (self.sort, near.is_some(), !words.is_empty()) {
            (Some(ListingSort::Distance), false, _) => return Err(ListingError::DistanceWithoutPoint),
            (Some(ListingSort::Relevance), _, false) => return Err(ListingError::RelevanceWithoutWords),
            (Some(sort), _, _) => sort,
            (None, _, true) => ListingSort::Relevance,
            (None, true, false) => ListingSort::Distance,
            (None, false, false) => ListingSort::Name,
        };
        let start_minutes = self.start_minutes()?;
        let occurring = self.occurring(today)?;
        if self.postcode.iter().any(|p| p.len() != 4 || !p.bytes().all(|b| b.is_ascii_digit())) {
            return Err(ListingError::BadPostcode);
        }
        self.check_codes(known)?;
        let ListingParams {
            organisation,
            activity_type,
            target_group,
            accessibility,
            first_visit_support,
            volunteer_role,
            language,
            mode,
            district,
            postcode,
            housing_area,
            free,
            seeks_volunteers,
            has_capacity,
            ..
        } = self;
        let search = ActivitySearch {
            words,
            organisations: organisation.into_iter().map(OrganisationId::from).collect(),
            terms: vec![
                (Vocabulary::ActivityType, activity_type),
                (Vocabulary::TargetGroup, target_group),
                (Vocabulary::Accessibility, accessibility),
                (Vocabulary::FirstVisitSupport, first_visit_support),
                (Vocabulary::VolunteerRole, volunteer_role),
            ],
            languages: language,
            modes: mode,
            districts: district,
            postcodes: postcode,
            housing_areas: housing_area,
            free,
            seeks_volunteers,
            has_capacity,
            start_minutes,
            occurring,
            near,
        };
        Ok(ActivityListing { search, sort, facets })
    }

    fn near(&self) -> Result<Option<Near>, ListingError> {
        match (self.lat, self.lon) {
            (Some(lat), Some(lon)) => {
                if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                    return Err(ListingError::PointOutOfRange);
                }
                let radius_m = self.radius_m.unwrap_or(2000.0);
                if !(1.0..=50_000.0).contains(&radius_m) {
                    return Err(ListingError::RadiusOutOfRange);
                }
                Ok(Some(Near { lat, lon, radius_m }))
            }
            (None, None) if self.radius_m.is_none() => Ok(None),
            _ => Err(ListingError::IncompletePoint),
        }
    }

    fn facets(&self) -> Result<Vec<Facet>, ListingError> {
        let names = self.facets.as_deref().unwrap_or("").split(',').map(str::trim).filter(|f| !f.is_empty());
        names.map(|name| Facet::parse(name).ok_or_else(|| ListingError::UnknownFacet(name.to_owned()))).collect()
    }

    fn start_minutes(&self) -> Result<Option<(i32, i32)>, ListingError> {
        if self.time_from.is_none() && self.time_to.is_none() {
            return Ok(None);
        }
        let minute = |t: NaiveTime| (t.hour() * 60 + t.minute()) as i32;
        let (from, to) = (self.time_from.map_or(0, minute), self.time_to.map_or(24 * 60 - 1, minute));
        if from > to {
            return Err(ListingError::TimesReversed);
        }
        Ok(Some((from, to)))
    }

    /// The weekday and date filters as a span of stored occurrences: by local dates, from today
    /// (or `date_from`) to the search horizon (or `date_to`).
    fn occurring(&self, today: NaiveDate) -> Result<Option<Occurring>, ListingError> {
        if self.date_from.is_none() && self.date_to.is_none() && self.weekday.is_empty() {
            return Ok(None);
        }
        let last = today + Duration::days(SEARCH_HORIZON_DAYS);
        let from = self.date_from.unwrap_or(today).max(today);
        let to = self.date_to.unwrap_or(last);
        if self.date_to.is_some_and(|to| Some(to) < self.date_from) {
            return Err(ListingError::DatesReversed);
        }
        if to < today {
            return Err(ListingError::DateInThePast(today));
        }
        if to > last {
            return Err(ListingError::BeyondHorizon(last));
        }
        let mut weekdays: Vec<i32> = self.weekday.iter().map(|w| w.iso_number()).collect();
        weekdays.sort_unstable();
        weekdays.dedup();
        Ok(Some(Occurring {
            from: day_start(from).naive_utc(),
            until: day_start(to + Duration::days(1)).naive_utc(),
            weekdays,
        }))
    }

    /// The vocabulary, district and housing-area filters must name codes of the taxonomy, so a
    /// misspelt code is a 400 rather than an empty result.
    fn check_codes(&self, known: &KnownCodes) -> Result<(), ListingError> {
        let lists = [
            (Vocabulary::ActivityType.as_str(), &self.activity_type, known.terms(Vocabulary::ActivityType)),
            (Vocabulary::TargetGroup.as_str(), &self.target_group, known.terms(Vocabulary::TargetGroup)),
            (Vocabulary::Accessibility.as_str(), &self.accessibility, known.terms(Vocabulary::Accessibility)),
            (
                Vocabulary::FirstVisitSupport.as_str(),
                &self.first_visit_support,
                known.terms(Vocabulary::FirstVisitSupport),
            ),
            (Vocabulary::VolunteerRole.as_str(), &self.volunteer_role, known.terms(Vocabulary::VolunteerRole)),
            ("district", &self.district, &known.districts),
            ("housing_area", &self.housing_area, &known.housing_areas),
        ];
        for (name, values, known) in lists {
            if let Some(unknown) = values.iter().find(|v| !known.contains(*v)) {
                return Err(ListingError::UnknownCode(name, unknown.clone()));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_far_from_denmark_cannot_reach_any_place() {
        let near = |lat, lon| Near { lat, lon, radius_m: 50_000.0 };
        assert!(near(55.68, 12.57).reaches_denmark());
        assert!(near(54.0, 15.9).reaches_denmark(), "within the largest radius of Bornholm's waters");
        for (lat, lon) in [(0.0, 0.0), (-89.9, -179.9), (52.5, 13.4), (59.9, 10.7), (55.7, 90.0)] {
            assert!(!near(lat, lon).reaches_denmark(), "{lat},{lon}");
        }
        let copenhagen = near(55.6761, 12.5683);
        assert!(copenhagen.distance_m(&copenhagen.centre()) == 0.0);
    }
    use crate::directory::activity::tests::known;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    fn parse(params: ListingParams) -> Result<ActivityListing, ListingError> {
        params.into_listing(&known(), today())
    }

    #[test]
    fn the_order_follows_what_was_asked_for() {
        assert_eq!(parse(ListingParams::default()).unwrap().sort, ListingSort::Name);
        let near = || ListingParams { lat: Some(55.69), lon: Some(12.55), ..Default::default() };
        let listing = parse(near()).unwrap();
        assert_eq!(listing.sort, ListingSort::Distance);
        assert_eq!(listing.search.near.unwrap().radius_m, 2000.0);
        let text = ListingParams { q: Some("Sang, KOR!".into()), ..near() };
        let listing = parse(text).unwrap();
        assert_eq!(
            (listing.sort, listing.search.words.clone()),
            (ListingSort::Relevance, vec!["sang".into(), "kor".into()])
        );
        let wrong = ListingParams { sort: Some(ListingSort::Relevance), ..Default::default() };
        assert_eq!(parse(wrong), Err(ListingError::RelevanceWithoutWords));
        let wrong = ListingParams { sort: Some(ListingSort::Distance), ..Default::default() };
        assert_eq!(parse(wrong), Err(ListingError::DistanceWithoutPoint));
    }

    #[test]
    fn bad_parameters_say_what_is_wrong() {
        let cases = [
            (ListingParams { lat: Some(95.0), lon: Some(12.0), ..Default::default() }, ListingError::PointOutOfRange),
            (ListingParams { lat: Some(55.0), ..Default::default() }, ListingError::IncompletePoint),
            (ListingParams { q: Some(" ,; ".into()), ..Default::default() }, ListingError::NoWords),
            (ListingParams { q: Some("a b c d e f g h i".into()), ..Default::default() }, ListingError::TooManyWords),
            (
                ListingParams { facets: Some("mode,colour".into()), ..Default::default() },
                ListingError::UnknownFacet("colour".into()),
            ),
            (ListingParams { postcode: vec!["22OO".into()], ..Default::default() }, ListingError::BadPostcode),
            (
                ListingParams { target_group: vec!["aliens".into()], ..Default::default() },
                ListingError::UnknownCode("target_group", "aliens".into()),
            ),
            (
                ListingParams { date_to: Some(today() - Duration::days(1)), ..Default::default() },
                ListingError::DateInThePast(today()),
            ),
        ];
        for (params, expected) in cases {
            assert_eq!(parse(params), Err(expected));
        }
    }

    #[test]
    fn dates_and_weekdays_become_a_span_of_occurrences() {
        let params = ListingParams {
            weekday: vec![Weekday::Friday, Weekday::Monday, Weekday::Friday],
            date_to: Some(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()),
            ..Default::default()
        };
        let occurring = parse(params).unwrap().search.occurring.unwrap();
        assert_eq!(occurring.weekdays, [1, 5]);
        // Copenhagen is an hour ahead of UTC in winter.
        assert_eq!(occurring.from.to_string(), "2026-11-30 23:00:00");
        assert_eq!(occurring.until.to_string(), "2026-12-31 23:00:00");
    }

    #[test]
    fn a_facet_counts_without_its_own_filter_and_cursors_keep_their_order() {
        let params = ListingParams {
            target_group: vec!["dementia".into()],
            mode: vec![Mode::InPerson],
            facets: Some("target_group, mode".into()),
            ..Default::default()
        };
        let listing = parse(params).unwrap();
        assert_eq!(listing.facets, [Facet::Term(Vocabulary::TargetGroup), Facet::Mode]);
        let without = listing.search.without(Facet::Term(Vocabulary::TargetGroup));
        assert!(without.terms.iter().all(|(v, _)| *v != Vocabulary::TargetGroup));
        assert_eq!(without.modes, [Mode::InPerson]);
        let key = ListingKey::Distance(4.0, ActivityId::new());
        assert_eq!(listing.resume_after(Some(key)), Err(ListingError::CursorOfAnotherOrder));
        let key = ListingKey::Name("Kor".into(), ActivityId::new());
        assert_eq!(listing.resume_after(Some(key.clone())), Ok(Some(key)));
    }
}
