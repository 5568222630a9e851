//! The demo grant pools: "Puljen til ældrefællesskaber" with a rolling round for small grants and
//! a deadline round for large ones, and a small neighbourhood pool whose money is spoken for; with
//! applications from the seeded organisations (informal groups among them) in every state an
//! application can be in. Everything goes through the store's functions, as the API's commands
//! do, so the ledger, the timelines, the revisions and the outbox are as they would be.
//!
//! Seeded once: when the database has a grant pool, nothing is added (so `--force` adds none
//! twice). All of it in one transaction: a failure leaves no half pool behind.

use chrono::{NaiveDateTime, TimeDelta};
use sammen_domain::grants::application::{ApplicationStatus, AttachmentKind};
use sammen_domain::grants::criteria::check_criteria;
use sammen_domain::grants::decision::{CriterionReason, DecisionInput, Outcome, Reasons, check_decision};
use sammen_domain::grants::pool::{PoolInput, PoolStatus, check_pool};
use sammen_domain::grants::round::{RoundKind, RoundTerms, Track, check_round};
use sammen_domain::ids::OrganisationId;
use sammen_domain::validation::ValidationErrors;
use sammen_store::audit::AuditContext;
use sammen_store::grants::{
    self as store, ApplicationContent, Decision, NewAttachment, NewPool, NewRound, PoolChanges, Round, Screening,
    ScreeningResult,
};
use sammen_store::{DbConn, StoreError};

use super::data::{APPLICATIONS, DemoApplication, DemoPool, ELDERLY, NEIGHBOURS, Which, criteria, eligibility};
use super::describe;

use ApplicationStatus as S;

/// A failed seeding step, with what it was about.
struct Failed(String);

impl From<StoreError> for Failed {
    fn from(e: StoreError) -> Self {
        Failed(e.to_string())
    }
}

/// Adds `context` to a store error.
fn at<T>(context: impl std::fmt::Display, result: Result<T, StoreError>) -> Result<T, Failed> {
    result.map_err(|e| Failed(format!("{context}: {e}")))
}

fn checked(what: &str, errors: ValidationErrors) -> Result<(), Failed> {
    if errors.is_empty() { Ok(()) } else { Err(Failed(format!("{what}: {}", describe(&errors)))) }
}

/// Adds the demo pools with their rounds and applications, unless the database has a grant pool
/// already; returns how many pools and applications were added. Applications of organisations
/// the directory does not have (any more) are left out.
pub fn seed_grants(conn: &mut DbConn, ctx: &AuditContext) -> Result<(usize, usize), String> {
    if !store::list_pools(conn, false, None, 1).map_err(|e| e.to_string())?.is_empty() {
        return Ok((0, 0));
    }
    let mut organisations = Vec::new();
    for demo in &APPLICATIONS {
        if let Some(id) = super::find_organisation_id(conn, demo.organisation)? {
            organisations.push((demo, id));
        }
    }
    sammen_store::write_transaction(conn, |conn| seed(conn, ctx, &organisations)).map_err(|Failed(why)| why)
}

fn seed(
    conn: &mut DbConn,
    ctx: &AuditContext,
    applications: &[(&DemoApplication, OrganisationId)],
) -> Result<(usize, usize), Failed> {
    let now = sammen_store::now();
    let today = now.date();
    let noon = |days: i64| (today + TimeDelta::days(days)).and_hms_opt(12, 0, 0).unwrap_or(now);
    let elderly = pool(conn, ctx, &ELDERLY)?;
    let small = round(
        conn,
        ctx,
        &elderly,
        "Små tilskud – løbende ansøgning",
        "Op til 80.000 kr. til små projekter. Ansøgninger behandles løbende, efter først til mølle, så længe der er \
         penge i puljen. Svar inden for fire uger.",
        RoundTerms {
            kind: RoundKind::Rolling,
            track: Track::Small,
            opens_at: noon(-120),
            closes_at: None,
            min_amount_ore: 500_000,
            max_amount_ore: 8_000_000,
            decision_expected_on: today + TimeDelta::days(28),
            reviews_required: 0,
        },
    )?;
    let large = round(
        conn,
        ctx,
        &elderly,
        "Store tilskud – ansøgningsfrist",
        "Over 80.000 kr. til større projekter, der prøver noget nyt. Alle ansøgninger vurderes af to \
         bedømmere efter fristen og besluttes samlet.",
        RoundTerms {
            kind: RoundKind::Deadline,
            track: Track::Large,
            opens_at: noon(-14),
            closes_at: Some(noon(30)),
            min_amount_ore: 8_000_100,
            max_amount_ore: 100_000_000,
            decision_expected_on: today + TimeDelta::days(75),
            reviews_required: 2,
        },
    )?;
    let neighbours_pool = pool(conn, ctx, &NEIGHBOURS)?;
    let neighbours = round(
        conn,
        ctx,
        &neighbours_pool,
        "Nabotilskud – løbende ansøgning",
        "Op til 60.000 kr. til fællesskaber for ældre i de almene boligområder, efter først til mølle.",
        RoundTerms {
            kind: RoundKind::Rolling,
            track: Track::Small,
            opens_at: noon(-60),
            closes_at: None,
            min_amount_ore: 500_000,
            max_amount_ore: 6_000_000,
            decision_expected_on: today + TimeDelta::days(28),
            reviews_required: 0,
        },
    )?;
    for (demo, org) in applications {
        let round = match demo.round {
            Which::Small => &small,
            Which::Large => &large,
            Which::Neighbours => &neighbours,
        };
        drive(conn, ctx, round, demo, org, now)?;
    }
    Ok((2, applications.len()))
}

/// A published pool, checked as the API would.
fn pool(conn: &mut DbConn, ctx: &AuditContext, demo: &DemoPool) -> Result<store::Pool, Failed> {
    let new = NewPool {
        title: demo.title.into(),
        purpose: demo.purpose.into(),
        legal_basis: "Serviceloven § 18".into(),
        funder_name: "Københavns Kommune".into(),
        funder_identifier: "DK-CVR-64942212".into(),
        budget_ore: demo.budget_ore,
    };
    let mut errors = ValidationErrors::new();
    check_pool(
        &PoolInput {
            title: Some(&new.title),
            purpose: Some(&new.purpose),
            legal_basis: Some(&new.legal_basis),
            funder_name: Some(&new.funder_name),
            funder_identifier: Some(&new.funder_identifier),
            budget_ore: Some(new.budget_ore),
        },
        &mut errors,
    );
    checked(&format!("pool {}", demo.title), errors)?;
    let pool = at(demo.title, store::insert_pool(conn, &new, ctx))?;
    let publish = PoolChanges { status: Some(PoolStatus::Published), ..Default::default() };
    at(demo.title, store::update_pool(conn, &pool.id, None, &publish, ctx))
}

/// A round of `pool`, checked as the API would.
fn round(
    conn: &mut DbConn,
    ctx: &AuditContext,
    pool: &store::Pool,
    title: &str,
    description: &str,
    terms: RoundTerms,
) -> Result<Round, Failed> {
    let new = NewRound {
        pool_id: pool.id.clone(),
        title: title.into(),
        description: description.into(),
        terms,
        criteria: criteria(),
        eligibility: eligibility(),
    };
    let mut errors = ValidationErrors::new();
    check_round(&new.terms, &mut errors);
    check_criteria(&new.criteria, &new.eligibility, &mut errors);
    checked(&format!("round {title}"), errors)?;
    at(title, store::insert_round(conn, &new, ctx))
}

/// The content of a demo application. A large one's description is its text and a paragraph on
/// how it will be followed (the full form asks for at least 200 characters).
fn content(demo: &DemoApplication, round: &Round, now: NaiveDateTime) -> ApplicationContent {
    let start = now.date() + TimeDelta::days(60);
    let description = match (round.track, demo.description) {
        (_, "") => String::new(),
        (Track::Small, text) => text.to_owned(),
        (Track::Large, text) => format!(
            "{text}\n\nVi følger projektet med en kort spørgeskemaundersøgelse ved start og slut, og vi fortæller \
             andre foreninger om, hvad vi har lært."
        ),
    };
    ApplicationContent {
        title: Some(demo.title.into()),
        summary: Some(demo.summary.into()),
        description: Some(description),
        amount_requested_ore: Some(demo.requested_kr * 100),
        planned_start: Some(Some(start)),
        planned_end: Some(Some(start + TimeDelta::days(if round.track == Track::Large { 730 } else { 300 }))),
        size_band: Some(Some(demo.size_band)),
        target_groups: Some(demo.target_groups.iter().map(|g| (*g).to_owned()).collect()),
        answers: Some(Default::default()),
        declarations: Some(eligibility().into_iter().map(|r| r.key).collect()),
    }
}

/// The decision on `demo`: an award (in full or in part) or a rejection, with reasons for every
/// criterion, checked as the API would.
fn decision(
    demo: &DemoApplication,
    round: &Round,
    id: &sammen_domain::ids::GrantApplicationId,
) -> Result<Decision, Failed> {
    let requested = demo.requested_kr * 100;
    let (outcome, amount, reach, community, justification) = match (demo.status, demo.partial_kr) {
        (S::Rejected, _) => (
            Outcome::Rejection,
            None,
            "Projektet er for klubbens nuværende medlemmer og finder ikke nye, ensomme ældre.",
            "Et tag over banerne er et anlæg, ikke en ny slags fællesskab.",
            "Puljen støtter nye måder at finde ensomme ældre på og nye fællesskaber. Projektet forbedrer et \
             eksisterende tilbud og opfylder derfor ikke puljens formål.",
        ),
        (_, Some(partial)) => (
            Outcome::PartialAward,
            Some(partial * 100),
            "Koret når ældre, der ikke kommer ud, ved at tage sangen med hjem til dem.",
            "Fællessang i opgangen er en ny form; pianisten er dog dyrere end nødvendigt.",
            "Projektet opfylder puljens formål. Udgiften til pianist er sat ned, da koret selv har en \
             akkompagnatør.",
        ),
        _ => (
            Outcome::Award,
            Some(requested),
            "Projektet når ældre gennem folk, de allerede møder i hverdagen.",
            "Fællesskabet er om noget, man laver sammen, og kan fortsætte uden tilskud.",
            "Projektet opfylder puljens formål og kriterier og er billigt i forhold til, hvor mange det når.",
        ),
    };
    let reasons = Reasons {
        justification: justification.into(),
        criteria: vec![
            CriterionReason { criterion: "reach".into(), assessment: reach.into() },
            CriterionReason { criterion: "community".into(), assessment: community.into() },
        ],
        reconsideration: Some(
            "I kan bede puljens sekretariat om at se på afgørelsen igen inden fire uger. Skriv til \
             puljen@kk.dk, og fortæl, hvad I mener, vi har overset."
                .into(),
        ),
    };
    let mut errors = ValidationErrors::new();
    let input = DecisionInput { outcome, amount_ore: amount, reasons: &reasons };
    let awarded = check_decision(&input, requested, round.max_amount_ore, &criteria(), "", &mut errors);
    checked(&format!("the decision on {}", demo.title), errors)?;
    Ok(Decision { application_id: id.clone(), expected_version: None, outcome, awarded_ore: awarded, reasons })
}

/// Makes `demo`'s application and takes it to its state the way the lifecycle goes.
fn drive(
    conn: &mut DbConn,
    ctx: &AuditContext,
    round: &Round,
    demo: &DemoApplication,
    org: &OrganisationId,
    now: NaiveDateTime,
) -> Result<(), Failed> {
    let what = format!("application {} ({})", demo.title, demo.organisation);
    let app = at(&what, store::insert_application(conn, round, org, &content(demo, round, now), ctx))?;
    let id = app.id;
    if round.track == Track::Large {
        // A draft has its budget only: its checklist still asks for the project plan.
        let kinds: &[AttachmentKind] = if demo.status == S::Draft {
            &[AttachmentKind::Budget]
        } else {
            &[AttachmentKind::Budget, AttachmentKind::ProjectPlan]
        };
        for kind in kinds {
            let (file_name, text) = match kind {
                AttachmentKind::Budget => ("budget.pdf", "Budget"),
                _ => ("projektplan.pdf", "Projektplan"),
            };
            let content = format!("%PDF-1.4\n% {text}: {}\n%%EOF\n", demo.title);
            let file =
                NewAttachment { kind: *kind, file_name, media_type: "application/pdf", content: content.as_bytes() };
            at(&what, store::insert_attachment(conn, &id, &file, ctx))?;
        }
    }
    if demo.status == S::Draft {
        return Ok(());
    }
    let submitted = at(&what, store::submit_application(conn, &id, None, now, ctx))?;
    if submitted.application.status == S::Waitlisted || demo.status == S::Waitlisted {
        return if submitted.application.status == demo.status {
            Ok(())
        } else {
            Err(Failed(format!("{what}: {} on submission, not {}", submitted.application.status, demo.status)))
        };
    }
    let screening = match demo.status {
        S::Submitted => return Ok(()),
        S::Withdrawn => {
            at(&what, store::withdraw_application(conn, &id, None, ctx))?;
            return Ok(());
        }
        S::Ineligible => ScreeningResult::Ineligible {
            reasons: "Puljen støtter fællesskaber for ensomme ældre. En bog om lokalhistorie er ikke et \
                      fællesskab, og projektet ligger derfor uden for puljens formål."
                .into(),
        },
        S::InformationRequested => ScreeningResult::MoreInformation(Screening {
            message: "Send et budget, der viser, hvad transport og tolk koster hver for sig, og fortæl, hvor mange \
                      I regner med at nå."
                .into(),
            due_on: Some(now.date() + TimeDelta::days(14)),
        }),
        _ => ScreeningResult::Eligible,
    };
    at(&what, store::screen_application(conn, &id, None, &screening, ctx))?;
    if matches!(demo.status, S::Ineligible | S::InformationRequested | S::InReview) {
        return Ok(());
    }
    at(&what, store::decide(conn, &decision(demo, round, &id)?, ctx))?;
    if matches!(demo.status, S::Awarded | S::Rejected) {
        return Ok(());
    }
    at(&what, store::answer_award(conn, &id, None, demo.status != S::Declined, ctx))?;
    if matches!(demo.status, S::Accepted | S::Closed) {
        let first = at(&what, store::tranches(conn, &id))?.remove(0);
        at(&what, store::pay_tranche(conn, &id, &first.id, "NK-2026-0417", ctx))?;
        if demo.status == S::Closed {
            let text = "Vi har holdt alle seks ture med mellem 9 og 14 deltagere. Pengene er brugt som budgetteret, \
                        og vi erklærer på tro og love, at de er brugt til projektet.";
            let report = at(&what, store::submit_report(conn, &id, first.amount_ore, text, ctx))?;
            at(&what, store::review_report(conn, &id, &report.id, true, None, ctx))?;
            at(&what, store::close_award(conn, &id, ctx))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_applications_cover_every_status_and_an_informal_group() {
        for status in ApplicationStatus::ALL {
            assert!(APPLICATIONS.iter().any(|a| a.status == status), "{status}");
        }
        let informal = super::super::data::ORGANISATIONS
            .iter()
            .filter(|o| o.kind == sammen_domain::directory::organisation::OrganisationKind::InformalGroup)
            .map(|o| o.name)
            .collect::<Vec<_>>();
        assert!(APPLICATIONS.iter().any(|a| informal.contains(&a.organisation)));
        for a in &APPLICATIONS {
            assert!(super::super::data::ORGANISATIONS.iter().any(|o| o.name == a.organisation), "{}", a.organisation);
        }
    }

    #[test]
    fn the_neighbourhood_pool_s_money_is_spoken_for_before_the_waitlisted_one() {
        let neighbours: Vec<_> = APPLICATIONS.iter().filter(|a| a.round == Which::Neighbours).collect();
        let waitlisted = neighbours.iter().position(|a| a.status == S::Waitlisted).unwrap();
        let ahead: i64 = neighbours[..=waitlisted].iter().map(|a| a.requested_kr * 100).sum();
        assert!(ahead > NEIGHBOURS.budget_ore, "{ahead} øre asked for, against {}", NEIGHBOURS.budget_ore);
        let ahead_of_it: i64 = neighbours[..waitlisted].iter().map(|a| a.requested_kr * 100).sum();
        assert!(ahead_of_it <= NEIGHBOURS.budget_ore);
    }
}
