//! ETags from a `version` column, and `If-Match` checks that make lost updates impossible.
//!
//! A command answers with the ETag `"3"`; a public GET with `"3-<digest of the body>"`, so the
//! representations of one version (the public's and the organisation's view, a next occurrence
//! that moved on) differ. `If-Match` accepts both and compares the version they start with.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest};

use crate::problem::ApiError;

/// The strong ETag of a resource at `version`.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// The `If-Match` header of a request, as sent. Listed in an operation's `params(...)`, it
/// documents the header in the contract (required: without it the answer is 428).
#[derive(Debug, Clone, utoipa::IntoParams)]
#[into_params(parameter_in = Header, names("If-Match"))]
pub struct IfMatch(
    /// The ETag the change is based on (`"3"`, or `"3-…"` as a GET gave it), or `*` for whatever
    /// the current version is.
    #[param(required = true, value_type = String, pattern = r#"^(\*|"[0-9]+(-[A-Za-z0-9_-]+)?")$"#)]
    Option<String>,
);

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let value = match req.headers().get(header::IF_MATCH).map(|v| v.to_str()) {
            None => Ok(None),
            Some(Ok(v)) => Ok(Some(v.trim().to_owned())),
            Some(Err(_)) => Err(ApiError::BadRequest("If-Match must be an ETag such as \"3\"".into())),
        };
        ready(value.map(IfMatch))
    }
}

impl IfMatch {
    /// The version the caller based the change on. Without the header the operation is refused
    /// with 428; `*` accepts any version; an ETag that cannot match (weak, malformed, a list)
    /// answers 412 like a stale one.
    pub fn required_version(&self) -> Result<Option<i64>, ApiError> {
        let value = self.0.as_deref().ok_or(ApiError::PreconditionRequired)?;
        if value == "*" {
            return Ok(None);
        }
        value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .map(|v| v.split_once('-').map_or(v, |(version, _)| version))
            .and_then(|v| v.parse::<i64>().ok())
            .map(Some)
            .ok_or(ApiError::PreconditionFailed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_values() {
        assert!(matches!(IfMatch(None).required_version(), Err(ApiError::PreconditionRequired)));
        assert_eq!(IfMatch(Some("*".into())).required_version().unwrap(), None);
        assert_eq!(IfMatch(Some(etag(7))).required_version().unwrap(), Some(7));
        assert_eq!(IfMatch(Some("\"7-Zm9vYmFy\"".into())).required_version().unwrap(), Some(7));
        for cannot_match in ["W/\"7\"", "7", "\"x\"", "\"1\", \"2\"", "\"-7\"", "\"x-7\""] {
            assert!(matches!(IfMatch(Some(cannot_match.into())).required_version(), Err(ApiError::PreconditionFailed)));
        }
    }
}
