//! Who may do what in the grant pool: pure functions over the actor and the record. Deny by default.

use super::review::CoiStatus;
use crate::access::{Actor, Denied, allow};
use crate::identity::{Role, RoleGrant, Scope};
use crate::ids::{Entity, OrganisationId};

/// Create and run pools and rounds, screen, assign reviewers, decide, pay: staff.
pub fn run_pools(actor: &Actor) -> Result<(), Denied> {
    allow(actor.is_staff(), Denied::StaffOnly)
}

/// Whether the actor applies on behalf of `org`: its representatives, and its API clients
/// with `grants:write`. Staff do not apply for others (they decide).
pub fn applies_for(actor: &Actor, org: &OrganisationId) -> bool {
    actor.acts_for_organisation(org, Scope::GrantsWrite)
}

/// Start, edit, submit, withdraw an application of `org`, answer its award, report.
pub fn apply(actor: &Actor, org: &OrganisationId) -> Result<(), Denied> {
    allow(applies_for(actor, org), Denied::NotItsOwnApplication)
}

/// How much of an application the actor sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationView {
    /// Everything, reviewers' names and scores included.
    Staff,
    /// The applicant's own: content, status, decision, aggregated scores; no reviewers.
    Applicant,
    /// An assigned reviewer free of conflicts: the content to assess, no other reviews.
    Reviewer,
}

/// Read an application of `org`. `review` is the actor's own review assignment on it, if any.
/// Others learn nothing (404); an assigned reviewer who has not declared free of conflicts of
/// interest is refused (403) until they have.
pub fn read_application(
    actor: &Actor,
    org: &OrganisationId,
    review: Option<CoiStatus>,
) -> Result<ApplicationView, Denied> {
    let reads_own = actor.acts_for_organisation(org, Scope::GrantsRead) || applies_for(actor, org);
    match review {
        _ if actor.is_staff() => Ok(ApplicationView::Staff),
        _ if reads_own => Ok(ApplicationView::Applicant),
        Some(CoiStatus::None) => Ok(ApplicationView::Reviewer),
        Some(CoiStatus::Pending) => Err(Denied::CoiDeclarationRequired),
        Some(CoiStatus::Declared) => Err(Denied::CoiDeclared),
        None => Err(Denied::Hidden(Entity::GrantApplication)),
    }
}

/// List applications: staff all; an organisation's people those of the organisations they
/// act for; a reviewer their assignments.
pub fn list_applications(actor: &Actor) -> Result<(), Denied> {
    let allowed = actor.is_staff()
        || actor.has_role(Role::Organisation)
        || actor.has_role(Role::Reviewer)
        || actor.has_scope(Scope::GrantsRead)
        || actor.has_scope(Scope::GrantsWrite);
    allow(allowed, Denied::GrantsReadersOnly)
}

/// Whether a user with `roles` may be assigned to review an application of `org`: they must be
/// a reviewer (or staff), and never a representative of the applicant (forvaltningsloven § 3).
pub fn assignable(roles: &[RoleGrant], org: &OrganisationId) -> Result<(), super::GrantError> {
    if roles.iter().any(|g| g.role == Role::Organisation && g.scope.as_deref() == Some(org.as_str())) {
        return Err(super::GrantError::ReviewerTied);
    }
    if !roles.iter().any(|g| matches!(g.role, Role::Reviewer | Role::Staff | Role::Admin)) {
        return Err(super::GrantError::NotAReviewer);
    }
    Ok(())
}

/// Declare, score and submit review `reviewer_id`'s review: that reviewer only.
pub fn own_review(actor: &Actor, reviewer_id: &str) -> Result<(), Denied> {
    allow(actor.user_id().is_some_and(|id| id.as_str() == reviewer_id), Denied::Hidden(Entity::GrantReview))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::actors::{client_of, representative_of, user};

    #[test]
    fn who_reads_an_application() {
        let (org, other) = (OrganisationId::new(), OrganisationId::new());
        let rep = representative_of(&org);
        assert_eq!(read_application(&user(&[Role::Staff]), &org, None), Ok(ApplicationView::Staff));
        assert_eq!(read_application(&rep, &org, None), Ok(ApplicationView::Applicant));
        assert_eq!(read_application(&rep, &other, None), Err(Denied::Hidden(Entity::GrantApplication)));
        assert_eq!(
            read_application(&client_of(&org, &[Scope::GrantsRead]), &org, None),
            Ok(ApplicationView::Applicant)
        );
        assert!(read_application(&client_of(&org, &[Scope::DirectoryWrite]), &org, None).is_err());
        let reviewer = user(&[Role::Reviewer]);
        assert_eq!(read_application(&reviewer, &org, None), Err(Denied::Hidden(Entity::GrantApplication)));
        assert_eq!(read_application(&reviewer, &org, Some(CoiStatus::Pending)), Err(Denied::CoiDeclarationRequired));
        assert_eq!(read_application(&reviewer, &org, Some(CoiStatus::Declared)), Err(Denied::CoiDeclared));
        assert_eq!(read_application(&reviewer, &org, Some(CoiStatus::None)), Ok(ApplicationView::Reviewer));
    }

    #[test]
    fn who_applies_and_who_may_review() {
        let org = OrganisationId::new();
        assert!(apply(&representative_of(&org), &org).is_ok());
        assert!(apply(&client_of(&org, &[Scope::GrantsWrite]), &org).is_ok());
        assert!(apply(&client_of(&org, &[Scope::GrantsRead]), &org).is_err());
        assert!(apply(&user(&[Role::Staff]), &org).is_err(), "staff decide; they do not apply");
        let tied = [
            RoleGrant::global(Role::Reviewer),
            RoleGrant { role: Role::Organisation, scope: Some(org.as_str().into()) },
        ];
        assert_eq!(assignable(&tied, &org), Err(super::super::GrantError::ReviewerTied));
        assert!(assignable(&[RoleGrant::global(Role::Reviewer)], &org).is_ok());
        assert_eq!(
            assignable(&[RoleGrant::global(Role::Volunteer)], &org),
            Err(super::super::GrantError::NotAReviewer)
        );
        assert!(run_pools(&representative_of(&org)).is_err());
    }
}
