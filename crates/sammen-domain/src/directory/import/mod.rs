//! CSV import of activities: a volunteer centre's spreadsheet, one activity per row keyed by its
//! `external_id`. Each row is built into the JSON object the API takes and deserialised into the
//! same `ActivityContent`, then checked by the same `check_activity`, so a file and the API can
//! never disagree (and a field added later with a serde default needs nothing here). Every
//! problem is reported with its physical line (the header is line 1) and its column.
//!
//! The files split the import by concern: `columns` holds the column table (and which column a
//! field path of `check_activity` is in), `cells` how one cell is read, `row` how a row becomes
//! an activity, `file` how the whole file is read (encoding, delimiter, header, line numbers,
//! duplicate keys), and `outcomes` what importing a row does to the listing it names.

use serde::Serialize;

use super::activity::ActivityContent;

mod cells;
mod columns;
mod file;
mod outcomes;
mod row;
#[cfg(test)]
mod tests;

pub use cells::kroner_to_ore;
pub use columns::{column_names, column_of};
pub use file::parse;
pub use outcomes::{Existing, ImportCounts, ImportOutcome, outcome, submission};

/// At most this many activities in one file.
pub const MAX_ROWS: usize = 5000;
/// At most this many problems are listed; the count of all of them is given besides.
pub const MAX_LISTED_ERRORS: usize = 1000;
/// Separates the values of a multi-valued column (`dementia|newly_widowed`).
pub const LIST_SEPARATOR: char = '|';

/// One problem in a file: its physical line (the header is line 1), the column (empty when the
/// whole line is wrong), a stable code and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub line: u64,
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl RowError {
    fn new(line: u64, field: &str, code: &'static str, message: impl Into<String>) -> Self {
        Self { line, field: field.to_owned(), code, message: message.into() }
    }
}

/// A good row: the activity for `external_id`, from line `line`.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    pub line: u64,
    pub external_id: String,
    pub content: ActivityContent,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// More than `MAX_ROWS` activities.
    TooManyRows,
    /// The problems in line order, at most `MAX_LISTED_ERRORS` of them; `total` counts them all
    /// and `lines` the lines they are on.
    Invalid { errors: Vec<RowError>, total: usize, lines: usize },
}
