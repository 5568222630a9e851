//! The activity directory's rules: schedules and their occurrences, Danish public holidays,
//! CVR numbers, and the moderation of listings.

pub mod activity;
pub mod cvr;
pub mod holidays;
pub mod ical;
pub mod import;
pub mod listing_report;
pub mod moderation;
pub mod organisation;
pub mod schedule;
pub mod taxonomy;
