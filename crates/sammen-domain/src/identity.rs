//! Who may act: roles, the scopes they carry, and the rules for e-mail addresses and passwords.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::validation::FieldError;

/// A role a user holds. Scoped roles (`coordinator`, `secretary`, `organisation`) are granted
/// for specific care units, councils or organisations; the others are global.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Staff,
    Coordinator,
    Reviewer,
    Secretary,
    Organisation,
    Volunteer,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::Staff,
        Role::Coordinator,
        Role::Reviewer,
        Role::Secretary,
        Role::Organisation,
        Role::Volunteer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
            Role::Coordinator => "coordinator",
            Role::Reviewer => "reviewer",
            Role::Secretary => "secretary",
            Role::Organisation => "organisation",
            Role::Volunteer => "volunteer",
        }
    }

    /// Whether a grant of this role must name what it applies to (a unit, council or organisation).
    pub fn is_scoped(self) -> bool {
        matches!(self, Role::Coordinator | Role::Secretary | Role::Organisation)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role `{0}`")]
pub struct UnknownRole(pub String);

/// Password length bounds, checked before any hashing so a huge input costs nothing.
pub const PASSWORD_MIN_CHARS: usize = 10;
pub const PASSWORD_MAX_CHARS: usize = 128;

/// Checks a new password against the policy. The password is used exactly as given:
/// no trimming and no case folding (ASVS 6.2.8).
pub fn check_password(field: &str, password: &str) -> Result<(), FieldError> {
    let n = password.chars().count();
    if n < PASSWORD_MIN_CHARS {
        return Err(FieldError::new(field, "too_short", format!("must be at least {PASSWORD_MIN_CHARS} characters")));
    }
    if n > PASSWORD_MAX_CHARS {
        return Err(FieldError::new(field, "too_long", format!("must be at most {PASSWORD_MAX_CHARS} characters")));
    }
    Ok(())
}

pub const EMAIL_MAX_CHARS: usize = 254;

/// Normalises an e-mail address for storage and lookup (trimmed, lower-cased) and checks its
/// shape: one `@`, a non-empty local part, a domain with a dot, no spaces or control characters.
pub fn normalise_email(field: &str, email: &str) -> Result<String, FieldError> {
    let email = email.trim().to_lowercase();
    let invalid = || FieldError::new(field, "invalid", "must be an e-mail address like name@example.dk");
    if email.is_empty() {
        return Err(FieldError::new(field, "required", "is required"));
    }
    if email.chars().count() > EMAIL_MAX_CHARS {
        return Err(FieldError::new(field, "too_long", format!("must be at most {EMAIL_MAX_CHARS} characters")));
    }
    let (local, domain) = email.split_once('@').ok_or_else(invalid)?;
    let bad_char = |c: char| c.is_whitespace() || c.is_control() || c == '@';
    if local.is_empty()
        || domain.len() < 3
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || email.chars().filter(|c| *c == '@').count() != 1
        || local.chars().any(bad_char)
        || domain.chars().any(bad_char)
    {
        return Err(invalid());
    }
    Ok(email)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        assert!("root".parse::<Role>().is_err());
        assert!(Role::Coordinator.is_scoped() && !Role::Admin.is_scoped());
    }

    #[test]
    fn password_policy_counts_characters_and_keeps_the_text_as_is() {
        assert_eq!(check_password("password", "short").unwrap_err().code, "too_short");
        assert!(check_password("password", "ærlig talt ø").is_ok());
        assert!(check_password("password", &"x".repeat(128)).is_ok());
        assert_eq!(check_password("password", &"x".repeat(129)).unwrap_err().code, "too_long");
        // Leading and trailing spaces count: the password is verified exactly as received.
        assert!(check_password("password", "          ").is_ok());
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(normalise_email("email", "  Anna@Example.DK ").unwrap(), "anna@example.dk");
        for bad in ["", "anna", "anna@", "@example.dk", "anna@dk", "an na@example.dk", "a@b@example.dk", "anna@.dk"] {
            assert!(normalise_email("email", bad).is_err(), "{bad:?} should be rejected");
        }
    }
}

/// A role as granted to someone: global (`scope: None`) or for one unit, council or organisation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RoleGrant {
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

impl RoleGrant {
    pub fn global(role: Role) -> Self {
        Self { role, scope: None }
    }

    /// A scoped role needs a scope and a global one must not have one.
    pub fn check(&self, field: &str) -> Result<(), FieldError> {
        match (self.role.is_scoped(), &self.scope) {
            (true, None) => Err(FieldError::new(
                field,
                "required",
                format!(
                    "the role `{}` must name the unit, council or organisation it applies to in `scope`",
                    self.role
                ),
            )),
            (false, Some(_)) => Err(FieldError::new(
                field,
                "invalid",
                format!("the role `{}` is global and takes no `scope`", self.role),
            )),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod grant_tests {
    use super::*;

    #[test]
    fn scoped_roles_need_a_scope_and_global_roles_refuse_one() {
        assert!(RoleGrant::global(Role::Staff).check("roles[0]").is_ok());
        assert!(RoleGrant::global(Role::Coordinator).check("roles[0]").is_err());
        let scoped = RoleGrant { role: Role::Organisation, scope: Some("org-1".into()) };
        assert!(scoped.check("roles[0]").is_ok());
        let bad = RoleGrant { role: Role::Admin, scope: Some("x".into()) };
        assert_eq!(bad.check("roles[0]").unwrap_err().code, "invalid");
    }
}

/// The scopes an API client can be granted. Each area adds its own pair.
pub const SCOPES: [&str; 8] = [
    "directory:read",
    "directory:write",
    "grants:read",
    "grants:write",
    "matching:read",
    "matching:write",
    "council:read",
    "council:write",
];

/// Checks a list of scopes (known, no duplicates, at least one) and returns it sorted.
pub fn check_scopes(field: &str, scopes: &[String]) -> Result<Vec<String>, FieldError> {
    if scopes.is_empty() {
        return Err(FieldError::new(field, "required", "at least one scope"));
    }
    if scopes.len() > SCOPES.len() {
        return Err(FieldError::new(field, "too_long", format!("at most {} scopes", SCOPES.len())));
    }
    let mut sorted: Vec<String> = Vec::with_capacity(scopes.len());
    for scope in scopes {
        if !SCOPES.contains(&scope.as_str()) {
            return Err(FieldError::new(
                field,
                "invalid",
                format!("unknown scope `{scope}`; known scopes: {}", SCOPES.join(", ")),
            ));
        }
        sorted.push(scope.clone());
    }
    sorted.sort();
    sorted.dedup();
    Ok(sorted)
}

/// A limit on failed attempts within a fixed window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    pub max_failures: i32,
    pub window_seconds: i64,
}

/// Failed logins of one account: five in fifteen minutes, then wait for the window to end.
pub const ACCOUNT_THROTTLE: Throttle = Throttle { max_failures: 5, window_seconds: 15 * 60 };
/// Failed logins from one client address (credential stuffing across accounts).
pub const ADDRESS_THROTTLE: Throttle = Throttle { max_failures: 30, window_seconds: 15 * 60 };

impl Throttle {
    /// Seconds to wait before another attempt, or `None` if one is allowed now, given the
    /// failures counted in the window that started `elapsed_seconds` ago.
    pub fn retry_after(&self, failures: i32, elapsed_seconds: i64) -> Option<u64> {
        let remaining = self.window_seconds - elapsed_seconds;
        (failures >= self.max_failures && remaining > 0).then(|| u64::try_from(remaining).unwrap_or(1).max(1))
    }

    /// Whether a window that started `elapsed_seconds` ago is over (counting starts afresh).
    pub fn window_over(&self, elapsed_seconds: i64) -> bool {
        elapsed_seconds >= self.window_seconds || elapsed_seconds < 0
    }
}

#[cfg(test)]
mod scope_and_throttle_tests {
    use super::*;

    #[test]
    fn scopes_must_be_known_and_are_sorted_without_duplicates() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            check_scopes("scopes", &s(&["directory:write", "directory:read", "directory:write"])).unwrap(),
            s(&["directory:read", "directory:write"])
        );
        assert_eq!(check_scopes("scopes", &[]).unwrap_err().code, "required");
        assert_eq!(check_scopes("scopes", &s(&["admin"])).unwrap_err().code, "invalid");
    }

    #[test]
    fn throttles_allow_until_the_limit_then_until_the_window_ends() {
        let t = Throttle { max_failures: 3, window_seconds: 60 };
        assert_eq!(t.retry_after(2, 10), None);
        assert_eq!(t.retry_after(3, 10), Some(50));
        assert_eq!(t.retry_after(9, 59), Some(1));
        assert_eq!(t.retry_after(9, 60), None);
        assert!(t.window_over(60) && !t.window_over(59) && t.window_over(-5));
    }
}
