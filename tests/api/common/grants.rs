//! Grant pool fixtures made straight through the store: a published pool, an open round, and an
//! application driven to any state, so each test arranges in a line what it is not about.

use chrono::{NaiveDate, TimeDelta};
use sammen_domain::grants::application::{ApplicationStatus, AttachmentKind, SizeBand};
use sammen_domain::grants::criteria::{Criterion, EligibilityRule};
use sammen_domain::grants::decision::{Outcome, Reasons};
use sammen_domain::grants::pool::PoolStatus;
use sammen_domain::grants::round::{RoundKind, RoundTerms, Track};
use sammen_domain::ids::{GrantApplicationId, OrganisationId};
use sammen_store::grants::{
    self as store, ApplicationContent, Decision, NewAttachment, NewPool, NewRound, Pool, PoolChanges, Round,
    ScreeningResult,
};

use super::{TestApp, arranged};

/// The criteria every fixture round publishes.
pub fn criteria() -> Vec<Criterion> {
    vec![
        Criterion {
            key: "reach".into(),
            title: "Reaches lonely older citizens".into(),
            description: String::new(),
            weight: 60,
            scale_min: 0,
            scale_max: 5,
        },
        Criterion {
            key: "method".into(),
            title: "A new method".into(),
            description: String::new(),
            weight: 40,
            scale_min: 0,
            scale_max: 5,
        },
    ]
}

pub fn eligibility() -> Vec<EligibilityRule> {
    vec![EligibilityRule { key: "local".into(), text: "The project takes place in Copenhagen".into() }]
}

/// A complete application's content asking for `requested_ore`.
pub fn content(title: &str, requested_ore: i64) -> ApplicationContent {
    ApplicationContent {
        title: Some(title.into()),
        summary: Some("Weekly walks that bring lonely older men together".into()),
        description: Some("We walk every Tuesday from the library, and invite men we meet at the pharmacy. ".repeat(4)),
        amount_requested_ore: Some(requested_ore),
        planned_start: Some(NaiveDate::from_ymd_opt(2027, 8, 1)),
        planned_end: Some(NaiveDate::from_ymd_opt(2028, 6, 30)),
        size_band: Some(Some(SizeBand::Micro)),
        target_groups: Some(vec!["older_citizens".into(), "loneliness".into()]),
        answers: Some(serde_json::Map::new()),
        declarations: Some(vec!["local".into()]),
    }
}

impl TestApp {
    /// A published pool with `budget_ore`.
    pub fn grant_pool(&self, budget_ore: i64) -> Pool {
        let new = NewPool {
            title: "Puljen til ældrefællesskaber".into(),
            purpose: "New ways of finding lonely older citizens and new kinds of communities".into(),
            legal_basis: "Serviceloven § 18".into(),
            funder_name: "Københavns Kommune".into(),
            funder_identifier: "DK-CVR-64942212".into(),
            budget_ore,
        };
        self.with_db(|c| {
            let pool = store::insert_pool(c, &new, &arranged())?;
            let publish = PoolChanges { status: Some(PoolStatus::Published), ..Default::default() };
            store::update_pool(c, &pool.id, None, &publish, &arranged())
        })
        .expect("the test pool is stored")
    }

    /// A round of `pool` that opened yesterday and (a deadline round) closes in 30 days, with
    /// `reviews_required` reviews per decision.
    pub fn grant_round(&self, pool: &Pool, kind: RoundKind, track: Track, reviews_required: i32) -> Round {
        let now = self.state.clock.now();
        let (min, max) = match track {
            Track::Small => (500_000, 8_000_000),
            Track::Large => (8_000_100, 100_000_000),
        };
        let new = NewRound {
            pool_id: pool.id.clone(),
            title: format!("{kind} round, {track} grants"),
            description: "Applications for new communities of older citizens".into(),
            terms: RoundTerms {
                kind,
                track,
                opens_at: now - TimeDelta::days(1),
                closes_at: (kind == RoundKind::Deadline).then(|| now + TimeDelta::days(30)),
                min_amount_ore: min,
                max_amount_ore: max,
                decision_expected_on: (now + TimeDelta::days(60)).date(),
                reviews_required,
            },
            criteria: criteria(),
            eligibility: eligibility(),
        };
        self.with_db(|c| store::insert_round(c, &new, &arranged())).expect("the test round is stored")
    }

    /// An application of organisation `org` in `round` for `requested_ore`, taken to `status`
    /// the way the lifecycle goes (submitted, screened, reviewed by no one: the round must need
    /// no reviews to decide, awarded in full). Returns its id.
    pub fn grant_application(
        &self,
        round: &Round,
        org: &str,
        requested_ore: i64,
        status: ApplicationStatus,
    ) -> GrantApplicationId {
        use ApplicationStatus as S;
        let org = OrganisationId::from_stored(org.to_owned());
        let now = self.state.clock.now();
        let ctx = arranged();
        self.with_db(|c| {
            let app = store::insert_application(c, round, &org, &content("Tuesday walks", requested_ore), &ctx)?;
            let id = app.id.clone();
            if round.track == Track::Large {
                for kind in [AttachmentKind::Budget, AttachmentKind::ProjectPlan] {
                    let file = NewAttachment {
                        kind,
                        file_name: "plan.pdf",
                        media_type: "application/pdf",
                        content: b"%PDF-1.4 test",
                    };
                    store::insert_attachment(c, &id, &file, &ctx)?;
                }
            }
            if status == S::Draft {
                return Ok(id);
            }
            if status == S::Withdrawn {
                store::withdraw_application(c, &id, None, &ctx)?;
                return Ok(id);
            }
            let submitted = store::submit_application(c, &id, None, now, &ctx)?;
            if matches!(status, S::Submitted | S::Waitlisted) || submitted.application.status == S::Waitlisted {
                return Ok(id);
            }
            let screening = match status {
                S::Ineligible => ScreeningResult::Ineligible { reasons: "The project is outside Copenhagen".into() },
                S::InformationRequested => ScreeningResult::MoreInformation(store::Screening {
                    message: "Send the budget in detail".into(),
                    due_on: None,
                }),
                _ => ScreeningResult::Eligible,
            };
            store::screen_application(c, &id, None, &screening, &ctx)?;
            if matches!(status, S::Ineligible | S::InformationRequested | S::InReview) {
                return Ok(id);
            }
            let (outcome, awarded) =
                if status == S::Rejected { (Outcome::Rejection, None) } else { (Outcome::Award, Some(requested_ore)) };
            let reasons = Reasons {
                justification: "Assessed against the round's published criteria".into(),
                criteria: Vec::new(),
                reconsideration: Some("Ask the pool's secretariat for reconsideration within four weeks".into()),
            };
            let decision =
                Decision { application_id: id.clone(), expected_version: None, outcome, awarded_ore: awarded, reasons };
            store::decide(c, &decision, &ctx)?;
            if matches!(status, S::Awarded | S::Rejected) {
                return Ok(id);
            }
            store::answer_award(c, &id, None, status != S::Declined, &ctx)?;
            if status == S::Closed {
                let first = store::tranches(c, &id)?.remove(0);
                store::pay_tranche(c, &id, &first.id, "NK-1", &ctx)?;
                let report = store::submit_report(c, &id, first.amount_ore, "We did what we said", &ctx)?;
                store::review_report(c, &id, &report.id, true, None, &ctx)?;
                store::close_award(c, &id, &ctx)?;
            }
            Ok::<_, sammen_store::StoreError>(id)
        })
        .expect("the test application is arranged")
    }
}
