//! Embedded migrations, one tree per backend under the same folder names, applied at start-up
//! and by `sammen migrate` (see `crate::dialect::run_migrations`).

pub use crate::dialect::run_migrations as run_pending;
