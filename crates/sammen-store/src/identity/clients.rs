//! API clients: integration scripts with scopes, optionally acting for one organisation.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{new_secret, secret_hash};
use crate::audit::{self, AuditContext};
use crate::conn::{DbConn, write_transaction};
use crate::error::{StoreError, StoreResult};
use crate::schema::api_clients;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = api_clients)]
pub struct ApiClient {
    pub id: String,
    pub name: String,
    /// Space-separated.
    pub scopes: String,
    pub organisation_id: Option<String>,
    pub disabled: bool,
    pub version: i64,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl ApiClient {
    pub fn scope_list(&self) -> Vec<String> {
        self.scopes.split_whitespace().map(str::to_owned).collect()
    }
}

/// What these records are called in the audit log.
const AUDIT_TARGET: &str = "api_client";

/// Creates a client and returns it with its secret (the only time the secret is visible).
pub fn insert_client(
    conn: &mut DbConn,
    name: &str,
    scopes: &[String],
    organisation_id: Option<&str>,
    ctx: &AuditContext,
) -> StoreResult<(ApiClient, String)> {
    write_transaction(conn, |conn| {
        let id = crate::new_id();
        let secret = new_secret("cs_");
        let now = crate::now();
        diesel::insert_into(api_clients::table)
            .values((
                api_clients::id.eq(&id),
                api_clients::name.eq(name),
                api_clients::secret_hash.eq(secret_hash(&secret)),
                api_clients::scopes.eq(scopes.join(" ")),
                api_clients::organisation_id.eq(organisation_id),
                api_clients::disabled.eq(false),
                api_clients::version.eq(1),
                api_clients::created_by.eq(&ctx.actor),
                api_clients::created_at.eq(now),
                api_clients::updated_at.eq(now),
            ))
            .execute(conn)?;
        audit::record_change(
            conn,
            ctx,
            AUDIT_TARGET,
            "api_client.created",
            &id,
            serde_json::json!({ "scopes": scopes, "organisation_id": organisation_id }),
        )?;
        Ok((find_client(conn, &id)?, secret))
    })
}

pub fn find_client(conn: &mut DbConn, id: &str) -> StoreResult<ApiClient> {
    Ok(api_clients::table.find(id).select(ApiClient::as_select()).first(conn)?)
}

pub fn list_clients(conn: &mut DbConn, after: Option<&str>, limit: i64) -> StoreResult<Vec<ApiClient>> {
    let mut query = api_clients::table.select(ApiClient::as_select()).order(api_clients::id).limit(limit).into_boxed();
    if let Some(after) = after {
        query = query.filter(api_clients::id.gt(after.to_owned()));
    }
    Ok(query.load(conn)?)
}

/// The client whose id and secret these are, if it exists, is enabled, and the secret matches.
pub fn authenticate_client(conn: &mut DbConn, id: &str, secret: &str) -> StoreResult<Option<ApiClient>> {
    let row: Option<(String, bool)> =
        api_clients::table.find(id).select((api_clients::secret_hash, api_clients::disabled)).first(conn).optional()?;
    let Some((stored, disabled)) = row else { return Ok(None) };
    if disabled || !constant_time_eq(stored.as_bytes(), secret_hash(secret).as_bytes()) {
        return Ok(None);
    }
    Ok(Some(find_client(conn, id)?))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The current scopes and organisation of an enabled client, or `None`: checked on every
/// request made with a client's token.
pub fn client_access(conn: &mut DbConn, id: &str) -> StoreResult<Option<ApiClient>> {
    Ok(find_client(conn, id)
        .map(Some)
        .or_else(|e| match e {
            StoreError::NotFound => Ok(None),
            e => Err(e),
        })?
        .filter(|c| !c.disabled))
}

#[derive(Debug, Default, Clone)]
pub struct ClientChanges {
    pub name: Option<String>,
    pub scopes: Option<Vec<String>>,
    pub disabled: Option<bool>,
}

pub fn update_client(
    conn: &mut DbConn,
    id: &str,
    expected_version: Option<i64>,
    changes: &ClientChanges,
    ctx: &AuditContext,
) -> StoreResult<ApiClient> {
    write_transaction(conn, |conn| {
        let before = find_client(conn, id)?;
        let expected = expected_version.unwrap_or(before.version);
        let updated =
            diesel::update(api_clients::table.filter(api_clients::id.eq(id)).filter(api_clients::version.eq(expected)))
                .set((
                    api_clients::version.eq(api_clients::version + 1),
                    api_clients::updated_at.eq(crate::now()),
                    changes.name.as_ref().map(|n| api_clients::name.eq(n)),
                    changes.scopes.as_ref().map(|s| api_clients::scopes.eq(s.join(" "))),
                    changes.disabled.map(|d| api_clients::disabled.eq(d)),
                ))
                .execute(conn)?;
        if updated == 0 {
            return Err(StoreError::VersionMismatch);
        }
        let details = serde_json::json!({
            "scopes": changes.scopes.as_ref().map(|after| serde_json::json!({ "before": before.scope_list(), "after": after })),
            "disabled": changes.disabled,
            "renamed": changes.name.is_some(),
        });
        audit::record_change(conn, ctx, AUDIT_TARGET, "api_client.updated", id, details)?;
        find_client(conn, id)
    })
}

/// Replaces a client's secret; the old one stops working at once. Returns the new secret.
pub fn rotate_client_secret(conn: &mut DbConn, id: &str, ctx: &AuditContext) -> StoreResult<(ApiClient, String)> {
    write_transaction(conn, |conn| {
        let secret = new_secret("cs_");
        let updated = diesel::update(api_clients::table.find(id))
            .set((
                api_clients::secret_hash.eq(secret_hash(&secret)),
                api_clients::version.eq(api_clients::version + 1),
                api_clients::updated_at.eq(crate::now()),
            ))
            .execute(conn)?;
        if updated == 0 {
            return Err(StoreError::NotFound);
        }
        audit::record_change(conn, ctx, AUDIT_TARGET, "api_client.secret_rotated", id, serde_json::json!({}))?;
        Ok((find_client(conn, id)?, secret))
    })
}
