//! `GET /taxonomy`: the directory's vocabularies, districts and housing areas.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use sammen_store::directory::{self as store, Term};
use serde::Serialize;
use utoipa::ToSchema;

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
    responses((status = 200, description = "The taxonomy", body = TaxonomyResponse)),
    security(())
)]
#[get("/taxonomy")]
pub async fn get_taxonomy(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let taxonomy = state.db(store::load_taxonomy).await?;
    let mut response = TaxonomyResponse {
        activity_types: Vec::new(),
        target_groups: Vec::new(),
        accessibility: Vec::new(),
        first_visit_support: Vec::new(),
        volunteer_roles: Vec::new(),
        districts: taxonomy
            .districts
            .into_iter()
            .map(|d| DistrictResponse { code: d.code, name: d.name, lat: d.lat, lon: d.lon })
            .collect(),
        housing_areas: taxonomy
            .housing_areas
            .into_iter()
            .map(|h| HousingAreaResponse {
                code: h.code,
                name: h.name,
                district_code: h.district_code,
                lat: h.lat,
                lon: h.lon,
            })
            .collect(),
    };
    for Term { vocabulary, code, label_da, label_en, .. } in taxonomy.terms {
        let list = match vocabulary.as_str() {
            "activity_type" => &mut response.activity_types,
            "target_group" => &mut response.target_groups,
            "accessibility" => &mut response.accessibility,
            "first_visit_support" => &mut response.first_visit_support,
            "volunteer_role" => &mut response.volunteer_roles,
            other => return Err(ApiError::Internal(format!("unknown vocabulary {other}"))),
        };
        list.push(TermResponse { code, label: Label { da: label_da, en: label_en } });
    }
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "public, max-age=300")).json(response))
}
