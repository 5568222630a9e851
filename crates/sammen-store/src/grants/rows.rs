//! The grant pool's rows, read straight into the domain's types.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use sammen_domain::grants::application::{ApplicationStatus, AttachmentKind, SizeBand};
use sammen_domain::grants::criteria::{Criterion, EligibilityRule};
use sammen_domain::grants::decision::{Outcome, Reasons};
use sammen_domain::grants::money::{TrancheCondition, TrancheStatus};
use sammen_domain::grants::pool::PoolStatus;
use sammen_domain::grants::review::{CoiStatus, Score};
use sammen_domain::grants::round::{RoundKind, Track};
use sammen_domain::ids::{
    GrantApplicationId, GrantAttachmentId, GrantPoolId, GrantReportId, GrantReviewId, GrantRoundId, GrantTrancheId,
    OrganisationId, UserId,
};
use serde::{Deserialize, Serialize};

use super::from_json;
use crate::StoreResult;
use crate::schema::*;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = grant_pools)]
pub struct Pool {
    pub id: GrantPoolId,
    pub title: String,
    pub purpose: String,
    pub legal_basis: String,
    pub funder_name: String,
    pub funder_identifier: String,
    pub budget_ore: i64,
    pub committed_ore: i64,
    pub disbursed_ore: i64,
    pub status: PoolStatus,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Pool {
    pub fn remaining_ore(&self) -> i64 {
        self.budget_ore - self.committed_ore
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = grant_rounds)]
pub struct Round {
    pub id: GrantRoundId,
    pub pool_id: GrantPoolId,
    pub title: String,
    pub description: String,
    pub kind: RoundKind,
    pub track: Track,
    pub opens_at: NaiveDateTime,
    pub closes_at: Option<NaiveDateTime>,
    pub min_amount_ore: i64,
    pub max_amount_ore: i64,
    pub decision_expected_on: NaiveDate,
    pub reviews_required: i32,
    pub criteria_version: i32,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Round {
    pub fn phase(&self, now: NaiveDateTime) -> sammen_domain::grants::round::Phase {
        sammen_domain::grants::round::phase(now, self.opens_at, self.closes_at)
    }
}

/// One version of a round's criteria and eligibility rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriteriaVersion {
    pub version: i32,
    pub criteria: Vec<Criterion>,
    pub eligibility: Vec<EligibilityRule>,
    pub notice: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = grant_round_criteria)]
pub(super) struct CriteriaRow {
    pub criteria_version: i32,
    pub criteria: String,
    pub eligibility: String,
    pub notice: Option<String>,
    pub created_at: NaiveDateTime,
}

impl CriteriaRow {
    pub(super) fn parse(self) -> StoreResult<CriteriaVersion> {
        Ok(CriteriaVersion {
            version: self.criteria_version,
            criteria: from_json(&self.criteria)?,
            eligibility: from_json(&self.eligibility)?,
            notice: self.notice,
            created_at: self.created_at,
        })
    }
}

/// What staff asked for in screening, or why the application is ineligible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Screening {
    pub message: String,
    /// The date by which more information is asked for.
    pub due_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = grant_applications)]
pub struct ApplicationRow {
    pub id: GrantApplicationId,
    pub round_id: GrantRoundId,
    pub pool_id: GrantPoolId,
    pub organisation_id: OrganisationId,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub amount_requested_ore: i64,
    pub planned_start: Option<NaiveDate>,
    pub planned_end: Option<NaiveDate>,
    pub size_band: Option<String>,
    pub target_groups: String,
    pub answers: String,
    pub declarations: String,
    pub status: ApplicationStatus,
    pub revision: i32,
    pub submitted_at: Option<NaiveDateTime>,
    pub waitlisted_at: Option<NaiveDateTime>,
    pub screening: Option<String>,
    pub outcome: Option<String>,
    pub awarded_ore: Option<i64>,
    pub decision: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub version: i64,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// An application with its JSON columns read.
#[derive(Debug, Clone, PartialEq)]
pub struct Application {
    pub id: GrantApplicationId,
    pub round_id: GrantRoundId,
    pub pool_id: GrantPoolId,
    pub organisation_id: OrganisationId,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub amount_requested_ore: i64,
    pub planned_start: Option<NaiveDate>,
    pub planned_end: Option<NaiveDate>,
    pub size_band: Option<SizeBand>,
    pub target_groups: Vec<String>,
    pub answers: serde_json::Map<String, serde_json::Value>,
    pub declarations: Vec<String>,
    pub status: ApplicationStatus,
    pub revision: i32,
    pub submitted_at: Option<NaiveDateTime>,
    pub waitlisted_at: Option<NaiveDateTime>,
    pub screening: Option<Screening>,
    pub outcome: Option<Outcome>,
    pub awarded_ore: Option<i64>,
    pub decision: Option<Reasons>,
    pub decided_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl ApplicationRow {
    pub fn parse(self) -> StoreResult<Application> {
        let corrupt = |what: &str| crate::StoreError::Corrupt(format!("grant application {what}"));
        Ok(Application {
            size_band: self.size_band.map(|b| SizeBand::parse(&b).ok_or_else(|| corrupt("size band"))).transpose()?,
            target_groups: from_json(&self.target_groups)?,
            answers: from_json(&self.answers)?,
            declarations: from_json(&self.declarations)?,
            screening: self.screening.as_deref().map(from_json).transpose()?,
            outcome: self.outcome.map(|o| Outcome::parse(&o).ok_or_else(|| corrupt("outcome"))).transpose()?,
            decision: self.decision.as_deref().map(from_json).transpose()?,
            id: self.id,
            round_id: self.round_id,
            pool_id: self.pool_id,
            organisation_id: self.organisation_id,
            title: self.title,
            summary: self.summary,
            description: self.description,
            amount_requested_ore: self.amount_requested_ore,
            planned_start: self.planned_start,
            planned_end: self.planned_end,
            status: self.status,
            revision: self.revision,
            submitted_at: self.submitted_at,
            waitlisted_at: self.waitlisted_at,
            awarded_ore: self.awarded_ore,
            decided_at: self.decided_at,
            closed_at: self.closed_at,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// An entry on an application's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = grant_application_events)]
pub struct TimelineEvent {
    pub id: String,
    pub transition: String,
    pub from_status: ApplicationStatus,
    pub to_status: ApplicationStatus,
    pub note: Option<String>,
    pub at: NaiveDateTime,
}

/// A submitted revision: what the receipt quotes.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = grant_application_revisions)]
pub struct Revision {
    pub revision: i32,
    pub content: String,
    pub content_sha256: String,
    pub criteria_version: i32,
    pub submitted_at: NaiveDateTime,
}

/// An attachment without its content.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = grant_attachments)]
pub struct Attachment {
    pub id: GrantAttachmentId,
    pub kind: AttachmentKind,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub content_sha256: String,
    pub uploaded_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = grant_reviews)]
pub struct ReviewRow {
    pub id: GrantReviewId,
    pub application_id: GrantApplicationId,
    pub reviewer_id: UserId,
    pub coi_status: CoiStatus,
    pub coi_note: Option<String>,
    pub coi_declared_at: Option<NaiveDateTime>,
    pub scores: String,
    pub submitted_at: Option<NaiveDateTime>,
    pub version: i64,
    pub created_at: NaiveDateTime,
}

/// A review assignment with its scores read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub id: GrantReviewId,
    pub application_id: GrantApplicationId,
    pub reviewer_id: UserId,
    pub coi_status: CoiStatus,
    pub coi_note: Option<String>,
    pub coi_declared_at: Option<NaiveDateTime>,
    pub scores: Vec<Score>,
    pub submitted_at: Option<NaiveDateTime>,
    pub version: i64,
    pub created_at: NaiveDateTime,
}

impl ReviewRow {
    pub fn parse(self) -> StoreResult<Review> {
        Ok(Review {
            scores: from_json(&self.scores)?,
            id: self.id,
            application_id: self.application_id,
            reviewer_id: self.reviewer_id,
            coi_status: self.coi_status,
            coi_note: self.coi_note,
            coi_declared_at: self.coi_declared_at,
            submitted_at: self.submitted_at,
            version: self.version,
            created_at: self.created_at,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = grant_tranches)]
pub struct Tranche {
    pub id: GrantTrancheId,
    pub position: i32,
    pub amount_ore: i64,
    pub condition: TrancheCondition,
    pub status: TrancheStatus,
    pub payment_reference: Option<String>,
    pub paid_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = grant_reports)]
pub struct Report {
    pub id: GrantReportId,
    pub kind: String,
    pub spent_ore: i64,
    pub text: String,
    pub status: String,
    pub staff_note: Option<String>,
    pub submitted_at: NaiveDateTime,
    pub reviewed_at: Option<NaiveDateTime>,
}
