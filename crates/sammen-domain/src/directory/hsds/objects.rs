//! What comes out: the HSDS 3.0 objects, with the fields Sammen fills. Plain serialisable
//! structs; the mapping that fills them is in `organizations`, `services` and `schedules`.

use chrono::NaiveDate;
use serde::Serialize;

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
