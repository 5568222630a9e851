//! Activities: the aggregate (its content in columns and join tables, its moderation state, a
//! change waiting for moderation as JSON) and the files that read and write it, by concern:
//! - `load`: the rows, and loading whole activities with their codes in one statement;
//! - `listed`: an activity as the public listing shows it (a lean row);
//! - `writes`: creating, changing content and moderation state, with their audit events;
//! - `occurrences`: the stored occurrences the listing filters and sorts on;
//! - `search`: the public listing (filters, ranking, facets);
//! - `lists`: the other lists (moderation queue, an organisation's own, the change feed, the
//!   export's pages).

mod listed;
mod lists;
mod load;
mod occurrences;
mod search;
mod writes;

use chrono::NaiveDateTime;
use sammen_domain::directory::activity::ActivityContent;
use sammen_domain::directory::moderation::ListingStatus;
use sammen_domain::ids::{ActivityId, OrganisationId};

pub use listed::ListedActivity;
pub use lists::*;
pub use load::{
    ActivityCodes, fill_grid_points, find_activity, find_by_external_id, find_by_external_ids, lock_activity,
};
pub use occurrences::refresh_occurrences;
pub use search::*;
pub use writes::*;

#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub id: ActivityId,
    pub organisation_id: OrganisationId,
    pub external_id: Option<String>,
    pub status: ListingStatus,
    pub rejection_reason: Option<String>,
    pub content: ActivityContent,
    /// The organisation's change to a published listing, waiting for staff.
    pub pending: Option<ActivityContent>,
    pub pending_since: Option<NaiveDateTime>,
    pub assured_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What these records are called in the audit log.
const AUDIT_TARGET: &str = "activity";
