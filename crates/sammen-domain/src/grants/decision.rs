//! A decision on an application: an award, a partial award or a rejection, with its reasons per
//! criterion, a justification and guidance on reconsideration (forvaltningsloven §§ 22–24).

use serde::{Deserialize, Serialize};

use super::criteria::Criterion;
use crate::validation::{FieldError, ValidationErrors, text_length};

crate::text_enum! {
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Outcome ("decision outcome") {
        Award = "award",
        PartialAward = "partial_award",
        Rejection = "rejection",
    }
}

/// The assessment of one criterion in a decision's reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CriterionReason {
    #[cfg_attr(feature = "openapi", schema(example = "new_methods"))]
    pub criterion: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub assessment: String,
}

/// The reasons of a decision as they are stored and shown to the applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reasons {
    pub justification: String,
    pub criteria: Vec<CriterionReason>,
    /// How to ask for reconsideration; always given with a rejection or a partial award.
    pub reconsideration: Option<String>,
}

/// A decision as requested.
#[derive(Debug, Clone)]
pub struct DecisionInput<'a> {
    pub outcome: Outcome,
    pub amount_ore: Option<i64>,
    pub reasons: &'a Reasons,
}

/// Checks a decision on an application that asked for `requested_ore` in a round that gives at
/// most `max_ore`, and says the amount awarded (`None` for a rejection). The field names carry
/// `prefix` (`decisions[3].`) in a batch.
pub fn check_decision(
    input: &DecisionInput<'_>,
    requested_ore: i64,
    max_ore: i64,
    criteria: &[Criterion],
    prefix: &str,
    errors: &mut ValidationErrors,
) -> Option<i64> {
    let field = |name: &str| format!("{prefix}{name}");
    errors.check(text_length(&field("reasons.justification"), &input.reasons.justification, 10, 5000));
    for (i, reason) in input.reasons.criteria.iter().enumerate() {
        if !criteria.iter().any(|c| c.key == reason.criterion) {
            errors.push(FieldError::new(
                field(&format!("reasons.criteria[{i}].criterion")),
                "invalid",
                "is no criterion of the round",
            ));
        }
        errors.check(text_length(&field(&format!("reasons.criteria[{i}].assessment")), &reason.assessment, 2, 2000));
    }
    let needs_guidance = input.outcome != Outcome::Award;
    match &input.reasons.reconsideration {
        Some(text) => errors.check(text_length(&field("reasons.reconsideration"), text, 10, 2000)),
        None if needs_guidance => errors.push(FieldError::new(
            field("reasons.reconsideration"),
            "required",
            "a rejection or partial award says how to ask for reconsideration",
        )),
        None => {}
    }
    if input.outcome == Outcome::Rejection {
        let missing: Vec<&str> = criteria
            .iter()
            .filter(|c| !input.reasons.criteria.iter().any(|r| r.criterion == c.key))
            .map(|c| c.key.as_str())
            .collect();
        if !missing.is_empty() {
            errors.push(FieldError::new(
                field("reasons.criteria"),
                "required",
                format!("a rejection gives its reasons for every criterion; missing: {}", missing.join(", ")),
            ));
        }
    }
    let amount = match (input.outcome, input.amount_ore) {
        (Outcome::Rejection, None) => return None,
        (Outcome::Rejection, Some(_)) => {
            errors.push(FieldError::new(field("amount_ore"), "invalid", "a rejection awards no amount"));
            return None;
        }
        (Outcome::Award, None) => requested_ore,
        (Outcome::Award, Some(a)) if a == requested_ore => a,
        (Outcome::Award, Some(_)) => {
            errors.push(FieldError::new(
                field("amount_ore"),
                "invalid",
                "an award is the amount applied for; less is a partial_award",
            ));
            return None;
        }
        (Outcome::PartialAward, Some(a)) if a > 0 && a < requested_ore => a,
        (Outcome::PartialAward, _) => {
            errors.push(FieldError::new(
                field("amount_ore"),
                "invalid",
                "a partial award gives more than 0 and less than the amount applied for",
            ));
            return None;
        }
    };
    if amount > max_ore {
        errors.push(FieldError::new(field("amount_ore"), "invalid", format!("the round gives at most {max_ore} øre")));
        return None;
    }
    Some(amount)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criteria() -> Vec<Criterion> {
        ["reach", "method"]
            .map(|k| Criterion {
                key: k.into(),
                title: k.into(),
                description: String::new(),
                weight: 1,
                scale_min: 0,
                scale_max: 5,
            })
            .to_vec()
    }

    fn reasons(keys: &[&str], guidance: bool) -> Reasons {
        Reasons {
            justification: "Assessed against the round's published criteria".into(),
            criteria: keys
                .iter()
                .map(|k| CriterionReason { criterion: (*k).into(), assessment: "Strong".into() })
                .collect(),
            reconsideration: guidance.then(|| "Write to the pool's secretariat within 4 weeks".into()),
        }
    }

    fn check(outcome: Outcome, amount: Option<i64>, reasons: &Reasons) -> (Option<i64>, Vec<String>) {
        let mut errors = ValidationErrors::new();
        let input = DecisionInput { outcome, amount_ore: amount, reasons };
        let awarded = check_decision(&input, 1_000_000, 5_000_000, &criteria(), "", &mut errors);
        (awarded, errors.0.into_iter().map(|e| e.field).collect())
    }

    #[test]
    fn awards_and_partial_awards() {
        assert_eq!(check(Outcome::Award, None, &reasons(&[], false)), (Some(1_000_000), vec![]));
        assert_eq!(check(Outcome::PartialAward, Some(600_000), &reasons(&["reach"], true)), (Some(600_000), vec![]));
        assert_eq!(check(Outcome::PartialAward, Some(1_000_000), &reasons(&[], true)).1, ["amount_ore"]);
        assert_eq!(check(Outcome::PartialAward, Some(600_000), &reasons(&[], false)).1, ["reasons.reconsideration"]);
        assert_eq!(check(Outcome::Award, Some(5), &reasons(&[], false)).1, ["amount_ore"]);
    }

    #[test]
    fn a_rejection_gives_reasons_for_every_criterion_and_guidance() {
        assert_eq!(check(Outcome::Rejection, None, &reasons(&["reach", "method"], true)), (None, vec![]));
        let (_, fields) = check(Outcome::Rejection, Some(1), &reasons(&["reach", "nope"], false));
        assert_eq!(
            fields,
            ["reasons.criteria[1].criterion", "reasons.reconsideration", "reasons.criteria", "amount_ore"]
        );
    }
}
