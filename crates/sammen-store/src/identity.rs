//! Users and the roles they hold.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sammen_domain::identity::{Role, RoleGrant};

use crate::conn::{DbConn, write_transaction};
use crate::error::{StoreError, StoreResult};
use crate::schema::{user_roles, users};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub disabled: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub roles: Vec<RoleGrant>,
}

#[derive(Queryable)]
struct UserRow {
    id: String,
    email: String,
    display_name: String,
    disabled: bool,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

type UserColumns = (
    users::id,
    users::email,
    users::display_name,
    users::disabled,
    users::version,
    users::created_at,
    users::updated_at,
);
const USER_COLUMNS: UserColumns = (
    users::id,
    users::email,
    users::display_name,
    users::disabled,
    users::version,
    users::created_at,
    users::updated_at,
);

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

/// Creates a user with its roles in one transaction. A taken e-mail is `Conflict`.
pub fn insert_user(conn: &mut DbConn, new: &NewUser<'_>) -> StoreResult<User> {
    write_transaction(conn, |conn| {
        let id = crate::new_id();
        let now = crate::now();
        diesel::insert_into(users::table)
            .values((
                users::id.eq(&id),
                users::email.eq(new.email),
                users::display_name.eq(new.display_name),
                users::password_hash.eq(Some(new.password_hash)),
                users::disabled.eq(false),
                users::version.eq(1),
                users::created_at.eq(now),
                users::updated_at.eq(now),
            ))
            .execute(conn)?;
        insert_roles(conn, &id, new.roles, now)?;
        find_user(conn, &id)
    })
}

fn insert_roles(conn: &mut DbConn, user_id: &str, roles: &[RoleGrant], now: NaiveDateTime) -> StoreResult<()> {
    let mut grants: Vec<&RoleGrant> = roles.iter().collect();
    grants.sort();
    grants.dedup();
    // One statement per grant: multi-row inserts are not available on the MultiConnection enum,
    // and a user holds a handful of roles.
    for g in grants {
        diesel::insert_into(user_roles::table)
            .values((
                user_roles::user_id.eq(user_id),
                user_roles::role.eq(g.role.as_str()),
                user_roles::scope_id.eq(g.scope.as_deref().unwrap_or_default()),
                user_roles::granted_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn find_user(conn: &mut DbConn, id: &str) -> StoreResult<User> {
    let row: UserRow = users::table.find(id).select(USER_COLUMNS).first(conn)?;
    let roles = roles_of(conn, &[row.id.as_str()])?.remove(&row.id).unwrap_or_default();
    Ok(row.with_roles(roles))
}

/// The roles of several users in one query (no query per user).
fn roles_of(conn: &mut DbConn, ids: &[&str]) -> StoreResult<HashMap<String, Vec<RoleGrant>>> {
    let rows: Vec<(String, String, String)> = user_roles::table
        .filter(user_roles::user_id.eq_any(ids))
        .select((user_roles::user_id, user_roles::role, user_roles::scope_id))
        .order((user_roles::user_id, user_roles::role, user_roles::scope_id))
        .load(conn)?;
    let mut map: HashMap<String, Vec<RoleGrant>> = HashMap::new();
    for (user_id, role, scope) in rows {
        let role: Role = role.parse().map_err(|e| StoreError::Corrupt(format!("{e}")))?;
        let scope = (!scope.is_empty()).then_some(scope);
        map.entry(user_id).or_default().push(RoleGrant { role, scope });
    }
    Ok(map)
}

/// Users in id order (creation order, since ids are UUID v7), after the `after` id.
/// Returns up to `limit` users; callers ask for one more than a page to learn whether another follows.
pub fn list_users(conn: &mut DbConn, after: Option<&str>, limit: i64) -> StoreResult<Vec<User>> {
    let mut query = users::table.select(USER_COLUMNS).order(users::id).limit(limit).into_boxed();
    if let Some(after) = after {
        query = query.filter(users::id.gt(after.to_owned()));
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
    pub id: String,
    pub password_hash: Option<String>,
    pub disabled: bool,
}

pub fn find_login(conn: &mut DbConn, email: &str) -> StoreResult<Option<LoginRecord>> {
    Ok(users::table
        .filter(users::email.eq(email))
        .select((users::id, users::password_hash, users::disabled))
        .first::<(String, Option<String>, bool)>(conn)
        .optional()?
        .map(|(id, password_hash, disabled)| LoginRecord { id, password_hash, disabled }))
}

/// Whether the user exists and is not disabled: checked on every authenticated request, so
/// disabling a user ends their access at once rather than when their token expires.
pub fn user_is_active(conn: &mut DbConn, id: &str) -> StoreResult<bool> {
    Ok(users::table.find(id).select(users::disabled).first::<bool>(conn).optional()?.is_some_and(|disabled| !disabled))
}

/// Replaces a user's password hash (rehash on login with stronger parameters, password change).
pub fn set_password_hash(conn: &mut DbConn, id: &str, hash: &str) -> StoreResult<()> {
    diesel::update(users::table.find(id)).set(users::password_hash.eq(Some(hash))).execute(conn)?;
    Ok(())
}

/// The fields an update may change; `None` leaves a field as it is.
#[derive(Debug, Default, Clone)]
pub struct UserChanges {
    pub display_name: Option<String>,
    pub disabled: Option<bool>,
    pub roles: Option<Vec<RoleGrant>>,
}

/// Applies `changes` if the user is still at `expected_version` (optimistic concurrency: the
/// version check and the write are one statement, so a concurrent update cannot be lost).
pub fn update_user(
    conn: &mut DbConn,
    id: &str,
    expected_version: Option<i64>,
    changes: &UserChanges,
) -> StoreResult<User> {
    write_transaction(conn, |conn| {
        let current: i64 = users::table.find(id).select(users::version).first(conn)?;
        let expected = expected_version.unwrap_or(current);
        let now = crate::now();
        let target = users::table.filter(users::id.eq(id)).filter(users::version.eq(expected));
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
        if let Some(roles) = &changes.roles {
            diesel::delete(user_roles::table.filter(user_roles::user_id.eq(id))).execute(conn)?;
            insert_roles(conn, id, roles, now)?;
        }
        find_user(conn, id)
    })
}
