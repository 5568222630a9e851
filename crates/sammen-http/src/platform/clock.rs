//! The server's clock: what decides whether a round is open. Tests set it to an instant (a
//! second before a deadline, a second after) instead of sleeping; production reads the system's.

use std::sync::{Arc, Mutex};

use chrono::NaiveDateTime;

#[derive(Debug, Clone, Default)]
pub struct Clock {
    fixed: Arc<Mutex<Option<NaiveDateTime>>>,
}

impl Clock {
    /// Now, in UTC as stored.
    pub fn now(&self) -> NaiveDateTime {
        self.fixed.lock().ok().and_then(|f| *f).unwrap_or_else(sammen_store::now)
    }

    /// Stops the clock at `at` (`None`: the system's clock again). For tests.
    pub fn set(&self, at: Option<NaiveDateTime>) {
        if let Ok(mut fixed) = self.fixed.lock() {
            *fixed = at;
        }
    }
}
