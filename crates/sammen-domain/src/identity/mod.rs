//! Identity: roles and the scopes they carry, API-client scopes, the rules for e-mail addresses
//! and passwords, login throttling, and who may administer accounts (`policy`).

mod account;
mod error;
mod lifecycle;
mod login_throttle;
pub mod policy;
mod session;
mod throttle;

use serde::{Deserialize, Serialize};

pub use account::{EMAIL_MAX_CHARS, PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS, check_password, normalise_email};
pub use error::IdentityError;
pub use lifecycle::{
    ACCOUNT_MAIL_ADDRESS_THROTTLE, ACCOUNT_MAIL_RECIPIENT_THROTTLE, PASSWORD_CHANGE_THROTTLE, TokenPurpose,
};
pub use login_throttle::{LOGIN_THROTTLE, LoginTallies, LoginThrottle};
pub use session::{SESSION_LIFETIME, SessionLifetime};
pub use throttle::{ADDRESS_THROTTLE, Expiry, Tally, Throttle, client_key};

use crate::validation::FieldError;

crate::text_enum! {
    /// A role a user holds. Scoped roles (`coordinator`, `secretary`, `organisation`) are granted
    /// for specific care units, councils or organisations; the others are global.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Role ("role") {
        Admin = "admin",
        Staff = "staff",
        Coordinator = "coordinator",
        Reviewer = "reviewer",
        Secretary = "secretary",
        Organisation = "organisation",
        Volunteer = "volunteer",
    }
}

impl Role {
    /// Whether a grant of this role must name what it applies to (a unit, council or organisation).
    pub fn is_scoped(self) -> bool {
        matches!(self, Role::Coordinator | Role::Secretary | Role::Organisation)
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

crate::text_enum! {
    /// What an API client may do. Each area has a pair.
    #[derive(Serialize, Deserialize)]
    pub enum Scope ("scope") {
        #[serde(rename = "directory:read")]
        DirectoryRead = "directory:read",
        #[serde(rename = "directory:write")]
        DirectoryWrite = "directory:write",
        #[serde(rename = "grants:read")]
        GrantsRead = "grants:read",
        #[serde(rename = "grants:write")]
        GrantsWrite = "grants:write",
        #[serde(rename = "matching:read")]
        MatchingRead = "matching:read",
        #[serde(rename = "matching:write")]
        MatchingWrite = "matching:write",
        #[serde(rename = "council:read")]
        CouncilRead = "council:read",
        #[serde(rename = "council:write")]
        CouncilWrite = "council:write",
    }
}

/// Checks a list of scopes (known, at least one) and returns them sorted without duplicates.
pub fn check_scopes(field: &str, scopes: &[String]) -> Result<Vec<Scope>, FieldError> {
    if scopes.is_empty() {
        return Err(FieldError::new(field, "required", "at least one scope"));
    }
    if scopes.len() > Scope::ALL.len() {
        return Err(FieldError::new(field, "too_long", format!("at most {} scopes", Scope::ALL.len())));
    }
    let mut checked = scopes
        .iter()
        .map(|s| s.parse::<Scope>().map_err(|e| FieldError::new(field, "invalid", format!("unknown scope: {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    checked.sort();
    checked.dedup();
    Ok(checked)
}

/// Scopes as one space-separated text (how they are stored and how OAuth writes them), in order.
pub fn scope_text(scopes: &[Scope]) -> String {
    scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ")
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
    fn scoped_roles_need_a_scope_and_global_roles_refuse_one() {
        assert!(RoleGrant::global(Role::Staff).check("roles[0]").is_ok());
        assert!(RoleGrant::global(Role::Coordinator).check("roles[0]").is_err());
        let scoped = RoleGrant { role: Role::Organisation, scope: Some("org-1".into()) };
        assert!(scoped.check("roles[0]").is_ok());
        let bad = RoleGrant { role: Role::Admin, scope: Some("x".into()) };
        assert_eq!(bad.check("roles[0]").unwrap_err().code, "invalid");
    }

    #[test]
    fn scopes_must_be_known_and_are_sorted_without_duplicates() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            check_scopes("scopes", &s(&["directory:write", "directory:read", "directory:write"])).unwrap(),
            [Scope::DirectoryRead, Scope::DirectoryWrite]
        );
        assert_eq!(check_scopes("scopes", &[]).unwrap_err().code, "required");
        assert_eq!(check_scopes("scopes", &s(&["admin"])).unwrap_err().code, "invalid");
        assert_eq!(scope_text(&[Scope::DirectoryRead, Scope::GrantsWrite]), "directory:read grants:write");
    }
}
