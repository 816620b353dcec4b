//! The checked-in configuration of `--pull`: `openapi/baseten.upstream.yaml` and
//! `openapi/replicate.upstream.yaml`.

use std::path::Path;

use anyhow::Context;
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// Where Baseten's spec is fetched from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Upstream {
    /// A URL or a path (relative paths are relative to `openapi/`).
    pub source: String,
    /// For an index: the substring that the URL path of an API reference page contains.
    pub index_pages: String,
}

impl Upstream {
    /// `ROOT/openapi/baseten.upstream.yaml`.
    pub fn path(root: &Path) -> std::path::PathBuf {
        root.join("openapi/baseten.upstream.yaml")
    }

    /// Reads the configuration.
    pub fn load(root: &Path) -> anyhow::Result<Self> {
        let path = Self::path(root);
        let upstream: Self = read(&path)?;
        if upstream.index_pages.trim().is_empty() {
            anyhow::bail!("{}: `index_pages` must not be empty", path.display());
        }
        Ok(upstream)
    }
}

/// Where Replicate's published schema is fetched from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplicateUpstream {
    /// A URL or a path (relative paths are relative to `openapi/`) of an OpenAPI document.
    pub source: String,
}

impl ReplicateUpstream {
    /// Reads `ROOT/openapi/replicate.upstream.yaml`.
    pub fn load(root: &Path) -> anyhow::Result<Self> {
        read(&root.join("openapi/replicate.upstream.yaml"))
    }
}

/// A configuration file, parsed.
fn read<T: DeserializeOwned>(path: &Path) -> anyhow::Result<T> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_norway::from_str(&text).with_context(|| format!("{}: not a valid configuration", path.display()))
}
