//! The rows of an activity and loading whole activities: the `activities` row with its terms,
//! languages and housing areas aggregated beside it, so any number of whole activities come in
//! one statement.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Nullable;
use sammen_domain::Entity;
use sammen_domain::directory::activity::{ActivityContent, Location, Mode};
use sammen_domain::directory::geo::GridPoint;
use sammen_domain::directory::moderation::ListingStatus;
use sammen_domain::directory::vocabulary::Vocabulary;
use sammen_domain::ids::{ActivityId, OrganisationId};
use sammen_domain::text::Text;

use super::Activity;
use crate::dialect::sql::{CODE_SEPARATOR, activity_codes};
use crate::dialect::{Backend, DbConn, MultiBackend};
use crate::error::{Found, StoreError, StoreResult};
use crate::lock_rows;
use crate::schema::activities;

#[derive(Queryable, Selectable)]
#[diesel(table_name = activities)]
pub(super) struct ActivityRow {
    pub id: ActivityId,
    organisation_id: OrganisationId,
    external_id: Option<String>,
    status: ListingStatus,
    rejection_reason: Option<String>,
    pub name: String,
    summary: String,
    description: String,
    mode: Mode,
    cost_ore: i64,
    registration_required: bool,
    registration_how: Option<String>,
    capacity: Option<i32>,
    seeks_volunteers: bool,
    address: Option<String>,
    postcode: Option<String>,
    district_code: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    schedule: String,
    pending_content: Option<String>,
    pending_since: Option<NaiveDateTime>,
    assured_at: NaiveDateTime,
    published_at: Option<NaiveDateTime>,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    is_full: bool,
}

/// The content's single-valued fields, as written on insert and on update.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = activities, treat_none_as_null = true)]
pub(super) struct ContentColumns<'a> {
    name: &'a str,
    summary: &'a str,
    description: &'a str,
    mode: &'static str,
    cost_ore: i64,
    registration_required: bool,
    registration_how: Option<&'a str>,
    capacity: Option<i32>,
    is_full: bool,
    seeks_volunteers: bool,
    address: Option<&'a str>,
    postcode: Option<&'a str>,
    district_code: Option<&'a str>,
    lat: Option<f64>,
    lon: Option<f64>,
    easting: Option<f64>,
    northing: Option<f64>,
    schedule: String,
    start_minute: i32,
}

pub(super) fn columns(c: &ActivityContent) -> StoreResult<ContentColumns<'_>> {
    let location = c.location.as_ref();
    let grid = location.map(|l| GridPoint::from_wgs84(l.lat, l.lon));
    Ok(ContentColumns {
        name: &c.name,
        summary: &c.summary,
        description: &c.description,
        mode: c.mode.as_str(),
        cost_ore: c.cost_ore,
        registration_required: c.registration_required,
        registration_how: c.registration_how.as_deref(),
        capacity: c.capacity,
        is_full: c.full,
        seeks_volunteers: c.seeks_volunteers,
        address: location.map(|l| l.address.as_str()),
        postcode: location.map(|l| l.postcode.as_str()),
        district_code: location.and_then(|l| l.district.as_deref()),
        lat: location.map(|l| l.lat),
        lon: location.map(|l| l.lon),
        easting: grid.map(|g| g.easting),
        northing: grid.map(|g| g.northing),
        schedule: serde_json::to_string(&c.schedule)?,
        start_minute: c.schedule.start_minute(),
    })
}

/// An activity's codes, as `sql::activity_codes` aggregates them next to its row.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ActivityCodes {
    /// (vocabulary, code), by vocabulary and code.
    pub terms: Vec<(Vocabulary, String)>,
    pub languages: Vec<String>,
    pub housing_areas: Vec<String>,
}

/// What an entry of the aggregate is, besides a vocabulary's term.
const LANGUAGE: &str = "language";
const HOUSING_AREA: &str = "housing_area";

impl ActivityCodes {
    /// Reads the aggregate (`kind:code` entries separated by `CODE_SEPARATOR`), in a stable order.
    pub(super) fn parse(aggregate: Option<&str>) -> StoreResult<Self> {
        let mut codes = ActivityCodes::default();
        for entry in aggregate.unwrap_or_default().split(CODE_SEPARATOR).filter(|e| !e.is_empty()) {
            let (kind, code) =
                entry.split_once(':').ok_or_else(|| StoreError::Corrupt(format!("activity code `{entry}`")))?;
            match kind {
                LANGUAGE => codes.languages.push(code.to_owned()),
                HOUSING_AREA => codes.housing_areas.push(code.to_owned()),
                vocabulary => {
                    let vocabulary = Vocabulary::parse(vocabulary)
                        .ok_or_else(|| StoreError::Corrupt(format!("activity term of vocabulary `{vocabulary}`")))?;
                    codes.terms.push((vocabulary, code.to_owned()));
                }
            }
        }
        codes.terms.sort_by(|a, b| (a.0.as_str(), &a.1).cmp(&(b.0.as_str(), &b.1)));
        codes.languages.sort();
        codes.housing_areas.sort();
        Ok(codes)
    }

    /// The codes of one vocabulary.
    pub fn of(&self, vocabulary: Vocabulary) -> Vec<String> {
        self.terms.iter().filter(|(v, _)| *v == vocabulary).map(|(_, code)| code.clone()).collect()
    }
}

/// An activity's row and its codes, as one statement reads them (`whole_activity`).
pub(super) type Loaded = (ActivityRow, Option<String>);

/// What to select for whole activities: the row and its codes, in one statement.
pub(super) fn whole_activity(
    backend: Backend,
) -> (diesel::dsl::AsSelect<ActivityRow, MultiBackend>, crate::dialect::Sql<Nullable<diesel::sql_types::Text>>) {
    (ActivityRow::as_select(), activity_codes(backend))
}

/// Whole activities from what `whole_activity` selected, in the same order.
pub(super) fn whole(rows: Vec<Loaded>) -> StoreResult<Vec<Activity>> {
    rows.into_iter().map(|(row, codes)| row.into_activity(ActivityCodes::parse(codes.as_deref())?)).collect()
}

/// The place of an activity from its columns: all of address, postcode and coordinates, or none.
pub(super) fn location(
    address: Option<String>,
    postcode: Option<String>,
    district: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
) -> Option<Location> {
    match (address, postcode, lat, lon) {
        (Some(address), Some(postcode), Some(lat), Some(lon)) => {
            Some(Location { address: Text::cleaned(address), postcode, district, lat, lon })
        }
        _ => None,
    }
}

impl ActivityRow {
    fn into_activity(self, codes: ActivityCodes) -> StoreResult<Activity> {
        let location = location(self.address, self.postcode, self.district_code, self.lat, self.lon);
        let mut content = ActivityContent {
            name: Text::cleaned(self.name),
            summary: Text::cleaned(self.summary),
            description: Text::cleaned(self.description),
            activity_types: Vec::new(),
            target_groups: Vec::new(),
            accessibility: Vec::new(),
            first_visit_support: Vec::new(),
            languages: codes.languages,
            mode: self.mode,
            cost_ore: self.cost_ore,
            registration_required: self.registration_required,
            registration_how: self.registration_how.map(Text::cleaned),
            capacity: self.capacity,
            full: self.is_full,
            seeks_volunteers: self.seeks_volunteers,
            volunteer_roles: Vec::new(),
            location,
            housing_areas: codes.housing_areas,
            schedule: serde_json::from_str(&self.schedule)?,
        };
        for (vocabulary, code) in codes.terms {
            content.codes_mut(vocabulary).push(code);
        }
        Ok(Activity {
            id: self.id,
            organisation_id: self.organisation_id,
            external_id: self.external_id,
            status: self.status,
            rejection_reason: self.rejection_reason,
            content,
            pending: self.pending_content.map(|p| serde_json::from_str(&p)).transpose()?,
            pending_since: self.pending_since,
            assured_at: self.assured_at,
            published_at: self.published_at,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// The activity and its codes: one statement, prepared once per connection.
pub fn find_activity(conn: &mut DbConn, id: &ActivityId) -> StoreResult<Activity> {
    let row = activities::table
        .find(id.as_str())
        .select(whole_activity(conn.backend()))
        .first::<Loaded>(conn)
        .found(Entity::Activity)?;
    whole(vec![row])?.pop().ok_or(StoreError::NotFound(Entity::Activity))
}

/// Writes the grid point of every activity that has coordinates but no grid point yet (rows
/// from before the grid, or cloned by a benchmark), a batch at a time; how many. Run at start-up
/// after the migrations: SQL cannot compute the projection on both databases.
pub fn fill_grid_points(conn: &mut DbConn) -> StoreResult<usize> {
    let mut filled = 0;
    loop {
        let batch: Vec<(ActivityId, f64, f64)> = activities::table
            .filter(activities::easting.is_null())
            .filter(activities::lat.is_not_null().and(activities::lon.is_not_null()))
            .select((activities::id, activities::lat.assume_not_null(), activities::lon.assume_not_null()))
            .limit(1000)
            .load(conn)?;
        if batch.is_empty() {
            return Ok(filled);
        }
        filled += batch.len();
        crate::dialect::write_transaction(conn, |conn| {
            for (id, lat, lon) in &batch {
                let grid = GridPoint::from_wgs84(*lat, *lon);
                diesel::update(activities::table.find(id.as_str()))
                    .set((activities::easting.eq(grid.easting), activities::northing.eq(grid.northing)))
                    .execute(conn)?;
            }
            Ok::<_, StoreError>(())
        })?;
    }
}

/// The activity, locked until the end of the transaction: a command reads what it decides on
/// (status, version, a waiting change) with no other command changing it in between.
pub fn lock_activity(conn: &mut DbConn, id: &ActivityId) -> StoreResult<Activity> {
    lock_rows!(conn, activities::table.find(id.as_str()).select(activities::id))?;
    find_activity(conn, id)
}

pub fn find_by_external_id(
    conn: &mut DbConn,
    organisation_id: &OrganisationId,
    external_id: &str,
) -> StoreResult<Option<Activity>> {
    let row = activities::table
        .filter(activities::organisation_id.eq(organisation_id.as_str()))
        .filter(activities::external_id.eq(external_id))
        .select(whole_activity(conn.backend()))
        .first::<Loaded>(conn)
        .optional()?;
    Ok(whole(row.into_iter().collect())?.pop())
}

/// The organisation's listings with any of these external ids, in one query (and the three of
/// their multi-valued fields). Meant for a file's worth (thousands), well under the databases'
/// limits on bound parameters.
pub fn find_by_external_ids(
    conn: &mut DbConn,
    organisation_id: &OrganisationId,
    external_ids: &[&str],
) -> StoreResult<Vec<Activity>> {
    let rows = activities::table
        .filter(activities::organisation_id.eq(organisation_id.as_str()))
        .filter(activities::external_id.eq_any(external_ids))
        .select(whole_activity(conn.backend()))
        .load::<Loaded>(conn)?;
    whole(rows)
}
