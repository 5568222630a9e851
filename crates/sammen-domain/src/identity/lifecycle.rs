//! An account's life by e-mail: confirming the address of a self-registered account, resetting a
//! forgotten password. Both send a single-use link.

use chrono::TimeDelta;

use super::Throttle;

crate::text_enum! {
    /// What an e-mailed token is for.
    pub enum TokenPurpose ("token purpose") {
        VerifyEmail = "verify_email",
        ResetPassword = "reset_password",
    }
}

impl TokenPurpose {
    /// How long a link works. A confirmation link may wait in an inbox over a weekend; a reset
    /// link is a way into the account, so it is short-lived (OWASP's Forgot Password guidance).
    pub fn lifetime(self) -> TimeDelta {
        match self {
            TokenPurpose::VerifyEmail => TimeDelta::hours(72),
            TokenPurpose::ResetPassword => TimeDelta::minutes(30),
        }
    }
}

/// Registrations and reset requests from one client address: enough for a family or an activity
/// centre sharing a connection, too few to mail-bomb many addresses.
pub const ACCOUNT_MAIL_ADDRESS_THROTTLE: Throttle = Throttle { max_failures: 20, window_seconds: 60 * 60 };
/// Registrations and reset requests for one e-mail address, from anywhere: a person who lost the
/// first mail can ask again, an attacker cannot flood their inbox.
pub const ACCOUNT_MAIL_RECIPIENT_THROTTLE: Throttle = Throttle { max_failures: 5, window_seconds: 60 * 60 };
/// Wrong current passwords when changing the password (someone at an unlocked screen).
pub const PASSWORD_CHANGE_THROTTLE: Throttle = Throttle { max_failures: 5, window_seconds: 15 * 60 };

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reset_link_lives_minutes_and_a_confirmation_link_days() {
        assert_eq!(TokenPurpose::ResetPassword.lifetime(), TimeDelta::minutes(30));
        assert!(TokenPurpose::VerifyEmail.lifetime() >= TimeDelta::days(2));
    }
}
