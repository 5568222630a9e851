//! The activity directory: vocabularies, districts and housing areas, organisations, activities
//! and the coverage report.

pub mod activities;
pub mod exports;
pub mod import;
pub mod listing_reports;
pub mod organisations;
pub mod reports;
pub mod taxonomy;

/// The scope an API client needs to write to the directory for its organisation.
pub const WRITE_SCOPE: &str = "directory:write";
