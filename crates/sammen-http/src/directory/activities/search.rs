//! `GET /activities`: the public listing, its page and its facet counts. The parameters and
//! their checks are the domain's (`sammen_domain::directory::search`).

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::Utc;
use sammen_domain::directory::schedule::local_date;
use sammen_domain::directory::search::{ListingKey, ListingParams};
use sammen_store::directory as store;
use serde::Serialize;
use utoipa::ToSchema;

use super::views::{ActivityListItem, list_item};
use crate::identity::MaybeCaller;
use crate::platform::caching::{DIRECTORY_MAX_AGE, IfNoneMatch, Representation, public_get};
use crate::platform::extract::Query;
use crate::platform::pagination::{PageParams, page_parts, with_link};
use crate::problem::ApiError;
use crate::state::AppState;

/// How many matching activities have one value of a facet.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetCount {
    pub code: String,
    pub count: i64,
}

/// A page of the listing, with the facet counts asked for.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityPage {
    pub data: Vec<ActivityListItem>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
    /// Per facet asked for (`facets=`), the values with their counts, most first.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub facets: BTreeMap<String, Vec<FacetCount>>,
}

/// Search the public listing of activities.
///
/// Published activities only, for anyone. Free text `q` (best match first); filters on every
/// vocabulary, organisation, language, mode, district, postcode, housing area, price, free places
/// and volunteer need, on weekdays and dates (the real occurrences: cancellations, pauses and
/// skipped holidays don't count) and on the start time; different parameters combine with AND,
/// repeated values of one parameter with OR. With `lat` and `lon` it searches within `radius_m`,
/// each result with `distance_m`, nearest first unless `q` orders by relevance.
/// `sort=next_occurrence` puts the soonest first. `facets=` adds counts per value. Cursor
/// pagination. Each item is what a result row shows; the whole activity is at
/// `GET /activities/{id}`. Anonymous answers may be cached for 30 seconds (`Cache-Control`).
#[utoipa::path(
    tag = "directory",
    params(ListingParams, PageParams, IfNoneMatch),
    responses((status = 200, description = "A page of activities, with facet counts when asked for", body = ActivityPage,
        headers(("Link" = String, description = "`<...>; rel=\"next\"` when another page follows")))),
    security(())
)]
#[get("/activities")]
pub async fn list_activities(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: MaybeCaller,
    query: Query<ListingParams>,
    params: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    public_get(&state, &req, caller.0.as_ref(), DIRECTORY_MAX_AGE, render_page(&state, &req, query, params)).await
}

async fn render_page(
    state: &AppState,
    req: &HttpRequest,
    query: Query<ListingParams>,
    params: Query<PageParams>,
) -> Result<Representation, ApiError> {
    let page = params.resolve::<ListingKey>()?;
    let (params, after, fetch, today) = (query.into_inner(), page.after.clone(), page.fetch(), local_date(Utc::now()));
    let (known_codes, generation) = (state.known_codes.clone(), state.freshness.generation());
    let (hits, counts) = state
        .db(move |conn| {
            let known = known_codes.get_or_load(generation, || store::known_codes(conn))?;
            let listing = params.into_listing(&known, today)?;
            let after = listing.resume_after(after)?;
            let hits = store::search_activities(conn, &listing, after.as_ref(), fetch)?;
            let mut counts = BTreeMap::new();
            if !listing.facets.is_empty() {
                for (facet, values) in store::facet_counts(conn, &listing.search, &listing.facets)? {
                    let values = values.into_iter().map(|(code, count)| FacetCount { code, count }).collect();
                    counts.insert(facet.name().to_owned(), values);
                }
            }
            Ok::<_, ApiError>((hits, counts))
        })
        .await?;
    let parts = page_parts(req, &page, hits, |hit| hit.key.clone(), |hit| list_item(hit.activity, hit.distance_m));
    let representation =
        Representation::json(&ActivityPage { data: parts.data, next_cursor: parts.next_cursor, facets: counts })?;
    Ok(with_link(representation, parts.link))
}

/// The first `limit` activities of a listing, for the feeds that take the listing's parameters
/// without paging (calendar, map).
pub async fn first_of_listing(
    state: &AppState,
    params: ListingParams,
    limit: i64,
) -> Result<Vec<store::ListedActivity>, ApiError> {
    let today = local_date(Utc::now());
    let (known_codes, generation) = (state.known_codes.clone(), state.freshness.generation());
    state
        .db(move |conn| {
            let known = known_codes.get_or_load(generation, || store::known_codes(conn))?;
            let listing = params.into_listing(&known, today)?;
            let hits = store::search_activities(conn, &listing, None, limit)?;
            Ok::<_, ApiError>(hits.into_iter().map(|hit| hit.activity).collect())
        })
        .await
}
