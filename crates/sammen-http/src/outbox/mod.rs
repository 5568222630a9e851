//! The outbox's sending side: the dispatcher that delivers what commands wrote to the outbox,
//! e-mail (SMTP or the log), and the admins' view of the deliveries.

pub mod deliveries;
pub mod dispatcher;
pub mod mail;

pub use dispatcher::Dispatcher;
pub use mail::{MailConfig, Mailer};
