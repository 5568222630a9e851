//! Response types of the grant pool, per audience: the public sees pools, rounds and their
//! criteria; the applicant their application with its plain status, checklist, decision and
//! aggregated scores (never reviewers' names or single scores); staff the same plus what only
//! they act on.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use sammen_domain::grants::application::{Missing, PlainStatus};
use sammen_domain::grants::criteria::{Criterion, EligibilityRule};
use sammen_domain::grants::decision::Reasons;
use sammen_domain::grants::ranking::CriterionMean;
use sammen_domain::grants::round::{Phase, Track};
use sammen_store::grants::{Application, Attachment, CriteriaVersion, Pool, Report, Round, TimelineEvent, Tranche};
use serde::Serialize;
use utoipa::ToSchema;

pub const TIME_ZONE: &str = "Europe/Copenhagen";

pub fn utc(at: NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}

/// An instant as Copenhagen's wall clock shows it, with the offset (`2027-04-30T12:00:00+02:00`).
pub fn local(at: NaiveDateTime) -> String {
    at.and_utc().with_timezone(&chrono_tz::Europe::Copenhagen).to_rfc3339()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FunderResponse {
    #[schema(example = "Københavns Kommune")]
    pub name: String,
    /// As 360Giving identifies organisations.
    #[schema(example = "DK-CVR-64942212")]
    pub identifier: String,
}

/// A pool with its money: committed, disbursed and remaining follow from the ledger.
#[derive(Debug, Serialize, ToSchema)]
pub struct PoolResponse {
    #[schema(format = Uuid)]
    pub id: String,
    pub title: String,
    pub purpose: String,
    #[schema(example = "Serviceloven § 18")]
    pub legal_basis: String,
    pub funder: FunderResponse,
    #[schema(example = "DKK")]
    pub currency: &'static str,
    pub budget_ore: i64,
    pub committed_ore: i64,
    pub disbursed_ore: i64,
    /// What can still be committed: budget less committed.
    pub remaining_ore: i64,
    /// `draft` (staff only), `published`, `closed`.
    #[schema(example = "published")]
    pub status: String,
    pub rounds: Vec<RoundResponse>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub fn pool_view(pool: Pool, rounds: Vec<RoundResponse>) -> PoolResponse {
    PoolResponse {
        remaining_ore: pool.remaining_ore(),
        id: pool.id.into_string(),
        title: pool.title,
        purpose: pool.purpose,
        legal_basis: pool.legal_basis,
        funder: FunderResponse { name: pool.funder_name, identifier: pool.funder_identifier },
        currency: "DKK",
        budget_ore: pool.budget_ore,
        committed_ore: pool.committed_ore,
        disbursed_ore: pool.disbursed_ore,
        status: pool.status.to_string(),
        rounds,
        version: pool.version,
        created_at: utc(pool.created_at),
        updated_at: utc(pool.updated_at),
    }
}

/// What the round's track asks of applicants.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrackResponse {
    /// `small` or `large`.
    #[schema(example = "small")]
    pub name: String,
    /// `short` or `full` form.
    pub form: &'static str,
    pub description_min_chars: usize,
    pub required_attachments: Vec<String>,
    /// `declaration` (on honour) or `accounts`.
    pub report: String,
    /// Payments an award is paid in.
    pub tranches: u8,
}

fn track_view(track: Track) -> TrackResponse {
    let rules = track.rules();
    TrackResponse {
        name: track.to_string(),
        form: rules.form,
        description_min_chars: rules.description_min_chars,
        required_attachments: rules.required_attachments.iter().map(|k| k.to_string()).collect(),
        report: rules.report.to_string(),
        tranches: rules.tranches,
    }
}

/// A change of the criteria after the round opened.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeResponse {
    pub criteria_version: i32,
    pub notice: String,
    pub published_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoundResponse {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub pool_id: String,
    pub title: String,
    pub description: String,
    /// `deadline` or `rolling` (first come, first served until the money is spent).
    #[schema(example = "rolling")]
    pub kind: String,
    pub track: TrackResponse,
    pub opens_at: DateTime<Utc>,
    /// `null` for a rolling round without an end.
    pub closes_at: Option<DateTime<Utc>>,
    /// The opening as Copenhagen's clocks show it.
    #[schema(example = "2027-04-15T00:00:00+02:00")]
    pub opens_at_local: String,
    #[schema(example = "2027-04-30T12:00:00+02:00")]
    pub closes_at_local: Option<String>,
    #[schema(example = "Europe/Copenhagen")]
    pub time_zone: &'static str,
    /// By the server's clock now: `upcoming`, `open` or `closed`.
    #[schema(example = "open")]
    pub phase: String,
    pub min_amount_ore: i64,
    pub max_amount_ore: i64,
    pub decision_expected_on: NaiveDate,
    pub reviews_required: i32,
    pub criteria_version: i32,
    pub criteria: Vec<Criterion>,
    pub eligibility: Vec<EligibilityRule>,
    /// Changes of the criteria after the round opened, newest first.
    pub notices: Vec<NoticeResponse>,
    pub version: i64,
}

pub fn round_view(round: Round, now: NaiveDateTime, history: &[CriteriaVersion]) -> RoundResponse {
    let current = history.iter().find(|v| v.version == round.criteria_version);
    let phase = match round.phase(now) {
        Phase::Upcoming => "upcoming",
        Phase::Open => "open",
        Phase::Closed => "closed",
    };
    RoundResponse {
        criteria: current.map(|c| c.criteria.clone()).unwrap_or_default(),
        eligibility: current.map(|c| c.eligibility.clone()).unwrap_or_default(),
        notices: history
            .iter()
            .filter_map(|v| {
                v.notice.as_ref().map(|n| NoticeResponse {
                    criteria_version: v.version,
                    notice: n.clone(),
                    published_at: utc(v.created_at),
                })
            })
            .collect(),
        id: round.id.into_string(),
        pool_id: round.pool_id.into_string(),
        title: round.title,
        description: round.description,
        kind: round.kind.to_string(),
        track: track_view(round.track),
        opens_at: utc(round.opens_at),
        closes_at: round.closes_at.map(utc),
        opens_at_local: local(round.opens_at),
        closes_at_local: round.closes_at.map(local),
        time_zone: TIME_ZONE,
        phase: phase.to_owned(),
        min_amount_ore: round.min_amount_ore,
        max_amount_ore: round.max_amount_ore,
        decision_expected_on: round.decision_expected_on,
        reviews_required: round.reviews_required,
        criteria_version: round.criteria_version,
        version: round.version,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentResponse {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(example = "budget")]
    pub kind: String,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_at: DateTime<Utc>,
}

pub fn attachment_view(a: Attachment) -> AttachmentResponse {
    AttachmentResponse {
        id: a.id.into_string(),
        kind: a.kind.to_string(),
        file_name: a.file_name,
        media_type: a.media_type,
        size_bytes: a.size_bytes,
        sha256: a.content_sha256,
        uploaded_at: utc(a.uploaded_at),
    }
}

/// What staff asked for, or why the application is not eligible.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScreeningResponse {
    pub message: String,
    pub due_on: Option<NaiveDate>,
}

/// The decision as the applicant reads it: outcome, amount, reasons per criterion, how to ask
/// for reconsideration, and the reviews' mean score per criterion (never single reviews).
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionResponse {
    /// `award`, `partial_award` or `rejection`.
    #[schema(example = "partial_award")]
    pub outcome: String,
    pub awarded_ore: Option<i64>,
    pub reasons: Reasons,
    pub assessment: Vec<CriterionMean>,
    pub decided_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrancheResponse {
    #[schema(format = Uuid)]
    pub id: String,
    pub position: i32,
    pub amount_ore: i64,
    /// `on_acceptance` or `after_report`.
    pub condition: String,
    /// `planned`, `paid` or `cancelled`.
    pub status: String,
    pub paid_at: Option<DateTime<Utc>>,
}

pub fn tranche_view(t: Tranche) -> TrancheResponse {
    TrancheResponse {
        id: t.id.into_string(),
        position: t.position,
        amount_ore: t.amount_ore,
        condition: t.condition.to_string(),
        status: t.status.to_string(),
        paid_at: t.paid_at.map(utc),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GrantReportResponse {
    #[schema(format = Uuid)]
    pub id: String,
    /// `declaration` or `accounts`.
    pub kind: String,
    pub spent_ore: i64,
    pub text: String,
    /// `submitted`, `approved` or `returned`.
    pub status: String,
    pub staff_note: Option<String>,
    pub submitted_at: DateTime<Utc>,
    pub reviewed_at: Option<DateTime<Utc>>,
}

pub fn report_view(r: Report) -> GrantReportResponse {
    GrantReportResponse {
        id: r.id.into_string(),
        kind: r.kind,
        spent_ore: r.spent_ore,
        text: r.text,
        status: r.status,
        staff_note: r.staff_note,
        submitted_at: utc(r.submitted_at),
        reviewed_at: r.reviewed_at.map(utc),
    }
}

/// An application as its applicant (and staff) read it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationResponse {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub round_id: String,
    #[schema(format = Uuid)]
    pub pool_id: String,
    #[schema(format = Uuid)]
    pub organisation_id: String,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub amount_requested_ore: i64,
    pub planned_start: Option<NaiveDate>,
    pub planned_end: Option<NaiveDate>,
    /// `micro`, `small`, `medium`, `large` (yearly turnover): for the equal-access statistics.
    pub size_band: Option<String>,
    pub target_groups: Vec<String>,
    /// The track's further answers.
    #[schema(value_type = Object)]
    pub answers: serde_json::Map<String, serde_json::Value>,
    /// The eligibility rules the applicant confirmed (their keys).
    pub declarations: Vec<String>,
    #[schema(example = "submitted")]
    pub status: String,
    /// The status in plain words.
    pub plain_status: PlainStatus,
    /// While a decision is ahead: when it is expected.
    pub expected_decision_on: Option<NaiveDate>,
    /// What is still missing before submitting (empty when complete); only while editable.
    pub checklist: Vec<Missing>,
    /// The last submitted revision (0 before the first submission).
    pub revision: i32,
    pub submitted_at: Option<DateTime<Utc>>,
    pub screening: Option<ScreeningResponse>,
    pub decision: Option<DecisionResponse>,
    pub attachments: Vec<AttachmentResponse>,
    pub tranches: Vec<TrancheResponse>,
    pub reports: Vec<GrantReportResponse>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What an application's view is made of besides the application.
#[derive(Debug, Default)]
pub struct ApplicationParts {
    pub expected_decision_on: Option<NaiveDate>,
    pub checklist: Vec<Missing>,
    pub assessment: Vec<CriterionMean>,
    pub attachments: Vec<Attachment>,
    pub tranches: Vec<Tranche>,
    pub reports: Vec<Report>,
}

pub fn application_view(a: Application, parts: ApplicationParts) -> ApplicationResponse {
    let decision = match (a.outcome, a.decision, a.decided_at) {
        (Some(outcome), Some(reasons), Some(at)) => Some(DecisionResponse {
            outcome: outcome.to_string(),
            awarded_ore: a.awarded_ore,
            reasons,
            assessment: parts.assessment,
            decided_at: utc(at),
        }),
        _ => None,
    };
    ApplicationResponse {
        id: a.id.into_string(),
        round_id: a.round_id.into_string(),
        pool_id: a.pool_id.into_string(),
        organisation_id: a.organisation_id.into_string(),
        title: a.title,
        summary: a.summary,
        description: a.description,
        amount_requested_ore: a.amount_requested_ore,
        planned_start: a.planned_start,
        planned_end: a.planned_end,
        size_band: a.size_band.map(|b| b.to_string()),
        target_groups: a.target_groups,
        answers: a.answers,
        declarations: a.declarations,
        status: a.status.to_string(),
        plain_status: a.status.plain(),
        expected_decision_on: parts.expected_decision_on.filter(|_| a.status.awaits_decision()),
        checklist: if a.status.editable() { parts.checklist } else { Vec::new() },
        revision: a.revision,
        submitted_at: a.submitted_at.map(utc),
        screening: a.screening.map(|s| ScreeningResponse { message: s.message, due_on: s.due_on }),
        decision,
        attachments: parts.attachments.into_iter().map(attachment_view).collect(),
        tranches: parts.tranches.into_iter().map(tranche_view).collect(),
        reports: parts.reports.into_iter().map(report_view).collect(),
        version: a.version,
        created_at: utc(a.created_at),
        updated_at: utc(a.updated_at),
    }
}

/// One step on the application's timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineResponse {
    #[schema(example = "submit")]
    pub transition: String,
    pub from_status: String,
    pub to_status: String,
    pub plain_status: PlainStatus,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

pub fn timeline_view(e: TimelineEvent) -> TimelineResponse {
    TimelineResponse {
        plain_status: e.to_status.plain(),
        transition: e.transition,
        from_status: e.from_status.to_string(),
        to_status: e.to_status.to_string(),
        note: e.note,
        at: utc(e.at),
    }
}
