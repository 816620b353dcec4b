//! `cargo xtask request-path`: the files `modelhost delete` runs, parse to wire, by line
//! coverage (`notes/measures`' way): the command line built with `-C instrument-coverage`
//! into `target/coverage`, then `tests/src/bin/request_path.rs` runs it against a loopback
//! Baseten fake and reads the profiles with `llvm-profdata` and `llvm-cov`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

/// Builds, runs and prints the measure; `Ok(false)` when the run failed.
pub fn run(root: &Path, llvm: Option<&str>) -> anyhow::Result<bool> {
    let llvm = match llvm {
        Some(dir) => PathBuf::from(dir),
        None => llvm_tools()?,
    };
    let coverage = root.join("target/coverage");
    let built = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "-p", "modelhost-cli"])
        .env("RUSTFLAGS", "-C instrument-coverage")
        .env("CARGO_TARGET_DIR", &coverage)
        // Build scripts and proc macros are instrumented too: their profiles go here, not
        // into the source tree.
        .env("LLVM_PROFILE_FILE", coverage.join("build-%p-%m.profraw"))
        .current_dir(root)
        .status()
        .context("cannot run cargo")?;
    if !built.success() {
        bail!("the instrumented build of modelhost-cli failed");
    }
    let measured = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "-p", "modelhost-tests", "--bin", "request_path", "--"])
        .arg(coverage.join("debug/modelhost"))
        .arg(&llvm)
        .arg(root)
        .current_dir(root)
        .status()
        .context("cannot run cargo")?;
    Ok(measured.success())
}

/// rustup's `llvm-tools` of this toolchain, else the newest Debian `llvm-NN`.
fn llvm_tools() -> anyhow::Result<PathBuf> {
    let sysroot = Command::new("rustc").args(["--print", "sysroot"]).output().context("cannot run rustc")?;
    let sysroot = PathBuf::from(String::from_utf8_lossy(&sysroot.stdout).trim());
    let rustup = std::fs::read_dir(sysroot.join("lib/rustlib")).into_iter().flatten().flatten();
    let debian = std::fs::read_dir("/usr/lib").into_iter().flatten().flatten();
    let mut found: Vec<PathBuf> = rustup
        .map(|e| e.path().join("bin"))
        .chain(
            debian
                .filter(|e| e.file_name().to_string_lossy().starts_with("llvm-"))
                .map(|e| e.path().join("bin")),
        )
        .filter(|dir| dir.join("llvm-profdata").exists() && dir.join("llvm-cov").exists())
        .collect();
    // rustup's first (its own profile format), then Debian's newest.
    found.sort_by_key(|dir| (!dir.starts_with(&sysroot), std::cmp::Reverse(dir.clone())));
    found.into_iter().next().context(
        "no llvm-profdata and llvm-cov: `rustup component add llvm-tools`, or install Debian's llvm-19, or pass --llvm DIR",
    )
}
