//! The rules for the e-mail addresses and passwords of accounts.

use crate::validation::FieldError;

/// Password length bounds, checked before any hashing so a huge input costs nothing.
pub const PASSWORD_MIN_CHARS: usize = 10;
pub const PASSWORD_MAX_CHARS: usize = 128;

/// Checks a new password against the policy. The password is used exactly as given:
/// no trimming and no case folding (ASVS 6.2.8).
pub fn check_password(field: &str, password: &str) -> Result<(), FieldError> {
    let n = password.chars().count();
    if n < PASSWORD_MIN_CHARS {
        return Err(FieldError::new(field, "too_short", format!("must be at least {PASSWORD_MIN_CHARS} characters")));
    }
    if n > PASSWORD_MAX_CHARS {
        return Err(FieldError::new(field, "too_long", format!("must be at most {PASSWORD_MAX_CHARS} characters")));
    }
    Ok(())
}

pub const EMAIL_MAX_CHARS: usize = 254;

/// Normalises an e-mail address for storage and lookup (trimmed, lower-cased) and checks its
/// shape: one `@`, a non-empty local part, a domain with a dot, no spaces or control characters.
pub fn normalise_email(field: &str, email: &str) -> Result<String, FieldError> {
    let email = email.trim().to_lowercase();
    let invalid = || FieldError::new(field, "invalid", "must be an e-mail address like name@example.dk");
    if email.is_empty() {
        return Err(FieldError::new(field, "required", "is required"));
    }
    if email.chars().count() > EMAIL_MAX_CHARS {
        return Err(FieldError::new(field, "too_long", format!("must be at most {EMAIL_MAX_CHARS} characters")));
    }
    let (local, domain) = email.split_once('@').ok_or_else(invalid)?;
    let bad_char = |c: char| c.is_whitespace() || c.is_control() || c == '@';
    if local.is_empty()
        || domain.len() < 3
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || email.chars().filter(|c| *c == '@').count() != 1
        || local.chars().any(bad_char)
        || domain.chars().any(bad_char)
    {
        return Err(invalid());
    }
    Ok(email)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_policy_counts_characters_and_keeps_the_text_as_is() {
        assert_eq!(check_password("password", "short").unwrap_err().code, "too_short");
        assert!(check_password("password", "ærlig talt ø").is_ok());
        assert!(check_password("password", &"x".repeat(128)).is_ok());
        assert_eq!(check_password("password", &"x".repeat(129)).unwrap_err().code, "too_long");
        // Leading and trailing spaces count: the password is verified exactly as received.
        assert!(check_password("password", "          ").is_ok());
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(normalise_email("email", "  Anna@Example.DK ").unwrap(), "anna@example.dk");
        for bad in [
            "",
            "anna",
            "anna@",
            "@example.dk",
            "anna@dk",
            "an na@example.dk",
            "a@b@example.dk",
            "anna@.dk",
            "a\0@x.dk",
        ] {
            assert!(normalise_email("email", bad).is_err(), "{bad:?} should be rejected");
        }
    }
}
