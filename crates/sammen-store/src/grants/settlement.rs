//! After an award is accepted: its tranches (planned by the track, summing to the award), the
//! report (a declaration on honour for small grants, accounts for large), reclaims of unspent
//! money, and the close that releases whatever was not paid.

use diesel::prelude::*;
use sammen_domain::Entity;
use sammen_domain::grants::GrantError;
use sammen_domain::grants::application::ApplicationStatus;
use sammen_domain::grants::lifecycle::Action;
use sammen_domain::grants::money::{LedgerKind, TrancheCondition, TrancheStatus, plan_tranches as plan};
use sammen_domain::grants::round::Track;
use sammen_domain::ids::{GrantApplicationId, GrantReportId, GrantTrancheId};

use super::lifecycle::take;
use super::notify::{Notice, notify};
use super::{Application, Report, Tranche};
use crate::DbConn;
use crate::audit::{self, AuditContext};
use crate::error::{Found, StoreError, StoreResult};
use crate::schema::{grant_reports, grant_tranches};

pub(super) fn plan_tranches(conn: &mut DbConn, app: &Application, track: Track) -> StoreResult<()> {
    let awarded = app.awarded_ore.ok_or_else(|| StoreError::Corrupt("an accepted award without an amount".into()))?;
    for (i, (amount, condition)) in plan(track == Track::Small, awarded).into_iter().enumerate() {
        diesel::insert_into(grant_tranches::table)
            .values((
                grant_tranches::id.eq(GrantTrancheId::new().as_str()),
                grant_tranches::application_id.eq(app.id.as_str()),
                grant_tranches::position.eq(i as i32 + 1),
                grant_tranches::amount_ore.eq(amount),
                grant_tranches::condition.eq(condition.as_str()),
                grant_tranches::status.eq(TrancheStatus::Planned.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn tranches(conn: &mut DbConn, id: &GrantApplicationId) -> StoreResult<Vec<Tranche>> {
    Ok(grant_tranches::table
        .filter(grant_tranches::application_id.eq(id.as_str()))
        .order(grant_tranches::position)
        .select(Tranche::as_select())
        .load(conn)?)
}

pub fn reports(conn: &mut DbConn, id: &GrantApplicationId) -> StoreResult<Vec<Report>> {
    Ok(grant_reports::table
        .filter(grant_reports::application_id.eq(id.as_str()))
        .order(grant_reports::submitted_at)
        .select(Report::as_select())
        .load(conn)?)
}

fn approved_report(conn: &mut DbConn, id: &GrantApplicationId) -> StoreResult<bool> {
    Ok(reports(conn, id)?.iter().any(|r| r.status == "approved"))
}

/// Pays tranche `tranche` of an accepted award: a disbursement in the ledger.
pub fn pay_tranche(
    conn: &mut DbConn,
    id: &GrantApplicationId,
    tranche: &GrantTrancheId,
    reference: &str,
    ctx: &AuditContext,
) -> StoreResult<Tranche> {
    let app = super::lock_application(conn, id)?;
    if app.status != ApplicationStatus::Accepted {
        return Err(GrantError::InvalidTransition { from: app.status, action: "paid" }.into());
    }
    let t =
        tranches(conn, id)?.into_iter().find(|t| &t.id == tranche).ok_or(StoreError::NotFound(Entity::GrantTranche))?;
    if t.status != TrancheStatus::Planned {
        return Err(GrantError::TrancheSettled(t.status.as_str()).into());
    }
    if t.condition == TrancheCondition::AfterReport && !approved_report(conn, id)? {
        return Err(GrantError::TrancheWaitsForReport.into());
    }
    diesel::update(grant_tranches::table.find(tranche.as_str()))
        .set((
            grant_tranches::status.eq(TrancheStatus::Paid.as_str()),
            grant_tranches::payment_reference.eq(Some(reference)),
            grant_tranches::paid_at.eq(Some(crate::now())),
        ))
        .execute(conn)?;
    super::record_money(conn, &app.pool_id, id, LedgerKind::Disbursement, t.amount_ore, &ctx.actor)?;
    let details = serde_json::json!({ "tranche_id": tranche, "amount_ore": t.amount_ore });
    audit::record_change(conn, ctx, super::AUDIT_APPLICATION, "grant_application.tranche_paid", id.as_str(), details)?;
    notify(conn, &app, Notice::TranchePaid, serde_json::json!({ "tranche": t.position, "amount_ore": t.amount_ore }))?;
    tranches(conn, id)?.into_iter().find(|t| &t.id == tranche).ok_or(StoreError::NotFound(Entity::GrantTranche))
}

/// Submits the report of an accepted award: what was spent, and the declaration or the accounts.
pub fn submit_report(
    conn: &mut DbConn,
    id: &GrantApplicationId,
    spent_ore: i64,
    text: &str,
    ctx: &AuditContext,
) -> StoreResult<Report> {
    let app = super::lock_application(conn, id)?;
    if app.status != ApplicationStatus::Accepted {
        return Err(GrantError::InvalidTransition { from: app.status, action: "reported on" }.into());
    }
    let existing = reports(conn, id)?;
    if existing.iter().any(|r| r.status != "returned") {
        return Err(GrantError::ReportState("a report is submitted already; staff approve it or return it").into());
    }
    if spent_ore > app.awarded_ore.unwrap_or(0) {
        return Err(GrantError::Invalid { field: "spent_ore", message: "is more than the award".into() }.into());
    }
    let round = super::find_round(conn, &app.round_id)?;
    let report_id = GrantReportId::new();
    diesel::insert_into(grant_reports::table)
        .values((
            grant_reports::id.eq(report_id.as_str()),
            grant_reports::application_id.eq(id.as_str()),
            grant_reports::kind.eq(round.track.rules().report.as_str()),
            grant_reports::spent_ore.eq(spent_ore),
            grant_reports::text.eq(text),
            grant_reports::status.eq("submitted"),
            grant_reports::submitted_at.eq(crate::now()),
        ))
        .execute(conn)?;
    audit::record_change(
        conn,
        ctx,
        super::AUDIT_APPLICATION,
        "grant_application.report_submitted",
        id.as_str(),
        serde_json::json!({ "spent_ore": spent_ore }),
    )?;
    grant_reports::table.find(report_id.as_str()).select(Report::as_select()).first(conn).found(Entity::GrantReport)
}

/// Approves or returns the submitted report. On approval, money paid beyond what was spent is
/// reclaimed (the applicant pays it back).
pub fn review_report(
    conn: &mut DbConn,
    id: &GrantApplicationId,
    report: &GrantReportId,
    approve: bool,
    note: Option<&str>,
    ctx: &AuditContext,
) -> StoreResult<Report> {
    let app = super::lock_application(conn, id)?;
    let current =
        reports(conn, id)?.into_iter().find(|r| &r.id == report).ok_or(StoreError::NotFound(Entity::GrantReport))?;
    if current.status != "submitted" {
        return Err(GrantError::ReportState("the report is decided already").into());
    }
    diesel::update(grant_reports::table.find(report.as_str()))
        .set((
            grant_reports::status.eq(if approve { "approved" } else { "returned" }),
            grant_reports::staff_note.eq(note),
            grant_reports::reviewed_at.eq(Some(crate::now())),
        ))
        .execute(conn)?;
    if approve {
        settle_to_spent(conn, &app, current.spent_ore, &ctx.actor)?;
        super::move_up_waitlist(conn, &app.pool_id, ctx)?;
    }
    let action = if approve { "grant_application.report_approved" } else { "grant_application.report_returned" };
    audit::record_change(
        conn,
        ctx,
        super::AUDIT_APPLICATION,
        action,
        id.as_str(),
        serde_json::json!({ "report_id": report }),
    )?;
    grant_reports::table.find(report.as_str()).select(Report::as_select()).first(conn).found(Entity::GrantReport)
}

/// Pays no more than was spent: money paid beyond it is reclaimed; tranches still planned shrink
/// to what is left to cover, or are cancelled.
fn settle_to_spent(conn: &mut DbConn, app: &Application, spent: i64, actor: &str) -> StoreResult<()> {
    let all = tranches(conn, &app.id)?;
    let paid: i64 = all.iter().filter(|t| t.status == TrancheStatus::Paid).map(|t| t.amount_ore).sum();
    if paid > spent {
        super::record_money(conn, &app.pool_id, &app.id, LedgerKind::Reclaim, paid - spent, actor)?;
    }
    let mut room = (spent - paid).max(0);
    for t in all.iter().filter(|t| t.status == TrancheStatus::Planned) {
        let target = grant_tranches::table.find(t.id.as_str());
        if t.amount_ore <= room {
            room -= t.amount_ore;
        } else if room > 0 {
            diesel::update(target).set(grant_tranches::amount_ore.eq(room)).execute(conn)?;
            room = 0;
        } else {
            diesel::update(target).set(grant_tranches::status.eq(TrancheStatus::Cancelled.as_str())).execute(conn)?;
        }
    }
    Ok(())
}

/// Closes an accepted award once its report is approved: tranches not paid are cancelled and
/// their money, with anything spent below the award, released back to the pool.
pub fn close_award(conn: &mut DbConn, id: &GrantApplicationId, ctx: &AuditContext) -> StoreResult<Application> {
    let app = super::lock_application(conn, id)?;
    sammen_domain::grants::lifecycle::transition(app.status, Action::Close)?;
    if !approved_report(conn, id)? {
        return Err(GrantError::NotReadyToClose("the report is not approved yet").into());
    }
    // After the approval the planned tranches are what is still owed for money spent: pay them first.
    if tranches(conn, id)?.iter().any(|t| t.status == TrancheStatus::Planned) {
        return Err(GrantError::NotReadyToClose("a tranche is still to be paid").into());
    }
    let paid: i64 = tranches(conn, id)?.iter().filter(|t| t.status == TrancheStatus::Paid).map(|t| t.amount_ore).sum();
    // What stays committed is what was paid (and spent: the approval reclaimed any excess); the
    // rest of the award goes back to the pool.
    let release = app.awarded_ore.unwrap_or(0) - paid;
    diesel::update(
        grant_tranches::table
            .filter(grant_tranches::application_id.eq(id.as_str()))
            .filter(grant_tranches::status.eq(TrancheStatus::Planned.as_str())),
    )
    .set(grant_tranches::status.eq(TrancheStatus::Cancelled.as_str()))
    .execute(conn)?;
    if release > 0 {
        super::record_money(conn, &app.pool_id, id, LedgerKind::Release, release, &ctx.actor)?;
    }
    take(conn, &app, Action::Close, None, ctx)?;
    diesel::update(crate::schema::grant_applications::table.find(id.as_str()))
        .set(crate::schema::grant_applications::closed_at.eq(Some(crate::now())))
        .execute(conn)?;
    if release > 0 {
        super::move_up_waitlist(conn, &app.pool_id, ctx)?;
    }
    super::find_application(conn, id)
}
