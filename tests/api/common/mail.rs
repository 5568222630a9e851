//! Real servers for the outbox's tests, from the tools venv scripts/test makes (`SAMMEN_PYTHON`):
//! an SMTP server (`tests/tools/smtp_sink.py`, PyPI aiosmtpd) and a webhook receiver that verifies
//! signatures (`tests/tools/webhook_receiver.py`, PyPI standardwebhooks); and the outbox's
//! dispatcher sending to them.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::TestApp;

/// A server of one test (SMTP or webhooks): what arrived is written to its folder; stopped when
/// dropped.
pub struct ToolServer {
    child: Child,
    dir: PathBuf,
    pub port: u16,
}

/// The SMTP server.
pub type MailSink = ToolServer;
/// The webhook receiver.
pub type Receiver = ToolServer;

impl ToolServer {
    /// An SMTP server that refuses the first `refuse_first` messages with 451; `None` (and a
    /// note) when `SAMMEN_PYTHON` is unset: the test is skipped outside scripts/test.
    pub fn start(refuse_first: usize) -> Option<Self> {
        Self::spawn("smtp_sink.py", refuse_first)
    }

    /// A webhook receiver that answers the first `refuse_first` messages with 500, and verifies
    /// the signatures of the others with the secret given to `secret`.
    pub fn receiver(refuse_first: usize) -> Option<Self> {
        Self::spawn("webhook_receiver.py", refuse_first)
    }

    /// The receiver's signing secret, once the subscription exists.
    pub fn secret(&self, secret: &str) {
        std::fs::write(self.dir.join("secret"), secret).unwrap();
    }

    fn spawn(tool: &str, refuse_first: usize) -> Option<Self> {
        let Ok(python) = std::env::var("SAMMEN_PYTHON") else {
            eprintln!("outbox test skipped: SAMMEN_PYTHON is unset (scripts/test sets it, with aiosmtpd)");
            return None;
        };
        let dir = std::env::temp_dir().join(format!("sammen-outbox-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let script = format!("{}/tests/tools/{tool}", env!("CARGO_MANIFEST_DIR"));
        let mut child = Command::new(python)
            .args([script.as_str(), dir.to_str().unwrap(), &refuse_first.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the test server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line.trim().parse().unwrap_or_else(|_| panic!("the {tool} port, got `{line}`"));
        Some(Self { child, dir, port })
    }

    /// What arrived so far, in order.
    pub fn received(&self) -> Vec<Value> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        files.iter().map(|p| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()).collect()
    }

    /// Waits (up to `within`) until `n` messages have arrived, and returns them all.
    pub async fn wait_for(&self, n: usize, within: Duration) -> Vec<Value> {
        let started = Instant::now();
        loop {
            let mails = self.received();
            if mails.len() >= n {
                return mails;
            }
            assert!(started.elapsed() < within, "{n} message(s) within {within:?}, got {}: {mails:#?}", mails.len());
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The mails to `address`.
    pub fn mails_to(&self, address: &str) -> Vec<Value> {
        self.received().into_iter().filter(|m| m["rcpt_tos"][0] == address).collect()
    }
}

impl Drop for ToolServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The token in a mail's link (`…#token=…`).
#[track_caller]
pub fn token_in(mail: &Value) -> String {
    let body = mail["body"].as_str().unwrap();
    let start = body.find("#token=").unwrap_or_else(|| panic!("a link with a token in: {body}")) + "#token=".len();
    body[start..].split_whitespace().next().unwrap().to_owned()
}

impl TestApp {
    /// Runs the outbox's dispatcher for this app, sending to `sink` (as an instance of the service
    /// would), polling every 50 ms. Call it again for a second dispatcher on the same database.
    pub fn dispatch_to(&self, sink: &MailSink) {
        self.run_dispatcher(Some(format!("smtp://127.0.0.1:{}", sink.port)));
    }

    /// Runs the outbox's dispatcher for webhooks (mails go to the log).
    pub fn dispatch_webhooks(&self) {
        self.run_dispatcher(None);
    }

    fn run_dispatcher(&self, smtp_url: Option<String>) {
        let config = sammen_http::outbox::MailConfig {
            smtp_url,
            from: "Sammen <noreply@sammen.example>".into(),
            public_url: "https://frivillig.example.dk".into(),
        };
        let dispatcher = sammen_http::outbox::Dispatcher {
            state: self.state.clone(),
            mailer: sammen_http::outbox::Mailer::new(&config).unwrap(),
            webhooks: sammen_http::outbox::WebhookSender::new(true),
            config: Arc::new(config),
            idle_poll: Duration::from_millis(50),
        };
        actix_web::rt::spawn(dispatcher.run());
    }
}
