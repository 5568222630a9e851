//! Lists of activities other than the public search: the moderation queue, an organisation's
//! own listings, the change feed and the export's pages. Each is keyset-paginated, a page of
//! whole activities in one statement.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sammen_domain::directory::moderation::ListingStatus;
use sammen_domain::ids::{ActivityId, OrganisationId};

use super::Activity;
use super::load::{ActivityRow, Loaded, whole, whole_activity};
use crate::dialect::DbConn;
use crate::error::StoreResult;
use crate::schema::activities;

type Boxed<'a> = activities::BoxedQuery<
    'a,
    crate::dialect::MultiBackend,
    (
        diesel::dsl::AsSelect<ActivityRow, crate::dialect::MultiBackend>,
        diesel::sql_types::Nullable<diesel::sql_types::Text>,
    ),
>;

/// `limit` activities of `query` in id order after `after`.
fn page_by_id(
    conn: &mut DbConn,
    query: Boxed<'_>,
    after: Option<&ActivityId>,
    limit: i64,
) -> StoreResult<Vec<Activity>> {
    let mut query = query.order(activities::id).limit(limit);
    if let Some(after) = after {
        query = query.filter(activities::id.gt(after.as_str().to_owned()));
    }
    whole(query.load::<Loaded>(conn)?)
}

fn all<'a>(conn: &DbConn) -> Boxed<'a> {
    activities::table.select(whole_activity(conn.backend())).into_boxed()
}

/// What staff have to look at: submitted listings and published ones with a change waiting,
/// oldest first (by id), after `after`.
pub fn moderation_queue(conn: &mut DbConn, after: Option<&ActivityId>, limit: i64) -> StoreResult<Vec<Activity>> {
    let waiting =
        activities::status.eq(ListingStatus::Submitted.as_str()).or(activities::pending_content.is_not_null());
    page_by_id(conn, all(conn).filter(waiting), after, limit)
}

/// An organisation's activities in the given states (all when `statuses` is empty), oldest
/// first (by id), after `after`: its people's own overview, drafts included.
pub fn organisation_activities(
    conn: &mut DbConn,
    organisation_id: &OrganisationId,
    statuses: &[ListingStatus],
    after: Option<&ActivityId>,
    limit: i64,
) -> StoreResult<Vec<Activity>> {
    let mut query = all(conn).filter(activities::organisation_id.eq(organisation_id.as_str().to_owned()));
    if !statuses.is_empty() {
        query = query.filter(activities::status.eq_any(statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>()));
    }
    page_by_id(conn, query, after, limit)
}

/// Published activities in id order after the id `after`: the pages of the HSDS export, which
/// reads the whole public directory one page at a time.
pub fn published_after(conn: &mut DbConn, after: Option<&ActivityId>, limit: i64) -> StoreResult<Vec<Activity>> {
    let published = all(conn).filter(activities::status.eq(ListingStatus::Published.as_str()));
    page_by_id(conn, published, after, limit)
}

/// Where a page of the change feed ended: the (updated_at, id) of its last row.
pub type ChangeAfter = (NaiveDateTime, ActivityId);

/// Activities changed at or after `since`, oldest change first, that the public has seen or
/// sees: published ones, and ones that were published once and are not any more (tombstones for
/// frontends to remove). Drafts that were never published are not in the feed.
pub fn changes_since(
    conn: &mut DbConn,
    since: NaiveDateTime,
    after: Option<&ChangeAfter>,
    limit: i64,
) -> StoreResult<Vec<Activity>> {
    let mut query = all(conn)
        .filter(activities::updated_at.ge(since))
        .filter(activities::status.eq(ListingStatus::Published.as_str()).or(activities::published_at.is_not_null()))
        .order((activities::updated_at.asc(), activities::id.asc()))
        .limit(limit);
    if let Some((at, id)) = after {
        let id = id.as_str().to_owned();
        query =
            query.filter(activities::updated_at.gt(*at).or(activities::updated_at.eq(*at).and(activities::id.gt(id))));
    }
    whole(query.load::<Loaded>(conn)?)
}
