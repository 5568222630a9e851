//! The grant pool's persistence: pools and rounds with their criteria, applications through
//! their lifecycle, reviews, the money (ledger, commitments, tranches, reports), and the public
//! read models (awards, statistics, the 360Giving rows). Every write runs inside the caller's
//! transaction (`command` in the HTTP crate), so a transition, its event on the timeline, its
//! ledger entries, its audit record and its messages commit together or not at all.

mod applications;
mod attachments;
mod catalogue;
mod decisions;
mod feed;
mod lifecycle;
mod money;
mod notify;
mod pools;
mod public;
mod reviews;
mod rounds;
mod rows;
mod settlement;

pub use applications::*;
pub use attachments::*;
pub use catalogue::*;
pub use decisions::*;
pub use feed::*;
pub use lifecycle::*;
pub use money::*;
pub use pools::*;
pub use public::*;
pub use reviews::*;
pub use rounds::*;
pub use rows::*;
pub use settlement::*;

/// What these records are called in the audit log.
const AUDIT_POOL: &str = "grant_pool";
const AUDIT_ROUND: &str = "grant_round";
const AUDIT_APPLICATION: &str = "grant_application";

/// Reads a JSON text column; a value that does not parse is corrupt data.
fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> crate::StoreResult<T> {
    serde_json::from_str(text).map_err(|e| crate::StoreError::Corrupt(format!("grant JSON column: {e}")))
}

fn to_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}
