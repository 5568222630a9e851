//! The one authentication extractor and the authorization questions every handler asks.
//! Deny by default: a handler that takes `Caller` refuses requests without a valid token, and
//! must then say which roles or scopes may proceed.

use std::future::{Ready, ready};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use sammen_domain::identity::{Role, RoleGrant};
use sammen_store::audit::AuditContext;
use sammen_store::identity as store;

use super::jwt::{Claims, SubjectKind};
use crate::platform::middleware::request_id;
use crate::problem::ApiError;
use crate::state::AppState;

/// An authenticated caller: a user or an API client.
#[derive(Debug, Clone)]
pub struct Caller {
    pub subject: String,
    pub kind: SubjectKind,
    /// A user's roles as they are now in the database (not as when the token was issued).
    pub roles: Vec<RoleGrant>,
    /// A client's scopes: those of its token that the client still holds.
    pub scopes: Vec<String>,
    /// The organisation an API client acts for, if any.
    pub organisation: Option<String>,
    /// The request's id, for the audit log.
    pub request_id: String,
}

impl Caller {
    /// Who acts and in which request, for the audit log.
    pub fn audit(&self) -> AuditContext {
        AuditContext::new(self.principal(), self.request_id.clone())
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.roles.iter().any(|g| g.role == role)
    }

    /// Whether the caller holds `role` for `scope` (a unit, council or organisation id).
    pub fn acts_for(&self, role: Role, scope: &str) -> bool {
        self.roles.iter().any(|g| g.role == role && g.scope.as_deref() == Some(scope))
    }

    /// Whether the caller may act for organisation `id`: a user who represents it (role
    /// `organisation` scoped to it), or an API client bound to it that holds `scope`.
    pub fn acts_for_organisation(&self, id: &str, scope: &str) -> bool {
        match self.kind {
            SubjectKind::User => self.acts_for(Role::Organisation, id),
            SubjectKind::Client => self.organisation.as_deref() == Some(id) && self.has_scope(scope),
        }
    }

    /// Municipal staff or an administrator.
    pub fn is_staff(&self) -> bool {
        self.has_role(Role::Staff) || self.has_role(Role::Admin)
    }

    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    /// 403 unless the caller holds one of `roles`.
    pub fn require_any(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.iter().any(|r| self.has_role(*r)) {
            Ok(())
        } else {
            let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
            Err(ApiError::Forbidden(format!("this requires one of the roles: {}", names.join(", "))))
        }
    }

    /// The caller as the owner of idempotency keys and the actor in the audit log.
    pub fn principal(&self) -> String {
        match self.kind {
            SubjectKind::User => format!("user:{}", self.subject),
            SubjectKind::Client => format!("client:{}", self.subject),
        }
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
    let subject = claims.sub.clone();
    let caller = match claims.kind {
        SubjectKind::User => {
            let roles = state.db(move |conn| store::user_access(conn, &subject)).await?.ok_or_else(revoked)?;
            Caller { subject: claims.sub, kind: claims.kind, roles, scopes: Vec::new(), organisation: None, request_id }
        }
        SubjectKind::Client => {
            let client = state.db(move |conn| store::client_access(conn, &subject)).await?.ok_or_else(revoked)?;
            let held = client.scope_list();
            let scopes =
                claims.scope.split_whitespace().filter(|s| held.iter().any(|h| h == s)).map(str::to_owned).collect();
            Caller {
                subject: claims.sub,
                kind: claims.kind,
                roles: Vec::new(),
                scopes,
                organisation: client.organisation_id,
                request_id,
            }
        }
    };
    Ok(Some(caller))
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
