//! The activity directory's rules: schedules and their occurrences, Danish public holidays,
//! CVR numbers, the moderation of listings, the listing's query, distances, the coverage report,
//! the HSDS export's mapping, and who may do what (`policy`).

pub mod activity;
pub mod coverage;
pub mod cvr;
mod error;
pub mod geo;
pub mod holidays;
pub mod hsds;
pub mod ical;
pub mod import;
pub mod listing_report;
pub mod moderation;
pub mod organisation;
pub mod policy;
pub mod schedule;
pub mod search;
pub mod taxonomy;
pub mod vocabulary;

pub use error::DirectoryError;
