//! A real SMTP server for the tests (`tests/tools/smtp_sink.py`, PyPI aiosmtpd, in the tools
//! venv scripts/test makes: `SAMMEN_PYTHON`), and the outbox's dispatcher sending to it.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::TestApp;

/// The SMTP server of one test; stopped when dropped.
pub struct MailSink {
    child: Child,
    dir: PathBuf,
    pub port: u16,
}

impl MailSink {
    /// Starts a server that refuses the first `refuse_first` messages with 451; `None` (and a
    /// note) when `SAMMEN_PYTHON` is unset: the test is skipped outside scripts/test.
    pub fn start(refuse_first: usize) -> Option<Self> {
        let Ok(python) = std::env::var("SAMMEN_PYTHON") else {
            eprintln!("mail test skipped: SAMMEN_PYTHON is unset (scripts/test sets it, with aiosmtpd)");
            return None;
        };
        let dir = std::env::temp_dir().join(format!("sammen-mail-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/tools/smtp_sink.py");
        let mut child = Command::new(python)
            .args([script, dir.to_str().unwrap(), &refuse_first.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the SMTP sink starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line.trim().parse().unwrap_or_else(|_| panic!("the SMTP sink's port, got `{line}`"));
        Some(Self { child, dir, port })
    }

    /// The mails that arrived so far, in order.
    pub fn mails(&self) -> Vec<Value> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        files.iter().map(|p| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()).collect()
    }

    /// Waits (up to `within`) until `n` mails have arrived, and returns them all.
    pub async fn wait_for(&self, n: usize, within: Duration) -> Vec<Value> {
        let started = Instant::now();
        loop {
            let mails = self.mails();
            if mails.len() >= n {
                return mails;
            }
            assert!(started.elapsed() < within, "{n} mail(s) within {within:?}, got {}: {mails:#?}", mails.len());
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The mails to `address`.
    pub fn mails_to(&self, address: &str) -> Vec<Value> {
        self.mails().into_iter().filter(|m| m["rcpt_tos"][0] == address).collect()
    }
}

impl Drop for MailSink {
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
        let config = sammen_http::outbox::MailConfig {
            smtp_url: Some(format!("smtp://127.0.0.1:{}", sink.port)),
            from: "Sammen <noreply@sammen.example>".into(),
            public_url: "https://frivillig.example.dk".into(),
        };
        let dispatcher = sammen_http::outbox::Dispatcher {
            state: self.state.clone(),
            mailer: sammen_http::outbox::Mailer::new(&config).unwrap(),
            config: Arc::new(config),
            idle_poll: Duration::from_millis(50),
        };
        actix_web::rt::spawn(dispatcher.run());
    }
}
