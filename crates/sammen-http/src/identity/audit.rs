//! `GET /audit-events`: the audit log for admins. Nothing edits or deletes it; reading it is
//! recorded in it, since its events are personal data of the people they are about and of the
//! users who acted.

use std::collections::BTreeSet;

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, Utc};
use sammen_domain::identity::policy;
use sammen_store::audit::{self, AuditEvent, AuditFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Caller;
use crate::platform::extract::Query;
use crate::platform::pagination::{Page, PageParams, page_response, shown};
use crate::problem::ApiError;
use crate::state::AppState;

/// Why admins read the audit log, as it records itself.
const READ_PURPOSE: &str = "audit log review";

/// The users whose personal data `events` hold: whom each is about, and who acted.
fn people_in(events: &[AuditEvent]) -> Vec<&str> {
    let people: BTreeSet<&str> =
        events.iter().flat_map(|e| [e.subject_user_id.as_deref(), e.actor.strip_prefix("user:")]).flatten().collect();
    people.into_iter().collect()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEventResponse {
    #[schema(format = Uuid)]
    pub id: String,
    pub occurred_at: DateTime<Utc>,
    /// `user:<id>`, `client:<id>`, `anonymous` or `system`.
    pub actor: String,
    /// e.g. `auth.login_succeeded`, `user.roles_changed`, `personal_data.read`.
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    /// The user whose personal data the event concerns.
    pub subject_user_id: Option<String>,
    /// Why personal data was read.
    pub purpose: Option<String>,
    pub request_id: String,
    /// Event-specific facts (never personal data).
    pub details: serde_json::Value,
}

impl From<AuditEvent> for AuditEventResponse {
    fn from(e: AuditEvent) -> Self {
        Self {
            details: serde_json::from_str(&e.details).unwrap_or_default(),
            id: e.id,
            occurred_at: e.occurred_at.and_utc(),
            actor: e.actor,
            action: e.action,
            target_type: e.target_type,
            target_id: e.target_id,
            subject_user_id: e.subject_user_id,
            purpose: e.purpose,
            request_id: e.request_id,
        }
    }
}

/// Filters of the audit log: all that are given must hold.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// `user:<id>`, `client:<id>`, `anonymous` or `system`.
    pub actor: Option<String>,
    pub action: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub subject_user_id: Option<String>,
    /// Events at or after this instant (RFC 3339).
    pub since: Option<DateTime<Utc>>,
    /// Events before this instant (RFC 3339).
    pub until: Option<DateTime<Utc>>,
}

/// List audit events.
///
/// Admins. Newest first; cursor pagination. Filters combine with AND. Security events (logins,
/// token refreshes and revocations, role and client changes, disabled users), every change, and
/// every read of personal data with its purpose. Reading the log is such a read: each user a page
/// shows events about or by (other than the caller) gets a `personal_data.read` event with
/// `target_type` `audit_log`.
#[utoipa::path(
    tag = "identity",
    params(AuditQuery, PageParams),
    responses((status = 200, description = "A page of events", body = Page<AuditEventResponse>)),
    security(("bearer_auth" = []))
)]
#[get("/audit-events")]
pub async fn list_audit_events(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    query: Query<AuditQuery>,
    params: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    policy::read_audit_log(&caller)?;
    let page = params.resolve::<String>()?;
    let q = query.into_inner();
    let filter = AuditFilter {
        actor: q.actor,
        action: q.action,
        target_type: q.target_type,
        target_id: q.target_id,
        subject_user_id: q.subject_user_id,
        since: q.since.map(|t| t.naive_utc()),
        until: q.until.map(|t| t.naive_utc()),
    };
    let (before, fetch, limit) = (page.after.clone(), page.fetch(), page.limit);
    let ctx = caller.audit();
    let events = state
        .db(move |conn| {
            let events = audit::list(conn, &filter, before.as_deref(), fetch)?;
            audit::record_reads(conn, &ctx, "audit_log", &people_in(shown(&events, limit)), READ_PURPOSE)?;
            Ok::<_, ApiError>(events)
        })
        .await?;
    Ok(page_response(&req, &page, events, |e| e.id.clone(), AuditEventResponse::from))
}
