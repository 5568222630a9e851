//! Unit tests of the CSV import: good rows, Danish Excel files, every kind of problem with its
//! line and column, the limits, kroner and field paths, and the outcomes of importing a row.

use chrono::{NaiveDate, NaiveTime};

use super::*;
use crate::directory::activity::tests::known;
use crate::directory::activity::{Location, Mode};
use crate::directory::moderation::{ListingStatus, Moderator};
use crate::directory::schedule::{Pause, Recurrence, Weekday};

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
    let Err(ImportError::Invalid { errors, total, lines }) = parse(file(&bad).as_bytes(), &known()) else { panic!() };
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
