//! Anyone may report an error on a public listing; staff and the organisation's own people see
//! the reports on its listings and mark them resolved.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use sammen_domain::directory::listing_report::{ListingReport, ReportStatus};
use sammen_domain::directory::policy::{self, ReportView};
use sammen_domain::identity::Throttle;
use sammen_domain::ids::{ActivityId, OrganisationId, ReportId};
use sammen_domain::text::Prose;
use sammen_store::StoreResult;
use sammen_store::audit::{AuditContext, PersonalDataRead, record_personal_data_reads};
use sammen_store::directory::{self as store, ActivityReport};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::activities::visible;
use crate::identity::auth::ANONYMOUS;
use crate::identity::{Caller, MaybeCaller};
use crate::platform::command::{Answer, command};
use crate::platform::extract::{Body, Query};
use crate::platform::middleware::request_id;
use crate::platform::pagination::{Page, PageParams, page_response, shown};
use crate::problem::ApiError;
use crate::state::AppState;

/// Reports from one client address: a person has a few things to say, a script many.
const REPORT_THROTTLE: Throttle = Throttle { max_failures: 10, window_seconds: 3600 };

/// A report as staff and the organisation see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportResponse {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub activity_id: String,
    pub activity_name: String,
    #[schema(format = Uuid)]
    pub organisation_id: String,
    pub message: String,
    /// The reporter's address, when given: shown to staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<String>,
    /// `open` or `resolved`.
    #[schema(example = "open")]
    pub status: &'static str,
    pub resolution_note: Option<String>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Whether `audience` sees the reporter's e-mail address.
fn shows_reporter(audience: ReportView) -> bool {
    audience == ReportView::Staff
}

/// Why staff read a reporter's e-mail address, as the audit log records it.
const READ_PURPOSE: &str = "answering a listing report";

/// Records the reporters' e-mail addresses that `audience` is shown in `reports`.
fn record_reporter_reads(
    conn: &mut sammen_store::DbConn,
    ctx: &AuditContext,
    audience: ReportView,
    reports: &[ActivityReport],
) -> StoreResult<()> {
    if !shows_reporter(audience) {
        return Ok(());
    }
    let reads: Vec<PersonalDataRead<'_>> = reports
        .iter()
        .filter(|r| r.reporter_email.is_some())
        .map(|r| PersonalDataRead { target_type: "activity_report", target_id: r.id.as_str(), subject_user_id: None })
        .collect();
    record_personal_data_reads(conn, ctx, &reads, READ_PURPOSE)
}

fn view(r: ActivityReport, audience: ReportView) -> ReportResponse {
    ReportResponse {
        id: r.id.into_string(),
        activity_id: r.activity_id.into_string(),
        activity_name: r.activity_name,
        organisation_id: r.organisation_id.into_string(),
        message: r.message,
        contact_email: if shows_reporter(audience) { r.reporter_email } else { None },
        status: r.status.as_str(),
        resolution_note: r.resolution_note,
        resolved_at: r.resolved_at.map(|t| t.and_utc()),
        created_at: r.created_at.and_utc(),
    }
}

/// The receipt the reporter gets: nothing of anyone else's.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportReceipt {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(example = "open")]
    pub status: &'static str,
    pub created_at: DateTime<Utc>,
}

/// Report an error on a listing.
///
/// Anyone, with or without a token, about a published activity: what is wrong, and optionally
/// an e-mail address for an answer (seen by staff only). Staff and the organisation see the
/// report. At most 10 reports an hour from one address (429 with `Retry-After`).
#[utoipa::path(
    tag = "directory",
    params(("id" = uuid::Uuid, Path, description = "The activity's id")),
    request_body = ListingReport,
    responses(
        (status = 201, description = "The report was received", body = ReportReceipt),
        (status = 429, description = "Ten reports in the last hour from this address",
            body = crate::problem::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ),
    security(())
)]
#[post("/activities/{id}/reports")]
pub async fn report_activity(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: MaybeCaller,
    id: web::Path<uuid::Uuid>,
    body: Body<ListingReport>,
) -> Result<HttpResponse, ApiError> {
    let (activity, _) = visible(&state, caller.0.as_ref(), id.into_inner().into()).await?;
    let report = body.into_inner().checked()?;
    let bucket = format!("report:address:{}", crate::identity::client_address(&req, state.config.trust_proxy));
    let ctx = match &caller.0 {
        Some(caller) => caller.audit(),
        None => AuditContext::new(ANONYMOUS, request_id(&req)),
    };
    command(&state, None, move |conn| {
        let throttle = [(bucket.as_str(), REPORT_THROTTLE)];
        if let Some(retry_after) = sammen_store::identity::throttle_check(conn, &throttle)? {
            return Err(ApiError::TooManyRequests { retry_after });
        }
        sammen_store::identity::throttle_fail(conn, &throttle)?;
        let stored = store::insert_report(conn, &activity.id, &report, &ctx)?;
        let receipt = ReportReceipt {
            id: stored.id.into_string(),
            status: stored.status.as_str(),
            created_at: stored.created_at.and_utc(),
        };
        Answer::with_status(actix_web::http::StatusCode::CREATED, &receipt)
    })
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Reports on this organisation's activities (required for its representatives and clients).
    pub organisation: Option<uuid::Uuid>,
    /// Reports on this activity.
    pub activity: Option<uuid::Uuid>,
    /// `open` or `resolved`; both when absent.
    #[param(value_type = Option<String>, pattern = "^(open|resolved)$")]
    pub status: Option<String>,
}

/// Reports of errors on listings.
///
/// Staff see all; an organisation's representatives and `directory:write` clients see the
/// reports on its activities (give `organisation`). Oldest first; cursor pagination. Staff see
/// the reporter's e-mail address, and each one shown is recorded as read in the audit log.
#[utoipa::path(
    tag = "directory",
    params(ReportQuery, PageParams),
    responses((status = 200, description = "A page of reports", body = Page<ReportResponse>)),
    security(("bearer_auth" = []))
)]
#[get("/activity-reports")]
pub async fn list_reports(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    query: Query<ReportQuery>,
    params: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let organisation_id = query.organisation.map(OrganisationId::from);
    let audience = policy::read_reports(&caller, organisation_id.as_ref())?;
    let status = match query.status.as_deref() {
        None => None,
        Some(s) => {
            Some(ReportStatus::parse(s).ok_or_else(|| ApiError::BadRequest("status must be open or resolved".into()))?)
        }
    };
    let filter = store::ReportFilter { organisation_id, activity_id: query.activity.map(ActivityId::from), status };
    let page = params.resolve::<ReportId>()?;
    let (after, fetch, limit) = (page.after.clone(), page.fetch(), page.limit);
    let ctx = caller.audit();
    let reports = state
        .db(move |conn| {
            let reports = store::list_reports(conn, &filter, after.as_ref(), fetch)?;
            record_reporter_reads(conn, &ctx, audience, shown(&reports, limit))?;
            Ok::<_, ApiError>(reports)
        })
        .await?;
    Ok(page_response(&req, &page, reports, |r| r.id.clone(), |r| view(r, audience)))
}

/// What was done about a report.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Resolution {
    /// What was done (at most 2000 characters).
    #[schema(value_type = Option<String>, max_length = 2000, example = "Adressen er rettet.")]
    pub note: Option<Prose>,
}

/// Mark a report resolved.
///
/// Staff, or the organisation's own people for reports on its activities. A report is resolved
/// once (409 the second time).
#[utoipa::path(
    tag = "directory",
    params(("id" = uuid::Uuid, Path, description = "The report's id")),
    request_body = Resolution,
    responses(
        (status = 200, description = "The resolved report", body = ReportResponse),
        (status = 409, description = "The report is resolved already",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/activity-reports/{id}/resolve")]
pub async fn resolve_report(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    body: Body<Resolution>,
) -> Result<HttpResponse, ApiError> {
    let id = ReportId::from(id.into_inner());
    let note = body.into_inner().note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    let (actor, ctx) = (caller.actor.clone(), caller.audit());
    command(&state, None, move |conn| {
        let report = store::find_report(conn, &id)?;
        // Someone who may not handle it learns nothing about it.
        let audience = policy::resolve_report(&actor, &report.organisation_id)?;
        if note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
            return Err(ApiError::invalid("note", "too_long", "must be at most 2000 characters"));
        }
        let resolved = store::resolve_report(conn, &id, note.as_deref(), &ctx)?;
        record_reporter_reads(conn, &ctx, audience, std::slice::from_ref(&resolved))?;
        Answer::ok(&view(resolved, audience))
    })
    .await
}
