//! The rules for the municipality's own vocabulary terms, districts and housing areas.

use crate::validation::{FieldError, ValidationErrors, text_length};

/// A code is what filters, imports and integrations use: short, stable, ASCII snake case.
pub fn check_code(field: &str, code: &str) -> Result<(), FieldError> {
    let ok = (1..=64).contains(&code.len())
        && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && code.as_bytes()[0].is_ascii_lowercase();
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(field, "invalid", "must be 1–64 characters a–z, 0–9 and _, starting with a letter"))
    }
}

/// Labels and names as people read them: 1 to 100 characters.
pub fn check_label(errors: &mut ValidationErrors, field: &str, label: &str) {
    errors.check(text_length(field, label, 1, 100));
}

/// A centre point in WGS84.
pub fn check_point(errors: &mut ValidationErrors, lat: f64, lon: f64) {
    if !(-90.0..=90.0).contains(&lat) {
        errors.push(FieldError::new("lat", "invalid", "must be between -90 and 90"));
    }
    if !(-180.0..=180.0).contains(&lon) {
        errors.push(FieldError::new("lon", "invalid", "must be between -180 and 180"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_snake_case() {
        assert!(check_code("code", "mjolnerparken").is_ok());
        assert!(check_code("code", "area_2b").is_ok());
        for bad in ["", "Mjølnerparken", "2b", "a-b", "a b", &"a".repeat(65)] {
            assert!(check_code("code", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn labels_and_points_are_checked() {
        let mut errors = ValidationErrors::new();
        check_label(&mut errors, "label_da", " ");
        check_point(&mut errors, 91.0, 12.0);
        check_point(&mut errors, 55.0, 181.0);
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["label_da", "lat", "lon"]);
    }
}
