//! Activities: organisations write drafts and submit them; staff approve or reject; only
//! published activities are public. An organisation's change to a published activity waits for
//! staff while the published version stays public; staff edits apply at once.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sammen_domain::directory::activity::{ActivityContent, check_activity};
use sammen_domain::directory::moderation::{self, ListingStatus, ModerationAction, Moderator, TransitionError};
use sammen_domain::directory::schedule::{MAX_WINDOW_DAYS, SEARCH_HORIZON_DAYS, TIME_ZONE, TIME_ZONE_NAME, Weekday};
use sammen_domain::identity::Role;
use sammen_store::directory::{self as store, Activity};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::WRITE_SCOPE;
use crate::identity::{Caller, MaybeCaller};
use crate::platform::idempotency::{IdempotencyKey, idempotent};
use crate::platform::pagination::{Page, PageParams, page_parts, page_response};
use crate::platform::precondition::{IfMatch, etag};
use crate::problem::{ApiError, Problem};
use crate::state::AppState;

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

fn occurrence(o: sammen_domain::directory::schedule::Occurrence) -> OccurrenceResponse {
    let local = |t: DateTime<Utc>| t.with_timezone(&TIME_ZONE).fixed_offset();
    OccurrenceResponse { date: o.date, starts_at: local(o.starts_at), ends_at: local(o.ends_at) }
}

/// Whether the caller manages the activities of organisation `org`: staff, or someone acting for it.
pub(super) fn manages(caller: Option<&Caller>, org: &str) -> bool {
    caller.is_some_and(|c| c.is_staff() || c.acts_for_organisation(org, WRITE_SCOPE))
}

/// Which side of moderation the caller is on.
pub(super) fn moderator(caller: &Caller) -> Moderator {
    if caller.is_staff() { Moderator::Staff } else { Moderator::Organisation }
}

fn view(a: Activity, manager: bool) -> ActivityResponse {
    let now = Utc::now();
    let (pending_change, rejection_reason, external_id) =
        if manager { (a.pending, a.rejection_reason, a.external_id) } else { (None, None, None) };
    ActivityResponse {
        next_occurrence: a.content.schedule.next_occurrence(now).map(occurrence),
        time_zone: TIME_ZONE_NAME,
        stale: moderation::is_stale(a.assured_at.and_utc(), now),
        id: a.id,
        organisation_id: a.organisation_id,
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

fn not_found() -> ApiError {
    ApiError::NotFound("no such activity".into())
}

/// The activity if the caller may see it: published ones for anyone, others only for their
/// managers (404 for everyone else, so unpublished listings cannot be probed).
pub(super) async fn visible(
    state: &AppState,
    caller: Option<&Caller>,
    id: String,
) -> Result<(Activity, bool), ApiError> {
    let activity = state.db(move |conn| store::find_activity(conn, &id)).await.map_err(|e| match e {
        ApiError::NotFound(_) => not_found(),
        e => e,
    })?;
    let manager = manages(caller, &activity.organisation_id);
    if !manager && !activity.status.is_public() {
        return Err(not_found());
    }
    Ok((activity, manager))
}

async fn checked(state: &AppState, content: &ActivityContent) -> Result<(), ApiError> {
    let known = state.db(store::known_codes).await?;
    check_activity(content, &known).into_result()?;
    Ok(())
}

pub(super) fn organisation_must_exist(e: ApiError) -> ApiError {
    match e {
        ApiError::NotFound(_) => ApiError::NotFound("no such organisation".into()),
        e => e,
    }
}

/// Create an activity for an organisation.
///
/// The organisation's representatives and integration clients (`directory:write`), and staff.
/// It starts as a draft, visible to them only; submit it for publication with a transition.
/// Accepts `Idempotency-Key`.
#[utoipa::path(
    tag = "directory",
    params(("id" = uuid::Uuid, Path, description = "The organisation's id"), IdempotencyKey),
    request_body = ActivityContent,
    responses((status = 201, description = "The draft was created", body = ActivityResponse, headers(("Location" = String), ("ETag" = String)))),
    security(("bearer_auth" = []))
)]
#[post("/organisations/{id}/activities")]
pub async fn create_activity(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    org: web::Path<uuid::Uuid>,
    key: IdempotencyKey,
    body: web::Json<ActivityContent>,
) -> Result<HttpResponse, ApiError> {
    let org = org.into_inner().to_string();
    if !manages(Some(&caller), &org) {
        return Err(ApiError::Forbidden("only the organisation's own people and staff add its activities".into()));
    }
    let content = body.into_inner();
    checked(&state, &content).await?;
    let ctx = caller.audit();
    idempotent(&state, &req, &caller.principal(), key, &content, || async {
        let (org, content) = (org.clone(), content.clone());
        let activity = state
            .db(move |conn| {
                store::find_organisation(conn, &org)?;
                store::insert_activity(conn, &org, None, &content, &ctx)
            })
            .await
            .map_err(organisation_must_exist)?;
        Ok(HttpResponse::Created()
            .insert_header((header::LOCATION, format!("/api/v1/activities/{}", activity.id)))
            .insert_header((header::ETAG, etag(activity.version)))
            .json(view(activity, true)))
    })
    .await
}

/// Create or update an activity by the integration's own id.
///
/// For a volunteer centre's platform that syncs its listings: the first call creates a draft
/// (201), later calls update it (200), so a re-sync never duplicates. The update follows the
/// same rules as `PUT /activities/{id}` (a published listing's change waits for staff), without
/// `If-Match`: the integration's data is the source. The organisation's integration clients
/// (`directory:write`) and representatives, and staff.
#[utoipa::path(
    tag = "directory",
    params(
        ("id" = uuid::Uuid, Path, description = "The organisation's id"),
        ("external_id" = String, Path, description = "The integration's id for the listing (1–100 characters)"),
    ),
    request_body = ActivityContent,
    responses(
        (status = 200, description = "Updated (or, for a published listing, the change is waiting for staff)", body = ActivityResponse, headers(("ETag" = String))),
        (status = 201, description = "Created as a draft", body = ActivityResponse, headers(("Location" = String), ("ETag" = String))),
    ),
    security(("bearer_auth" = []))
)]
#[put("/organisations/{id}/activities/external/{external_id}")]
pub async fn put_activity_by_external_id(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(uuid::Uuid, String)>,
    body: web::Json<ActivityContent>,
) -> Result<HttpResponse, ApiError> {
    let (org, external_id) = path.into_inner();
    let org = org.to_string();
    if !manages(Some(&caller), &org) {
        return Err(ApiError::Forbidden("only the organisation's own people and staff add its activities".into()));
    }
    if !sammen_domain::directory::activity::valid_external_id(&external_id) {
        return Err(ApiError::BadRequest("external_id must be 1 to 100 characters".into()));
    }
    let content = body.into_inner();
    checked(&state, &content).await?;
    let (ctx, by) = (caller.audit(), moderator(&caller));
    let (activity, created) = state
        .db(move |conn| {
            sammen_store::write_transaction(conn, |conn| {
                store::find_organisation(conn, &org)?;
                match store::find_by_external_id(conn, &org, &external_id)? {
                    None => Ok((store::insert_activity(conn, &org, Some(&external_id), &content, &ctx)?, true)),
                    Some(existing) => Ok((store::save_content(conn, &existing, None, &content, by, &ctx)?, false)),
                }
            })
        })
        .await
        .map_err(organisation_must_exist)?;
    let mut response = if created { HttpResponse::Created() } else { HttpResponse::Ok() };
    if created {
        response.insert_header((header::LOCATION, format!("/api/v1/activities/{}", activity.id)));
    }
    Ok(response.insert_header((header::ETAG, etag(activity.version))).json(view(activity, true)))
}

/// Read an activity.
///
/// Public for published activities; drafts, submissions, rejections and withdrawn listings only
/// for staff and the organisation's own people (404 for anyone else).
#[utoipa::path(
    tag = "directory",
    params(("id" = uuid::Uuid, Path, description = "The activity's id")),
    responses((status = 200, description = "The activity", body = ActivityResponse, headers(("ETag" = String)))),
    security(())
)]
#[get("/activities/{id}")]
pub async fn get_activity(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (activity, manager) = visible(&state, caller.0.as_ref(), id.into_inner().to_string()).await?;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, etag(activity.version))).json(view(activity, manager)))
}

/// Replace an activity's content.
///
/// Staff and the organisation's own people; requires `If-Match`. Staff changes apply at once; an
/// organisation's change to a published activity waits for staff (`pending_change`) while the
/// published version stays public.
#[utoipa::path(
    tag = "directory",
    params(("id" = uuid::Uuid, Path, description = "The activity's id"), IfMatch),
    request_body = ActivityContent,
    responses(
        (status = 200, description = "Saved, or waiting for staff", body = ActivityResponse, headers(("ETag" = String))),
        (status = 412, description = "The activity changed since the ETag was read", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[put("/activities/{id}")]
pub async fn update_activity(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: web::Json<ActivityContent>,
) -> Result<HttpResponse, ApiError> {
    let (current, manager) = visible(&state, Some(&caller), id.into_inner().to_string()).await?;
    if !manager {
        return Err(ApiError::Forbidden("only the organisation's own people and staff change its activities".into()));
    }
    let content = body.into_inner();
    checked(&state, &content).await?;
    let expected = if_match.required_version()?;
    let (ctx, by) = (caller.audit(), moderator(&caller));
    let activity = state.db(move |conn| store::save_content(conn, &current, expected, &content, by, &ctx)).await?;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, etag(activity.version))).json(view(activity, true)))
}

/// A moderation step.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    /// `submit`, `retract`, `approve`, `reject` or `withdraw`. On a published activity with a
    /// waiting change, `approve` applies the change and `reject` discards it.
    pub action: ModerationAction,
    /// Required to reject: what the organisation should fix.
    #[schema(max_length = 1000)]
    pub reason: Option<String>,
}

/// Move an activity through moderation.
///
/// The organisation submits, retracts and withdraws; staff approve and reject (with a reason),
/// may publish a draft directly, and decide on waiting changes. Requires `If-Match`.
#[utoipa::path(
    tag = "directory",
    params(("id" = uuid::Uuid, Path, description = "The activity's id"), IfMatch),
    request_body = TransitionRequest,
    responses(
        (status = 200, description = "The activity after the step", body = ActivityResponse, headers(("ETag" = String))),
        (status = 409, description = "Not a step the activity can take from its state", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The activity changed since the ETag was read", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/activities/{id}/transitions")]
pub async fn transition_activity(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: web::Json<TransitionRequest>,
) -> Result<HttpResponse, ApiError> {
    let (current, manager) = visible(&state, Some(&caller), id.into_inner().to_string()).await?;
    if !manager {
        return Err(ApiError::Forbidden("only the organisation's own people and staff moderate its activities".into()));
    }
    let TransitionRequest { action, reason } = body.into_inner();
    if reason.as_ref().is_some_and(|r| r.chars().count() > 1000) {
        return Err(ApiError::invalid("reason", "too_long", "must be at most 1000 characters"));
    }
    let expected = if_match.required_version()?;
    let by = moderator(&caller);
    let refused = |e: TransitionError| match e {
        TransitionError::StaffOnly(_) => ApiError::Forbidden(e.to_string()),
        TransitionError::ReasonRequired => ApiError::invalid("reason", "required", e.to_string()),
        TransitionError::NotFromHere { .. } => ApiError::Conflict(e.to_string()),
    };
    let ctx = caller.audit();
    let reason = reason.map(|r| r.trim().to_owned());
    let revision = current.pending.is_some() && matches!(action, ModerationAction::Approve | ModerationAction::Reject);
    let activity = if revision {
        let apply = moderation::moderate_revision(action, by, reason.as_deref()).map_err(refused)?;
        state
            .db(move |conn| store::resolve_proposal(conn, &current.id, expected, apply, reason.as_deref(), &ctx))
            .await?
    } else {
        let to = moderation::transition(current.status, action, by, reason.as_deref()).map_err(refused)?;
        state.db(move |conn| store::change_status(conn, &current.id, expected, to, reason.as_deref(), &ctx)).await?
    };
    Ok(HttpResponse::Ok().insert_header((header::ETAG, etag(activity.version))).json(view(activity, true)))
}

/// Confirm an activity as current.
///
/// The organisation's own people and staff: sets `assured_at` to now, which keeps the listing
/// from being flagged as stale (after 12 months unconfirmed).
#[utoipa::path(
    tag = "directory",
    params(("id" = uuid::Uuid, Path, description = "The activity's id")),
    responses((status = 200, description = "Confirmed", body = ActivityResponse, headers(("ETag" = String)))),
    security(("bearer_auth" = []))
)]
#[post("/activities/{id}/assure")]
pub async fn assure_activity(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (current, manager) = visible(&state, Some(&caller), id.into_inner().to_string()).await?;
    if !manager {
        return Err(ApiError::Forbidden("only the organisation's own people and staff confirm its activities".into()));
    }
    let ctx = caller.audit();
    let activity = state.db(move |conn| store::assure_activity(conn, &current.id, &ctx)).await?;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, etag(activity.version))).json(view(activity, true)))
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
    params(("id" = uuid::Uuid, Path, description = "The activity's id"), OccurrenceQuery),
    responses((status = 200, description = "The occurrences, in order", body = OccurrencesResponse)),
    security(())
)]
#[get("/activities/{id}/occurrences")]
pub async fn list_occurrences(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    id: web::Path<uuid::Uuid>,
    query: web::Query<OccurrenceQuery>,
) -> Result<HttpResponse, ApiError> {
    let from = query.from.unwrap_or_else(|| Utc::now().with_timezone(&TIME_ZONE).date_naive());
    let to = query.to.unwrap_or(from + Duration::days(90));
    if to < from {
        return Err(ApiError::BadRequest("`to` must not be before `from`".into()));
    }
    if (to - from).num_days() >= MAX_WINDOW_DAYS {
        return Err(ApiError::BadRequest(format!("ask for at most {MAX_WINDOW_DAYS} days at a time")));
    }
    let (activity, _) = visible(&state, caller.0.as_ref(), id.into_inner().to_string()).await?;
    let data = activity.content.schedule.occurrences(from, to).into_iter().map(occurrence).collect();
    Ok(HttpResponse::Ok().json(OccurrencesResponse { time_zone: TIME_ZONE_NAME, data }))
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
    params: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require_any(&[Role::Admin, Role::Staff])?;
    let page = params.resolve::<String>()?;
    let (after, fetch) = (page.after.clone(), page.fetch());
    let activities = state.db(move |conn| store::moderation_queue(conn, after.as_deref(), fetch)).await?;
    Ok(page_response(&req, &page, activities, |a| a.id.clone(), |a| view(a, true)))
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
    query: crate::platform::extract::ListQuery<OrganisationActivitiesQuery>,
    params: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let org = org.into_inner().to_string();
    if !manages(Some(&caller), &org) {
        return Err(ApiError::Forbidden("only the organisation's own people and staff see all its activities".into()));
    }
    let page = params.resolve::<String>()?;
    let (after, fetch, statuses) = (page.after.clone(), page.fetch(), query.0.status);
    let activities = state
        .db(move |conn| {
            store::find_organisation(conn, &org)?;
            store::organisation_activities(conn, &org, &statuses, after.as_deref(), fetch)
        })
        .await
        .map_err(organisation_must_exist)?;
    Ok(page_response(&req, &page, activities, |a| a.id.clone(), |a| view(a, true)))
}

/// How the listing is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActivitySort {
    /// By name (the default without `q` and a place).
    Name,
    /// Nearest first (the default with `lat` and `lon` and no `q`; needs them).
    Distance,
    /// Best text match first (the default with `q`; needs it).
    Relevance,
    /// Soonest next occurrence first; activities with none coming last.
    NextOccurrence,
}

/// The public listing's filters. Different parameters combine with AND; a repeated parameter
/// matches any of its values (OR), e.g. `?target_group=dementia&target_group=newly_widowed`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityQuery {
    /// Free text: every word must appear in the name, summary or description, as a word or an
    /// inflection of it (Danish stemming on PostgreSQL) or inside a longer word ("sang" finds
    /// "fællessang" and "sangkor"); case does not matter. At most 8 words, 200 characters.
    #[param(max_length = 200)]
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
    pub mode: Vec<sammen_domain::directory::activity::Mode>,
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
    #[param(inline)]
    pub weekday: Vec<Weekday>,
    /// Activities that start at or after this local time (`HH:MM`, Copenhagen).
    #[param(value_type = Option<String>, example = "09:00", pattern = r"^\d{2}:\d{2}(:\d{2})?$")]
    pub time_from: Option<chrono::NaiveTime>,
    /// Activities that start at or before this local time (`HH:MM`, Copenhagen).
    #[param(value_type = Option<String>, example = "13:00", pattern = r"^\d{2}:\d{2}(:\d{2})?$")]
    pub time_to: Option<chrono::NaiveTime>,
    /// Activities with an occurrence on or after this local date (earlier dates count as today).
    pub date_from: Option<NaiveDate>,
    /// Activities with an occurrence on or before this local date; at most 186 days ahead.
    pub date_to: Option<NaiveDate>,
    /// Search around this point (WGS84), with `lon`; each result then has `distance_m`.
    #[param(minimum = -90, maximum = 90)]
    pub lat: Option<f64>,
    #[param(minimum = -180, maximum = 180)]
    pub lon: Option<f64>,
    /// With `lat` and `lon`: only activities within this many metres (default 2000, at most 50000).
    #[param(minimum = 1, maximum = 50000)]
    pub radius_m: Option<f64>,
    /// Facet counts to return, comma-separated: any of `activity_type`, `target_group`,
    /// `accessibility`, `first_visit_support`, `volunteer_role`, `language`, `mode`, `district`.
    /// Each counts the matching activities per value with every filter except its own.
    pub facets: Option<String>,
    /// `relevance` (the default with `q`), `distance` (the default with `lat` and `lon`),
    /// `next_occurrence` or `name`.
    #[param(inline)]
    pub sort: Option<ActivitySort>,
}

/// An activity in the listing, with its distance when searched around a point.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityHit {
    #[serde(flatten)]
    pub activity: ActivityResponse,
    /// Metres from `lat`/`lon` (straight line), when they were given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance_m: Option<u32>,
}

/// How many matching activities have one value of a facet.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetCount {
    pub code: String,
    pub count: i64,
}

/// A page of the listing, with the facet counts asked for.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityPage {
    pub data: Vec<ActivityHit>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
    /// Per facet asked for (`facets=`), the values with their counts, most first.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub facets: std::collections::BTreeMap<String, Vec<FacetCount>>,
}

const FACETS: [&str; 8] = [
    "activity_type",
    "target_group",
    "accessibility",
    "first_visit_support",
    "volunteer_role",
    "language",
    "mode",
    "district",
];

/// The search without the filter of `facet`, so its counts show the alternatives.
fn without_own_filter(search: &store::ActivitySearch, facet: &str) -> store::ActivitySearch {
    let mut s = search.clone();
    match facet {
        "language" => s.languages.clear(),
        "mode" => s.modes.clear(),
        "district" => s.districts.clear(),
        vocabulary => s.terms.retain(|(v, _)| *v != vocabulary),
    }
    s
}

/// Where a page of the listing ended.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum ListingCursor {
    Name(String, String),
    Distance(f64, String),
    Relevance(f64, String),
    Next(Option<chrono::NaiveDateTime>, String),
}

/// The words of a free-text query: lower-cased runs of letters and digits.
fn query_words(q: &str) -> Result<Vec<String>, ApiError> {
    if q.chars().count() > 200 {
        return Err(ApiError::BadRequest("q must be at most 200 characters".into()));
    }
    let words: Vec<String> = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().chars().take(50).collect())
        .collect();
    if words.is_empty() {
        return Err(ApiError::BadRequest("q must contain at least one word".into()));
    }
    if words.len() > 8 {
        return Err(ApiError::BadRequest("q may contain at most 8 words".into()));
    }
    Ok(words)
}

/// Checks the vocabulary filters against the taxonomy, so a misspelt code is a 400 rather than
/// an empty result.
fn check_filter_codes(
    q: &ActivityQuery,
    known: &sammen_domain::directory::activity::KnownCodes,
) -> Result<(), ApiError> {
    let lists = [
        ("activity_type", &q.activity_type, &known.activity_types),
        ("target_group", &q.target_group, &known.target_groups),
        ("accessibility", &q.accessibility, &known.accessibility),
        ("first_visit_support", &q.first_visit_support, &known.first_visit_support),
        ("volunteer_role", &q.volunteer_role, &known.volunteer_roles),
        ("district", &q.district, &known.districts),
        ("housing_area", &q.housing_area, &known.housing_areas),
    ];
    for (name, values, known) in lists {
        if let Some(unknown) = values.iter().find(|v| !known.contains(*v)) {
            return Err(ApiError::BadRequest(format!("unknown {name} `{unknown}`: see GET /api/v1/taxonomy")));
        }
    }
    Ok(())
}

/// The weekday and date filters as a span of stored occurrences: by local dates, from today (or
/// `date_from`) to the search horizon (or `date_to`).
fn occurring(q: &ActivityQuery) -> Result<Option<store::Occurring>, ApiError> {
    if q.date_from.is_none() && q.date_to.is_none() && q.weekday.is_empty() {
        return Ok(None);
    }
    let today = Utc::now().with_timezone(&TIME_ZONE).date_naive();
    let last = today + Duration::days(SEARCH_HORIZON_DAYS);
    let from = q.date_from.unwrap_or(today).max(today);
    let to = q.date_to.unwrap_or(last);
    if q.date_to.is_some_and(|to| Some(to) < q.date_from) {
        return Err(ApiError::BadRequest("date_to must not be before date_from".into()));
    }
    if to < today {
        return Err(ApiError::BadRequest(format!(
            "date_to is in the past: the listing shows what is coming (today is {today})"
        )));
    }
    if to > last {
        return Err(ApiError::BadRequest(format!(
            "date_to can be at most {SEARCH_HORIZON_DAYS} days ahead (until {last})"
        )));
    }
    let mut weekdays: Vec<i32> = q.weekday.iter().map(|w| w.iso_number()).collect();
    weekdays.sort_unstable();
    weekdays.dedup();
    Ok(Some(store::Occurring {
        from: store::day_start(from),
        until: store::day_start(to + Duration::days(1)),
        weekdays,
    }))
}

/// A listing request: what to find, in which order, and which facets to count.
struct Listing {
    search: store::ActivitySearch,
    order: store::SearchOrder,
    facets: Vec<String>,
}

/// Reads the listing's query parameters (shared by the listing and its calendar feed).
fn listing_from(q: ActivityQuery, known: &sammen_domain::directory::activity::KnownCodes) -> Result<Listing, ApiError> {
    let near = match (q.lat, q.lon) {
        (Some(lat), Some(lon)) => {
            if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                return Err(ApiError::BadRequest("lat must be -90 to 90 and lon -180 to 180".into()));
            }
            let radius_m = q.radius_m.unwrap_or(2000.0);
            if !(1.0..=50_000.0).contains(&radius_m) {
                return Err(ApiError::BadRequest("radius_m must be 1 to 50000".into()));
            }
            Some(store::Near { lat, lon, radius_m })
        }
        (None, None) if q.radius_m.is_none() => None,
        _ => return Err(ApiError::BadRequest("give lat and lon together (and radius_m only with them)".into())),
    };
    let facets: Vec<String> = q
        .facets
        .as_deref()
        .map_or_else(Vec::new, |f| f.split(',').map(str::trim).filter(|f| !f.is_empty()).map(str::to_owned).collect());
    if let Some(unknown) = facets.iter().find(|f| !FACETS.contains(&f.as_str())) {
        return Err(ApiError::BadRequest(format!("unknown facet `{unknown}`; facets: {}", FACETS.join(", "))));
    }
    let words = q.q.as_deref().map(query_words).transpose()?.unwrap_or_default();
    let order = match (q.sort, near.is_some(), !words.is_empty()) {
        (Some(ActivitySort::Distance), false, _) => {
            return Err(ApiError::BadRequest("sort=distance needs lat and lon".into()));
        }
        (Some(ActivitySort::Relevance), _, false) => return Err(ApiError::BadRequest("sort=relevance needs q".into())),
        (Some(ActivitySort::Name), _, _) | (None, false, false) => store::SearchOrder::Name,
        (Some(ActivitySort::Distance), true, _) | (None, true, false) => store::SearchOrder::Distance,
        (Some(ActivitySort::Relevance), _, true) | (None, _, true) => store::SearchOrder::Relevance,
        (Some(ActivitySort::NextOccurrence), _, _) => store::SearchOrder::NextOccurrence,
    };
    let start_minutes = match (q.time_from, q.time_to) {
        (None, None) => None,
        (from, to) => {
            let minute = |t: chrono::NaiveTime| (chrono::Timelike::hour(&t) * 60 + chrono::Timelike::minute(&t)) as i32;
            let (from, to) = (from.map_or(0, minute), to.map_or(24 * 60 - 1, minute));
            if from > to {
                return Err(ApiError::BadRequest("time_from must not be after time_to".into()));
            }
            Some((from, to))
        }
    };
    let occurring = occurring(&q)?;
    if q.postcode.iter().any(|p| p.len() != 4 || !p.bytes().all(|b| b.is_ascii_digit())) {
        return Err(ApiError::BadRequest("postcode must be four digits".into()));
    }
    check_filter_codes(&q, known)?;
    let search = store::ActivitySearch {
        words,
        organisations: q.organisation.iter().map(uuid::Uuid::to_string).collect(),
        terms: vec![
            ("activity_type", q.activity_type),
            ("target_group", q.target_group),
            ("accessibility", q.accessibility),
            ("first_visit_support", q.first_visit_support),
            ("volunteer_role", q.volunteer_role),
        ],
        languages: q.language,
        modes: q.mode.iter().map(|m| m.as_str().to_owned()).collect(),
        districts: q.district,
        postcodes: q.postcode,
        housing_areas: q.housing_area,
        free: q.free,
        seeks_volunteers: q.seeks_volunteers,
        has_capacity: q.has_capacity,
        start_minutes,
        occurring,
        near,
    };
    Ok(Listing { search, order, facets })
}

/// Search the public listing of activities.
///
/// Published activities only, for anyone. Free text `q` (best match first); filters on every
/// vocabulary, organisation, language, mode, district, postcode, housing area, price, free places
/// and volunteer need, on weekdays and dates (the real occurrences: cancellations, pauses and
/// skipped holidays don't count) and on the start time; different parameters combine with AND,
/// repeated values of one parameter with OR. With `lat` and `lon` it searches within `radius_m`,
/// each result with `distance_m`, nearest first unless `q` orders by relevance.
/// `sort=next_occurrence` puts the soonest first. `facets=` adds counts per value. Cursor
/// pagination.
#[utoipa::path(
    tag = "directory",
    params(ActivityQuery, PageParams),
    responses((status = 200, description = "A page of activities, with facet counts when asked for", body = ActivityPage,
        headers(("Link" = String, description = "`<...>; rel=\"next\"` when another page follows")))),
    security(())
)]
#[get("/activities")]
pub async fn list_activities(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: MaybeCaller,
    query: crate::platform::extract::ListQuery<ActivityQuery>,
    params: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let q = query.0;
    let page = params.resolve::<ListingCursor>()?;
    let known = state.db(store::known_codes).await?;
    let Listing { search, order, facets } = listing_from(q, &known)?;
    let after = match (page.after.clone(), order) {
        (None, _) => None,
        (Some(ListingCursor::Name(name, id)), store::SearchOrder::Name) => Some(store::SearchAfter::Name { name, id }),
        (Some(ListingCursor::Distance(key, id)), store::SearchOrder::Distance)
        | (Some(ListingCursor::Relevance(key, id)), store::SearchOrder::Relevance) => {
            Some(store::SearchAfter::Key { key, id })
        }
        (Some(ListingCursor::Next(at, id)), store::SearchOrder::NextOccurrence) => {
            Some(store::SearchAfter::Next { at, id })
        }
        _ => return Err(ApiError::BadRequest("the cursor belongs to a listing in another order".into())),
    };
    let fetch = page.fetch();
    let (hits, counts) = state
        .db(move |conn| {
            let hits = store::search_activities(conn, &search, order, after.as_ref(), fetch)?;
            let mut counts = std::collections::BTreeMap::new();
            for facet in facets {
                let values = store::facet_counts(conn, &without_own_filter(&search, &facet), &facet)?;
                counts.insert(facet, values.into_iter().map(|(code, count)| FacetCount { code, count }).collect());
            }
            Ok((hits, counts))
        })
        .await?;
    let caller = caller.0;
    let parts = page_parts(
        &req,
        &page,
        hits,
        |hit| {
            let id = hit.activity.id.clone();
            match (order, hit.key) {
                (store::SearchOrder::Distance, Some(k)) => ListingCursor::Distance(k, id),
                (store::SearchOrder::Relevance, Some(k)) => ListingCursor::Relevance(k, id),
                (store::SearchOrder::NextOccurrence, _) => ListingCursor::Next(hit.next_start, id),
                _ => ListingCursor::Name(hit.activity.content.name.clone(), id),
            }
        },
        |hit| {
            let manager = manages(caller.as_ref(), &hit.activity.organisation_id);
            ActivityHit {
                activity: view(hit.activity, manager),
                distance_m: hit.distance_sq.map(|d| d.sqrt().round() as u32),
            }
        },
    );
    let mut response = HttpResponse::Ok();
    if let Some(link) = parts.link {
        response.insert_header((header::LINK, link));
    }
    Ok(response.json(ActivityPage { data: parts.data, next_cursor: parts.next_cursor, facets: counts }))
}

/// At most this many activities in one search calendar.
const CALENDAR_LIMIT: i64 = 500;

fn event_info(a: &Activity) -> sammen_domain::directory::ical::EventInfo<'_> {
    let location = a.content.location.as_ref();
    sammen_domain::directory::ical::EventInfo {
        id: &a.id,
        name: &a.content.name,
        summary: &a.content.summary,
        location: location.map(|l| format!("{}, {}", l.address, l.postcode)),
        geo: location.map(|l| (l.lat, l.lon)),
        url: Some(format!("/api/v1/activities/{}", a.id)),
        updated_at: a.updated_at.and_utc(),
        schedule: &a.content.schedule,
    }
}

/// How far ahead skipped dates are listed.
fn calendar_horizon() -> NaiveDate {
    Utc::now().with_timezone(&TIME_ZONE).date_naive() + Duration::days(MAX_WINDOW_DAYS)
}

fn calendar_response(name: &str, activities: &[Activity]) -> HttpResponse {
    let horizon = calendar_horizon();
    let events = activities.iter().filter_map(|a| sammen_domain::directory::ical::vevent(&event_info(a), horizon));
    HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .body(sammen_domain::directory::ical::calendar(name, events))
}

/// An activity as an iCalendar (RFC 5545) file.
///
/// One event with the activity's recurrence rule (or dates), the dates it skips as `EXDATE`s
/// (for the next 400 days), and the Europe/Copenhagen time zone. Subscribe to it in any calendar.
/// Public for published activities.
#[utoipa::path(
    tag = "directory",
    params(("id" = uuid::Uuid, Path, description = "The activity's id")),
    responses((status = 200, description = "An iCalendar file", content_type = "text/calendar", body = String)),
    security(())
)]
#[get("/activities/{id}/calendar.ics")]
pub async fn activity_calendar(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (activity, _) = visible(&state, caller.0.as_ref(), id.into_inner().to_string()).await?;
    Ok(calendar_response(&activity.content.name.clone(), &[activity]))
}

/// The activities of a search as an iCalendar (RFC 5545) file.
///
/// The same parameters as `GET /activities` (without paging), at most 500 activities, one event
/// each. Public; published activities only.
#[utoipa::path(
    tag = "directory",
    params(ActivityQuery),
    responses((status = 200, description = "An iCalendar file", content_type = "text/calendar", body = String)),
    security(())
)]
#[get("/activities/calendar.ics")]
pub async fn search_calendar(
    state: web::Data<AppState>,
    query: crate::platform::extract::ListQuery<ActivityQuery>,
) -> Result<HttpResponse, ApiError> {
    let known = state.db(store::known_codes).await?;
    let Listing { search, order, .. } = listing_from(query.0, &known)?;
    let hits = state.db(move |conn| store::search_activities(conn, &search, order, None, CALENDAR_LIMIT)).await?;
    let activities: Vec<Activity> = hits.into_iter().map(|hit| hit.activity).collect();
    Ok(calendar_response("Sammen: aktiviteter", &activities))
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
    params(ChangesQuery, PageParams),
    responses((status = 200, description = "A page of changes", body = Page<ActivityChange>,
        headers(("Link" = String, description = "`<...>; rel=\"next\"` when another page follows")))),
    security(())
)]
#[get("/activities/changes")]
pub async fn activity_changes(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<ChangesQuery>,
    params: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = params.resolve::<(DateTime<Utc>, String)>()?;
    let since = query.modified_since.naive_utc();
    let (after, fetch) = (page.after.clone().map(|(at, id)| (at.naive_utc(), id)), page.fetch());
    let changed = state.db(move |conn| store::changes_since(conn, since, after.as_ref(), fetch)).await?;
    Ok(page_response(
        &req,
        &page,
        changed,
        |a| (a.updated_at.and_utc(), a.id.clone()),
        |a| {
            let public = a.status.is_public();
            ActivityChange {
                id: a.id.clone(),
                change: if public { "upserted" } else { "deleted" },
                updated_at: a.updated_at.and_utc(),
                activity: public.then(|| view(a, false)),
            }
        },
    ))
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
    params(ActivityQuery),
    responses((status = 200, description = "A GeoJSON FeatureCollection", content_type = "application/geo+json", body = Object)),
    security(())
)]
#[get("/activities/locations.geojson")]
pub async fn activity_locations(
    state: web::Data<AppState>,
    query: crate::platform::extract::ListQuery<ActivityQuery>,
) -> Result<HttpResponse, ApiError> {
    let known = state.db(store::known_codes).await?;
    let Listing { search, order, .. } = listing_from(query.0, &known)?;
    let hits = state.db(move |conn| store::search_activities(conn, &search, order, None, GEOJSON_LIMIT)).await?;
    let features: Vec<serde_json::Value> = hits
        .into_iter()
        .filter_map(|hit| {
            let a = hit.activity;
            let l = a.content.location.as_ref()?;
            Some(serde_json::json!({
                "type": "Feature",
                "id": a.id,
                "geometry": {"type": "Point", "coordinates": [l.lon, l.lat]},
                "properties": {
                    "name": a.content.name,
                    "organisation_id": a.organisation_id,
                    "mode": a.content.mode,
                    "address": l.address,
                    "postcode": l.postcode,
                    "url": format!("/api/v1/activities/{}", a.id),
                }
            }))
        })
        .collect();
    Ok(HttpResponse::Ok()
        .content_type("application/geo+json")
        .json(serde_json::json!({"type": "FeatureCollection", "features": features})))
}
