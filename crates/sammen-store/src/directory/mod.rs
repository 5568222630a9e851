//! The activity directory: vocabularies, districts and housing areas, organisations.

mod activities;
mod import;
mod listing_reports;
mod organisations;
mod taxonomy;

pub use activities::*;
pub use import::*;
pub use listing_reports::*;
pub use organisations::*;
pub use taxonomy::*;
