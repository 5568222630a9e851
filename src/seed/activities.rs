//! The demo activities: drawn from the templates in `data/` with a seeded generator, so every
//! run makes the same directory, and each checked as the API would check it.

use std::collections::HashSet;

use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
use sammen_domain::directory::activity::{ActivityContent, Location, Mode};
use sammen_domain::directory::moderation::ListingStatus;
use sammen_domain::directory::schedule::{Pause, Recurrence, Schedule, Weekday};
use sammen_domain::ids::OrganisationId;
use sammen_domain::text::Text;

use super::data::{self, ActivityPlan, ActivityTemplate, Audience, Audiences, DemoOrganisation, Rhythm};

/// An activity ready to insert, and the state to leave it in.
#[derive(Debug, PartialEq)]
pub struct PlannedActivity {
    pub organisation_id: OrganisationId,
    pub external_id: Option<String>,
    pub content: ActivityContent,
    pub status: ListingStatus,
}

/// The demo activities of the organisations (name, id), following [`data::ACTIVITY_PLANS`].
pub fn plan_activities(organisations: &[(&str, OrganisationId)]) -> Result<Vec<PlannedActivity>, String> {
    let mut names = HashSet::new();
    let mut planned = Vec::new();
    for (plan_no, plan) in data::ACTIVITY_PLANS.iter().enumerate() {
        let unknown = || format!("activity plan for {}: no such organisation", plan.organisation);
        let org = data::ORGANISATIONS.iter().find(|o| o.name == plan.organisation).ok_or_else(unknown)?;
        let (_, org_id) = organisations.iter().find(|(name, _)| *name == plan.organisation).ok_or_else(unknown)?;
        for i in 0..plan.count {
            // One generator per activity: a change to one template leaves the others alone.
            let mut rng = Rng::new(planned.len() as u64);
            let setting = Setting {
                org,
                plan,
                plan_no,
                template: plan.offers[i % plan.offers.len()],
                // Next round of offers, next district: not every offer in the same place.
                district: plan.districts[(i + i / plan.offers.len()) % plan.districts.len()],
            };
            let content = activity(&mut rng, &setting, &mut names);
            let external_id =
                plan.external_ids.filter(|(_, n)| i < *n).map(|(prefix, _)| format!("{prefix}-{:04}", i + 1));
            let status = match rng.below(100) {
                0..5 => ListingStatus::Submitted,
                5..10 => ListingStatus::Draft,
                _ => ListingStatus::Published,
            };
            planned.push(PlannedActivity { organisation_id: org_id.clone(), external_id, content, status });
        }
    }
    Ok(planned)
}

/// What one activity is made from.
struct Setting<'a> {
    org: &'a DemoOrganisation,
    plan: &'a ActivityPlan,
    plan_no: usize,
    template: &'a ActivityTemplate,
    district: &'a str,
}

/// Draws one activity; `names` holds the names taken so far.
fn activity(rng: &mut Rng, s: &Setting, names: &mut HashSet<String>) -> ActivityContent {
    let t = s.template;
    let audience = pick_audience(rng, s);
    let (location, at, sted) = place(rng, s);
    let name = unique_name(rng, s, sted, audience.map_or("", |a| a.name_suffix), names);
    let summary = format!("{} {}", rng.pick(t.summaries), audience.map_or("", |a| a.sentence)).trim_end().to_owned();
    let who = Who::drawn(rng, t, audience);

    let cost_ore =
        if rng.chance(t.paid_percent) { rng.between(t.price_ore.0 / 500, t.price_ore.1 / 500) * 500 } else { 0 };
    let registration_required = rng.chance(t.registration_percent);
    let registration_how = registration_required.then(|| registration_how(s.org, location.as_ref().map(|_| at), t));
    let capacity = t
        .capacity
        .filter(|_| registration_required || rng.chance(60))
        .map(|(from, to)| rng.between(i64::from(from), i64::from(to)) as i32);
    let seeks_volunteers = rng.chance(t.volunteer_percent);
    let volunteer_roles = if seeks_volunteers { codes(&rng.some(t.volunteer_roles, 1, 2)) } else { Vec::new() };
    let housing_areas = if t.mode == Mode::Online { Vec::new() } else { housing_areas(rng, s) };
    let description = description(t, location.as_ref().map(|l| (at, l.address.as_str())), cost_ore, &who);

    // Some small groups are full; derived from the name so the random sequence stays the same.
    let full = capacity.is_some_and(|c| c <= 15) && name.len() % 3 == 0;
    ActivityContent {
        name: Text::cleaned(name),
        summary: Text::cleaned(summary),
        description: Text::cleaned(description),
        activity_types: codes(t.activity_types),
        target_groups: who.target_groups,
        accessibility: who.accessibility,
        first_visit_support: who.first_visit_support,
        languages: who.languages,
        mode: t.mode,
        cost_ore,
        registration_required,
        registration_how: registration_how.map(Text::cleaned),
        full,
        capacity,
        seeks_volunteers,
        volunteer_roles,
        location,
        housing_areas,
        schedule: schedule(rng, t),
    }
}

/// Where an activity is: its location (in person only), where it meets there ("i beboerhuset"),
/// and the phrase for its name ("på Nørrebro").
fn place(rng: &mut Rng, s: &Setting) -> (Option<Location>, &'static str, &'static str) {
    let (street, postcode, sted) = rng.pick(streets(s.district));
    let in_person = s.template.mode == Mode::InPerson;
    let venue = s.plan.venue.as_ref().filter(|v| in_person && v.district == s.district);
    let location = in_person.then(|| match venue {
        // The same generator for every activity at the venue: the same coordinates.
        Some(v) => located(&mut Rng::new(1000 + s.plan_no as u64), s.district, v.address.into(), v.postcode),
        None => {
            // A floor only indoors: outdoor kinds meet at places of their own.
            let address = street_address(rng, street, s.template.venues.is_empty());
            located(rng, s.district, address, postcode)
        }
    });
    let at = match venue {
        Some(v) => v.at,
        None if s.template.venues.is_empty() => rng.pick(&data::VENUES),
        None => rng.pick(s.template.venues),
    };
    (location, at, sted)
}

/// Who an activity is for and what helps them come.
struct Who {
    target_groups: Vec<String>,
    languages: Vec<String>,
    accessibility: Vec<String>,
    first_visit_support: Vec<String>,
}

impl Who {
    fn drawn(rng: &mut Rng, t: &ActivityTemplate, audience: Option<&Audience>) -> Who {
        let in_person = t.mode == Mode::InPerson;
        let mut who = Who {
            target_groups: codes(t.target_groups),
            languages: codes(audience.map_or(&["da"][..], |a| a.languages)),
            accessibility: if in_person { codes(&rng.some(t.accessibility, 1, 4)) } else { Vec::new() },
            first_visit_support: codes(&rng.some(t.first_visit_support, 0, 2)),
        };
        let Some(a) = audience else { return who };
        for group in a.target_groups {
            // "everyone" only where the kind is not for a group of its own.
            if *group != "everyone" || t.target_groups.is_empty() {
                add(&mut who.target_groups, group);
            }
        }
        // Away from a place, only what still applies.
        for code in a.accessibility.iter().filter(|c| in_person || **c == "dementia_friendly") {
            add(&mut who.accessibility, code);
        }
        for code in a.first_visit_support.iter().filter(|c| in_person || **c == "phone_before") {
            add(&mut who.first_visit_support, code);
        }
        who
    }
}

/// The kind's description, where it meets (`meets`: where there, address), the price, and a
/// welcome.
fn description(t: &ActivityTemplate, meets: Option<(&str, &str)>, cost_ore: i64, who: &Who) -> String {
    let mut parts = vec![t.description.to_owned()];
    if let Some((at, address)) = meets {
        parts.push(format!("Vi mødes {at}, {address}."));
    }
    parts.push(match cost_ore {
        0 => "Det er gratis at være med.".to_owned(),
        ore => format!("Det koster {} kr. pr. gang.", ore / 100),
    });
    if who.first_visit_support.iter().any(|c| c == "bring_a_friend") {
        parts.push("Du er velkommen til at tage en ven med første gang.".to_owned());
    }
    parts.join(" ")
}

/// The organisation's audience, or one drawn by weight; none for kinds with fixed target groups.
fn pick_audience(rng: &mut Rng, s: &Setting) -> Option<&'static Audience> {
    let minority = match s.template.audiences {
        Audiences::Fixed => return None,
        Audiences::Minority => true,
        Audiences::Any => false,
    };
    if let Some(own) = s.plan.audience.filter(|a| a.minority || !minority) {
        return Some(own);
    }
    let fitting: Vec<&'static Audience> = data::AUDIENCES.iter().filter(|a| a.minority || !minority).collect();
    let mut roll = rng.below(fitting.iter().map(|a| a.weight as usize).sum());
    for audience in fitting {
        if roll < audience.weight as usize {
            return Some(audience);
        }
        roll -= audience.weight as usize;
    }
    None
}

/// A name no other activity has: the template's names in turn, then with the organisation's
/// name, then numbered.
fn unique_name(rng: &mut Rng, s: &Setting, sted: &str, suffix: &str, names: &mut HashSet<String>) -> String {
    let variants = s.template.names;
    let first = rng.below(variants.len());
    let base = |k: usize| variants[(first + k) % variants.len()].replace("{sted}", sted);
    let candidates = (0..variants.len())
        .map(|k| format!("{}{suffix}", base(k)))
        .chain(std::iter::once(format!("{}{suffix} – {}", base(0), s.org.name)))
        .chain((2..).map(|n| format!("{}{suffix}, hold {n}", base(0))));
    for name in candidates {
        if names.insert(name.clone()) {
            return name;
        }
    }
    unreachable!("the numbered names never run out")
}

fn streets(district: &str) -> &'static [data::Street] {
    data::STREETS.iter().find(|(code, _)| *code == district).map_or(&[][..], |(_, streets)| streets)
}

/// "Jagtvej 57", "Istedgade 112B, 1. sal" (a floor only `indoors`).
fn street_address(rng: &mut Rng, street: &str, indoors: bool) -> String {
    let number = rng.between(1, 180);
    let letter = if rng.chance(15) { rng.pick(&["A", "B", "C"]) } else { "" };
    let floor = if indoors && rng.chance(20) { rng.pick(&[", st.", ", 1. sal", ", kælderen"]) } else { "" };
    format!("{street} {number}{letter}{floor}")
}

/// A location in `district`, near its centre (±0.01° latitude, ±0.02° longitude).
fn located(rng: &mut Rng, district: &str, address: String, postcode: &str) -> Location {
    let (lat, lon) =
        data::DISTRICTS.iter().find(|d| d.0 == district).map_or((55.676, 12.568), |&(_, _, lat, lon)| (lat, lon));
    let round = |x: f64| (x * 100_000.0).round() / 100_000.0;
    Location {
        address: Text::cleaned(address),
        postcode: postcode.into(),
        district: Some(district.into()),
        lat: round(lat + rng.jitter(0.01)),
        lon: round(lon + rng.jitter(0.02)),
    }
}

/// The organisation's own housing areas in the district, or now and then some of the district's.
fn housing_areas(rng: &mut Rng, s: &Setting) -> Vec<String> {
    let in_district = |code: &&str| data::HOUSING_AREAS.iter().any(|h| h.0 == *code && h.2 == s.district);
    let own: Vec<&str> = s.plan.housing_areas.iter().copied().filter(in_district).collect();
    if !own.is_empty() {
        return codes(&own);
    }
    let local: Vec<&str> = data::HOUSING_AREAS.iter().filter(|h| h.2 == s.district).map(|h| h.0).collect();
    if local.is_empty() || !rng.chance(25) { Vec::new() } else { codes(&rng.some(&local, 1, 2)) }
}

/// How to sign up: by the organisation's public phone or e-mail, or else where it meets.
fn registration_how(org: &DemoOrganisation, at: Option<&str>, t: &ActivityTemplate) -> String {
    let contact = match (org.contact_public, org.phone, org.email, at) {
        (true, Some(phone), ..) => format!("Ring til {} på {phone}.", org.name),
        (true, None, Some(email), _) => format!("Skriv til {email}."),
        (_, _, _, Some(at)) => format!("Skriv dig på listen {at}, eller spørg en af de frivillige."),
        _ => format!("Bed din hjemmepleje eller en pårørende om at kontakte {}, så ringer vi dig op.", org.name),
    };
    format!("{contact}{}", t.registration_note)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// When the activity happens: mostly weekly, some every other week, monthly or on a few dates;
/// starting in 2025–2026, with holidays, summer breaks and a cancelled date here and there.
fn schedule(rng: &mut Rng, t: &ActivityTemplate) -> Schedule {
    let (hour, minute) = rng.pick(t.start_times);
    let start_time = NaiveTime::from_hms_opt(hour, minute, 0).expect("a valid time");
    let duration_minutes = rng.pick(t.durations);
    let starts_on = date(2025, 1, 6) + Duration::days(rng.between(0, 600));
    let ends_on = rng.chance(10).then(|| rng.pick(&[date(2026, 12, 18), date(2027, 6, 25), date(2027, 12, 17)]));
    let weekday = rng.pick(t.weekdays);
    let monthly = |rng: &mut Rng, interval| Recurrence::MonthlyByWeekday {
        interval,
        nth: rng.pick(&[1, 2, 3, 4, -1]),
        weekday,
        starts_on,
        ends_on,
    };
    let roll = rng.below(100);
    let recurrence = match t.rhythm {
        Rhythm::Regular if roll < 66 => {
            let mut weekdays = if rng.chance(25) { rng.some(t.weekdays, 2, 2) } else { vec![weekday] };
            weekdays.sort();
            Recurrence::Weekly { interval: 1, weekdays, starts_on, ends_on }
        }
        Rhythm::Regular if roll < 82 => Recurrence::Weekly { interval: 2, weekdays: vec![weekday], starts_on, ends_on },
        Rhythm::Regular if roll < 99 => monthly(rng, 1),
        Rhythm::Occasional if roll < 50 => monthly(rng, 1),
        Rhythm::Occasional if roll < 65 => monthly(rng, 2),
        _ => Recurrence::Once { dates: one_off_dates(rng, t.weekdays) },
    };
    let recurring = !matches!(recurrence, Recurrence::Once { .. });
    let mut schedule = Schedule {
        recurrence,
        start_time,
        duration_minutes,
        cancelled: Vec::new(),
        pauses: Vec::new(),
        skip_holidays: recurring && rng.chance(70),
    };
    if recurring && rng.chance(25) {
        schedule.pauses.push(Pause { from: date(2026, 7, 1), to: date(2026, 8, 9) });
    }
    if recurring && rng.chance(12) {
        let coming: Vec<NaiveDate> =
            schedule.occurrences(date(2026, 12, 1), date(2027, 3, 31)).into_iter().map(|o| o.date).collect();
        let mut cancelled = rng.some(&coming, 1, 2);
        cancelled.sort();
        schedule.cancelled = cancelled;
    }
    schedule
}

/// One to three dates from June 2026 to June 2027, each moved to the next fitting weekday.
fn one_off_dates(rng: &mut Rng, weekdays: &[Weekday]) -> Vec<NaiveDate> {
    let mut dates: Vec<NaiveDate> = (0..rng.between(1, 3))
        .map(|_| {
            let mut day = date(2026, 6, 1) + Duration::days(rng.between(0, 390));
            while !weekdays.iter().any(|w| w.chrono() == day.weekday()) {
                day += Duration::days(1);
            }
            day
        })
        .collect();
    dates.sort();
    dates.dedup();
    dates
}

fn codes(codes: &[&str]) -> Vec<String> {
    codes.iter().map(|c| (*c).to_owned()).collect()
}

fn add(codes: &mut Vec<String>, code: &str) {
    if !codes.iter().any(|c| c == code) {
        codes.push(code.to_owned());
    }
}

/// A small deterministic generator (SplitMix64): the demo data must be the same on every run.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5A33_E2D0_5EED_2026)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// 0 to `n` - 1 (0 for 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }

    /// `from` to `to`, both included.
    fn between(&mut self, from: i64, to: i64) -> i64 {
        from + self.below((to - from + 1).max(1) as usize) as i64
    }

    fn chance(&mut self, percent: u32) -> bool {
        self.below(100) < percent as usize
    }

    /// One of `items`, which must not be empty.
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// `from` to `to` different items of `items` (fewer if it has fewer), in drawn order.
    fn some<T: Copy>(&mut self, items: &[T], from: usize, to: usize) -> Vec<T> {
        let mut left = items.to_vec();
        let n = self.between(from as i64, to as i64) as usize;
        let mut drawn = Vec::new();
        while drawn.len() < n && !left.is_empty() {
            drawn.push(left.swap_remove(self.below(left.len())));
        }
        drawn
    }

    /// Uniformly within ±`spread`.
    fn jitter(&mut self, spread: f64) -> f64 {
        let unit = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        (unit * 2.0 - 1.0) * spread
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use sammen_domain::directory::activity::{KnownCodes, check_activity};
    use sammen_domain::directory::vocabulary::Vocabulary;

    use super::*;
    use crate::seed::describe;

    /// The codes the migrations seed, and the demo districts and housing areas.
    fn known_codes() -> KnownCodes {
        let sql = include_str!("../../migrations/sqlite/2026-11-22-000004_directory_taxonomy_organisations/up.sql");
        let mut known = KnownCodes::default();
        for line in sql.lines().filter(|l| l.trim_start().starts_with("('")) {
            let parts: Vec<&str> = line.split('\'').collect();
            if let Some(vocabulary) = Vocabulary::parse(parts[1]) {
                known.add_term(vocabulary, parts[3]);
            }
        }
        known.districts = data::DISTRICTS.iter().map(|d| d.0.to_owned()).collect();
        known.housing_areas = data::HOUSING_AREAS.iter().map(|h| h.0.to_owned()).collect();
        known
    }

    #[test]
    fn the_demo_activities_are_valid_varied_and_the_same_every_time() {
        let known = known_codes();
        assert!(known.terms(Vocabulary::ActivityType).contains("telephone_friend"));
        assert!(known.terms(Vocabulary::VolunteerRole).contains("bike_pilot"));
        let ids: Vec<(&str, OrganisationId)> =
            data::ORGANISATIONS.iter().map(|o| (o.name, OrganisationId::new())).collect();
        let all = plan_activities(&ids).unwrap();
        assert_eq!(all, plan_activities(&ids).unwrap(), "deterministic");
        let planned = all;
        assert!(planned.len() >= 220, "{}", planned.len());

        let mut per_org: HashMap<&OrganisationId, usize> = HashMap::new();
        let mut districts = HashSet::new();
        let mut names = HashSet::new();
        for p in &planned {
            let c = &p.content;
            let errors = check_activity(c, &known);
            assert!(errors.is_empty(), "{}: {}", c.name, describe(&errors));
            assert!(names.insert(&c.name), "{} twice", c.name);
            *per_org.entry(&p.organisation_id).or_default() += 1;
            assert_eq!(c.location.is_some(), c.mode == Mode::InPerson, "{}", c.name);
            if let Some(l) = &c.location {
                let district = l.district.as_deref().unwrap();
                districts.insert(district);
                for area in &c.housing_areas {
                    assert!(data::HOUSING_AREAS.iter().any(|h| h.0 == area && h.2 == district), "{}: {area}", c.name);
                }
            }
        }
        assert_eq!(districts.len(), data::DISTRICTS.len());
        assert_eq!(per_org.len(), data::ORGANISATIONS.len());
        assert!(per_org.values().all(|n| *n >= 3));

        let share =
            |f: &dyn Fn(&PlannedActivity) -> bool| planned.iter().filter(|p| f(p)).count() * 100 / planned.len();
        let published = share(&|p| p.status == ListingStatus::Published);
        assert!((85..=95).contains(&published), "{published}% published");
        assert!(planned.iter().any(|p| p.status == ListingStatus::Submitted));
        let volunteers = share(&|p| p.content.seeks_volunteers);
        assert!((25..=45).contains(&volunteers), "{volunteers}% seek volunteers");
        let free = share(&|p| p.content.cost_ore == 0);
        assert!((55..=90).contains(&free), "{free}% free");
        let external: Vec<&str> = planned.iter().filter_map(|p| p.external_id.as_deref()).collect();
        assert_eq!(external.len(), 10);
        assert!(external.contains(&"vc-nb-0001"));
        let once = planned.iter().filter(|p| matches!(p.content.schedule.recurrence, Recurrence::Once { .. })).count();
        assert!((3..=30).contains(&once), "{once} one-off");
        for mode in Mode::ALL {
            assert!(planned.iter().any(|p| p.content.mode == mode), "{mode:?}");
        }
    }
}
