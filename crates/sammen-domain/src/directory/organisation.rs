//! Organisations in the directory: their kinds, and the checks on what they publish.

use serde::{Deserialize, Serialize};

use super::cvr::normalise_cvr;
use crate::validation::{FieldError, ValidationErrors, text_length};

crate::text_enum! {
    /// What kind of actor an organisation is. Informal groups have no CVR number.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum OrganisationKind ("kind of organisation") {
        Association = "association",
        Ngo = "ngo",
        NgoBranch = "ngo_branch",
        VolunteerCentre = "volunteer_centre",
        MunicipalActivityCentre = "municipal_activity_centre",
        HousingAssociation = "housing_association",
        InformalGroup = "informal_group",
    }
}

/// The fields of an organisation as given, before checking.
#[derive(Debug, Clone, Default)]
pub struct OrganisationInput<'a> {
    pub name: Option<&'a str>,
    pub kind: Option<OrganisationKind>,
    pub description: Option<&'a str>,
    pub website: Option<&'a str>,
    pub contact_email: Option<&'a str>,
    pub contact_phone: Option<&'a str>,
    pub cvr: Option<&'a str>,
}

/// A website address: http(s) only, so no `javascript:` or `file:` link is ever published.
pub fn check_website(field: &str, url: &str) -> Result<(), FieldError> {
    let url = url.trim();
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
    let ok = url.len() <= 300
        && host.is_some_and(|h| {
            h.contains('.') && !h.starts_with('.') && h.chars().all(|c| c.is_alphanumeric() || "-.:".contains(c))
        })
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(field, "invalid", "must be an http:// or https:// address like https://forening.dk"))
    }
}

/// A Danish or international phone number: digits, spaces, and a leading +; 8 to 15 digits.
pub fn check_phone(field: &str, phone: &str) -> Result<(), FieldError> {
    let phone = phone.trim();
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = phone.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || c == ' ' || (c == '+' && i == 0));
    if allowed && (8..=15).contains(&digits) {
        Ok(())
    } else {
        Err(FieldError::new(field, "invalid", "must be a phone number like +45 33 66 33 66"))
    }
}

/// Checks the given fields (absent ones are not checked: for updates). Returns the CVR number
/// normalised. An informal group may not have a CVR number.
pub fn check_organisation(input: &OrganisationInput<'_>, errors: &mut ValidationErrors) -> Option<String> {
    if let Some(name) = input.name {
        errors.check(text_length("name", name, 2, 200));
    }
    if let Some(description) = input.description {
        errors.check(text_length("description", description, 0, 5000));
    }
    if let Some(website) = input.website {
        errors.check(check_website("website", website));
    }
    if let Some(email) = input.contact_email {
        errors.check(crate::identity::normalise_email("contact_email", email).map(|_| ()));
    }
    if let Some(phone) = input.contact_phone {
        errors.check(check_phone("contact_phone", phone));
    }
    let cvr = input.cvr.and_then(|c| normalise_cvr("cvr", c).map_err(|e| errors.push(e)).ok());
    if input.kind == Some(OrganisationKind::InformalGroup) && input.cvr.is_some() {
        errors.push(FieldError::new("cvr", "invalid", "an informal group has no CVR number; choose another kind"));
    }
    cvr
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for kind in OrganisationKind::ALL {
            assert_eq!(OrganisationKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(OrganisationKind::parse("company"), None);
    }

    #[test]
    fn websites_and_phones() {
        assert!(check_website("w", "https://aeldresagen.dk/lokal/amager").is_ok());
        assert!(check_website("w", "http://sang.kk.dk:8080/x?y=1").is_ok());
        for bad in
            ["javascript:alert(1)", "ftp://x.dk", "https://", "https://localhost", "https://a b.dk", "aeldresagen.dk"]
        {
            assert!(check_website("w", bad).is_err(), "{bad}");
        }
        assert!(check_phone("p", "+45 33 66 33 66").is_ok() && check_phone("p", "33663366").is_ok());
        for bad in ["1234", "+45-33-66", "33 66 33 6x", "4+5 33663366"] {
            assert!(check_phone("p", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_bad_field_is_reported_and_informal_groups_have_no_cvr() {
        let mut errors = ValidationErrors::new();
        let input = OrganisationInput {
            name: Some("X"),
            kind: Some(OrganisationKind::InformalGroup),
            website: Some("nope"),
            contact_email: Some("nope"),
            contact_phone: Some("12"),
            cvr: Some("64942212"),
            ..Default::default()
        };
        let cvr = check_organisation(&input, &mut errors);
        assert_eq!(cvr.as_deref(), Some("64942212"));
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "website", "contact_email", "contact_phone", "cvr"]);
    }
}
