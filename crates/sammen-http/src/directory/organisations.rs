//! Organisations: created by staff, kept up to date by their representatives (role
//! `organisation` scoped to them) or their integration clients (`directory:write`), read by
//! anyone. Contact details are public only when the organisation has said so.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use sammen_domain::directory::organisation::{OrganisationInput, OrganisationKind, check_organisation};
use sammen_domain::directory::policy;
use sammen_domain::ids::OrganisationId;
use sammen_domain::text::{Line, Prose};
use sammen_domain::{Actor, FieldError, ValidationErrors};
use sammen_store::directory::{self as store, Organisation, OrganisationChanges, OrganisationFilter};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::{IntoParams, ToSchema};

use crate::identity::{Caller, MaybeCaller};
use crate::platform::caching::{DIRECTORY_MAX_AGE, IfNoneMatch, Representation, public_get};
use crate::platform::command::{Answer, Idempotency, command};
use crate::platform::extract::{Body, Query};
use crate::platform::idempotency::IdempotencyKey;
use crate::platform::pagination::{Page, PageParams, page_representation};
use crate::platform::precondition::IfMatch;
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

fn view(o: Organisation, actor: Option<&Actor>) -> OrganisationResponse {
    let show_contact = policy::sees_contact(actor, &o.id, o.contact_public);
    let has_contact = o.contact_email.is_some() || o.contact_phone.is_some();
    OrganisationResponse {
        contact: (show_contact && has_contact)
            .then_some(ContactResponse { email: o.contact_email, phone: o.contact_phone }),
        id: o.id.into_string(),
        name: o.name,
        kind: o.kind.to_string(),
        description: o.description,
        website: o.website,
        contact_public: o.contact_public,
        cvr: o.cvr,
        parent_id: o.parent_id.map(OrganisationId::into_string),
        version: o.version,
        created_at: o.created_at.and_utc(),
        updated_at: o.updated_at.and_utc(),
    }
}

/// A new organisation.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrganisationRequest {
    #[schema(value_type = String, example = "Ældre Sagen Nørrebro", min_length = 2, max_length = 200)]
    pub name: Line,
    #[schema(schema_with = kind_schema)]
    pub kind: OrganisationKind,
    #[serde(default)]
    #[schema(value_type = String, max_length = 5000)]
    pub description: Prose,
    #[schema(value_type = Option<String>, example = "https://aeldresagen.dk/lokal/noerrebro", max_length = 300)]
    pub website: Option<Line>,
    #[schema(value_type = Option<String>, format = Email, max_length = 254)]
    pub contact_email: Option<Line>,
    #[schema(value_type = Option<String>, example = "+45 33 66 33 66")]
    pub contact_phone: Option<Line>,
    /// Show the contact details to the public.
    #[serde(default)]
    pub contact_public: bool,
    /// Eight digits with a valid check digit; not for informal groups.
    #[schema(value_type = Option<String>, example = "64942212")]
    pub cvr: Option<Line>,
    /// The organisation this one is a local branch of.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub parent_id: Option<Line>,
}

fn checked_email(email: Option<&str>, errors: &mut ValidationErrors) -> Option<String> {
    email.and_then(|e| sammen_domain::identity::normalise_email("contact_email", e).map_err(|e| errors.push(e)).ok())
}

/// The parent organisation's id, if it is one (whether it exists is the store's to say).
fn checked_parent(parent: &Line, errors: &mut ValidationErrors) -> Option<OrganisationId> {
    let id = uuid::Uuid::parse_str(parent).map(OrganisationId::from);
    id.map_err(|_| errors.push(FieldError::new("parent_id", "invalid", "must be an organisation id"))).ok()
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
    body: Body<CreateOrganisationRequest>,
) -> Result<HttpResponse, ApiError> {
    policy::staff(&caller)?;
    let body = body.into_inner();
    let mut errors = ValidationErrors::new();
    let input = OrganisationInput {
        name: Some(body.name.as_str()),
        kind: Some(body.kind),
        description: Some(body.description.as_str()),
        website: body.website.as_deref(),
        contact_email: None,
        contact_phone: body.contact_phone.as_deref(),
        cvr: body.cvr.as_deref(),
    };
    let cvr = check_organisation(&input, &mut errors);
    let contact_email = checked_email(body.contact_email.as_deref(), &mut errors);
    let parent_id = body.parent_id.as_ref().and_then(|p| checked_parent(p, &mut errors));
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
        parent_id,
    };
    let idempotency = Idempotency::of(&req, caller.principal(), key, &body)?;
    let (actor, ctx) = (caller.actor.clone(), caller.audit());
    command(&state, idempotency, move |conn| {
        let org = store::insert_organisation(conn, &new, &ctx)?;
        let (location, version) = (format!("/api/v1/organisations/{}", org.id), org.version);
        Ok(Answer::created(location, &view(org, Some(&actor)))?.tagged(version))
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
    params(OrganisationQuery, PageParams, IfNoneMatch),
    responses((status = 200, description = "A page of organisations", body = Page<OrganisationResponse>,
        headers(("Link" = String, description = "`<...>; rel=\"next\"` when another page follows")))),
    security(())
)]
#[get("/organisations")]
pub async fn list_organisations(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: MaybeCaller,
    query: Query<OrganisationQuery>,
    params: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let actor = caller.0.as_ref().map(|c| &c.actor);
    public_get(&state, &req, caller.0.as_ref(), DIRECTORY_MAX_AGE, async {
        let page = params.resolve::<store::OrganisationAfter>()?;
        let query = query.into_inner();
        let filter = OrganisationFilter { kinds: query.kind, parent_id: query.parent_id.map(OrganisationId::from) };
        let (after, fetch) = (page.after.clone(), page.fetch());
        let orgs = state.db(move |conn| store::list_organisations(conn, &filter, after.as_ref(), fetch)).await?;
        page_representation(&req, &page, orgs, |o| (o.name.clone(), o.id.clone()), |o| view(o, actor))
    })
    .await
}

/// Read an organisation.
///
/// Public; contact details only when public, or for staff and the organisation's own. The `ETag`
/// starts with the version (`"3-…"`) and serves `If-Match` on a change as well as
/// `If-None-Match` here.
#[utoipa::path(
    tag = "directory",
    params(("id" = uuid::Uuid, Path, description = "The organisation's id"), IfNoneMatch),
    responses((status = 200, description = "The organisation", body = OrganisationResponse)),
    security(())
)]
#[get("/organisations/{id}")]
pub async fn get_organisation(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: MaybeCaller,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let actor = caller.0.as_ref().map(|c| &c.actor);
    public_get(&state, &req, caller.0.as_ref(), DIRECTORY_MAX_AGE, async {
        let id = OrganisationId::from(id.into_inner());
        let org = state.db(move |conn| store::find_organisation(conn, &id)).await?;
        let version = org.version;
        Ok(Representation::json(&view(org, actor))?.versioned(version))
    })
    .await
}

/// `Some(value)` for a field that was given, including `null`; `None` for an absent one.
fn given<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Changes to an organisation; absent fields stay, `null` clears an optional one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOrganisationRequest {
    #[schema(value_type = Option<String>, min_length = 2, max_length = 200)]
    pub name: Option<Line>,
    #[schema(schema_with = kind_schema)]
    pub kind: Option<OrganisationKind>,
    #[schema(value_type = Option<String>, max_length = 5000)]
    pub description: Option<Prose>,
    #[serde(default, deserialize_with = "given")]
    #[schema(value_type = Option<String>, max_length = 300)]
    pub website: Option<Option<Line>>,
    #[serde(default, deserialize_with = "given")]
    #[schema(value_type = Option<String>, format = Email)]
    pub contact_email: Option<Option<Line>>,
    #[serde(default, deserialize_with = "given")]
    #[schema(value_type = Option<String>)]
    pub contact_phone: Option<Option<Line>>,
    pub contact_public: Option<bool>,
    #[serde(default, deserialize_with = "given")]
    #[schema(value_type = Option<String>)]
    pub cvr: Option<Option<Line>>,
    /// Staff only.
    #[serde(default, deserialize_with = "given")]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub parent_id: Option<Option<Line>>,
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
    ),
    security(("bearer_auth" = []))
)]
#[patch("/organisations/{id}")]
pub async fn update_organisation(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: Body<UpdateOrganisationRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = OrganisationId::from(id.into_inner());
    policy::manage(&caller, &id)?;
    let body = body.into_inner();
    if body.parent_id.is_some() {
        policy::reparent(&caller)?;
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
    let parent_id = body.parent_id.as_ref().map(|p| p.as_ref().and_then(|p| checked_parent(p, &mut errors)));
    errors.into_result()?;
    let expected = if_match.required_version()?;
    let trimmed = |v: &Option<Option<Line>>| v.as_ref().map(|o| o.as_deref().map(|s| s.trim().to_owned()));
    let changes = OrganisationChanges {
        name: body.name.map(|n| n.trim().to_owned()),
        kind: body.kind,
        description: body.description.map(|d| d.trim().to_owned()),
        website: trimmed(&body.website),
        contact_email,
        contact_phone: trimmed(&body.contact_phone),
        contact_public: body.contact_public,
        cvr: body.cvr.as_ref().map(|c| c.as_ref().and(cvr)),
        parent_id,
    };
    let (actor, ctx) = (caller.actor.clone(), caller.audit());
    command(&state, None, move |conn| {
        let org = store::update_organisation(conn, &id, expected, &changes, &ctx)?;
        let version = org.version;
        Ok(Answer::ok(&view(org, Some(&actor)))?.tagged(version))
    })
    .await
}
