//! Reading requests at the edge: JSON bodies (`Body`) and query strings (`Query`) with their
//! errors as 4xx problems, and error handlers for actix's own extractors (forms, paths,
//! payloads).
//!
//! Text is checked here for what neither database may hold differently (`sammen_domain::text`):
//! a control character in any query parameter, or in a JSON field of the checked text types, is
//! a 422 that names the parameter or field.

use std::future::{Ready, ready};
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::{PathError, PayloadError, UrlencodedError};
use actix_web::http::header;
use actix_web::web::{Bytes, FormConfig, PathConfig, PayloadConfig};
use actix_web::{FromRequest, HttpRequest};
use sammen_domain::text::{INVALID_CHARACTER, REFUSED_TEXT, check_text};
use serde::de::DeserializeOwned;

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

/// A JSON request body, deserialised into `T`: 415 unless it is sent as JSON, 413 over 256 KiB,
/// 400 when it is not valid for `T` (saying where), 422 naming the field for refused text.
#[derive(Debug)]
pub struct Body<T>(pub T);

impl<T> Body<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

fn is_json(req: &HttpRequest) -> bool {
    let Some(value) = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else { return false };
    let mime = value.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

/// `T` from the JSON `bytes`, or the problem with them.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::BadRequest("the request body is empty; a JSON object was expected".into()));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| (e.path().to_string(), e.into_inner()))
        .and_then(|value| deserializer.end().map(|()| value).map_err(|e| (".".to_owned(), e)));
    value.map_err(|(path, inner)| {
        let inner = inner.to_string();
        if let Some(refusal) = inner.strip_prefix(REFUSED_TEXT) {
            // serde_json ends its messages with the position; the field names the place.
            let message = refusal.rsplit_once(" at line ").map_or(refusal, |(m, _)| m);
            return ApiError::invalid(&path, INVALID_CHARACTER, message);
        }
        if path == "." {
            ApiError::BadRequest(format!("the request body is not valid: {inner}"))
        } else {
            ApiError::BadRequest(format!("the request body is not valid at `{path}`: {inner}"))
        }
    })
}

impl<T: DeserializeOwned + 'static> FromRequest for Body<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        if !is_json(req) {
            return Box::pin(ready(Err(ApiError::UnsupportedMediaType(
                "the request body must be JSON, sent with Content-Type: application/json".into(),
            ))));
        }
        let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
        if declared.is_some_and(|n| n > BODY_LIMIT) {
            return Box::pin(ready(Err(too_large())));
        }
        let bytes = Bytes::from_request(req, payload);
        Box::pin(async move {
            let bytes = bytes.await.map_err(|e| match e.as_error::<PayloadError>() {
                Some(e) => payload_error(e),
                None if e.error_response().status() == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE => too_large(),
                None => ApiError::BadRequest(format!("the request body could not be read: {e}")),
            })?;
            parse_json(&bytes).map(Body)
        })
    }
}

/// The query string, deserialised into `T`; a repeated parameter fills a list
/// (`?kind=a&kind=b`, OR within one parameter, as list filters take them). A control character
/// in any parameter is a 422 naming it; a value `T` cannot take is a 400.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T> Query<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Query<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// Refuses a control character in any parameter's name or value, naming the parameter.
fn check_query_text(query: &str) -> Result<(), ApiError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query).map_err(|e| ApiError::BadRequest(format!("invalid query string: {e}")))?;
    for (name, value) in &pairs {
        let field: String = name.chars().filter(|c| !c.is_control()).collect();
        check_text(&field, name, false)
            .and_then(|()| check_text(&field, value, false))
            .map_err(|e| ApiError::Validation(e.into()))?;
    }
    Ok(())
}

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let query = req.query_string();
        ready(check_query_text(query).and_then(|()| {
            serde_html_form::from_str(query)
                .map(Query)
                .map_err(|e| ApiError::BadRequest(format!("invalid query parameter: {e}")))
        }))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Named {
        #[allow(dead_code)]
        name: sammen_domain::text::Line,
        #[allow(dead_code)]
        tags: Vec<String>,
    }

    #[test]
    fn bodies_say_where_they_are_wrong_and_refused_text_names_its_field() {
        let ApiError::Validation(errors) = parse_json::<Named>(br#"{"name": "a\u0000b", "tags": []}"#).unwrap_err()
        else {
            panic!("a 422")
        };
        assert_eq!((errors.0[0].field.as_str(), errors.0[0].code), ("name", INVALID_CHARACTER));
        assert_eq!(errors.0[0].message, "must not contain control characters (found U+0000)");
        let ApiError::BadRequest(m) = parse_json::<Named>(br#"{"name": "a", "tags": [1]}"#).unwrap_err() else {
            panic!("a 400")
        };
        assert!(m.starts_with("the request body is not valid at `tags[0]`: invalid type"), "{m}");
        assert!(matches!(parse_json::<Named>(b"  "), Err(ApiError::BadRequest(m)) if m.contains("empty")));
        assert!(matches!(parse_json::<Named>(br#"{"name":"a","tags":[]} x"#), Err(ApiError::BadRequest(_))));
    }

    #[test]
    fn a_control_character_in_any_query_parameter_names_it() {
        assert!(check_query_text("q=f%C3%A6llessang&district=norrebro").is_ok());
        let ApiError::Validation(errors) = check_query_text("limit=5&q=sang%00kor").unwrap_err() else { panic!() };
        assert_eq!((errors.0[0].field.as_str(), errors.0[0].code), ("q", INVALID_CHARACTER));
        assert!(check_query_text("actor=%0Auser").is_err());
    }
}
