//! What the coverage report reads: every published in-person activity with a place, with its
//! schedule, activity types, target groups and the housing areas it names. One query however
//! many activities there are; the rules (weekly or not, how far) are the domain's, in Rust,
//! since schedules are stored as JSON.

use diesel::prelude::*;
use sammen_domain::directory::activity::Mode;
use sammen_domain::directory::coverage::PlacedActivity;
use sammen_domain::directory::search::ActivitySearch;
use sammen_domain::directory::vocabulary::Vocabulary;

use super::activities::published_matching;
use crate::dialect::DbConn;
use crate::dialect::sql::{CODE_SEPARATOR, JoinedCodes, joined_codes};
use crate::error::StoreResult;
use crate::schema::activities;

/// Which activities the report counts, beyond being published and in person. Each list matches
/// any of its codes; an empty list matches all.
#[derive(Debug, Clone, Default)]
pub struct CoverageFilter {
    pub activity_types: Vec<String>,
    pub target_groups: Vec<String>,
}

fn split(codes: Option<String>) -> Vec<String> {
    codes.map(|c| c.split(CODE_SEPARATOR).map(str::to_owned).collect()).unwrap_or_default()
}

/// The published in-person activities with coordinates that match `filter`, in no particular
/// order (the report's counts do not depend on it, and sorting 100,000 rows is not free).
pub fn placed_activities(conn: &mut DbConn, filter: &CoverageFilter) -> StoreResult<Vec<PlacedActivity>> {
    let search = ActivitySearch {
        modes: vec![Mode::InPerson],
        terms: vec![
            (Vocabulary::ActivityType, filter.activity_types.clone()),
            (Vocabulary::TargetGroup, filter.target_groups.clone()),
        ],
        ..Default::default()
    };
    let backend = conn.backend();
    type Row = (String, f64, f64, Option<String>, String, Option<String>, Option<String>, Option<String>);
    let query = published_matching(&search, backend)
        .filter(activities::lat.is_not_null())
        .filter(activities::lon.is_not_null())
        .select((
            activities::id,
            activities::lat.assume_not_null(),
            activities::lon.assume_not_null(),
            activities::district_code,
            activities::schedule,
            joined_codes(backend, JoinedCodes::Terms(Vocabulary::ActivityType.as_str())),
            joined_codes(backend, JoinedCodes::Terms(Vocabulary::TargetGroup.as_str())),
            joined_codes(backend, JoinedCodes::HousingAreas),
        ));
    // (PostgreSQL sessions run with `jit = off`, see conn.rs: its JIT compiler judged this query
    // worth compiling, which took longer than the query itself at 100,000 activities.)
    let rows: Vec<Row> = query.load(conn)?;
    rows.into_iter()
        .map(|(id, lat, lon, district, schedule, types, groups, areas)| {
            Ok(PlacedActivity {
                schedule: serde_json::from_str(&schedule)?,
                id,
                lat,
                lon,
                district,
                housing_areas: split(areas),
                activity_types: split(types),
                target_groups: split(groups),
            })
        })
        .collect()
}
