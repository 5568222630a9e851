//! A pool: purpose, legal basis, funder and budget. Published pools and their rounds are public.

use serde::{Deserialize, Serialize};

use super::money::MAX_BUDGET_ORE;
use crate::validation::{FieldError, ValidationErrors, text_length};

crate::text_enum! {
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum PoolStatus ("pool status") {
        /// Being prepared by staff; not public.
        Draft = "draft",
        /// Public, with its rounds open for applications when their dates say so.
        Published = "published",
        /// No new applications; awards already made run to their end.
        Closed = "closed",
    }
}

/// A pool's fields as given (absent ones are not checked: for updates).
#[derive(Debug, Clone, Default)]
pub struct PoolInput<'a> {
    pub title: Option<&'a str>,
    pub purpose: Option<&'a str>,
    pub legal_basis: Option<&'a str>,
    pub funder_name: Option<&'a str>,
    pub funder_identifier: Option<&'a str>,
    pub budget_ore: Option<i64>,
}

/// An organisation identifier as org-id.guide writes them: a list code and the number
/// (`DK-CVR-64942212`, `360G-kk`).
fn check_org_identifier(field: &str, id: &str) -> Result<(), FieldError> {
    let mut parts = id.splitn(3, '-');
    let ok = id.len() <= 100
        && parts.next().is_some_and(|p| p.len() >= 2 && p.chars().all(|c| c.is_ascii_alphanumeric()))
        && parts.next().is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(field, "invalid", "must be an org-id.guide identifier like DK-CVR-64942212"))
    }
}

pub fn check_pool(input: &PoolInput<'_>, errors: &mut ValidationErrors) {
    if let Some(title) = input.title {
        errors.check(text_length("title", title, 2, 200));
    }
    if let Some(purpose) = input.purpose {
        errors.check(text_length("purpose", purpose, 10, 5000));
    }
    if let Some(basis) = input.legal_basis {
        errors.check(text_length("legal_basis", basis, 2, 300));
    }
    if let Some(name) = input.funder_name {
        errors.check(text_length("funder_name", name, 2, 200));
    }
    if let Some(id) = input.funder_identifier {
        errors.check(check_org_identifier("funder_identifier", id));
    }
    if input.budget_ore.is_some_and(|b| !(0..=MAX_BUDGET_ORE).contains(&b)) {
        errors.push(FieldError::new("budget_ore", "invalid", format!("must be 0 to {MAX_BUDGET_ORE} øre")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pools_are_checked() {
        let mut errors = ValidationErrors::new();
        let input = PoolInput {
            title: Some("Puljen til ældrefællesskaber"),
            purpose: Some("New ways of finding lonely older citizens"),
            legal_basis: Some("Serviceloven § 18"),
            funder_name: Some("Københavns Kommune"),
            funder_identifier: Some("DK-CVR-64942212"),
            budget_ore: Some(200_000_000),
        };
        check_pool(&input, &mut errors);
        assert!(errors.is_empty());
        let bad = PoolInput { funder_identifier: Some("64942212"), budget_ore: Some(-1), ..input };
        let mut errors = ValidationErrors::new();
        check_pool(&bad, &mut errors);
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["funder_identifier", "budget_ore"]);
    }
}
