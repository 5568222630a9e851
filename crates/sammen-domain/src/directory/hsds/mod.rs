//! The published directory as Open Referral HSDS 3.0: organisations become HSDS `organization`
//! objects and activities `service` objects, with their schedules, location, languages, costs,
//! service areas and taxonomy terms nested as HSDS nests them.
//!
//! Plain functions from Sammen's records to serialisable HSDS objects; the store supplies the
//! records and the HTTP layer streams the result. Every id HSDS asks for is a UUID: Sammen's own
//! ids are UUIDs, and the objects that have none in Sammen (a schedule row, a location, a
//! language, a taxonomy term...) get a UUID v5 derived from their parent's id and what they are,
//! so the same data gives the same ids in every export.
//!
//! Schedules. HSDS gives times with a fixed UTC offset (`opens_at` `10:00+01:00`, `timezone` 1),
//! while Sammen's times are wall-clock times in Europe/Copenhagen, whose offset changes twice a
//! year. One Sammen schedule therefore becomes one HSDS row per stretch of occurrences with the
//! same offset, each bounded by `valid_from`/`valid_to`, as HSDS's field guidance does for
//! changing schedules. Cancelled dates, pauses and holidays end a stretch too, so a consumer that
//! expands `freq`/`byday` within the bounds gets exactly Sammen's occurrences. The rows cover the
//! export's `Window`: from the start of the current daylight-saving period to 400 days ahead.
//!
//! The files split the mapping by concern: `records` holds what goes in (Sammen's records and
//! the labels of their codes), `objects` the HSDS objects that come out, `labels` the fixed
//! labels and the taxonomy attributes built from them, `formats` the values HSDS formats
//! constrain, and `organizations`, `services` and `schedules` the mapping itself.

use chrono::{DateTime, SecondsFormat, Utc};
use uuid::Uuid;

mod formats;
mod labels;
mod objects;
mod organizations;
mod records;
mod schedules;
mod services;
#[cfg(test)]
mod tests;

pub use labels::postal_town;
pub use objects::{
    Accessibility, Address, Attribute, CostOption, HsdsLocation, Language, Organization, OrganizationIdentifier, Phone,
    ScheduleRow, Service, ServiceArea, ServiceAtLocation, TaxonomyDetail, TaxonomyTerm,
};
pub use organizations::organization;
pub use records::{ActivityRecord, Labels, OrganisationRecord, TermLabel};
pub use schedules::Window;
pub use services::service;

/// The HSDS version the export follows.
pub const HSDS_VERSION: &str = "3.0";

/// The namespace of every id the export derives: the UUID v5 of the URL `https://sammen.dk/hsds`.
pub const NAMESPACE: Uuid = Uuid::from_u128(0x3b3c5ea5_efed_59b8_b9a2_53ff0b9f117e);

/// The id of something that has none of its own in Sammen, derived from a stable name
/// (`<parent id>/<what>`): the same in every export.
pub fn derived_id(name: &str) -> String {
    Uuid::new_v5(&NAMESPACE, name.as_bytes()).to_string()
}

/// An instant as HSDS writes `last_modified` and the export its `generated_at`: RFC 3339 in UTC
/// with milliseconds.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}
