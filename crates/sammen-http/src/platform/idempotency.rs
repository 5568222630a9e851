//! `Idempotency-Key` on POST: the first response is stored in the database and replayed for a
//! retry with the same key and body, across instances; the same key with another body is a 422.
//! Only successful (2xx) responses are kept: after an error the client may retry with the key.

use std::collections::BTreeMap;
use std::future::{Future, Ready, ready};

use actix_web::body::to_bytes;
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use sammen_store::platform::{self, IdempotencyScope, IdempotencyStart, StoredResponse};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::problem::ApiError;
use crate::state::AppState;

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

/// The headers of a response that a replay must carry too.
const REPLAYED_HEADERS: [HeaderName; 3] = [header::CONTENT_TYPE, header::LOCATION, header::ETAG];

/// Runs `work` at most once per (principal, key): replays the stored response for a repeat.
/// `request` is the parsed body; its canonical JSON is what "the same request" means.
pub async fn idempotent<F, Fut>(
    state: &AppState,
    req: &HttpRequest,
    principal: &str,
    key: IdempotencyKey,
    request: &impl Serialize,
    work: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<HttpResponse, ApiError>>,
{
    let Some(key) = key.0 else {
        return work().await;
    };
    let body = serde_json::to_vec(request).map_err(|e| ApiError::Internal(e.to_string()))?;
    let hash = format!("{:x}", Sha256::digest(&body));
    let (principal, method, path) = (principal.to_owned(), req.method().to_string(), req.path().to_owned());

    let start = {
        let (principal, key, method, path, hash) = (principal.clone(), key.clone(), method, path, hash);
        state
            .db(move |conn| {
                let scope = IdempotencyScope {
                    principal: &principal,
                    key: &key,
                    method: &method,
                    path: &path,
                    request_hash: &hash,
                };
                platform::idempotency_begin(conn, &scope)
            })
            .await?
    };
    match start {
        IdempotencyStart::Replay(stored) => return Ok(replay(&stored)),
        IdempotencyStart::InProgress => return Err(ApiError::IdempotencyKeyInProgress),
        IdempotencyStart::Mismatch => return Err(ApiError::IdempotencyKeyReused),
        IdempotencyStart::Started => {}
    }

    let outcome = work().await;
    let response = match outcome {
        Ok(response) if response.status().is_success() => response,
        other => {
            // Failed: free the key so a retry can run the request again.
            let (p, k) = (principal.clone(), key.clone());
            if let Err(e) = state.db(move |conn| platform::idempotency_abandon(conn, &p, &k)).await {
                log::warn!("could not release an idempotency key: {e}");
            }
            return other;
        }
    };
    let (res, body) = response.into_parts();
    let bytes = to_bytes(body).await.map_err(|_| ApiError::Internal("response body".into()))?;
    let headers: BTreeMap<String, String> = REPLAYED_HEADERS
        .iter()
        .filter_map(|name| Some((name.to_string(), res.headers().get(name)?.to_str().ok()?.to_owned())))
        .collect();
    let stored = StoredResponse {
        status: res.status().as_u16(),
        headers: serde_json::to_string(&headers).unwrap_or_default(),
        body: String::from_utf8_lossy(&bytes).into_owned(),
    };
    let to_store = stored.clone();
    state.db(move |conn| platform::idempotency_complete(conn, &principal, &key, &to_store)).await?;
    Ok(res.set_body(actix_web::body::BoxBody::new(bytes)))
}

fn replay(stored: &StoredResponse) -> HttpResponse {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut response = HttpResponse::build(status);
    let headers: BTreeMap<String, String> = serde_json::from_str(&stored.headers).unwrap_or_default();
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::from_str(&value)) {
            response.insert_header((name, value));
        }
    }
    response.insert_header((IDEMPOTENT_REPLAYED, HeaderValue::from_static("true")));
    response.body(stored.body.clone())
}
