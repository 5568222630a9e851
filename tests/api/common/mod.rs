//! The test harness: a fresh database per test, a real server per test, and small helpers.

pub mod actors;
pub mod db;
pub mod grants;
pub mod mail;

use std::time::Duration;

use actix_web::http::header::HeaderMap;
use actix_web::http::{Method, StatusCode};
use sammen_domain::identity::RoleGrant;
use sammen_domain::ids::UserId;
use sammen_http::identity::jwt::{Claims, SubjectKind};
use sammen_http::{AppState, HttpConfig};
use sammen_store::identity::{NewUser, insert_user};
use sammen_store::{DbConn, PoolOptions};
use serde_json::Value;

pub use actors::{Actor, association};
pub use db::TestDb;

/// The origin the test app allows for CORS.
pub const ALLOWED_ORIGIN: &str = "https://frivillig.example.dk";
/// The password of users made with `TestApp::user`.
pub const PASSWORD: &str = "korrekt hest batteri";

/// A running server on its own database.
pub struct TestApp {
    pub base: String,
    pub state: AppState,
    pub db: TestDb,
    client: awc::Client,
    server: actix_web::dev::ServerHandle,
}

/// A finished response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// How many database statements the request ran, from its `Server-Timing` header
    /// (`db;dur=0.42;desc="1 statement"`; the test servers send it).
    #[track_caller]
    pub fn db_statements(&self) -> u64 {
        let timing = self.header("server-timing").expect("a Server-Timing header");
        let desc = timing.split("desc=\"").nth(1).and_then(|d| d.split(' ').next());
        desc.and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("statements in `{timing}`"))
    }

    /// Asserts a problem+json answer of this status and kind, and returns its body.
    #[track_caller]
    pub fn problem(&self, status: u16, kind: &str) -> Value {
        assert_eq!(self.status.as_u16(), status, "status; body: {}", self.text());
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "content type; body: {}",
            self.text()
        );
        let body = self.json();
        assert_eq!(body["type"], format!("https://sammen.dk/problems/{kind}"), "problem type; body: {body}");
        assert_eq!(body["status"], status);
        assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()), "title: {body}");
        assert!(body["detail"].as_str().is_some_and(|t| !t.is_empty()), "detail: {body}");
        assert!(body["request_id"].as_str().is_some(), "request_id: {body}");
        assert_eq!(body["request_id"].as_str(), self.header("x-request-id"), "request id in body and header");
        body
    }

    #[track_caller]
    pub fn ok(&self, status: u16) -> Value {
        assert_eq!(self.status.as_u16(), status, "status; body: {}", self.text());
        self.json()
    }
}

/// A request under construction.
pub struct Call {
    req: awc::ClientRequest,
    body: Option<(String, Vec<u8>)>,
}

impl Call {
    pub fn header(mut self, name: &str, value: impl AsRef<str>) -> Self {
        self.req = self.req.insert_header((name, value.as_ref()));
        self
    }

    /// The request as a trusting reverse proxy passes it on from a client at `address`
    /// (`TestApp::behind_proxy`).
    pub fn sent_from(self, address: &str) -> Self {
        self.header("x-forwarded-for", address)
    }

    pub fn bearer(self, token: &str) -> Self {
        self.header("authorization", format!("Bearer {token}"))
    }

    pub fn json(mut self, body: &Value) -> Self {
        self.body = Some(("application/json".into(), serde_json::to_vec(body).unwrap()));
        self
    }

    pub fn raw(mut self, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        self.body = Some((content_type.into(), body.into()));
        self
    }

    pub async fn send(self) -> Reply {
        let mut res = match self.body {
            Some((content_type, body)) => self.req.insert_header(("content-type", content_type)).send_body(body).await,
            None => self.req.send().await,
        }
        .expect("the request reaches the server");
        let body = res.body().limit(64 * 1024 * 1024).await.expect("the body arrives").to_vec();
        Reply { status: res.status(), headers: res.headers().clone(), body }
    }
}

impl TestApp {
    pub async fn start() -> Self {
        Self::start_with(TestDb::new(), |_| {}).await
    }

    /// Starts a server on `db`, letting the test adjust the pool options.
    pub async fn start_with(db: TestDb, tune: impl FnOnce(&mut PoolOptions)) -> Self {
        Self::launch(db, tune, false).await
    }

    /// Starts a server as if behind a reverse proxy it trusts (`SAMMEN_TRUST_PROXY=true`), so
    /// that a request says which client address it comes from (`Call::sent_from`).
    pub async fn behind_proxy() -> Self {
        Self::launch(TestDb::new(), |_| {}, true).await
    }

    async fn launch(db: TestDb, tune: impl FnOnce(&mut PoolOptions), trust_proxy: bool) -> Self {
        let url = sammen_store::DatabaseUrl::parse(&db.url).unwrap();
        let mut options = PoolOptions::for_backend(url.backend);
        // Tests check behaviour, not capacity: with every test's server sharing two cores, the
        // production checkout timeout of 2 s would turn slowness into 503s. Tests of the timeout
        // set their own.
        options.checkout_timeout = Duration::from_secs(10);
        tune(&mut options);
        let pool = sammen_store::conn::build_pool(&url, &options);
        let jwt = {
            let mut conn = pool.get().expect("a test connection");
            sammen_http::state::load_jwt_keys(&mut conn, None).unwrap()
        };
        let state = AppState::new(
            pool,
            url.backend,
            jwt,
            HttpConfig {
                cors_origins: vec![ALLOWED_ORIGIN.into()],
                trust_proxy,
                server_timing: true,
                response_cache_bytes: 4 * 1024 * 1024,
                // The tests' webhook receivers listen on this machine.
                webhooks_allow_private: true,
                ..HttpConfig::default()
            },
        );
        // As in production: the caches follow changes made outside this app (another instance).
        sammen_http::platform::freshness::read_versions(&state).await;
        actix_web::rt::spawn(sammen_http::platform::freshness::watch(state.clone()));
        let app_state = state.clone();
        let server = actix_web::HttpServer::new(move || sammen_http::app(app_state.clone()))
            .workers(2)
            .disable_signals()
            .shutdown_timeout(1)
            .bind("127.0.0.1:0")
            .unwrap();
        let addr = server.addrs()[0];
        let server = server.run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        let client = awc::Client::builder().timeout(Duration::from_secs(30)).disable_redirects().finish();
        TestApp { base: format!("http://{addr}"), state, db, client, server: handle }
    }

    pub fn request(&self, method: Method, path: &str) -> Call {
        Call { req: self.client.request(method, format!("{}{path}", self.base)), body: None }
    }

    pub fn get(&self, path: &str) -> Call {
        self.request(Method::GET, path)
    }

    pub fn post(&self, path: &str) -> Call {
        self.request(Method::POST, path)
    }

    pub fn patch(&self, path: &str) -> Call {
        self.request(Method::PATCH, path)
    }

    pub fn put(&self, path: &str) -> Call {
        self.request(Method::PUT, path)
    }

    /// Runs database work directly (to arrange a test or check what was stored).
    /// Counts as a change made elsewhere: the app's caches of public data start afresh, as
    /// they would once the data versions are polled.
    pub fn with_db<T>(&self, work: impl FnOnce(&mut DbConn) -> T) -> T {
        let mut conn = self.state.pool.get().expect("a test connection");
        let result = work(&mut conn);
        self.state.freshness.changed();
        // And what the data versions are now, as the poll would read them.
        if let Ok(versions) = sammen_store::platform::data_versions(&mut conn) {
            self.state.freshness.observe(versions);
        }
        result
    }

    /// Creates a user with these roles and returns (id, access token).
    pub fn user(&self, email: &str, roles: &[RoleGrant]) -> (String, String) {
        let hash = db::password_hash();
        let user = self
            .with_db(|conn| {
                insert_user(
                    conn,
                    &NewUser { email, display_name: email.split('@').next().unwrap(), password_hash: &hash, roles },
                    &arranged(),
                    "user.created",
                )
            })
            .expect("the test user is created");
        let token = self.token_for(user.id.as_str(), roles.to_vec());
        (user.id.into_string(), token)
    }

    /// The password grant, as JSON.
    pub async fn login(&self, email: &str, password: &str) -> Reply {
        self.post("/api/v1/auth/token")
            .json(&serde_json::json!({"grant_type": "password", "username": email, "password": password}))
            .send()
            .await
    }

    /// Disables a user directly in the database.
    pub fn disable(&self, id: &str) {
        let changes = sammen_store::identity::UserChanges { disabled: Some(true), ..Default::default() };
        let id = UserId::from_stored(id.to_owned());
        self.with_db(|c| sammen_store::identity::update_user(c, &id, None, &changes, &arranged())).expect("disabled");
    }

    /// Adds the district of Nørrebro and the housing area Mjølnerparken to the taxonomy.
    pub fn norrebro(&self) {
        use sammen_store::directory::{District, HousingArea, put_district, put_housing_area};
        self.with_db(|c| {
            put_district(
                c,
                &District {
                    code: "norrebro".into(), name: "Nørrebro".into(), lat: 55.694, lon: 12.549, sort_order: 1
                },
                &arranged(),
            )?;
            let area = HousingArea {
                code: "mjolnerparken".into(),
                name: "Mjølnerparken".into(),
                district_code: "norrebro".into(),
                lat: 55.698,
                lon: 12.541,
                sort_order: 1,
            };
            put_housing_area(c, &area, &arranged())
        })
        .expect("the test taxonomy is stored");
    }

    pub fn token_for(&self, sub: &str, roles: Vec<RoleGrant>) -> String {
        self.sign(&self.claims(sub, roles))
    }

    pub fn claims(&self, sub: &str, roles: Vec<RoleGrant>) -> Claims {
        self.state.jwt.claims(sub, SubjectKind::User, roles, String::new())
    }

    pub fn sign(&self, claims: &Claims) -> String {
        self.state.jwt.sign(claims)
    }
}

/// The audit context of what a test arranges directly in the database.
pub fn arranged() -> sammen_store::audit::AuditContext {
    sammen_store::audit::AuditContext::new("system", "test-arrangement")
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Sends the stop command at once; the test's runtime ends with the test.
        drop(self.server.stop(false));
    }
}

/// A complete activity body for the directory's tests (organisation set up by `norrebro()`):
/// weekly on Sundays at 10:00 since 1 March 2026, in person at Nørrebro.
pub fn listing(name: &str) -> Value {
    serde_json::json!({
        "name": name,
        "summary": "Vi synger kendte sange sammen hver søndag. Alle kan være med.",
        "activity_types": ["singing_music"],
        "target_groups": ["dementia", "newly_widowed"],
        "accessibility": ["hearing_loop", "step_free_access"],
        "first_visit_support": ["bring_a_friend"],
        "languages": ["da"],
        "mode": "in_person",
        "cost_ore": 0,
        "capacity": 30,
        "seeks_volunteers": true,
        "volunteer_roles": ["host"],
        "location": {"address": "Nørrebrogade 208", "postcode": "2200", "district": "norrebro", "lat": 55.7, "lon": 12.54},
        "housing_areas": ["mjolnerparken"],
        "schedule": {
            "recurrence": {"frequency": "weekly", "interval": 1, "weekdays": ["sunday"], "starts_on": "2026-03-01"},
            "start_time": "10:00:00", "duration_minutes": 90, "skip_holidays": true
        }
    })
}
