//! The ranking of a round: each application's weighted score from its completed reviews, in
//! order, with the cumulative amount requested and where the funding line falls.

use serde::Serialize;

use super::criteria::Criterion;
use super::review::Score;

/// The mean score of one criterion over the completed reviews.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CriterionMean {
    pub criterion: String,
    /// Rounded to two decimals; `None` before any completed review.
    pub mean: Option<f64>,
    pub scale_min: i32,
    pub scale_max: i32,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Per-criterion means over `reviews` (the submitted scores of reviewers without a conflict).
pub fn criterion_means(criteria: &[Criterion], reviews: &[&[Score]]) -> Vec<CriterionMean> {
    criteria
        .iter()
        .map(|c| {
            let scores: Vec<i32> =
                reviews.iter().filter_map(|r| r.iter().find(|s| s.criterion == c.key)).map(|s| s.score).collect();
            let mean =
                (!scores.is_empty()).then(|| round2(f64::from(scores.iter().sum::<i32>()) / scores.len() as f64));
            CriterionMean { criterion: c.key.clone(), mean, scale_min: c.scale_min, scale_max: c.scale_max }
        })
        .collect()
}

/// The weighted score, 0 to 100: each criterion's mean placed on its scale, weighted.
pub fn weighted_score(criteria: &[Criterion], reviews: &[&[Score]]) -> Option<f64> {
    if reviews.is_empty() {
        return None;
    }
    let total_weight: i32 = criteria.iter().map(|c| c.weight).sum();
    let mut sum = 0.0;
    for (c, m) in criteria.iter().zip(criterion_means(criteria, reviews)) {
        let position = (m.mean? - f64::from(c.scale_min)) / f64::from(c.scale_max - c.scale_min);
        sum += position * f64::from(c.weight);
    }
    Some(round2(sum / f64::from(total_weight.max(1)) * 100.0))
}

/// One application to rank.
#[derive(Debug, Clone)]
pub struct Candidate<'a, Id> {
    pub id: Id,
    pub requested_ore: i64,
    /// Earlier submissions come first among equal scores.
    pub submitted_at: chrono::NaiveDateTime,
    /// The scores of each completed review without a conflict.
    pub reviews: Vec<&'a [Score]>,
}

/// A ranked application.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranked<Id> {
    pub id: Id,
    pub rank: usize,
    pub weighted_score: Option<f64>,
    pub reviews_completed: usize,
    pub criteria: Vec<CriterionMean>,
    pub requested_ore: i64,
    pub cumulative_requested_ore: i64,
    /// Whether all up to and including this one fit in the money available.
    pub above_funding_line: bool,
}

/// Ranks by weighted score (unscored last), then by submission, then by id; walks down the list
/// adding up the requests against `available_ore`.
pub fn rank<Id: Ord + Clone>(
    criteria: &[Criterion],
    candidates: Vec<Candidate<'_, Id>>,
    available_ore: i64,
) -> Vec<Ranked<Id>> {
    let mut scored: Vec<(Option<f64>, Candidate<'_, Id>)> =
        candidates.into_iter().map(|c| (weighted_score(criteria, &c.reviews), c)).collect();
    scored.sort_by(|(a, ca), (b, cb)| {
        b.partial_cmp(a)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(ca.submitted_at.cmp(&cb.submitted_at))
            .then(ca.id.cmp(&cb.id))
    });
    let mut cumulative = 0;
    scored
        .into_iter()
        .enumerate()
        .map(|(i, (score, c))| {
            cumulative += c.requested_ore;
            Ranked {
                rank: i + 1,
                weighted_score: score,
                reviews_completed: c.reviews.len(),
                criteria: criterion_means(criteria, &c.reviews),
                requested_ore: c.requested_ore,
                cumulative_requested_ore: cumulative,
                above_funding_line: cumulative <= available_ore,
                id: c.id,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criteria() -> Vec<Criterion> {
        vec![
            Criterion {
                key: "reach".into(),
                title: "Reach".into(),
                description: String::new(),
                weight: 3,
                scale_min: 0,
                scale_max: 4,
            },
            Criterion {
                key: "method".into(),
                title: "Method".into(),
                description: String::new(),
                weight: 1,
                scale_min: 1,
                scale_max: 5,
            },
        ]
    }

    fn scores(reach: i32, method: i32) -> Vec<Score> {
        vec![
            Score { criterion: "reach".into(), score: reach, comment: String::new() },
            Score { criterion: "method".into(), score: method, comment: String::new() },
        ]
    }

    #[test]
    fn weighted_scores_place_each_mean_on_its_scale() {
        let (a, b) = (scores(4, 5), scores(2, 1));
        assert_eq!(weighted_score(&criteria(), &[&a]), Some(100.0));
        assert_eq!(weighted_score(&criteria(), &[&b]), Some(37.5));
        assert_eq!(weighted_score(&criteria(), &[&a, &b]), Some(68.75));
        assert_eq!(weighted_score(&criteria(), &[]), None);
        assert_eq!(criterion_means(&criteria(), &[&a, &b])[0].mean, Some(3.0));
    }

    #[test]
    fn the_ranking_and_its_funding_line() {
        let t = |h| chrono::NaiveDate::from_ymd_opt(2027, 4, 20).unwrap().and_hms_opt(h, 0, 0).unwrap();
        let (top, mid, low) = (scores(4, 5), scores(3, 3), scores(1, 1));
        let candidates = vec![
            Candidate { id: "low", requested_ore: 100, submitted_at: t(8), reviews: vec![&low[..]] },
            Candidate { id: "unscored", requested_ore: 100, submitted_at: t(7), reviews: vec![] },
            Candidate { id: "mid-late", requested_ore: 300, submitted_at: t(12), reviews: vec![&mid[..]] },
            Candidate { id: "mid-early", requested_ore: 200, submitted_at: t(9), reviews: vec![&mid[..]] },
            Candidate { id: "top", requested_ore: 400, submitted_at: t(10), reviews: vec![&top[..]] },
        ];
        let ranked = rank(&criteria(), candidates, 900);
        let order: Vec<&str> = ranked.iter().map(|r| r.id).collect();
        assert_eq!(order, ["top", "mid-early", "mid-late", "low", "unscored"]);
        let cumulative: Vec<i64> = ranked.iter().map(|r| r.cumulative_requested_ore).collect();
        assert_eq!(cumulative, [400, 600, 900, 1000, 1100]);
        let above: Vec<bool> = ranked.iter().map(|r| r.above_funding_line).collect();
        assert_eq!(above, [true, true, true, false, false]);
    }
}
