//! The activity directory's rules: schedules and their occurrences, Danish public holidays,
//! CVR numbers, the moderation of listings, distances, the coverage report and the HSDS export's
//! mapping.

pub mod activity;
pub mod coverage;
pub mod cvr;
pub mod geo;
pub mod holidays;
pub mod hsds;
pub mod ical;
pub mod import;
pub mod listing_report;
pub mod moderation;
pub mod organisation;
pub mod schedule;
pub mod taxonomy;
