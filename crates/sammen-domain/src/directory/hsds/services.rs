//! Published activities as HSDS `service` objects, with their schedules, location, languages,
//! costs, service areas and taxonomy terms nested as HSDS nests them.

use super::labels::{attribute, language_name, mode_label, postal_town};
use super::objects::{
    Accessibility, Address, Attribute, CostOption, HsdsLocation, Language, Phone, Service, ServiceArea,
    ServiceAtLocation,
};
use super::records::{ActivityRecord, Labels, TermLabel};
use super::schedules::{Window, schedule_rows};
use super::{derived_id, timestamp};
use crate::directory::schedule::TIME_ZONE;
use crate::directory::vocabulary::Vocabulary;

/// An amount of øre in kroner as Danes write it: `25 kr.`, `25,50 kr.`.
pub(super) fn kroner(ore: i64) -> String {
    if ore % 100 == 0 { format!("{} kr.", ore / 100) } else { format!("{},{:02} kr.", ore / 100, ore % 100) }
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
