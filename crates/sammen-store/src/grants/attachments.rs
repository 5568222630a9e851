//! Attachments: uploaded while the application is editable, kept across edits and revisions.
//! Removing one hides it from the draft; a submitted revision keeps naming it (and its hash).

use diesel::prelude::*;
use sammen_domain::Entity;
use sammen_domain::grants::GrantError;
use sammen_domain::grants::application::AttachmentKind;
use sammen_domain::ids::{GrantApplicationId, GrantAttachmentId};
use sha2::{Digest, Sha256};

use super::{AUDIT_APPLICATION, Attachment};
use crate::DbConn;
use crate::audit::{self, AuditContext};
use crate::error::{Found, StoreResult};
use crate::schema::grant_attachments;

pub struct NewAttachment<'a> {
    pub kind: AttachmentKind,
    pub file_name: &'a str,
    pub media_type: &'a str,
    pub content: &'a [u8],
}

pub fn insert_attachment(
    conn: &mut DbConn,
    application: &GrantApplicationId,
    new: &NewAttachment<'_>,
    ctx: &AuditContext,
) -> StoreResult<Attachment> {
    let app = super::lock_application(conn, application)?;
    if !app.status.editable() {
        return Err(GrantError::InvalidTransition { from: app.status, action: "given attachments" }.into());
    }
    let id = GrantAttachmentId::new();
    diesel::insert_into(grant_attachments::table)
        .values((
            grant_attachments::id.eq(id.as_str()),
            grant_attachments::application_id.eq(application.as_str()),
            grant_attachments::kind.eq(new.kind.as_str()),
            grant_attachments::file_name.eq(new.file_name),
            grant_attachments::media_type.eq(new.media_type),
            grant_attachments::size_bytes.eq(new.content.len() as i64),
            grant_attachments::content_sha256.eq(format!("{:x}", Sha256::digest(new.content))),
            grant_attachments::content.eq(new.content),
            grant_attachments::uploaded_by.eq(&ctx.actor),
            grant_attachments::uploaded_at.eq(crate::now()),
        ))
        .execute(conn)?;
    let details = serde_json::json!({ "attachment_id": id, "kind": new.kind });
    audit::record_change(
        conn,
        ctx,
        AUDIT_APPLICATION,
        "grant_application.attachment_added",
        application.as_str(),
        details,
    )?;
    find_attachment(conn, application, &id)
}

pub fn find_attachment(
    conn: &mut DbConn,
    application: &GrantApplicationId,
    id: &GrantAttachmentId,
) -> StoreResult<Attachment> {
    grant_attachments::table
        .filter(grant_attachments::id.eq(id.as_str()))
        .filter(grant_attachments::application_id.eq(application.as_str()))
        .select(Attachment::as_select())
        .first(conn)
        .found(Entity::GrantAttachment)
}

/// An attachment's content (also of removed ones: a revision may name them).
pub fn attachment_content(
    conn: &mut DbConn,
    application: &GrantApplicationId,
    id: &GrantAttachmentId,
) -> StoreResult<(Attachment, Vec<u8>)> {
    grant_attachments::table
        .filter(grant_attachments::id.eq(id.as_str()))
        .filter(grant_attachments::application_id.eq(application.as_str()))
        .select((Attachment::as_select(), grant_attachments::content))
        .first(conn)
        .found(Entity::GrantAttachment)
}

/// The application's current attachments (not removed), oldest first.
pub fn attachments(conn: &mut DbConn, application: &GrantApplicationId) -> StoreResult<Vec<Attachment>> {
    Ok(grant_attachments::table
        .filter(grant_attachments::application_id.eq(application.as_str()))
        .filter(grant_attachments::removed_at.is_null())
        .order(grant_attachments::id)
        .select(Attachment::as_select())
        .load(conn)?)
}

pub fn remove_attachment(
    conn: &mut DbConn,
    application: &GrantApplicationId,
    id: &GrantAttachmentId,
    ctx: &AuditContext,
) -> StoreResult<()> {
    let app = super::lock_application(conn, application)?;
    if !app.status.editable() {
        return Err(GrantError::InvalidTransition { from: app.status, action: "changed" }.into());
    }
    let removed = diesel::update(
        grant_attachments::table
            .filter(grant_attachments::id.eq(id.as_str()))
            .filter(grant_attachments::application_id.eq(application.as_str()))
            .filter(grant_attachments::removed_at.is_null()),
    )
    .set(grant_attachments::removed_at.eq(Some(crate::now())))
    .execute(conn)?;
    if removed == 0 {
        return Err(crate::StoreError::NotFound(Entity::GrantAttachment));
    }
    let details = serde_json::json!({ "attachment_id": id });
    audit::record_change(
        conn,
        ctx,
        AUDIT_APPLICATION,
        "grant_application.attachment_removed",
        application.as_str(),
        details,
    )
}
