//! RFC 9457 problem details: the one error type of the HTTP layer and its rendering.
//!
//! Every error any handler, extractor or the router produces ends up as
//! `application/problem+json` with a stable `type` URI per kind (listed in docs/api-guide.md).

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use sammen_domain::directory::DirectoryError;
use sammen_domain::directory::import::RowError;
use sammen_domain::directory::moderation::TransitionError;
use sammen_domain::directory::search::ListingError;
use sammen_domain::grants::GrantError;
use sammen_domain::identity::IdentityError;
use sammen_domain::{Denied, FieldError, ValidationErrors};
use sammen_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";
const TYPE_BASE: &str = "https://sammen.dk/problems/";

/// Seconds a client should wait before retrying when the database is unavailable.
pub const UNAVAILABLE_RETRY_AFTER: u64 = 2;

/// An error answer. Each variant is one documented problem type.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Malformed request: bad JSON, a wrong type, an unknown field, a bad query or path value.
    #[error("{0}")]
    BadRequest(String),
    /// Well-formed but invalid input, with every bad field listed.
    #[error("the request has invalid fields")]
    Validation(ValidationErrors),
    /// An uploaded file with invalid lines, each problem with its line (a CSV import).
    #[error("{detail}")]
    InvalidRows { detail: String, errors: Vec<RowError> },
    /// No token, or a token that is invalid, expired or of a disabled account.
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{method} is not allowed here")]
    MethodNotAllowed { method: String, allow: Vec<String> },
    /// The request conflicts with the current state (duplicate, invalid transition, budget exceeded).
    #[error("{0}")]
    Conflict(String),
    /// A conflict of a documented kind with its own problem type (`budget-exceeded`,
    /// `invalid-transition`, `round-closed`, `criteria-frozen`, `conflict-of-interest`).
    #[error("{detail}")]
    StateConflict { kind: &'static str, detail: String },
    #[error("the resource has changed since it was read: fetch it again and reapply the change")]
    PreconditionFailed,
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The same Idempotency-Key was sent with a different request.
    #[error("this Idempotency-Key was already used for a different request")]
    IdempotencyKeyReused,
    /// Requests with the same Idempotency-Key kept arriving at the same moment (rare: a
    /// concurrent duplicate normally waits for the first and gets its response).
    #[error("a request with this Idempotency-Key is still being processed; retry shortly")]
    IdempotencyKeyInProgress,
    #[error("this operation requires an If-Match header with the resource's current ETag")]
    PreconditionRequired,
    #[error("too many requests; retry after {retry_after} seconds")]
    TooManyRequests { retry_after: u64 },
    #[error("the database is unavailable; retry after {retry_after} seconds")]
    Unavailable { retry_after: u64 },
    /// A bug. The cause (with its chain) is logged, never sent.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    pub fn unavailable() -> Self {
        ApiError::Unavailable { retry_after: UNAVAILABLE_RETRY_AFTER }
    }

    pub fn invalid(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        ApiError::Validation(FieldError::new(field, code, message).into())
    }

    /// A bug: `cause` is logged with its chain, the caller learns only that it happened.
    pub fn internal(cause: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        ApiError::Internal(cause.into())
    }

    /// The stable slug of the problem type: the last segment of `type`.
    pub fn kind(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad-request",
            ApiError::Validation(_) | ApiError::InvalidRows { .. } => "validation",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not-found",
            ApiError::MethodNotAllowed { .. } => "method-not-allowed",
            ApiError::Conflict(_) => "conflict",
            ApiError::StateConflict { kind, .. } => kind,
            ApiError::PreconditionFailed => "precondition-failed",
            ApiError::PayloadTooLarge(_) => "payload-too-large",
            ApiError::UnsupportedMediaType(_) => "unsupported-media-type",
            ApiError::IdempotencyKeyReused => "idempotency-key-reused",
            ApiError::IdempotencyKeyInProgress => "idempotency-key-in-progress",
            ApiError::PreconditionRequired => "precondition-required",
            ApiError::TooManyRequests { .. } => "rate-limited",
            ApiError::Unavailable { .. } => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }

    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let detail = match self {
            ApiError::Internal(_) => "an unexpected error occurred; it has been logged".to_owned(),
            other => other.to_string(),
        };
        let errors = match self {
            ApiError::Validation(v) => Some(v.0.iter().map(ProblemField::from).collect()),
            ApiError::InvalidRows { errors, .. } => Some(errors.iter().map(ProblemField::from).collect()),
            _ => None,
        };
        Problem {
            problem_type: format!("{TYPE_BASE}{}", self.kind()),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            instance: None,
            request_id: None,
            errors,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Validation(_) | ApiError::InvalidRows { .. } | ApiError::IdempotencyKeyReused => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict(_) | ApiError::StateConflict { .. } | ApiError::IdempotencyKeyInProgress => {
                StatusCode::CONFLICT
            }
            ApiError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            log::error!("internal error: {}", cause_chain(cause.as_ref()));
        }
        let mut response = HttpResponse::build(self.status_code());
        match self {
            ApiError::Unauthorized(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"sammen\"")));
            }
            ApiError::TooManyRequests { retry_after } | ApiError::Unavailable { retry_after } => {
                response.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            ApiError::IdempotencyKeyInProgress => {
                response.insert_header((header::RETRY_AFTER, "1"));
            }
            ApiError::MethodNotAllowed { allow, .. } => {
                response.insert_header((header::ALLOW, allow.join(", ")));
            }
            _ => {}
        }
        response.content_type(PROBLEM_JSON).body(self.problem().to_json())
    }
}

/// An error and its sources, outermost first: `database error: caused by: connection reset`.
pub fn cause_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": caused by: ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound(what) => ApiError::NotFound(format!("no such {}", what.noun())),
            StoreError::Directory(e) => e.into(),
            StoreError::Identity(e) => e.into(),
            StoreError::Grant(e) => e.into(),
            StoreError::Conflict(_) => ApiError::Conflict(err.to_string()),
            StoreError::InvalidReference(_) => {
                ApiError::Validation(FieldError::new("", "invalid_reference", err.to_string()).into())
            }
            StoreError::VersionMismatch => ApiError::PreconditionFailed,
            StoreError::Retry => ApiError::IdempotencyKeyInProgress,
            StoreError::Unavailable(why) => {
                log::warn!("database unavailable: {why}");
                ApiError::unavailable()
            }
            StoreError::Corrupt(_) | StoreError::Database(_) => ApiError::internal(err),
        }
    }
}

/// A policy's refusal: 403, or 404 where the caller may not learn that the record exists.
impl From<Denied> for ApiError {
    fn from(denied: Denied) -> Self {
        match denied {
            Denied::Hidden(_) => ApiError::NotFound(denied.to_string()),
            _ => ApiError::Forbidden(denied.to_string()),
        }
    }
}

impl From<DirectoryError> for ApiError {
    fn from(err: DirectoryError) -> Self {
        let message = err.to_string();
        match err {
            DirectoryError::ParentCycle | DirectoryError::NoPendingChange | DirectoryError::ReportResolved => {
                ApiError::Conflict(message)
            }
            DirectoryError::UnknownParent => ApiError::invalid("parent_id", "invalid_reference", message),
            DirectoryError::InformalGroupWithCvr => ApiError::invalid("cvr", "invalid", message),
            DirectoryError::UnknownDistrict => ApiError::invalid("district_code", "unknown", message),
            DirectoryError::Transition(TransitionError::StaffOnly(_)) => ApiError::Forbidden(message),
            DirectoryError::Transition(TransitionError::ReasonRequired) => {
                ApiError::invalid("reason", "required", message)
            }
            DirectoryError::Transition(TransitionError::NotFromHere { .. }) => ApiError::Conflict(message),
        }
    }
}

impl From<TransitionError> for ApiError {
    fn from(err: TransitionError) -> Self {
        DirectoryError::from(err).into()
    }
}

impl From<GrantError> for ApiError {
    fn from(err: GrantError) -> Self {
        let detail = err.to_string();
        let conflict = |kind| ApiError::StateConflict { kind, detail: detail.clone() };
        match err {
            GrantError::InvalidTransition { .. }
            | GrantError::TrancheSettled(_)
            | GrantError::TrancheWaitsForReport => conflict("invalid-transition"),
            GrantError::ReportState(_) | GrantError::NotReadyToClose(_) | GrantError::ReviewClosed(_) => {
                conflict("invalid-transition")
            }
            GrantError::ReviewsIncomplete { .. } => conflict("invalid-transition"),
            GrantError::BudgetExceeded { .. } | GrantError::BudgetBelowCommitted { .. } => conflict("budget-exceeded"),
            GrantError::RoundClosed { .. } | GrantError::PoolNotOpen => conflict("round-closed"),
            GrantError::CriteriaFrozen | GrantError::RoundFrozen => conflict("criteria-frozen"),
            GrantError::ReviewerTied => conflict("conflict-of-interest"),
            GrantError::AlreadyAssigned => ApiError::Conflict(detail),
            GrantError::NotAReviewer => ApiError::invalid("reviewer_id", "invalid", detail),
            GrantError::Incomplete(missing) => ApiError::Validation(ValidationErrors(
                missing.into_iter().map(|m| FieldError::new(m.field, "missing", m.message)).collect(),
            )),
            GrantError::Invalid { field, message } => ApiError::invalid(field, "invalid", message),
        }
    }
}

impl From<IdentityError> for ApiError {
    fn from(err: IdentityError) -> Self {
        match err {
            IdentityError::EmailTaken | IdentityError::LastAdmin => ApiError::Conflict(err.to_string()),
        }
    }
}

/// A listing query that cannot be run: a malformed request.
impl From<ListingError> for ApiError {
    fn from(err: ListingError) -> Self {
        ApiError::BadRequest(err.to_string())
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(errors: ValidationErrors) -> Self {
        ApiError::Validation(errors)
    }
}

/// An RFC 9457 problem details document.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
#[schema(example = json!({
    "type": "https://sammen.dk/problems/validation",
    "title": "Unprocessable Entity",
    "status": 422,
    "detail": "the request has invalid fields",
    "instance": "/api/v1/users",
    "request_id": "0193a8a4-0c7e-7bd2-9d5e-4e1f2a3b4c5d",
    "errors": [{"field": "email", "code": "invalid", "message": "must be an e-mail address like name@example.dk"}]
}))]
pub struct Problem {
    /// A stable URI per kind of error; see docs/api-guide.md for the list.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// The HTTP status's reason phrase.
    pub title: String,
    pub status: u16,
    /// What went wrong with this request, in plain language.
    pub detail: String,
    /// The request path this problem occurred on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// The request id (also in the `X-Request-Id` header), to quote when reporting a problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// For validation problems: every invalid field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<ProblemField>>,
}

impl Problem {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| String::from("{}"))
    }
}

/// One invalid field of a validation problem.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct ProblemField {
    /// For an uploaded file: the line (the header is line 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Dotted path of the field (`roles[0].scope`); for an uploaded file, the column.
    pub field: String,
    /// Machine-readable: `required`, `too_short`, `too_long`, `invalid`, `taken`...
    pub code: String,
    pub message: String,
}

impl From<&FieldError> for ProblemField {
    fn from(e: &FieldError) -> Self {
        Self { line: None, field: e.field.clone(), code: e.code.to_owned(), message: e.message.clone() }
    }
}

impl From<&RowError> for ProblemField {
    fn from(e: &RowError) -> Self {
        Self { line: Some(e.line), field: e.field.clone(), code: e.code.to_owned(), message: e.message.clone() }
    }
}

/// A problem for an actix error response that carried no problem body (the router's own 404,
/// a handler's bare status): a generic problem of that status.
pub fn problem_for_status(status: StatusCode) -> Problem {
    let kind = match status.as_u16() {
        400 => "bad-request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not-found",
        405 => "method-not-allowed",
        408 => "request-timeout",
        413 => "payload-too-large",
        415 => "unsupported-media-type",
        429 => "rate-limited",
        431 => "headers-too-large",
        503 => "unavailable",
        s if s >= 500 => "internal",
        _ => "bad-request",
    };
    let title = status.canonical_reason().unwrap_or("Error").to_owned();
    Problem {
        problem_type: format!("{TYPE_BASE}{kind}"),
        detail: title.to_lowercase(),
        title,
        status: status.as_u16(),
        instance: None,
        request_id: None,
        errors: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("the import's parser stopped")]
    struct Outer(#[source] std::io::Error);

    #[test]
    fn an_internal_error_keeps_its_causes_for_the_log_and_tells_the_caller_nothing() {
        let err = ApiError::internal(Outer(std::io::Error::other("disk full")));
        assert_eq!(cause_chain(&err), "internal error: caused by: the import's parser stopped: caused by: disk full");
        let problem = err.problem();
        assert_eq!(
            (problem.status, problem.detail.as_str()),
            (500, "an unexpected error occurred; it has been logged")
        );
        let from_store = ApiError::from(StoreError::Corrupt("activity schedule".into()));
        assert_eq!(cause_chain(&from_store), "internal error: caused by: corrupt data: activity schedule");
    }

    #[test]
    fn typed_errors_keep_their_problem_types() {
        use sammen_domain::Entity;
        let kind = |e: ApiError| (e.status_code().as_u16(), e.kind());
        assert_eq!(kind(StoreError::NotFound(Entity::Activity).into()), (404, "not-found"));
        assert_eq!(kind(Denied::Hidden(Entity::User).into()), (404, "not-found"));
        assert_eq!(kind(Denied::StaffOnly.into()), (403, "forbidden"));
        assert_eq!(kind(DirectoryError::ParentCycle.into()), (409, "conflict"));
        assert_eq!(kind(DirectoryError::UnknownParent.into()), (422, "validation"));
        assert_eq!(kind(IdentityError::LastAdmin.into()), (409, "conflict"));
        assert_eq!(kind(ListingError::NoWords.into()), (400, "bad-request"));
        assert_eq!(kind(StoreError::VersionMismatch.into()), (412, "precondition-failed"));
        let ApiError::NotFound(m) = ApiError::from(StoreError::NotFound(Entity::ApiClient)) else { panic!() };
        assert_eq!(m, "no such API client");
    }
}
