//! The activity directory: vocabularies, districts and housing areas, organisations.

mod activities;
mod organisations;
mod taxonomy;

pub use activities::*;
pub use organisations::*;
pub use taxonomy::*;
