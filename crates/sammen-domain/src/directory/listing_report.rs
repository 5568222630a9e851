//! Reports of errors on public listings: anyone may tell the municipality that a listing is
//! wrong, with an optional e-mail address for a reply.

use serde::Deserialize;

use crate::identity::normalise_email;
use crate::text::Prose;
use crate::validation::{ValidationErrors, text_length};

/// What someone reports about a listing.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListingReport {
    /// What is wrong, in a few words (10 to 2000 characters).
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 10, max_length = 2000, example = "Caféen er flyttet til Blågårdsgade 12.")
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub message: Prose,
    /// Where staff may answer; optional, seen by staff only.
    #[cfg_attr(feature = "openapi", schema(format = Email))]
    pub contact_email: Option<String>,
}

crate::text_enum! {
    /// A report's state.
    pub enum ReportStatus ("report status") {
        Open = "open",
        Resolved = "resolved",
    }
}

impl ListingReport {
    /// The report with its message trimmed and its e-mail normalised, or every problem.
    pub fn checked(self) -> Result<ListingReport, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        errors.check(text_length("message", &self.message, 10, 2000));
        let email = match self.contact_email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
            None => None,
            Some(email) => match normalise_email("contact_email", email) {
                Ok(email) => Some(email),
                Err(e) => {
                    errors.push(e);
                    None
                }
            },
        };
        errors.into_result()?;
        Ok(ListingReport { message: self.message.trimmed(), contact_email: email })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(message: &str, email: Option<&str>) -> ListingReport {
        ListingReport { message: message.parse().unwrap(), contact_email: email.map(Into::into) }
    }

    #[test]
    fn a_report_needs_a_real_message_and_a_valid_address_if_any() {
        let ok = report("  Det er flyttet til onsdag.  ", Some(" Anna@Example.DK ")).checked().unwrap();
        assert_eq!(ok.message.as_str(), "Det er flyttet til onsdag.");
        assert_eq!(ok.contact_email.as_deref(), Some("anna@example.dk"));
        assert!(report("Lukket nu.", Some("")).checked().unwrap().contact_email.is_none());
        let errors = report("kort", Some("not-an-address")).checked().unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["message", "contact_email"]);
        assert!(report(&"x".repeat(2001), None).checked().is_err());
    }
}
