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
/// then the body. `{name}`, `{link}`, `{hours}`, `{minutes}` and the grant events' values from
/// the event's payload (`fill`) are filled in.
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
        EventType::GrantApplicationSubmitted => pair!("grant_application.submitted"),
        EventType::GrantApplicationInformationRequested => pair!("grant_application.information_requested"),
        EventType::GrantApplicationDecided => pair!("grant_application.decided"),
        EventType::GrantApplicationMovedUp => pair!("grant_application.moved_up"),
        EventType::GrantApplicationTranchePaid => pair!("grant_application.tranche_paid"),
        // Webhook events have no mail (`EventType::is_emailed`).
        EventType::ListingPublished
        | EventType::ListingChanged
        | EventType::ListingWithdrawn
        | EventType::OrganisationChanged
        | EventType::OrganisationRepresentativesChanged => ("Subject: Sammen\n\n", "Subject: Sammen\n\n"),
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

/// The page of the frontend a mail links to: an account page, or the grant application the event
/// is about (`resource_id`). A token goes in the fragment, which browsers neither send to the
/// server nor pass on as a referrer.
pub fn link(public_url: &str, event: EventType, resource_id: &str, token: Option<&str>) -> String {
    let base = public_url.trim_end_matches('/');
    match (event, token) {
        (EventType::AccountVerificationRequested, Some(token)) => format!("{base}/account/verify#token={token}"),
        (EventType::AccountPasswordResetRequested, Some(token)) => {
            format!("{base}/account/reset-password#token={token}")
        }
        (
            EventType::GrantApplicationSubmitted
            | EventType::GrantApplicationInformationRequested
            | EventType::GrantApplicationDecided
            | EventType::GrantApplicationMovedUp
            | EventType::GrantApplicationTranchePaid,
            _,
        ) => format!("{base}/grant-applications/{resource_id}"),
        _ => format!("{base}/account/forgot-password"),
    }
}

/// The language of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Da,
    En,
}

/// An amount in øre as people write kroner: `80.000 kr.` in Danish, `DKK 80,000` in English
/// (with the øre when there are any).
fn kroner(ore: i64, lang: Lang) -> String {
    let (thousands, decimal) = match lang {
        Lang::Da => ('.', ','),
        Lang::En => (',', '.'),
    };
    let (whole, rest) = (ore.unsigned_abs() / 100, ore.unsigned_abs() % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(thousands);
        }
        grouped.push(digit);
    }
    if rest != 0 {
        grouped = format!("{grouped}{decimal}{rest:02}");
    }
    let sign = if ore < 0 { "-" } else { "" };
    match lang {
        Lang::Da => format!("{sign}{grouped} kr."),
        Lang::En => format!("{sign}DKK {grouped}"),
    }
}

/// A date as people write it: `15. januar 2027`, `15 January 2027`.
fn date(day: chrono::NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    const DA: [&str; 12] = [
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = day.month0() as usize;
    match lang {
        Lang::Da => format!("{}. {} {}", day.day(), DA[month], day.year()),
        Lang::En => format!("{} {} {}", day.day(), EN[month], day.year()),
    }
}

/// The value of placeholder `key` in a mail in `lang`, from the event's payload (`details`), or
/// `None` for a placeholder this function does not know. A value the payload lacks reads `–`.
fn placeholder(key: &str, lang: Lang, details: &serde_json::Value) -> Option<String> {
    let da = lang == Lang::Da;
    let text = |key: &str| details.get(key).and_then(|v| v.as_str());
    let number = |key: &str| details.get(key).and_then(|v| v.as_i64());
    let amount = |key: &str| number(key).map_or_else(|| "–".to_owned(), |ore| kroner(ore, lang));
    let value = match key {
        "hours" => TokenPurpose::VerifyEmail.lifetime().num_hours().to_string(),
        "minutes" => TokenPurpose::ResetPassword.lifetime().num_minutes().to_string(),
        "revision" | "tranche" => number(key).map_or_else(|| "–".to_owned(), |n| n.to_string()),
        "content_sha256" => text(key).unwrap_or("–").to_owned(),
        "amount" => amount("amount_ore"),
        "status_note" if text("status") == Some("waitlisted") => if da {
            "\nPuljens penge er lige nu givet ud, så ansøgningen står på venteliste. Bliver der penge\n\
                 fri, rykker den op i den rækkefølge, den blev sendt, og så får I besked.\n"
        } else {
            "\nThe pool's money is spoken for at the moment, so the application is on the waiting list.\n\
                 If money becomes free, it moves up in the order it was sent, and we will tell you.\n"
        }
        .to_owned(),
        "status_note" => String::new(),
        "due" => match text("due_on").and_then(|d| d.parse().ok()) {
            Some(due) if da => format!("Svar senest den {}.", date(due, lang)),
            Some(due) => format!("Please answer by {}.", date(due, lang)),
            None if da => "Svar gerne så hurtigt som muligt.".to_owned(),
            None => "Please answer as soon as you can.".to_owned(),
        },
        "decision" => {
            let awarded = amount("awarded_ore");
            match (text("outcome"), da) {
                (Some("award"), true) => format!("Jeres ansøgning er bevilget: I får {awarded} i tilskud."),
                (Some("award"), false) => format!("Your application has been granted: you get {awarded}."),
                (Some("partial_award"), true) => {
                    format!("Jeres ansøgning er delvist bevilget: I får {awarded} i tilskud, mindre end I søgte om.")
                }
                (Some("partial_award"), false) => {
                    format!("Your application has been partly granted: you get {awarded}, less than you asked for.")
                }
                (Some("rejection"), true) => "Jeres ansøgning har desværre fået afslag.".to_owned(),
                (Some("rejection"), false) => "We are sorry: your application has been rejected.".to_owned(),
                (Some("ineligible"), true) => "Jeres ansøgning opfylder desværre ikke puljens betingelser, \
                                               og den kan derfor ikke få tilskud."
                    .to_owned(),
                (Some("ineligible"), false) => "We are sorry: your application does not meet the pool's \
                                                conditions, so it cannot get a grant."
                    .to_owned(),
                (_, true) => "Åbn ansøgningen for at se afgørelsen.".to_owned(),
                (_, false) => "Open the application to see the decision.".to_owned(),
            }
        }
        "next" => match (text("outcome"), da) {
            (Some("award" | "partial_award"), true) => "Svar i Sammen, om I tager imod tilskuddet. Pengene kan \
                                                          først udbetales, når I har taget imod det."
                .to_owned(),
            (Some("award" | "partial_award"), false) => "Tell us in Sammen whether you accept the grant. The \
                                                           money can only be paid once you have accepted it."
                .to_owned(),
            (_, true) => "I er velkomne til at søge igen i en senere runde.".to_owned(),
            (_, false) => "You are welcome to apply again in a later round.".to_owned(),
        },
        _ => return None,
    };
    Some(value)
}

/// `template` with its placeholders filled in, in one pass (so a name that looks like a
/// placeholder stays as it is). An unknown placeholder is left as it stands.
fn fill(template: &str, lang: Lang, name: &str, link: &str, details: &serde_json::Value) -> String {
    let mut out = String::with_capacity(template.len() + 256);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let key = after
            .find('}')
            .map(|end| &after[..end])
            .filter(|k| k.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit()));
        let value = key.and_then(|key| match key {
            "name" => Some(name.to_owned()),
            "link" => Some(link.to_owned()),
            _ => placeholder(key, lang, details),
        });
        match (key, value) {
            (Some(key), Some(value)) => {
                out.push_str(&value);
                rest = &after[key.len() + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The mail of `event` to `name` with `link`: the Danish text, then the English one. The subject
/// is the Danish one and never holds personal data. `details` is the event's payload: the values
/// a grant event's mail quotes (the receipt's revision and SHA-256, a decision's outcome and
/// amount, a tranche's amount, the date more information is due).
pub fn compose(event: EventType, name: &str, link: &str, details: &serde_json::Value) -> Mail {
    let split = |template: &'static str| {
        let (subject, body) = template.split_once("\n\n").unwrap_or((template, ""));
        (subject.trim_start_matches("Subject:").trim(), body.trim_end())
    };
    let (da, en) = templates(event);
    let ((subject, da_body), (_, en_body)) = (split(da), split(en));
    let (da_body, en_body) =
        (fill(da_body, Lang::Da, name, link, details), fill(en_body, Lang::En, name, link, details));
    Mail { subject: subject.to_owned(), body: format!("{da_body}\n\n-- In English --\n\n{en_body}\n") }
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
    use serde_json::json;

    /// A payload with every value a grant event's mail may quote.
    fn full_payload(outcome: &str) -> serde_json::Value {
        json!({
            "id": "gapp_1", "status": "waitlisted", "revision": 3,
            "content_sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "due_on": "2027-01-15", "outcome": outcome, "awarded_ore": 6_000_050, "tranche": 2, "amount_ore": 3_000_000,
        })
    }

    #[test]
    fn every_emailed_event_has_both_templates_with_a_subject_and_a_link() {
        let emailed: Vec<EventType> = EventType::ALL.into_iter().filter(|e| e.is_emailed()).collect();
        assert!(emailed.contains(&EventType::GrantApplicationDecided), "grant events are e-mailed");
        for event in emailed {
            let (da, en) = templates(event);
            assert_ne!(da, en, "{event}: a Danish and an English text");
            for template in [da, en] {
                assert!(template.starts_with("Subject: "), "{event}: {template}");
                let subject = template.lines().next().unwrap();
                assert!(subject.len() > "Subject: Sammen".len(), "{event}: a real template, not the empty mail");
                assert!(!subject.contains('{'), "{event}: no placeholder in a subject");
                assert!(template.contains("{link}") && template.contains("{name}"), "{event}");
            }
            let mail = compose(event, "Karen", "https://x.dk/l", &full_payload("award"));
            assert!(!mail.body.contains('{'), "{event}: every placeholder is known: {}", mail.body);
            assert!(mail.body.starts_with("Hej Karen\n") && mail.body.contains("Hello Karen\n"), "{event}");
        }
    }

    #[test]
    fn a_mail_is_danish_then_english_with_everything_filled_in() {
        let link = link("https://frivillig.kk.dk/", EventType::AccountPasswordResetRequested, "usr_1", Some("pr_abc"));
        assert_eq!(link, "https://frivillig.kk.dk/account/reset-password#token=pr_abc");
        let mail = compose(EventType::AccountPasswordResetRequested, "Karen", &link, &json!({}));
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
            link(base, EventType::AccountPasswordChanged, "usr_1", None),
            "http://localhost:8080/account/forgot-password"
        );
        assert_eq!(
            link(base, EventType::AccountVerificationRequested, "usr_1", Some("ve_1")),
            "http://localhost:8080/account/verify#token=ve_1"
        );
    }

    #[test]
    fn grant_mails_link_to_the_application() {
        for event in EventType::ALL.into_iter().filter(|e| e.as_str().starts_with("grant_application.")) {
            assert_eq!(
                link("https://frivillig.kk.dk/", event, "gapp_01J", None),
                "https://frivillig.kk.dk/grant-applications/gapp_01J",
                "{event}"
            );
        }
    }

    #[test]
    fn the_receipt_quotes_the_revision_and_the_fingerprint() {
        let sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        let payload = json!({ "id": "gapp_1", "status": "submitted", "revision": 2, "content_sha256": sha });
        let mail = compose(EventType::GrantApplicationSubmitted, "Karen", "https://x.dk/a", &payload);
        assert_eq!(mail.subject, "Kvittering: jeres ansøgning om tilskud er modtaget");
        assert!(mail.body.contains("Version: 2\n") && mail.body.contains(&format!("(SHA-256): {sha}\n")));
        assert_eq!(mail.body.matches(sha).count(), 2, "in both languages: {}", mail.body);
        assert!(!mail.body.contains("venteliste") && !mail.body.contains("\n\n\n"), "{}", mail.body);
        // Straight onto the waiting list: the receipt says so.
        let waitlisted = json!({ "status": "waitlisted", "revision": 1, "content_sha256": sha });
        let mail = compose(EventType::GrantApplicationSubmitted, "Karen", "https://x.dk/a", &waitlisted);
        assert!(mail.body.contains("står på venteliste") && mail.body.contains("on the waiting list"));
        assert!(!mail.body.contains("\n\n\n"), "{}", mail.body);
    }

    #[test]
    fn a_decision_mail_says_what_was_decided_and_what_comes_next() {
        let cases = [
            ("award", "er bevilget: I får 60.000,50 kr. i tilskud", "you get DKK 60,000.50", "tager imod"),
            ("partial_award", "delvist bevilget: I får 60.000,50 kr.", "partly granted", "tager imod"),
            ("rejection", "fået afslag", "rejected", "søge igen"),
            ("ineligible", "opfylder desværre ikke puljens betingelser", "does not meet", "søge igen"),
        ];
        for (outcome, da, en, next) in cases {
            let mail = compose(EventType::GrantApplicationDecided, "Karen", "https://x.dk/a", &full_payload(outcome));
            assert_eq!(mail.subject, "Der er truffet afgørelse om jeres ansøgning om tilskud");
            for expected in [da, en, next] {
                assert!(mail.body.contains(expected), "{outcome}: `{expected}` in {}", mail.body);
            }
        }
    }

    #[test]
    fn the_other_grant_mails_quote_their_values() {
        let mail = compose(EventType::GrantApplicationInformationRequested, "K", "l", &full_payload("award"));
        assert!(mail.body.contains("Svar senest den 15. januar 2027.") && mail.body.contains("by 15 January 2027."));
        let mail = compose(EventType::GrantApplicationInformationRequested, "K", "l", &json!({ "due_on": null }));
        assert!(mail.body.contains("så hurtigt som muligt") && mail.body.contains("as soon as you can"));
        let mail = compose(EventType::GrantApplicationTranchePaid, "K", "l", &full_payload("award"));
        assert!(mail.body.contains("rate 2 af jeres tilskud: 30.000 kr."), "{}", mail.body);
        assert!(mail.body.contains("tranche 2 of your grant: DKK 30,000."), "{}", mail.body);
        // A payload without the values still makes a readable mail.
        let mail = compose(EventType::GrantApplicationTranchePaid, "K", "l", &json!({}));
        assert!(mail.body.contains("rate – af jeres tilskud: –."), "{}", mail.body);
    }

    #[test]
    fn amounts_read_as_kroner() {
        assert_eq!(kroner(200_000_000, Lang::Da), "2.000.000 kr.");
        assert_eq!(kroner(8_000_000, Lang::En), "DKK 80,000");
        assert_eq!(kroner(99_950, Lang::Da), "999,50 kr.");
        assert_eq!(kroner(5, Lang::En), "DKK 0.05");
        assert_eq!(kroner(100_000, Lang::Da), "1.000 kr.");
    }

    #[test]
    fn a_name_that_looks_like_a_placeholder_is_left_as_it_is() {
        let mail = compose(EventType::GrantApplicationSubmitted, "{content_sha256} {link}", "L", &json!({}));
        assert!(mail.body.starts_with("Hej {content_sha256} {link}\n"), "{}", mail.body);
    }
}
