//! Failed-attempt counters ("buckets"), kept in the database so that every instance behind a
//! load balancer counts the same attempts. What a count means is the domain's
//! (`sammen_domain::identity::{Throttle, LoginThrottle}`); here they are read and written.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sammen_domain::identity::{Expiry, Tally, Throttle};

use crate::dialect::{DbConn, write_transaction};
use crate::error::{StoreError, StoreResult};
use crate::schema::throttle_buckets;

/// What each of `buckets` has counted, in their order (`None` where nothing was counted).
pub fn tallies(conn: &mut DbConn, buckets: &[&str]) -> StoreResult<Vec<Option<Tally>>> {
    let rows: Vec<(String, NaiveDateTime, NaiveDateTime, i32)> = throttle_buckets::table
        .filter(throttle_buckets::bucket.eq_any(buckets))
        .select((
            throttle_buckets::bucket,
            throttle_buckets::window_start,
            throttle_buckets::last_failure_at,
            throttle_buckets::failures,
        ))
        .load(conn)?;
    let now = crate::now();
    Ok(buckets
        .iter()
        .map(|name| {
            rows.iter().find(|(b, ..)| b == name).map(|(_, start, last, failures)| Tally {
                failures: *failures,
                since_start: (now - *start).num_seconds(),
                since_last: (now - *last).num_seconds(),
            })
        })
        .collect())
}

/// Seconds to wait if any of `buckets` has used up its allowance, else `None`.
pub fn throttle_check(conn: &mut DbConn, buckets: &[(&str, Throttle)]) -> StoreResult<Option<u64>> {
    let names: Vec<&str> = buckets.iter().map(|(name, _)| *name).collect();
    let counted = tallies(conn, &names)?;
    Ok(buckets.iter().zip(&counted).filter_map(|((_, throttle), tally)| throttle.wait(tally.as_ref())).max())
}

/// Counts a failed attempt in each bucket, starting a new window where the old one is over.
pub fn throttle_fail(conn: &mut DbConn, buckets: &[(&str, Throttle)]) -> StoreResult<()> {
    let buckets: Vec<(&str, Expiry)> = buckets.iter().map(|(name, throttle)| (*name, throttle.expiry())).collect();
    retry_conflict(|| {
        write_transaction(conn, |conn| {
            let names: Vec<&str> = buckets.iter().map(|(name, _)| *name).collect();
            let counted = tallies(conn, &names)?;
            count_failures(conn, &buckets, &counted)
        })
    })
}

/// Two instances may create the same new bucket at once: the loser's insert fails on the key,
/// and its second try counts as an update.
pub(crate) fn retry_conflict<T>(mut work: impl FnMut() -> StoreResult<T>) -> StoreResult<T> {
    match work() {
        Err(StoreError::Conflict(_)) => work(),
        other => other,
    }
}

/// Counts one failure in each bucket, given what each had counted: a bucket whose count is over
/// (by its `Expiry`) starts afresh.
pub(crate) fn count_failures(
    conn: &mut DbConn,
    buckets: &[(&str, Expiry)],
    counted: &[Option<Tally>],
) -> StoreResult<()> {
    let now = crate::now();
    for ((name, expiry), tally) in buckets.iter().zip(counted) {
        match tally {
            Some(tally) if !expiry.ended(tally) => {
                diesel::update(throttle_buckets::table.find(name))
                    .set((
                        throttle_buckets::failures.eq(throttle_buckets::failures + 1),
                        throttle_buckets::last_failure_at.eq(now),
                    ))
                    .execute(conn)?;
            }
            Some(_) => {
                diesel::update(throttle_buckets::table.find(name))
                    .set((
                        throttle_buckets::window_start.eq(now),
                        throttle_buckets::last_failure_at.eq(now),
                        throttle_buckets::failures.eq(1),
                    ))
                    .execute(conn)?;
            }
            None => {
                diesel::insert_into(throttle_buckets::table)
                    .values((
                        throttle_buckets::bucket.eq(name),
                        throttle_buckets::window_start.eq(now),
                        throttle_buckets::last_failure_at.eq(now),
                        throttle_buckets::failures.eq(1),
                    ))
                    .execute(conn)?;
            }
        }
    }
    Ok(())
}

/// Takes one counted failure back from a bucket (an attempt counted before it was known to
/// succeed), never below none.
pub(crate) fn throttle_forgive(conn: &mut DbConn, bucket: &str) -> StoreResult<()> {
    diesel::update(throttle_buckets::table.find(bucket).filter(throttle_buckets::failures.gt(0)))
        .set(throttle_buckets::failures.eq(throttle_buckets::failures - 1))
        .execute(conn)?;
    Ok(())
}

/// Forgets the failures of a bucket.
pub fn throttle_reset(conn: &mut DbConn, bucket: &str) -> StoreResult<()> {
    diesel::delete(throttle_buckets::table.find(bucket)).execute(conn)?;
    Ok(())
}

/// Deletes buckets without a failure since `older_than`: no window or memory of a throttle lasts
/// that long (a login pair's memory, the longest, is a day).
pub fn throttle_prune(conn: &mut DbConn, older_than: NaiveDateTime) -> StoreResult<usize> {
    Ok(diesel::delete(throttle_buckets::table.filter(throttle_buckets::last_failure_at.lt(older_than)))
        .execute(conn)?)
}
