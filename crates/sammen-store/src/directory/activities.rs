//! Activities: their content in columns and join tables, their moderation state, and a change
//! waiting for moderation as JSON.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use sammen_domain::directory::activity::{ActivityContent, KnownCodes, Location, Mode};
use sammen_domain::directory::geo::{metres_per_degree_lat, metres_per_degree_lon};
use sammen_domain::directory::moderation::{self, ListingStatus, Moderator};
use sammen_domain::directory::schedule::{SEARCH_HORIZON_DAYS, Schedule, TIME_ZONE, local_to_utc};

use super::load_taxonomy;
use crate::audit::{self, AuditContext};
use crate::conn::{Backend, DbConn, write_transaction};
use crate::dialect;
use crate::error::{StoreError, StoreResult};
use crate::schema::{activities, activity_housing_areas, activity_languages, activity_occurrences, activity_terms};

#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub id: String,
    pub organisation_id: String,
    pub external_id: Option<String>,
    pub status: ListingStatus,
    pub rejection_reason: Option<String>,
    pub content: ActivityContent,
    /// The organisation's change to a published listing, waiting for staff.
    pub pending: Option<ActivityContent>,
    pub pending_since: Option<NaiveDateTime>,
    pub assured_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = activities)]
struct ActivityRow {
    id: String,
    organisation_id: String,
    external_id: Option<String>,
    status: String,
    rejection_reason: Option<String>,
    name: String,
    summary: String,
    description: String,
    mode: String,
    cost_ore: i64,
    registration_required: bool,
    registration_how: Option<String>,
    capacity: Option<i32>,
    seeks_volunteers: bool,
    address: Option<String>,
    postcode: Option<String>,
    district_code: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    schedule: String,
    pending_content: Option<String>,
    pending_since: Option<NaiveDateTime>,
    assured_at: NaiveDateTime,
    published_at: Option<NaiveDateTime>,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    is_full: bool,
}

/// The content's single-valued fields, as written on insert and on update.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = activities, treat_none_as_null = true)]
struct ContentColumns<'a> {
    name: &'a str,
    summary: &'a str,
    description: &'a str,
    mode: &'a str,
    cost_ore: i64,
    registration_required: bool,
    registration_how: Option<&'a str>,
    capacity: Option<i32>,
    is_full: bool,
    seeks_volunteers: bool,
    address: Option<&'a str>,
    postcode: Option<&'a str>,
    district_code: Option<&'a str>,
    lat: Option<f64>,
    lon: Option<f64>,
    schedule: String,
    start_minute: i32,
}

fn columns(c: &ActivityContent) -> StoreResult<ContentColumns<'_>> {
    let location = c.location.as_ref();
    Ok(ContentColumns {
        name: &c.name,
        summary: &c.summary,
        description: &c.description,
        mode: c.mode.as_str(),
        cost_ore: c.cost_ore,
        registration_required: c.registration_required,
        registration_how: c.registration_how.as_deref(),
        capacity: c.capacity,
        is_full: c.full,
        seeks_volunteers: c.seeks_volunteers,
        address: location.map(|l| l.address.as_str()),
        postcode: location.map(|l| l.postcode.as_str()),
        district_code: location.and_then(|l| l.district.as_deref()),
        lat: location.map(|l| l.lat),
        lon: location.map(|l| l.lon),
        schedule: serde_json::to_string(&c.schedule)?,
        start_minute: c.schedule.start_minute(),
    })
}

/// The multi-valued fields of a set of activities, loaded in three queries for all of them.
#[derive(Default)]
struct Joined {
    terms: HashMap<String, Vec<(String, String)>>,
    languages: HashMap<String, Vec<String>>,
    housing_areas: HashMap<String, Vec<String>>,
}

fn load_joined(conn: &mut DbConn, ids: &[&str]) -> StoreResult<Joined> {
    use diesel::dsl::sql;
    use diesel::sql_types::Text;
    let mut joined = Joined::default();
    // One round trip for the three tables: (activity id, what, code). UNION is not in diesel's
    // multi-backend, so the same query is built for each connection type.
    macro_rules! joined_rows {
        () => {
            activity_terms::table
                .filter(activity_terms::activity_id.eq_any(ids))
                .select((activity_terms::activity_id, activity_terms::vocabulary, activity_terms::code))
                .union_all(activity_languages::table.filter(activity_languages::activity_id.eq_any(ids)).select((
                    activity_languages::activity_id,
                    sql::<Text>("'language'"),
                    activity_languages::language,
                )))
                .union_all(
                    activity_housing_areas::table.filter(activity_housing_areas::activity_id.eq_any(ids)).select((
                        activity_housing_areas::activity_id,
                        sql::<Text>("'housing_area'"),
                        activity_housing_areas::housing_area_code,
                    )),
                )
        };
    }
    let mut rows: Vec<(String, String, String)> = crate::db_run!(conn, c => joined_rows!().load(c))?;
    rows.sort();
    for (id, what, code) in rows {
        match what.as_str() {
            "language" => joined.languages.entry(id).or_default().push(code),
            "housing_area" => joined.housing_areas.entry(id).or_default().push(code),
            vocabulary => joined.terms.entry(id).or_default().push((vocabulary.to_owned(), code)),
        }
    }
    Ok(joined)
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("activity {what}"))
}

impl ActivityRow {
    fn into_activity(self, joined: &mut Joined) -> StoreResult<Activity> {
        let terms = joined.terms.remove(&self.id).unwrap_or_default();
        let of = |vocabulary: &str| {
            terms.iter().filter(|(v, _)| v == vocabulary).map(|(_, c)| c.clone()).collect::<Vec<_>>()
        };
        let location = match (self.address, self.postcode, self.lat, self.lon) {
            (Some(address), Some(postcode), Some(lat), Some(lon)) => {
                Some(Location { address, postcode, district: self.district_code, lat, lon })
            }
            _ => None,
        };
        let content = ActivityContent {
            name: self.name,
            summary: self.summary,
            description: self.description,
            activity_types: of("activity_type"),
            target_groups: of("target_group"),
            accessibility: of("accessibility"),
            first_visit_support: of("first_visit_support"),
            languages: joined.languages.remove(&self.id).unwrap_or_default(),
            mode: Mode::parse(&self.mode).ok_or_else(|| corrupt("mode"))?,
            cost_ore: self.cost_ore,
            registration_required: self.registration_required,
            registration_how: self.registration_how,
            capacity: self.capacity,
            full: self.is_full,
            seeks_volunteers: self.seeks_volunteers,
            volunteer_roles: of("volunteer_role"),
            location,
            housing_areas: joined.housing_areas.remove(&self.id).unwrap_or_default(),
            schedule: serde_json::from_str(&self.schedule)?,
        };
        let status =
            ListingStatus::ALL.into_iter().find(|s| s.as_str() == self.status).ok_or_else(|| corrupt("status"))?;
        Ok(Activity {
            id: self.id,
            organisation_id: self.organisation_id,
            external_id: self.external_id,
            status,
            rejection_reason: self.rejection_reason,
            content,
            pending: self.pending_content.map(|p| serde_json::from_str(&p)).transpose()?,
            pending_since: self.pending_since,
            assured_at: self.assured_at,
            published_at: self.published_at,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

fn load(conn: &mut DbConn, rows: Vec<ActivityRow>) -> StoreResult<Vec<Activity>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut joined = load_joined(conn, &id_refs)?;
    rows.into_iter().map(|r| r.into_activity(&mut joined)).collect()
}

/// Replaces the join rows of an activity (one multi-row insert per table and backend) and its
/// stored occurrences.
fn write_joins(conn: &mut DbConn, id: &str, c: &ActivityContent) -> StoreResult<()> {
    diesel::delete(activity_terms::table.filter(activity_terms::activity_id.eq(id))).execute(conn)?;
    diesel::delete(activity_languages::table.filter(activity_languages::activity_id.eq(id))).execute(conn)?;
    diesel::delete(activity_housing_areas::table.filter(activity_housing_areas::activity_id.eq(id))).execute(conn)?;
    let vocabularies = [
        ("activity_type", &c.activity_types),
        ("target_group", &c.target_groups),
        ("accessibility", &c.accessibility),
        ("first_visit_support", &c.first_visit_support),
        ("volunteer_role", &c.volunteer_roles),
    ];
    let terms: Vec<_> = vocabularies
        .iter()
        .flat_map(|(vocabulary, codes)| {
            codes.iter().map(move |code| {
                (
                    activity_terms::activity_id.eq(id),
                    activity_terms::vocabulary.eq(*vocabulary),
                    activity_terms::code.eq(code),
                )
            })
        })
        .collect();
    let languages: Vec<_> = c
        .languages
        .iter()
        .map(|l| (activity_languages::activity_id.eq(id), activity_languages::language.eq(l)))
        .collect();
    let areas: Vec<_> = c
        .housing_areas
        .iter()
        .map(|a| (activity_housing_areas::activity_id.eq(id), activity_housing_areas::housing_area_code.eq(a)))
        .collect();
    macro_rules! insert_all {
        ($table:expr, $rows:expr) => {
            if !$rows.is_empty() {
                crate::db_run!(&mut *conn, c => diesel::insert_into($table).values(&$rows).execute(c))?;
            }
        };
    }
    insert_all!(activity_terms::table, terms);
    insert_all!(activity_languages::table, languages);
    insert_all!(activity_housing_areas::table, areas);
    // The search's copy of the terms and languages (see migration 000011), from the rows just written.
    dialect::sql::refresh_filter_codes(conn, id)?;
    write_occurrences(conn, id, &c.schedule)
}

/// The local date in Copenhagen at the UTC instant `now`.
fn local_today(now: NaiveDateTime) -> NaiveDate {
    now.and_utc().with_timezone(&TIME_ZONE).date_naive()
}

/// The UTC instant a local date begins (midnight is never in a Danish daylight-saving gap).
pub fn day_start(date: NaiveDate) -> NaiveDateTime {
    local_to_utc(date.and_time(NaiveTime::MIN)).naive_utc()
}

/// The last local date the stored occurrences cover, seen from `today`.
fn horizon(today: NaiveDate) -> NaiveDate {
    today + Duration::days(SEARCH_HORIZON_DAYS)
}

/// Stores the occurrences on local dates `from..=to`; returns the first that starts at or after
/// `now`.
fn insert_occurrences(
    conn: &mut DbConn,
    id: &str,
    schedule: &Schedule,
    from: NaiveDate,
    to: NaiveDate,
    now: NaiveDateTime,
) -> StoreResult<Option<NaiveDateTime>> {
    let occurrences = schedule.occurrences(from, to);
    let rows: Vec<_> = occurrences
        .iter()
        .map(|o| {
            (
                activity_occurrences::activity_id.eq(id),
                activity_occurrences::starts_at.eq(o.starts_at.naive_utc()),
                activity_occurrences::weekday.eq(o.date.weekday().number_from_monday() as i32),
            )
        })
        .collect();
    // Well under both backends' limits on bound parameters per statement.
    for chunk in rows.chunks(1000) {
        crate::db_run!(&mut *conn, c => diesel::insert_into(activity_occurrences::table).values(chunk).execute(c))?;
    }
    Ok(occurrences.iter().map(|o| o.starts_at.naive_utc()).find(|at| *at >= now))
}

/// Expands an activity's schedule again from today to the horizon, with its next start.
fn write_occurrences(conn: &mut DbConn, id: &str, schedule: &Schedule) -> StoreResult<()> {
    let now = crate::now();
    let today = local_today(now);
    diesel::delete(activity_occurrences::table.filter(activity_occurrences::activity_id.eq(id))).execute(conn)?;
    let next = insert_occurrences(conn, id, schedule, today, horizon(today), now)?;
    diesel::update(activities::table.find(id))
        .set((
            activities::next_occurrence_at.eq(next),
            activities::occurrences_until.eq(Some(day_start(horizon(today) + Duration::days(1)))),
        ))
        .execute(conn)?;
    Ok(())
}

/// Keeps the stored occurrences and next starts current as time passes: drops past occurrences,
/// extends every activity's occurrences to the horizon (a new day each day; all of them for
/// activities never expanded, as after the migration), and moves on the next start of activities
/// whose next start has passed. Safe to run from several servers at once: each activity is
/// claimed with a conditional update. Returns how many activities were extended.
pub fn refresh_occurrences(conn: &mut DbConn, now: NaiveDateTime) -> StoreResult<usize> {
    let today = local_today(now);
    let target = horizon(today);
    let covered_to = day_start(target + Duration::days(1));
    diesel::delete(
        activity_occurrences::table.filter(activity_occurrences::starts_at.lt(day_start(today - Duration::days(1)))),
    )
    .execute(conn)?;
    let mut extended = 0;
    loop {
        let due: Vec<(String, String, Option<NaiveDateTime>, Option<NaiveDateTime>)> = activities::table
            .filter(activities::occurrences_until.is_null().or(activities::occurrences_until.lt(covered_to)))
            .select((
                activities::id,
                activities::schedule,
                activities::occurrences_until,
                activities::next_occurrence_at,
            ))
            .order(activities::id)
            .limit(200)
            .load(conn)?;
        if due.is_empty() {
            break;
        }
        extended += due.len();
        write_transaction(conn, |conn| {
            for (id, schedule, until, next) in &due {
                let schedule: Schedule = serde_json::from_str(schedule)?;
                let claim =
                    diesel::update(activities::table.find(id)).set(activities::occurrences_until.eq(covered_to));
                let claimed = match until {
                    None => claim.filter(activities::occurrences_until.is_null()).execute(conn)?,
                    Some(until) => claim.filter(activities::occurrences_until.eq(*until)).execute(conn)?,
                };
                match (claimed, until) {
                    (0, _) => {}
                    (_, None) => {
                        write_occurrences(conn, id, &schedule)?;
                        diesel::update(activities::table.find(id))
                            .set(activities::start_minute.eq(schedule.start_minute()))
                            .execute(conn)?;
                    }
                    (_, Some(until)) => {
                        let from = local_today(*until).max(today);
                        let first = insert_occurrences(conn, id, &schedule, from, target, now)?;
                        if next.is_none() && first.is_some() {
                            diesel::update(activities::table.find(id))
                                .set(activities::next_occurrence_at.eq(first))
                                .execute(conn)?;
                        }
                    }
                }
            }
            Ok::<_, StoreError>(())
        })?;
    }
    let next_start = activity_occurrences::table
        .filter(activity_occurrences::activity_id.eq(activities::id))
        .filter(activity_occurrences::starts_at.ge(now))
        .select(diesel::dsl::min(activity_occurrences::starts_at))
        .single_value();
    diesel::update(activities::table.filter(activities::next_occurrence_at.lt(now)))
        .set(activities::next_occurrence_at.eq(next_start))
        .execute(conn)?;
    Ok(extended)
}

/// What these records are called in the audit log.
const AUDIT_TARGET: &str = "activity";

/// The codes the taxonomy holds now, for checking an activity's content.
pub fn known_codes(conn: &mut DbConn) -> StoreResult<KnownCodes> {
    let taxonomy = load_taxonomy(conn)?;
    let mut known = KnownCodes::default();
    for term in taxonomy.terms {
        let set = match term.vocabulary.as_str() {
            "activity_type" => &mut known.activity_types,
            "target_group" => &mut known.target_groups,
            "accessibility" => &mut known.accessibility,
            "first_visit_support" => &mut known.first_visit_support,
            "volunteer_role" => &mut known.volunteer_roles,
            _ => continue,
        };
        set.insert(term.code);
    }
    known.districts = taxonomy.districts.into_iter().map(|d| d.code).collect();
    known.housing_areas = taxonomy.housing_areas.into_iter().map(|h| h.code).collect();
    Ok(known)
}

/// Creates an activity as a draft. A taken (organisation, external id) is `Conflict`.
pub fn insert_activity(
    conn: &mut DbConn,
    organisation_id: &str,
    external_id: Option<&str>,
    content: &ActivityContent,
    ctx: &AuditContext,
) -> StoreResult<Activity> {
    write_transaction(conn, |conn| {
        let id = write_new(conn, organisation_id, external_id, content, ctx)?;
        find_activity(conn, &id)
    })
}

// The writes below run inside the caller's transaction and do not read the activity back, so a
// batch (a CSV import) can use them row by row; the public functions wrap each in a transaction
// and return the activity as it is then.

/// Inserts a draft and records it; its id.
pub(super) fn write_new(
    conn: &mut DbConn,
    organisation_id: &str,
    external_id: Option<&str>,
    content: &ActivityContent,
    ctx: &AuditContext,
) -> StoreResult<String> {
    let id = crate::new_id();
    let now = crate::now();
    diesel::insert_into(activities::table)
        .values((
            columns(content)?,
            activities::id.eq(&id),
            activities::organisation_id.eq(organisation_id),
            activities::external_id.eq(external_id),
            activities::status.eq(ListingStatus::Draft.as_str()),
            activities::assured_at.eq(now),
            activities::version.eq(1),
            activities::created_at.eq(now),
            activities::updated_at.eq(now),
        ))
        .execute(conn)?;
    write_joins(conn, &id, content)?;
    audit::record_change(
        conn,
        ctx,
        AUDIT_TARGET,
        "activity.created",
        &id,
        serde_json::json!({ "organisation_id": organisation_id }),
    )?;
    Ok(id)
}

/// Replaces the content at once; see `replace_content`.
fn write_replacement(
    conn: &mut DbConn,
    id: &str,
    expected: Option<i64>,
    content: &ActivityContent,
    ctx: &AuditContext,
) -> StoreResult<()> {
    bump(conn, id, expected)?;
    diesel::update(activities::table.find(id)).set(columns(content)?).execute(conn)?;
    write_joins(conn, id, content)?;
    audit::record_change(conn, ctx, AUDIT_TARGET, "activity.updated", id, serde_json::json!({}))
}

/// Holds a change for moderation; see `propose_content`.
fn write_proposal(
    conn: &mut DbConn,
    id: &str,
    expected: Option<i64>,
    content: &ActivityContent,
    ctx: &AuditContext,
) -> StoreResult<()> {
    bump(conn, id, expected)?;
    diesel::update(activities::table.find(id))
        .set((
            activities::pending_content.eq(Some(serde_json::to_string(content)?)),
            activities::pending_since.eq(Some(crate::now())),
        ))
        .execute(conn)?;
    audit::record_change(conn, ctx, AUDIT_TARGET, "activity.change_proposed", id, serde_json::json!({}))
}

/// New content for a listing in `status`, at once or waiting for staff; see `save_content`.
pub(super) fn write_content(
    conn: &mut DbConn,
    id: &str,
    status: ListingStatus,
    expected: Option<i64>,
    content: &ActivityContent,
    by: Moderator,
    ctx: &AuditContext,
) -> StoreResult<()> {
    if moderation::edit_needs_moderation(status, by) {
        write_proposal(conn, id, expected, content, ctx)
    } else {
        write_replacement(conn, id, expected, content, ctx)
    }
}

/// Moves a listing to another status; see `change_status`.
pub(super) fn write_status(
    conn: &mut DbConn,
    id: &str,
    expected: Option<i64>,
    to: ListingStatus,
    reason: Option<&str>,
    ctx: &AuditContext,
) -> StoreResult<()> {
    bump(conn, id, expected)?;
    let published_at = (to == ListingStatus::Published).then(crate::now);
    diesel::update(activities::table.find(id))
        .set((
            activities::status.eq(to.as_str()),
            activities::rejection_reason.eq(if to == ListingStatus::Rejected { reason } else { None }),
            activities::pending_content.eq(None::<String>),
            activities::pending_since.eq(None::<NaiveDateTime>),
            published_at.map(|at| activities::published_at.eq(Some(at))),
        ))
        .execute(conn)?;
    audit::record_change(
        conn,
        ctx,
        AUDIT_TARGET,
        &format!("activity.{}", to.as_str()),
        id,
        serde_json::json!({ "reason": reason }),
    )
}

pub fn find_activity(conn: &mut DbConn, id: &str) -> StoreResult<Activity> {
    let row = activities::table.find(id).select(ActivityRow::as_select()).first(conn)?;
    load(conn, vec![row])?.pop().ok_or(StoreError::NotFound)
}

pub fn find_by_external_id(
    conn: &mut DbConn,
    organisation_id: &str,
    external_id: &str,
) -> StoreResult<Option<Activity>> {
    let row = activities::table
        .filter(activities::organisation_id.eq(organisation_id))
        .filter(activities::external_id.eq(external_id))
        .select(ActivityRow::as_select())
        .first(conn)
        .optional()?;
    Ok(match row {
        Some(row) => load(conn, vec![row])?.pop(),
        None => None,
    })
}

/// The organisation's listings with any of these external ids, in one query (and the three of
/// their multi-valued fields). Meant for a file's worth (thousands), well under the databases'
/// limits on bound parameters.
pub fn find_by_external_ids(
    conn: &mut DbConn,
    organisation_id: &str,
    external_ids: &[&str],
) -> StoreResult<Vec<Activity>> {
    let rows = activities::table
        .filter(activities::organisation_id.eq(organisation_id))
        .filter(activities::external_id.eq_any(external_ids))
        .select(ActivityRow::as_select())
        .load(conn)?;
    load(conn, rows)
}

/// Writes new content: at once, or as a change waiting for staff when the organisation edits a
/// published listing.
pub fn save_content(
    conn: &mut DbConn,
    current: &Activity,
    expected: Option<i64>,
    content: &ActivityContent,
    by: Moderator,
    ctx: &AuditContext,
) -> StoreResult<Activity> {
    write_transaction(conn, |conn| {
        write_content(conn, &current.id, current.status, expected, content, by, ctx)?;
        find_activity(conn, &current.id)
    })
}

/// Bumps the version if it is still `expected` (or any, for `None`); `VersionMismatch` if not.
fn bump(conn: &mut DbConn, id: &str, expected: Option<i64>) -> StoreResult<i64> {
    let current: i64 = activities::table.find(id).select(activities::version).first(conn)?;
    let expected = expected.unwrap_or(current);
    let updated =
        diesel::update(activities::table.filter(activities::id.eq(id)).filter(activities::version.eq(expected)))
            .set((activities::version.eq(activities::version + 1), activities::updated_at.eq(crate::now())))
            .execute(conn)?;
    if updated == 0 {
        return Err(StoreError::VersionMismatch);
    }
    Ok(expected + 1)
}

/// Replaces the content at once (a draft, or any listing edited by staff).
pub fn replace_content(
    conn: &mut DbConn,
    id: &str,
    expected: Option<i64>,
    content: &ActivityContent,
    ctx: &AuditContext,
) -> StoreResult<Activity> {
    write_transaction(conn, |conn| {
        write_replacement(conn, id, expected, content, ctx)?;
        find_activity(conn, id)
    })
}

/// Holds the organisation's change to a published listing for moderation (replacing any earlier
/// waiting change); the published content stays public meanwhile.
pub fn propose_content(
    conn: &mut DbConn,
    id: &str,
    expected: Option<i64>,
    content: &ActivityContent,
    ctx: &AuditContext,
) -> StoreResult<Activity> {
    write_transaction(conn, |conn| {
        write_proposal(conn, id, expected, content, ctx)?;
        find_activity(conn, id)
    })
}

/// Moves a listing to `to`; a rejection keeps its reason, any other state clears it. A change
/// that was waiting is dropped: it was proposed for the listing as it was.
pub fn change_status(
    conn: &mut DbConn,
    id: &str,
    expected: Option<i64>,
    to: ListingStatus,
    reason: Option<&str>,
    ctx: &AuditContext,
) -> StoreResult<Activity> {
    write_transaction(conn, |conn| {
        write_status(conn, id, expected, to, reason, ctx)?;
        find_activity(conn, id)
    })
}

/// Applies (`apply`) or discards the change waiting on a published listing.
pub fn resolve_proposal(
    conn: &mut DbConn,
    id: &str,
    expected: Option<i64>,
    apply: bool,
    reason: Option<&str>,
    ctx: &AuditContext,
) -> StoreResult<Activity> {
    write_transaction(conn, |conn| {
        let activity = find_activity(conn, id)?;
        let pending = activity.pending.ok_or_else(|| StoreError::Conflict("no_pending_change".into()))?;
        bump(conn, id, expected)?;
        if apply {
            diesel::update(activities::table.find(id)).set(columns(&pending)?).execute(conn)?;
            write_joins(conn, id, &pending)?;
        }
        diesel::update(activities::table.find(id))
            .set((
                activities::pending_content.eq(None::<String>),
                activities::pending_since.eq(None::<NaiveDateTime>),
                activities::rejection_reason.eq(if apply { None } else { reason }),
            ))
            .execute(conn)?;
        let action = if apply { "activity.change_approved" } else { "activity.change_rejected" };
        audit::record_change(conn, ctx, AUDIT_TARGET, action, id, serde_json::json!({ "reason": reason }))?;
        find_activity(conn, id)
    })
}

/// The organisation confirms the listing is current.
pub fn assure_activity(conn: &mut DbConn, id: &str, ctx: &AuditContext) -> StoreResult<Activity> {
    write_transaction(conn, |conn| {
        bump(conn, id, None)?;
        diesel::update(activities::table.find(id)).set(activities::assured_at.eq(crate::now())).execute(conn)?;
        audit::record_change(conn, ctx, AUDIT_TARGET, "activity.assured", id, serde_json::json!({}))?;
        find_activity(conn, id)
    })
}

/// What staff have to look at: submitted listings and published ones with a change waiting,
/// oldest first (by id), after `after`.
pub fn moderation_queue(conn: &mut DbConn, after: Option<&str>, limit: i64) -> StoreResult<Vec<Activity>> {
    let mut query = activities::table
        .filter(activities::status.eq(ListingStatus::Submitted.as_str()).or(activities::pending_content.is_not_null()))
        .select(ActivityRow::as_select())
        .order(activities::id)
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(activities::id.gt(after.to_owned()));
    }
    let rows = query.load(conn)?;
    load(conn, rows)
}

/// An organisation's activities in the given states (all when `statuses` is empty), oldest
/// first (by id), after `after`: its people's own overview, drafts included.
pub fn organisation_activities(
    conn: &mut DbConn,
    organisation_id: &str,
    statuses: &[ListingStatus],
    after: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<Activity>> {
    let mut query = activities::table
        .filter(activities::organisation_id.eq(organisation_id))
        .select(ActivityRow::as_select())
        .order(activities::id)
        .limit(limit)
        .into_boxed();
    if !statuses.is_empty() {
        query = query.filter(activities::status.eq_any(statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>()));
    }
    if let Some(after) = after {
        query = query.filter(activities::id.gt(after.to_owned()));
    }
    let rows = query.load(conn)?;
    load(conn, rows)
}

/// A point and a radius to search around. Distances use the equirectangular approximation of
/// `sammen_domain::directory::geo`, which the coverage report shares.
#[derive(Debug, Clone, Copy)]
pub struct Near {
    pub lat: f64,
    pub lon: f64,
    pub radius_m: f64,
}

impl Near {
    fn metres_per_degree_lat(&self) -> f64 {
        metres_per_degree_lat(self.lat)
    }

    fn metres_per_degree_lon(&self) -> f64 {
        metres_per_degree_lon(self.lat)
    }

    /// The squared distance in square metres from this point to (`lat`, `lon`), computed with the
    /// same operations as the SQL ordering, so a cursor holds exactly what SQL compares.
    pub fn distance_sq(&self, lat: f64, lon: f64) -> f64 {
        let dy = (lat - self.lat) * self.metres_per_degree_lat();
        let dx = (lon - self.lon) * self.metres_per_degree_lon();
        dy * dy + dx * dx
    }
}

/// The public listing's filters: different fields combine with AND, values of one field with OR.
#[derive(Debug, Clone, Default)]
pub struct ActivitySearch {
    /// Words that must all appear, each as a word or its Danish inflection (PostgreSQL) or as
    /// part of a word (both backends: "sang" finds "fællessang"), lower-cased letters and digits.
    pub words: Vec<String>,
    pub organisations: Vec<String>,
    /// (vocabulary, codes) pairs: each pair must match one of its codes.
    pub terms: Vec<(&'static str, Vec<String>)>,
    pub languages: Vec<String>,
    pub modes: Vec<String>,
    pub districts: Vec<String>,
    pub postcodes: Vec<String>,
    pub housing_areas: Vec<String>,
    pub free: Option<bool>,
    pub seeks_volunteers: Option<bool>,
    /// `Some(true)`: not marked full; `Some(false)`: marked full.
    pub has_capacity: Option<bool>,
    /// The local start time, in minutes after midnight, within these bounds (both included).
    pub start_minutes: Option<(i32, i32)>,
    pub occurring: Option<Occurring>,
    pub near: Option<Near>,
}

/// Activities that take place in a span of time: an occurrence that starts at or after `from`
/// and before `until` (UTC), on one of `weekdays` (local, 1 = Monday) when any are given.
/// Cancellations, pauses and skipped holidays are no occurrences.
#[derive(Debug, Clone)]
pub struct Occurring {
    pub from: NaiveDateTime,
    pub until: NaiveDateTime,
    pub weekdays: Vec<i32>,
}

/// The order of the listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchOrder {
    Name,
    /// Nearest first; needs `near`.
    Distance,
    /// Best text match first; needs `words`.
    Relevance,
    /// Soonest next start first; activities with no coming occurrence last.
    NextOccurrence,
}

/// Where the previous page ended: the sort key and id of its last row.
#[derive(Debug, Clone)]
pub enum SearchAfter {
    Name {
        name: String,
        id: String,
    },
    /// The squared distance (Distance) or the rank (Relevance).
    Key {
        key: f64,
        id: String,
    },
    /// The next start (`None`: the activities without one, which come last).
    Next {
        at: Option<NaiveDateTime>,
        id: String,
    },
}

/// One hit: the activity, its numeric sort key (squared distance or rank, for the cursor), its
/// squared distance from `near`, and its stored next start (the key of `NextOccurrence`).
pub struct SearchHit {
    pub activity: Activity,
    pub key: Option<f64>,
    pub distance_sq: Option<f64>,
    pub next_start: Option<NaiveDateTime>,
}

type Boxed<'a> = activities::BoxedQuery<'a, crate::conn::MultiBackend>;

/// Applies every filter of `search` to a boxed query whose source includes `activities` (the
/// listing itself, or a join for facet counts). A macro, so each use gets its own query type.
macro_rules! apply_filters {
    ($query:expr, $search:expr, $backend:expr) => {{
        use crate::dialect::sql::{Codes, has_any_code, text_matches};
        use diesel::dsl::exists;
        let search: &ActivitySearch = $search;
        let backend: Backend = $backend;
        let mut query = $query.filter(activities::status.eq(ListingStatus::Published.as_str()));
        for word in &search.words {
            query = query.filter(text_matches(backend, word));
        }
        if !search.organisations.is_empty() {
            query = query.filter(activities::organisation_id.eq_any(search.organisations.clone()));
        }
        for (vocabulary, codes) in &search.terms {
            if !codes.is_empty() {
                query = query.filter(has_any_code(backend, Codes::Terms(vocabulary), codes));
            }
        }
        if !search.languages.is_empty() {
            query = query.filter(has_any_code(backend, Codes::Languages, &search.languages));
        }
        if !search.housing_areas.is_empty() {
            query = query.filter(exists(
                activity_housing_areas::table
                    .filter(activity_housing_areas::activity_id.eq(activities::id))
                    .filter(activity_housing_areas::housing_area_code.eq_any(search.housing_areas.clone())),
            ));
        }
        if !search.modes.is_empty() {
            query = query.filter(activities::mode.eq_any(search.modes.clone()));
        }
        if !search.districts.is_empty() {
            query = query.filter(activities::district_code.eq_any(search.districts.clone()));
        }
        if !search.postcodes.is_empty() {
            query = query.filter(activities::postcode.eq_any(search.postcodes.clone()));
        }
        match search.free {
            Some(true) => query = query.filter(activities::cost_ore.eq(0)),
            Some(false) => query = query.filter(activities::cost_ore.gt(0)),
            None => {}
        }
        if let Some(seeks) = search.seeks_volunteers {
            query = query.filter(activities::seeks_volunteers.eq(seeks));
        }
        if let Some(has_capacity) = search.has_capacity {
            query = query.filter(activities::is_full.eq(!has_capacity));
        }
        if let Some((from, to)) = search.start_minutes {
            query = query.filter(activities::start_minute.between(from, to));
        }
        if let Some(o) = &search.occurring {
            let occurrences = activity_occurrences::table
                .filter(activity_occurrences::activity_id.eq(activities::id))
                .filter(activity_occurrences::starts_at.ge(o.from))
                .filter(activity_occurrences::starts_at.lt(o.until));
            query = if o.weekdays.is_empty() {
                query.filter(exists(occurrences))
            } else {
                query.filter(exists(occurrences.filter(activity_occurrences::weekday.eq_any(o.weekdays.clone()))))
            };
        }
        if let Some(n) = search.near {
            // A bounding box first, so the index on (status, lat, lon) narrows the scan.
            let dlat = n.radius_m / n.metres_per_degree_lat();
            let dlon = n.radius_m / n.metres_per_degree_lon();
            query = query
                .filter(activities::lat.between(n.lat - dlat, n.lat + dlat))
                .filter(activities::lon.between(n.lon - dlon, n.lon + dlon))
                .filter({
                    // As `distance_sq_sql`, written out so it fits any source that includes `activities`.
                    let dy = (activities::lat.assume_not_null() - n.lat) * n.metres_per_degree_lat();
                    let dx = (activities::lon.assume_not_null() - n.lon) * n.metres_per_degree_lon();
                    (dy * dy + dx * dx).le(n.radius_m * n.radius_m)
                });
        }
        query
    }};
}

/// The published activities matching `search`, as a query to select columns from.
pub(super) fn published_matching(search: &ActivitySearch, backend: Backend) -> Boxed<'static> {
    apply_filters!(activities::table.into_boxed(), search, backend)
}

/// The squared distance from `n` in square metres, as SQL arithmetic both backends evaluate
/// exactly as `Near::distance_sq` does.
fn distance_sq_sql(
    n: Near,
) -> impl diesel::BoxableExpression<activities::table, crate::conn::MultiBackend, SqlType = diesel::sql_types::Double>
+ diesel::expression::ValidGrouping<(), IsAggregate = diesel::expression::is_aggregate::No>
+ Copy {
    let dy = (activities::lat.assume_not_null() - n.lat) * n.metres_per_degree_lat();
    let dx = (activities::lon.assume_not_null() - n.lon) * n.metres_per_degree_lon();
    dy * dy + dx * dx
}

/// Published activities matching `search` in `order`, after `after`.
pub fn search_activities(
    conn: &mut DbConn,
    search: &ActivitySearch,
    order: SearchOrder,
    after: Option<&SearchAfter>,
    limit: i64,
) -> StoreResult<Vec<SearchHit>> {
    let backend = conn.backend();
    let query: Boxed<'_> = apply_filters!(activities::table.into_boxed(), search, backend);
    let keyed: Vec<(ActivityRow, Option<f64>, Option<NaiveDateTime>)> = match (order, search.near) {
        (SearchOrder::Distance, Some(n)) => {
            let key = distance_sq_sql(n);
            let mut query = query.select((ActivityRow::as_select(), key)).order((key.asc(), activities::id.asc()));
            if let Some(SearchAfter::Key { key: k, id }) = after {
                query = query.filter(key.gt(*k).or(key.eq(*k).and(activities::id.gt(id.clone()))));
            }
            query.limit(limit).load::<(ActivityRow, f64)>(conn)?.into_iter().map(|(r, k)| (r, Some(k), None)).collect()
        }
        (SearchOrder::Relevance, _) if !search.words.is_empty() => {
            let rank = || crate::dialect::sql::text_rank(backend, &search.words);
            let mut query =
                query.select((ActivityRow::as_select(), rank())).order((rank().desc(), activities::id.asc()));
            if let Some(SearchAfter::Key { key: k, id }) = after {
                query = query.filter(rank().lt(*k).or(rank().eq(*k).and(activities::id.gt(id.clone()))));
            }
            query.limit(limit).load::<(ActivityRow, f64)>(conn)?.into_iter().map(|(r, k)| (r, Some(k), None)).collect()
        }
        (SearchOrder::NextOccurrence, _) => {
            let next = activities::next_occurrence_at;
            // Activities without a coming occurrence last; on PostgreSQL this walks the
            // (status, next_occurrence_at, id) index (a sort of every match took 200 ms at 100,000).
            let mut query = query.order((crate::dialect::sql::next_occurrence_ascending(), activities::id.asc()));
            query = match after {
                Some(SearchAfter::Next { at: Some(at), id }) => {
                    query.filter(next.is_null().or(next.gt(*at)).or(next.eq(*at).and(activities::id.gt(id.clone()))))
                }
                Some(SearchAfter::Next { at: None, id }) => {
                    query.filter(next.is_null().and(activities::id.gt(id.clone())))
                }
                _ => query,
            };
            query
                .select((ActivityRow::as_select(), next))
                .limit(limit)
                .load::<(ActivityRow, Option<NaiveDateTime>)>(conn)?
                .into_iter()
                .map(|(r, at)| (r, None, at))
                .collect()
        }
        _ => {
            let mut query = query.order((activities::name.asc(), activities::id.asc()));
            if let Some(SearchAfter::Name { name, id }) = after {
                query = query.filter(
                    activities::name
                        .gt(name.clone())
                        .or(activities::name.eq(name.clone()).and(activities::id.gt(id.clone()))),
                );
            }
            query
                .select(ActivityRow::as_select())
                .limit(limit)
                .load::<ActivityRow>(conn)?
                .into_iter()
                .map(|r| (r, None, None))
                .collect()
        }
    };
    let keys: Vec<(Option<f64>, Option<NaiveDateTime>)> = keyed.iter().map(|(_, k, at)| (*k, *at)).collect();
    let activities = load(conn, keyed.into_iter().map(|(r, _, _)| r).collect())?;
    Ok(activities
        .into_iter()
        .zip(keys)
        .map(|(activity, (key, next_start))| {
            let distance_sq =
                search.near.zip(activity.content.location.as_ref()).map(|(n, l)| n.distance_sq(l.lat, l.lon));
            SearchHit { activity, key, distance_sq, next_start }
        })
        .collect())
}

/// Counts per code of a vocabulary (or `district`, `language`, `mode`) among the published
/// activities matching `search`. The caller leaves the facet's own filter out of `search`, so
/// choosing one target group still shows how many the others would give. Codes with no activity
/// are left out; the most frequent come first.
pub fn facet_counts(conn: &mut DbConn, search: &ActivitySearch, facet: &str) -> StoreResult<Vec<(String, i64)>> {
    use diesel::dsl::count_star;
    let backend = conn.backend();
    let mut counts: Vec<(String, i64)> = match facet {
        "district" => apply_filters!(
            activities::table
                .filter(activities::district_code.is_not_null())
                .group_by(activities::district_code)
                .select((activities::district_code.assume_not_null(), count_star()))
                .into_boxed(),
            search,
            backend
        )
        .load(conn)?,
        "mode" => apply_filters!(
            activities::table.group_by(activities::mode).select((activities::mode, count_star())).into_boxed(),
            search,
            backend
        )
        .load(conn)?,
        "language" => apply_filters!(
            activity_languages::table
                .inner_join(activities::table)
                .group_by(activity_languages::language)
                .select((activity_languages::language, count_star()))
                .into_boxed(),
            search,
            backend
        )
        .load(conn)?,
        vocabulary => apply_filters!(
            activity_terms::table
                .inner_join(activities::table)
                .filter(activity_terms::vocabulary.eq(vocabulary.to_owned()))
                .group_by(activity_terms::code)
                .select((activity_terms::code, count_star()))
                .into_boxed(),
            search,
            backend
        )
        .load(conn)?,
    };
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(counts)
}

/// Where a page of the change feed ended: the (updated_at, id) of its last row.
pub type ChangeAfter = (NaiveDateTime, String);

/// Activities changed at or after `since`, oldest change first, that the public has seen or
/// sees: published ones, and ones that were published once and are not any more (tombstones for
/// frontends to remove). Drafts that were never published are not in the feed.
pub fn changes_since(
    conn: &mut DbConn,
    since: NaiveDateTime,
    after: Option<&ChangeAfter>,
    limit: i64,
) -> StoreResult<Vec<Activity>> {
    let mut query = activities::table
        .filter(activities::updated_at.ge(since))
        .filter(activities::status.eq(ListingStatus::Published.as_str()).or(activities::published_at.is_not_null()))
        .select(ActivityRow::as_select())
        .order((activities::updated_at.asc(), activities::id.asc()))
        .limit(limit)
        .into_boxed();
    if let Some((at, id)) = after {
        query = query.filter(
            activities::updated_at.gt(*at).or(activities::updated_at.eq(*at).and(activities::id.gt(id.clone()))),
        );
    }
    let rows = query.load(conn)?;
    load(conn, rows)
}

/// Published activities in id order after the id `after`: the pages of the HSDS export, which
/// reads the whole public directory one page at a time.
pub fn published_after(conn: &mut DbConn, after: Option<&str>, limit: i64) -> StoreResult<Vec<Activity>> {
    let mut query = activities::table
        .filter(activities::status.eq(ListingStatus::Published.as_str()))
        .select(ActivityRow::as_select())
        .order(activities::id)
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(activities::id.gt(after.to_owned()));
    }
    let rows = query.load(conn)?;
    load(conn, rows)
}
