//! What a request cost in database work: the statements it ran (each a round trip) and the time
//! they took, summed over its `AppState::db` calls. The access log shows both; so does a
//! `Server-Timing` header when the operator asks for it (`SAMMEN_SERVER_TIMING`), which is how the
//! tests hold each read to its budget of round trips and the benchmark counts them.

use std::cell::Cell;
use std::future::Future;
use std::time::Duration;

use actix_web::http::header::HeaderValue;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DbUse {
    pub statements: u64,
    pub time: Duration,
}

tokio::task_local! {
    static DB_USE: Cell<DbUse>;
}

/// Adds one piece of database work to the current request's total (nothing outside a request).
pub fn record(statements: u64, time: Duration) {
    let _ = DB_USE.try_with(|total| {
        let sum = total.get();
        total.set(DbUse { statements: sum.statements + statements, time: sum.time + time });
    });
}

/// Runs a request's handling and returns what it cost in database work.
pub async fn measured<F: Future>(handling: F) -> (F::Output, DbUse) {
    DB_USE
        .scope(Cell::new(DbUse::default()), async {
            let output = handling.await;
            (output, DB_USE.with(Cell::get))
        })
        .await
}

impl DbUse {
    /// The `Server-Timing` value (`db;dur=0.42;desc="1 statement"`).
    pub fn server_timing(&self) -> HeaderValue {
        let plural = if self.statements == 1 { "" } else { "s" };
        let ms = self.time.as_secs_f64() * 1000.0;
        HeaderValue::from_str(&format!("db;dur={ms:.2};desc=\"{} statement{plural}\"", self.statements))
            .unwrap_or_else(|_| HeaderValue::from_static("db"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn sums_the_work_of_one_request_only() {
        let ((), used) = measured(async {
            record(2, Duration::from_millis(1));
            record(1, Duration::from_millis(2));
        })
        .await;
        assert_eq!(used, DbUse { statements: 3, time: Duration::from_millis(3) });
        assert_eq!(used.server_timing(), "db;dur=3.00;desc=\"3 statements\"");
        // Outside a request, work is not counted anywhere (and does not fail).
        record(5, Duration::ZERO);
        let ((), fresh) = measured(async {}).await;
        assert_eq!(fresh.statements, 0);
    }
}
