//! `request_path MODELHOST LLVM_BIN [ROOT]`: which source files `modelhost delete --yes` runs, parse
//! to wire, as `notes/measures` takes it. `MODELHOST` is a `modelhost` binary built with
//! `RUSTFLAGS="-C instrument-coverage"`; `LLVM_BIN` holds `llvm-profdata` and `llvm-cov`
//! (rustup's `llvm-tools`, or a Debian `llvm-NN` that reads the same profile format); `ROOT`
//! is the workspace `MODELHOST` was built from (this one by default), for a build of
//! another checkout.
//!
//! Three deletes against a loopback fake of Baseten: a deployment that is deleted, the
//! production deployment (refused) and one that does not exist. Prints each file of the
//! workspace with executed lines, grouped by crate, the three paths together and the first
//! alone, and the counts the issue asks for: facade files, and files outside the command
//! line and the generated clients. Run by `cargo xtask request-path`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use modelhost_tests::baseten_server::{BasetenServer, FakeDeployment};
use serde_json::Value;

const KEY: &str = "request-path-key";

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is in the workspace");
    let (cli, llvm, root) = match args.as_slice() {
        [cli, llvm] => (cli, llvm, here),
        [cli, llvm, root] => (cli, llvm, root.as_path()),
        _ => {
            eprintln!("usage: request_path MODELHOST LLVM_BIN [ROOT]");
            return ExitCode::from(2);
        }
    };
    match measure(cli, llvm, root) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn measure(cli: &Path, llvm: &Path, root: &Path) -> Result<(), String> {
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    let server = runtime.block_on(BasetenServer::start());
    server.add_key(KEY, "team");
    let production = FakeDeployment { is_production: true, ..FakeDeployment::new("prod") };
    server.add_model_with("team", "m1", vec![production, FakeDeployment::new("d1")]);
    let dir = tempfile_dir()?;
    let paths = [("deleted", "d1", 0), ("refused", "prod", 1), ("not found", "gone", 1)];
    let mut profiles = Vec::new();
    for (name, deployment, expected) in paths {
        let profile = dir.join(format!("{}.profraw", name.replace(' ', "-")));
        let status = Command::new(cli)
            .args(["delete", "--yes", &format!("baseten:m1/deployments/{deployment}")])
            .env_clear()
            .env("BASETEN_API_KEY", KEY)
            .env("BASETEN_BASE_URL", &server.base_url)
            .env("LLVM_PROFILE_FILE", &profile)
            .output()
            .map_err(|e| format!("cannot run {}: {e}", cli.display()))?;
        let code = status.status.code().unwrap_or(-1);
        if (code == 0) != (expected == 0) {
            return Err(format!(
                "the {name} path exited {code}: {}",
                String::from_utf8_lossy(&status.stderr)
            ));
        }
        profiles.push(profile);
    }
    let all = executed(cli, llvm, root, &dir, &profiles, "all")?;
    let deleted = executed(cli, llvm, root, &dir, &profiles[..1], "deleted")?;
    print(&all, "the three paths together");
    print(&deleted, "the deleted path alone");
    Ok(())
}

/// Files of the workspace with an executed line under `profiles`, relative to it.
fn executed(
    cli: &Path,
    llvm: &Path,
    root: &Path,
    dir: &Path,
    profiles: &[PathBuf],
    name: &str,
) -> Result<BTreeSet<String>, String> {
    let merged = dir.join(format!("{name}.profdata"));
    run(Command::new(llvm.join("llvm-profdata"))
        .arg("merge")
        .arg("-sparse")
        .args(profiles)
        .arg("-o")
        .arg(&merged))?;
    let export = run(Command::new(llvm.join("llvm-cov"))
        .args(["export", "-summary-only", "--instr-profile"])
        .arg(&merged)
        .arg(cli))?;
    let json: Value = serde_json::from_slice(&export).map_err(|e| format!("llvm-cov export: {e}"))?;
    let files = json["data"][0]["files"].as_array().ok_or("llvm-cov export: no files")?;
    Ok(files
        .iter()
        .filter(|f| f["summary"]["lines"]["covered"].as_u64().unwrap_or(0) > 0)
        .filter_map(|f| {
            Path::new(f["filename"].as_str()?).strip_prefix(root).ok().map(|p| p.display().to_string())
        })
        .collect())
}

fn print(files: &BTreeSet<String>, title: &str) {
    let facade: Vec<_> = files.iter().filter(|f| f.starts_with("crates/modelhost/")).collect();
    // The generated clients: their crates, and what their build scripts wrote.
    let generated =
        |f: &str| ["crates/baseten/", "crates/replicate/", "target/"].iter().any(|p| f.starts_with(p));
    let outside = files.iter().filter(|f| !f.starts_with("crates/cli/") && !generated(f)).count();
    println!("## {title}");
    for file in files {
        println!("  {file}");
    }
    println!("facade files: {}", facade.len());
    println!("files outside the command line and the generated clients: {outside}\n");
}

fn run(command: &mut Command) -> Result<Vec<u8>, String> {
    let output = command.output().map_err(|e| format!("{command:?}: {e}"))?;
    if !output.status.success() {
        return Err(format!("{command:?}: {}", String::from_utf8_lossy(&output.stderr)));
    }
    Ok(output.stdout)
}

fn tempfile_dir() -> Result<PathBuf, String> {
    let dir = std::env::temp_dir().join(format!("modelhost-request-path-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}
