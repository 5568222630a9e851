//! The column table: every column of the import, where its value goes in the request body and
//! how its cells are read, the columns a location or each frequency needs, and which column a
//! field path of `check_activity` is in (so the domain's own errors name the column).

/// Where a column's value goes in the request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Part {
    /// The row's key; not part of the listing.
    Key,
    Listing,
    Location,
    Schedule,
    Recurrence,
}

/// How a cell is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
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

pub(super) struct Column {
    pub(super) name: &'static str,
    /// The field of the request body it fills.
    pub(super) key: &'static str,
    pub(super) part: Part,
    pub(super) kind: Kind,
    /// The header must be there and every row must have a value.
    pub(super) required: bool,
}

const fn col(name: &'static str, part: Part, kind: Kind, required: bool) -> Column {
    Column { name, key: name, part, kind, required }
}

const U32: Kind = Kind::Whole(0, u32::MAX as i64);

/// The columns, in the order of docs/csv-import.md.
pub(super) const COLUMNS: &[Column] = &[
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
pub(super) const LOCATION_NEEDS: [&str; 4] = ["address", "postcode", "lat", "lon"];

/// Per frequency (the schedule's recurrence variants): the recurrence columns it uses, and those
/// of them that need a value. A blank `interval` means 1.
pub(super) const FREQUENCIES: [(&str, &[&str], &[&str]); 3] = [
    ("weekly", &["interval", "weekdays", "starts_on", "ends_on"], &["weekdays", "starts_on"]),
    ("monthly_by_weekday", &["interval", "nth", "weekday", "starts_on", "ends_on"], &["nth", "weekday", "starts_on"]),
    ("once", &["dates"], &["dates"]),
];

/// The column names, for messages and the documentation.
pub fn column_names() -> impl Iterator<Item = &'static str> {
    COLUMNS.iter().map(|c| c.name)
}

pub(super) fn column(name: &str) -> Option<&'static Column> {
    COLUMNS.iter().find(|c| c.name == name)
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
