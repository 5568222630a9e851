//! CSV import of activities: a volunteer centre's spreadsheet, one activity per row keyed by its
//! `external_id`. Each row is built into the JSON object the API takes and deserialised into the
//! same `ActivityContent`, then checked by the same `check_activity`, so a file and the API can
//! never disagree (and a field added later with a serde default needs nothing here). Every
//! problem is reported with its physical line (the header is line 1) and its column.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveTime};
use serde::Serialize;
use serde_json::{Map, Value};

use super::activity::{
    ActivityContent, KnownCodes, MAX_COST_ORE, MAX_EXTERNAL_ID_CHARS, Mode, check_activity, valid_external_id,
};
use super::moderation::{ListingStatus, ModerationAction, Moderator, edit_needs_moderation, transition};
use crate::text::check_text;

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

/// Where a column's value goes in the request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Part {
    /// The row's key; not part of the listing.
    Key,
    Listing,
    Location,
    Schedule,
    Recurrence,
}

/// How a cell is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// One line of text.
    Text,
    /// Text that may run over several lines.
    Prose,
    /// Codes separated by `|`.
    Codes,
    Bool,
    /// A whole number the target type can hold.
    Whole(i64, i64),
    /// A decimal number with `.` or `,`.
    Decimal,
    /// Kroner with up to two decimals, written as øre.
    Kroner,
    Time,
    Date,
    Dates,
    Weekday,
    Weekdays,
    Pauses,
    Mode,
    Frequency,
}

struct Column {
    name: &'static str,
    /// The field of the request body it fills.
    key: &'static str,
    part: Part,
    kind: Kind,
    /// The header must be there and every row must have a value.
    required: bool,
}

const fn col(name: &'static str, part: Part, kind: Kind, required: bool) -> Column {
    Column { name, key: name, part, kind, required }
}

const U32: Kind = Kind::Whole(0, u32::MAX as i64);

/// The columns, in the order of docs/csv-import.md.
const COLUMNS: &[Column] = &[
    col("external_id", Part::Key, Kind::Text, true),
    col("name", Part::Listing, Kind::Text, true),
    col("summary", Part::Listing, Kind::Prose, true),
    col("description", Part::Listing, Kind::Prose, false),
    col("activity_types", Part::Listing, Kind::Codes, false),
    col("target_groups", Part::Listing, Kind::Codes, false),
    col("accessibility", Part::Listing, Kind::Codes, false),
    col("first_visit_support", Part::Listing, Kind::Codes, false),
    col("languages", Part::Listing, Kind::Codes, true),
    col("mode", Part::Listing, Kind::Mode, true),
    Column { name: "cost_kr", key: "cost_ore", part: Part::Listing, kind: Kind::Kroner, required: false },
    col("registration_required", Part::Listing, Kind::Bool, false),
    col("registration_how", Part::Listing, Kind::Prose, false),
    col("capacity", Part::Listing, Kind::Whole(i32::MIN as i64, i32::MAX as i64), false),
    col("full", Part::Listing, Kind::Bool, false),
    col("seeks_volunteers", Part::Listing, Kind::Bool, false),
    col("volunteer_roles", Part::Listing, Kind::Codes, false),
    col("housing_areas", Part::Listing, Kind::Codes, false),
    col("address", Part::Location, Kind::Text, false),
    col("postcode", Part::Location, Kind::Text, false),
    col("district", Part::Location, Kind::Text, false),
    col("lat", Part::Location, Kind::Decimal, false),
    col("lon", Part::Location, Kind::Decimal, false),
    col("frequency", Part::Recurrence, Kind::Frequency, true),
    col("interval", Part::Recurrence, U32, false),
    col("weekdays", Part::Recurrence, Kind::Weekdays, false),
    col("nth", Part::Recurrence, Kind::Whole(i8::MIN as i64, i8::MAX as i64), false),
    col("weekday", Part::Recurrence, Kind::Weekday, false),
    col("starts_on", Part::Recurrence, Kind::Date, false),
    col("ends_on", Part::Recurrence, Kind::Date, false),
    col("dates", Part::Recurrence, Kind::Dates, false),
    col("start_time", Part::Schedule, Kind::Time, true),
    col("duration_minutes", Part::Schedule, U32, true),
    col("skip_holidays", Part::Schedule, Kind::Bool, false),
    col("cancelled", Part::Schedule, Kind::Dates, false),
    col("pauses", Part::Schedule, Kind::Pauses, false),
];

/// The location's columns that must all have a value once any location column has one.
const LOCATION_NEEDS: [&str; 4] = ["address", "postcode", "lat", "lon"];

/// Per frequency (the schedule's recurrence variants): the recurrence columns it uses, and those
/// of them that need a value. A blank `interval` means 1.
const FREQUENCIES: [(&str, &[&str], &[&str]); 3] = [
    ("weekly", &["interval", "weekdays", "starts_on", "ends_on"], &["weekdays", "starts_on"]),
    ("monthly_by_weekday", &["interval", "nth", "weekday", "starts_on", "ends_on"], &["nth", "weekday", "starts_on"]),
    ("once", &["dates"], &["dates"]),
];

/// Weekdays as the API writes them, and in Danish.
const WEEKDAYS: [(&str, &str); 7] = [
    ("monday", "mandag"),
    ("tuesday", "tirsdag"),
    ("wednesday", "onsdag"),
    ("thursday", "torsdag"),
    ("friday", "fredag"),
    ("saturday", "lørdag"),
    ("sunday", "søndag"),
];

/// The column names, for messages and the documentation.
pub fn column_names() -> impl Iterator<Item = &'static str> {
    COLUMNS.iter().map(|c| c.name)
}

fn column(name: &str) -> Option<&'static Column> {
    COLUMNS.iter().find(|c| c.name == name)
}

type CellError = (&'static str, String);

fn invalid(message: impl Into<String>) -> CellError {
    ("invalid", message.into())
}

fn list(value: &str) -> impl Iterator<Item = &str> {
    value.split(LIST_SEPARATOR).map(str::trim).filter(|v| !v.is_empty())
}

fn parse_bool(value: &str) -> Result<Value, CellError> {
    match value.to_lowercase().as_str() {
        "true" | "ja" | "yes" | "1" => Ok(Value::Bool(true)),
        "false" | "nej" | "no" | "0" => Ok(Value::Bool(false)),
        _ => Err(invalid(format!("`{value}` is not true or false (ja or nej)"))),
    }
}

fn parse_whole(value: &str, min: i64, max: i64) -> Result<Value, CellError> {
    let n: i64 = value.parse().map_err(|_| invalid(format!("`{value}` is not a whole number")))?;
    if n < min {
        return Err(invalid(if min == 0 {
            "must not be negative".to_owned()
        } else {
            format!("must be at least {min}")
        }));
    }
    if n > max {
        return Err(invalid(format!("must be at most {max}")));
    }
    Ok(Value::from(n))
}

/// A decimal number with a point or (as Danish spreadsheets write it) a comma.
fn parse_decimal(value: &str) -> Result<Value, CellError> {
    let n: f64 = value
        .replace(',', ".")
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite())
        .ok_or_else(|| invalid(format!("`{value}` is not a decimal number such as 55.6869 or 55,6869")))?;
    Ok(Value::from(n))
}

/// Kroner with at most two decimals (`25`, `25,50`, `25.5`) as øre.
pub fn kroner_to_ore(value: &str) -> Option<i64> {
    let (negative, digits) = match value.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    let (whole, fraction) = match digits.split_once([',', '.']) {
        Some((whole, fraction)) if (1..=2).contains(&fraction.len()) => (whole, fraction),
        Some(_) => return None,
        None => (digits, ""),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || !(fraction.is_empty() || all_digits(fraction)) {
        return None;
    }
    let ore = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<i64>().ok()? * 10,
        _ => fraction.parse::<i64>().ok()?,
    };
    let total = whole.parse::<i64>().ok()?.checked_mul(100)?.checked_add(ore)?;
    Some(if negative { -total } else { total })
}

fn parse_date(value: &str) -> Result<NaiveDate, CellError> {
    ["%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(value, f).ok())
        .ok_or_else(|| invalid(format!("`{value}` is not a date such as 2026-03-01 (or 01-03-2026)")))
}

fn date_value(date: NaiveDate) -> Value {
    Value::String(date.format("%Y-%m-%d").to_string())
}

fn parse_time(value: &str) -> Result<Value, CellError> {
    ["%H:%M", "%H:%M:%S", "%H.%M"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(value, f).ok())
        .map(|t| Value::String(t.format("%H:%M:%S").to_string()))
        .ok_or_else(|| invalid(format!("`{value}` is not a time such as 10:00 or 18:30")))
}

fn parse_weekday(value: &str) -> Result<Value, CellError> {
    let lower = value.to_lowercase();
    WEEKDAYS
        .iter()
        .find(|(en, da)| *en == lower || *da == lower)
        .map(|(en, _)| Value::String((*en).to_owned()))
        .ok_or_else(|| invalid(format!("`{value}` is not a weekday: write monday to sunday (or mandag to søndag)")))
}

/// `2026-07-01..2026-08-09`, both dates included.
fn parse_pause(value: &str) -> Result<Value, CellError> {
    let (from, to) = value
        .split_once("..")
        .ok_or_else(|| invalid(format!("`{value}` is not a pause such as 2026-07-01..2026-08-09")))?;
    let mut pause = Map::new();
    pause.insert("from".into(), date_value(parse_date(from.trim())?));
    pause.insert("to".into(), date_value(parse_date(to.trim())?));
    Ok(Value::Object(pause))
}

fn each(value: &str, parse: impl Fn(&str) -> Result<Value, CellError>) -> Result<Value, CellError> {
    list(value).map(parse).collect::<Result<Vec<_>, _>>().map(Value::Array)
}

/// A non-blank cell as the value of its field in the request body.
fn read_cell(kind: Kind, value: &str) -> Result<Value, CellError> {
    match kind {
        Kind::Text | Kind::Prose => Ok(Value::String(value.to_owned())),
        Kind::Codes => Ok(Value::Array(list(value).map(|c| Value::String(c.to_owned())).collect())),
        Kind::Bool => parse_bool(value),
        Kind::Whole(min, max) => parse_whole(value, min, max),
        Kind::Decimal => parse_decimal(value),
        Kind::Kroner => kroner_to_ore(value)
            .map(Value::from)
            .ok_or_else(|| invalid(format!("`{value}` is not an amount of kroner such as 25 or 25,50"))),
        Kind::Time => parse_time(value),
        Kind::Date => parse_date(value).map(date_value),
        Kind::Dates => each(value, |d| parse_date(d).map(date_value)),
        Kind::Weekday => parse_weekday(value),
        Kind::Weekdays => each(value, parse_weekday),
        Kind::Pauses => each(value, parse_pause),
        Kind::Mode => {
            Mode::parse(&value.to_lowercase()).map(|m| Value::String(m.as_str().to_owned())).ok_or_else(|| {
                let modes: Vec<&str> = Mode::ALL.iter().map(|m| m.as_str()).collect();
                invalid(format!("`{value}` is not a mode: write one of {}", modes.join(", ")))
            })
        }
        Kind::Frequency => {
            let lower = value.to_lowercase();
            FREQUENCIES.iter().find(|(f, _, _)| *f == lower).map(|(f, _, _)| Value::String((*f).to_owned())).ok_or_else(
                || {
                    let names: Vec<&str> = FREQUENCIES.iter().map(|(f, _, _)| *f).collect();
                    invalid(format!("`{value}` is not a frequency: write one of {}", names.join(", ")))
                },
            )
        }
    }
}

/// The CSV column of a field path of `check_activity` (`target_groups[1]` → `target_groups`,
/// `schedule.recurrence.weekdays` → `weekdays`, `location` → `address`), and the index of the
/// value within a multi-valued cell, if the path names one.
pub fn column_of(path: &str) -> (String, Option<usize>) {
    let mut plain = String::with_capacity(path.len());
    let mut index = None;
    let mut rest = path;
    while let Some(open) = rest.find('[') {
        plain.push_str(&rest[..open]);
        let close = rest[open..].find(']').map_or(rest.len(), |c| open + c);
        index = index.or_else(|| rest[open + 1..close].parse().ok());
        rest = rest.get(close + 1..).unwrap_or("");
    }
    plain.push_str(rest);
    let inner = ["schedule.recurrence.", "schedule.", "location."].iter().find_map(|p| plain.strip_prefix(p));
    let name = inner.unwrap_or(&plain).split('.').next().unwrap_or_default();
    let key = match name {
        "location" => "address",
        "recurrence" => "frequency",
        other => other,
    };
    // The column that fills the field (`cost_kr` fills `cost_ore`); the path itself for a field
    // without a column.
    let column = COLUMNS.iter().find(|c| c.key == key).map_or(key, |c| c.name);
    (column.to_owned(), index)
}

/// A row's cells by column, blank ones left out.
type Cells<'a> = HashMap<&'static str, &'a str>;

/// The request body of a row, every problem found on the way, and the columns they are in.
fn build_body(line: u64, cells: &Cells<'_>, errors: &mut Vec<RowError>) -> (Value, HashSet<&'static str>) {
    let mut bad = HashSet::new();
    let mut parts: HashMap<Part, Map<String, Value>> = HashMap::new();
    let mut fail = |bad: &mut HashSet<&'static str>, column: &'static str, code, message: String| {
        bad.insert(column);
        errors.push(RowError::new(line, column, code, message));
    };
    for column in COLUMNS {
        match cells.get(column.name) {
            None if column.required => fail(&mut bad, column.name, "required", "is required".into()),
            None => {}
            Some(value) => match check_text(column.name, value, column.kind == Kind::Prose)
                .map_err(|e| (e.code, e.message))
                .and_then(|()| read_cell(column.kind, value))
            {
                Ok(v) => {
                    parts.entry(column.part).or_default().insert(column.key.to_owned(), v);
                }
                Err((code, message)) => fail(&mut bad, column.name, code, message),
            },
        }
    }
    if cells.get("external_id").is_some_and(|id| !valid_external_id(id)) {
        let message = format!("must be 1 to {MAX_EXTERNAL_ID_CHARS} characters");
        fail(&mut bad, "external_id", "invalid", message);
    }
    if COLUMNS.iter().any(|c| c.part == Part::Location && cells.contains_key(c.name)) {
        for name in LOCATION_NEEDS.iter().filter(|n| !cells.contains_key(*n)) {
            let message = format!("is required for a location ({})", LOCATION_NEEDS.join(", "));
            fail(&mut bad, name, "required", message);
        }
    }
    let recurrence = parts.entry(Part::Recurrence).or_default();
    if let Some((frequency, uses, needs)) =
        recurrence.get("frequency").and_then(Value::as_str).and_then(|f| FREQUENCIES.iter().find(|(n, _, _)| *n == f))
    {
        for c in COLUMNS.iter().filter(|c| c.part == Part::Recurrence && c.name != "frequency") {
            let given = cells.contains_key(c.name);
            if given && !uses.contains(&c.name) {
                fail(&mut bad, c.name, "not_applicable", format!("is not used with frequency {frequency}"));
            } else if !given && needs.contains(&c.name) {
                fail(&mut bad, c.name, "required", format!("is required with frequency {frequency}"));
            }
        }
        if uses.contains(&"interval") {
            recurrence.entry("interval").or_insert(Value::from(1));
        }
    }
    let mut take = |part| parts.remove(&part).unwrap_or_default();
    let (recurrence, location, mut schedule, mut body) =
        (take(Part::Recurrence), take(Part::Location), take(Part::Schedule), take(Part::Listing));
    schedule.insert("recurrence".into(), Value::Object(recurrence));
    if !location.is_empty() {
        body.insert("location".into(), Value::Object(location));
    }
    body.insert("schedule".into(), Value::Object(schedule));
    (Value::Object(body), bad)
}

/// One row as an activity, or every problem with it.
fn read_row(line: u64, cells: &Cells<'_>, known: &KnownCodes) -> Result<ActivityContent, Vec<RowError>> {
    let mut errors = Vec::new();
    let (body, bad) = build_body(line, cells, &mut errors);
    let content = match serde_json::from_value::<ActivityContent>(body) {
        Ok(content) => content,
        // A cell that was left out for its own error is the cause; it is reported already.
        Err(_) if !errors.is_empty() => return Err(errors),
        Err(e) => return Err(vec![RowError::new(line, "", "invalid", e.to_string())]),
    };
    for e in check_activity(&content, known).0 {
        let (column, index) = column_of(&e.field);
        if bad.contains(column.as_str()) {
            continue;
        }
        let mut message = match column.as_str() {
            "cost_kr" => format!("must be 0 (free) to {} kroner", MAX_COST_ORE / 100),
            _ => e.message,
        };
        if let Some(i) = index {
            message = format!("value {}: {message}", i + 1);
        }
        errors.push(RowError { line, field: column, code: e.code, message });
    }
    if errors.is_empty() { Ok(content) } else { Err(errors) }
}

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

/// What importing a row does to the listing with its `external_id`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportOutcome {
    /// A new draft.
    Created,
    /// The listing's content is replaced (a draft, or any listing when staff import).
    Updated,
    /// The organisation changed a published listing: the change waits for staff.
    ChangeProposed,
    /// The row says what the listing already says (or what its waiting change says): nothing is
    /// written.
    Unchanged,
}

/// The content as JSON with every list of plain values sorted, so that two listings that differ
/// only in the order of codes, languages, weekdays or dates (which the database does not keep)
/// compare equal.
fn normalized(content: &ActivityContent) -> Value {
    fn sort_lists(value: &mut Value) {
        match value {
            Value::Array(items) => {
                items.iter_mut().for_each(sort_lists);
                if items.iter().all(|v| !v.is_array() && !v.is_object()) {
                    items.sort_by_key(Value::to_string);
                }
            }
            Value::Object(fields) => fields.values_mut().for_each(sort_lists),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(content).unwrap_or(Value::Null);
    sort_lists(&mut value);
    value
}

/// A listing as an import finds it.
#[derive(Debug, Clone, Copy)]
pub struct Existing<'a> {
    pub status: ListingStatus,
    pub content: &'a ActivityContent,
    /// The organisation's change waiting for staff, if any.
    pub pending: Option<&'a ActivityContent>,
}

/// The outcome of importing `content` over the listing that has its external id, if any. What
/// it is compared with is what the import would replace: the waiting change (or the published
/// content) when the edit waits for staff, the content itself when it applies at once.
pub fn outcome(existing: Option<Existing<'_>>, content: &ActivityContent, by: Moderator) -> ImportOutcome {
    let Some(existing) = existing else { return ImportOutcome::Created };
    let moderated = edit_needs_moderation(existing.status, by);
    let replaced = if moderated { existing.pending.unwrap_or(existing.content) } else { existing.content };
    if normalized(replaced) == normalized(content) {
        ImportOutcome::Unchanged
    } else if moderated {
        ImportOutcome::ChangeProposed
    } else {
        ImportOutcome::Updated
    }
}

/// With `submit=true`: the status a row's listing is submitted to, if it is submitted. Every
/// draft of the file is; a rejected or withdrawn listing only when the file changed it (sending
/// the same rejected content again would only ask staff twice).
pub fn submission(outcome: ImportOutcome, status: ListingStatus, by: Moderator) -> Option<ListingStatus> {
    let changed = matches!(outcome, ImportOutcome::Created | ImportOutcome::Updated);
    if !changed && status != ListingStatus::Draft {
        return None;
    }
    transition(status, ModerationAction::Submit, by, None).ok()
}

/// How many rows had each outcome.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    /// Activities in the file.
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    /// Changes to published listings that wait for staff.
    pub change_proposed: usize,
    pub unchanged: usize,
    /// Submitted for moderation (`submit=true`).
    pub submitted: usize,
}

impl ImportCounts {
    pub fn add(&mut self, outcome: ImportOutcome, submitted: bool) {
        self.rows += 1;
        *match outcome {
            ImportOutcome::Created => &mut self.created,
            ImportOutcome::Updated => &mut self.updated,
            ImportOutcome::ChangeProposed => &mut self.change_proposed,
            ImportOutcome::Unchanged => &mut self.unchanged,
        } += 1;
        self.submitted += usize::from(submitted);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::activity::Location;
    use crate::directory::schedule::{Pause, Recurrence, Weekday};

    use crate::directory::activity::tests::known;

    const HEADER: &str = "external_id,name,summary,languages,mode,target_groups,cost_kr,address,postcode,district,lat,lon,\
                          frequency,weekdays,starts_on,start_time,duration_minutes";
    const SUMMARY: &str = "Vi synger sammen hver tirsdag. Alle kan være med.";

    fn good(id: &str) -> String {
        format!(
            "{id},Fællessang,{SUMMARY},da,in_person,dementia|newly_widowed,\"25,50\",Nørrebrogade 1,2200,norrebro,55.69,12.55,weekly,tuesday,2026-01-06,10:00,90"
        )
    }

    fn file(rows: &[String]) -> String {
        std::iter::once(HEADER.to_owned()).chain(rows.iter().cloned()).collect::<Vec<_>>().join("\n")
    }

    fn errors(input: &str) -> Vec<(u64, String, &'static str)> {
        match parse(input.as_bytes(), &known()) {
            Err(ImportError::Invalid { errors, .. }) => errors.into_iter().map(|e| (e.line, e.field, e.code)).collect(),
            other => panic!("expected errors, got {other:?}"),
        }
    }

    fn e(line: u64, field: &str, code: &'static str) -> (u64, String, &'static str) {
        (line, field.to_owned(), code)
    }

    #[test]
    fn a_good_row_becomes_the_content_the_api_takes() {
        let rows = parse(file(&[good("k-1")]).as_bytes(), &known()).unwrap();
        assert_eq!(rows.len(), 1);
        let ImportRow { line, external_id, content } = &rows[0];
        assert_eq!((*line, external_id.as_str()), (2, "k-1"));
        assert_eq!(content.name, "Fællessang");
        assert_eq!(content.target_groups, ["dementia", "newly_widowed"]);
        assert_eq!(content.cost_ore, 2550);
        assert_eq!(content.mode, Mode::InPerson);
        assert_eq!(
            content.location,
            Some(Location {
                address: "Nørrebrogade 1".parse().unwrap(),
                postcode: "2200".into(),
                district: Some("norrebro".into()),
                lat: 55.69,
                lon: 12.55
            })
        );
        assert_eq!(
            content.schedule.recurrence,
            Recurrence::Weekly {
                interval: 1,
                weekdays: vec![Weekday::Tuesday],
                starts_on: NaiveDate::from_ymd_opt(2026, 1, 6).unwrap(),
                ends_on: None
            }
        );
        assert_eq!(content.schedule.start_time, NaiveTime::from_hms_opt(10, 0, 0).unwrap());
        // Columns left out take the API's defaults.
        assert!(content.description.is_empty() && !content.schedule.skip_holidays && content.capacity.is_none());
    }

    #[test]
    fn danish_excel_files_are_read_too() {
        // A byte-order mark, semicolons, decimal commas, Danish weekdays and dates, CRLF.
        let input = "\u{feff}external_id;name;summary;languages;mode;lat;lon;address;postcode;frequency;nth;weekday;\
                     starts_on;start_time;duration_minutes;skip_holidays;pauses;cancelled\r\n\
                     m-1;Månedsmøde;\"Vi mødes; den anden tirsdag.\";da|en;IN_PERSON;55,69;12,55;Vej 1;2200;\
                     monthly_by_weekday;2;Tirsdag;01-03-2026;18.30;60;ja;2026-07-01..2026-08-09;14.04.2026\r\n";
        let rows = parse(input.as_bytes(), &known()).unwrap();
        let c = &rows[0].content;
        assert_eq!(c.summary, "Vi mødes; den anden tirsdag.");
        assert_eq!(c.languages, ["da", "en"]);
        assert_eq!(c.location.as_ref().map(|l| (l.lat, l.lon)), Some((55.69, 12.55)));
        assert_eq!(
            c.schedule.recurrence,
            Recurrence::MonthlyByWeekday {
                interval: 1,
                nth: 2,
                weekday: Weekday::Tuesday,
                starts_on: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
                ends_on: None
            }
        );
        assert_eq!(c.schedule.start_time, NaiveTime::from_hms_opt(18, 30, 0).unwrap());
        assert!(c.schedule.skip_holidays);
        let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        assert_eq!(c.schedule.pauses, [Pause { from: d(7, 1), to: d(8, 9) }]);
        assert_eq!(c.schedule.cancelled, [d(4, 14)]);
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line_and_column() {
        let input = file(&[
            good("k-1"),
            good("k-2").replace(",tuesday,", ",tusday,"),
            good("k-3").replace("dementia|newly_widowed", "dementia|aliens"),
            good("k-4").replace("Fællessang", ""),
            good("k-5").replace("2026-01-06", "2026-02-30"),
            good("k-6").replace("55.69", "95.69"),
            good("k-1"),
            good("k-8").replace("\"25,50\"", "gratis"),
            good("k-9").replace("\"25,50\"", "20000"),
        ]);
        assert_eq!(
            errors(&input),
            [
                e(2, "external_id", "duplicate"),
                e(3, "weekdays", "invalid"),
                e(4, "target_groups", "unknown"),
                e(5, "name", "required"),
                e(6, "starts_on", "invalid"),
                e(7, "lat", "invalid"),
                e(8, "external_id", "duplicate"),
                e(9, "cost_kr", "invalid"),
                e(10, "cost_kr", "invalid"),
            ]
        );
        let Err(ImportError::Invalid { errors, total, lines }) = parse(input.as_bytes(), &known()) else { panic!() };
        assert_eq!((total, lines), (9, 9));
        let message = |line| errors.iter().find(|e| e.line == line).unwrap().message.clone();
        assert_eq!(message(2), "`k-1` is used again on line 8; each activity needs its own");
        assert_eq!(message(8), "`k-1` is already used on line 2");
        assert!(message(3).contains("`tusday` is not a weekday"), "{}", message(3));
        assert_eq!(message(4), "value 2: `aliens` is not in the taxonomy (GET /api/v1/taxonomy)");
        assert!(message(6).contains("`2026-02-30` is not a date"));
        assert_eq!(message(7), "must be a latitude in Denmark (WGS84)");
        assert_eq!(message(10), "must be 0 (free) to 10000 kroner");
    }

    #[test]
    fn every_problem_of_one_row_is_reported() {
        let input = file(&[good("")
            .replace("in_person", "by_bus")
            .replace(",weekly,", ",yearly,")
            .replace(",90", ",-5")
            .replace(",2200,", ",,")
            .replace("10:00", "25:00")]);
        assert_eq!(
            errors(&input),
            [
                e(2, "external_id", "required"),
                e(2, "mode", "invalid"),
                e(2, "frequency", "invalid"),
                e(2, "start_time", "invalid"),
                e(2, "duration_minutes", "invalid"),
                e(2, "postcode", "required"),
            ]
        );
    }

    #[test]
    fn a_schedule_needs_the_columns_of_its_frequency_only() {
        let weekly_with_dates = HEADER.to_owned() + ",dates\n" + &good("k-1") + ",2026-05-01";
        assert_eq!(errors(&weekly_with_dates), [e(2, "dates", "not_applicable")]);
        let once_without_dates = file(&[good("k-1").replace(",weekly,tuesday,2026-01-06,", ",once,,,")]);
        assert_eq!(errors(&once_without_dates), [e(2, "dates", "required")]);
        let monthly = file(&[good("k-1").replace(",weekly,", ",monthly_by_weekday,")]);
        assert_eq!(
            errors(&monthly),
            [e(2, "weekdays", "not_applicable"), e(2, "nth", "required"), e(2, "weekday", "required")]
        );
        // The domain's own schedule checks apply, in the column's name.
        let every_99_weeks = HEADER.to_owned() + ",interval\n" + &good("k-1") + ",99";
        assert_eq!(errors(&every_99_weeks), [e(2, "interval", "invalid")]);
    }

    #[test]
    fn the_header_must_name_known_columns_and_the_required_ones() {
        let input = "external_id,name,Name,summary,colour,languages,mode,frequency,start_time\nk-1";
        assert_eq!(
            errors(input),
            [
                e(1, "Name", "duplicate_column"),
                e(1, "colour", "unknown_column"),
                e(1, "duration_minutes", "missing_column")
            ]
        );
        assert_eq!(errors(""), [e(1, "", "empty")]);
        assert_eq!(errors(HEADER), [e(1, "", "empty")]);
    }

    #[test]
    fn malformed_lines_are_reported_and_quoted_newlines_keep_the_line_numbers() {
        let multiline = good("k-2").replace(SUMMARY, &format!("\"{SUMMARY}\nAnden linje.\""));
        let input = file(&[
            good("k-1") + ",extra",
            multiline,
            good("k-3").replace("tuesday", "tusday"),
            ";;;".into(),
            String::new(),
            ",,,,,,,,,,,,,,,,".into(),
            good("k-4").replacen(",", ",\"unclosed,", 1),
        ]);
        let found = errors(&input);
        assert_eq!(
            found,
            [e(2, "", "column_count"), e(5, "weekdays", "invalid"), e(6, "", "column_count"), e(9, "", "column_count")]
        );
        let Err(ImportError::Invalid { errors, .. }) = parse(input.as_bytes(), &known()) else { panic!() };
        assert!(errors[0].message.starts_with("has 18 fields but the header has 17"), "{}", errors[0].message);
    }

    #[test]
    fn lines_are_counted_right_after_crlf_line_ends_and_blank_lines() {
        let input = format!(
            "\r\n{HEADER}\r\n{}\r\n\r\n{}\r\n{}\r\n",
            good("k-1"),
            good("k-2").replace("tuesday", "x"),
            good("k-3").replace("tuesday", "y")
        );
        assert_eq!(errors(&input), [e(5, "weekdays", "invalid"), e(6, "weekdays", "invalid")]);
    }

    #[test]
    fn a_file_that_is_not_utf8_names_the_line() {
        let mut input = file(&[good("k-1")]).into_bytes();
        input.extend_from_slice(b"\nk-2,Caf\xe9,");
        assert_eq!(
            match parse(&input, &known()) {
                Err(ImportError::Invalid { errors, .. }) => (errors[0].line, errors[0].code),
                other => panic!("{other:?}"),
            },
            (3, "encoding")
        );
    }

    #[test]
    fn too_many_rows_and_too_many_errors() {
        let many: Vec<String> = (0..=MAX_ROWS).map(|i| good(&format!("k-{i}"))).collect();
        assert_eq!(parse(file(&many).as_bytes(), &known()), Err(ImportError::TooManyRows));
        let bad: Vec<String> = (0..1200).map(|i| good(&format!("k-{i}")).replace("tuesday", "x")).collect();
        let Err(ImportError::Invalid { errors, total, lines }) = parse(file(&bad).as_bytes(), &known()) else {
            panic!()
        };
        assert_eq!((errors.len(), total, lines), (MAX_LISTED_ERRORS, 1200, 1200));
    }

    #[test]
    fn kroner_are_read_as_ore() {
        assert_eq!(kroner_to_ore("25"), Some(2500));
        assert_eq!(kroner_to_ore("25,50"), Some(2550));
        assert_eq!(kroner_to_ore("25.5"), Some(2550));
        assert_eq!(kroner_to_ore("0"), Some(0));
        assert_eq!(kroner_to_ore("-5"), Some(-500));
        for bad in ["", "25,", ",5", "25,505", "1.000,00", "25 kr", "kr", "--5", "99999999999999999999"] {
            assert_eq!(kroner_to_ore(bad), None, "{bad}");
        }
    }

    #[test]
    fn field_paths_map_to_columns() {
        let cases = [
            ("target_groups[1]", "target_groups", Some(1)),
            ("location", "address", None),
            ("location.lat", "lat", None),
            ("schedule.recurrence.weekdays", "weekdays", None),
            ("schedule.recurrence", "frequency", None),
            ("schedule.pauses[0].to", "pauses", Some(0)),
            ("schedule.duration_minutes", "duration_minutes", None),
            ("cost_ore", "cost_kr", None),
            ("a_field_without_a_column", "a_field_without_a_column", None),
        ];
        for (path, column, index) in cases {
            assert_eq!(column_of(path), (column.to_owned(), index), "{path}");
        }
    }

    #[test]
    fn outcomes_follow_moderation_and_ignore_the_order_of_lists() {
        let rows = parse(file(&[good("k-1")]).as_bytes(), &known()).unwrap();
        let content = &rows[0].content;
        let mut reordered = content.clone();
        reordered.target_groups.reverse();
        let mut changed = content.clone();
        changed.name = "Sangkoret".parse().unwrap();
        let (org, staff) = (Moderator::Organisation, Moderator::Staff);
        let existing = |status, content, pending| Some(Existing { status, content, pending });
        let published = ListingStatus::Published;
        assert_eq!(outcome(None, content, org), ImportOutcome::Created);
        assert_eq!(outcome(existing(published, &reordered, None), content, org), ImportOutcome::Unchanged);
        assert_eq!(outcome(existing(published, &changed, None), content, org), ImportOutcome::ChangeProposed);
        assert_eq!(outcome(existing(published, &changed, None), content, staff), ImportOutcome::Updated);
        assert_eq!(outcome(existing(ListingStatus::Draft, &changed, None), content, org), ImportOutcome::Updated);
        // A waiting change is what an organisation's import compares with; staff replace the
        // published content.
        assert_eq!(outcome(existing(published, &changed, Some(content)), content, org), ImportOutcome::Unchanged);
        assert_eq!(outcome(existing(published, &changed, Some(content)), content, staff), ImportOutcome::Updated);
        assert_eq!(outcome(existing(published, content, Some(&changed)), content, org), ImportOutcome::ChangeProposed);

        let submitted = Some(ListingStatus::Submitted);
        assert_eq!(submission(ImportOutcome::Created, ListingStatus::Draft, org), submitted);
        assert_eq!(submission(ImportOutcome::Unchanged, ListingStatus::Draft, org), submitted);
        assert_eq!(submission(ImportOutcome::Updated, ListingStatus::Rejected, org), submitted);
        assert_eq!(submission(ImportOutcome::Unchanged, ListingStatus::Rejected, org), None);
        assert_eq!(submission(ImportOutcome::Updated, ListingStatus::Submitted, org), None);
        assert_eq!(submission(ImportOutcome::ChangeProposed, ListingStatus::Published, org), None);

        let mut counts = ImportCounts::default();
        counts.add(ImportOutcome::Created, true);
        counts.add(ImportOutcome::Unchanged, false);
        assert_eq!((counts.rows, counts.created, counts.unchanged, counts.submitted), (2, 1, 1, 1));
    }
}
