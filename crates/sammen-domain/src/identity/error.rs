//! The identity rules a change can break, each with its message written once.

/// Why an identity change was refused (each is a 409 Conflict).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdentityError {
    #[error("an account with this e-mail address already exists")]
    EmailTaken,
    /// Disabling, demoting or erasing the last active admin.
    #[error("this would leave no active admin: make another admin first")]
    LastAdmin,
}
