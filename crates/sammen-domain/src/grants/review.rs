//! Reviews: a reviewer declares whether they have a conflict of interest before they see
//! anything of the application, then scores each criterion; scores lock when submitted.

use serde::{Deserialize, Serialize};

use super::criteria::Criterion;
use crate::validation::{FieldError, ValidationErrors, text_length};

crate::text_enum! {
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum CoiStatus ("conflict-of-interest status") {
        /// Not declared yet: the application's content is closed to the reviewer.
        Pending = "pending",
        /// Declared free of conflicts: the reviewer may read and score.
        None = "none",
        /// A conflict declared: the reviewer is excluded and never scores.
        Declared = "declared",
    }
}

/// A reviewer's score of one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Score {
    #[cfg_attr(feature = "openapi", schema(example = "new_methods"))]
    pub criterion: String,
    #[cfg_attr(feature = "openapi", schema(example = 4))]
    pub score: i32,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub comment: String,
}

/// Checks scores against the criteria: known criteria, each at most once, on its scale. With
/// `complete`, every criterion must be scored (to submit).
pub fn check_scores(criteria: &[Criterion], scores: &[Score], complete: bool, errors: &mut ValidationErrors) {
    for (i, s) in scores.iter().enumerate() {
        match criteria.iter().find(|c| c.key == s.criterion) {
            None => errors.push(FieldError::new(
                format!("scores[{i}].criterion"),
                "invalid",
                "is no criterion of the round",
            )),
            Some(_) if scores[..i].iter().any(|o| o.criterion == s.criterion) => {
                errors.push(FieldError::new(format!("scores[{i}].criterion"), "duplicate", "is scored twice"))
            }
            Some(c) if !(c.scale_min..=c.scale_max).contains(&s.score) => errors.push(FieldError::new(
                format!("scores[{i}].score"),
                "invalid",
                format!("must be on the criterion's scale, {} to {}", c.scale_min, c.scale_max),
            )),
            Some(_) => {}
        }
        errors.check(text_length(&format!("scores[{i}].comment"), &s.comment, 0, 2000));
    }
    if complete {
        for c in criteria {
            if !scores.iter().any(|s| s.criterion == c.key) {
                errors.push(FieldError::new("scores", "required", format!("score `{}` before submitting", c.key)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criteria() -> Vec<Criterion> {
        vec![Criterion {
            key: "reach".into(),
            title: "Reach".into(),
            description: String::new(),
            weight: 1,
            scale_min: 1,
            scale_max: 5,
        }]
    }

    fn score(criterion: &str, score: i32) -> Score {
        Score { criterion: criterion.into(), score, comment: String::new() }
    }

    #[test]
    fn scores_are_on_the_scale_of_known_criteria() {
        let mut errors = ValidationErrors::new();
        check_scores(&criteria(), &[score("reach", 5)], true, &mut errors);
        assert!(errors.is_empty());
        let mut errors = ValidationErrors::new();
        check_scores(&criteria(), &[score("reach", 0), score("reach", 3), score("x", 1)], false, &mut errors);
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["scores[0].score", "scores[1].criterion", "scores[2].criterion"]);
        let mut errors = ValidationErrors::new();
        check_scores(&criteria(), &[], true, &mut errors);
        assert_eq!(errors.0[0].field, "scores");
    }
}
