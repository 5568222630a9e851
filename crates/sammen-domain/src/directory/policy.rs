//! Who may do what in the directory: pure functions over the actor and the record.

use super::moderation::{ListingStatus, Moderator};
use crate::access::{Actor, Denied, allow};
use crate::identity::Scope;
use crate::ids::{Entity, OrganisationId};

/// The scope an API client bound to an organisation needs to write its directory records.
pub const WRITE_SCOPE: Scope = Scope::DirectoryWrite;

/// Whether the actor manages organisation `org` and its listings: staff, its representatives
/// (role `organisation` scoped to it), and its API clients with `directory:write`.
pub fn manages(actor: Option<&Actor>, org: &OrganisationId) -> bool {
    actor.is_some_and(|a| a.is_staff() || a.acts_for_organisation(org, WRITE_SCOPE))
}

/// Change organisation `org`, or create, change, import, moderate and confirm its listings.
pub fn manage(actor: &Actor, org: &OrganisationId) -> Result<(), Denied> {
    allow(manages(Some(actor), org), Denied::NotItsOwn)
}

/// Create organisations; decide which organisation one is a branch of; edit the taxonomy; see
/// the moderation queue and the coverage report: staff.
pub fn staff(actor: &Actor) -> Result<(), Denied> {
    allow(actor.is_staff(), Denied::StaffOnly)
}

/// Change which organisation `org` is a branch of: staff only, though its own people change the rest.
pub fn reparent(actor: &Actor) -> Result<(), Denied> {
    allow(actor.is_staff(), Denied::ReparentStaffOnly)
}

/// Whether the actor sees an organisation's contact details: when it made them public, and
/// always for those who manage it.
pub fn sees_contact(actor: Option<&Actor>, org: &OrganisationId, contact_public: bool) -> bool {
    contact_public || manages(actor, org)
}

/// How much of a listing the actor sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListingView {
    /// The published listing only.
    Public,
    /// Also drafts, the waiting change, a rejection's reason and the external id.
    Manager,
}

/// See a listing of organisation `org` in `status`: published ones anyone; the others only those
/// who manage it. For anyone else an unpublished listing does not exist (it cannot be probed).
pub fn see_listing(actor: Option<&Actor>, org: &OrganisationId, status: ListingStatus) -> Result<ListingView, Denied> {
    if manages(actor, org) {
        Ok(ListingView::Manager)
    } else if status.is_public() {
        Ok(ListingView::Public)
    } else {
        Err(Denied::Hidden(Entity::Activity))
    }
}

/// Which side of moderation the actor is on: staff decide, everyone else proposes.
pub fn moderator(actor: &Actor) -> Moderator {
    if actor.is_staff() { Moderator::Staff } else { Moderator::Organisation }
}

/// Whose error reports the actor reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportView {
    /// Every report, with the reporter's e-mail.
    Staff,
    /// The reports on the organisation's own listings, without the reporter's e-mail.
    Organisation,
}

/// Read error reports: staff all of them; an organisation's people those of the organisation
/// they name.
pub fn read_reports(actor: &Actor, organisation: Option<&OrganisationId>) -> Result<ReportView, Denied> {
    if actor.is_staff() {
        Ok(ReportView::Staff)
    } else if organisation.is_some_and(|org| manages(Some(actor), org)) {
        Ok(ReportView::Organisation)
    } else {
        Err(Denied::ReportsOfOwnOrganisation)
    }
}

/// Resolve a report on a listing of `org`: those who manage it; for anyone else it does not exist.
pub fn resolve_report(actor: &Actor, org: &OrganisationId) -> Result<ReportView, Denied> {
    if actor.is_staff() {
        Ok(ReportView::Staff)
    } else if manages(Some(actor), org) {
        Ok(ReportView::Organisation)
    } else {
        Err(Denied::Hidden(Entity::ActivityReport))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::actors::{client_of, representative_of, user};
    use crate::identity::Role;

    #[test]
    fn an_organisation_is_managed_by_staff_its_people_and_its_writing_clients() {
        let (org, other) = (OrganisationId::new(), OrganisationId::new());
        assert_eq!(manage(&user(&[Role::Staff]), &org), Ok(()));
        assert_eq!(manage(&representative_of(&org), &org), Ok(()));
        assert_eq!(manage(&client_of(&org, &[Scope::DirectoryWrite]), &org), Ok(()));
        for outsider in [
            user(&[Role::Volunteer]),
            user(&[Role::Reviewer]),
            representative_of(&other),
            client_of(&org, &[Scope::DirectoryRead]),
            client_of(&other, &[Scope::DirectoryWrite]),
        ] {
            assert_eq!(manage(&outsider, &org), Err(Denied::NotItsOwn), "{outsider:?}");
        }
        assert_eq!(reparent(&representative_of(&org)), Err(Denied::ReparentStaffOnly));
        assert!(sees_contact(None, &org, true) && !sees_contact(None, &org, false));
    }

    #[test]
    fn unpublished_listings_exist_only_for_those_who_manage_them() {
        let org = OrganisationId::new();
        assert_eq!(see_listing(None, &org, ListingStatus::Published), Ok(ListingView::Public));
        assert_eq!(see_listing(None, &org, ListingStatus::Draft), Err(Denied::Hidden(Entity::Activity)));
        let rep = representative_of(&org);
        assert_eq!(see_listing(Some(&rep), &org, ListingStatus::Draft), Ok(ListingView::Manager));
        assert_eq!(moderator(&rep), Moderator::Organisation);
        assert_eq!(moderator(&user(&[Role::Admin])), Moderator::Staff);
    }

    #[test]
    fn reports_are_read_by_staff_and_the_organisations_own() {
        let org = OrganisationId::new();
        assert_eq!(read_reports(&user(&[Role::Staff]), None), Ok(ReportView::Staff));
        assert_eq!(read_reports(&representative_of(&org), Some(&org)), Ok(ReportView::Organisation));
        assert_eq!(read_reports(&representative_of(&org), None), Err(Denied::ReportsOfOwnOrganisation));
        let other = OrganisationId::new();
        assert_eq!(resolve_report(&representative_of(&other), &org), Err(Denied::Hidden(Entity::ActivityReport)));
    }
}
