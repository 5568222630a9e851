//! What goes into the export: Sammen's records as the mapping needs them (an organisation, a
//! published activity) and the labels of their codes, which are data loaded from the database.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::formats::hsds_email;
use crate::directory::activity::ActivityContent;
use crate::directory::organisation::OrganisationKind;
use crate::directory::vocabulary::Vocabulary;

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
    pub(super) fn term(&self, vocabulary: Vocabulary, code: &str) -> Option<&TermLabel> {
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
    pub(super) fn public_contact(&self) -> (Option<String>, Option<&str>) {
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
