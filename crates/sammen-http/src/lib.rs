//! Sammen's HTTP API: actix-web handlers under `/api/v1`, the conventions they share, and the
//! OpenAPI contract built from the same route registration the server serves.

pub mod directory;
pub mod grants;
pub mod identity;
pub mod openapi;
pub mod outbox;
pub mod platform;
pub mod problem;
pub mod state;

use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpResponse, web};
use utoipa_actix_web::AppExt;
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_swagger_ui::{Config, SwaggerUi};

pub use problem::ApiError;
pub use state::{AppState, HttpConfig};

use platform::fallback::RouteTable;
use platform::health::Contract;
use platform::idempotency::{IDEMPOTENCY_KEY, IDEMPOTENT_REPLAYED};
use platform::middleware::REQUEST_ID;

pub const API_PREFIX: &str = "/api/v1";
pub const DOCS_PATH: &str = "/api/docs/";

/// Every operation of `/api/v1`. Handlers are registered with their route macros so that
/// utoipa-actix-web records each one in the contract.
fn api_v1(cfg: &mut ServiceConfig) {
    cfg.service(platform::health::live)
        .service(platform::health::ready)
        .service(platform::health::openapi_json)
        .service(identity::auth::token)
        .service(identity::auth::revoke)
        .service(identity::accounts::register)
        .service(identity::accounts::verify_email)
        .service(identity::accounts::request_password_reset)
        .service(identity::accounts::complete_password_reset)
        .service(identity::accounts::change_password)
        .service(identity::me::me)
        .service(identity::me::export_me)
        .service(identity::me::erase_me)
        .service(identity::users::create_user)
        .service(identity::users::list_users)
        .service(identity::users::get_user)
        .service(identity::users::update_user)
        .service(identity::clients::create_client)
        .service(identity::clients::list_clients)
        .service(identity::clients::get_client)
        .service(identity::clients::update_client)
        .service(identity::clients::rotate_client_secret)
        .service(identity::audit::list_audit_events)
        .service(outbox::deliveries::list_deliveries)
        .service(outbox::subscriptions::replay_delivery)
        .service(outbox::subscriptions::create_subscription)
        .service(outbox::subscriptions::get_subscription)
        .service(outbox::subscriptions::update_subscription)
        .service(outbox::subscriptions::subscription_deliveries)
        .service(directory::taxonomy::get_taxonomy)
        .service(directory::taxonomy::put_term)
        .service(directory::taxonomy::put_district)
        .service(directory::taxonomy::put_housing_area)
        .service(directory::organisations::create_organisation)
        .service(directory::organisations::list_organisations)
        .service(directory::organisations::get_organisation)
        .service(directory::organisations::update_organisation)
        .service(directory::activities::list_organisation_activities)
        .service(directory::listing_reports::list_reports)
        .service(directory::listing_reports::resolve_report)
        .service(directory::activities::list_activities)
        // Before `/activities/{id}`, which would otherwise take the path.
        .service(directory::activities::search_calendar)
        .service(directory::activities::activity_changes)
        .service(directory::activities::activity_locations)
        .service(directory::activities::create_activity)
        .service(directory::activities::put_activity_by_external_id)
        .service(directory::import::import_activities)
        .service(directory::activities::get_activity)
        .service(directory::activities::update_activity)
        .service(directory::activities::transition_activity)
        .service(directory::activities::assure_activity)
        .service(directory::activities::list_occurrences)
        .service(directory::activities::activity_calendar)
        .service(directory::listing_reports::report_activity)
        .service(directory::activities::moderation_queue)
        .service(directory::reports::coverage_report)
        .service(directory::exports::hsds_export)
        .configure(grants::routes);
}

fn registered() -> (
    App<
        impl ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse<actix_web::body::BoxBody>,
            Error = actix_web::Error,
            InitError = (),
        >,
    >,
    utoipa::openapi::OpenApi,
) {
    let (app, api) = App::new()
        .into_utoipa_app()
        .openapi(openapi::base())
        .service(utoipa_actix_web::scope(API_PREFIX).configure(api_v1))
        .split_for_parts();
    (app, openapi::finish(api))
}

/// The contract as served and committed: pretty JSON with a final newline.
pub fn contract_json() -> String {
    let (_, api) = registered();
    to_contract_json(&api)
}

fn to_contract_json(api: &utoipa::openapi::OpenApi) -> String {
    api.to_pretty_json().expect("the OpenAPI document serialises") + "\n"
}

/// The OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    registered().1
}

fn cors(config: &HttpConfig) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
            header::ACCEPT,
            IDEMPOTENCY_KEY,
            REQUEST_ID,
        ])
        .expose_headers([
            header::ETAG,
            header::LINK,
            header::LOCATION,
            header::RETRY_AFTER,
            REQUEST_ID,
            IDEMPOTENT_REPLAYED,
        ])
        .max_age(3600)
        // A request from an origin not on the list proceeds without CORS headers (the browser
        // then withholds the answer), so same-origin pages and non-browser clients are unaffected.
        .block_on_origin_mismatch(false);
    for origin in &config.cors_origins {
        cors = if origin == "*" { cors.allow_any_origin() } else { cors.allowed_origin(origin) };
    }
    cors
}

async fn to_docs() -> HttpResponse {
    HttpResponse::PermanentRedirect().insert_header((header::LOCATION, DOCS_PATH)).finish()
}

/// The whole application: routes, docs page, extractor settings, CORS and the platform middleware.
pub fn app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let (app, api) = registered();
    let contract = web::Data::new(Contract(to_contract_json(&api)));
    let routes = web::Data::new(RouteTable::from_openapi(&api));
    let cors = cors(&state.config);
    app.app_data(web::Data::new(state))
        .app_data(contract)
        .app_data(routes)
        .app_data(platform::extract::form_config())
        .app_data(platform::extract::path_config())
        .app_data(platform::extract::payload_config())
        .service(SwaggerUi::new("/api/docs/{_:.*}").config(Config::new([format!("{API_PREFIX}/openapi.json")])))
        .service(web::resource(["/", "/api/docs"]).get(to_docs))
        .default_service(web::to(platform::fallback::not_found))
        .wrap(from_fn(identity::caller::authentication))
        .wrap(cors)
        .wrap(from_fn(platform::middleware::platform))
}
