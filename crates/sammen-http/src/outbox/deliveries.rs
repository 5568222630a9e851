//! `GET /outbox/deliveries`: what the outbox sent, is sending and gave up on, for admins.

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, Utc};
use sammen_domain::outbox::{self as rules, Channel, DeliveryStatus, EventType};
use sammen_store::outbox::{self as store, Delivery, DeliveryFilter, Event};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::identity::Caller;
use crate::platform::extract::Query;
use crate::platform::pagination::{Page, PageParams, page_response};
use crate::problem::{ApiError, Problem};
use crate::state::AppState;

/// One message of the outbox: an e-mail to a user or a webhook to a subscription, about an event.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryResponse {
    #[schema(format = Uuid)]
    pub id: String,
    pub channel: Channel,
    /// The user an e-mail is for (their address is read when it is sent), or the webhook
    /// subscription.
    pub recipient: String,
    pub status: DeliveryStatus,
    /// Attempts started so far.
    pub attempts: i32,
    /// When a pending delivery is tried next.
    pub next_attempt_at: DateTime<Utc>,
    /// What went wrong last (an SMTP reply code, an HTTP status), without personal data.
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub event: EventResponse,
}

/// What happened.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventResponse {
    #[schema(format = Uuid)]
    pub id: String,
    pub event_type: EventType,
    pub resource_type: String,
    pub resource_id: String,
    pub occurred_at: DateTime<Utc>,
}

pub fn response((d, e): (Delivery, Event)) -> DeliveryResponse {
    DeliveryResponse {
        id: d.id,
        channel: d.channel,
        recipient: d.recipient,
        status: d.status,
        attempts: d.attempts,
        next_attempt_at: d.next_attempt_at.and_utc(),
        last_error: d.last_error,
        delivered_at: d.delivered_at.map(|t| t.and_utc()),
        created_at: d.created_at.and_utc(),
        event: EventResponse {
            id: e.id,
            event_type: e.event_type,
            resource_type: e.resource_type,
            resource_id: e.resource_id,
            occurred_at: e.occurred_at.and_utc(),
        },
    }
}

/// Filters of the deliveries: all that are given must hold.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    pub status: Option<DeliveryStatus>,
    pub channel: Option<Channel>,
}

/// List the outbox's deliveries.
///
/// Admins. Newest first; cursor pagination. Each e-mail and webhook the service sends, with its
/// attempts, when it is tried next, and the last error: a failed delivery was retried on the
/// schedule in `docs/notifications.md` and then given up.
#[utoipa::path(
    tag = "outbox",
    params(DeliveryQuery, PageParams),
    responses(
        (status = 200, description = "A page of deliveries", body = Page<DeliveryResponse>),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[get("/outbox/deliveries")]
pub async fn list_deliveries(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    query: Query<DeliveryQuery>,
    params: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    rules::read_deliveries(&caller)?;
    let page = params.resolve::<String>()?;
    let q = query.into_inner();
    let filter = DeliveryFilter { status: q.status, channel: q.channel, recipient: None };
    let (before, fetch) = (page.after.clone(), page.fetch());
    let rows = state.db(move |conn| store::list_deliveries(conn, &filter, before.as_deref(), fetch)).await?;
    Ok(page_response(&req, &page, rows, |(d, _)| d.id.clone(), response))
}
