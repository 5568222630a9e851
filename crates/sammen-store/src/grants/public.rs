//! The public read models: awards (accepted and closed grants) with their recipient, pool and
//! payments; the 360Giving rows; the equal-access statistics' input; the calendar of rounds.
//! Names of organisations are public (as in the directory); nothing about persons is read here.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sammen_domain::directory::organisation::OrganisationKind;
use sammen_domain::grants::application::ApplicationStatus;
use sammen_domain::grants::money::{LedgerKind, TrancheStatus};
use sammen_domain::grants::pool::PoolStatus;
use sammen_domain::grants::statistics::Applied;
use sammen_domain::ids::{GrantApplicationId, GrantPoolId, GrantRoundId, OrganisationId};

use super::{Application, ApplicationRow, Pool, Round};
use crate::DbConn;
use crate::error::StoreResult;
use crate::schema::{grant_applications, grant_ledger, grant_pools, grant_rounds, grant_tranches, organisations};

/// The statuses in which an application is a public grant.
pub const PUBLIC_AWARD: [ApplicationStatus; 2] = [ApplicationStatus::Accepted, ApplicationStatus::Closed];

/// The recipient of an award, as published.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Recipient {
    pub id: OrganisationId,
    pub name: String,
    pub kind: OrganisationKind,
    pub cvr: Option<String>,
}

/// An award with what its public record needs.
#[derive(Debug, Clone)]
pub struct Award {
    pub application: Application,
    pub recipient: Recipient,
    pub pool: Pool,
    pub round: Round,
    /// Paid tranches: when and how much.
    pub payments: Vec<(NaiveDateTime, i64)>,
    /// Money paid and returned (reclaims in the ledger): what was disbursed is the payments less this.
    pub reclaimed_ore: i64,
}

impl Award {
    /// Disbursed as the ledger counts it: paid, less what was paid back.
    pub fn disbursed_ore(&self) -> i64 {
        self.payments.iter().map(|p| p.1).sum::<i64>() - self.reclaimed_ore
    }
}

/// Filters of the public award list.
#[derive(Debug, Clone, Default)]
pub struct AwardFilter {
    pub pool_id: Option<GrantPoolId>,
    pub round_id: Option<GrantRoundId>,
    pub organisation_id: Option<OrganisationId>,
    /// One award only.
    pub id: Option<GrantApplicationId>,
}

/// Awards in id order after `after`: one query for the page, one for its payments.
pub fn list_awards(
    conn: &mut DbConn,
    filter: &AwardFilter,
    after: Option<&GrantApplicationId>,
    limit: i64,
) -> StoreResult<Vec<Award>> {
    let mut query = grant_applications::table
        .inner_join(organisations::table)
        .inner_join(grant_rounds::table.inner_join(grant_pools::table))
        .filter(grant_applications::status.eq_any(PUBLIC_AWARD.map(|s| s.as_str())))
        .filter(grant_pools::status.ne(PoolStatus::Draft.as_str()))
        .order(grant_applications::id)
        .limit(limit)
        .select((
            ApplicationRow::as_select(),
            (organisations::id, organisations::name, organisations::kind, organisations::cvr),
            Pool::as_select(),
            Round::as_select(),
        ))
        .into_boxed();
    if let Some(pool) = &filter.pool_id {
        query = query.filter(grant_applications::pool_id.eq(pool.as_str().to_owned()));
    }
    if let Some(round) = &filter.round_id {
        query = query.filter(grant_applications::round_id.eq(round.as_str().to_owned()));
    }
    if let Some(org) = &filter.organisation_id {
        query = query.filter(grant_applications::organisation_id.eq(org.as_str().to_owned()));
    }
    if let Some(id) = &filter.id {
        query = query.filter(grant_applications::id.eq(id.as_str().to_owned()));
    }
    if let Some(after) = after {
        query = query.filter(grant_applications::id.gt(after.as_str().to_owned()));
    }
    let rows: Vec<AwardRow> = query.load(conn)?;
    with_money(conn, rows)
}

/// An award's row as the public queries read it.
pub(super) type AwardRow = (ApplicationRow, Recipient, Pool, Round);

/// The awards of `rows` with their payments and reclaims (two statements whatever their number).
pub(super) fn with_money(conn: &mut DbConn, rows: Vec<AwardRow>) -> StoreResult<Vec<Award>> {
    let ids: Vec<String> = rows.iter().map(|r| r.0.id.as_str().to_owned()).collect();
    let paid: Vec<(GrantApplicationId, Option<NaiveDateTime>, i64)> = grant_tranches::table
        .filter(grant_tranches::application_id.eq_any(&ids))
        .filter(grant_tranches::status.eq(TrancheStatus::Paid.as_str()))
        .order((grant_tranches::application_id, grant_tranches::position))
        .select((grant_tranches::application_id, grant_tranches::paid_at, grant_tranches::amount_ore))
        .load(conn)?;
    let reclaims: Vec<(GrantApplicationId, i64)> = grant_ledger::table
        .filter(grant_ledger::application_id.eq_any(&ids))
        .filter(grant_ledger::kind.eq(LedgerKind::Reclaim.as_str()))
        .select((grant_ledger::application_id, grant_ledger::amount_ore))
        .load(conn)?;
    let mut reclaimed: HashMap<GrantApplicationId, i64> = HashMap::new();
    for (id, amount) in reclaims {
        *reclaimed.entry(id).or_default() += amount;
    }
    let mut payments: HashMap<GrantApplicationId, Vec<(NaiveDateTime, i64)>> = HashMap::new();
    for (id, at, amount) in paid {
        payments.entry(id).or_default().push((at.unwrap_or_default(), amount));
    }
    rows.into_iter()
        .map(|(row, recipient, pool, round)| {
            let application = row.parse()?;
            let payments = payments.remove(&application.id).unwrap_or_default();
            let reclaimed_ore = reclaimed.remove(&application.id).unwrap_or_default();
            Ok(Award { application, recipient, pool, round, payments, reclaimed_ore })
        })
        .collect()
}

/// One public award.
pub fn find_award(conn: &mut DbConn, id: &GrantApplicationId) -> StoreResult<Award> {
    let filter = AwardFilter { id: Some(id.clone()), ..AwardFilter::default() };
    list_awards(conn, &filter, None, 1)?
        .pop()
        .ok_or(crate::StoreError::NotFound(sammen_domain::Entity::GrantApplication))
}

type StatisticsRow =
    (GrantApplicationId, OrganisationId, OrganisationKind, ApplicationStatus, Option<String>, i64, Option<i64>);

/// The equal-access statistics' input for a round: each submitted application with its
/// applicant's kind and whether it was the organisation's first submitted application.
pub fn statistics_input(conn: &mut DbConn, round: &GrantRoundId) -> StoreResult<Vec<Applied>> {
    let rows: Vec<StatisticsRow> = grant_applications::table
        .inner_join(organisations::table)
        .filter(grant_applications::round_id.eq(round.as_str()))
        .filter(grant_applications::submitted_at.is_not_null())
        .select((
            grant_applications::id,
            grant_applications::organisation_id,
            organisations::kind,
            grant_applications::status,
            grant_applications::size_band,
            grant_applications::amount_requested_ore,
            grant_applications::awarded_ore,
        ))
        .load(conn)?;
    let orgs: Vec<String> = rows.iter().map(|r| r.1.as_str().to_owned()).collect();
    // Each organisation's first submitted application, in any round.
    let firsts: Vec<(OrganisationId, GrantApplicationId)> = grant_applications::table
        .filter(grant_applications::organisation_id.eq_any(orgs))
        .filter(grant_applications::submitted_at.is_not_null())
        .order((grant_applications::organisation_id, grant_applications::id))
        .select((grant_applications::organisation_id, grant_applications::id))
        .load(conn)?;
    let mut first: HashMap<OrganisationId, GrantApplicationId> = HashMap::new();
    for (org, id) in firsts {
        first.entry(org).or_insert(id);
    }
    Ok(rows
        .into_iter()
        .map(|(id, org, kind, status, band, requested, awarded)| Applied {
            kind,
            size_band: band.as_deref().and_then(sammen_domain::grants::application::SizeBand::parse),
            first_time: first.get(&org) == Some(&id),
            status,
            requested_ore: requested,
            awarded_ore: awarded.filter(|_| !matches!(status, ApplicationStatus::Declined)),
        })
        .collect())
}

/// The rounds of published pools, with their pool: what the calendar shows.
pub fn public_rounds(conn: &mut DbConn) -> StoreResult<Vec<(Round, Pool)>> {
    Ok(grant_rounds::table
        .inner_join(grant_pools::table)
        .filter(grant_pools::status.ne(PoolStatus::Draft.as_str()))
        .order((grant_rounds::opens_at, grant_rounds::id))
        .select((Round::as_select(), Pool::as_select()))
        .load(conn)?)
}
