//! Ids of the domain's records, each its own type, so an organisation's id cannot be passed where
//! an activity's is expected; and the kinds of record, named once for messages ("no such
//! activity").

use serde::{Deserialize, Serialize};

/// The kinds of record the API names in answers such as "no such activity".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    User,
    ApiClient,
    Organisation,
    Activity,
    ActivityReport,
    WebhookSubscription,
    Delivery,
    GrantPool,
    GrantRound,
    GrantApplication,
    GrantReview,
    GrantAttachment,
    GrantTranche,
    GrantReport,
}

impl Entity {
    /// How the API calls one of these records.
    pub fn noun(self) -> &'static str {
        match self {
            Entity::User => "user",
            Entity::ApiClient => "API client",
            Entity::Organisation => "organisation",
            Entity::Activity => "activity",
            Entity::ActivityReport => "report",
            Entity::WebhookSubscription => "webhook subscription",
            Entity::Delivery => "delivery",
            Entity::GrantPool => "grant pool",
            Entity::GrantRound => "grant round",
            Entity::GrantApplication => "grant application",
            Entity::GrantReview => "review",
            Entity::GrantAttachment => "attachment",
            Entity::GrantTranche => "tranche",
            Entity::GrantReport => "grant report",
        }
    }
}

/// Defines an id type: a UUID kept as its text (as it is stored and sent).
macro_rules! id_type {
    ($($(#[$meta:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// A new id: a UUID v7, so ids sort by creation and suit keyset pagination.
            pub fn new() -> Self {
                $name(uuid::Uuid::now_v7().to_string())
            }

            /// An id as it was stored or sent before (not checked: a stored id is what it is).
            pub fn from_stored(id: String) -> Self {
                $name(id)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl From<uuid::Uuid> for $name {
            fn from(id: uuid::Uuid) -> Self {
                $name(id.to_string())
            }
        }

        /// How the store reads the column.
        impl From<String> for $name {
            fn from(id: String) -> Self {
                $name(id)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    )+};
}

id_type! {
    /// A user account.
    UserId,
    /// An API client (an integration script's account).
    ApiClientId,
    /// An organisation in the directory.
    OrganisationId,
    /// An activity in the directory.
    ActivityId,
    /// A report of an error on a listing.
    ReportId,
    /// An API client's subscription to events, delivered by webhook.
    WebhookId,
    GrantPoolId,
    GrantRoundId,
    /// An application for a grant; also the grant's id once awarded.
    GrantApplicationId,
    /// A reviewer's assignment to an application.
    GrantReviewId,
    GrantAttachmentId,
    GrantTrancheId,
    GrantReportId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_are_time_ordered_uuids() {
        let (a, b) = (ActivityId::new(), ActivityId::new());
        assert!(a < b);
        assert!(uuid::Uuid::parse_str(a.as_str()).is_ok());
        let from_uuid = OrganisationId::from(uuid::Uuid::nil());
        assert_eq!(from_uuid.to_string(), "00000000-0000-0000-0000-000000000000");
        assert_eq!(serde_json::to_value(&from_uuid).unwrap(), serde_json::json!(from_uuid.as_str()));
    }
}
