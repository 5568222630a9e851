//! Organisations: created by staff, kept up to date by their representatives (role
//! `organisation` scoped to them) or their integration clients (`directory:write`), read by
//! anyone. Contact details are public only when the organisation has said so.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use sammen_domain::directory::organisation::{OrganisationInput, OrganisationKind, check_organisation};
use sammen_domain::identity::Role;
use sammen_domain::{FieldError, ValidationErrors};
use sammen_store::directory::{self as store, Organisation, OrganisationChanges, OrganisationFilter};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::{IntoParams, ToSchema};

use super::WRITE_SCOPE;
use crate::identity::{Caller, MaybeCaller};
use crate::platform::extract::ListQuery;
use crate::platform::idempotency::{IdempotencyKey, idempotent};
use crate::platform::pagination::{Page, PageParams, page_response};
use crate::platform::precondition::{IfMatch, etag};
use crate::problem::{ApiError, Problem};
use crate::state::AppState;

fn kind_schema() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(OrganisationKind::ALL.iter().map(|k| k.as_str())))
        .description(Some("What kind of actor: `informal_group`s have no CVR number"))
}

fn kinds_schema() -> utoipa::openapi::schema::ArrayBuilder {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(kind_schema())
        .description(Some("Only these kinds; repeat the parameter for several (OR)"))
}

/// Public contact details: present only when the organisation made them public, or for staff
/// and the organisation's own representatives.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactResponse {
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationResponse {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(example = "Ældre Sagen Nørrebro")]
    pub name: String,
    #[schema(schema_with = kind_schema)]
    pub kind: String,
    pub description: String,
    pub website: Option<String>,
    pub contact: Option<ContactResponse>,
    /// Whether the contact details are shown to the public.
    pub contact_public: bool,
    #[schema(example = "64942212")]
    pub cvr: Option<String>,
    /// The organisation this one is a branch of.
    #[schema(format = Uuid)]
    pub parent_id: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Whether the caller sees an organisation as its manager: staff, or someone acting for it.
fn manages(caller: Option<&Caller>, org_id: &str) -> bool {
    caller.is_some_and(|c| c.is_staff() || c.acts_for_organisation(org_id, WRITE_SCOPE))
}

fn view(o: Organisation, caller: Option<&Caller>) -> OrganisationResponse {
    let show_contact = o.contact_public || manages(caller, &o.id);
    let has_contact = o.contact_email.is_some() || o.contact_phone.is_some();
    OrganisationResponse {
        contact: (show_contact && has_contact)
            .then_some(ContactResponse { email: o.contact_email, phone: o.contact_phone }),
        id: o.id,
        name: o.name,
        kind: o.kind,
        description: o.description,
        website: o.website,
        contact_public: o.contact_public,
        cvr: o.cvr,
        parent_id: o.parent_id,
        version: o.version,
        created_at: o.created_at.and_utc(),
        updated_at: o.updated_at.and_utc(),
    }
}

fn store_error(e: ApiError) -> ApiError {
    match e {
        ApiError::NotFound(_) => ApiError::NotFound("no such organisation".into()),
        ApiError::Conflict(what) if what.contains("organisation_parent_cycle") => {
            ApiError::Conflict("an organisation cannot be a branch of itself or of one of its branches".into())
        }
        ApiError::Conflict(what) if what.contains("informal_group_with_cvr") => ApiError::invalid(
            "cvr",
            "invalid",
            "an informal group has no CVR number; choose another kind or remove the CVR",
        ),
        ApiError::Validation(_) => ApiError::invalid("parent_id", "invalid_reference", "refers to no organisation"),
        e => e,
    }
}

/// A new organisation.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrganisationRequest {
    #[schema(example = "Ældre Sagen Nørrebro", min_length = 2, max_length = 200)]
    pub name: String,
    #[schema(schema_with = kind_schema)]
    pub kind: OrganisationKind,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub description: String,
    #[schema(example = "https://aeldresagen.dk/lokal/noerrebro", max_length = 300)]
    pub website: Option<String>,
    #[schema(format = Email, max_length = 254)]
    pub contact_email: Option<String>,
    #[schema(example = "+45 33 66 33 66")]
    pub contact_phone: Option<String>,
    /// Show the contact details to the public.
    #[serde(default)]
    pub contact_public: bool,
    /// Eight digits with a valid check digit; not for informal groups.
    #[schema(example = "64942212")]
    pub cvr: Option<String>,
    /// The organisation this one is a local branch of.
    #[schema(format = Uuid)]
    pub parent_id: Option<String>,
}

fn checked_email(email: Option<&str>, errors: &mut ValidationErrors) -> Option<String> {
    email.and_then(|e| sammen_domain::identity::normalise_email("contact_email", e).map_err(|e| errors.push(e)).ok())
}

/// Create an organisation.
///
/// Staff and admins. Accepts `Idempotency-Key`.
#[utoipa::path(
    tag = "directory",
    params(IdempotencyKey),
    request_body = CreateOrganisationRequest,
    responses(
        (status = 201, description = "The organisation was created", body = OrganisationResponse,
            headers(("Location" = String), ("ETag" = String))),
        (status = 409, description = "The Idempotency-Key is in use by a request still running", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/organisations")]
pub async fn create_organisation(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    key: IdempotencyKey,
    body: web::Json<CreateOrganisationRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_any(&[Role::Admin, Role::Staff])?;
    let body = body.into_inner();
    let mut errors = ValidationErrors::new();
    let input = OrganisationInput {
        name: Some(&body.name),
        kind: Some(body.kind),
        description: Some(&body.description),
        website: body.website.as_deref(),
        contact_email: None,
        contact_phone: body.contact_phone.as_deref(),
        cvr: body.cvr.as_deref(),
    };
    let cvr = check_organisation(&input, &mut errors);
    let contact_email = checked_email(body.contact_email.as_deref(), &mut errors);
    errors.into_result()?;
    let new = store::NewOrganisation {
        name: body.name.trim().to_owned(),
        kind: body.kind,
        description: body.description.trim().to_owned(),
        website: body.website.as_deref().map(|w| w.trim().to_owned()),
        contact_email,
        contact_phone: body.contact_phone.as_deref().map(|p| p.trim().to_owned()),
        contact_public: body.contact_public,
        cvr,
        parent_id: body.parent_id.clone(),
    };
    let ctx = caller.audit();
    idempotent(&state, &req, &caller.principal(), key, &body, || async {
        let org = state.db(move |conn| store::insert_organisation(conn, &new, &ctx)).await.map_err(store_error)?;
        Ok(HttpResponse::Created()
            .insert_header((header::LOCATION, format!("/api/v1/organisations/{}", org.id)))
            .insert_header((header::ETAG, etag(org.version)))
            .json(view(org, Some(&caller))))
    })
    .await
}

/// Filters of the organisation list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganisationQuery {
    /// Only these kinds; repeat for several (OR).
    #[serde(default)]
    #[param(schema_with = kinds_schema, style = Form, explode)]
    pub kind: Vec<OrganisationKind>,
    /// Only branches of this organisation.
    pub parent_id: Option<uuid::Uuid>,
}

/// List organisations.
///
/// Public. In name order; cursor pagination. Different filters combine with AND, repeated
/// values of one filter with OR (`?kind=association&kind=ngo`).
#[utoipa::path(
    tag = "directory",
    params(OrganisationQuery, PageParams),
    responses((status = 200, description = "A page of organisations", body = Page<OrganisationResponse>,
        headers(("Link" = String, description = "`<...>; rel=\"next\"` when another page follows")))),
    security(())
)]
#[get("/organisations")]
pub async fn list_organisations(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: MaybeCaller,
    query: ListQuery<OrganisationQuery>,
    params: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let page = params.resolve::<(String, String)>()?;
    let filter = OrganisationFilter {
        kinds: query.0.kind.iter().map(|k| k.as_str().to_owned()).collect(),
        parent_id: query.0.parent_id.map(|p| p.to_string()),
    };
    let (after, fetch) = (page.after.clone(), page.fetch());
    let orgs = state.db(move |conn| store::list_organisations(conn, &filter, after.as_ref(), fetch)).await?;
    let caller = caller.0;
    Ok(page_response(&req, &page, orgs, |o| (o.name.clone(), o.id.clone()), |o| view(o, caller.as_ref())))
}

/// Read an organisation.
///
/// Public; contact details only when public, or for staff and the organisation's own.
#[utoipa::path(
    tag = "directory",
    params(("id" = uuid::Uuid, Path, description = "The organisation's id")),
    responses((status = 200, description = "The organisation", body = OrganisationResponse, headers(("ETag" = String)))),
    security(())
)]
#[get("/organisations/{id}")]
pub async fn get_organisation(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().to_string();
    let org = state.db(move |conn| store::find_organisation(conn, &id)).await.map_err(store_error)?;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, etag(org.version))).json(view(org, caller.0.as_ref())))
}

/// `Some(value)` for a field that was given, including `null`; `None` for an absent one.
fn given<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Changes to an organisation; absent fields stay, `null` clears an optional one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOrganisationRequest {
    #[schema(min_length = 2, max_length = 200)]
    pub name: Option<String>,
    #[schema(schema_with = kind_schema)]
    pub kind: Option<OrganisationKind>,
    #[schema(max_length = 5000)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "given")]
    #[schema(value_type = Option<String>, max_length = 300)]
    pub website: Option<Option<String>>,
    #[serde(default, deserialize_with = "given")]
    #[schema(value_type = Option<String>, format = Email)]
    pub contact_email: Option<Option<String>>,
    #[serde(default, deserialize_with = "given")]
    #[schema(value_type = Option<String>)]
    pub contact_phone: Option<Option<String>>,
    pub contact_public: Option<bool>,
    #[serde(default, deserialize_with = "given")]
    #[schema(value_type = Option<String>)]
    pub cvr: Option<Option<String>>,
    /// Staff only.
    #[serde(default, deserialize_with = "given")]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub parent_id: Option<Option<String>>,
}

/// Update an organisation.
///
/// Staff and admins, the organisation's representatives, and its integration clients with
/// `directory:write`. Only staff change which organisation it is a branch of. Requires
/// `If-Match`.
#[utoipa::path(
    tag = "directory",
    params(("id" = uuid::Uuid, Path, description = "The organisation's id"), IfMatch),
    request_body = UpdateOrganisationRequest,
    responses(
        (status = 200, description = "The updated organisation", body = OrganisationResponse, headers(("ETag" = String))),
        (status = 409, description = "The parent would make a cycle", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The organisation changed since the ETag was read", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/organisations/{id}")]
pub async fn update_organisation(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: web::Json<UpdateOrganisationRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().to_string();
    if !manages(Some(&caller), &id) {
        return Err(ApiError::Forbidden("only staff and the organisation's own representatives may change it".into()));
    }
    let body = body.into_inner();
    if body.parent_id.is_some() && !caller.is_staff() {
        return Err(ApiError::Forbidden("only staff change which organisation this is a branch of".into()));
    }
    let mut errors = ValidationErrors::new();
    let input = OrganisationInput {
        name: body.name.as_deref(),
        kind: body.kind,
        description: body.description.as_deref(),
        website: body.website.as_ref().and_then(|w| w.as_deref()),
        contact_email: None,
        contact_phone: body.contact_phone.as_ref().and_then(|p| p.as_deref()),
        cvr: body.cvr.as_ref().and_then(|c| c.as_deref()),
    };
    let cvr = check_organisation(&input, &mut errors);
    let contact_email = body.contact_email.as_ref().map(|e| checked_email(e.as_deref(), &mut errors));
    if body.parent_id.as_ref().is_some_and(|p| p.as_ref().is_some_and(|p| uuid::Uuid::parse_str(p).is_err())) {
        errors.push(FieldError::new("parent_id", "invalid", "must be an organisation id"));
    }
    errors.into_result()?;
    let expected = if_match.required_version()?;
    let trimmed = |v: &Option<Option<String>>| v.as_ref().map(|o| o.as_deref().map(|s| s.trim().to_owned()));
    let changes = OrganisationChanges {
        name: body.name.map(|n| n.trim().to_owned()),
        kind: body.kind,
        description: body.description.map(|d| d.trim().to_owned()),
        website: trimmed(&body.website),
        contact_email,
        contact_phone: trimmed(&body.contact_phone),
        contact_public: body.contact_public,
        cvr: body.cvr.as_ref().map(|c| c.as_ref().and(cvr)),
        parent_id: body.parent_id,
    };
    let ctx = caller.audit();
    let org = state
        .db(move |conn| store::update_organisation(conn, &id, expected, &changes, &ctx))
        .await
        .map_err(store_error)?;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, etag(org.version))).json(view(org, Some(&caller))))
}
