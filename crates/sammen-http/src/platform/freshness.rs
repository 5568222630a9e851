//! Which generation of the public data this instance's caches hold, so no cache outlives a
//! change by more than a stated bound.
//!
//! The generation moves on at once when this instance commits a change (`AppState::db` sees every
//! commit), and within `POLL_EVERY` when the database says the data moved: each area has a
//! version number in `data_versions` that triggers move in the same transaction as any change to
//! its tables, so changes made through other instances, the command line or the occurrence
//! sweep are seen too. A cached value is used only in the generation it was made in.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use crate::state::AppState;

/// How often each instance reads the data versions: the bound on how long another instance's
/// change can go unseen by this one's caches.
pub const POLL_EVERY: Duration = Duration::from_secs(1);

#[derive(Debug, Default)]
pub struct Freshness {
    generation: AtomicU64,
    /// The data versions as last read from the database.
    seen: Mutex<Vec<(String, i64)>>,
}

impl Freshness {
    /// The current generation; read it before reading the data a cached value is made of.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// A change was committed (here, or somewhere this instance was told of).
    pub fn changed(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// The data versions the database holds now: a difference from the last reading moves the
    /// generation on.
    pub fn observe(&self, versions: Vec<(String, i64)>) {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if *seen != versions {
            *seen = versions;
            self.changed();
        }
    }
}

/// Reads the data versions every `POLL_EVERY`, for as long as the server runs. While the
/// database cannot be read nothing can change there either (for this instance's part); cached
/// responses still expire after their `max-age`, and the first reading afterwards compares with
/// the last one before.
pub async fn watch(state: AppState) {
    let start = actix_web::rt::time::Instant::now() + POLL_EVERY;
    let mut every = actix_web::rt::time::interval_at(start, POLL_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        read_versions(&state).await;
    }
}

/// Reads the data versions once: at start, before the server answers anything (so the first
/// reading of `watch` has one to compare with), and then from `watch`.
pub async fn read_versions(state: &AppState) {
    if let Ok(versions) = state.db(sammen_store::platform::data_versions).await {
        state.freshness.observe(versions);
    }
}

/// One value computed from the database and kept for the generation it was computed in (the
/// taxonomy's codes, which every listing checks its filters against).
#[derive(Debug)]
pub struct Memo<T> {
    slot: RwLock<Option<(u64, Arc<T>)>>,
}

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Self { slot: RwLock::new(None) }
    }
}

impl<T> Memo<T> {
    /// The value, if it was computed in `generation`.
    pub fn get(&self, generation: u64) -> Option<Arc<T>> {
        let slot = self.slot.read().unwrap_or_else(|e| e.into_inner());
        slot.as_ref().filter(|(made_in, _)| *made_in == generation).map(|(_, value)| value.clone())
    }

    /// Keeps `value`, computed from data read after `generation` was current.
    pub fn put(&self, generation: u64, value: Arc<T>) {
        *self.slot.write().unwrap_or_else(|e| e.into_inner()) = Some((generation, value));
    }

    /// The value of `generation` (read it before `load` reads the database): kept, or loaded and
    /// kept.
    pub fn get_or_load<E>(&self, generation: u64, load: impl FnOnce() -> Result<T, E>) -> Result<Arc<T>, E> {
        if let Some(value) = self.get(generation) {
            return Ok(value);
        }
        let value = Arc::new(load()?);
        self.put(generation, value.clone());
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_reading_of_the_versions_moves_the_generation_once() {
        let freshness = Freshness::default();
        let start = freshness.generation();
        freshness.observe(vec![("directory".into(), 7)]);
        let first = freshness.generation();
        assert!(first > start);
        freshness.observe(vec![("directory".into(), 7)]);
        assert_eq!(freshness.generation(), first, "the same versions again: nothing moved");
        freshness.observe(vec![("directory".into(), 8)]);
        assert!(freshness.generation() > first);
    }

    #[test]
    fn a_memo_answers_only_in_the_generation_it_was_made_in() {
        let freshness = Freshness::default();
        let memo = Memo::default();
        let made_in = freshness.generation();
        memo.put(made_in, Arc::new("codes"));
        assert_eq!(memo.get(freshness.generation()).as_deref(), Some(&"codes"));
        freshness.changed();
        assert_eq!(memo.get(freshness.generation()), None);
    }
}
