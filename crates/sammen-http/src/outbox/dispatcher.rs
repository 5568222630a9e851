//! The dispatcher: on every instance, claims due deliveries from the outbox, sends them, and
//! records each attempt's outcome. Claims are leases in the database, so instances share the work
//! and none sends what another is sending; a crashed instance's claims expire.

use std::sync::Arc;
use std::time::Duration;

use sammen_domain::ids::UserId;
use sammen_domain::outbox::{Channel, DeliveryStatus};
use sammen_store::StoreError;
use sammen_store::identity as accounts;
use sammen_store::outbox::{self as store, Delivery, Event};
use sammen_store::webhooks;

use super::mail::{self, MailConfig, Mailer, SendFailure};
use super::webhook::WebhookSender;
use crate::problem::ApiError;
use crate::state::AppState;

/// Deliveries claimed at a time.
const BATCH: i64 = 20;

/// What the dispatcher needs besides the state.
pub struct Dispatcher {
    pub state: AppState,
    pub mailer: Mailer,
    pub webhooks: WebhookSender,
    pub config: Arc<MailConfig>,
    /// How long to wait when nothing is due (one statement per wait).
    pub idle_poll: Duration,
}

impl Dispatcher {
    /// Works through the outbox for as long as the server runs.
    pub async fn run(self) {
        loop {
            match self.run_once().await {
                Ok(0) => actix_web::rt::time::sleep(self.idle_poll).await,
                Ok(_) => {}
                Err(e) => {
                    log::warn!("the outbox could not be read: {e}");
                    actix_web::rt::time::sleep(self.idle_poll.max(Duration::from_secs(1))).await;
                }
            }
        }
    }

    /// Claims and works through one batch; returns how many deliveries it tried.
    pub async fn run_once(&self) -> Result<usize, ApiError> {
        let claimed = self.state.db(|conn| store::claim_due(conn, BATCH)).await?;
        let count = claimed.len();
        for (delivery, event) in claimed {
            let outcome = match delivery.channel {
                Channel::Email => self.email(&delivery, &event).await,
                Channel::Webhook => self.webhook(&delivery, &event).await,
            };
            let id = delivery.id.clone();
            let recorded = self
                .state
                .db(move |conn| match outcome {
                    Ok(()) => store::mark_delivered(conn, &delivery.id).map(|()| DeliveryStatus::Delivered),
                    Err(failure) => store::mark_attempt_failed(conn, &delivery, &failure.summary, failure.permanent),
                })
                .await?;
            log::info!(target: "sammen::outbox", "delivery {id} ({} {}): {recorded}", event.event_type, event.id);
        }
        Ok(count)
    }

    /// Composes and sends a mail (an account's, or a grant application's to a representative of
    /// the applicant): the address and name as they are now, and a fresh token for a mail that
    /// carries one.
    async fn email(&self, delivery: &Delivery, event: &Event) -> Result<(), SendFailure> {
        let user = UserId::from_stored(delivery.recipient.clone());
        let event_type = event.event_type;
        let composed = self
            .state
            .db(move |conn| {
                let Some(recipient) = accounts::mail_recipient(conn, &user)? else { return Ok(None) };
                let token = match mail::token_purpose(event_type) {
                    Some(purpose) => Some(accounts::issue_account_token(conn, &user, purpose)?),
                    None => None,
                };
                Ok::<_, StoreError>(Some((recipient, token)))
            })
            .await
            .map_err(|e| SendFailure { summary: format!("the database was not available: {e}"), permanent: false })?;
        let Some((recipient, token)) = composed else {
            return Err(SendFailure { summary: "the account is gone or disabled".into(), permanent: true });
        };
        let link = mail::link(&self.config.public_url, event_type, &event.resource_id, token.as_deref());
        let details: serde_json::Value = serde_json::from_str(&event.payload).unwrap_or_default();
        let message = mail::compose(event_type, &recipient.display_name, &link, &details);
        let mailer = self.mailer.clone();
        actix_web::rt::task::spawn_blocking(move || mailer.send(&recipient.email, &recipient.display_name, &message))
            .await
            .unwrap_or_else(|_| Err(SendFailure { summary: "the sending thread failed".into(), permanent: false }))
    }

    /// Posts a webhook to its subscription, signed, and records how the subscription's receiver
    /// is doing (disabling it after 72 hours of failures, or at once on 410 Gone).
    async fn webhook(&self, delivery: &Delivery, event: &Event) -> Result<(), SendFailure> {
        let unavailable =
            |e: ApiError| SendFailure { summary: format!("the database was not available: {e}"), permanent: false };
        let subscription = delivery.recipient.clone();
        let lookup = subscription.clone();
        let target = self.state.db(move |conn| webhooks::webhook_target(conn, &lookup)).await.map_err(unavailable)?;
        let Some((url, secret)) = target else {
            return Err(SendFailure { summary: "the subscription is disabled or gone".into(), permanent: true });
        };
        let data: serde_json::Value = serde_json::from_str(&event.payload).unwrap_or_default();
        let body = serde_json::json!({
            "type": event.event_type,
            "timestamp": event.occurred_at.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "data": data,
        })
        .to_string();
        let (sender, id) = (self.webhooks.clone(), event.id.clone());
        let sent = actix_web::rt::task::spawn_blocking(move || sender.send(&url, &secret, &id, &body)).await;
        let (outcome, gone) = match sent {
            Ok(Ok(())) => (Ok(()), false),
            Ok(Err(failed)) => (Err(failed.failure), failed.gone),
            Err(_) => (Err(SendFailure { summary: "the sending thread failed".into(), permanent: false }), false),
        };
        let delivered = outcome.is_ok();
        let disabled = self
            .state
            .db(move |conn| webhooks::record_webhook_outcome(conn, &subscription, delivered, gone))
            .await
            .map_err(unavailable)?;
        if disabled {
            log::warn!(target: "sammen::outbox", "webhook subscription {} disabled: its receiver keeps failing", delivery.recipient);
        }
        outcome
    }
}
