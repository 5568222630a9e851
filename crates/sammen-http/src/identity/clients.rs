//! API clients for integration scripts, administered by admins: create (the secret is shown
//! once), list, read, update scopes or disable, rotate the secret.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use sammen_domain::identity::{self as rules, policy};
use sammen_domain::ids::ApiClientId;
use sammen_domain::text::Line;
use sammen_domain::{FieldError, ValidationErrors};
use sammen_store::identity::{self as store, ApiClient};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Caller;
use crate::platform::extract::{Body, Query};
use crate::platform::pagination::{Page, PageParams, page_response};
use crate::platform::precondition::{IfMatch, etag};
use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiClientResponse {
    /// The `client_id` for `grant_type=client_credentials`.
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
    #[schema(example = json!(["directory:read", "directory:write"]))]
    pub scopes: Vec<String>,
    /// The organisation the client acts for, if any.
    pub organisation_id: Option<String>,
    pub disabled: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ApiClient> for ApiClientResponse {
    fn from(c: ApiClient) -> Self {
        Self {
            scopes: c.scopes.iter().map(|s| s.to_string()).collect(),
            id: c.id.into_string(),
            name: c.name,
            organisation_id: c.organisation_id.map(|o| o.into_string()),
            disabled: c.disabled,
            version: c.version,
            created_at: c.created_at.and_utc(),
            updated_at: c.updated_at.and_utc(),
        }
    }
}

/// A client with its secret: returned only when the secret is made.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiClientWithSecret {
    pub client: ApiClientResponse,
    /// Shown this once: store it now. Only its hash is kept.
    pub client_secret: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApiClientRequest {
    #[schema(value_type = String, example = "Frivilligcenter Nørrebro import", min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: Line,
    /// What the client may do.
    #[schema(schema_with = super::scopes_schema)]
    pub scopes: Vec<String>,
    /// The organisation the client acts for, if it acts for one.
    #[schema(value_type = Option<String>, min_length = 1, max_length = 64)]
    pub organisation_id: Option<Line>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateApiClientRequest {
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: Option<Line>,
    /// Replaces the client's scopes; tokens already issued lose removed scopes at once.
    #[schema(schema_with = super::scopes_schema)]
    pub scopes: Option<Vec<String>>,
    /// A disabled client gets no tokens, and its tokens stop working at once.
    pub disabled: Option<bool>,
}

fn with_etag(client: ApiClient) -> HttpResponse {
    HttpResponse::Ok().insert_header((header::ETAG, etag(client.version))).json(ApiClientResponse::from(client))
}

/// Create an API client.
///
/// Admins. The response holds the client secret, shown this once. Not idempotent: a retry makes
/// another client (a stored replay would have to keep the secret).
#[utoipa::path(
    tag = "identity",
    request_body = CreateApiClientRequest,
    responses((status = 201, description = "The client and its secret", body = ApiClientWithSecret,
        headers(("Location" = String), ("ETag" = String)))),
    security(("bearer_auth" = []))
)]
#[post("/api-clients")]
pub async fn create_client(
    state: web::Data<AppState>,
    caller: Caller,
    body: Body<CreateApiClientRequest>,
) -> Result<HttpResponse, ApiError> {
    policy::administer_clients(&caller)?;
    let body = body.into_inner();
    let mut errors = ValidationErrors::new();
    errors.check(sammen_domain::validation::text_length("name", &body.name, 1, 200));
    let scopes = rules::check_scopes("scopes", &body.scopes).map_err(|e| errors.push(e)).unwrap_or_default();
    if body.organisation_id.as_ref().is_some_and(|o| o.is_empty() || o.len() > 64) {
        errors.push(FieldError::new("organisation_id", "invalid", "must be 1 to 64 characters"));
    }
    errors.into_result()?;
    let ctx = caller.audit();
    let (client, secret) = state
        .db(move |conn| store::insert_client(conn, body.name.trim(), &scopes, body.organisation_id.as_deref(), &ctx))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/api-clients/{}", client.id)))
        .insert_header((header::ETAG, etag(client.version)))
        .json(ApiClientWithSecret { client: client.into(), client_secret: secret }))
}

/// List API clients.
///
/// Admins. In creation order; cursor pagination.
#[utoipa::path(
    tag = "identity",
    params(PageParams),
    responses((status = 200, description = "A page of clients", body = Page<ApiClientResponse>)),
    security(("bearer_auth" = []))
)]
#[get("/api-clients")]
pub async fn list_clients(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    params: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    policy::administer_clients(&caller)?;
    let page = params.resolve::<ApiClientId>()?;
    let (after, fetch) = (page.after.clone(), page.fetch());
    let clients = state.db(move |conn| store::list_clients(conn, after.as_ref(), fetch)).await?;
    Ok(page_response(&req, &page, clients, |c| c.id.clone(), ApiClientResponse::from))
}

/// Read an API client.
///
/// Admins.
#[utoipa::path(
    tag = "identity",
    params(("id" = uuid::Uuid, Path, description = "The client's id")),
    responses((status = 200, description = "The client", body = ApiClientResponse, headers(("ETag" = String)))),
    security(("bearer_auth" = []))
)]
#[get("/api-clients/{id}")]
pub async fn get_client(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    policy::administer_clients(&caller)?;
    let id = ApiClientId::from(id.into_inner());
    Ok(with_etag(state.db(move |conn| store::find_client(conn, &id)).await?))
}

/// Update an API client.
///
/// Admins. Rename, change scopes, disable or enable. Requires `If-Match`.
#[utoipa::path(
    tag = "identity",
    params(
        ("id" = uuid::Uuid, Path, description = "The client's id"),
        IfMatch,
    ),
    request_body = UpdateApiClientRequest,
    responses(
        (status = 200, description = "The updated client", body = ApiClientResponse, headers(("ETag" = String))),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/api-clients/{id}")]
pub async fn update_client(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: Body<UpdateApiClientRequest>,
) -> Result<HttpResponse, ApiError> {
    policy::administer_clients(&caller)?;
    let body = body.into_inner();
    let mut errors = ValidationErrors::new();
    if let Some(name) = &body.name {
        errors.check(sammen_domain::validation::text_length("name", name, 1, 200));
    }
    let scopes = body
        .scopes
        .as_deref()
        .map(|s| rules::check_scopes("scopes", s).map_err(|e| errors.push(e)).unwrap_or_default());
    errors.into_result()?;
    let expected = if_match.required_version()?;
    let changes =
        store::ClientChanges { name: body.name.map(|n| n.trim().to_owned()), scopes, disabled: body.disabled };
    let (id, ctx) = (ApiClientId::from(id.into_inner()), caller.audit());
    Ok(with_etag(state.db(move |conn| store::update_client(conn, &id, expected, &changes, &ctx)).await?))
}

/// Rotate an API client's secret.
///
/// Admins. The old secret stops working at once; the new one is shown this once.
#[utoipa::path(
    tag = "identity",
    params(("id" = uuid::Uuid, Path, description = "The client's id")),
    responses((status = 200, description = "The client and its new secret", body = ApiClientWithSecret)),
    security(("bearer_auth" = []))
)]
#[post("/api-clients/{id}/secret")]
pub async fn rotate_client_secret(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    policy::administer_clients(&caller)?;
    let (id, ctx) = (ApiClientId::from(id.into_inner()), caller.audit());
    let (client, secret) = state.db(move |conn| store::rotate_client_secret(conn, &id, &ctx)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(client.version)))
        .json(ApiClientWithSecret { client: client.into(), client_secret: secret }))
}
