//! The activity directory's rules: schedules and their occurrences, Danish public holidays,
//! CVR numbers, the moderation of listings, and the HSDS export's mapping.

pub mod activity;
pub mod cvr;
pub mod holidays;
pub mod hsds;
pub mod ical;
pub mod moderation;
pub mod organisation;
pub mod schedule;
