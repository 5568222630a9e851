//! Shared plumbing tables: instance settings and Idempotency-Key records.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::conn::{DbConn, write_transaction};
use crate::error::{StoreError, StoreResult};
use crate::schema::{idempotency_keys, settings};

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

/// How long a finished response is replayed for the same key.
pub const IDEMPOTENCY_TTL: TimeDelta = TimeDelta::hours(24);
/// A key whose first request has not finished after this long is taken to be abandoned (its
/// worker died) and may be claimed by a retry.
pub const IDEMPOTENCY_STALE: TimeDelta = TimeDelta::seconds(60);

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

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotencyStart {
    /// No earlier request with this key: go ahead, then `idempotency_complete` or `_abandon`.
    Started,
    /// The same request was already answered: send this again.
    Replay(StoredResponse),
    /// The same key is being processed by another request right now.
    InProgress,
    /// The key was used for a different request (another body, method or path).
    Mismatch,
}

type KeyRow = (String, String, String, Option<i32>, Option<String>, Option<String>, NaiveDateTime);

/// Claims `scope.key` for this request, or says why not.
pub fn idempotency_begin(conn: &mut DbConn, scope: &IdempotencyScope<'_>) -> StoreResult<IdempotencyStart> {
    write_transaction(conn, |conn| {
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
        // Claims the key. `replacing` is the creation time of an expired or abandoned record we
        // read: only that exact record is removed, so a claim another request committed in the
        // meantime is never deleted (its insert then conflicts, which reads as "in progress").
        let claim = |conn: &mut DbConn, replacing: Option<NaiveDateTime>| -> StoreResult<IdempotencyStart> {
            if let Some(created_at) = replacing {
                let removed = diesel::delete(
                    idempotency_keys::table
                        .find((scope.principal, scope.key))
                        .filter(idempotency_keys::created_at.eq(created_at)),
                )
                .execute(conn)?;
                if removed == 0 {
                    return Ok(IdempotencyStart::InProgress);
                }
            }
            diesel::insert_into(idempotency_keys::table)
                .values((
                    idempotency_keys::principal.eq(scope.principal),
                    idempotency_keys::idem_key.eq(scope.key),
                    idempotency_keys::method.eq(scope.method),
                    idempotency_keys::path.eq(scope.path),
                    idempotency_keys::request_hash.eq(scope.request_hash),
                    idempotency_keys::created_at.eq(now),
                ))
                .execute(conn)?;
            Ok(IdempotencyStart::Started)
        };
        let Some((method, path, hash, status, headers, body, created_at)) = row else {
            return claim(conn, None);
        };
        if created_at + IDEMPOTENCY_TTL < now {
            return claim(conn, Some(created_at));
        }
        if method != scope.method || path != scope.path || hash != scope.request_hash {
            return Ok(IdempotencyStart::Mismatch);
        }
        match status {
            Some(status) => Ok(IdempotencyStart::Replay(StoredResponse {
                status: u16::try_from(status).map_err(|_| StoreError::Corrupt("idempotency status".into()))?,
                headers: headers.unwrap_or_else(|| "{}".into()),
                body: body.unwrap_or_default(),
            })),
            None if created_at + IDEMPOTENCY_STALE < now => claim(conn, Some(created_at)),
            None => Ok(IdempotencyStart::InProgress),
        }
    })
    .or_else(|e| match e {
        // Another request inserted the same key between our read and our insert.
        StoreError::Conflict(_) => Ok(IdempotencyStart::InProgress),
        e => Err(e),
    })
}

/// Stores the response to replay for the key claimed by `idempotency_begin`.
pub fn idempotency_complete(
    conn: &mut DbConn,
    principal: &str,
    key: &str,
    response: &StoredResponse,
) -> StoreResult<()> {
    diesel::update(idempotency_keys::table.find((principal, key)))
        .set((
            idempotency_keys::response_status.eq(Some(i32::from(response.status))),
            idempotency_keys::response_headers.eq(Some(&response.headers)),
            idempotency_keys::response_body.eq(Some(&response.body)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Releases a claimed key whose request failed, so the client may retry with the same key.
pub fn idempotency_abandon(conn: &mut DbConn, principal: &str, key: &str) -> StoreResult<()> {
    diesel::delete(idempotency_keys::table.find((principal, key)).filter(idempotency_keys::response_status.is_null()))
        .execute(conn)?;
    Ok(())
}

/// Deletes records past their time to live; returns how many.
pub fn idempotency_prune(conn: &mut DbConn) -> StoreResult<usize> {
    let cutoff = crate::now() - IDEMPOTENCY_TTL;
    Ok(diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.lt(cutoff))).execute(conn)?)
}
