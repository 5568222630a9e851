//! The contract: assembled from the same route registration the server serves, then completed
//! with the security scheme and the standard problem responses every operation can give.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, OpenApi, Ref, RefOr};
use utoipa::{Modify, OpenApi as _};

use crate::problem::{PROBLEM_JSON, Problem, ProblemField};

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Sammen API",
        description = "Sammen brings older citizens into community together with civil society: the activity \
directory, grant pools, volunteer matching and council records of a Danish municipality.\n\n\
Conventions (docs/api-guide.md): JSON with snake_case fields; errors are RFC 9457 \
`application/problem+json`; lists use cursor pagination (`limit` 1-100, `cursor`, `next_cursor`, \
`Link: rel=\"next\"`) and combine different filters with AND and repeated values of one filter with OR; \
mutable resources carry a `version` sent as `ETag` and updates require `If-Match`; creating POSTs accept \
`Idempotency-Key`.",
        license(name = "EUPL-1.2", identifier = "EUPL-1.2"),
    ),
    modifiers(&SecurityScheme_),
    components(schemas(Problem, ProblemField)),
    tags(
        (name = "platform", description = "Health and the contract"),
        (name = "identity", description = "Tokens, accounts and roles"),
        (name = "directory", description = "The activity directory: vocabularies, organisations"),
        (name = "outbox", description = "What the service sends: e-mail and webhooks, their deliveries"),
    )
)]
pub struct ApiDoc;

#[allow(non_camel_case_types)]
struct SecurityScheme_;

impl Modify for SecurityScheme_ {
    fn modify(&self, api: &mut OpenApi) {
        api.components.get_or_insert_default().add_security_scheme(
            "bearer_auth",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("An access token from POST /api/v1/auth/token"))
                    .build(),
            ),
        );
    }
}

/// The standard problem responses, defined once under `components/responses`.
const STANDARD: [(&str, &str, &str); 10] = [
    ("400", "BadRequest", "Malformed request: bad JSON, a wrong type or unknown field, a bad query or path value"),
    (
        "401",
        "Unauthorized",
        "No bearer token where one is required, or one that is invalid, expired or belongs to a disabled account (a bad token is refused on every operation, public ones too)",
    ),
    ("403", "Forbidden", "The caller's roles or scopes do not allow this"),
    ("404", "NotFound", "No such resource, or one the caller may not know of"),
    (
        "412",
        "PreconditionFailed",
        "The resource changed since the ETag in `If-Match` was read (or the ETag cannot match): fetch it again and reapply the change",
    ),
    ("413", "PayloadTooLarge", "The body is larger than 256 KiB"),
    ("415", "UnsupportedMediaType", "The body is not sent as JSON"),
    (
        "422",
        "ValidationFailed",
        "Well-formed but invalid: every bad field or query parameter is listed in `errors` (a control character in text is `invalid_character`); or an Idempotency-Key reused with another body",
    ),
    ("428", "PreconditionRequired", "`If-Match` is missing: send the ETag the change is based on"),
    ("503", "Unavailable", "The database is unavailable; retry after `Retry-After` seconds"),
];

fn problem_response(description: &str, retry_after: bool, www_authenticate: bool) -> Response {
    let mut builder = ResponseBuilder::new()
        .description(description)
        .content(PROBLEM_JSON, Content::new(Some(Ref::from_schema_name("Problem"))));
    if retry_after {
        builder = builder.header(
            "Retry-After",
            utoipa::openapi::HeaderBuilder::new()
                .schema(utoipa::openapi::schema::Object::with_type(utoipa::openapi::schema::Type::Integer))
                .description(Some("Seconds to wait before retrying"))
                .build(),
        );
    }
    if www_authenticate {
        builder = builder.header(
            "WWW-Authenticate",
            utoipa::openapi::HeaderBuilder::new()
                .schema(utoipa::openapi::schema::Object::with_type(utoipa::openapi::schema::Type::String))
                .build(),
        );
    }
    builder.build()
}

/// Whether the operation takes `If-Match` (the `IfMatch` extractor's parameter): it can then
/// answer 412 and 428.
fn takes_if_match(op: &Operation) -> bool {
    op.parameters.iter().flatten().any(|p| p.name == "If-Match")
}

/// Whether the operation is a public read (`platform::caching`, which lists `If-None-Match`):
/// it answers with an ETag and `Cache-Control`, and 304 to a matching `If-None-Match`.
fn is_public_read(op: &Operation) -> bool {
    op.parameters.iter().flatten().any(|p| p.name == "If-None-Match")
}

fn string_header(description: &str) -> utoipa::openapi::Header {
    utoipa::openapi::HeaderBuilder::new()
        .schema(utoipa::openapi::schema::Object::with_type(utoipa::openapi::schema::Type::String))
        .description(Some(description))
        .build()
}

/// The headers every public read answers with (200 and 304 alike).
fn caching_headers() -> [(&'static str, utoipa::openapi::Header); 3] {
    [
        (
            "ETag",
            string_header(
                "Strong validator of this answer; send it back in `If-None-Match` (a versioned resource's starts with its version, `\"3-…\"`, and also serves `If-Match`)",
            ),
        ),
        (
            "Cache-Control",
            string_header(
                "`public, max-age=N` for anonymous callers (a proxy may keep the answer N seconds); `private, no-cache` with a token",
            ),
        ),
        ("Vary", string_header("`Authorization`: callers with a token may see more")),
    ]
}

/// Documents what `platform::caching` does on every public read: the headers of its 200 and
/// its 304.
fn add_caching(api: &mut OpenApi) {
    let mut not_modified = ResponseBuilder::new()
        .description("Not modified: the copy with the ETag in `If-None-Match` is current (no body)");
    for (name, header) in caching_headers() {
        not_modified = not_modified.header(name, header);
    }
    api.components.get_or_insert_default().responses.insert("NotModified".to_owned(), RefOr::T(not_modified.build()));
    for item in api.paths.paths.values_mut() {
        let Some(op) = item.get.as_mut().filter(|op| is_public_read(op)) else { continue };
        if let Some(RefOr::T(ok)) = op.responses.responses.get_mut("200") {
            for (name, header) in caching_headers() {
                ok.headers.entry(name.to_owned()).or_insert(header);
            }
            ok.headers
                .entry("Age".to_owned())
                .or_insert(string_header("Seconds since this instance made the answer, when it comes from its cache"));
        }
        op.responses
            .responses
            .entry("304".to_owned())
            .or_insert_with(|| RefOr::Ref(Ref::new("#/components/responses/NotModified")));
    }
}

fn is_secured(op: &Operation) -> bool {
    op.security.as_ref().is_some_and(|reqs| reqs.iter().any(|r| r != &Default::default()))
}

/// Adds to every operation the standard problem responses that apply to it, without
/// overwriting those an operation documents itself.
fn add_problem_responses(api: &mut OpenApi) {
    let components = api.components.get_or_insert_default();
    for (status, name, description) in STANDARD {
        components
            .responses
            .insert(name.to_owned(), RefOr::T(problem_response(description, status == "503", status == "401")));
    }
    for (path, item) in api.paths.paths.iter_mut() {
        let has_path_params = path.contains('{');
        for op in
            [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch].into_iter().flatten()
        {
            let secured = is_secured(op);
            let has_body = op.request_body.is_some();
            let if_match = takes_if_match(op);
            let has_query = op.parameters.iter().flatten().any(|p| p.parameter_in == ParameterIn::Query);
            // The liveness probe and the contract never touch the database.
            let uses_db = !matches!(op.operation_id.as_deref(), Some("live") | Some("openapi_json"));
            for (status, name, _) in STANDARD {
                let applies = match status {
                    "400" | "401" => true,
                    "403" => secured,
                    "404" => has_path_params,
                    "412" | "428" => if_match,
                    "413" | "415" => has_body,
                    "422" => has_body || has_query,
                    "503" => uses_db,
                    _ => false,
                };
                if applies {
                    op.responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert_with(|| RefOr::Ref(Ref::new(format!("#/components/responses/{name}"))));
                }
            }
        }
    }
}

/// Completes the document built from the routes.
pub fn finish(mut api: OpenApi) -> OpenApi {
    add_problem_responses(&mut api);
    add_caching(&mut api);
    api
}

/// The base document (info, components, tags) before the routes add their paths.
pub fn base() -> OpenApi {
    ApiDoc::openapi()
}
