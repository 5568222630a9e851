//! The money: every movement is a row in the append-only ledger, and the pool's cached figures
//! move in the same statement that checks them. A commitment is one conditional update, so under
//! any concurrency the committed sum never passes the budget (and the table's CHECK refuses it if
//! code ever tried); a batch is one transaction, so it commits all or nothing.

use diesel::prelude::*;
use sammen_domain::grants::GrantError;
use sammen_domain::grants::application::ApplicationStatus;
use sammen_domain::grants::money::{LedgerKind, effect};
use sammen_domain::grants::round::RoundKind;
use sammen_domain::ids::{GrantApplicationId, GrantPoolId};

use crate::DbConn;
use crate::error::StoreResult;
use crate::schema::{grant_applications, grant_ledger, grant_pools, grant_rounds};

/// Records `amount` of `kind` for `application` in `pool`'s ledger and moves the pool's figures.
/// A commitment that does not fit in the remaining budget changes nothing and is refused.
pub fn record_money(
    conn: &mut DbConn,
    pool: &GrantPoolId,
    application: &GrantApplicationId,
    kind: LedgerKind,
    amount: i64,
    actor: &str,
) -> StoreResult<()> {
    let (committed, disbursed) = effect(kind, amount);
    let moved = diesel::update(
        grant_pools::table
            .filter(grant_pools::id.eq(pool.as_str()))
            .filter((grant_pools::committed_ore + committed).le(grant_pools::budget_ore))
            .filter((grant_pools::disbursed_ore + disbursed).le(grant_pools::committed_ore + committed)),
    )
    .set((
        grant_pools::committed_ore.eq(grant_pools::committed_ore + committed),
        grant_pools::disbursed_ore.eq(grant_pools::disbursed_ore + disbursed),
    ))
    .execute(conn)?;
    if moved == 0 {
        let (budget, committed_now): (i64, i64) = grant_pools::table
            .find(pool.as_str())
            .select((grant_pools::budget_ore, grant_pools::committed_ore))
            .first(conn)?;
        return Err(GrantError::BudgetExceeded { remaining_ore: budget - committed_now, requested_ore: amount }.into());
    }
    diesel::insert_into(grant_ledger::table)
        .values((
            grant_ledger::id.eq(crate::new_id()),
            grant_ledger::pool_id.eq(pool.as_str()),
            grant_ledger::application_id.eq(application.as_str()),
            grant_ledger::kind.eq(kind.as_str()),
            grant_ledger::amount_ore.eq(amount),
            grant_ledger::actor.eq(actor),
            grant_ledger::at.eq(crate::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// A ledger entry.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct LedgerEntry {
    pub id: String,
    pub application_id: GrantApplicationId,
    pub kind: LedgerKind,
    pub amount_ore: i64,
    pub at: chrono::NaiveDateTime,
}

/// A pool's ledger in order.
pub fn ledger(conn: &mut DbConn, pool: &GrantPoolId) -> StoreResult<Vec<LedgerEntry>> {
    Ok(grant_ledger::table
        .filter(grant_ledger::pool_id.eq(pool.as_str()))
        .order(grant_ledger::id)
        .select((
            grant_ledger::id,
            grant_ledger::application_id,
            grant_ledger::kind,
            grant_ledger::amount_ore,
            grant_ledger::at,
        ))
        .load(conn)?)
}

/// The statuses of a rolling round's applications that wait for money ahead of a new one.
const CLAIMING: [ApplicationStatus; 3] =
    [ApplicationStatus::Submitted, ApplicationStatus::InformationRequested, ApplicationStatus::InReview];

/// What a new application in a rolling round of `pool` can still count on: the remaining budget
/// less what the rolling applications ahead of it asked for. The caller holds the pool's lock.
pub fn available_for_rolling(conn: &mut DbConn, pool: &GrantPoolId) -> StoreResult<i64> {
    let remaining: i64 = grant_pools::table
        .find(pool.as_str())
        .select(grant_pools::budget_ore - grant_pools::committed_ore)
        .first(conn)?;
    let claims: Vec<i64> = grant_applications::table
        .inner_join(grant_rounds::table)
        .filter(grant_applications::pool_id.eq(pool.as_str()))
        .filter(grant_rounds::kind.eq(RoundKind::Rolling.as_str()))
        .filter(grant_applications::status.eq_any(CLAIMING.map(|s| s.as_str())))
        .select(grant_applications::amount_requested_ore)
        .load(conn)?;
    Ok(remaining - claims.iter().sum::<i64>())
}

/// Waitlisted applications of `pool`, first come first: (id, amount requested).
pub fn waitlist(conn: &mut DbConn, pool: &GrantPoolId) -> StoreResult<Vec<(GrantApplicationId, i64)>> {
    Ok(grant_applications::table
        .filter(grant_applications::pool_id.eq(pool.as_str()))
        .filter(grant_applications::status.eq(ApplicationStatus::Waitlisted.as_str()))
        .order((grant_applications::waitlisted_at, grant_applications::id))
        .select((grant_applications::id, grant_applications::amount_requested_ore))
        .load(conn)?)
}
