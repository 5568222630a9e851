//! Reviews: staff assign reviewers (never one tied to the applicant); a reviewer declares on
//! conflicts of interest before seeing anything, then scores; scores lock on submit.

use diesel::prelude::*;
use sammen_domain::Entity;
use sammen_domain::grants::GrantError;
use sammen_domain::grants::application::ApplicationStatus;
use sammen_domain::grants::policy::assignable;
use sammen_domain::grants::review::{CoiStatus, Score};
use sammen_domain::identity::{Role, RoleGrant};
use sammen_domain::ids::{GrantApplicationId, GrantReviewId, GrantRoundId, UserId};

use super::{AUDIT_APPLICATION, Application, ApplicationRow, Review, ReviewRow, to_json};
use crate::DbConn;
use crate::audit::{self, AuditContext};
use crate::error::{Found, StoreError, StoreResult};
use crate::schema::{grant_applications, grant_reviews, user_roles, users};

fn roles_of(conn: &mut DbConn, user: &UserId) -> StoreResult<Vec<RoleGrant>> {
    let rows: Vec<(Role, String)> = user_roles::table
        .inner_join(users::table)
        .filter(user_roles::user_id.eq(user.as_str()))
        .filter(users::disabled.eq(false))
        .select((user_roles::role, user_roles::scope_id))
        .load(conn)?;
    Ok(rows.into_iter().map(|(role, scope)| RoleGrant { role, scope: (!scope.is_empty()).then_some(scope) }).collect())
}

/// Assigns `reviewer` to an application that is submitted or in review.
pub fn assign_reviewer(
    conn: &mut DbConn,
    id: &GrantApplicationId,
    reviewer: &UserId,
    ctx: &AuditContext,
) -> StoreResult<Review> {
    let app = super::lock_application(conn, id)?;
    if !matches!(app.status, ApplicationStatus::Submitted | ApplicationStatus::InReview) {
        return Err(GrantError::InvalidTransition { from: app.status, action: "given a reviewer" }.into());
    }
    let roles = roles_of(conn, reviewer)?;
    if roles.is_empty() && crate::identity::find_user(conn, reviewer).is_err() {
        return Err(GrantError::Invalid { field: "reviewer_id", message: "refers to no active user".into() }.into());
    }
    assignable(&roles, &app.organisation_id)?;
    let (review_id, now) = (GrantReviewId::new(), crate::now());
    let inserted = diesel::insert_into(grant_reviews::table)
        .values((
            grant_reviews::id.eq(review_id.as_str()),
            grant_reviews::application_id.eq(id.as_str()),
            grant_reviews::reviewer_id.eq(reviewer.as_str()),
            grant_reviews::assigned_by.eq(&ctx.actor),
            grant_reviews::coi_status.eq(CoiStatus::Pending.as_str()),
            grant_reviews::scores.eq("[]"),
            grant_reviews::created_at.eq(now),
            grant_reviews::updated_at.eq(now),
        ))
        .execute(conn);
    match inserted.map_err(StoreError::from) {
        Err(StoreError::Conflict(_)) => return Err(GrantError::AlreadyAssigned.into()),
        other => other?,
    };
    let details = serde_json::json!({ "review_id": review_id, "reviewer_id": reviewer });
    audit::record_change(conn, ctx, AUDIT_APPLICATION, "grant_application.reviewer_assigned", id.as_str(), details)?;
    find_review(conn, &review_id)
}

pub fn find_review(conn: &mut DbConn, id: &GrantReviewId) -> StoreResult<Review> {
    grant_reviews::table
        .find(id.as_str())
        .select(ReviewRow::as_select())
        .first(conn)
        .found(Entity::GrantReview)?
        .parse()
}

/// The user's own review of an application, if they are assigned to it.
pub fn review_by(conn: &mut DbConn, application: &GrantApplicationId, user: &UserId) -> StoreResult<Option<Review>> {
    grant_reviews::table
        .filter(grant_reviews::application_id.eq(application.as_str()))
        .filter(grant_reviews::reviewer_id.eq(user.as_str()))
        .select(ReviewRow::as_select())
        .first(conn)
        .optional()?
        .map(ReviewRow::parse)
        .transpose()
}

/// Every review of an application, in assignment order (staff's view).
pub fn reviews_of(conn: &mut DbConn, application: &GrantApplicationId) -> StoreResult<Vec<Review>> {
    let rows: Vec<ReviewRow> = grant_reviews::table
        .filter(grant_reviews::application_id.eq(application.as_str()))
        .order(grant_reviews::id)
        .select(ReviewRow::as_select())
        .load(conn)?;
    rows.into_iter().map(ReviewRow::parse).collect()
}

/// The reviewer's assignments, in assignment order after `after`.
pub fn reviews_for(
    conn: &mut DbConn,
    user: &UserId,
    after: Option<&GrantReviewId>,
    limit: i64,
) -> StoreResult<Vec<Review>> {
    let mut query = grant_reviews::table
        .filter(grant_reviews::reviewer_id.eq(user.as_str().to_owned()))
        .order(grant_reviews::id)
        .limit(limit)
        .select(ReviewRow::as_select())
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(grant_reviews::id.gt(after.as_str().to_owned()));
    }
    let rows: Vec<ReviewRow> = query.load(conn)?;
    rows.into_iter().map(ReviewRow::parse).collect()
}

fn lock_review(conn: &mut DbConn, id: &GrantReviewId, expected_version: Option<i64>) -> StoreResult<Review> {
    let found = crate::lock_rows!(conn, grant_reviews::table.find(id.as_str()).select(grant_reviews::id))?;
    if found.is_empty() {
        return Err(StoreError::NotFound(Entity::GrantReview));
    }
    let review = find_review(conn, id)?;
    if expected_version.is_some_and(|v| v != review.version) {
        return Err(StoreError::VersionMismatch);
    }
    Ok(review)
}

/// The reviewer's declaration: free of conflicts of interest (they may now read and score), or a
/// conflict (they are excluded for good). Made once.
pub fn declare_interest(
    conn: &mut DbConn,
    id: &GrantReviewId,
    conflict: bool,
    note: Option<&str>,
    ctx: &AuditContext,
) -> StoreResult<Review> {
    let review = lock_review(conn, id, None)?;
    if review.coi_status != CoiStatus::Pending {
        return Err(GrantError::ReviewClosed("the declaration is made already").into());
    }
    let status = if conflict { CoiStatus::Declared } else { CoiStatus::None };
    diesel::update(grant_reviews::table.find(id.as_str()))
        .set((
            grant_reviews::coi_status.eq(status.as_str()),
            grant_reviews::coi_note.eq(note),
            grant_reviews::coi_declared_at.eq(Some(crate::now())),
            grant_reviews::version.eq(grant_reviews::version + 1),
            grant_reviews::updated_at.eq(crate::now()),
        ))
        .execute(conn)?;
    let details = serde_json::json!({ "review_id": id, "conflict": conflict });
    audit::record_change(
        conn,
        ctx,
        AUDIT_APPLICATION,
        "grant_application.interest_declared",
        review.application_id.as_str(),
        details,
    )?;
    find_review(conn, id)
}

/// Saves scores (checked against the criteria by the caller), and with `submit` locks them.
pub fn save_scores(
    conn: &mut DbConn,
    id: &GrantReviewId,
    expected_version: Option<i64>,
    scores: &[Score],
    submit: bool,
    ctx: &AuditContext,
) -> StoreResult<Review> {
    let review = lock_review(conn, id, expected_version)?;
    match (review.coi_status, review.submitted_at) {
        (CoiStatus::Pending, _) => {
            return Err(GrantError::ReviewClosed("declare on conflicts of interest first").into());
        }
        (CoiStatus::Declared, _) => return Err(GrantError::ReviewClosed("a conflict of interest was declared").into()),
        (_, Some(_)) => return Err(GrantError::ReviewClosed("the scores are submitted and locked").into()),
        _ => {}
    }
    let app = super::find_application(conn, &review.application_id)?;
    if app.status != ApplicationStatus::InReview {
        return Err(GrantError::InvalidTransition { from: app.status, action: "scored" }.into());
    }
    // A reviewer who came to represent the applicant since the assignment may no longer score it.
    assignable(&roles_of(conn, &review.reviewer_id)?, &app.organisation_id)?;
    let now = crate::now();
    diesel::update(grant_reviews::table.find(id.as_str()))
        .set((
            grant_reviews::scores.eq(to_json(&scores)),
            grant_reviews::submitted_at.eq(submit.then_some(now)),
            grant_reviews::version.eq(grant_reviews::version + 1),
            grant_reviews::updated_at.eq(now),
        ))
        .execute(conn)?;
    if submit {
        let details = serde_json::json!({ "review_id": id });
        audit::record_change(
            conn,
            ctx,
            AUDIT_APPLICATION,
            "grant_application.review_submitted",
            review.application_id.as_str(),
            details,
        )?;
    }
    find_review(conn, id)
}

/// A round's applications in review, with their reviews: what the ranking needs,
/// in two queries whatever the round's size.
pub fn ranking_input(conn: &mut DbConn, round: &GrantRoundId) -> StoreResult<Vec<(Application, Vec<Review>)>> {
    // Only those still to decide: the decided ones' money is out of the remaining budget already,
    // so counting their requests again would draw the funding line too high.
    let rows: Vec<ApplicationRow> = grant_applications::table
        .filter(grant_applications::round_id.eq(round.as_str()))
        .filter(grant_applications::status.eq(ApplicationStatus::InReview.as_str()))
        .order(grant_applications::id)
        .select(ApplicationRow::as_select())
        .load(conn)?;
    let reviews: Vec<ReviewRow> = grant_reviews::table
        .inner_join(grant_applications::table)
        .filter(grant_applications::round_id.eq(round.as_str()))
        .filter(grant_applications::status.eq(ApplicationStatus::InReview.as_str()))
        .filter(grant_reviews::coi_status.eq(CoiStatus::None.as_str()))
        .filter(grant_reviews::submitted_at.is_not_null())
        .select(ReviewRow::as_select())
        .load(conn)?;
    let mut by_app: std::collections::HashMap<GrantApplicationId, Vec<Review>> = std::collections::HashMap::new();
    for r in reviews {
        let r = r.parse()?;
        by_app.entry(r.application_id.clone()).or_default().push(r);
    }
    rows.into_iter()
        .map(|row| {
            let app = row.parse()?;
            let reviews = by_app.remove(&app.id).unwrap_or_default();
            Ok((app, reviews))
        })
        .collect()
}
