//! Pools and rounds: staff create and run them; the public reads published pools with their
//! rounds, criteria, deadlines and remaining budget.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, put, web};
use chrono::{DateTime, NaiveDate, Utc};
use sammen_domain::grants::criteria::{Criterion, EligibilityRule, check_criteria};
use sammen_domain::grants::money::figures;
use sammen_domain::grants::policy;
use sammen_domain::grants::pool::{PoolInput, PoolStatus, check_pool};
use sammen_domain::grants::round::{RoundKind, RoundTerms, Track, check_round};
use sammen_domain::ids::{GrantPoolId, GrantRoundId};
use sammen_domain::text::{Line, Prose};
use sammen_domain::{Actor, Entity, ValidationErrors};
use sammen_store::grants::{self as store, NewPool, NewRound, PoolChanges, RoundChanges};
use sammen_store::{DbConn, StoreError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::views::{PoolResponse, RoundResponse, pool_view, round_view, utc};
use crate::identity::{Caller, MaybeCaller};
use crate::platform::caching::{DIRECTORY_MAX_AGE, IfNoneMatch, Representation, public_get};
use crate::platform::command::{Answer, Idempotency, command};
use crate::platform::extract::{Body, Query};
use crate::platform::idempotency::IdempotencyKey;
use crate::platform::pagination::{Page, PageParams, page_representation};
use crate::platform::precondition::IfMatch;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(create_pool)
        .service(list_pools)
        .service(get_pool)
        .service(update_pool)
        .service(pool_ledger)
        .service(create_round)
        .service(get_round)
        .service(update_round)
        .service(put_criteria);
}

/// Whether the actor sees pools still in draft: staff.
fn sees_drafts(actor: Option<&Actor>) -> bool {
    actor.is_some_and(|a| policy::run_pools(a).is_ok())
}

/// The view of a pool read with its rounds and criteria (`store::pool_with_rounds`).
fn catalogue_view(entry: store::PoolWithRounds, now: chrono::NaiveDateTime) -> PoolResponse {
    let rounds = entry.rounds.into_iter().map(|(round, history)| round_view(round, now, &history)).collect();
    pool_view(entry.pool, rounds)
}

/// The view of one pool, read in one statement.
fn pool_by_id(conn: &mut DbConn, id: &GrantPoolId, now: chrono::NaiveDateTime) -> Result<PoolResponse, StoreError> {
    Ok(catalogue_view(store::pool_with_rounds(conn, id)?, now))
}

/// A new pool (a draft until published).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePoolRequest {
    #[schema(value_type = String, example = "Puljen til ældrefællesskaber", min_length = 2, max_length = 200)]
    pub title: Line,
    #[schema(value_type = String, min_length = 10, max_length = 5000)]
    pub purpose: Prose,
    #[schema(value_type = String, example = "Serviceloven § 18", max_length = 300)]
    pub legal_basis: Line,
    #[schema(value_type = String, example = "Københavns Kommune", max_length = 200)]
    pub funder_name: Line,
    /// The funder's org-id.guide identifier.
    #[schema(value_type = String, example = "DK-CVR-64942212", max_length = 100)]
    pub funder_identifier: Line,
    /// The budget in øre (integer): 2,000,000 kr is 200000000.
    #[schema(minimum = 0, example = 200000000)]
    pub budget_ore: i64,
}

/// Create a pool.
///
/// Staff. The pool starts as a `draft`, seen by staff only; `PATCH` its `status` to
/// `published` to open it to the public. Accepts `Idempotency-Key`.
#[utoipa::path(
    tag = "grants",
    params(IdempotencyKey),
    request_body = CreatePoolRequest,
    responses(
        (status = 201, description = "The pool", body = PoolResponse, headers(("Location" = String), ("ETag" = String))),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/grant-pools")]
pub async fn create_pool(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    key: IdempotencyKey,
    body: Body<CreatePoolRequest>,
) -> Result<HttpResponse, ApiError> {
    policy::run_pools(&caller.actor)?;
    let body = body.into_inner();
    let mut errors = ValidationErrors::new();
    check_pool(
        &PoolInput {
            title: Some(body.title.trim()),
            purpose: Some(body.purpose.trim()),
            legal_basis: Some(body.legal_basis.trim()),
            funder_name: Some(body.funder_name.trim()),
            funder_identifier: Some(body.funder_identifier.trim()),
            budget_ore: Some(body.budget_ore),
        },
        &mut errors,
    );
    errors.into_result()?;
    let new = NewPool {
        title: body.title.trim().to_owned(),
        purpose: body.purpose.trim().to_owned(),
        legal_basis: body.legal_basis.trim().to_owned(),
        funder_name: body.funder_name.trim().to_owned(),
        funder_identifier: body.funder_identifier.trim().to_owned(),
        budget_ore: body.budget_ore,
    };
    let idempotency = Idempotency::of(&req, caller.principal(), key, &body)?;
    let (ctx, now) = (caller.audit(), state.clock.now());
    command(&state, idempotency, move |conn| {
        let pool = store::insert_pool(conn, &new, &ctx)?;
        let (location, version) = (format!("/api/v1/grant-pools/{}", pool.id), pool.version);
        let view = pool_by_id(conn, &pool.id, now)?;
        Ok(Answer::created(location, &view)?.tagged(version))
    })
    .await
}

/// List pools.
///
/// Public: published and closed pools, with their rounds (criteria, deadlines in UTC and in
/// Copenhagen's time) and remaining budget. Staff also see drafts. Cursor pagination.
#[utoipa::path(
    tag = "grants",
    params(PageParams, IfNoneMatch),
    responses((status = 200, description = "A page of pools", body = Page<PoolResponse>,
        headers(("Link" = String, description = "`<...>; rel=\"next\"` when another page follows")))),
    security(())
)]
#[get("/grant-pools")]
pub async fn list_pools(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: MaybeCaller,
    params: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let drafts = sees_drafts(caller.0.as_ref().map(|c| &c.actor));
    public_get(&state, &req, caller.0.as_ref(), DIRECTORY_MAX_AGE, async {
        let page = params.resolve::<GrantPoolId>()?;
        let (after, fetch, now) = (page.after.clone(), page.fetch(), state.clock.now());
        let views: Vec<PoolResponse> = state
            .db(move |conn| store::pools_with_rounds(conn, !drafts, after.as_ref(), fetch))
            .await?
            .into_iter()
            .map(|entry| catalogue_view(entry, now))
            .collect();
        page_representation(&req, &page, views, |p| GrantPoolId::from_stored(p.id.clone()), |p| p)
    })
    .await
}

fn path_pool(id: uuid::Uuid) -> GrantPoolId {
    GrantPoolId::from(id)
}

/// Read a pool.
///
/// Public for published and closed pools (a draft is "no such grant pool" except for staff):
/// its rounds, criteria and remaining budget.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The pool's id"), IfNoneMatch),
    responses(
        (status = 200, description = "The pool", body = PoolResponse),
        (status = 404, description = "No such pool", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[get("/grant-pools/{id}")]
pub async fn get_pool(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: MaybeCaller,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let drafts = sees_drafts(caller.0.as_ref().map(|c| &c.actor));
    public_get(&state, &req, caller.0.as_ref(), DIRECTORY_MAX_AGE, async {
        let (id, now) = (path_pool(id.into_inner()), state.clock.now());
        let view = state
            .db(move |conn| {
                let entry = store::pool_with_rounds(conn, &id)?;
                if entry.pool.status == PoolStatus::Draft && !drafts {
                    return Err(StoreError::NotFound(Entity::GrantPool));
                }
                Ok(catalogue_view(entry, now))
            })
            .await?;
        let version = view.version;
        Ok(Representation::json(&view)?.versioned(version))
    })
    .await
}

/// Changes to a pool; absent fields stay.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePoolRequest {
    #[schema(value_type = Option<String>, max_length = 200)]
    pub title: Option<Line>,
    #[schema(value_type = Option<String>, max_length = 5000)]
    pub purpose: Option<Prose>,
    #[schema(value_type = Option<String>, max_length = 300)]
    pub legal_basis: Option<Line>,
    #[schema(value_type = Option<String>, max_length = 200)]
    pub funder_name: Option<Line>,
    #[schema(value_type = Option<String>, max_length = 100)]
    pub funder_identifier: Option<Line>,
    /// Never below what is committed (409 `budget-exceeded`).
    #[schema(minimum = 0)]
    pub budget_ore: Option<i64>,
    /// `draft`, `published` or `closed`.
    #[schema(value_type = Option<String>, example = "published")]
    pub status: Option<PoolStatus>,
}

/// Update a pool.
///
/// Staff. Requires `If-Match`. The budget cannot go below what is committed, whatever
/// decisions commit at the same moment: the database's conditional update decides.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The pool's id"), IfMatch),
    request_body = UpdatePoolRequest,
    responses(
        (status = 200, description = "The pool", body = PoolResponse, headers(("ETag" = String))),
        (status = 409, description = "The budget would be below what is committed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/grant-pools/{id}")]
pub async fn update_pool(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: Body<UpdatePoolRequest>,
) -> Result<HttpResponse, ApiError> {
    policy::run_pools(&caller.actor)?;
    let body = body.into_inner();
    let trimmed = |v: &Option<Line>| v.as_ref().map(|s| s.trim().to_owned());
    let changes = PoolChanges {
        title: trimmed(&body.title),
        purpose: body.purpose.as_ref().map(|s| s.trim().to_owned()),
        legal_basis: trimmed(&body.legal_basis),
        funder_name: trimmed(&body.funder_name),
        funder_identifier: trimmed(&body.funder_identifier),
        budget_ore: body.budget_ore,
        status: body.status,
    };
    let mut errors = ValidationErrors::new();
    check_pool(
        &PoolInput {
            title: changes.title.as_deref(),
            purpose: changes.purpose.as_deref(),
            legal_basis: changes.legal_basis.as_deref(),
            funder_name: changes.funder_name.as_deref(),
            funder_identifier: changes.funder_identifier.as_deref(),
            budget_ore: changes.budget_ore,
        },
        &mut errors,
    );
    errors.into_result()?;
    let expected = if_match.required_version()?;
    let (id, ctx, now) = (path_pool(id.into_inner()), caller.audit(), state.clock.now());
    command(&state, None, move |conn| {
        let pool = store::update_pool(conn, &id, expected, &changes, &ctx)?;
        Ok(Answer::ok(&pool_by_id(conn, &id, now)?)?.tagged(pool.version))
    })
    .await
}

/// One movement of a pool's money.
#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerEntryResponse {
    pub id: String,
    #[schema(format = Uuid)]
    pub application_id: String,
    /// `commitment`, `release`, `disbursement` or `reclaim`.
    pub kind: String,
    pub amount_ore: i64,
    pub at: DateTime<Utc>,
}

/// A pool's ledger and the figures derived from it.
#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerResponse {
    pub budget_ore: i64,
    /// Sums over the entries below (they equal the pool's figures).
    pub committed_ore: i64,
    pub disbursed_ore: i64,
    pub remaining_ore: i64,
    pub entries: Vec<LedgerEntryResponse>,
}

/// Read a pool's ledger.
///
/// Staff. Every commitment, release, disbursement and reclaim in order, and the pool's figures
/// summed from them.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The pool's id")),
    responses((status = 200, description = "The ledger", body = LedgerResponse)),
    security(("bearer_auth" = []))
)]
#[get("/grant-pools/{id}/ledger")]
pub async fn pool_ledger(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    policy::run_pools(&caller.actor)?;
    let id = path_pool(id.into_inner());
    let (pool, entries) = state
        .db(move |conn| {
            let pool = store::find_pool(conn, &id)?;
            Ok::<_, StoreError>((pool, store::ledger(conn, &id)?))
        })
        .await?;
    let f = figures(pool.budget_ore, entries.iter().map(|e| (e.kind, e.amount_ore)));
    Ok(HttpResponse::Ok().json(LedgerResponse {
        budget_ore: f.budget_ore,
        committed_ore: f.committed_ore,
        disbursed_ore: f.disbursed_ore,
        remaining_ore: f.remaining_ore,
        entries: entries
            .into_iter()
            .map(|e| LedgerEntryResponse {
                id: e.id,
                application_id: e.application_id.into_string(),
                kind: e.kind.to_string(),
                amount_ore: e.amount_ore,
                at: utc(e.at),
            })
            .collect(),
    }))
}

/// A new round of a pool, with its published criteria.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRoundRequest {
    #[schema(value_type = String, example = "Små bevillinger 2027", min_length = 2, max_length = 200)]
    pub title: Line,
    #[serde(default)]
    #[schema(value_type = String, max_length = 5000)]
    pub description: Prose,
    /// `deadline` or `rolling`.
    #[schema(value_type = String, example = "rolling")]
    pub kind: RoundKind,
    /// `small` (at most 80,000 kr: short form, declaration on honour, one payment) or `large`.
    #[schema(value_type = String, example = "small")]
    pub track: Track,
    pub opens_at: DateTime<Utc>,
    /// Required for a deadline round: applications received by the server before this instant count.
    pub closes_at: Option<DateTime<Utc>>,
    #[schema(minimum = 1, example = 500000)]
    pub min_amount_ore: i64,
    #[schema(minimum = 1, example = 8000000)]
    pub max_amount_ore: i64,
    pub decision_expected_on: NaiveDate,
    /// Completed reviews a decision needs (0–10).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 10)]
    pub reviews_required: i32,
    #[schema(max_items = 20)]
    pub criteria: Vec<Criterion>,
    #[serde(default)]
    #[schema(max_items = 20)]
    pub eligibility: Vec<EligibilityRule>,
}

/// Create a round.
///
/// Staff. The criteria and eligibility rules become version 1; they can change freely until the
/// round opens. Accepts `Idempotency-Key`.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The pool's id"), IdempotencyKey),
    request_body = CreateRoundRequest,
    responses(
        (status = 201, description = "The round", body = RoundResponse, headers(("Location" = String), ("ETag" = String))),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/grant-pools/{id}/rounds")]
pub async fn create_round(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    key: IdempotencyKey,
    body: Body<CreateRoundRequest>,
) -> Result<HttpResponse, ApiError> {
    policy::run_pools(&caller.actor)?;
    let body = body.into_inner();
    let terms = RoundTerms {
        kind: body.kind,
        track: body.track,
        opens_at: body.opens_at.naive_utc(),
        closes_at: body.closes_at.map(|c| c.naive_utc()),
        min_amount_ore: body.min_amount_ore,
        max_amount_ore: body.max_amount_ore,
        decision_expected_on: body.decision_expected_on,
        reviews_required: body.reviews_required,
    };
    let mut errors = ValidationErrors::new();
    errors.check(sammen_domain::validation::text_length("title", body.title.trim(), 2, 200));
    check_round(&terms, &mut errors);
    check_criteria(&body.criteria, &body.eligibility, &mut errors);
    errors.into_result()?;
    let new = NewRound {
        pool_id: path_pool(id.into_inner()),
        title: body.title.trim().to_owned(),
        description: body.description.trim().to_owned(),
        terms,
        criteria: body.criteria.clone(),
        eligibility: body.eligibility.clone(),
    };
    let idempotency = Idempotency::of(&req, caller.principal(), key, &body)?;
    let (ctx, now) = (caller.audit(), state.clock.now());
    command(&state, idempotency, move |conn| {
        let round = store::insert_round(conn, &new, &ctx)?;
        let history = store::criteria_history(conn, &round.id)?;
        let (location, version) = (format!("/api/v1/grant-rounds/{}", round.id), round.version);
        Ok(Answer::created(location, &round_view(round, now, &history))?.tagged(version))
    })
    .await
}

/// Read a round.
///
/// Public when its pool is: terms, track, phase by the server's clock, current criteria and the
/// notices of changes made after it opened.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The round's id"), IfNoneMatch),
    responses(
        (status = 200, description = "The round", body = RoundResponse),
        (status = 404, description = "No such round", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[get("/grant-rounds/{id}")]
pub async fn get_round(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: MaybeCaller,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let drafts = sees_drafts(caller.0.as_ref().map(|c| &c.actor));
    public_get(&state, &req, caller.0.as_ref(), DIRECTORY_MAX_AGE, async {
        let (id, now) = (GrantRoundId::from(id.into_inner()), state.clock.now());
        let view = state
            .db(move |conn| {
                let round = store::find_round(conn, &id)?;
                let pool = store::find_pool(conn, &round.pool_id)?;
                if pool.status == PoolStatus::Draft && !drafts {
                    return Err(StoreError::NotFound(Entity::GrantRound));
                }
                let history = store::criteria_history(conn, &id)?;
                Ok(round_view(round, now, &history))
            })
            .await?;
        let version = view.version;
        Ok(Representation::json(&view)?.versioned(version))
    })
    .await
}

/// Changes to a round's dates and texts. Once it opened, the deadline only moves later.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateRoundRequest {
    #[schema(value_type = Option<String>, max_length = 200)]
    pub title: Option<Line>,
    #[schema(value_type = Option<String>, max_length = 5000)]
    pub description: Option<Prose>,
    pub closes_at: Option<DateTime<Utc>>,
    pub decision_expected_on: Option<NaiveDate>,
}

/// Update a round.
///
/// Staff. Requires `If-Match`. After the round opened its deadline can only be extended (e.g.
/// after an outage), never brought forward (409 `criteria-frozen`).
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The round's id"), IfMatch),
    request_body = UpdateRoundRequest,
    responses(
        (status = 200, description = "The round", body = RoundResponse, headers(("ETag" = String))),
        (status = 409, description = "The round has opened", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/grant-rounds/{id}")]
pub async fn update_round(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: Body<UpdateRoundRequest>,
) -> Result<HttpResponse, ApiError> {
    policy::run_pools(&caller.actor)?;
    let body = body.into_inner();
    let mut errors = ValidationErrors::new();
    if let Some(title) = &body.title {
        errors.check(sammen_domain::validation::text_length("title", title.trim(), 2, 200));
    }
    errors.into_result()?;
    let expected = if_match.required_version()?;
    let changes = RoundChanges {
        title: body.title.map(|t| t.trim().to_owned()),
        description: body.description.map(|d| d.trim().to_owned()),
        closes_at: body.closes_at.map(|c| c.naive_utc()),
        decision_expected_on: body.decision_expected_on,
    };
    let (id, ctx, now) = (GrantRoundId::from(id.into_inner()), caller.audit(), state.clock.now());
    command(&state, None, move |conn| {
        let round = store::update_round(conn, &id, expected, now, &changes, &ctx)?;
        let history = store::criteria_history(conn, &id)?;
        let version = round.version;
        Ok(Answer::ok(&round_view(round, now, &history))?.tagged(version))
    })
    .await
}

/// New criteria and eligibility rules for a round.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CriteriaRequest {
    #[schema(max_items = 20)]
    pub criteria: Vec<Criterion>,
    #[serde(default)]
    #[schema(max_items = 20)]
    pub eligibility: Vec<EligibilityRule>,
    /// Required once the round is open: what changed and why, published on the round.
    #[schema(value_type = Option<String>, max_length = 2000)]
    pub notice: Option<Prose>,
}

/// Replace a round's criteria.
///
/// Staff. Before the round opens, the criteria simply become a new version. Once it is open they
/// are fixed: a change needs a `notice`, becomes a new version and is listed in the round's
/// `notices` (409 `criteria-frozen` without one). After the round closed they cannot change.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The round's id")),
    request_body = CriteriaRequest,
    responses(
        (status = 200, description = "The round with its new criteria version", body = RoundResponse, headers(("ETag" = String))),
        (status = 409, description = "The criteria are fixed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid criteria", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[put("/grant-rounds/{id}/criteria")]
pub async fn put_criteria(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    body: Body<CriteriaRequest>,
) -> Result<HttpResponse, ApiError> {
    policy::run_pools(&caller.actor)?;
    let body = body.into_inner();
    let mut errors = ValidationErrors::new();
    check_criteria(&body.criteria, &body.eligibility, &mut errors);
    if let Some(notice) = &body.notice {
        errors.check(sammen_domain::validation::text_length("notice", notice.trim(), 0, 2000));
    }
    errors.into_result()?;
    let (id, ctx, now) = (GrantRoundId::from(id.into_inner()), caller.audit(), state.clock.now());
    command(&state, None, move |conn| {
        let notice = body.notice.as_ref().map(|n| n.trim().to_owned());
        let round = store::change_criteria(conn, &id, now, &body.criteria, &body.eligibility, notice.as_deref(), &ctx)?;
        let history = store::criteria_history(conn, &id)?;
        let version = round.version;
        Ok(Answer::ok(&round_view(round, now, &history))?.tagged(version))
    })
    .await
}
