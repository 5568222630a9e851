//! Who the activities are for (audiences, with their weights), the organisations' own venues, and
//! what each organisation offers.

use super::*;

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
