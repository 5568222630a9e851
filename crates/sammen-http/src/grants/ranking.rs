//! A round's ranking for staff: the applications still to decide, by weighted score from the
//! submitted reviews of reviewers free of conflicts, with the cumulative amount requested and
//! the funding line at the pool's remaining budget. Two queries whatever the round's size.

use std::collections::HashMap;

use actix_web::{HttpResponse, get, web};
use sammen_domain::grants::criteria::Criterion;
use sammen_domain::grants::policy;
use sammen_domain::grants::ranking::{Candidate, CriterionMean, rank};
use sammen_domain::ids::{GrantApplicationId, GrantRoundId};
use sammen_store::grants::{self as store, Application, Review};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::identity::Caller;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(round_ranking);
}

/// One application in a round's ranking.
#[derive(Debug, Serialize, ToSchema)]
pub struct RankedApplication {
    pub rank: usize,
    #[schema(format = Uuid)]
    pub application_id: String,
    pub title: String,
    #[schema(format = Uuid)]
    pub organisation_id: String,
    #[schema(example = "in_review")]
    pub status: String,
    /// 0 to 100: each criterion's mean placed on its scale, weighted; `null` before any
    /// completed review.
    #[schema(example = 72.5)]
    pub weighted_score: Option<f64>,
    /// Submitted reviews by reviewers free of conflicts.
    pub reviews_completed: usize,
    pub criteria: Vec<CriterionMean>,
    #[schema(example = 15_000_000)]
    pub requested_ore: i64,
    /// The requests of this one and all ranked above it.
    pub cumulative_requested_ore: i64,
    /// Whether this one and all ranked above it fit in the pool's remaining budget.
    pub above_funding_line: bool,
}

/// A round's applications still to decide (in review), best first.
#[derive(Debug, Serialize, ToSchema)]
pub struct RankingResponse {
    #[schema(format = Uuid)]
    pub round_id: String,
    pub budget_ore: i64,
    /// The pool's budget less what is committed: where the funding line falls.
    pub remaining_ore: i64,
    /// The round's current criteria, in the order of each item's `criteria`.
    pub criteria: Vec<Criterion>,
    pub applications: Vec<RankedApplication>,
}

/// Rank a round's applications.
///
/// Staff. The applications in review (those still to decide), by weighted score from the submitted reviews of
/// reviewers free of conflicts (unscored last, then by submission), with the cumulative amount
/// requested and the funding line against the pool's remaining budget.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The round's id")),
    responses(
        (status = 200, description = "The ranking", body = RankingResponse),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such round", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[get("/grant-rounds/{id}/ranking")]
pub async fn round_ranking(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    policy::run_pools(&caller)?;
    let id = GrantRoundId::from(id.into_inner());
    let ranking = state
        .db(move |conn| -> Result<_, ApiError> {
            let round = store::find_round(conn, &id)?;
            let pool = store::find_pool(conn, &round.pool_id)?;
            let criteria = store::criteria_version(conn, &round.id, round.criteria_version)?.criteria;
            let input = store::ranking_input(conn, &round.id)?;
            Ok(ranking(round.id, pool.budget_ore, pool.remaining_ore(), criteria, &input))
        })
        .await?;
    Ok(HttpResponse::Ok().json(ranking))
}

fn ranking(
    round: GrantRoundId,
    budget_ore: i64,
    remaining_ore: i64,
    criteria: Vec<Criterion>,
    input: &[(Application, Vec<Review>)],
) -> RankingResponse {
    let apps: HashMap<&GrantApplicationId, &Application> = input.iter().map(|(a, _)| (&a.id, a)).collect();
    let candidates = input
        .iter()
        .map(|(app, reviews)| Candidate {
            id: &app.id,
            requested_ore: app.amount_requested_ore,
            submitted_at: app.submitted_at.unwrap_or(app.created_at),
            reviews: reviews.iter().map(|r| r.scores.as_slice()).collect(),
        })
        .collect();
    let applications = rank(&criteria, candidates, remaining_ore)
        .into_iter()
        .map(|r| {
            let app = apps[r.id];
            RankedApplication {
                rank: r.rank,
                application_id: app.id.as_str().to_owned(),
                title: app.title.clone(),
                organisation_id: app.organisation_id.as_str().to_owned(),
                status: app.status.to_string(),
                weighted_score: r.weighted_score,
                reviews_completed: r.reviews_completed,
                criteria: r.criteria,
                requested_ore: r.requested_ore,
                cumulative_requested_ore: r.cumulative_requested_ore,
                above_funding_line: r.above_funding_line,
            }
        })
        .collect();
    RankingResponse { round_id: round.into_string(), budget_ore, remaining_ore, criteria, applications }
}
