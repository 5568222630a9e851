//! The public catalogue: pools with their rounds and every version of each round's criteria,
//! one pool in one statement and a page in two (a left join, assembled here), as the read path asks.

use diesel::prelude::*;
use sammen_domain::Entity;
use sammen_domain::grants::pool::PoolStatus;
use sammen_domain::ids::GrantPoolId;

use super::{CriteriaRow, CriteriaVersion, Pool, Round};
use crate::DbConn;
use crate::error::{StoreError, StoreResult};
use crate::schema::{grant_pools, grant_round_criteria, grant_rounds};

/// A pool with its rounds in opening order, each with its criteria versions newest first.
#[derive(Debug, Clone)]
pub struct PoolWithRounds {
    pub pool: Pool,
    pub rounds: Vec<(Round, Vec<CriteriaVersion>)>,
}

type Joined = (Pool, Option<Round>, Option<CriteriaRow>);

fn assemble(rows: Vec<Joined>) -> StoreResult<Vec<PoolWithRounds>> {
    let mut out: Vec<PoolWithRounds> = Vec::new();
    for (pool, round, criteria) in rows {
        if out.last().is_none_or(|p| p.pool.id != pool.id) {
            out.push(PoolWithRounds { pool, rounds: Vec::new() });
        }
        let Some(current) = out.last_mut() else { continue };
        let Some(round) = round else { continue };
        if current.rounds.last().is_none_or(|(r, _)| r.id != round.id) {
            current.rounds.push((round, Vec::new()));
        }
        if let (Some((_, versions)), Some(criteria)) = (current.rounds.last_mut(), criteria) {
            versions.push(criteria.parse()?);
        }
    }
    Ok(out)
}

macro_rules! joined {
    () => {
        grant_pools::table
            .left_join(grant_rounds::table.left_join(grant_round_criteria::table))
            .order((
                grant_pools::id,
                grant_rounds::opens_at.nullable(),
                grant_rounds::id.nullable(),
                grant_round_criteria::criteria_version.nullable().desc(),
            ))
            .select((Pool::as_select(), Option::<Round>::as_select(), Option::<CriteriaRow>::as_select()))
    };
}

/// One pool with its rounds and criteria.
pub fn pool_with_rounds(conn: &mut DbConn, id: &GrantPoolId) -> StoreResult<PoolWithRounds> {
    let rows: Vec<Joined> = joined!().filter(grant_pools::id.eq(id.as_str())).load(conn)?;
    assemble(rows)?.pop().ok_or(StoreError::NotFound(Entity::GrantPool))
}

/// A page of pools in id order after `after`, with their rounds and criteria; `public_only`
/// leaves out drafts.
pub fn pools_with_rounds(
    conn: &mut DbConn,
    public_only: bool,
    after: Option<&GrantPoolId>,
    limit: i64,
) -> StoreResult<Vec<PoolWithRounds>> {
    // Two statements: the page's ids, then the page with its rounds (the same table in a
    // subquery would need an alias that both backends' query builders accept).
    let mut page = grant_pools::table.select(grant_pools::id).order(grant_pools::id).limit(limit).into_boxed();
    if public_only {
        page = page.filter(grant_pools::status.ne(PoolStatus::Draft.as_str()));
    }
    if let Some(after) = after {
        page = page.filter(grant_pools::id.gt(after.as_str().to_owned()));
    }
    let ids: Vec<String> = page.load(conn)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<Joined> = joined!().filter(grant_pools::id.eq_any(ids)).load(conn)?;
    assemble(rows)
}
