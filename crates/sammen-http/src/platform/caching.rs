//! Public GETs: a strong `ETag` on every answer, `If-None-Match` answered 304, `Cache-Control`
//! that lets a reverse proxy or CDN hold anonymous answers for `max_age`, and an in-process cache
//! of anonymous answers that no change outlives (see `freshness`).
//!
//! A handler renders its answer into a `Representation` inside `public_get`; an anonymous
//! request that finds a fresh copy in the cache is answered from it, 304 or 200, without touching
//! the database or rendering anything. Answers to callers with a token are personal (they may see
//! more) and are neither cached here nor by proxies.

use std::collections::HashMap;
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
pub struct ResponseCache(Option<Arc<Shared>>);

struct Shared {
    answers: quick_cache::sync::Cache<String, Arc<Cached>, ByBytes>,
    /// The keys being rendered now: one request renders a missing answer while the others for
    /// the same key wait for it, so an expired popular answer is not rendered 32 times at once.
    filling: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

/// Held while a request renders the answer for its key.
struct Filling {
    cache: Arc<Shared>,
    key: String,
    lock: Arc<tokio::sync::Mutex<()>>,
    guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Drop for Filling {
    fn drop(&mut self) {
        let mut filling = self.cache.filling.lock().unwrap_or_else(|e| e.into_inner());
        drop(self.guard.take());
        // The map's and this one: nobody else waits for the key any more.
        if Arc::strong_count(&self.lock) <= 2 {
            filling.remove(&self.key);
        }
    }
}

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
        let answers = quick_cache::sync::Cache::with_weighter(items, bytes, ByBytes);
        Self(Some(Arc::new(Shared { answers, filling: Default::default() })))
    }

    fn fresh(&self, key: &str, generation: u64) -> Option<Arc<Cached>> {
        let cached = self.0.as_ref()?.answers.get(key)?;
        (cached.generation == generation && cached.stored_at.elapsed() < cached.max_age).then_some(cached)
    }

    fn keep(&self, key: String, cached: Arc<Cached>) {
        if let Some(cache) = &self.0 {
            cache.answers.insert(key, cached);
        }
    }

    /// Waits until no other request renders `key`, then holds it for this one (nothing to wait
    /// for when the cache is off).
    async fn fill(&self, key: &str) -> Option<Filling> {
        let cache = self.0.as_ref()?;
        let lock = cache.filling.lock().unwrap_or_else(|e| e.into_inner()).entry(key.to_owned()).or_default().clone();
        let guard = lock.clone().lock_owned().await;
        Some(Filling { cache: cache.clone(), key: key.to_owned(), lock, guard: Some(guard) })
    }

    /// The answer for `key` fresh in the current `generation`: kept, or rendered by this request
    /// while others for the same key wait for it, and kept.
    async fn get_or_render<F>(
        &self,
        key: String,
        generation: impl Fn() -> u64,
        max_age: Duration,
        render: F,
    ) -> Result<Arc<Cached>, ApiError>
    where
        F: Future<Output = Result<Representation, ApiError>>,
    {
        if let Some(cached) = self.fresh(&key, generation()) {
            return Ok(cached);
        }
        let _filling = self.fill(&key).await;
        // Another request may have rendered it meanwhile.
        let generation = generation();
        if let Some(cached) = self.fresh(&key, generation) {
            return Ok(cached);
        }
        let representation = render.await?;
        let cached = Arc::new(Cached { generation, stored_at: Instant::now(), max_age, representation });
        self.keep(key, cached.clone());
        Ok(cached)
    }
}

impl std::fmt::Debug for ResponseCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("ResponseCache").field(&self.0.as_ref().map(|c| c.answers.weight())).finish()
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
    let cached = state.responses.get_or_render(key, || state.freshness.generation(), max_age, render).await?;
    let age = cached.stored_at.elapsed();
    Ok(answer(req, &cached.representation, CacheControl::Public { max_age, age }))
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
            if age.as_secs() > 0 {
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

    #[actix_web::test]
    async fn many_requests_for_a_missing_answer_render_it_once() {
        let cache = ResponseCache::new(1 << 20);
        let renders = std::sync::atomic::AtomicUsize::new(0);
        let render = || async {
            renders.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
            Representation::json(&"answer")
        };
        let ask = || cache.get_or_render("/a".into(), || 1, Duration::from_secs(30), render());
        let answers = futures_util::future::join_all((0..10).map(|_| ask())).await;
        assert!(answers.iter().all(|a| a.as_ref().unwrap().representation.body == "\"answer\""));
        assert_eq!(renders.load(std::sync::atomic::Ordering::SeqCst), 1);
        // In another generation (something changed), it is rendered again, once.
        let again = futures_util::future::join_all(
            (0..10).map(|_| cache.get_or_render("/a".into(), || 2, Duration::from_secs(30), render())),
        )
        .await;
        assert!(again.iter().all(Result::is_ok));
        assert_eq!(renders.load(std::sync::atomic::Ordering::SeqCst), 2);
        assert!(cache.0.as_ref().unwrap().filling.lock().unwrap().is_empty(), "nobody waits any more");
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
