//! Applying a CSV import: every row in one transaction, so a file is imported whole or not at
//! all. Each row goes through the same writes as the API's insert, replace, propose and status
//! change (each with its own audit event), without reading every listing back; the import as a
//! whole adds one `activity.imported` event.

use std::collections::HashMap;

use sammen_domain::directory::import::{self, ImportCounts, ImportOutcome, ImportRow};
use sammen_domain::directory::moderation::{ListingStatus, Moderator};

use sammen_domain::ids::{ActivityId, OrganisationId};

use super::activities::{Activity, find_by_external_ids, write_content, write_new, write_status};
use super::organisations::lock_organisation;
use crate::audit::{self, AuditContext};
use crate::dialect::{DbConn, write_transaction};
use crate::error::{StoreError, StoreResult};

/// What the import did to a row's listing, and the listing's id and status after it.
#[derive(Debug, Clone)]
pub struct Imported {
    pub outcome: ImportOutcome,
    pub submitted: bool,
    pub id: ActivityId,
    pub status: ListingStatus,
}

/// An import that was rolled back: the error, and the index of the row being written when it
/// happened (`None` when it was not a row's write).
#[derive(Debug)]
pub struct ImportFailed {
    pub row: Option<usize>,
    pub error: StoreError,
}

/// The organisation's listings with these rows' external ids, by external id.
pub fn existing_for_import(
    conn: &mut DbConn,
    organisation_id: &OrganisationId,
    rows: &[ImportRow],
) -> StoreResult<HashMap<String, Activity>> {
    let ids: Vec<&str> = rows.iter().map(|r| r.external_id.as_str()).collect();
    Ok(find_by_external_ids(conn, organisation_id, &ids)?
        .into_iter()
        .filter_map(|a| a.external_id.clone().map(|id| (id, a)))
        .collect())
}

/// The outcome of a row over what exists.
pub fn planned_outcome(existing: Option<&Activity>, row: &ImportRow, by: Moderator) -> ImportOutcome {
    let existing =
        existing.map(|a| import::Existing { status: a.status, content: &a.content, pending: a.pending.as_ref() });
    import::outcome(existing, &row.content, by)
}

/// Creates or updates the organisation's listing of every row (keyed by external id), and with
/// `submit` submits them for moderation, all in one transaction: any failure rolls every row back.
pub fn import_activities(
    conn: &mut DbConn,
    organisation_id: &OrganisationId,
    rows: &[ImportRow],
    by: Moderator,
    submit: bool,
    ctx: &AuditContext,
) -> Result<Vec<Imported>, ImportFailed> {
    let mut at = None;
    write_transaction(conn, |conn| {
        lock_organisation(conn, organisation_id)?;
        let mut existing = existing_for_import(conn, organisation_id, rows)?;
        let mut imported = Vec::with_capacity(rows.len());
        let mut counts = ImportCounts::default();
        for (i, row) in rows.iter().enumerate() {
            at = Some(i);
            let current = existing.remove(&row.external_id);
            let outcome = planned_outcome(current.as_ref(), row, by);
            let (id, status) = match current {
                None => {
                    let id = write_new(conn, organisation_id, Some(&row.external_id), &row.content, ctx)?;
                    (id, ListingStatus::Draft)
                }
                Some(current) => {
                    if outcome != ImportOutcome::Unchanged {
                        write_content(conn, &current.id, current.status, None, &row.content, by, ctx)?;
                    }
                    (current.id, current.status)
                }
            };
            let to = if submit { import::submission(outcome, status, by) } else { None };
            if let Some(to) = to {
                write_status(conn, &id, None, to, None, ctx)?;
            }
            counts.add(outcome, to.is_some());
            imported.push(Imported { outcome, submitted: to.is_some(), id, status: to.unwrap_or(status) });
        }
        at = None;
        let details = serde_json::to_value(counts)?;
        audit::record_change(conn, ctx, "organisation", "activity.imported", organisation_id.as_str(), details)?;
        Ok(imported)
    })
    .map_err(|error| ImportFailed { row: at, error })
}
