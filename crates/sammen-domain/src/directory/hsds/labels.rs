//! Fixed labels: what is code in Sammen rather than vocabulary data (modes, organisation
//! kinds, language names, postal towns), and the taxonomy attributes that carry a label into the
//! export, so organisations and services name their terms the same way.

use super::derived_id;
use super::objects::{Attribute, TaxonomyDetail, TaxonomyTerm};
use super::records::TermLabel;
use crate::directory::activity::Mode;
use crate::directory::organisation::OrganisationKind;
use crate::directory::vocabulary::Vocabulary;

/// The name (Danish, English) of each taxonomy the export uses: the vocabularies, and the
/// fixed lists of modes and organisation kinds.
fn taxonomy_name(taxonomy: &str) -> (&'static str, &'static str) {
    match taxonomy {
        "mode" => ("Deltagelsesform", "How to take part"),
        "organisation_kind" => ("Organisationstyper", "Organisation kinds"),
        other => Vocabulary::parse(other).map_or(("Sammen", "Sammen"), Vocabulary::label),
    }
}

pub(super) fn mode_label(mode: Mode) -> TermLabel {
    let (da, en) = match mode {
        Mode::InPerson => ("Fremmøde", "In person"),
        Mode::Online => ("Online", "Online"),
        Mode::Phone => ("Telefon", "Phone"),
        Mode::HomeVisit => ("Hjemmebesøg", "Home visit"),
    };
    TermLabel { da: da.into(), en: en.into() }
}

pub(super) fn kind_label(kind: OrganisationKind) -> TermLabel {
    let (da, en) = match kind {
        OrganisationKind::Association => ("Forening", "Association"),
        OrganisationKind::Ngo => ("NGO", "NGO"),
        OrganisationKind::NgoBranch => ("Lokalafdeling af en NGO", "Local branch of an NGO"),
        OrganisationKind::VolunteerCentre => ("Frivilligcenter", "Volunteer centre"),
        OrganisationKind::MunicipalActivityCentre => ("Kommunalt aktivitetscenter", "Municipal activity centre"),
        OrganisationKind::HousingAssociation => ("Boligforening", "Housing association"),
        OrganisationKind::InformalGroup => ("Uformel gruppe", "Informal group"),
    };
    TermLabel { da: da.into(), en: en.into() }
}

/// The Danish name of each language activities may run in (`activity::LANGUAGES`).
pub(super) fn language_name(code: &str) -> Option<&'static str> {
    Some(match code {
        "da" => "Dansk",
        "en" => "Engelsk",
        "de" => "Tysk",
        "sv" => "Svensk",
        "no" => "Norsk",
        "is" => "Islandsk",
        "fo" => "Færøsk",
        "kl" => "Grønlandsk",
        "fi" => "Finsk",
        "pl" => "Polsk",
        "lt" => "Litauisk",
        "lv" => "Lettisk",
        "et" => "Estisk",
        "ro" => "Rumænsk",
        "bg" => "Bulgarsk",
        "uk" => "Ukrainsk",
        "ru" => "Russisk",
        "bs" => "Bosnisk",
        "hr" => "Kroatisk",
        "sr" => "Serbisk",
        "sq" => "Albansk",
        "el" => "Græsk",
        "tr" => "Tyrkisk",
        "ku" => "Kurdisk",
        "ar" => "Arabisk",
        "fa" => "Persisk",
        "ps" => "Pashto",
        "ur" => "Urdu",
        "hi" => "Hindi",
        "pa" => "Punjabi",
        "ta" => "Tamil",
        "bn" => "Bengali",
        "so" => "Somali",
        "ti" => "Tigrinya",
        "am" => "Amharisk",
        "vi" => "Vietnamesisk",
        "th" => "Thai",
        "zh" => "Kinesisk",
        "tl" => "Tagalog",
        "es" => "Spansk",
        _ => return None,
    })
}

/// The postal town and region of a postcode, for the Copenhagen area (1000–2999). Sammen stores
/// the postcode only; elsewhere the export leaves town and region empty rather than guess.
pub fn postal_town(postcode: &str) -> Option<(&'static str, &'static str)> {
    const HOVEDSTADEN: &str = "Region Hovedstaden";
    const SJAELLAND: &str = "Region Sjælland";
    let n: u32 = postcode.parse().ok()?;
    let town = match n {
        1000..=1499 => "København K",
        1500..=1799 => "København V",
        1800..=1999 => "Frederiksberg C",
        2000 => "Frederiksberg",
        2100 => "København Ø",
        2150 => "Nordhavn",
        2200 => "København N",
        2300 => "København S",
        2400 => "København NV",
        2450 => "København SV",
        2500 => "Valby",
        2600 => "Glostrup",
        2605 => "Brøndby",
        2610 => "Rødovre",
        2620 => "Albertslund",
        2625 => "Vallensbæk",
        2630 => "Taastrup",
        2635 => "Ishøj",
        2640 => "Hedehusene",
        2650 => "Hvidovre",
        2660 => "Brøndby Strand",
        2665 => "Vallensbæk Strand",
        2670 => "Greve",
        2680 => "Solrød Strand",
        2690 => "Karlslunde",
        2700 => "Brønshøj",
        2720 => "Vanløse",
        2730 => "Herlev",
        2740 => "Skovlunde",
        2750 => "Ballerup",
        2760 => "Måløv",
        2765 => "Smørum",
        2770 => "Kastrup",
        2791 => "Dragør",
        2800 => "Kongens Lyngby",
        2820 => "Gentofte",
        2830 => "Virum",
        2840 => "Holte",
        2850 => "Nærum",
        2860 => "Søborg",
        2870 => "Dyssegård",
        2880 => "Bagsværd",
        2900 => "Hellerup",
        2920 => "Charlottenlund",
        2930 => "Klampenborg",
        2942 => "Skodsborg",
        2950 => "Vedbæk",
        2960 => "Rungsted Kyst",
        2970 => "Hørsholm",
        2980 => "Kokkedal",
        2990 => "Nivå",
        _ => return None,
    };
    // Greve and Solrød municipalities belong to Region Sjælland.
    let region = if matches!(n, 2670 | 2680 | 2690) { SJAELLAND } else { HOVEDSTADEN };
    Some((town, region))
}

/// An attribute linking `link_id` to the term `code` of `vocabulary`. Term and taxonomy ids
/// depend on the vocabulary and code only, so they are the same wherever the term is used.
pub(super) fn attribute(
    link_id: &str,
    link_entity: &'static str,
    vocabulary: &str,
    code: &str,
    label: TermLabel,
) -> Attribute {
    let term_id = derived_id(&format!("term/{vocabulary}/{code}"));
    let taxonomy_id = derived_id(&format!("taxonomy/{vocabulary}"));
    let (name_da, name_en) = taxonomy_name(vocabulary);
    Attribute {
        id: derived_id(&format!("{link_id}/attribute/{vocabulary}/{code}")),
        link_id: link_id.to_owned(),
        link_type: vocabulary.to_owned(),
        link_entity,
        taxonomy_term_id: term_id.clone(),
        taxonomy_term: TaxonomyTerm {
            id: term_id,
            code: code.to_owned(),
            name: label.da,
            description: label.en,
            language: "da",
            taxonomy_id: taxonomy_id.clone(),
            taxonomy_detail: TaxonomyDetail {
                id: taxonomy_id,
                name: name_da,
                description: format!("{name_en}: Sammen's vocabulary `{vocabulary}` (GET /api/v1/taxonomy)"),
            },
        },
    }
}
