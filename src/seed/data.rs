//! The tables behind `sammen seed --demo`: Copenhagen's districts, housing areas for older
//! citizens, organisations of every kind, and the templates their activities are made from.
//! Demo data: the coordinates are approximate, the contact details and addresses invented, and the
//! CVR numbers made up (they pass the modulus-11 check, but are not the organisations' real
//! numbers; the municipal ones use Københavns Kommune's).

use sammen_domain::directory::activity::Mode;
use sammen_domain::directory::organisation::OrganisationInput;
use sammen_domain::directory::organisation::OrganisationKind::{self, *};
use sammen_domain::directory::schedule::Weekday::{self, *};

/// Copenhagen's ten districts (bydele): (code, name, latitude, longitude), in display order.
pub const DISTRICTS: [(&str, &str, f64, f64); 10] = [
    ("indre_by", "Indre By", 55.6786, 12.5778),
    ("osterbro", "Østerbro", 55.7060, 12.5750),
    ("norrebro", "Nørrebro", 55.6940, 12.5480),
    ("vesterbro_kongens_enghave", "Vesterbro/Kongens Enghave", 55.6620, 12.5400),
    ("valby", "Valby", 55.6600, 12.5050),
    ("vanlose", "Vanløse", 55.6870, 12.4880),
    ("bronshoj_husum", "Brønshøj-Husum", 55.7080, 12.4920),
    ("bispebjerg", "Bispebjerg", 55.7110, 12.5380),
    ("amager_ost", "Amager Øst", 55.6630, 12.6050),
    ("amager_vest", "Amager Vest", 55.6420, 12.5700),
];

/// Housing estates and elderly housing: (code, name, district code, latitude, longitude).
pub const HOUSING_AREAS: [(&str, &str, &str, f64, f64); 18] = [
    ("solvgade_aeldreboliger", "Sølvgade ældreboliger", "indre_by", 55.6880, 12.5780),
    ("strandvejen_aeldreboliger", "Strandvejen ældreboliger", "osterbro", 55.7175, 12.5800),
    ("mjolnerparken", "Mjølnerparken", "norrebro", 55.6985, 12.5410),
    ("lundtoftegade", "Lundtoftegade", "norrebro", 55.6955, 12.5430),
    ("saxogade_aeldreboliger", "Saxogade ældreboliger", "vesterbro_kongens_enghave", 55.6700, 12.5480),
    ("sjaelor_boulevard", "Sjælør Boulevard", "vesterbro_kongens_enghave", 55.6490, 12.5230),
    ("akacieparken", "Akacieparken", "valby", 55.6575, 12.4980),
    ("folehaven", "Folehaven", "valby", 55.6450, 12.4960),
    ("vanlose_aeldreboliger", "Vanløse ældreboliger", "vanlose", 55.6870, 12.4900),
    ("tingbjerg", "Tingbjerg", "bronshoj_husum", 55.7185, 12.4805),
    ("husumgard", "Husumgård", "bronshoj_husum", 55.7120, 12.4680),
    ("bellahoj", "Bellahøj", "bronshoj_husum", 55.7040, 12.5090),
    ("bispeparken", "Bispeparken", "bispebjerg", 55.7080, 12.5340),
    ("degnegarden", "Degnegården", "bispebjerg", 55.7165, 12.5280),
    ("tagensbo", "Tagensbo", "bispebjerg", 55.7060, 12.5420),
    ("horgarden", "Hørgården", "amager_ost", 55.6535, 12.6055),
    ("urbanplanen", "Urbanplanen", "amager_vest", 55.6560, 12.5920),
    ("orestad_plejecenter", "Ørestad Plejecenter", "amager_vest", 55.6290, 12.5780),
];

/// One demo organisation. `parent` names an organisation earlier in [`ORGANISATIONS`].
pub struct DemoOrganisation {
    pub name: &'static str,
    pub kind: OrganisationKind,
    pub parent: Option<&'static str>,
    pub description: &'static str,
    pub website: Option<&'static str>,
    pub email: Option<&'static str>,
    pub phone: Option<&'static str>,
    pub contact_public: bool,
    pub cvr: Option<&'static str>,
}

impl DemoOrganisation {
    /// The organisation as the API's create request would carry it.
    pub fn input(&self) -> OrganisationInput<'static> {
        OrganisationInput {
            name: Some(self.name),
            kind: Some(self.kind),
            description: Some(self.description),
            website: self.website,
            contact_email: self.email,
            contact_phone: self.phone,
            cvr: self.cvr,
        }
    }
}

/// The organisation whose id becomes the demo `organisation` user's scope.
pub const ORGANISATION_USER_ORG: &str = "Nørrebro Sangkor";

const KOBENHAVNS_KOMMUNE_CVR: &str = "64942212";

#[rustfmt::skip]
pub const ORGANISATIONS: &[DemoOrganisation] = &[
    // National NGOs first, so their branches can point to them.
    DemoOrganisation {
        name: "Ældre Sagen", kind: Ngo, parent: None,
        description: "Landsdækkende forening for ældre, med lokalafdelinger over hele landet: besøgsvenner, motion, rådgivning og fællesskab.",
        website: Some("https://www.aeldresagen.dk"), email: Some("kontakt@aeldresagen.example.dk"),
        phone: Some("+45 33 96 86 86"), contact_public: true, cvr: Some("62601817"),
    },
    DemoOrganisation {
        name: "Ældre Sagen Nørrebro", kind: NgoBranch, parent: Some("Ældre Sagen"),
        description: "Lokalafdeling med besøgstjeneste, gåture i Nørrebroparken og fællesspisning i Mjølnerparken.",
        website: None, email: Some("norrebro@aeldresagen.example.dk"),
        phone: Some("+45 35 85 10 20"), contact_public: true, cvr: Some("69083013"),
    },
    DemoOrganisation {
        name: "Ældre Sagen Valby", kind: NgoBranch, parent: Some("Ældre Sagen"),
        description: "Lokalafdeling med IT-hjælp, foredrag og ture i Søndermarken for ældre i Valby.",
        website: None, email: Some("valby@aeldresagen.example.dk"),
        phone: None, contact_public: false, cvr: Some("76131864"),
    },
    DemoOrganisation {
        name: "Ældre Sagen Amager", kind: NgoBranch, parent: Some("Ældre Sagen"),
        description: "Lokalafdeling for Amager Øst og Vest: vågetjeneste, motionshold og fællesspisning.",
        website: None, email: Some("amager@aeldresagen.example.dk"),
        phone: None, contact_public: true, cvr: Some("19139093"),
    },
    DemoOrganisation {
        name: "Røde Kors", kind: Ngo, parent: None,
        description: "Humanitær organisation med besøgsvenner, værestedet og hjælp til ensomme ældre.",
        website: Some("https://www.rodekors.dk"), email: Some("info@rodekors.example.dk"),
        phone: None, contact_public: true, cvr: Some("72819489"),
    },
    DemoOrganisation {
        name: "Røde Kors København", kind: NgoBranch, parent: Some("Røde Kors"),
        description: "Røde Kors' frivillige i København: besøgstjeneste, spisevenner og ledsagelse til læge og hospital.",
        website: None, email: Some("kobenhavn@rodekors.example.dk"),
        phone: Some("+45 35 25 92 00"), contact_public: false, cvr: Some("31993512"),
    },
    DemoOrganisation {
        name: "Alzheimerforeningen", kind: Ngo, parent: None,
        description: "Forening for mennesker med demens og deres pårørende: rådgivning, pårørendegrupper og aktiviteter.",
        website: Some("https://www.alzheimer.dk"), email: Some("info@alzheimer.example.dk"),
        phone: None, contact_public: true, cvr: Some("91909375"),
    },
    DemoOrganisation {
        name: "Alzheimerforeningen København", kind: NgoBranch, parent: Some("Alzheimerforeningen"),
        description: "Demensvenlige aktiviteter i København: sangeftermiddage, gåture og caféer for pårørende.",
        website: None, email: Some("kobenhavn@alzheimer.example.dk"),
        phone: Some("+45 39 40 04 88"), contact_public: false, cvr: Some("96579756"),
    },
    DemoOrganisation {
        name: "Ensomme Gamles Værn", kind: Ngo, parent: None,
        description: "Arbejder mod ensomhed blandt ældre med projekter, viden og støtte til lokale fællesskaber.",
        website: Some("https://www.egv.example.dk"), email: Some("egv@egv.example.dk"),
        phone: None, contact_public: true, cvr: Some("53231942"),
    },
    // Volunteer centres.
    DemoOrganisation {
        name: "Frivilligcenter Nørrebro", kind: VolunteerCentre, parent: None,
        description: "Hjælper foreninger og frivillige på Nørrebro med at finde hinanden, og låner lokaler ud.",
        website: Some("https://frivilligcenter-norrebro.example.dk"), email: Some("kontakt@frivilligcenter-norrebro.example.dk"),
        phone: Some("+45 35 37 00 11"), contact_public: true, cvr: Some("28625278"),
    },
    DemoOrganisation {
        name: "Frivilligcenter Amager", kind: VolunteerCentre, parent: None,
        description: "Frivilligcenter for hele Amager: frivilligformidling, kurser og netværk for foreninger.",
        website: Some("https://frivilligcenter-amager.example.dk"), email: Some("info@frivilligcenter-amager.example.dk"),
        phone: None, contact_public: false, cvr: Some("70189550"),
    },
    DemoOrganisation {
        name: "Frivilligcenter Østerbro", kind: VolunteerCentre, parent: None,
        description: "Støtter frivilligt arbejde på Østerbro, blandt andet besøgsvenner og gåfællesskaber.",
        website: None, email: Some("kontakt@frivilligcenter-osterbro.example.dk"),
        phone: None, contact_public: true, cvr: Some("69797113"),
    },
    // Municipal activity centres.
    DemoOrganisation {
        name: "Aktivitetscenter Valby", kind: MunicipalActivityCentre, parent: None,
        description: "Kommunalt aktivitetscenter med træningssal, café, værksted og hold for borgere over 65.",
        website: None, email: Some("aktivitetscenter.valby@kk.example.dk"),
        phone: Some("+45 33 17 20 30"), contact_public: true, cvr: Some(KOBENHAVNS_KOMMUNE_CVR),
    },
    DemoOrganisation {
        name: "Aktivitetscenter Bispebjerg", kind: MunicipalActivityCentre, parent: None,
        description: "Kommunalt aktivitetscenter i Nordvest: motion, madlavning, billard og sociale arrangementer.",
        website: None, email: Some("aktivitetscenter.bispebjerg@kk.example.dk"),
        phone: Some("+45 33 17 20 40"), contact_public: false, cvr: Some(KOBENHAVNS_KOMMUNE_CVR),
    },
    DemoOrganisation {
        name: "Aktivitetscenter Tingbjerg", kind: MunicipalActivityCentre, parent: None,
        description: "Mødested for ældre i Tingbjerg og Husum med fællesspisning, gymnastik og udflugter.",
        website: None, email: Some("aktivitetscenter.tingbjerg@kk.example.dk"),
        phone: None, contact_public: true, cvr: Some(KOBENHAVNS_KOMMUNE_CVR),
    },
    // Housing associations.
    DemoOrganisation {
        name: "fsb", kind: HousingAssociation, parent: None,
        description: "Almennyttigt boligselskab med afdelinger i hele København, blandt andet i Tingbjerg og Bispeparken.",
        website: Some("https://www.fsb.dk"), email: Some("fsb@fsb.example.dk"),
        phone: None, contact_public: false, cvr: Some("56507523"),
    },
    DemoOrganisation {
        name: "KAB", kind: HousingAssociation, parent: None,
        description: "Administrerer almene boliger og ældreboliger i København og støtter beboerdemokrati og boligsociale indsatser.",
        website: Some("https://www.kab-bolig.dk"), email: Some("kab@kab.example.dk"),
        phone: None, contact_public: true, cvr: Some("27034233"),
    },
    // Local associations and informal groups.
    DemoOrganisation {
        name: "Nørrebro Sangkor", kind: Association, parent: None,
        description: "Seniorkor der synger danske sange og viser hver onsdag eftermiddag. Alle kan være med, ingen krav om nodekendskab.",
        website: Some("https://norrebrosangkor.example.dk"), email: Some("korleder@norrebrosangkor.example.dk"),
        phone: Some("+45 26 11 22 33"), contact_public: true, cvr: Some("66321223"),
    },
    DemoOrganisation {
        name: "Valby Petanqueklub", kind: Association, parent: None,
        description: "Petanque i Valbyparken fra april til oktober, og indendørs om vinteren. Kugler kan lånes.",
        website: Some("https://valbypetanque.example.dk"), email: Some("formand@valbypetanque.example.dk"),
        phone: None, contact_public: false, cvr: Some("43079247"),
    },
    DemoOrganisation {
        name: "Vanløse Lokalhistoriske Forening", kind: Association, parent: None,
        description: "Byvandringer, foredrag og erindringscaféer om Vanløses historie.",
        website: None, email: Some("kontakt@vanlose-historie.example.dk"),
        phone: None, contact_public: true, cvr: Some("50268594"),
    },
    DemoOrganisation {
        name: "Husum Seniorbowling", kind: Association, parent: None,
        description: "Bowling for seniorer hver tirsdag formiddag, efterfulgt af kaffe og snak.",
        website: None, email: Some("husumbowling@example.dk"),
        phone: None, contact_public: false, cvr: Some("62890789"),
    },
    DemoOrganisation {
        name: "Dansk-Tyrkisk Seniorforening i Nordvest", kind: Association, parent: None,
        description: "Fællesskab for ældre med tyrkisk baggrund og deres venner: te, madklub, udflugter og hjælp med digitale breve. Vi taler tyrkisk og dansk.",
        website: None, email: Some("kontakt@dtsenior.example.dk"),
        phone: Some("+45 28 44 55 66"), contact_public: true, cvr: Some("76661766"),
    },
    DemoOrganisation {
        name: "Strikkecaféen på Amager", kind: InformalGroup, parent: None,
        description: "Vi strikker, hækler og drikker kaffe hver torsdag på biblioteket. Tag dit eget garn med, eller lån af os.",
        website: None, email: Some("strikkecafeen.amager@example.dk"),
        phone: None, contact_public: true, cvr: None,
    },
    DemoOrganisation {
        name: "Mandegruppen i Bispeparken", kind: InformalGroup, parent: None,
        description: "Mænd over 60 mødes i beboerhuset, laver mad sammen, reparerer cykler og går ture. Inspireret af Mændenes Hjem.",
        website: None, email: None,
        phone: Some("+45 31 22 33 44"), contact_public: false, cvr: None,
    },
    DemoOrganisation {
        name: "Gåturene fra Fælledparken", kind: InformalGroup, parent: None,
        description: "En fast gåtur i roligt tempo hver mandag kl. 10 fra Fælledparkens hovedindgang. Ingen tilmelding.",
        website: None, email: Some("gaaturene@example.dk"),
        phone: None, contact_public: true, cvr: None,
    },
    DemoOrganisation {
        name: "Kaffeklubben på Sjælør Boulevard", kind: InformalGroup, parent: None,
        description: "Beboere mødes til kaffe, kortspil og snak i fælleslokalet hver fredag eftermiddag.",
        website: None, email: None,
        phone: None, contact_public: false, cvr: None,
    },
];

// ---------------------------------------------------------------------------------------------
// Activities. `seed.rs` combines an organisation's plan ([`ACTIVITY_PLANS`]) with the templates
// it offers ([`ActivityTemplate`]), an audience ([`Audience`]) and a street in the district
// ([`STREETS`]), with a seeded generator so that every run makes the same directory.
// ---------------------------------------------------------------------------------------------

/// A street: (name, postcode, "where" phrase for activity names, such as "i Sydhavnen").
pub type Street = (&'static str, &'static str, &'static str);

/// Streets per district: (district code, streets). Frederiksberg is a municipality of its own, so
/// none of its streets are here.
#[rustfmt::skip]
pub const STREETS: [(&str, &[Street]); 10] = [
    ("indre_by", &[
        ("Gothersgade", "1123", "i Indre By"), ("Store Kongensgade", "1264", "i Indre By"),
        ("Sølvgade", "1307", "i Indre By"), ("Kronprinsessegade", "1306", "i Indre By"),
        ("Nansensgade", "1366", "i Indre By"), ("Borgergade", "1300", "i Indre By"),
        ("Torvegade", "1400", "på Christianshavn"), ("Dronningensgade", "1420", "på Christianshavn"),
        ("Prinsessegade", "1422", "på Christianshavn"),
    ]),
    ("osterbro", &[
        ("Østerbrogade", "2100", "på Østerbro"), ("Nordre Frihavnsgade", "2100", "på Østerbro"),
        ("Strandboulevarden", "2100", "på Østerbro"), ("Classensgade", "2100", "på Østerbro"),
        ("Kildevældsgade", "2100", "på Østerbro"), ("Bryggervangen", "2100", "på Østerbro"),
        ("Landskronagade", "2100", "på Østerbro"), ("Vognmandsmarken", "2100", "på Østerbro"),
    ]),
    ("norrebro", &[
        ("Nørrebrogade", "2200", "på Nørrebro"), ("Jagtvej", "2200", "på Nørrebro"),
        ("Blågårdsgade", "2200", "på Nørrebro"), ("Rantzausgade", "2200", "på Nørrebro"),
        ("Heimdalsgade", "2200", "på Nørrebro"), ("Mimersgade", "2200", "på Nørrebro"),
        ("Griffenfeldsgade", "2200", "på Nørrebro"), ("Hans Tavsens Gade", "2200", "på Nørrebro"),
        ("Bragesgade", "2200", "på Nørrebro"),
    ]),
    ("vesterbro_kongens_enghave", &[
        ("Istedgade", "1650", "på Vesterbro"), ("Vesterbrogade", "1620", "på Vesterbro"),
        ("Enghavevej", "1674", "på Vesterbro"), ("Saxogade", "1662", "på Vesterbro"),
        ("Sønder Boulevard", "1720", "på Vesterbro"), ("Valdemarsgade", "1665", "på Vesterbro"),
        ("Sydhavnsgade", "2450", "i Sydhavnen"), ("Mozartsvej", "2450", "i Sydhavnen"),
        ("Borgbygade", "2450", "i Sydhavnen"), ("Wagnersvej", "2450", "i Sydhavnen"),
    ]),
    ("valby", &[
        ("Valby Langgade", "2500", "i Valby"), ("Toftegårds Allé", "2500", "i Valby"),
        ("Gammel Køge Landevej", "2500", "i Valby"), ("Vigerslev Allé", "2500", "i Valby"),
        ("Trekronergade", "2500", "i Valby"), ("Ålholmvej", "2500", "i Valby"),
        ("Mosedalvej", "2500", "i Valby"), ("Lyshøjgårdsvej", "2500", "i Valby"),
    ]),
    ("vanlose", &[
        ("Jernbane Allé", "2720", "i Vanløse"), ("Ålekistevej", "2720", "i Vanløse"),
        ("Vanløse Allé", "2720", "i Vanløse"), ("Apollovej", "2720", "i Vanløse"),
        ("Hyltebjerg Allé", "2720", "i Vanløse"), ("Slotsherrensvej", "2720", "i Vanløse"),
        ("Vanløse Byvej", "2720", "i Vanløse"),
    ]),
    ("bronshoj_husum", &[
        ("Frederikssundsvej", "2700", "i Brønshøj"), ("Brønshøj Torv", "2700", "i Brønshøj"),
        ("Brønshøj Kirkevej", "2700", "i Brønshøj"), ("Husumvej", "2700", "i Husum"),
        ("Krabbesholmvej", "2700", "i Husum"), ("Gadelandet", "2700", "i Husum"),
        ("Ruten", "2700", "i Tingbjerg"), ("Bystævnet", "2700", "i Tingbjerg"),
    ]),
    ("bispebjerg", &[
        ("Tomsgårdsvej", "2400", "i Nordvest"), ("Frederiksborgvej", "2400", "på Bispebjerg"),
        ("Rentemestervej", "2400", "i Nordvest"), ("Glasvej", "2400", "i Nordvest"),
        ("Emdrupvej", "2400", "på Bispebjerg"), ("Dortheavej", "2400", "i Nordvest"),
        ("Tagensvej", "2400", "på Bispebjerg"), ("Bispebjerg Parkallé", "2400", "på Bispebjerg"),
    ]),
    ("amager_ost", &[
        ("Amagerbrogade", "2300", "på Amager"), ("Holmbladsgade", "2300", "på Amager"),
        ("Øresundsvej", "2300", "på Amager"), ("Prags Boulevard", "2300", "på Amager"),
        ("Kastrupvej", "2300", "på Amager"), ("Italiensvej", "2300", "på Amager"),
        ("Strandlodsvej", "2300", "på Amager"), ("Lergravsvej", "2300", "på Amager"),
    ]),
    ("amager_vest", &[
        ("Amager Boulevard", "2300", "på Amager"), ("Islands Brygge", "2300", "på Islands Brygge"),
        ("Artillerivej", "2300", "på Islands Brygge"), ("Sundholmsvej", "2300", "på Amager"),
        ("Englandsvej", "2300", "på Amager"), ("Brigadevej", "2300", "på Amager"),
        ("Ørestads Boulevard", "2300", "i Ørestad"), ("Gullfossgade", "2300", "i Ørestad"),
    ]),
];

/// Where activities without a venue of their own take place ("Vi mødes i medborgerhuset").
pub const VENUES: [&str; 8] = [
    "i medborgerhuset",
    "på biblioteket",
    "i beboerhuset",
    "i sognegården",
    "i kulturhuset",
    "i fælleslokalet",
    "i aktivitetscentret",
    "i kirkens sal",
];

/// Accessibility features of indoor and of outdoor places, to draw from.
pub const INDOORS: &[&str] = &[
    "step_free_access",
    "accessible_toilet",
    "hearing_loop",
    "rest_places",
    "lift",
    "parking_nearby",
    "public_transport",
    "companion_welcome",
];
pub const OUTDOORS: &[&str] = &["rest_places", "public_transport", "parking_nearby", "companion_welcome"];

const WEEKDAYS: &[Weekday] = &[Monday, Tuesday, Wednesday, Thursday, Friday];
const NOT_SUNDAY: &[Weekday] = &[Monday, Tuesday, Wednesday, Thursday, Friday, Saturday];

/// How often an activity of a kind usually happens.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Rhythm {
    /// Mostly weekly, some every other week or monthly, rarely a one-off.
    Regular,
    /// Monthly, or on a few dates (talks, excursions).
    Occasional,
}

/// Which audiences an activity of a kind may be aimed at.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Audiences {
    /// Any of [`AUDIENCES`], by weight.
    Any,
    /// Only older people with a minority background ([`Audience::minority`]).
    Minority,
    /// Only the template's own target groups, in Danish.
    Fixed,
}

/// One kind of activity: the texts and the ranges its activities are drawn from. A name holds
/// `{sted}`, replaced by where it is ("på Nørrebro", "i Sydhavnen").
pub struct ActivityTemplate {
    pub names: &'static [&'static str],
    /// Plain-language summaries; with the audience's sentence at most 300 characters.
    pub summaries: &'static [&'static str],
    pub description: &'static str,
    pub activity_types: &'static [&'static str],
    /// Target groups every activity of the kind has.
    pub target_groups: &'static [&'static str],
    pub audiences: Audiences,
    pub mode: Mode,
    /// Where it meets, when the organisation has no venue of its own; empty for [`VENUES`].
    pub venues: &'static [&'static str],
    /// The accessibility features to draw from (in person only).
    pub accessibility: &'static [&'static str],
    pub first_visit_support: &'static [&'static str],
    pub rhythm: Rhythm,
    pub weekdays: &'static [Weekday],
    /// Local start times (hour, minute).
    pub start_times: &'static [(u32, u32)],
    pub durations: &'static [u32],
    /// Places (from, to), or none for no limit.
    pub capacity: Option<(i32, i32)>,
    /// How many in a hundred cost money, and the price range in øre.
    pub paid_percent: u32,
    pub price_ore: (i64, i64),
    /// How many in a hundred need registration, and what to add to how to sign up.
    pub registration_percent: u32,
    pub registration_note: &'static str,
    /// How many in a hundred seek volunteers, and for which roles.
    pub volunteer_percent: u32,
    pub volunteer_roles: &'static [&'static str],
}

pub const SINGING: ActivityTemplate = ActivityTemplate {
    names: &["Fællessang {sted}", "Syng med {sted}", "Sangeftermiddag {sted}", "Seniorkor {sted}"],
    summaries: &[
        "Vi synger kendte sange fra Højskolesangbogen sammen, med klaver. Bagefter er der kaffe og tid til en snak.",
        "Kom og syng med – ingen krav om stemme eller nodekendskab. Vi synger alt fra salmer til Kim Larsen.",
    ],
    description: "En musiker spiller til, og sangteksterne vises på storskærm, så alle kan følge med.",
    activity_types: &["singing_music"],
    target_groups: &[],
    audiences: Audiences::Any,
    mode: Mode::InPerson,
    venues: &[],
    accessibility: INDOORS,
    first_visit_support: &["bring_a_friend", "try_without_sign_up", "met_at_the_door"],
    rhythm: Rhythm::Regular,
    weekdays: WEEKDAYS,
    start_times: &[(10, 0), (13, 30), (14, 0), (15, 0)],
    durations: &[90, 120],
    capacity: Some((25, 60)),
    paid_percent: 10,
    price_ore: (2000, 2500),
    registration_percent: 10,
    registration_note: "",
    volunteer_percent: 35,
    volunteer_roles: &["musician", "host"],
};

pub const KNITTING: ActivityTemplate = ActivityTemplate {
    names: &["Strikkecafé {sted}", "Strik og snak {sted}", "Strikke- og hækleklub {sted}"],
    summaries: &[
        "Vi strikker, hækler og drikker kaffe sammen. Tag dit eget garn med, eller lån af os. Begyndere er velkomne.",
        "Et hyggeligt strikkefællesskab, hvor vi hjælper hinanden med mønstre og deler gode råd.",
    ],
    description: "Vi strikker også til velgørenhed: huer til nyfødte og tæpper til plejehjem.",
    activity_types: &["creative", "cafe"],
    target_groups: &[],
    audiences: Audiences::Any,
    mode: Mode::InPerson,
    venues: &[],
    accessibility: INDOORS,
    first_visit_support: &["bring_a_friend", "try_without_sign_up"],
    rhythm: Rhythm::Regular,
    weekdays: WEEKDAYS,
    start_times: &[(10, 0), (13, 0), (14, 0)],
    durations: &[120, 150],
    capacity: Some((10, 25)),
    paid_percent: 10,
    price_ore: (2000, 2000),
    registration_percent: 5,
    registration_note: "",
    volunteer_percent: 20,
    volunteer_roles: &["host", "instructor"],
};

pub const WALK: ActivityTemplate = ActivityTemplate {
    names: &["Gåtur {sted}", "Gåfællesskab {sted}", "Gåklub {sted}", "Morgengåtur {sted}"],
    summaries: &[
        "En gåtur i roligt tempo på cirka en time, med pauser undervejs. Bagefter drikker vi kaffe sammen.",
        "Vi går sammen i parken og i kvarteret, 3–5 km. Du bestemmer selv, hvor langt du går med.",
    ],
    description: "Vi går i al slags vejr, så tag tøj på efter vejret. Der er altid en frivillig bagerst.",
    activity_types: &["walking", "exercise"],
    target_groups: &[],
    audiences: Audiences::Any,
    mode: Mode::InPerson,
    venues: &["ved indgangen til parken", "på pladsen foran biblioteket", "ved kirken"],
    accessibility: OUTDOORS,
    first_visit_support: &["met_at_the_door", "try_without_sign_up", "bring_a_friend"],
    rhythm: Rhythm::Regular,
    weekdays: NOT_SUNDAY,
    start_times: &[(9, 30), (10, 0), (10, 30), (13, 0)],
    durations: &[60, 90],
    capacity: None,
    paid_percent: 0,
    price_ore: (0, 0),
    registration_percent: 0,
    registration_note: "",
    volunteer_percent: 30,
    volunteer_roles: &["host", "companion"],
};

pub const FITNESS: ActivityTemplate = ActivityTemplate {
    names: &["Seniorfitness {sted}", "Motion for seniorer {sted}", "Stolegymnastik {sted}", "Styrke og balance {sted}"],
    summaries: &[
        "Let træning med fokus på styrke og balance, så du kan klare dig selv længere. En instruktør tilpasser øvelserne til dig.",
        "Gymnastik på stol og på gulv, i dit eget tempo. Vi slutter med en kop kaffe.",
    ],
    description: "Tag behageligt tøj og indendørssko på. Du behøver ikke at have trænet før.",
    activity_types: &["exercise"],
    target_groups: &[],
    audiences: Audiences::Any,
    mode: Mode::InPerson,
    venues: &[],
    accessibility: INDOORS,
    first_visit_support: &["try_without_sign_up", "phone_before", "met_at_the_door"],
    rhythm: Rhythm::Regular,
    weekdays: WEEKDAYS,
    start_times: &[(9, 0), (9, 30), (10, 0), (10, 30), (11, 0)],
    durations: &[60, 90],
    capacity: Some((12, 20)),
    paid_percent: 35,
    price_ore: (2000, 3000),
    registration_percent: 50,
    registration_note: " Der er plads til et begrænset antal på holdet.",
    volunteer_percent: 20,
    volunteer_roles: &["instructor"],
};

pub const MENS_GROUP: ActivityTemplate = ActivityTemplate {
    names: &["Mænds mødested {sted}", "Mandeklub {sted}", "Mændenes værksted {sted}"],
    summaries: &[
        "Mænd mødes om praktiske ting: vi reparerer cykler, laver mad og går ture. Der er altid kaffe på kanden.",
        "Et fællesskab for mænd, hvor vi snakker, spiller kort og laver små projekter i værkstedet.",
    ],
    description: "Inspireret af Mænds Mødesteder: ingen foredrag og intet program, bare mænd der gør noget sammen.",
    activity_types: &["mens_group"],
    target_groups: &["men"],
    audiences: Audiences::Fixed,
    mode: Mode::InPerson,
    venues: &[],
    accessibility: INDOORS,
    first_visit_support: &["phone_before", "met_at_the_door", "bring_a_friend"],
    rhythm: Rhythm::Regular,
    weekdays: WEEKDAYS,
    start_times: &[(10, 0), (13, 0), (17, 0)],
    durations: &[120, 150, 180],
    capacity: Some((8, 20)),
    paid_percent: 15,
    price_ore: (2000, 2500),
    registration_percent: 0,
    registration_note: "",
    volunteer_percent: 30,
    volunteer_roles: &["organiser", "cook"],
};

pub const DINING: ActivityTemplate = ActivityTemplate {
    names: &["Fællesspisning {sted}", "Spis sammen {sted}", "Middagsfællesskab {sted}", "Frokostklub {sted}"],
    summaries: &[
        "Vi spiser et varmt måltid sammen ved lange borde. Maden laves af frivillige, og der er altid en vegetarisk ret.",
        "Fællesspisning med god mad og godt selskab. Du behøver ikke kende nogen på forhånd.",
    ],
    description: "Sig til ved tilmeldingen, hvis du ikke tåler noget. Vi laver mad efter årstiden.",
    activity_types: &["communal_dining"],
    target_groups: &[],
    audiences: Audiences::Any,
    mode: Mode::InPerson,
    venues: &[],
    accessibility: INDOORS,
    first_visit_support: &["bring_a_friend", "met_at_the_door", "pick_up"],
    rhythm: Rhythm::Regular,
    weekdays: &[Tuesday, Wednesday, Thursday, Friday, Sunday],
    start_times: &[(12, 0), (12, 30), (17, 30), (18, 0)],
    durations: &[90, 120],
    capacity: Some((20, 50)),
    paid_percent: 100,
    price_ore: (3000, 4500),
    registration_percent: 80,
    registration_note: " Tilmelding senest dagen før kl. 12.",
    volunteer_percent: 40,
    volunteer_roles: &["cook", "host", "driver"],
};

pub const IT_CAFE: ActivityTemplate = ActivityTemplate {
    names: &[
        "IT-café {sted}",
        "Digital hjælp {sted}",
        "Hjælp til MitID og e-Boks {sted}",
        "Mobil- og tabletcafé {sted}",
    ],
    summaries: &[
        "Få hjælp til MitID, e-Boks, sundhed.dk og din mobil eller tablet. Frivillige hjælper én til én i roligt tempo.",
        "Tag din telefon, tablet eller computer med, så hjælper vi dig med det, du gerne vil lære.",
    ],
    description: "Husk din kode til telefonen eller tabletten. Vi skriver aldrig dine koder ned.",
    activity_types: &["digital_help"],
    target_groups: &[],
    audiences: Audiences::Any,
    mode: Mode::InPerson,
    venues: &[],
    accessibility: INDOORS,
    first_visit_support: &["phone_before", "try_without_sign_up"],
    rhythm: Rhythm::Regular,
    weekdays: WEEKDAYS,
    start_times: &[(10, 0), (13, 0), (14, 0), (16, 0)],
    durations: &[90, 120],
    capacity: Some((6, 15)),
    paid_percent: 0,
    price_ore: (0, 0),
    registration_percent: 30,
    registration_note: " Sig gerne, hvad du vil have hjælp til.",
    volunteer_percent: 40,
    volunteer_roles: &["digital_helper"],
};

pub const LANGUAGE_CAFE: ActivityTemplate = ActivityTemplate {
    names: &["Sprogcafé {sted}", "Snak dansk {sted}", "Dansk over kaffen {sted}"],
    summaries: &[
        "Øv dansk i en afslappet snak over kaffen. Frivillige taler med dig om hverdagen, og alle niveauer er velkomne.",
        "Kom og øv dit dansk sammen med andre. Vi hjælper også med breve fra kommunen og lægen.",
    ],
    description: "Du behøver ikke at tale dansk godt for at komme. Vi har ordbøger og billeder med.",
    activity_types: &["language_cafe", "cafe"],
    target_groups: &["minority_background"],
    audiences: Audiences::Minority,
    mode: Mode::InPerson,
    venues: &[],
    accessibility: INDOORS,
    first_visit_support: &["bring_a_friend", "try_without_sign_up", "met_at_the_door"],
    rhythm: Rhythm::Regular,
    weekdays: WEEKDAYS,
    start_times: &[(10, 0), (13, 0), (16, 0), (17, 0)],
    durations: &[90, 120],
    capacity: Some((8, 25)),
    paid_percent: 0,
    price_ore: (0, 0),
    registration_percent: 0,
    registration_note: "",
    volunteer_percent: 40,
    volunteer_roles: &["host"],
};

pub const PETANQUE: ActivityTemplate = ActivityTemplate {
    names: &["Petanque {sted}", "Petanqueklub {sted}", "Kast med kugler {sted}"],
    summaries: &[
        "Petanque for alle, uanset om du har spillet før. Kugler kan lånes, og vi spiller udendørs fra april til oktober.",
        "Hyggelig petanque med kaffe i pausen. Det er let at lære, og du kan spille siddende, hvis du har brug for det.",
    ],
    description: "Om vinteren spiller vi indendørs, når vejret ikke tillader andet.",
    activity_types: &["games", "exercise"],
    target_groups: &[],
    audiences: Audiences::Any,
    mode: Mode::InPerson,
    venues: &["ved petanquebanen i parken", "på banen bag beboerhuset"],
    accessibility: OUTDOORS,
    first_visit_support: &["try_without_sign_up", "bring_a_friend"],
    rhythm: Rhythm::Regular,
    weekdays: NOT_SUNDAY,
    start_times: &[(10, 0), (13, 0), (14, 0)],
    durations: &[120, 150],
    capacity: None,
    paid_percent: 20,
    price_ore: (2000, 2000),
    registration_percent: 0,
    registration_note: "",
    volunteer_percent: 20,
    volunteer_roles: &["host"],
};

pub const CARDS: ActivityTemplate = ActivityTemplate {
    names: &["Kortspil og bridge {sted}", "Bridgeklub {sted}", "Whist og kaffe {sted}", "Spilleeftermiddag {sted}"],
    summaries: &[
        "Vi spiller bridge, whist og rummy. Nye spillere får en makker og hjælp til reglerne.",
        "Brætspil, kortspil og dam over en kop kaffe. Kom alene eller tag en ven med.",
    ],
    description: "Vi har kort, spil og store spillebrikker. Kaffe og kage kan købes billigt.",
    activity_types: &["games"],
    target_groups: &[],
    audiences: Audiences::Any,
    mode: Mode::InPerson,
    venues: &[],
    accessibility: INDOORS,
    first_visit_support: &["bring_a_friend", "try_without_sign_up", "met_at_the_door"],
    rhythm: Rhythm::Regular,
    weekdays: WEEKDAYS,
    start_times: &[(13, 0), (13, 30), (14, 0), (19, 0)],
    durations: &[120, 150, 180],
    capacity: Some((12, 40)),
    paid_percent: 20,
    price_ore: (2000, 2500),
    registration_percent: 15,
    registration_note: "",
    volunteer_percent: 20,
    volunteer_roles: &["host", "organiser"],
};

pub const DANCE: ActivityTemplate = ActivityTemplate {
    names: &["Seniordans {sted}", "Linedance for seniorer {sted}", "Folkedans {sted}", "Dansecafé {sted}"],
    summaries: &[
        "Vi danser til dansk og international musik i roligt tempo. Du behøver ikke at have en partner.",
        "Dans med enkle trin og god musik giver både motion og godt humør. Begyndere er velkomne.",
    ],
    description: "Tag sko på, der sidder godt fast. Der er stole til pauserne.",
    activity_types: &["dance", "exercise"],
    target_groups: &[],
    audiences: Audiences::Any,
    mode: Mode::InPerson,
    venues: &[],
    accessibility: INDOORS,
    first_visit_support: &["try_without_sign_up", "bring_a_friend"],
    rhythm: Rhythm::Regular,
    weekdays: WEEKDAYS,
    start_times: &[(10, 0), (14, 0), (19, 0), (19, 30)],
    durations: &[90, 120],
    capacity: Some((16, 40)),
    paid_percent: 40,
    price_ore: (2000, 3000),
    registration_percent: 30,
    registration_note: "",
    volunteer_percent: 25,
    volunteer_roles: &["instructor", "musician"],
};

pub const CYCLING: ActivityTemplate = ActivityTemplate {
    names: &["Cykling uden alder {sted}", "Rickshawture {sted}", "Cykeltur i rickshaw {sted}"],
    summaries: &[
        "Kom ud i vind og vejr i en rickshaw. En frivillig cykelpilot cykler dig gennem kvarteret, og du sidder godt med et tæppe.",
        "Vi cykler ture i rickshaw til parken, havnen eller isbaren. Turen tager cirka en time.",
    ],
    description: "Cykling uden alder: frivillige cykelpiloter tager ældre med på tur, og piloten henter dig ved døren.",
    activity_types: &["cycling", "excursions"],
    target_groups: &[],
    audiences: Audiences::Any,
    mode: Mode::InPerson,
    venues: &["ved cykelskuret ved plejecentret", "foran beboerhuset"],
    accessibility: OUTDOORS,
    first_visit_support: &["pick_up", "phone_before"],
    rhythm: Rhythm::Regular,
    weekdays: NOT_SUNDAY,
    start_times: &[(10, 0), (10, 30), (13, 0), (14, 0)],
    durations: &[60, 90, 120],
    capacity: Some((2, 6)),
    paid_percent: 0,
    price_ore: (0, 0),
    registration_percent: 100,
    registration_note: " Aftal en tur et par dage før.",
    volunteer_percent: 100,
    volunteer_roles: &["bike_pilot"],
};

pub const GRIEF: ActivityTemplate = ActivityTemplate {
    names: &["Sorggruppe {sted}", "Samtalegruppe for efterladte {sted}", "Ny som alene {sted}"],
    summaries: &[
        "En lille fast gruppe for dig, der har mistet din ægtefælle eller partner. Vi taler om sorgen og om at finde hverdagen igen.",
        "Mød andre, der også har mistet. To frivillige med uddannelse i sorgstøtte leder gruppen.",
    ],
    description: "Gruppen er lukket, når den er startet, og det, der bliver sagt, bliver i gruppen.",
    activity_types: &["grief_group"],
    target_groups: &["newly_widowed"],
    audiences: Audiences::Fixed,
    mode: Mode::InPerson,
    venues: &[],
    accessibility: INDOORS,
    first_visit_support: &["phone_before"],
    rhythm: Rhythm::Regular,
    weekdays: WEEKDAYS,
    start_times: &[(10, 0), (14, 0), (16, 0), (17, 0)],
    durations: &[90, 120],
    capacity: Some((6, 10)),
    paid_percent: 0,
    price_ore: (0, 0),
    registration_percent: 100,
    registration_note: " Vi tager en kort snak med dig, før du starter.",
    volunteer_percent: 20,
    volunteer_roles: &["host"],
};

pub const VISITING: ActivityTemplate = ActivityTemplate {
    names: &["Besøgsven {sted}", "Besøgstjeneste {sted}", "Få en besøgsven {sted}"],
    summaries: &[
        "En frivillig besøgsven kommer hjem til dig cirka en gang om ugen til kaffe, en snak eller en gåtur. Det er gratis.",
        "Vi finder en besøgsven, der passer til dig. I aftaler selv, hvornår I ses, og hvad I vil lave sammen.",
    ],
    description: "Alle besøgsvenner har været til en samtale og viser legitimation, første gang de kommer.",
    activity_types: &["visiting_friend"],
    target_groups: &["hard_to_leave_home"],
    audiences: Audiences::Any,
    mode: Mode::HomeVisit,
    venues: &[],
    accessibility: &[],
    first_visit_support: &["phone_before"],
    rhythm: Rhythm::Regular,
    weekdays: WEEKDAYS,
    start_times: &[(10, 0), (13, 0), (14, 0)],
    durations: &[60, 90, 120],
    capacity: None,
    paid_percent: 0,
    price_ore: (0, 0),
    registration_percent: 100,
    registration_note: " Vi ringer tilbage og aftaler et første besøg.",
    volunteer_percent: 60,
    volunteer_roles: &["visiting_friend", "companion"],
};

pub const PHONE: ActivityTemplate = ActivityTemplate {
    names: &["Telefonven {sted}", "Ring en ven {sted}", "Telefonvenner {sted}"],
    summaries: &[
        "En frivillig ringer til dig på et fast tidspunkt hver uge, og I får en god snak. Du kan også selv ringe.",
        "Har du svært ved at komme ud? Få en fast telefonven at tale med om stort og småt.",
    ],
    description: "Du bestemmer selv, hvor længe I taler, og du kan altid sige pas en dag.",
    activity_types: &["telephone_friend"],
    target_groups: &["hard_to_leave_home"],
    audiences: Audiences::Any,
    mode: Mode::Phone,
    venues: &[],
    accessibility: &[],
    first_visit_support: &["phone_before"],
    rhythm: Rhythm::Regular,
    weekdays: WEEKDAYS,
    start_times: &[(10, 0), (11, 0), (15, 0), (18, 0)],
    durations: &[60],
    capacity: None,
    paid_percent: 0,
    price_ore: (0, 0),
    registration_percent: 100,
    registration_note: " Vi finder en telefonven, der passer til dig.",
    volunteer_percent: 60,
    volunteer_roles: &["visiting_friend"],
};

pub const TALK: ActivityTemplate = ActivityTemplate {
    names: &["Foredrag {sted}", "Foredragsrække {sted}", "Kulturformiddag {sted}", "Fortællecafé {sted}"],
    summaries: &[
        "Spændende foredrag om historie, natur og samfund, med kaffe og tid til spørgsmål bagefter.",
        "Kendte og lokale fortællere holder foredrag. Programmet hænger på biblioteket og i beboerhuset.",
    ],
    description: "Der er teleslynge i salen, og foredragsholderen bruger mikrofon.",
    activity_types: &["culture_talks"],
    target_groups: &[],
    audiences: Audiences::Any,
    mode: Mode::InPerson,
    venues: &[],
    accessibility: INDOORS,
    first_visit_support: &["bring_a_friend", "met_at_the_door"],
    rhythm: Rhythm::Occasional,
    weekdays: WEEKDAYS,
    start_times: &[(10, 0), (14, 0), (19, 0), (19, 30)],
    durations: &[90, 120],
    capacity: Some((30, 120)),
    paid_percent: 30,
    price_ore: (2000, 5000),
    registration_percent: 40,
    registration_note: "",
    volunteer_percent: 20,
    volunteer_roles: &["host", "organiser"],
};

pub const EXCURSION: ActivityTemplate = ActivityTemplate {
    names: &["Udflugt {sted}", "Ture ud af byen {sted}", "Busudflugt {sted}", "Museumstur {sted}"],
    summaries: &[
        "Vi tager på tur til museer, slotte og skov med bus. Prisen dækker transport, entré og frokost.",
        "Fælles udflugter til steder i og uden for København. Der er altid en frivillig med, som hjælper undervejs.",
    ],
    description: "Bussen har lift til kørestole og rollatorer. Sig til ved tilmeldingen, hvis du har brug for det.",
    activity_types: &["excursions"],
    target_groups: &[],
    audiences: Audiences::Any,
    mode: Mode::InPerson,
    venues: &["ved busstoppestedet foran biblioteket", "foran aktivitetscentret"],
    accessibility: &["step_free_access", "rest_places", "companion_welcome", "public_transport"],
    first_visit_support: &["pick_up", "phone_before", "bring_a_friend"],
    rhythm: Rhythm::Occasional,
    weekdays: WEEKDAYS,
    start_times: &[(9, 0), (9, 30), (10, 0)],
    durations: &[180],
    capacity: Some((20, 45)),
    paid_percent: 85,
    price_ore: (3500, 5000),
    registration_percent: 100,
    registration_note: " Betaling ved tilmelding.",
    volunteer_percent: 35,
    volunteer_roles: &["driver", "companion"],
};

pub const GARDENING: ActivityTemplate = ActivityTemplate {
    names: &["Havehold {sted}", "Fælleshaven {sted}", "Grønne fingre {sted}"],
    summaries: &[
        "Vi passer bede, sår og høster i fælleshaven. Du kan arbejde siddende ved de høje bede.",
        "Et havehold for alle, der holder af planter. Vi deler frø, stiklinger og kaffe.",
    ],
    description: "Haven har høje bede og bænke, og der er redskaber og handsker til alle.",
    activity_types: &["gardening_nature"],
    target_groups: &[],
    audiences: Audiences::Any,
    mode: Mode::InPerson,
    venues: &["i fælleshaven", "i gården bag beboerhuset"],
    accessibility: OUTDOORS,
    first_visit_support: &["try_without_sign_up", "bring_a_friend"],
    rhythm: Rhythm::Regular,
    weekdays: NOT_SUNDAY,
    start_times: &[(10, 0), (13, 0), (16, 0)],
    durations: &[90, 120],
    capacity: Some((6, 20)),
    paid_percent: 0,
    price_ore: (0, 0),
    registration_percent: 10,
    registration_note: "",
    volunteer_percent: 30,
    volunteer_roles: &["instructor", "organiser"],
};

pub const CREATIVE: ActivityTemplate = ActivityTemplate {
    names: &["Kreativt værksted {sted}", "Maleklub {sted}", "Keramik for seniorer {sted}", "Hobbyværksted {sted}"],
    summaries: &[
        "Mal, tegn, lav keramik eller sy i værkstedet. Der er materialer, og en frivillig giver gode råd.",
        "Et kreativt fællesskab, hvor vi arbejder med hver vores projekt og hjælper hinanden på vej.",
    ],
    description: "Du kan bruge værkstedets materialer eller tage dine egne med.",
    activity_types: &["creative"],
    target_groups: &[],
    audiences: Audiences::Any,
    mode: Mode::InPerson,
    venues: &[],
    accessibility: INDOORS,
    first_visit_support: &["try_without_sign_up", "bring_a_friend", "met_at_the_door"],
    rhythm: Rhythm::Regular,
    weekdays: WEEKDAYS,
    start_times: &[(9, 30), (10, 0), (13, 0), (13, 30)],
    durations: &[120, 150, 180],
    capacity: Some((8, 16)),
    paid_percent: 35,
    price_ore: (2000, 3000),
    registration_percent: 30,
    registration_note: "",
    volunteer_percent: 25,
    volunteer_roles: &["instructor"],
};

pub const ONLINE_MEMORIES: ActivityTemplate = ActivityTemplate {
    names: &["Erindringsgruppe online", "Erindringer på skærmen", "Fortæl om dengang – online"],
    summaries: &[
        "Vi mødes på video og fortæller om gamle dage ud fra billeder, sange og ting fra dengang. Vi hjælper dig med at komme på.",
        "En lille gruppe, der deler erindringer over skærmen. Du får et link på mail og hjælp til at komme i gang.",
    ],
    description: "Du skal bruge en tablet, telefon eller computer med kamera. En frivillig ringer og hjælper dig første gang.",
    activity_types: &["culture_talks"],
    target_groups: &["hard_to_leave_home"],
    audiences: Audiences::Any,
    mode: Mode::Online,
    venues: &[],
    accessibility: &[],
    first_visit_support: &["phone_before"],
    rhythm: Rhythm::Regular,
    weekdays: WEEKDAYS,
    start_times: &[(10, 0), (14, 0), (16, 0), (19, 0)],
    durations: &[60, 90],
    capacity: Some((6, 10)),
    paid_percent: 0,
    price_ore: (0, 0),
    registration_percent: 100,
    registration_note: " Du får et link på mail.",
    volunteer_percent: 25,
    volunteer_roles: &["digital_helper", "host"],
};

pub const CAFE: ActivityTemplate = ActivityTemplate {
    names: &["Seniorcafé {sted}", "Kaffeklub {sted}", "Formiddagskaffe {sted}", "Mødestedet {sted}"],
    summaries: &[
        "Kom forbi til kaffe, kage og en god snak. Der er aviser og spil, og der er altid plads ved bordet.",
        "Et uformelt mødested, hvor du kan kigge ind, når det passer dig, og møde naboer og nye venner.",
    ],
    description: "Nogle gange kommer der en gæst og fortæller eller spiller musik. Alle kan kigge ind.",
    activity_types: &["cafe"],
    target_groups: &[],
    audiences: Audiences::Any,
    mode: Mode::InPerson,
    venues: &[],
    accessibility: INDOORS,
    first_visit_support: &["bring_a_friend", "try_without_sign_up", "met_at_the_door"],
    rhythm: Rhythm::Regular,
    weekdays: WEEKDAYS,
    start_times: &[(10, 0), (13, 30), (14, 0), (15, 0)],
    durations: &[120, 150, 180],
    capacity: None,
    paid_percent: 15,
    price_ore: (2000, 2000),
    registration_percent: 0,
    registration_note: "",
    volunteer_percent: 30,
    volunteer_roles: &["host"],
};

pub const BOWLING: ActivityTemplate = ActivityTemplate {
    names: &["Seniorbowling {sted}", "Bowling for seniorer {sted}"],
    summaries: &[
        "Vi bowler to serier og drikker kaffe bagefter. Der er rampe, så du kan bowle, selvom du ikke kan bøje dig.",
        "Bowling i godt selskab. Du får hjælp med skoene, og vi spiller for sjov, ikke for point.",
    ],
    description: "Bowlingsko kan lånes, og kuglerne findes i mange vægte.",
    activity_types: &["exercise", "games"],
    target_groups: &[],
    audiences: Audiences::Any,
    mode: Mode::InPerson,
    venues: &[],
    accessibility: &["step_free_access", "accessible_toilet", "parking_nearby", "public_transport"],
    first_visit_support: &["try_without_sign_up", "bring_a_friend"],
    rhythm: Rhythm::Regular,
    weekdays: &[Tuesday, Thursday],
    start_times: &[(10, 0), (10, 30)],
    durations: &[120],
    capacity: Some((16, 32)),
    paid_percent: 100,
    price_ore: (3000, 4000),
    registration_percent: 20,
    registration_note: "",
    volunteer_percent: 10,
    volunteer_roles: &["organiser"],
};

/// Who an activity is for, beyond its kind's own target groups.
pub struct Audience {
    pub target_groups: &'static [&'static str],
    pub languages: &'static [&'static str],
    /// Added to the name ("– demensvenlig", " (arabisk/dansk)"); may be empty.
    pub name_suffix: &'static str,
    /// Added to the summary; may be empty.
    pub sentence: &'static str,
    /// Accessibility features the activity then has.
    pub accessibility: &'static [&'static str],
    pub first_visit_support: &'static [&'static str],
    /// For older people with a minority background (language cafés draw only these).
    pub minority: bool,
    /// How often, relative to the others.
    pub weight: u32,
}

const fn audience(
    target_groups: &'static [&'static str],
    languages: &'static [&'static str],
    name_suffix: &'static str,
    sentence: &'static str,
    weight: u32,
) -> Audience {
    Audience {
        target_groups,
        languages,
        name_suffix,
        sentence,
        accessibility: &[],
        first_visit_support: &[],
        minority: false,
        weight,
    }
}

const fn minority(
    languages: &'static [&'static str],
    name_suffix: &'static str,
    sentence: &'static str,
    weight: u32,
) -> Audience {
    Audience { minority: true, ..audience(&["minority_background"], languages, name_suffix, sentence, weight) }
}

pub const EVERYONE: Audience = audience(&["everyone"], &["da"], "", "", 48);
pub const DEMENTIA: Audience = Audience {
    accessibility: &["dementia_friendly", "companion_welcome"],
    first_visit_support: &["phone_before"],
    ..audience(
        &["dementia", "carers"],
        &["da"],
        " – demensvenlig",
        "Demensvenligt: for mennesker med demens og deres pårørende.",
        6,
    )
};
pub const MEN: Audience = audience(&["men"], &["da"], " for mænd", "Kun for mænd.", 2);
pub const TURKISH: Audience = minority(&["tr", "da"], " (tyrkisk/dansk)", "Vi taler tyrkisk og dansk.", 2);

/// The audiences activities are drawn for, by weight.
pub const AUDIENCES: &[Audience] = &[
    EVERYONE,
    audience(&["everyone"], &["da", "en"], " (dansk/engelsk)", "Vi taler dansk og engelsk. We speak English too.", 6),
    DEMENTIA,
    audience(&["newly_widowed"], &["da"], " – for nyligt alene", "Særligt for dig, der er blevet alene.", 4),
    Audience {
        accessibility: &["step_free_access", "accessible_toilet", "rest_places"],
        ..audience(&["physical_disability"], &["da"], "", "Alle kan være med, også med rollator eller i kørestol.", 5)
    },
    Audience {
        first_visit_support: &["phone_before", "met_at_the_door"],
        ..audience(
            &["psychological_vulnerability"],
            &["da"],
            "",
            "Et trygt og roligt sted, også for dig, der har det svært psykisk.",
            3,
        )
    },
    Audience {
        first_visit_support: &["pick_up"],
        ..audience(&["hard_to_leave_home"], &["da"], "", "Har du svært ved at komme ud, kan en frivillig hente dig.", 3)
    },
    audience(&["women"], &["da"], " for kvinder", "Kun for kvinder.", 3),
    MEN,
    Audience {
        accessibility: &["hearing_loop"],
        ..audience(&["hearing_impaired"], &["da"], "", "Der er teleslynge, og vi taler tydeligt og én ad gangen.", 2)
    },
    audience(&["visually_impaired"], &["da"], "", "Vi fortæller, hvad der sker, og har alt med stor skrift.", 1),
    audience(&["lgbt"], &["da"], " – LGBT+ seniorer", "For LGBT+ seniorer og deres venner.", 1),
    audience(&["carers"], &["da"], " for pårørende", "For dig, der passer en syg eller svækket ægtefælle.", 2),
    minority(&["ar", "da"], " (arabisk/dansk)", "Vi taler arabisk og dansk.", 3),
    TURKISH,
    minority(&["ur", "da"], " (urdu/dansk)", "Vi taler urdu og dansk.", 2),
    minority(&["so", "da"], " (somali/dansk)", "Vi taler somali og dansk.", 2),
    minority(&["pl", "da"], " (polsk/dansk)", "Vi taler polsk og dansk.", 1),
    minority(&["uk", "da"], " (ukrainsk/dansk)", "Vi taler ukrainsk og dansk.", 2),
    minority(&["fa", "da"], " (persisk/dansk)", "Vi taler persisk og dansk.", 1),
];

/// An organisation's own venue, used for its in-person activities in that district.
pub struct Venue {
    pub district: &'static str,
    pub address: &'static str,
    pub postcode: &'static str,
    /// "i Aktivitetscenter Valby".
    pub at: &'static str,
}

/// What one organisation offers: `count` activities, taking the templates in `offers` in turn
/// and spreading them over `districts`.
pub struct ActivityPlan {
    pub organisation: &'static str,
    pub count: usize,
    pub districts: &'static [&'static str],
    pub offers: &'static [&'static ActivityTemplate],
    /// Every activity is for this audience (where its kind allows one).
    pub audience: Option<&'static Audience>,
    pub venue: Option<Venue>,
    /// Housing areas it works in: its activities in their districts serve them.
    pub housing_areas: &'static [&'static str],
    /// Its first activities carry external ids `{prefix}-0001`, ... (from its own system).
    pub external_ids: Option<(&'static str, usize)>,
}

const ALL_DISTRICTS: &[&str] = &[
    "indre_by",
    "osterbro",
    "norrebro",
    "vesterbro_kongens_enghave",
    "valby",
    "vanlose",
    "bronshoj_husum",
    "bispebjerg",
    "amager_ost",
    "amager_vest",
];
const AMAGER: &[&str] = &["amager_ost", "amager_vest"];

const fn plan(
    organisation: &'static str,
    count: usize,
    districts: &'static [&'static str],
    offers: &'static [&'static ActivityTemplate],
) -> ActivityPlan {
    ActivityPlan {
        organisation,
        count,
        districts,
        offers,
        audience: None,
        venue: None,
        housing_areas: &[],
        external_ids: None,
    }
}

/// One plan per organisation in [`ORGANISATIONS`]. Activity centres and volunteer centres offer
/// the most.
#[rustfmt::skip]
pub const ACTIVITY_PLANS: &[ActivityPlan] = &[
    plan("Ældre Sagen", 10, ALL_DISTRICTS,
        &[&TALK, &EXCURSION, &VISITING, &PHONE, &ONLINE_MEMORIES, &IT_CAFE, &WALK, &GRIEF]),
    plan("Ældre Sagen Nørrebro", 10, &["norrebro"],
        &[&VISITING, &WALK, &DINING, &IT_CAFE, &FITNESS, &SINGING, &CARDS, &TALK, &PHONE, &DANCE]),
    plan("Ældre Sagen Valby", 10, &["valby"],
        &[&IT_CAFE, &TALK, &WALK, &EXCURSION, &FITNESS, &CARDS, &VISITING, &DINING, &GARDENING, &CREATIVE]),
    plan("Ældre Sagen Amager", 10, AMAGER,
        &[&VISITING, &FITNESS, &DINING, &WALK, &IT_CAFE, &DANCE, &PETANQUE, &PHONE, &GRIEF, &CYCLING]),
    plan("Røde Kors", 8, ALL_DISTRICTS, &[&VISITING, &PHONE, &LANGUAGE_CAFE, &DINING]),
    plan("Røde Kors København", 10, ALL_DISTRICTS,
        &[&VISITING, &DINING, &LANGUAGE_CAFE, &PHONE, &KNITTING, &CAFE, &IT_CAFE, &EXCURSION]),
    ActivityPlan { audience: Some(&DEMENTIA), ..plan("Alzheimerforeningen", 6,
        &["indre_by", "osterbro", "vesterbro_kongens_enghave"], &[&SINGING, &TALK, &WALK, &ONLINE_MEMORIES, &CAFE]) },
    ActivityPlan { audience: Some(&DEMENTIA), ..plan("Alzheimerforeningen København", 10, ALL_DISTRICTS,
        &[&SINGING, &WALK, &DANCE, &CAFE, &CREATIVE, &GARDENING, &EXCURSION]) },
    plan("Ensomme Gamles Værn", 8, &["indre_by", "vesterbro_kongens_enghave", "bispebjerg", "indre_by"],
        &[&CAFE, &GRIEF, &MENS_GROUP, &TALK, &PHONE, &WALK, &ONLINE_MEMORIES]),
    ActivityPlan { external_ids: Some(("vc-nb", 4)), ..plan("Frivilligcenter Nørrebro", 14, &["norrebro"],
        &[&CYCLING, &LANGUAGE_CAFE, &IT_CAFE, &KNITTING, &MENS_GROUP, &VISITING, &GARDENING, &CREATIVE, &DINING,
          &SINGING, &WALK, &GRIEF, &CARDS]) },
    ActivityPlan { external_ids: Some(("vc-am", 3)), ..plan("Frivilligcenter Amager", 14, AMAGER,
        &[&CYCLING, &LANGUAGE_CAFE, &IT_CAFE, &GARDENING, &VISITING, &PHONE, &CREATIVE, &MENS_GROUP, &DINING, &WALK,
          &DANCE, &CARDS, &KNITTING]) },
    ActivityPlan { external_ids: Some(("vc-ob", 3)), ..plan("Frivilligcenter Østerbro", 14, &["osterbro"],
        &[&VISITING, &WALK, &CYCLING, &SINGING, &IT_CAFE, &TALK, &LANGUAGE_CAFE, &GRIEF, &CREATIVE, &CAFE, &DINING,
          &PHONE, &GARDENING]) },
    ActivityPlan {
        venue: Some(Venue { district: "valby", address: "Valby Langgade 102", postcode: "2500", at: "i Aktivitetscenter Valby" }),
        housing_areas: &["akacieparken", "folehaven"],
        ..plan("Aktivitetscenter Valby", 20, &["valby"],
            &[&FITNESS, &CREATIVE, &CAFE, &DINING, &DANCE, &CARDS, &IT_CAFE, &SINGING, &TALK, &EXCURSION, &MENS_GROUP,
              &KNITTING, &PETANQUE, &GARDENING, &WALK, &CYCLING])
    },
    ActivityPlan {
        venue: Some(Venue { district: "bispebjerg", address: "Tomsgårdsvej 35", postcode: "2400", at: "i Aktivitetscenter Bispebjerg" }),
        ..plan("Aktivitetscenter Bispebjerg", 20, &["bispebjerg"],
            &[&FITNESS, &DINING, &CARDS, &CAFE, &CREATIVE, &DANCE, &IT_CAFE, &MENS_GROUP, &SINGING, &EXCURSION, &WALK,
              &LANGUAGE_CAFE, &TALK, &KNITTING, &CYCLING, &GARDENING])
    },
    ActivityPlan {
        venue: Some(Venue { district: "bronshoj_husum", address: "Ruten 11", postcode: "2700", at: "i Aktivitetscenter Tingbjerg" }),
        housing_areas: &["tingbjerg"],
        ..plan("Aktivitetscenter Tingbjerg", 20, &["bronshoj_husum", "bronshoj_husum", "vanlose"],
            &[&DINING, &FITNESS, &EXCURSION, &CAFE, &LANGUAGE_CAFE, &IT_CAFE, &CREATIVE, &WALK, &CARDS, &MENS_GROUP,
              &SINGING, &DANCE, &GARDENING, &KNITTING, &TALK])
    },
    ActivityPlan {
        housing_areas: &["tingbjerg", "husumgard", "bispeparken", "degnegarden", "mjolnerparken"],
        ..plan("fsb", 6, &["bronshoj_husum", "bispebjerg", "norrebro"],
            &[&DINING, &CAFE, &GARDENING, &IT_CAFE, &MENS_GROUP, &FITNESS])
    },
    ActivityPlan {
        housing_areas: &["akacieparken", "folehaven", "urbanplanen", "saxogade_aeldreboliger", "sjaelor_boulevard", "horgarden"],
        ..plan("KAB", 7, &["vesterbro_kongens_enghave", "amager_vest", "vesterbro_kongens_enghave", "amager_ost"],
            &[&CAFE, &GARDENING, &DINING, &KNITTING, &FITNESS, &CARDS])
    },
    ActivityPlan {
        venue: Some(Venue { district: "norrebro", address: "Jagtvej 50", postcode: "2200", at: "i sognegården ved Jagtvej" }),
        ..plan("Nørrebro Sangkor", 5, &["norrebro"], &[&SINGING, &SINGING, &EXCURSION, &SINGING, &TALK])
    },
    plan("Valby Petanqueklub", 4, &["valby"], &[&PETANQUE, &PETANQUE, &CARDS, &EXCURSION]),
    plan("Vanløse Lokalhistoriske Forening", 7, &["vanlose"], &[&TALK, &WALK, &ONLINE_MEMORIES, &EXCURSION, &CAFE]),
    ActivityPlan {
        venue: Some(Venue { district: "bronshoj_husum", address: "Frederikssundsvej 288", postcode: "2700", at: "i bowlinghallen" }),
        ..plan("Husum Seniorbowling", 3, &["bronshoj_husum"], &[&BOWLING, &BOWLING, &CARDS])
    },
    ActivityPlan { audience: Some(&TURKISH), ..plan("Dansk-Tyrkisk Seniorforening i Nordvest", 6,
        &["bispebjerg", "norrebro"], &[&CAFE, &DINING, &EXCURSION, &IT_CAFE, &WALK, &LANGUAGE_CAFE]) },
    ActivityPlan {
        venue: Some(Venue { district: "amager_ost", address: "Øresundsvej 6", postcode: "2300", at: "på Amager Bibliotek" }),
        ..plan("Strikkecaféen på Amager", 4, AMAGER, &[&KNITTING, &KNITTING, &KNITTING, &CREATIVE])
    },
    ActivityPlan {
        audience: Some(&MEN),
        venue: Some(Venue { district: "bispebjerg", address: "Tuborgvej 95", postcode: "2400", at: "i beboerhuset i Bispeparken" }),
        housing_areas: &["bispeparken"],
        ..plan("Mandegruppen i Bispeparken", 4, &["bispebjerg"], &[&MENS_GROUP, &WALK, &DINING, &MENS_GROUP])
    },
    ActivityPlan {
        venue: Some(Venue { district: "osterbro", address: "Fælledparken ved Trianglen", postcode: "2100", at: "ved Fælledparkens hovedindgang" }),
        ..plan("Gåturene fra Fælledparken", 4, &["osterbro"], &[&WALK])
    },
    ActivityPlan {
        venue: Some(Venue { district: "vesterbro_kongens_enghave", address: "Sjælør Boulevard 113", postcode: "2450", at: "i fælleslokalet" }),
        housing_areas: &["sjaelor_boulevard"],
        ..plan("Kaffeklubben på Sjælør Boulevard", 3, &["vesterbro_kongens_enghave"], &[&CAFE, &CARDS, &DINING])
    },
];

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use sammen_domain::directory::organisation::check_organisation;
    use sammen_domain::validation::ValidationErrors;

    use super::*;

    #[test]
    fn the_demo_tables_are_consistent() {
        let districts: HashSet<&str> = DISTRICTS.iter().map(|d| d.0).collect();
        assert_eq!(districts.len(), DISTRICTS.len());
        let mut areas = HashSet::new();
        for (code, _, district, ..) in HOUSING_AREAS {
            assert!(areas.insert(code) && districts.contains(district), "{code}");
        }
        let mut names = HashSet::new();
        for org in ORGANISATIONS {
            assert!(org.parent.is_none_or(|p| names.contains(p)), "{}: parent first", org.name);
            assert!(names.insert(org.name), "{}", org.name);
            let mut errors = ValidationErrors::new();
            check_organisation(&org.input(), &mut errors);
            assert!(errors.is_empty(), "{}: {errors:?}", org.name);
        }
        assert!(names.contains(ORGANISATION_USER_ORG));
    }

    #[test]
    fn every_organisation_has_one_activity_plan_in_known_places() {
        let districts: HashSet<&str> = DISTRICTS.iter().map(|d| d.0).collect();
        let streets: HashSet<&str> = STREETS.iter().map(|s| s.0).collect();
        assert_eq!(streets, districts);
        for (district, streets) in STREETS {
            for (street, postcode, _) in streets {
                let code: u32 = postcode.parse().unwrap();
                let fits = match district {
                    "indre_by" => (1050..=1473).contains(&code),
                    "vesterbro_kongens_enghave" => (1620..=1799).contains(&code) || code == 2450,
                    _ => code >= 2100,
                };
                assert!(fits, "{street} {postcode} in {district}");
            }
        }
        let mut planned = HashSet::new();
        for plan in ACTIVITY_PLANS {
            assert!(ORGANISATIONS.iter().any(|o| o.name == plan.organisation), "{}", plan.organisation);
            assert!(planned.insert(plan.organisation), "{} twice", plan.organisation);
            assert!(plan.count >= 3 && !plan.offers.is_empty(), "{}", plan.organisation);
            assert!(plan.districts.iter().all(|d| districts.contains(d)), "{}", plan.organisation);
            assert!(plan.venue.as_ref().is_none_or(|v| plan.districts.contains(&v.district)), "{}", plan.organisation);
            for area in plan.housing_areas {
                assert!(HOUSING_AREAS.iter().any(|h| h.0 == *area), "{}: {area}", plan.organisation);
            }
        }
        assert_eq!(planned.len(), ORGANISATIONS.len());
        let weights: u32 = AUDIENCES.iter().map(|a| a.weight).sum();
        assert!(weights > 0 && AUDIENCES.iter().any(|a| a.minority));
    }
}
