//! A password login's bookkeeping: its throttle buckets (per account and address, per address,
//! per account; `sammen_domain::identity::LoginThrottle` says what the counts mean), the audit
//! event, and on success a new refresh-token family.

use sammen_domain::identity::{Expiry, LoginTallies, LoginThrottle};
use sammen_domain::ids::UserId;
use sha2::{Digest, Sha256};

use super::throttle::{count_failures, retry_conflict, tallies, throttle_forgive, throttle_reset};
use crate::audit::{self, AuditContext, AuditEntry};
use crate::dialect::{DbConn, write_transaction};
use crate::error::StoreResult;
use crate::schema::throttle_buckets;

/// The buckets a login attempt is counted in. The account is named by a hash of the e-mail
/// address, so the table holds no e-mails, and an address without an account counts exactly
/// like one with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginBuckets {
    pair: String,
    address: String,
    account: String,
}

impl LoginBuckets {
    /// The buckets of a login as `email` from `client` (the client's address as throttling
    /// names it).
    pub fn new(email: &str, client: &str) -> Self {
        let account = format!("{:x}", Sha256::digest(email.as_bytes()));
        Self {
            pair: format!("login:pair:{account}:{client}"),
            address: Self::address(client),
            account: format!("login:account:{account}"),
        }
    }

    /// The bucket of a client address alone, where failed client authentications count too.
    pub fn address(client: &str) -> String {
        format!("login:address:{client}")
    }

    /// In the order of `LoginTallies` and `LoginThrottle::expiries`.
    fn names(&self) -> [&str; 3] {
        [&self.pair, &self.address, &self.account]
    }
}

/// Checks a login attempt against its buckets and, when it may go ahead, counts it as a failure
/// before the password is checked, so that attempts sent all at once cannot each pass the check
/// before any of them is counted; a success takes it back (`complete_login`). Returns the
/// seconds to wait when the attempt is refused, and then counts nothing.
pub fn claim_login_attempt(
    conn: &mut DbConn,
    buckets: &LoginBuckets,
    throttle: &LoginThrottle,
) -> StoreResult<Option<u64>> {
    let names = buckets.names();
    let mut in_lock_order = names.to_vec();
    in_lock_order.sort_unstable();
    retry_conflict(|| {
        write_transaction(conn, |conn| {
            // The rows in one order, so that concurrent attempts sharing a bucket take turns
            // without a deadlock (SQLite's write transaction already takes turns).
            crate::lock_rows!(
                conn,
                throttle_buckets::table
                    .filter(throttle_buckets::bucket.eq_any(&in_lock_order))
                    .order(throttle_buckets::bucket)
                    .select(throttle_buckets::bucket)
            )?;
            let counted = tallies(conn, &names)?;
            let seen = LoginTallies { pair: counted[0], address: counted[1], account: counted[2] };
            if let Some(wait) = throttle.retry_after(&seen) {
                return Ok(Some(wait));
            }
            let counting: Vec<(&str, Expiry)> = names.into_iter().zip(throttle.expiries()).collect();
            count_failures(conn, &counting, &counted)?;
            Ok(None)
        })
    })
}

/// A successful password login: forgets the pair's failures and takes the attempt back from the
/// address and the account (never the account's other failures: an attack on it goes on while
/// its owner signs in), records the event and starts a new refresh-token family. Returns the
/// user and their refresh token.
pub fn complete_login(
    conn: &mut DbConn,
    user_id: &UserId,
    buckets: &LoginBuckets,
    ctx: &AuditContext,
) -> StoreResult<(super::User, String)> {
    write_transaction(conn, |conn| {
        throttle_reset(conn, &buckets.pair)?;
        throttle_forgive(conn, &buckets.address)?;
        throttle_forgive(conn, &buckets.account)?;
        audit::record_about_user(
            conn,
            ctx,
            "auth.login_succeeded",
            user_id,
            serde_json::json!({ "grant": "password" }),
        )?;
        let token = super::issue_refresh_token(conn, user_id, None)?;
        Ok((super::find_user(conn, user_id)?, token))
    })
}

/// A failed login (already counted by `claim_login_attempt`): records why, never the password
/// or the e-mail.
pub fn record_login_failure(
    conn: &mut DbConn,
    user_id: Option<&UserId>,
    reason: &str,
    ctx: &AuditContext,
) -> StoreResult<()> {
    audit::record(
        conn,
        ctx,
        AuditEntry {
            action: "auth.login_failed",
            target_type: "user",
            target_id: user_id.map_or("", UserId::as_str),
            subject_user_id: user_id.map(UserId::as_str),
            details: serde_json::json!({ "reason": reason }),
        },
    )
}
