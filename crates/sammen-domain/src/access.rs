//! Who acts, and the typed refusal every area's policy answers with.
//!
//! Each area has a `policy` module of pure functions over the actor and the record
//! (`identity::policy`, `directory::policy`); handlers ask them and never assemble role checks
//! themselves. Deny by default: a function allows only what its rule names.

use crate::identity::{Role, RoleGrant, Scope};
use crate::ids::{ApiClientId, Entity, OrganisationId, UserId};

/// An authenticated caller: a user with the roles they hold now, or an API client with the
/// scopes it holds now and the organisation it acts for, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    User { id: UserId, roles: Vec<RoleGrant> },
    Client { id: ApiClientId, scopes: Vec<Scope>, organisation: Option<OrganisationId> },
}

impl Actor {
    /// The actor as the audit log and idempotency keys name it: `user:<id>` or `client:<id>`.
    pub fn principal(&self) -> String {
        match self {
            Actor::User { id, .. } => format!("user:{id}"),
            Actor::Client { id, .. } => format!("client:{id}"),
        }
    }

    /// The user's id; `None` for an API client.
    pub fn user_id(&self) -> Option<&UserId> {
        match self {
            Actor::User { id, .. } => Some(id),
            Actor::Client { .. } => None,
        }
    }

    pub fn has_role(&self, role: Role) -> bool {
        match self {
            Actor::User { roles, .. } => roles.iter().any(|g| g.role == role),
            Actor::Client { .. } => false,
        }
    }

    pub fn is_admin(&self) -> bool {
        self.has_role(Role::Admin)
    }

    /// Municipal staff: the role `staff`, or `admin` (who may do all that staff may).
    pub fn is_staff(&self) -> bool {
        self.has_role(Role::Staff) || self.is_admin()
    }

    /// Whether the actor holds `role` for `scope` (a unit, council or organisation id).
    pub fn acts_for(&self, role: Role, scope: &str) -> bool {
        match self {
            Actor::User { roles, .. } => roles.iter().any(|g| g.role == role && g.scope.as_deref() == Some(scope)),
            Actor::Client { .. } => false,
        }
    }

    pub fn has_scope(&self, scope: Scope) -> bool {
        match self {
            Actor::User { .. } => false,
            Actor::Client { scopes, .. } => scopes.contains(&scope),
        }
    }

    /// Whether the actor acts for organisation `org`: a user who represents it (role
    /// `organisation` scoped to it), or an API client bound to it that holds `scope`.
    pub fn acts_for_organisation(&self, org: &OrganisationId, scope: Scope) -> bool {
        match self {
            Actor::User { .. } => self.acts_for(Role::Organisation, org.as_str()),
            Actor::Client { organisation, .. } => organisation.as_ref() == Some(org) && self.has_scope(scope),
        }
    }
}

/// Why a policy refused an actor. Each message is written here once; the HTTP layer answers
/// 403 Forbidden, or 404 for `Hidden`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("this requires one of the roles: admin, staff")]
    StaffOnly,
    #[error("this requires the role: admin")]
    AdminOnly,
    #[error("only an admin may grant the role `{0}`")]
    GrantsAdminOnly(Role),
    #[error("only an admin may change an admin's or a staff member's account")]
    PrivilegedAccount,
    #[error("API clients have no user account")]
    UsersOnly,
    #[error(
        "only staff and the organisation's own people (its representatives, and its API clients with \
         directory:write) may do this"
    )]
    NotItsOwn,
    #[error("only staff change which organisation this is a branch of")]
    ReparentStaffOnly,
    #[error("staff see every report; an organisation's people give `organisation` for theirs")]
    ReportsOfOwnOrganisation,
    #[error(
        "only the applicant organisation's own people (its representatives, and its API clients with \
         grants:write) may do this"
    )]
    NotItsOwnApplication,
    #[error("declare whether you have a conflict of interest first (POST /api/v1/grant-reviews/{{id}}/declaration)")]
    CoiDeclarationRequired,
    #[error("you declared a conflict of interest with this application, so you may not see or assess it")]
    CoiDeclared,
    #[error("this requires staff, a reviewer, an organisation's representative, or a client with grants:read")]
    GrantsReadersOnly,
    /// The actor may not learn whether the record exists: answered as "no such ...".
    #[error("no such {}", .0.noun())]
    Hidden(Entity),
}

/// `Ok` when `allowed`, else the refusal.
pub fn allow(allowed: bool, otherwise: Denied) -> Result<(), Denied> {
    if allowed { Ok(()) } else { Err(otherwise) }
}

#[cfg(test)]
pub(crate) mod actors {
    //! Actors for the policy tables of each area.
    use super::*;

    pub fn user(roles: &[Role]) -> Actor {
        Actor::User { id: UserId::new(), roles: roles.iter().map(|r| RoleGrant::global(*r)).collect() }
    }

    pub fn representative_of(org: &OrganisationId) -> Actor {
        Actor::User {
            id: UserId::new(),
            roles: vec![RoleGrant { role: Role::Organisation, scope: Some(org.to_string()) }],
        }
    }

    pub fn client_of(org: &OrganisationId, scopes: &[Scope]) -> Actor {
        Actor::Client { id: ApiClientId::new(), scopes: scopes.to_vec(), organisation: Some(org.clone()) }
    }
}

#[cfg(test)]
mod tests {
    use super::actors::*;
    use super::*;

    #[test]
    fn staff_is_staff_or_admin_and_clients_hold_no_roles() {
        assert!(user(&[Role::Staff]).is_staff() && user(&[Role::Admin]).is_staff());
        assert!(!user(&[Role::Reviewer]).is_staff());
        let org = OrganisationId::new();
        let client = client_of(&org, &[Scope::DirectoryWrite]);
        assert!(!client.is_staff() && client.user_id().is_none());
        assert!(client.principal().starts_with("client:"));
    }

    #[test]
    fn acting_for_an_organisation_takes_its_role_or_a_bound_client_with_the_scope() {
        let (org, other) = (OrganisationId::new(), OrganisationId::new());
        assert!(representative_of(&org).acts_for_organisation(&org, Scope::DirectoryWrite));
        assert!(!representative_of(&other).acts_for_organisation(&org, Scope::DirectoryWrite));
        assert!(client_of(&org, &[Scope::DirectoryWrite]).acts_for_organisation(&org, Scope::DirectoryWrite));
        assert!(!client_of(&org, &[Scope::DirectoryRead]).acts_for_organisation(&org, Scope::DirectoryWrite));
        assert!(!client_of(&other, &[Scope::DirectoryWrite]).acts_for_organisation(&org, Scope::DirectoryWrite));
        assert_eq!(Denied::Hidden(Entity::Activity).to_string(), "no such activity");
    }
}
