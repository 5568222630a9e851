//! User administration by admins and staff: create, list, read, update (roles, disabling).

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use sammen_domain::ValidationErrors;
use sammen_domain::identity::RoleGrant;
use sammen_domain::identity::policy::{self, UserRead};
use sammen_domain::ids::UserId;
use sammen_domain::text::Line;
use sammen_store::identity as store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::{check_account, create_account};
use super::{Caller, RoleGrantBody, UserResponse};
use crate::platform::command::{Answer, Idempotency, command};
use crate::platform::extract::{Body, Query};
use crate::platform::idempotency::IdempotencyKey;
use crate::platform::pagination::{Page, PageParams, page_response, shown};
use crate::platform::precondition::{IfMatch, etag};
use crate::problem::ApiError;
use crate::state::AppState;

/// Why staff read accounts, as recorded in the audit log and shown in the user's export.
const READ_PURPOSE: &str = "user administration";

/// Checks role grants: shape problems are added to `errors` (reported with the other fields);
/// a role the caller may not grant is a 403.
fn check_roles(
    caller: &Caller,
    roles: &[RoleGrantBody],
    errors: &mut ValidationErrors,
) -> Result<Vec<RoleGrant>, ApiError> {
    if roles.len() > 50 {
        errors.push(sammen_domain::FieldError::new("roles", "too_long", "at most 50 role grants"));
    }
    let grants: Vec<RoleGrant> = roles.iter().cloned().map(Into::into).collect();
    for (i, grant) in grants.iter().enumerate() {
        errors.check(grant.check(&format!("roles[{i}]")));
        if grant.scope.as_ref().is_some_and(|s| s.is_empty() || s.len() > 64) {
            errors.push(sammen_domain::FieldError::new(
                format!("roles[{i}].scope"),
                "invalid",
                "must be 1 to 64 characters",
            ));
        }
    }
    for grant in &grants {
        policy::grant(caller, grant.role)?;
    }
    Ok(grants)
}

/// A new account made by an admin or staff member.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    #[schema(example = "mette@kk.dk", format = Email, min_length = 3, max_length = 254)]
    pub email: String,
    #[schema(value_type = String, example = "Mette Hansen", min_length = 1, max_length = 200, pattern = r"\S")]
    pub display_name: Line,
    /// The initial password, 10–128 characters.
    #[schema(min_length = 10, max_length = 128, format = Password)]
    pub password: String,
    #[serde(default)]
    #[schema(max_items = 50)]
    pub roles: Vec<RoleGrantBody>,
}

/// Create a user.
///
/// Admins and staff. Staff may grant every role except `admin` and `staff`. Accepts `Idempotency-Key`.
#[utoipa::path(
    tag = "identity",
    request_body = CreateUserRequest,
    params(IdempotencyKey),
    responses(
        (status = 201, description = "The user was created", body = UserResponse,
            headers(("Location" = String, description = "The new user"), ("ETag" = String, description = "The version"))),
        (status = 409, description = "An account with this e-mail already exists", body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    key: IdempotencyKey,
    body: Body<CreateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    policy::administer_users(&caller)?;
    let body = body.into_inner();
    let mut errors = ValidationErrors::new();
    let roles = check_roles(&caller, &body.roles, &mut errors)?;
    let input = check_account(&body.email, &body.display_name, &body.password, errors)?;
    let idempotency = Idempotency::of(&req, caller.principal(), key, &body)?;
    create_account(&state, idempotency, input, body.password, roles, caller.audit(), "user.created").await
}

/// List users.
///
/// Admins and staff. In creation order; cursor pagination (`limit`, `cursor`).
#[utoipa::path(
    tag = "identity",
    params(PageParams),
    responses((status = 200, description = "A page of users", body = Page<UserResponse>,
        headers(("Link" = String, description = "`<...>; rel=\"next\"` when another page follows")))),
    security(("bearer_auth" = []))
)]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    params: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    policy::administer_users(&caller)?;
    let page = params.resolve::<UserId>()?;
    let (after, fetch, limit) = (page.after.clone(), page.fetch(), page.limit);
    let ctx = caller.audit();
    let users = state
        .db(move |conn| {
            let users = store::list_users(conn, after.as_ref(), fetch)?;
            let ids: Vec<&str> = shown(&users, limit).iter().map(|u| u.id.as_str()).collect();
            sammen_store::audit::record_reads(conn, &ctx, "user", &ids, READ_PURPOSE)?;
            Ok::<_, ApiError>(users)
        })
        .await?;
    Ok(page_response(&req, &page, users, |u| u.id.clone(), UserResponse::from))
}

/// Read a user.
///
/// Admins, staff, and the user themself; anyone else gets 404.
#[utoipa::path(
    tag = "identity",
    params(("id" = uuid::Uuid, Path, description = "The user's id")),
    responses((status = 200, description = "The user", body = UserResponse, headers(("ETag" = String, description = "The version")))),
    security(("bearer_auth" = []))
)]
#[get("/users/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = UserId::from(id.into_inner());
    // Admitting that the account exists would leak who uses Sammen.
    let reading = policy::read_user(&caller, &id)?;
    let ctx = caller.audit();
    let user = state
        .db(move |conn| {
            let user = store::find_user(conn, &id)?;
            if reading == UserRead::Administration {
                sammen_store::audit::record_reads(conn, &ctx, "user", &[id.as_str()], READ_PURPOSE)?;
            }
            Ok::<_, ApiError>(user)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::ETAG, etag(user.version)))
        .json(UserResponse::from(user)))
}

/// Changes to a user; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200, pattern = r"\S")]
    pub display_name: Option<Line>,
    /// Disabling ends the user's access at once.
    pub disabled: Option<bool>,
    /// Replaces all of the user's role grants.
    #[schema(max_items = 50)]
    pub roles: Option<Vec<RoleGrantBody>>,
}

/// Update a user.
///
/// Admins and staff; staff cannot change an admin's or a staff member's account or grant
/// those roles. Requires `If-Match` with the user's current ETag (428 without, 412 when stale).
#[utoipa::path(
    tag = "identity",
    params(
        ("id" = uuid::Uuid, Path, description = "The user's id"),
        IfMatch,
    ),
    request_body = UpdateUserRequest,
    responses(
        (status = 200, description = "The updated user", body = UserResponse, headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "The change would leave no active admin", body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: Body<UpdateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    policy::administer_users(&caller)?;
    let body = body.into_inner();
    let mut errors = ValidationErrors::new();
    if let Some(name) = &body.display_name {
        errors.check(sammen_domain::validation::text_length("display_name", name, 1, 200));
    }
    let roles = body.roles.as_deref().map(|r| check_roles(&caller, r, &mut errors)).transpose()?;
    errors.into_result()?;
    let expected = if_match.required_version()?;
    let id = UserId::from(id.into_inner());
    let changes = store::UserChanges {
        display_name: body.display_name.map(|n| n.trim().to_owned()),
        disabled: body.disabled,
        roles,
    };
    let (actor, ctx) = (caller.actor.clone(), caller.audit());
    command(&state, None, move |conn| {
        let target = store::find_user(conn, &id)?;
        policy::change_account(&actor, &target.roles)?;
        let user = store::update_user(conn, &id, expected, &changes, &ctx)?;
        // The answer shows the account's e-mail and name.
        sammen_store::audit::record_reads(conn, &ctx, "user", &[user.id.as_str()], READ_PURPOSE)?;
        let version = user.version;
        Ok(Answer::ok(&UserResponse::from(user))?.tagged(version))
    })
    .await
}
