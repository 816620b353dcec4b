//! Where the workspace is: found from where the command runs, never from where the xtask was
//! compiled, so that checkouts sharing a target directory each work on their own files.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, bail};

/// The root of the workspace that holds the current directory, as cargo finds it
/// (`cargo locate-project --workspace`).
pub fn root() -> anyhow::Result<PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["locate-project", "--workspace", "--message-format", "plain"])
        .output()
        .context("cannot run `cargo locate-project` to find the workspace")?;
    if !output.status.success() {
        bail!(
            "cannot find the workspace from {}: {}",
            std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_default(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let manifest = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim_end());
    let root = manifest.parent().context("the workspace manifest has a folder")?.to_owned();
    if !root.join("openapi").is_dir() {
        bail!("{} has no openapi/ folder: run this inside a checkout of this repository", root.display());
    }
    Ok(root)
}

/// The members of the workspace at `root` as `cargo metadata --no-deps` describes them, and the
/// target directory.
pub fn metadata(root: &std::path::Path) -> anyhow::Result<serde_json::Value> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["metadata", "--no-deps", "--format-version", "1", "--offline"])
        .current_dir(root)
        .output()
        .context("cannot run `cargo metadata`")?;
    if !output.status.success() {
        bail!("`cargo metadata` failed: {}", String::from_utf8_lossy(&output.stderr).trim());
    }
    serde_json::from_slice(&output.stdout).context("`cargo metadata` printed no JSON")
}

/// The version of each package of the workspace at `root`, by name (`cargo metadata`).
pub fn package_versions(
    root: &std::path::Path,
) -> anyhow::Result<std::collections::BTreeMap<String, String>> {
    let metadata = metadata(root)?;
    let packages = metadata["packages"].as_array().context("`cargo metadata` lists no packages")?;
    Ok(packages
        .iter()
        .filter_map(|p| Some((p["name"].as_str()?.to_owned(), p["version"].as_str()?.to_owned())))
        .collect())
}
