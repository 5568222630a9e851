//! Public GETs: a strong `ETag` on every answer, `If-None-Match` answered 304, `Cache-Control`
//! that lets a reverse proxy or CDN hold anonymous answers for `max_age`, and an in-process cache
//! of anonymous answers that no change outlives (see `freshness`).
//!
//! A handler renders its answer into a `Representation` inside `public_get`; an anonymous
//! request that finds a fresh copy in the cache is answered from it, 304 or 200, without touching
//! the database or rendering anything. Answers to callers with a token are personal (they may see
//! more) and are neither cached here nor by proxies.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::identity::Caller;
use crate::problem::ApiError;
use crate::state::AppState;

/// How long anonymous directory answers may be held, by a proxy and by this instance's cache:
/// what a change can take to reach a visitor behind a CDN, and how old a time-dependent field
/// (the next occurrence, `stale`) can be. A change made through the API clears this instance's
/// cache at once and every other instance's within a second.
pub const DIRECTORY_MAX_AGE: Duration = Duration::from_secs(30);

/// The `If-None-Match` header of a public GET. Listed in an operation's `params(...)`, it
/// documents the header and the 304 answer in the contract; `public_get` reads it.
#[derive(Debug, Clone, utoipa::IntoParams)]
#[into_params(parameter_in = Header, names("If-None-Match"))]
#[allow(dead_code)] // Only documents: `public_get` reads the header from the request.
pub struct IfNoneMatch(
    /// The `ETag` of the copy the caller holds (or several, comma-separated): 304 without a body
    /// when the answer would be the same.
    #[param(value_type = Option<String>)]
    Option<String>,
);

/// A rendered answer and its validator.
#[derive(Debug)]
pub struct Representation {
    body: Bytes,
    content_type: HeaderValue,
    headers: Vec<(HeaderName, HeaderValue)>,
    etag: HeaderValue,
}

impl Representation {
    /// A JSON answer.
    pub fn json(value: &impl Serialize) -> Result<Self, ApiError> {
        let body = serde_json::to_vec(value).map_err(ApiError::internal)?;
        Ok(Self::bytes(body, HeaderValue::from_static("application/json")))
    }

    /// An answer of another media type (iCalendar, GeoJSON).
    pub fn bytes(body: impl Into<Bytes>, content_type: HeaderValue) -> Self {
        let body = body.into();
        let etag = quoted(&digest(&body));
        Self { body, content_type, headers: Vec::new(), etag }
    }

    /// A resource that has a `version`: its ETag starts with it (`"3-…"`), so `If-Match` on a
    /// change can compare the version while the rest still tells representations apart (the
    /// public's and the organisation's view, or the next occurrence moving on).
    pub fn versioned(mut self, version: i64) -> Self {
        self.etag = quoted(&format!("{version}-{}", digest(&self.body)));
        self
    }

    /// One more header to answer with (`Link` to the next page).
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }
}

/// The first 128 bits of the body's SHA-256, base64url: the same bytes give the same ETag on
/// every instance and after every restart.
fn digest(body: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&Sha256::digest(body)[..16])
}

fn quoted(tag: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{tag}\"")).unwrap_or_else(|_| HeaderValue::from_static("\"\""))
}

/// An anonymous answer kept in memory, for the generation of the data it was made from.
#[derive(Debug)]
struct Cached {
    generation: u64,
    stored_at: Instant,
    max_age: Duration,
    representation: Representation,
}

/// The cache of anonymous public answers, keyed by path and query, bounded by their bytes.
#[derive(Clone)]
pub struct ResponseCache(Option<Arc<quick_cache::sync::Cache<String, Arc<Cached>, ByBytes>>>);

#[derive(Clone)]
struct ByBytes;

impl quick_cache::Weighter<String, Arc<Cached>> for ByBytes {
    fn weight(&self, key: &String, value: &Arc<Cached>) -> u64 {
        (key.len() + value.representation.body.len() + 256) as u64
    }
}

impl ResponseCache {
    /// A cache holding at most `bytes` of answers; 0 turns it off.
    pub fn new(bytes: u64) -> Self {
        if bytes == 0 {
            return Self(None);
        }
        let items = (bytes / 4096).clamp(16, 1 << 20) as usize;
        Self(Some(Arc::new(quick_cache::sync::Cache::with_weighter(items, bytes, ByBytes))))
    }

    fn fresh(&self, key: &str, generation: u64) -> Option<Arc<Cached>> {
        let cached = self.0.as_ref()?.get(key)?;
        (cached.generation == generation && cached.stored_at.elapsed() < cached.max_age).then_some(cached)
    }

    fn keep(&self, key: String, cached: Arc<Cached>) {
        if let Some(cache) = &self.0 {
            cache.insert(key, cached);
        }
    }
}

impl std::fmt::Debug for ResponseCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("ResponseCache").field(&self.0.as_ref().map(|c| c.weight())).finish()
    }
}

/// Answers a public GET: from this instance's cache when the caller is anonymous and a fresh
/// copy is there; otherwise by rendering it (`render`) and keeping the anonymous answer. Either
/// way with a strong ETag, and 304 when `If-None-Match` holds it.
pub async fn public_get<F>(
    state: &AppState,
    req: &HttpRequest,
    caller: Option<&Caller>,
    max_age: Duration,
    render: F,
) -> Result<HttpResponse, ApiError>
where
    F: Future<Output = Result<Representation, ApiError>>,
{
    if caller.is_some() {
        let representation = render.await?;
        return Ok(answer(req, &representation, CacheControl::Private));
    }
    let key = req.uri().path_and_query().map_or_else(|| req.path().to_owned(), |pq| pq.as_str().to_owned());
    let generation = state.freshness.generation();
    if let Some(cached) = state.responses.fresh(&key, generation) {
        let age = cached.stored_at.elapsed();
        return Ok(answer(req, &cached.representation, CacheControl::Public { max_age, age }));
    }
    let representation = render.await?;
    let response = answer(req, &representation, CacheControl::Public { max_age, age: Duration::ZERO });
    let cached = Cached { generation, stored_at: Instant::now(), max_age, representation };
    state.responses.keep(key, Arc::new(cached));
    Ok(response)
}

enum CacheControl {
    /// Anyone's, for `max_age` from when it was made (`age` ago).
    Public { max_age: Duration, age: Duration },
    /// The caller's own: a browser may keep it but must ask again before using it.
    Private,
}

fn answer(req: &HttpRequest, representation: &Representation, cache: CacheControl) -> HttpResponse {
    let not_modified = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| matches_any(tags, &representation.etag));
    let mut response = HttpResponse::build(if not_modified { StatusCode::NOT_MODIFIED } else { StatusCode::OK });
    response.insert_header((header::ETAG, representation.etag.clone()));
    // The answer differs by who asks: a shared cache keeps the anonymous one only.
    response.append_header((header::VARY, HeaderValue::from_static("Authorization")));
    match cache {
        CacheControl::Public { max_age, age } => {
            response.insert_header((header::CACHE_CONTROL, format!("public, max-age={}", max_age.as_secs())));
            if !age.is_zero() {
                response.insert_header((header::AGE, age.as_secs().to_string()));
            }
        }
        CacheControl::Private => {
            response.insert_header((header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache")));
        }
    }
    if not_modified {
        return response.finish();
    }
    for (name, value) in &representation.headers {
        response.insert_header((name.clone(), value.clone()));
    }
    response.content_type(representation.content_type.clone()).body(representation.body.clone())
}

/// Whether an `If-None-Match` value holds `etag` (`*`, or one of a comma-separated list, compared
/// weakly as RFC 9110 asks for this header).
fn matches_any(tags: &str, etag: &HeaderValue) -> bool {
    let etag = etag.to_str().unwrap_or_default();
    tags.split(',').map(str::trim).any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_etag_is_the_bytes_digest_and_a_version_leads_it() {
        let a = Representation::json(&serde_json::json!({"name": "Sang"})).unwrap();
        let b = Representation::json(&serde_json::json!({"name": "Sang"})).unwrap();
        let c = Representation::json(&serde_json::json!({"name": "Strik"})).unwrap();
        assert_eq!(a.etag, b.etag);
        assert_ne!(a.etag, c.etag);
        let tag = a.etag.to_str().unwrap().to_owned();
        assert!(tag.starts_with('"') && tag.ends_with('"') && tag.len() == 24, "{tag}");
        let versioned = b.versioned(7);
        assert_eq!(versioned.etag.to_str().unwrap(), format!("\"7-{}", &tag[1..]));
    }

    #[test]
    fn if_none_match_compares_weakly_and_takes_lists_and_star() {
        let etag = HeaderValue::from_static("\"7-abc\"");
        for holds in ["\"7-abc\"", "W/\"7-abc\"", "\"x\", \"7-abc\"", "*"] {
            assert!(matches_any(holds, &etag), "{holds}");
        }
        for differs in ["\"7\"", "\"7-abd\"", "7-abc", ""] {
            assert!(!matches_any(differs, &etag), "{differs}");
        }
    }

    #[test]
    fn an_entry_is_fresh_in_its_generation_and_for_its_max_age_only() {
        let cache = ResponseCache::new(1 << 20);
        let representation = Representation::json(&1).unwrap();
        let cached =
            Cached { generation: 3, stored_at: Instant::now(), max_age: Duration::from_secs(30), representation };
        cache.keep("/a".into(), Arc::new(cached));
        assert!(cache.fresh("/a", 3).is_some());
        assert!(cache.fresh("/a", 4).is_none(), "another generation");
        assert!(cache.fresh("/b", 3).is_none());
        let old = Cached {
            generation: 3,
            stored_at: Instant::now() - Duration::from_secs(31),
            max_age: Duration::from_secs(30),
            representation: Representation::json(&1).unwrap(),
        };
        cache.keep("/old".into(), Arc::new(old));
        assert!(cache.fresh("/old", 3).is_none(), "past its max-age");
        assert!(ResponseCache::new(0).fresh("/a", 3).is_none(), "off");
    }
}
