//! Retention: records that have served their purpose are deleted by a sweep each instance runs
//! every hour. The periods, and why, are in `docs/security.md`; `now` is a parameter so a test can
//! run the sweep at any instant.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use sammen_domain::directory::listing_report::ReportStatus;
use sammen_domain::outbox::DeliveryStatus;

use crate::dialect::DbConn;
use crate::error::StoreResult;
use crate::schema::{
    account_tokens, activity_reports, audit_events, idempotency_keys, outbox_deliveries, outbox_events, refresh_tokens,
};

/// The periods an operator may set; the others are fixed (`docs/security.md` gives the reasons).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Audit events older than this are deleted; at least `MIN_AUDIT_RETENTION`.
    pub audit: TimeDelta,
    /// Resolved listing reports (which may hold a reporter's e-mail) this long after resolution.
    pub resolved_reports: TimeDelta,
}

/// The audit log is append-only for its first year whatever is configured: the database's
/// trigger refuses to delete a younger row.
pub const MIN_AUDIT_RETENTION: TimeDelta = TimeDelta::days(365);

impl Default for Retention {
    fn default() -> Self {
        Self { audit: TimeDelta::days(5 * 365), resolved_reports: TimeDelta::days(180) }
    }
}

/// Refresh tokens, this long after they expired or were revoked (a replayed old token is then
/// simply unknown, which answers the same).
pub const REFRESH_TOKENS_AFTER: TimeDelta = TimeDelta::days(30);
/// E-mailed tokens (confirmation, reset), this long after they expired or were used.
pub const ACCOUNT_TOKENS_AFTER: TimeDelta = TimeDelta::days(7);
/// Delivered outbox messages, this long after delivery (to answer "did the mail go out?").
pub const DELIVERED_AFTER: TimeDelta = TimeDelta::days(30);
/// Outbox messages given up, this long after they were made (to find out why).
pub const FAILED_AFTER: TimeDelta = TimeDelta::days(90);
/// Idempotency keys live 24 hours (`platform::IDEMPOTENCY_TTL`); throttle windows a day after
/// they ended (they hold client addresses).
pub const THROTTLE_WINDOWS_AFTER: TimeDelta = TimeDelta::days(1);

/// What a sweep deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    pub refresh_tokens: usize,
    pub account_tokens: usize,
    pub idempotency_keys: usize,
    pub throttle_windows: usize,
    pub outbox_deliveries: usize,
    pub outbox_events: usize,
    pub listing_reports: usize,
    pub audit_events: usize,
}

impl Swept {
    pub fn total(&self) -> usize {
        self.refresh_tokens
            + self.account_tokens
            + self.idempotency_keys
            + self.throttle_windows
            + self.outbox_deliveries
            + self.outbox_events
            + self.listing_reports
            + self.audit_events
    }
}

/// Deletes what is past its period at `now`. Each kind is one statement of its own: a sweep
/// interrupted half-way leaves nothing inconsistent, and the next one finishes it.
pub fn sweep(conn: &mut DbConn, retention: &Retention, now: NaiveDateTime) -> StoreResult<Swept> {
    let before = |period: TimeDelta| now - period;
    let refresh = before(REFRESH_TOKENS_AFTER);
    let account = before(ACCOUNT_TOKENS_AFTER);
    let delivered = DeliveryStatus::Delivered.as_str();
    let failed = DeliveryStatus::Failed.as_str();
    let mut swept = Swept {
        refresh_tokens: diesel::delete(
            refresh_tokens::table
                .filter(refresh_tokens::expires_at.lt(refresh).or(refresh_tokens::revoked_at.lt(refresh))),
        )
        .execute(conn)?,
        account_tokens: diesel::delete(
            account_tokens::table
                .filter(account_tokens::expires_at.lt(account).or(account_tokens::used_at.lt(account))),
        )
        .execute(conn)?,
        idempotency_keys: diesel::delete(
            idempotency_keys::table.filter(idempotency_keys::created_at.lt(before(crate::platform::IDEMPOTENCY_TTL))),
        )
        .execute(conn)?,
        throttle_windows: crate::identity::throttle_prune(conn, before(THROTTLE_WINDOWS_AFTER))?,
        outbox_deliveries: diesel::delete(
            outbox_deliveries::table.filter(
                (outbox_deliveries::status
                    .eq(delivered)
                    .and(outbox_deliveries::delivered_at.lt(before(DELIVERED_AFTER))))
                .or(outbox_deliveries::status.eq(failed).and(outbox_deliveries::created_at.lt(before(FAILED_AFTER)))),
            ),
        )
        .execute(conn)?,
        ..Swept::default()
    };
    // Events whose deliveries are all gone.
    let delivered_events = outbox_deliveries::table.select(outbox_deliveries::event_id);
    swept.outbox_events = diesel::delete(
        outbox_events::table
            .filter(outbox_events::occurred_at.lt(before(DELIVERED_AFTER)))
            .filter(outbox_events::id.ne_all(delivered_events)),
    )
    .execute(conn)?;
    swept.listing_reports = diesel::delete(
        activity_reports::table
            .filter(activity_reports::status.eq(ReportStatus::Resolved.as_str()))
            .filter(activity_reports::resolved_at.lt(before(retention.resolved_reports))),
    )
    .execute(conn)?;
    // Never younger than a year by the database's own clock either (its trigger checks that), with
    // a day to spare for clocks that disagree: a sweep run at a later `now` in a test still
    // deletes only what the trigger allows.
    let audit =
        before(retention.audit.max(MIN_AUDIT_RETENTION)).min(crate::now() - MIN_AUDIT_RETENTION - TimeDelta::days(1));
    swept.audit_events =
        diesel::delete(audit_events::table.filter(audit_events::occurred_at.lt(audit))).execute(conn)?;
    Ok(swept)
}
