//! Shared plumbing tables: instance settings, the public data's version numbers, and
//! Idempotency-Key records.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::dialect::DbConn;
use crate::error::{StoreError, StoreResult};
use crate::schema::{data_versions, idempotency_keys, settings};

/// Returns the setting `name`, storing `make()` first if it is absent. Safe when several instances
/// start at once: the loser of the insert race reads the winner's value.
pub fn setting_get_or_insert(conn: &mut DbConn, name: &str, make: impl FnOnce() -> String) -> StoreResult<String> {
    let existing = settings::table.find(name).select(settings::value).first::<String>(conn).optional()?;
    if let Some(value) = existing {
        return Ok(value);
    }
    let inserted = diesel::insert_into(settings::table)
        .values((settings::name.eq(name), settings::value.eq(make()), settings::created_at.eq(crate::now())))
        .execute(conn);
    match inserted.map_err(StoreError::from) {
        Ok(_) | Err(StoreError::Conflict(_)) => {}
        Err(e) => return Err(e),
    }
    Ok(settings::table.find(name).select(settings::value).first(conn)?)
}

/// Every area's data version (`directory`, ...), in name order. Triggers move an area's version
/// in the same transaction as any change to its tables; instances compare readings to know that
/// their caches are stale.
pub fn data_versions(conn: &mut DbConn) -> StoreResult<Vec<(String, i64)>> {
    Ok(data_versions::table
        .select((data_versions::name, data_versions::version))
        .order(data_versions::name)
        .load(conn)?)
}

/// How long a finished response is replayed for the same key.
pub const IDEMPOTENCY_TTL: TimeDelta = TimeDelta::hours(24);

/// Which request an idempotency record belongs to.
#[derive(Debug, Clone)]
pub struct IdempotencyScope<'a> {
    pub principal: &'a str,
    pub key: &'a str,
    pub method: &'a str,
    pub path: &'a str,
    pub request_hash: &'a str,
}

/// A stored first response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    /// JSON object of the headers worth replaying (content type, location, etag).
    pub headers: String,
    pub body: String,
}

/// What a key says about a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyClaim {
    /// No earlier request with this key: it is claimed for this transaction. Do the work, then
    /// `idempotency_record` the response, in the same transaction.
    New,
    /// The same request was answered before: send this again.
    Replay(StoredResponse),
    /// The key was used for a different request (another body, method or path).
    Mismatch,
}

type KeyRow = (String, String, String, Option<i32>, Option<String>, Option<String>, NaiveDateTime);

/// Claims `scope.key` inside the caller's transaction, which also does the work and records the
/// response: so a key is either unused or holds the response of work that committed, never "in
/// progress" for others to see. If another transaction holds the same key uncommitted,
/// PostgreSQL makes this one wait; if that one commits, this is `StoreError::Retry` and the
/// command runs again, to replay what the other committed.
pub fn idempotency_claim(conn: &mut DbConn, scope: &IdempotencyScope<'_>) -> StoreResult<KeyClaim> {
    let now = crate::now();
    let row: Option<KeyRow> = idempotency_keys::table
        .find((scope.principal, scope.key))
        .select((
            idempotency_keys::method,
            idempotency_keys::path,
            idempotency_keys::request_hash,
            idempotency_keys::response_status,
            idempotency_keys::response_headers,
            idempotency_keys::response_body,
            idempotency_keys::created_at,
        ))
        .first(conn)
        .optional()?;
    if let Some((method, path, hash, status, headers, body, created_at)) = row {
        let current = created_at + IDEMPOTENCY_TTL >= now;
        match status {
            _ if !current => {}
            _ if method != scope.method || path != scope.path || hash != scope.request_hash => {
                return Ok(KeyClaim::Mismatch);
            }
            Some(status) => {
                return Ok(KeyClaim::Replay(StoredResponse {
                    status: u16::try_from(status).map_err(|_| StoreError::Corrupt("idempotency status".into()))?,
                    headers: headers.unwrap_or_else(|| "{}".into()),
                    body: body.unwrap_or_default(),
                }));
            }
            // A claim without a response, left by an older version that claimed keys in a
            // transaction of their own: its work never finished.
            None => {}
        }
        diesel::delete(idempotency_keys::table.find((scope.principal, scope.key))).execute(conn)?;
    }
    let inserted = diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::principal.eq(scope.principal),
            idempotency_keys::idem_key.eq(scope.key),
            idempotency_keys::method.eq(scope.method),
            idempotency_keys::path.eq(scope.path),
            idempotency_keys::request_hash.eq(scope.request_hash),
            idempotency_keys::created_at.eq(now),
        ))
        .execute(conn);
    match inserted.map_err(StoreError::from) {
        Ok(_) => Ok(KeyClaim::New),
        Err(StoreError::Conflict(_)) => Err(StoreError::Retry),
        Err(e) => Err(e),
    }
}

/// Stores the response of the work done under the key `idempotency_claim` claimed.
pub fn idempotency_record(conn: &mut DbConn, principal: &str, key: &str, response: &StoredResponse) -> StoreResult<()> {
    diesel::update(idempotency_keys::table.find((principal, key)))
        .set((
            idempotency_keys::response_status.eq(Some(i32::from(response.status))),
            idempotency_keys::response_headers.eq(Some(&response.headers)),
            idempotency_keys::response_body.eq(Some(&response.body)),
        ))
        .execute(conn)?;
    Ok(())
}
