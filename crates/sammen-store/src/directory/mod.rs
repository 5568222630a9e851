//! The activity directory: vocabularies, districts and housing areas, organisations,
//! activities and what the coverage report reads.

mod activities;
mod coverage;
mod organisations;
mod taxonomy;

pub use activities::*;
pub use coverage::*;
pub use organisations::*;
pub use taxonomy::*;
