//! The outbox: events written in the same transaction as the change that causes them, each with
//! its deliveries; and the dispatcher's side: claiming due deliveries (one instance at a time per
//! delivery), recording each attempt's outcome, and what admins see of it.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sammen_domain::Entity;
use sammen_domain::ids::UserId;
use sammen_domain::outbox::{AfterFailure, CLAIM_LEASE, Channel, DeliveryStatus, EventType, after_failure};

use crate::claim_rows;
use crate::dialect::{DbConn, write_transaction};
use crate::error::{Found, StoreResult};
use crate::schema::{outbox_deliveries, outbox_events};

/// Something that happened, to announce.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub event_type: EventType,
    pub resource_type: &'a str,
    pub resource_id: &'a str,
    /// What a webhook receiver gets as `data`: no secrets, no e-mail addresses.
    pub payload: serde_json::Value,
}

/// Records `event` and an e-mail to `user` about it, in the caller's transaction: the mail is sent
/// if and only if the change commits.
pub fn enqueue_email(conn: &mut DbConn, event: &NewEvent<'_>, user: &UserId) -> StoreResult<()> {
    enqueue(conn, event, Channel::Email, &[user.as_str().to_owned()])
}

/// Records `event` and a delivery of it by `channel` to each of `recipients`, in the caller's
/// transaction.
pub fn enqueue(conn: &mut DbConn, event: &NewEvent<'_>, channel: Channel, recipients: &[String]) -> StoreResult<()> {
    let event_id = insert_event(conn, event)?;
    for recipient in recipients {
        insert_delivery(conn, &event_id, channel, recipient)?;
    }
    Ok(())
}

fn insert_event(conn: &mut DbConn, event: &NewEvent<'_>) -> StoreResult<String> {
    let id = crate::new_id();
    diesel::insert_into(outbox_events::table)
        .values((
            outbox_events::id.eq(&id),
            outbox_events::occurred_at.eq(crate::now()),
            outbox_events::event_type.eq(event.event_type.as_str()),
            outbox_events::resource_type.eq(event.resource_type),
            outbox_events::resource_id.eq(event.resource_id),
            outbox_events::payload.eq(event.payload.to_string()),
        ))
        .execute(conn)?;
    Ok(id)
}

fn insert_delivery(conn: &mut DbConn, event_id: &str, channel: Channel, recipient: &str) -> StoreResult<String> {
    let now = crate::now();
    let id = crate::new_id();
    diesel::insert_into(outbox_deliveries::table)
        .values((
            outbox_deliveries::id.eq(&id),
            outbox_deliveries::event_id.eq(event_id),
            outbox_deliveries::channel.eq(channel.as_str()),
            outbox_deliveries::recipient.eq(recipient),
            outbox_deliveries::status.eq(DeliveryStatus::Pending.as_str()),
            outbox_deliveries::attempts.eq(0),
            outbox_deliveries::next_attempt_at.eq(now),
            outbox_deliveries::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// A delivery as the outbox holds it, with its event.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox_deliveries)]
pub struct Delivery {
    pub id: String,
    pub event_id: String,
    pub channel: Channel,
    pub recipient: String,
    pub status: DeliveryStatus,
    /// Attempts started so far (a claimed delivery counts the attempt it is claimed for).
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub last_error: Option<String>,
    pub delivered_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

/// The event a delivery is about.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox_events)]
pub struct Event {
    pub id: String,
    pub occurred_at: NaiveDateTime,
    pub event_type: EventType,
    pub resource_type: String,
    pub resource_id: String,
    pub payload: String,
}

/// Claims up to `limit` deliveries that are due and held by no dispatcher, for `CLAIM_LEASE`,
/// counting the attempt. On PostgreSQL, instances claiming at the same moment pass over each
/// other's rows (`SKIP LOCKED`), so no delivery is worked on by two at once; one that crashed
/// leaves its claims to expire. Oldest first.
pub fn claim_due(conn: &mut DbConn, limit: i64) -> StoreResult<Vec<(Delivery, Event)>> {
    let due = |now: NaiveDateTime| {
        outbox_deliveries::table
            .filter(outbox_deliveries::status.eq(DeliveryStatus::Pending.as_str()))
            .filter(outbox_deliveries::next_attempt_at.le(now))
            .filter(outbox_deliveries::claimed_until.is_null().or(outbox_deliveries::claimed_until.le(now)))
            .select(outbox_deliveries::id)
            .order((outbox_deliveries::next_attempt_at, outbox_deliveries::id))
            .limit(limit)
    };
    // Most polls find nothing: one read (by the partial index), without taking the write lock.
    if due(crate::now()).first::<String>(conn).optional()?.is_none() {
        return Ok(Vec::new());
    }
    write_transaction(conn, |conn| {
        let now = crate::now();
        let ids = claim_rows!(conn, due(now))?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        diesel::update(outbox_deliveries::table.filter(outbox_deliveries::id.eq_any(&ids)))
            .set((
                outbox_deliveries::claimed_until.eq(Some(now + CLAIM_LEASE)),
                outbox_deliveries::attempts.eq(outbox_deliveries::attempts + 1),
            ))
            .execute(conn)?;
        Ok(outbox_deliveries::table
            .inner_join(outbox_events::table)
            .filter(outbox_deliveries::id.eq_any(&ids))
            .select((Delivery::as_select(), Event::as_select()))
            .order((outbox_deliveries::next_attempt_at, outbox_deliveries::id))
            .load(conn)?)
    })
}

/// The delivery arrived.
pub fn mark_delivered(conn: &mut DbConn, id: &str) -> StoreResult<()> {
    diesel::update(outbox_deliveries::table.find(id))
        .set((
            outbox_deliveries::status.eq(DeliveryStatus::Delivered.as_str()),
            outbox_deliveries::delivered_at.eq(Some(crate::now())),
            outbox_deliveries::claimed_until.eq(None::<NaiveDateTime>),
            outbox_deliveries::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// The claimed attempt failed with `error` (no personal data in it): tried again on the retry
/// schedule, or given up when the attempts are used up or the failure is `permanent`. Returns the
/// delivery's status after this.
pub fn mark_attempt_failed(
    conn: &mut DbConn,
    delivery: &Delivery,
    error: &str,
    permanent: bool,
) -> StoreResult<DeliveryStatus> {
    let now = crate::now();
    let (status, next) = match after_failure(delivery.attempts, permanent) {
        AfterFailure::RetryIn(delay) => (DeliveryStatus::Pending, now + delay),
        AfterFailure::GiveUp => (DeliveryStatus::Failed, now),
    };
    let error: String = error.chars().take(500).collect();
    diesel::update(outbox_deliveries::table.find(&delivery.id))
        .set((
            outbox_deliveries::status.eq(status.as_str()),
            outbox_deliveries::next_attempt_at.eq(next),
            outbox_deliveries::claimed_until.eq(None::<NaiveDateTime>),
            outbox_deliveries::last_error.eq(Some(error)),
        ))
        .execute(conn)?;
    Ok(status)
}

/// A delivery with its event (`NotFound` if there is none).
pub fn find_delivery(conn: &mut DbConn, id: &str) -> StoreResult<(Delivery, Event)> {
    outbox_deliveries::table
        .inner_join(outbox_events::table)
        .filter(outbox_deliveries::id.eq(id))
        .select((Delivery::as_select(), Event::as_select()))
        .first(conn)
        .found(Entity::Delivery)
}

/// Sends a delivery's event to its recipient again: a new pending delivery, due now (the old one
/// keeps its history).
pub fn replay_delivery(conn: &mut DbConn, delivery: &Delivery) -> StoreResult<(Delivery, Event)> {
    let id = insert_delivery(conn, &delivery.event_id, delivery.channel, &delivery.recipient)?;
    find_delivery(conn, &id)
}

/// Which deliveries are listed.
#[derive(Debug, Clone, Default)]
pub struct DeliveryFilter {
    pub status: Option<DeliveryStatus>,
    pub channel: Option<Channel>,
    /// One recipient's (a webhook subscription's delivery log).
    pub recipient: Option<String>,
}

/// Deliveries, newest first, after the `after` id (ids are time-ordered); up to `limit`.
pub fn list_deliveries(
    conn: &mut DbConn,
    filter: &DeliveryFilter,
    after: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<(Delivery, Event)>> {
    let mut query = outbox_deliveries::table
        .inner_join(outbox_events::table)
        .select((Delivery::as_select(), Event::as_select()))
        .order(outbox_deliveries::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(status) = filter.status {
        query = query.filter(outbox_deliveries::status.eq(status.as_str()));
    }
    if let Some(channel) = filter.channel {
        query = query.filter(outbox_deliveries::channel.eq(channel.as_str()));
    }
    if let Some(recipient) = &filter.recipient {
        query = query.filter(outbox_deliveries::recipient.eq(recipient.clone()));
    }
    if let Some(after) = after {
        query = query.filter(outbox_deliveries::id.lt(after.to_owned()));
    }
    Ok(query.load(conn)?)
}
