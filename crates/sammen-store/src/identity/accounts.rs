//! An account's life by e-mail: self-registration with a confirmed address, password reset by a
//! single-use link, password change. Each writes its e-mail to the outbox in its own transaction,
//! and ending sessions ends them everywhere.

use chrono::{DurationRound, NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use sammen_domain::identity::{IdentityError, Role, RoleGrant, TokenPurpose};
use sammen_domain::ids::UserId;
use sammen_domain::outbox::EventType;

use super::{NewUser, new_secret, secret_hash};
use crate::audit::{self, AuditContext};
use crate::dialect::{DbConn, write_transaction};
use crate::error::{StoreError, StoreResult};
use crate::outbox::{self, NewEvent};
use crate::schema::{account_tokens, users};

/// The account an e-mail address belongs to, if any: (id, address confirmed, disabled).
fn account_of(conn: &mut DbConn, email: &str) -> StoreResult<Option<(UserId, bool, bool)>> {
    Ok(users::table
        .filter(users::email.eq(email))
        .select((users::id, users::email_verified_at.is_not_null(), users::disabled))
        .first(conn)
        .optional()?)
}

/// An e-mail about `user`'s account.
fn mail(conn: &mut DbConn, user: &UserId, event_type: EventType) -> StoreResult<()> {
    let event =
        NewEvent { event_type, resource_type: "user", resource_id: user.as_str(), payload: serde_json::json!({}) };
    outbox::enqueue_email(conn, &event, user)
}

/// What a registration did (the caller answers the same either way).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registration {
    /// A new volunteer account, waiting for its address to be confirmed.
    Created(UserId),
    /// The address has an account: its owner is told (or, if never confirmed, sent a new link).
    Existing(UserId),
}

/// Self-registration as a volunteer, in one transaction: a new account whose address is still to
/// be confirmed and the confirmation mail; or, for an address that has an account, a mail to its
/// owner saying so. Nothing in the answer tells the two apart.
pub fn register_volunteer(
    conn: &mut DbConn,
    email: &str,
    display_name: &str,
    password_hash: &str,
    ctx: &AuditContext,
) -> StoreResult<Registration> {
    write_transaction(conn, |conn| {
        if let Some(existing) = account_of(conn, email)? {
            return registered_again(conn, existing, ctx);
        }
        let roles = [RoleGrant::global(Role::Volunteer)];
        let new = NewUser { email, display_name, password_hash, roles: &roles };
        // `create_user` runs in a savepoint: if the same address was registered by a request
        // that committed meanwhile, its insert is undone and this one is a repeat.
        match super::users::create_user(conn, &new, None, ctx, "user.registered") {
            Ok(user) => {
                mail(conn, &user.id, EventType::AccountVerificationRequested)?;
                Ok(Registration::Created(user.id))
            }
            Err(StoreError::Identity(IdentityError::EmailTaken)) => match account_of(conn, email)? {
                Some(existing) => registered_again(conn, existing, ctx),
                None => Err(StoreError::Retry),
            },
            Err(e) => Err(e),
        }
    })
}

/// A registration for an address that has an account: its owner is told, or (never confirmed)
/// sent a new link; a disabled account is left alone.
fn registered_again(
    conn: &mut DbConn,
    (id, confirmed, disabled): (UserId, bool, bool),
    ctx: &AuditContext,
) -> StoreResult<Registration> {
    if !disabled {
        let event =
            if confirmed { EventType::AccountRegistrationRepeated } else { EventType::AccountVerificationRequested };
        mail(conn, &id, event)?;
    }
    audit::record_about_user(conn, ctx, "user.registration_repeated", &id, serde_json::json!({}))?;
    Ok(Registration::Existing(id))
}

/// Asks for a password reset mail to the account with this address, if there is an active one;
/// nothing happens otherwise, and the caller answers the same.
pub fn request_password_reset(conn: &mut DbConn, email: &str, ctx: &AuditContext) -> StoreResult<()> {
    write_transaction(conn, |conn| {
        let Some((id, _, false)) = account_of(conn, email)? else { return Ok(()) };
        mail(conn, &id, EventType::AccountPasswordResetRequested)?;
        audit::record_about_user(conn, ctx, "auth.password_reset_requested", &id, serde_json::json!({}))
    })
}

/// A new single-use token for `user`, made when its mail is sent; only its hash is stored.
pub fn issue_account_token(conn: &mut DbConn, user: &UserId, purpose: TokenPurpose) -> StoreResult<String> {
    let token = new_secret(match purpose {
        TokenPurpose::VerifyEmail => "ve_",
        TokenPurpose::ResetPassword => "pr_",
    });
    let now = crate::now();
    diesel::insert_into(account_tokens::table)
        .values((
            account_tokens::token_hash.eq(secret_hash(&token)),
            account_tokens::user_id.eq(user.as_str()),
            account_tokens::purpose.eq(purpose.as_str()),
            account_tokens::created_at.eq(now),
            account_tokens::expires_at.eq(now + purpose.lifetime()),
        ))
        .execute(conn)?;
    Ok(token)
}

/// Uses a token: the account it belongs to if the token is known, for `purpose`, unused, not
/// expired and its account active. Conditional, so of two uses at once only one succeeds. Every
/// other unused token of the account for the same purpose stops working too.
fn use_token(conn: &mut DbConn, token: &str, purpose: TokenPurpose) -> StoreResult<Option<UserId>> {
    if token.len() > 128 {
        return Ok(None);
    }
    let now = crate::now();
    let hash = secret_hash(token);
    let user: Option<UserId> = account_tokens::table
        .inner_join(users::table)
        .filter(account_tokens::token_hash.eq(&hash))
        .filter(account_tokens::purpose.eq(purpose.as_str()))
        .filter(account_tokens::expires_at.gt(now))
        .filter(users::disabled.eq(false))
        .select(account_tokens::user_id)
        .first(conn)
        .optional()?;
    let Some(user) = user else { return Ok(None) };
    let used = diesel::update(account_tokens::table.find(&hash).filter(account_tokens::used_at.is_null()))
        .set(account_tokens::used_at.eq(Some(now)))
        .execute(conn)?;
    if used == 0 {
        return Ok(None);
    }
    diesel::update(
        account_tokens::table
            .filter(account_tokens::user_id.eq(user.as_str()))
            .filter(account_tokens::purpose.eq(purpose.as_str()))
            .filter(account_tokens::used_at.is_null()),
    )
    .set(account_tokens::used_at.eq(Some(now)))
    .execute(conn)?;
    Ok(Some(user))
}

/// Confirms an account's address with the token from its confirmation mail. `false` if the token
/// does not work (unknown, used, expired).
pub fn verify_email(conn: &mut DbConn, token: &str, ctx: &AuditContext) -> StoreResult<bool> {
    write_transaction(conn, |conn| {
        let Some(user) = use_token(conn, token, TokenPurpose::VerifyEmail)? else { return Ok(false) };
        confirm_address(conn, &user)?;
        audit::record_about_user(conn, ctx, "user.email_verified", &user, serde_json::json!({}))?;
        Ok(true)
    })
}

fn confirm_address(conn: &mut DbConn, user: &UserId) -> StoreResult<()> {
    diesel::update(users::table.find(user.as_str()).filter(users::email_verified_at.is_null()))
        .set(users::email_verified_at.eq(Some(crate::now())))
        .execute(conn)?;
    Ok(())
}

/// Sets a new password with the token from a reset mail, in one transaction: the token and the
/// account's other reset links stop working, every session of the account ends, the address
/// counts as confirmed (the mail reached its owner), and the owner is told by mail. `false` if
/// the token does not work.
pub fn reset_password(conn: &mut DbConn, token: &str, password_hash: &str, ctx: &AuditContext) -> StoreResult<bool> {
    write_transaction(conn, |conn| {
        let Some(user) = use_token(conn, token, TokenPurpose::ResetPassword)? else { return Ok(false) };
        super::set_password_hash(conn, &user, password_hash)?;
        confirm_address(conn, &user)?;
        end_sessions(conn, &user)?;
        mail(conn, &user, EventType::AccountPasswordChanged)?;
        audit::record_about_user(conn, ctx, "auth.password_reset", &user, serde_json::json!({}))?;
        Ok(true)
    })
}

/// Replaces the password of a signed-in user who gave their current one, ending every session of
/// the account (other devices at once), and starts a new session for this one: returns its
/// refresh token. The owner is told by mail.
pub fn change_password(
    conn: &mut DbConn,
    user: &UserId,
    password_hash: &str,
    ctx: &AuditContext,
) -> StoreResult<String> {
    write_transaction(conn, |conn| {
        super::set_password_hash(conn, user, password_hash)?;
        end_sessions(conn, user)?;
        mail(conn, user, EventType::AccountPasswordChanged)?;
        audit::record_about_user(conn, ctx, "auth.password_changed", user, serde_json::json!({}))?;
        super::issue_refresh_token(conn, user, None)
    })
}

/// Ends every session of an account: refresh tokens are revoked, and access tokens issued before
/// this instant are refused (`user_access`), so no device stays signed in for the rest of its
/// access token's life.
fn end_sessions(conn: &mut DbConn, user: &UserId) -> StoreResult<()> {
    super::revoke_all_refresh_tokens(conn, user)?;
    // Milliseconds, as a token's issue time is (its time-ordered id).
    let now = crate::now();
    let cut = now.duration_trunc(TimeDelta::milliseconds(1)).unwrap_or(now);
    diesel::update(users::table.find(user.as_str())).set(users::sessions_valid_after.eq(Some(cut))).execute(conn)?;
    Ok(())
}

/// Who an account mail goes to: the address and name when it is sent (so the outbox holds no
/// address), whether the address is confirmed; `None` for an account that is gone or disabled.
#[derive(Debug, Clone)]
pub struct MailRecipient {
    pub email: String,
    pub display_name: String,
    pub confirmed: bool,
}

pub fn mail_recipient(conn: &mut DbConn, user: &UserId) -> StoreResult<Option<MailRecipient>> {
    let row: Option<(String, String, Option<NaiveDateTime>)> = users::table
        .find(user.as_str())
        .filter(users::disabled.eq(false))
        .select((users::email, users::display_name, users::email_verified_at))
        .first(conn)
        .optional()?;
    Ok(row.map(|(email, display_name, verified)| MailRecipient { email, display_name, confirmed: verified.is_some() }))
}
