//! API clients: integration scripts with scopes, optionally acting for one organisation.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sammen_domain::Entity;
use sammen_domain::identity::{Scope, scope_text};
use sammen_domain::ids::{ApiClientId, OrganisationId};

use super::{new_secret, secret_hash};
use crate::audit::{self, AuditContext};
use crate::dialect::{DbConn, write_transaction};
use crate::error::{Found, StoreError, StoreResult};
use crate::schema::api_clients;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiClient {
    pub id: ApiClientId,
    pub name: String,
    pub scopes: Vec<Scope>,
    pub organisation_id: Option<OrganisationId>,
    pub disabled: bool,
    pub version: i64,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = api_clients)]
struct ClientRow {
    id: ApiClientId,
    name: String,
    /// Space-separated.
    scopes: String,
    organisation_id: Option<OrganisationId>,
    disabled: bool,
    version: i64,
    created_by: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl TryFrom<ClientRow> for ApiClient {
    type Error = StoreError;

    fn try_from(r: ClientRow) -> StoreResult<ApiClient> {
        let scopes = r.scopes.split_whitespace().map(str::parse).collect::<Result<_, _>>();
        Ok(ApiClient {
            id: r.id,
            name: r.name,
            scopes: scopes.map_err(|e| StoreError::Corrupt(format!("api client scopes: {e}")))?,
            organisation_id: r.organisation_id,
            disabled: r.disabled,
            version: r.version,
            created_by: r.created_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

/// What these records are called in the audit log.
const AUDIT_TARGET: &str = "api_client";

/// Creates a client and returns it with its secret (the only time the secret is visible).
pub fn insert_client(
    conn: &mut DbConn,
    name: &str,
    scopes: &[Scope],
    organisation_id: Option<&str>,
    ctx: &AuditContext,
) -> StoreResult<(ApiClient, String)> {
    write_transaction(conn, |conn| {
        let id = ApiClientId::new();
        let secret = new_secret("cs_");
        let now = crate::now();
        diesel::insert_into(api_clients::table)
            .values((
                api_clients::id.eq(id.as_str()),
                api_clients::name.eq(name),
                api_clients::secret_hash.eq(secret_hash(&secret)),
                api_clients::scopes.eq(scope_text(scopes)),
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
            id.as_str(),
            serde_json::json!({ "scopes": scopes, "organisation_id": organisation_id }),
        )?;
        Ok((find_client(conn, &id)?, secret))
    })
}

pub fn find_client(conn: &mut DbConn, id: &ApiClientId) -> StoreResult<ApiClient> {
    api_clients::table.find(id.as_str()).select(ClientRow::as_select()).first(conn).found(Entity::ApiClient)?.try_into()
}

pub fn list_clients(conn: &mut DbConn, after: Option<&ApiClientId>, limit: i64) -> StoreResult<Vec<ApiClient>> {
    let mut query = api_clients::table.select(ClientRow::as_select()).order(api_clients::id).limit(limit).into_boxed();
    if let Some(after) = after {
        query = query.filter(api_clients::id.gt(after.as_str().to_owned()));
    }
    query.load(conn)?.into_iter().map(ApiClient::try_from).collect()
}

/// The client whose id and secret these are, if it exists, is enabled, and the secret matches.
pub fn authenticate_client(conn: &mut DbConn, id: &ApiClientId, secret: &str) -> StoreResult<Option<ApiClient>> {
    let row: Option<(String, bool)> = api_clients::table
        .find(id.as_str())
        .select((api_clients::secret_hash, api_clients::disabled))
        .first(conn)
        .optional()?;
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
pub fn client_access(conn: &mut DbConn, id: &ApiClientId) -> StoreResult<Option<ApiClient>> {
    let row = api_clients::table.find(id.as_str()).select(ClientRow::as_select()).first(conn).optional()?;
    Ok(row.map(ApiClient::try_from).transpose()?.filter(|c| !c.disabled))
}

#[derive(Debug, Default, Clone)]
pub struct ClientChanges {
    pub name: Option<String>,
    pub scopes: Option<Vec<Scope>>,
    pub disabled: Option<bool>,
}

pub fn update_client(
    conn: &mut DbConn,
    id: &ApiClientId,
    expected_version: Option<i64>,
    changes: &ClientChanges,
    ctx: &AuditContext,
) -> StoreResult<ApiClient> {
    write_transaction(conn, |conn| {
        let before = find_client(conn, id)?;
        let expected = expected_version.unwrap_or(before.version);
        let updated = diesel::update(
            api_clients::table.filter(api_clients::id.eq(id.as_str())).filter(api_clients::version.eq(expected)),
        )
        .set((
            api_clients::version.eq(api_clients::version + 1),
            api_clients::updated_at.eq(crate::now()),
            changes.name.as_ref().map(|n| api_clients::name.eq(n)),
            changes.scopes.as_ref().map(|s| api_clients::scopes.eq(scope_text(s))),
            changes.disabled.map(|d| api_clients::disabled.eq(d)),
        ))
        .execute(conn)?;
        if updated == 0 {
            return Err(StoreError::VersionMismatch);
        }
        let details = serde_json::json!({
            "scopes": changes.scopes.as_ref().map(|after| serde_json::json!({ "before": before.scopes, "after": after })),
            "disabled": changes.disabled,
            "renamed": changes.name.is_some(),
        });
        audit::record_change(conn, ctx, AUDIT_TARGET, "api_client.updated", id.as_str(), details)?;
        find_client(conn, id)
    })
}

/// Replaces a client's secret; the old one stops working at once. Returns the new secret.
pub fn rotate_client_secret(
    conn: &mut DbConn,
    id: &ApiClientId,
    ctx: &AuditContext,
) -> StoreResult<(ApiClient, String)> {
    write_transaction(conn, |conn| {
        let secret = new_secret("cs_");
        let updated = diesel::update(api_clients::table.find(id.as_str()))
            .set((
                api_clients::secret_hash.eq(secret_hash(&secret)),
                api_clients::version.eq(api_clients::version + 1),
                api_clients::updated_at.eq(crate::now()),
            ))
            .execute(conn)?;
        if updated == 0 {
            return Err(StoreError::NotFound(Entity::ApiClient));
        }
        audit::record_change(conn, ctx, AUDIT_TARGET, "api_client.secret_rotated", id.as_str(), serde_json::json!({}))?;
        Ok((find_client(conn, id)?, secret))
    })
}
