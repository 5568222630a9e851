//! An application's history: its timeline of transitions, and the revisions it was submitted
//! in, each with the content its receipt's SHA-256 was computed over, so the applicant (or anyone
//! they show it to) can recompute the hash.

use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use sammen_domain::ids::GrantApplicationId;
use sammen_store::grants as store;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::applications::readable;
use super::views::{TimelineResponse, timeline_view, utc};
use crate::identity::Caller;
use crate::problem::ApiError;
use crate::state::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(application_timeline).service(application_revisions);
}

/// Read an application's timeline.
///
/// Those who may read the application: every transition with its plain status and note, oldest first.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The application's id")),
    responses((status = 200, description = "The timeline", body = Vec<TimelineResponse>)),
    security(("bearer_auth" = []))
)]
#[get("/grant-applications/{id}/timeline")]
pub async fn application_timeline(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = GrantApplicationId::from(id.into_inner());
    let actor = caller.actor.clone();
    let events = state
        .db(move |conn| {
            readable(conn, &actor, &id)?;
            Ok::<_, ApiError>(store::timeline(conn, &id)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(events.into_iter().map(timeline_view).collect::<Vec<_>>()))
}

/// A submitted revision.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionResponse {
    pub revision: i32,
    pub submitted_at: DateTime<Utc>,
    pub criteria_version: i32,
    /// SHA-256 (hex) of `content` exactly as given here.
    pub content_sha256: String,
    /// The submitted content as the text that was hashed (JSON): hash it to check the receipt.
    pub content: String,
}

/// Read an application's submitted revisions.
///
/// Those who may read the application: each revision, newest first, with the exact content its
/// receipt's SHA-256 covers (fields, declarations, attachments by their hashes).
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The application's id")),
    responses((status = 200, description = "The revisions, newest first", body = Vec<RevisionResponse>)),
    security(("bearer_auth" = []))
)]
#[get("/grant-applications/{id}/revisions")]
pub async fn application_revisions(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = GrantApplicationId::from(id.into_inner());
    let actor = caller.actor.clone();
    let revisions = state
        .db(move |conn| {
            readable(conn, &actor, &id)?;
            Ok::<_, ApiError>(store::revisions(conn, &id)?)
        })
        .await?;
    let views: Vec<RevisionResponse> = revisions
        .into_iter()
        .map(|r| RevisionResponse {
            revision: r.revision,
            submitted_at: utc(r.submitted_at),
            criteria_version: r.criteria_version,
            content_sha256: r.content_sha256,
            content: r.content,
        })
        .collect();
    Ok(HttpResponse::Ok().json(views))
}
