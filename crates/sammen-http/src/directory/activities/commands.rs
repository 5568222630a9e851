//! Changing activities: create (by id or by the integration's external id), replace the content,
//! moderation steps, confirmation. Each is one command (`crate::platform::command`): the
//! activity is locked, the policy asked, the content checked, the change and its audit event
//! written, in one transaction.

use actix_web::{HttpRequest, HttpResponse, post, put, web};
use sammen_domain::Actor;
use sammen_domain::directory::activity::{ActivityContent, check_activity, valid_external_id};
use sammen_domain::directory::moderation::{self, ModerationAction};
use sammen_domain::directory::policy::{self, ListingView};
use sammen_domain::ids::{ActivityId, OrganisationId};
use sammen_domain::text::Prose;
use sammen_store::DbConn;
use sammen_store::directory::{self as store, Activity};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::views::{ActivityResponse, location, view};
use crate::identity::Caller;
use crate::platform::command::{Answer, Idempotency, command};
use crate::platform::extract::Body;
use crate::platform::idempotency::IdempotencyKey;
use crate::platform::precondition::IfMatch;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;

/// Checks content against the rules and the taxonomy as it is now.
fn checked(conn: &mut DbConn, content: &ActivityContent) -> Result<(), ApiError> {
    check_activity(content, &store::known_codes(conn)?).into_result()?;
    Ok(())
}

/// The activity, locked for the command, if the actor may change it: for someone who may not
/// manage it, an unpublished one does not exist (404) and a published one is not theirs (403).
fn managed(conn: &mut DbConn, actor: &Actor, id: &ActivityId) -> Result<Activity, ApiError> {
    let activity = store::lock_activity(conn, id)?;
    policy::see_listing(Some(actor), &activity.organisation_id, activity.status)?;
    policy::manage(actor, &activity.organisation_id)?;
    Ok(activity)
}

/// The answer with the activity as its managers see it.
fn answer(activity: Activity) -> Result<Answer, ApiError> {
    let version = activity.version;
    Ok(Answer::ok(&view(activity, ListingView::Manager))?.tagged(version))
}

fn created(activity: Activity) -> Result<Answer, ApiError> {
    let (place, version) = (location(&activity.id), activity.version);
    Ok(Answer::created(place, &view(activity, ListingView::Manager))?.tagged(version))
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
    body: Body<ActivityContent>,
) -> Result<HttpResponse, ApiError> {
    let org = OrganisationId::from(org.into_inner());
    let content = body.into_inner();
    let idempotency = Idempotency::of(&req, caller.principal(), key, &content)?;
    let (actor, ctx) = (caller.actor.clone(), caller.audit());
    command(&state, idempotency, move |conn| {
        policy::manage(&actor, &org)?;
        store::lock_organisation(conn, &org)?;
        checked(conn, &content)?;
        created(store::insert_activity(conn, &org, None, &content, &ctx)?)
    })
    .await
}

/// Create or update an activity by the integration's own id.
///
/// For a volunteer centre's platform that syncs its listings: the first call creates a draft
/// (201), later calls update it (200), so a re-sync never duplicates, even when the same listing
/// is sent twice at once. The update follows the same rules as `PUT /activities/{id}` (a
/// published listing's change waits for staff), without `If-Match`: the integration's data is
/// the source. The organisation's integration clients (`directory:write`) and representatives,
/// and staff.
#[utoipa::path(
    tag = "directory",
    params(
        ("id" = uuid::Uuid, Path, description = "The organisation's id"),
        ("external_id" = String, Path, description = "The integration's id for the listing (1–100 characters, no control characters)"),
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
    body: Body<ActivityContent>,
) -> Result<HttpResponse, ApiError> {
    let (org, external_id) = path.into_inner();
    let org = OrganisationId::from(org);
    let content = body.into_inner();
    let (actor, ctx) = (caller.actor.clone(), caller.audit());
    command(&state, None, move |conn| {
        policy::manage(&actor, &org)?;
        if !valid_external_id(&external_id) {
            return Err(ApiError::BadRequest(
                "external_id must be 1 to 100 characters, without control characters".into(),
            ));
        }
        // The organisation's lock makes concurrent calls for one external id take turns: the
        // first creates the listing, the next find it.
        store::lock_organisation(conn, &org)?;
        checked(conn, &content)?;
        match store::find_by_external_id(conn, &org, &external_id)? {
            None => created(store::insert_activity(conn, &org, Some(&external_id), &content, &ctx)?),
            Some(existing) => {
                let by = policy::moderator(&actor);
                answer(store::save_content(conn, &existing, None, &content, by, &ctx)?)
            }
        }
    })
    .await
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
    responses((status = 200, description = "Saved, or waiting for staff", body = ActivityResponse, headers(("ETag" = String)))),
    security(("bearer_auth" = []))
)]
#[put("/activities/{id}")]
pub async fn update_activity(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: Body<ActivityContent>,
) -> Result<HttpResponse, ApiError> {
    let (id, content) = (ActivityId::from(id.into_inner()), body.into_inner());
    let (actor, ctx) = (caller.actor.clone(), caller.audit());
    command(&state, None, move |conn| {
        let current = managed(conn, &actor, &id)?;
        checked(conn, &content)?;
        let expected = if_match.required_version()?;
        answer(store::save_content(conn, &current, expected, &content, policy::moderator(&actor), &ctx)?)
    })
    .await
}

/// A moderation step.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    /// `submit`, `retract`, `approve`, `reject` or `withdraw`. On a published activity with a
    /// waiting change, `approve` applies the change and `reject` discards it.
    pub action: ModerationAction,
    /// Required to reject: what the organisation should fix.
    #[schema(value_type = Option<String>, max_length = 1000)]
    pub reason: Option<Prose>,
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
    ),
    security(("bearer_auth" = []))
)]
#[post("/activities/{id}/transitions")]
pub async fn transition_activity(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: Body<TransitionRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = ActivityId::from(id.into_inner());
    let TransitionRequest { action, reason } = body.into_inner();
    let reason = reason.map(|r| r.trim().to_owned());
    let (actor, ctx) = (caller.actor.clone(), caller.audit());
    command(&state, None, move |conn| {
        let current = managed(conn, &actor, &id)?;
        if reason.as_ref().is_some_and(|r| r.chars().count() > 1000) {
            return Err(ApiError::invalid("reason", "too_long", "must be at most 1000 characters"));
        }
        let expected = if_match.required_version()?;
        let by = policy::moderator(&actor);
        let reason = reason.as_deref();
        let on_waiting_change =
            current.pending.is_some() && matches!(action, ModerationAction::Approve | ModerationAction::Reject);
        let activity = if on_waiting_change {
            let apply = moderation::moderate_revision(action, by, reason)?;
            store::resolve_proposal(conn, &current, expected, apply, reason, &ctx)?
        } else {
            let to = moderation::transition(current.status, action, by, reason)?;
            store::change_status(conn, &current.id, expected, to, reason, &ctx)?
        };
        answer(activity)
    })
    .await
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
    let id = ActivityId::from(id.into_inner());
    let (actor, ctx) = (caller.actor.clone(), caller.audit());
    command(&state, None, move |conn| {
        let current = managed(conn, &actor, &id)?;
        answer(store::assure_activity(conn, &current.id, &ctx)?)
    })
    .await
}
