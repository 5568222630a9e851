//! Danish public holidays (helligdage), and the customary days off that activities also skip.

use chrono::{Datelike, Duration, NaiveDate};

/// Whether a day off is an official public holiday or a customary one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayOffKind {
    /// An official public holiday.
    Public,
    /// Not a public holiday, but a day most activities close (Grundlovsdag, Christmas Eve,
    /// New Year's Eve).
    Customary,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayOff {
    pub date: NaiveDate,
    pub name_da: &'static str,
    pub name_en: &'static str,
    pub kind: DayOffKind,
}

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("Easter is a valid date")
}

/// The days off of a year, in date order.
pub fn days_off(year: i32) -> Vec<DayOff> {
    let easter = easter_sunday(year);
    let date = |m, d| NaiveDate::from_ymd_opt(year, m, d).expect("a fixed date exists");
    let public = |date, name_da, name_en| DayOff { date, name_da, name_en, kind: DayOffKind::Public };
    let customary = |date, name_da, name_en| DayOff { date, name_da, name_en, kind: DayOffKind::Customary };
    let mut days = vec![
        public(date(1, 1), "Nytårsdag", "New Year's Day"),
        public(easter - Duration::days(3), "Skærtorsdag", "Maundy Thursday"),
        public(easter - Duration::days(2), "Langfredag", "Good Friday"),
        public(easter, "Påskedag", "Easter Sunday"),
        public(easter + Duration::days(1), "2. påskedag", "Easter Monday"),
        public(easter + Duration::days(39), "Kristi himmelfartsdag", "Ascension Day"),
        public(easter + Duration::days(49), "Pinsedag", "Whit Sunday"),
        public(easter + Duration::days(50), "2. pinsedag", "Whit Monday"),
        customary(date(6, 5), "Grundlovsdag", "Constitution Day"),
        customary(date(12, 24), "Juleaftensdag", "Christmas Eve"),
        public(date(12, 25), "Juledag", "Christmas Day"),
        public(date(12, 26), "2. juledag", "Boxing Day"),
        customary(date(12, 31), "Nytårsaftensdag", "New Year's Eve"),
    ];
    // Store bededag was a public holiday until it was abolished from 2024.
    if year <= 2023 {
        days.push(public(easter + Duration::days(26), "Store bededag", "General Prayer Day"));
    }
    days.sort_by_key(|d| d.date);
    days
}

/// Whether activities that skip holidays are off on `date`.
pub fn is_day_off(date: NaiveDate) -> bool {
    days_off(date.year()).iter().any(|d| d.date == date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn easter_matches_the_calendar() {
        assert_eq!(easter_sunday(2024), ymd(2024, 3, 31));
        assert_eq!(easter_sunday(2025), ymd(2025, 4, 20));
        assert_eq!(easter_sunday(2026), ymd(2026, 4, 5));
        assert_eq!(easter_sunday(2027), ymd(2027, 3, 28));
        assert_eq!(easter_sunday(2038), ymd(2038, 4, 25));
    }

    #[test]
    fn the_danish_holidays_of_2026() {
        let days: Vec<(NaiveDate, &str)> = days_off(2026).iter().map(|d| (d.date, d.name_da)).collect();
        assert!(days.contains(&(ymd(2026, 4, 2), "Skærtorsdag")));
        assert!(days.contains(&(ymd(2026, 5, 14), "Kristi himmelfartsdag")));
        assert!(days.contains(&(ymd(2026, 5, 25), "2. pinsedag")));
        assert!(!days.iter().any(|(_, n)| *n == "Store bededag"), "abolished from 2024");
        assert!(days_off(2023).iter().any(|d| d.name_da == "Store bededag" && d.date == ymd(2023, 5, 5)));
        assert!(is_day_off(ymd(2026, 12, 24)) && is_day_off(ymd(2026, 6, 5)));
        assert!(!is_day_off(ymd(2026, 12, 23)));
        assert!(days.windows(2).all(|w| w[0].0 <= w[1].0), "in date order");
    }
}
