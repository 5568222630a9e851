//! Counting failed attempts: what a bucket has counted (`Tally`), when its count starts afresh
//! (`Expiry`), and limits within a fixed window (`Throttle`: client authentication, reports,
//! account mail). Logins have growing delays of their own (`login_throttle`).

use std::net::{IpAddr, SocketAddr};

/// What a bucket has counted, seen from now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub failures: i32,
    /// Seconds since the bucket started counting (its window's start).
    pub since_start: i64,
    /// Seconds since its last failure.
    pub since_last: i64,
}

/// When a bucket's count is over, so that the next failure starts counting afresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// A fixed window of this many seconds from the first failure.
    Window(i64),
    /// This many seconds without a failure.
    Quiet(i64),
}

impl Expiry {
    /// Whether `tally` is over. A clock that went back counts as over rather than as a lock
    /// that never ends.
    pub fn ended(self, tally: &Tally) -> bool {
        let (limit, elapsed) = match self {
            Expiry::Window(seconds) => (seconds, tally.since_start),
            Expiry::Quiet(seconds) => (seconds, tally.since_last),
        };
        elapsed >= limit || elapsed < 0
    }

    /// The tally that still counts now: none once it is over.
    pub fn live(self, tally: Option<Tally>) -> Option<Tally> {
        tally.filter(|t| !self.ended(t))
    }
}

/// A limit on failed attempts within a fixed window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    pub max_failures: i32,
    pub window_seconds: i64,
}

/// Failed logins and client authentications from one client address (credential stuffing
/// across accounts): a shared connection (an activity centre, a care home's network) has room.
pub const ADDRESS_THROTTLE: Throttle = Throttle { max_failures: 30, window_seconds: 15 * 60 };

impl Throttle {
    pub fn expiry(&self) -> Expiry {
        Expiry::Window(self.window_seconds)
    }

    /// Seconds to wait before another attempt, or `None` if one is allowed now, given the
    /// failures counted in the window that started `elapsed_seconds` ago.
    pub fn retry_after(&self, failures: i32, elapsed_seconds: i64) -> Option<u64> {
        let remaining = self.window_seconds - elapsed_seconds;
        (failures >= self.max_failures && remaining > 0).then(|| u64::try_from(remaining).unwrap_or(1).max(1))
    }

    /// Seconds to wait given a bucket's tally (`None` if the bucket has counted nothing).
    pub fn wait(&self, tally: Option<&Tally>) -> Option<u64> {
        let tally = self.expiry().live(tally.copied())?;
        self.retry_after(tally.failures, tally.since_start)
    }

    /// Whether a window that started `elapsed_seconds` ago is over (counting starts afresh).
    pub fn window_over(&self, elapsed_seconds: i64) -> bool {
        elapsed_seconds >= self.window_seconds || elapsed_seconds < 0
    }
}

/// How throttling names a client: an IPv4 address whole, an IPv6 address by its /64 network
/// (a household or a server is given a whole /64 and may send from any address in it). A port
/// or brackets around the address (as `Forwarded: for=` may carry) are left out; anything that
/// is not an address is kept as it is.
pub fn client_key(address: &str) -> String {
    let ip = address
        .parse::<SocketAddr>()
        .map(|socket| socket.ip())
        .or_else(|_| address.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>());
    match ip {
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let [a, b, c, d, ..] = v6.segments();
                format!("{a:x}:{b:x}:{c:x}:{d:x}::/64")
            }
        },
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Err(_) => address.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(failures: i32, since_start: i64, since_last: i64) -> Tally {
        Tally { failures, since_start, since_last }
    }

    #[test]
    fn throttles_allow_until_the_limit_then_until_the_window_ends() {
        let t = Throttle { max_failures: 3, window_seconds: 60 };
        assert_eq!(t.retry_after(2, 10), None);
        assert_eq!(t.retry_after(3, 10), Some(50));
        assert_eq!(t.retry_after(9, 59), Some(1));
        assert_eq!(t.retry_after(9, 60), None);
        assert!(t.window_over(60) && !t.window_over(59) && t.window_over(-5));
        assert_eq!(t.wait(Some(&tally(3, 10, 1))), Some(50));
        assert_eq!(t.wait(Some(&tally(3, -10, 1))), None, "a clock that went back frees the bucket");
        assert_eq!(t.wait(None), None);
    }

    #[test]
    fn a_window_ends_from_its_start_and_a_quiet_spell_from_the_last_failure() {
        let busy = tally(4, 100, 5);
        assert!(Expiry::Window(100).ended(&busy) && !Expiry::Window(101).ended(&busy));
        assert!(!Expiry::Quiet(6).ended(&busy) && Expiry::Quiet(5).ended(&busy));
        assert_eq!(Expiry::Quiet(6).live(Some(busy)), Some(busy));
        assert_eq!(Expiry::Quiet(5).live(Some(busy)), None);
    }

    #[test]
    fn a_client_is_an_ipv4_address_or_an_ipv6_network() {
        assert_eq!(client_key("192.0.2.7"), "192.0.2.7");
        assert_eq!(client_key("192.0.2.7:4711"), "192.0.2.7");
        assert_eq!(client_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(client_key("[2001:db8:1:2:ffff::9]:443"), client_key("2001:db8:1:2::1"));
        assert_eq!(client_key("[2001:db8:1:2::1]"), "2001:db8:1:2::/64");
        assert_ne!(client_key("2001:db8:1:3::1"), client_key("2001:db8:1:2::1"));
        assert_eq!(client_key("::ffff:192.0.2.7"), "192.0.2.7");
        assert_eq!(client_key("unknown"), "unknown");
    }
}
