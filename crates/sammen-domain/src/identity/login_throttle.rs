//! Login throttling that an attacker elsewhere cannot turn into a lock-out (OWASP Authentication
//! Cheat Sheet: throttle per account and address, with growing delays rather than a lock).
//!
//! Failures are counted three ways. The **pair** of an account and a client address gets a few
//! free failures and then waits a delay that doubles with each failure, from its last one; this
//! is what slows a guesser down, and it never touches the account's owner at another address.
//! The **address** has a fixed window across all accounts, against credential stuffing. The
//! **account**, from everywhere, never blocks by itself: while it counts many failures (an attack
//! from many addresses) each pair's free failures drop to one, so a distributed guesser gets one
//! try per address before the delays start, while an address with no failures of its own for the
//! account (the owner's, typically) still gets its try.

use super::throttle::{ADDRESS_THROTTLE, Expiry, Tally, Throttle};

/// The numbers of login throttling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginThrottle {
    /// Failures a pair may make before it has to wait.
    pub free_failures: i32,
    /// The same while the account is under attack.
    pub free_failures_under_attack: i32,
    /// The longest delay a pair waits.
    pub max_delay_seconds: i64,
    /// A pair's failures are forgotten after this long without one.
    pub pair_memory_seconds: i64,
    /// Failures from one address across accounts.
    pub address: Throttle,
    /// Failures of one account from every address that mean it is under attack.
    pub attack: Throttle,
}

/// Five free failures (typing mistakes, a password half remembered), then 1, 2, 4 … seconds,
/// at most 15 minutes; a pair is forgotten after a day without failures. An account that sees
/// ten failures within an hour is under attack.
pub const LOGIN_THROTTLE: LoginThrottle = LoginThrottle {
    free_failures: 5,
    free_failures_under_attack: 1,
    max_delay_seconds: 15 * 60,
    pair_memory_seconds: 24 * 60 * 60,
    address: ADDRESS_THROTTLE,
    attack: Throttle { max_failures: 10, window_seconds: 60 * 60 },
};

/// What the three buckets of a login attempt have counted (`None`: nothing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoginTallies {
    pub pair: Option<Tally>,
    pub address: Option<Tally>,
    pub account: Option<Tally>,
}

impl LoginThrottle {
    /// When each bucket starts afresh: `[pair, address, account]`, the order of `LoginTallies`.
    pub fn expiries(&self) -> [Expiry; 3] {
        [Expiry::Quiet(self.pair_memory_seconds), self.address.expiry(), self.attack.expiry()]
    }

    /// Whether the account's failures from every address mean it is under attack.
    pub fn under_attack(&self, account: Option<&Tally>) -> bool {
        self.attack.expiry().live(account.copied()).is_some_and(|t| t.failures >= self.attack.max_failures)
    }

    /// Seconds a pair waits after its last failure, having failed `failures` times: nothing for
    /// the free failures, then 1, 2, 4 … seconds, at most `max_delay_seconds`.
    pub fn delay(&self, failures: i32, under_attack: bool) -> i64 {
        let free = if under_attack { self.free_failures_under_attack } else { self.free_failures };
        if failures < free {
            return 0;
        }
        // 2^30 s is far past any cap, and the shift cannot overflow.
        let doublings = (failures - free).min(30) as u32;
        (1_i64 << doublings).min(self.max_delay_seconds)
    }

    /// Seconds to wait before this attempt may be made, or `None` if it may be made now. The
    /// account's own count never blocks: it only shortens the pair's free failures.
    pub fn retry_after(&self, tallies: &LoginTallies) -> Option<u64> {
        let [pair_expiry, _, _] = self.expiries();
        let pair_wait = pair_expiry.live(tallies.pair).and_then(|pair| {
            let remaining = self.delay(pair.failures, self.under_attack(tallies.account.as_ref())) - pair.since_last;
            u64::try_from(remaining).ok().filter(|s| *s > 0)
        });
        pair_wait.max(self.address.wait(tallies.address.as_ref()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: LoginThrottle = LOGIN_THROTTLE;

    /// A bucket with `failures`, the last `since_last` seconds ago, counting for an hour.
    fn failed(failures: i32, since_last: i64) -> Option<Tally> {
        Some(Tally { failures, since_start: 3000.max(since_last), since_last })
    }

    #[test]
    fn a_pair_has_free_failures_then_delays_that_double_up_to_the_cap() {
        let delays: Vec<i64> = (0..18).map(|n| T.delay(n, false)).collect();
        assert_eq!(delays, [0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]);
        assert_eq!(T.delay(i32::MAX, false), 900, "no overflow");
        assert_eq!((0..4).map(|n| T.delay(n, true)).collect::<Vec<_>>(), [0, 1, 2, 4]);
    }

    #[test]
    fn a_pair_waits_its_delay_from_its_last_failure() {
        let pair = |failures, since_last| LoginTallies { pair: failed(failures, since_last), ..Default::default() };
        assert_eq!(T.retry_after(&pair(4, 0)), None);
        assert_eq!(T.retry_after(&pair(5, 0)), Some(1));
        assert_eq!(T.retry_after(&pair(5, 1)), None);
        assert_eq!(T.retry_after(&pair(8, 3)), Some(5));
        assert_eq!(T.retry_after(&pair(40, 100)), Some(800));
        // Forgotten after a day without failures.
        assert_eq!(T.retry_after(&pair(40, 24 * 3600)), None);
    }

    #[test]
    fn an_account_under_attack_never_blocks_an_address_without_failures_of_its_own() {
        let attacked = failed(500, 0);
        assert!(T.under_attack(attacked.as_ref()));
        let owner = LoginTallies { pair: None, address: None, account: attacked };
        assert_eq!(T.retry_after(&owner), None);
        // One free failure per pair while it lasts, instead of five.
        let mistyped = LoginTallies { pair: failed(1, 0), address: failed(1, 0), account: attacked };
        assert_eq!(T.retry_after(&mistyped), Some(1));
        let calm = LoginTallies { account: failed(9, 0), ..mistyped };
        assert_eq!(T.retry_after(&calm), None);
        // An attack an hour old is over.
        let past = Some(Tally { failures: 500, since_start: 3600, since_last: 10 });
        assert!(!T.under_attack(past.as_ref()));
    }

    #[test]
    fn an_address_with_too_many_failures_across_accounts_waits_for_its_window() {
        let stuffing = LoginTallies {
            address: Some(Tally { failures: 30, since_start: 60, since_last: 1 }),
            ..Default::default()
        };
        assert_eq!(T.retry_after(&stuffing), Some(840));
        // The longer of the two waits applies.
        let both = LoginTallies { pair: failed(20, 0), ..stuffing };
        assert_eq!(T.retry_after(&both), Some(900));
    }
}
