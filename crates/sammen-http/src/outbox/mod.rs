//! The outbox's sending side: the dispatcher that delivers what commands wrote to the outbox,
//! e-mail (SMTP or the log) and webhooks (signed), webhook subscriptions, and the deliveries.

pub mod deliveries;
pub mod dispatcher;
pub mod mail;
pub mod subscriptions;
pub mod webhook;

pub use dispatcher::Dispatcher;
pub use mail::{MailConfig, Mailer};
pub use webhook::WebhookSender;
