//! Reports of errors on listings, and an organisation's own listings in every state.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sammen_domain::Entity;
use sammen_domain::directory::DirectoryError;
use sammen_domain::directory::listing_report::{ListingReport, ReportStatus};
use sammen_domain::ids::{ActivityId, OrganisationId, ReportId};

use crate::audit::{self, AuditContext};
use crate::dialect::{DbConn, write_transaction};
use crate::error::{Found, StoreResult};
use crate::schema::{activities, activity_reports};

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct ActivityReport {
    pub id: ReportId,
    pub activity_id: ActivityId,
    /// The listing's name and organisation, for whoever handles the report.
    pub activity_name: String,
    pub organisation_id: OrganisationId,
    pub message: String,
    pub reporter_email: Option<String>,
    pub status: ReportStatus,
    pub resolution_note: Option<String>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

macro_rules! report_columns {
    () => {
        (
            activity_reports::id,
            activity_reports::activity_id,
            activities::name,
            activities::organisation_id,
            activity_reports::message,
            activity_reports::reporter_email,
            activity_reports::status,
            activity_reports::resolution_note,
            activity_reports::resolved_by,
            activity_reports::resolved_at,
            activity_reports::created_at,
        )
    };
}

const AUDIT_TARGET: &str = "activity_report";

/// Stores a report on an activity. The audit event names the activity, not the reporter.
pub fn insert_report(
    conn: &mut DbConn,
    activity_id: &ActivityId,
    report: &ListingReport,
    ctx: &AuditContext,
) -> StoreResult<ActivityReport> {
    write_transaction(conn, |conn| {
        let id = ReportId::new();
        diesel::insert_into(activity_reports::table)
            .values((
                activity_reports::id.eq(id.as_str()),
                activity_reports::activity_id.eq(activity_id.as_str()),
                activity_reports::message.eq(report.message.as_str()),
                activity_reports::reporter_email.eq(report.contact_email.as_deref()),
                activity_reports::status.eq(ReportStatus::Open.as_str()),
                activity_reports::created_at.eq(crate::now()),
            ))
            .execute(conn)?;
        audit::record_change(
            conn,
            ctx,
            AUDIT_TARGET,
            "activity_report.created",
            id.as_str(),
            serde_json::json!({ "activity_id": activity_id }),
        )?;
        find_report(conn, &id)
    })
}

pub fn find_report(conn: &mut DbConn, id: &ReportId) -> StoreResult<ActivityReport> {
    activity_reports::table
        .inner_join(activities::table)
        .filter(activity_reports::id.eq(id.as_str()))
        .select(report_columns!())
        .first(conn)
        .found(Entity::ActivityReport)
}

/// Which reports to list.
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    pub organisation_id: Option<OrganisationId>,
    pub activity_id: Option<ActivityId>,
    pub status: Option<ReportStatus>,
}

/// Reports matching `filter`, oldest first (by id), after `after`.
pub fn list_reports(
    conn: &mut DbConn,
    filter: &ReportFilter,
    after: Option<&ReportId>,
    limit: i64,
) -> StoreResult<Vec<ActivityReport>> {
    let mut query = activity_reports::table
        .inner_join(activities::table)
        .select(report_columns!())
        .order(activity_reports::id)
        .limit(limit)
        .into_boxed();
    if let Some(org) = &filter.organisation_id {
        query = query.filter(activities::organisation_id.eq(org.as_str().to_owned()));
    }
    if let Some(activity) = &filter.activity_id {
        query = query.filter(activity_reports::activity_id.eq(activity.as_str().to_owned()));
    }
    if let Some(status) = filter.status {
        query = query.filter(activity_reports::status.eq(status.as_str()));
    }
    if let Some(after) = after {
        query = query.filter(activity_reports::id.gt(after.as_str().to_owned()));
    }
    Ok(query.load(conn)?)
}

/// Marks an open report resolved, with what was done; `DirectoryError::ReportResolved` if it was
/// resolved already (a conditional update: of two at once, one resolves it).
pub fn resolve_report(
    conn: &mut DbConn,
    id: &ReportId,
    note: Option<&str>,
    ctx: &AuditContext,
) -> StoreResult<ActivityReport> {
    write_transaction(conn, |conn| {
        let updated = diesel::update(
            activity_reports::table
                .filter(activity_reports::id.eq(id.as_str()))
                .filter(activity_reports::status.eq(ReportStatus::Open.as_str())),
        )
        .set((
            activity_reports::status.eq(ReportStatus::Resolved.as_str()),
            activity_reports::resolution_note.eq(note),
            activity_reports::resolved_by.eq(Some(ctx.actor.as_str())),
            activity_reports::resolved_at.eq(Some(crate::now())),
        ))
        .execute(conn)?;
        if updated == 0 {
            find_report(conn, id)?;
            return Err(DirectoryError::ReportResolved.into());
        }
        audit::record_change(conn, ctx, AUDIT_TARGET, "activity_report.resolved", id.as_str(), serde_json::json!({}))?;
        find_report(conn, id)
    })
}
