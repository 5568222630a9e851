//! Reports of errors on listings, and an organisation's own listings in every state.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sammen_domain::directory::listing_report::{ListingReport, ReportStatus};

use crate::audit::{self, AuditContext};
use crate::conn::{DbConn, write_transaction};
use crate::error::{StoreError, StoreResult};
use crate::schema::{activities, activity_reports};

#[derive(Debug, Clone, PartialEq)]
pub struct ActivityReport {
    pub id: String,
    pub activity_id: String,
    /// The listing's name and organisation, for whoever handles the report.
    pub activity_name: String,
    pub organisation_id: String,
    pub message: String,
    pub reporter_email: Option<String>,
    pub status: ReportStatus,
    pub resolution_note: Option<String>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

type ReportRow = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<NaiveDateTime>,
    NaiveDateTime,
);

fn report_from(row: ReportRow) -> StoreResult<ActivityReport> {
    let (id, activity_id, activity_name, organisation_id, message, reporter_email, status, note, by, at, created) = row;
    Ok(ActivityReport {
        id,
        activity_id,
        activity_name,
        organisation_id,
        message,
        reporter_email,
        status: ReportStatus::parse(&status).ok_or_else(|| StoreError::Corrupt("report status".into()))?,
        resolution_note: note,
        resolved_by: by,
        resolved_at: at,
        created_at: created,
    })
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
    activity_id: &str,
    report: &ListingReport,
    ctx: &AuditContext,
) -> StoreResult<ActivityReport> {
    write_transaction(conn, |conn| {
        let id = crate::new_id();
        diesel::insert_into(activity_reports::table)
            .values((
                activity_reports::id.eq(&id),
                activity_reports::activity_id.eq(activity_id),
                activity_reports::message.eq(&report.message),
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
            &id,
            serde_json::json!({ "activity_id": activity_id }),
        )?;
        find_report(conn, &id)
    })
}

pub fn find_report(conn: &mut DbConn, id: &str) -> StoreResult<ActivityReport> {
    let row: ReportRow = activity_reports::table
        .inner_join(activities::table)
        .filter(activity_reports::id.eq(id))
        .select(report_columns!())
        .first(conn)?;
    report_from(row)
}

/// Which reports to list.
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    pub organisation_id: Option<String>,
    pub activity_id: Option<String>,
    pub status: Option<ReportStatus>,
}

/// Reports matching `filter`, oldest first (by id), after `after`.
pub fn list_reports(
    conn: &mut DbConn,
    filter: &ReportFilter,
    after: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<ActivityReport>> {
    let mut query = activity_reports::table
        .inner_join(activities::table)
        .select(report_columns!())
        .order(activity_reports::id)
        .limit(limit)
        .into_boxed();
    if let Some(org) = &filter.organisation_id {
        query = query.filter(activities::organisation_id.eq(org.clone()));
    }
    if let Some(activity) = &filter.activity_id {
        query = query.filter(activity_reports::activity_id.eq(activity.clone()));
    }
    if let Some(status) = filter.status {
        query = query.filter(activity_reports::status.eq(status.as_str()));
    }
    if let Some(after) = after {
        query = query.filter(activity_reports::id.gt(after.to_owned()));
    }
    query.load::<ReportRow>(conn)?.into_iter().map(report_from).collect()
}

/// Marks an open report resolved, with what was done; `Conflict` if it was resolved already.
pub fn resolve_report(
    conn: &mut DbConn,
    id: &str,
    note: Option<&str>,
    ctx: &AuditContext,
) -> StoreResult<ActivityReport> {
    write_transaction(conn, |conn| {
        find_report(conn, id)?;
        let updated = diesel::update(
            activity_reports::table
                .filter(activity_reports::id.eq(id))
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
            return Err(StoreError::Conflict("already_resolved".into()));
        }
        audit::record_change(conn, ctx, AUDIT_TARGET, "activity_report.resolved", id, serde_json::json!({}))?;
        find_report(conn, id)
    })
}
