//! `GET /taxonomy`: the directory's vocabularies, districts and housing areas; staff add and
//! change them (`PUT /taxonomy/...`).

use actix_web::{HttpRequest, HttpResponse, get, put, web};
use sammen_domain::directory::policy;
use sammen_domain::directory::taxonomy as rules;
use sammen_domain::directory::vocabulary::Vocabulary;
use sammen_domain::text::Line;
use sammen_domain::{FieldError, ValidationErrors};
use sammen_store::directory::{self as store, Term};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::identity::{Caller, MaybeCaller};
use crate::platform::caching::{IfNoneMatch, Representation, public_get};
use crate::platform::command::{Answer, command};
use crate::platform::extract::Body;
use crate::problem::ApiError;
use crate::state::AppState;

/// A label in Danish and English.
#[derive(Debug, Serialize, ToSchema)]
pub struct Label {
    #[schema(example = "Demensvenligt")]
    pub da: String,
    #[schema(example = "Dementia friendly")]
    pub en: String,
}

/// One term of a vocabulary: a stable code, used in filters and inputs, and its labels.
#[derive(Debug, Serialize, ToSchema)]
pub struct TermResponse {
    #[schema(example = "dementia_friendly")]
    pub code: String,
    pub label: Label,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DistrictResponse {
    #[schema(example = "norrebro")]
    pub code: String,
    #[schema(example = "Nørrebro")]
    pub name: String,
    /// The district's centre (WGS84).
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HousingAreaResponse {
    pub code: String,
    pub name: String,
    pub district_code: String,
    /// The area's centre (WGS84), from which walking distances are measured.
    pub lat: f64,
    pub lon: f64,
}

impl From<&store::District> for DistrictResponse {
    fn from(d: &store::District) -> Self {
        DistrictResponse { code: d.code.clone(), name: d.name.clone(), lat: d.lat, lon: d.lon }
    }
}

impl From<&store::HousingArea> for HousingAreaResponse {
    fn from(h: &store::HousingArea) -> Self {
        let (code, name, district_code) = (h.code.clone(), h.name.clone(), h.district_code.clone());
        HousingAreaResponse { code, name, district_code, lat: h.lat, lon: h.lon }
    }
}

/// The vocabularies and places of the directory.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaxonomyResponse {
    pub activity_types: Vec<TermResponse>,
    pub target_groups: Vec<TermResponse>,
    pub accessibility: Vec<TermResponse>,
    pub first_visit_support: Vec<TermResponse>,
    pub volunteer_roles: Vec<TermResponse>,
    pub districts: Vec<DistrictResponse>,
    pub housing_areas: Vec<HousingAreaResponse>,
}

/// The vocabularies, districts and housing areas of the directory.
///
/// Public. Codes are stable and are what filters and inputs use; labels are in Danish and
/// English. Vocabularies are data: a municipality can add terms and its own districts and
/// housing areas without a new release.
#[utoipa::path(
    tag = "directory",
    params(IfNoneMatch),
    responses((status = 200, description = "The taxonomy", body = TaxonomyResponse)),
    security(())
)]
#[get("/taxonomy")]
pub async fn get_taxonomy(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: MaybeCaller,
) -> Result<HttpResponse, ApiError> {
    public_get(&state, &req, caller.0.as_ref(), TAXONOMY_MAX_AGE, render_taxonomy(&state)).await
}

/// How long a proxy may hold the taxonomy: it changes rarely, and a new term only matters once
/// listings use it.
const TAXONOMY_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(300);

async fn render_taxonomy(state: &AppState) -> Result<Representation, ApiError> {
    let taxonomy = state.db(store::load_taxonomy).await?;
    let mut terms: std::collections::HashMap<Vocabulary, Vec<TermResponse>> = Default::default();
    for Term { vocabulary, code, label_da, label_en, .. } in taxonomy.terms {
        terms.entry(vocabulary).or_default().push(TermResponse { code, label: Label { da: label_da, en: label_en } });
    }
    let mut terms = |v: Vocabulary| terms.remove(&v).unwrap_or_default();
    let response = TaxonomyResponse {
        activity_types: terms(Vocabulary::ActivityType),
        target_groups: terms(Vocabulary::TargetGroup),
        accessibility: terms(Vocabulary::Accessibility),
        first_visit_support: terms(Vocabulary::FirstVisitSupport),
        volunteer_roles: terms(Vocabulary::VolunteerRole),
        districts: taxonomy.districts.iter().map(DistrictResponse::from).collect(),
        housing_areas: taxonomy.housing_areas.iter().map(HousingAreaResponse::from).collect(),
    };
    Representation::json(&response)
}

/// A vocabulary term as staff write it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TermRequest {
    #[schema(value_type = String, example = "Fællessang")]
    pub label_da: Line,
    #[schema(value_type = String, example = "Community singing")]
    pub label_en: Line,
    /// Where it comes in lists (lower first; default 0, then by code).
    #[serde(default)]
    pub sort_order: i32,
}

/// A district or housing area as staff write it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaceRequest {
    #[schema(value_type = String, example = "Nørrebro")]
    pub name: Line,
    /// The centre point (WGS84), for distances and the coverage report.
    pub lat: f64,
    pub lon: f64,
    /// For a housing area: the district it lies in.
    pub district_code: Option<String>,
    #[serde(default)]
    pub sort_order: i32,
}

fn created_or_updated(added: bool, body: &impl Serialize) -> Result<Answer, ApiError> {
    if added { Answer::with_status(actix_web::http::StatusCode::CREATED, body) } else { Answer::ok(body) }
}

/// Add or change a vocabulary term.
///
/// Staff. Adds the term (201) or replaces its labels and order (200). Codes are for good: a term
/// in use cannot be renamed or removed, so existing listings, filters and integrations keep working.
#[utoipa::path(
    tag = "directory",
    params(
        ("vocabulary" = String, Path, description = "`activity_type`, `target_group`, `accessibility`, `first_visit_support` or `volunteer_role`"),
        ("code" = String, Path, description = "The term's code: a–z, 0–9 and _, starting with a letter, at most 64"),
    ),
    request_body = TermRequest,
    responses(
        (status = 200, description = "The term was changed", body = TermResponse),
        (status = 201, description = "The term was added", body = TermResponse),
    ),
    security(("bearer_auth" = []))
)]
#[put("/taxonomy/terms/{vocabulary}/{code}")]
pub async fn put_term(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    body: Body<TermRequest>,
) -> Result<HttpResponse, ApiError> {
    policy::staff(&caller)?;
    let (vocabulary, code) = path.into_inner();
    let Some(vocabulary) = Vocabulary::parse(&vocabulary) else {
        return Err(ApiError::NotFound(format!("no vocabulary `{vocabulary}`; see GET /api/v1/taxonomy")));
    };
    let body = body.into_inner();
    let mut errors = ValidationErrors::new();
    errors.check(rules::check_code("code", &code));
    rules::check_label(&mut errors, "label_da", &body.label_da);
    rules::check_label(&mut errors, "label_en", &body.label_en);
    errors.into_result()?;
    let term = Term {
        vocabulary,
        code,
        label_da: body.label_da.trim().to_owned(),
        label_en: body.label_en.trim().to_owned(),
        sort_order: body.sort_order,
    };
    let ctx = caller.audit();
    command(&state, None, move |conn| {
        let added = store::put_term(conn, &term, &ctx)?;
        let response = TermResponse {
            code: term.code.clone(),
            label: Label { da: term.label_da.clone(), en: term.label_en.clone() },
        };
        created_or_updated(added, &response)
    })
    .await
}

/// Checks a place request; `district` tells whether it is a district (no `district_code`) or a
/// housing area (which needs one).
fn checked_place(code: &str, body: &PlaceRequest, district: bool) -> Result<(), ApiError> {
    let mut errors = ValidationErrors::new();
    errors.check(rules::check_code("code", code));
    rules::check_label(&mut errors, "name", &body.name);
    rules::check_point(&mut errors, body.lat, body.lon);
    match (district, &body.district_code) {
        (true, Some(_)) => errors.push(FieldError::new("district_code", "invalid", "a district lies in no district")),
        (false, None) => errors.push(FieldError::new("district_code", "required", "the district the area lies in")),
        _ => {}
    }
    Ok(errors.into_result()?)
}

/// Add or change a district.
///
/// Staff. Adds the district (201) or replaces its name, centre and order (200).
#[utoipa::path(
    tag = "directory",
    params(("code" = String, Path, description = "The district's code")),
    request_body = PlaceRequest,
    responses(
        (status = 200, description = "The district was changed", body = DistrictResponse),
        (status = 201, description = "The district was added", body = DistrictResponse),
    ),
    security(("bearer_auth" = []))
)]
#[put("/taxonomy/districts/{code}")]
pub async fn put_district(
    state: web::Data<AppState>,
    caller: Caller,
    code: web::Path<String>,
    body: Body<PlaceRequest>,
) -> Result<HttpResponse, ApiError> {
    policy::staff(&caller)?;
    let (code, body) = (code.into_inner(), body.into_inner());
    checked_place(&code, &body, true)?;
    let district = store::District {
        code,
        name: body.name.trim().to_owned(),
        lat: body.lat,
        lon: body.lon,
        sort_order: body.sort_order,
    };
    let ctx = caller.audit();
    command(&state, None, move |conn| {
        let added = store::put_district(conn, &district, &ctx)?;
        created_or_updated(added, &DistrictResponse::from(&district))
    })
    .await
}

/// Add or change an elderly-housing area.
///
/// Staff. Adds the area (201) or replaces its name, district, centre and order (200). Its centre
/// is where the coverage report measures walking distance from.
#[utoipa::path(
    tag = "directory",
    params(("code" = String, Path, description = "The housing area's code")),
    request_body = PlaceRequest,
    responses(
        (status = 200, description = "The housing area was changed", body = HousingAreaResponse),
        (status = 201, description = "The housing area was added", body = HousingAreaResponse),
    ),
    security(("bearer_auth" = []))
)]
#[put("/taxonomy/housing-areas/{code}")]
pub async fn put_housing_area(
    state: web::Data<AppState>,
    caller: Caller,
    code: web::Path<String>,
    body: Body<PlaceRequest>,
) -> Result<HttpResponse, ApiError> {
    policy::staff(&caller)?;
    let (code, body) = (code.into_inner(), body.into_inner());
    checked_place(&code, &body, false)?;
    let area = store::HousingArea {
        code,
        name: body.name.trim().to_owned(),
        district_code: body.district_code.unwrap_or_default(),
        lat: body.lat,
        lon: body.lon,
        sort_order: body.sort_order,
    };
    let ctx = caller.audit();
    command(&state, None, move |conn| {
        let added = store::put_housing_area(conn, &area, &ctx)?;
        created_or_updated(added, &HousingAreaResponse::from(&area))
    })
    .await
}
