//! `cargo xtask codegen [--check]`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};
use modelhost_codegen::{SPECS, Spec, generate, openapi, to_canonical_yaml};
use serde_json::Value;

use crate::files::{line_stats, write_atomically};

/// Whether files are brought up to date or only compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Rewrite what is stale.
    Write,
    /// Write nothing; report what is stale.
    Check,
}

/// Where the snapshot tests keep their snapshots, relative to the workspace.
const SNAPSHOT_DIR: &str = "tests/codegen/snapshots";
/// The snapshot test target, in [`SNAPSHOT_PACKAGE`].
const SNAPSHOT_TEST: &str = "generated_code";
/// The package of the snapshot tests, which does not depend on the client crates.
const SNAPSHOT_PACKAGE: &str = "modelhost-codegen-tests";

/// `--pull`: which providers, and from where.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pull {
    /// `--from`: a source in place of the configured one (for one provider only).
    pub from: Option<String>,
    /// `--provider`: only this provider (`baseten` or `replicate`); with `--from` and without
    /// it, Baseten.
    pub provider: Option<String>,
}

impl Pull {
    /// Whether this pull takes `provider`'s upstream.
    fn takes(&self, provider: &str) -> bool {
        match (&self.provider, &self.from) {
            (Some(only), _) => only == provider,
            (None, Some(_)) => provider == "baseten",
            (None, None) => true,
        }
    }
}

/// Runs the command, first pulling the providers' published specs when `pull` is given
/// (Baseten's into `openapi/baseten.yaml`, Replicate's into its reference copy); `Ok(false)`
/// means `--check` found stale files, the hand-written Replicate spec diverges from the
/// reference copy, or with `--pull --check`, that upstream differs.
pub fn run(mode: Mode, pull: Option<&Pull>) -> anyhow::Result<bool> {
    let root = crate::workspace::root()?;
    if let Some(pull) = pull {
        let from = pull.from.as_deref();
        if mode == Mode::Check {
            // Only an alert: is upstream ahead of openapi/?
            let baseten = !pull.takes("baseten") || crate::pull::check(&root, from)?;
            let replicate = !pull.takes("replicate") || crate::pull::replicate::check(&root, from)?;
            return Ok(baseten && replicate);
        }
        if pull.takes("baseten") {
            crate::pull::run(&root, from)?;
        }
        if pull.takes("replicate") {
            crate::pull::replicate::run(&root, from)?;
        }
    }
    let mut stale = Vec::new();
    for provider in SPECS {
        let (doc, stale_spec) = canonicalize(&root, provider, mode)?;
        stale.extend(stale_spec);
        // Generating is the full validation: everything the build scripts will do.
        let adapted = provider.adapt(&root, doc)?;
        let operations = openapi::operations(&adapted.doc).count();
        let code = generate(&provider.spec_path(&root), &adapted.doc)?;
        outln!(
            "{}: spec valid, {operations} operations, client generated ({} lines)",
            provider.name,
            code.lines().count()
        );
        report_dropped_defaults(&root, provider, &adapted.dropped_defaults);
    }
    stale.extend(snapshots(&root, mode)?);
    stale.extend(crate::generated_docs::run(&root, mode)?);
    if !crate::fidelity::run(&root)? {
        eprintln!(
            "{}: diverges from Replicate's published schema ({}): correct it, or mark a deliberate \
             divergence with `{}: WHY`",
            crate::fidelity::HAND_WRITTEN,
            crate::fidelity::PUBLISHED,
            crate::fidelity::ACKNOWLEDGED
        );
        return Ok(false);
    }
    match (mode, stale.is_empty()) {
        (Mode::Check, false) => {
            eprintln!("out of date: {}", stale.join(", "));
            eprintln!("run `cargo xtask codegen` and commit the result");
            Ok(false)
        }
        (Mode::Check, true) => {
            outln!("everything generated from openapi/ is up to date");
            Ok(true)
        }
        (Mode::Write, _) => Ok(true),
    }
}

/// Says which `default`s the translation dropped as invalid for their schemas.
fn report_dropped_defaults(root: &Path, provider: &Spec, dropped: &[String]) {
    if dropped.is_empty() {
        return;
    }
    outln!(
        "{}: {} defaults are not valid for their schemas and were left out:",
        provider.name,
        dropped.len()
    );
    let spec = relative(root, &provider.spec_path(root));
    for pointer in dropped {
        outln!("  {spec}#{pointer}");
    }
}

/// Loads a provider's spec and, for a canonical provider, brings it into canonical form;
/// returns the document (so it is parsed once) and the spec's name if it was stale.
fn canonicalize(root: &Path, provider: &Spec, mode: Mode) -> anyhow::Result<(Value, Option<String>)> {
    let doc = provider.load(root)?;
    if !provider.canonical {
        return Ok((doc, None));
    }
    let path = provider.spec_path(root);
    let text = to_canonical_yaml(&path, &doc)?;
    let old = std::fs::read_to_string(&path)?;
    if old == text {
        return Ok((doc, None));
    }
    let name = relative(root, &path);
    match mode {
        Mode::Check => outln!("{name}: not in canonical form"),
        Mode::Write => {
            write_atomically(&path, &text)?;
            outln!("{name}: rewritten in canonical form ({})", line_stats(&old, &text));
        }
    }
    Ok((doc, Some(name)))
}

/// Runs the snapshot tests, updating them in [`Mode::Write`]; returns the stale snapshots.
fn snapshots(root: &Path, mode: Mode) -> anyhow::Result<Vec<String>> {
    let dir = root.join(SNAPSHOT_DIR);
    let before = read_dir_texts(&dir)?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(root)
        // `--package xtask` builds nothing more (xtask has no such test) but resolves features
        // as `cargo xtask` did, so this run reuses the xtask's build of the generator.
        .args([
            "test",
            "--quiet",
            "--package",
            "xtask",
            "--package",
            SNAPSHOT_PACKAGE,
            "--test",
            SNAPSHOT_TEST,
        ])
        .env("INSTA_UPDATE", if mode == Mode::Write { "always" } else { "no" })
        .env("INSTA_FORCE_PASS", "0")
        // At run time, so a test binary shared with another checkout writes this one's files.
        .env("INSTA_WORKSPACE_ROOT", root)
        .output()
        .context("cannot run the snapshot tests")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        out!("{stdout}");
        eprint!("{}", String::from_utf8_lossy(&output.stderr));
    }
    let after = read_dir_texts(&dir)?;
    let mut changed = 0;
    for (name, new) in &after {
        let old = before.get(name).map(String::as_str).unwrap_or("");
        if old != new {
            outln!("{SNAPSHOT_DIR}/{name}: updated ({})", line_stats(old, new));
            changed += 1;
        }
    }
    match (mode, output.status.success()) {
        (_, true) => {
            if changed == 0 {
                outln!("snapshots: up to date");
            }
            Ok(Vec::new())
        }
        (Mode::Write, false) => {
            bail!("the snapshot tests failed even while updating; see their output above")
        }
        (Mode::Check, false) => {
            let stale: Vec<String> =
                stdout.lines().filter_map(|l| l.strip_prefix("Snapshot file: ")).map(str::to_owned).collect();
            if stale.is_empty() {
                bail!("the snapshot tests failed without naming a snapshot; see their output above");
            }
            Ok(stale)
        }
    }
}

fn read_dir_texts(dir: &Path) -> anyhow::Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(out) };
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "snap") {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            out.insert(name, std::fs::read_to_string(&path)?);
        }
    }
    Ok(out)
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}

#[cfg(test)]
mod tests {
    use modelhost_codegen::{BASETEN, REPLICATE};

    use super::*;

    const SPEC: &str =
        "{\"paths\": {}, \"info\": {\"version\": \"1\", \"title\": \"t\"}, \"openapi\": \"3.1.0\"}\n";

    fn root_with(spec: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("openapi")).unwrap();
        std::fs::write(BASETEN.spec_path(dir.path()), spec).unwrap();
        dir
    }

    #[test]
    fn check_reports_a_non_canonical_spec_and_writes_nothing() {
        let root = root_with(SPEC);
        let stale = canonicalize(root.path(), &BASETEN, Mode::Check).unwrap().1;
        assert_eq!(stale.as_deref(), Some("openapi/baseten.yaml"));
        assert_eq!(std::fs::read_to_string(BASETEN.spec_path(root.path())).unwrap(), SPEC);
    }

    #[test]
    fn write_rewrites_in_canonical_form_once() {
        let root = root_with(SPEC);
        assert!(canonicalize(root.path(), &BASETEN, Mode::Write).unwrap().1.is_some());
        let text = std::fs::read_to_string(BASETEN.spec_path(root.path())).unwrap();
        assert_eq!(text, "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\npaths: {}\n");
        assert!(canonicalize(root.path(), &BASETEN, Mode::Write).unwrap().1.is_none());
        assert_eq!(
            std::fs::read_dir(root.path().join("openapi")).unwrap().count(),
            1,
            "no temporary file is left"
        );
    }

    #[test]
    fn a_hand_written_spec_keeps_its_comments_and_layout() {
        let root = root_with(SPEC);
        let spec = "# maintainers' comment\nopenapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n";
        std::fs::write(REPLICATE.spec_path(root.path()), spec).unwrap();
        assert!(canonicalize(root.path(), &REPLICATE, Mode::Write).unwrap().1.is_none());
        assert_eq!(std::fs::read_to_string(REPLICATE.spec_path(root.path())).unwrap(), spec);
    }

    #[test]
    fn a_malformed_spec_is_an_error_and_stays_as_it_was() {
        let root = root_with("openapi: 3.1.0\ninfo: [\n");
        let err = canonicalize(root.path(), &BASETEN, Mode::Write).unwrap_err();
        assert!(err.to_string().contains("baseten.yaml:3:"), "{err}");
        assert_eq!(
            std::fs::read_to_string(BASETEN.spec_path(root.path())).unwrap(),
            "openapi: 3.1.0\ninfo: [\n"
        );
    }
}
