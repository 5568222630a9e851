//! Applications: an organisation's representatives (or its client with `grants:write`) start a
//! draft in a round, co-edit it with `If-Match`, attach files; they, staff and assigned
//! reviewers (after declaring no conflict of interest) read it.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::NaiveDate;
use sammen_domain::grants::GrantError;
use sammen_domain::grants::application::{
    ATTACHMENT_MEDIA_TYPES, ApplicationStatus, AttachmentKind, Draft, MAX_ATTACHMENT_BYTES, SizeBand, checklist,
};
use sammen_domain::grants::policy::{self, ApplicationView};
use sammen_domain::grants::pool::PoolStatus;
use sammen_domain::grants::ranking::criterion_means;
use sammen_domain::grants::review::CoiStatus;
use sammen_domain::grants::round::Phase;
use sammen_domain::identity::Role;
use sammen_domain::ids::{GrantApplicationId, GrantAttachmentId, GrantPoolId, GrantRoundId, OrganisationId};
use sammen_domain::text::{Line, Prose};
use sammen_domain::{Actor, FieldError, ValidationErrors};
use sammen_store::grants::{self as store, Application, ApplicationContent, ApplicationFilter, ApplicationScope};
use sammen_store::{DbConn, StoreError};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::views::{ApplicationParts, ApplicationResponse, AttachmentResponse, application_view, attachment_view};
use crate::identity::Caller;
use crate::platform::command::{Answer, Idempotency, command};
use crate::platform::extract::{Body, Query};
use crate::platform::idempotency::IdempotencyKey;
use crate::platform::pagination::{Page, PageParams, page_response};
use crate::platform::precondition::IfMatch;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(create_application)
        .service(list_applications)
        .service(get_application)
        .service(update_application)
        .service(add_attachment)
        .service(get_attachment)
        .service(remove_attachment);
}

/// Loads application `id` and the actor's view of it (404 for those who may not learn it exists,
/// 403 for an assigned reviewer who has not declared on conflicts of interest).
pub fn readable(
    conn: &mut DbConn,
    actor: &Actor,
    id: &GrantApplicationId,
) -> Result<(Application, ApplicationView), ApiError> {
    let app = store::find_application(conn, id)?;
    let review = match actor.user_id() {
        Some(user) if actor.has_role(Role::Reviewer) || actor.is_staff() => {
            store::review_by(conn, id, user)?.map(|r| r.coi_status)
        }
        _ => None,
    };
    let view = policy::read_application(actor, &app.organisation_id, review)?;
    Ok((app, view))
}

/// Loads application `id` for a change by its applicant (404 for anyone else who may not read it).
pub fn own(conn: &mut DbConn, actor: &Actor, id: &GrantApplicationId) -> Result<Application, ApiError> {
    let (app, _) = readable(conn, actor, id)?;
    policy::apply(actor, &app.organisation_id)?;
    Ok(app)
}

/// The full view of an application: its round's expected decision, the checklist while
/// editable, the reviews' means per criterion once decided, attachments, tranches, reports.
pub fn render(conn: &mut DbConn, app: Application) -> Result<ApplicationResponse, StoreError> {
    let round = store::find_round(conn, &app.round_id)?;
    // The checklist asks for the round's current eligibility rules; a decided application's means
    // are over the criteria it was submitted (and reviewed) under.
    let criteria = if app.status.editable() {
        store::criteria_version(conn, &round.id, round.criteria_version)?
    } else {
        store::criteria_of(conn, &app)?
    };
    let attachments = store::attachments(conn, &app.id)?;
    let kinds: Vec<AttachmentKind> = attachments.iter().map(|a| a.kind).collect();
    let checklist = if app.status.editable() {
        checklist(&Draft {
            track: round.track,
            min_amount_ore: round.min_amount_ore,
            max_amount_ore: round.max_amount_ore,
            title: &app.title,
            summary: &app.summary,
            description: &app.description,
            amount_requested_ore: app.amount_requested_ore,
            has_planned_dates: app.planned_start.is_some() && app.planned_end.is_some(),
            has_size_band: app.size_band.is_some(),
            target_groups: &app.target_groups,
            eligibility: &criteria.eligibility,
            declarations: &app.declarations,
            attachments: &kinds,
        })
    } else {
        Vec::new()
    };
    let assessment = if app.decided_at.is_some() {
        let reviews = store::reviews_of(conn, &app.id)?;
        let counted: Vec<&[sammen_domain::grants::review::Score]> = reviews
            .iter()
            .filter(|r| r.coi_status == CoiStatus::None && r.submitted_at.is_some())
            .map(|r| r.scores.as_slice())
            .collect();
        criterion_means(&criteria.criteria, &counted)
    } else {
        Vec::new()
    };
    let parts = ApplicationParts {
        expected_decision_on: Some(round.decision_expected_on),
        checklist,
        assessment,
        attachments,
        tranches: store::tranches(conn, &app.id)?,
        reports: store::reports(conn, &app.id)?,
    };
    Ok(application_view(app, parts))
}

/// `Some(value)` for a field that was given, including `null`; `None` for an absent one.
fn given<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// The content of an application: every field optional in a draft (the `checklist` says what
/// is missing before submitting). On `PATCH`, absent fields stay and `null` clears.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ApplicationContentRequest {
    /// The applicant, when starting an application (required then): an organisation the caller
    /// represents, informal groups included. It cannot change afterwards.
    #[schema(format = Uuid)]
    pub organisation_id: Option<uuid::Uuid>,
    #[schema(value_type = Option<String>, example = "Tirsdagsture for ensomme mænd", max_length = 200)]
    pub title: Option<Line>,
    /// At most 280 characters: published with an award.
    #[schema(value_type = Option<String>, max_length = 280)]
    pub summary: Option<Line>,
    #[schema(value_type = Option<String>, max_length = 20000)]
    pub description: Option<Prose>,
    #[schema(minimum = 0, example = 2500000)]
    pub amount_requested_ore: Option<i64>,
    #[serde(default, deserialize_with = "given")]
    #[schema(value_type = Option<NaiveDate>)]
    pub planned_start: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "given")]
    #[schema(value_type = Option<NaiveDate>)]
    pub planned_end: Option<Option<NaiveDate>>,
    /// `micro` (< 50,000 kr a year), `small` (< 500,000), `medium` (< 5 mio.), `large`.
    #[serde(default, deserialize_with = "given")]
    #[schema(value_type = Option<String>, example = "micro")]
    pub size_band: Option<Option<SizeBand>>,
    /// Whom the project is for (e.g. `older_citizens`, `loneliness`).
    #[schema(max_items = 20)]
    pub target_groups: Option<Vec<String>>,
    /// The track's further answers, as an object of at most 30 fields.
    #[schema(value_type = Option<Object>)]
    pub answers: Option<serde_json::Map<String, serde_json::Value>>,
    /// Keys of the round's eligibility rules the applicant confirms.
    #[schema(max_items = 20)]
    pub declarations: Option<Vec<String>>,
}

fn check_content(body: &ApplicationContentRequest, errors: &mut ValidationErrors) -> ApplicationContent {
    use sammen_domain::validation::text_length;
    if let Some(title) = &body.title {
        errors.check(text_length("title", title.trim(), 0, 200));
    }
    if let Some(summary) = &body.summary {
        errors.check(text_length("summary", summary.trim(), 0, 280));
    }
    if let Some(description) = &body.description {
        errors.check(text_length("description", description.trim(), 0, 20000));
    }
    if body.amount_requested_ore.is_some_and(|a| !(0..=sammen_domain::grants::money::MAX_BUDGET_ORE).contains(&a)) {
        errors.push(FieldError::new("amount_requested_ore", "invalid", "must be a whole number of øre, 0 or more"));
    }
    if let (Some(Some(start)), Some(Some(end))) = (body.planned_start, body.planned_end)
        && end < start
    {
        errors.push(FieldError::new("planned_end", "invalid", "must not be before planned_start"));
    }
    let short_list = |field: &str, items: &Option<Vec<String>>, errors: &mut ValidationErrors| {
        if let Some(items) = items {
            if items.len() > 20 {
                errors.push(FieldError::new(field, "invalid", "at most 20 items"));
            }
            for (i, item) in items.iter().enumerate() {
                let ok = (1..=60).contains(&item.len())
                    && item.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                if !ok {
                    errors.push(FieldError::new(
                        format!("{field}[{i}]"),
                        "invalid",
                        "must be 1 to 60 of a-z, 0-9 and _",
                    ));
                }
            }
        }
    };
    short_list("target_groups", &body.target_groups, errors);
    short_list("declarations", &body.declarations, errors);
    if let Some(answers) = &body.answers {
        let size = serde_json::to_string(answers).map_or(0, |s| s.len());
        if answers.len() > 30 || size > 50_000 {
            errors.push(FieldError::new("answers", "invalid", "at most 30 fields and 50,000 characters"));
        }
    }
    ApplicationContent {
        title: body.title.as_ref().map(|t| t.trim().to_owned()),
        summary: body.summary.as_ref().map(|t| t.trim().to_owned()),
        description: body.description.as_ref().map(|t| t.trim().to_owned()),
        amount_requested_ore: body.amount_requested_ore,
        planned_start: body.planned_start,
        planned_end: body.planned_end,
        size_band: body.size_band,
        target_groups: body.target_groups.clone(),
        answers: body.answers.clone(),
        declarations: body.declarations.clone(),
    }
}

/// Start an application.
///
/// The applicant organisation's representatives, and its clients with `grants:write`. Creates a
/// draft in the round (while the round has not closed and its pool is published); it is saved on
/// the server and can be edited by every representative until submitted. Accepts `Idempotency-Key`.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The round's id"), IdempotencyKey),
    request_body = ApplicationContentRequest,
    responses(
        (status = 201, description = "The draft", body = ApplicationResponse, headers(("Location" = String), ("ETag" = String))),
        (status = 404, description = "No such round", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The round has closed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/grant-rounds/{id}/applications")]
pub async fn create_application(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    key: IdempotencyKey,
    body: Body<ApplicationContentRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let org = OrganisationId::from(
        body.organisation_id
            .ok_or_else(|| ApiError::invalid("organisation_id", "required", "which organisation applies"))?,
    );
    policy::apply(&caller.actor, &org)?;
    let mut errors = ValidationErrors::new();
    let content = check_content(&body, &mut errors);
    errors.into_result()?;
    let idempotency = Idempotency::of(&req, caller.principal(), key, &body)?;
    let (round_id, ctx, now) = (GrantRoundId::from(id.into_inner()), caller.audit(), state.clock.now());
    command(&state, idempotency, move |conn| {
        let round = store::find_round(conn, &round_id)?;
        let pool = store::find_pool(conn, &round.pool_id)?;
        if pool.status != PoolStatus::Published {
            return Err(match pool.status {
                PoolStatus::Draft => StoreError::NotFound(sammen_domain::Entity::GrantRound).into(),
                _ => GrantError::PoolNotOpen.into(),
            });
        }
        if round.phase(now) == Phase::Closed {
            let at = |t: chrono::NaiveDateTime| t.and_utc().to_rfc3339();
            let closes_at = round.closes_at.map_or("never".into(), at);
            return Err(GrantError::RoundClosed { opens_at: at(round.opens_at), closes_at }.into());
        }
        let app = store::insert_application(conn, &round, &org, &content, &ctx)?;
        let (location, version) = (format!("/api/v1/grant-applications/{}", app.id), app.version);
        Ok(Answer::created(location, &render(conn, app)?)?.tagged(version))
    })
    .await
}

/// Filters of the application list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApplicationQuery {
    pub round_id: Option<uuid::Uuid>,
    pub pool_id: Option<uuid::Uuid>,
    /// Only these statuses; repeat for several (OR).
    #[serde(default)]
    #[param(value_type = Vec<String>, style = Form, explode)]
    pub status: Vec<ApplicationStatus>,
}

/// List applications.
///
/// Staff see all; an organisation's representatives (and its clients with `grants:read` or
/// `grants:write`) those of their organisations; a reviewer those assigned to them (the content
/// only through each application once declared free of conflicts). Filters AND; repeated
/// `status` values OR. Cursor pagination in creation order.
#[utoipa::path(
    tag = "grants",
    params(ApplicationQuery, PageParams),
    responses(
        (status = 200, description = "A page of applications", body = Page<ApplicationSummary>,
            headers(("Link" = String, description = "`<...>; rel=\"next\"` when another page follows"))),
        (status = 403, description = "Not a role that has applications", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[get("/grant-applications")]
pub async fn list_applications(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    query: Query<ApplicationQuery>,
    params: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    policy::list_applications(&caller.actor)?;
    let page = params.resolve::<GrantApplicationId>()?;
    let query = query.into_inner();
    let scope = scope_of(&caller.actor);
    let filter = ApplicationFilter {
        round_id: query.round_id.map(GrantRoundId::from),
        pool_id: query.pool_id.map(GrantPoolId::from),
        statuses: query.status,
    };
    let (after, fetch) = (page.after.clone(), page.fetch());
    let rows = state.db(move |conn| store::list_applications(conn, &scope, &filter, after.as_ref(), fetch)).await?;
    Ok(page_response(&req, &page, rows, |a| a.id.clone(), summary))
}

/// Whose applications the actor lists: staff all; a client or a representative their
/// organisations' (a representative who also reviews finds assignments at `GET /grant-reviews`);
/// any other user (a reviewer) their assignments.
fn scope_of(actor: &Actor) -> ApplicationScope {
    match actor {
        _ if actor.is_staff() => ApplicationScope::All,
        Actor::Client { organisation, .. } => ApplicationScope::Organisations(organisation.iter().cloned().collect()),
        Actor::User { roles, .. } if actor.has_role(Role::Organisation) => ApplicationScope::Organisations(
            roles
                .iter()
                .filter(|g| g.role == Role::Organisation)
                .filter_map(|g| g.scope.clone())
                .map(OrganisationId::from_stored)
                .collect(),
        ),
        Actor::User { id, .. } => ApplicationScope::Reviewer(id.clone()),
    }
}

/// An application in a list: where it stands, without its content.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationSummary {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub round_id: String,
    #[schema(format = Uuid)]
    pub organisation_id: String,
    pub title: String,
    pub amount_requested_ore: i64,
    pub awarded_ore: Option<i64>,
    pub status: String,
    pub plain_status: sammen_domain::grants::application::PlainStatus,
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
    pub version: i64,
}

fn summary(a: Application) -> ApplicationSummary {
    ApplicationSummary {
        id: a.id.into_string(),
        round_id: a.round_id.into_string(),
        organisation_id: a.organisation_id.into_string(),
        title: a.title,
        amount_requested_ore: a.amount_requested_ore,
        awarded_ore: a.awarded_ore,
        status: a.status.to_string(),
        plain_status: a.status.plain(),
        submitted_at: a.submitted_at.map(|t| t.and_utc()),
        version: a.version,
    }
}

/// Read an application.
///
/// Its organisation's representatives and clients (`grants:read`/`grants:write`), staff, and a
/// reviewer assigned to it once they declared no conflict of interest (403 until then). Anyone
/// else: 404. The applicant sees the status in plain words, the expected decision date, the
/// checklist while editable, and after the decision its reasons and the reviews' mean scores per
/// criterion — never who reviewed or a single review's scores. The `ETag` serves `If-Match`.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The application's id")),
    responses(
        (status = 200, description = "The application", body = ApplicationResponse, headers(("ETag" = String))),
        (status = 403, description = "A reviewer who has not declared on conflicts of interest", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application (or not yours)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[get("/grant-applications/{id}")]
pub async fn get_application(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = GrantApplicationId::from(id.into_inner());
    let actor = caller.actor.clone();
    let view = state
        .db(move |conn| {
            let (app, view) = readable(conn, &actor, &id)?;
            let mut rendered = render(conn, app)?;
            if view == ApplicationView::Reviewer {
                // A reviewer assesses the content; the decision and the money are not theirs to see.
                rendered.decision = None;
                rendered.tranches.clear();
                rendered.reports.clear();
            }
            Ok::<_, ApiError>(rendered)
        })
        .await?;
    let etag = crate::platform::precondition::etag(view.version);
    Ok(HttpResponse::Ok().insert_header((actix_web::http::header::ETAG, etag)).json(view))
}

/// Save changes to an application.
///
/// The applicant's people, while it is a draft or more information was asked for. Requires
/// `If-Match` with the version the change is based on: a co-editor's save in between answers
/// 412, never a silent overwrite. Attachments stay as they are.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The application's id"), IfMatch),
    request_body = ApplicationContentRequest,
    responses(
        (status = 200, description = "Saved", body = ApplicationResponse, headers(("ETag" = String))),
        (status = 409, description = "Not editable in its status", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/grant-applications/{id}")]
pub async fn update_application(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: Body<ApplicationContentRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let mut errors = ValidationErrors::new();
    if body.organisation_id.is_some() {
        errors.push(FieldError::new("organisation_id", "invalid", "the applicant of an application cannot change"));
    }
    let content = check_content(&body, &mut errors);
    errors.into_result()?;
    let expected = if_match.required_version()?;
    let (id, actor, ctx) = (GrantApplicationId::from(id.into_inner()), caller.actor.clone(), caller.audit());
    command(&state, None, move |conn| {
        own(conn, &actor, &id)?;
        let app = store::update_application(conn, &id, expected, &content, &ctx)?;
        let version = app.version;
        Ok(Answer::ok(&render(conn, app)?)?.tagged(version))
    })
    .await
}

/// What an uploaded file is.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttachmentQuery {
    /// `budget`, `project_plan`, `accounts` or `other`.
    #[param(value_type = String)]
    pub kind: AttachmentKind,
    /// The file's name, as the applicant knows it.
    #[param(max_length = 200)]
    pub file_name: String,
}

/// Attach a file.
///
/// The applicant's people, while the application is editable. The body is the file itself
/// (PDF, Word, Excel, OpenDocument text, PNG or JPEG; at most 5 MiB) with its `Content-Type`.
/// Files stay across edits and revisions; each submitted revision names them with their SHA-256.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The application's id"), AttachmentQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream",
        description = "The file. Send it with its own media type (`application/pdf`, …), or as \
        `application/octet-stream`, in which case the type follows from `file_name`'s extension \
        (.pdf, .docx, .xlsx, .odt, .png, .jpg/.jpeg)."),
    responses(
        (status = 201, description = "Attached", body = AttachmentResponse, headers(("Location" = String))),
        (status = 413, description = "Larger than 5 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not editable in its status", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not an accepted kind of file", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/grant-applications/{id}/attachments")]
pub async fn add_attachment(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<uuid::Uuid>,
    query: Query<AttachmentQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let media_type = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .unwrap_or_default();
    let query = query.into_inner();
    let media_type = match media_type.as_str() {
        "application/octet-stream" => by_extension(&query.file_name).unwrap_or_default().to_owned(),
        _ => media_type,
    };
    if !ATTACHMENT_MEDIA_TYPES.contains(&media_type.as_str()) {
        return Err(ApiError::UnsupportedMediaType(format!(
            "attachments are one of: {}",
            ATTACHMENT_MEDIA_TYPES.join(", ")
        )));
    }
    let name = query.file_name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(|c| c.is_control() || c == '/' || c == '\\') {
        return Err(ApiError::invalid("file_name", "invalid", "1 to 200 characters, without slashes"));
    }
    let content = read_limited(payload, MAX_ATTACHMENT_BYTES).await?;
    if content.is_empty() {
        return Err(ApiError::invalid("body", "required", "the file is empty"));
    }
    let (id, actor, ctx) = (GrantApplicationId::from(id.into_inner()), caller.actor.clone(), caller.audit());
    command(&state, None, move |conn| {
        own(conn, &actor, &id)?;
        let new =
            store::NewAttachment { kind: query.kind, file_name: &name, media_type: &media_type, content: &content };
        let attachment = store::insert_attachment(conn, &id, &new, &ctx)?;
        let location = format!("/api/v1/grant-applications/{id}/attachments/{}", attachment.id);
        Answer::created(location, &attachment_view(attachment))
    })
    .await
}

/// The media type a file name's extension stands for, among those accepted.
fn by_extension(file_name: &str) -> Option<&'static str> {
    let extension = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
    let index = match extension.as_str() {
        "pdf" => 0,
        "docx" => 1,
        "xlsx" => 2,
        "odt" => 3,
        "png" => 4,
        "jpg" | "jpeg" => 5,
        _ => return None,
    };
    Some(ATTACHMENT_MEDIA_TYPES[index])
}

/// Reads a request body of at most `limit` bytes (413 beyond).
async fn read_limited(mut payload: web::Payload, limit: usize) -> Result<Vec<u8>, ApiError> {
    use futures_util::StreamExt;
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::BadRequest(format!("the upload broke off: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge(format!("an attachment is at most {} bytes", limit)));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Download an attachment.
///
/// Those who may read the application. The file as uploaded, with its media type.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The application's id"), ("attachment_id" = uuid::Uuid, Path, description = "The attachment's id")),
    responses((status = 200, description = "The file, with the media type it was uploaded as", content(
        (Vec<u8> = "application/pdf"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (Vec<u8> = "application/vnd.oasis.opendocument.text"),
        (Vec<u8> = "image/png"),
        (Vec<u8> = "image/jpeg"),
    ))),
    security(("bearer_auth" = []))
)]
#[get("/grant-applications/{id}/attachments/{attachment_id}")]
pub async fn get_attachment(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, attachment) = path.into_inner();
    let (id, attachment) = (GrantApplicationId::from(id), GrantAttachmentId::from(attachment));
    let actor = caller.actor.clone();
    let (meta, content) = state
        .db(move |conn| {
            readable(conn, &actor, &id)?;
            Ok::<_, ApiError>(store::attachment_content(conn, &id, &attachment)?)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type(meta.media_type)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{}\"", meta.file_name.replace('"', "'")),
        ))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(content))
}

/// Remove an attachment from the draft.
///
/// The applicant's people, while editable. A submitted revision keeps naming the file.
#[utoipa::path(
    tag = "grants",
    params(("id" = uuid::Uuid, Path, description = "The application's id"), ("attachment_id" = uuid::Uuid, Path, description = "The attachment's id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 409, description = "Not editable in its status", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[delete("/grant-applications/{id}/attachments/{attachment_id}")]
pub async fn remove_attachment(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, attachment) = path.into_inner();
    let (id, attachment) = (GrantApplicationId::from(id), GrantAttachmentId::from(attachment));
    let (actor, ctx) = (caller.actor.clone(), caller.audit());
    state
        .db(move |conn| {
            sammen_store::write_transaction(conn, |conn| {
                own(conn, &actor, &id)?;
                store::remove_attachment(conn, &id, &attachment, &ctx)?;
                Ok::<_, ApiError>(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
