//! The audit log: append-only, written in the same transaction as the change it records.
//! Every area records its changes through `record`, and reads of personal data through
//! `record_reads`.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::Value;

use crate::dialect::DbConn;
use crate::error::StoreResult;
use crate::schema::audit_events;

/// Who acts, and in which request: passed to every store function that changes something.
#[derive(Debug, Clone)]
pub struct AuditContext {
    /// `user:<id>`, `client:<id>`, `anonymous` or `system`.
    pub actor: String,
    pub request_id: String,
}

impl AuditContext {
    pub fn new(actor: impl Into<String>, request_id: impl Into<String>) -> Self {
        Self { actor: actor.into(), request_id: request_id.into() }
    }
}

/// One event. `details` must not hold personal data (no names, e-mails, free text).
#[derive(Debug, Clone)]
pub struct AuditEntry<'a> {
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: &'a str,
    /// The user whose personal data this concerns (shown in their export, without the actor).
    pub subject_user_id: Option<&'a str>,
    pub details: Value,
}

pub fn record(conn: &mut DbConn, ctx: &AuditContext, entry: AuditEntry<'_>) -> StoreResult<()> {
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::id.eq(crate::new_id()),
            audit_events::occurred_at.eq(crate::now()),
            audit_events::actor.eq(&ctx.actor),
            audit_events::action.eq(entry.action),
            audit_events::target_type.eq(entry.target_type),
            audit_events::target_id.eq(entry.target_id),
            audit_events::subject_user_id.eq(entry.subject_user_id),
            audit_events::purpose.eq(None::<String>),
            audit_events::request_id.eq(&ctx.request_id),
            audit_events::details.eq(entry.details.to_string()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records an event about a user's account: the account is both what it is about and whose
/// data it concerns (so it shows in the user's export).
pub fn record_about_user(
    conn: &mut DbConn,
    ctx: &AuditContext,
    action: &str,
    user: &sammen_domain::ids::UserId,
    details: Value,
) -> StoreResult<()> {
    let id = user.as_str();
    record(conn, ctx, AuditEntry { action, target_type: "user", target_id: id, subject_user_id: Some(id), details })
}

/// Records a change to a record of `target_type` that concerns no one's personal data
/// (organisations, activities, API clients).
pub fn record_change(
    conn: &mut DbConn,
    ctx: &AuditContext,
    target_type: &str,
    action: &str,
    id: &str,
    details: Value,
) -> StoreResult<()> {
    record(conn, ctx, AuditEntry { action, target_type, target_id: id, subject_user_id: None, details })
}

/// A read of someone's personal data: where it was read (`target_type`, `target_id`: an
/// account, a listing report, the audit log) and whose it is (`subject_user_id`; `None` for
/// someone without an account, such as a reporter who left an e-mail address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonalDataRead<'a> {
    pub target_type: &'a str,
    pub target_id: &'a str,
    pub subject_user_id: Option<&'a str>,
}

/// Records that the personal data of each of `subjects` (user ids) was read from records of
/// `target_type`, and why.
pub fn record_reads(
    conn: &mut DbConn,
    ctx: &AuditContext,
    target_type: &str,
    subjects: &[&str],
    purpose: &str,
) -> StoreResult<()> {
    let reads: Vec<PersonalDataRead<'_>> = subjects
        .iter()
        .map(|subject| PersonalDataRead { target_type, target_id: subject, subject_user_id: Some(subject) })
        .collect();
    record_personal_data_reads(conn, ctx, &reads, purpose)
}

/// Records `personal_data.read` for each of `reads`, and why, in one statement. A caller's read
/// of their own data is no one else's read of it, and is left out.
pub fn record_personal_data_reads(
    conn: &mut DbConn,
    ctx: &AuditContext,
    reads: &[PersonalDataRead<'_>],
    purpose: &str,
) -> StoreResult<()> {
    let now = crate::now();
    let own = ctx.actor.strip_prefix("user:");
    let rows: Vec<_> = reads
        .iter()
        .filter(|read| read.subject_user_id.is_none() || read.subject_user_id != own)
        .map(|read| {
            (
                audit_events::id.eq(crate::new_id()),
                audit_events::occurred_at.eq(now),
                audit_events::actor.eq(&ctx.actor),
                audit_events::action.eq("personal_data.read"),
                audit_events::target_type.eq(read.target_type),
                audit_events::target_id.eq(read.target_id),
                audit_events::subject_user_id.eq(read.subject_user_id),
                audit_events::purpose.eq(Some(purpose)),
                audit_events::request_id.eq(&ctx.request_id),
                audit_events::details.eq("{}"),
            )
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    // One multi-row statement per page of reads; the MultiConnection enum cannot batch, its
    // variants can.
    crate::db_run!(conn, c => diesel::insert_into(audit_events::table).values(&rows).execute(c))?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct AuditEvent {
    pub id: String,
    pub occurred_at: NaiveDateTime,
    pub actor: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub subject_user_id: Option<String>,
    pub purpose: Option<String>,
    pub request_id: String,
    pub details: String,
}

/// Filters of the audit list; all given ones must hold.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub subject_user_id: Option<String>,
    pub since: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
}

/// Events newest first, before the id `before` (ids are time-ordered).
pub fn list(conn: &mut DbConn, filter: &AuditFilter, before: Option<&str>, limit: i64) -> StoreResult<Vec<AuditEvent>> {
    let mut query = audit_events::table.order(audit_events::id.desc()).limit(limit).into_boxed();
    if let Some(v) = &filter.actor {
        query = query.filter(audit_events::actor.eq(v.clone()));
    }
    if let Some(v) = &filter.action {
        query = query.filter(audit_events::action.eq(v.clone()));
    }
    if let Some(v) = &filter.target_type {
        query = query.filter(audit_events::target_type.eq(v.clone()));
    }
    if let Some(v) = &filter.target_id {
        query = query.filter(audit_events::target_id.eq(v.clone()));
    }
    if let Some(v) = &filter.subject_user_id {
        query = query.filter(audit_events::subject_user_id.eq(v.clone()));
    }
    if let Some(v) = filter.since {
        query = query.filter(audit_events::occurred_at.ge(v));
    }
    if let Some(v) = filter.until {
        query = query.filter(audit_events::occurred_at.lt(v));
    }
    if let Some(before) = before {
        query = query.filter(audit_events::id.lt(before.to_owned()));
    }
    Ok(query.load(conn)?)
}

/// Every event about one user, oldest first (for their export; the caller leaves out actors).
pub fn about_user(conn: &mut DbConn, user_id: &str) -> StoreResult<Vec<AuditEvent>> {
    Ok(audit_events::table.filter(audit_events::subject_user_id.eq(user_id)).order(audit_events::id).load(conn)?)
}
