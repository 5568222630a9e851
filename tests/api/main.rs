//! Black-box tests of the whole application over HTTP: a real server on a random port, a real
//! database of its own per test. The backend is SQLite unless SAMMEN_TEST_DATABASE_URL names a
//! PostgreSQL server (scripts/test runs the suite on both).

mod common;

mod access;
mod accounts;
mod activities;
mod audit;
mod cli;
mod clients;
mod contract;
mod conventions;
mod coverage;
mod directory;
mod grant_notifications;
mod grant_public;
mod grant_reviews;
mod grants;
mod hsds;
mod identity;
mod import;
mod login_throttle;
mod migrations;
mod personal_data_reads;
mod platform;
mod privacy;
mod races;
mod read_path;
mod retention;
mod text;
mod tokens;
mod webhooks;
