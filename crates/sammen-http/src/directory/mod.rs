//! The activity directory: vocabularies, districts and housing areas, organisations, activities
//! and the coverage report.

pub mod activities;
pub mod exports;
pub mod import;
pub mod listing_reports;
pub mod organisations;
pub mod reports;
pub mod taxonomy;
