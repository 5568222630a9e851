//! What an activity looks like to a caller: the listing, its state, and for those who manage it
//! the drafts' and moderation's details; and the lean item the public listing shows.

use chrono::{DateTime, NaiveDate, Utc};
use sammen_domain::directory::activity::{ActivityContent, Location, Mode};
use sammen_domain::directory::moderation::{self, ListingStatus};
use sammen_domain::directory::policy::ListingView;
use sammen_domain::directory::schedule::{Occurrence, TIME_ZONE, TIME_ZONE_NAME};
use sammen_domain::directory::vocabulary::Vocabulary;
use sammen_store::directory::{Activity, ListedActivity};
use serde::Serialize;
use utoipa::ToSchema;

/// An activity as the caller may see it: the `listing` (the same shape as the request body) and
/// its state. The public sees published activities only; staff and the organisation's own people
/// also see drafts, a waiting change and a rejection's reason.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityResponse {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub organisation_id: String,
    /// What the organisation says about the activity (the published version, for the public).
    pub listing: ActivityContent,
    /// The IANA zone of the schedule's local times.
    #[schema(example = "Europe/Copenhagen")]
    pub time_zone: &'static str,
    /// The next time it takes place, if within 400 days.
    pub next_occurrence: Option<OccurrenceResponse>,
    /// When the organisation last confirmed the listing as current.
    pub assured_at: DateTime<Utc>,
    /// Not confirmed for 12 months: shown with a warning and ranked lower.
    pub stale: bool,
    pub status: ListingStatus,
    /// For staff and the organisation: why it was rejected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rejection_reason: Option<String>,
    /// For staff and the organisation: a change to the published listing waiting for staff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending_change: Option<ActivityContent>,
    /// For staff and the organisation: the integration's own id of the listing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One time an activity takes place.
#[derive(Debug, Serialize, ToSchema)]
pub struct OccurrenceResponse {
    /// The local date.
    pub date: NaiveDate,
    /// The start as local wall-clock time with its offset (`2026-03-31T10:00:00+02:00`).
    pub starts_at: DateTime<chrono::FixedOffset>,
    pub ends_at: DateTime<chrono::FixedOffset>,
}

pub fn occurrence(o: Occurrence) -> OccurrenceResponse {
    let local = |t: DateTime<Utc>| t.with_timezone(&TIME_ZONE).fixed_offset();
    OccurrenceResponse { date: o.date, starts_at: local(o.starts_at), ends_at: local(o.ends_at) }
}

/// The activity as `audience` sees it.
pub fn view(a: Activity, audience: ListingView) -> ActivityResponse {
    let now = Utc::now();
    let (pending_change, rejection_reason, external_id) = match audience {
        ListingView::Manager => (a.pending, a.rejection_reason, a.external_id),
        ListingView::Public => (None, None, None),
    };
    ActivityResponse {
        next_occurrence: a.content.schedule.next_occurrence(now).map(occurrence),
        time_zone: TIME_ZONE_NAME,
        stale: moderation::is_stale(a.assured_at.and_utc(), now),
        id: a.id.into_string(),
        organisation_id: a.organisation_id.into_string(),
        listing: a.content,
        assured_at: a.assured_at.and_utc(),
        status: a.status,
        rejection_reason,
        pending_change,
        external_id,
        published_at: a.published_at.map(|t| t.and_utc()),
        version: a.version,
        created_at: a.created_at.and_utc(),
        updated_at: a.updated_at.and_utc(),
    }
}

/// Where an activity is.
pub fn location(id: &sammen_domain::ids::ActivityId) -> String {
    format!("/api/v1/activities/{id}")
}

/// An organisation as a listed activity names it.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationRef {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
}

/// An activity in the public listing: what a result row shows. The whole activity (description,
/// schedule, registration, contact) is one request away at `GET /activities/{id}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityListItem {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
    pub summary: String,
    pub organisation: OrganisationRef,
    pub mode: Mode,
    /// The price of taking part once, in øre (0: free).
    pub cost_ore: i64,
    /// No free places just now.
    pub full: bool,
    pub seeks_volunteers: bool,
    /// Where it takes place (none for online and phone activities).
    pub location: Option<Location>,
    /// The next time it takes place, if within 400 days.
    pub next_occurrence: Option<OccurrenceResponse>,
    /// Metres from `lat`/`lon` (straight line), when they were given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance_m: Option<u32>,
    pub activity_types: Vec<String>,
    pub target_groups: Vec<String>,
    pub accessibility: Vec<String>,
    pub first_visit_support: Vec<String>,
    pub volunteer_roles: Vec<String>,
    pub languages: Vec<String>,
    pub housing_areas: Vec<String>,
    /// Not confirmed for 12 months: shown with a warning and ranked lower.
    pub stale: bool,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

/// A listed activity as the listing shows it, `distance_m` metres from the search's point.
pub fn list_item(a: ListedActivity, distance_m: Option<f64>) -> ActivityListItem {
    let now = Utc::now();
    ActivityListItem {
        next_occurrence: a.schedule.next_occurrence(now).map(occurrence),
        stale: moderation::is_stale(a.assured_at.and_utc(), now),
        distance_m: distance_m.map(|d| d.round() as u32),
        activity_types: a.codes.of(Vocabulary::ActivityType),
        target_groups: a.codes.of(Vocabulary::TargetGroup),
        accessibility: a.codes.of(Vocabulary::Accessibility),
        first_visit_support: a.codes.of(Vocabulary::FirstVisitSupport),
        volunteer_roles: a.codes.of(Vocabulary::VolunteerRole),
        languages: a.codes.languages,
        housing_areas: a.codes.housing_areas,
        id: a.id.into_string(),
        name: a.name,
        summary: a.summary,
        organisation: OrganisationRef { id: a.organisation_id.into_string(), name: a.organisation_name },
        mode: a.mode,
        cost_ore: a.cost_ore,
        full: a.full,
        seeks_volunteers: a.seeks_volunteers,
        location: a.location,
        version: a.version,
        updated_at: a.updated_at.and_utc(),
    }
}
