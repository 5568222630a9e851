//! The rows of an activity and loading whole activities: the `activities` row, and its terms,
//! languages and housing areas from the join tables, for any number of activities in one more
//! round trip.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sammen_domain::Entity;
use sammen_domain::directory::activity::{ActivityContent, Location, Mode};
use sammen_domain::directory::moderation::ListingStatus;
use sammen_domain::directory::vocabulary::Vocabulary;
use sammen_domain::ids::{ActivityId, OrganisationId};
use sammen_domain::text::Text;

use super::Activity;
use crate::dialect::DbConn;
use crate::error::{Found, StoreError, StoreResult};
use crate::lock_rows;
use crate::schema::{activities, activity_housing_areas, activity_languages, activity_terms};

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
    schedule: String,
    start_minute: i32,
}

pub(super) fn columns(c: &ActivityContent) -> StoreResult<ContentColumns<'_>> {
    let location = c.location.as_ref();
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
        schedule: serde_json::to_string(&c.schedule)?,
        start_minute: c.schedule.start_minute(),
    })
}

/// The multi-valued fields of a set of activities.
#[derive(Default)]
struct Joined {
    terms: HashMap<ActivityId, Vec<(Vocabulary, String)>>,
    languages: HashMap<ActivityId, Vec<String>>,
    housing_areas: HashMap<ActivityId, Vec<String>>,
}

/// What a row of the joined query is: a vocabulary's term, a language or a housing area.
const LANGUAGE: &str = "language";
const HOUSING_AREA: &str = "housing_area";

fn load_joined(conn: &mut DbConn, ids: &[&str]) -> StoreResult<Joined> {
    use diesel::dsl::sql;
    use diesel::sql_types::Text;
    let mut joined = Joined::default();
    // One round trip for the three tables: (activity id, what, code). UNION is not in diesel's
    // multi-backend, so the same query is built for each connection type.
    macro_rules! joined_rows {
        () => {
            activity_terms::table
                .filter(activity_terms::activity_id.eq_any(ids))
                .select((activity_terms::activity_id, activity_terms::vocabulary, activity_terms::code))
                .union_all(activity_languages::table.filter(activity_languages::activity_id.eq_any(ids)).select((
                    activity_languages::activity_id,
                    sql::<Text>("'language'"),
                    activity_languages::language,
                )))
                .union_all(
                    activity_housing_areas::table.filter(activity_housing_areas::activity_id.eq_any(ids)).select((
                        activity_housing_areas::activity_id,
                        sql::<Text>("'housing_area'"),
                        activity_housing_areas::housing_area_code,
                    )),
                )
        };
    }
    let mut rows: Vec<(String, String, String)> = crate::db_run!(conn, c => joined_rows!().load(c))?;
    rows.sort();
    for (id, what, code) in rows {
        let id = ActivityId::from_stored(id);
        match what.as_str() {
            LANGUAGE => joined.languages.entry(id).or_default().push(code),
            HOUSING_AREA => joined.housing_areas.entry(id).or_default().push(code),
            vocabulary => {
                let vocabulary = Vocabulary::parse(vocabulary)
                    .ok_or_else(|| StoreError::Corrupt(format!("activity term of vocabulary `{vocabulary}`")))?;
                joined.terms.entry(id).or_default().push((vocabulary, code));
            }
        }
    }
    Ok(joined)
}

impl ActivityRow {
    fn into_activity(self, joined: &mut Joined) -> StoreResult<Activity> {
        let location = match (self.address, self.postcode, self.lat, self.lon) {
            (Some(address), Some(postcode), Some(lat), Some(lon)) => {
                Some(Location { address: Text::cleaned(address), postcode, district: self.district_code, lat, lon })
            }
            _ => None,
        };
        let mut content = ActivityContent {
            name: Text::cleaned(self.name),
            summary: Text::cleaned(self.summary),
            description: Text::cleaned(self.description),
            activity_types: Vec::new(),
            target_groups: Vec::new(),
            accessibility: Vec::new(),
            first_visit_support: Vec::new(),
            languages: joined.languages.remove(&self.id).unwrap_or_default(),
            mode: self.mode,
            cost_ore: self.cost_ore,
            registration_required: self.registration_required,
            registration_how: self.registration_how.map(Text::cleaned),
            capacity: self.capacity,
            full: self.is_full,
            seeks_volunteers: self.seeks_volunteers,
            volunteer_roles: Vec::new(),
            location,
            housing_areas: joined.housing_areas.remove(&self.id).unwrap_or_default(),
            schedule: serde_json::from_str(&self.schedule)?,
        };
        for (vocabulary, code) in joined.terms.remove(&self.id).unwrap_or_default() {
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

/// Whole activities from their rows, in the rows' order.
pub(super) fn load(conn: &mut DbConn, rows: Vec<ActivityRow>) -> StoreResult<Vec<Activity>> {
    let ids: Vec<ActivityId> = rows.iter().map(|r| r.id.clone()).collect();
    let id_refs: Vec<&str> = ids.iter().map(ActivityId::as_str).collect();
    let mut joined = load_joined(conn, &id_refs)?;
    rows.into_iter().map(|r| r.into_activity(&mut joined)).collect()
}

pub fn find_activity(conn: &mut DbConn, id: &ActivityId) -> StoreResult<Activity> {
    let row =
        activities::table.find(id.as_str()).select(ActivityRow::as_select()).first(conn).found(Entity::Activity)?;
    load(conn, vec![row])?.pop().ok_or(StoreError::NotFound(Entity::Activity))
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
        .select(ActivityRow::as_select())
        .first(conn)
        .optional()?;
    Ok(match row {
        Some(row) => load(conn, vec![row])?.pop(),
        None => None,
    })
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
        .select(ActivityRow::as_select())
        .load(conn)?;
    load(conn, rows)
}
