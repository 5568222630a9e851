//! The published directory as Open Referral HSDS 3.0: organisations become HSDS `organization`
//! objects and activities `service` objects, with their schedules, location, languages, costs,
//! service areas and taxonomy terms nested as HSDS nests them.
//!
//! Plain functions from Sammen's records to serialisable HSDS objects; the store supplies the
//! records and the HTTP layer streams the result. Every id HSDS asks for is a UUID: Sammen's own
//! ids are UUIDs, and the objects that have none in Sammen (a schedule row, a location, a
//! language, a taxonomy term...) get a UUID v5 derived from their parent's id and what they are,
//! so the same data gives the same ids in every export.
//!
//! Schedules. HSDS gives times with a fixed UTC offset (`opens_at` `10:00+01:00`, `timezone` 1),
//! while Sammen's times are wall-clock times in Europe/Copenhagen, whose offset changes twice a
//! year. One Sammen schedule therefore becomes one HSDS row per stretch of occurrences with the
//! same offset, each bounded by `valid_from`/`valid_to`, as HSDS's field guidance does for
//! changing schedules. Cancelled dates, pauses and holidays end a stretch too, so a consumer that
//! expands `freq`/`byday` within the bounds gets exactly Sammen's occurrences. The rows cover the
//! export's `Window`: from the start of the current daylight-saving period to 400 days ahead.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Offset, SecondsFormat, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::activity::{ActivityContent, Mode};
use super::organisation::OrganisationKind;
use super::schedule::{MAX_WINDOW_DAYS, Occurrence, Recurrence, Schedule, TIME_ZONE, Weekday, local_to_utc};
use super::vocabulary::Vocabulary;

/// The HSDS version the export follows.
pub const HSDS_VERSION: &str = "3.0";

/// The namespace of every id the export derives: the UUID v5 of the URL `https://sammen.dk/hsds`.
pub const NAMESPACE: Uuid = Uuid::from_u128(0x3b3c5ea5_efed_59b8_b9a2_53ff0b9f117e);

/// The id of something that has none of its own in Sammen, derived from a stable name
/// (`<parent id>/<what>`): the same in every export.
pub fn derived_id(name: &str) -> String {
    Uuid::new_v5(&NAMESPACE, name.as_bytes()).to_string()
}

/// An instant as HSDS writes `last_modified` and the export its `generated_at`: RFC 3339 in UTC
/// with milliseconds.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

// ---------------------------------------------------------------------------------------------
// What goes in: Sammen's records and the labels of their codes.
// ---------------------------------------------------------------------------------------------

/// A label in Danish and English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermLabel {
    pub da: String,
    pub en: String,
}

/// The labels of the codes activities use, from the database (vocabularies are data).
#[derive(Debug, Clone, Default)]
pub struct Labels {
    /// vocabulary → code → label.
    pub terms: HashMap<Vocabulary, HashMap<String, TermLabel>>,
    /// district code → name.
    pub districts: HashMap<String, String>,
    /// housing-area code → name.
    pub housing_areas: HashMap<String, String>,
}

impl Labels {
    fn term(&self, vocabulary: Vocabulary, code: &str) -> Option<&TermLabel> {
        self.terms.get(&vocabulary)?.get(code)
    }
}

/// An organisation as the export needs it.
#[derive(Debug, Clone)]
pub struct OrganisationRecord<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub kind: OrganisationKind,
    pub description: &'a str,
    pub website: Option<&'a str>,
    pub contact_email: Option<&'a str>,
    pub contact_phone: Option<&'a str>,
    /// Whether the organisation publishes its contact details.
    pub contact_public: bool,
    pub cvr: Option<&'a str>,
    pub parent_id: Option<&'a str>,
}

impl OrganisationRecord<'_> {
    /// The e-mail address and phone number the public may see: only when the organisation
    /// publishes them, and an address only in a form HSDS's `email` format accepts.
    fn public_contact(&self) -> (Option<String>, Option<&str>) {
        if !self.contact_public {
            return (None, None);
        }
        (self.contact_email.and_then(hsds_email), self.contact_phone)
    }
}

/// A published activity as the export needs it.
#[derive(Debug, Clone)]
pub struct ActivityRecord<'a> {
    pub id: &'a str,
    pub organisation_id: &'a str,
    pub content: &'a ActivityContent,
    pub assured_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The organisation behind it, for its public contact details.
    pub provider: Option<&'a OrganisationRecord<'a>>,
}

/// The dates an export's schedules cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The export's local date: a service with no occurrence from here on is `inactive`.
    pub today: NaiveDate,
    /// The first day of the daylight-saving period `today` is in, so a season's rows keep their
    /// bounds (and ids) from one export to the next.
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The UTC offset in force at an instant in Copenhagen, in seconds.
fn offset_seconds(t: DateTime<Utc>) -> i32 {
    t.with_timezone(&TIME_ZONE).offset().fix().local_minus_utc()
}

impl Window {
    /// The window of an export made on local date `today`.
    pub fn at(today: NaiveDate) -> Window {
        let noon = NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default();
        let offset_on = |d: NaiveDate| offset_seconds(local_to_utc(d.and_time(noon)));
        let from = (0..366)
            .map(|n| today - Duration::days(n))
            .find(|d| offset_on(*d) != offset_on(*d - Duration::days(1)))
            .unwrap_or(today);
        Window { today, from, to: today + Duration::days(MAX_WINDOW_DAYS) }
    }
}

// ---------------------------------------------------------------------------------------------
// What comes out: the HSDS 3.0 objects, with the fields Sammen fills.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Organization {
    pub id: String,
    pub name: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_organization_id: Option<String>,
    pub phones: Vec<Phone>,
    pub organization_identifiers: Vec<OrganizationIdentifier>,
    pub attributes: Vec<Attribute>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Phone {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    pub number: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrganizationIdentifier {
    pub id: String,
    pub organization_id: String,
    /// From org-id.guide: `DK-CVR`.
    pub identifier_scheme: &'static str,
    pub identifier_type: &'static str,
    pub identifier: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Service {
    pub id: String,
    pub organization_id: String,
    pub name: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// `active` while it has occurrences ahead, else `inactive`.
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application_process: Option<String>,
    pub fees_description: String,
    /// The local date the organisation last confirmed the listing.
    pub assured_date: String,
    pub last_modified: String,
    pub phones: Vec<Phone>,
    pub schedules: Vec<ScheduleRow>,
    pub service_areas: Vec<ServiceArea>,
    pub service_at_locations: Vec<ServiceAtLocation>,
    pub languages: Vec<Language>,
    pub cost_options: Vec<CostOption>,
    pub attributes: Vec<Attribute>,
}

/// One HSDS schedule: a stretch of a Sammen schedule's occurrences with one UTC offset.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScheduleRow {
    pub id: String,
    pub service_id: String,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub dtstart: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    /// Sammen counts weeks from Monday (matters for an `interval` above 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wkst: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub freq: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub byday: Option<String>,
    /// Local time with its offset: `10:00+01:00`.
    pub opens_at: String,
    pub closes_at: String,
    /// The UTC offset of `opens_at`, in hours.
    pub timezone: i32,
    /// In Danish, for people: "Hver tirsdag kl. 10:00–11:30".
    pub description: String,
    pub attending_type: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceArea {
    pub id: String,
    pub service_id: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceAtLocation {
    pub id: String,
    pub service_id: String,
    pub location_id: String,
    pub location: HsdsLocation,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HsdsLocation {
    pub id: String,
    pub location_type: &'static str,
    pub name: String,
    /// WGS84.
    pub latitude: f64,
    pub longitude: f64,
    pub addresses: Vec<Address>,
    pub accessibility: Vec<Accessibility>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Address {
    pub id: String,
    pub location_id: String,
    pub address_1: String,
    /// The postal town of the postcode (`postal_town`); empty where Sammen does not know it.
    pub city: String,
    /// The Danish region; empty where Sammen does not know it.
    pub state_province: String,
    pub postal_code: String,
    pub country: &'static str,
    pub address_type: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Accessibility {
    pub id: String,
    pub location_id: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Language {
    pub id: String,
    pub service_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'static str>,
    /// ISO 639-1.
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostOption {
    pub id: String,
    pub service_id: String,
    pub currency: &'static str,
    /// In kroner (Sammen keeps øre).
    pub amount: f64,
    pub amount_description: &'static str,
}

/// A taxonomy term attached to a service or an organisation; `link_type` names the vocabulary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attribute {
    pub id: String,
    pub link_id: String,
    pub link_type: String,
    pub link_entity: &'static str,
    pub taxonomy_term_id: String,
    pub taxonomy_term: TaxonomyTerm,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaxonomyTerm {
    pub id: String,
    /// Sammen's stable code.
    pub code: String,
    /// The Danish label.
    pub name: String,
    /// The English label.
    pub description: String,
    pub language: &'static str,
    pub taxonomy_id: String,
    pub taxonomy_detail: TaxonomyDetail,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaxonomyDetail {
    pub id: String,
    pub name: &'static str,
    pub description: String,
}

// ---------------------------------------------------------------------------------------------
// Fixed labels: what is code in Sammen rather than vocabulary data.
// ---------------------------------------------------------------------------------------------

/// The name (Danish, English) of each taxonomy the export uses: the vocabularies, and the
/// fixed lists of modes and organisation kinds.
fn taxonomy_name(taxonomy: &str) -> (&'static str, &'static str) {
    match taxonomy {
        "mode" => ("Deltagelsesform", "How to take part"),
        "organisation_kind" => ("Organisationstyper", "Organisation kinds"),
        other => Vocabulary::parse(other).map_or(("Sammen", "Sammen"), Vocabulary::label),
    }
}

fn mode_label(mode: Mode) -> TermLabel {
    let (da, en) = match mode {
        Mode::InPerson => ("Fremmøde", "In person"),
        Mode::Online => ("Online", "Online"),
        Mode::Phone => ("Telefon", "Phone"),
        Mode::HomeVisit => ("Hjemmebesøg", "Home visit"),
    };
    TermLabel { da: da.into(), en: en.into() }
}

fn kind_label(kind: OrganisationKind) -> TermLabel {
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
fn language_name(code: &str) -> Option<&'static str> {
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

// ---------------------------------------------------------------------------------------------
// Values HSDS formats constrain.
// ---------------------------------------------------------------------------------------------

/// A website as an RFC 3986 URI (an international domain in punycode, other characters
/// percent-encoded), as HSDS's `uri` format requires; `None` if it cannot be one.
fn hsds_uri(website: &str) -> Option<String> {
    let url = url::Url::parse(website.trim()).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

/// An e-mail address in the plain form HSDS's `email` format (RFC 5322 `addr-spec`) accepts, an
/// international domain in punycode; `None` for anything else, which the export leaves out.
fn hsds_email(email: &str) -> Option<String> {
    let (local, domain) = email.trim().rsplit_once('@')?;
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local.split('.').all(|part| !part.is_empty() && part.chars().all(atext));
    let domain = match url::Host::parse(domain).ok()? {
        url::Host::Domain(d) => d,
        _ => return None,
    };
    let label_ok = |l: &str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let domain_ok = domain.contains('.') && domain.split('.').all(label_ok);
    (local_ok && domain_ok).then(|| format!("{local}@{domain}"))
}

// ---------------------------------------------------------------------------------------------
// The mapping.
// ---------------------------------------------------------------------------------------------

/// An attribute linking `link_id` to the term `code` of `vocabulary`. Term and taxonomy ids
/// depend on the vocabulary and code only, so they are the same wherever the term is used.
fn attribute(link_id: &str, link_entity: &'static str, vocabulary: &str, code: &str, label: TermLabel) -> Attribute {
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

/// An organisation as an HSDS `organization`.
pub fn organization(o: &OrganisationRecord<'_>) -> Organization {
    let (email, phone) = o.public_contact();
    let kind = Some(o.kind);
    Organization {
        id: o.id.to_owned(),
        name: o.name.to_owned(),
        description: o.description.to_owned(),
        email,
        website: o.website.and_then(hsds_uri),
        parent_organization_id: o.parent_id.map(str::to_owned),
        phones: phone
            .map(|number| Phone {
                id: derived_id(&format!("{}/phone", o.id)),
                organization_id: Some(o.id.to_owned()),
                service_id: None,
                number: number.to_owned(),
                kind: "voice",
            })
            .into_iter()
            .collect(),
        organization_identifiers: o
            .cvr
            .map(|cvr| OrganizationIdentifier {
                id: derived_id(&format!("{}/identifier/DK-CVR", o.id)),
                organization_id: o.id.to_owned(),
                identifier_scheme: "DK-CVR",
                identifier_type: "CVR-nummer",
                identifier: cvr.to_owned(),
            })
            .into_iter()
            .collect(),
        attributes: kind
            .map(|k| attribute(o.id, "organization", "organisation_kind", k.as_str(), kind_label(k)))
            .into_iter()
            .collect(),
    }
}

/// An amount of øre in kroner as Danes write it: `25 kr.`, `25,50 kr.`.
fn kroner(ore: i64) -> String {
    if ore % 100 == 0 { format!("{} kr.", ore / 100) } else { format!("{},{:02} kr.", ore / 100, ore % 100) }
}

const WEEKDAYS_DA: [&str; 7] = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"];
const MONTHS_DA: [&str; 12] = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];

fn weekday_da(w: Weekday) -> &'static str {
    WEEKDAYS_DA[w.chrono().num_days_from_monday() as usize]
}

/// "a", "a og b", "a, b og c".
fn join_da(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} og {last}", init.join(", ")),
    }
}

/// How often, in Danish: "Hver tirsdag og torsdag", "Den sidste fredag hver 2. måned", "3. december 2026".
fn rhythm_da(recurrence: &Recurrence, date: NaiveDate) -> String {
    match recurrence {
        Recurrence::Weekly { interval, weekdays, .. } => {
            let mut days = weekdays.clone();
            days.sort();
            let days: Vec<&str> = days.into_iter().map(weekday_da).collect();
            if *interval == 1 {
                format!("Hver {}", join_da(&days))
            } else {
                format!("Hver {interval}. uge: {}", join_da(&days))
            }
        }
        Recurrence::MonthlyByWeekday { interval, nth, weekday, .. } => {
            let which = if *nth == -1 { "sidste".to_owned() } else { format!("{nth}.") };
            let every = if *interval == 1 { "i måneden".to_owned() } else { format!("hver {interval}. måned") };
            format!("Den {which} {} {every}", weekday_da(*weekday))
        }
        Recurrence::Once { .. } => {
            format!("{}. {} {}", date.day(), MONTHS_DA[date.month0() as usize], date.year())
        }
    }
}

/// What the rows of one stretch share: the local times with their offsets.
#[derive(PartialEq)]
struct Times {
    opens_at: String,
    closes_at: String,
    offset: i32,
}

fn times(o: &Occurrence) -> Times {
    let start = o.starts_at.with_timezone(&TIME_ZONE);
    let end = o.ends_at.with_timezone(&TIME_ZONE);
    Times {
        opens_at: start.format("%H:%M%:z").to_string(),
        closes_at: end.format("%H:%M%:z").to_string(),
        offset: offset_seconds(o.starts_at) / 3600,
    }
}

/// A stretch of occurrences that one HSDS schedule row describes.
struct Stretch {
    first: NaiveDate,
    last: NaiveDate,
    times: Times,
}

/// The occurrences in the window, cut into stretches at every skipped date and every change of
/// offset; one-off dates are a stretch each (HSDS has no list of dates).
fn stretches(s: &Schedule, window: &Window) -> Vec<Stretch> {
    let once = matches!(s.recurrence, Recurrence::Once { .. });
    let mut out: Vec<Stretch> = Vec::new();
    let mut open = false;
    for (o, excepted) in s.rule_occurrences(window.from, window.to) {
        if excepted {
            open = false;
            continue;
        }
        let t = times(&o);
        match out.last_mut() {
            Some(current) if open && !once && current.times == t => current.last = o.date,
            _ => out.push(Stretch { first: o.date, last: o.date, times: t }),
        }
        open = true;
    }
    out
}

fn schedule_rows(service_id: &str, s: &Schedule, mode: Mode, window: &Window) -> Vec<ScheduleRow> {
    let dtstart = s.first_date();
    let (freq, interval, byday, until) = match &s.recurrence {
        Recurrence::Weekly { interval, weekdays, ends_on, .. } => {
            let mut days = weekdays.clone();
            days.sort();
            let byday: Vec<&str> = days.iter().map(|d| d.ical()).collect();
            (Some("WEEKLY"), Some(*interval), Some(byday.join(",")), *ends_on)
        }
        Recurrence::MonthlyByWeekday { interval, nth, weekday, ends_on, .. } => {
            (Some("MONTHLY"), Some(*interval), Some(format!("{nth}{}", weekday.ical())), *ends_on)
        }
        Recurrence::Once { .. } => (None, None, None, None),
    };
    stretches(s, window)
        .into_iter()
        .map(|st| {
            let local = |t: &str| t[..5].to_owned();
            ScheduleRow {
                id: derived_id(&format!("{service_id}/schedule/{}", st.first)),
                service_id: service_id.to_owned(),
                valid_from: st.first,
                valid_to: st.last,
                dtstart: if freq.is_some() { dtstart.unwrap_or(st.first) } else { st.first },
                until,
                wkst: freq.map(|_| "MO"),
                freq,
                interval,
                byday: byday.clone(),
                description: format!(
                    "{} kl. {}–{}",
                    rhythm_da(&s.recurrence, st.first),
                    local(&st.times.opens_at),
                    local(&st.times.closes_at)
                ),
                opens_at: st.times.opens_at,
                closes_at: st.times.closes_at,
                timezone: st.times.offset,
                attending_type: mode_label(mode).da,
            }
        })
        .collect()
}

/// A published activity as an HSDS `service`.
pub fn service(a: &ActivityRecord<'_>, labels: &Labels, window: &Window) -> Service {
    let c = a.content;
    let id = a.id;
    let child = |what: &str| derived_id(&format!("{id}/{what}"));
    let (email, phone) = a.provider.map_or((None, None), |p| p.public_contact());

    let description = if c.description.trim().is_empty() {
        c.summary.to_string()
    } else {
        format!("{}\n\n{}", c.summary, c.description)
    };
    let schedules = schedule_rows(id, &c.schedule, c.mode, window);
    let active = schedules.iter().any(|r| r.valid_to >= window.today);

    let mut service_areas = Vec::new();
    if let Some(district) = c.location.as_ref().and_then(|l| l.district.as_deref()) {
        service_areas.push(ServiceArea {
            id: child(&format!("service_area/district/{district}")),
            service_id: id.to_owned(),
            name: labels.districts.get(district).cloned().unwrap_or_else(|| district.to_owned()),
            description: format!("Bydel (district `{district}`)"),
        });
    }
    for area in &c.housing_areas {
        service_areas.push(ServiceArea {
            id: child(&format!("service_area/housing_area/{area}")),
            service_id: id.to_owned(),
            name: labels.housing_areas.get(area).cloned().unwrap_or_else(|| area.clone()),
            description: format!("Ældreboligområde (housing area `{area}`)"),
        });
    }

    let label = |vocabulary: Vocabulary, code: &str| {
        labels.term(vocabulary, code).cloned().unwrap_or_else(|| TermLabel { da: code.to_owned(), en: code.to_owned() })
    };
    let service_at_locations = c
        .location
        .as_ref()
        .map(|l| {
            let location_id = child("location");
            let (city, region) = postal_town(&l.postcode).unwrap_or(("", ""));
            ServiceAtLocation {
                id: child("service_at_location"),
                service_id: id.to_owned(),
                location_id: location_id.clone(),
                location: HsdsLocation {
                    id: location_id.clone(),
                    location_type: "physical",
                    name: l.address.to_string(),
                    latitude: l.lat,
                    longitude: l.lon,
                    addresses: vec![Address {
                        id: child("location/address"),
                        location_id: location_id.clone(),
                        address_1: l.address.to_string(),
                        city: city.to_owned(),
                        state_province: region.to_owned(),
                        postal_code: l.postcode.clone(),
                        country: "DK",
                        address_type: "physical",
                    }],
                    accessibility: c
                        .accessibility
                        .iter()
                        .map(|code| Accessibility {
                            id: child(&format!("location/accessibility/{code}")),
                            location_id: location_id.clone(),
                            description: label(Vocabulary::Accessibility, code).da,
                        })
                        .collect(),
                },
            }
        })
        .into_iter()
        .collect();

    let mut attributes: Vec<Attribute> = Vocabulary::ALL
        .into_iter()
        .flat_map(|vocabulary| {
            c.codes(vocabulary)
                .iter()
                .map(move |code| attribute(id, "service", vocabulary.as_str(), code, label(vocabulary, code)))
        })
        .collect();
    attributes.push(attribute(id, "service", "mode", c.mode.as_str(), mode_label(c.mode)));

    Service {
        id: id.to_owned(),
        organization_id: a.organisation_id.to_owned(),
        name: c.name.to_string(),
        description,
        email,
        status: if active { "active" } else { "inactive" },
        application_process: c.registration_how.as_ref().map(|h| h.to_string()).filter(|_| c.registration_required),
        fees_description: if c.cost_ore == 0 {
            "Gratis".to_owned()
        } else {
            format!("{} pr. gang", kroner(c.cost_ore))
        },
        assured_date: a.assured_at.with_timezone(&TIME_ZONE).date_naive().to_string(),
        last_modified: timestamp(a.updated_at),
        phones: phone
            .map(|number| Phone {
                id: child("phone"),
                organization_id: None,
                service_id: Some(id.to_owned()),
                number: number.to_owned(),
                kind: "voice",
            })
            .into_iter()
            .collect(),
        schedules,
        service_areas,
        service_at_locations,
        languages: c
            .languages
            .iter()
            .map(|code| Language {
                id: child(&format!("language/{code}")),
                service_id: id.to_owned(),
                name: language_name(code),
                code: code.clone(),
            })
            .collect(),
        cost_options: (c.cost_ore > 0)
            .then(|| CostOption {
                id: child("cost_option"),
                service_id: id.to_owned(),
                currency: "DKK",
                amount: c.cost_ore as f64 / 100.0,
                amount_description: "pr. gang",
            })
            .into_iter()
            .collect(),
        attributes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::activity::Location;
    use crate::directory::schedule::Pause;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn weekly(weekdays: Vec<Weekday>, starts_on: NaiveDate, ends_on: Option<NaiveDate>) -> Schedule {
        Schedule {
            recurrence: Recurrence::Weekly { interval: 1, weekdays, starts_on, ends_on },
            start_time: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
            duration_minutes: 90,
            cancelled: vec![],
            pauses: vec![],
            skip_holidays: false,
        }
    }

    fn window(from: NaiveDate, today: NaiveDate) -> Window {
        Window { today, from, to: today + Duration::days(MAX_WINDOW_DAYS) }
    }

    fn content(schedule: Schedule) -> ActivityContent {
        ActivityContent {
            name: "Søndagssang".parse().unwrap(),
            summary: "Vi synger kendte sange sammen.".parse().unwrap(),
            description: "Kaffe bagefter.".parse().unwrap(),
            activity_types: vec!["singing_music".into()],
            target_groups: vec!["dementia".into()],
            accessibility: vec!["hearing_loop".into()],
            first_visit_support: vec![],
            languages: vec!["da".into(), "ar".into()],
            mode: Mode::InPerson,
            cost_ore: 2550,
            registration_required: true,
            registration_how: Some("Ring til Else".parse().unwrap()),
            capacity: Some(30),
            full: false,
            seeks_volunteers: true,
            volunteer_roles: vec!["host".into()],
            location: Some(Location {
                address: "Nørrebrogade 208".parse().unwrap(),
                postcode: "2200".into(),
                district: Some("norrebro".into()),
                lat: 55.7,
                lon: 12.54,
            }),
            housing_areas: vec!["mjolnerparken".into()],
            schedule,
        }
    }

    fn labels() -> Labels {
        let mut labels = Labels::default();
        let mut put = |v: Vocabulary, c: &str, da: &str, en: &str| {
            labels.terms.entry(v).or_default().insert(c.into(), TermLabel { da: da.into(), en: en.into() });
        };
        put(Vocabulary::ActivityType, "singing_music", "Sang og musik", "Singing and music");
        put(Vocabulary::TargetGroup, "dementia", "Demens", "Dementia");
        put(Vocabulary::Accessibility, "hearing_loop", "Teleslynge", "Hearing loop");
        put(Vocabulary::VolunteerRole, "host", "Vært", "Host");
        labels.districts.insert("norrebro".into(), "Nørrebro".into());
        labels.housing_areas.insert("mjolnerparken".into(), "Mjølnerparken".into());
        labels
    }

    fn organisation(contact_public: bool) -> OrganisationRecord<'static> {
        OrganisationRecord {
            id: "0190b6a4-0000-7000-8000-000000000001",
            name: "Nørrebro Sangkor",
            kind: OrganisationKind::Association,
            description: "Vi synger.",
            website: Some("https://sangkor-nørrebro.dk/om os"),
            contact_email: Some("else@sangkor.dk"),
            contact_phone: Some("+45 33 66 33 66"),
            contact_public,
            cvr: Some("64942212"),
            parent_id: None,
        }
    }

    const ACTIVITY: &str = "0190b6a4-0000-7000-8000-0000000000aa";

    fn record<'a>(c: &'a ActivityContent, provider: Option<&'a OrganisationRecord<'a>>) -> ActivityRecord<'a> {
        ActivityRecord {
            id: ACTIVITY,
            organisation_id: "0190b6a4-0000-7000-8000-000000000001",
            content: c,
            assured_at: "2026-11-01T23:30:00Z".parse().unwrap(),
            updated_at: "2026-11-20T08:15:30.123456Z".parse().unwrap(),
            provider,
        }
    }

    #[test]
    fn the_namespace_is_the_uuid_of_its_url_and_ids_are_stable() {
        assert_eq!(NAMESPACE, Uuid::new_v5(&Uuid::NAMESPACE_URL, b"https://sammen.dk/hsds"));
        assert_eq!(derived_id("a/location"), derived_id("a/location"));
        assert_ne!(derived_id("a/location"), derived_id("b/location"));
        assert_eq!(Uuid::parse_str(&derived_id("x")).unwrap().get_version_num(), 5);
    }

    #[test]
    fn the_window_starts_with_the_current_daylight_saving_period() {
        // Winter time began on 25 October 2026; summer time on 29 March 2026.
        let w = Window::at(ymd(2026, 11, 22));
        assert_eq!((w.from, w.to), (ymd(2026, 10, 25), ymd(2027, 12, 27)));
        assert_eq!(Window::at(ymd(2026, 7, 1)).from, ymd(2026, 3, 29));
        assert_eq!(Window::at(ymd(2026, 3, 29)).from, ymd(2026, 3, 29));
    }

    #[test]
    fn a_weekly_schedule_is_cut_at_skipped_dates_and_at_the_change_of_offset() {
        let mut s = weekly(vec![Weekday::Thursday], ymd(2026, 3, 2), Some(ymd(2026, 4, 30)));
        s.cancelled = vec![ymd(2026, 3, 12)];
        s.skip_holidays = true; // 2 April is Maundy Thursday.
        let rows = schedule_rows(ACTIVITY, &s, Mode::InPerson, &window(ymd(2026, 3, 1), ymd(2026, 3, 1)));
        let spans: Vec<(NaiveDate, NaiveDate, &str, &str, i32)> = rows
            .iter()
            .map(|r| (r.valid_from, r.valid_to, r.opens_at.as_str(), r.closes_at.as_str(), r.timezone))
            .collect();
        assert_eq!(
            spans,
            [
                (ymd(2026, 3, 5), ymd(2026, 3, 5), "10:00+01:00", "11:30+01:00", 1),
                (ymd(2026, 3, 19), ymd(2026, 3, 26), "10:00+01:00", "11:30+01:00", 1),
                (ymd(2026, 4, 9), ymd(2026, 4, 30), "10:00+02:00", "11:30+02:00", 2),
            ]
        );
        let r = &rows[2];
        assert_eq!((r.freq, r.interval, r.byday.as_deref(), r.wkst), (Some("WEEKLY"), Some(1), Some("TH"), Some("MO")));
        assert_eq!((r.dtstart, r.until), (ymd(2026, 3, 5), Some(ymd(2026, 4, 30))));
        assert_eq!(r.description, "Hver torsdag kl. 10:00–11:30");
        assert_eq!(r.attending_type, "Fremmøde");
        assert_eq!(r.id, derived_id(&format!("{ACTIVITY}/schedule/2026-04-09")));
    }

    #[test]
    fn a_pause_ends_a_stretch_and_the_window_bounds_an_open_end() {
        let mut s = weekly(vec![Weekday::Tuesday, Weekday::Monday], ymd(2026, 1, 5), None);
        s.pauses = vec![Pause { from: ymd(2026, 7, 1), to: ymd(2026, 8, 9) }];
        let w = window(ymd(2026, 3, 29), ymd(2026, 6, 1));
        let rows = schedule_rows(ACTIVITY, &s, Mode::InPerson, &w);
        assert_eq!((rows[0].valid_from, rows[0].valid_to), (ymd(2026, 3, 30), ymd(2026, 6, 30)));
        assert_eq!((rows[1].valid_from, rows[1].valid_to), (ymd(2026, 8, 10), ymd(2026, 10, 20)));
        assert_eq!(rows[0].byday.as_deref(), Some("MO,TU"));
        assert_eq!(rows[0].description, "Hver mandag og tirsdag kl. 10:00–11:30");
        assert_eq!(rows[0].dtstart, ymd(2026, 1, 5));
        assert!(rows.last().unwrap().valid_to <= w.to);
    }

    #[test]
    fn monthly_schedules_give_an_ordinal_byday_and_one_off_dates_a_row_each() {
        let mut s = weekly(vec![], ymd(2026, 1, 1), None);
        s.recurrence = Recurrence::MonthlyByWeekday {
            interval: 2,
            nth: -1,
            weekday: Weekday::Friday,
            starts_on: ymd(2026, 1, 1),
            ends_on: None,
        };
        let w = window(ymd(2026, 10, 25), ymd(2026, 11, 22));
        let rows = schedule_rows(ACTIVITY, &s, Mode::Online, &w);
        assert_eq!(
            (rows[0].freq, rows[0].byday.as_deref(), rows[0].interval),
            (Some("MONTHLY"), Some("-1FR"), Some(2))
        );
        assert_eq!(rows[0].valid_from, ymd(2026, 11, 27));
        assert_eq!(rows[0].description, "Den sidste fredag hver 2. måned kl. 10:00–11:30");
        assert_eq!(rows[0].attending_type, "Online");

        s.recurrence = Recurrence::Once { dates: vec![ymd(2026, 12, 3), ymd(2026, 11, 26), ymd(2026, 12, 10)] };
        s.cancelled = vec![ymd(2026, 12, 10)];
        let rows = schedule_rows(ACTIVITY, &s, Mode::InPerson, &w);
        let dates: Vec<(NaiveDate, NaiveDate, NaiveDate)> =
            rows.iter().map(|r| (r.dtstart, r.valid_from, r.valid_to)).collect();
        assert_eq!(
            dates,
            [
                (ymd(2026, 11, 26), ymd(2026, 11, 26), ymd(2026, 11, 26)),
                (ymd(2026, 12, 3), ymd(2026, 12, 3), ymd(2026, 12, 3))
            ]
        );
        assert!(rows.iter().all(|r| r.freq.is_none() && r.byday.is_none() && r.until.is_none()));
        assert_eq!(rows[1].description, "3. december 2026 kl. 10:00–11:30");
    }

    #[test]
    fn a_late_evening_activity_closes_after_midnight_and_a_gap_time_moves_on() {
        let mut s = weekly(vec![Weekday::Saturday], ymd(2026, 3, 1), Some(ymd(2026, 4, 12)));
        s.start_time = NaiveTime::from_hms_opt(23, 30, 0).unwrap();
        s.duration_minutes = 180;
        let rows = schedule_rows(ACTIVITY, &s, Mode::InPerson, &window(ymd(2026, 3, 1), ymd(2026, 3, 1)));
        // 28 March: 23:30 winter time, ending 03:30 summer time, after the change at 02:00.
        let spans: Vec<(NaiveDate, &str, &str)> =
            rows.iter().map(|r| (r.valid_from, r.opens_at.as_str(), r.closes_at.as_str())).collect();
        assert_eq!(
            spans,
            [
                (ymd(2026, 3, 7), "23:30+01:00", "02:30+01:00"),
                (ymd(2026, 3, 28), "23:30+01:00", "03:30+02:00"),
                (ymd(2026, 4, 4), "23:30+02:00", "02:30+02:00"),
            ]
        );
    }

    #[test]
    fn an_activity_becomes_a_service_with_everything_nested() {
        let c = content(weekly(vec![Weekday::Sunday], ymd(2026, 3, 1), None));
        let org = organisation(true);
        let w = window(ymd(2026, 10, 25), ymd(2026, 11, 22));
        let s = service(&record(&c, Some(&org)), &labels(), &w);
        assert_eq!(s.id, ACTIVITY);
        assert_eq!(s.description, "Vi synger kendte sange sammen.\n\nKaffe bagefter.");
        assert_eq!((s.status, s.email.as_deref()), ("active", Some("else@sangkor.dk")));
        assert_eq!(s.phones[0].number, "+45 33 66 33 66");
        assert_eq!(s.application_process.as_deref(), Some("Ring til Else"));
        assert_eq!(s.fees_description, "25,50 kr. pr. gang");
        assert_eq!((s.cost_options[0].amount, s.cost_options[0].currency), (25.5, "DKK"));
        assert_eq!(s.assured_date, "2026-11-02", "the local date in Copenhagen");
        assert_eq!(s.last_modified, "2026-11-20T08:15:30.123Z");
        let languages: Vec<(&str, Option<&str>)> = s.languages.iter().map(|l| (l.code.as_str(), l.name)).collect();
        assert_eq!(languages, [("da", Some("Dansk")), ("ar", Some("Arabisk"))]);
        let areas: Vec<&str> = s.service_areas.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(areas, ["Nørrebro", "Mjølnerparken"]);

        let sal = &s.service_at_locations[0];
        let l = &sal.location;
        assert_eq!((l.latitude, l.longitude, l.location_type), (55.7, 12.54, "physical"));
        assert_eq!(sal.location_id, l.id);
        let a = &l.addresses[0];
        assert_eq!(
            (a.address_1.as_str(), a.postal_code.as_str(), a.city.as_str(), a.state_province.as_str(), a.country),
            ("Nørrebrogade 208", "2200", "København N", "Region Hovedstaden", "DK")
        );
        assert_eq!(l.accessibility[0].description, "Teleslynge");

        let terms: Vec<(&str, &str, &str)> = s
            .attributes
            .iter()
            .map(|a| (a.link_type.as_str(), a.taxonomy_term.code.as_str(), a.taxonomy_term.name.as_str()))
            .collect();
        assert_eq!(
            terms,
            [
                ("activity_type", "singing_music", "Sang og musik"),
                ("target_group", "dementia", "Demens"),
                ("accessibility", "hearing_loop", "Teleslynge"),
                ("volunteer_role", "host", "Vært"),
                ("mode", "in_person", "Fremmøde"),
            ]
        );
        let dementia = &s.attributes[1];
        assert_eq!(dementia.taxonomy_term_id, derived_id("term/target_group/dementia"), "the same term everywhere");
        assert_eq!(dementia.taxonomy_term.taxonomy_detail.name, "Målgrupper");
        assert_eq!(dementia.link_id, ACTIVITY);

        // Every id in the service is different.
        let json = serde_json::to_value(&s).unwrap();
        let mut ids = Vec::new();
        fn collect<'a>(v: &'a serde_json::Value, ids: &mut Vec<&'a str>) {
            match v {
                serde_json::Value::Object(m) => {
                    if let Some(serde_json::Value::String(id)) = m.get("id") {
                        ids.push(id);
                    }
                    m.iter().filter(|(k, _)| *k != "taxonomy_term").for_each(|(_, v)| collect(v, ids));
                }
                serde_json::Value::Array(a) => a.iter().for_each(|v| collect(v, ids)),
                _ => {}
            }
        }
        collect(&json, &mut ids);
        let unique: std::collections::HashSet<&&str> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{ids:?}");
    }

    #[test]
    fn contact_details_only_when_public_and_an_ended_activity_is_inactive() {
        let mut c = content(weekly(vec![Weekday::Sunday], ymd(2025, 3, 1), Some(ymd(2025, 6, 1))));
        c.cost_ore = 0;
        c.location = None;
        c.mode = Mode::Phone;
        c.registration_required = false;
        let org = organisation(false);
        let s = service(&record(&c, Some(&org)), &labels(), &window(ymd(2026, 10, 25), ymd(2026, 11, 22)));
        assert_eq!((s.email.as_deref(), s.phones.len()), (None, 0));
        assert_eq!((s.fees_description.as_str(), s.cost_options.len()), ("Gratis", 0));
        assert_eq!((s.status, s.schedules.len()), ("inactive", 0));
        assert!(s.service_at_locations.is_empty() && s.application_process.is_none());
        assert_eq!(s.service_areas.len(), 1, "the housing area, no district without a location");

        let o = organization(&org);
        assert_eq!((o.email, o.phones.len()), (None, 0));
        let o = organization(&organisation(true));
        assert_eq!(o.email.as_deref(), Some("else@sangkor.dk"));
        assert_eq!(o.phones[0].organization_id.as_deref(), Some(o.id.as_str()));
        assert_eq!(o.website.as_deref(), Some("https://xn--sangkor-nrrebro-eub.dk/om%20os"));
        assert_eq!(
            (o.organization_identifiers[0].identifier_scheme, o.organization_identifiers[0].identifier.as_str()),
            ("DK-CVR", "64942212")
        );
        assert_eq!(o.attributes[0].taxonomy_term.name, "Forening");
        assert_eq!(o.attributes[0].link_entity, "organization");
    }

    #[test]
    fn only_addresses_and_links_the_hsds_formats_accept() {
        assert_eq!(hsds_email("a.b+c@x.dk").as_deref(), Some("a.b+c@x.dk"));
        assert_eq!(hsds_email("else@bådklub.dk").as_deref(), Some("else@xn--bdklub-iua.dk"));
        for bad in ["a..b@x.dk", ".a@x.dk", "a(b)@x.dk", "a@x", "a@-x.dk", "a@[1.2.3.4]", "æ@x.dk"] {
            assert_eq!(hsds_email(bad), None, "{bad}");
        }
        assert_eq!(hsds_uri("https://x.dk").as_deref(), Some("https://x.dk/"));
        assert_eq!(hsds_uri("javascript:alert(1)"), None);
    }

    #[test]
    fn postal_towns_of_the_copenhagen_area() {
        assert_eq!(postal_town("1300"), Some(("København K", "Region Hovedstaden")));
        assert_eq!(postal_town("1620"), Some(("København V", "Region Hovedstaden")));
        assert_eq!(postal_town("2450"), Some(("København SV", "Region Hovedstaden")));
        assert_eq!(postal_town("2670"), Some(("Greve", "Region Sjælland")));
        assert_eq!(postal_town("8000"), None);
        assert_eq!(kroner(2500), "25 kr.");
        assert_eq!(kroner(5), "0,05 kr.");
    }
}
