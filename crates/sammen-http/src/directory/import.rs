//! CSV import of activities for volunteer centres: a spreadsheet of listings, checked whole (every
//! bad row reported with its line and column), then written whole in one transaction, or not at
//! all. The rules of the file live in `sammen_domain::directory::import` (docs/csv-import.md).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, post, web};
use sammen_domain::directory::import::{
    self, ImportCounts, ImportError, ImportOutcome, ImportRow, MAX_LISTED_ERRORS, MAX_ROWS,
};
use sammen_domain::directory::moderation::{ListingStatus, Moderator};
use sammen_store::StoreError;
use sammen_store::directory::{self as store, Activity, ImportFailed};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use sammen_domain::directory::policy;
use sammen_domain::ids::OrganisationId;

use crate::identity::Caller;
use crate::platform::extract::Query;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;

/// The largest file accepted: 5 MiB, room for the most rows with long descriptions (the JSON
/// limit of 256 KiB holds only a few hundred).
pub const IMPORT_BODY_LIMIT: usize = 5 * 1024 * 1024;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
// A misspelt `dry_run` must not turn a check into an import.
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// `true`: check the file and report what an import would do, writing nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// `true`: submit the file's listings for moderation after the import: every draft, and
    /// rejected or withdrawn listings that the file changed.
    #[serde(default)]
    pub submit: bool,
}

/// What the import did (or, in a dry run, would do) to one row's listing.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportedActivity {
    /// The row's line in the file (the header is line 1).
    pub line: u64,
    pub external_id: String,
    pub outcome: ImportOutcome,
    /// The listing's id; `null` in a dry run for one that would be created.
    #[schema(format = Uuid)]
    pub id: Option<String>,
    /// Its status after the import.
    pub status: ListingStatus,
    /// Whether it was submitted for moderation (`submit=true`).
    pub submitted: bool,
}

/// The result of an import: how many rows had each outcome, and every row's listing.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    /// `true`: nothing was written; this is what the import would do.
    pub dry_run: bool,
    #[serde(flatten)]
    pub counts: ImportCounts,
    /// Every row, in the order of the file.
    pub activities: Vec<ImportedActivity>,
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

fn rejected(e: ImportError, dry_run: bool) -> ApiError {
    match e {
        ImportError::TooManyRows => ApiError::PayloadTooLarge(format!(
            "the file has more than {MAX_ROWS} activities, the most one import takes; split it into several files"
        )),
        ImportError::Invalid { errors, total, lines } => {
            let listed = if total > errors.len() {
                format!(" (the first {MAX_LISTED_ERRORS} are listed)")
            } else {
                String::new()
            };
            let nothing = if dry_run { "nothing would be imported" } else { "nothing was imported" };
            let detail =
                format!("the file has {} on {}{listed}; {nothing}", plural(total, "problem"), plural(lines, "line"));
            ApiError::InvalidRows { detail, errors }
        }
    }
}

/// 415 unless the body is declared as `text/csv` (in UTF-8, if a charset is given).
fn require_csv(req: &HttpRequest) -> Result<(), ApiError> {
    let refused =
        || ApiError::UnsupportedMediaType("send the file as Content-Type: text/csv (UTF-8, comma or semicolon)".into());
    let value = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).ok_or_else(refused)?;
    let mut parts = value.split(';').map(str::trim);
    if !parts.next().is_some_and(|mime| mime.eq_ignore_ascii_case("text/csv")) {
        return Err(refused());
    }
    let other_charset = parts.filter_map(|p| p.split_once('=')).any(|(name, charset)| {
        name.trim().eq_ignore_ascii_case("charset") && !charset.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
    });
    if other_charset { Err(refused()) } else { Ok(()) }
}

/// The body, up to the import's own limit (413 beyond it, before reading it when declared).
async fn read_body(req: &HttpRequest, payload: web::Payload) -> Result<web::Bytes, ApiError> {
    let too_large = || {
        ApiError::PayloadTooLarge(format!(
            "the file is larger than {} MiB, the most one import takes; split it into several files",
            IMPORT_BODY_LIMIT / (1024 * 1024)
        ))
    };
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|n| n > IMPORT_BODY_LIMIT) {
        return Err(too_large());
    }
    match payload.to_bytes_limited(IMPORT_BODY_LIMIT).await {
        Err(_) => Err(too_large()),
        Ok(Err(e)) => Err(ApiError::BadRequest(format!("the request body could not be read: {e}"))),
        Ok(Ok(bytes)) => Ok(bytes),
    }
}

/// A write that failed part-way (and was rolled back), said with the row it was writing.
fn import_failed(failed: ImportFailed, rows: &[ImportRow]) -> ApiError {
    let row = failed.row.and_then(|i| rows.get(i));
    match (row, failed.error) {
        (Some(row), StoreError::Conflict(what) | StoreError::InvalidReference(what)) => ApiError::Conflict(format!(
            "line {} (external_id `{}`) could not be written: it conflicts with data in the database ({what}); \
             nothing was imported",
            row.line, row.external_id
        )),
        (_, error) => ApiError::from(error),
    }
}

/// What a dry run reports: each row's outcome over the listings that exist now.
fn plan(
    rows: &[ImportRow],
    existing: &std::collections::HashMap<String, Activity>,
    by: Moderator,
    submit: bool,
) -> ImportReport {
    let mut counts = ImportCounts::default();
    let activities = rows
        .iter()
        .map(|row| {
            let current = existing.get(&row.external_id);
            let outcome = store::planned_outcome(current, row, by);
            let status = current.map_or(ListingStatus::Draft, |a| a.status);
            let to = if submit { import::submission(outcome, status, by) } else { None };
            counts.add(outcome, to.is_some());
            ImportedActivity {
                line: row.line,
                external_id: row.external_id.clone(),
                outcome,
                id: current.map(|a| a.id.to_string()),
                status: to.unwrap_or(status),
                submitted: to.is_some(),
            }
        })
        .collect();
    ImportReport { dry_run: true, counts, activities }
}

/// Import activities from a CSV file.
///
/// For volunteer centres that keep their listings in a spreadsheet: one activity per row, keyed
/// by the centre's own `external_id`, so importing the same file again updates the listings
/// instead of duplicating them (rows that say what a listing already says are `unchanged`).
/// The columns mirror the listing's fields (docs/csv-import.md); UTF-8 with or without a
/// byte-order mark, comma- or semicolon-separated. Every row is checked as the API checks a
/// listing; any problem gives a 422 listing every bad row with its `line` and `field` (the
/// column), and nothing is written. Otherwise all rows are written in one transaction: new
/// drafts, updated drafts, and for published listings a change waiting for staff (staff's own
/// imports apply at once). `dry_run=true` reports the same without writing. At most 5 MiB and
/// 5000 activities. The organisation's representatives and integration clients
/// (`directory:write`), and staff.
#[utoipa::path(
    tag = "directory",
    params(("id" = uuid::Uuid, Path, description = "The organisation's id"), ImportQuery),
    request_body(content = String, content_type = "text/csv",
        description = "A header line naming the columns, then one activity per line (docs/csv-import.md)"),
    responses(
        (status = 200, description = "Imported, or in a dry run what would be imported", body = ImportReport),
        (status = 409, description = "A row could not be written (it conflicts with data in the database); nothing was imported",
            body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is larger than 5 MiB or has more than 5000 activities",
            body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as text/csv in UTF-8",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The file has problems: every one is in `errors` with its `line`, `field` (the column), `code` and `message`; nothing was imported",
            body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/organisations/{id}/activities/import")]
pub async fn import_activities(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    org: web::Path<uuid::Uuid>,
    query: Query<ImportQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let org = OrganisationId::from(org.into_inner());
    policy::manage(&caller, &org)?;
    let ImportQuery { dry_run, submit } = query.into_inner();
    let known = {
        let org = org.clone();
        state
            .db(move |conn| {
                store::find_organisation(conn, &org)?;
                store::known_codes(conn)
            })
            .await?
    };
    require_csv(&req)?;
    let body = read_body(&req, payload).await?;
    // Reading thousands of rows is CPU work: off the worker that serves other requests.
    let rows = web::block(move || import::parse(&body, &known))
        .await
        .map_err(|e| ApiError::internal(format!("the import's parser stopped: {e}")))?
        .map_err(|e| rejected(e, dry_run))?;
    let (by, ctx) = (policy::moderator(&caller), caller.audit());
    let report = if dry_run {
        let (rows, existing) = state
            .db(move |conn| {
                let existing = store::existing_for_import(conn, &org, &rows)?;
                Ok::<_, ApiError>((rows, existing))
            })
            .await?;
        plan(&rows, &existing, by, submit)
    } else {
        let (rows, result) = state
            .db(move |conn| {
                let result = store::import_activities(conn, &org, &rows, by, submit, &ctx);
                Ok::<_, ApiError>((rows, result))
            })
            .await?;
        let imported = result.map_err(|failed| import_failed(failed, &rows))?;
        let mut counts = ImportCounts::default();
        let activities = rows
            .iter()
            .zip(imported)
            .map(|(row, done)| {
                counts.add(done.outcome, done.submitted);
                ImportedActivity {
                    line: row.line,
                    external_id: row.external_id.clone(),
                    outcome: done.outcome,
                    id: Some(done.id.into_string()),
                    status: done.status,
                    submitted: done.submitted,
                }
            })
            .collect();
        ImportReport { dry_run: false, counts, activities }
    };
    Ok(HttpResponse::Ok().json(report))
}
