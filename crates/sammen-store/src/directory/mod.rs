//! The activity directory: vocabularies, districts and housing areas, organisations.

mod activities;
mod import;
mod organisations;
mod taxonomy;

pub use activities::*;
pub use import::*;
pub use organisations::*;
pub use taxonomy::*;
