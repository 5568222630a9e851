//! The activity directory: vocabularies, districts and housing areas, organisations.

mod activities;
mod listing_reports;
mod organisations;
mod taxonomy;

pub use activities::*;
pub use listing_reports::*;
pub use organisations::*;
pub use taxonomy::*;
