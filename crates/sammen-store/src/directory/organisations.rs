//! Organisations: associations, NGOs and their branches, volunteer centres, municipal activity
//! centres, housing associations and informal groups.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sammen_domain::Entity;
use sammen_domain::directory::DirectoryError;
use sammen_domain::directory::organisation::OrganisationKind;
use sammen_domain::ids::OrganisationId;

use crate::audit::{self, AuditContext};
use crate::dialect::{DbConn, write_transaction};
use crate::dialect::{Invariant, serialise};
use crate::error::{Found, StoreError, StoreResult};
use crate::lock_rows;
use crate::schema::organisations;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = organisations)]
pub struct Organisation {
    pub id: OrganisationId,
    pub name: String,
    pub kind: OrganisationKind,
    pub description: String,
    pub website: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_public: bool,
    pub cvr: Option<String>,
    pub parent_id: Option<OrganisationId>,
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
    pub parent_id: Option<OrganisationId>,
}

/// What these records are called in the audit log.
const AUDIT_TARGET: &str = "organisation";

/// A parent must exist, and must not be the organisation itself or one of its branches.
///
/// The walk reads rows the change does not write, so two concurrent changes could each pass it
/// and together make a cycle (A under B while B goes under A). Every parent change therefore
/// takes the tree's lock first (`Invariant::OrganisationTree`) and walks what the changes before
/// it committed.
fn check_parent(conn: &mut DbConn, id: &OrganisationId, parent: &OrganisationId) -> StoreResult<()> {
    serialise(conn, Invariant::OrganisationTree)?;
    let mut current = Some(parent.clone());
    for _ in 0..32 {
        let Some(at) = current else { return Ok(()) };
        if &at == id {
            return Err(DirectoryError::ParentCycle.into());
        }
        current = organisations::table
            .find(at.as_str())
            .select(organisations::parent_id)
            .first::<Option<OrganisationId>>(conn)
            .optional()?
            .ok_or(DirectoryError::UnknownParent)?;
    }
    Err(DirectoryError::ParentCycle.into())
}

pub fn insert_organisation(conn: &mut DbConn, new: &NewOrganisation, ctx: &AuditContext) -> StoreResult<Organisation> {
    write_transaction(conn, |conn| {
        let id = OrganisationId::new();
        if let Some(parent) = &new.parent_id {
            check_parent(conn, &id, parent)?;
        }
        let now = crate::now();
        diesel::insert_into(organisations::table)
            .values((
                organisations::id.eq(id.as_str()),
                organisations::name.eq(&new.name),
                organisations::kind.eq(new.kind.as_str()),
                organisations::description.eq(&new.description),
                organisations::website.eq(&new.website),
                organisations::contact_email.eq(&new.contact_email),
                organisations::contact_phone.eq(&new.contact_phone),
                organisations::contact_public.eq(new.contact_public),
                organisations::cvr.eq(&new.cvr),
                organisations::parent_id.eq(new.parent_id.as_ref().map(OrganisationId::as_str)),
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
            id.as_str(),
            serde_json::json!({ "kind": new.kind }),
        )?;
        find_organisation(conn, &id)
    })
}

pub fn find_organisation(conn: &mut DbConn, id: &OrganisationId) -> StoreResult<Organisation> {
    organisations::table.find(id.as_str()).select(Organisation::as_select()).first(conn).found(Entity::Organisation)
}

/// Locks organisation `id` until the end of the transaction (and says whether it exists): what
/// happens to it and its listings then happens one command at a time, so two requests cannot
/// both create the listing of one external id.
pub fn lock_organisation(conn: &mut DbConn, id: &OrganisationId) -> StoreResult<()> {
    let found = lock_rows!(conn, organisations::table.find(id.as_str()).select(organisations::id))?;
    if found.is_empty() { Err(StoreError::NotFound(Entity::Organisation)) } else { Ok(()) }
}

/// Filters of the organisation list: different fields AND, values of one field OR.
#[derive(Debug, Clone, Default)]
pub struct OrganisationFilter {
    pub kinds: Vec<OrganisationKind>,
    pub parent_id: Option<OrganisationId>,
}

/// Where a page of organisations ended: the (name, id) of its last one.
pub type OrganisationAfter = (String, OrganisationId);

/// Organisations in name order (then id), after the (name, id) key `after`.
pub fn list_organisations(
    conn: &mut DbConn,
    filter: &OrganisationFilter,
    after: Option<&OrganisationAfter>,
    limit: i64,
) -> StoreResult<Vec<Organisation>> {
    let mut query = organisations::table
        .select(Organisation::as_select())
        .order((organisations::name, organisations::id))
        .limit(limit)
        .into_boxed();
    if !filter.kinds.is_empty() {
        query = query.filter(organisations::kind.eq_any(filter.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>()));
    }
    if let Some(parent) = &filter.parent_id {
        query = query.filter(organisations::parent_id.eq(parent.as_str().to_owned()));
    }
    if let Some((name, id)) = after {
        let id = id.as_str().to_owned();
        query = query.filter(
            organisations::name.gt(name.clone()).or(organisations::name.eq(name.clone()).and(organisations::id.gt(id))),
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
    pub parent_id: Option<Option<OrganisationId>>,
}

pub fn update_organisation(
    conn: &mut DbConn,
    id: &OrganisationId,
    expected_version: Option<i64>,
    changes: &OrganisationChanges,
    ctx: &AuditContext,
) -> StoreResult<Organisation> {
    write_transaction(conn, |conn| {
        if let Some(Some(parent)) = &changes.parent_id {
            check_parent(conn, id, parent)?;
        }
        lock_organisation(conn, id)?;
        let before = find_organisation(conn, id)?;
        let kind = changes.kind.unwrap_or(before.kind);
        let cvr = changes.cvr.as_ref().unwrap_or(&before.cvr);
        if kind == OrganisationKind::InformalGroup && cvr.is_some() {
            return Err(DirectoryError::InformalGroupWithCvr.into());
        }
        let expected = expected_version.unwrap_or(before.version);
        let updated = diesel::update(
            organisations::table.filter(organisations::id.eq(id.as_str())).filter(organisations::version.eq(expected)),
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
            changes.parent_id.as_ref().map(|v| organisations::parent_id.eq(v.as_ref().map(OrganisationId::as_str))),
        ))
        .execute(conn)?;
        if updated == 0 {
            return Err(StoreError::VersionMismatch);
        }
        audit::record_change(conn, ctx, AUDIT_TARGET, "organisation.updated", id.as_str(), serde_json::json!({}))?;
        let organisation = find_organisation(conn, id)?;
        let payload = serde_json::json!({ "id": id, "version": organisation.version });
        let event = crate::outbox::NewEvent {
            event_type: sammen_domain::outbox::EventType::OrganisationChanged,
            resource_type: "organisation",
            resource_id: id.as_str(),
            payload,
        };
        crate::webhooks::announce(conn, &event, id)?;
        Ok(organisation)
    })
}

/// Organisations in id order after the id `after` (the HSDS export's pages).
pub fn organisations_after(
    conn: &mut DbConn,
    after: Option<&OrganisationId>,
    limit: i64,
) -> StoreResult<Vec<Organisation>> {
    let mut query =
        organisations::table.select(Organisation::as_select()).order(organisations::id).limit(limit).into_boxed();
    if let Some(after) = after {
        query = query.filter(organisations::id.gt(after.as_str().to_owned()));
    }
    Ok(query.load(conn)?)
}

/// The organisations with these ids (in no particular order; unknown ids are left out).
pub fn organisations_by_ids(conn: &mut DbConn, ids: &[&OrganisationId]) -> StoreResult<Vec<Organisation>> {
    let ids: Vec<&str> = ids.iter().map(|id| id.as_str()).collect();
    Ok(organisations::table.filter(organisations::id.eq_any(ids)).select(Organisation::as_select()).load(conn)?)
}
