//! Authentication: the middleware that verifies a bearer token and finds who it speaks for, and
//! the `Caller` extractor. Deny by default: a handler that takes `Caller` refuses requests without
//! a valid token, and then asks its area's policy what the caller may do.

use std::future::{Ready, ready};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use sammen_domain::Actor;
use sammen_domain::identity::Scope;
use sammen_domain::ids::{ApiClientId, UserId};
use sammen_store::audit::AuditContext;
use sammen_store::identity as store;

use super::jwt::{Claims, JwtKeys, SubjectKind};
use crate::platform::middleware::request_id;
use crate::problem::ApiError;
use crate::state::AppState;

/// An authenticated caller: the actor (a user with their current roles, or an API client with
/// its current scopes), and the request it acts in. What it may do is each area's policy's to
/// say (`sammen_domain::identity::policy`, `sammen_domain::directory::policy`).
#[derive(Debug, Clone)]
pub struct Caller {
    pub actor: Actor,
    /// The request's id, for the audit log.
    pub request_id: String,
}

impl Caller {
    /// Who acts and in which request, for the audit log.
    pub fn audit(&self) -> AuditContext {
        AuditContext::new(self.actor.principal(), self.request_id.clone())
    }

    /// The caller as the owner of idempotency keys and the actor in the audit log.
    pub fn principal(&self) -> String {
        self.actor.principal()
    }
}

impl std::ops::Deref for Caller {
    type Target = Actor;

    fn deref(&self) -> &Actor {
        &self.actor
    }
}

/// The bearer token of a request: `None` without an Authorization header or with another
/// scheme (Basic belongs to the token endpoint).
fn bearer(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else { return Ok(None) };
    let value = value.to_str().map_err(|_| ApiError::Unauthorized("the Authorization header is not valid".into()))?;
    match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => {
            let token = token.trim();
            if token.is_empty() {
                return Err(ApiError::Unauthorized("the bearer token is empty".into()));
            }
            Ok(Some(token.to_owned()))
        }
        _ => Ok(None),
    }
}

async fn authenticate(req: &HttpRequest) -> Result<Option<Caller>, ApiError> {
    let Some(token) = bearer(req)? else { return Ok(None) };
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::Internal("application state missing".into()))?
        .clone();
    let claims: Claims = state.jwt.verify(&token).map_err(|e| ApiError::Unauthorized(e.to_string()))?;
    let revoked = || ApiError::Unauthorized("the access token is not valid".into());
    let request_id = request_id(req);
    // The account must still be active, and its current roles or scopes apply: disabling a
    // user or client, or taking a role away, takes effect at once.
    let actor = match claims.kind {
        SubjectKind::User => {
            let issued_at = JwtKeys::issued_at(&claims).ok_or_else(revoked)?;
            let id = UserId::from_stored(claims.sub);
            let lookup = id.clone();
            let roles =
                state.db(move |conn| store::user_access(conn, &lookup, issued_at)).await?.ok_or_else(revoked)?;
            Actor::User { id, roles }
        }
        SubjectKind::Client => {
            let id = ApiClientId::from_stored(claims.sub);
            let lookup = id.clone();
            let client = state.db(move |conn| store::client_access(conn, &lookup)).await?.ok_or_else(revoked)?;
            // The token's scopes that the client still holds.
            let scopes = claims
                .scope
                .split_whitespace()
                .filter_map(|s| s.parse::<Scope>().ok())
                .filter(|s| client.scopes.contains(s))
                .collect();
            Actor::Client { id, scopes, organisation: client.organisation_id }
        }
    };
    Ok(Some(Caller { actor, request_id }))
}

/// Middleware: verifies a bearer token before anything else reads the request, so a bad token
/// is a 401 whatever else is wrong with the request, and keeps the caller in the request's
/// extensions for the `Caller` extractor.
pub async fn authentication(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    match authenticate(req.request()).await {
        Ok(Some(caller)) => {
            req.extensions_mut().insert(caller);
            next.call(req).await.map(ServiceResponse::map_into_left_body)
        }
        Ok(None) => next.call(req).await.map(ServiceResponse::map_into_left_body),
        Err(err) => Ok(req.error_response(err).map_into_right_body()),
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let caller = req.extensions().get::<Caller>().cloned();
        ready(caller.ok_or_else(|| match req.headers().get(header::AUTHORIZATION) {
            Some(_) => ApiError::Unauthorized("use Authorization: Bearer <access token>".into()),
            None => ApiError::Unauthorized("this requires a bearer access token".into()),
        }))
    }
}

/// For operations open to the public that show more to some callers: `None` without a token.
/// (A bad token never reaches a handler: the middleware answers 401.)
#[derive(Debug, Clone)]
pub struct MaybeCaller(pub Option<Caller>);

impl FromRequest for MaybeCaller {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(MaybeCaller(req.extensions().get::<Caller>().cloned())))
    }
}
