//! The activity directory: vocabularies, districts and housing areas, organisations.

mod activities;
mod organisations;
mod reports;
mod taxonomy;

pub use activities::*;
pub use organisations::*;
pub use reports::*;
pub use taxonomy::*;
