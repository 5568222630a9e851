//! Sammen's domain: the rules of the four areas as plain data and functions.
//!
//! No database and no HTTP here, so every rule can be unit-tested on its own and the
//! persistence and HTTP crates only translate to and from these types.

#[macro_use]
pub mod text_enum;

pub mod access;
pub mod directory;
pub mod grants;
pub mod identity;
pub mod ids;
pub mod outbox;
pub mod text;
pub mod validation;
pub mod webhooks;

pub use access::{Actor, Denied};
pub use ids::Entity;
pub use validation::{FieldError, ValidationErrors};
