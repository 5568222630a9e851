//! Values HSDS formats constrain: a website must be an RFC 3986 `uri` and an e-mail address an
//! RFC 5322 `addr-spec`, so what Sammen stores is normalised here or left out of the export.

/// A website as an RFC 3986 URI (an international domain in punycode, other characters
/// percent-encoded), as HSDS's `uri` format requires; `None` if it cannot be one.
pub(super) fn hsds_uri(website: &str) -> Option<String> {
    let url = url::Url::parse(website.trim()).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

/// An e-mail address in the plain form HSDS's `email` format (RFC 5322 `addr-spec`) accepts, an
/// international domain in punycode; `None` for anything else, which the export leaves out.
pub(super) fn hsds_email(email: &str) -> Option<String> {
    let (local, domain) = email.trim().rsplit_once('@')?;
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local.split('.').all(|part| !part.is_empty() && part.chars().all(atext));
    let domain = match url::Host::parse(domain).ok()? {
        url::Host::Domain(d) => d,
        _ => return None,
    };
    let label_ok = |l: &str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let domain_ok = domain.contains('.') && domain.split('.').all(label_ok);
    (local_ok && domain_ok).then(|| format!("{local}@{domain}"))
}
