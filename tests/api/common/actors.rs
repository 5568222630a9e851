//! Who acts in a test: `app.staff()`, `app.representative_of(&org)`, `app.volunteer()`,
//! `app.client_of(&org, &[...])`, `app.anonymous()`; a request says `.by(&actor)`. A test then
//! reads as who does what, not as how a token is made.

use std::sync::atomic::{AtomicUsize, Ordering};

use sammen_domain::directory::moderation::ListingStatus;
use sammen_domain::directory::organisation::OrganisationKind;
use sammen_domain::identity::{Role, RoleGrant, Scope};
use sammen_domain::ids::OrganisationId;
use sammen_http::identity::jwt::SubjectKind;
use sammen_store::directory::NewOrganisation;

use super::{Call, TestApp, arranged, listing};

/// A caller of the API: a user (with their account's id and e-mail), an API client, or the
/// anonymous public (no token).
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: String,
    pub email: String,
    pub token: Option<String>,
}

impl Call {
    /// The request made by `actor` (with its bearer token, or none for the anonymous).
    pub fn by(self, actor: &Actor) -> Self {
        match &actor.token {
            Some(token) => self.bearer(token),
            None => self,
        }
    }
}

/// A different e-mail address for each user a test process makes.
fn next_email(what: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(1);
    format!("{what}-{}@test.sammen.dk", NEXT.fetch_add(1, Ordering::Relaxed))
}

impl TestApp {
    pub fn anonymous(&self) -> Actor {
        Actor { id: String::new(), email: String::new(), token: None }
    }

    /// A user with these role grants (password `PASSWORD`).
    pub fn user_granted(&self, roles: &[RoleGrant]) -> Actor {
        let what = roles.first().map_or("user", |g| g.role.as_str());
        let email = next_email(what);
        let (id, token) = self.user(&email, roles);
        Actor { id, email, token: Some(token) }
    }

    pub fn with_role(&self, role: Role) -> Actor {
        self.user_granted(&[RoleGrant::global(role)])
    }

    pub fn admin(&self) -> Actor {
        self.with_role(Role::Admin)
    }

    pub fn staff(&self) -> Actor {
        self.with_role(Role::Staff)
    }

    pub fn volunteer(&self) -> Actor {
        self.with_role(Role::Volunteer)
    }

    /// A representative of organisation `org` (role `organisation` scoped to it).
    pub fn representative_of(&self, org: &str) -> Actor {
        self.user_granted(&[RoleGrant { role: Role::Organisation, scope: Some(org.to_owned()) }])
    }

    /// An API client acting for organisation `org` with these scopes.
    pub fn client_of(&self, org: &str, scopes: &[Scope]) -> Actor {
        let client = self
            .with_db(|c| sammen_store::identity::insert_client(c, "Testklient", scopes, Some(org), &arranged()))
            .expect("the test client is created")
            .0;
        let scope = sammen_domain::identity::scope_text(scopes);
        let claims = self.state.jwt.claims(client.id.as_str(), SubjectKind::Client, Vec::new(), scope);
        Actor { id: client.id.into_string(), email: String::new(), token: Some(self.sign(&claims)) }
    }

    /// An organisation made straight in the database; its id.
    pub fn organisation(&self, name: &str) -> String {
        let new = association(name);
        let org = self.with_db(|c| sammen_store::directory::insert_organisation(c, &new, &arranged()));
        org.expect("the test organisation is created").id.into_string()
    }

    /// An activity of organisation `org` in `status` (the harness's `listing`, called `name`),
    /// made straight in the database; its id. Needs the taxonomy of `norrebro()`.
    pub fn activity_of(&self, org: &str, name: &str, status: ListingStatus) -> String {
        let content = serde_json::from_value(listing(name)).expect("the test listing is valid");
        let org = OrganisationId::from_stored(org.to_owned());
        self.with_db(|c| {
            let a = sammen_store::directory::insert_activity(c, &org, None, &content, &arranged())?;
            if status != ListingStatus::Draft {
                sammen_store::directory::change_status(c, &a.id, None, status, None, &arranged())?;
            }
            Ok::<_, sammen_store::StoreError>(a.id.into_string())
        })
        .expect("the test activity is stored")
    }
}

/// A plain association with only a name, as the fixtures make them.
pub fn association(name: &str) -> NewOrganisation {
    NewOrganisation {
        name: name.to_owned(),
        kind: OrganisationKind::Association,
        description: String::new(),
        website: None,
        contact_email: None,
        contact_phone: None,
        contact_public: false,
        cvr: None,
        parent_id: None,
    }
}
