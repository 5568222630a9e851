//! The grant pool's HTTP layer: pools and rounds (staff, public reads), applications and their
//! lifecycle (applicants, staff), reviews (reviewers, staff), and the public outputs (awards,
//! statistics, calendar, change feed, the 360Giving export). `docs/grants.md` describes it.

use utoipa_actix_web::service_config::ServiceConfig;

pub mod applications;
pub mod history;
pub mod lifecycle;
pub mod pools;
pub mod public;
pub mod ranking;
pub mod reviews;
pub mod views;

/// The area's routes. Fixed paths (`/grant-pools/calendar`) come before `{id}` ones.
pub fn routes(cfg: &mut ServiceConfig) {
    public::routes(cfg);
    pools::routes(cfg);
    reviews::routes(cfg);
    ranking::routes(cfg);
    applications::routes(cfg);
    history::routes(cfg);
    lifecycle::routes(cfg);
}
