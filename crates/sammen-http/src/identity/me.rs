//! The caller's own account: `GET /me`, `GET /me/export`, `DELETE /me`.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, web};
use chrono::{DateTime, Utc};
use sammen_domain::identity::policy::own_account;
use sammen_store::audit;
use sammen_store::identity as store;
use serde::Serialize;
use utoipa::ToSchema;

use super::{Caller, UserResponse};
use crate::platform::precondition::etag;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;

/// The caller's own account.
#[utoipa::path(
    tag = "identity",
    responses((status = 200, description = "The caller's account", body = UserResponse, headers(("ETag" = String)))),
    security(("bearer_auth" = []))
)]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let id = own_account(&caller)?.clone();
    let user = state.db(move |conn| store::find_user(conn, &id)).await?;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, etag(user.version))).json(UserResponse::from(user)))
}

/// An event about the caller's data, without who caused it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedEvent {
    pub occurred_at: DateTime<Utc>,
    /// What happened, e.g. `personal_data.read`, `auth.login_succeeded`, `user.roles_changed`.
    pub action: String,
    /// For reads of personal data: why it was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
}

/// Everything Sammen holds about the caller (GDPR art. 15 and 20).
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonalDataExport {
    pub exported_at: DateTime<Utc>,
    pub account: UserResponse,
    /// When the caller's data was read by others and for what purpose (not by whom), and the
    /// security events of the account, oldest first.
    pub events: Vec<ExportedEvent>,
}

/// Export everything held about the caller.
///
/// The account, its roles, and every recorded event about it: reads of the caller's personal
/// data (when and why, not by whom), logins, role changes. Later areas add their records.
#[utoipa::path(
    tag = "identity",
    responses((status = 200, description = "The caller's data", body = PersonalDataExport)),
    security(("bearer_auth" = []))
)]
#[get("/me/export")]
pub async fn export_me(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let id = own_account(&caller)?.clone();
    let ctx = caller.audit();
    let (user, events) = state
        .db(move |conn| {
            let user = store::find_user(conn, &id)?;
            let events = audit::about_user(conn, id.as_str())?;
            audit::record_about_user(conn, &ctx, "user.exported", &id, serde_json::json!({}))?;
            Ok::<_, ApiError>((user, events))
        })
        .await?;
    let events = events
        .into_iter()
        .map(|e| ExportedEvent { occurred_at: e.occurred_at.and_utc(), action: e.action, purpose: e.purpose })
        .collect();
    Ok(HttpResponse::Ok().json(PersonalDataExport { exported_at: Utc::now(), account: user.into(), events }))
}

/// One kind of record that was kept, and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct KeptRecord {
    pub what: String,
    pub why: String,
}

/// What an erasure did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErasureReceipt {
    pub erased_at: DateTime<Utc>,
    /// The personal data that was deleted or replaced.
    pub erased: Vec<String>,
    /// What was kept, without personal content, and why.
    pub kept: Vec<KeptRecord>,
}

/// Erase the caller's account.
///
/// Deletes or replaces the caller's personal data (e-mail, name, password, roles, sessions) and
/// closes the account; the caller's tokens stop working at once. Records others depend on keep
/// their non-personal content; the receipt says what was kept and why. The last active admin
/// cannot erase their account (409): make another admin first.
#[utoipa::path(
    tag = "identity",
    responses(
        (status = 200, description = "Erased; the receipt", body = ErasureReceipt),
        (status = 409, description = "The caller is the last active admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[delete("/me")]
pub async fn erase_me(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let id = own_account(&caller)?.clone();
    let ctx = caller.audit();
    let erasure = state.db(move |conn| store::erase_user(conn, &id, &ctx)).await?;
    Ok(HttpResponse::Ok().json(ErasureReceipt {
        erased_at: erasure.erased_at.and_utc(),
        erased: ["email", "display_name", "password", "roles", "sessions"].map(String::from).to_vec(),
        kept: vec![KeptRecord {
            what: "the account's id and the audit log entries that refer to it (without e-mail or name)".into(),
            why: "the municipality must be able to show who did what with personal data and money \
                  (accountability, GDPR art. 5(2) and 17(3)(b)); the id alone no longer identifies you"
                .into(),
        }],
    }))
}
