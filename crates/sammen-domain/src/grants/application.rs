//! An application: its states with the plain words the applicant reads, and the checklist of
//! what is missing before it can be submitted.

use serde::{Deserialize, Serialize};

use super::criteria::EligibilityRule;
use super::round::{Track, amount_within};

crate::text_enum! {
    /// Where an application stands (`lifecycle` says which action leads where).
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ApplicationStatus ("application status") {
        Draft = "draft",
        Submitted = "submitted",
        InformationRequested = "information_requested",
        Ineligible = "ineligible",
        InReview = "in_review",
        Waitlisted = "waitlisted",
        Awarded = "awarded",
        Rejected = "rejected",
        Accepted = "accepted",
        Declined = "declined",
        Withdrawn = "withdrawn",
        Closed = "closed",
    }
}

/// The status in plain words, in Danish and English, as the applicant sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlainStatus {
    pub da: &'static str,
    pub en: &'static str,
}

impl ApplicationStatus {
    pub fn plain(self) -> PlainStatus {
        let (da, en) = match self {
            Self::Draft => ("Kladde – ikke indsendt", "Draft – not submitted"),
            Self::Submitted => ("Modtaget – venter på formel vurdering", "Received – awaiting screening"),
            Self::InformationRequested => {
                ("Mangler oplysninger – ret og indsend igen", "More information needed – edit and submit again")
            }
            Self::Ineligible => ("Afvist – opfylder ikke betingelserne", "Not eligible – the conditions are not met"),
            Self::InReview => ("Under vurdering", "Under assessment"),
            Self::Waitlisted => {
                ("På venteliste – puljens midler er brugt lige nu", "Waitlisted – the pool's money is spent for now")
            }
            Self::Awarded => ("Bevilget – svar om I tager imod", "Awarded – tell us whether you accept"),
            Self::Rejected => ("Afslag", "Rejected"),
            Self::Accepted => ("Bevilling modtaget – projektet er i gang", "Award accepted – the project is running"),
            Self::Declined => ("Bevilling afslået af ansøger", "Award declined by the applicant"),
            Self::Withdrawn => ("Trukket tilbage", "Withdrawn"),
            Self::Closed => ("Afsluttet", "Closed"),
        };
        PlainStatus { da, en }
    }

    /// Whether the applicant may change the content now.
    pub fn editable(self) -> bool {
        matches!(self, Self::Draft | Self::InformationRequested)
    }

    /// Whether the application has been submitted (it is in the statistics and never deleted).
    pub fn submitted(self) -> bool {
        !matches!(self, Self::Draft)
    }

    /// Whether a decision is still ahead (so the expected decision date is worth showing).
    pub fn awaits_decision(self) -> bool {
        matches!(self, Self::Submitted | Self::InformationRequested | Self::InReview | Self::Waitlisted)
    }

    /// Whether money is committed to it.
    pub fn holds_commitment(self) -> bool {
        matches!(self, Self::Awarded | Self::Accepted)
    }
}

crate::text_enum! {
    /// The applicant's size, by yearly turnover: what the equal-access statistics group by.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum SizeBand ("size band") {
        /// Under 50,000 kr a year (most informal groups).
        Micro = "micro",
        /// 50,000 to 500,000 kr.
        Small = "small",
        /// 500,000 to 5 million kr.
        Medium = "medium",
        /// Over 5 million kr.
        Large = "large",
    }
}

crate::text_enum! {
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum AttachmentKind ("kind of attachment") {
        Budget = "budget",
        ProjectPlan = "project_plan",
        Accounts = "accounts",
        Other = "other",
    }
}

/// The most an attachment may hold, and the kinds of file accepted.
pub const MAX_ATTACHMENT_BYTES: usize = 5 * 1024 * 1024;
pub const ATTACHMENT_MEDIA_TYPES: [&str; 6] = [
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text",
    "image/png",
    "image/jpeg",
];

/// What the checklist looks at.
#[derive(Debug, Clone)]
pub struct Draft<'a> {
    pub track: Track,
    pub min_amount_ore: i64,
    pub max_amount_ore: i64,
    pub title: &'a str,
    pub summary: &'a str,
    pub description: &'a str,
    pub amount_requested_ore: i64,
    pub has_planned_dates: bool,
    pub has_size_band: bool,
    pub target_groups: &'a [String],
    pub eligibility: &'a [EligibilityRule],
    pub declarations: &'a [String],
    pub attachments: &'a [AttachmentKind],
}

/// One thing still missing before submitting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Missing {
    /// The field it concerns (`declarations.local`, `attachments.budget`).
    pub field: String,
    pub message: String,
}

fn missing(field: impl Into<String>, message: impl Into<String>) -> Missing {
    Missing { field: field.into(), message: message.into() }
}

/// Everything still missing before `draft` can be submitted; empty when it is complete.
pub fn checklist(draft: &Draft<'_>) -> Vec<Missing> {
    let rules = draft.track.rules();
    let mut out = Vec::new();
    if draft.title.trim().chars().count() < 2 {
        out.push(missing("title", "Give the project a title"));
    }
    if draft.summary.trim().chars().count() < 10 {
        out.push(missing("summary", "Summarise the project in a sentence or two (at most 280 characters)"));
    }
    if draft.description.trim().chars().count() < rules.description_min_chars {
        out.push(missing(
            "description",
            format!("Describe the project in at least {} characters", rules.description_min_chars),
        ));
    }
    if !amount_within(draft.amount_requested_ore, draft.min_amount_ore, draft.max_amount_ore) {
        out.push(missing(
            "amount_requested_ore",
            format!(
                "Apply for between {} and {} kr in this round",
                draft.min_amount_ore / 100,
                draft.max_amount_ore / 100
            ),
        ));
    }
    if !draft.has_planned_dates {
        out.push(missing("planned_start", "Say when the project starts and ends"));
    }
    if !draft.has_size_band {
        out.push(missing("size_band", "Say how large your organisation or group is (yearly turnover)"));
    }
    if draft.target_groups.is_empty() {
        out.push(missing("target_groups", "Say whom the project is for"));
    }
    for rule in draft.eligibility {
        if !draft.declarations.contains(&rule.key) {
            out.push(missing(format!("declarations.{}", rule.key), format!("Confirm: {}", rule.text)));
        }
    }
    for kind in rules.required_attachments {
        if !draft.attachments.contains(kind) {
            let what = match kind {
                AttachmentKind::Budget => "a budget",
                AttachmentKind::ProjectPlan => "a project plan",
                AttachmentKind::Accounts => "accounts",
                AttachmentKind::Other => "the attachment",
            };
            out.push(missing(format!("attachments.{kind}"), format!("Attach {what}")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete(track: Track) -> Vec<Missing> {
        let rules = [EligibilityRule { key: "local".into(), text: "In Copenhagen".into() }];
        let description = "x".repeat(250);
        checklist(&Draft {
            track,
            min_amount_ore: 100_000,
            max_amount_ore: 8_000_000,
            title: "Walks",
            summary: "Weekly walks for lonely older men",
            description: &description,
            amount_requested_ore: 2_500_000,
            has_planned_dates: true,
            has_size_band: true,
            target_groups: &["older_citizens".to_owned()],
            eligibility: &rules,
            declarations: &["local".to_owned()],
            attachments: &[AttachmentKind::Budget, AttachmentKind::ProjectPlan],
        })
    }

    #[test]
    fn a_complete_draft_has_an_empty_checklist() {
        assert!(complete(Track::Small).is_empty());
        assert!(complete(Track::Large).is_empty());
    }

    #[test]
    fn the_checklist_names_everything_missing() {
        let rules = [EligibilityRule { key: "local".into(), text: "In Copenhagen".into() }];
        let list = checklist(&Draft {
            track: Track::Large,
            min_amount_ore: 8_000_100,
            max_amount_ore: 50_000_000,
            title: "",
            summary: "",
            description: "short",
            amount_requested_ore: 100,
            has_planned_dates: false,
            has_size_band: false,
            target_groups: &[],
            eligibility: &rules,
            declarations: &[],
            attachments: &[AttachmentKind::Budget],
        });
        let fields: Vec<&str> = list.iter().map(|m| m.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "title",
                "summary",
                "description",
                "amount_requested_ore",
                "planned_start",
                "size_band",
                "target_groups",
                "declarations.local",
                "attachments.project_plan"
            ]
        );
    }

    #[test]
    fn every_status_has_plain_words() {
        for status in ApplicationStatus::ALL {
            assert!(!status.plain().da.is_empty() && !status.plain().en.is_empty());
        }
        assert!(ApplicationStatus::InformationRequested.editable() && !ApplicationStatus::Submitted.editable());
    }
}
