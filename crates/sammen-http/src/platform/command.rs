//! One command, one transaction.
//!
//! A command that changes something runs as one closure inside one database transaction: it
//! loads (and locks) what it acts on, asks the policy, validates, writes, records the audit
//! event, and renders its answer, and the Idempotency-Key record of the request is claimed and
//! completed in the same transaction. So either all of it commits or none of it does: a
//! database failure at any point leaves nothing half-done, and a key is never left "in
//! progress". Two requests with the same key at once: the second waits for the first (on the
//! key's row) and replays its committed answer.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use sammen_store::platform::{self, IdempotencyScope, KeyClaim, StoredResponse};
use sammen_store::{DbConn, StoreError, write_transaction};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::idempotency::{IDEMPOTENT_REPLAYED, IdempotencyKey};
use super::precondition::etag;
use crate::problem::ApiError;
use crate::state::AppState;

/// A command's answer, rendered inside its transaction so that a replay sends exactly it.
#[derive(Debug, Clone)]
pub struct Answer {
    status: StatusCode,
    location: Option<String>,
    etag: Option<String>,
    /// JSON.
    body: String,
}

impl Answer {
    /// 200 with `body`.
    pub fn ok(body: &impl Serialize) -> Result<Answer, ApiError> {
        Answer::with_status(StatusCode::OK, body)
    }

    /// 201 with `body`, and `Location: location`.
    pub fn created(location: String, body: &impl Serialize) -> Result<Answer, ApiError> {
        Ok(Answer { location: Some(location), ..Answer::with_status(StatusCode::CREATED, body)? })
    }

    pub fn with_status(status: StatusCode, body: &impl Serialize) -> Result<Answer, ApiError> {
        let body = serde_json::to_string(body).map_err(ApiError::internal)?;
        Ok(Answer { status, location: None, etag: None, body })
    }

    /// With the `ETag` of the resource at `version`.
    pub fn tagged(mut self, version: i64) -> Answer {
        self.etag = Some(etag(version));
        self
    }

    fn headers(&self) -> Vec<(HeaderName, String)> {
        let mut headers = vec![(header::CONTENT_TYPE, "application/json".to_owned())];
        headers.extend(self.location.clone().map(|l| (header::LOCATION, l)));
        headers.extend(self.etag.clone().map(|e| (header::ETAG, e)));
        headers
    }

    fn stored(&self) -> StoredResponse {
        let headers: BTreeMap<String, String> = self.headers().into_iter().map(|(n, v)| (n.to_string(), v)).collect();
        StoredResponse {
            status: self.status.as_u16(),
            headers: serde_json::to_string(&headers).unwrap_or_default(),
            body: self.body.clone(),
        }
    }

    fn response(self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        for header in self.headers() {
            response.insert_header(header);
        }
        response.body(self.body)
    }
}

/// The request an `Idempotency-Key` protects: who sent it, with which key, and a hash of the
/// method, path and body that "the same request" means.
#[derive(Debug, Clone)]
pub struct Idempotency {
    principal: String,
    key: String,
    method: String,
    path: String,
    hash: String,
}

impl Idempotency {
    /// `None` when the request carries no key. `body` is the parsed request; its canonical
    /// JSON is what is compared.
    pub fn of(
        req: &HttpRequest,
        principal: String,
        key: IdempotencyKey,
        body: &impl Serialize,
    ) -> Result<Option<Idempotency>, ApiError> {
        let Some(key) = key.0 else { return Ok(None) };
        let json = serde_json::to_vec(body).map_err(ApiError::internal)?;
        Ok(Some(Idempotency {
            principal,
            key,
            method: req.method().to_string(),
            path: req.path().to_owned(),
            hash: format!("{:x}", Sha256::digest(&json)),
        }))
    }

    fn scope(&self) -> IdempotencyScope<'_> {
        IdempotencyScope {
            principal: &self.principal,
            key: &self.key,
            method: &self.method,
            path: &self.path,
            request_hash: &self.hash,
        }
    }
}

enum Outcome {
    Done(Answer),
    Replay(StoredResponse),
}

/// Why a transaction did not commit: to be run again, or the command's own error.
enum Attempt {
    Again,
    Failed(ApiError),
}

impl From<StoreError> for Attempt {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Retry => Attempt::Again,
            e => Attempt::Failed(e.into()),
        }
    }
}

impl From<ApiError> for Attempt {
    fn from(e: ApiError) -> Self {
        Attempt::Failed(e)
    }
}

/// How often a command whose key another request claimed at the same moment is run again
/// (the second run finds the first's answer and replays it).
const ATTEMPTS: u32 = 3;

/// Runs `work` as one transaction, with the key's claim and record in it when the request has
/// an `Idempotency-Key`; a repeat of a request already answered gets that answer again.
pub async fn command<F>(state: &AppState, idempotency: Option<Idempotency>, work: F) -> Result<HttpResponse, ApiError>
where
    F: Fn(&mut DbConn) -> Result<Answer, ApiError> + Send + 'static,
{
    let outcome = state
        .db(move |conn| {
            let mut attempt = 0;
            loop {
                attempt += 1;
                let result = write_transaction(conn, |conn| -> Result<Outcome, Attempt> {
                    if let Some(request) = &idempotency {
                        match platform::idempotency_claim(conn, &request.scope())? {
                            KeyClaim::Replay(stored) => return Ok(Outcome::Replay(stored)),
                            KeyClaim::Mismatch => return Err(ApiError::IdempotencyKeyReused.into()),
                            KeyClaim::New => {}
                        }
                    }
                    let answer = work(conn)?;
                    if let Some(request) = &idempotency {
                        platform::idempotency_record(conn, &request.principal, &request.key, &answer.stored())?;
                    }
                    Ok(Outcome::Done(answer))
                });
                match result {
                    Ok(outcome) => return Ok(outcome),
                    Err(Attempt::Again) if attempt < ATTEMPTS => continue,
                    Err(Attempt::Again) => return Err(ApiError::IdempotencyKeyInProgress),
                    Err(Attempt::Failed(e)) => return Err(e),
                }
            }
        })
        .await?;
    Ok(match outcome {
        Outcome::Done(answer) => answer.response(),
        Outcome::Replay(stored) => replay(&stored),
    })
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
