//! What importing a row does to the listing with its `external_id`: created, updated, proposed
//! as a change for staff, or unchanged (ignoring the order of lists), whether it is submitted,
//! and the counts of each.

use serde::Serialize;
use serde_json::Value;

use crate::directory::activity::ActivityContent;
use crate::directory::moderation::{ListingStatus, ModerationAction, Moderator, edit_needs_moderation, transition};

/// What importing a row does to the listing with its `external_id`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportOutcome {
    /// A new draft.
    Created,
    /// The listing's content is replaced (a draft, or any listing when staff import).
    Updated,
    /// The organisation changed a published listing: the change waits for staff.
    ChangeProposed,
    /// The row says what the listing already says (or what its waiting change says): nothing is
    /// written.
    Unchanged,
}

/// The content as JSON with every list of plain values sorted, so that two listings that differ
/// only in the order of codes, languages, weekdays or dates (which the database does not keep)
/// compare equal.
fn normalized(content: &ActivityContent) -> Value {
    fn sort_lists(value: &mut Value) {
        match value {
            Value::Array(items) => {
                items.iter_mut().for_each(sort_lists);
                if items.iter().all(|v| !v.is_array() && !v.is_object()) {
                    items.sort_by_key(Value::to_string);
                }
            }
            Value::Object(fields) => fields.values_mut().for_each(sort_lists),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(content).unwrap_or(Value::Null);
    sort_lists(&mut value);
    value
}

/// A listing as an import finds it.
#[derive(Debug, Clone, Copy)]
pub struct Existing<'a> {
    pub status: ListingStatus,
    pub content: &'a ActivityContent,
    /// The organisation's change waiting for staff, if any.
    pub pending: Option<&'a ActivityContent>,
}

/// The outcome of importing `content` over the listing that has its external id, if any. What
/// it is compared with is what the import would replace: the waiting change (or the published
/// content) when the edit waits for staff, the content itself when it applies at once.
pub fn outcome(existing: Option<Existing<'_>>, content: &ActivityContent, by: Moderator) -> ImportOutcome {
    let Some(existing) = existing else { return ImportOutcome::Created };
    let moderated = edit_needs_moderation(existing.status, by);
    let replaced = if moderated { existing.pending.unwrap_or(existing.content) } else { existing.content };
    if normalized(replaced) == normalized(content) {
        ImportOutcome::Unchanged
    } else if moderated {
        ImportOutcome::ChangeProposed
    } else {
        ImportOutcome::Updated
    }
}

/// With `submit=true`: the status a row's listing is submitted to, if it is submitted. Every
/// draft of the file is; a rejected or withdrawn listing only when the file changed it (sending
/// the same rejected content again would only ask staff twice).
pub fn submission(outcome: ImportOutcome, status: ListingStatus, by: Moderator) -> Option<ListingStatus> {
    let changed = matches!(outcome, ImportOutcome::Created | ImportOutcome::Updated);
    if !changed && status != ListingStatus::Draft {
        return None;
    }
    transition(status, ModerationAction::Submit, by, None).ok()
}

/// How many rows had each outcome.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    /// Activities in the file.
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    /// Changes to published listings that wait for staff.
    pub change_proposed: usize,
    pub unchanged: usize,
    /// Submitted for moderation (`submit=true`).
    pub submitted: usize,
}

impl ImportCounts {
    pub fn add(&mut self, outcome: ImportOutcome, submitted: bool) {
        self.rows += 1;
        *match outcome {
            ImportOutcome::Created => &mut self.created,
            ImportOutcome::Updated => &mut self.updated,
            ImportOutcome::ChangeProposed => &mut self.change_proposed,
            ImportOutcome::Unchanged => &mut self.unchanged,
        } += 1;
        self.submitted += usize::from(submitted);
    }
}
