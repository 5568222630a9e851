//! Cursor pagination: `?limit=&cursor=`, a `{data, next_cursor}` body and a `Link: rel="next"` header.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::platform::caching::Representation;
use crate::problem::ApiError;

pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 100;

/// The paging parameters of every list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Items per page, 1–100 (default 20). A larger value is a 400, not silently reduced.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page; opaque.
    #[param(pattern = "^[A-Za-z0-9_-]*$", max_length = 1024)]
    pub cursor: Option<String>,
}

/// A validated page request: how many rows, and where the previous page ended.
#[derive(Debug, Clone)]
pub struct PageRequest<K> {
    pub limit: i64,
    pub after: Option<K>,
}

impl<K> PageRequest<K> {
    /// Rows to fetch: one more than a page, to learn whether another page follows.
    pub fn fetch(&self) -> i64 {
        self.limit + 1
    }
}

/// The rows of `fetched` that a page of `limit` shows (the one past them only says that another
/// page follows): what a read of personal data records as read.
pub fn shown<R>(fetched: &[R], limit: i64) -> &[R] {
    &fetched[..fetched.len().min(usize::try_from(limit).unwrap_or(0))]
}

impl PageParams {
    /// Checks the limit and decodes the cursor into the list's sort key `K`.
    pub fn resolve<K: DeserializeOwned>(&self) -> Result<PageRequest<K>, ApiError> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::BadRequest(format!("limit must be between 1 and {MAX_LIMIT}, got {limit}")));
        }
        // An empty cursor is the first page, as if none were given.
        let after = self.cursor.as_deref().filter(|c| !c.is_empty()).map(decode_cursor).transpose()?;
        Ok(PageRequest { limit, after })
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub data: Vec<T>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

pub fn encode_cursor<K: Serialize>(key: &K) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).unwrap_or_default())
}

fn decode_cursor<K: DeserializeOwned>(cursor: &str) -> Result<K, ApiError> {
    let invalid =
        || ApiError::BadRequest("cursor is not valid: pass the next_cursor of the previous page unchanged".into());
    if cursor.len() > 1024 {
        return Err(invalid());
    }
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    serde_json::from_slice(&bytes).map_err(|_| invalid())
}

/// A page built from rows fetched with `PageRequest::fetch`: the items, the next cursor and the
/// `Link` header's value, for lists that answer more than `Page` (see `page_response`).
pub struct PageParts<T> {
    pub data: Vec<T>,
    pub next_cursor: Option<String>,
    pub link: Option<String>,
}

/// Splits rows into a page, where `key` gives the sort key of a row (ending with its id, so the
/// order is total).
pub fn page_parts<R, T, K>(
    req: &HttpRequest,
    page: &PageRequest<K>,
    mut rows: Vec<R>,
    key: impl Fn(&R) -> K,
    view: impl Fn(R) -> T,
) -> PageParts<T>
where
    K: Serialize,
{
    let limit = usize::try_from(page.limit).unwrap_or(usize::MAX);
    let next_cursor = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|r| encode_cursor(&key(r)))
    } else {
        None
    };
    let link = next_cursor.as_ref().map(|cursor| format!("<{}>; rel=\"next\"", next_link(req, cursor)));
    PageParts { data: rows.into_iter().map(view).collect(), next_cursor, link }
}

/// The page response (`{data, next_cursor}` and `Link`) from rows fetched with `PageRequest::fetch`.
pub fn page_response<R, T, K>(
    req: &HttpRequest,
    page: &PageRequest<K>,
    rows: Vec<R>,
    key: impl Fn(&R) -> K,
    view: impl Fn(R) -> T,
) -> HttpResponse
where
    T: Serialize,
    K: Serialize,
{
    let parts = page_parts(req, page, rows, key, view);
    let mut response = HttpResponse::Ok();
    if let Some(link) = parts.link {
        response.insert_header((header::LINK, link));
    }
    response.json(Page { data: parts.data, next_cursor: parts.next_cursor })
}

/// The same page as a public read's representation (`platform::caching`), with its `Link`.
pub fn page_representation<R, T, K>(
    req: &HttpRequest,
    page: &PageRequest<K>,
    rows: Vec<R>,
    key: impl Fn(&R) -> K,
    view: impl Fn(R) -> T,
) -> Result<Representation, ApiError>
where
    T: Serialize,
    K: Serialize,
{
    let parts = page_parts(req, page, rows, key, view);
    let representation = Representation::json(&Page { data: parts.data, next_cursor: parts.next_cursor })?;
    Ok(with_link(representation, parts.link))
}

/// The representation with a `Link` header, if there is a next page.
pub fn with_link(representation: Representation, link: Option<String>) -> Representation {
    match link.and_then(|link| HeaderValue::from_str(&link).ok()) {
        Some(link) => representation.header(header::LINK, link),
        None => representation,
    }
}

/// The request's path and query with `cursor` replaced.
fn next_link(req: &HttpRequest, cursor: &str) -> String {
    let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| k != "cursor")
        .collect();
    pairs.push(("cursor".into(), cursor.to_owned()));
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    format!("{}?{query}", req.path())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_outside_the_range_are_refused() {
        for bad in [0, -1, 101, i64::MAX] {
            let params = PageParams { limit: Some(bad), cursor: None };
            assert!(params.resolve::<String>().is_err(), "{bad}");
        }
        let params = PageParams { limit: None, cursor: None };
        assert_eq!(params.resolve::<String>().unwrap().limit, DEFAULT_LIMIT);
    }

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let cursor = encode_cursor(&("Anna".to_owned(), "0193-id".to_owned()));
        let params = PageParams { limit: Some(5), cursor: Some(cursor) };
        let page = params.resolve::<(String, String)>().unwrap();
        assert_eq!(page.after.unwrap(), ("Anna".to_owned(), "0193-id".to_owned()));
        for bad in ["!!", "bm90IGpzb24", &"A".repeat(2000)] {
            let params = PageParams { limit: None, cursor: Some(bad.to_owned()) };
            assert!(params.resolve::<(String, String)>().is_err(), "{bad}");
        }
    }
}
