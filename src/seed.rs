//! `sammen seed --demo`: demonstration data for trying Sammen out. Never for production data.
//!
//! Besides one user per role it fills a Copenhagen directory foundation: the ten districts,
//! housing areas for older citizens, and organisations of every kind (tables in `seed_data.rs`).

#[path = "seed_data.rs"]
mod data;

use sammen_domain::directory::organisation::{OrganisationInput, check_organisation};
use sammen_domain::identity::{Role, RoleGrant};
use sammen_domain::validation::ValidationErrors;
use sammen_store::DbConn;
use sammen_store::audit::AuditContext;
use sammen_store::directory::{
    self as directory, District, HousingArea, NewOrganisation, OrganisationFilter, put_district, put_housing_area,
};
use sammen_store::identity::{self as store, NewUser};

/// One demo user per role: (role, scope, e-mail, password). Documented in docs/security.md.
/// The organisation user's scope is the id of the seeded "Nørrebro Sangkor" organisation;
/// `demo-org-1` is used only if that organisation cannot be found.
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
    let districts = seed_districts(conn)?;
    let areas = seed_housing_areas(conn)?;
    let organisations = seed_organisations(conn, &ctx)?;
    let org_scope = find_organisation_id(conn, data::ORGANISATION_USER_ORG)?;
    let users = seed_users(conn, &ctx, org_scope.as_deref())?;
    println!("demo data: {users} users, {districts} districts, {areas} housing areas, {organisations} organisations");
    println!("(users and organisations that already existed are kept; passwords in docs/security.md)");
    Ok(())
}

/// Adds or updates the districts; returns how many.
fn seed_districts(conn: &mut DbConn) -> Result<usize, String> {
    for (order, (code, name, lat, lon)) in (1..).zip(data::DISTRICTS) {
        let district = District { code: code.into(), name: name.into(), lat, lon, sort_order: order };
        put_district(conn, &district).map_err(|e| format!("district {code}: {e}"))?;
    }
    Ok(data::DISTRICTS.len())
}

/// Adds or updates the housing areas; returns how many.
fn seed_housing_areas(conn: &mut DbConn) -> Result<usize, String> {
    for (order, (code, name, district, lat, lon)) in (1..).zip(data::HOUSING_AREAS) {
        let area = HousingArea {
            code: code.into(),
            name: name.into(),
            district_code: district.into(),
            lat,
            lon,
            sort_order: order,
        };
        put_housing_area(conn, &area).map_err(|e| format!("housing area {code}: {e}"))?;
    }
    Ok(data::HOUSING_AREAS.len())
}

/// Adds the organisations, unless the directory has some already; returns how many were added.
fn seed_organisations(conn: &mut DbConn, ctx: &AuditContext) -> Result<usize, String> {
    let any =
        directory::list_organisations(conn, &OrganisationFilter::default(), None, 1).map_err(|e| e.to_string())?;
    if !any.is_empty() {
        return Ok(0);
    }
    // Name → id of those added so far: branches name their parent, which comes earlier.
    let mut ids: Vec<(&str, String)> = Vec::new();
    for org in data::ORGANISATIONS {
        let parent_id = match org.parent {
            None => None,
            Some(parent) => match ids.iter().find(|(name, _)| *name == parent) {
                Some((_, id)) => Some(id.clone()),
                None => return Err(format!("organisation {}: parent {parent} is not seeded before it", org.name)),
            },
        };
        let new = new_organisation(org, parent_id)?;
        let created =
            directory::insert_organisation(conn, &new, ctx).map_err(|e| format!("organisation {}: {e}", org.name))?;
        ids.push((org.name, created.id));
    }
    Ok(ids.len())
}

/// Checks a demo organisation as the API would, and returns it ready to insert.
fn new_organisation(org: &data::DemoOrganisation, parent_id: Option<String>) -> Result<NewOrganisation, String> {
    let input = OrganisationInput {
        name: Some(org.name),
        kind: Some(org.kind),
        description: Some(org.description),
        website: org.website,
        contact_email: org.email,
        contact_phone: org.phone,
        cvr: org.cvr,
    };
    let mut errors = ValidationErrors::new();
    let cvr = check_organisation(&input, &mut errors);
    if !errors.is_empty() {
        let why: Vec<String> = errors.0.iter().map(|e| format!("{} {}", e.field, e.message)).collect();
        return Err(format!("organisation {}: {}", org.name, why.join("; ")));
    }
    Ok(NewOrganisation {
        name: org.name.into(),
        kind: org.kind,
        description: org.description.into(),
        website: org.website.map(str::to_owned),
        contact_email: org.email.map(str::to_owned),
        contact_phone: org.phone.map(str::to_owned),
        contact_public: org.contact_public,
        cvr,
        parent_id,
    })
}

/// The id of the (first) organisation called `name`, paging through the directory.
fn find_organisation_id(conn: &mut DbConn, name: &str) -> Result<Option<String>, String> {
    const PAGE: i64 = 200;
    let filter = OrganisationFilter::default();
    let mut after = None;
    loop {
        let page = directory::list_organisations(conn, &filter, after.as_ref(), PAGE).map_err(|e| e.to_string())?;
        if let Some(found) = page.iter().find(|o| o.name == name) {
            return Ok(Some(found.id.clone()));
        }
        match page.last() {
            Some(last) if page.len() as i64 == PAGE => after = Some((last.name.clone(), last.id.clone())),
            _ => return Ok(None),
        }
    }
}

/// Adds the demo users that do not exist yet; returns how many were added. `org_scope` replaces
/// the organisation user's placeholder scope.
fn seed_users(conn: &mut DbConn, ctx: &AuditContext, org_scope: Option<&str>) -> Result<usize, String> {
    let mut created = 0;
    for (role, scope, email, password) in DEMO_USERS {
        if store::find_login(conn, email).map_err(|e| e.to_string())?.is_some() {
            continue;
        }
        let scope = if role == Role::Organisation { org_scope.or(scope) } else { scope };
        let hash = sammen_http::identity::password::hash_blocking(password).map_err(|e| e.to_string())?;
        let roles = [RoleGrant { role, scope: scope.map(str::to_owned) }];
        let name = format!("Demo {role}");
        let new = NewUser { email, display_name: &name, password_hash: &hash, roles: &roles };
        store::insert_user(conn, &new, ctx, "user.created").map_err(|e| e.to_string())?;
        created += 1;
    }
    Ok(created)
}
