//! A round's published criteria (with weights and scales) and eligibility rules. Fixed once the
//! round opens: a change after that is a new version with a notice to applicants.

use serde::{Deserialize, Serialize};

use super::GrantError;
use super::round::Phase;
use crate::validation::{FieldError, ValidationErrors, text_length};

/// One assessment criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// A short stable name, `[a-z0-9_]`, that scores refer to.
    #[cfg_attr(feature = "openapi", schema(example = "new_methods", pattern = "^[a-z0-9_]{1,40}$"))]
    pub key: String,
    #[cfg_attr(feature = "openapi", schema(example = "New ways of finding lonely older citizens", max_length = 200))]
    pub title: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub description: String,
    /// The criterion's share of the total, relative to the others' weights.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100, example = 40))]
    pub weight: i32,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100, example = 0))]
    pub scale_min: i32,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100, example = 5))]
    pub scale_max: i32,
}

/// One eligibility rule the applicant confirms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EligibilityRule {
    #[cfg_attr(feature = "openapi", schema(example = "local", pattern = "^[a-z0-9_]{1,40}$"))]
    pub key: String,
    #[cfg_attr(feature = "openapi", schema(example = "The project takes place in Copenhagen", max_length = 500))]
    pub text: String,
}

fn check_key(field: String, key: &str, seen: &mut Vec<String>, errors: &mut ValidationErrors) {
    let ok =
        (1..=40).contains(&key.len()) && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !ok {
        errors.push(FieldError::new(field, "invalid", "must be 1 to 40 of a-z, 0-9 and _"));
    } else if seen.iter().any(|k| k == key) {
        errors.push(FieldError::new(field, "duplicate", "keys must differ"));
    } else {
        seen.push(key.to_owned());
    }
}

/// Checks criteria and eligibility rules, reporting every bad field.
pub fn check_criteria(criteria: &[Criterion], eligibility: &[EligibilityRule], errors: &mut ValidationErrors) {
    if !(1..=20).contains(&criteria.len()) {
        errors.push(FieldError::new("criteria", "invalid", "a round has 1 to 20 criteria"));
    }
    if eligibility.len() > 20 {
        errors.push(FieldError::new("eligibility", "invalid", "a round has at most 20 eligibility rules"));
    }
    let mut seen = Vec::new();
    for (i, c) in criteria.iter().enumerate() {
        check_key(format!("criteria[{i}].key"), &c.key, &mut seen, errors);
        errors.check(text_length(&format!("criteria[{i}].title"), &c.title, 2, 200));
        errors.check(text_length(&format!("criteria[{i}].description"), &c.description, 0, 2000));
        if !(1..=100).contains(&c.weight) {
            errors.push(FieldError::new(format!("criteria[{i}].weight"), "invalid", "must be 1 to 100"));
        }
        if c.scale_min < 0 || c.scale_max > 100 || c.scale_min >= c.scale_max {
            errors.push(FieldError::new(
                format!("criteria[{i}].scale_max"),
                "invalid",
                "the scale runs from scale_min up to a larger scale_max, within 0 to 100",
            ));
        }
    }
    let mut seen = Vec::new();
    for (i, rule) in eligibility.iter().enumerate() {
        check_key(format!("eligibility[{i}].key"), &rule.key, &mut seen, errors);
        errors.check(text_length(&format!("eligibility[{i}].text"), &rule.text, 2, 500));
    }
}

/// What a change of criteria becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CriteriaChange {
    /// Before the round opens: a new version without a notice.
    Draft,
    /// After: a new version, published with its notice.
    Noticed,
}

/// Whether the criteria of a round in `phase` may change: freely before it opens; once open only
/// with a notice to applicants; never once it closed (applications are being assessed on them).
pub fn criteria_change(phase: Phase, notice: Option<&str>) -> Result<CriteriaChange, GrantError> {
    match (phase, notice.map(str::trim).filter(|n| !n.is_empty())) {
        (Phase::Upcoming, _) => Ok(CriteriaChange::Draft),
        (Phase::Open, Some(_)) => Ok(CriteriaChange::Noticed),
        (Phase::Open, None) | (Phase::Closed, _) => Err(GrantError::CriteriaFrozen),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn criterion(key: &str, weight: i32) -> Criterion {
        Criterion {
            key: key.into(),
            title: "Reach".into(),
            description: String::new(),
            weight,
            scale_min: 0,
            scale_max: 5,
        }
    }

    #[test]
    fn criteria_are_checked_whole() {
        let mut errors = ValidationErrors::new();
        check_criteria(&[criterion("reach", 40), criterion("method", 60)], &[], &mut errors);
        assert!(errors.is_empty());
        let mut errors = ValidationErrors::new();
        let bad = [criterion("Reach!", 0), criterion("dup", 1), criterion("dup", 1)];
        let rules = [EligibilityRule { key: "x".into(), text: "".into() }];
        check_criteria(&bad, &rules, &mut errors);
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["criteria[0].key", "criteria[0].weight", "criteria[2].key", "eligibility[0].text"]);
        let mut errors = ValidationErrors::new();
        check_criteria(&[], &[], &mut errors);
        assert_eq!(errors.0[0].field, "criteria");
    }

    #[test]
    fn criteria_freeze_when_the_round_opens() {
        assert_eq!(criteria_change(Phase::Upcoming, None), Ok(CriteriaChange::Draft));
        assert_eq!(criteria_change(Phase::Open, None), Err(GrantError::CriteriaFrozen));
        assert_eq!(criteria_change(Phase::Open, Some("  ")), Err(GrantError::CriteriaFrozen));
        assert_eq!(criteria_change(Phase::Open, Some("Weights clarified")), Ok(CriteriaChange::Noticed));
        assert_eq!(criteria_change(Phase::Closed, Some("late")), Err(GrantError::CriteriaFrozen));
    }
}
