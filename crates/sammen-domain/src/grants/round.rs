//! Rounds: deadline rounds and rolling first-come rounds, each on a track by amount that decides
//! the form, the attachments, the report and the payout. Server time decides whether a round is open.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::application::AttachmentKind;
use super::money::{MAX_BUDGET_ORE, SMALL_GRANT_LIMIT_ORE};
use crate::validation::{FieldError, ValidationErrors};

crate::text_enum! {
    /// A deadline round decides all applications together after it closes; a rolling round
    /// takes applications first come, first served until the money is spent.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum RoundKind ("kind of round") {
        Deadline = "deadline",
        Rolling = "rolling",
    }
}

crate::text_enum! {
    /// The track by amount: proportionate demands for small grants.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Track ("track") {
        Small = "small",
        Large = "large",
    }
}

crate::text_enum! {
    /// How the applicant reports on a grant.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ReportKind ("kind of report") {
        /// A declaration on honour ("tro og love-erklæring"), checked by random samples.
        Declaration = "declaration",
        /// Accounts of what the money was spent on.
        Accounts = "accounts",
    }
}

/// What a track asks of an applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackRules {
    /// `short` or `full`.
    pub form: &'static str,
    /// The shortest project description accepted.
    pub description_min_chars: usize,
    pub required_attachments: &'static [AttachmentKind],
    pub report: ReportKind,
    /// How many payments an award is paid in.
    pub tranches: u8,
}

impl Track {
    pub fn rules(self) -> TrackRules {
        match self {
            Track::Small => TrackRules {
                form: "short",
                description_min_chars: 0,
                required_attachments: &[],
                report: ReportKind::Declaration,
                tranches: 1,
            },
            Track::Large => TrackRules {
                form: "full",
                description_min_chars: 200,
                required_attachments: &[AttachmentKind::Budget, AttachmentKind::ProjectPlan],
                report: ReportKind::Accounts,
                tranches: 2,
            },
        }
    }
}

/// Where a round stands at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Upcoming,
    Open,
    Closed,
}

/// The phase at `now`: open from `opens_at` (inclusive) until `closes_at` (exclusive): an
/// application is on time if the server received it before the deadline's instant.
pub fn phase(now: NaiveDateTime, opens_at: NaiveDateTime, closes_at: Option<NaiveDateTime>) -> Phase {
    if now < opens_at {
        Phase::Upcoming
    } else if closes_at.is_some_and(|c| now >= c) {
        Phase::Closed
    } else {
        Phase::Open
    }
}

/// A round's terms as given.
#[derive(Debug, Clone)]
pub struct RoundTerms {
    pub kind: RoundKind,
    pub track: Track,
    pub opens_at: NaiveDateTime,
    pub closes_at: Option<NaiveDateTime>,
    pub min_amount_ore: i64,
    pub max_amount_ore: i64,
    pub decision_expected_on: NaiveDate,
    pub reviews_required: i32,
}

/// Checks a round's terms, reporting every bad field.
pub fn check_round(terms: &RoundTerms, errors: &mut ValidationErrors) {
    if terms.kind == RoundKind::Deadline && terms.closes_at.is_none() {
        errors.push(FieldError::new("closes_at", "required", "a deadline round needs its deadline"));
    }
    if terms.closes_at.is_some_and(|c| c <= terms.opens_at) {
        errors.push(FieldError::new("closes_at", "invalid", "must be after opens_at"));
    }
    if !(1..=MAX_BUDGET_ORE).contains(&terms.min_amount_ore) {
        errors.push(FieldError::new("min_amount_ore", "invalid", "must be a positive number of øre"));
    }
    if terms.max_amount_ore < terms.min_amount_ore || terms.max_amount_ore > MAX_BUDGET_ORE {
        errors.push(FieldError::new("max_amount_ore", "invalid", "must be at least min_amount_ore"));
    }
    match terms.track {
        Track::Small if terms.max_amount_ore > SMALL_GRANT_LIMIT_ORE => errors.push(FieldError::new(
            "max_amount_ore",
            "invalid",
            format!("a small-grant round gives at most {SMALL_GRANT_LIMIT_ORE} øre (80,000 kr)"),
        )),
        Track::Large if terms.min_amount_ore <= SMALL_GRANT_LIMIT_ORE => errors.push(FieldError::new(
            "min_amount_ore",
            "invalid",
            format!("a large-grant round starts above {SMALL_GRANT_LIMIT_ORE} øre (80,000 kr); smaller grants have the small track"),
        )),
        _ => {}
    }
    let decision_day = terms.decision_expected_on.and_hms_opt(23, 59, 59).unwrap_or_default();
    if terms.closes_at.is_some_and(|c| decision_day < c) || decision_day < terms.opens_at {
        errors.push(FieldError::new("decision_expected_on", "invalid", "must not be before the round closes"));
    }
    if !(0..=10).contains(&terms.reviews_required) {
        errors.push(FieldError::new("reviews_required", "invalid", "must be between 0 and 10"));
    }
}

/// Whether `amount` is within the round's limits.
pub fn amount_within(amount: i64, min: i64, max: i64) -> bool {
    (min..=max).contains(&amount)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    fn terms() -> RoundTerms {
        RoundTerms {
            kind: RoundKind::Deadline,
            track: Track::Large,
            opens_at: at("2027-04-15 00:00:00"),
            closes_at: Some(at("2027-04-30 10:00:00")),
            min_amount_ore: 8_000_100,
            max_amount_ore: 50_000_000,
            decision_expected_on: NaiveDate::from_ymd_opt(2027, 6, 15).unwrap(),
            reviews_required: 2,
        }
    }

    #[test]
    fn open_from_the_opening_until_just_before_the_deadline() {
        let (opens, closes) = (at("2027-04-15 00:00:00"), Some(at("2027-04-30 10:00:00")));
        assert_eq!(phase(at("2027-04-14 23:59:59"), opens, closes), Phase::Upcoming);
        assert_eq!(phase(opens, opens, closes), Phase::Open);
        assert_eq!(phase(at("2027-04-30 09:59:59"), opens, closes), Phase::Open);
        assert_eq!(phase(at("2027-04-30 10:00:00"), opens, closes), Phase::Closed);
        assert_eq!(phase(at("2030-01-01 00:00:00"), opens, None), Phase::Open, "a rolling round runs on");
    }

    #[test]
    fn round_terms() {
        let mut errors = ValidationErrors::new();
        check_round(&terms(), &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        let bad = RoundTerms {
            closes_at: None,
            track: Track::Small,
            min_amount_ore: 0,
            decision_expected_on: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            reviews_required: 11,
            ..terms()
        };
        let mut errors = ValidationErrors::new();
        check_round(&bad, &mut errors);
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["closes_at", "min_amount_ore", "max_amount_ore", "decision_expected_on", "reviews_required"]
        );
        let mut errors = ValidationErrors::new();
        check_round(&RoundTerms { min_amount_ore: 100_000, ..terms() }, &mut errors);
        assert_eq!(errors.0[0].field, "min_amount_ore", "a large round starts above the small limit");
    }

    #[test]
    fn tracks_are_proportionate() {
        assert_eq!(Track::Small.rules().report, ReportKind::Declaration);
        assert!(Track::Small.rules().required_attachments.is_empty());
        assert_eq!(Track::Large.rules().required_attachments, &[AttachmentKind::Budget, AttachmentKind::ProjectPlan]);
        assert_eq!(Track::Large.rules().tranches, 2);
    }
}
