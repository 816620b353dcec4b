//! Maintainer commands for this workspace, run as `cargo xtask …` (see the README).

mod codegen;
mod files;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask codegen [--check]

  codegen          validate every spec in openapi/, rewrite the Baseten spec in canonical
                   form, regenerate the clients and refresh the snapshot tests
  codegen --check  write nothing; exit 1 naming every file that is out of date";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen"] => codegen::run(codegen::Mode::Write),
        ["codegen", "--check"] => codegen::run(codegen::Mode::Check),
        ["-h" | "--help" | "help"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
