//! The public listing: published activities matching a search, in one of its orders, with facet
//! counts. The filters are one macro applied to the listing and to each facet's count, so the
//! two cannot disagree; what PostgreSQL and SQLite spell differently comes from the dialect.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sammen_domain::directory::search::{ActivityListing, ActivitySearch, Facet, ListingKey, ListingSort, Near};
use sammen_domain::ids::ActivityId;

use super::listed::{ListedActivity, ListedRow};
use crate::dialect::Backend;
use crate::dialect::DbConn;
use crate::dialect::sql::activity_codes;
use crate::error::StoreResult;
use crate::schema::{
    activities, activity_housing_areas, activity_languages, activity_occurrences, activity_terms, organisations,
};

/// One hit: the listed activity, where it is in the listing's order (for the next page's
/// cursor), and its distance in metres from the search's point, if one was given.
pub struct SearchHit {
    pub activity: ListedActivity,
    pub key: ListingKey,
    pub distance_m: Option<f64>,
}

type Boxed<'a> = activities::BoxedQuery<'a, crate::dialect::MultiBackend>;

/// Applies every filter of `search` to a boxed query whose source includes `activities` (the
/// listing itself, or a join for facet counts). A macro, so each use gets its own query type.
macro_rules! apply_filters {
    ($query:expr, $search:expr, $backend:expr) => {{
        use crate::dialect::sql::{Codes, has_any_code, occurs_on_any, published, text_matches, within};
        use diesel::dsl::exists;
        let search: &ActivitySearch = $search;
        let backend: Backend = $backend;
        let mut query = $query.filter(published());
        for word in &search.words {
            query = query.filter(text_matches(backend, word));
        }
        if !search.organisations.is_empty() {
            let ids: Vec<String> = search.organisations.iter().map(|o| o.as_str().to_owned()).collect();
            query = query.filter(activities::organisation_id.eq_any(ids));
        }
        for (vocabulary, codes) in &search.terms {
            if !codes.is_empty() {
                query = query.filter(has_any_code(backend, Codes::Terms(vocabulary.as_str()), codes));
            }
        }
        if !search.languages.is_empty() {
            query = query.filter(has_any_code(backend, Codes::Languages, &search.languages));
        }
        if !search.housing_areas.is_empty() {
            query = query.filter(exists(
                activity_housing_areas::table
                    .filter(activity_housing_areas::activity_id.eq(activities::id))
                    .filter(activity_housing_areas::housing_area_code.eq_any(search.housing_areas.clone())),
            ));
        }
        if !search.modes.is_empty() {
            query = query.filter(activities::mode.eq_any(search.modes.iter().map(|m| m.as_str()).collect::<Vec<_>>()));
        }
        match search.districts.as_slice() {
            [] => {}
            // One district as an equality, so PostgreSQL can read its rows in name order from
            // the (district_code, name, id) index.
            [district] => query = query.filter(activities::district_code.eq(district.clone())),
            districts => query = query.filter(activities::district_code.eq_any(districts.to_vec())),
        }
        if !search.postcodes.is_empty() {
            query = query.filter(activities::postcode.eq_any(search.postcodes.clone()));
        }
        match search.free {
            Some(true) => query = query.filter(activities::cost_ore.eq(0)),
            Some(false) => query = query.filter(activities::cost_ore.gt(0)),
            None => {}
        }
        if let Some(seeks) = search.seeks_volunteers {
            query = query.filter(activities::seeks_volunteers.eq(seeks));
        }
        if let Some(has_capacity) = search.has_capacity {
            query = query.filter(activities::is_full.eq(!has_capacity));
        }
        if let Some((from, to)) = search.start_minutes {
            query = query.filter(activities::start_minute.between(from, to));
        }
        if let Some(o) = &search.occurring {
            let occurrences = activity_occurrences::table
                .filter(activity_occurrences::activity_id.eq(activities::id))
                .filter(activity_occurrences::starts_at.ge(o.from))
                .filter(activity_occurrences::starts_at.lt(o.until));
            query = if o.weekdays.is_empty() {
                query.filter(exists(occurrences))
            } else {
                query
                    .filter(occurs_on_any(&o.weekdays))
                    .filter(exists(occurrences.filter(activity_occurrences::weekday.eq_any(o.weekdays.clone()))))
            };
        }
        if let Some(n) = search.near {
            query = query.filter(within(backend, n.centre(), n.radius_m));
        }
        query
    }};
}

/// The published activities matching `search`, as a query to select columns from.
pub(in crate::directory) fn published_matching(search: &ActivitySearch, backend: Backend) -> Boxed<'static> {
    apply_filters!(activities::table.into_boxed(), search, backend)
}

/// Where a page nearest first is looked for first when no index orders by distance (SQLite): in
/// a dense city this circle holds a page already.
const NEAREST_FIRST_LOOK_M: f64 = 250.0;

/// A listed row, its codes, and its key in the listing's order: a rank or a distance, or a next
/// start.
type KeyedRow = (ListedRow, Option<String>, Option<f64>, Option<NaiveDateTime>);

/// One page of the public listing: published activities matching `listing.search` in its
/// order, after the key `after` (which the caller checked belongs to that order). One statement:
/// the listed columns, the organisation's name, the codes and the order's key together.
pub fn search_activities(
    conn: &mut DbConn,
    listing: &ActivityListing,
    after: Option<&ListingKey>,
    limit: i64,
) -> StoreResult<Vec<SearchHit>> {
    let (search, backend) = (&listing.search, conn.backend());
    if search.near.is_some_and(|n| !n.reaches_denmark()) {
        return Ok(Vec::new());
    }
    let matching = |search: &ActivitySearch| {
        apply_filters!(activities::table.inner_join(organisations::table).into_boxed(), search, backend)
    };
    let in_page = crate::dialect::sql::page_codes(backend).is_some();
    let codes = || crate::dialect::sql::page_codes(backend).unwrap_or_else(|| crate::dialect::Sql::fixed("NULL"));
    let gt_id = |id: &ActivityId| activities::id.gt(id.as_str().to_owned());
    let sort = listing.sort;
    let keyed: Vec<KeyedRow> = match (sort, search.near) {
        (ListingSort::Distance, Some(n)) => {
            let key = || crate::dialect::sql::distance_order(backend, n.centre());
            let after_key = || match after {
                Some(ListingKey::Distance(k, id)) => Some(key().gt(*k).or(key().eq(*k).and(gt_id(id)))),
                _ => None,
            };
            let page = |search: &ActivitySearch| {
                let query = matching(search).select((ListedRow::as_select(), codes(), key()));
                let query = query.order((key().asc(), activities::id.asc())).limit(limit);
                match after_key() {
                    Some(after) => query.filter(after),
                    None => query,
                }
            };
            // The distance of this page's last row, by index, bounds what is sorted.
            let nearest = || {
                let mut nearest = apply_filters!(activities::table.into_boxed(), search, backend);
                if let Some(after) = after_key() {
                    nearest = nearest.filter(after);
                }
                nearest.select(key()).order(key().asc()).offset(limit - 1).single_value()
            };
            let rows = match crate::dialect::sql::nearest_page(backend, n.centre(), n.radius_m, nearest) {
                Some(bound) => page(search).filter(bound).load::<(ListedRow, Option<String>, f64)>(conn)?,
                None => {
                    // No index walks the points in order of distance: look within a small circle
                    // first, four times wider while it holds less than a page. Every match that
                    // near is in the circle, so once it holds a page, that page is the nearest.
                    let mut within = search.clone();
                    let mut look = NEAREST_FIRST_LOOK_M.min(n.radius_m);
                    loop {
                        within.near = Some(Near { radius_m: look, ..n });
                        let rows = page(&within).load::<(ListedRow, Option<String>, f64)>(conn)?;
                        if rows.len() as i64 >= limit || look >= n.radius_m {
                            break rows;
                        }
                        look = (look * 4.0).min(n.radius_m);
                    }
                }
            };
            rows.into_iter().map(|(r, codes, k)| (r, codes, Some(k), None)).collect()
        }
        (ListingSort::Relevance, _) => {
            let rank = || crate::dialect::sql::text_rank(backend, &search.words);
            let mut query = matching(search)
                .select((ListedRow::as_select(), codes(), rank()))
                .order((rank().desc(), activities::id.asc()));
            if let Some(ListingKey::Relevance(k, id)) = after {
                query = query.filter(rank().lt(*k).or(rank().eq(*k).and(gt_id(id))));
            }
            let rows = query.limit(limit).load::<(ListedRow, Option<String>, f64)>(conn)?;
            rows.into_iter().map(|(r, codes, k)| (r, codes, Some(k), None)).collect()
        }
        (ListingSort::NextOccurrence, _) => {
            let next = activities::next_occurrence_at;
            // Activities without a coming occurrence last; on PostgreSQL this walks the
            // (status, next_occurrence_at, id) index (a sort of every match took 200 ms at 100,000).
            let mut query =
                matching(search).order((crate::dialect::sql::next_occurrence_ascending(), activities::id.asc()));
            query = match after {
                Some(ListingKey::Next(Some(at), id)) => {
                    query.filter(next.is_null().or(next.gt(*at)).or(next.eq(*at).and(gt_id(id))))
                }
                Some(ListingKey::Next(None, id)) => query.filter(next.is_null().and(gt_id(id))),
                _ => query,
            };
            let rows = query.select((ListedRow::as_select(), codes(), next)).limit(limit).load::<(
                ListedRow,
                Option<String>,
                Option<NaiveDateTime>,
            )>(conn)?;
            rows.into_iter().map(|(r, codes, at)| (r, codes, None, at)).collect()
        }
        _ => {
            let mut query = matching(search).order((activities::name.asc(), activities::id.asc()));
            if let Some(ListingKey::Name(name, id)) = after {
                query = query
                    .filter(activities::name.gt(name.clone()).or(activities::name.eq(name.clone()).and(gt_id(id))));
            }
            let rows = query
                .select((ListedRow::as_select(), codes()))
                .limit(limit)
                .load::<(ListedRow, Option<String>)>(conn)?;
            rows.into_iter().map(|(r, codes)| (r, codes, None, None)).collect()
        }
    };
    let mut keyed = keyed;
    if !in_page {
        codes_after_the_page(conn, &mut keyed)?;
    }
    keyed
        .into_iter()
        .map(|(row, codes, rank_or_distance, next_start)| {
            let (activity, grid) = row.into_listed(codes.as_deref())?;
            let distance_m = search.near.zip(grid).map(|(n, grid)| n.distance_m(&grid));
            let id = activity.id.clone();
            let key = match (sort, rank_or_distance) {
                (ListingSort::Distance, Some(d)) => ListingKey::Distance(d, id),
                (ListingSort::Relevance, Some(rank)) => ListingKey::Relevance(rank, id),
                (ListingSort::NextOccurrence, _) => ListingKey::Next(next_start, id),
                _ => ListingKey::Name(activity.name.clone(), id),
            };
            Ok(SearchHit { activity, key, distance_m })
        })
        .collect()
}

/// Fills in the codes of a page's rows in one more statement, for a database whose page
/// statement cannot carry them (`sql::page_codes`).
fn codes_after_the_page(conn: &mut DbConn, page: &mut [KeyedRow]) -> StoreResult<()> {
    let ids: Vec<&str> = page.iter().map(|(row, ..)| row.id()).collect();
    let codes: HashMap<String, Option<String>> = activities::table
        .filter(activities::id.eq_any(ids))
        .select((activities::id, activity_codes(conn.backend())))
        .load::<(String, Option<String>)>(conn)?
        .into_iter()
        .collect();
    for (row, row_codes, ..) in page {
        *row_codes = codes.get(row.id()).cloned().flatten();
    }
    Ok(())
}

/// A value of a facet and how many activities have it.
pub type FacetValue = (String, i64);

/// Counts per value of each of `facets` among the published activities matching `search`, all in
/// one statement. Each facet is counted without its own filter (`ActivitySearch::without`), so
/// choosing one target group still shows how many the others would give. Values with no activity
/// are left out; the most frequent come first.
pub fn facet_counts(
    conn: &mut DbConn,
    search: &ActivitySearch,
    facets: &[Facet],
) -> StoreResult<Vec<(Facet, Vec<FacetValue>)>> {
    use diesel::dsl::count_star;
    use diesel::sql_types::{BigInt, Text};
    let backend = conn.backend();
    let mut union = crate::dialect::UnionAll::<(Text, Text, BigInt)>::new();
    // The facet's name as a bound value, so the rows say which facet they count.
    let name = |facet: Facet| crate::dialect::Sql::<Text>::new("").text(facet.name());
    for &facet in facets {
        let search = &search.without(facet);
        union = match facet {
            Facet::District => union.part(apply_filters!(
                activities::table
                    .filter(activities::district_code.is_not_null())
                    .group_by(activities::district_code)
                    .select((name(facet), activities::district_code.assume_not_null(), count_star()))
                    .into_boxed(),
                search,
                backend
            )),
            Facet::Mode => union.part(apply_filters!(
                activities::table
                    .group_by(activities::mode)
                    .select((name(facet), activities::mode, count_star()))
                    .into_boxed(),
                search,
                backend
            )),
            Facet::Language => union.part(apply_filters!(
                activity_languages::table
                    .inner_join(activities::table)
                    .group_by(activity_languages::language)
                    .select((name(facet), activity_languages::language, count_star()))
                    .into_boxed(),
                search,
                backend
            )),
            Facet::Term(vocabulary) => union.part(apply_filters!(
                activity_terms::table
                    .inner_join(activities::table)
                    .filter(activity_terms::vocabulary.eq(vocabulary.as_str()))
                    .group_by(activity_terms::code)
                    .select((name(facet), activity_terms::code, count_star()))
                    .into_boxed(),
                search,
                backend
            )),
        };
    }
    let mut counts: Vec<(Facet, Vec<FacetValue>)> = facets.iter().map(|f| (*f, Vec::new())).collect();
    if union.is_empty() || search.near.is_some_and(|n| !n.reaches_denmark()) {
        return Ok(counts);
    }
    for (facet, code, count) in union.load::<(String, String, i64)>(conn)? {
        if let Some((_, values)) = counts.iter_mut().find(|(f, _)| f.name() == facet) {
            values.push((code, count));
        }
    }
    for (_, values) in &mut counts {
        values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    }
    Ok(counts)
}
