//! Embedded migrations, one tree per backend under the same folder names, applied at start-up
//! and by `sammen migrate` (see `crate::dialect::run_migrations`); then what SQL cannot compute on
//! both databases.

use crate::dialect::{DbConn, run_migrations};
use crate::error::StoreResult;

/// Applies the pending migrations (their names), then fills the activities' grid points where
/// they are missing.
pub fn run_pending(conn: &mut DbConn) -> StoreResult<Vec<String>> {
    let applied = run_migrations(conn)?;
    let filled = crate::directory::fill_grid_points(conn)?;
    if filled > 0 {
        log::info!("computed the grid points of {filled} activities' places");
    }
    Ok(applied)
}
