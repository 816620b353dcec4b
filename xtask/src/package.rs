//! `cargo xtask package`: `cargo package` of every published crate, each verified by building
//! its own tarball, with nothing left from an earlier run standing in for today's sources.
//!
//! Cargo verifies the crates against each other through a temporary registry that overlays
//! crates.io. What it takes from there it treats like any registry crate, immutable for a given
//! name and version: it reuses the copy unpacked under `$CARGO_HOME/registry/src/-<hash>/` and the
//! build of it in the target directory. Until the version changes, both would be last run's, so a
//! crate could pass verification against a dependency's old API. Both are removed first.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;

use crate::workspace;

/// A published member of the workspace.
#[derive(Debug, PartialEq, Eq)]
struct Published {
    name: String,
    version: String,
}

/// Packages and verifies every member that may be published; `Ok(false)` when cargo fails.
pub fn run(root: &Path) -> anyhow::Result<bool> {
    let metadata = workspace::metadata(root)?;
    let published = published(&metadata);
    anyhow::ensure!(!published.is_empty(), "no member of the workspace is published");
    let target =
        metadata["target_directory"].as_str().context("`cargo metadata` names no target directory")?;
    let mut removed = 0;
    if let Some(home) = cargo_home() {
        removed += remove_unpacked(&home.join("registry").join("src"), &published)?;
    }
    removed += remove_fingerprints(&Path::new(target).join("debug").join(".fingerprint"), &published)?;
    outln!(
        "packaging {} ({removed} copies or builds from an earlier run removed)",
        published.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
    );
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(root).args(["package", "--quiet", "--allow-dirty"]);
    for p in &published {
        command.args(["-p", &p.name]);
    }
    let status = command.status().context("cannot run `cargo package`")?;
    Ok(status.success())
}

/// The members whose `publish` allows some registry (cargo metadata gives `null` for any).
fn published(metadata: &serde_json::Value) -> Vec<Published> {
    let members = metadata["packages"].as_array().map(Vec::as_slice).unwrap_or_default();
    members
        .iter()
        .filter(|p| p["publish"].as_array().is_none_or(|registries| !registries.is_empty()))
        .filter_map(|p| {
            Some(Published {
                name: p["name"].as_str()?.to_owned(),
                version: p["version"].as_str()?.to_owned(),
            })
        })
        .collect()
}

/// Where cargo keeps its registries: `$CARGO_HOME`, or `.cargo` in the home directory.
fn cargo_home() -> Option<PathBuf> {
    std::env::var_os("CARGO_HOME").map(PathBuf::from).or_else(|| Some(std::env::home_dir()?.join(".cargo")))
}

/// Removes `NAME-VERSION` of each published crate from the unpacked sources of temporary
/// registries (their folders' names start with `-`; crates.io's never do).
fn remove_unpacked(sources: &Path, published: &[Published]) -> anyhow::Result<usize> {
    let mut removed = 0;
    let Ok(registries) = std::fs::read_dir(sources) else { return Ok(0) };
    for registry in registries.flatten() {
        if !registry.file_name().to_string_lossy().starts_with('-') {
            continue;
        }
        for p in published {
            let unpacked = registry.path().join(format!("{}-{}", p.name, p.version));
            if unpacked.is_dir() {
                std::fs::remove_dir_all(&unpacked)
                    .with_context(|| format!("cannot remove {}", unpacked.display()))?;
                removed += 1;
            }
        }
    }
    Ok(removed)
}

/// Removes the fingerprints of every build of a published crate, so that cargo rebuilds them.
/// The workspace's own builds go with them; a later build redoes those (a minute on two cores).
fn remove_fingerprints(fingerprints: &Path, published: &[Published]) -> anyhow::Result<usize> {
    let mut removed = 0;
    let Ok(entries) = std::fs::read_dir(fingerprints) else { return Ok(0) };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if published.iter().any(|p| is_build_of(&name.to_string_lossy(), &p.name)) {
            std::fs::remove_dir_all(entry.path())
                .with_context(|| format!("cannot remove {}", entry.path().display()))?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Whether a fingerprint folder (`NAME-HASH`, the hash 16 hex digits) belongs to package `name`.
fn is_build_of(folder: &str, name: &str) -> bool {
    folder
        .strip_prefix(name)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|hash| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fingerprint_folder_belongs_to_one_package_only() {
        assert!(is_build_of("modelhost-http-0123456789abcdef", "modelhost-http"));
        assert!(is_build_of("modelhost-0123456789abcdef", "modelhost"));
        assert!(!is_build_of("modelhost-http-0123456789abcdef", "modelhost"));
        assert!(!is_build_of("modelhost-cli-0123456789abcdef", "modelhost-http"));
        assert!(!is_build_of("modelhost-http", "modelhost-http"));
    }

    #[test]
    fn only_members_some_registry_may_take_are_published() {
        let metadata = serde_json::json!({"packages": [
            {"name": "modelhost", "version": "0.1.0", "publish": null},
            {"name": "xtask", "version": "0.1.0", "publish": []},
            {"name": "modelhost-http", "version": "0.1.0", "publish": ["crates-io"]},
        ]});
        assert_eq!(
            published(&metadata),
            [
                Published { name: "modelhost".into(), version: "0.1.0".into() },
                Published { name: "modelhost-http".into(), version: "0.1.0".into() },
            ]
        );
    }

    #[test]
    fn only_temporary_registries_lose_their_unpacked_copies() {
        let home = tempfile::tempdir().unwrap();
        let src = home.path();
        for dir in [
            "-22c3805da5a543b4/modelhost-http-0.1.0",
            "-22c3805da5a543b4/serde-1.0.0",
            "index.crates.io-1949cf8c6b5b557f/modelhost-http-0.1.0",
        ] {
            std::fs::create_dir_all(src.join(dir)).unwrap();
        }
        let published = [Published { name: "modelhost-http".into(), version: "0.1.0".into() }];
        assert_eq!(remove_unpacked(src, &published).unwrap(), 1);
        assert!(!src.join("-22c3805da5a543b4/modelhost-http-0.1.0").exists());
        assert!(src.join("-22c3805da5a543b4/serde-1.0.0").exists());
        assert!(src.join("index.crates.io-1949cf8c6b5b557f/modelhost-http-0.1.0").exists());
    }
}
