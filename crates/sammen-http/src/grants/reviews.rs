//! Reviews: staff assign reviewers to an application (never one who represents the applicant,
//! forvaltningsloven § 3); a reviewer declares on conflicts of interest before they see anything
//! of the application, then scores each criterion and submits, which locks the scores; staff
//! read the round's ranking against the pool's remaining budget.

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::{DateTime, NaiveDate, Utc};
use sammen_domain::grants::application::ApplicationStatus;
use sammen_domain::grants::criteria::Criterion;
use sammen_domain::grants::policy::{self, ApplicationView};
use sammen_domain::grants::review::{CoiStatus, Score, check_scores};
use sammen_domain::ids::{GrantApplicationId, GrantReviewId, UserId};
use sammen_domain::text::Prose;
use sammen_domain::validation::text_length;
use sammen_domain::{Actor, Denied, Entity, ValidationErrors};
use sammen_store::DbConn;
use sammen_store::grants::{self as store, Application, CriteriaVersion, Review};
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::identity::Caller;
use crate::platform::command::{Answer, Idempotency, command};
use crate::platform::extract::{Body, Query};
use crate::platform::idempotency::IdempotencyKey;
use crate::platform::pagination::{Page, PageParams, page_response};
use crate::platform::precondition::{IfMatch, etag};
use crate::problem::{ApiError, Problem};
use crate::state::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(assign_reviewer)
        .service(list_reviews)
        .service(get_review)
        .service(review_application)
        .service(declare_interest)
        .service(save_scores)
        .service(submit_review);
}

fn coi_schema() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(CoiStatus::ALL.iter().map(|s| s.as_str())))
        .description(Some(
            "`pending`: not declared yet (nothing of the application is shown); `none`: declared free of \
             conflicts (may read and score); `declared`: a conflict declared (excluded for good)",
        ))
}

fn status_schema() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(ApplicationStatus::ALL.iter().map(|s| s.as_str())))
        .description(Some("The application's status"))
}

/// Whose reviews a list shows (a small policy of this module, over the grant pool's own).
enum Listed {
    Own(UserId),
    OfApplication(GrantApplicationId),
}

/// `GET /grant-reviews`: staff name an application and see all its reviews; anyone else (a user)
/// sees their own assignments; an API client has none.
fn list_reviews_of(actor: &Actor, application: Option<GrantApplicationId>) -> Result<Listed, Denied> {
    match application {
        Some(app) => policy::run_pools(actor).map(|()| Listed::OfApplication(app)),
        None => actor.user_id().cloned().map(Listed::Own).ok_or(Denied::UsersOnly),
    }
}

/// Read review `review`: staff, or the reviewer themselves (anyone else learns nothing, 404).
fn read_review(actor: &Actor, review: &Review) -> Result<(), Denied> {
    policy::run_pools(actor).or_else(|_| policy::own_review(actor, review.reviewer_id.as_str()))
}

/// A reviewer's assignment to an application, with their declaration and scores.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewResponse {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub application_id: String,
    /// The reviewing user.
    #[schema(format = Uuid)]
    pub reviewer_id: String,
    #[schema(schema_with = coi_schema)]
    pub coi_status: String,
    /// What the reviewer wrote with their declaration.
    pub coi_note: Option<String>,
    pub coi_declared_at: Option<DateTime<Utc>>,
    /// The scores saved so far (locked once submitted).
    pub scores: Vec<Score>,
    /// Whether the scores are submitted and locked.
    pub submitted: bool,
    pub submitted_at: Option<DateTime<Utc>>,
    /// Serves `If-Match` (`"<version>"`) when saving scores.
    pub version: i64,
    pub created_at: DateTime<Utc>,
}

fn view(r: Review) -> ReviewResponse {
    ReviewResponse {
        id: r.id.into_string(),
        application_id: r.application_id.into_string(),
        reviewer_id: r.reviewer_id.into_string(),
        coi_status: r.coi_status.to_string(),
        coi_note: r.coi_note,
        coi_declared_at: r.coi_declared_at.map(|t| t.and_utc()),
        scores: r.scores,
        submitted: r.submitted_at.is_some(),
        submitted_at: r.submitted_at.map(|t| t.and_utc()),
        version: r.version,
        created_at: r.created_at.and_utc(),
    }
}

/// What a reviewer assesses: the application's content as submitted, and the criteria it is
/// assessed against.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewedApplication {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub round_id: String,
    #[schema(format = Uuid)]
    pub organisation_id: String,
    #[schema(schema_with = status_schema)]
    pub status: String,
    pub title: String,
    pub summary: String,
    pub description: String,
    #[schema(example = 15_000_000)]
    pub amount_requested_ore: i64,
    pub planned_start: Option<NaiveDate>,
    pub planned_end: Option<NaiveDate>,
    pub target_groups: Vec<String>,
    /// The answers to the round's questions, by question key.
    #[schema(value_type = Object)]
    pub answers: serde_json::Map<String, serde_json::Value>,
    /// The submitted revision this is.
    pub revision: i32,
    /// The version of the round's criteria the application was submitted under.
    pub criteria_version: i32,
    pub criteria: Vec<Criterion>,
}

fn content(app: Application, criteria: CriteriaVersion) -> ReviewedApplication {
    ReviewedApplication {
        id: app.id.into_string(),
        round_id: app.round_id.into_string(),
        organisation_id: app.organisation_id.into_string(),
        status: app.status.to_string(),
        title: app.title,
        summary: app.summary,
        description: app.description,
        amount_requested_ore: app.amount_requested_ore,
        planned_start: app.planned_start,
        planned_end: app.planned_end,
        target_groups: app.target_groups,
        answers: app.answers,
        revision: app.revision,
        criteria_version: criteria.version,
        criteria: criteria.criteria,
    }
}

/// Review `id` if the actor may read it, with the application's content if they may assess it
/// (staff, or the reviewer declared free of conflicts), or why not.
fn reading(
    conn: &mut DbConn,
    actor: &Actor,
    id: &GrantReviewId,
) -> Result<(Review, Applicant, Result<ReviewedApplication, Denied>), ApiError> {
    let review = store::find_review(conn, id)?;
    read_review(actor, &review)?;
    let app = store::find_application(conn, &review.application_id)?;
    let org = sammen_store::directory::find_organisation(conn, &app.organisation_id)?;
    let applicant = Applicant { organisation_id: org.id.into_string(), name: org.name, kind: org.kind.to_string() };
    let own = policy::own_review(actor, review.reviewer_id.as_str()).is_ok().then_some(review.coi_status);
    let content = match policy::read_application(actor, &app.organisation_id, own) {
        Ok(ApplicationView::Staff | ApplicationView::Reviewer) => {
            let criteria = store::criteria_of(conn, &app)?;
            Ok(content(app, criteria))
        }
        // The applicant's own people read it through /grant-applications, never as reviewers.
        Ok(ApplicationView::Applicant) => Err(Denied::Hidden(Entity::GrantApplication)),
        Err(denied) => Err(denied),
    };
    Ok((review, applicant, content))
}

/// Who applied: what a reviewer needs to judge a conflict of interest before declaring (the
/// organisation's public name and kind, as the directory shows them).
#[derive(Debug, Serialize, ToSchema)]
pub struct Applicant {
    #[schema(format = Uuid)]
    pub organisation_id: String,
    pub name: String,
    #[schema(example = "informal_group")]
    pub kind: String,
}

/// A review assignment as its reviewer (or staff) reads it: the application's content only once
/// the reviewer has declared free of conflicts of interest.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewDetailResponse {
    #[serde(flatten)]
    pub review: ReviewResponse,
    /// What to do next while the application's content is closed: declare first, or nothing
    /// (a conflict was declared). `null` once the content is shown.
    pub hint: Option<String>,
    /// The applicant organisation, shown before the declaration so the reviewer can judge.
    pub applicant: Applicant,
    /// The application's content; `null` until the reviewer declared free of conflicts, and
    /// for good after they declared a conflict.
    pub application: Option<ReviewedApplication>,
}

/// Assign a reviewer.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignReviewerRequest {
    /// A user with the role `reviewer` (or staff) who does not represent the applicant.
    #[schema(value_type = String, format = Uuid)]
    pub reviewer_id: uuid::Uuid,
}

/// Assign a reviewer to an application.
///
/// Staff. The application must be submitted or in review. A user who represents the applicant
/// organisation may not review it (forvaltningsloven § 3): 409 `conflict-of-interest`. The
/// reviewer then declares on conflicts of interest before seeing the application. Accepts
/// `Idempotency-Key`.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The application's id"), IdempotencyKey),
    request_body = AssignReviewerRequest,
    responses(
        (status = 201, description = "The reviewer is assigned", body = ReviewResponse,
            headers(("Location" = String), ("ETag" = String))),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`conflict-of-interest`: the reviewer represents the applicant; `invalid-transition`: \
            the application is not submitted or in review; `conflict`: the reviewer is assigned already",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`reviewer_id` is no active user, or not a reviewer", body = Problem,
            content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/grant-applications/{id}/reviews")]
pub async fn assign_reviewer(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    key: IdempotencyKey,
    body: Body<AssignReviewerRequest>,
) -> Result<HttpResponse, ApiError> {
    policy::run_pools(&caller)?;
    let body = body.into_inner();
    let (id, reviewer) = (GrantApplicationId::from(id.into_inner()), UserId::from(body.reviewer_id));
    let idempotency = Idempotency::of(&req, caller.principal(), key, &body)?;
    let ctx = caller.audit();
    command(&state, idempotency, move |conn| {
        let review = store::assign_reviewer(conn, &id, &reviewer, &ctx)?;
        let (location, version) = (format!("/api/v1/grant-reviews/{}", review.id), review.version);
        Ok(Answer::created(location, &view(review))?.tagged(version))
    })
    .await
}

/// Filters of the review list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewQuery {
    /// Staff: every review of this application, with the reviewers and their scores.
    pub application_id: Option<uuid::Uuid>,
}

/// List review assignments.
///
/// Any user: their own assignments, in assignment order. Staff may give `application_id` for
/// every review of that application. Cursor pagination.
#[utoipa::path(
    tag = "grants",
    params(ReviewQuery, PageParams),
    responses(
        (status = 200, description = "A page of review assignments", body = Page<ReviewResponse>,
            headers(("Link" = String, description = "`<...>; rel=\"next\"` when another page follows"))),
        (status = 403, description = "`application_id` given by someone not staff, or an API client (no assignments)",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[get("/grant-reviews")]
pub async fn list_reviews(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    query: Query<ReviewQuery>,
    params: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let listed = list_reviews_of(&caller, query.into_inner().application_id.map(GrantApplicationId::from))?;
    let page = params.resolve::<GrantReviewId>()?;
    let (after, fetch) = (page.after.clone(), page.fetch());
    let rows = state
        .db(move |conn| match listed {
            Listed::Own(user) => store::reviews_for(conn, &user, after.as_ref(), fetch),
            Listed::OfApplication(app) => {
                // An application has a handful of reviews: the store reads them all.
                let all = store::reviews_of(conn, &app)?;
                let after = |r: &Review| after.as_ref().is_none_or(|a| &r.id > a);
                Ok(all.into_iter().filter(after).take(usize::try_from(fetch).unwrap_or(0)).collect())
            }
        })
        .await?;
    Ok(page_response(&req, &page, rows, |r| r.id.clone(), view))
}

/// Read a review assignment.
///
/// The reviewer themselves, and staff. The application's content comes with it only once the
/// reviewer has declared free of conflicts of interest (`coi_status` `none`); before that only
/// the ids, the status and a hint to declare. Another reviewer learns nothing (404).
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The review's id")),
    responses(
        (status = 200, description = "The assignment", body = ReviewDetailResponse, headers(("ETag" = String))),
        (status = 404, description = "No such review, or not the caller's", body = Problem,
            content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[get("/grant-reviews/{id}")]
pub async fn get_review(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = GrantReviewId::from(id.into_inner());
    let actor = caller.actor.clone();
    let detail = state
        .db(move |conn| -> Result<_, ApiError> {
            let (review, applicant, application) = reading(conn, &actor, &id)?;
            let (hint, application) = match application {
                Ok(content) => (None, Some(content)),
                Err(denied) => (Some(denied.to_string()), None),
            };
            Ok(ReviewDetailResponse { review: view(review), hint, applicant, application })
        })
        .await?;
    let version = detail.review.version;
    Ok(HttpResponse::Ok().insert_header((actix_web::http::header::ETAG, etag(version))).json(detail))
}

/// Read the application a review is of.
///
/// The reviewer themselves once they have declared free of conflicts of interest (403 before
/// they have declared, and for good after declaring a conflict), and staff.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The review's id")),
    responses(
        (status = 200, description = "The application's content and its criteria", body = ReviewedApplication),
        (status = 403, description = "The reviewer has not declared on conflicts of interest yet, or declared one",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such review, or not the caller's", body = Problem,
            content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[get("/grant-reviews/{id}/application")]
pub async fn review_application(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = GrantReviewId::from(id.into_inner());
    let actor = caller.actor.clone();
    let application = state.db(move |conn| -> Result<_, ApiError> { Ok(reading(conn, &actor, &id)?.2?) }).await?;
    Ok(HttpResponse::Ok().json(application))
}

/// The reviewer's declaration on conflicts of interest.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclarationRequest {
    /// `true`: the reviewer is disqualified (inhabil) and is excluded from this application for
    /// good; `false`: free of conflicts, the application opens to them.
    pub conflict: bool,
    #[schema(value_type = Option<String>, max_length = 1000)]
    pub note: Option<Prose>,
}

/// Declare on conflicts of interest.
///
/// The reviewer themselves, once. Before it, nothing of the application is shown to them.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The review's id")),
    request_body = DeclarationRequest,
    responses(
        (status = 200, description = "The declaration is made", body = ReviewResponse, headers(("ETag" = String))),
        (status = 404, description = "No such review, or not the caller's", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The declaration is made already", body = Problem,
            content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/grant-reviews/{id}/declaration")]
pub async fn declare_interest(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    body: Body<DeclarationRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = GrantReviewId::from(id.into_inner());
    let body = body.into_inner();
    let note = body.note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned);
    if let Some(note) = &note {
        text_length("note", note, 0, 1000).map_err(ValidationErrors::from)?;
    }
    let (actor, ctx, conflict) = (caller.actor.clone(), caller.audit(), body.conflict);
    command(&state, None, move |conn| {
        let review = store::find_review(conn, &id)?;
        policy::own_review(&actor, review.reviewer_id.as_str())?;
        let review = store::declare_interest(conn, &id, conflict, note.as_deref(), &ctx)?;
        let version = review.version;
        Ok(Answer::ok(&view(review))?.tagged(version))
    })
    .await
}

/// A reviewer's scores: each criterion at most once, on its scale.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoresRequest {
    pub scores: Vec<Score>,
}

/// Checks `scores` against the criteria of the review's application, `complete` to submit. Only
/// for a review that still takes scores: the store refuses a closed one (409) under its lock, so
/// its request is not told about its scores first.
fn check_open(conn: &mut DbConn, review: &Review, scores: &[Score], complete: bool) -> Result<(), ApiError> {
    if review.coi_status != CoiStatus::None || review.submitted_at.is_some() {
        return Ok(());
    }
    let app = store::find_application(conn, &review.application_id)?;
    let mut errors = ValidationErrors::new();
    check_scores(&store::criteria_of(conn, &app)?.criteria, scores, complete, &mut errors);
    Ok(errors.into_result()?)
}

/// Save scores.
///
/// The reviewer themselves, after declaring free of conflicts of interest, while the application
/// is in review and the scores are not submitted. Replaces the saved scores; some criteria may
/// stay unscored until submitting. Requires `If-Match`.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The review's id"), IfMatch),
    request_body = ScoresRequest,
    responses(
        (status = 200, description = "The scores are saved", body = ReviewResponse, headers(("ETag" = String))),
        (status = 404, description = "No such review, or not the caller's", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "`invalid-transition`: not declared yet, a conflict declared, the scores submitted, \
            or the application not in review", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A score of no criterion, twice, or off its scale", body = Problem,
            content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[put("/grant-reviews/{id}/scores")]
pub async fn save_scores(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: Body<ScoresRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = GrantReviewId::from(id.into_inner());
    let scores = body.into_inner().scores;
    let expected = if_match.required_version()?;
    let (actor, ctx) = (caller.actor.clone(), caller.audit());
    command(&state, None, move |conn| {
        let review = store::find_review(conn, &id)?;
        policy::own_review(&actor, review.reviewer_id.as_str())?;
        check_open(conn, &review, &scores, false)?;
        let review = store::save_scores(conn, &id, expected, &scores, false, &ctx)?;
        let version = review.version;
        Ok(Answer::ok(&view(review))?.tagged(version))
    })
    .await
}

/// Submit the scores.
///
/// The reviewer themselves, once every criterion is scored: the scores lock and count in the
/// ranking and towards the reviews a decision needs.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The review's id")),
    responses(
        (status = 200, description = "The scores are submitted and locked", body = ReviewResponse,
            headers(("ETag" = String))),
        (status = 404, description = "No such review, or not the caller's", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "`invalid-transition`: not declared yet, a conflict declared, submitted already, \
            or the application not in review", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A criterion is not scored yet", body = Problem,
            content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/grant-reviews/{id}/submit")]
pub async fn submit_review(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = GrantReviewId::from(id.into_inner());
    let (actor, ctx) = (caller.actor.clone(), caller.audit());
    command(&state, None, move |conn| {
        let review = store::find_review(conn, &id)?;
        policy::own_review(&actor, review.reviewer_id.as_str())?;
        check_open(conn, &review, &review.scores, true)?;
        // The scores checked are the ones submitted: a change since they were read is a 412.
        let review = store::save_scores(conn, &id, Some(review.version), &review.scores, true, &ctx)?;
        let version = review.version;
        Ok(Answer::ok(&view(review))?.tagged(version))
    })
    .await
}
