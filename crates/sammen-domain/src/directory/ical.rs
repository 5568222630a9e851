//! iCalendar (RFC 5545) for activities: one VEVENT per activity with its recurrence rule, the
//! dates it skips as EXDATEs, and the Europe/Copenhagen VTIMEZONE, so calendar clients show the
//! right local time on both sides of the daylight-saving changes.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use super::schedule::{Recurrence, Schedule, TIME_ZONE_NAME};

/// The Copenhagen zone as calendar clients need it: CET/CEST, switching on the last Sundays of
/// March and October (the EU rule in force since 1996).
const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/Copenhagen\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";

/// What a calendar event says about an activity.
#[derive(Debug, Clone)]
pub struct EventInfo<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub summary: &'a str,
    pub location: Option<String>,
    pub geo: Option<(f64, f64)>,
    pub url: Option<String>,
    pub updated_at: DateTime<Utc>,
    pub schedule: &'a Schedule,
}

/// Escapes a TEXT value (RFC 5545 §3.3.11). Line breaks become `\n`; any other control
/// character is dropped (text is checked where it enters, but a row stored before that check
/// could hold one, and a calendar line must not).
fn text(value: &str) -> String {
    let value = value.replace("\r\n", "\n");
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

fn local(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}

/// The VEVENT of one activity. Skipped dates (cancellations, pauses, holidays) are listed as
/// EXDATEs from the first date to `horizon` (or the schedule's end).
pub fn vevent(event: &EventInfo<'_>, horizon: NaiveDate) -> Option<String> {
    let s = event.schedule;
    let first = s.first_date()?;
    let mut lines = vec![
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{}@sammen", event.id),
        format!("DTSTAMP:{}", event.updated_at.format("%Y%m%dT%H%M%SZ")),
        format!("DTSTART;TZID={TIME_ZONE_NAME}:{}", local(first.and_time(s.start_time))),
        format!("DURATION:PT{}M", s.duration_minutes),
    ];
    match &s.recurrence {
        Recurrence::Once { dates } => {
            let others: Vec<String> =
                dates.iter().filter(|d| **d != first).map(|d| local(d.and_time(s.start_time))).collect();
            if !others.is_empty() {
                lines.push(format!("RDATE;TZID={TIME_ZONE_NAME}:{}", others.join(",")));
            }
        }
        _ => lines.push(format!("RRULE:{}", s.rrule()?)),
    }
    // Every date the rule gives but the activity skips, from the start to the horizon.
    let skipped: Vec<String> = s
        .rule_occurrences(first, horizon)
        .filter(|(_, excepted)| *excepted)
        .map(|(o, _)| local(o.local_start))
        .collect();
    if !skipped.is_empty() {
        lines.push(format!("EXDATE;TZID={TIME_ZONE_NAME}:{}", skipped.join(",")));
    }
    lines.push(format!("SUMMARY:{}", text(event.name)));
    lines.push(format!("DESCRIPTION:{}", text(event.summary)));
    if let Some(location) = &event.location {
        lines.push(format!("LOCATION:{}", text(location)));
    }
    if let Some((lat, lon)) = event.geo {
        lines.push(format!("GEO:{lat:.6};{lon:.6}"));
    }
    if let Some(url) = &event.url {
        lines.push(format!("URL:{url}"));
    }
    lines.push("END:VEVENT".to_owned());
    let mut out = String::new();
    for line in lines {
        fold(&line, &mut out);
    }
    Some(out)
}

/// A moment rather than a stretch of time (a grant round's opening, a deadline): a VEVENT at the
/// UTC instant `at`, transparent (it does not make anyone busy).
pub struct Instant<'a> {
    pub uid: &'a str,
    pub stamp: NaiveDateTime,
    pub at: NaiveDateTime,
    pub summary: &'a str,
    pub description: &'a str,
    pub url: &'a str,
}

pub fn instant_event(event: &Instant<'_>) -> String {
    let lines = [
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{}", event.uid),
        format!("DTSTAMP:{}", event.stamp.format("%Y%m%dT%H%M%SZ")),
        format!("DTSTART:{}", event.at.format("%Y%m%dT%H%M%SZ")),
        format!("SUMMARY:{}", text(event.summary)),
        format!("DESCRIPTION:{}", text(event.description)),
        format!("URL:{}", event.url),
        "TRANSP:TRANSPARENT".to_owned(),
        "END:VEVENT".to_owned(),
    ];
    let mut out = String::new();
    for line in lines {
        fold(&line, &mut out);
    }
    out
}

/// A whole calendar of events.
pub fn calendar(name: &str, events: impl IntoIterator<Item = String>) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Sammen//Aktivitetsoversigt//DA",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        fold(line, &mut out);
    }
    fold(&format!("X-WR-CALNAME:{}", text(name)), &mut out);
    fold(&format!("X-WR-TIMEZONE:{TIME_ZONE_NAME}"), &mut out);
    out.push_str(VTIMEZONE);
    for event in events {
        out.push_str(&event);
    }
    out.push_str("END:VCALENDAR\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_never_carries_control_characters() {
        assert_eq!(text("Sang; kaffe, kage\\\r\nNæste linje"), "Sang\\; kaffe\\, kage\\\\\\nNæste linje");
        assert_eq!(text("a\0b\u{1b}[31mc\rd\te"), "ab[31mcde");
    }
    use crate::directory::schedule::{Pause, Weekday};
    use chrono::NaiveTime;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn schedule() -> Schedule {
        Schedule {
            // Starts on a Monday; the first Thursday is the 5th.
            recurrence: Recurrence::Weekly {
                interval: 1,
                weekdays: vec![Weekday::Thursday],
                starts_on: ymd(2026, 3, 2),
                ends_on: Some(ymd(2026, 4, 30)),
            },
            start_time: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
            duration_minutes: 90,
            cancelled: vec![ymd(2026, 3, 12)],
            pauses: vec![Pause { from: ymd(2026, 4, 20), to: ymd(2026, 4, 26) }],
            skip_holidays: true,
        }
    }

    #[test]
    fn an_event_starts_on_its_first_date_and_lists_what_it_skips() {
        let s = schedule();
        let info = EventInfo {
            id: "a1",
            name: "Sang, kaffe; og hygge",
            summary: "Linje et\nlinje to",
            location: Some("Nørrebrogade 1, 2200 København N".into()),
            geo: Some((55.7, 12.54)),
            url: None,
            updated_at: "2026-11-22T12:00:00Z".parse().unwrap(),
            schedule: &s,
        };
        let folded = vevent(&info, ymd(2027, 1, 1)).unwrap();
        assert!(folded.split("\r\n").all(|l| l.len() <= 75), "folded");
        let event = folded.replace("\r\n ", "");
        assert!(event.contains("DTSTART;TZID=Europe/Copenhagen:20260305T100000\r\n"), "{event}");
        assert!(event.contains("RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=TH;UNTIL=20260430T215959Z\r\n"));
        // The cancellation, Maundy Thursday (2 April) and the pause week's Thursday (23 April).
        assert!(
            event.contains("EXDATE;TZID=Europe/Copenhagen:20260312T100000,20260402T100000,20260423T100000\r\n"),
            "{event}"
        );
        assert!(event.contains("SUMMARY:Sang\\, kaffe\\; og hygge\r\n"));
        assert!(event.contains("DESCRIPTION:Linje et\\nlinje to\r\n"));
        let cal = calendar("Sammen", [folded]);
        assert!(cal.starts_with("BEGIN:VCALENDAR\r\n") && cal.ends_with("END:VCALENDAR\r\n"));
        assert!(cal.contains("TZID:Europe/Copenhagen"));
    }

    #[test]
    fn long_lines_fold_between_characters() {
        let mut out = String::new();
        fold(&"æ".repeat(60), &mut out);
        assert!(out.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(out.replace("\r\n ", "").trim_end(), "æ".repeat(60));
    }

    #[test]
    fn one_off_dates_become_rdates() {
        let mut s = schedule();
        s.recurrence = Recurrence::Once { dates: vec![ymd(2026, 12, 3), ymd(2026, 11, 26)] };
        s.cancelled = vec![];
        let info = EventInfo {
            id: "x",
            name: "Julefrokost",
            summary: "",
            location: None,
            geo: None,
            url: None,
            updated_at: Utc::now(),
            schedule: &s,
        };
        let event = vevent(&info, ymd(2027, 1, 1)).unwrap();
        assert!(event.contains("DTSTART;TZID=Europe/Copenhagen:20261126T100000"));
        assert!(event.contains("RDATE;TZID=Europe/Copenhagen:20261203T100000"));
        assert!(!event.contains("RRULE"));
    }
}
