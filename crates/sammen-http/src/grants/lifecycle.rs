//! The application's transitions as explicit actions (never a PATCH of `status`): submit (a
//! receipt with the server's time and the content's SHA-256), withdraw, screening, decisions
//! (one, or a round's batch all-or-nothing), the applicant's answer to an award, payments,
//! reports and the close. An action the current state does not allow is 409 `invalid-transition`.

use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use sammen_domain::grants::decision::{DecisionInput, Outcome, Reasons, check_decision};
use sammen_domain::grants::policy;
use sammen_domain::ids::{GrantApplicationId, GrantReportId, GrantRoundId, GrantTrancheId};
use sammen_domain::text::{Line, Prose};
use sammen_domain::{Actor, FieldError, ValidationErrors};
use sammen_store::DbConn;
use sammen_store::grants::{self as store, Decision, ScreeningResult};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::applications::{own, render};
use super::views::{ApplicationResponse, GrantReportResponse, TrancheResponse, report_view, tranche_view};
use crate::identity::Caller;
use crate::platform::command::{Answer, Idempotency, command};
use crate::platform::extract::Body;
use crate::platform::idempotency::IdempotencyKey;
use crate::platform::precondition::IfMatch;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(submit)
        .service(withdraw)
        .service(screen)
        .service(decide)
        .service(decide_batch)
        .service(answer_award)
        .service(pay_tranche)
        .service(submit_report)
        .service(review_report)
        .service(close);
}

/// `If-Match` on a transition is optional: with it, the action applies only to that version.
fn optional_version(if_match: &IfMatch) -> Result<Option<i64>, ApiError> {
    match if_match.required_version() {
        Err(ApiError::PreconditionRequired) => Ok(None),
        other => other,
    }
}

fn app_id(id: uuid::Uuid) -> GrantApplicationId {
    GrantApplicationId::from(id)
}

/// Staff only, on an application that exists (404 before 403 would tell nothing new: staff see all).
fn staff_on(conn: &mut DbConn, actor: &Actor, id: &GrantApplicationId) -> Result<(), ApiError> {
    policy::run_pools(actor)?;
    store::find_application(conn, id)?;
    Ok(())
}

/// The receipt of a submission: what the server received, when, and the hash of exactly that.
#[derive(Debug, Serialize, ToSchema)]
pub struct Receipt {
    #[schema(format = Uuid)]
    pub application_id: String,
    /// 1 for the first submission; each answer to a request for information adds one.
    pub revision: i32,
    /// The server's time of receipt.
    pub received_at: DateTime<Utc>,
    /// SHA-256 of the revision's content (fields, declarations, attachments by their hashes).
    #[schema(example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    pub content_sha256: String,
    pub criteria_version: i32,
    /// `submitted`, or `waitlisted` in a rolling round whose money is spoken for.
    pub status: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubmitResponse {
    pub receipt: Receipt,
    pub application: ApplicationResponse,
}

/// Submit an application.
///
/// The applicant's people. Accepted while the round is open by the server's clock (received
/// before `closes_at`; 409 `round-closed` after) and when the checklist is empty (422 listing
/// what is missing). The content becomes an immutable revision; the answer is a receipt with the
/// server's time and its SHA-256, also e-mailed to the organisation's representatives. In a
/// rolling round whose money is spoken for, the application is waitlisted, never rejected. Also
/// how the applicant answers a request for more information (a new revision). Accepts
/// `Idempotency-Key` and an optional `If-Match`.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The application's id"), IdempotencyKey),
    responses(
        (status = 200, description = "The receipt", body = SubmitResponse),
        (status = 409, description = "The round is closed, or the status does not allow it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Something is missing (each listed)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/grant-applications/{id}/submit")]
pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    key: IdempotencyKey,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let expected = optional_version(&if_match)?;
    let idempotency = Idempotency::of(&req, caller.principal(), key, &serde_json::json!({}))?;
    let (id, actor, ctx, now) = (app_id(id.into_inner()), caller.actor.clone(), caller.audit(), state.clock.now());
    command(&state, idempotency, move |conn| {
        own(conn, &actor, &id)?;
        let done = store::submit_application(conn, &id, expected, now, &ctx)?;
        let receipt = Receipt {
            application_id: id.as_str().to_owned(),
            revision: done.revision.revision,
            received_at: done.revision.submitted_at.and_utc(),
            content_sha256: done.revision.content_sha256,
            criteria_version: done.revision.criteria_version,
            status: done.application.status.to_string(),
        };
        let version = done.application.version;
        Ok(Answer::ok(&SubmitResponse { receipt, application: render(conn, done.application)? })?.tagged(version))
    })
    .await
}

/// Withdraw an application.
///
/// The applicant's people, at any point before the decision. Optional `If-Match`.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The application's id")),
    responses(
        (status = 200, description = "Withdrawn", body = ApplicationResponse),
        (status = 409, description = "Decided already", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/grant-applications/{id}/withdraw")]
pub async fn withdraw(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let expected = optional_version(&if_match)?;
    let (id, actor, ctx) = (app_id(id.into_inner()), caller.actor.clone(), caller.audit());
    command(&state, None, move |conn| {
        own(conn, &actor, &id)?;
        let app = store::withdraw_application(conn, &id, expected, &ctx)?;
        let version = app.version;
        Ok(Answer::ok(&render(conn, app)?)?.tagged(version))
    })
    .await
}

/// What screening found.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScreeningOutcome {
    Eligible,
    Ineligible,
    MoreInformation,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreeningRequest {
    pub outcome: ScreeningOutcome,
    /// Required for `ineligible` (the reasons) and `more_information` (what is asked for).
    #[schema(value_type = Option<String>, max_length = 5000)]
    pub message: Option<Prose>,
    /// For `more_information`: by when.
    pub due_on: Option<NaiveDate>,
}

/// Screen an application.
///
/// Staff. On a submitted application: `eligible` (it goes to review), `ineligible` with reasons,
/// or `more_information` (the applicant edits and submits again). `more_information` also
/// applies to an application in review.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The application's id"), IfMatch),
    request_body = ScreeningRequest,
    responses(
        (status = 200, description = "Screened", body = ApplicationResponse),
        (status = 409, description = "Not in a state to screen", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/grant-applications/{id}/screening")]
pub async fn screen(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: Body<ScreeningRequest>,
) -> Result<HttpResponse, ApiError> {
    policy::run_pools(&caller.actor)?;
    let body = body.into_inner();
    let message = body.message.as_ref().map(|m| m.trim().to_owned()).filter(|m| !m.is_empty());
    let result = match (body.outcome, message) {
        (ScreeningOutcome::Eligible, _) => ScreeningResult::Eligible,
        (ScreeningOutcome::Ineligible, Some(reasons)) => ScreeningResult::Ineligible { reasons },
        (ScreeningOutcome::MoreInformation, Some(message)) => {
            ScreeningResult::MoreInformation(store::Screening { message, due_on: body.due_on })
        }
        (_, None) => return Err(ApiError::invalid("message", "required", "say why, or what is asked for")),
    };
    let expected = optional_version(&if_match)?;
    let (id, actor, ctx) = (app_id(id.into_inner()), caller.actor.clone(), caller.audit());
    command(&state, None, move |conn| {
        staff_on(conn, &actor, &id)?;
        let app = store::screen_application(conn, &id, expected, &result, &ctx)?;
        let version = app.version;
        Ok(Answer::ok(&render(conn, app)?)?.tagged(version))
    })
    .await
}

/// A decision.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// `award` (the amount applied for), `partial_award` or `rejection`.
    #[schema(value_type = String, example = "award")]
    pub outcome: Outcome,
    /// For a `partial_award`: the amount awarded (less than applied for).
    pub amount_ore: Option<i64>,
    pub reasons: Reasons,
}

/// Checks a decision against the application and its round, reading both.
fn checked(
    conn: &mut DbConn,
    id: &GrantApplicationId,
    body: &DecisionRequest,
    prefix: &str,
) -> Result<Decision, ApiError> {
    let app = store::find_application(conn, id)?;
    let round = store::find_round(conn, &app.round_id)?;
    let criteria = store::criteria_of(conn, &app)?;
    let mut errors = ValidationErrors::new();
    let input = DecisionInput { outcome: body.outcome, amount_ore: body.amount_ore, reasons: &body.reasons };
    let awarded =
        check_decision(&input, app.amount_requested_ore, round.max_amount_ore, &criteria.criteria, prefix, &mut errors);
    errors.into_result()?;
    Ok(Decision {
        application_id: id.clone(),
        expected_version: None,
        outcome: body.outcome,
        awarded_ore: awarded,
        reasons: body.reasons.clone(),
    })
}

/// Decide an application.
///
/// Staff, on an application in review with the round's required number of completed reviews.
/// An award commits its amount in the same transaction: when the pool's remaining budget cannot
/// cover it, nothing happens (409 `budget-exceeded`), however many decisions run at once.
/// Rejections and partial awards give reasons per criterion and guidance on reconsideration.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The application's id"), IfMatch),
    request_body = DecisionRequest,
    responses(
        (status = 200, description = "Decided", body = ApplicationResponse),
        (status = 409, description = "Over budget, or not in review", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid decision", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/grant-applications/{id}/decision")]
pub async fn decide(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: Body<DecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    let expected = optional_version(&if_match)?;
    let body = body.into_inner();
    let (id, actor, ctx) = (app_id(id.into_inner()), caller.actor.clone(), caller.audit());
    command(&state, None, move |conn| {
        staff_on(conn, &actor, &id)?;
        let decision = Decision { expected_version: expected, ..checked(conn, &id, &body, "")? };
        let app = store::decide(conn, &decision, &ctx)?;
        let version = app.version;
        Ok(Answer::ok(&render(conn, app)?)?.tagged(version))
    })
    .await
}

/// One decision of a batch: the application, and the decision as `POST …/decision` takes it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchDecision {
    #[schema(format = Uuid)]
    pub application_id: uuid::Uuid,
    #[schema(value_type = String, example = "award")]
    pub outcome: Outcome,
    pub amount_ore: Option<i64>,
    pub reasons: Reasons,
}

impl BatchDecision {
    fn decision(&self) -> DecisionRequest {
        DecisionRequest { outcome: self.outcome, amount_ore: self.amount_ore, reasons: self.reasons.clone() }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchRequest {
    #[schema(min_items = 1, max_items = 500)]
    pub decisions: Vec<BatchDecision>,
}

/// Decide a round's applications together.
///
/// Staff. All or nothing: if any decision cannot be made (its state, the budget, a bad field),
/// none is, and the answer says which failed. Every application must belong to the round.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The round's id"), IdempotencyKey),
    request_body = BatchRequest,
    responses(
        (status = 200, description = "Every decision made", body = Vec<ApplicationResponse>),
        (status = 409, description = "One could not be made; none was", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid decisions (each listed)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/grant-rounds/{id}/decisions")]
pub async fn decide_batch(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    key: IdempotencyKey,
    body: Body<BatchRequest>,
) -> Result<HttpResponse, ApiError> {
    policy::run_pools(&caller.actor)?;
    let body = body.into_inner();
    if body.decisions.is_empty() || body.decisions.len() > 500 {
        return Err(ApiError::invalid("decisions", "invalid", "1 to 500 decisions"));
    }
    let idempotency = Idempotency::of(&req, caller.principal(), key, &body)?;
    let (round, ctx) = (GrantRoundId::from(id.into_inner()), caller.audit());
    command(&state, idempotency, move |conn| {
        store::find_round(conn, &round)?;
        let mut decisions = Vec::with_capacity(body.decisions.len());
        let mut errors = ValidationErrors::new();
        for (i, d) in body.decisions.iter().enumerate() {
            let id = app_id(d.application_id);
            let app = store::find_application(conn, &id)?;
            if app.round_id != round {
                errors.push(FieldError::new(
                    format!("decisions[{i}].application_id"),
                    "invalid",
                    "is not an application of this round",
                ));
                continue;
            }
            match checked(conn, &id, &d.decision(), &format!("decisions[{i}].")) {
                Ok(decision) => decisions.push(decision),
                Err(ApiError::Validation(e)) => errors.0.extend(e.0),
                Err(other) => return Err(other),
            }
        }
        errors.into_result()?;
        let decided = store::decide_batch(conn, &decisions, &ctx)?;
        let views = decided.into_iter().map(|a| render(conn, a)).collect::<Result<Vec<_>, _>>()?;
        Answer::ok(&views)
    })
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AwardAnswer {
    /// `true` accepts the award (its tranches are planned); `false` declines it (the money goes back to the pool).
    pub accept: bool,
}

/// Accept or decline an award.
///
/// The applicant's people, on an awarded application.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The application's id"), IfMatch),
    request_body = AwardAnswer,
    responses(
        (status = 200, description = "Answered", body = ApplicationResponse),
        (status = 409, description = "Not awarded, or answered already", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/grant-applications/{id}/award-response")]
pub async fn answer_award(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: Body<AwardAnswer>,
) -> Result<HttpResponse, ApiError> {
    let expected = optional_version(&if_match)?;
    let accept = body.into_inner().accept;
    let (id, actor, ctx) = (app_id(id.into_inner()), caller.actor.clone(), caller.audit());
    command(&state, None, move |conn| {
        own(conn, &actor, &id)?;
        let app = store::answer_award(conn, &id, expected, accept, &ctx)?;
        let version = app.version;
        Ok(Answer::ok(&render(conn, app)?)?.tagged(version))
    })
    .await
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentRequest {
    /// The payment's reference in the municipality's finance system.
    #[schema(value_type = String, example = "NK-2027-00417", max_length = 100)]
    pub reference: Line,
}

/// Record a tranche's payment.
///
/// Staff, on an accepted award. A tranche paid after the report waits for its approval.
/// Accepts `Idempotency-Key`.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The application's id"), ("tranche_id" = uuid::Uuid, Path, description = "The tranche's id"), IdempotencyKey),
    request_body = PaymentRequest,
    responses(
        (status = 200, description = "Paid", body = TrancheResponse),
        (status = 409, description = "Paid already, or waiting for the report", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/grant-applications/{id}/tranches/{tranche_id}/payment")]
pub async fn pay_tranche(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
    key: IdempotencyKey,
    body: Body<PaymentRequest>,
) -> Result<HttpResponse, ApiError> {
    policy::run_pools(&caller.actor)?;
    let body = body.into_inner();
    let reference = body.reference.trim().to_owned();
    if reference.is_empty() || reference.chars().count() > 100 {
        return Err(ApiError::invalid("reference", "invalid", "1 to 100 characters"));
    }
    let idempotency = Idempotency::of(&req, caller.principal(), key, &body)?;
    let (id, tranche) = path.into_inner();
    let (id, tranche, actor, ctx) = (app_id(id), GrantTrancheId::from(tranche), caller.actor.clone(), caller.audit());
    command(&state, idempotency, move |conn| {
        staff_on(conn, &actor, &id)?;
        Answer::ok(&tranche_view(store::pay_tranche(conn, &id, &tranche, &reference, &ctx)?))
    })
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantReportRequest {
    /// What was spent of the award.
    #[schema(minimum = 0)]
    pub spent_ore: i64,
    /// What was done. For a small grant the declaration on honour; for a large one the accounts.
    #[schema(value_type = String, min_length = 10, max_length = 20000)]
    pub text: Prose,
    /// The applicant declares on honour that the report is true (required).
    pub declaration_on_honour: bool,
}

/// Report on an award.
///
/// The applicant's people, on an accepted award: a declaration on honour for small grants,
/// accounts for large ones (the track says which).
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The application's id")),
    request_body = GrantReportRequest,
    responses(
        (status = 201, description = "Submitted", body = GrantReportResponse),
        (status = 409, description = "Not accepted, or a report waits already", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/grant-applications/{id}/reports")]
pub async fn submit_report(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    body: Body<GrantReportRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let mut errors = ValidationErrors::new();
    errors.check(sammen_domain::validation::text_length("text", body.text.trim(), 10, 20000));
    if body.spent_ore < 0 {
        errors.push(FieldError::new("spent_ore", "invalid", "must be 0 or more"));
    }
    if !body.declaration_on_honour {
        errors.push(FieldError::new("declaration_on_honour", "required", "the report is declared true on honour"));
    }
    errors.into_result()?;
    let (id, actor, ctx) = (app_id(id.into_inner()), caller.actor.clone(), caller.audit());
    command(&state, None, move |conn| {
        own(conn, &actor, &id)?;
        let report = store::submit_report(conn, &id, body.spent_ore, body.text.trim(), &ctx)?;
        Answer::created(format!("/api/v1/grant-applications/{id}"), &report_view(report))
    })
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantReportReview {
    pub approve: bool,
    #[schema(value_type = Option<String>, max_length = 2000)]
    pub note: Option<Prose>,
}

/// Approve or return a report.
///
/// Staff. On approval, money paid beyond what was spent is reclaimed and planned tranches shrink
/// to what is left to cover.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The application's id"), ("report_id" = uuid::Uuid, Path, description = "The report's id")),
    request_body = GrantReportReview,
    responses(
        (status = 200, description = "Reviewed", body = GrantReportResponse),
        (status = 409, description = "Decided already", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/grant-applications/{id}/reports/{report_id}/review")]
pub async fn review_report(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
    body: Body<GrantReportReview>,
) -> Result<HttpResponse, ApiError> {
    policy::run_pools(&caller.actor)?;
    let body = body.into_inner();
    let (id, report) = path.into_inner();
    let (id, report, actor, ctx) = (app_id(id), GrantReportId::from(report), caller.actor.clone(), caller.audit());
    command(&state, None, move |conn| {
        staff_on(conn, &actor, &id)?;
        let note = body.note.as_ref().map(|n| n.trim().to_owned());
        Answer::ok(&report_view(store::review_report(conn, &id, &report, body.approve, note.as_deref(), &ctx)?))
    })
    .await
}

/// Close an award.
///
/// Staff, once the report is approved: unpaid tranches are cancelled and their money released.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The application's id")),
    responses(
        (status = 200, description = "Closed", body = ApplicationResponse),
        (status = 409, description = "Not ready to close", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/grant-applications/{id}/close")]
pub async fn close(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (id, actor, ctx) = (app_id(id.into_inner()), caller.actor.clone(), caller.audit());
    command(&state, None, move |conn| {
        staff_on(conn, &actor, &id)?;
        let app = store::close_award(conn, &id, &ctx)?;
        let version = app.version;
        Ok(Answer::ok(&render(conn, app)?)?.tagged(version))
    })
    .await
}
