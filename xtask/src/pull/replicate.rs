//! `--pull` for Replicate: fetch the OpenAPI document Replicate publishes into the reference
//! copy `openapi/replicate.published.yaml` (canonical form, with provenance), never into the
//! hand-written `openapi/replicate.yaml` the client is generated from; then say what upstream
//! changed (the diff engine, HTTP level). Whether the hand-written spec still agrees with it
//! is the fidelity check's to say, in every `codegen` run.

use std::path::{Path, PathBuf};

use modelhost_specdiff::{SpecReport, SpecText};

use super::config::ReplicateUpstream;
use super::fetch::Fetcher;
use super::{document, provenance, report_change, source};
use crate::fidelity::PUBLISHED;

/// `ROOT/openapi/replicate.published.yaml`.
pub fn published_path(root: &Path) -> PathBuf {
    root.join(PUBLISHED)
}

/// `ROOT/openapi/replicate.provenance.yaml`.
pub fn provenance_path(root: &Path) -> PathBuf {
    root.join("openapi/replicate.provenance.yaml")
}

/// A pull of Replicate's schema, not yet written.
pub struct Pulled {
    /// The reference copy in canonical YAML.
    pub spec: String,
    /// Its provenance file.
    pub provenance: String,
    /// The bytes fetched.
    pub fetched_bytes: usize,
}

/// Fetches Replicate's schema from `from` (or the configured source) and checks it is a
/// document whose references resolve; writes nothing.
pub fn pull(root: &Path, from: Option<&str>) -> anyhow::Result<Pulled> {
    let upstream = ReplicateUpstream::load(root)?;
    let source = source(root, from, &upstream.source);
    let fetched = Fetcher::new()?.get(&source)?;
    let doc = document(&fetched.name, &fetched.text)?;
    let spec = modelhost_codegen::to_canonical_yaml(&published_path(root), &doc)?;
    Ok(Pulled {
        spec,
        provenance: provenance(PUBLISHED, &source, std::slice::from_ref(&fetched))?,
        fetched_bytes: fetched.text.len(),
    })
}

/// Pulls and writes the reference copy and its provenance together (or neither), then prints
/// what upstream changed since the last pull.
pub fn run(root: &Path, from: Option<&str>) -> anyhow::Result<()> {
    let before = std::fs::read_to_string(published_path(root)).ok();
    let pulled = pull(root, from)?;
    let changed = before.as_deref() != Some(pulled.spec.as_str());
    crate::files::write_all_atomically(&[
        (published_path(root).as_path(), pulled.spec.as_str()),
        (provenance_path(root).as_path(), pulled.provenance.as_str()),
    ])?;
    outln!(
        "pulled {PUBLISHED}: {} bytes fetched{}",
        pulled.fetched_bytes,
        if changed { "" } else { "; up to date" }
    );
    if changed {
        out!("{}", changelog(before.as_deref(), &pulled.spec));
    }
    Ok(())
}

/// `--pull --check`: fetches and compares with the reference copy, writes nothing; `Ok(false)`
/// when upstream changed, with what changed printed.
pub fn check(root: &Path, from: Option<&str>) -> anyhow::Result<bool> {
    let before = std::fs::read_to_string(published_path(root)).ok();
    let pulled = pull(root, from)?;
    if before.as_deref() == Some(pulled.spec.as_str()) {
        outln!("pulled {PUBLISHED}: up to date");
        return Ok(true);
    }
    out!("{}", changelog(before.as_deref(), &pulled.spec));
    outln!("Replicate's schema differs from {PUBLISHED}: run `cargo xtask codegen --pull` to take it");
    Ok(false)
}

/// What `cargo xtask diff` says of the reference copy's change, at the HTTP level (the copy
/// generates no client). A copy before the pull that no longer loads is compared as absent.
fn changelog(before: Option<&str>, after: &str) -> String {
    let name = Path::new(PUBLISHED);
    let version = |text| SpecText { name, text, overrides: None };
    let base = "the reference copy before the pull";
    report_change(base, before.map(version), version(after), SpecReport::compare_http)
}
