//! Tokens (`POST /auth/token`, `POST /auth/revoke`), and the account fields registration and
//! user creation share.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, post, web};
use base64::Engine;
use sammen_domain::ValidationErrors;
use sammen_domain::identity::{self as rules, ADDRESS_THROTTLE, LOGIN_THROTTLE, RoleGrant};
use sammen_domain::ids::ApiClientId;
use sammen_store::StoreError;
use sammen_store::audit::{self, AuditContext};
use sammen_store::identity::{self as store, Rotation};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::UserResponse;
use super::jwt::{ACCESS_TOKEN_TTL, SubjectKind};
use crate::platform::command::{Answer, Idempotency, command};
use crate::platform::middleware::request_id;
use crate::problem::{ApiError, PROBLEM_JSON, Problem};
use crate::state::AppState;

/// A token request (RFC 6749 §4.3, §4.4, §6), form-encoded or JSON.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    #[schema(example = "password", schema_with = grant_types)]
    pub grant_type: String,
    /// `password`: the e-mail address.
    pub username: Option<String>,
    /// `password`: the password.
    pub password: Option<String>,
    /// `refresh_token`: the refresh token from an earlier response.
    pub refresh_token: Option<String>,
    /// `client_credentials`: the client's id (or send it with the secret as HTTP Basic auth).
    pub client_id: Option<String>,
    /// `client_credentials`: the client's secret.
    pub client_secret: Option<String>,
    /// `client_credentials`: the scopes wanted, space-separated (default: all the client holds).
    pub scope: Option<String>,
}

fn grant_types() -> utoipa::openapi::schema::ObjectBuilder {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(["password", "refresh_token", "client_credentials"]))
        .description(Some("The grant: `password`, `refresh_token` or `client_credentials`."))
}

/// A token response (RFC 6749 §5.1).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// A JWT to send as `Authorization: Bearer ...`.
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: i64,
    /// For users: exchange it at this endpoint (`grant_type=refresh_token`) for new tokens. Each
    /// refresh token works once; using one twice ends the session.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// For API clients: the scopes granted, space-separated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

/// An OAuth 2.0 error (RFC 6749 §5.2) as a problem document with `error` and
/// `error_description` extension members.
fn oauth_error(status: StatusCode, error: &str, description: &str) -> HttpResponse {
    let problem = serde_json::json!({
        "type": format!("https://sammen.dk/problems/oauth-{}", error.replace('_', "-")),
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": description,
        "error": error,
        "error_description": description,
    });
    let mut response = HttpResponse::build(status);
    if status == StatusCode::UNAUTHORIZED {
        response.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"sammen\""));
    }
    response.content_type(PROBLEM_JSON).body(problem.to_string())
}

fn invalid_grant(description: &str) -> HttpResponse {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", description)
}

fn invalid_request(description: &str) -> HttpResponse {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_request", description)
}

/// Parses an RFC 6749 request body, which may be form-encoded or JSON.
fn parse_body<T: serde::de::DeserializeOwned>(req: &HttpRequest, body: &[u8]) -> Result<T, ApiError> {
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mime = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match mime.as_str() {
        "application/x-www-form-urlencoded" => serde_urlencoded::from_bytes(body)
            .map_err(|e| ApiError::BadRequest(format!("the form body is not valid: {e}"))),
        "application/json" => serde_json::from_slice(body)
            .map_err(|e| ApiError::BadRequest(format!("the request body is not valid: {e}"))),
        _ => Err(ApiError::UnsupportedMediaType(
            "send the request as application/x-www-form-urlencoded or application/json".into(),
        )),
    }
}

/// The client's address for throttling: the TCP peer, or the address a trusted reverse proxy
/// reports (`SAMMEN_TRUST_PROXY`), as throttling names a client (`rules::client_key`: an IPv6
/// client by its /64).
pub fn client_address(req: &HttpRequest, trust_proxy: bool) -> String {
    let info = req.connection_info();
    let address = if trust_proxy { info.realip_remote_addr() } else { info.peer_addr() };
    rules::client_key(address.unwrap_or("unknown"))
}

pub(crate) fn access_token_response(
    state: &AppState,
    claims: &super::jwt::Claims,
    refresh: Option<String>,
) -> HttpResponse {
    HttpResponse::Ok().json(TokenResponse {
        access_token: state.jwt.sign(claims),
        token_type: "Bearer".into(),
        expires_in: ACCESS_TOKEN_TTL,
        refresh_token: refresh,
        scope: (!claims.scope.is_empty()).then(|| claims.scope.clone()),
    })
}

/// Issue tokens.
///
/// Grants (RFC 6749): `password` (`username` = e-mail, `password`) gives an access token and a
/// refresh token; `refresh_token` exchanges a refresh token for new ones (each works once; a
/// reused one ends that session everywhere); `client_credentials` (`client_id` and
/// `client_secret` in the body or as HTTP Basic auth, optional `scope`) gives an API client an
/// access token with its scopes. An unknown account and a wrong password get the same answer.
/// Failed logins are throttled per account and client address, with delays that grow (429 with
/// `Retry-After`): after five failures for one account from one address, that address waits
/// 1, 2, 4 … seconds (at most 15 minutes) before each further try for the account, and
/// another address is not held up by it; while an account has ten failures within an hour,
/// from anywhere, each address gets one try before its delays start. 30 failed logins or
/// client authentications from one address within 15 minutes wait for the window's end.
/// Errors carry the OAuth 2.0 `error` member (`invalid_request`, `invalid_grant`,
/// `invalid_client`, `invalid_scope`, `unsupported_grant_type`).
#[utoipa::path(
    tag = "identity",
    request_body(content(
        (TokenRequest = "application/x-www-form-urlencoded"),
        (TokenRequest = "application/json"),
    )),
    responses(
        (status = 200, description = "Tokens issued", body = TokenResponse),
        (status = 400, description = "`invalid_request`, `invalid_grant`, `invalid_scope` or `unsupported_grant_type`",
            body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`invalid_client`: unknown or disabled client, or a wrong secret",
            body = Problem, content_type = "application/problem+json",
            headers(("WWW-Authenticate" = String))),
        (status = 429, description = "Too many failed logins for this account from this address, or from this address",
            body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ),
    security(())
)]
#[post("/auth/token")]
pub async fn token(state: web::Data<AppState>, req: HttpRequest, body: web::Bytes) -> Result<HttpResponse, ApiError> {
    let request: TokenRequest = parse_body(&req, &body)?;
    match request.grant_type.as_str() {
        "password" => password_grant(&state, &req, request).await,
        "refresh_token" => refresh_grant(&state, &req, request).await,
        "client_credentials" => client_grant(&state, &req, request).await,
        "" => Ok(invalid_request("grant_type is required")),
        _ => Ok(oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "supported grant types: password, refresh_token, client_credentials",
        )),
    }
}

async fn password_grant(state: &AppState, req: &HttpRequest, request: TokenRequest) -> Result<HttpResponse, ApiError> {
    let (Some(username), Some(password)) = (request.username, request.password) else {
        return Ok(invalid_request("username and password are required"));
    };
    let wrong = || invalid_grant("the e-mail address or password is wrong");
    let email = username.trim().to_lowercase();
    let buckets = store::LoginBuckets::new(&email, &client_address(req, state.config.trust_proxy));
    let ctx = AuditContext::new(ANONYMOUS, request_id(req));
    // Over-long input is refused before any hashing, with the same answer as a wrong password.
    let too_long = password.chars().count() > rules::PASSWORD_MAX_CHARS || username.len() > 320;
    // The attempt counts as a failure from before the password is checked until it succeeds.
    let claimed = buckets.clone();
    let (throttled, record) = state
        .db(move |conn| {
            let throttled = store::claim_login_attempt(conn, &claimed, &LOGIN_THROTTLE)?;
            let record = if throttled.is_some() || too_long { None } else { store::find_login(conn, &email)? };
            Ok::<_, StoreError>((throttled, record))
        })
        .await?;
    if let Some(retry_after) = throttled {
        return Err(ApiError::TooManyRequests { retry_after });
    }
    // The password is verified between the two database calls: hashing holds no transaction.
    let stored = record.as_ref().filter(|r| !r.disabled).and_then(|r| r.password_hash.clone());
    let verified = if too_long { Default::default() } else { state.passwords.verify(password.clone(), stored).await? };

    let known_id = record.as_ref().map(|r| r.id.clone());
    let Some(record) = record.filter(|_| verified.ok) else {
        let reason = match (&known_id, too_long) {
            (_, true) => "too_long",
            (None, _) => "unknown_account",
            (Some(_), _) => "wrong_password_or_disabled",
        };
        state.db(move |conn| store::record_login_failure(conn, known_id.as_ref(), reason, &ctx)).await?;
        return Ok(wrong());
    };
    if !record.email_confirmed {
        // Said only to someone who knows the password, so it reveals nothing to others.
        return Ok(invalid_grant(
            "confirm your e-mail address first: follow the link in the mail we sent (registering again sends a new one)",
        ));
    }
    let rehashed = if verified.needs_rehash { Some(state.passwords.hash(password).await?) } else { None };
    let ctx = AuditContext::new(format!("user:{}", record.id), request_id(req));
    let (user, refresh) = state
        .db(move |conn| {
            sammen_store::write_transaction(conn, |conn| {
                if let Some(hash) = &rehashed {
                    store::set_password_hash(conn, &record.id, hash)?;
                }
                store::complete_login(conn, &record.id, &buckets, &ctx)
            })
        })
        .await?;
    let claims = state.jwt.claims(user.id.as_str(), SubjectKind::User, user.roles, String::new());
    Ok(access_token_response(state, &claims, Some(refresh)))
}

async fn refresh_grant(state: &AppState, req: &HttpRequest, request: TokenRequest) -> Result<HttpResponse, ApiError> {
    let Some(presented) = request.refresh_token.filter(|t| !t.is_empty()) else {
        return Ok(invalid_request("refresh_token is required"));
    };
    if presented.len() > 256 {
        return Ok(invalid_grant("the refresh token is not valid or has expired"));
    }
    let ctx = AuditContext::new(ANONYMOUS, request_id(req));
    let rotated = state
        .db(move |conn| match store::rotate_refresh_token(conn, &presented, &ctx)? {
            Rotation::Rotated { user_id, token: successor } => Ok(Ok((store::find_user(conn, &user_id)?, successor))),
            refused => Ok::<_, StoreError>(Err(refused)),
        })
        .await?;
    let (user, refresh) = match rotated {
        Ok(rotated) => rotated,
        Err(Rotation::Replayed) => {
            return Ok(invalid_grant("this refresh token was already used; the session has been ended"));
        }
        Err(_) => return Ok(invalid_grant("the refresh token is not valid or has expired")),
    };
    let claims = state.jwt.claims(user.id.as_str(), SubjectKind::User, user.roles, String::new());
    Ok(access_token_response(state, &claims, Some(refresh)))
}

/// The client id and secret from HTTP Basic auth (RFC 6749 §2.3.1) or the body.
fn client_credentials(req: &HttpRequest, request: &TokenRequest) -> Option<(String, String)> {
    let basic = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic ").or_else(|| v.strip_prefix("basic ")))
        .and_then(|b64| base64::engine::general_purpose::STANDARD.decode(b64.trim()).ok())
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|pair| pair.split_once(':').map(|(id, secret)| (id.to_owned(), secret.to_owned())));
    basic.or_else(|| Some((request.client_id.clone()?, request.client_secret.clone()?)))
}

async fn client_grant(state: &AppState, req: &HttpRequest, request: TokenRequest) -> Result<HttpResponse, ApiError> {
    let Some((id, secret)) = client_credentials(req, &request) else {
        return Ok(oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "client authentication is required"));
    };
    let bucket = store::LoginBuckets::address(&client_address(req, state.config.trust_proxy));
    let wanted = request.scope.clone();
    let ctx = AuditContext::new(format!("client:{id}"), request_id(req));
    // One transaction: the throttle, the secret, a failure's count or the grant's audit event.
    let grant = state
        .db(move |conn| {
            sammen_store::write_transaction(conn, |conn| {
                let throttle = [(bucket.as_str(), ADDRESS_THROTTLE)];
                if let Some(retry_after) = store::throttle_check(conn, &throttle)? {
                    return Ok(ClientGrant::Throttled(retry_after));
                }
                let client = if id.len() > 64 || secret.len() > 256 {
                    None
                } else {
                    store::authenticate_client(conn, &ApiClientId::from_stored(id), &secret)?
                };
                let Some(client) = client else {
                    store::throttle_fail(conn, &throttle)?;
                    return Ok(ClientGrant::Refused);
                };
                let held: Vec<String> = client.scopes.iter().map(|s| s.to_string()).collect();
                let scopes: Vec<String> = match wanted.as_deref().map(str::split_whitespace) {
                    None => held.clone(),
                    Some(wanted) => wanted.map(str::to_owned).collect(),
                };
                if let Some(extra) = scopes.iter().find(|s| !held.contains(s)) {
                    return Ok(ClientGrant::ScopeNotHeld(extra.clone()));
                }
                let entry = audit::AuditEntry {
                    action: "auth.client_token_issued",
                    target_type: "api_client",
                    target_id: client.id.as_str(),
                    subject_user_id: None,
                    details: serde_json::json!({ "scopes": scopes }),
                };
                audit::record(conn, &ctx, entry)?;
                Ok::<_, StoreError>(ClientGrant::Granted(client.id, scopes))
            })
        })
        .await?;
    match grant {
        ClientGrant::Throttled(retry_after) => Err(ApiError::TooManyRequests { retry_after }),
        ClientGrant::Refused => {
            Ok(oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "the client id or secret is wrong"))
        }
        ClientGrant::ScopeNotHeld(extra) => Ok(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            &format!("the client does not hold the scope `{extra}`"),
        )),
        ClientGrant::Granted(client, scopes) => {
            let claims = state.jwt.claims(client.as_str(), SubjectKind::Client, Vec::new(), scopes.join(" "));
            Ok(access_token_response(state, &claims, None))
        }
    }
}

/// What a client-credentials grant came to.
enum ClientGrant {
    Throttled(u64),
    Refused,
    ScopeNotHeld(String),
    Granted(ApiClientId, Vec<String>),
}

/// A revocation request (RFC 7009).
#[derive(Debug, Deserialize, ToSchema)]
pub struct RevokeRequest {
    /// The refresh token to revoke.
    #[schema(min_length = 1, max_length = 8192)]
    pub token: String,
    /// `refresh_token` or `access_token` (a hint only).
    pub token_type_hint: Option<String>,
}

/// Revoke a refresh token.
///
/// Ends the session the refresh token belongs to (its whole family). Answers 200 whether or not
/// the token was known (RFC 7009 §2.2), so it reveals nothing. Access tokens are not revoked
/// individually: they expire within 15 minutes, and disabling a user ends their access at once.
#[utoipa::path(
    tag = "identity",
    request_body(content(
        (RevokeRequest = "application/x-www-form-urlencoded"),
        (RevokeRequest = "application/json"),
    )),
    responses((status = 200, description = "Revoked, or there was nothing to revoke")),
    security(())
)]
#[post("/auth/revoke")]
pub async fn revoke(state: web::Data<AppState>, req: HttpRequest, body: web::Bytes) -> Result<HttpResponse, ApiError> {
    let request: RevokeRequest = parse_body(&req, &body)?;
    if request.token.is_empty() || request.token.len() > 8192 {
        return Ok(invalid_request("token is required"));
    }
    let ctx = AuditContext::new(ANONYMOUS, request_id(&req));
    state.db(move |conn| store::revoke_refresh_token(conn, &request.token, &ctx)).await?;
    Ok(HttpResponse::Ok().finish())
}

/// Validated account fields shared by registration and user creation.
pub(crate) struct AccountInput {
    pub email: String,
    pub display_name: String,
}

/// Checks the account fields, adding to `errors` found earlier, and fails if any were found.
pub(crate) fn check_account(
    email: &str,
    display_name: &str,
    password: &str,
    mut errors: ValidationErrors,
) -> Result<AccountInput, ValidationErrors> {
    let email = rules::normalise_email("email", email).map_err(|e| errors.push(e)).unwrap_or_default();
    errors.check(sammen_domain::validation::text_length("display_name", display_name, 1, 200));
    errors.check(rules::check_password("password", password));
    errors.into_result()?;
    Ok(AccountInput { email, display_name: display_name.trim().to_owned() })
}

/// Creates the account and answers 201 with Location and ETag; a taken e-mail is a 409. The
/// password is hashed first, outside the transaction.
pub(crate) async fn create_account(
    state: &AppState,
    idempotency: Option<Idempotency>,
    input: AccountInput,
    password: String,
    roles: Vec<RoleGrant>,
    ctx: AuditContext,
    action: &'static str,
) -> Result<HttpResponse, ApiError> {
    let hash = state.passwords.hash(password).await?;
    command(state, idempotency, move |conn| {
        let new = store::NewUser {
            email: &input.email,
            display_name: &input.display_name,
            password_hash: &hash,
            roles: &roles,
        };
        let user = store::insert_user(conn, &new, &ctx, action)?;
        let (location, version) = (format!("/api/v1/users/{}", user.id), user.version);
        Ok(Answer::created(location, &UserResponse::from(user))?.tagged(version))
    })
    .await
}

/// Who acts without a token, in the audit log and as the owner of idempotency keys.
pub(crate) const ANONYMOUS: &str = "anonymous";
