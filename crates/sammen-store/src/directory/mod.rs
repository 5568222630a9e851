//! The activity directory: vocabularies, districts and housing areas, organisations.

mod organisations;
mod taxonomy;

pub use organisations::*;
pub use taxonomy::*;
