//! Reading a whole file: its encoding and delimiter, the header, physical line numbers (right
//! after CRLF line ends too), blank and malformed lines, duplicate `external_id`s, and the limits
//! on rows and listed errors.

use std::collections::{HashMap, HashSet};

use super::columns::{COLUMNS, Column, column, column_names};
use super::row::{Cells, read_row};
use super::{ImportError, ImportRow, MAX_LISTED_ERRORS, MAX_ROWS, RowError};
use crate::directory::activity::{KnownCodes, valid_external_id};

/// Physical line numbers from byte offsets. (The csv crate's own count is off by one after a
/// CRLF line end, which is what Excel writes; its byte offset then points at the `\n`.)
struct LineCounter<'a> {
    text: &'a [u8],
    /// Counted up to here, which is on line `line`.
    byte: usize,
    line: u64,
}

impl LineCounter<'_> {
    /// The line of the record that starts at `byte` (offsets only grow, so this counts each
    /// byte once).
    fn line_at(&mut self, byte: usize) -> u64 {
        let mut start = byte.min(self.text.len());
        while start < self.text.len() && matches!(self.text[start], b'\r' | b'\n') {
            start += 1;
        }
        if start >= self.byte {
            self.line += self.text[self.byte..start].iter().filter(|b| **b == b'\n').count() as u64;
            self.byte = start;
        }
        self.line
    }
}

/// The delimiter of the file, from its header line: a semicolon (Danish Excel) if it has more
/// semicolons than commas outside quotes, else a comma.
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    let (mut quoted, mut commas, mut semicolons) = (false, 0, 0);
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas { b';' } else { b',' }
}

fn rejected(mut errors: Vec<RowError>) -> ImportError {
    errors.sort_by_key(|e| e.line);
    let total = errors.len();
    let lines = errors.iter().map(|e| e.line).collect::<HashSet<_>>().len();
    errors.truncate(MAX_LISTED_ERRORS);
    ImportError::Invalid { errors, total, lines }
}

/// The header's columns, by position (`None` for an unnamed column), or every problem with it.
fn read_header(line: u64, header: &csv::StringRecord) -> Result<Vec<Option<&'static Column>>, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut columns = Vec::new();
    let mut seen = HashSet::new();
    for name in header.iter().map(|h| h.trim()) {
        let lower = name.to_lowercase();
        let found = column(&lower);
        match found {
            _ if name.is_empty() => {}
            None => errors.push(RowError::new(
                line,
                name,
                "unknown_column",
                format!(
                    "is not a column of the import; the columns are: {}",
                    column_names().collect::<Vec<_>>().join(", ")
                ),
            )),
            Some(c) if !seen.insert(c.name) => {
                errors.push(RowError::new(line, name, "duplicate_column", "appears more than once"))
            }
            Some(_) => {}
        }
        columns.push(found);
    }
    for c in COLUMNS.iter().filter(|c| c.required && !seen.contains(c.name)) {
        errors.push(RowError::new(line, c.name, "missing_column", "this required column is missing"));
    }
    if errors.is_empty() { Ok(columns) } else { Err(errors) }
}

/// Reads a whole file: UTF-8 with or without a byte-order mark, comma- or semicolon-separated,
/// a header line naming the columns, then one activity per line. Rows whose cells are all blank
/// (as spreadsheets leave them) are skipped. Either every row is good, or every problem is
/// reported (a duplicate `external_id` on each of its lines).
pub fn parse(input: &[u8], known: &KnownCodes) -> Result<Vec<ImportRow>, ImportError> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let text = std::str::from_utf8(input).map_err(|e| {
        let line = input[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() as u64 + 1;
        let message = "is not UTF-8 text: save the file as \"CSV UTF-8\"";
        rejected(vec![RowError::new(line, "", "encoding", message)])
    })?;
    if text.trim().is_empty() {
        return Err(rejected(vec![RowError::new(
            1,
            "",
            "empty",
            "the file is empty: it needs a header line and rows",
        )]));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let mut lines = LineCounter { text: text.as_bytes(), byte: 0, line: 1 };
    let mut line_of =
        |p: Option<&csv::Position>| p.map_or(0, |p| lines.line_at(usize::try_from(p.byte()).unwrap_or(usize::MAX)));
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(e)) => {
            return Err(rejected(vec![RowError::new(line_of(e.position()), "", "malformed", e.to_string())]));
        }
        None => return Err(rejected(vec![RowError::new(1, "", "empty", "the file has no header line")])),
    };
    let columns = read_header(line_of(header.position()), &header).map_err(rejected)?;

    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut first_line_of: HashMap<String, (u64, bool)> = HashMap::new();
    let mut count = 0;
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                errors.push(RowError::new(line_of(e.position()), "", "malformed", e.to_string()));
                continue;
            }
        };
        let line = line_of(record.position());
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        count += 1;
        if count > MAX_ROWS {
            return Err(ImportError::TooManyRows);
        }
        if record.len() != columns.len() {
            errors.push(RowError::new(
                line,
                "",
                "column_count",
                format!(
                    "has {} fields but the header has {}: check the delimiters, and that every quote (\") is closed",
                    record.len(),
                    columns.len()
                ),
            ));
            continue;
        }
        let mut cells = Cells::new();
        for (position, (c, value)) in columns.iter().zip(record.iter()).enumerate() {
            let value = value.trim();
            match c {
                _ if value.is_empty() => {}
                Some(c) => {
                    cells.insert(c.name, value);
                }
                None => errors.push(RowError::new(
                    line,
                    "",
                    "unnamed_column",
                    format!("has a value in column {}, which has no name in the header", position + 1),
                )),
            }
        }
        if let Some(id) = cells.get("external_id").filter(|id| valid_external_id(id)) {
            match first_line_of.get_mut(*id) {
                None => {
                    first_line_of.insert((*id).to_owned(), (line, false));
                }
                Some((first, flagged)) => {
                    if !*flagged {
                        *flagged = true;
                        let message = format!("`{id}` is used again on line {line}; each activity needs its own");
                        errors.push(RowError::new(*first, "external_id", "duplicate", message));
                    }
                    let message = format!("`{id}` is already used on line {first}");
                    errors.push(RowError::new(line, "external_id", "duplicate", message));
                }
            }
        }
        match read_row(line, &cells, known) {
            Ok(content) => rows.push(ImportRow {
                line,
                external_id: cells.get("external_id").map(|id| (*id).to_owned()).unwrap_or_default(),
                content,
            }),
            Err(row_errors) => errors.extend(row_errors),
        }
    }
    if !errors.is_empty() {
        return Err(rejected(errors));
    }
    if rows.is_empty() {
        return Err(rejected(vec![RowError::new(1, "", "empty", "the file has a header but no activities")]));
    }
    Ok(rows)
}
