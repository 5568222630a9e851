//! The tables behind `sammen seed --demo`: Copenhagen's districts, housing areas for older
//! citizens, organisations of every kind, and the templates their activities are made from.
//! Demo data: the coordinates are approximate, the contact details and addresses invented, and the
//! CVR numbers made up (they pass the modulus-11 check, but are not the organisations' real
//! numbers; the municipal ones use Københavns Kommune's).
//!
//! Activities: `seed::activities` combines an organisation's plan ([`ACTIVITY_PLANS`]) with the
//! templates it offers ([`ActivityTemplate`]), an audience ([`Audience`]) and a street in the
//! district ([`STREETS`]), with a seeded generator so that every run makes the same directory.

mod grants;
mod kinds;
mod organisations;
mod places;
mod plans;
mod templates;

pub use grants::*;
pub use kinds::*;
pub use organisations::*;
pub use places::*;
pub use plans::*;
pub use templates::*;

use sammen_domain::directory::activity::Mode;
use sammen_domain::directory::organisation::OrganisationInput;
use sammen_domain::directory::organisation::OrganisationKind::{self, *};
use sammen_domain::directory::schedule::Weekday::{self, *};

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use sammen_domain::directory::organisation::check_organisation;
    use sammen_domain::validation::ValidationErrors;

    use super::*;

    #[test]
    fn the_demo_tables_are_consistent() {
        let districts: HashSet<&str> = DISTRICTS.iter().map(|d| d.0).collect();
        assert_eq!(districts.len(), DISTRICTS.len());
        let mut areas = HashSet::new();
        for (code, _, district, ..) in HOUSING_AREAS {
            assert!(areas.insert(code) && districts.contains(district), "{code}");
        }
        let mut names = HashSet::new();
        for org in ORGANISATIONS {
            assert!(org.parent.is_none_or(|p| names.contains(p)), "{}: parent first", org.name);
            assert!(names.insert(org.name), "{}", org.name);
            let mut errors = ValidationErrors::new();
            check_organisation(&org.input(), &mut errors);
            assert!(errors.is_empty(), "{}: {errors:?}", org.name);
        }
        assert!(names.contains(ORGANISATION_USER_ORG));
    }

    #[test]
    fn every_organisation_has_one_activity_plan_in_known_places() {
        let districts: HashSet<&str> = DISTRICTS.iter().map(|d| d.0).collect();
        let streets: HashSet<&str> = STREETS.iter().map(|s| s.0).collect();
        assert_eq!(streets, districts);
        for (district, streets) in STREETS {
            for (street, postcode, _) in streets {
                let code: u32 = postcode.parse().unwrap();
                let fits = match district {
                    "indre_by" => (1050..=1473).contains(&code),
                    "vesterbro_kongens_enghave" => (1620..=1799).contains(&code) || code == 2450,
                    _ => code >= 2100,
                };
                assert!(fits, "{street} {postcode} in {district}");
            }
        }
        let mut planned = HashSet::new();
        for plan in ACTIVITY_PLANS {
            assert!(ORGANISATIONS.iter().any(|o| o.name == plan.organisation), "{}", plan.organisation);
            assert!(planned.insert(plan.organisation), "{} twice", plan.organisation);
            assert!(plan.count >= 3 && !plan.offers.is_empty(), "{}", plan.organisation);
            assert!(plan.districts.iter().all(|d| districts.contains(d)), "{}", plan.organisation);
            assert!(plan.venue.as_ref().is_none_or(|v| plan.districts.contains(&v.district)), "{}", plan.organisation);
            for area in plan.housing_areas {
                assert!(HOUSING_AREAS.iter().any(|h| h.0 == *area), "{}: {area}", plan.organisation);
            }
        }
        assert_eq!(planned.len(), ORGANISATIONS.len());
        let weights: u32 = AUDIENCES.iter().map(|a| a.weight).sum();
        assert!(weights > 0 && AUDIENCES.iter().any(|a| a.minority));
    }
}
