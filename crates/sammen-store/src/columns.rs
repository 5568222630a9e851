//! Text columns read straight into the domain's types: enumerations (`ListingStatus`,
//! `OrganisationKind`, ...) and ids (`ActivityId`, ...). Each conversion is the domain's own
//! `TryFrom<String>`; a stored text it does not know is a deserialisation error (corrupt data).
//! Writes use the same text: `status.as_str()`, `id.as_str()`.

use diesel::backend::Backend;
use diesel::deserialize::{FromSql, Queryable, Result};
use diesel::sql_types::Text;
use sammen_domain::directory::activity::Mode;
use sammen_domain::directory::listing_report::ReportStatus;
use sammen_domain::directory::moderation::ListingStatus;
use sammen_domain::directory::organisation::OrganisationKind;
use sammen_domain::directory::vocabulary::Vocabulary;
use sammen_domain::grants::application::{ApplicationStatus, AttachmentKind};
use sammen_domain::grants::money::{LedgerKind, TrancheCondition, TrancheStatus};
use sammen_domain::grants::pool::PoolStatus;
use sammen_domain::grants::review::CoiStatus;
use sammen_domain::grants::round::{RoundKind, Track};
use sammen_domain::identity::{Role, TokenPurpose};
use sammen_domain::ids::{
    ActivityId, ApiClientId, GrantApplicationId, GrantAttachmentId, GrantPoolId, GrantReportId, GrantReviewId,
    GrantRoundId, GrantTrancheId, OrganisationId, ReportId, UserId, WebhookId,
};
use sammen_domain::outbox::{Channel, DeliveryStatus, EventType};

use crate::dialect::MultiBackend;

macro_rules! text_columns {
    ($($ty:ty),+ $(,)?) => {$(
        impl FromSql<Text, MultiBackend> for $ty {
            fn from_sql(bytes: <MultiBackend as Backend>::RawValue<'_>) -> Result<Self> {
                let text = <String as FromSql<Text, MultiBackend>>::from_sql(bytes)?;
                Ok(<$ty>::try_from(text)?)
            }
        }

        /// A field of a `Queryable` row (as `#[derive(FromSqlRow)]` would say).
        impl Queryable<Text, MultiBackend> for $ty {
            type Row = Self;

            fn build(row: Self) -> Result<Self> {
                Ok(row)
            }
        }
    )+};
}

text_columns!(
    ListingStatus,
    OrganisationKind,
    Mode,
    ReportStatus,
    Role,
    TokenPurpose,
    Vocabulary,
    Channel,
    DeliveryStatus,
    EventType,
    UserId,
    ApiClientId,
    OrganisationId,
    ActivityId,
    ReportId,
    WebhookId,
    PoolStatus,
    RoundKind,
    Track,
    ApplicationStatus,
    AttachmentKind,
    CoiStatus,
    LedgerKind,
    TrancheCondition,
    TrancheStatus,
    GrantPoolId,
    GrantRoundId,
    GrantApplicationId,
    GrantReviewId,
    GrantAttachmentId,
    GrantTrancheId,
    GrantReportId,
);
