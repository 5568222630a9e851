//! The activity directory: vocabularies, districts and housing areas, organisations,
//! activities and what the coverage report reads.

mod activities;
mod coverage;
mod import;
mod listing_reports;
mod organisations;
mod taxonomy;

pub use activities::*;
pub use coverage::*;
pub use import::*;
pub use listing_reports::*;
pub use organisations::*;
pub use taxonomy::*;
