//! Feeds of the public directory for other programs: an activity's or a search's calendar
//! (iCalendar), the change feed for platforms that keep a copy, and a search's places
//! (GeoJSON).

use actix_web::http::header::HeaderValue;
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use sammen_domain::directory::activity::Location;
use sammen_domain::directory::ical::{self, EventInfo};
use sammen_domain::directory::policy::ListingView;
use sammen_domain::directory::schedule::{MAX_WINDOW_DAYS, Schedule, local_date};
use sammen_domain::directory::search::ListingParams;
use sammen_domain::ids::ActivityId;
use sammen_store::directory as store;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::reads::visible;
use super::search::first_of_listing;
use super::views::{ActivityResponse, location, view};
use crate::identity::MaybeCaller;
use crate::platform::caching::{DIRECTORY_MAX_AGE, IfNoneMatch, Representation, public_get};
use crate::platform::extract::Query;
use crate::platform::pagination::{Page, PageParams, page_representation};
use crate::problem::ApiError;
use crate::state::AppState;

/// At most this many activities in one search calendar.
const CALENDAR_LIMIT: i64 = 500;

/// An activity as a calendar event: from a whole activity or a listed one.
fn event_info<'a>(
    id: &'a ActivityId,
    name: &'a str,
    summary: &'a str,
    place: Option<&Location>,
    updated_at: NaiveDateTime,
    schedule: &'a Schedule,
) -> EventInfo<'a> {
    EventInfo {
        id: id.as_str(),
        name,
        summary,
        location: place.map(|l| format!("{}, {}", l.address, l.postcode)),
        geo: place.map(|l| (l.lat, l.lon)),
        url: Some(location(id)),
        updated_at: updated_at.and_utc(),
        schedule,
    }
}

/// How far ahead skipped dates are listed.
fn calendar_horizon() -> NaiveDate {
    local_date(Utc::now()) + Duration::days(MAX_WINDOW_DAYS)
}

fn calendar<'a>(name: &str, events: impl Iterator<Item = EventInfo<'a>>) -> Representation {
    let horizon = calendar_horizon();
    let events = events.filter_map(|event| ical::vevent(&event, horizon));
    Representation::bytes(ical::calendar(name, events), HeaderValue::from_static("text/calendar; charset=utf-8"))
}

/// An activity as an iCalendar (RFC 5545) file.
///
/// One event with the activity's recurrence rule (or dates), the dates it skips as `EXDATE`s
/// (for the next 400 days), and the Europe/Copenhagen time zone. Subscribe to it in any calendar.
/// Public for published activities.
#[utoipa::path(
    tag = "directory",
    params(("id" = uuid::Uuid, Path, description = "The activity's id"), IfNoneMatch),
    responses((status = 200, description = "An iCalendar file", content_type = "text/calendar", body = String)),
    security(())
)]
#[get("/activities/{id}/calendar.ics")]
pub async fn activity_calendar(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: MaybeCaller,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let caller = caller.0.as_ref();
    public_get(&state, &req, caller, DIRECTORY_MAX_AGE, async {
        let (a, _) = visible(&state, caller, id.into_inner().into()).await?;
        let c = &a.content;
        let event = event_info(&a.id, &c.name, &c.summary, c.location.as_ref(), a.updated_at, &c.schedule);
        Ok(calendar(&c.name, std::iter::once(event)))
    })
    .await
}

/// The activities of a search as an iCalendar (RFC 5545) file.
///
/// The same parameters as `GET /activities` (without paging), at most 500 activities, one event
/// each. Public; published activities only.
#[utoipa::path(
    tag = "directory",
    params(ListingParams, IfNoneMatch),
    responses((status = 200, description = "An iCalendar file", content_type = "text/calendar", body = String)),
    security(())
)]
#[get("/activities/calendar.ics")]
pub async fn search_calendar(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: MaybeCaller,
    query: Query<ListingParams>,
) -> Result<HttpResponse, ApiError> {
    public_get(&state, &req, caller.0.as_ref(), DIRECTORY_MAX_AGE, async {
        let activities = first_of_listing(&state, query.into_inner(), CALENDAR_LIMIT).await?;
        let events = activities
            .iter()
            .map(|a| event_info(&a.id, &a.name, &a.summary, a.location.as_ref(), a.updated_at, &a.schedule));
        Ok(calendar("Sammen: aktiviteter", events))
    })
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangesQuery {
    /// Changes at or after this instant (RFC 3339); pass the `updated_at` of the last change you
    /// processed. Required.
    pub modified_since: DateTime<Utc>,
}

/// One change in the feed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityChange {
    #[schema(format = Uuid)]
    pub id: String,
    /// `upserted`: show this version; `deleted`: no longer public, remove it (a tombstone).
    #[schema(example = "upserted")]
    pub change: &'static str,
    pub updated_at: DateTime<Utc>,
    /// The public activity, for `upserted`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity: Option<ActivityResponse>,
}

/// The change feed of the public directory.
///
/// For frontends and platforms that keep a copy: every published activity changed at or after
/// `modified_since` (`upserted`), and every activity that was public and no longer is (`deleted`,
/// a tombstone), oldest change first; cursor pagination. Sync by storing the last `updated_at`
/// and asking again from it. Public.
#[utoipa::path(
    tag = "directory",
    params(ChangesQuery, PageParams, IfNoneMatch),
    responses((status = 200, description = "A page of changes", body = Page<ActivityChange>,
        headers(("Link" = String, description = "`<...>; rel=\"next\"` when another page follows")))),
    security(())
)]
#[get("/activities/changes")]
pub async fn activity_changes(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: MaybeCaller,
    query: Query<ChangesQuery>,
    params: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    public_get(&state, &req, caller.0.as_ref(), DIRECTORY_MAX_AGE, async {
        let page = params.resolve::<(DateTime<Utc>, ActivityId)>()?;
        let since = query.modified_since.naive_utc();
        let (after, fetch) = (page.after.clone().map(|(at, id)| (at.naive_utc(), id)), page.fetch());
        let changed = state.db(move |conn| store::changes_since(conn, since, after.as_ref(), fetch)).await?;
        page_representation(
            &req,
            &page,
            changed,
            |a| (a.updated_at.and_utc(), a.id.clone()),
            |a| {
                let public = a.status.is_public();
                ActivityChange {
                    id: a.id.to_string(),
                    change: if public { "upserted" } else { "deleted" },
                    updated_at: a.updated_at.and_utc(),
                    activity: public.then(|| view(a, ListingView::Public)),
                }
            },
        )
    })
    .await
}

/// At most this many points in one GeoJSON answer.
const GEOJSON_LIMIT: i64 = 2000;

/// The locations of a search as GeoJSON.
///
/// An RFC 7946 `FeatureCollection` of points (`[lon, lat]`) for the published in-person
/// activities matching the same parameters as `GET /activities` (without paging), at most 2000,
/// each with its id, name, organisation, mode and a link to it. Public.
#[utoipa::path(
    tag = "directory",
    params(ListingParams, IfNoneMatch),
    responses((status = 200, description = "A GeoJSON FeatureCollection", content_type = "application/geo+json", body = Object)),
    security(())
)]
#[get("/activities/locations.geojson")]
pub async fn activity_locations(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: MaybeCaller,
    query: Query<ListingParams>,
) -> Result<HttpResponse, ApiError> {
    public_get(&state, &req, caller.0.as_ref(), DIRECTORY_MAX_AGE, async {
        let activities = first_of_listing(&state, query.into_inner(), GEOJSON_LIMIT).await?;
        let features: Vec<serde_json::Value> = activities
            .into_iter()
            .filter_map(|a| {
                let l = a.location.as_ref()?;
                Some(serde_json::json!({
                    "type": "Feature",
                    "id": a.id,
                    "geometry": {"type": "Point", "coordinates": [l.lon, l.lat]},
                    "properties": {
                        "name": a.name,
                        "organisation_id": a.organisation_id,
                        "organisation_name": a.organisation_name,
                        "mode": a.mode,
                        "address": l.address,
                        "postcode": l.postcode,
                        "url": location(&a.id),
                    }
                }))
            })
            .collect();
        let collection = serde_json::json!({"type": "FeatureCollection", "features": features});
        let body = serde_json::to_vec(&collection).map_err(ApiError::internal)?;
        Ok(Representation::bytes(body, HeaderValue::from_static("application/geo+json")))
    })
    .await
}
