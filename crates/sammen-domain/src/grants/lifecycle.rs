//! The application's lifecycle as explicit transitions: an action valid in the current state
//! leads to the next; any other is refused (409), and each one taken is an event on the
//! application's timeline.
//!
//! ```text
//! draft ─submit─▶ submitted ─screen: eligible─▶ in_review ─decide: award─▶ awarded ─accept─▶ accepted ─close─▶ closed
//!                   │  ▲  │                       │    │                      │
//!                   │  │  └─screen: ineligible─▶ ineligible               decline─▶ declined
//!                   │  │                          │    └─decide: rejection─▶ rejected
//!   request_information ─▶ information_requested ◀┘
//!                   │  └─resubmit (submit)───────┘
//!                   ├─waitlist (rolling, budget spent) ─▶ waitlisted ─move_up─▶ submitted
//! withdraw: from draft, submitted, information_requested, in_review, waitlisted ─▶ withdrawn
//! ```

use serde::Serialize;

use super::GrantError;
use super::application::ApplicationStatus as S;

crate::text_enum! {
    /// What can happen to an application; the event names on its timeline.
    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Action ("application action") {
        Submit = "submit",
        Waitlist = "waitlist",
        MoveUp = "move_up",
        ScreenEligible = "screen_eligible",
        ScreenIneligible = "screen_ineligible",
        RequestInformation = "request_information",
        Award = "award",
        Reject = "reject",
        Accept = "accept",
        Decline = "decline",
        Withdraw = "withdraw",
        Close = "close",
    }
}

impl Action {
    /// The action as the refusal names it ("cannot be submitted").
    fn past(self) -> &'static str {
        match self {
            Action::Submit => "submitted",
            Action::Waitlist => "waitlisted",
            Action::MoveUp => "moved up from the waitlist",
            Action::ScreenEligible | Action::ScreenIneligible => "screened",
            Action::RequestInformation => "asked for more information",
            Action::Award => "awarded",
            Action::Reject => "rejected",
            Action::Accept => "accepted",
            Action::Decline => "declined",
            Action::Withdraw => "withdrawn",
            Action::Close => "closed",
        }
    }
}

/// The state `action` leads to from `from`, or why it cannot be taken.
pub fn transition(from: S, action: Action) -> Result<S, GrantError> {
    let to = match (from, action) {
        (S::Draft | S::InformationRequested, Action::Submit) => S::Submitted,
        (S::Submitted, Action::Waitlist) => S::Waitlisted,
        (S::Waitlisted, Action::MoveUp) => S::Submitted,
        (S::Submitted, Action::ScreenEligible) => S::InReview,
        (S::Submitted, Action::ScreenIneligible) => S::Ineligible,
        (S::Submitted | S::InReview, Action::RequestInformation) => S::InformationRequested,
        (S::InReview, Action::Award) => S::Awarded,
        (S::InReview, Action::Reject) => S::Rejected,
        (S::Awarded, Action::Accept) => S::Accepted,
        (S::Awarded, Action::Decline) => S::Declined,
        (S::Draft | S::Submitted | S::InformationRequested | S::InReview | S::Waitlisted, Action::Withdraw) => {
            S::Withdrawn
        }
        (S::Accepted, Action::Close) => S::Closed,
        _ => return Err(GrantError::InvalidTransition { from, action: action.past() }),
    };
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_happy_path() {
        let mut status = S::Draft;
        for action in [Action::Submit, Action::ScreenEligible, Action::Award, Action::Accept, Action::Close] {
            status = transition(status, action).unwrap();
        }
        assert_eq!(status, S::Closed);
    }

    #[test]
    fn more_information_and_the_waitlist_lead_back() {
        let asked = transition(S::InReview, Action::RequestInformation).unwrap();
        assert_eq!(transition(asked, Action::Submit), Ok(S::Submitted));
        let waiting = transition(S::Submitted, Action::Waitlist).unwrap();
        assert_eq!(transition(waiting, Action::MoveUp), Ok(S::Submitted));
    }

    #[test]
    fn every_other_pair_is_refused_and_withdrawal_ends_before_the_decision() {
        let allowed = S::ALL.iter().flat_map(|s| Action::ALL.iter().map(move |a| (*s, *a)));
        let mut count = 0;
        for (from, action) in allowed {
            match transition(from, action) {
                Ok(_) => count += 1,
                Err(err) => assert!(matches!(err, GrantError::InvalidTransition { .. })),
            }
        }
        assert_eq!(count, 18, "the graph's edges");
        for decided in [S::Awarded, S::Rejected, S::Accepted, S::Ineligible, S::Closed, S::Withdrawn, S::Declined] {
            assert!(transition(decided, Action::Withdraw).is_err(), "{decided}");
        }
        assert_eq!(
            transition(S::Closed, Action::Submit).unwrap_err().to_string(),
            "an application that is closed cannot be submitted"
        );
    }
}
