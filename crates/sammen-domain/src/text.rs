//! Text as Sammen keeps it, checked where it enters: JSON bodies, query strings and CSV cells.
//!
//! Both databases must hold the same characters: PostgreSQL refuses a NUL byte in text (a 500
//! before this check), SQLite stores it, and from there control characters would reach calendar
//! feeds and exports raw. So text holds no control characters (Unicode Cc), except line breaks
//! and tabs in text that may run over several lines; a Windows line break (CR LF) becomes LF.

use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::validation::FieldError;

/// The code of the field error for text with a character it may not hold.
pub const INVALID_CHARACTER: &str = "invalid_character";

/// How a text error starts when it travels inside a deserialiser's error message, so the HTTP
/// layer can tell it from a malformed body and answer 422 naming the field.
pub const REFUSED_TEXT: &str = "refused text: ";

/// Checks that `value` holds no control character (line breaks and tabs only when `multiline`).
pub fn check_text(field: &str, value: &str, multiline: bool) -> Result<(), FieldError> {
    match value.chars().find(|&c| c.is_control() && !(multiline && (c == '\n' || c == '\t'))) {
        None => Ok(()),
        Some(c) => Err(FieldError::new(field, INVALID_CHARACTER, refusal(c, multiline))),
    }
}

fn refusal(c: char, multiline: bool) -> String {
    let allowed = if multiline { " other than line breaks and tabs" } else { "" };
    format!("must not contain control characters{allowed} (found U+{:04X})", u32::from(c))
}

/// Checked text: `Text<false>` (`Line`) holds no control character at all; `Text<true>`
/// (`Prose`) may also hold line breaks and tabs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Text<const MULTILINE: bool>(String);

/// One line of text: a name, a title, an address.
pub type Line = Text<false>;
/// Text that may run over several lines: a description, a message, a reason.
pub type Prose = Text<true>;

impl<const MULTILINE: bool> Text<MULTILINE> {
    /// The text, if it may be kept; the error names `field`.
    pub fn checked(field: &str, value: impl Into<String>) -> Result<Self, FieldError> {
        let mut value: String = value.into();
        if MULTILINE && value.contains('\r') {
            value = value.replace("\r\n", "\n");
        }
        check_text(field, &value, MULTILINE)?;
        Ok(Text(value))
    }

    /// The text with any character it may not hold removed: for text read back from the
    /// database (checked when it came in, but rows written before the check existed, on SQLite,
    /// may hold control characters, which a feed must not send on) and for text the program
    /// makes itself.
    pub fn cleaned(mut value: String) -> Self {
        if check_text("", &value, MULTILINE).is_err() {
            value.retain(|c| !c.is_control() || (MULTILINE && (c == '\n' || c == '\t')));
        }
        Text(value)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// The text without leading and trailing white space.
    pub fn trimmed(&self) -> Self {
        Text(self.0.trim().to_owned())
    }
}

impl<const MULTILINE: bool> Deref for Text<MULTILINE> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl<const MULTILINE: bool> AsRef<str> for Text<MULTILINE> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl<const MULTILINE: bool> PartialEq<str> for Text<MULTILINE> {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl<const MULTILINE: bool> PartialEq<&str> for Text<MULTILINE> {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl<const MULTILINE: bool> std::fmt::Display for Text<MULTILINE> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<const MULTILINE: bool> std::str::FromStr for Text<MULTILINE> {
    type Err = FieldError;

    fn from_str(value: &str) -> Result<Self, FieldError> {
        Self::checked("", value)
    }
}

impl<const MULTILINE: bool> TryFrom<String> for Text<MULTILINE> {
    type Error = FieldError;

    fn try_from(value: String) -> Result<Self, FieldError> {
        Self::checked("", value)
    }
}

impl<const MULTILINE: bool> Serialize for Text<MULTILINE> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de, const MULTILINE: bool> Deserialize<'de> for Text<MULTILINE> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        Self::checked("", value).map_err(|e| serde::de::Error::custom(format!("{REFUSED_TEXT}{}", e.message)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_line_breaks_only_where_allowed() {
        assert!(check_text("name", "Fællessang på Nørrebro – 10:00", false).is_ok());
        let nul = check_text("name", "Sang\0kor", false).unwrap_err();
        assert_eq!((nul.field.as_str(), nul.code), ("name", INVALID_CHARACTER));
        assert_eq!(nul.message, "must not contain control characters (found U+0000)");
        assert!(check_text("name", "to\nlinjer", false).is_err());
        assert!(check_text("description", "to\nlinjer\tog tab", true).is_ok());
        for bad in ["\u{7}", "\u{1b}[31m", "\u{7f}", "\u{85}", "a\rb"] {
            assert!(check_text("description", bad, true).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn stored_text_loses_what_the_check_refuses() {
        assert_eq!(Line::cleaned("Sang\0kor\n".into()).as_str(), "Sangkor");
        assert_eq!(Prose::cleaned("a\u{1b}\nb\tc".into()).as_str(), "a\nb\tc");
    }

    #[test]
    fn prose_turns_windows_line_breaks_into_newlines() {
        let prose = Prose::checked("description", "Første linje\r\nAnden").unwrap();
        assert_eq!(prose.as_str(), "Første linje\nAnden");
        assert!(Line::checked("name", "a\r\nb").is_err());
    }

    #[test]
    fn deserialising_checks_and_marks_the_refusal() {
        let ok: Line = serde_json::from_str("\"Fællessang\"").unwrap();
        assert_eq!(&*ok, "Fællessang");
        let err = serde_json::from_str::<Line>("\"a\\u0000b\"").unwrap_err().to_string();
        assert!(err.starts_with(REFUSED_TEXT), "{err}");
        assert_eq!(serde_json::to_string(&ok).unwrap(), "\"Fællessang\"");
    }
}
