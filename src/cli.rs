//! Command-line interface and configuration (every option can also come from the environment).

use std::io::{BufRead, Read};
use std::time::{Duration, Instant};

use clap::{Args, Parser, Subcommand};
use sammen_domain::identity::{self as rules, Role, RoleGrant};
use sammen_http::{AppState, HttpConfig};
use sammen_store::conn::{DEFAULT_DATABASE_URL, DbManager, build_pool};
use sammen_store::{DatabaseUrl, DbConn, PoolOptions};

#[derive(Debug, Parser)]
#[command(
    name = "sammen",
    version,
    about = "Sammen: the municipal backend that brings older citizens into community with civil society",
    after_help = "Environment (each also a flag; see `sammen serve --help`):
  DATABASE_URL          postgres://… or sqlite://PATH (default sqlite://data/sammen.db)
  SAMMEN_BIND           address to listen on (default 127.0.0.1:8080)
  SAMMEN_JWT_SECRET     token signing secret, 32+ bytes (default: generated, kept in the database)
  SAMMEN_CORS_ORIGINS   comma-separated browser origins allowed to call the API (default: none)
  SAMMEN_DB_POOL_SIZE   database connections per instance (default 16 PostgreSQL, 4 SQLite)
  SAMMEN_WORKERS        HTTP worker threads (default: CPU cores)
  SAMMEN_TRUST_PROXY    true behind a reverse proxy that sets X-Forwarded-For (default false)
  SAMMEN_SMTP_URL       smtps://user:pw@host for e-mail (default: mails go to the log; development only)
  SAMMEN_MAIL_FROM      the sender of e-mail (default Sammen <noreply@localhost>)
  SAMMEN_PUBLIC_URL     the web frontend account mails link to (default http://localhost:8080)
  SAMMEN_API_URL        the API's public address, for links in open data (default http://localhost:8080)
  SAMMEN_360G_PREFIX    the registered 360Giving prefix of grant ids (default 360G-sammen)
  SAMMEN_WEBHOOKS_ALLOW_PRIVATE true allows webhooks to http and private addresses (development only)
  SAMMEN_AUDIT_RETENTION_DAYS   days the audit log is kept (default 1825, at least 365)
  SAMMEN_REPORT_RETENTION_DAYS  days a resolved listing report is kept (default 180)
  SAMMEN_USER_PASSWORD  password for `sammen user create` (default: read from stdin)
  RUST_LOG              log filter (default info)

With no command, `serve` runs."
)]
pub struct Cli {
    /// The database: postgres://user:password@host/db for PostgreSQL; sqlite://PATH, file:PATH or a
    /// path for the embedded SQLite (its folder is created).
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true, hide_env_values = true)]
    database_url: String,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API (the default): applies pending migrations first.
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI contract (as committed in openapi/openapi.json) and exit.
    Openapi,
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Fill the database with demonstration data.
    Seed {
        /// One user per role with the documented demo passwords (docs/security.md).
        #[arg(long, required = true)]
        demo: bool,
        /// Seed even though the database already has users (existing demo users are kept).
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Args, Default)]
struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "SAMMEN_BIND", default_value = "127.0.0.1:8080")]
    bind: String,

    /// Secret for signing access tokens, at least 32 bytes. Unset: one is generated at first
    /// start and kept in the database, so restarts and several instances share it.
    #[arg(long, env = "SAMMEN_JWT_SECRET", hide_env_values = true)]
    jwt_secret: Option<String>,

    /// Comma-separated origins allowed to call the API from a browser
    /// (e.g. https://frivillig.kk.dk); `*` allows any. Unset: none.
    #[arg(long, env = "SAMMEN_CORS_ORIGINS", value_delimiter = ',')]
    cors_origins: Vec<String>,

    /// Database connections per instance (default: 16 on PostgreSQL, 4 on SQLite).
    #[arg(long, env = "SAMMEN_DB_POOL_SIZE")]
    pool_size: Option<u32>,

    /// HTTP worker threads (default: one per CPU core).
    #[arg(long, env = "SAMMEN_WORKERS")]
    workers: Option<usize>,

    /// Take the client address (for login throttling) from the Forwarded / X-Forwarded-For
    /// headers. Only behind a reverse proxy that sets them; otherwise callers choose their own.
    #[arg(long, env = "SAMMEN_TRUST_PROXY", default_value_t = false)]
    trust_proxy: bool,

    /// Answer with a Server-Timing header: the database statements each request ran and their
    /// time (for benchmarks; timings are not for every caller to see).
    #[arg(long, env = "SAMMEN_SERVER_TIMING", default_value_t = false)]
    server_timing: bool,

    /// Megabytes of anonymous public answers (activities, lists, taxonomy) each instance keeps in
    /// memory; 0 turns the cache off. A change clears it at once on this instance and within a
    /// second on every other.
    #[arg(long, env = "SAMMEN_RESPONSE_CACHE_MB", default_value_t = 32)]
    response_cache_mb: u64,

    /// The SMTP server for e-mail: smtps://user:password@host (TLS), or
    /// smtp://user:password@host?tls=required (STARTTLS). Unset: mails are written to the log
    /// (development only: they hold sign-in links).
    #[arg(long, env = "SAMMEN_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,

    /// The sender of e-mail.
    #[arg(long, env = "SAMMEN_MAIL_FROM", default_value = "Sammen <noreply@localhost>")]
    mail_from: String,

    /// The web frontend that the links in account mails open (its pages /account/verify,
    /// /account/reset-password and /account/forgot-password).
    #[arg(long, env = "SAMMEN_PUBLIC_URL", default_value = "http://localhost:8080")]
    public_url: String,

    /// The registered 360Giving prefix the open data's grant ids start with (e.g. 360G-kk).
    #[arg(long, env = "SAMMEN_360G_PREFIX", default_value = "360G-sammen")]
    giving360_prefix: String,

    /// The API's public address, which links in the open data (360Giving, calendar) start with.
    #[arg(long, env = "SAMMEN_API_URL", default_value = "http://localhost:8080")]
    api_url: String,

    /// Allow webhooks to http URLs and to loopback and private addresses: for development only.
    #[arg(long, env = "SAMMEN_WEBHOOKS_ALLOW_PRIVATE", default_value_t = false)]
    webhooks_allow_private: bool,

    /// Days the audit log is kept (at least 365; older events are deleted by the hourly sweep).
    #[arg(long, env = "SAMMEN_AUDIT_RETENTION_DAYS", default_value_t = 1825)]
    audit_retention_days: i64,

    /// Days a resolved listing report (which may hold the reporter's e-mail) is kept.
    #[arg(long, env = "SAMMEN_REPORT_RETENTION_DAYS", default_value_t = 180)]
    report_retention_days: i64,
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create a user. The password is read from standard input (one line), or from
    /// SAMMEN_USER_PASSWORD; never from the command line.
    Create {
        #[arg(long)]
        email: String,
        /// The name shown to others (default: the part of the e-mail before @).
        #[arg(long)]
        name: Option<String>,
        /// A global role to grant (repeatable): admin, staff, reviewer, volunteer.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
    },
}

pub fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        None => serve(&cli.database_url, ServeArgs::parse_env()),
        Some(Command::Serve(args)) => serve(&cli.database_url, args),
        Some(Command::Migrate) => {
            let url = parse_url(&cli.database_url)?;
            migrate(&url, Duration::ZERO)?;
            Ok(())
        }
        Some(Command::Openapi) => {
            print!("{}", sammen_http::contract_json());
            Ok(())
        }
        Some(Command::User(UserCommand::Create { email, name, roles })) => {
            create_user(&cli.database_url, &email, name, &roles)
        }
        Some(Command::Seed { demo: _, force }) => {
            let mut conn = migrate(&parse_url(&cli.database_url)?, Duration::ZERO)?;
            crate::seed::demo(&mut conn, force)
        }
    }
}

impl ServeArgs {
    /// `serve`'s options when no command was given: from the environment and defaults.
    fn parse_env() -> Self {
        #[derive(Parser)]
        struct Only {
            #[command(flatten)]
            args: ServeArgs,
        }
        Only::parse_from(["sammen"]).args
    }
}

fn parse_url(url: &str) -> Result<DatabaseUrl, String> {
    DatabaseUrl::parse(url).map_err(|e| format!("DATABASE_URL: {e}"))
}

/// Applies pending migrations on a connection of its own (no statement timeout: a migration may
/// rewrite a large table). Waits up to `wait` for the database to come up.
fn migrate(url: &DatabaseUrl, wait: Duration) -> Result<DbConn, String> {
    let manager = DbManager::new(url.clone(), Duration::ZERO);
    let started = Instant::now();
    let mut conn = loop {
        match manager.connect_now() {
            Ok(conn) => break conn,
            Err(e) if started.elapsed() < wait => {
                log::warn!("waiting for the database at {}: {e}", url.redacted());
                std::thread::sleep(Duration::from_secs(2));
            }
            Err(e) => {
                return Err(format!("cannot connect to the database at {}: {e}", url.redacted()));
            }
        }
    };
    let applied = sammen_store::migrate::run_pending(&mut conn).map_err(|e| e.to_string())?;
    if applied.is_empty() {
        log::info!("database schema is up to date ({})", url.backend.name());
    } else {
        log::info!("applied {} migration(s) on {}: {}", applied.len(), url.backend.name(), applied.join(", "));
    }
    Ok(conn)
}

fn retention(args: &ServeArgs) -> Result<sammen_store::retention::Retention, String> {
    let days = |n: i64| chrono::TimeDelta::try_days(n).filter(|_| n > 0);
    let audit = days(args.audit_retention_days)
        .filter(|d| *d >= sammen_store::retention::MIN_AUDIT_RETENTION)
        .ok_or("SAMMEN_AUDIT_RETENTION_DAYS must be at least 365")?;
    let resolved_reports =
        days(args.report_retention_days).ok_or("SAMMEN_REPORT_RETENTION_DAYS must be a positive number of days")?;
    Ok(sammen_store::retention::Retention { audit, resolved_reports })
}

fn check_origins(origins: &[String]) -> Result<Vec<String>, String> {
    let origins: Vec<String> =
        origins.iter().map(|o| o.trim().trim_end_matches('/').to_owned()).filter(|o| !o.is_empty()).collect();
    for origin in &origins {
        let valid = origin == "*"
            || ((origin.starts_with("https://") || origin.starts_with("http://"))
                && !origin.split_once("://").is_some_and(|(_, rest)| rest.is_empty() || rest.contains('/')));
        if !valid {
            return Err(format!("SAMMEN_CORS_ORIGINS: `{origin}` is not an origin like https://example.dk"));
        }
    }
    Ok(origins)
}

#[actix_web::main]
async fn serve(database_url: &str, args: ServeArgs) -> Result<(), String> {
    let url = parse_url(database_url)?;
    let cors_origins = check_origins(&args.cors_origins)?;
    let mut options = PoolOptions::for_backend(url.backend);
    if let Some(size) = args.pool_size {
        options.max_size = size.max(1);
    }
    let (mut conn, pool) = {
        let url = url.clone();
        actix_web::rt::task::spawn_blocking(move || -> Result<_, String> {
            let conn = migrate(&url, url.backend.startup_patience())?;
            Ok((conn, build_pool(&url, &options)))
        })
        .await
        .map_err(|e| e.to_string())??
    };
    let mail = sammen_http::outbox::MailConfig {
        smtp_url: args.smtp_url.clone().filter(|u| !u.is_empty()),
        from: args.mail_from.clone(),
        public_url: args.public_url.clone(),
    };
    let mailer = sammen_http::outbox::Mailer::new(&mail)?;
    if mail.smtp_url.is_none() {
        log::warn!("SAMMEN_SMTP_URL is not set: e-mails are written to the log instead of sent (development only)");
    }
    let jwt = sammen_http::state::load_jwt_keys(&mut conn, args.jwt_secret.as_deref())?;
    drop(conn);
    let state = AppState::new(
        pool,
        url.backend,
        jwt,
        HttpConfig {
            cors_origins,
            trust_proxy: args.trust_proxy,
            server_timing: args.server_timing,
            response_cache_bytes: args.response_cache_mb * 1024 * 1024,
            webhooks_allow_private: args.webhooks_allow_private,
            giving360_prefix: args.giving360_prefix.clone(),
            api_url: args.api_url.clone(),
        },
    );

    // Every second: have other instances (or the command line, or the sweep) changed public data?
    sammen_http::platform::freshness::read_versions(&state).await;
    actix_web::rt::spawn(sammen_http::platform::freshness::watch(state.clone()));

    // The outbox: e-mails (and later webhooks) that committed changes wrote, sent with retries.
    let dispatcher = sammen_http::outbox::Dispatcher {
        state: state.clone(),
        mailer,
        webhooks: sammen_http::outbox::WebhookSender::new(args.webhooks_allow_private),
        config: std::sync::Arc::new(mail),
        idle_poll: Duration::from_secs(1),
    };
    actix_web::rt::spawn(dispatcher.run());

    let retention = retention(&args)?;
    let prune_state = state.clone();
    actix_web::rt::spawn(async move {
        let mut every_hour = actix_web::rt::time::interval(Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            // What has served its purpose: expired tokens and keys, sent mail, resolved reports,
            // old audit events (docs/security.md, Retention).
            let now = sammen_store::now();
            match prune_state.db(move |conn| sammen_store::retention::sweep(conn, &retention, now)).await {
                Ok(swept) if swept.total() > 0 => log::info!("retention sweep deleted {swept:?}"),
                Ok(_) => {}
                Err(e) => log::warn!("the retention sweep failed: {e}"),
            }
        }
    });

    let sweep_state = state.clone();
    actix_web::rt::spawn(async move {
        // At start-up (expanding schedules the last migration left unexpanded) and every minute:
        // the search's stored occurrences and next starts move on with time.
        let mut every_minute = actix_web::rt::time::interval(Duration::from_secs(60));
        loop {
            every_minute.tick().await;
            match sweep_state.db(|conn| sammen_store::directory::refresh_occurrences(conn, sammen_store::now())).await {
                Ok(0) => {}
                Ok(n) => log::info!("extended the stored occurrences of {n} activities"),
                Err(e) => log::warn!("could not refresh activity occurrences: {e}"),
            }
        }
    });

    let in_flight = state.in_flight.clone();
    let mut server = actix_web::HttpServer::new(move || sammen_http::app(state.clone()))
        // Signals are handled below, so that requests in flight always finish.
        .disable_signals()
        .shutdown_timeout(30);
    if let Some(workers) = args.workers {
        server = server.workers(workers.max(1));
    }
    let server = server.bind(&args.bind).map_err(|e| format!("cannot listen on {}: {e}", args.bind))?;
    log::info!(
        "Sammen serves on http://{bind} using {db} ({url}); API docs: http://{bind}{docs}",
        bind = args.bind,
        db = url.backend.name(),
        url = url.redacted(),
        docs = sammen_http::DOCS_PATH
    );
    let server = server.run();
    actix_web::rt::spawn(shut_down_gracefully(server.handle(), in_flight));
    server.await.map_err(|e| e.to_string())
}

/// Waits for SIGTERM or SIGINT, then stops accepting connections, lets the requests in flight
/// finish (30 s at most) and only then stops the server. (actix-server's own graceful stop closes
/// the workers' connection channel before it tells them to stop, and a worker that sees the
/// closed channel first exits at once, dropping what it was handling.)
async fn shut_down_gracefully(
    handle: actix_web::dev::ServerHandle,
    in_flight: sammen_http::platform::middleware::InFlight,
) {
    termination_signal().await;
    log::info!("shutting down: no new connections; finishing {} request(s) in flight", in_flight.count());
    handle.pause().await;
    let deadline = Instant::now() + Duration::from_secs(30);
    while in_flight.count() > 0 && Instant::now() < deadline {
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
    handle.stop(true).await;
}

#[cfg(unix)]
async fn termination_signal() {
    use actix_web::rt::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut int)) = (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) else {
        log::error!("cannot listen for SIGTERM/SIGINT; stop the process another way");
        return std::future::pending().await;
    };
    let term = std::pin::pin!(term.recv());
    let int = std::pin::pin!(int.recv());
    futures_util::future::select(term, int).await;
}

#[cfg(not(unix))]
async fn termination_signal() {
    let _ = actix_web::rt::signal::ctrl_c().await;
}

fn read_password() -> Result<String, String> {
    if let Ok(password) = std::env::var("SAMMEN_USER_PASSWORD") {
        return Ok(password);
    }
    // One line (a terminal need not send end-of-file), at most 4 KiB.
    let mut input = String::new();
    std::io::stdin()
        .lock()
        .take(4096)
        .read_line(&mut input)
        .map_err(|e| format!("cannot read the password from stdin: {e}"))?;
    // Drop the line ending only, never other whitespace: the password is used as given.
    Ok(input.trim_end_matches(['\n', '\r']).to_owned())
}

fn create_user(database_url: &str, email: &str, name: Option<String>, roles: &[String]) -> Result<(), String> {
    let url = parse_url(database_url)?;
    let email = rules::normalise_email("email", email).map_err(|e| format!("--email {}", e.message))?;
    let mut grants = Vec::new();
    for role in roles {
        let role: Role = role.parse().map_err(|e| format!("--role: {e}"))?;
        if role.is_scoped() {
            return Err(format!("--role {role} is scoped: grant it through the API, naming its scope"));
        }
        grants.push(RoleGrant::global(role));
    }
    let password = read_password()?;
    rules::check_password("password", &password).map_err(|e| format!("password {}", e.message))?;
    let name = name.unwrap_or_else(|| email.split('@').next().unwrap_or(&email).to_owned());
    let hash = sammen_http::identity::password::hash_blocking(&password).map_err(|e| e.to_string())?;
    let mut conn = migrate(&url, Duration::ZERO)?;
    let ctx = sammen_store::audit::AuditContext::new("system", "cli");
    let user = sammen_store::identity::insert_user(
        &mut conn,
        &sammen_store::identity::NewUser { email: &email, display_name: &name, password_hash: &hash, roles: &grants },
        &ctx,
        "user.created",
    )
    .map_err(|e| match e {
        sammen_store::StoreError::Conflict(_) => {
            format!("a user with the e-mail {email} already exists")
        }
        e => e.to_string(),
    })?;
    println!("created user {} ({}) with roles: {}", user.id, user.email, roles.join(", "));
    Ok(())
}
