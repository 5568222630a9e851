//! `POST /auth/token` (OAuth 2.0 shape), `POST /auth/register`, `GET /me`.

use actix_web::http::header::{self, ContentType};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use sammen_domain::ValidationErrors;
use sammen_domain::identity::{self as rules, Role, RoleGrant};
use sammen_store::identity as store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::jwt::{ACCESS_TOKEN_TTL, SubjectKind};
use super::{Caller, UserResponse};
use crate::platform::idempotency::{IdempotencyKey, idempotent};
use crate::platform::precondition::etag;
use crate::problem::ApiError;
use crate::state::AppState;

/// A token request (RFC 6749 §4.3 and §4.4), form-encoded or JSON.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// `password` (users).
    #[schema(example = "password")]
    pub grant_type: String,
    /// For `password`: the e-mail address.
    pub username: Option<String>,
    /// For `password`: the password.
    pub password: Option<String>,
    /// Optional; ignored for users (their roles decide).
    pub scope: Option<String>,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

/// An OAuth 2.0 error (RFC 6749 §5.2) inside a problem document: `error` and
/// `error_description` are added as extension members.
fn oauth_error(status: u16, error: &str, description: &str) -> HttpResponse {
    let problem = serde_json::json!({
        "type": format!("https://sammen.dk/problems/oauth-{}", error.replace('_', "-")),
        "title": actix_web::http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("Error"),
        "status": status,
        "detail": description,
        "error": error,
        "error_description": description,
    });
    let mut response = HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap_or_default());
    if status == 401 {
        response.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"sammen\""));
    }
    response.content_type(crate::problem::PROBLEM_JSON).body(problem.to_string())
}

fn parse_token_request(req: &HttpRequest, body: &[u8]) -> Result<TokenRequest, ApiError> {
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mime = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match mime.as_str() {
        "application/x-www-form-urlencoded" => serde_urlencoded::from_bytes(body)
            .map_err(|e| ApiError::BadRequest(format!("the form body is not valid: {e}"))),
        "application/json" => serde_json::from_slice(body)
            .map_err(|e| ApiError::BadRequest(format!("the request body is not valid: {e}"))),
        _ => Err(ApiError::UnsupportedMediaType(
            "send the token request as application/x-www-form-urlencoded or application/json".into(),
        )),
    }
}

/// Issue an access token.
///
/// Grant `password`: `username` (e-mail) and `password`. An unknown account and a wrong
/// password get the same answer. Errors carry the OAuth 2.0 `error` member (`invalid_request`,
/// `invalid_grant`, `unsupported_grant_type`) inside a problem document.
#[utoipa::path(
    tag = "identity",
    request_body(content(
        (TokenRequest = "application/x-www-form-urlencoded"),
        (TokenRequest = "application/json"),
    )),
    responses(
        (status = 200, description = "Tokens issued", body = TokenResponse),
        (status = 400, description = "`invalid_request`, `invalid_grant` (wrong credentials) or `unsupported_grant_type`",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/auth/token")]
pub async fn token(state: web::Data<AppState>, req: HttpRequest, body: web::Bytes) -> Result<HttpResponse, ApiError> {
    let request = parse_token_request(&req, &body)?;
    match request.grant_type.as_str() {
        "password" => password_grant(&state, request).await,
        "" => Ok(oauth_error(400, "invalid_request", "grant_type is required")),
        _ => Ok(oauth_error(400, "unsupported_grant_type", "supported grant types: password")),
    }
}

async fn password_grant(state: &AppState, request: TokenRequest) -> Result<HttpResponse, ApiError> {
    let (Some(username), Some(password)) = (request.username, request.password) else {
        return Ok(oauth_error(400, "invalid_request", "username and password are required"));
    };
    let invalid = || oauth_error(400, "invalid_grant", "the e-mail address or password is wrong");
    // Over-long input is refused before any hashing; same answer as a wrong password.
    if password.chars().count() > rules::PASSWORD_MAX_CHARS || username.len() > 320 {
        return Ok(invalid());
    }
    let email = username.trim().to_lowercase();
    let record = state.db(move |conn| store::find_login(conn, &email)).await?;
    let stored = record.as_ref().filter(|r| !r.disabled).and_then(|r| r.password_hash.clone());
    let verified = state.passwords.verify(password.clone(), stored).await?;
    let Some(record) = record.filter(|_| verified.ok) else {
        return Ok(invalid());
    };
    if verified.needs_rehash {
        let hash = state.passwords.hash(password).await?;
        let id = record.id.clone();
        state.db(move |conn| store::set_password_hash(conn, &id, &hash)).await?;
    }
    let id = record.id.clone();
    let user = state.db(move |conn| store::find_user(conn, &id)).await?;
    let claims = state.jwt.claims(&user.id, SubjectKind::User, user.roles, String::new());
    Ok(HttpResponse::Ok().json(TokenResponse {
        access_token: state.jwt.sign(&claims),
        token_type: "Bearer".into(),
        expires_in: ACCESS_TOKEN_TTL,
        scope: None,
    }))
}

/// A self-registration: anyone may create a volunteer account.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    #[schema(example = "karen@example.dk", max_length = 254)]
    pub email: String,
    #[schema(example = "Karen Jensen", min_length = 1, max_length = 200)]
    pub display_name: String,
    /// 10–128 characters, used exactly as given.
    #[schema(min_length = 10, max_length = 128, format = Password)]
    pub password: String,
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

/// Creates the account and answers 201 with Location and ETag; a taken e-mail is a 409.
pub(crate) async fn create_account(
    state: &AppState,
    input: AccountInput,
    password: String,
    roles: Vec<RoleGrant>,
) -> Result<HttpResponse, ApiError> {
    let hash = state.passwords.hash(password).await?;
    let user = state
        .db(move |conn| {
            store::insert_user(
                conn,
                &store::NewUser {
                    email: &input.email,
                    display_name: &input.display_name,
                    password_hash: &hash,
                    roles: &roles,
                },
            )
        })
        .await
        .map_err(|e| match e {
            ApiError::Conflict(_) => ApiError::Conflict("an account with this e-mail address already exists".into()),
            e => e,
        })?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/users/{}", user.id)))
        .insert_header((header::ETAG, etag(user.version)))
        .insert_header(ContentType::json())
        .json(UserResponse::from(user)))
}

/// Register as a volunteer.
///
/// Creates an account with the `volunteer` role and nothing more; any other field (such as
/// `roles`) is refused. Accepts `Idempotency-Key`.
#[utoipa::path(
    tag = "identity",
    request_body = RegisterRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe: the first response is replayed for 24 hours")),
    responses(
        (status = 201, description = "The account was created", body = UserResponse,
            headers(("Location" = String, description = "The new user"), ("ETag" = String, description = "The version"))),
        (status = 409, description = "An account with this e-mail already exists", body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/auth/register")]
pub async fn register(
    state: web::Data<AppState>,
    req: HttpRequest,
    key: IdempotencyKey,
    body: web::Json<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let input = check_account(&body.email, &body.display_name, &body.password, ValidationErrors::new())?;
    idempotent(&state, &req, "anonymous", key, &body, || {
        create_account(&state, input, body.password.clone(), vec![RoleGrant::global(Role::Volunteer)])
    })
    .await
}

/// The caller's own account.
#[utoipa::path(
    tag = "identity",
    responses((status = 200, description = "The caller's account", body = UserResponse, headers(("ETag" = String)))),
    security(("bearer_auth" = []))
)]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    if caller.kind != SubjectKind::User {
        return Err(ApiError::Forbidden("API clients have no user account".into()));
    }
    let id = caller.subject.clone();
    let user = state.db(move |conn| store::find_user(conn, &id)).await?;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, etag(user.version))).json(UserResponse::from(user)))
}
