//! Refresh tokens: opaque, stored hashed, rotated on every use; a replayed token revokes its
//! whole family (every token descended from the same login). A family lasts as long as
//! `SESSION_LIFETIME` allows: an idle time per token, an absolute time from the login.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use sammen_domain::identity::SESSION_LIFETIME;
use sammen_domain::ids::UserId;

use super::{new_secret, secret_hash};
use crate::audit::{self, AuditContext};
use crate::dialect::{DbConn, write_transaction};
use crate::error::StoreResult;
use crate::schema::{refresh_tokens, users};

/// Issues a refresh token for `user_id`: the first of a new family (a login), or the successor
/// in `family`, which keeps its start. Returns the raw token (shown to the client once; only its
/// hash is stored).
pub fn issue_refresh_token(conn: &mut DbConn, user_id: &UserId, family: Option<&Family>) -> StoreResult<String> {
    let token = new_secret("rt_");
    let now = crate::now();
    let (family_id, started) = match family {
        Some(family) => (family.id.clone(), family.started_at),
        None => (crate::new_id(), now),
    };
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::token_hash.eq(secret_hash(&token)),
            refresh_tokens::family_id.eq(family_id),
            refresh_tokens::user_id.eq(user_id.as_str()),
            refresh_tokens::issued_at.eq(now),
            refresh_tokens::expires_at.eq(SESSION_LIFETIME.token_expires_at(started, now)),
            refresh_tokens::family_started_at.eq(started),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The tokens of one login: its id and when it started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Family {
    pub id: String,
    pub started_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rotation {
    /// The token was good: here is its successor, for this user.
    Rotated { user_id: UserId, token: String },
    /// The token had already been used or revoked: its family is now revoked.
    Replayed,
    /// Unknown, expired (idle or past its family's absolute lifetime), or its user is disabled.
    Invalid,
}

type TokenRow = (String, NaiveDateTime, UserId, NaiveDateTime, Option<NaiveDateTime>, Option<NaiveDateTime>, bool);

/// Exchanges a refresh token for its successor, in one transaction.
pub fn rotate_refresh_token(conn: &mut DbConn, token: &str, ctx: &AuditContext) -> StoreResult<Rotation> {
    let hash = secret_hash(token);
    write_transaction(conn, |conn| {
        let row: Option<TokenRow> = refresh_tokens::table
            .inner_join(users::table)
            .filter(refresh_tokens::token_hash.eq(&hash))
            .select((
                refresh_tokens::family_id,
                refresh_tokens::family_started_at,
                refresh_tokens::user_id,
                refresh_tokens::expires_at,
                refresh_tokens::used_at,
                refresh_tokens::revoked_at,
                users::disabled,
            ))
            .first(conn)
            .optional()?;
        let Some((family, started_at, user_id, expires_at, used_at, revoked_at, disabled)) = row else {
            return Ok(Rotation::Invalid);
        };
        let now = crate::now();
        let event = |conn: &mut DbConn, action: &str| {
            audit::record_about_user(conn, ctx, action, &user_id, serde_json::json!({ "family": family }))
        };
        if used_at.is_some() {
            // Someone holds a copy of a token that was already exchanged: end the whole family.
            revoke_family(conn, &family)?;
            event(conn, "auth.refresh_token_replayed")?;
            return Ok(Rotation::Replayed);
        }
        let ended = expires_at <= now || SESSION_LIFETIME.family_over(started_at, now);
        if revoked_at.is_some() || ended || disabled {
            return Ok(Rotation::Invalid);
        }
        // Conditional, so two concurrent exchanges of one token cannot both succeed.
        let claimed = diesel::update(refresh_tokens::table.find(&hash).filter(refresh_tokens::used_at.is_null()))
            .set(refresh_tokens::used_at.eq(Some(now)))
            .execute(conn)?;
        if claimed == 0 {
            revoke_family(conn, &family)?;
            return Ok(Rotation::Replayed);
        }
        let token = issue_refresh_token(conn, &user_id, Some(&Family { id: family.clone(), started_at }))?;
        event(conn, "auth.token_refreshed")?;
        Ok(Rotation::Rotated { user_id: user_id.clone(), token })
    })
}

fn revoke_family(conn: &mut DbConn, family: &str) -> StoreResult<usize> {
    Ok(diesel::update(
        refresh_tokens::table.filter(refresh_tokens::family_id.eq(family)).filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(Some(crate::now())))
    .execute(conn)?)
}

/// Revokes the family of a refresh token (RFC 7009). Returns whether the token was known.
pub fn revoke_refresh_token(conn: &mut DbConn, token: &str, ctx: &AuditContext) -> StoreResult<bool> {
    let hash = secret_hash(token);
    write_transaction(conn, |conn| {
        let row: Option<(String, UserId)> = refresh_tokens::table
            .find(&hash)
            .select((refresh_tokens::family_id, refresh_tokens::user_id))
            .first(conn)
            .optional()?;
        let Some((family, user_id)) = row else { return Ok(false) };
        revoke_family(conn, &family)?;
        audit::record_about_user(conn, ctx, "auth.token_revoked", &user_id, serde_json::json!({ "family": family }))?;
        Ok(true)
    })
}
