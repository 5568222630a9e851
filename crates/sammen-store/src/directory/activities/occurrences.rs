//! The stored occurrences: each activity's schedule expanded from today to the search horizon,
//! with its next start, so the listing can filter on weekdays and dates and sort by the next
//! occurrence with indexes instead of expanding schedules per query.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use sammen_domain::directory::schedule::{SEARCH_HORIZON_DAYS, Schedule, local_date};
use sammen_domain::ids::ActivityId;

use crate::dialect::sql::weekday_bits;
use crate::dialect::{DbConn, write_transaction};
use crate::error::{StoreError, StoreResult};
use crate::schema::{activities, activity_occurrences};

/// The local date in Copenhagen at the UTC instant `now`.
fn local_today(now: NaiveDateTime) -> NaiveDate {
    local_date(now.and_utc())
}

/// The UTC instant (as stored) a local date begins.
fn day_start(date: NaiveDate) -> NaiveDateTime {
    sammen_domain::directory::schedule::day_start(date).naive_utc()
}

/// The last local date the stored occurrences cover, seen from `today`.
fn horizon(today: NaiveDate) -> NaiveDate {
    today + Duration::days(SEARCH_HORIZON_DAYS)
}

/// What `insert_occurrences` stored: the first start at or after `now`, and the weekdays the
/// occurrences fall on (`sql::weekday_bits`).
struct Stored {
    first: Option<NaiveDateTime>,
    weekdays: i64,
}

/// Stores the occurrences on local dates `from..=to`.
fn insert_occurrences(
    conn: &mut DbConn,
    id: &ActivityId,
    schedule: &Schedule,
    from: NaiveDate,
    to: NaiveDate,
    now: NaiveDateTime,
) -> StoreResult<Stored> {
    let occurrences = schedule.occurrences(from, to);
    let rows: Vec<_> = occurrences
        .iter()
        .map(|o| {
            (
                activity_occurrences::activity_id.eq(id.as_str()),
                activity_occurrences::starts_at.eq(o.starts_at.naive_utc()),
                activity_occurrences::weekday.eq(o.date.weekday().number_from_monday() as i32),
            )
        })
        .collect();
    // Well under both backends' limits on bound parameters per statement.
    for chunk in rows.chunks(1000) {
        crate::db_run!(&mut *conn, c => diesel::insert_into(activity_occurrences::table).values(chunk).execute(c))?;
    }
    Ok(Stored {
        first: occurrences.iter().map(|o| o.starts_at.naive_utc()).find(|at| *at >= now),
        weekdays: weekday_bits(occurrences.iter().map(|o| o.date.weekday().number_from_monday() as i32)),
    })
}

/// Expands an activity's schedule again from today to the horizon, with its next start.
pub(super) fn write_occurrences(conn: &mut DbConn, id: &ActivityId, schedule: &Schedule) -> StoreResult<()> {
    let now = crate::now();
    let today = local_today(now);
    diesel::delete(activity_occurrences::table.filter(activity_occurrences::activity_id.eq(id.as_str())))
        .execute(conn)?;
    let stored = insert_occurrences(conn, id, schedule, today, horizon(today), now)?;
    diesel::update(activities::table.find(id.as_str()))
        .set((
            activities::next_occurrence_at.eq(stored.first),
            activities::occurrences_until.eq(Some(day_start(horizon(today) + Duration::days(1)))),
            activities::occurrence_weekdays.eq(stored.weekdays as i32),
        ))
        .execute(conn)?;
    Ok(())
}

/// An activity whose stored occurrences need extending: id, schedule, covered until, next start,
/// weekday bits.
type Due = (ActivityId, String, Option<NaiveDateTime>, Option<NaiveDateTime>, i32);

/// Keeps the stored occurrences and next starts current as time passes: drops past occurrences,
/// extends every activity's occurrences to the horizon (a new day each day; all of them for
/// activities never expanded, as after the migration), and moves on the next start of activities
/// whose next start has passed. Safe to run from several servers at once: each activity is
/// claimed with a conditional update. Returns how many activities were extended.
pub fn refresh_occurrences(conn: &mut DbConn, now: NaiveDateTime) -> StoreResult<usize> {
    let today = local_today(now);
    let target = horizon(today);
    let covered_to = day_start(target + Duration::days(1));
    diesel::delete(
        activity_occurrences::table.filter(activity_occurrences::starts_at.lt(day_start(today - Duration::days(1)))),
    )
    .execute(conn)?;
    let mut extended = 0;
    loop {
        let due: Vec<Due> = activities::table
            .filter(activities::occurrences_until.is_null().or(activities::occurrences_until.lt(covered_to)))
            .select((
                activities::id,
                activities::schedule,
                activities::occurrences_until,
                activities::next_occurrence_at,
                activities::occurrence_weekdays,
            ))
            .order(activities::id)
            .limit(200)
            .load(conn)?;
        if due.is_empty() {
            break;
        }
        extended += due.len();
        write_transaction(conn, |conn| {
            for (id, schedule, until, next, weekdays) in &due {
                let schedule: Schedule = serde_json::from_str(schedule)?;
                let claim = diesel::update(activities::table.find(id.as_str()))
                    .set(activities::occurrences_until.eq(covered_to));
                let claimed = match until {
                    None => claim.filter(activities::occurrences_until.is_null()).execute(conn)?,
                    Some(until) => claim.filter(activities::occurrences_until.eq(*until)).execute(conn)?,
                };
                match (claimed, until) {
                    (0, _) => {}
                    (_, None) => {
                        write_occurrences(conn, id, &schedule)?;
                        diesel::update(activities::table.find(id.as_str()))
                            .set(activities::start_minute.eq(schedule.start_minute()))
                            .execute(conn)?;
                    }
                    (_, Some(until)) => {
                        let from = local_today(*until).max(today);
                        let stored = insert_occurrences(conn, id, &schedule, from, target, now)?;
                        // The weekday bits only grow here: a superset that the filter checks
                        // against the occurrences themselves.
                        let grown = i64::from(*weekdays) | stored.weekdays;
                        let first_start = next.is_none() && stored.first.is_some();
                        if first_start || grown != i64::from(*weekdays) {
                            diesel::update(activities::table.find(id.as_str()))
                                .set((
                                    activities::next_occurrence_at.eq(next.or(stored.first)),
                                    activities::occurrence_weekdays.eq(grown as i32),
                                ))
                                .execute(conn)?;
                        }
                    }
                }
            }
            Ok::<_, StoreError>(())
        })?;
    }
    let next_start = activity_occurrences::table
        .filter(activity_occurrences::activity_id.eq(activities::id))
        .filter(activity_occurrences::starts_at.ge(now))
        .select(diesel::dsl::min(activity_occurrences::starts_at))
        .single_value();
    diesel::update(activities::table.filter(activities::next_occurrence_at.lt(now)))
        .set(activities::next_occurrence_at.eq(next_start))
        .execute(conn)?;
    Ok(extended)
}
