//! The 360Giving Data Standard (1.4): how an award becomes a grant record. Identifiers follow
//! the standard's rules: grants `360G-<prefix>-<id>`; organisations `DK-CVR-<number>` when they
//! have a CVR number, else `360G-<prefix>-org-<id>` (informal groups). Amounts are kroner, as
//! the standard's numbers are in the currency's unit; nothing about persons is written.

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::{Value, json};

/// The 360Giving schema version the package declares.
pub const SCHEMA_VERSION: &str = "1.4";

/// Øre as a JSON number of kroner (1234567 øre is 12345.67): the standard's amounts are numbers.
pub fn kroner(ore: i64) -> Value {
    if ore % 100 == 0 { json!(ore / 100) } else { json!(ore as f64 / 100.0) }
}

/// The grant's identifier.
pub fn grant_id(prefix: &str, application_id: &str) -> String {
    format!("{prefix}-{application_id}")
}

/// The recipient's organisation identifier.
pub fn organisation_id(prefix: &str, cvr: Option<&str>, organisation_id: &str) -> String {
    match cvr {
        Some(cvr) => format!("DK-CVR-{cvr}"),
        None => format!("{prefix}-org-{organisation_id}"),
    }
}

/// What one grant record is made of.
#[derive(Debug, Clone)]
pub struct Award<'a> {
    pub application_id: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub description: &'a str,
    pub requested_ore: i64,
    pub awarded_ore: i64,
    pub disbursed: &'a [(NaiveDateTime, i64)],
    /// Paid and returned (unspent money reclaimed): `amountDisbursed` is net of it, as the ledger.
    pub reclaimed_ore: i64,
    pub decided_at: NaiveDateTime,
    pub modified_at: NaiveDateTime,
    pub planned: Option<(NaiveDate, NaiveDate)>,
    pub organisation_id: &'a str,
    pub organisation_name: &'a str,
    pub organisation_cvr: Option<&'a str>,
    pub organisation_kind: &'a str,
    pub funder_identifier: &'a str,
    pub funder_name: &'a str,
    pub pool_id: &'a str,
    pub pool_title: &'a str,
    pub round_id: &'a str,
    pub round_title: &'a str,
    pub target_groups: &'a [String],
}

fn utc(at: NaiveDateTime) -> String {
    at.and_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The grant record of `award`, with identifiers under `prefix` (e.g. `360G-kk`), linking
/// back to `public_base` (the API's public address).
pub fn grant(award: &Award<'_>, prefix: &str, public_base: &str) -> Value {
    let id = grant_id(prefix, award.application_id);
    let mut grant = json!({
        "id": id,
        "title": award.title,
        "description": if award.description.trim().is_empty() { award.summary } else { award.description },
        "currency": "DKK",
        "amountAppliedFor": kroner(award.requested_ore),
        "amountAwarded": kroner(award.awarded_ore),
        "amountDisbursed": kroner(award.disbursed.iter().map(|d| d.1).sum::<i64>() - award.reclaimed_ore),
        "awardDate": award.decided_at.date().format("%Y-%m-%d").to_string(),
        "url": format!("{public_base}/api/v1/grants/{}", award.application_id),
        "recipientOrganization": [{
            "id": organisation_id(prefix, award.organisation_cvr, award.organisation_id),
            "name": award.organisation_name,
            "organisationType": award.organisation_kind,
        }],
        "fundingOrganization": [{ "id": award.funder_identifier, "name": award.funder_name }],
        "grantProgramme": [{ "code": award.round_id, "title": format!("{} – {}", award.pool_title, award.round_title) }],
        "fromOpenCall": "Yes",
        "locationScope": "GLS050",
        "beneficiaryLocation": [{ "name": "København", "countryCode": "DK", "geoCode": "0101", "geoCodeType": "MD" }],
        "classifications": award.target_groups.iter().map(|g| json!({ "vocabulary": "sammen-target-group", "code": g })).collect::<Vec<_>>(),
        "dateModified": utc(award.modified_at),
        "dataSource": format!("{public_base}/api/v1/exports/360giving"),
        "commitmentTransaction": [{
            "id": format!("{id}-commitment"),
            "transactionDate": award.decided_at.date().format("%Y-%m-%d").to_string(),
            "currency": "DKK",
            "value": kroner(award.awarded_ore),
        }],
        "disbursementTransaction": award.disbursed.iter().enumerate().map(|(i, (at, ore))| json!({
            "id": format!("{id}-disbursement-{}", i + 1),
            "transactionDate": at.date().format("%Y-%m-%d").to_string(),
            "currency": "DKK",
            "value": kroner(*ore),
        })).collect::<Vec<_>>(),
    });
    if let Some((start, end)) = award.planned {
        grant["plannedDates"] = json!([{ "startDate": start.to_string(), "endDate": end.to_string() }]);
    }
    grant
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_kroner_and_ids_follow_the_standard() {
        assert_eq!(kroner(1_234_567).to_string(), "12345.67");
        assert_eq!(kroner(8_000_000).to_string(), "80000");
        assert_eq!(kroner(5).to_string(), "0.05");
        assert_eq!(organisation_id("360G-kk", Some("64942212"), "x"), "DK-CVR-64942212");
        assert_eq!(organisation_id("360G-kk", None, "abc"), "360G-kk-org-abc");
        assert_eq!(grant_id("360G-kk", "abc"), "360G-kk-abc");
    }

    #[test]
    fn a_record_names_the_recipient_by_identifier_and_one_organisation_type() {
        let at = NaiveDate::from_ymd_opt(2027, 5, 1).unwrap().and_hms_opt(10, 0, 0).unwrap();
        let groups = ["older_citizens".to_owned()];
        let award = Award {
            application_id: "a1",
            title: "Tirsdagsture",
            summary: "Walks",
            description: "",
            requested_ore: 2_500_050,
            awarded_ore: 2_000_000,
            disbursed: &[(at, 2_000_000)],
            reclaimed_ore: 500_000,
            decided_at: at,
            modified_at: at,
            planned: None,
            organisation_id: "o1",
            organisation_name: "Naboerne",
            organisation_cvr: None,
            organisation_kind: "informal_group",
            funder_identifier: "DK-CVR-64942212",
            funder_name: "Københavns Kommune",
            pool_id: "p1",
            pool_title: "Puljen",
            round_id: "r1",
            round_title: "Små",
            target_groups: &groups,
        };
        let g = grant(&award, "360G-kk", "https://sammen.kk.dk");
        assert_eq!(g["recipientOrganization"][0]["id"], "360G-kk-org-o1");
        assert_eq!(g["recipientOrganization"][0]["organisationType"], "informal_group");
        assert_eq!(g["amountAppliedFor"].to_string(), "25000.5");
        assert_eq!(g["amountDisbursed"], 15000, "net of the reclaim");
        assert_eq!(g["description"], "Walks", "the summary when there is no description");
    }
}
