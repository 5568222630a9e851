//! The grant pool's rules a request can break, each with its message written once. The HTTP
//! layer maps each to its status and problem type (`sammen_http::problem`).

use super::application::ApplicationStatus;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GrantError {
    /// 409 `invalid-transition`.
    #[error("an application that is {from} cannot be {action}")]
    InvalidTransition { from: ApplicationStatus, action: &'static str },
    /// 409 `budget-exceeded`: the commitment would take the pool over its budget.
    #[error("the pool's remaining budget ({remaining_ore} øre) is less than the {requested_ore} øre this needs")]
    BudgetExceeded { remaining_ore: i64, requested_ore: i64 },
    /// 409 `budget-exceeded`: a budget cannot go below what is already committed.
    #[error("the budget cannot be less than the {committed_ore} øre already committed")]
    BudgetBelowCommitted { committed_ore: i64 },
    /// 409 `round-closed`.
    #[error("the round is not open for applications: it opens at {opens_at} and closes at {closes_at} (UTC)")]
    RoundClosed { opens_at: String, closes_at: String },
    /// 409 `round-closed`: a rolling round was closed by staff, or the pool is not published.
    #[error("the pool is not open for applications")]
    PoolNotOpen,
    /// 409 `criteria-frozen`: the round has opened; a change needs a notice and makes a new version.
    #[error(
        "the round has opened, so its criteria are fixed: a change needs a `notice` to applicants and becomes a new version"
    )]
    CriteriaFrozen,
    /// 409: the round's amounts and track are fixed once it opened; only the deadline may move later.
    #[error("the round has opened: only its description, a later deadline and the expected decision date may change")]
    RoundFrozen,
    /// 422 listing what is missing (the checklist).
    #[error("the application is not complete: {}", .0.iter().map(|m| m.message.as_str()).collect::<Vec<_>>().join("; "))]
    Incomplete(Vec<super::application::Missing>),
    /// 409 `conflict-of-interest`: the reviewer represents the applicant (forvaltningsloven § 3).
    #[error("this reviewer represents the applicant organisation and may not review it (forvaltningsloven § 3)")]
    ReviewerTied,
    /// 422 on `reviewer_id`.
    #[error("the user is not a reviewer (give them the role `reviewer` first)")]
    NotAReviewer,
    /// 409: already assigned.
    #[error("the reviewer is assigned to this application already")]
    AlreadyAssigned,
    /// 409: the reviewer declared a conflict of interest, or the review was submitted.
    #[error("the review is closed: {0}")]
    ReviewClosed(&'static str),
    /// 409: a decision needs completed reviews.
    #[error("a decision needs {required} completed reviews; {completed} are done")]
    ReviewsIncomplete { required: i32, completed: i32 },
    /// 409: closing needs every tranche settled and a report approved.
    #[error("the grant cannot close yet: {0}")]
    NotReadyToClose(&'static str),
    /// 409: the tranche was paid or cancelled already.
    #[error("the tranche is {0} already")]
    TrancheSettled(&'static str),
    /// 409: a tranche after the report waits for the report's approval.
    #[error("this tranche is paid after the report is approved")]
    TrancheWaitsForReport,
    /// 409: the report was decided already, or another one waits.
    #[error("{0}")]
    ReportState(&'static str),
    /// 422 on a field of the request, when the rule needs stored data to decide.
    #[error("{message}")]
    Invalid { field: &'static str, message: String },
}
