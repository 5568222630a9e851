//! E-mail: the messages (Danish, with English below; templates in `templates/mail/`), and the
//! transport: SMTP when `SAMMEN_SMTP_URL` is set, else the log (development).

use std::time::Duration;

use lettre::message::{Mailbox, header::ContentType};
use lettre::{Message, SmtpTransport, Transport};
use sammen_domain::identity::TokenPurpose;
use sammen_domain::outbox::EventType;

/// Where mail goes and what its links open.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `smtps://user:pass@host`, `smtp://host?tls=required` (lettre's URL form); `None`: the log.
    pub smtp_url: Option<String>,
    /// The sender, e.g. `Sammen <noreply@kk.dk>`.
    pub from: String,
    /// The web frontend whose pages the links open (`/account/verify`, `/account/reset-password`,
    /// `/account/forgot-password`), e.g. `https://frivillig.kk.dk`.
    pub public_url: String,
}

impl Default for MailConfig {
    fn default() -> Self {
        Self { smtp_url: None, from: "Sammen <noreply@localhost>".into(), public_url: "http://localhost:8080".into() }
    }
}

/// A message ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub subject: String,
    pub body: String,
}

/// The Danish and English template of each event: the first line `Subject: …`, a blank line,
/// then the body. `{name}`, `{link}`, `{hours}`, `{minutes}` are filled in.
fn templates(event: EventType) -> (&'static str, &'static str) {
    macro_rules! pair {
        ($name:literal) => {
            (
                include_str!(concat!("../../templates/mail/da/", $name, ".txt")),
                include_str!(concat!("../../templates/mail/en/", $name, ".txt")),
            )
        };
    }
    match event {
        EventType::AccountVerificationRequested => pair!("account.verification_requested"),
        EventType::AccountRegistrationRepeated => pair!("account.registration_repeated"),
        EventType::AccountPasswordResetRequested => pair!("account.password_reset_requested"),
        EventType::AccountPasswordChanged => pair!("account.password_changed"),
        // Webhook events have no mail (`EventType::channel`).
        _ => ("Subject: Sammen\n\n", "Subject: Sammen\n\n"),
    }
}

/// The token an event's mail carries, if any (made when the mail is sent).
pub fn token_purpose(event: EventType) -> Option<TokenPurpose> {
    match event {
        EventType::AccountVerificationRequested => Some(TokenPurpose::VerifyEmail),
        EventType::AccountPasswordResetRequested => Some(TokenPurpose::ResetPassword),
        _ => None,
    }
}

/// The page of the frontend a mail links to. A token goes in the fragment, which browsers
/// neither send to the server nor pass on as a referrer.
pub fn link(public_url: &str, event: EventType, token: Option<&str>) -> String {
    let base = public_url.trim_end_matches('/');
    match (event, token) {
        (EventType::AccountVerificationRequested, Some(token)) => format!("{base}/account/verify#token={token}"),
        (EventType::AccountPasswordResetRequested, Some(token)) => {
            format!("{base}/account/reset-password#token={token}")
        }
        _ => format!("{base}/account/forgot-password"),
    }
}

/// The mail of `event` to `name` with `link`: the Danish text, then the English one. The subject
/// is the Danish one and never holds personal data.
pub fn compose(event: EventType, name: &str, link: &str) -> Mail {
    let fill = |template: &str| {
        let hours = TokenPurpose::VerifyEmail.lifetime().num_hours().to_string();
        let minutes = TokenPurpose::ResetPassword.lifetime().num_minutes().to_string();
        template
            .replace("{name}", name)
            .replace("{link}", link)
            .replace("{hours}", &hours)
            .replace("{minutes}", &minutes)
    };
    let split = |template: &'static str| {
        let (subject, body) = template.split_once("\n\n").unwrap_or((template, ""));
        (subject.trim_start_matches("Subject:").trim(), body.trim_end())
    };
    let (da, en) = templates(event);
    let ((subject, da_body), (_, en_body)) = (split(da), split(en));
    Mail { subject: subject.to_owned(), body: format!("{}\n\n-- In English --\n\n{}\n", fill(da_body), fill(en_body)) }
}

/// Why a mail was not sent, without personal data (no address, no server text that may hold one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendFailure {
    pub summary: String,
    /// The server refused for good (an unknown mailbox): retrying will not help.
    pub permanent: bool,
}

/// Sends mail by SMTP, or writes it to the log when no SMTP server is configured.
#[derive(Clone)]
pub struct Mailer {
    transport: Option<SmtpTransport>,
    from: Mailbox,
}

impl Mailer {
    pub fn new(config: &MailConfig) -> Result<Self, String> {
        let from: Mailbox = config.from.parse().map_err(|e| format!("SAMMEN_MAIL_FROM `{}`: {e}", config.from))?;
        let transport = match &config.smtp_url {
            None => None,
            Some(url) => Some(
                SmtpTransport::from_url(url)
                    .map_err(|e| format!("SAMMEN_SMTP_URL: {e}"))?
                    .timeout(Some(Duration::from_secs(30)))
                    .build(),
            ),
        };
        Ok(Self { transport, from })
    }

    /// Sends `mail` to `name <address>` (blocking: run it off the async workers).
    pub fn send(&self, address: &str, name: &str, mail: &Mail) -> Result<(), SendFailure> {
        let permanent = |summary: &str| SendFailure { summary: summary.into(), permanent: true };
        let to =
            Mailbox::new(Some(name.to_owned()), address.parse().map_err(|_| permanent("the address is not valid"))?);
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&mail.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|_| permanent("the message could not be built"))?;
        let Some(transport) = &self.transport else {
            // Development only: the README says so. The body holds the link (and its token).
            log::info!(target: "sammen::mail", "no SMTP server configured; the mail would be:\n{}", mail.body);
            return Ok(());
        };
        transport.send(&message).map(drop).map_err(|e| SendFailure {
            summary: match e.status() {
                Some(code) => format!("the SMTP server answered {code}"),
                None if e.is_timeout() => "the SMTP server did not answer in time".into(),
                None if e.is_tls() => "the TLS connection to the SMTP server failed".into(),
                None => "could not talk to the SMTP server".into(),
            },
            permanent: e.is_permanent(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_has_both_templates_with_a_subject_and_a_link() {
        for event in EventType::ALL.into_iter().filter(|e| e.channel() == sammen_domain::outbox::Channel::Email) {
            let (da, en) = templates(event);
            for template in [da, en] {
                assert!(template.starts_with("Subject: "), "{event}: {template}");
                assert!(template.contains("{link}") && template.contains("{name}"), "{event}");
                assert!(!template.lines().next().unwrap().contains('{'), "{event}: no placeholder in a subject");
            }
        }
    }

    #[test]
    fn a_mail_is_danish_then_english_with_everything_filled_in() {
        let link = link("https://frivillig.kk.dk/", EventType::AccountPasswordResetRequested, Some("pr_abc"));
        assert_eq!(link, "https://frivillig.kk.dk/account/reset-password#token=pr_abc");
        let mail = compose(EventType::AccountPasswordResetRequested, "Karen", &link);
        assert_eq!(mail.subject, "Ny adgangskode til Sammen");
        assert!(mail.body.starts_with("Hej Karen\n"), "{}", mail.body);
        assert_eq!(mail.body.matches(&link).count(), 2, "{}", mail.body);
        assert!(mail.body.contains("30 minutter") && mail.body.contains("30 minutes"), "{}", mail.body);
        assert!(mail.body.find("Hej").unwrap() < mail.body.find("Hello").unwrap());
        assert!(!mail.body.contains('{'), "{}", mail.body);
    }

    #[test]
    fn links_without_a_token_lead_to_asking_for_a_new_password() {
        let base = "http://localhost:8080";
        assert_eq!(
            link(base, EventType::AccountPasswordChanged, None),
            "http://localhost:8080/account/forgot-password"
        );
        assert_eq!(
            link(base, EventType::AccountVerificationRequested, Some("ve_1")),
            "http://localhost:8080/account/verify#token=ve_1"
        );
    }
}
