//! Schedules: the export's `Window`, and each Sammen schedule as HSDS schedule rows, one per
//! stretch of occurrences with the same UTC offset (see the module's documentation), with a
//! Danish description of the rhythm for people.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Offset, Utc};

use super::derived_id;
use super::labels::mode_label;
use super::objects::ScheduleRow;
use crate::directory::activity::Mode;
use crate::directory::schedule::{MAX_WINDOW_DAYS, Occurrence, Recurrence, Schedule, TIME_ZONE, Weekday, local_to_utc};

/// The dates an export's schedules cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The export's local date: a service with no occurrence from here on is `inactive`.
    pub today: NaiveDate,
    /// The first day of the daylight-saving period `today` is in, so a season's rows keep their
    /// bounds (and ids) from one export to the next.
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The UTC offset in force at an instant in Copenhagen, in seconds.
fn offset_seconds(t: DateTime<Utc>) -> i32 {
    t.with_timezone(&TIME_ZONE).offset().fix().local_minus_utc()
}

impl Window {
    /// The window of an export made on local date `today`.
    pub fn at(today: NaiveDate) -> Window {
        let noon = NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default();
        let offset_on = |d: NaiveDate| offset_seconds(local_to_utc(d.and_time(noon)));
        let from = (0..366)
            .map(|n| today - Duration::days(n))
            .find(|d| offset_on(*d) != offset_on(*d - Duration::days(1)))
            .unwrap_or(today);
        Window { today, from, to: today + Duration::days(MAX_WINDOW_DAYS) }
    }
}

const WEEKDAYS_DA: [&str; 7] = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"];
const MONTHS_DA: [&str; 12] = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];

fn weekday_da(w: Weekday) -> &'static str {
    WEEKDAYS_DA[w.chrono().num_days_from_monday() as usize]
}

/// "a", "a og b", "a, b og c".
fn join_da(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} og {last}", init.join(", ")),
    }
}

/// How often, in Danish: "Hver tirsdag og torsdag", "Den sidste fredag hver 2. måned", "3. december 2026".
fn rhythm_da(recurrence: &Recurrence, date: NaiveDate) -> String {
    match recurrence {
        Recurrence::Weekly { interval, weekdays, .. } => {
            let mut days = weekdays.clone();
            days.sort();
            let days: Vec<&str> = days.into_iter().map(weekday_da).collect();
            if *interval == 1 {
                format!("Hver {}", join_da(&days))
            } else {
                format!("Hver {interval}. uge: {}", join_da(&days))
            }
        }
        Recurrence::MonthlyByWeekday { interval, nth, weekday, .. } => {
            let which = if *nth == -1 { "sidste".to_owned() } else { format!("{nth}.") };
            let every = if *interval == 1 { "i måneden".to_owned() } else { format!("hver {interval}. måned") };
            format!("Den {which} {} {every}", weekday_da(*weekday))
        }
        Recurrence::Once { .. } => {
            format!("{}. {} {}", date.day(), MONTHS_DA[date.month0() as usize], date.year())
        }
    }
}

/// What the rows of one stretch share: the local times with their offsets.
#[derive(PartialEq)]
struct Times {
    opens_at: String,
    closes_at: String,
    offset: i32,
}

fn times(o: &Occurrence) -> Times {
    let start = o.starts_at.with_timezone(&TIME_ZONE);
    let end = o.ends_at.with_timezone(&TIME_ZONE);
    Times {
        opens_at: start.format("%H:%M%:z").to_string(),
        closes_at: end.format("%H:%M%:z").to_string(),
        offset: offset_seconds(o.starts_at) / 3600,
    }
}

/// A stretch of occurrences that one HSDS schedule row describes.
struct Stretch {
    first: NaiveDate,
    last: NaiveDate,
    times: Times,
}

/// The occurrences in the window, cut into stretches at every skipped date and every change of
/// offset; one-off dates are a stretch each (HSDS has no list of dates).
fn stretches(s: &Schedule, window: &Window) -> Vec<Stretch> {
    let once = matches!(s.recurrence, Recurrence::Once { .. });
    let mut out: Vec<Stretch> = Vec::new();
    let mut open = false;
    for (o, excepted) in s.rule_occurrences(window.from, window.to) {
        if excepted {
            open = false;
            continue;
        }
        let t = times(&o);
        match out.last_mut() {
            Some(current) if open && !once && current.times == t => current.last = o.date,
            _ => out.push(Stretch { first: o.date, last: o.date, times: t }),
        }
        open = true;
    }
    out
}

pub(super) fn schedule_rows(service_id: &str, s: &Schedule, mode: Mode, window: &Window) -> Vec<ScheduleRow> {
    let dtstart = s.first_date();
    let (freq, interval, byday, until) = match &s.recurrence {
        Recurrence::Weekly { interval, weekdays, ends_on, .. } => {
            let mut days = weekdays.clone();
            days.sort();
            let byday: Vec<&str> = days.iter().map(|d| d.ical()).collect();
            (Some("WEEKLY"), Some(*interval), Some(byday.join(",")), *ends_on)
        }
        Recurrence::MonthlyByWeekday { interval, nth, weekday, ends_on, .. } => {
            (Some("MONTHLY"), Some(*interval), Some(format!("{nth}{}", weekday.ical())), *ends_on)
        }
        Recurrence::Once { .. } => (None, None, None, None),
    };
    stretches(s, window)
        .into_iter()
        .map(|st| {
            let local = |t: &str| t[..5].to_owned();
            ScheduleRow {
                id: derived_id(&format!("{service_id}/schedule/{}", st.first)),
                service_id: service_id.to_owned(),
                valid_from: st.first,
                valid_to: st.last,
                dtstart: if freq.is_some() { dtstart.unwrap_or(st.first) } else { st.first },
                until,
                wkst: freq.map(|_| "MO"),
                freq,
                interval,
                byday: byday.clone(),
                description: format!(
                    "{} kl. {}–{}",
                    rhythm_da(&s.recurrence, st.first),
                    local(&st.times.opens_at),
                    local(&st.times.closes_at)
                ),
                opens_at: st.times.opens_at,
                closes_at: st.times.closes_at,
                timezone: st.times.offset,
                attending_type: mode_label(mode).da,
            }
        })
        .collect()
}
