//! The demo grant pools: "Puljen til ældrefællesskaber" with a rolling round for small grants and
//! a deadline round for large ones, and a small neighbourhood pool whose money is spoken for; with
//! applications from the seeded organisations (informal groups among them) in every state an
//! application can be in. Everything goes through the store's functions, as the API's commands
//! do, so the ledger, the timelines, the revisions and the outbox are as they would be.
//!
//! Seeded once: when the database has a grant pool, nothing is added (so `--force` adds none
//! twice). All of it in one transaction: a failure leaves no half pool behind.

use chrono::{NaiveDateTime, TimeDelta};
use sammen_domain::grants::application::{ApplicationStatus, AttachmentKind, SizeBand};
use sammen_domain::grants::criteria::{Criterion, EligibilityRule, check_criteria};
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

/// The pools the demo has.
struct DemoPool {
    title: &'static str,
    purpose: &'static str,
    budget_ore: i64,
}

const ELDERLY: DemoPool = DemoPool {
    title: "Puljen til ældrefællesskaber",
    purpose: "Puljen støtter nye måder at finde ensomme ældre borgere på og nye slags fællesskaber for dem: \
              opsøgende arbejde sammen med apoteker, hjemmepleje og boligsociale medarbejdere, og fællesskaber \
              om noget, man laver sammen, frem for om det at være ensom.",
    budget_ore: 200_000_000,
};

const NEIGHBOURS: DemoPool = DemoPool {
    title: "Nabopuljen – små fællesskaber i de almene boligområder",
    purpose: "Små tilskud til fællesskaber for ældre, der bor alene i de almene boligområder: en kaffeklub i \
              opgangen, en gåtur om ugen, et fast bord i beboerhuset. Puljen er lille, og pengene gives efter \
              først til mølle; er de brugt, kommer ansøgningen på venteliste.",
    budget_ore: 10_000_000,
};

/// Which round an application is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    /// The elderly pool's rolling round for small grants (decided without reviews).
    Small,
    /// The elderly pool's deadline round for large grants (two reviews each; still open).
    Large,
    /// The neighbourhood pool's rolling round, whose money is spoken for.
    Neighbours,
}

/// A demo application and the state to take it to.
struct DemoApplication {
    organisation: &'static str,
    round: Which,
    title: &'static str,
    summary: &'static str,
    description: &'static str,
    requested_kr: i64,
    size_band: SizeBand,
    target_groups: &'static [&'static str],
    status: ApplicationStatus,
    /// A partial award of this many kroner, for an application that is awarded.
    partial_kr: Option<i64>,
}

const fn application(
    organisation: &'static str,
    round: Which,
    status: ApplicationStatus,
    requested_kr: i64,
    size_band: SizeBand,
    texts: (&'static str, &'static str, &'static str),
    target_groups: &'static [&'static str],
) -> DemoApplication {
    DemoApplication {
        organisation,
        round,
        title: texts.0,
        summary: texts.1,
        description: texts.2,
        requested_kr,
        size_band,
        target_groups,
        status,
        partial_kr: None,
    }
}

/// The applications, in the order they are made (the neighbourhood pool's waitlisted one comes
/// after the one that spends its money).
const APPLICATIONS: [DemoApplication; 16] = [
    application(
        "Strikkecaféen på Amager",
        Which::Small,
        S::Accepted,
        25_000,
        SizeBand::Micro,
        (
            "Strik og snak på biblioteket",
            "En ugentlig strikkecafé på Amager Bibliotek, hvor hjemmeplejen og apoteket sender ensomme ældre videre til os.",
            "Vi mødes hver onsdag på biblioteket. Pengene går til garn, kaffe og en tur til Strikkefestivalen, og til \
             foldere, som hjemmeplejen og apoteket giver til ældre, de møder alene.",
        ),
        &["older_citizens", "loneliness", "hard_to_leave_home"],
    ),
    application(
        "Mandegruppen i Bispeparken",
        Which::Small,
        S::Closed,
        40_000,
        SizeBand::Micro,
        (
            "Mænd på tur",
            "Ture ud af byen for ældre mænd i Bispeparken, der bor alene, med madpakke og plads til at tale.",
            "Seks ture i løbet af et år: Kronborg, Mølleåen, en fiskekutter i Gilleleje. Vi lejer bus og betaler \
             entréer, så prisen ikke holder nogen hjemme.",
        ),
        &["older_citizens", "men", "loneliness"],
    ),
    DemoApplication {
        partial_kr: Some(30_000),
        ..application(
            "Nørrebro Sangkor",
            Which::Small,
            S::Awarded,
            45_000,
            SizeBand::Small,
            (
                "Syng med – fællessang i opgangen",
                "Korets sangere tager fællessangen med ud i opgangene på Nørrebro, for dem, der ikke kommer ud selv.",
                "En gang om måneden synger koret i en opgang eller et beboerhus og inviterer de ældre, der bor der. \
                 Pengene går til en pianist, sanghæfter med stor skrift og kaffe.",
            ),
            &["older_citizens", "loneliness", "hard_to_leave_home"],
        )
    },
    application(
        "Valby Petanqueklub",
        Which::Small,
        S::Rejected,
        60_000,
        SizeBand::Small,
        (
            "Ny petanquebane ved Valby Park",
            "En overdækket bane, så klubben kan spille hele året.",
            "Klubben har 80 medlemmer og vil gerne spille om vinteren. Pengene går til tag og belysning over to af \
             klubbens baner.",
        ),
        &["older_citizens"],
    ),
    application(
        "Husum Seniorbowling",
        Which::Small,
        S::Declined,
        15_000,
        SizeBand::Micro,
        (
            "Bowling for nye i Husum",
            "Gratis prøvegange i Husum Bowlingcenter for ældre, som er blevet alene.",
            "Vi inviterer nyligt enlige til fire gratis gange med en fast makker fra holdet. Pengene går til baneleje \
             og sko.",
        ),
        &["older_citizens", "newly_widowed"],
    ),
    application(
        "Gåturene fra Fælledparken",
        Which::Small,
        S::Withdrawn,
        12_000,
        SizeBand::Micro,
        (
            "Gå-venner på Østerbro",
            "Faste gå-venner for ældre, der ikke tør gå ture alene om vinteren.",
            "Vi ville købe refleksveste og broddere og lave en telefonkæde. Vi trak ansøgningen, da en anden forening \
             allerede gav os udstyret.",
        ),
        &["older_citizens", "loneliness"],
    ),
    application(
        "Kaffeklubben på Sjælør Boulevard",
        Which::Small,
        S::Submitted,
        8_000,
        SizeBand::Micro,
        (
            "Kaffe i gården",
            "Kaffe og kage i gården hver fredag for beboere over 70, og et banke-på, når nogen ikke kommer.",
            "Vi er fem naboer, der hver fredag stiller kaffe frem i gården. Pengene går til borde, en parasol og \
             kaffe for et år.",
        ),
        &["older_citizens", "loneliness"],
    ),
    application(
        "Dansk-Tyrkisk Seniorforening i Nordvest",
        Which::Small,
        S::InformationRequested,
        35_000,
        SizeBand::Micro,
        (
            "Tehus for ældre i Nordvest",
            "Et tehus to eftermiddage om ugen for ældre med tyrkisk baggrund, der sidder alene derhjemme.",
            "Vi låner lokaler i beboerhuset og vil invitere gennem moskeen, lægehuset og de tosprogede \
             sundhedsformidlere. Pengene går til te, transport og en tolk til besøg fra kommunen.",
        ),
        &["older_citizens", "minority_background", "loneliness"],
    ),
    application(
        "Vanløse Lokalhistoriske Forening",
        Which::Small,
        S::Ineligible,
        20_000,
        SizeBand::Small,
        (
            "Bog om Vanløses villaveje",
            "En illustreret bog om villavejenes historie fra 1900 til i dag.",
            "Foreningen vil trykke 500 eksemplarer af en bog, som medlemmerne har skrevet. Pengene går til tryk og \
             billedrettigheder.",
        ),
        &["everyone"],
    ),
    application(
        "Ældre Sagen Valby",
        Which::Small,
        S::InReview,
        50_000,
        SizeBand::Medium,
        (
            "Spisevenner i Valby",
            "Ældre, der spiser alene, bliver parret med en spiseven og mødes til fællesspisning hver anden uge.",
            "Hjemmeplejen og madudbringningen spørger, om den ældre vil have en spiseven. Vi matcher og holder \
             fællesspisning i Valby Kulturhus. Pengene går til mad, transport og en koordinator.",
        ),
        &["older_citizens", "loneliness", "newly_widowed"],
    ),
    application(
        "Nørrebro Sangkor",
        Which::Large,
        S::Draft,
        150_000,
        SizeBand::Small,
        (
            "Sang i plejeboligerne",
            "Koret synger med beboerne i tre plejeboliger på Nørrebro, med pårørende og frivillige.",
            "",
        ),
        &["older_citizens", "dementia"],
    ),
    application(
        "Røde Kors København",
        Which::Large,
        S::Submitted,
        450_000,
        SizeBand::Large,
        (
            "Besøgsvenner, der finder dem, ingen kender",
            "Besøgsvenner, som apoteker, præster og viceværter henviser til, for ældre, kommunen ikke kender til.",
            "Mange ensomme ældre har ingen kontakt med kommunen. Vi vil uddanne 30 nøglepersoner på apoteker, i \
             kirker og blandt viceværter i at spørge, om de må give besked til Røde Kors, og følge op med et besøg \
             inden for en uge. Pengene går til en projektleder, uddannelse af nøglepersonerne og en evaluering.",
        ),
        &["older_citizens", "loneliness", "hard_to_leave_home"],
    ),
    application(
        "Ensomme Gamles Værn",
        Which::Large,
        S::InReview,
        600_000,
        SizeBand::Large,
        (
            "Fællesskab om noget – værksteder for ældre mænd",
            "Værksteder i tre bydele, hvor ældre mænd reparerer cykler og møbler for naboerne.",
            "Mænd over 70 søger sjældent de klassiske tilbud, men kommer gerne, når der er noget at lave. Vi \
             indretter værksteder i tre beboerhuse, og naboerne afleverer det, der skal repareres. Pengene går til \
             værktøj, husleje og en værkstedsleder i to år, og til at dele erfaringerne med andre bydele.",
        ),
        &["older_citizens", "men", "loneliness"],
    ),
    application(
        "Alzheimerforeningen København",
        Which::Large,
        S::InReview,
        300_000,
        SizeBand::Medium,
        (
            "Demensvenlige fællesskaber i idrætsforeningerne",
            "Idrætsforeninger tager imod mennesker med demens og deres pårørende på almindelige hold.",
            "Vi uddanner trænere i ti foreninger, så mennesker med demens kan blive på deres hold eller begynde på \
             et nyt. Pårørende får et netværk imens. Pengene går til kurser, en konsulent og materialer til \
             foreningerne, og til en konference, hvor foreningerne deler, hvad der virker.",
        ),
        &["older_citizens", "dementia"],
    ),
    application(
        "KAB",
        Which::Neighbours,
        S::InReview,
        60_000,
        SizeBand::Large,
        (
            "Opgangsværter i Tingbjerg",
            "Frivillige opgangsværter banker på hos ældre, der bor alene, og inviterer til kaffe i opgangen.",
            "Vi uddanner 20 beboere som opgangsværter. Pengene går til kaffe, et kursus og en lille fest om året.",
        ),
        &["older_citizens", "loneliness"],
    ),
    application(
        "Frivilligcenter Nørrebro",
        Which::Neighbours,
        S::Waitlisted,
        50_000,
        SizeBand::Medium,
        (
            "Fredagsbar i Mjølnerparken",
            "En fredagsbar uden alkohol i beboerhuset for ældre, der ellers sidder alene i weekenden.",
            "Frivillige fra centret holder fredagsbar med musik og spil. Pengene går til musikere og forplejning.",
        ),
        &["older_citizens", "loneliness", "minority_background"],
    ),
];

/// The criteria of every demo round.
fn criteria() -> Vec<Criterion> {
    vec![
        Criterion {
            key: "reach".into(),
            title: "Finder ensomme ældre på nye måder".into(),
            description: "Hvordan projektet når ældre, som ikke selv opsøger et fællesskab: gennem apoteket, \
                          hjemmeplejen, viceværten eller naboerne."
                .into(),
            weight: 60,
            scale_min: 0,
            scale_max: 5,
        },
        Criterion {
            key: "community".into(),
            title: "Skaber nye slags fællesskaber".into(),
            description: "Om projektet prøver en ny form for fællesskab, og om det kan leve videre, når tilskuddet er \
                          brugt."
                .into(),
            weight: 40,
            scale_min: 0,
            scale_max: 5,
        },
    ]
}

fn eligibility() -> Vec<EligibilityRule> {
    vec![
        EligibilityRule { key: "local".into(), text: "Projektet foregår i Københavns Kommune".into() },
        EligibilityRule {
            key: "nonprofit".into(),
            text: "Ansøgeren er en forening, en frivillig organisation eller en uformel gruppe uden økonomisk formål"
                .into(),
        },
    ]
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
