//! Applications: drafts that the organisation's people co-edit (every save at the version it was
//! based on, so no one overwrites another silently), lists per audience, the timeline and the
//! submitted revisions.

use chrono::NaiveDate;
use diesel::prelude::*;
use sammen_domain::Entity;
use sammen_domain::grants::GrantError;
use sammen_domain::grants::application::{ApplicationStatus, SizeBand};
use sammen_domain::ids::{GrantApplicationId, GrantPoolId, GrantRoundId, OrganisationId, UserId};

use super::{AUDIT_APPLICATION, Application, ApplicationRow, Revision, TimelineEvent, to_json};
use crate::audit::{self, AuditContext};
use crate::error::{Found, StoreError, StoreResult};
use crate::schema::{grant_application_events, grant_application_revisions, grant_applications, grant_reviews};
use crate::{DbConn, lock_rows};

/// The content an applicant writes: all of it optional in a draft (the checklist says what is
/// still missing); `None` leaves a field as it is on an update.
#[derive(Debug, Clone, Default)]
pub struct ApplicationContent {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub amount_requested_ore: Option<i64>,
    pub planned_start: Option<Option<NaiveDate>>,
    pub planned_end: Option<Option<NaiveDate>>,
    pub size_band: Option<Option<SizeBand>>,
    pub target_groups: Option<Vec<String>>,
    pub answers: Option<serde_json::Map<String, serde_json::Value>>,
    pub declarations: Option<Vec<String>>,
}

/// Starts a draft for `organisation` in `round` (which must belong to a published pool and not
/// have closed: checked by the caller with the clock).
pub fn insert_application(
    conn: &mut DbConn,
    round: &super::Round,
    organisation: &OrganisationId,
    content: &ApplicationContent,
    ctx: &AuditContext,
) -> StoreResult<Application> {
    let (id, now) = (GrantApplicationId::new(), crate::now());
    crate::directory::find_organisation(conn, organisation)?;
    diesel::insert_into(grant_applications::table)
        .values((
            grant_applications::id.eq(id.as_str()),
            grant_applications::round_id.eq(round.id.as_str()),
            grant_applications::pool_id.eq(round.pool_id.as_str()),
            grant_applications::organisation_id.eq(organisation.as_str()),
            grant_applications::title.eq(content.title.clone().unwrap_or_default()),
            grant_applications::summary.eq(content.summary.clone().unwrap_or_default()),
            grant_applications::description.eq(content.description.clone().unwrap_or_default()),
            grant_applications::amount_requested_ore.eq(content.amount_requested_ore.unwrap_or(0)),
            grant_applications::planned_start.eq(content.planned_start.flatten()),
            grant_applications::planned_end.eq(content.planned_end.flatten()),
            grant_applications::size_band.eq(content.size_band.flatten().map(SizeBand::as_str)),
            grant_applications::target_groups.eq(to_json(&content.target_groups.clone().unwrap_or_default())),
            grant_applications::answers.eq(to_json(&content.answers.clone().unwrap_or_default())),
            grant_applications::declarations.eq(to_json(&content.declarations.clone().unwrap_or_default())),
            grant_applications::status.eq(ApplicationStatus::Draft.as_str()),
            grant_applications::created_by.eq(&ctx.actor),
            grant_applications::created_at.eq(now),
            grant_applications::updated_at.eq(now),
        ))
        .execute(conn)?;
    audit::record_change(
        conn,
        ctx,
        AUDIT_APPLICATION,
        "grant_application.created",
        id.as_str(),
        serde_json::json!({ "round_id": round.id }),
    )?;
    find_application(conn, &id)
}

pub fn find_application(conn: &mut DbConn, id: &GrantApplicationId) -> StoreResult<Application> {
    grant_applications::table
        .find(id.as_str())
        .select(ApplicationRow::as_select())
        .first(conn)
        .found(Entity::GrantApplication)?
        .parse()
}

/// Locks application `id` until the end of the transaction and reads it.
pub fn lock_application(conn: &mut DbConn, id: &GrantApplicationId) -> StoreResult<Application> {
    let found = lock_rows!(conn, grant_applications::table.find(id.as_str()).select(grant_applications::id))?;
    if found.is_empty() {
        return Err(StoreError::NotFound(Entity::GrantApplication));
    }
    find_application(conn, id)
}

/// Saves changes to an editable application at `expected_version` (412 when someone saved in
/// between). Attachments are not touched: they stay across edits.
pub fn update_application(
    conn: &mut DbConn,
    id: &GrantApplicationId,
    expected_version: Option<i64>,
    content: &ApplicationContent,
    ctx: &AuditContext,
) -> StoreResult<Application> {
    let before = lock_application(conn, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(StoreError::VersionMismatch);
    }
    if !before.status.editable() {
        return Err(GrantError::InvalidTransition { from: before.status, action: "edited" }.into());
    }
    // The dates in order, also when they come in different saves.
    let start = content.planned_start.unwrap_or(before.planned_start);
    let end = content.planned_end.unwrap_or(before.planned_end);
    if let (Some(start), Some(end)) = (start, end)
        && end < start
    {
        let message = "must not be before planned_start".to_owned();
        return Err(GrantError::Invalid { field: "planned_end", message }.into());
    }
    diesel::update(grant_applications::table.find(id.as_str()))
        .set((
            grant_applications::version.eq(grant_applications::version + 1),
            grant_applications::updated_at.eq(crate::now()),
            content.title.as_ref().map(|v| grant_applications::title.eq(v)),
            content.summary.as_ref().map(|v| grant_applications::summary.eq(v)),
            content.description.as_ref().map(|v| grant_applications::description.eq(v)),
            content.amount_requested_ore.map(|v| grant_applications::amount_requested_ore.eq(v)),
            content.planned_start.map(|v| grant_applications::planned_start.eq(v)),
            content.planned_end.map(|v| grant_applications::planned_end.eq(v)),
            content.size_band.map(|v| grant_applications::size_band.eq(v.map(SizeBand::as_str))),
            content.target_groups.as_ref().map(|v| grant_applications::target_groups.eq(to_json(v))),
            content.answers.as_ref().map(|v| grant_applications::answers.eq(to_json(v))),
            content.declarations.as_ref().map(|v| grant_applications::declarations.eq(to_json(v))),
        ))
        .execute(conn)?;
    audit::record_change(conn, ctx, AUDIT_APPLICATION, "grant_application.edited", id.as_str(), serde_json::json!({}))?;
    find_application(conn, id)
}

/// Whose applications a list shows.
#[derive(Debug, Clone)]
pub enum ApplicationScope {
    /// Staff: all.
    All,
    /// An organisation's people: the organisations they act for.
    Organisations(Vec<OrganisationId>),
    /// A reviewer: those they are assigned to.
    Reviewer(UserId),
}

/// Filters of the application list.
#[derive(Debug, Clone, Default)]
pub struct ApplicationFilter {
    pub round_id: Option<GrantRoundId>,
    pub pool_id: Option<GrantPoolId>,
    pub statuses: Vec<ApplicationStatus>,
}

/// Applications in id (creation) order after `after`.
pub fn list_applications(
    conn: &mut DbConn,
    scope: &ApplicationScope,
    filter: &ApplicationFilter,
    after: Option<&GrantApplicationId>,
    limit: i64,
) -> StoreResult<Vec<Application>> {
    let mut query = grant_applications::table
        .select(ApplicationRow::as_select())
        .order(grant_applications::id)
        .limit(limit)
        .into_boxed();
    match scope {
        ApplicationScope::All => {}
        ApplicationScope::Organisations(orgs) => {
            query = query.filter(
                grant_applications::organisation_id
                    .eq_any(orgs.iter().map(|o| o.as_str().to_owned()).collect::<Vec<_>>()),
            )
        }
        ApplicationScope::Reviewer(user) => {
            // Only those the reviewer declared free of conflicts on: before that, not even the title.
            let assigned = grant_reviews::table
                .filter(grant_reviews::reviewer_id.eq(user.as_str().to_owned()))
                .filter(grant_reviews::coi_status.eq(sammen_domain::grants::review::CoiStatus::None.as_str()))
                .select(grant_reviews::application_id);
            query = query.filter(grant_applications::id.eq_any(assigned))
        }
    }
    if let Some(round) = &filter.round_id {
        query = query.filter(grant_applications::round_id.eq(round.as_str().to_owned()));
    }
    if let Some(pool) = &filter.pool_id {
        query = query.filter(grant_applications::pool_id.eq(pool.as_str().to_owned()));
    }
    if !filter.statuses.is_empty() {
        query = query
            .filter(grant_applications::status.eq_any(filter.statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>()));
    }
    if let Some(after) = after {
        query = query.filter(grant_applications::id.gt(after.as_str().to_owned()));
    }
    let rows: Vec<ApplicationRow> = query.load(conn)?;
    rows.into_iter().map(ApplicationRow::parse).collect()
}

/// The application's timeline, oldest first.
pub fn timeline(conn: &mut DbConn, id: &GrantApplicationId) -> StoreResult<Vec<TimelineEvent>> {
    Ok(grant_application_events::table
        .filter(grant_application_events::application_id.eq(id.as_str()))
        .order(grant_application_events::id)
        .select(TimelineEvent::as_select())
        .load(conn)?)
}

/// The submitted revisions, newest first.
pub fn revisions(conn: &mut DbConn, id: &GrantApplicationId) -> StoreResult<Vec<Revision>> {
    Ok(grant_application_revisions::table
        .filter(grant_application_revisions::application_id.eq(id.as_str()))
        .order(grant_application_revisions::revision.desc())
        .select(Revision::as_select())
        .load(conn)?)
}

/// Whether the organisation submitted an application before `before` (first-time or repeat).
pub fn applied_before(conn: &mut DbConn, org: &OrganisationId, before: &GrantApplicationId) -> StoreResult<bool> {
    let count: i64 = grant_applications::table
        .filter(grant_applications::organisation_id.eq(org.as_str()))
        .filter(grant_applications::id.lt(before.as_str()))
        .filter(grant_applications::submitted_at.is_not_null())
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}
