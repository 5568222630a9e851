//! The lifecycle's transitions as the store makes them: each one a conditional update from the
//! state it starts in (two requests cannot both take it), an event on the timeline, an audit
//! record, and its messages, in the caller's transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sammen_domain::grants::GrantError;
use sammen_domain::grants::application::{ApplicationStatus, Draft, checklist};
use sammen_domain::grants::lifecycle::{Action, transition};
use sammen_domain::grants::money::LedgerKind;
use sammen_domain::grants::pool::PoolStatus;
use sammen_domain::grants::round::{Phase, RoundKind};
use sammen_domain::ids::GrantApplicationId;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::notify::{Notice, notify};
use super::{AUDIT_APPLICATION, Application, Attachment, Revision, Screening, to_json};
use crate::DbConn;
use crate::audit::{self, AuditContext};
use crate::error::{StoreError, StoreResult};
use crate::schema::{grant_application_events, grant_application_revisions, grant_applications};

/// Moves `app` by `action` (from the state it was read in), with `note` on its timeline.
/// Returns the new status.
pub(super) fn take(
    conn: &mut DbConn,
    app: &Application,
    action: Action,
    note: Option<&str>,
    ctx: &AuditContext,
) -> StoreResult<ApplicationStatus> {
    let to = transition(app.status, action)?;
    let now = crate::now();
    let moved = diesel::update(
        grant_applications::table
            .filter(grant_applications::id.eq(app.id.as_str()))
            .filter(grant_applications::status.eq(app.status.as_str())),
    )
    .set((
        grant_applications::status.eq(to.as_str()),
        grant_applications::version.eq(grant_applications::version + 1),
        grant_applications::updated_at.eq(now),
    ))
    .execute(conn)?;
    if moved == 0 {
        // Another request moved it first: refuse from the state it is in now.
        let current = super::find_application(conn, &app.id)?;
        return Err(transition(current.status, action).err().map_or(StoreError::VersionMismatch, Into::into));
    }
    diesel::insert_into(grant_application_events::table)
        .values((
            grant_application_events::id.eq(crate::new_id()),
            grant_application_events::application_id.eq(app.id.as_str()),
            grant_application_events::transition.eq(action.as_str()),
            grant_application_events::from_status.eq(app.status.as_str()),
            grant_application_events::to_status.eq(to.as_str()),
            grant_application_events::note.eq(note),
            grant_application_events::at.eq(now),
        ))
        .execute(conn)?;
    let details = serde_json::json!({ "from": app.status, "to": to });
    audit::record_change(
        conn,
        ctx,
        AUDIT_APPLICATION,
        &format!("grant_application.{action}"),
        app.id.as_str(),
        details,
    )?;
    Ok(to)
}

/// What a revision's hash covers: the content in a fixed order, and the attachments by hash.
#[derive(Serialize)]
struct Content<'a> {
    application_id: &'a str,
    revision: i32,
    criteria_version: i32,
    title: &'a str,
    summary: &'a str,
    description: &'a str,
    amount_requested_ore: i64,
    planned_start: Option<chrono::NaiveDate>,
    planned_end: Option<chrono::NaiveDate>,
    size_band: Option<&'static str>,
    target_groups: &'a [String],
    answers: &'a serde_json::Map<String, serde_json::Value>,
    declarations: &'a [String],
    attachments: Vec<serde_json::Value>,
}

/// The receipt of a submission.
#[derive(Debug, Clone)]
pub struct Submitted {
    pub application: Application,
    pub revision: Revision,
}

/// Submits `id` (a draft, or an application asked for more information) at `now` by the
/// server's clock: only while its round is open, only when the checklist is empty. The content
/// becomes an immutable revision with its SHA-256. In a rolling round whose money is spoken for,
/// the application goes on the waitlist instead of being rejected.
pub fn submit_application(
    conn: &mut DbConn,
    id: &GrantApplicationId,
    expected_version: Option<i64>,
    now: NaiveDateTime,
    ctx: &AuditContext,
) -> StoreResult<Submitted> {
    let app = super::lock_application(conn, id)?;
    if expected_version.is_some_and(|v| v != app.version) {
        return Err(StoreError::VersionMismatch);
    }
    transition(app.status, Action::Submit)?;
    let round = super::find_round(conn, &app.round_id)?;
    let pool = super::find_pool(conn, &app.pool_id)?;
    // A first submission needs the round open; an answer to a request for information is due by
    // staff's date, not the round's.
    if app.status == ApplicationStatus::Draft {
        if pool.status != PoolStatus::Published {
            return Err(GrantError::PoolNotOpen.into());
        }
        if round.phase(now) != Phase::Open {
            let at = |t: NaiveDateTime| t.and_utc().to_rfc3339();
            return Err(GrantError::RoundClosed {
                opens_at: at(round.opens_at),
                closes_at: round.closes_at.map_or("never".into(), at),
            }
            .into());
        }
    }
    let criteria = super::criteria_version(conn, &round.id, round.criteria_version)?;
    let attachments = super::attachments(conn, id)?;
    let kinds: Vec<_> = attachments.iter().map(|a| a.kind).collect();
    let missing = checklist(&Draft {
        track: round.track,
        min_amount_ore: round.min_amount_ore,
        max_amount_ore: round.max_amount_ore,
        title: &app.title,
        summary: &app.summary,
        description: &app.description,
        amount_requested_ore: app.amount_requested_ore,
        has_planned_dates: app.planned_start.is_some() && app.planned_end.is_some(),
        has_size_band: app.size_band.is_some(),
        target_groups: &app.target_groups,
        eligibility: &criteria.eligibility,
        declarations: &app.declarations,
        attachments: &kinds,
    });
    if !missing.is_empty() {
        return Err(GrantError::Incomplete(missing).into());
    }
    let revision = app.revision + 1;
    let content = Content {
        application_id: id.as_str(),
        revision,
        criteria_version: round.criteria_version,
        title: &app.title,
        summary: &app.summary,
        description: &app.description,
        amount_requested_ore: app.amount_requested_ore,
        planned_start: app.planned_start,
        planned_end: app.planned_end,
        size_band: app.size_band.map(|b| b.as_str()),
        target_groups: &app.target_groups,
        answers: &app.answers,
        declarations: &app.declarations,
        attachments: attachments.iter().map(attachment_ref).collect(),
    };
    let content = to_json(&content);
    let hash = format!("{:x}", Sha256::digest(content.as_bytes()));
    diesel::insert_into(grant_application_revisions::table)
        .values((
            grant_application_revisions::application_id.eq(id.as_str()),
            grant_application_revisions::revision.eq(revision),
            grant_application_revisions::content.eq(&content),
            grant_application_revisions::content_sha256.eq(&hash),
            grant_application_revisions::criteria_version.eq(round.criteria_version),
            grant_application_revisions::submitted_by.eq(&ctx.actor),
            grant_application_revisions::submitted_at.eq(now),
        ))
        .execute(conn)?;
    take(conn, &app, Action::Submit, Some(&format!("Revision {revision}, SHA-256 {hash}")), ctx)?;
    diesel::update(grant_applications::table.find(id.as_str()))
        .set((
            grant_applications::revision.eq(revision),
            grant_applications::submitted_at.eq(Some(now)),
            grant_applications::screening.eq(None::<String>),
        ))
        .execute(conn)?;
    if round.kind == RoundKind::Rolling && app.status == ApplicationStatus::Draft {
        super::lock_pool(conn, &pool.id)?;
        // This application is among the claims now; what is left must cover it.
        if super::available_for_rolling(conn, &pool.id)? < 0 {
            let submitted = super::find_application(conn, id)?;
            take(
                conn,
                &submitted,
                Action::Waitlist,
                Some("The pool's money is spoken for; you keep your place in the queue"),
                ctx,
            )?;
            diesel::update(grant_applications::table.find(id.as_str()))
                .set(grant_applications::waitlisted_at.eq(Some(now)))
                .execute(conn)?;
        }
    }
    let application = super::find_application(conn, id)?;
    let revision = Revision {
        revision,
        content,
        content_sha256: hash,
        criteria_version: round.criteria_version,
        submitted_at: now,
    };
    notify(
        conn,
        &application,
        Notice::Submitted,
        serde_json::json!({ "revision": revision.revision, "content_sha256": revision.content_sha256 }),
    )?;
    Ok(Submitted { application, revision })
}

fn attachment_ref(a: &Attachment) -> serde_json::Value {
    serde_json::json!({ "id": a.id, "kind": a.kind, "file_name": a.file_name, "sha256": a.content_sha256 })
}

/// What staff found in screening.
#[derive(Debug, Clone)]
pub enum ScreeningResult {
    Eligible,
    Ineligible { reasons: String },
    MoreInformation(Screening),
}

/// Screens a submitted application (or asks for more information during review).
pub fn screen_application(
    conn: &mut DbConn,
    id: &GrantApplicationId,
    expected_version: Option<i64>,
    result: &ScreeningResult,
    ctx: &AuditContext,
) -> StoreResult<Application> {
    let app = super::lock_application(conn, id)?;
    if expected_version.is_some_and(|v| v != app.version) {
        return Err(StoreError::VersionMismatch);
    }
    let (action, note, screening) = match result {
        ScreeningResult::Eligible => (Action::ScreenEligible, None, None),
        ScreeningResult::Ineligible { reasons } => (
            Action::ScreenIneligible,
            Some(reasons.as_str()),
            Some(Screening { message: reasons.clone(), due_on: None }),
        ),
        ScreeningResult::MoreInformation(s) => (Action::RequestInformation, Some(s.message.as_str()), Some(s.clone())),
    };
    take(conn, &app, action, note, ctx)?;
    if let Some(screening) = &screening {
        diesel::update(grant_applications::table.find(id.as_str()))
            .set(grant_applications::screening.eq(Some(to_json(screening))))
            .execute(conn)?;
    }
    if matches!(result, ScreeningResult::Ineligible { .. }) {
        super::move_up_waitlist(conn, &app.pool_id, ctx)?;
    }
    let application = super::find_application(conn, id)?;
    match result {
        ScreeningResult::MoreInformation(s) => {
            notify(conn, &application, Notice::InformationRequested, serde_json::json!({ "due_on": s.due_on }))?
        }
        ScreeningResult::Ineligible { .. } => {
            notify(conn, &application, Notice::Decided, serde_json::json!({ "outcome": "ineligible" }))?
        }
        ScreeningResult::Eligible => {}
    }
    Ok(application)
}

/// Withdraws an application before its decision. In a rolling round its place in the queue frees
/// money for the waitlist.
pub fn withdraw_application(
    conn: &mut DbConn,
    id: &GrantApplicationId,
    expected_version: Option<i64>,
    ctx: &AuditContext,
) -> StoreResult<Application> {
    let app = super::lock_application(conn, id)?;
    if expected_version.is_some_and(|v| v != app.version) {
        return Err(StoreError::VersionMismatch);
    }
    take(conn, &app, Action::Withdraw, None, ctx)?;
    if app.status.awaits_decision() {
        super::move_up_waitlist(conn, &app.pool_id, ctx)?;
    }
    super::find_application(conn, id)
}

/// The applicant's answer to an award: accepting plans its tranches; declining releases its
/// money back to the pool (and the waitlist moves up).
pub fn answer_award(
    conn: &mut DbConn,
    id: &GrantApplicationId,
    expected_version: Option<i64>,
    accept: bool,
    ctx: &AuditContext,
) -> StoreResult<Application> {
    let app = super::lock_application(conn, id)?;
    if expected_version.is_some_and(|v| v != app.version) {
        return Err(StoreError::VersionMismatch);
    }
    if accept {
        take(conn, &app, Action::Accept, None, ctx)?;
        let round = super::find_round(conn, &app.round_id)?;
        super::plan_tranches(conn, &app, round.track)?;
    } else {
        take(conn, &app, Action::Decline, None, ctx)?;
        if let Some(amount) = app.awarded_ore {
            super::record_money(conn, &app.pool_id, id, LedgerKind::Release, amount, &ctx.actor)?;
            super::move_up_waitlist(conn, &app.pool_id, ctx)?;
        }
    }
    super::find_application(conn, id)
}
