//! Users and the roles they hold.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sammen_domain::Entity;
use sammen_domain::identity::{IdentityError, Role, RoleGrant};
use sammen_domain::ids::UserId;

use crate::audit::{self, AuditContext};
use crate::dialect::{DbConn, write_transaction};
use crate::error::{Found, StoreError, StoreResult};
use crate::lock_rows;
use crate::schema::{refresh_tokens, user_roles, users};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub disabled: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub roles: Vec<RoleGrant>,
}

impl User {
    /// Active and holding the admin role: one of those the installation must never run out of.
    pub fn is_active_admin(&self) -> bool {
        !self.disabled && self.roles.iter().any(|g| g.role == Role::Admin)
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = users)]
struct UserRow {
    id: UserId,
    email: String,
    display_name: String,
    disabled: bool,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl UserRow {
    fn with_roles(self, roles: Vec<RoleGrant>) -> User {
        User {
            id: self.id,
            email: self.email,
            display_name: self.display_name,
            disabled: self.disabled,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
            roles,
        }
    }
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub roles: &'a [RoleGrant],
}

/// Creates a user with its roles, recorded in the audit log as `action` (`user.created`). Made by
/// an admin or on the command line, its address counts as confirmed. A taken e-mail is
/// `IdentityError::EmailTaken`.
pub fn insert_user(conn: &mut DbConn, new: &NewUser<'_>, ctx: &AuditContext, action: &str) -> StoreResult<User> {
    create_user(conn, new, Some(crate::now()), ctx, action)
}

/// Creates a user whose address was confirmed at `email_verified_at` (`None`: not yet).
pub(super) fn create_user(
    conn: &mut DbConn,
    new: &NewUser<'_>,
    email_verified_at: Option<NaiveDateTime>,
    ctx: &AuditContext,
    action: &str,
) -> StoreResult<User> {
    write_transaction(conn, |conn| {
        let taken = diesel::select(diesel::dsl::exists(users::table.filter(users::email.eq(new.email))));
        if taken.get_result::<bool>(conn)? {
            return Err(IdentityError::EmailTaken.into());
        }
        let id = UserId::new();
        let now = crate::now();
        let inserted = diesel::insert_into(users::table)
            .values((
                users::id.eq(id.as_str()),
                users::email.eq(new.email),
                users::display_name.eq(new.display_name),
                users::password_hash.eq(Some(new.password_hash)),
                users::disabled.eq(false),
                users::version.eq(1),
                users::created_at.eq(now),
                users::updated_at.eq(now),
                users::email_verified_at.eq(email_verified_at),
            ))
            .execute(conn);
        match inserted.map_err(StoreError::from) {
            // The same address registered by a concurrent request.
            Err(StoreError::Conflict(_)) => return Err(IdentityError::EmailTaken.into()),
            other => other?,
        };
        insert_roles(conn, &id, new.roles, now)?;
        announce_representatives(conn, &id, &[], new.roles)?;
        audit::record_about_user(conn, ctx, action, &id, serde_json::json!({ "roles": new.roles }))?;
        find_user(conn, &id)
    })
}

fn insert_roles(conn: &mut DbConn, user_id: &UserId, roles: &[RoleGrant], now: NaiveDateTime) -> StoreResult<()> {
    let mut grants: Vec<&RoleGrant> = roles.iter().collect();
    grants.sort();
    grants.dedup();
    let rows: Vec<_> = grants
        .into_iter()
        .map(|g| {
            (
                user_roles::user_id.eq(user_id.as_str()),
                user_roles::role.eq(g.role.as_str()),
                user_roles::scope_id.eq(g.scope.as_deref().unwrap_or_default()),
                user_roles::granted_at.eq(now),
            )
        })
        .collect();
    if !rows.is_empty() {
        crate::db_run!(conn, c => diesel::insert_into(user_roles::table).values(&rows).execute(c))?;
    }
    Ok(())
}

pub fn find_user(conn: &mut DbConn, id: &UserId) -> StoreResult<User> {
    let row: UserRow = users::table.find(id.as_str()).select(UserRow::as_select()).first(conn).found(Entity::User)?;
    let roles = roles_of(conn, &[id.as_str()])?.remove(id).unwrap_or_default();
    Ok(row.with_roles(roles))
}

/// The roles of several users in one query (no query per user).
fn roles_of(conn: &mut DbConn, ids: &[&str]) -> StoreResult<HashMap<UserId, Vec<RoleGrant>>> {
    let rows: Vec<(UserId, Role, String)> = user_roles::table
        .filter(user_roles::user_id.eq_any(ids))
        .select((user_roles::user_id, user_roles::role, user_roles::scope_id))
        .order((user_roles::user_id, user_roles::role, user_roles::scope_id))
        .load(conn)?;
    let mut map: HashMap<UserId, Vec<RoleGrant>> = HashMap::new();
    for (user_id, role, scope) in rows {
        let scope = (!scope.is_empty()).then_some(scope);
        map.entry(user_id).or_default().push(RoleGrant { role, scope });
    }
    Ok(map)
}

/// Users in id order (creation order, since ids are UUID v7), after the `after` id.
/// Returns up to `limit` users; callers ask for one more than a page to learn whether another follows.
pub fn list_users(conn: &mut DbConn, after: Option<&UserId>, limit: i64) -> StoreResult<Vec<User>> {
    let mut query = users::table.select(UserRow::as_select()).order(users::id).limit(limit).into_boxed();
    if let Some(after) = after {
        query = query.filter(users::id.gt(after.as_str().to_owned()));
    }
    let rows: Vec<UserRow> = query.load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut roles = roles_of(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let r = roles.remove(&row.id).unwrap_or_default();
            row.with_roles(r)
        })
        .collect())
}

/// What login needs about an account: its id, password hash and whether it may log in.
#[derive(Debug, Clone)]
pub struct LoginRecord {
    pub id: UserId,
    pub password_hash: Option<String>,
    pub disabled: bool,
    /// A self-registered account logs in once its address is confirmed.
    pub email_confirmed: bool,
}

pub fn find_login(conn: &mut DbConn, email: &str) -> StoreResult<Option<LoginRecord>> {
    Ok(users::table
        .filter(users::email.eq(email))
        .select((users::id, users::password_hash, users::disabled, users::email_verified_at.is_not_null()))
        .first::<(UserId, Option<String>, bool, bool)>(conn)
        .optional()?
        .map(|(id, password_hash, disabled, email_confirmed)| LoginRecord {
            id,
            password_hash,
            disabled,
            email_confirmed,
        }))
}

/// The password hash of an account (to check the current password before a change).
pub fn password_hash_of(conn: &mut DbConn, id: &UserId) -> StoreResult<Option<String>> {
    Ok(users::table
        .find(id.as_str())
        .filter(users::disabled.eq(false))
        .select(users::password_hash)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}

/// Replaces a user's password hash (rehash on login with stronger parameters, password change).
pub fn set_password_hash(conn: &mut DbConn, id: &UserId, hash: &str) -> StoreResult<()> {
    diesel::update(users::table.find(id.as_str())).set(users::password_hash.eq(Some(hash))).execute(conn)?;
    Ok(())
}

/// The fields an update may change; `None` leaves a field as it is.
#[derive(Debug, Default, Clone)]
pub struct UserChanges {
    pub display_name: Option<String>,
    pub disabled: Option<bool>,
    pub roles: Option<Vec<RoleGrant>>,
}

impl UserChanges {
    /// Whether the change could take an admin away (by disabling or replacing roles).
    fn could_remove_an_admin(&self) -> bool {
        self.disabled == Some(true) || self.roles.is_some()
    }
}

/// Locks the active administrators' rows until the end of the transaction, in id order.
///
/// "Some admin stays active" spans rows no single statement writes: two admins disabling each
/// other would each see the other still active under READ COMMITTED, and both commit. So every
/// change that could remove an admin takes these locks first, before it reads anything: such
/// changes run one after the other, and each counts what the one before committed.
pub fn lock_active_admins(conn: &mut DbConn) -> StoreResult<Vec<UserId>> {
    let admins = lock_rows!(
        conn,
        users::table
            .inner_join(user_roles::table)
            .filter(user_roles::role.eq(Role::Admin.as_str()))
            .filter(users::disabled.eq(false))
            .select(users::id)
            .order(users::id)
    )?;
    Ok(admins.into_iter().map(UserId::from_stored).collect())
}

/// Applies `changes` if the user is still at `expected_version` (optimistic concurrency: the
/// version check and the write are one statement, so a concurrent update cannot be lost).
/// Role changes and disabling are recorded as security events; disabling also revokes every
/// refresh token of the user. A change that would leave no active admin is
/// `IdentityError::LastAdmin`. Runs in the caller's transaction, or its own.
pub fn update_user(
    conn: &mut DbConn,
    id: &UserId,
    expected_version: Option<i64>,
    changes: &UserChanges,
    ctx: &AuditContext,
) -> StoreResult<User> {
    write_transaction(conn, |conn| {
        if changes.could_remove_an_admin() {
            lock_active_admins(conn)?;
        }
        let before = find_user(conn, id)?;
        let expected = expected_version.unwrap_or(before.version);
        let now = crate::now();
        let target = users::table.filter(users::id.eq(id.as_str())).filter(users::version.eq(expected));
        let updated = diesel::update(target)
            .set((
                users::version.eq(users::version + 1),
                users::updated_at.eq(now),
                changes.display_name.as_ref().map(|n| users::display_name.eq(n)),
                changes.disabled.map(|d| users::disabled.eq(d)),
            ))
            .execute(conn)?;
        if updated == 0 {
            return Err(StoreError::VersionMismatch);
        }
        let record = |conn: &mut DbConn, action: &str, details: serde_json::Value| {
            audit::record_about_user(conn, ctx, action, id, details)
        };
        let mut fields = Vec::new();
        if changes.display_name.is_some() {
            fields.push("display_name");
        }
        if let Some(roles) = &changes.roles {
            fields.push("roles");
            diesel::delete(user_roles::table.filter(user_roles::user_id.eq(id.as_str()))).execute(conn)?;
            insert_roles(conn, id, roles, now)?;
            record(conn, "user.roles_changed", serde_json::json!({ "before": before.roles, "after": roles }))?;
            announce_representatives(conn, id, &before.roles, roles)?;
        }
        match changes.disabled {
            Some(true) if !before.disabled => {
                fields.push("disabled");
                revoke_all_refresh_tokens(conn, id)?;
                record(conn, "user.disabled", serde_json::json!({}))?;
            }
            Some(false) if before.disabled => {
                fields.push("disabled");
                record(conn, "user.enabled", serde_json::json!({}))?;
            }
            _ => {}
        }
        record(conn, "user.updated", serde_json::json!({ "fields": fields }))?;
        if before.is_active_admin() && active_admin_count(conn)? == 0 {
            return Err(IdentityError::LastAdmin.into());
        }
        find_user(conn, id)
    })
}

/// Tells the webhook subscriptions of each organisation that `user` became or stopped being one of
/// its representatives (the role `organisation` scoped to it): the account event an organisation's
/// own client may see. The user's id only, no personal data.
fn announce_representatives(
    conn: &mut DbConn,
    user: &UserId,
    before: &[RoleGrant],
    after: &[RoleGrant],
) -> StoreResult<()> {
    let represented = |grants: &[RoleGrant]| -> Vec<String> {
        grants.iter().filter(|g| g.role == Role::Organisation).filter_map(|g| g.scope.clone()).collect()
    };
    let (was, is) = (represented(before), represented(after));
    let added = is.iter().filter(|o| !was.contains(o)).map(|o| (o, "added"));
    let removed = was.iter().filter(|o| !is.contains(o)).map(|o| (o, "removed"));
    for (organisation, change) in added.chain(removed) {
        let organisation = sammen_domain::ids::OrganisationId::from_stored(organisation.clone());
        let payload = serde_json::json!({ "organisation_id": organisation, "user_id": user, "change": change });
        let event = crate::outbox::NewEvent {
            event_type: sammen_domain::outbox::EventType::OrganisationRepresentativesChanged,
            resource_type: "organisation",
            resource_id: organisation.as_str(),
            payload,
        };
        crate::webhooks::announce(conn, &event, &organisation)?;
    }
    Ok(())
}

/// Ends every session of a user: their refresh tokens stop working.
pub fn revoke_all_refresh_tokens(conn: &mut DbConn, user_id: &UserId) -> StoreResult<usize> {
    Ok(diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id.as_str()))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(Some(crate::now())))
    .execute(conn)?)
}

/// The current roles of an active user, or `None` if the account is disabled or gone, or its
/// sessions were ended after the token was `issued_at`: checked on every authenticated request,
/// so disabling a user, changing their roles or their password takes effect at once rather than
/// when their token expires.
pub fn user_access(conn: &mut DbConn, id: &UserId, issued_at: NaiveDateTime) -> StoreResult<Option<Vec<RoleGrant>>> {
    // One statement on every authenticated request: the account with its roles, if any.
    let rows: Vec<(bool, Option<Role>, Option<String>)> = users::table
        .left_join(user_roles::table)
        .filter(users::id.eq(id.as_str()))
        .filter(users::sessions_valid_after.is_null().or(users::sessions_valid_after.le(issued_at)))
        .select((users::disabled, user_roles::role.nullable(), user_roles::scope_id.nullable()))
        .order((user_roles::role, user_roles::scope_id))
        .load(conn)?;
    if rows.first().is_none_or(|(disabled, _, _)| *disabled) {
        return Ok(None);
    }
    let grants = rows.into_iter().filter_map(|(_, role, scope)| Some((role?, scope.unwrap_or_default())));
    Ok(Some(grants.map(|(role, scope)| RoleGrant { role, scope: (!scope.is_empty()).then_some(scope) }).collect()))
}

/// How many active users hold the admin role.
pub fn active_admin_count(conn: &mut DbConn) -> StoreResult<i64> {
    Ok(users::table
        .inner_join(user_roles::table)
        .filter(user_roles::role.eq(Role::Admin.as_str()))
        .filter(users::disabled.eq(false))
        .count()
        .get_result(conn)?)
}

/// What an erasure removed and what it kept.
#[derive(Debug, Clone)]
pub struct Erasure {
    pub erased_at: NaiveDateTime,
}

/// Erases a user's personal data: the e-mail and name are replaced, the password, roles and
/// sessions removed, the account disabled. The row stays (as a pseudonymous id) because audit
/// events and, later, records others depend on refer to it. The last active admin cannot be
/// erased (`IdentityError::LastAdmin`).
pub fn erase_user(conn: &mut DbConn, id: &UserId, ctx: &AuditContext) -> StoreResult<Erasure> {
    write_transaction(conn, |conn| {
        let admins = lock_active_admins(conn)?;
        if admins.len() == 1 && admins.contains(id) {
            return Err(IdentityError::LastAdmin.into());
        }
        let now = crate::now();
        let updated = diesel::update(users::table.find(id.as_str()))
            .set((
                users::email.eq(format!("erased-{id}@invalid")),
                users::display_name.eq("Slettet bruger"),
                users::password_hash.eq(None::<String>),
                users::disabled.eq(true),
                users::version.eq(users::version + 1),
                users::updated_at.eq(now),
            ))
            .execute(conn)?;
        if updated == 0 {
            return Err(StoreError::NotFound(Entity::User));
        }
        let held = roles_of(conn, &[id.as_str()])?.remove(id).unwrap_or_default();
        diesel::delete(user_roles::table.filter(user_roles::user_id.eq(id.as_str()))).execute(conn)?;
        announce_representatives(conn, id, &held, &[])?;
        diesel::delete(refresh_tokens::table.filter(refresh_tokens::user_id.eq(id.as_str()))).execute(conn)?;
        audit::record_about_user(conn, ctx, "user.erased", id, serde_json::json!({}))?;
        Ok(Erasure { erased_at: now })
    })
}
