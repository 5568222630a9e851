//! Rounds and their criteria. The criteria are append-only versions; a round's terms (track,
//! amounts, opening) are fixed once it opened, and its deadline may only move later.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use sammen_domain::Entity;
use sammen_domain::grants::GrantError;
use sammen_domain::grants::criteria::{CriteriaChange, Criterion, EligibilityRule, criteria_change};
use sammen_domain::grants::round::{Phase, RoundTerms};
use sammen_domain::ids::{GrantPoolId, GrantRoundId};

use super::{AUDIT_ROUND, CriteriaRow, CriteriaVersion, Round, to_json};
use crate::audit::{self, AuditContext};
use crate::error::{Found, StoreError, StoreResult};
use crate::schema::{grant_round_criteria, grant_rounds};
use crate::{DbConn, lock_rows};

#[derive(Debug, Clone)]
pub struct NewRound {
    pub pool_id: GrantPoolId,
    pub title: String,
    pub description: String,
    pub terms: RoundTerms,
    pub criteria: Vec<Criterion>,
    pub eligibility: Vec<EligibilityRule>,
}

pub fn insert_round(conn: &mut DbConn, new: &NewRound, ctx: &AuditContext) -> StoreResult<Round> {
    super::find_pool(conn, &new.pool_id)?;
    let (id, now, t) = (GrantRoundId::new(), crate::now(), &new.terms);
    diesel::insert_into(grant_rounds::table)
        .values((
            grant_rounds::id.eq(id.as_str()),
            grant_rounds::pool_id.eq(new.pool_id.as_str()),
            grant_rounds::title.eq(&new.title),
            grant_rounds::description.eq(&new.description),
            grant_rounds::kind.eq(t.kind.as_str()),
            grant_rounds::track.eq(t.track.as_str()),
            grant_rounds::opens_at.eq(t.opens_at),
            grant_rounds::closes_at.eq(t.closes_at),
            grant_rounds::min_amount_ore.eq(t.min_amount_ore),
            grant_rounds::max_amount_ore.eq(t.max_amount_ore),
            grant_rounds::decision_expected_on.eq(t.decision_expected_on),
            grant_rounds::reviews_required.eq(t.reviews_required),
            grant_rounds::criteria_version.eq(1),
            grant_rounds::created_at.eq(now),
            grant_rounds::updated_at.eq(now),
        ))
        .execute(conn)?;
    insert_criteria(conn, &id, 1, &new.criteria, &new.eligibility, None)?;
    audit::record_change(
        conn,
        ctx,
        AUDIT_ROUND,
        "grant_round.created",
        id.as_str(),
        serde_json::json!({ "pool_id": new.pool_id }),
    )?;
    find_round(conn, &id)
}

fn insert_criteria(
    conn: &mut DbConn,
    round: &GrantRoundId,
    version: i32,
    criteria: &[Criterion],
    eligibility: &[EligibilityRule],
    notice: Option<&str>,
) -> StoreResult<()> {
    diesel::insert_into(grant_round_criteria::table)
        .values((
            grant_round_criteria::round_id.eq(round.as_str()),
            grant_round_criteria::criteria_version.eq(version),
            grant_round_criteria::criteria.eq(to_json(&criteria)),
            grant_round_criteria::eligibility.eq(to_json(&eligibility)),
            grant_round_criteria::notice.eq(notice),
            grant_round_criteria::created_at.eq(crate::now()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn find_round(conn: &mut DbConn, id: &GrantRoundId) -> StoreResult<Round> {
    grant_rounds::table.find(id.as_str()).select(Round::as_select()).first(conn).found(Entity::GrantRound)
}

/// Locks round `id` (its terms and criteria) until the end of the transaction.
pub fn lock_round(conn: &mut DbConn, id: &GrantRoundId) -> StoreResult<Round> {
    let found = lock_rows!(conn, grant_rounds::table.find(id.as_str()).select(grant_rounds::id))?;
    if found.is_empty() {
        return Err(StoreError::NotFound(Entity::GrantRound));
    }
    find_round(conn, id)
}

/// Version `version` of a round's criteria.
pub fn criteria_version(conn: &mut DbConn, round: &GrantRoundId, version: i32) -> StoreResult<CriteriaVersion> {
    grant_round_criteria::table
        .find((round.as_str(), version))
        .select(CriteriaRow::as_select())
        .first(conn)
        .found(Entity::GrantRound)?
        .parse()
}

/// The criteria an application is assessed against: the version its last submitted revision was
/// submitted under (a change with a notice later does not move it), or the round's current one
/// for an application never submitted.
pub fn criteria_of(conn: &mut DbConn, app: &super::Application) -> StoreResult<CriteriaVersion> {
    let submitted = super::revisions(conn, &app.id)?.into_iter().find(|r| r.revision == app.revision);
    let version = match submitted {
        Some(r) => r.criteria_version,
        None => find_round(conn, &app.round_id)?.criteria_version,
    };
    criteria_version(conn, &app.round_id, version)
}

/// Every version of a round's criteria, newest first.
pub fn criteria_history(conn: &mut DbConn, round: &GrantRoundId) -> StoreResult<Vec<CriteriaVersion>> {
    let rows: Vec<CriteriaRow> = grant_round_criteria::table
        .filter(grant_round_criteria::round_id.eq(round.as_str()))
        .order(grant_round_criteria::criteria_version.desc())
        .select(CriteriaRow::as_select())
        .load(conn)?;
    rows.into_iter().map(CriteriaRow::parse).collect()
}

/// Replaces the round's criteria with a new version: freely before the round opens, with a
/// notice to applicants while it is open, never after it closed (`criteria_change`).
pub fn change_criteria(
    conn: &mut DbConn,
    id: &GrantRoundId,
    now: NaiveDateTime,
    criteria: &[Criterion],
    eligibility: &[EligibilityRule],
    notice: Option<&str>,
    ctx: &AuditContext,
) -> StoreResult<Round> {
    let round = lock_round(conn, id)?;
    let change = criteria_change(round.phase(now), notice)?;
    let version = round.criteria_version + 1;
    let notice = (change == CriteriaChange::Noticed).then_some(notice).flatten().map(str::trim);
    insert_criteria(conn, id, version, criteria, eligibility, notice)?;
    diesel::update(grant_rounds::table.find(id.as_str()))
        .set((
            grant_rounds::criteria_version.eq(version),
            grant_rounds::version.eq(grant_rounds::version + 1),
            grant_rounds::updated_at.eq(crate::now()),
        ))
        .execute(conn)?;
    let details = serde_json::json!({ "criteria_version": version, "noticed": notice.is_some() });
    audit::record_change(conn, ctx, AUDIT_ROUND, "grant_round.criteria_changed", id.as_str(), details)?;
    find_round(conn, id)
}

/// Changes to a round's dates.
#[derive(Debug, Clone, Default)]
pub struct RoundChanges {
    pub title: Option<String>,
    pub description: Option<String>,
    pub closes_at: Option<NaiveDateTime>,
    pub decision_expected_on: Option<NaiveDate>,
}

/// Updates a round: once it opened, its deadline only moves later (an extension, e.g. after an
/// outage) and the rest of its terms stay.
pub fn update_round(
    conn: &mut DbConn,
    id: &GrantRoundId,
    expected_version: Option<i64>,
    now: NaiveDateTime,
    changes: &RoundChanges,
    ctx: &AuditContext,
) -> StoreResult<Round> {
    let round = lock_round(conn, id)?;
    if expected_version.is_some_and(|v| v != round.version) {
        return Err(StoreError::VersionMismatch);
    }
    let opened = round.phase(now) != Phase::Upcoming;
    if let Some(closes) = changes.closes_at {
        if closes <= round.opens_at {
            return Err(
                GrantError::Invalid { field: "closes_at", message: "must be after the round opens".into() }.into()
            );
        }
        if opened && round.closes_at.is_some_and(|c| closes < c) {
            return Err(GrantError::RoundFrozen.into());
        }
    }
    let decision = changes.decision_expected_on.unwrap_or(round.decision_expected_on);
    let closes = changes.closes_at.or(round.closes_at);
    if closes.is_some_and(|c| decision.and_hms_opt(23, 59, 59).unwrap_or_default() < c) {
        return Err(GrantError::Invalid {
            field: "decision_expected_on",
            message: "must not be before the round closes".into(),
        }
        .into());
    }
    diesel::update(grant_rounds::table.find(id.as_str()))
        .set((
            grant_rounds::version.eq(grant_rounds::version + 1),
            grant_rounds::updated_at.eq(crate::now()),
            changes.title.as_ref().map(|v| grant_rounds::title.eq(v)),
            changes.description.as_ref().map(|v| grant_rounds::description.eq(v)),
            changes.closes_at.map(|v| grant_rounds::closes_at.eq(v)),
            changes.decision_expected_on.map(|v| grant_rounds::decision_expected_on.eq(v)),
        ))
        .execute(conn)?;
    let details =
        serde_json::json!({ "closes_at": changes.closes_at, "decision_expected_on": changes.decision_expected_on });
    audit::record_change(conn, ctx, AUDIT_ROUND, "grant_round.updated", id.as_str(), details)?;
    find_round(conn, id)
}
