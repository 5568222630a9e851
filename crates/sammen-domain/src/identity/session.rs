//! How long a login lasts. A login starts a family of refresh tokens, each exchanged once for the
//! next. The family ends when no token was exchanged for the idle time, and, however often it was,
//! when it reaches its absolute lifetime: then the password is asked for again.

use chrono::{NaiveDateTime, TimeDelta};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLifetime {
    /// How long a refresh token lasts unused.
    pub idle: TimeDelta,
    /// How long a family lasts from its login, however often it is refreshed.
    pub absolute: TimeDelta,
}

/// Idle 14 days: a volunteer who signs in weekly stays signed in, with a missed week to spare.
/// Absolute 30 days: the longest NIST SP 800-63B allows between password entries at AAL1, and
/// the most a stolen refresh token can be used for, even by a thief who keeps refreshing it.
pub const SESSION_LIFETIME: SessionLifetime =
    SessionLifetime { idle: TimeDelta::days(14), absolute: TimeDelta::days(30) };

impl SessionLifetime {
    /// When a refresh token issued `now`, in a family that started at `started`, expires: after
    /// the idle time, but never after the family's end.
    pub fn token_expires_at(&self, started: NaiveDateTime, now: NaiveDateTime) -> NaiveDateTime {
        (now + self.idle).min(self.family_ends_at(started))
    }

    pub fn family_ends_at(&self, started: NaiveDateTime) -> NaiveDateTime {
        started + self.absolute
    }

    /// Whether a family that started at `started` is over at `now`.
    pub fn family_over(&self, started: NaiveDateTime, now: NaiveDateTime) -> bool {
        now >= self.family_ends_at(started)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(n: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 1, n).unwrap().and_hms_opt(12, 0, 0).unwrap()
    }

    #[test]
    fn a_token_lasts_the_idle_time_but_never_past_the_familys_end() {
        let s = SESSION_LIFETIME;
        assert_eq!(s.token_expires_at(day(1), day(1)), day(15));
        assert_eq!(s.token_expires_at(day(1), day(10)), day(24));
        assert_eq!(s.token_expires_at(day(1), day(20)), day(31), "capped at 30 days from the login");
    }

    #[test]
    fn a_family_is_over_at_its_absolute_lifetime() {
        let s = SESSION_LIFETIME;
        assert!(!s.family_over(day(1), day(30)));
        assert!(s.family_over(day(1), day(31)));
        assert!(s.idle < s.absolute);
    }
}
