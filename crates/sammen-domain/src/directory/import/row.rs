//! One row into an activity: its cells become the JSON body the API takes, which is
//! deserialised into `ActivityContent` and checked by `check_activity`, every problem reported
//! in the column it is in.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::RowError;
use super::cells::read_cell;
use super::columns::{COLUMNS, FREQUENCIES, Kind, LOCATION_NEEDS, Part, column_of};
use crate::directory::activity::{
    ActivityContent, KnownCodes, MAX_COST_ORE, MAX_EXTERNAL_ID_CHARS, check_activity, valid_external_id,
};
use crate::text::check_text;

/// A row's cells by column, blank ones left out.
pub(super) type Cells<'a> = HashMap<&'static str, &'a str>;

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
pub(super) fn read_row(line: u64, cells: &Cells<'_>, known: &KnownCodes) -> Result<ActivityContent, Vec<RowError>> {
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
