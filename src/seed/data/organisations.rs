//! The demo organisations, of every kind, with their contact details (invented) and CVR numbers
//! (made up).

use super::*;

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
