//! Webhook subscriptions: API clients' requests for events, the fan-out of an event to the
//! subscriptions that want it (in the transaction of the change), and what the dispatcher needs
//! and records per delivery.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sammen_domain::Entity;
use sammen_domain::ids::{ApiClientId, OrganisationId, WebhookId};
use sammen_domain::outbox::{Channel, EventType};
use sammen_domain::webhooks::disable_after;

use crate::audit::{self, AuditContext};
use crate::dialect::{DbConn, write_transaction};
use crate::error::{Found, StoreError, StoreResult};
use crate::outbox::{self, NewEvent};
use crate::schema::{api_clients, webhook_subscriptions};

const AUDIT_TARGET: &str = "webhook_subscription";

/// A subscription as the API shows it (never its secret, after it was made).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub id: WebhookId,
    pub api_client_id: ApiClientId,
    /// Only events about this organisation; `None`: all.
    pub organisation_id: Option<OrganisationId>,
    pub url: String,
    pub event_types: Vec<EventType>,
    pub active: bool,
    pub failing_since: Option<NaiveDateTime>,
    pub disabled_reason: Option<String>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = webhook_subscriptions)]
struct SubscriptionRow {
    id: WebhookId,
    api_client_id: ApiClientId,
    organisation_id: Option<OrganisationId>,
    url: String,
    event_types: String,
    active: bool,
    failing_since: Option<NaiveDateTime>,
    disabled_reason: Option<String>,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl TryFrom<SubscriptionRow> for Subscription {
    type Error = StoreError;

    fn try_from(r: SubscriptionRow) -> StoreResult<Self> {
        let event_types = parse_types(&r.event_types)?;
        Ok(Subscription {
            id: r.id,
            api_client_id: r.api_client_id,
            organisation_id: r.organisation_id,
            url: r.url,
            event_types,
            active: r.active,
            failing_since: r.failing_since,
            disabled_reason: r.disabled_reason,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

fn parse_types(text: &str) -> StoreResult<Vec<EventType>> {
    text.split_whitespace().map(|t| t.parse().map_err(|e| StoreError::Corrupt(format!("{e}")))).collect()
}

fn types_text(types: &[EventType]) -> String {
    let mut names: Vec<&str> = types.iter().map(|t| t.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    names.join(" ")
}

/// The organisation an API client acts for, if any (`NotFound` if there is no such client).
pub fn client_organisation(conn: &mut DbConn, client: &ApiClientId) -> StoreResult<Option<OrganisationId>> {
    api_clients::table
        .find(client.as_str())
        .select(api_clients::organisation_id)
        .first::<Option<OrganisationId>>(conn)
        .found(Entity::ApiClient)
}

/// What a new subscription asks for.
pub struct NewSubscription<'a> {
    pub api_client_id: &'a ApiClientId,
    pub organisation_id: Option<&'a OrganisationId>,
    pub url: &'a str,
    pub event_types: &'a [EventType],
    /// The signing secret (`whsec_…`), made by the caller and shown to the subscriber once.
    pub secret: &'a str,
}

pub fn create_subscription(
    conn: &mut DbConn,
    new: &NewSubscription<'_>,
    ctx: &AuditContext,
) -> StoreResult<Subscription> {
    write_transaction(conn, |conn| {
        let id = WebhookId::new();
        let now = crate::now();
        diesel::insert_into(webhook_subscriptions::table)
            .values((
                webhook_subscriptions::id.eq(id.as_str()),
                webhook_subscriptions::api_client_id.eq(new.api_client_id.as_str()),
                webhook_subscriptions::organisation_id.eq(new.organisation_id.map(OrganisationId::as_str)),
                webhook_subscriptions::url.eq(new.url),
                webhook_subscriptions::secret.eq(new.secret),
                webhook_subscriptions::event_types.eq(types_text(new.event_types)),
                webhook_subscriptions::active.eq(true),
                webhook_subscriptions::version.eq(1),
                webhook_subscriptions::created_by.eq(&ctx.actor),
                webhook_subscriptions::created_at.eq(now),
                webhook_subscriptions::updated_at.eq(now),
            ))
            .execute(conn)?;
        let details =
            serde_json::json!({ "api_client_id": new.api_client_id, "event_types": types_text(new.event_types) });
        audit::record_change(conn, ctx, AUDIT_TARGET, "webhook.subscribed", id.as_str(), details)?;
        find_subscription(conn, &id)
    })
}

pub fn find_subscription(conn: &mut DbConn, id: &WebhookId) -> StoreResult<Subscription> {
    webhook_subscriptions::table
        .find(id.as_str())
        .select(SubscriptionRow::as_select())
        .first(conn)
        .found(Entity::WebhookSubscription)?
        .try_into()
}

/// A change to a subscription; `None` leaves a field as it is. Turning it on again starts its
/// failure count afresh.
#[derive(Debug, Clone, Default)]
pub struct SubscriptionChanges {
    pub url: Option<String>,
    pub event_types: Option<Vec<EventType>>,
    pub active: Option<bool>,
}

/// Applies `changes` if the subscription is still at `expected_version`.
pub fn update_subscription(
    conn: &mut DbConn,
    id: &WebhookId,
    expected_version: Option<i64>,
    changes: &SubscriptionChanges,
    ctx: &AuditContext,
) -> StoreResult<Subscription> {
    write_transaction(conn, |conn| {
        let before = find_subscription(conn, id)?;
        let target = webhook_subscriptions::table
            .filter(webhook_subscriptions::id.eq(id.as_str()))
            .filter(webhook_subscriptions::version.eq(expected_version.unwrap_or(before.version)));
        let enabled = changes.active == Some(true);
        let updated = diesel::update(target)
            .set((
                webhook_subscriptions::version.eq(webhook_subscriptions::version + 1),
                webhook_subscriptions::updated_at.eq(crate::now()),
                changes.url.as_ref().map(|u| webhook_subscriptions::url.eq(u)),
                changes.event_types.as_ref().map(|t| webhook_subscriptions::event_types.eq(types_text(t))),
                changes.active.map(|a| webhook_subscriptions::active.eq(a)),
                enabled.then(|| webhook_subscriptions::failing_since.eq(None::<NaiveDateTime>)),
                enabled.then(|| webhook_subscriptions::disabled_reason.eq(None::<String>)),
            ))
            .execute(conn)?;
        if updated == 0 {
            return Err(StoreError::VersionMismatch);
        }
        audit::record_change(
            conn,
            ctx,
            AUDIT_TARGET,
            "webhook.updated",
            id.as_str(),
            serde_json::json!({ "active": changes.active }),
        )?;
        find_subscription(conn, id)
    })
}

/// Announces `event` about something of `organisation` to every active subscription that asks
/// for its type and may see it, in the caller's transaction: nothing is written when no one
/// subscribed.
pub fn announce(conn: &mut DbConn, event: &NewEvent<'_>, organisation: &OrganisationId) -> StoreResult<()> {
    debug_assert_eq!(event.event_type.channel(), Channel::Webhook);
    let subscribers: Vec<(String, String, Option<String>)> = webhook_subscriptions::table
        .filter(webhook_subscriptions::active.eq(true))
        .select((webhook_subscriptions::id, webhook_subscriptions::event_types, webhook_subscriptions::organisation_id))
        .load(conn)?;
    let recipients: Vec<String> = subscribers
        .into_iter()
        .filter(|(_, types, reach)| {
            types.split_whitespace().any(|t| t == event.event_type.as_str())
                && reach.as_deref().is_none_or(|org| org == organisation.as_str())
        })
        .map(|(id, ..)| id)
        .collect();
    if recipients.is_empty() {
        return Ok(());
    }
    outbox::enqueue(conn, event, Channel::Webhook, &recipients)
}

/// Where a webhook delivery goes: the subscription's URL and secret, if it is still active.
pub fn webhook_target(conn: &mut DbConn, id: &str) -> StoreResult<Option<(String, String)>> {
    Ok(webhook_subscriptions::table
        .find(id)
        .filter(webhook_subscriptions::active.eq(true))
        .select((webhook_subscriptions::url, webhook_subscriptions::secret))
        .first(conn)
        .optional()?)
}

/// Records how an attempt to a subscription went: a success clears its failures; a failure
/// starts or continues them, and one that has lasted `DISABLE_AFTER_FAILING_FOR` (or a receiver
/// that answered 410 Gone) disables it. Returns whether it was disabled now.
pub fn record_webhook_outcome(conn: &mut DbConn, id: &str, delivered: bool, gone: bool) -> StoreResult<bool> {
    let now = crate::now();
    let subscription = webhook_subscriptions::table.find(id);
    if delivered {
        diesel::update(subscription)
            .set(webhook_subscriptions::failing_since.eq(None::<NaiveDateTime>))
            .execute(conn)?;
        return Ok(false);
    }
    let since: Option<Option<NaiveDateTime>> =
        subscription.select(webhook_subscriptions::failing_since).first(conn).optional()?;
    let Some(since) = since else { return Ok(false) };
    let since = since.unwrap_or(now);
    let reason = if gone {
        Some("the receiver answered 410 Gone")
    } else {
        disable_after(now - since).then_some("every delivery failed for 72 hours")
    };
    diesel::update(subscription)
        .set((
            webhook_subscriptions::failing_since.eq(Some(since)),
            reason.map(|_| webhook_subscriptions::active.eq(false)),
            reason.map(|r| webhook_subscriptions::disabled_reason.eq(Some(r))),
        ))
        .execute(conn)?;
    Ok(reason.is_some())
}
