//! Reading activities: one activity and when it takes place, the moderation queue, and an
//! organisation's own listings in every state.

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{Duration, NaiveDate, Utc};
use sammen_domain::directory::moderation::ListingStatus;
use sammen_domain::directory::policy::{self, ListingView};
use sammen_domain::directory::schedule::{MAX_WINDOW_DAYS, TIME_ZONE_NAME, local_date};
use sammen_domain::ids::{ActivityId, OrganisationId};
use sammen_store::directory::{self as store, Activity};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::views::{ActivityResponse, OccurrenceResponse, occurrence, view};
use crate::identity::{Caller, MaybeCaller};
use crate::platform::caching::{DIRECTORY_MAX_AGE, IfNoneMatch, Representation, public_get};
use crate::platform::extract::Query;
use crate::platform::pagination::{Page, PageParams, page_response};
use crate::problem::ApiError;
use crate::state::AppState;

/// The activity `id` and how the caller sees it, if they may see it at all: published ones
/// anyone, the others only those who manage them (404 for everyone else, so unpublished listings
/// cannot be probed).
pub async fn visible(
    state: &AppState,
    caller: Option<&Caller>,
    id: ActivityId,
) -> Result<(Activity, ListingView), ApiError> {
    let activity = state.db(move |conn| store::find_activity(conn, &id)).await?;
    let audience = policy::see_listing(caller.map(|c| &c.actor), &activity.organisation_id, activity.status)?;
    Ok((activity, audience))
}

/// Read an activity.
///
/// Public for published activities; drafts, submissions, rejections and withdrawn listings only
/// for staff and the organisation's own people (404 for anyone else). The `ETag` starts with the
/// version (`"3-…"`) and serves `If-Match` on a change as well as `If-None-Match` here.
#[utoipa::path(
    tag = "directory",
    params(("id" = uuid::Uuid, Path, description = "The activity's id"), IfNoneMatch),
    responses((status = 200, description = "The activity", body = ActivityResponse)),
    security(())
)]
#[get("/activities/{id}")]
pub async fn get_activity(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: MaybeCaller,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let caller = caller.0.as_ref();
    public_get(&state, &req, caller, DIRECTORY_MAX_AGE, async {
        let (activity, audience) = visible(&state, caller, id.into_inner().into()).await?;
        let version = activity.version;
        Ok(Representation::json(&view(activity, audience))?.versioned(version))
    })
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OccurrenceQuery {
    /// First local date (default today, in Copenhagen).
    pub from: Option<NaiveDate>,
    /// Last local date, included (default 90 days after `from`; at most 400 days after it).
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OccurrencesResponse {
    #[schema(example = "Europe/Copenhagen")]
    pub time_zone: &'static str,
    pub data: Vec<OccurrenceResponse>,
}

/// When an activity takes place.
///
/// The schedule expanded between two local dates, with cancellations, pauses and (if the
/// activity skips them) Danish public holidays left out; local times stay the same across the
/// daylight-saving changes. Public for published activities.
#[utoipa::path(
    tag = "directory",
    params(("id" = uuid::Uuid, Path, description = "The activity's id"), OccurrenceQuery, IfNoneMatch),
    responses((status = 200, description = "The occurrences, in order", body = OccurrencesResponse)),
    security(())
)]
#[get("/activities/{id}/occurrences")]
pub async fn list_occurrences(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: MaybeCaller,
    id: web::Path<uuid::Uuid>,
    query: Query<OccurrenceQuery>,
) -> Result<HttpResponse, ApiError> {
    let from = query.from.unwrap_or_else(|| local_date(Utc::now()));
    let to = query.to.unwrap_or(from + Duration::days(90));
    if to < from {
        return Err(ApiError::BadRequest("`to` must not be before `from`".into()));
    }
    if (to - from).num_days() >= MAX_WINDOW_DAYS {
        return Err(ApiError::BadRequest(format!("ask for at most {MAX_WINDOW_DAYS} days at a time")));
    }
    let caller = caller.0.as_ref();
    public_get(&state, &req, caller, DIRECTORY_MAX_AGE, async {
        let (activity, _) = visible(&state, caller, id.into_inner().into()).await?;
        let data = activity.content.schedule.occurrences(from, to).into_iter().map(occurrence).collect();
        Representation::json(&OccurrencesResponse { time_zone: TIME_ZONE_NAME, data })
    })
    .await
}

/// The moderation queue.
///
/// Staff. Submitted activities and published ones with a change waiting, oldest first; cursor
/// pagination.
#[utoipa::path(
    tag = "directory",
    params(PageParams),
    responses((status = 200, description = "A page of activities to moderate", body = Page<ActivityResponse>)),
    security(("bearer_auth" = []))
)]
#[get("/moderation/activities")]
pub async fn moderation_queue(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    params: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    policy::staff(&caller)?;
    let page = params.resolve::<ActivityId>()?;
    let (after, fetch) = (page.after.clone(), page.fetch());
    let activities = state.db(move |conn| store::moderation_queue(conn, after.as_ref(), fetch)).await?;
    Ok(page_response(&req, &page, activities, |a| a.id.clone(), |a| view(a, ListingView::Manager)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganisationActivitiesQuery {
    /// Only activities in these states (repeat for several); all states when absent.
    #[serde(default)]
    #[param(inline)]
    pub status: Vec<ListingStatus>,
}

/// An organisation's own activities, drafts included.
///
/// The organisation's representatives and `directory:write` clients, and staff: every listing
/// in every state (filter with `status`), with waiting changes and rejection reasons, oldest
/// first; cursor pagination. (The public finds an organisation's published activities with
/// `GET /activities?organisation=`.)
#[utoipa::path(
    tag = "directory",
    params(("id" = uuid::Uuid, Path, description = "The organisation's id"), OrganisationActivitiesQuery, PageParams),
    responses((status = 200, description = "A page of the organisation's activities", body = Page<ActivityResponse>)),
    security(("bearer_auth" = []))
)]
#[get("/organisations/{id}/activities")]
pub async fn list_organisation_activities(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    org: web::Path<uuid::Uuid>,
    query: Query<OrganisationActivitiesQuery>,
    params: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let org = OrganisationId::from(org.into_inner());
    policy::manage(&caller, &org)?;
    let page = params.resolve::<ActivityId>()?;
    let (after, fetch, statuses) = (page.after.clone(), page.fetch(), query.into_inner().status);
    let activities = state
        .db(move |conn| {
            store::find_organisation(conn, &org)?;
            store::organisation_activities(conn, &org, &statuses, after.as_ref(), fetch)
        })
        .await?;
    Ok(page_response(&req, &page, activities, |a| a.id.clone(), |a| view(a, ListingView::Manager)))
}
