//! `modelhost`: delete models and versions on Baseten and Replicate from a shell, built on
//! the `modelhost` facade. See `modelhost --help` and crates/cli/README.md.

mod applied;
mod args;
mod cleanup;
mod confirm;
mod costs;
mod outcome;
mod progress;
mod render;
mod report;
mod run;
mod show;

use std::process::ExitCode;

use clap::Parser;

/// Runs the command, and reports how it ended in one place.
fn main() -> ExitCode {
    report::exit(run::run(args::Cli::parse()))
}
