//! The outermost middleware: request id, security headers, problem details for every error
//! response, and one access-log line per request.

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody, to_bytes};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpResponse};

use crate::platform::db_use;
use crate::problem::{PROBLEM_JSON, Problem, problem_for_status};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
pub const SERVER_TIMING: HeaderName = HeaderName::from_static("server-timing");

/// How many requests are being handled right now, so a shutdown can wait for them to finish
/// before it stops the server (see the binary's `serve`).
#[derive(Debug, Clone, Default)]
pub struct InFlight(std::sync::Arc<std::sync::atomic::AtomicUsize>);

impl InFlight {
    pub fn count(&self) -> usize {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn enter(&self) -> InFlightGuard {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        InFlightGuard(self.0.clone())
    }
}

/// Counts a request until it is dropped, however the request ends (answered, failed, cancelled).
struct InFlightGuard(std::sync::Arc<std::sync::atomic::AtomicUsize>);

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// The id of the current request, in the request's extensions.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The id of a request (made by the platform middleware; "unknown" outside it).
pub fn request_id(req: &actix_web::HttpRequest) -> String {
    req.extensions().get::<RequestId>().map_or_else(|| "unknown".to_owned(), |id| id.0.clone())
}

/// Accepts a caller's request id if it is short and plain (so it is safe to log and echo),
/// otherwise makes a new one.
fn request_id_of(req: &ServiceRequest) -> String {
    req.headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128)
        .filter(|v| v.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b)))
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string())
}

pub async fn platform(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let started = Instant::now();
    let _in_flight = req.app_data::<actix_web::web::Data<crate::AppState>>().map(|s| s.in_flight.enter());
    let request_id = request_id_of(&req);
    req.extensions_mut().insert(RequestId(request_id.clone()));
    let authenticated = req.headers().contains_key(header::AUTHORIZATION);
    let method = req.method().clone();
    // HEAD is answered as GET; actix's HTTP codec sends the headers without the body.
    if method == actix_web::http::Method::HEAD {
        req.head_mut().method = actix_web::http::Method::GET;
    }
    // The path only: query strings may carry personal data (an e-mail filter) and never reach the log.
    let path = req.path().to_owned();
    // At debug level only: lets an operator (and the shutdown test) see what is in flight.
    log::debug!(target: "sammen::access", "{method} {path} started request_id={request_id}");
    // Handlers, extractors, the router and CORS all turn their errors into responses, so an
    // `Err` here is not expected; actix renders it if it happens. (Holding a clone of the
    // request to render it ourselves would break actix's routing, which needs sole access.)
    let server_timing = req.app_data::<actix_web::web::Data<crate::AppState>>().is_some_and(|s| s.config.server_timing);
    let (response, db) = db_use::measured(next.call(req)).await;
    let response = response?.map_into_boxed_body();
    let mut response = if response.status().is_client_error() || response.status().is_server_error() {
        as_problem(response, &path, &request_id).await
    } else {
        response
    };

    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        headers.insert(REQUEST_ID, v);
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    let shared = headers.get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("public"));
    if !headers.contains_key(header::CACHE_CONTROL) || (authenticated && shared) {
        // Nothing is cached unless a handler says so (public reads do), and an authenticated
        // answer never sits in a shared cache.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }

    if server_timing {
        headers.insert(SERVER_TIMING, db.server_timing());
    }

    let status = response.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let statements = db.statements;
    log::info!(target: "sammen::access", "{method} {path} {status} {ms:.1}ms db_statements={statements} request_id={request_id}");
    Ok(response)
}

/// Makes sure an error response is problem+json carrying the request path and id, whoever made
/// it: our handlers, actix's extractors and router, or another middleware.
async fn as_problem(response: ServiceResponse<BoxBody>, path: &str, request_id: &str) -> ServiceResponse<BoxBody> {
    let (req, res) = response.into_parts();
    let status = res.status();
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM_JSON));
    let (head, body) = res.into_parts();
    let bytes = to_bytes(body).await.unwrap_or_default();
    let mut problem = if is_problem {
        serde_json::from_slice::<Problem>(&bytes).unwrap_or_else(|_| problem_for_status(status))
    } else {
        problem_for_status(status)
    };
    problem.instance = Some(path.to_owned());
    problem.request_id = Some(request_id.to_owned());
    // Keep the status and the headers that matter (Allow, Retry-After, WWW-Authenticate, CORS).
    let mut out = HttpResponse::build(status);
    for (name, value) in head.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            out.append_header((name.clone(), value.clone()));
        }
    }
    let mut body = serde_json::to_value(&problem).unwrap_or_default();
    // OAuth 2.0 error members (RFC 6749 §5.2) survive the rewrite.
    if let (Ok(original), Some(obj)) = (serde_json::from_slice::<serde_json::Value>(&bytes), body.as_object_mut()) {
        for member in ["error", "error_description"] {
            if let Some(v) = original.get(member) {
                obj.insert(member.to_owned(), v.clone());
            }
        }
    }
    let res = out.content_type(PROBLEM_JSON).body(body.to_string());
    ServiceResponse::new(req, res)
}
