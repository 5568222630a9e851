//! The grant pool's public outputs, for anyone: the awards (accepted and closed grants), a round's
//! equal-access statistics, the calendar of rounds, the change feed for programs that keep a
//! copy, and the 360Giving export.
//!
//! What is public: the award's project (title, summary, planned dates), its amounts, the
//! recipient organisation (name, kind and CVR number: organisations are public in the
//! directory), the pool and the round. Never a person: no e-mail, phone, user id or name, no
//! reviewer, score or decision internals, and not the application's full description (the part
//! written for the assessment, which may name people): the summary is the public text.
//!
//! Two settings (`HttpConfig`): `SAMMEN_360G_PREFIX` (default `360G-sammen`), the registered
//! 360Giving prefix that grant ids (`<prefix>-<application id>`) and informal groups'
//! organisation ids (`<prefix>-org-<organisation id>`) start with; and `SAMMEN_API_URL` (default
//! `http://localhost:8080`), the public address the export's and the calendar's links start with
//! (`<url>/api/v1/grants/<id>`).

use std::sync::Arc;
use std::time::Duration;

use actix_web::http::header::HeaderValue;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use sammen_domain::directory::ical;
use sammen_domain::grants::giving360;
use sammen_domain::grants::statistics::{self, Group};
use sammen_domain::ids::{GrantApplicationId, GrantRoundId};
use sammen_store::grants::{self as store, Award, AwardFilter, FeedEntry, FeedItem, FeedKey, Pool, Round};
use sammen_store::{DbConn, StoreError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::identity::MaybeCaller;
use crate::platform::caching::{IfNoneMatch, Representation, public_get};
use crate::platform::extract::Query;
use crate::platform::pagination::{Page, PageParams, page_representation};
use crate::problem::{ApiError, Problem};
use crate::state::AppState;

/// How long anonymous answers may be held (by a proxy and by this instance's cache, which a
/// change through the API clears at once, as the directory's).
pub const GRANTS_MAX_AGE: Duration = Duration::from_secs(30);

/// Awards read per query by the 360Giving export (two statements a page: the rows, their payments).
pub const EXPORT_PAGE_SIZE: i64 = 500;

pub fn routes(cfg: &mut ServiceConfig) {
    // Fixed paths before `{id}` ones.
    cfg.service(grant_changes)
        .service(grant_calendar)
        .service(giving360_export)
        .service(list_grants)
        .service(get_grant)
        .service(round_statistics);
}

/// The settings the public outputs' identifiers and links come from.
#[derive(Clone)]
struct PublicSettings {
    prefix: String,
    base: String,
}

fn settings(state: &AppState) -> PublicSettings {
    PublicSettings { prefix: state.config.giving360_prefix().to_owned(), base: state.config.api_url().to_owned() }
}

// ---- Views -------------------------------------------------------------------------------

/// A pool or a round as an award names it.
#[derive(Debug, Serialize, ToSchema)]
pub struct GrantRef {
    #[schema(format = Uuid)]
    pub id: String,
    pub title: String,
}

/// The organisation that received a grant: what the directory shows of any organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct GrantRecipient {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
    /// The kind of organisation (`association`, `informal_group`, …).
    #[schema(example = "association")]
    pub kind: String,
    /// The CVR number; `null` for informal groups and others without one.
    #[schema(example = "64942212")]
    pub cvr: Option<String>,
}

/// A public award: an accepted or closed grant.
#[derive(Debug, Serialize, ToSchema)]
pub struct AwardResponse {
    /// The application's id.
    #[schema(format = Uuid)]
    pub id: String,
    pub title: String,
    pub summary: String,
    /// `accepted` (the project is running) or `closed` (reported on and closed).
    #[schema(example = "accepted")]
    pub status: String,
    pub amount_requested_ore: i64,
    pub amount_awarded_ore: i64,
    /// Paid so far, less unspent money paid back (as the ledger counts it).
    pub amount_disbursed_ore: i64,
    #[schema(example = "DKK")]
    pub currency: &'static str,
    /// The day of the decision.
    pub award_date: Option<NaiveDate>,
    pub planned_start: Option<NaiveDate>,
    pub planned_end: Option<NaiveDate>,
    pub recipient: GrantRecipient,
    pub pool: GrantRef,
    pub round: GrantRef,
    /// The last change of the award: its status, or a payment.
    pub updated_at: DateTime<Utc>,
}

/// When the award last changed: its row, or its latest payment.
fn award_modified(award: &Award) -> NaiveDateTime {
    award.payments.iter().map(|p| p.0).fold(award.application.updated_at, NaiveDateTime::max)
}

fn award_view(award: &Award) -> AwardResponse {
    let a = &award.application;
    AwardResponse {
        id: a.id.as_str().to_owned(),
        title: a.title.clone(),
        summary: a.summary.clone(),
        status: a.status.to_string(),
        amount_requested_ore: a.amount_requested_ore,
        amount_awarded_ore: a.awarded_ore.unwrap_or_default(),
        amount_disbursed_ore: award.disbursed_ore(),
        currency: "DKK",
        award_date: a.decided_at.map(|d| d.date()),
        planned_start: a.planned_start,
        planned_end: a.planned_end,
        recipient: GrantRecipient {
            id: award.recipient.id.as_str().to_owned(),
            name: award.recipient.name.clone(),
            kind: award.recipient.kind.to_string(),
            cvr: award.recipient.cvr.clone(),
        },
        pool: GrantRef { id: award.pool.id.as_str().to_owned(), title: award.pool.title.clone() },
        round: GrantRef { id: award.round.id.as_str().to_owned(), title: award.round.title.clone() },
        updated_at: award_modified(award).and_utc(),
    }
}

// ---- Awards ------------------------------------------------------------------------------

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AwardsQuery {
    /// Only the awards of this pool.
    pub pool_id: Option<uuid::Uuid>,
    /// Only the awards of this round.
    pub round_id: Option<uuid::Uuid>,
    /// Only the awards to this organisation.
    pub organisation_id: Option<uuid::Uuid>,
}

/// The public awards.
///
/// Every accepted and closed grant of a published or closed pool, in id order (the order they
/// were applied for), with the recipient organisation, the pool, the round and the amounts
/// (requested, awarded, paid so far). Drafts, applications under assessment, rejected,
/// declined and withdrawn applications are never listed. Public.
#[utoipa::path(
    tag = "grants",
    params(AwardsQuery, PageParams, IfNoneMatch),
    responses((status = 200, description = "A page of awards", body = Page<AwardResponse>,
        headers(("Link" = String, description = "`<...>; rel=\"next\"` when another page follows")))),
    security(())
)]
#[get("/grants")]
pub async fn list_grants(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: MaybeCaller,
    query: Query<AwardsQuery>,
    params: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    public_get(&state, &req, caller.0.as_ref(), GRANTS_MAX_AGE, async {
        let page = params.resolve::<GrantApplicationId>()?;
        let filter = AwardFilter {
            pool_id: query.pool_id.map(Into::into),
            round_id: query.round_id.map(Into::into),
            organisation_id: query.organisation_id.map(Into::into),
            id: None,
        };
        let (after, fetch) = (page.after.clone(), page.fetch());
        let awards = state.db(move |conn| store::list_awards(conn, &filter, after.as_ref(), fetch)).await?;
        page_representation(&req, &page, awards, |a| a.application.id.clone(), |a| award_view(&a))
    })
    .await
}

/// One public award.
///
/// An accepted or closed grant; any other application is not found. Public.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The award's (application's) id"), IfNoneMatch),
    responses((status = 200, description = "The award", body = AwardResponse)),
    security(())
)]
#[get("/grants/{id}")]
pub async fn get_grant(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: MaybeCaller,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id: GrantApplicationId = id.into_inner().into();
    public_get(&state, &req, caller.0.as_ref(), GRANTS_MAX_AGE, async {
        let award = state.db(move |conn| store::find_award(conn, &id)).await?;
        Representation::json(&award_view(&award))
    })
    .await
}

// ---- Statistics --------------------------------------------------------------------------

/// A round's equal-access statistics: counts and sums only.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundStatistics {
    pub round: GrantRef,
    pub pool: GrantRef,
    #[schema(example = "DKK")]
    pub currency: &'static str,
    /// Every submitted application of the round (drafts are not counted).
    pub total: Group,
    /// By the applicant's size band (`micro`, `small`, `medium`, `large`, or `unknown`).
    pub by_size_band: std::collections::BTreeMap<String, Group>,
    /// By kind of organisation.
    pub by_kind: std::collections::BTreeMap<String, Group>,
    /// `informal` (informal groups) and `registered` (the rest).
    pub by_registration: std::collections::BTreeMap<String, Group>,
    /// `first_time` (the organisation's first submitted application anywhere) and `repeat`.
    pub by_experience: std::collections::BTreeMap<String, Group>,
}

/// A round's equal-access statistics.
///
/// How the round's submitted applications and money went by the applicant's size, kind,
/// registered or informal, and first-time or repeat: applications, decided, awarded, the sums
/// requested and awarded, and the success rate (awarded of decided). Counts and sums only,
/// never names. Public for the rounds of published and closed pools.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The round's id"), IfNoneMatch),
    responses((status = 200, description = "The round's statistics", body = RoundStatistics)),
    security(())
)]
#[get("/grant-rounds/{id}/statistics")]
pub async fn round_statistics(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: MaybeCaller,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id: GrantRoundId = id.into_inner().into();
    public_get(&state, &req, caller.0.as_ref(), GRANTS_MAX_AGE, async {
        let (round, pool, applied) = state
            .db(move |conn| {
                let round = store::find_round(conn, &id)?;
                let pool = store::find_pool(conn, &round.pool_id)?;
                if pool.status == sammen_domain::grants::pool::PoolStatus::Draft {
                    return Err(StoreError::NotFound(sammen_domain::Entity::GrantRound));
                }
                let applied = store::statistics_input(conn, &id)?;
                Ok((round, pool, applied))
            })
            .await?;
        let s = statistics::statistics(&applied);
        Representation::json(&RoundStatistics {
            round: GrantRef { id: round.id.into_string(), title: round.title },
            pool: GrantRef { id: pool.id.into_string(), title: pool.title },
            currency: "DKK",
            total: s.total,
            by_size_band: s.by_size_band,
            by_kind: s.by_kind,
            by_registration: s.by_registration,
            by_experience: s.by_experience,
        })
    })
    .await
}

// ---- Calendar ----------------------------------------------------------------------------

/// One event of a round: its opening (`opens`) or its deadline (`deadline`).
fn round_event(round: &Round, pool: &Pool, what: &str, at: NaiveDateTime, base: &str) -> String {
    let (label, description) = match what {
        "opens" => ("Åbner", "Puljen åbner for ansøgninger i denne runde."),
        _ => ("Ansøgningsfrist", "Ansøgninger skal være modtaget før fristen."),
    };
    let uid = format!("grant-round-{}-{what}@sammen", round.id);
    let summary = format!("{label}: {} – {}", pool.title, round.title);
    let url = format!("{base}/api/v1/grant-pools/{}", pool.id);
    ical::instant_event(&ical::Instant {
        uid: &uid,
        stamp: round.updated_at.max(pool.updated_at),
        at,
        summary: &summary,
        description,
        url: &url,
    })
}

/// The calendar of the grant rounds (iCalendar, RFC 5545).
///
/// Each round of a published or closed pool gives an event when it opens and, when it has one,
/// an event at its deadline (UTC instants; applications must arrive before the deadline's
/// instant). Every event has a stable UID (per round and kind of event), so a subscribed
/// calendar updates it when a date moves. Public.
#[utoipa::path(
    tag = "grants",
    params(IfNoneMatch),
    responses((status = 200, description = "An iCalendar file", content_type = "text/calendar", body = String)),
    security(())
)]
#[get("/grant-pools/calendar")]
pub async fn grant_calendar(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: MaybeCaller,
) -> Result<HttpResponse, ApiError> {
    public_get(&state, &req, caller.0.as_ref(), GRANTS_MAX_AGE, async {
        let rounds = state.db(store::public_rounds).await?;
        let base = &settings(&state).base;
        let events = rounds.iter().flat_map(|(round, pool)| {
            let opens = round_event(round, pool, "opens", round.opens_at, base);
            let deadline = round.closes_at.map(|at| round_event(round, pool, "deadline", at, base));
            std::iter::once(opens).chain(deadline)
        });
        let ics = ical::calendar("Sammen: puljer og ansøgningsfrister", events);
        Ok(Representation::bytes(ics, HeaderValue::from_static("text/calendar; charset=utf-8")))
    })
    .await
}

// ---- Change feed -------------------------------------------------------------------------

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GrantChangesQuery {
    /// Changes at or after this instant (RFC 3339); pass the `updated_at` of the last change you
    /// processed. Required.
    pub modified_since: DateTime<Utc>,
}

/// A pool as the change feed carries it: what moves its `updated_at`. Its running figures
/// (committed, disbursed) move with every decision and payment and are read from the pool itself.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangedPool {
    #[schema(format = Uuid)]
    pub id: String,
    pub title: String,
    pub purpose: String,
    pub legal_basis: String,
    pub funder_name: String,
    #[schema(example = "DK-CVR-64942212")]
    pub funder_identifier: String,
    pub budget_ore: i64,
    #[schema(example = "DKK")]
    pub currency: &'static str,
    /// `published` or `closed`.
    #[schema(example = "published")]
    pub status: String,
    pub updated_at: DateTime<Utc>,
}

fn changed_pool(pool: Pool) -> ChangedPool {
    ChangedPool {
        id: pool.id.into_string(),
        title: pool.title,
        purpose: pool.purpose,
        legal_basis: pool.legal_basis,
        funder_name: pool.funder_name,
        funder_identifier: pool.funder_identifier,
        budget_ore: pool.budget_ore,
        currency: "DKK",
        status: pool.status.to_string(),
        updated_at: pool.updated_at.and_utc(),
    }
}

/// One change in the grant feed.
#[derive(Debug, Serialize, ToSchema)]
pub struct GrantChange {
    /// `pool` or `grant`.
    #[serde(rename = "type")]
    #[schema(example = "grant")]
    pub kind: &'static str,
    #[schema(format = Uuid)]
    pub id: String,
    /// When it changed: pass it as `modified_since` to continue from here.
    pub updated_at: DateTime<Utc>,
    /// Always `upserted`: show this version (public pools and awards stay public).
    #[schema(example = "upserted")]
    pub change: &'static str,
    /// The pool, for `type: pool`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pool: Option<ChangedPool>,
    /// The award as `GET /grants/{id}` shows it now, for `type: grant`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant: Option<AwardResponse>,
}

fn change_view(entry: FeedEntry) -> GrantChange {
    let updated_at = entry.at.and_utc();
    match entry.item {
        FeedItem::Pool(pool) => GrantChange {
            kind: "pool",
            id: pool.id.as_str().to_owned(),
            updated_at,
            change: "upserted",
            pool: Some(changed_pool(pool)),
            grant: None,
        },
        FeedItem::Award(award) => GrantChange {
            kind: "grant",
            id: award.application.id.as_str().to_owned(),
            updated_at,
            change: "upserted",
            pool: None,
            grant: Some(award_view(&award)),
        },
    }
}

/// The change feed of the grant pool.
///
/// For programs that keep a copy: every published or closed pool changed at or after
/// `modified_since`, and every award whose status changed or that was paid a tranche since
/// then (with the award as it is now), oldest change first; cursor pagination. An award may
/// appear more than once (a change and a payment); the last entry is the current state. Sync
/// by storing the last `updated_at` and asking again from it. Public.
#[utoipa::path(
    tag = "grants",
    params(GrantChangesQuery, PageParams, IfNoneMatch),
    responses((status = 200, description = "A page of changes", body = Page<GrantChange>,
        headers(("Link" = String, description = "`<...>; rel=\"next\"` when another page follows")))),
    security(())
)]
#[get("/grants/changes")]
pub async fn grant_changes(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: MaybeCaller,
    query: Query<GrantChangesQuery>,
    params: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    public_get(&state, &req, caller.0.as_ref(), GRANTS_MAX_AGE, async {
        let page = params.resolve::<FeedKey>()?;
        let since = query.modified_since.naive_utc();
        let (after, fetch) = (page.after.clone(), page.fetch());
        let changed = state.db(move |conn| store::grant_changes(conn, since, after.as_ref(), fetch)).await?;
        page_representation(&req, &page, changed, FeedEntry::cursor, change_view)
    })
    .await
}

// ---- 360Giving ---------------------------------------------------------------------------

/// The 360Giving package (described for the contract; the body is written piece by piece).
#[derive(Debug, Serialize, ToSchema)]
pub struct Giving360Package {
    #[schema(example = "1.4")]
    pub version: &'static str,
    /// Every public award as a 360Giving 1.4 grant record, in id order.
    #[schema(value_type = Vec<Object>)]
    pub grants: Vec<serde_json::Value>,
}

/// One award as a 360Giving grant record.
fn giving360_grant(award: &Award, settings: &PublicSettings) -> serde_json::Value {
    let a = &award.application;
    let record = giving360::Award {
        application_id: a.id.as_str(),
        title: &a.title,
        summary: &a.summary,
        // The summary is the public text (see the module's documentation).
        description: "",
        requested_ore: a.amount_requested_ore,
        awarded_ore: a.awarded_ore.unwrap_or_default(),
        disbursed: &award.payments,
        reclaimed_ore: award.reclaimed_ore,
        decided_at: a.decided_at.unwrap_or(a.updated_at),
        modified_at: award_modified(award),
        planned: a.planned_start.zip(a.planned_end),
        organisation_id: award.recipient.id.as_str(),
        organisation_name: &award.recipient.name,
        organisation_cvr: award.recipient.cvr.as_deref(),
        organisation_kind: award.recipient.kind.as_str(),
        funder_identifier: &award.pool.funder_identifier,
        funder_name: &award.pool.funder_name,
        pool_id: award.pool.id.as_str(),
        pool_title: &award.pool.title,
        round_id: award.round.id.as_str(),
        round_title: &award.round.title,
        target_groups: &a.target_groups,
    };
    giving360::grant(&record, &settings.prefix, &settings.base)
}

/// A page of awards as JSON array items (each after a comma unless it is the very first), and
/// the id to continue after when the page was full.
fn export_page(
    conn: &mut DbConn,
    settings: &PublicSettings,
    after: Option<&GrantApplicationId>,
    first: bool,
) -> Result<(Vec<u8>, Option<GrantApplicationId>, usize), StoreError> {
    let page = store::list_awards(conn, &AwardFilter::default(), after, EXPORT_PAGE_SIZE)?;
    let mut out = Vec::new();
    for (i, award) in page.iter().enumerate() {
        if !(first && i == 0) {
            out.push(b',');
        }
        out.push(b'\n');
        serde_json::to_writer(&mut out, &giving360_grant(award, settings))?;
    }
    let more = page.len() as i64 == EXPORT_PAGE_SIZE;
    Ok((out, page.last().filter(|_| more).map(|a| a.application.id.clone()), page.len()))
}

/// Where the export has got to.
enum Part {
    Grants { after: GrantApplicationId },
    Tail,
    Done,
}

async fn next_part(state: &AppState, part: Part) -> Result<Option<(Bytes, Part)>, ApiError> {
    Ok(Some(match part {
        Part::Grants { after } => {
            let settings = settings(state);
            let (json, last, _) = state.db(move |conn| export_page(conn, &settings, Some(&after), false)).await?;
            match last {
                Some(after) => (Bytes::from(json), Part::Grants { after }),
                None => (Bytes::from(json), Part::Tail),
            }
        }
        Part::Tail => (Bytes::from_static(b"\n]}\n"), Part::Done),
        Part::Done => return Ok(None),
    }))
}

/// The public awards as a 360Giving 1.4 data package.
///
/// Open data, for anyone: `{"version": "1.4", "grants": [...]}`, every accepted and closed grant
/// as a 360Giving grant record valid against the standard's package schema. Grant ids are
/// `<prefix>-<application id>` under the deployment's registered 360Giving prefix
/// (`SAMMEN_360G_PREFIX`, default `360G-sammen`; links under `SAMMEN_API_URL`); recipients are `DK-CVR-<number>`, or
/// `<prefix>-org-<organisation id>` for informal groups without a CVR number; amounts are
/// kroner (numbers, as the standard asks), the description is the project's public summary, and
/// nothing about persons is written.
///
/// The package schema requires at least one grant, so while no grant has been awarded there is
/// no valid package to give: the answer is then 404 (a problem saying so), never an empty list
/// that would fail validation.
///
/// The body is streamed page by page (500 awards at a time) in constant memory and is not one
/// snapshot: an award made during the download may or may not be in it. Should the database fail
/// part-way, the connection is closed before the end of the body, so a client sees an incomplete
/// transfer, never a shorter package that looks whole.
#[utoipa::path(
    tag = "grants",
    responses(
        (status = 200, description = "The awards as a 360Giving package (streamed)", content_type = "application/json", body = Giving360Package),
        (status = 404, description = "No grant has been awarded yet (a package needs at least one)", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[get("/exports/360giving")]
pub async fn giving360_export(state: web::Data<AppState>, _caller: MaybeCaller) -> Result<HttpResponse, ApiError> {
    // `MaybeCaller`: public, but a bad, expired or forged token is a 401 here as on every other read.
    // The first page is read before answering: an unavailable database is still a 503, and an
    // empty export a 404, rather than a cut-off or invalid 200.
    let public = settings(&state);
    let (first, last, count) = state.db(move |conn| export_page(conn, &public, None, true)).await?;
    if count == 0 {
        return Err(ApiError::NotFound(
            "no grant has been awarded yet: a 360Giving package needs at least one grant".into(),
        ));
    }
    let mut head = serde_json::json!({ "version": giving360::SCHEMA_VERSION }).to_string();
    head.pop();
    head.push_str(",\"grants\":[");
    let mut opening = head.into_bytes();
    opening.extend_from_slice(&first);
    let next = match last {
        Some(after) => Part::Grants { after },
        None => Part::Tail,
    };
    let state: Arc<AppState> = state.into_inner();
    let rest = futures_util::stream::unfold(next, move |part| {
        let state = state.clone();
        async move {
            match next_part(&state, part).await {
                Ok(Some((bytes, next))) => Some((Ok(bytes), next)),
                Ok(None) => None,
                Err(e) => {
                    // Too late for a problem response: end the body early instead.
                    log::error!("the 360Giving export was cut off: {e:?}");
                    Some((Err(e), Part::Done))
                }
            }
        }
    });
    let body = futures_util::StreamExt::chain(
        futures_util::stream::once(async move { Ok::<_, ApiError>(Bytes::from(opening)) }),
        rest,
    );
    Ok(HttpResponse::Ok().content_type("application/json").streaming(body))
}
