//! The tables behind `sammen seed --demo`: Copenhagen's districts, housing areas for older
//! citizens, and organisations of every kind. Demo data: the coordinates are approximate, the
//! contact details invented, and the CVR numbers made up (they pass the modulus-11 check, but are
//! not the organisations' real numbers; the municipal ones use Københavns Kommune's).

use sammen_domain::directory::organisation::OrganisationKind::{self, *};

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

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use sammen_domain::directory::organisation::{OrganisationInput, check_organisation};
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
            let input = OrganisationInput {
                name: Some(org.name),
                kind: Some(org.kind),
                description: Some(org.description),
                website: org.website,
                contact_email: org.email,
                contact_phone: org.phone,
                cvr: org.cvr,
            };
            let mut errors = ValidationErrors::new();
            check_organisation(&input, &mut errors);
            assert!(errors.is_empty(), "{}: {errors:?}", org.name);
        }
        assert!(names.contains(ORGANISATION_USER_ORG));
    }
}
