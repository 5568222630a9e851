//! What the coverage report reads: every published in-person activity with a place, with its
//! schedule, activity types, target groups and the housing areas it names. Three queries
//! however many activities there are; the rules (weekly or not, how far) are the domain's, in
//! Rust, since schedules are stored as JSON.

use std::collections::HashMap;

use diesel::prelude::*;
use sammen_domain::directory::activity::Mode;
use sammen_domain::directory::coverage::PlacedActivity;

use super::activities::{ActivitySearch, matching_housing_areas, matching_terms, published_matching};
use crate::conn::DbConn;
use crate::error::StoreResult;
use crate::schema::activities;

/// Which activities the report counts, beyond being published and in person. Each list matches
/// any of its codes; an empty list matches all.
#[derive(Debug, Clone, Default)]
pub struct CoverageFilter {
    pub activity_types: Vec<String>,
    pub target_groups: Vec<String>,
}

/// The published in-person activities with coordinates that match `filter`, in id order.
pub fn placed_activities(conn: &mut DbConn, filter: &CoverageFilter) -> StoreResult<Vec<PlacedActivity>> {
    let search = ActivitySearch {
        modes: vec![Mode::InPerson.as_str().to_owned()],
        terms: vec![("activity_type", filter.activity_types.clone()), ("target_group", filter.target_groups.clone())],
        ..Default::default()
    };
    let backend = conn.backend();
    let rows: Vec<(String, Option<f64>, Option<f64>, Option<String>, String)> = published_matching(&search, backend)
        .filter(activities::lat.is_not_null())
        .filter(activities::lon.is_not_null())
        .select((activities::id, activities::lat, activities::lon, activities::district_code, activities::schedule))
        .order(activities::id)
        .load(conn)?;
    let mut terms: HashMap<String, (Vec<String>, Vec<String>)> = HashMap::new();
    for (id, vocabulary, code) in matching_terms(conn, &search, &["activity_type", "target_group"])? {
        let (types, groups) = terms.entry(id).or_default();
        if vocabulary == "activity_type" { types } else { groups }.push(code);
    }
    let mut areas: HashMap<String, Vec<String>> = HashMap::new();
    for (id, area) in matching_housing_areas(conn, &search)? {
        areas.entry(id).or_default().push(area);
    }
    rows.into_iter()
        .filter_map(|(id, lat, lon, district, schedule)| Some((id, lat?, lon?, district, schedule)))
        .map(|(id, lat, lon, district, schedule)| {
            let (activity_types, target_groups) = terms.remove(&id).unwrap_or_default();
            Ok(PlacedActivity {
                housing_areas: areas.remove(&id).unwrap_or_default(),
                schedule: serde_json::from_str(&schedule)?,
                id,
                lat,
                lon,
                district,
                activity_types,
                target_groups,
            })
        })
        .collect()
}
