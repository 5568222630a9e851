//! Sending a webhook: the Standard Webhooks message (`webhook-id`, `webhook-timestamp`,
//! `webhook-signature` = `v1,` + base64 HMAC-SHA256 of `id.timestamp.body` with the subscription's
//! secret), over HTTPS to a public address only.

use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sammen_domain::webhooks::is_public;
use sha2::Sha256;

use super::mail::SendFailure;

/// A new signing secret: `whsec_` and 32 random bytes in base64 (the Standard Webhooks form).
pub fn new_secret() -> String {
    let bytes: [u8; 32] = rand::random();
    format!("whsec_{}", STANDARD.encode(bytes))
}

/// The `webhook-signature` of a message, or `None` for a secret not in the `whsec_` form.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Option<String> {
    let key = STANDARD.decode(secret.strip_prefix("whsec_")?).ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    Some(format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())))
}

/// What a failed webhook attempt was.
pub struct WebhookFailure {
    pub failure: SendFailure,
    /// The receiver answered 410 Gone: it wants no more.
    pub gone: bool,
}

/// Posts webhooks. Its resolver refuses names that resolve to a loopback, private or other
/// non-public address (unless `allow_private`, for development), at the moment of sending, so a
/// name that pointed elsewhere when the subscription was made cannot reach the internal network;
/// redirects are not followed.
#[derive(Clone)]
pub struct WebhookSender {
    agent: ureq::Agent,
}

impl WebhookSender {
    pub fn new(allow_private: bool) -> Self {
        let resolve = move |netloc: &str| -> io::Result<Vec<SocketAddr>> {
            let allowed: Vec<SocketAddr> =
                netloc.to_socket_addrs()?.filter(|a| allow_private || is_public(a.ip())).collect();
            if allowed.is_empty() {
                return Err(io::Error::new(io::ErrorKind::PermissionDenied, "not a public address"));
            }
            Ok(allowed)
        };
        let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(15)).redirects(0).resolver(resolve).build();
        Self { agent }
    }

    /// Posts `body` as message `id`, signed with `secret` (blocking: run it off the async workers).
    pub fn send(&self, url: &str, secret: &str, id: &str, body: &str) -> Result<(), WebhookFailure> {
        let fail = |summary: String, permanent: bool, gone: bool| WebhookFailure {
            failure: SendFailure { summary, permanent },
            gone,
        };
        let timestamp = chrono::Utc::now().timestamp();
        let signature = sign(secret, id, timestamp, body.as_bytes())
            .ok_or_else(|| fail("the secret is not valid".into(), true, false))?;
        let sent = self
            .agent
            .post(url)
            .set("content-type", "application/json")
            .set("user-agent", "Sammen-Webhooks/1")
            .set("webhook-id", id)
            .set("webhook-timestamp", &timestamp.to_string())
            .set("webhook-signature", &signature)
            .send_string(body);
        match sent {
            Ok(_) => Ok(()),
            Err(ureq::Error::Status(410, _)) => Err(fail("the receiver answered 410 Gone".into(), true, true)),
            Err(ureq::Error::Status(code, _)) => Err(fail(format!("the receiver answered {code}"), false, false)),
            Err(ureq::Error::Transport(t)) => {
                let summary = match t.kind() {
                    ureq::ErrorKind::Dns => "the host could not be resolved to a public address",
                    ureq::ErrorKind::ConnectionFailed => "could not connect to the receiver",
                    ureq::ErrorKind::TooManyRedirects => "the receiver redirected (redirects are not followed)",
                    ureq::ErrorKind::InvalidUrl | ureq::ErrorKind::UnknownScheme => "the URL is not valid",
                    _ => "the request to the receiver failed or timed out",
                };
                Err(fail(summary.into(), false, false))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_match_the_specification_s_example() {
        // The example of the Standard Webhooks specification.
        let signature = sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            br#"{"test": 2432232314}"#,
        );
        assert_eq!(signature.as_deref(), Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
        assert_eq!(sign("not-a-secret", "m", 1, b"{}"), None);
    }

    #[test]
    fn new_secrets_are_random_and_in_the_standard_form() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        assert_eq!(STANDARD.decode(a.strip_prefix("whsec_").unwrap()).unwrap().len(), 32);
    }
}
