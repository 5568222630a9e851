//! The grant pool's change feed: public pools and awards changed since an instant, oldest first,
//! for programs that keep a copy. Three streams, each read by its own index-friendly keyset query
//! and merged here: pools by `updated_at`, awards by `updated_at` (every transition moves it),
//! and paid tranches by `paid_at` (a payment moves an award's disbursed amount without touching
//! the application's row). Each stream reads at most `limit` rows after the cursor, so the merged
//! first `limit` are exactly the feed's next page.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sammen_domain::grants::money::TrancheStatus;
use sammen_domain::grants::pool::PoolStatus;
use sammen_domain::ids::{GrantApplicationId, GrantPoolId, GrantTrancheId};

use super::{ApplicationRow, Award, PUBLIC_AWARD, Pool, Round};
use crate::DbConn;
use crate::error::StoreResult;
use crate::schema::{grant_applications, grant_pools, grant_rounds, grant_tranches, organisations};

/// The streams, in the order entries of the same instant are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedStream {
    /// An award's row changed (a transition).
    Grant,
    /// A tranche of an award was paid.
    Payment,
    /// A pool changed.
    Pool,
}

/// Where a feed page starts: after the entry with this (instant, stream, key). The key is the
/// pool's, the application's or the tranche's id.
pub type FeedKey = (NaiveDateTime, FeedStream, String);

/// What changed.
#[derive(Debug, Clone)]
pub enum FeedItem {
    Pool(Pool),
    Award(Box<Award>),
}

/// One entry of the feed.
#[derive(Debug, Clone)]
pub struct FeedEntry {
    pub at: NaiveDateTime,
    pub stream: FeedStream,
    /// The cursor key's last part (see `FeedKey`).
    pub key: String,
    pub item: FeedItem,
}

impl FeedEntry {
    pub fn cursor(&self) -> FeedKey {
        (self.at, self.stream, self.key.clone())
    }
}

/// How a stream's keyset continues after `after`: rows at the same instant come after the
/// cursor only in a later stream, or in the same stream with a greater key.
enum Continue<'a> {
    All,
    /// Only strictly later instants.
    Later(NaiveDateTime),
    /// At the instant or later.
    From(NaiveDateTime),
    /// Later, or at the instant with a key greater than this.
    After(NaiveDateTime, &'a str),
}

fn continue_after(after: Option<&FeedKey>, stream: FeedStream) -> Continue<'_> {
    match after {
        None => Continue::All,
        Some((at, s, _)) if *s > stream => Continue::Later(*at),
        Some((at, s, _)) if *s < stream => Continue::From(*at),
        Some((at, _, key)) => Continue::After(*at, key),
    }
}

/// Public pools and awards changed at or after `since`, after the cursor `after`, oldest first,
/// at most `limit` entries.
pub fn grant_changes(
    conn: &mut DbConn,
    since: NaiveDateTime,
    after: Option<&FeedKey>,
    limit: i64,
) -> StoreResult<Vec<FeedEntry>> {
    let mut entries: Vec<(NaiveDateTime, FeedStream, String, Option<GrantApplicationId>)> = Vec::new();

    // Pools: published or closed.
    let mut pools = grant_pools::table
        .filter(grant_pools::status.ne(PoolStatus::Draft.as_str()))
        .filter(grant_pools::updated_at.ge(since))
        .order((grant_pools::updated_at, grant_pools::id))
        .limit(limit)
        .select(Pool::as_select())
        .into_boxed();
    pools = match continue_after(after, FeedStream::Pool) {
        Continue::All => pools,
        Continue::Later(at) => pools.filter(grant_pools::updated_at.gt(at)),
        Continue::From(at) => pools.filter(grant_pools::updated_at.ge(at)),
        Continue::After(at, key) => pools.filter(
            grant_pools::updated_at.gt(at).or(grant_pools::updated_at.eq(at).and(grant_pools::id.gt(key.to_owned()))),
        ),
    };
    let pools: Vec<Pool> = pools.load(conn)?;
    let mut pools_by_id: HashMap<GrantPoolId, Pool> = HashMap::new();
    for pool in pools {
        entries.push((pool.updated_at, FeedStream::Pool, pool.id.as_str().to_owned(), None));
        pools_by_id.insert(pool.id.clone(), pool);
    }

    // Awards whose row changed.
    let mut awards = grant_applications::table
        .inner_join(grant_pools::table.on(grant_pools::id.eq(grant_applications::pool_id)))
        .filter(grant_applications::status.eq_any(PUBLIC_AWARD.map(|s| s.as_str())))
        .filter(grant_pools::status.ne(PoolStatus::Draft.as_str()))
        .filter(grant_applications::updated_at.ge(since))
        .order((grant_applications::updated_at, grant_applications::id))
        .limit(limit)
        .select((grant_applications::updated_at, grant_applications::id))
        .into_boxed();
    awards = match continue_after(after, FeedStream::Grant) {
        Continue::All => awards,
        Continue::Later(at) => awards.filter(grant_applications::updated_at.gt(at)),
        Continue::From(at) => awards.filter(grant_applications::updated_at.ge(at)),
        Continue::After(at, key) => awards.filter(
            grant_applications::updated_at
                .gt(at)
                .or(grant_applications::updated_at.eq(at).and(grant_applications::id.gt(key.to_owned()))),
        ),
    };
    let awards: Vec<(NaiveDateTime, GrantApplicationId)> = awards.load(conn)?;
    for (at, id) in awards {
        entries.push((at, FeedStream::Grant, id.as_str().to_owned(), Some(id)));
    }

    // Payments of awards.
    let mut payments = grant_tranches::table
        .inner_join(
            grant_applications::table
                .inner_join(grant_pools::table.on(grant_pools::id.eq(grant_applications::pool_id))),
        )
        .filter(grant_tranches::status.eq(TrancheStatus::Paid.as_str()))
        .filter(grant_applications::status.eq_any(PUBLIC_AWARD.map(|s| s.as_str())))
        .filter(grant_pools::status.ne(PoolStatus::Draft.as_str()))
        .filter(grant_tranches::paid_at.ge(since))
        .order((grant_tranches::paid_at, grant_tranches::id))
        .limit(limit)
        .select((grant_tranches::paid_at, grant_tranches::id, grant_tranches::application_id))
        .into_boxed();
    payments = match continue_after(after, FeedStream::Payment) {
        Continue::All => payments,
        Continue::Later(at) => payments.filter(grant_tranches::paid_at.gt(at)),
        Continue::From(at) => payments.filter(grant_tranches::paid_at.ge(at)),
        Continue::After(at, key) => payments.filter(
            grant_tranches::paid_at
                .gt(at)
                .or(grant_tranches::paid_at.eq(at).and(grant_tranches::id.gt(key.to_owned()))),
        ),
    };
    let payments: Vec<(Option<NaiveDateTime>, GrantTrancheId, GrantApplicationId)> = payments.load(conn)?;
    for (at, tranche, application) in payments {
        // `paid_at >= since` holds, so it is set.
        if let Some(at) = at {
            entries.push((at, FeedStream::Payment, tranche.as_str().to_owned(), Some(application)));
        }
    }

    entries.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
    entries.truncate(usize::try_from(limit).unwrap_or(0));

    let mut ids: Vec<String> = entries.iter().filter_map(|e| e.3.as_ref().map(|id| id.as_str().to_owned())).collect();
    ids.sort_unstable();
    ids.dedup();
    let awards = awards_by_ids(conn, ids)?;
    Ok(entries
        .into_iter()
        .filter_map(|(at, stream, key, application)| {
            // An award that stopped being public between the two reads is left out.
            let item = match application {
                Some(id) => FeedItem::Award(Box::new(awards.get(&id)?.clone())),
                None => FeedItem::Pool(pools_by_id.remove(&GrantPoolId::from_stored(key.clone()))?),
            };
            Some(FeedEntry { at, stream, key, item })
        })
        .collect())
}

/// The public awards among `ids`, with their payments and reclaims (three statements).
fn awards_by_ids(conn: &mut DbConn, ids: Vec<String>) -> StoreResult<HashMap<GrantApplicationId, Award>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<super::public::AwardRow> = grant_applications::table
        .inner_join(organisations::table)
        .inner_join(grant_rounds::table.inner_join(grant_pools::table))
        .filter(grant_applications::status.eq_any(PUBLIC_AWARD.map(|s| s.as_str())))
        .filter(grant_pools::status.ne(PoolStatus::Draft.as_str()))
        .filter(grant_applications::id.eq_any(&ids))
        .select((
            ApplicationRow::as_select(),
            (organisations::id, organisations::name, organisations::kind, organisations::cvr),
            Pool::as_select(),
            Round::as_select(),
        ))
        .load(conn)?;
    Ok(super::public::with_money(conn, rows)?.into_iter().map(|a| (a.application.id.clone(), a)).collect())
}
