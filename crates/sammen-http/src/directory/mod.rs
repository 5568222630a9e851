//! The activity directory: vocabularies, districts and housing areas, organisations.

pub mod activities;
pub mod exports;
pub mod organisations;
pub mod taxonomy;

/// The scope an API client needs to write to the directory for its organisation.
pub const WRITE_SCOPE: &str = "directory:write";
