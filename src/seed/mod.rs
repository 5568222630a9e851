//! `sammen seed --demo`: demonstration data for trying Sammen out. Never for production data.
//!
//! Besides one user per role it fills a Copenhagen directory: the ten districts, housing areas for
//! older citizens, organisations of every kind, and a couple of hundred activities (tables and
//! templates in `data/`, drawn in `activities.rs`), and grant pools with applications in every
//! state (`grants.rs`).

mod activities;
mod data;
mod grants;

use data::DemoOrganisation;
use sammen_domain::directory::activity::check_activity;
use sammen_domain::directory::moderation::ListingStatus;
use sammen_domain::directory::organisation::check_organisation;
use sammen_domain::identity::{Role, RoleGrant};
use sammen_domain::ids::OrganisationId;
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
    let districts = seed_districts(conn, &ctx)?;
    let areas = seed_housing_areas(conn, &ctx)?;
    let organisations = seed_organisations(conn, &ctx)?;
    // Activities only with the organisations they belong to, so that --force adds none twice.
    let (published, unpublished) =
        if organisations.is_empty() { (0, 0) } else { seed_activities(conn, &ctx, &organisations)? };
    // Before the users, so the seeded applications' notices e-mail no demo user.
    let (pools, applications) = grants::seed_grants(conn, &ctx)?;
    let org_scope = find_organisation_id(conn, data::ORGANISATION_USER_ORG)?;
    let users = seed_users(conn, &ctx, org_scope.as_ref().map(OrganisationId::as_str))?;
    println!(
        "demo data: {users} users, {districts} districts, {areas} housing areas, {} organisations, {} activities \
         ({published} published, {unpublished} draft or submitted)",
        organisations.len(),
        published + unpublished,
    );
    println!("demo grants: {pools} pools, {applications} applications (none if there were pools already)");
    println!("(users, organisations and activities that already existed are kept; passwords in docs/security.md)");
    Ok(())
}

/// Adds or updates the districts; returns how many.
fn seed_districts(conn: &mut DbConn, ctx: &AuditContext) -> Result<usize, String> {
    for (order, (code, name, lat, lon)) in (1..).zip(data::DISTRICTS) {
        let district = District { code: code.into(), name: name.into(), lat, lon, sort_order: order };
        put_district(conn, &district, ctx).map_err(|e| format!("district {code}: {e}"))?;
    }
    Ok(data::DISTRICTS.len())
}

/// Adds or updates the housing areas; returns how many.
fn seed_housing_areas(conn: &mut DbConn, ctx: &AuditContext) -> Result<usize, String> {
    for (order, (code, name, district, lat, lon)) in (1..).zip(data::HOUSING_AREAS) {
        let area = HousingArea {
            code: code.into(),
            name: name.into(),
            district_code: district.into(),
            lat,
            lon,
            sort_order: order,
        };
        put_housing_area(conn, &area, ctx).map_err(|e| format!("housing area {code}: {e}"))?;
    }
    Ok(data::HOUSING_AREAS.len())
}

/// Adds the organisations, unless the directory has some already; returns the names and ids of
/// those added.
fn seed_organisations(conn: &mut DbConn, ctx: &AuditContext) -> Result<Vec<(&'static str, OrganisationId)>, String> {
    let any =
        directory::list_organisations(conn, &OrganisationFilter::default(), None, 1).map_err(|e| e.to_string())?;
    if !any.is_empty() {
        return Ok(Vec::new());
    }
    // Name → id of those added so far: branches name their parent, which comes earlier.
    let mut ids: Vec<(&'static str, OrganisationId)> = Vec::new();
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
    Ok(ids)
}

/// Checks a demo organisation as the API would, and returns it ready to insert.
fn new_organisation(org: &DemoOrganisation, parent_id: Option<OrganisationId>) -> Result<NewOrganisation, String> {
    let mut errors = ValidationErrors::new();
    let cvr = check_organisation(&org.input(), &mut errors);
    if !errors.is_empty() {
        return Err(format!("organisation {}: {}", org.name, describe(&errors)));
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
fn find_organisation_id(conn: &mut DbConn, name: &str) -> Result<Option<OrganisationId>, String> {
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

/// The field paths and messages of validation errors, on one line.
pub(crate) fn describe(errors: &ValidationErrors) -> String {
    let why: Vec<String> = errors.0.iter().map(|e| format!("{} {}", e.field, e.message)).collect();
    why.join("; ")
}

/// Adds the activities of the organisations just added (name, id), each checked as the API
/// would; returns how many were published and how many were left as drafts or submitted.
fn seed_activities(
    conn: &mut DbConn,
    ctx: &AuditContext,
    organisations: &[(&'static str, OrganisationId)],
) -> Result<(usize, usize), String> {
    let known = directory::known_codes(conn).map_err(|e| e.to_string())?;
    let (mut published, mut unpublished) = (0, 0);
    for planned in activities::plan_activities(organisations)? {
        let name = &planned.content.name;
        let errors = check_activity(&planned.content, &known);
        if !errors.is_empty() {
            return Err(format!("activity {name}: {}", describe(&errors)));
        }
        let created = directory::insert_activity(
            conn,
            &planned.organisation_id,
            planned.external_id.as_deref(),
            &planned.content,
            ctx,
        )
        .map_err(|e| format!("activity {name}: {e}"))?;
        if planned.status != ListingStatus::Draft {
            directory::change_status(conn, &created.id, None, planned.status, None, ctx)
                .map_err(|e| format!("activity {name}: {e}"))?;
        }
        if planned.status == ListingStatus::Published {
            published += 1;
        } else {
            unpublished += 1;
        }
    }
    Ok((published, unpublished))
}
