//! An activity as the public listing shows it: what a result row needs (name, summary, the
//! organisation's name, the place, the schedule for its next occurrence, the codes), read with
//! the page in one statement. The whole activity is one request away.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sammen_domain::directory::activity::{Location, Mode};
use sammen_domain::directory::geo::GridPoint;
use sammen_domain::directory::schedule::Schedule;
use sammen_domain::ids::{ActivityId, OrganisationId};

use super::load::{ActivityCodes, location};
use crate::error::StoreResult;
use crate::schema::{activities, organisations};

#[derive(Debug, Clone, PartialEq)]
pub struct ListedActivity {
    pub id: ActivityId,
    pub organisation_id: OrganisationId,
    pub organisation_name: String,
    pub name: String,
    pub summary: String,
    pub mode: Mode,
    pub cost_ore: i64,
    pub full: bool,
    pub seeks_volunteers: bool,
    pub location: Option<Location>,
    pub schedule: Schedule,
    pub codes: ActivityCodes,
    pub assured_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

/// The columns of a listed activity, from `activities` joined with its organisation.
#[derive(Queryable, Selectable)]
#[diesel(table_name = activities)]
pub(super) struct ListedRow {
    id: ActivityId,
    organisation_id: OrganisationId,
    #[diesel(select_expression = organisations::name)]
    organisation_name: String,
    name: String,
    summary: String,
    mode: Mode,
    cost_ore: i64,
    is_full: bool,
    seeks_volunteers: bool,
    address: Option<String>,
    postcode: Option<String>,
    district_code: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    easting: Option<f64>,
    northing: Option<f64>,
    schedule: String,
    assured_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

impl ListedRow {
    pub(super) fn id(&self) -> &str {
        self.id.as_str()
    }

    /// The listed activity, with its codes as `sql::activity_codes` aggregated them, and its place's
    /// grid point.
    pub(super) fn into_listed(self, codes: Option<&str>) -> StoreResult<(ListedActivity, Option<GridPoint>)> {
        let grid = self.easting.zip(self.northing).map(|(easting, northing)| GridPoint { easting, northing });
        let listed = ListedActivity {
            location: location(self.address, self.postcode, self.district_code, self.lat, self.lon),
            schedule: serde_json::from_str(&self.schedule)?,
            codes: ActivityCodes::parse(codes)?,
            id: self.id,
            organisation_id: self.organisation_id,
            organisation_name: self.organisation_name,
            name: self.name,
            summary: self.summary,
            mode: self.mode,
            cost_ore: self.cost_ore,
            full: self.is_full,
            seeks_volunteers: self.seeks_volunteers,
            assured_at: self.assured_at,
            updated_at: self.updated_at,
            version: self.version,
        };
        Ok((listed, grid))
    }
}
