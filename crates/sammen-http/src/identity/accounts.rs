//! Accounts people run themselves: registering (with a confirmed address), confirming the
//! address, resetting a forgotten password by e-mail, changing the password. Registration and
//! reset answer alike whether or not the address has an account; the e-mail tells the owner.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};
use sammen_domain::identity::{
    self as rules, ACCOUNT_MAIL_ADDRESS_THROTTLE, ACCOUNT_MAIL_RECIPIENT_THROTTLE, PASSWORD_CHANGE_THROTTLE, Throttle,
    policy,
};
use sammen_domain::text::Line;
use sammen_domain::{FieldError, ValidationErrors};
use sammen_store::StoreError;
use sammen_store::audit::AuditContext;
use sammen_store::identity as store;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::Caller;
use super::auth::{ANONYMOUS, TokenResponse, access_token_response, check_account, client_address};
use super::jwt::SubjectKind;
use crate::platform::command::{Answer, Idempotency, command};
use crate::platform::extract::Body;
use crate::platform::idempotency::IdempotencyKey;
use crate::platform::middleware::request_id;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;

/// A self-registration: anyone may ask for a volunteer account.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    #[schema(example = "karen@example.dk", format = Email, min_length = 3, max_length = 254)]
    pub email: String,
    #[schema(value_type = String, example = "Karen Jensen", min_length = 1, max_length = 200, pattern = r"\S")]
    pub display_name: Line,
    /// 10–128 characters, used exactly as given.
    #[schema(min_length = 10, max_length = 128, format = Password)]
    pub password: String,
}

/// The answer to a request whose outcome arrives by e-mail.
#[derive(Debug, Serialize, ToSchema)]
pub struct Accepted {
    /// What happens next, for the person.
    #[schema(example = "If the address can be used, a message has been sent to it. Follow the link in it.")]
    pub detail: String,
}

fn accepted(detail: &str) -> Result<Answer, ApiError> {
    Answer::with_status(StatusCode::ACCEPTED, &Accepted { detail: detail.into() })
}

/// Counts a request that sends mail against its client address and the address it mails, and
/// refuses it (429) when either has used up its allowance: no one floods an inbox, and no one
/// address probes many. The same for every address, so it tells nothing about accounts.
async fn count_mail_request(state: &AppState, req: &HttpRequest, kind: &str, email: &str) -> Result<(), ApiError> {
    let client = format!("{kind}:address:{}", client_address(req, state.config.trust_proxy));
    let recipient = format!("{kind}:recipient:{:x}", Sha256::digest(email.as_bytes()));
    count_attempt(state, [(client, ACCOUNT_MAIL_ADDRESS_THROTTLE), (recipient, ACCOUNT_MAIL_RECIPIENT_THROTTLE)]).await
}

/// Refuses (429) if a bucket is used up, else counts this attempt in each.
async fn count_attempt<const N: usize>(state: &AppState, buckets: [(String, Throttle); N]) -> Result<(), ApiError> {
    let throttled = state
        .db(move |conn| {
            let buckets: Vec<(&str, Throttle)> = buckets.iter().map(|(b, t)| (b.as_str(), *t)).collect();
            if let Some(retry_after) = store::throttle_check(conn, &buckets)? {
                return Ok::<_, StoreError>(Some(retry_after));
            }
            store::throttle_fail(conn, &buckets)?;
            Ok(None)
        })
        .await?;
    match throttled {
        Some(retry_after) => Err(ApiError::TooManyRequests { retry_after }),
        None => Ok(()),
    }
}

/// Register as a volunteer.
///
/// Always 202 for a valid request, whether or not the address has an account, so the answer
/// reveals nothing about who has one. A new address gets a confirmation mail; the account logs
/// in once its address is confirmed (`POST /auth/verify-email`). An address that has an account
/// gets a mail telling its owner (with a new confirmation link if it was never confirmed).
/// Throttled per client address and per e-mail address (429). Accepts `Idempotency-Key`.
#[utoipa::path(
    tag = "identity",
    request_body = RegisterRequest,
    params(IdempotencyKey),
    responses(
        (status = 202, description = "A mail is on its way if the address can be used", body = Accepted),
        (status = 429, description = "Too many registrations from this client or for this address",
            body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ),
    security(())
)]
#[post("/auth/register")]
pub async fn register(
    state: web::Data<AppState>,
    req: HttpRequest,
    key: IdempotencyKey,
    body: Body<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let input = check_account(&body.email, &body.display_name, &body.password, ValidationErrors::new())?;
    let idempotency = Idempotency::of(&req, ANONYMOUS.to_owned(), key, &body)?;
    count_mail_request(&state, &req, "register", &input.email).await?;
    // Hashed whether or not the address is taken, so both take the same time.
    let hash = state.passwords.hash(body.password).await?;
    let ctx = AuditContext::new(ANONYMOUS, request_id(&req));
    command(&state, idempotency, move |conn| {
        store::register_volunteer(conn, &input.email, &input.display_name, &hash, &ctx)?;
        accepted("If the address can be used, a message has been sent to it. Follow the link in it to confirm it.")
    })
    .await
}

/// A token from an account mail's link (the part after `#token=`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyEmailRequest {
    #[schema(example = "ve_3f1c…", min_length = 1, max_length = 128)]
    pub token: String,
}

fn token_refused() -> ApiError {
    let mut errors = ValidationErrors::new();
    errors.push(FieldError::new(
        "token",
        "invalid_token",
        "the link is not valid, was already used, or has expired: ask for a new one",
    ));
    ApiError::Validation(errors)
}

/// Confirm an e-mail address.
///
/// With the token from the confirmation mail's link. The token works once and for 72 hours;
/// afterwards the account can log in. A token that does not work (unknown, used, expired) is a
/// 422 on `token`.
#[utoipa::path(
    tag = "identity",
    request_body = VerifyEmailRequest,
    responses(
        (status = 204, description = "The address is confirmed"),
        (status = 422, description = "The token does not work", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/auth/verify-email")]
pub async fn verify_email(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Body<VerifyEmailRequest>,
) -> Result<HttpResponse, ApiError> {
    let token = body.into_inner().token;
    let ctx = AuditContext::new(ANONYMOUS, request_id(&req));
    let verified = state.db(move |conn| store::verify_email(conn, &token, &ctx)).await?;
    if !verified {
        return Err(token_refused());
    }
    Ok(HttpResponse::NoContent().finish())
}

/// A request for a password reset mail.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    #[schema(example = "karen@example.dk", format = Email, min_length = 3, max_length = 254)]
    pub email: String,
}

/// Ask for a password reset mail.
///
/// Always 202 for a valid address, whether or not it has an account: if it has an active one,
/// its owner gets a link that works once, for 30 minutes. Throttled per client address and per
/// e-mail address (429).
#[utoipa::path(
    tag = "identity",
    request_body = PasswordResetRequest,
    responses(
        (status = 202, description = "A mail is on its way if the address has an account", body = Accepted),
        (status = 429, description = "Too many requests from this client or for this address",
            body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ),
    security(())
)]
#[post("/auth/password-reset")]
pub async fn request_password_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Body<PasswordResetRequest>,
) -> Result<HttpResponse, ApiError> {
    let email = rules::normalise_email("email", &body.into_inner().email).map_err(ValidationErrors::from)?;
    count_mail_request(&state, &req, "reset", &email).await?;
    let ctx = AuditContext::new(ANONYMOUS, request_id(&req));
    command(&state, None, move |conn| {
        store::request_password_reset(conn, &email, &ctx)?;
        accepted("If the address has an account, a message with a link to choose a new password has been sent to it.")
    })
    .await
}

/// A new password, with the token from the reset mail's link.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompletePasswordReset {
    #[schema(example = "pr_3f1c…", min_length = 1, max_length = 128)]
    pub token: String,
    /// 10–128 characters, used exactly as given.
    #[schema(min_length = 10, max_length = 128, format = Password)]
    pub password: String,
}

/// Choose a new password.
///
/// With the token from the reset mail's link (it works once, for 30 minutes). Every session of
/// the account ends, on every device; the address counts as confirmed; the owner gets a mail
/// saying the password was changed. A token that does not work is a 422 on `token`.
#[utoipa::path(
    tag = "identity",
    request_body = CompletePasswordReset,
    responses(
        (status = 204, description = "The password is changed; log in with it"),
        (status = 422, description = "The token does not work, or the password is not acceptable",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/auth/password-reset/complete")]
pub async fn complete_password_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Body<CompletePasswordReset>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    rules::check_password("password", &body.password).map_err(ValidationErrors::from)?;
    let hash = state.passwords.hash(body.password).await?;
    let ctx = AuditContext::new(ANONYMOUS, request_id(&req));
    let token = body.token;
    let reset = state.db(move |conn| store::reset_password(conn, &token, &hash, &ctx)).await?;
    if !reset {
        return Err(token_refused());
    }
    Ok(HttpResponse::NoContent().finish())
}

/// A password change by the signed-in owner.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    #[schema(min_length = 1, max_length = 128, format = Password)]
    pub current_password: String,
    /// 10–128 characters, used exactly as given.
    #[schema(min_length = 10, max_length = 128, format = Password)]
    pub new_password: String,
}

/// Change the caller's password.
///
/// With the current password. Ends every session of the account, on every device (their access
/// tokens stop working at once), and answers with new tokens for this one. The owner gets a mail
/// saying the password was changed. A wrong current password is a 422 on `current_password`;
/// five within 15 minutes are a 429.
#[utoipa::path(
    tag = "identity",
    request_body = ChangePassword,
    responses(
        (status = 200, description = "Changed: the tokens of this session", body = TokenResponse),
        (status = 422, description = "The current password is wrong, or the new one is not acceptable",
            body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong current passwords",
            body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ),
    security(("bearer_auth" = []))
)]
#[post("/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    caller: Caller,
    body: Body<ChangePassword>,
) -> Result<HttpResponse, ApiError> {
    let user = policy::own_account(&caller)?.clone();
    let body = body.into_inner();
    let mut errors = ValidationErrors::new();
    errors.check(rules::check_password("new_password", &body.new_password));
    if body.current_password.chars().count() > rules::PASSWORD_MAX_CHARS {
        errors.push(FieldError::new("current_password", "wrong_password", "is not your current password"));
    }
    errors.into_result()?;
    let bucket = format!("password_change:{user}");
    let (lookup, check) = (user.clone(), bucket.clone());
    let stored = state
        .db(move |conn| {
            if let Some(retry_after) = store::throttle_check(conn, &[(check.as_str(), PASSWORD_CHANGE_THROTTLE)])? {
                return Ok::<_, StoreError>(Err(retry_after));
            }
            Ok(Ok(store::password_hash_of(conn, &lookup)?))
        })
        .await?
        .map_err(|retry_after| ApiError::TooManyRequests { retry_after })?;
    let verified = state.passwords.verify(body.current_password, stored).await?;
    if !verified.ok {
        state.db(move |conn| store::throttle_fail(conn, &[(bucket.as_str(), PASSWORD_CHANGE_THROTTLE)])).await?;
        let mut errors = ValidationErrors::new();
        errors.push(FieldError::new("current_password", "wrong_password", "is not your current password"));
        return Err(errors.into());
    }
    let hash = state.passwords.hash(body.new_password).await?;
    let (ctx, id) = (caller.audit(), user.clone());
    let (refresh, account) = state
        .db(move |conn| {
            sammen_store::write_transaction(conn, |conn| {
                let refresh = store::change_password(conn, &id, &hash, &ctx)?;
                store::throttle_reset(conn, &bucket)?;
                Ok::<_, StoreError>((refresh, store::find_user(conn, &id)?))
            })
        })
        .await?;
    let claims = state.jwt.claims(user.as_str(), SubjectKind::User, account.roles, String::new());
    Ok(access_token_response(&state, &claims, Some(refresh)))
}
