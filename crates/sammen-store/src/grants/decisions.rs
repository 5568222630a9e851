//! Decisions: an award commits its money in the decision's transaction (refused whole when the
//! pool cannot cover it); a batch is one transaction, so it applies all or nothing. Released
//! money moves the waitlist up.

use diesel::prelude::*;
use sammen_domain::grants::GrantError;
use sammen_domain::grants::decision::{Outcome, Reasons};
use sammen_domain::grants::lifecycle::Action;
use sammen_domain::grants::money::LedgerKind;
use sammen_domain::grants::review::CoiStatus;
use sammen_domain::ids::{GrantApplicationId, GrantPoolId};

use super::lifecycle::take;
use super::notify::{Notice, notify};
use super::{Application, to_json};
use crate::DbConn;
use crate::audit::AuditContext;
use crate::error::{StoreError, StoreResult};
use crate::schema::{grant_applications, grant_reviews};

/// A decision as the store records it (checked by the domain's `check_decision` first).
#[derive(Debug, Clone)]
pub struct Decision {
    pub application_id: GrantApplicationId,
    pub expected_version: Option<i64>,
    pub outcome: Outcome,
    /// The amount awarded; `None` for a rejection.
    pub awarded_ore: Option<i64>,
    pub reasons: Reasons,
}

/// Completed reviews of an application that count (submitted, without a conflict).
pub fn completed_reviews(conn: &mut DbConn, id: &GrantApplicationId) -> StoreResult<i64> {
    Ok(grant_reviews::table
        .filter(grant_reviews::application_id.eq(id.as_str()))
        .filter(grant_reviews::coi_status.eq(CoiStatus::None.as_str()))
        .filter(grant_reviews::submitted_at.is_not_null())
        .count()
        .get_result(conn)?)
}

/// Records `decision` on an application in review: its money committed for an award.
pub fn decide(conn: &mut DbConn, decision: &Decision, ctx: &AuditContext) -> StoreResult<Application> {
    let app = super::lock_application(conn, &decision.application_id)?;
    if decision.expected_version.is_some_and(|v| v != app.version) {
        return Err(StoreError::VersionMismatch);
    }
    let round = super::find_round(conn, &app.round_id)?;
    let completed = completed_reviews(conn, &app.id)?;
    let action = if decision.awarded_ore.is_some() { Action::Award } else { Action::Reject };
    sammen_domain::grants::lifecycle::transition(app.status, action)?;
    if completed < i64::from(round.reviews_required) {
        return Err(
            GrantError::ReviewsIncomplete { required: round.reviews_required, completed: completed as i32 }.into()
        );
    }
    let note = decision.reasons.justification.as_str();
    take(conn, &app, action, Some(note), ctx)?;
    let now = crate::now();
    diesel::update(grant_applications::table.find(app.id.as_str()))
        .set((
            grant_applications::outcome.eq(Some(decision.outcome.as_str())),
            grant_applications::awarded_ore.eq(decision.awarded_ore),
            grant_applications::decision.eq(Some(to_json(&decision.reasons))),
            grant_applications::decided_at.eq(Some(now)),
        ))
        .execute(conn)?;
    if let Some(amount) = decision.awarded_ore {
        super::record_money(conn, &app.pool_id, &app.id, LedgerKind::Commitment, amount, &ctx.actor)?;
    }
    let decided = super::find_application(conn, &app.id)?;
    let payload = serde_json::json!({ "outcome": decision.outcome, "awarded_ore": decision.awarded_ore });
    notify(conn, &decided, Notice::Decided, payload)?;
    // A rejection or a partial award of a rolling application frees what it held in the queue.
    move_up_waitlist(conn, &app.pool_id, ctx)?;
    super::find_application(conn, &app.id)
}

/// Records every decision or none: the first that cannot be made (a transition, the budget)
/// fails the whole batch, and the caller's transaction rolls back what came before it.
pub fn decide_batch(conn: &mut DbConn, decisions: &[Decision], ctx: &AuditContext) -> StoreResult<Vec<Application>> {
    decisions.iter().map(|d| decide(conn, d, ctx)).collect()
}

/// Moves waitlisted applications of `pool` back to the queue, first come first, while the money
/// not spoken for covers them; stops at the first that does not fit, so no one is overtaken.
pub fn move_up_waitlist(conn: &mut DbConn, pool: &GrantPoolId, ctx: &AuditContext) -> StoreResult<()> {
    // Most pools have no waitlist: then there is nothing to lock.
    if super::waitlist(conn, pool)?.is_empty() {
        return Ok(());
    }
    super::lock_pool(conn, pool)?;
    let mut available = super::available_for_rolling(conn, pool)?;
    for (id, requested) in super::waitlist(conn, pool)? {
        if requested > available {
            break;
        }
        available -= requested;
        let app = super::find_application(conn, &id)?;
        take(conn, &app, Action::MoveUp, Some("Money was released: your application is back in the queue"), ctx)?;
        diesel::update(grant_applications::table.find(id.as_str()))
            .set(grant_applications::waitlisted_at.eq(None::<chrono::NaiveDateTime>))
            .execute(conn)?;
        let moved = super::find_application(conn, &id)?;
        notify(conn, &moved, Notice::MovedUp, serde_json::json!({}))?;
    }
    Ok(())
}
