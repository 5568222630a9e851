//! Pools: created and published by staff; their budget moves only where it stays at or above
//! what is committed.

use diesel::prelude::*;
use sammen_domain::Entity;
use sammen_domain::grants::GrantError;
use sammen_domain::grants::pool::PoolStatus;
use sammen_domain::ids::GrantPoolId;

use super::{AUDIT_POOL, Pool};
use crate::audit::{self, AuditContext};
use crate::error::{Found, StoreError, StoreResult};
use crate::schema::grant_pools;
use crate::{DbConn, lock_rows};

#[derive(Debug, Clone)]
pub struct NewPool {
    pub title: String,
    pub purpose: String,
    pub legal_basis: String,
    pub funder_name: String,
    pub funder_identifier: String,
    pub budget_ore: i64,
}

pub fn insert_pool(conn: &mut DbConn, new: &NewPool, ctx: &AuditContext) -> StoreResult<Pool> {
    let (id, now) = (GrantPoolId::new(), crate::now());
    diesel::insert_into(grant_pools::table)
        .values((
            grant_pools::id.eq(id.as_str()),
            grant_pools::title.eq(&new.title),
            grant_pools::purpose.eq(&new.purpose),
            grant_pools::legal_basis.eq(&new.legal_basis),
            grant_pools::funder_name.eq(&new.funder_name),
            grant_pools::funder_identifier.eq(&new.funder_identifier),
            grant_pools::budget_ore.eq(new.budget_ore),
            grant_pools::status.eq(PoolStatus::Draft.as_str()),
            grant_pools::created_at.eq(now),
            grant_pools::updated_at.eq(now),
        ))
        .execute(conn)?;
    audit::record_change(
        conn,
        ctx,
        AUDIT_POOL,
        "grant_pool.created",
        id.as_str(),
        serde_json::json!({ "budget_ore": new.budget_ore }),
    )?;
    find_pool(conn, &id)
}

pub fn find_pool(conn: &mut DbConn, id: &GrantPoolId) -> StoreResult<Pool> {
    grant_pools::table.find(id.as_str()).select(Pool::as_select()).first(conn).found(Entity::GrantPool)
}

/// Locks pool `id` until the end of the transaction: the commands that read its money and decide
/// by it (a rolling round's waitlist) run one at a time.
pub fn lock_pool(conn: &mut DbConn, id: &GrantPoolId) -> StoreResult<()> {
    let found = lock_rows!(conn, grant_pools::table.find(id.as_str()).select(grant_pools::id))?;
    if found.is_empty() { Err(StoreError::NotFound(Entity::GrantPool)) } else { Ok(()) }
}

/// Pools in creation order after `after`; `public_only` leaves out drafts.
pub fn list_pools(
    conn: &mut DbConn,
    public_only: bool,
    after: Option<&GrantPoolId>,
    limit: i64,
) -> StoreResult<Vec<Pool>> {
    let mut query = grant_pools::table.select(Pool::as_select()).order(grant_pools::id).limit(limit).into_boxed();
    if public_only {
        query = query.filter(grant_pools::status.ne(PoolStatus::Draft.as_str()));
    }
    if let Some(after) = after {
        query = query.filter(grant_pools::id.gt(after.as_str().to_owned()));
    }
    Ok(query.load(conn)?)
}

/// Changes to a pool; `None` leaves a field.
#[derive(Debug, Clone, Default)]
pub struct PoolChanges {
    pub title: Option<String>,
    pub purpose: Option<String>,
    pub legal_basis: Option<String>,
    pub funder_name: Option<String>,
    pub funder_identifier: Option<String>,
    pub budget_ore: Option<i64>,
    pub status: Option<PoolStatus>,
}

/// Updates a pool at `expected_version`. A budget below what is committed is refused by the
/// conditional update itself (and by the table's CHECK behind it), however many decisions commit
/// money at the same moment.
pub fn update_pool(
    conn: &mut DbConn,
    id: &GrantPoolId,
    expected_version: Option<i64>,
    changes: &PoolChanges,
    ctx: &AuditContext,
) -> StoreResult<Pool> {
    let before = find_pool(conn, id)?;
    // Once public, a pool stays public (closed at most): its awards are published data.
    if changes.status == Some(PoolStatus::Draft) && before.status != PoolStatus::Draft {
        let message = "a published pool cannot go back to draft; close it instead".to_owned();
        return Err(GrantError::Invalid { field: "status", message }.into());
    }
    let expected = expected_version.unwrap_or(before.version);
    if before.version != expected {
        return Err(StoreError::VersionMismatch);
    }
    let updated = diesel::update(
        grant_pools::table
            .filter(grant_pools::id.eq(id.as_str()))
            .filter(grant_pools::version.eq(expected))
            .filter(grant_pools::committed_ore.le(changes.budget_ore.unwrap_or(i64::MAX))),
    )
    .set((
        grant_pools::version.eq(grant_pools::version + 1),
        grant_pools::updated_at.eq(crate::now()),
        changes.title.as_ref().map(|v| grant_pools::title.eq(v)),
        changes.purpose.as_ref().map(|v| grant_pools::purpose.eq(v)),
        changes.legal_basis.as_ref().map(|v| grant_pools::legal_basis.eq(v)),
        changes.funder_name.as_ref().map(|v| grant_pools::funder_name.eq(v)),
        changes.funder_identifier.as_ref().map(|v| grant_pools::funder_identifier.eq(v)),
        changes.budget_ore.map(|v| grant_pools::budget_ore.eq(v)),
        changes.status.map(|v| grant_pools::status.eq(v.as_str())),
    ))
    .execute(conn)?;
    if updated == 0 {
        let now = find_pool(conn, id)?;
        return Err(if now.version != expected {
            StoreError::VersionMismatch
        } else {
            GrantError::BudgetBelowCommitted { committed_ore: now.committed_ore }.into()
        });
    }
    let details = serde_json::json!({ "budget_ore": changes.budget_ore, "status": changes.status });
    audit::record_change(conn, ctx, AUDIT_POOL, "grant_pool.updated", id.as_str(), details)?;
    if changes.budget_ore.is_some() {
        super::move_up_waitlist(conn, id, ctx)?;
    }
    find_pool(conn, id)
}
