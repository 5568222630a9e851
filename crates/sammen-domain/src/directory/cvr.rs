//! CVR numbers (the Danish company register): eight digits, the first not 0, with a modulus-11
//! check digit. Informal groups have none, so a CVR is always optional.

use crate::validation::FieldError;

const WEIGHTS: [u32; 8] = [2, 7, 6, 5, 4, 3, 2, 1];

/// Checks a CVR number and returns it as eight digits (spaces and a `DK` prefix are allowed in
/// the input, as people write them).
pub fn normalise_cvr(field: &str, input: &str) -> Result<String, FieldError> {
    let compact: String = input.trim().trim_start_matches("DK").chars().filter(|c| !c.is_whitespace()).collect();
    let invalid = |why: &str| FieldError::new(field, "invalid", format!("is not a valid CVR number: {why}"));
    if compact.len() != 8 || !compact.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid("it must be 8 digits"));
    }
    if compact.starts_with('0') {
        return Err(invalid("it cannot start with 0"));
    }
    let sum: u32 = compact.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    if !sum.is_multiple_of(11) {
        return Err(invalid("the check digit does not match"));
    }
    Ok(compact)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_cvr_numbers_pass_and_typos_do_not() {
        // Københavns Kommune and Novo Nordisk A/S.
        assert_eq!(normalise_cvr("cvr", "64942212").unwrap(), "64942212");
        assert_eq!(normalise_cvr("cvr", "DK 24 25 67 90").unwrap(), "24256790");
        for bad in ["64942213", "6494221", "649422120", "0494221A", "04942212", "", "abcdefgh"] {
            assert!(normalise_cvr("cvr", bad).is_err(), "{bad}");
        }
    }
}
