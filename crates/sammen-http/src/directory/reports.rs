//! `GET /reports/coverage`: where weekly communities reach, and the elderly-housing areas and
//! districts they do not. For the municipality's staff, to plan where communities are missing.
//! The rules are in `sammen_domain::directory::coverage`; this module reads the parameters,
//! runs the report on the blocking pool and labels its codes.

use std::collections::{BTreeMap, HashMap};

use actix_web::{HttpResponse, get, web};
use chrono::{Duration, NaiveDate, Utc};
use sammen_domain::directory::coverage::{self, AreaCentre, DETOUR_FACTOR, Tally, WEEKS};
use sammen_domain::directory::policy;
use sammen_domain::directory::schedule::{TIME_ZONE, Weekday};
use sammen_domain::directory::vocabulary::Vocabulary;
use sammen_store::directory::{self as store, CoverageFilter, Taxonomy};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::taxonomy::Label;
use crate::identity::Caller;
use crate::platform::extract::Query;
use crate::problem::ApiError;
use crate::state::AppState;

/// The walking distance when none is asked for: ten minutes at an older person's pace.
const DEFAULT_WALKING_M: u32 = 800;
const WALKING_RANGE: std::ops::RangeInclusive<u32> = 100..=5000;
/// How far ahead `as_of` may be: the rule looks at the four weeks from it.
const MAX_DAYS_AHEAD: i64 = 365;

/// The report's parameters. Repeated values of one parameter match any of them (OR); different
/// parameters combine with AND. An unknown parameter is a 400, so a misspelt one never quietly
/// gives the default report.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CoverageQuery {
    /// How far people walk, in whole metres of estimated walking (the straight line × 1.3):
    /// default 800, 100 to 5000.
    #[param(minimum = 100, maximum = 5000, default = 800)]
    pub walking_distance_m: Option<u32>,
    /// Report only these districts (codes from `GET /taxonomy`) and their housing areas. The
    /// `municipality` counts stay municipality-wide.
    #[serde(default)]
    pub district: Vec<String>,
    /// Count only activities of these types.
    #[serde(default)]
    pub activity_type: Vec<String>,
    /// Count only activities for these target groups (e.g. `dementia`: where do people with
    /// dementia have nothing within walking distance?).
    #[serde(default)]
    pub target_group: Vec<String>,
    /// The date from which an activity must meet every week for the next four (default today in
    /// Copenhagen; up to 365 days ahead, never in the past, since the report reads what is
    /// published now).
    pub as_of: Option<NaiveDate>,
}

/// How many counted activities have one code.
#[derive(Debug, Serialize, ToSchema)]
pub struct CodeCount {
    #[schema(example = "singing_music")]
    pub code: String,
    pub label: Label,
    pub count: usize,
}

/// How many counted activities meet on one weekday (an activity on two days counts on both).
#[derive(Debug, Serialize, ToSchema)]
pub struct WeekdayCount {
    pub weekday: Weekday,
    pub count: usize,
}

/// Counts of weekly activities. Codes without any are left out, most first; all seven weekdays
/// are listed, Monday first, so weekend gaps show as zeros.
#[derive(Debug, Serialize, ToSchema)]
pub struct Counts {
    pub weekly_activities: usize,
    pub by_activity_type: Vec<CodeCount>,
    pub by_target_group: Vec<CodeCount>,
    pub by_weekday: Vec<WeekdayCount>,
}

/// The weekly activities that reach an elderly-housing area: within walking distance of its
/// centre, or naming it as an area they serve.
#[derive(Debug, Serialize, ToSchema)]
pub struct HousingAreaCoverage {
    #[schema(example = "mjolnerparken")]
    pub code: String,
    pub name: String,
    /// The centre walking distances are measured from (WGS84).
    pub lat: f64,
    pub lon: f64,
    /// At least one weekly activity reaches it.
    pub covered: bool,
    /// The estimated walking distance in metres to the nearest weekly activity anywhere (even
    /// beyond `walking_distance_m`); `null` when there is none at all.
    pub nearest_walking_m: Option<u32>,
    #[serde(flatten)]
    pub counts: Counts,
}

/// A district: the weekly activities located in it, and its housing areas.
#[derive(Debug, Serialize, ToSchema)]
pub struct DistrictCoverage {
    #[schema(example = "norrebro")]
    pub code: String,
    pub name: String,
    /// At least one weekly activity is located in it.
    pub covered: bool,
    /// How many of its housing areas no weekly activity reaches.
    pub uncovered_housing_areas: usize,
    #[serde(flatten)]
    pub counts: Counts,
    pub housing_areas: Vec<HousingAreaCoverage>,
}

/// Every weekly activity counted, wherever it is.
#[derive(Debug, Serialize, ToSchema)]
pub struct MunicipalityCoverage {
    /// Weekly activities without a district: they reach housing areas near them, but count for
    /// no district.
    pub without_district: usize,
    #[serde(flatten)]
    pub counts: Counts,
}

/// An elderly-housing area no weekly activity reaches.
#[derive(Debug, Serialize, ToSchema)]
pub struct UncoveredHousingArea {
    pub code: String,
    pub name: String,
    pub district_code: String,
    /// The estimated walking distance in metres to the nearest weekly activity, if any.
    pub nearest_walking_m: Option<u32>,
}

/// A district with no weekly activity located in it.
#[derive(Debug, Serialize, ToSchema)]
pub struct UncoveredDistrict {
    pub code: String,
    pub name: String,
}

/// Where communities are missing.
#[derive(Debug, Serialize, ToSchema)]
pub struct Uncovered {
    pub housing_areas: Vec<UncoveredHousingArea>,
    pub districts: Vec<UncoveredDistrict>,
}

/// The coverage report.
#[derive(Debug, Serialize, ToSchema)]
pub struct CoverageReport {
    /// The date the weekly rule was checked from.
    pub as_of: NaiveDate,
    /// Weeks ahead an activity must meet in every one of to count as weekly.
    #[schema(example = 4)]
    pub weeks: i64,
    /// Estimated walking metres within which an activity reaches a housing area.
    #[schema(example = 800)]
    pub walking_distance_m: u32,
    /// Walking is estimated as the straight line times this.
    #[schema(example = 1.3)]
    pub detour_factor: f64,
    /// `walking_distance_m` as a straight line on the map, in metres.
    #[schema(example = 615)]
    pub straight_line_m: u32,
    pub municipality: MunicipalityCoverage,
    /// The uncovered housing areas and districts of the report, in the taxonomy's order.
    pub uncovered: Uncovered,
    pub districts: Vec<DistrictCoverage>,
}

/// Checks the filter codes against the taxonomy, so a misspelt code is a 400, not an empty report.
fn check_codes(q: &CoverageQuery, taxonomy: &Taxonomy) -> Result<(), ApiError> {
    let known = taxonomy.known_codes();
    let lists = [
        ("district", &q.district, &known.districts),
        (Vocabulary::ActivityType.as_str(), &q.activity_type, known.terms(Vocabulary::ActivityType)),
        (Vocabulary::TargetGroup.as_str(), &q.target_group, known.terms(Vocabulary::TargetGroup)),
    ];
    for (name, values, known) in lists {
        if let Some(unknown) = values.iter().find(|v| !known.contains(*v)) {
            return Err(ApiError::BadRequest(format!("unknown {name} `{unknown}`: see GET /api/v1/taxonomy")));
        }
    }
    Ok(())
}

/// Whole metres, for the answer.
fn metres(m: f64) -> u32 {
    m.round() as u32
}

/// Turns a tally into counts with labels.
struct Labeller(HashMap<(Vocabulary, String), Label>);

impl Labeller {
    fn new(taxonomy: &Taxonomy) -> Self {
        Labeller(
            taxonomy
                .terms
                .iter()
                .map(|t| {
                    let label = Label { da: t.label_da.clone(), en: t.label_en.clone() };
                    ((t.vocabulary, t.code.clone()), label)
                })
                .collect(),
        )
    }

    fn codes(&self, vocabulary: Vocabulary, counts: &BTreeMap<String, usize>) -> Vec<CodeCount> {
        let mut list: Vec<CodeCount> = counts
            .iter()
            .map(|(code, count)| {
                // The foreign key keeps every stored code in the taxonomy; the code stands in
                // for a label only if a term were deleted behind the database's back.
                let label = self.0.get(&(vocabulary, code.clone())).map_or_else(
                    || Label { da: code.clone(), en: code.clone() },
                    |l| Label { da: l.da.clone(), en: l.en.clone() },
                );
                CodeCount { code: code.clone(), label, count: *count }
            })
            .collect();
        list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
        list
    }

    fn counts(&self, tally: &Tally) -> Counts {
        Counts {
            weekly_activities: tally.activities,
            by_activity_type: self.codes(Vocabulary::ActivityType, &tally.by_activity_type),
            by_target_group: self.codes(Vocabulary::TargetGroup, &tally.by_target_group),
            by_weekday: tally
                .by_weekday
                .iter()
                .map(|(weekday, count)| WeekdayCount { weekday: *weekday, count: *count })
                .collect(),
        }
    }
}

/// Where weekly communities reach, and where they are missing.
///
/// Staff and admins. Per district (the weekly activities located in it) and per elderly-housing
/// area (the weekly activities within `walking_distance_m` of estimated walking from its centre,
/// or naming it as an area they serve): counts in total, by activity type, by target group and
/// by weekday, whether it is covered, and the walk to the nearest weekly activity; then the
/// uncovered areas and districts.
///
/// Counted are published **in-person** activities (online, phone and home-visit activities
/// have no place to walk to) that are **weekly**: their schedule gives a date in every one of
/// the four weeks from `as_of` (every week on any weekdays, or single dates a week apart);
/// every other week, monthly, not yet started or ending within those weeks do not count, while
/// holidays, cancellations and summer breaks are not held against a weekly rhythm. Walking is
/// the straight line times 1.3.
#[utoipa::path(
    tag = "directory",
    params(CoverageQuery),
    responses((status = 200, description = "The coverage report", body = CoverageReport)),
    security(("bearer_auth" = []))
)]
#[get("/reports/coverage")]
pub async fn coverage_report(
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<CoverageQuery>,
) -> Result<HttpResponse, ApiError> {
    policy::staff(&caller)?;
    let q = query.into_inner();
    let walking = q.walking_distance_m.unwrap_or(DEFAULT_WALKING_M);
    if !WALKING_RANGE.contains(&walking) {
        return Err(ApiError::BadRequest(format!(
            "walking_distance_m must be {} to {} metres",
            WALKING_RANGE.start(),
            WALKING_RANGE.end()
        )));
    }
    let today = Utc::now().with_timezone(&TIME_ZONE).date_naive();
    let as_of = q.as_of.unwrap_or(today);
    if as_of < today || as_of > today + Duration::days(MAX_DAYS_AHEAD) {
        return Err(ApiError::BadRequest(format!(
            "as_of must be today ({today}) or up to {MAX_DAYS_AHEAD} days ahead: the report reads what is published now"
        )));
    }
    let taxonomy = state.db(store::load_taxonomy).await?;
    check_codes(&q, &taxonomy)?;

    let districts: Vec<&store::District> =
        taxonomy.districts.iter().filter(|d| q.district.is_empty() || q.district.contains(&d.code)).collect();
    let district_codes: Vec<String> = districts.iter().map(|d| d.code.clone()).collect();
    let areas: Vec<AreaCentre> = taxonomy
        .housing_areas
        .iter()
        .map(|h| AreaCentre { code: h.code.clone(), district: h.district_code.clone(), lat: h.lat, lon: h.lon })
        .collect();
    let filter = CoverageFilter { activity_types: q.activity_type, target_groups: q.target_group };
    // Reading and counting both run on the blocking pool: with 100,000 activities the counting
    // takes a moment of CPU that must not stall the server's workers.
    let report = state
        .db(move |conn| {
            let started = std::time::Instant::now();
            let placed = store::placed_activities(conn, &filter)?;
            let read = started.elapsed();
            let report = coverage::report(&district_codes, &areas, &placed, as_of, f64::from(walking));
            log::debug!(
                target: "sammen::reports",
                "coverage: {} activities read in {:.1} ms, counted in {:.1} ms",
                placed.len(),
                read.as_secs_f64() * 1000.0,
                (started.elapsed() - read).as_secs_f64() * 1000.0
            );
            Ok::<_, ApiError>(report)
        })
        .await?;

    let labels = Labeller::new(&taxonomy);
    let area_info: HashMap<&str, &store::HousingArea> =
        taxonomy.housing_areas.iter().map(|h| (h.code.as_str(), h)).collect();
    let mut uncovered = Uncovered { housing_areas: Vec::new(), districts: Vec::new() };
    let mut out = Vec::with_capacity(report.districts.len());
    for (district, d) in districts.iter().zip(&report.districts) {
        let mut housing_areas = Vec::with_capacity(d.housing_areas.len());
        for a in &d.housing_areas {
            let Some(info) = area_info.get(a.code.as_str()) else { continue };
            let nearest_walking_m = a.nearest_walking_m.map(metres);
            if !a.tally.covered() {
                uncovered.housing_areas.push(UncoveredHousingArea {
                    code: info.code.clone(),
                    name: info.name.clone(),
                    district_code: info.district_code.clone(),
                    nearest_walking_m,
                });
            }
            housing_areas.push(HousingAreaCoverage {
                code: info.code.clone(),
                name: info.name.clone(),
                lat: info.lat,
                lon: info.lon,
                covered: a.tally.covered(),
                nearest_walking_m,
                counts: labels.counts(&a.tally),
            });
        }
        if !d.tally.covered() {
            uncovered.districts.push(UncoveredDistrict { code: district.code.clone(), name: district.name.clone() });
        }
        out.push(DistrictCoverage {
            code: district.code.clone(),
            name: district.name.clone(),
            covered: d.tally.covered(),
            uncovered_housing_areas: d.uncovered_housing_areas(),
            counts: labels.counts(&d.tally),
            housing_areas,
        });
    }
    Ok(HttpResponse::Ok().json(CoverageReport {
        as_of,
        weeks: WEEKS,
        walking_distance_m: walking,
        detour_factor: DETOUR_FACTOR,
        straight_line_m: metres(f64::from(walking) / DETOUR_FACTOR),
        municipality: MunicipalityCoverage {
            without_district: report.without_district,
            counts: labels.counts(&report.municipality),
        },
        uncovered,
        districts: out,
    }))
}
