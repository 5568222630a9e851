//! Reading one non-blank cell into the value of its field in the request body: text, codes,
//! yes/no, numbers, kroner, dates, times, weekdays and pauses, in the forms Danish spreadsheets
//! write them as well as the API's.

use chrono::{NaiveDate, NaiveTime};
use serde_json::{Map, Value};

use super::LIST_SEPARATOR;
use super::columns::{FREQUENCIES, Kind};
use crate::directory::activity::Mode;

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
pub(super) fn read_cell(kind: Kind, value: &str) -> Result<Value, CellError> {
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
