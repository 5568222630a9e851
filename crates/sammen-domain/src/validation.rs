//! Field-level validation errors, collected so a caller learns about every bad field at once.

use serde::Serialize;

/// One problem with one input field. `field` is a dotted path (`schedule.byday`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    /// A stable machine-readable code: `required`, `too_short`, `too_long`, `invalid`, `taken`, ...
    pub code: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self { field: field.into(), code, message: message.into() }
    }
}

/// All the field errors of one input. Empty means valid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, error: FieldError) {
        self.0.push(error);
    }

    /// Records the error of a check, if it failed.
    pub fn check(&mut self, result: Result<(), FieldError>) {
        if let Err(e) = result {
            self.0.push(e);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when nothing was recorded, so handlers can end validation with `?`.
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl From<FieldError> for ValidationErrors {
    fn from(e: FieldError) -> Self {
        Self(vec![e])
    }
}

/// Checks a free-text field's length in characters (not bytes), after trimming.
pub fn text_length(field: &str, value: &str, min: usize, max: usize) -> Result<(), FieldError> {
    let n = value.trim().chars().count();
    if n < min {
        let code = if n == 0 { "required" } else { "too_short" };
        return Err(FieldError::new(field, code, format!("must be at least {min} characters")));
    }
    if n > max {
        return Err(FieldError::new(field, "too_long", format!("must be at most {max} characters")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_length_counts_characters_not_bytes() {
        assert!(text_length("name", "ÆØÅ", 3, 3).is_ok());
        assert_eq!(text_length("name", "  ", 1, 10).unwrap_err().code, "required");
        assert_eq!(text_length("name", "ab", 3, 10).unwrap_err().code, "too_short");
        assert_eq!(text_length("name", "abcd", 1, 3).unwrap_err().code, "too_long");
    }

    #[test]
    fn errors_collect_and_convert() {
        let mut errors = ValidationErrors::new();
        errors.check(Ok(()));
        assert!(errors.clone().into_result().is_ok());
        errors.check(text_length("a", "", 1, 2));
        errors.check(text_length("b", "xyz", 1, 2));
        let err = errors.into_result().unwrap_err();
        assert_eq!(err.0.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["a", "b"]);
    }
}
