//! The grant pool: pools with a budget, rounds on a track by amount with published criteria,
//! applications through an explicit lifecycle, reviews free of conflicts of interest, and money
//! that is never over-committed. `docs/grants.md` describes the whole; these are its rules.

pub mod application;
pub mod criteria;
pub mod decision;
pub mod error;
pub mod giving360;
pub mod lifecycle;
pub mod money;
pub mod policy;
pub mod pool;
pub mod ranking;
pub mod review;
pub mod round;
pub mod statistics;

pub use error::GrantError;
