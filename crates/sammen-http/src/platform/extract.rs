//! Error handlers for actix's extractors, so a malformed body, query or path is a 4xx problem.

use actix_web::error::{JsonPayloadError, PathError, PayloadError, QueryPayloadError, UrlencodedError};
use actix_web::web::{FormConfig, JsonConfig, PathConfig, PayloadConfig, QueryConfig};

use super::BODY_LIMIT;
use crate::problem::ApiError;

fn too_large() -> ApiError {
    ApiError::PayloadTooLarge(format!("the request body is larger than the limit of {BODY_LIMIT} bytes"))
}

fn payload_error(err: &PayloadError) -> ApiError {
    match err {
        PayloadError::Overflow => too_large(),
        other => ApiError::BadRequest(format!("the request body could not be read: {other}")),
    }
}

pub fn json_error(err: &JsonPayloadError) -> ApiError {
    match err {
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => too_large(),
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType(
            "the request body must be JSON, sent with Content-Type: application/json".into(),
        ),
        JsonPayloadError::Deserialize(e) if e.is_eof() && e.line() == 1 && e.column() == 0 => {
            ApiError::BadRequest("the request body is empty; a JSON object was expected".into())
        }
        JsonPayloadError::Deserialize(e) => ApiError::BadRequest(format!("the request body is not valid: {e}")),
        JsonPayloadError::Payload(e) => payload_error(e),
        other => ApiError::BadRequest(format!("the request body is not valid: {other}")),
    }
}

pub fn json_config() -> JsonConfig {
    JsonConfig::default().limit(BODY_LIMIT).error_handler(|err, _req| json_error(&err).into())
}

pub fn form_config() -> FormConfig {
    FormConfig::default().limit(BODY_LIMIT).error_handler(|err, _req| {
        match err {
            UrlencodedError::Overflow { .. } => too_large(),
            UrlencodedError::ContentType => ApiError::UnsupportedMediaType(
                "the request body must be application/x-www-form-urlencoded or application/json".into(),
            ),
            UrlencodedError::Payload(e) => payload_error(&e),
            other => ApiError::BadRequest(format!("the form body is not valid: {other}")),
        }
        .into()
    })
}

pub fn query_config() -> QueryConfig {
    QueryConfig::default().error_handler(|err, _req| {
        let QueryPayloadError::Deserialize(e) = &err else {
            return ApiError::BadRequest(format!("invalid query string: {err}")).into();
        };
        ApiError::BadRequest(format!("invalid query parameter: {e}")).into()
    })
}

pub fn path_config() -> PathConfig {
    PathConfig::default().error_handler(|err, _req| {
        let PathError::Deserialize(e) = &err else {
            return ApiError::BadRequest(format!("invalid path: {err}")).into();
        };
        ApiError::BadRequest(format!("invalid path parameter: {e}")).into()
    })
}

pub fn payload_config() -> PayloadConfig {
    PayloadConfig::new(BODY_LIMIT)
}

/// Query parameters in which a repeated parameter fills a list (`?kind=a&kind=b`), as list
/// filters take them (OR within one parameter). `web::Query` cannot read repeated keys.
#[derive(Debug)]
pub struct ListQuery<T>(pub T);

impl<T: serde::de::DeserializeOwned> actix_web::FromRequest for ListQuery<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(
            serde_html_form::from_str(req.query_string())
                .map(ListQuery)
                .map_err(|e| ApiError::BadRequest(format!("invalid query parameter: {e}"))),
        )
    }
}
