//! Who may administer accounts, API clients and the audit log.

use super::{Role, RoleGrant};
use crate::access::{Actor, Denied, allow};
use crate::ids::{Entity, UserId};

/// Create, list and change user accounts: staff (with the limits of `grant` and
/// `change_account`).
pub fn administer_users(actor: &Actor) -> Result<(), Denied> {
    allow(actor.is_staff(), Denied::StaffOnly)
}

/// Grant `role`: an admin grants any role; other staff every role but `admin` and `staff`.
pub fn grant(actor: &Actor, role: Role) -> Result<(), Denied> {
    administer_users(actor)?;
    allow(actor.is_admin() || !matches!(role, Role::Admin | Role::Staff), Denied::GrantsAdminOnly(role))
}

/// Change the account that holds `roles`: only an admin changes an admin's or staff member's.
pub fn change_account(actor: &Actor, roles: &[RoleGrant]) -> Result<(), Denied> {
    administer_users(actor)?;
    let privileged = roles.iter().any(|g| matches!(g.role, Role::Admin | Role::Staff));
    allow(actor.is_admin() || !privileged, Denied::PrivilegedAccount)
}

/// Why an account is read: by its owner, or by staff administering accounts (a read of personal
/// data the audit log records).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserRead {
    Own,
    Administration,
}

/// Read the account `id`: its owner and staff; for anyone else it does not exist.
pub fn read_user(actor: &Actor, id: &UserId) -> Result<UserRead, Denied> {
    if actor.user_id() == Some(id) {
        Ok(UserRead::Own)
    } else if actor.is_staff() {
        Ok(UserRead::Administration)
    } else {
        Err(Denied::Hidden(Entity::User))
    }
}

/// Create, read, change and rotate API clients: admins.
pub fn administer_clients(actor: &Actor) -> Result<(), Denied> {
    allow(actor.is_admin(), Denied::AdminOnly)
}

/// Read the audit log: admins.
pub fn read_audit_log(actor: &Actor) -> Result<(), Denied> {
    allow(actor.is_admin(), Denied::AdminOnly)
}

/// The actor's own account (`/me`): users only.
pub fn own_account(actor: &Actor) -> Result<&UserId, Denied> {
    actor.user_id().ok_or(Denied::UsersOnly)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::actors::{client_of, user};
    use crate::identity::Scope;
    use crate::ids::OrganisationId;

    #[test]
    fn staff_administer_users_but_only_admins_touch_privileged_roles() {
        let (admin, staff, volunteer) = (user(&[Role::Admin]), user(&[Role::Staff]), user(&[Role::Volunteer]));
        assert_eq!(administer_users(&volunteer), Err(Denied::StaffOnly));
        assert_eq!(grant(&staff, Role::Coordinator), Ok(()));
        assert_eq!(grant(&staff, Role::Staff), Err(Denied::GrantsAdminOnly(Role::Staff)));
        assert_eq!(grant(&admin, Role::Admin), Ok(()));
        assert_eq!(change_account(&staff, &[RoleGrant::global(Role::Admin)]), Err(Denied::PrivilegedAccount));
        assert_eq!(change_account(&staff, &[RoleGrant::global(Role::Volunteer)]), Ok(()));
        assert_eq!(change_account(&admin, &[RoleGrant::global(Role::Staff)]), Ok(()));
    }

    #[test]
    fn an_account_is_read_by_its_owner_and_staff_and_hidden_from_others() {
        let me = user(&[Role::Volunteer]);
        let my_id = me.user_id().unwrap().clone();
        assert_eq!(read_user(&me, &my_id), Ok(UserRead::Own));
        assert_eq!(read_user(&user(&[Role::Staff]), &my_id), Ok(UserRead::Administration));
        assert_eq!(read_user(&user(&[Role::Reviewer]), &my_id), Err(Denied::Hidden(Entity::User)));
        let client = client_of(&OrganisationId::new(), &[Scope::DirectoryWrite]);
        assert_eq!(read_user(&client, &my_id), Err(Denied::Hidden(Entity::User)));
        assert_eq!(own_account(&client), Err(Denied::UsersOnly));
    }

    #[test]
    fn clients_and_the_audit_log_are_for_admins() {
        assert_eq!(administer_clients(&user(&[Role::Staff])), Err(Denied::AdminOnly));
        assert_eq!(read_audit_log(&user(&[Role::Admin])), Ok(()));
    }
}
