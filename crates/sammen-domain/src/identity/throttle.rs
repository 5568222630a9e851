//! Limits on failed attempts within a fixed window (logins, client authentication, reports).

/// A limit on failed attempts within a fixed window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    pub max_failures: i32,
    pub window_seconds: i64,
}

/// Failed logins of one account: five in fifteen minutes, then wait for the window to end.
pub const ACCOUNT_THROTTLE: Throttle = Throttle { max_failures: 5, window_seconds: 15 * 60 };
/// Failed logins from one client address (credential stuffing across accounts).
pub const ADDRESS_THROTTLE: Throttle = Throttle { max_failures: 30, window_seconds: 15 * 60 };

impl Throttle {
    /// Seconds to wait before another attempt, or `None` if one is allowed now, given the
    /// failures counted in the window that started `elapsed_seconds` ago.
    pub fn retry_after(&self, failures: i32, elapsed_seconds: i64) -> Option<u64> {
        let remaining = self.window_seconds - elapsed_seconds;
        (failures >= self.max_failures && remaining > 0).then(|| u64::try_from(remaining).unwrap_or(1).max(1))
    }

    /// Whether a window that started `elapsed_seconds` ago is over (counting starts afresh).
    pub fn window_over(&self, elapsed_seconds: i64) -> bool {
        elapsed_seconds >= self.window_seconds || elapsed_seconds < 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttles_allow_until_the_limit_then_until_the_window_ends() {
        let t = Throttle { max_failures: 3, window_seconds: 60 };
        assert_eq!(t.retry_after(2, 10), None);
        assert_eq!(t.retry_after(3, 10), Some(50));
        assert_eq!(t.retry_after(9, 59), Some(1));
        assert_eq!(t.retry_after(9, 60), None);
        assert!(t.window_over(60) && !t.window_over(59) && t.window_over(-5));
    }
}
