//! Webhook subscriptions: an admin subscribes any API client to the directory's events; an
//! organisation's representative subscribes its own client to that organisation's events. Each
//! has a delivery log, and a delivery can be sent again.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use sammen_domain::ids::{ApiClientId, OrganisationId, WebhookId};
use sammen_domain::outbox::{Channel, EventType};
use sammen_domain::webhooks::{self as rules, Reach};
use sammen_domain::{FieldError, ValidationErrors};
use sammen_store::outbox::{self as outbox_store, DeliveryFilter};
use sammen_store::webhooks::{self as store, NewSubscription, Subscription, SubscriptionChanges};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::deliveries::{DeliveryResponse, response};
use super::webhook::new_secret;
use crate::identity::Caller;
use crate::platform::extract::{Body, Query};
use crate::platform::pagination::{Page, PageParams, page_response};
use crate::platform::precondition::{IfMatch, etag};
use crate::problem::{ApiError, Problem};
use crate::state::AppState;

/// A webhook subscription.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionResponse {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub api_client_id: String,
    /// Only events about this organisation and its listings (a representative's subscription);
    /// `null`: every event of its types.
    pub organisation_id: Option<String>,
    pub url: String,
    pub event_types: Vec<EventType>,
    /// Deliveries are made while it is active; it is turned off after 72 hours of failures.
    pub active: bool,
    /// Since when every delivery has failed.
    pub failing_since: Option<DateTime<Utc>>,
    /// Why it was turned off, if it was.
    pub disabled_reason: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Subscription> for SubscriptionResponse {
    fn from(s: Subscription) -> Self {
        Self {
            id: s.id.into_string(),
            api_client_id: s.api_client_id.into_string(),
            organisation_id: s.organisation_id.map(OrganisationId::into_string),
            url: s.url,
            event_types: s.event_types,
            active: s.active,
            failing_since: s.failing_since.map(|t| t.and_utc()),
            disabled_reason: s.disabled_reason,
            version: s.version,
            created_at: s.created_at.and_utc(),
            updated_at: s.updated_at.and_utc(),
        }
    }
}

/// A new subscription and its signing secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionWithSecret {
    #[serde(flatten)]
    pub subscription: SubscriptionResponse,
    /// The Standard Webhooks signing secret (`whsec_` and base64): verify each delivery's
    /// `webhook-signature` with it (docs/notifications.md).
    pub secret: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSubscription {
    /// The API client that receives the events.
    #[schema(format = Uuid)]
    pub api_client_id: uuid::Uuid,
    /// Where deliveries are posted: https, a public address.
    #[schema(example = "https://frivillig.example.dk/hooks/sammen", max_length = 2000)]
    pub url: String,
    /// The events wanted: `listing.published`, `listing.changed`, `listing.withdrawn`,
    /// `organisation.changed`.
    #[schema(min_items = 1)]
    pub event_types: Vec<EventType>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateSubscription {
    #[schema(max_length = 2000)]
    pub url: Option<String>,
    #[schema(min_items = 1)]
    pub event_types: Option<Vec<EventType>>,
    /// `true` turns a disabled subscription on again (its failures start afresh).
    pub active: Option<bool>,
}

/// Checks the URL and the event types, adding to `errors`.
fn check(state: &AppState, url: Option<&str>, types: Option<&[EventType]>) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    if let Some(url) = url {
        errors.check(rules::check_url("url", url, state.config.webhooks_allow_private).map(drop));
    }
    match types {
        Some([]) => errors.push(FieldError::new("event_types", "required", "name at least one event type")),
        Some(types) if types.iter().any(|t| t.channel() != Channel::Webhook) => errors.push(FieldError::new(
            "event_types",
            "invalid",
            "account events are e-mailed to the account's owner, not sent by webhook",
        )),
        _ => {}
    }
    errors.into_result()
}

fn with_etag(subscription: Subscription) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, etag(subscription.version)))
        .json(SubscriptionResponse::from(subscription))
}

/// Loads a subscription the caller may manage.
async fn managed(state: &AppState, caller: &Caller, id: WebhookId) -> Result<Subscription, ApiError> {
    let subscription = state.db(move |conn| store::find_subscription(conn, &id)).await?;
    let client = subscription.api_client_id.clone();
    let organisation = state.db(move |conn| store::client_organisation(conn, &client)).await?;
    rules::manage_webhooks(caller, organisation.as_ref())?;
    Ok(subscription)
}

/// Subscribe an API client to events.
///
/// An admin subscribes any client to every event of the types; a representative of the
/// organisation the client acts for subscribes it to that organisation's own events. Deliveries
/// are signed as Standard Webhooks says; the secret is in this answer only. The URL must be https
/// and a public address.
#[utoipa::path(
    tag = "outbox",
    request_body = CreateSubscription,
    responses(
        (status = 201, description = "The subscription and its secret", body = SubscriptionWithSecret,
            headers(("Location" = String), ("ETag" = String))),
        (status = 403, description = "Neither an admin nor a representative of the client's organisation",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such API client", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A URL that is not https or not public, or no or wrong event types",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/webhook-subscriptions")]
pub async fn create_subscription(
    state: web::Data<AppState>,
    caller: Caller,
    body: Body<CreateSubscription>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let client = ApiClientId::from(body.api_client_id);
    let lookup = client.clone();
    let organisation = state.db(move |conn| store::client_organisation(conn, &lookup)).await?;
    let reach = rules::manage_webhooks(&caller, organisation.as_ref())?;
    check(&state, Some(&body.url), Some(&body.event_types))?;
    let (secret, ctx) = (new_secret(), caller.audit());
    let reach = match reach {
        Reach::All => None,
        Reach::Organisation(org) => Some(org),
    };
    let shown = secret.clone();
    let subscription = state
        .db(move |conn| {
            let new = NewSubscription {
                api_client_id: &client,
                organisation_id: reach.as_ref(),
                url: &body.url,
                event_types: &body.event_types,
                secret: &secret,
            };
            store::create_subscription(conn, &new, &ctx)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/webhook-subscriptions/{}", subscription.id)))
        .insert_header((header::ETAG, etag(subscription.version)))
        .json(SubscriptionWithSecret { subscription: subscription.into(), secret: shown }))
}

/// Read a webhook subscription.
///
/// Admins, and representatives of the organisation its client acts for.
#[utoipa::path(
    tag = "outbox",
    params(("id" = uuid::Uuid, Path, description = "The subscription's id")),
    responses(
        (status = 200, description = "The subscription", body = SubscriptionResponse, headers(("ETag" = String))),
        (status = 403, description = "Not the caller's to manage", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[get("/webhook-subscriptions/{id}")]
pub async fn get_subscription(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(with_etag(managed(&state, &caller, WebhookId::from(id.into_inner())).await?))
}

/// Change a webhook subscription.
///
/// Its URL, its event types, or whether it is active (turning it on again starts its failures
/// afresh). Requires `If-Match`.
#[utoipa::path(
    tag = "outbox",
    params(("id" = uuid::Uuid, Path, description = "The subscription's id"), IfMatch),
    request_body = UpdateSubscription,
    responses(
        (status = 200, description = "The changed subscription", body = SubscriptionResponse, headers(("ETag" = String))),
        (status = 403, description = "Not the caller's to manage", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/webhook-subscriptions/{id}")]
pub async fn update_subscription(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: Body<UpdateSubscription>,
) -> Result<HttpResponse, ApiError> {
    let id = WebhookId::from(id.into_inner());
    managed(&state, &caller, id.clone()).await?;
    let body = body.into_inner();
    check(&state, body.url.as_deref(), body.event_types.as_deref())?;
    let expected = if_match.required_version()?;
    let changes = SubscriptionChanges { url: body.url, event_types: body.event_types, active: body.active };
    let ctx = caller.audit();
    Ok(with_etag(state.db(move |conn| store::update_subscription(conn, &id, expected, &changes, &ctx)).await?))
}

/// A webhook subscription's delivery log.
///
/// Newest first; cursor pagination: each delivery, its attempts, the next attempt and the last
/// error.
#[utoipa::path(
    tag = "outbox",
    params(("id" = uuid::Uuid, Path, description = "The subscription's id"), PageParams),
    responses(
        (status = 200, description = "A page of deliveries", body = Page<DeliveryResponse>),
        (status = 403, description = "Not the caller's to manage", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[get("/webhook-subscriptions/{id}/deliveries")]
pub async fn subscription_deliveries(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    params: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let subscription = managed(&state, &caller, WebhookId::from(id.into_inner())).await?;
    let page = params.resolve::<String>()?;
    let filter = DeliveryFilter { recipient: Some(subscription.id.into_string()), ..Default::default() };
    let (before, fetch) = (page.after.clone(), page.fetch());
    let rows = state.db(move |conn| outbox_store::list_deliveries(conn, &filter, before.as_deref(), fetch)).await?;
    Ok(page_response(&req, &page, rows, |(d, _)| d.id.clone(), response))
}

/// Send a delivery again.
///
/// A new delivery of the same event to the same recipient, due now (the old one keeps its
/// history): for a receiver that lost what it got, or one that was down past the retries. Admins,
/// and for a webhook, whoever manages its subscription.
#[utoipa::path(
    tag = "outbox",
    params(("id" = uuid::Uuid, Path, description = "The delivery's id")),
    responses(
        (status = 202, description = "The new delivery, due now", body = DeliveryResponse),
        (status = 403, description = "Not the caller's to resend", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such delivery", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/outbox/deliveries/{id}/replay")]
pub async fn replay_delivery(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().to_string();
    let (delivery, _) = state.db(move |conn| outbox_store::find_delivery(conn, &id)).await?;
    let webhook = (delivery.channel == Channel::Webhook).then(|| WebhookId::from_stored(delivery.recipient.clone()));
    let organisation = match webhook {
        Some(subscription) => state
            .db(move |conn| {
                let client = store::find_subscription(conn, &subscription)?.api_client_id;
                store::client_organisation(conn, &client)
            })
            .await
            .or_else(|e| match e {
                ApiError::NotFound(_) => Ok(None),
                e => Err(e),
            })?,
        None => None,
    };
    rules::replay(&caller, organisation.as_ref())?;
    let replayed = state.db(move |conn| outbox_store::replay_delivery(conn, &delivery)).await?;
    Ok(HttpResponse::Accepted().json(response(replayed)))
}
