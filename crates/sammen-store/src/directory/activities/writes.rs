//! Writing activities: creating drafts, new content (at once, or waiting for staff), moderation
//! steps and confirmation, each with its audit event and a version bump.
//!
//! A command locks the activity first (`lock_activity`), decides with the domain's rules, then
//! calls these, all in its one transaction. The `write_*` functions do not read the activity
//! back, so a batch (a CSV import) uses them row by row; the others return the activity as it is
//! after the write. Each runs in the caller's transaction, or in its own.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sammen_domain::directory::DirectoryError;
use sammen_domain::directory::activity::ActivityContent;
use sammen_domain::directory::moderation::{self, ListingStatus, Moderator};
use sammen_domain::directory::vocabulary::Vocabulary;
use sammen_domain::ids::{ActivityId, OrganisationId};
use sammen_domain::outbox::EventType;

use super::load::{columns, find_activity};
use super::occurrences::write_occurrences;
use super::{AUDIT_TARGET, Activity};
use crate::audit::{self, AuditContext};
use crate::dialect;
use crate::dialect::{DbConn, write_transaction};
use crate::error::{StoreError, StoreResult};
use crate::outbox::NewEvent;
use crate::schema::{activities, activity_housing_areas, activity_languages, activity_terms};

/// Tells the webhook subscriptions that ask for it that listing `id` was published, changed or
/// withdrawn: its id, organisation and version, for the receiver to fetch what it needs.
fn announce(conn: &mut DbConn, id: &ActivityId, event_type: EventType) -> StoreResult<()> {
    let (organisation, version): (OrganisationId, i64) =
        activities::table.find(id.as_str()).select((activities::organisation_id, activities::version)).first(conn)?;
    let payload = serde_json::json!({ "id": id, "organisation_id": organisation, "version": version });
    let event = NewEvent { event_type, resource_type: "activity", resource_id: id.as_str(), payload };
    crate::webhooks::announce(conn, &event, &organisation)
}

/// Replaces the join rows of an activity (one multi-row insert per table) and its stored
/// occurrences.
fn write_joins(conn: &mut DbConn, activity: &ActivityId, c: &ActivityContent) -> StoreResult<()> {
    let id = activity.as_str();
    diesel::delete(activity_terms::table.filter(activity_terms::activity_id.eq(id))).execute(conn)?;
    diesel::delete(activity_languages::table.filter(activity_languages::activity_id.eq(id))).execute(conn)?;
    diesel::delete(activity_housing_areas::table.filter(activity_housing_areas::activity_id.eq(id))).execute(conn)?;
    let terms: Vec<_> = Vocabulary::ALL
        .into_iter()
        .flat_map(|vocabulary| {
            c.codes(vocabulary).iter().map(move |code| {
                (
                    activity_terms::activity_id.eq(id),
                    activity_terms::vocabulary.eq(vocabulary.as_str()),
                    activity_terms::code.eq(code),
                )
            })
        })
        .collect();
    let languages: Vec<_> = c
        .languages
        .iter()
        .map(|l| (activity_languages::activity_id.eq(id), activity_languages::language.eq(l)))
        .collect();
    let areas: Vec<_> = c
        .housing_areas
        .iter()
        .map(|a| (activity_housing_areas::activity_id.eq(id), activity_housing_areas::housing_area_code.eq(a)))
        .collect();
    if !terms.is_empty() {
        crate::db_run!(&mut *conn, c => diesel::insert_into(activity_terms::table).values(&terms).execute(c))?;
    }
    if !languages.is_empty() {
        crate::db_run!(&mut *conn, c => diesel::insert_into(activity_languages::table).values(&languages).execute(c))?;
    }
    if !areas.is_empty() {
        crate::db_run!(&mut *conn, c => diesel::insert_into(activity_housing_areas::table).values(&areas).execute(c))?;
    }
    // The search's copy of the terms and languages (see migration 000011), from the rows just written.
    dialect::sql::refresh_filter_codes(conn, id)?;
    write_occurrences(conn, activity, &c.schedule)
}

/// Bumps the version if it is still `expected` (or whatever it is, for `None`); `VersionMismatch`
/// if not. One conditional statement, so two changes based on the same version cannot both win.
fn bump(conn: &mut DbConn, id: &ActivityId, expected: Option<i64>) -> StoreResult<()> {
    let bumped = (activities::version.eq(activities::version + 1), activities::updated_at.eq(crate::now()));
    let this = activities::id.eq(id.as_str());
    let updated = match expected {
        Some(version) => diesel::update(activities::table.filter(this).filter(activities::version.eq(version)))
            .set(bumped)
            .execute(conn)?,
        None => diesel::update(activities::table.filter(this)).set(bumped).execute(conn)?,
    };
    if updated == 0 {
        return Err(StoreError::VersionMismatch);
    }
    Ok(())
}

/// Runs `write` and reads the activity `id` back, in one transaction (the caller's, or its own).
fn written(
    conn: &mut DbConn,
    id: &ActivityId,
    write: impl FnOnce(&mut DbConn) -> StoreResult<()>,
) -> StoreResult<Activity> {
    write_transaction(conn, |conn| {
        write(conn)?;
        find_activity(conn, id)
    })
}

/// Inserts a draft and records it; its id.
pub(in crate::directory) fn write_new(
    conn: &mut DbConn,
    organisation_id: &OrganisationId,
    external_id: Option<&str>,
    content: &ActivityContent,
    ctx: &AuditContext,
) -> StoreResult<ActivityId> {
    let id = ActivityId::new();
    let now = crate::now();
    diesel::insert_into(activities::table)
        .values((
            columns(content)?,
            activities::id.eq(id.as_str()),
            activities::organisation_id.eq(organisation_id.as_str()),
            activities::external_id.eq(external_id),
            activities::status.eq(ListingStatus::Draft.as_str()),
            activities::assured_at.eq(now),
            activities::version.eq(1),
            activities::created_at.eq(now),
            activities::updated_at.eq(now),
        ))
        .execute(conn)?;
    write_joins(conn, &id, content)?;
    audit::record_change(
        conn,
        ctx,
        AUDIT_TARGET,
        "activity.created",
        id.as_str(),
        serde_json::json!({ "organisation_id": organisation_id }),
    )?;
    Ok(id)
}

/// Creates an activity as a draft.
pub fn insert_activity(
    conn: &mut DbConn,
    organisation_id: &OrganisationId,
    external_id: Option<&str>,
    content: &ActivityContent,
    ctx: &AuditContext,
) -> StoreResult<Activity> {
    write_transaction(conn, |conn| {
        let id = write_new(conn, organisation_id, external_id, content, ctx)?;
        find_activity(conn, &id)
    })
}

/// New content for a listing in `status`: at once (a draft, or any listing edited by staff), or,
/// when the organisation edits a published listing, as a change waiting for staff (replacing any
/// earlier one) while the published content stays public.
pub(in crate::directory) fn write_content(
    conn: &mut DbConn,
    id: &ActivityId,
    status: ListingStatus,
    expected: Option<i64>,
    content: &ActivityContent,
    by: Moderator,
    ctx: &AuditContext,
) -> StoreResult<()> {
    bump(conn, id, expected)?;
    if moderation::edit_needs_moderation(status, by) {
        diesel::update(activities::table.find(id.as_str()))
            .set((
                activities::pending_content.eq(Some(serde_json::to_string(content)?)),
                activities::pending_since.eq(Some(crate::now())),
            ))
            .execute(conn)?;
        audit::record_change(conn, ctx, AUDIT_TARGET, "activity.change_proposed", id.as_str(), serde_json::json!({}))
    } else {
        diesel::update(activities::table.find(id.as_str())).set(columns(content)?).execute(conn)?;
        write_joins(conn, id, content)?;
        if status == ListingStatus::Published {
            announce(conn, id, EventType::ListingChanged)?;
        }
        audit::record_change(conn, ctx, AUDIT_TARGET, "activity.updated", id.as_str(), serde_json::json!({}))
    }
}

/// Writes new content (see `write_content`) and returns the activity.
pub fn save_content(
    conn: &mut DbConn,
    current: &Activity,
    expected: Option<i64>,
    content: &ActivityContent,
    by: Moderator,
    ctx: &AuditContext,
) -> StoreResult<Activity> {
    written(conn, &current.id, |conn| write_content(conn, &current.id, current.status, expected, content, by, ctx))
}

/// Moves a listing to `to`; a rejection keeps its reason, any other state clears it. A change
/// that was waiting is dropped: it was proposed for the listing as it was.
pub(in crate::directory) fn write_status(
    conn: &mut DbConn,
    id: &ActivityId,
    expected: Option<i64>,
    to: ListingStatus,
    reason: Option<&str>,
    ctx: &AuditContext,
) -> StoreResult<()> {
    bump(conn, id, expected)?;
    let published_at = (to == ListingStatus::Published).then(crate::now);
    diesel::update(activities::table.find(id.as_str()))
        .set((
            activities::status.eq(to.as_str()),
            activities::rejection_reason.eq(if to == ListingStatus::Rejected { reason } else { None }),
            activities::pending_content.eq(None::<String>),
            activities::pending_since.eq(None::<NaiveDateTime>),
            published_at.map(|at| activities::published_at.eq(Some(at))),
        ))
        .execute(conn)?;
    match to {
        ListingStatus::Published => announce(conn, id, EventType::ListingPublished)?,
        ListingStatus::Withdrawn => announce(conn, id, EventType::ListingWithdrawn)?,
        _ => {}
    }
    audit::record_change(
        conn,
        ctx,
        AUDIT_TARGET,
        &format!("activity.{to}"),
        id.as_str(),
        serde_json::json!({ "reason": reason }),
    )
}

/// Moves a listing to `to` (see `write_status`) and returns it.
pub fn change_status(
    conn: &mut DbConn,
    id: &ActivityId,
    expected: Option<i64>,
    to: ListingStatus,
    reason: Option<&str>,
    ctx: &AuditContext,
) -> StoreResult<Activity> {
    written(conn, id, |conn| write_status(conn, id, expected, to, reason, ctx))
}

/// Applies (`apply`) or discards the change waiting on a published listing.
pub fn resolve_proposal(
    conn: &mut DbConn,
    current: &Activity,
    expected: Option<i64>,
    apply: bool,
    reason: Option<&str>,
    ctx: &AuditContext,
) -> StoreResult<Activity> {
    let id = &current.id;
    written(conn, id, |conn| {
        let pending = current.pending.as_ref().ok_or(DirectoryError::NoPendingChange)?;
        bump(conn, id, expected)?;
        if apply {
            diesel::update(activities::table.find(id.as_str())).set(columns(pending)?).execute(conn)?;
            write_joins(conn, id, pending)?;
            announce(conn, id, EventType::ListingChanged)?;
        }
        diesel::update(activities::table.find(id.as_str()))
            .set((
                activities::pending_content.eq(None::<String>),
                activities::pending_since.eq(None::<NaiveDateTime>),
                activities::rejection_reason.eq(if apply { None } else { reason }),
            ))
            .execute(conn)?;
        let action = if apply { "activity.change_approved" } else { "activity.change_rejected" };
        audit::record_change(conn, ctx, AUDIT_TARGET, action, id.as_str(), serde_json::json!({ "reason": reason }))
    })
}

/// The organisation confirms the listing is current.
pub fn assure_activity(conn: &mut DbConn, id: &ActivityId, ctx: &AuditContext) -> StoreResult<Activity> {
    written(conn, id, |conn| {
        bump(conn, id, None)?;
        diesel::update(activities::table.find(id.as_str()))
            .set(activities::assured_at.eq(crate::now()))
            .execute(conn)?;
        audit::record_change(conn, ctx, AUDIT_TARGET, "activity.assured", id.as_str(), serde_json::json!({}))
    })
}
