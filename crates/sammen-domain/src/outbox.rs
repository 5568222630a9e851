//! The outbox: events that something happened, and the messages (deliveries) they cause: an
//! e-mail to a person or a webhook to a program. The kinds of event, the channels, and when a
//! failed delivery is tried again.

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use crate::access::{Actor, Denied, allow};

crate::text_enum! {
    /// What happened. Account events are e-mailed to the account's owner; the others go to the
    /// webhook subscriptions that ask for them.
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[derive(Serialize, Deserialize)]
    pub enum EventType ("event type") {
        /// A self-registered account's address is to be confirmed.
        #[serde(rename = "account.verification_requested")]
        AccountVerificationRequested = "account.verification_requested",
        /// Someone registered again with an address that has an account.
        #[serde(rename = "account.registration_repeated")]
        AccountRegistrationRepeated = "account.registration_repeated",
        /// A password reset was asked for.
        #[serde(rename = "account.password_reset_requested")]
        AccountPasswordResetRequested = "account.password_reset_requested",
        /// The password was changed or reset (so the owner learns of it if it was not them).
        #[serde(rename = "account.password_changed")]
        AccountPasswordChanged = "account.password_changed",
        /// A listing became public.
        #[serde(rename = "listing.published")]
        ListingPublished = "listing.published",
        /// A public listing's content changed.
        #[serde(rename = "listing.changed")]
        ListingChanged = "listing.changed",
        /// A listing was withdrawn from the directory.
        #[serde(rename = "listing.withdrawn")]
        ListingWithdrawn = "listing.withdrawn",
        /// An organisation's details changed.
        #[serde(rename = "organisation.changed")]
        OrganisationChanged = "organisation.changed",
        /// Someone became or stopped being one of an organisation's representatives: the account
        /// event its own client may see.
        #[serde(rename = "organisation.representatives_changed")]
        OrganisationRepresentativesChanged = "organisation.representatives_changed",
        /// A grant application was submitted (the receipt: revision and content hash).
        #[serde(rename = "grant_application.submitted")]
        GrantApplicationSubmitted = "grant_application.submitted",
        /// Staff asked the applicant for more information.
        #[serde(rename = "grant_application.information_requested")]
        GrantApplicationInformationRequested = "grant_application.information_requested",
        /// The application was decided (award, partial award, rejection) or found ineligible.
        #[serde(rename = "grant_application.decided")]
        GrantApplicationDecided = "grant_application.decided",
        /// Money was released and the waitlisted application is back in the queue.
        #[serde(rename = "grant_application.moved_up")]
        GrantApplicationMovedUp = "grant_application.moved_up",
        /// A tranche of the grant was paid.
        #[serde(rename = "grant_application.tranche_paid")]
        GrantApplicationTranchePaid = "grant_application.tranche_paid",
    }
}

impl EventType {
    /// The channel the event's messages go by: account events by e-mail to the account's owner,
    /// the directory's by webhook to the subscriptions that ask for them.
    pub fn channel(self) -> Channel {
        match self {
            EventType::AccountVerificationRequested
            | EventType::AccountRegistrationRepeated
            | EventType::AccountPasswordResetRequested
            | EventType::AccountPasswordChanged => Channel::Email,
            EventType::ListingPublished
            | EventType::ListingChanged
            | EventType::ListingWithdrawn
            | EventType::OrganisationChanged
            | EventType::OrganisationRepresentativesChanged => Channel::Webhook,
            // Grant events reach the applicant's representatives by e-mail too (`is_emailed`).
            EventType::GrantApplicationSubmitted
            | EventType::GrantApplicationInformationRequested
            | EventType::GrantApplicationDecided
            | EventType::GrantApplicationMovedUp
            | EventType::GrantApplicationTranchePaid => Channel::Webhook,
        }
    }

    /// Whether the event is e-mailed to people: the account events to the account's owner, and
    /// the grant events to the applicant organisation's representatives as well as by webhook.
    pub fn is_emailed(self) -> bool {
        self.channel() == Channel::Email
            || matches!(
                self,
                EventType::GrantApplicationSubmitted
                    | EventType::GrantApplicationInformationRequested
                    | EventType::GrantApplicationDecided
                    | EventType::GrantApplicationMovedUp
                    | EventType::GrantApplicationTranchePaid
            )
    }
}

crate::text_enum! {
    /// How a delivery reaches its recipient.
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Channel ("channel") {
        Email = "email",
        Webhook = "webhook",
    }
}

crate::text_enum! {
    /// Where a delivery stands.
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum DeliveryStatus ("delivery status") {
        /// Not yet delivered; tried at `next_attempt_at`.
        Pending = "pending",
        Delivered = "delivered",
        /// Given up: every attempt failed, or the failure was permanent.
        Failed = "failed",
    }
}

/// How long to wait after each failed attempt before the next: the Standard Webhooks schedule
/// (5 seconds, 5 minutes, 30 minutes, 2, 5, 10 and 10 hours), used for e-mail too. A receiver or
/// mail server that is down for up to a day still gets everything.
pub const RETRY_DELAYS: [TimeDelta; 7] = [
    TimeDelta::seconds(5),
    TimeDelta::minutes(5),
    TimeDelta::minutes(30),
    TimeDelta::hours(2),
    TimeDelta::hours(5),
    TimeDelta::hours(10),
    TimeDelta::hours(10),
];

/// Attempts before a delivery is given up (the first and one after each delay).
pub const MAX_ATTEMPTS: i32 = RETRY_DELAYS.len() as i32 + 1;

/// What a failed attempt leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Try again after this long.
    RetryIn(TimeDelta),
    /// Give up.
    GiveUp,
}

/// After the `attempts`-th attempt failed (1 for the first): wait, or give up when the attempts
/// are used up or the failure is permanent (the recipient does not exist, the address was
/// refused).
pub fn after_failure(attempts: i32, permanent: bool) -> AfterFailure {
    match usize::try_from(attempts - 1).ok().and_then(|i| RETRY_DELAYS.get(i)) {
        Some(delay) if !permanent => AfterFailure::RetryIn(*delay),
        _ => AfterFailure::GiveUp,
    }
}

/// How long a dispatcher holds a claimed delivery before another instance may take it over: far
/// longer than an SMTP or HTTP attempt may take (their timeouts are 30 seconds), so two instances
/// never deliver the same message at the same time.
pub const CLAIM_LEASE: TimeDelta = TimeDelta::minutes(5);

/// See the outbox's deliveries, their attempts and errors: admins (the operators who answer for
/// whether mail and webhooks arrive).
pub fn read_deliveries(actor: &Actor) -> Result<(), Denied> {
    allow(actor.is_admin(), Denied::AdminOnly)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::actors::user;
    use crate::identity::Role;

    #[test]
    fn failures_are_retried_on_the_schedule_then_given_up() {
        assert_eq!(after_failure(1, false), AfterFailure::RetryIn(TimeDelta::seconds(5)));
        assert_eq!(after_failure(2, false), AfterFailure::RetryIn(TimeDelta::minutes(5)));
        assert_eq!(after_failure(7, false), AfterFailure::RetryIn(TimeDelta::hours(10)));
        assert_eq!(after_failure(MAX_ATTEMPTS, false), AfterFailure::GiveUp);
        assert_eq!(after_failure(MAX_ATTEMPTS + 3, false), AfterFailure::GiveUp);
        let total: TimeDelta = RETRY_DELAYS.iter().sum();
        assert!(total > TimeDelta::hours(24), "a day's outage loses nothing: {total}");
    }

    #[test]
    fn a_permanent_failure_is_not_retried() {
        assert_eq!(after_failure(1, true), AfterFailure::GiveUp);
    }

    #[test]
    fn a_nonsensical_attempt_count_gives_up_rather_than_loop() {
        assert_eq!(after_failure(0, false), AfterFailure::GiveUp);
        assert_eq!(after_failure(-4, false), AfterFailure::GiveUp);
    }

    #[test]
    fn only_admins_read_the_deliveries() {
        assert_eq!(read_deliveries(&user(&[Role::Admin])), Ok(()));
        for role in [Role::Staff, Role::Volunteer, Role::Organisation] {
            assert_eq!(read_deliveries(&user(&[role])), Err(Denied::AdminOnly), "{role}");
        }
    }

    #[test]
    fn account_events_go_by_email_and_the_directory_s_by_webhook() {
        for event in EventType::ALL {
            let expected = if event.as_str().starts_with("account.") { Channel::Email } else { Channel::Webhook };
            assert_eq!(event.channel(), expected, "{event}");
        }
    }

    #[test]
    fn account_and_grant_events_are_emailed_and_the_directory_s_are_not() {
        for event in EventType::ALL {
            let expected = ["account.", "grant_application."].iter().any(|p| event.as_str().starts_with(p));
            assert_eq!(event.is_emailed(), expected, "{event}");
        }
    }
}
