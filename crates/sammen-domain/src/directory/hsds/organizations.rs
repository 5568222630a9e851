//! Organisations as HSDS `organization` objects: public contact details, the CVR number as an
//! organisation identifier, and the organisation kind as a taxonomy attribute.

use super::derived_id;
use super::formats::hsds_uri;
use super::labels::{attribute, kind_label};
use super::objects::{Organization, OrganizationIdentifier, Phone};
use super::records::OrganisationRecord;

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
