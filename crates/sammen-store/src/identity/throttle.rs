//! Failed-attempt counters in fixed windows, kept in the database so that every instance
//! behind a load balancer counts the same attempts.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sammen_domain::identity::Throttle;

use crate::dialect::{DbConn, write_transaction};
use crate::error::{StoreError, StoreResult};
use crate::schema::throttle_buckets;

/// Seconds to wait if any of `buckets` has used up its allowance, else `None`.
pub fn throttle_check(conn: &mut DbConn, buckets: &[(&str, Throttle)]) -> StoreResult<Option<u64>> {
    let names: Vec<&str> = buckets.iter().map(|(name, _)| *name).collect();
    let rows: Vec<(String, NaiveDateTime, i32)> = throttle_buckets::table
        .filter(throttle_buckets::bucket.eq_any(&names))
        .select((throttle_buckets::bucket, throttle_buckets::window_start, throttle_buckets::failures))
        .load(conn)?;
    let now = crate::now();
    Ok(rows
        .iter()
        .filter_map(|(name, start, failures)| {
            let (_, throttle) = buckets.iter().find(|(b, _)| b == name)?;
            throttle.retry_after(*failures, (now - *start).num_seconds())
        })
        .max())
}

/// Counts a failed attempt in each bucket, starting a new window where the old one is over.
pub fn throttle_fail(conn: &mut DbConn, buckets: &[(&str, Throttle)]) -> StoreResult<()> {
    // Two instances may create the same new bucket at once; the loser counts again as an update.
    match count_failure(conn, buckets) {
        Err(StoreError::Conflict(_)) => count_failure(conn, buckets),
        other => other,
    }
}

fn count_failure(conn: &mut DbConn, buckets: &[(&str, Throttle)]) -> StoreResult<()> {
    write_transaction(conn, |conn| {
        let now = crate::now();
        for (name, throttle) in buckets {
            let start: Option<NaiveDateTime> =
                throttle_buckets::table.find(name).select(throttle_buckets::window_start).first(conn).optional()?;
            match start {
                Some(start) if !throttle.window_over((now - start).num_seconds()) => {
                    diesel::update(throttle_buckets::table.find(name))
                        .set(throttle_buckets::failures.eq(throttle_buckets::failures + 1))
                        .execute(conn)?;
                }
                Some(_) => {
                    diesel::update(throttle_buckets::table.find(name))
                        .set((throttle_buckets::window_start.eq(now), throttle_buckets::failures.eq(1)))
                        .execute(conn)?;
                }
                None => {
                    diesel::insert_into(throttle_buckets::table)
                        .values((
                            throttle_buckets::bucket.eq(name),
                            throttle_buckets::window_start.eq(now),
                            throttle_buckets::failures.eq(1),
                        ))
                        .execute(conn)?;
                }
            }
        }
        Ok(())
    })
}

/// Forgets the failures of a bucket (after a successful login).
pub fn throttle_reset(conn: &mut DbConn, bucket: &str) -> StoreResult<()> {
    diesel::delete(throttle_buckets::table.find(bucket)).execute(conn)?;
    Ok(())
}

/// Deletes buckets whose window ended long ago.
pub fn throttle_prune(conn: &mut DbConn, older_than: NaiveDateTime) -> StoreResult<usize> {
    Ok(diesel::delete(throttle_buckets::table.filter(throttle_buckets::window_start.lt(older_than))).execute(conn)?)
}
