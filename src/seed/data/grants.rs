//! The demo grant pools' data: the two pools, their criteria, and the applications (from the
//! seeded organisations, informal groups among them) with the state each is taken to.

use sammen_domain::grants::application::{ApplicationStatus, SizeBand};
use sammen_domain::grants::criteria::{Criterion, EligibilityRule};

use ApplicationStatus as S;

/// The pools the demo has.
pub struct DemoPool {
    pub title: &'static str,
    pub purpose: &'static str,
    pub budget_ore: i64,
}

pub const ELDERLY: DemoPool = DemoPool {
    title: "Puljen til ældrefællesskaber",
    purpose: "Puljen støtter nye måder at finde ensomme ældre borgere på og nye slags fællesskaber for dem: \
              opsøgende arbejde sammen med apoteker, hjemmepleje og boligsociale medarbejdere, og fællesskaber \
              om noget, man laver sammen, frem for om det at være ensom.",
    budget_ore: 200_000_000,
};

pub const NEIGHBOURS: DemoPool = DemoPool {
    title: "Nabopuljen – små fællesskaber i de almene boligområder",
    purpose: "Små tilskud til fællesskaber for ældre, der bor alene i de almene boligområder: en kaffeklub i \
              opgangen, en gåtur om ugen, et fast bord i beboerhuset. Puljen er lille, og pengene gives efter \
              først til mølle; er de brugt, kommer ansøgningen på venteliste.",
    budget_ore: 10_000_000,
};

/// Which round an application is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// The elderly pool's rolling round for small grants (decided without reviews).
    Small,
    /// The elderly pool's deadline round for large grants (two reviews each; still open).
    Large,
    /// The neighbourhood pool's rolling round, whose money is spoken for.
    Neighbours,
}

/// A demo application and the state to take it to.
pub struct DemoApplication {
    pub organisation: &'static str,
    pub round: Which,
    pub title: &'static str,
    pub summary: &'static str,
    pub description: &'static str,
    pub requested_kr: i64,
    pub size_band: SizeBand,
    pub target_groups: &'static [&'static str],
    pub status: ApplicationStatus,
    /// A partial award of this many kroner, for an application that is awarded.
    pub partial_kr: Option<i64>,
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
pub const APPLICATIONS: [DemoApplication; 16] = [
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
pub fn criteria() -> Vec<Criterion> {
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

pub fn eligibility() -> Vec<EligibilityRule> {
    vec![
        EligibilityRule { key: "local".into(), text: "Projektet foregår i Københavns Kommune".into() },
        EligibilityRule {
            key: "nonprofit".into(),
            text: "Ansøgeren er en forening, en frivillig organisation eller en uformel gruppe uden økonomisk formål"
                .into(),
        },
    ]
}
