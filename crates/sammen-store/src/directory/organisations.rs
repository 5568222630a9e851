//! Organisations: associations, NGOs and their branches, volunteer centres, municipal activity
//! centres, housing associations and informal groups.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sammen_domain::directory::organisation::OrganisationKind;

use crate::audit::{self, AuditContext};
use crate::conn::{DbConn, write_transaction};
use crate::error::{StoreError, StoreResult};
use crate::schema::organisations;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = organisations)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub description: String,
    pub website: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_public: bool,
    pub cvr: Option<String>,
    pub parent_id: Option<String>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone)]
pub struct NewOrganisation {
    pub name: String,
    pub kind: OrganisationKind,
    pub description: String,
    pub website: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_public: bool,
    pub cvr: Option<String>,
    pub parent_id: Option<String>,
}

/// What these records are called in the audit log.
const AUDIT_TARGET: &str = "organisation";

/// A parent must exist, and must not be the organisation itself or one of its branches.
fn check_parent(conn: &mut DbConn, id: &str, parent: &str) -> StoreResult<()> {
    let mut current = Some(parent.to_owned());
    for _ in 0..32 {
        let Some(at) = current else { return Ok(()) };
        if at == id {
            return Err(StoreError::Conflict("organisation_parent_cycle".into()));
        }
        current = organisations::table
            .find(&at)
            .select(organisations::parent_id)
            .first::<Option<String>>(conn)
            .optional()?
            .ok_or_else(|| StoreError::InvalidReference("parent_id".into()))?;
    }
    Err(StoreError::Conflict("organisation_parent_cycle".into()))
}

pub fn insert_organisation(conn: &mut DbConn, new: &NewOrganisation, ctx: &AuditContext) -> StoreResult<Organisation> {
    write_transaction(conn, |conn| {
        let id = crate::new_id();
        if let Some(parent) = &new.parent_id {
            check_parent(conn, &id, parent)?;
        }
        let now = crate::now();
        diesel::insert_into(organisations::table)
            .values((
                organisations::id.eq(&id),
                organisations::name.eq(&new.name),
                organisations::kind.eq(new.kind.as_str()),
                organisations::description.eq(&new.description),
                organisations::website.eq(&new.website),
                organisations::contact_email.eq(&new.contact_email),
                organisations::contact_phone.eq(&new.contact_phone),
                organisations::contact_public.eq(new.contact_public),
                organisations::cvr.eq(&new.cvr),
                organisations::parent_id.eq(&new.parent_id),
                organisations::version.eq(1),
                organisations::created_at.eq(now),
                organisations::updated_at.eq(now),
            ))
            .execute(conn)?;
        audit::record_change(
            conn,
            ctx,
            AUDIT_TARGET,
            "organisation.created",
            &id,
            serde_json::json!({ "kind": new.kind.as_str() }),
        )?;
        find_organisation(conn, &id)
    })
}

pub fn find_organisation(conn: &mut DbConn, id: &str) -> StoreResult<Organisation> {
    Ok(organisations::table.find(id).select(Organisation::as_select()).first(conn)?)
}

/// Filters of the organisation list: different fields AND, values of one field OR.
#[derive(Debug, Clone, Default)]
pub struct OrganisationFilter {
    pub kinds: Vec<String>,
    pub parent_id: Option<String>,
}

/// Organisations in name order (then id), after the (name, id) key `after`.
pub fn list_organisations(
    conn: &mut DbConn,
    filter: &OrganisationFilter,
    after: Option<&(String, String)>,
    limit: i64,
) -> StoreResult<Vec<Organisation>> {
    let mut query = organisations::table
        .select(Organisation::as_select())
        .order((organisations::name, organisations::id))
        .limit(limit)
        .into_boxed();
    if !filter.kinds.is_empty() {
        query = query.filter(organisations::kind.eq_any(filter.kinds.clone()));
    }
    if let Some(parent) = &filter.parent_id {
        query = query.filter(organisations::parent_id.eq(parent.clone()));
    }
    if let Some((name, id)) = after {
        query = query.filter(
            organisations::name
                .gt(name.clone())
                .or(organisations::name.eq(name.clone()).and(organisations::id.gt(id.clone()))),
        );
    }
    Ok(query.load(conn)?)
}

/// Changes to an organisation; `None` leaves a field, `Some(None)` clears an optional one.
#[derive(Debug, Clone, Default)]
pub struct OrganisationChanges {
    pub name: Option<String>,
    pub kind: Option<OrganisationKind>,
    pub description: Option<String>,
    pub website: Option<Option<String>>,
    pub contact_email: Option<Option<String>>,
    pub contact_phone: Option<Option<String>>,
    pub contact_public: Option<bool>,
    pub cvr: Option<Option<String>>,
    pub parent_id: Option<Option<String>>,
}

pub fn update_organisation(
    conn: &mut DbConn,
    id: &str,
    expected_version: Option<i64>,
    changes: &OrganisationChanges,
    ctx: &AuditContext,
) -> StoreResult<Organisation> {
    write_transaction(conn, |conn| {
        let before = find_organisation(conn, id)?;
        if let Some(Some(parent)) = &changes.parent_id {
            check_parent(conn, id, parent)?;
        }
        let kind = changes.kind.map(|k| k.as_str()).unwrap_or(&before.kind);
        let cvr = changes.cvr.as_ref().unwrap_or(&before.cvr);
        if kind == OrganisationKind::InformalGroup.as_str() && cvr.is_some() {
            return Err(StoreError::Conflict("informal_group_with_cvr".into()));
        }
        let expected = expected_version.unwrap_or(before.version);
        let updated = diesel::update(
            organisations::table.filter(organisations::id.eq(id)).filter(organisations::version.eq(expected)),
        )
        .set((
            organisations::version.eq(organisations::version + 1),
            organisations::updated_at.eq(crate::now()),
            changes.name.as_ref().map(|v| organisations::name.eq(v)),
            changes.kind.map(|v| organisations::kind.eq(v.as_str())),
            changes.description.as_ref().map(|v| organisations::description.eq(v)),
            changes.website.as_ref().map(|v| organisations::website.eq(v)),
            changes.contact_email.as_ref().map(|v| organisations::contact_email.eq(v)),
            changes.contact_phone.as_ref().map(|v| organisations::contact_phone.eq(v)),
            changes.contact_public.map(|v| organisations::contact_public.eq(v)),
            changes.cvr.as_ref().map(|v| organisations::cvr.eq(v)),
            changes.parent_id.as_ref().map(|v| organisations::parent_id.eq(v)),
        ))
        .execute(conn)?;
        if updated == 0 {
            return Err(StoreError::VersionMismatch);
        }
        audit::record_change(conn, ctx, AUDIT_TARGET, "organisation.updated", id, serde_json::json!({}))?;
        find_organisation(conn, id)
    })
}

/// Organisations in id order after the id `after` (the HSDS export's pages).
pub fn organisations_after(conn: &mut DbConn, after: Option<&str>, limit: i64) -> StoreResult<Vec<Organisation>> {
    let mut query =
        organisations::table.select(Organisation::as_select()).order(organisations::id).limit(limit).into_boxed();
    if let Some(after) = after {
        query = query.filter(organisations::id.gt(after.to_owned()));
    }
    Ok(query.load(conn)?)
}

/// The organisations with these ids (in no particular order; unknown ids are left out).
pub fn organisations_by_ids(conn: &mut DbConn, ids: &[&str]) -> StoreResult<Vec<Organisation>> {
    Ok(organisations::table.filter(organisations::id.eq_any(ids)).select(Organisation::as_select()).load(conn)?)
}
