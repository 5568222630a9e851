//! Activities over HTTP, by concern: what a caller sees of one (`views`), the commands that
//! change them (`commands`), reading one and the lists of managers and staff (`reads`), the
//! public listing (`search`) and the feeds for other programs (`feeds`).

mod commands;
mod feeds;
mod reads;
mod search;
mod views;

pub use commands::*;
pub use feeds::*;
pub use reads::*;
pub use search::*;
pub use views::{ActivityResponse, OccurrenceResponse};
