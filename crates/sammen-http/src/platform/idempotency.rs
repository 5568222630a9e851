//! The `Idempotency-Key` header on creating POSTs: the first successful response is stored in
//! the database, in the same transaction as the work (`super::command`), and replayed for a
//! retry with the same key and body, across instances; the same key with another body is a 422.
//! After an error nothing is stored, so the client may retry with the same key.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header::HeaderName;
use actix_web::{FromRequest, HttpRequest};

use crate::problem::ApiError;

pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
/// Set on a response that is a replay of the first response to the same key.
pub const IDEMPOTENT_REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// The `Idempotency-Key` header, if sent: 1–255 visible ASCII characters (a UUID is typical).
/// Listed in an operation's `params(...)`, it documents the header in the contract.
#[derive(Debug, Clone, utoipa::IntoParams)]
#[into_params(parameter_in = Header, names("Idempotency-Key"))]
pub struct IdempotencyKey(
    /// Makes a retry safe: the first successful response is replayed for 24 hours to a retry with
    /// the same key and body; the same key with another body is a 422.
    #[param(value_type = String, pattern = "^[!-~]{1,255}$", min_length = 1, max_length = 255)]
    pub Option<String>,
);

impl FromRequest for IdempotencyKey {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(value) = req.headers().get(IDEMPOTENCY_KEY) else {
            return ready(Ok(IdempotencyKey(None)));
        };
        let key = value
            .to_str()
            .ok()
            .filter(|v| !v.is_empty() && v.len() <= 255 && v.bytes().all(|b| b.is_ascii_graphic()))
            .map(|v| IdempotencyKey(Some(v.to_owned())))
            .ok_or_else(|| ApiError::BadRequest("Idempotency-Key must be 1 to 255 visible ASCII characters".into()));
        ready(key)
    }
}
