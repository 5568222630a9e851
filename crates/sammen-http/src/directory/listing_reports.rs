//! Anyone may report an error on a public listing; staff and the organisation's own people see
//! the reports on its listings and mark them resolved.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use sammen_domain::directory::listing_report::{ListingReport, ReportStatus};
use sammen_domain::identity::Throttle;
use sammen_store::audit::AuditContext;
use sammen_store::directory::{self as store, ActivityReport};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::activities::{manages, visible};
use crate::identity::{Caller, MaybeCaller};
use crate::platform::middleware::request_id;
use crate::platform::pagination::{Page, PageParams, page_response};
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

fn view(r: ActivityReport, staff: bool) -> ReportResponse {
    ReportResponse {
        id: r.id,
        activity_id: r.activity_id,
        activity_name: r.activity_name,
        organisation_id: r.organisation_id,
        message: r.message,
        contact_email: if staff { r.reporter_email } else { None },
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
    body: web::Json<ListingReport>,
) -> Result<HttpResponse, ApiError> {
    let (activity, _) = visible(&state, caller.0.as_ref(), id.into_inner().to_string()).await?;
    let report = body.into_inner().checked()?;
    let bucket = format!("report:address:{}", crate::identity::client_address(&req, state.config.trust_proxy));
    let ctx = match &caller.0 {
        Some(caller) => caller.audit(),
        None => AuditContext::new("anonymous", request_id(&req)),
    };
    let stored = state
        .db(move |conn| {
            if let Some(retry_after) = sammen_store::identity::throttle_check(conn, &[(&bucket, REPORT_THROTTLE)])? {
                return Ok(Err(retry_after));
            }
            sammen_store::identity::throttle_fail(conn, &[(&bucket, REPORT_THROTTLE)])?;
            store::insert_report(conn, &activity.id, &report, &ctx).map(Ok)
        })
        .await?
        .map_err(|retry_after| ApiError::TooManyRequests { retry_after })?;
    Ok(HttpResponse::Created().json(ReportReceipt {
        id: stored.id,
        status: stored.status.as_str(),
        created_at: stored.created_at.and_utc(),
    }))
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
/// reports on its activities (give `organisation`). Oldest first; cursor pagination.
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
    query: web::Query<ReportQuery>,
    params: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let organisation_id = query.organisation.map(|o| o.to_string());
    if !caller.is_staff() && !organisation_id.as_deref().is_some_and(|org| manages(Some(&caller), org)) {
        return Err(ApiError::Forbidden(
            "staff see every report; an organisation's people give `organisation` for theirs".into(),
        ));
    }
    let status = match query.status.as_deref() {
        None => None,
        Some(s) => {
            Some(ReportStatus::parse(s).ok_or_else(|| ApiError::BadRequest("status must be open or resolved".into()))?)
        }
    };
    let filter = store::ReportFilter { organisation_id, activity_id: query.activity.map(|a| a.to_string()), status };
    let page = params.resolve::<String>()?;
    let (after, fetch) = (page.after.clone(), page.fetch());
    let reports = state.db(move |conn| store::list_reports(conn, &filter, after.as_deref(), fetch)).await?;
    let staff = caller.is_staff();
    Ok(page_response(&req, &page, reports, |r| r.id.clone(), |r| view(r, staff)))
}

/// What was done about a report.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Resolution {
    /// What was done (at most 2000 characters).
    #[schema(max_length = 2000, example = "Adressen er rettet.")]
    pub note: Option<String>,
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
    body: web::Json<Resolution>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().to_string();
    let note = body.into_inner().note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    if note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
        let error = sammen_domain::FieldError::new("note", "too_long", "must be at most 2000 characters");
        return Err(sammen_domain::ValidationErrors::from(error).into());
    }
    let no_such = || ApiError::NotFound("no such report".into());
    let report = state.db({
        let id = id.clone();
        move |conn| store::find_report(conn, &id)
    });
    let report = report.await.map_err(|e| if matches!(e, ApiError::NotFound(_)) { no_such() } else { e })?;
    // Someone who may not handle it learns nothing about it.
    if !manages(Some(&caller), &report.organisation_id) {
        return Err(no_such());
    }
    let ctx = caller.audit();
    let resolved =
        state.db(move |conn| store::resolve_report(conn, &id, note.as_deref(), &ctx)).await.map_err(|e| match e {
            ApiError::Conflict(_) => ApiError::Conflict("the report is resolved already".into()),
            e => e,
        })?;
    Ok(HttpResponse::Ok().json(view(resolved, caller.is_staff())))
}
