//! What the applicant hears: each notice goes by e-mail to every representative of the applicant
//! organisation and by webhook to the subscriptions that ask for it, through the outbox in the
//! change's transaction. The payload holds ids, statuses and amounts: no personal data.

use diesel::prelude::*;
use sammen_domain::identity::Role;
use sammen_domain::ids::UserId;
use sammen_domain::outbox::EventType;

use super::Application;
use crate::DbConn;
use crate::error::StoreResult;
use crate::outbox::{NewEvent, enqueue};
use crate::schema::{user_roles, users};

#[derive(Debug, Clone, Copy)]
pub(super) enum Notice {
    Submitted,
    InformationRequested,
    Decided,
    MovedUp,
    TranchePaid,
}

impl Notice {
    fn event_type(self) -> EventType {
        match self {
            Notice::Submitted => EventType::GrantApplicationSubmitted,
            Notice::InformationRequested => EventType::GrantApplicationInformationRequested,
            Notice::Decided => EventType::GrantApplicationDecided,
            Notice::MovedUp => EventType::GrantApplicationMovedUp,
            Notice::TranchePaid => EventType::GrantApplicationTranchePaid,
        }
    }
}

/// The active users who represent the organisation.
fn representatives(conn: &mut DbConn, app: &Application) -> StoreResult<Vec<UserId>> {
    Ok(user_roles::table
        .inner_join(users::table)
        .filter(user_roles::role.eq(Role::Organisation.as_str()))
        .filter(user_roles::scope_id.eq(app.organisation_id.as_str()))
        .filter(users::disabled.eq(false))
        .order(user_roles::user_id)
        .select(user_roles::user_id)
        .load(conn)?)
}

pub(super) fn notify(
    conn: &mut DbConn,
    app: &Application,
    notice: Notice,
    extra: serde_json::Value,
) -> StoreResult<()> {
    let mut payload = serde_json::json!({
        "id": app.id,
        "round_id": app.round_id,
        "organisation_id": app.organisation_id,
        "status": app.status,
    });
    if let (Some(target), serde_json::Value::Object(extra)) = (payload.as_object_mut(), extra) {
        target.extend(extra);
    }
    let event = NewEvent {
        event_type: notice.event_type(),
        resource_type: "grant_application",
        resource_id: app.id.as_str(),
        payload,
    };
    let recipients: Vec<String> = representatives(conn, app)?.into_iter().map(UserId::into_string).collect();
    if !recipients.is_empty() {
        enqueue(conn, &event, sammen_domain::outbox::Channel::Email, &recipients)?;
    }
    crate::webhooks::announce(conn, &event, &app.organisation_id)
}
