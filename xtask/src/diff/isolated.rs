//! Generating a spec version's Rust API in a child process (this same program, run as
//! `xtask __public-api`), so that nothing inside progenitor, not even a stack overflow that
//! aborts its process, can take the HTTP part of the report down with it.

use std::path::Path;
use std::process::{Command, ExitCode};

use modelhost_specdiff::SpecText;
use modelhost_specdiff::rust_api::PublicApi;

/// The hidden subcommand the child runs.
pub const SUBCOMMAND: &str = "__public-api";

/// Generates `version`'s client in a child process and returns its public items, or why not.
pub fn public_api(version: SpecText<'_>) -> Result<PublicApi, String> {
    let dir = tempfile::tempdir().map_err(|e| format!("cannot create a temporary folder: {e}"))?;
    let spec = dir.path().join("spec");
    std::fs::write(&spec, version.text).map_err(|e| format!("cannot write a temporary file: {e}"))?;
    let mut command =
        Command::new(std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?);
    command.arg(SUBCOMMAND).arg(version.name).arg(&spec);
    if let Some(overrides) = version.overrides {
        let table = dir.path().join("overrides");
        std::fs::write(&table, overrides).map_err(|e| format!("cannot write a temporary file: {e}"))?;
        command.arg(table);
    }
    let output = command.output().map_err(|e| format!("cannot start the generator: {e}"))?;
    if output.status.success() {
        return serde_json::from_slice(&output.stdout).map_err(|e| format!("the generator's output: {e}"));
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let last = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
    Err(match output.status.code() {
        Some(_) => last.strip_prefix("error: ").unwrap_or(last).to_owned(),
        None => format!(
            "the generator crashed ({}){}",
            output.status,
            if last.is_empty() { String::new() } else { format!(": {last}") }
        ),
    })
}

/// The child: `__public-api NAME SPEC [OVERRIDES]` prints the public items as JSON.
pub fn child(args: &[String]) -> ExitCode {
    let [name, spec, rest @ ..] = args else {
        eprintln!("error: usage: xtask {SUBCOMMAND} NAME SPEC [OVERRIDES]");
        return ExitCode::from(2);
    };
    let read = |path: &String| std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"));
    let result = read(spec).and_then(|text| {
        let overrides = rest.first().map(read).transpose()?;
        let version = SpecText { name: Path::new(name), text: &text, overrides: overrides.as_deref() };
        modelhost_specdiff::generated(version)
    });
    match result.and_then(|api| serde_json::to_string(&api).map_err(|e| e.to_string())) {
        Ok(json) => {
            outln!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
