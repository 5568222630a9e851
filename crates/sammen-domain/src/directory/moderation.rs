//! The moderation of listings: representatives write drafts and submit them; staff approve or
//! reject with a reason; only published listings are public. Withdrawn listings stay as
//! tombstones so that frontends syncing the change feed remove them.

use chrono::{DateTime, Months, Utc};
use serde::{Deserialize, Serialize};

crate::text_enum! {
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ListingStatus ("listing status") {
        Draft = "draft",
        Submitted = "submitted",
        Published = "published",
        Rejected = "rejected",
        Withdrawn = "withdrawn",
    }
}

impl ListingStatus {
    /// Only published listings are shown to the public, anywhere.
    pub fn is_public(self) -> bool {
        self == ListingStatus::Published
    }
}

/// A state change asked for.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModerationAction {
    /// Ask for publication (from a draft, a rejection or a withdrawal).
    Submit,
    /// Take a submission back to draft before staff look at it.
    Retract,
    /// Publish (staff; also straight from a draft).
    Approve,
    /// Refuse publication, with a reason (staff).
    Reject,
    /// Take a published listing down (it stays as a tombstone in the change feed).
    Withdraw,
}

/// Who asks: the organisation's side (a representative or its integration client) or staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moderator {
    Organisation,
    Staff,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("a {from} listing cannot be {action}")]
    NotFromHere { from: &'static str, action: &'static str },
    #[error("only staff may {0} a listing")]
    StaffOnly(&'static str),
    #[error("a rejection needs a reason for the organisation")]
    ReasonRequired,
}

fn verb(action: ModerationAction) -> &'static str {
    match action {
        ModerationAction::Submit => "submitted",
        ModerationAction::Retract => "retracted",
        ModerationAction::Approve => "approved",
        ModerationAction::Reject => "rejected",
        ModerationAction::Withdraw => "withdrawn",
    }
}

/// The status after `action`, or why it is not allowed.
pub fn transition(
    from: ListingStatus,
    action: ModerationAction,
    by: Moderator,
    reason: Option<&str>,
) -> Result<ListingStatus, TransitionError> {
    use ListingStatus as S;
    use ModerationAction as A;
    let staff_only = |name| if by == Moderator::Staff { Ok(()) } else { Err(TransitionError::StaffOnly(name)) };
    let to = match (from, action) {
        (S::Draft | S::Rejected | S::Withdrawn, A::Submit) => S::Submitted,
        (S::Submitted, A::Retract) => S::Draft,
        (S::Draft | S::Submitted, A::Approve) => {
            staff_only("approve")?;
            S::Published
        }
        (S::Submitted, A::Reject) => {
            staff_only("reject")?;
            if reason.is_none_or(|r| r.trim().is_empty()) {
                return Err(TransitionError::ReasonRequired);
            }
            S::Rejected
        }
        (S::Published | S::Submitted, A::Withdraw) => S::Withdrawn,
        _ => return Err(TransitionError::NotFromHere { from: from.as_str(), action: verb(action) }),
    };
    Ok(to)
}

/// What staff decide about a change waiting on a published listing: `Ok(true)` applies it,
/// `Ok(false)` discards it (a rejection, with a reason). The listing stays published either way.
pub fn moderate_revision(
    action: ModerationAction,
    by: Moderator,
    reason: Option<&str>,
) -> Result<bool, TransitionError> {
    match action {
        ModerationAction::Approve | ModerationAction::Reject if by != Moderator::Staff => {
            Err(TransitionError::StaffOnly(if action == ModerationAction::Approve { "approve" } else { "reject" }))
        }
        ModerationAction::Approve => Ok(true),
        ModerationAction::Reject if reason.is_none_or(|r| r.trim().is_empty()) => Err(TransitionError::ReasonRequired),
        ModerationAction::Reject => Ok(false),
        other => Err(TransitionError::NotFromHere { from: "pending change of a published", action: verb(other) }),
    }
}

/// Whether an edit of a listing in `status` by `by` is applied at once or waits for moderation.
/// Staff edits apply at once; the organisation's edits of a published listing are held as a
/// pending revision, and the published version stays public until staff approve the change.
pub fn edit_needs_moderation(status: ListingStatus, by: Moderator) -> bool {
    by == Moderator::Organisation && status == ListingStatus::Published
}

/// How long a listing counts as current after its organisation last confirmed it.
pub const ASSURANCE_VALID_MONTHS: u32 = 12;

/// Whether a listing's information is stale: not confirmed by its organisation for 12 months.
/// Stale listings are flagged and ranked lower, not hidden.
pub fn is_stale(assured_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    assured_at.checked_add_months(Months::new(ASSURANCE_VALID_MONTHS)).is_none_or(|valid_until| valid_until < now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ListingStatus as S;
    use ModerationAction as A;

    #[test]
    fn the_happy_path_and_back() {
        let org = Moderator::Organisation;
        let staff = Moderator::Staff;
        assert_eq!(transition(S::Draft, A::Submit, org, None), Ok(S::Submitted));
        assert_eq!(transition(S::Submitted, A::Reject, staff, Some("Mangler adresse")), Ok(S::Rejected));
        assert_eq!(transition(S::Rejected, A::Submit, org, None), Ok(S::Submitted));
        assert_eq!(transition(S::Submitted, A::Approve, staff, None), Ok(S::Published));
        assert_eq!(transition(S::Published, A::Withdraw, org, None), Ok(S::Withdrawn));
        assert_eq!(transition(S::Withdrawn, A::Submit, org, None), Ok(S::Submitted));
        assert_eq!(transition(S::Submitted, A::Retract, org, None), Ok(S::Draft));
        assert_eq!(transition(S::Draft, A::Approve, staff, None), Ok(S::Published), "staff may publish directly");
    }

    #[test]
    fn organisations_cannot_moderate_and_rejections_need_reasons() {
        let org = Moderator::Organisation;
        assert_eq!(transition(S::Submitted, A::Approve, org, None), Err(TransitionError::StaffOnly("approve")));
        assert_eq!(transition(S::Submitted, A::Reject, org, Some("x")), Err(TransitionError::StaffOnly("reject")));
        assert_eq!(
            transition(S::Submitted, A::Reject, Moderator::Staff, Some("  ")),
            Err(TransitionError::ReasonRequired)
        );
        assert!(matches!(transition(S::Published, A::Submit, org, None), Err(TransitionError::NotFromHere { .. })));
        assert!(matches!(transition(S::Draft, A::Withdraw, org, None), Err(TransitionError::NotFromHere { .. })));
        assert!(matches!(
            transition(S::Rejected, A::Approve, Moderator::Staff, None),
            Err(TransitionError::NotFromHere { .. })
        ));
    }

    #[test]
    fn pending_changes_are_approved_or_rejected_by_staff() {
        assert_eq!(moderate_revision(A::Approve, Moderator::Staff, None), Ok(true));
        assert_eq!(moderate_revision(A::Reject, Moderator::Staff, Some("Forkert adresse")), Ok(false));
        assert_eq!(moderate_revision(A::Reject, Moderator::Staff, None), Err(TransitionError::ReasonRequired));
        assert_eq!(
            moderate_revision(A::Approve, Moderator::Organisation, None),
            Err(TransitionError::StaffOnly("approve"))
        );
        assert!(matches!(
            moderate_revision(A::Submit, Moderator::Staff, None),
            Err(TransitionError::NotFromHere { .. })
        ));
    }

    #[test]
    fn only_published_is_public_and_organisation_edits_of_it_are_moderated() {
        assert_eq!(ListingStatus::ALL.iter().filter(|s| s.is_public()).count(), 1);
        assert!(edit_needs_moderation(S::Published, Moderator::Organisation));
        assert!(!edit_needs_moderation(S::Published, Moderator::Staff));
        assert!(!edit_needs_moderation(S::Draft, Moderator::Organisation));
    }

    #[test]
    fn listings_go_stale_after_twelve_months_unconfirmed() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert!(!is_stale(at("2025-11-23T00:00:00Z"), at("2026-11-22T12:00:00Z")));
        assert!(is_stale(at("2025-11-21T00:00:00Z"), at("2026-11-22T12:00:00Z")));
    }
}
