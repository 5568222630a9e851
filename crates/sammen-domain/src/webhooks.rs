//! Webhooks: who may subscribe an API client to events, which addresses a webhook may be sent to,
//! and when a subscription whose receiver keeps failing is disabled.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use chrono::TimeDelta;

use crate::access::{Actor, Denied, allow};
use crate::identity::Role;
use crate::ids::OrganisationId;
use crate::validation::FieldError;

/// Whose events a subscription gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// Every event of its types (an admin's subscription).
    All,
    /// Only events about this organisation and its listings (its representative's).
    Organisation(OrganisationId),
}

/// Subscribe a client, see or change its subscriptions and their deliveries: an admin, for any
/// client and any events; a representative of the organisation the client acts for, for that
/// organisation's own events.
pub fn manage_webhooks(actor: &Actor, client_organisation: Option<&OrganisationId>) -> Result<Reach, Denied> {
    if actor.is_admin() {
        return Ok(Reach::All);
    }
    match client_organisation {
        Some(org) if actor.acts_for(Role::Organisation, org.as_str()) => Ok(Reach::Organisation(org.clone())),
        _ => Err(Denied::NotItsOwn),
    }
}

/// Resend a delivery: admins (any delivery), or whoever manages the webhook it went to.
pub fn replay(actor: &Actor, webhook_organisation: Option<&OrganisationId>) -> Result<(), Denied> {
    allow(
        actor.is_admin() || webhook_organisation.is_some_and(|o| actor.acts_for(Role::Organisation, o.as_str())),
        Denied::NotItsOwn,
    )
}

/// A subscription is disabled when its receiver has failed every delivery for this long: an
/// outage of a weekend is survived, an abandoned endpoint is not retried for ever.
pub const DISABLE_AFTER_FAILING_FOR: TimeDelta = TimeDelta::hours(72);

/// Whether a receiver failing since `failing_for` ago should be disabled.
pub fn disable_after(failing_for: TimeDelta) -> bool {
    failing_for >= DISABLE_AFTER_FAILING_FOR
}

/// The longest webhook URL.
pub const URL_MAX_CHARS: usize = 2000;

/// Checks a webhook URL: `https` with a host and no credentials; no loopback, private, link-local
/// or other non-public address, nor a name that only means this network (`localhost`, `.local`,
/// `.internal`). `allow_private` (development only) also allows `http` and such hosts. A name is
/// checked again when the webhook is sent, against the addresses it resolves to then.
pub fn check_url(field: &str, text: &str, allow_private: bool) -> Result<url::Url, FieldError> {
    let invalid = |message: &str| FieldError::new(field, "invalid", message);
    if text.chars().count() > URL_MAX_CHARS {
        return Err(FieldError::new(field, "too_long", format!("must be at most {URL_MAX_CHARS} characters")));
    }
    let url = url::Url::parse(text).map_err(|_| invalid("must be an absolute URL like https://example.dk/hooks"))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_private => {}
        _ => return Err(invalid("must be an https URL")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("must not hold a user name or password: the signature authenticates the sender"));
    }
    let public = match url.host() {
        None => return Err(invalid("must name a host")),
        Some(url::Host::Ipv4(ip)) => is_public(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => is_public(IpAddr::V6(ip)),
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            let local = ["localhost", ".localhost", ".local", ".internal", ".lan", ".home.arpa"];
            !(name == "localhost" || local.iter().any(|suffix| name.ends_with(suffix)) || !name.contains('.'))
        }
    };
    if !public && !allow_private {
        return Err(invalid("must be a public address: not loopback, private, link-local or this network's own"));
    }
    Ok(url)
}

/// Whether an address is on the public internet (not loopback, private, link-local, shared,
/// documentation, multicast, broadcast or unspecified): where a webhook may be sent.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => is_public_v4(ip),
        IpAddr::V6(ip) => match ip.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(ip),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    let shared = a == 100 && (64..128).contains(&b); // 100.64.0.0/10, carrier-grade NAT
    let reserved = a == 0 || a >= 240; // "this network", and 240.0.0.0/4
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || ip.is_unspecified()
        || shared
        || reserved
        || (a == 198 && (18..20).contains(&b))) // 198.18.0.0/15, benchmarking
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    let unique_local = first & 0xfe00 == 0xfc00; // fc00::/7
    let link_local = first & 0xffc0 == 0xfe80; // fe80::/10
    let documentation = first == 0x2001 && ip.segments()[1] == 0x0db8; // 2001:db8::/32
    !(ip.is_loopback() || ip.is_unspecified() || ip.is_multicast() || unique_local || link_local || documentation)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::actors::user;
    use crate::identity::RoleGrant;
    use crate::ids::UserId;

    #[test]
    fn a_webhook_goes_only_to_a_public_https_address() {
        assert!(check_url("url", "https://frivillig.example.dk/hooks?x=1", false).is_ok());
        assert!(check_url("url", "https://93.184.216.34/hooks", false).is_ok());
        for refused in [
            "http://frivillig.example.dk/hooks",
            "ftp://frivillig.example.dk/",
            "https://user:secret@frivillig.example.dk/",
            "https://localhost/hooks",
            "https://intranet/hooks",
            "https://printer.local/",
            "https://db.internal/",
            "https://127.0.0.1/",
            "https://10.1.2.3/",
            "https://172.16.0.9/",
            "https://192.168.1.1/",
            "https://169.254.169.254/latest/meta-data",
            "https://100.64.0.1/",
            "https://0.0.0.0/",
            "https://[::1]/",
            "https://[fd00::1]/",
            "https://[fe80::1]/",
            "https://[::ffff:127.0.0.1]/",
            "not a url",
        ] {
            assert!(check_url("url", refused, false).is_err(), "{refused}");
        }
        let too_long = format!("https://example.dk/{}", "a".repeat(URL_MAX_CHARS));
        assert_eq!(check_url("url", &too_long, false).unwrap_err().code, "too_long");
    }

    #[test]
    fn development_may_send_to_this_machine() {
        assert!(check_url("url", "http://127.0.0.1:9000/hooks", true).is_ok());
        assert!(check_url("url", "https://user:pw@127.0.0.1/", true).is_err(), "credentials never");
        assert!(check_url("url", "ftp://127.0.0.1/", true).is_err());
    }

    #[test]
    fn admins_subscribe_anyone_and_representatives_their_own_organisation() {
        let org = OrganisationId::new();
        let representative = Actor::User {
            id: UserId::new(),
            roles: vec![RoleGrant { role: Role::Organisation, scope: Some(org.to_string()) }],
        };
        assert_eq!(manage_webhooks(&user(&[Role::Admin]), None), Ok(Reach::All));
        assert_eq!(manage_webhooks(&representative, Some(&org)), Ok(Reach::Organisation(org.clone())));
        assert_eq!(manage_webhooks(&representative, Some(&OrganisationId::new())), Err(Denied::NotItsOwn));
        assert_eq!(manage_webhooks(&representative, None), Err(Denied::NotItsOwn));
        assert_eq!(manage_webhooks(&user(&[Role::Staff]), Some(&org)), Err(Denied::NotItsOwn));
        assert!(replay(&representative, Some(&org)).is_ok() && replay(&representative, None).is_err());
    }

    #[test]
    fn a_receiver_failing_for_three_days_is_disabled() {
        assert!(!disable_after(TimeDelta::hours(71)));
        assert!(disable_after(TimeDelta::hours(72)));
    }
}
