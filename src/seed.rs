//! `sammen seed --demo`: demonstration data for trying Sammen out. Never for production data.

use sammen_domain::identity::{Role, RoleGrant};
use sammen_store::DbConn;
use sammen_store::audit::AuditContext;
use sammen_store::identity::{self as store, NewUser};

/// One demo user per role: (role, scope, e-mail, password). Documented in docs/security.md.
pub const DEMO_USERS: [(Role, Option<&str>, &str, &str); 7] = [
    (Role::Admin, None, "admin@demo.sammen.dk", "sammen-demo-admin"),
    (Role::Staff, None, "staff@demo.sammen.dk", "sammen-demo-staff"),
    (Role::Coordinator, Some("demo-unit-1"), "coordinator@demo.sammen.dk", "sammen-demo-coordinator"),
    (Role::Reviewer, None, "reviewer@demo.sammen.dk", "sammen-demo-reviewer"),
    (Role::Secretary, Some("demo-council-1"), "secretary@demo.sammen.dk", "sammen-demo-secretary"),
    (Role::Organisation, Some("demo-org-1"), "organisation@demo.sammen.dk", "sammen-demo-organisation"),
    (Role::Volunteer, None, "volunteer@demo.sammen.dk", "sammen-demo-volunteer"),
];

pub fn demo(conn: &mut DbConn, force: bool) -> Result<(), String> {
    let existing = store::list_users(conn, None, 1).map_err(|e| e.to_string())?;
    if !existing.is_empty() && !force {
        return Err("the database already has users: demo data goes into an empty database (or pass --force)".into());
    }
    let ctx = AuditContext::new("system", "seed");
    let mut created = 0;
    for (role, scope, email, password) in DEMO_USERS {
        if store::find_login(conn, email).map_err(|e| e.to_string())?.is_some() {
            continue;
        }
        let hash = sammen_http::identity::password::hash_blocking(password).map_err(|e| e.to_string())?;
        let roles = [RoleGrant { role, scope: scope.map(str::to_owned) }];
        let name = format!("Demo {role}");
        let new = NewUser { email, display_name: &name, password_hash: &hash, roles: &roles };
        store::insert_user(conn, &new, &ctx, "user.created").map_err(|e| e.to_string())?;
        created += 1;
    }
    println!("demo data: {created} users created (passwords in docs/security.md)");
    Ok(())
}
