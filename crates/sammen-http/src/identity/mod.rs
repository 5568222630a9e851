//! Identity and access: tokens, registration, users and their roles.

pub mod audit;
pub mod auth;
pub mod caller;
pub mod clients;
pub mod jwt;
pub mod password;
pub mod users;

use chrono::{DateTime, Utc};
use sammen_domain::identity::{Role, RoleGrant};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::schema::{ObjectBuilder, Type};

pub use caller::{Caller, MaybeCaller};

fn role_schema() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(Role::ALL.iter().map(|r| r.as_str())))
        .description(Some("A role. `coordinator`, `secretary` and `organisation` are scoped."))
}

/// A role held by a user, with the unit, council or organisation it applies to for scoped roles.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleGrantBody {
    #[schema(schema_with = role_schema)]
    pub role: Role,
    /// The id of the care unit (coordinator), council (secretary) or organisation
    /// (organisation) the role applies to; absent for global roles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 64)]
    pub scope: Option<String>,
}

impl From<RoleGrantBody> for RoleGrant {
    fn from(b: RoleGrantBody) -> Self {
        RoleGrant { role: b.role, scope: b.scope }
    }
}

impl From<RoleGrant> for RoleGrantBody {
    fn from(g: RoleGrant) -> Self {
        RoleGrantBody { role: g.role, scope: g.scope }
    }
}

/// A user account as staff and the user themself see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserResponse {
    #[schema(format = Uuid)]
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<RoleGrantBody>,
    /// A disabled user cannot log in and their tokens stop working at once.
    pub disabled: bool,
    /// Increases with every change; sent as the `ETag`.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<sammen_store::identity::User> for UserResponse {
    fn from(u: sammen_store::identity::User) -> Self {
        Self {
            id: u.id,
            email: u.email,
            display_name: u.display_name,
            roles: u.roles.into_iter().map(Into::into).collect(),
            disabled: u.disabled,
            version: u.version,
            created_at: u.created_at.and_utc(),
            updated_at: u.updated_at.and_utc(),
        }
    }
}
