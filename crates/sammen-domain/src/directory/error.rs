//! The directory's rules a change can break, each with its message written once. The HTTP layer
//! maps each to its status and problem type (`sammen_http::problem`).

use super::moderation::TransitionError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DirectoryError {
    /// 409: the new parent is the organisation itself or one of its branches.
    #[error("an organisation cannot be a branch of itself or of one of its branches")]
    ParentCycle,
    /// 422 on `parent_id`.
    #[error("refers to no organisation")]
    UnknownParent,
    /// 422 on `cvr`.
    #[error("an informal group has no CVR number; choose another kind or remove the CVR")]
    InformalGroupWithCvr,
    /// 422 on `district_code`.
    #[error("no such district: see GET /api/v1/taxonomy")]
    UnknownDistrict,
    /// 409: staff decided on the waiting change in the meantime.
    #[error("there is no change waiting on this listing")]
    NoPendingChange,
    /// 409.
    #[error("the report is resolved already")]
    ReportResolved,
    /// 403, 409 or 422, as the moderation rule says.
    #[error(transparent)]
    Transition(#[from] TransitionError),
}
