//! Schedules of activities and the occurrences they give.
//!
//! Times are local wall-clock times in `Europe/Copenhagen`: "Tuesdays at 10:00" stays 10:00
//! across the daylight-saving changes, while the UTC instant moves. A local time that does not
//! exist (the spring gap) or occurs twice (the autumn overlap) is resolved as RFC 5545 §3.3.5
//! says: with the offset before the gap, and the first of the two.

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::holidays;
use crate::validation::{FieldError, ValidationErrors};

/// The zone every schedule's local times are in.
pub const TIME_ZONE: Tz = chrono_tz::Europe::Copenhagen;
pub const TIME_ZONE_NAME: &str = "Europe/Copenhagen";
/// The longest span one expansion may cover.
pub const MAX_WINDOW_DAYS: i64 = 400;
/// How many days ahead (from today) the stored occurrences reach, and so how far ahead the
/// listing's date filter can look.
pub const SEARCH_HORIZON_DAYS: i64 = 186;

/// A day of the week, as the API writes it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    pub fn chrono(self) -> chrono::Weekday {
        match self {
            Weekday::Monday => chrono::Weekday::Mon,
            Weekday::Tuesday => chrono::Weekday::Tue,
            Weekday::Wednesday => chrono::Weekday::Wed,
            Weekday::Thursday => chrono::Weekday::Thu,
            Weekday::Friday => chrono::Weekday::Fri,
            Weekday::Saturday => chrono::Weekday::Sat,
            Weekday::Sunday => chrono::Weekday::Sun,
        }
    }

    /// ISO 8601 day number: 1 = Monday ... 7 = Sunday.
    pub fn iso_number(self) -> i32 {
        self.chrono().number_from_monday() as i32
    }

    /// The two-letter iCalendar name (`MO`, `TU`, ...).
    pub fn ical(self) -> &'static str {
        ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][self.chrono().num_days_from_monday() as usize]
    }
}

/// How often an activity happens.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "frequency", rename_all = "snake_case", deny_unknown_fields)]
pub enum Recurrence {
    /// Every `interval` weeks (1 = weekly) on the given weekdays, counted from the week of
    /// `starts_on`.
    Weekly { interval: u32, weekdays: Vec<Weekday>, starts_on: NaiveDate, ends_on: Option<NaiveDate> },
    /// Every `interval` months on the `nth` weekday (1–4, or -1 for the last), e.g. the second
    /// Tuesday, counted from the month of `starts_on`.
    MonthlyByWeekday { interval: u32, nth: i8, weekday: Weekday, starts_on: NaiveDate, ends_on: Option<NaiveDate> },
    /// On these dates only.
    Once { dates: Vec<NaiveDate> },
}

/// A break in a recurring activity, both dates included (a summer break).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pause {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// When an activity takes place.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    pub recurrence: Recurrence,
    /// Local wall-clock start in `Europe/Copenhagen`.
    pub start_time: NaiveTime,
    pub duration_minutes: u32,
    /// Single dates that are cancelled.
    #[serde(default)]
    pub cancelled: Vec<NaiveDate>,
    #[serde(default)]
    pub pauses: Vec<Pause>,
    /// Skip Danish public holidays and the customary days off (Grundlovsdag, Christmas Eve,
    /// New Year's Eve).
    #[serde(default)]
    pub skip_holidays: bool,
}

/// One time an activity takes place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// The local date.
    pub date: NaiveDate,
    /// The local wall-clock start.
    pub local_start: NaiveDateTime,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// The local date in Copenhagen at the UTC instant `at`.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&TIME_ZONE).date_naive()
}

/// The UTC instant a local date begins (midnight is never in a Danish daylight-saving gap).
pub fn day_start(date: NaiveDate) -> DateTime<Utc> {
    local_to_utc(date.and_time(NaiveTime::MIN))
}

/// The UTC instant of a local wall-clock time in Copenhagen, per RFC 5545 §3.3.5.
pub fn local_to_utc(local: NaiveDateTime) -> DateTime<Utc> {
    match TIME_ZONE.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        // Twice (autumn): the first, still in summer time.
        LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        // Never (spring gap): with the offset in force before the gap.
        LocalResult::None => {
            let before = TIME_ZONE.from_local_datetime(&(local - Duration::hours(3))).earliest();
            let offset = before.map_or(0, |t| chrono::Offset::fix(t.offset()).local_minus_utc());
            (local - Duration::seconds(i64::from(offset))).and_utc()
        }
    }
}

/// The `nth` (1–4, or -1 for the last) `weekday` of a month.
pub fn nth_weekday_of_month(year: i32, month: u32, nth: i8, weekday: Weekday) -> Option<NaiveDate> {
    if nth == -1 {
        let next_month = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)
        }?;
        let last = next_month.pred_opt()?;
        let back = (7 + last.weekday().num_days_from_monday() - weekday.chrono().num_days_from_monday()) % 7;
        return Some(last - Duration::days(i64::from(back)));
    }
    NaiveDate::from_weekday_of_month_opt(year, month, weekday.chrono(), u8::try_from(nth).ok()?)
}

fn months_between(from: NaiveDate, to: NaiveDate) -> i64 {
    i64::from(to.year() - from.year()) * 12 + i64::from(to.month()) - i64::from(from.month())
}

impl Schedule {
    /// Every problem with the schedule, each with its field path under `field`.
    pub fn check(&self, field: &str) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        let f = |name: &str| format!("{field}.{name}");
        if !(1..=24 * 60).contains(&self.duration_minutes) {
            errors.push(FieldError::new(f("duration_minutes"), "invalid", "must be between 1 and 1440 minutes"));
        }
        let bounds = |errors: &mut ValidationErrors, starts_on: NaiveDate, ends_on: Option<NaiveDate>| {
            if ends_on.is_some_and(|end| end < starts_on) {
                errors.push(FieldError::new(f("recurrence.ends_on"), "invalid", "must not be before starts_on"));
            }
        };
        match &self.recurrence {
            Recurrence::Weekly { interval, weekdays, starts_on, ends_on } => {
                if !(1..=52).contains(interval) {
                    errors.push(FieldError::new(f("recurrence.interval"), "invalid", "must be between 1 and 52 weeks"));
                }
                let mut unique = weekdays.clone();
                unique.sort();
                unique.dedup();
                if weekdays.is_empty() || unique.len() != weekdays.len() {
                    errors.push(FieldError::new(
                        f("recurrence.weekdays"),
                        "invalid",
                        "must name one or more different weekdays",
                    ));
                }
                bounds(&mut errors, *starts_on, *ends_on);
            }
            Recurrence::MonthlyByWeekday { interval, nth, starts_on, ends_on, .. } => {
                if !(1..=12).contains(interval) {
                    errors.push(FieldError::new(
                        f("recurrence.interval"),
                        "invalid",
                        "must be between 1 and 12 months",
                    ));
                }
                if !matches!(nth, 1..=4 | -1) {
                    errors.push(FieldError::new(f("recurrence.nth"), "invalid", "must be 1, 2, 3, 4 or -1 (the last)"));
                }
                bounds(&mut errors, *starts_on, *ends_on);
            }
            Recurrence::Once { dates } => {
                if dates.is_empty() || dates.len() > 366 {
                    errors.push(FieldError::new(f("recurrence.dates"), "invalid", "must hold 1 to 366 dates"));
                }
            }
        }
        if self.cancelled.len() > 366 {
            errors.push(FieldError::new(f("cancelled"), "too_long", "at most 366 dates"));
        }
        if self.pauses.len() > 50 {
            errors.push(FieldError::new(f("pauses"), "too_long", "at most 50 pauses"));
        }
        for (i, pause) in self.pauses.iter().enumerate() {
            if pause.to < pause.from {
                errors.push(FieldError::new(format!("{field}.pauses[{i}].to"), "invalid", "must not be before from"));
            }
        }
        errors
    }

    /// Whether the schedule's rhythm gives an occurrence on `date`, before exceptions
    /// (cancellations, pauses, holidays): the pattern an activity keeps through its breaks.
    pub fn matches(&self, date: NaiveDate) -> bool {
        match &self.recurrence {
            Recurrence::Weekly { interval, weekdays, starts_on, ends_on } => {
                let in_range = date >= *starts_on && ends_on.is_none_or(|end| date <= end);
                let first_monday = *starts_on - Duration::days(i64::from(starts_on.weekday().num_days_from_monday()));
                let week = (date - first_monday).num_days().div_euclid(7);
                in_range
                    && weekdays.iter().any(|w| w.chrono() == date.weekday())
                    && week.rem_euclid(i64::from((*interval).max(1))) == 0
            }
            Recurrence::MonthlyByWeekday { interval, nth, weekday, starts_on, ends_on } => {
                date >= *starts_on
                    && ends_on.is_none_or(|end| date <= end)
                    && months_between(*starts_on, date).rem_euclid(i64::from((*interval).max(1))) == 0
                    && nth_weekday_of_month(date.year(), date.month(), *nth, *weekday) == Some(date)
            }
            Recurrence::Once { dates } => dates.contains(&date),
        }
    }

    /// Whether `date` is taken out by a cancellation, a pause or a holiday.
    pub fn is_excepted(&self, date: NaiveDate) -> bool {
        self.cancelled.contains(&date)
            || self.pauses.iter().any(|p| p.from <= date && date <= p.to)
            || (self.skip_holidays && holidays::is_day_off(date))
    }

    fn occurrence_on(&self, date: NaiveDate) -> Occurrence {
        let local_start = date.and_time(self.start_time);
        let starts_at = local_to_utc(local_start);
        Occurrence {
            date,
            local_start,
            starts_at,
            ends_at: starts_at + Duration::minutes(i64::from(self.duration_minutes)),
        }
    }

    /// The occurrences on local dates `from` to `to`, both included, in order. The span is
    /// limited to `MAX_WINDOW_DAYS`; a longer one is cut there.
    pub fn occurrences(&self, from: NaiveDate, to: NaiveDate) -> Vec<Occurrence> {
        let to = to.min(from + Duration::days(MAX_WINDOW_DAYS - 1));
        from.iter_days()
            .take_while(|d| *d <= to)
            .filter(|d| self.matches(*d) && !self.is_excepted(*d))
            .map(|d| self.occurrence_on(d))
            .collect()
    }

    /// The local start time in minutes after midnight, for the time-of-day filter.
    pub fn start_minute(&self) -> i32 {
        (self.start_time.hour() * 60 + self.start_time.minute()) as i32
    }

    /// Every date the rule gives on local dates `from` to `to` (any span: the caller bounds it),
    /// before exceptions, each with whether a cancellation, pause or holiday takes it out. For
    /// the feeds, which list the skipped dates (iCalendar `EXDATE`s, HSDS schedule rows).
    pub fn rule_occurrences(&self, from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = (Occurrence, bool)> + '_ {
        from.iter_days()
            .take_while(move |d| *d <= to)
            .filter(|d| self.matches(*d))
            .map(|d| (self.occurrence_on(d), self.is_excepted(d)))
    }

    /// The first date the rule gives, before exceptions (within `MAX_WINDOW_DAYS` of the start):
    /// where a recurrence starts for iCalendar's `DTSTART` and HSDS's `dtstart`.
    pub fn first_date(&self) -> Option<NaiveDate> {
        let start = match &self.recurrence {
            Recurrence::Weekly { starts_on, .. } | Recurrence::MonthlyByWeekday { starts_on, .. } => *starts_on,
            Recurrence::Once { dates } => return dates.iter().min().copied(),
        };
        self.rule_occurrences(start, start + Duration::days(MAX_WINDOW_DAYS - 1)).next().map(|(o, _)| o.date)
    }

    /// The first occurrence that starts at or after `after`, within `MAX_WINDOW_DAYS`.
    pub fn next_occurrence(&self, after: DateTime<Utc>) -> Option<Occurrence> {
        // Day by day, stopping at the first: this runs for every row of a listing.
        let today = after.with_timezone(&TIME_ZONE).date_naive();
        today
            .iter_days()
            .take(MAX_WINDOW_DAYS as usize)
            .filter(|d| self.matches(*d) && !self.is_excepted(*d))
            .map(|d| self.occurrence_on(d))
            .find(|o| o.starts_at >= after)
    }

    /// The iCalendar recurrence rule (RFC 5545 `RRULE` value), for recurring schedules.
    /// Exceptions become `EXDATE`s, which the calendar feed lists from `occurrences`.
    pub fn rrule(&self) -> Option<String> {
        let until = |ends_on: &Option<NaiveDate>| {
            // UNTIL is inclusive and, with a zoned DTSTART, must be in UTC: the end of the last day.
            let end_of_day = NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default();
            ends_on
                .map(|end| format!(";UNTIL={}", local_to_utc(end.and_time(end_of_day)).format("%Y%m%dT%H%M%SZ")))
                .unwrap_or_default()
        };
        match &self.recurrence {
            Recurrence::Weekly { interval, weekdays, ends_on, .. } => {
                let mut days = weekdays.clone();
                days.sort();
                let days: Vec<&str> = days.iter().map(|d| d.ical()).collect();
                Some(format!("FREQ=WEEKLY;INTERVAL={interval};BYDAY={}{}", days.join(","), until(ends_on)))
            }
            Recurrence::MonthlyByWeekday { interval, nth, weekday, ends_on, .. } => {
                Some(format!("FREQ=MONTHLY;INTERVAL={interval};BYDAY={nth}{}{}", weekday.ical(), until(ends_on)))
            }
            Recurrence::Once { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn weekly(interval: u32, weekdays: Vec<Weekday>, starts_on: NaiveDate) -> Schedule {
        Schedule {
            recurrence: Recurrence::Weekly { interval, weekdays, starts_on, ends_on: None },
            start_time: hm(10, 0),
            duration_minutes: 120,
            cancelled: vec![],
            pauses: vec![],
            skip_holidays: false,
        }
    }

    #[test]
    fn start_minute_and_iso_weekday() {
        let mut s = weekly(1, vec![Weekday::Sunday], ymd(2026, 3, 1));
        s.start_time = hm(13, 45);
        assert_eq!(s.start_minute(), 13 * 60 + 45);
        assert_eq!(Weekday::Monday.iso_number(), 1);
        assert_eq!(Weekday::Sunday.iso_number(), 7);
    }

    #[test]
    fn weekly_keeps_local_time_across_both_dst_changes() {
        // Sundays at 10:00 around 29 March 2026 (CET -> CEST) and 25 October 2026 (CEST -> CET).
        let s = weekly(1, vec![Weekday::Sunday], ymd(2026, 3, 1));
        let spring = s.occurrences(ymd(2026, 3, 22), ymd(2026, 4, 5));
        let utc: Vec<String> = spring.iter().map(|o| o.starts_at.format("%m-%d %H:%M").to_string()).collect();
        assert_eq!(utc, ["03-22 09:00", "03-29 08:00", "04-05 08:00"]);
        assert!(spring.iter().all(|o| o.local_start.time() == hm(10, 0)));
        let autumn = s.occurrences(ymd(2026, 10, 18), ymd(2026, 11, 1));
        let utc: Vec<String> = autumn.iter().map(|o| o.starts_at.format("%m-%d %H:%M").to_string()).collect();
        assert_eq!(utc, ["10-18 08:00", "10-25 09:00", "11-01 09:00"]);
        // The duration is elapsed time.
        assert!(autumn.iter().all(|o| o.ends_at - o.starts_at == Duration::minutes(120)));
    }

    #[test]
    fn local_times_in_the_gap_and_the_overlap_follow_rfc_5545() {
        // 02:30 does not exist on 29 March 2026: interpreted with the offset before the gap (+01).
        assert_eq!(local_to_utc(ymd(2026, 3, 29).and_time(hm(2, 30))).to_rfc3339(), "2026-03-29T01:30:00+00:00");
        // 02:30 happens twice on 25 October 2026: the first, still summer time (+02).
        assert_eq!(local_to_utc(ymd(2026, 10, 25).and_time(hm(2, 30))).to_rfc3339(), "2026-10-25T00:30:00+00:00");
        assert_eq!(local_to_utc(ymd(2026, 7, 1).and_time(hm(12, 0))).to_rfc3339(), "2026-07-01T10:00:00+00:00");
    }

    #[test]
    fn every_other_week_counts_from_the_first_week() {
        let s = weekly(2, vec![Weekday::Tuesday, Weekday::Thursday], ymd(2026, 1, 7)); // a Wednesday
        let dates: Vec<NaiveDate> = s.occurrences(ymd(2026, 1, 1), ymd(2026, 1, 31)).iter().map(|o| o.date).collect();
        // Week of 5 Jan is week 0 (the 6th is before starts_on), 19 Jan week 2.
        assert_eq!(dates, [ymd(2026, 1, 8), ymd(2026, 1, 20), ymd(2026, 1, 22)]);
    }

    #[test]
    fn monthly_on_the_nth_and_the_last_weekday() {
        let mut s = weekly(1, vec![], ymd(2026, 1, 1));
        s.recurrence = Recurrence::MonthlyByWeekday {
            interval: 1,
            nth: 2,
            weekday: Weekday::Tuesday,
            starts_on: ymd(2026, 1, 1),
            ends_on: Some(ymd(2026, 4, 30)),
        };
        let dates: Vec<NaiveDate> = s.occurrences(ymd(2026, 1, 1), ymd(2026, 12, 31)).iter().map(|o| o.date).collect();
        assert_eq!(dates, [ymd(2026, 1, 13), ymd(2026, 2, 10), ymd(2026, 3, 10), ymd(2026, 4, 14)]);
        assert_eq!(nth_weekday_of_month(2026, 5, -1, Weekday::Friday), Some(ymd(2026, 5, 29)));
        assert_eq!(nth_weekday_of_month(2026, 12, -1, Weekday::Thursday), Some(ymd(2026, 12, 31)));
        s.recurrence = Recurrence::MonthlyByWeekday {
            interval: 3,
            nth: -1,
            weekday: Weekday::Friday,
            starts_on: ymd(2026, 1, 15),
            ends_on: None,
        };
        let dates: Vec<NaiveDate> = s.occurrences(ymd(2026, 1, 1), ymd(2026, 12, 31)).iter().map(|o| o.date).collect();
        assert_eq!(dates, [ymd(2026, 1, 30), ymd(2026, 4, 24), ymd(2026, 7, 31), ymd(2026, 10, 30)]);
    }

    #[test]
    fn cancellations_pauses_and_holidays_are_left_out() {
        let mut s = weekly(1, vec![Weekday::Thursday], ymd(2026, 3, 1));
        s.cancelled = vec![ymd(2026, 3, 12)];
        s.pauses = vec![Pause { from: ymd(2026, 3, 19), to: ymd(2026, 3, 26) }];
        s.skip_holidays = true;
        let dates: Vec<NaiveDate> = s.occurrences(ymd(2026, 3, 1), ymd(2026, 4, 16)).iter().map(|o| o.date).collect();
        // 2 April is Skærtorsdag (Maundy Thursday).
        assert_eq!(dates, [ymd(2026, 3, 5), ymd(2026, 4, 9), ymd(2026, 4, 16)]);
        s.skip_holidays = false;
        assert!(s.occurrences(ymd(2026, 4, 1), ymd(2026, 4, 3)).iter().any(|o| o.date == ymd(2026, 4, 2)));
    }

    #[test]
    fn one_off_dates_and_the_next_occurrence() {
        let mut s = weekly(1, vec![], ymd(2026, 1, 1));
        s.recurrence = Recurrence::Once { dates: vec![ymd(2026, 12, 3), ymd(2026, 11, 26)] };
        let next = s.next_occurrence(local_to_utc(ymd(2026, 11, 26).and_time(hm(10, 30)))).unwrap();
        assert_eq!(next.date, ymd(2026, 12, 3), "the 26th already started");
        assert_eq!(s.rrule(), None);
        assert!(s.next_occurrence(local_to_utc(ymd(2027, 1, 1).and_time(hm(0, 0)))).is_none());
    }

    #[test]
    fn the_window_is_bounded() {
        let s = weekly(1, vec![Weekday::Monday], ymd(2026, 1, 1));
        assert_eq!(s.occurrences(ymd(2026, 1, 1), ymd(2036, 1, 1)).len(), 57);
    }

    #[test]
    fn rrules_say_the_same_as_the_expansion() {
        let mut s = weekly(2, vec![Weekday::Thursday, Weekday::Monday], ymd(2026, 1, 5));
        assert_eq!(s.rrule().unwrap(), "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH");
        s.recurrence = Recurrence::MonthlyByWeekday {
            interval: 1,
            nth: -1,
            weekday: Weekday::Friday,
            starts_on: ymd(2026, 1, 1),
            ends_on: Some(ymd(2026, 6, 30)),
        };
        // The end of 30 June in Copenhagen (CEST) is 21:59:59 UTC.
        assert_eq!(s.rrule().unwrap(), "FREQ=MONTHLY;INTERVAL=1;BYDAY=-1FR;UNTIL=20260630T215959Z");
    }

    #[test]
    fn bad_schedules_name_every_bad_field() {
        let mut s = weekly(0, vec![Weekday::Monday, Weekday::Monday], ymd(2026, 5, 1));
        s.duration_minutes = 0;
        s.pauses = vec![Pause { from: ymd(2026, 8, 1), to: ymd(2026, 7, 1) }];
        if let Recurrence::Weekly { ends_on, .. } = &mut s.recurrence {
            *ends_on = Some(ymd(2026, 4, 1));
        }
        let fields: Vec<String> = s.check("schedule").0.into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "schedule.duration_minutes",
                "schedule.recurrence.interval",
                "schedule.recurrence.weekdays",
                "schedule.recurrence.ends_on",
                "schedule.pauses[0].to"
            ]
        );
        assert!(weekly(1, vec![Weekday::Monday], ymd(2026, 5, 1)).check("schedule").is_empty());
    }

    #[test]
    fn schedules_read_the_api_json() {
        let json = r#"{"recurrence": {"frequency": "weekly", "interval": 1, "weekdays": ["tuesday"], "starts_on": "2026-01-06", "ends_on": null},
                       "start_time": "10:00:00", "duration_minutes": 90, "skip_holidays": true}"#;
        let s: Schedule = serde_json::from_str(json).unwrap();
        assert_eq!(s.occurrences(ymd(2026, 1, 1), ymd(2026, 1, 13)).len(), 2);
        assert!(
            serde_json::from_str::<Schedule>(
                r#"{"recurrence": {"frequency": "daily"}, "start_time": "10:00:00", "duration_minutes": 1}"#
            )
            .is_err()
        );
    }
}
