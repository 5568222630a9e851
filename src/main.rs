//! The `sammen` command: serves the API (the default), applies migrations, prints the contract,
//! and manages users from the command line.

mod cli;
mod seed;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    match cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            log::error!("{message}");
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
