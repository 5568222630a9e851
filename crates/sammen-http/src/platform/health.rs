//! Liveness, readiness and the contract itself.

use std::time::Duration;

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::problem::{ApiError, Problem};
use crate::state::AppState;

/// How long readiness waits for the database before answering 503.
const READY_TIMEOUT: Duration = Duration::from_secs(1);

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok` when healthy.
    #[schema(example = "ok")]
    pub status: String,
    /// For readiness: the database backend in use (`sqlite` or `postgresql`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "postgresql")]
    pub database: Option<String>,
}

/// Liveness: 200 while the process serves requests. Never touches the database.
#[utoipa::path(
    tag = "platform",
    responses((status = 200, description = "The process is serving", body = Health)),
    security(())
)]
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok".into(), database: None })
}

/// Readiness: 200 when the database answers within one second, else 503 with `Retry-After`.
#[utoipa::path(
    tag = "platform",
    responses(
        (status = 200, description = "The database answers", body = Health),
        (status = 503, description = "The database does not answer in time", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait before retrying"))),
    ),
    security(())
)]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let pool = state.pool.clone();
    let check = web::block(move || -> Result<(), sammen_store::StoreError> {
        let mut conn = pool.get_timeout(READY_TIMEOUT)?;
        let pinged = sammen_store::conn::ping(&mut conn);
        if pinged.is_err() {
            conn.check_after_failure();
        }
        pinged
    });
    match actix_web::rt::time::timeout(READY_TIMEOUT, check).await {
        Ok(Ok(Ok(()))) => {
            Ok(HttpResponse::Ok().json(Health { status: "ok".into(), database: Some(state.backend.name().into()) }))
        }
        Ok(Ok(Err(e))) => Err(e.into()),
        _ => {
            log::warn!("readiness: the database did not answer within {READY_TIMEOUT:?}");
            Err(ApiError::unavailable())
        }
    }
}

/// The served contract (`openapi/openapi.json` in the repository, byte for byte).
pub struct Contract(pub String);

/// This API's OpenAPI 3.1 contract.
#[utoipa::path(
    tag = "platform",
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json", body = Object)),
    security(())
)]
#[get("/openapi.json")]
pub async fn openapi_json(contract: web::Data<Contract>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .content_type("application/json")
        .body(contract.0.clone())
}
