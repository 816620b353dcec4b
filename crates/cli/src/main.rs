//! `modelhost`: delete models and versions on Baseten and Replicate from a shell, built on
//! the `modelhost` facade. See `modelhost --help` and crates/cli/README.md.

mod applied;
mod args;
mod cleanup;
mod confirm;
mod outcome;
mod progress;
mod render;
mod run;
mod show;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    run::main(args::Cli::parse())
}
