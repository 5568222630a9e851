//! Identity and access: tokens, registration, users and their roles.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod caller;
pub mod clients;
pub mod jwt;
pub mod me;
pub mod password;
pub mod users;

use chrono::{DateTime, Utc};
use sammen_domain::identity::{Role, RoleGrant};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{AdditionalProperties, ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, Type};

pub use auth::client_address;
pub use caller::{Caller, MaybeCaller};

/// A role held by a user, with the unit, council or organisation it applies to for scoped roles.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleGrantBody {
    pub role: Role,
    /// The id of the care unit (coordinator), council (secretary) or organisation
    /// (organisation) the role applies to; absent for global roles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

/// The contract says exactly what the server accepts: a global role without `scope`, or a
/// scoped role with one.
impl utoipa::PartialSchema for RoleGrantBody {
    fn schema() -> RefOr<Schema> {
        let roles = |scoped: bool| Role::ALL.into_iter().filter(move |r| r.is_scoped() == scoped).map(Role::as_str);
        let global = ObjectBuilder::new()
            .title(Some("Global role"))
            .property("role", ObjectBuilder::new().schema_type(Type::String).enum_values(Some(roles(false))))
            .required("role")
            .additional_properties(Some(AdditionalProperties::FreeForm(false)));
        let scoped = ObjectBuilder::new()
            .title(Some("Scoped role"))
            .property("role", ObjectBuilder::new().schema_type(Type::String).enum_values(Some(roles(true))))
            .property(
                "scope",
                ObjectBuilder::new().schema_type(Type::String).min_length(Some(1)).max_length(Some(64)).description(
                    Some("The id of the care unit (coordinator), council (secretary) or organisation (organisation)"),
                ),
            )
            .required("role")
            .required("scope")
            .additional_properties(Some(AdditionalProperties::FreeForm(false)));
        OneOfBuilder::new()
            .item(global)
            .item(scoped)
            .description(Some(
                "A role a user holds; `coordinator`, `secretary` and `organisation` name what they apply to",
            ))
            .into()
    }
}

impl ToSchema for RoleGrantBody {}

/// The API-client scopes as the contract lists them: known values, at least one.
pub(crate) fn scopes_schema() -> ArrayBuilder {
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(sammen_domain::identity::Scope::ALL.map(|s| s.as_str()))),
        )
        .min_items(Some(1))
        .max_items(Some(sammen_domain::identity::Scope::ALL.len()))
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
            id: u.id.into_string(),
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
