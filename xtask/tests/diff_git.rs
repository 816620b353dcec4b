//! `cargo xtask diff` run as a command against a temporary git repository with two commits.

use std::path::Path;
use std::process::{Command, Output};

const SPEC: &str = include_str!("../../openapi/replicate.yaml");

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(status.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&status.stderr));
}

fn xtask_diff(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let Output { status, stdout, stderr } =
        Command::new(env!("CARGO_BIN_EXE_xtask")).arg("diff").args(args).current_dir(dir).output().unwrap();
    let code = status.code().expect("exited, not killed");
    (code, String::from_utf8(stdout).unwrap(), String::from_utf8(stderr).unwrap())
}

/// How many operations the committed Replicate spec has.
fn operations() -> usize {
    SPEC.matches("operationId:").count()
}

/// A repository whose first commit has no Replicate spec (as before a provider is added),
/// whose second adds it, and whose working tree removes one operation.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "--quiet", "--initial-branch=main"]);
    std::fs::create_dir(root.join("openapi")).unwrap();
    std::fs::write(root.join("README.md"), "specs\n").unwrap();
    git(root, &["add", "."]);
    git(root, &["commit", "--quiet", "-m", "no specs yet"]);
    std::fs::write(root.join("openapi/replicate.yaml"), SPEC).unwrap();
    git(root, &["add", "."]);
    git(root, &["commit", "--quiet", "-m", "add Replicate"]);
    let start = SPEC.find("    get:\n      operationId: models.versions.get").unwrap();
    let end = SPEC.find("    delete:\n      operationId: models.versions.delete").unwrap();
    std::fs::write(root.join("openapi/replicate.yaml"), format!("{}{}", &SPEC[..start], &SPEC[end..]))
        .unwrap();
    dir
}

#[test]
fn reports_the_working_tree_against_a_revision_and_exits_by_level() {
    let repo = repository();
    let (code, out, err) = xtask_diff(repo.path(), &["--provider", "replicate", "--base", "HEAD"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("Compared with HEAD ("), "{out}");
    assert!(out.contains("api-removed-without-deprecation: the operation was removed"), "{out}");
    assert!(out.contains("rust-item-removed: Client::models_versions_get"), "{out}");

    let (code, out, _) =
        xtask_diff(repo.path(), &["--provider", "replicate", "--fail-on", "never", "--format", "json"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["specs"][0]["status"], "modified");
    assert_eq!(json["specs"][0]["changes"][0]["id"], "api-removed-without-deprecation");
    assert!(json["base"].as_str().unwrap().starts_with("the merge base "), "{json}");
}

#[test]
fn a_spec_missing_at_the_base_is_all_added() {
    let repo = repository();
    let (code, out, err) = xtask_diff(repo.path(), &["--provider", "replicate", "--base", "HEAD~1"]);
    assert_eq!(code, 0, "adding is never breaking: {out}{err}");
    assert!(out.contains("openapi/replicate.yaml (new file)"), "{out}");
    // Every operation of the working tree's spec, which lacks one of the committed spec's.
    assert_eq!(out.matches("endpoint-added").count(), operations() - 1, "{out}");
}

/// The repository of [`repository`] as a crate `modelhost-replicate` at `version`.
fn set_version(root: &Path, version: &str) {
    let manifest =
        format!("[package]\nname = \"modelhost-replicate\"\nversion = \"{version}\"\nedition = \"2021\"\n");
    std::fs::write(root.join("Cargo.toml"), manifest).unwrap();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(root.join("src/lib.rs"), "").unwrap();
}

fn xtask(dir: &Path, args: &[&str]) -> (i32, String) {
    let Output { status, stdout, stderr } =
        Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).current_dir(dir).output().unwrap();
    let out = format!("{}{}", String::from_utf8(stdout).unwrap(), String::from_utf8(stderr).unwrap());
    (status.code().expect("exited, not killed"), out)
}

/// Released as v0.1.0, then an operation removed (a breaking change): 0.1.1 is too low,
/// 0.2.0 is enough, and so is 1.0.0.
#[test]
fn release_check_wants_the_version_the_change_needs() {
    let repo = repository();
    let root = repo.path();
    assert_eq!(xtask(root, &["release-check"]).0, 0, "no tag yet: nothing to compare with");

    let spec = std::fs::read_to_string(root.join("openapi/replicate.yaml")).unwrap();
    std::fs::write(root.join("openapi/replicate.yaml"), SPEC).unwrap();
    set_version(root, "0.1.0");
    git(root, &["add", "."]);
    git(root, &["commit", "--quiet", "-m", "release 0.1.0"]);
    git(root, &["tag", "v0.1.0"]);
    let (code, out) = xtask(root, &["release-check"]);
    assert_eq!(code, 0, "unchanged since the tag: {out}");
    assert!(out.contains("modelhost-replicate 0.1.0: enough for the none change"), "{out}");

    std::fs::write(root.join("openapi/replicate.yaml"), spec).unwrap();
    set_version(root, "0.1.1");
    let (code, out) = xtask(root, &["release-check"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("modelhost-replicate 0.1.1: too low"), "{out}");
    assert!(out.contains("in a major way, which needs 0.2.0 at least"), "{out}");
    for enough in ["0.2.0", "1.0.0"] {
        set_version(root, enough);
        let (code, out) = xtask(root, &["release-check"]);
        assert_eq!(code, 0, "{enough}: {out}");
    }
}

/// What the release workflow runs: the version the change needs, and its changelog entry
/// written from the diff.
#[test]
fn the_release_version_and_changelog_come_from_the_diff() {
    let repo = repository();
    let root = repo.path();
    set_version(root, "0.1.0");
    assert_eq!(xtask(root, &["next-version"]), (0, "0.1.0\n".to_owned()), "before any release");

    let spec = std::fs::read_to_string(root.join("openapi/replicate.yaml")).unwrap();
    std::fs::write(root.join("openapi/replicate.yaml"), SPEC).unwrap();
    git(root, &["add", "."]);
    git(root, &["commit", "--quiet", "-m", "release 0.1.0"]);
    git(root, &["tag", "v0.1.0"]);
    std::fs::write(root.join("openapi/replicate.yaml"), spec).unwrap();
    assert_eq!(xtask(root, &["next-version"]), (0, "0.2.0\n".to_owned()), "an operation removed");

    let (code, out) = xtask(root, &["changelog", "0.2.0"]);
    assert_eq!(code, 0, "{out}");
    let changelog = std::fs::read_to_string(root.join("CHANGELOG.md")).unwrap();
    assert!(changelog.starts_with("# Changelog\n"), "{changelog}");
    assert!(changelog.contains("## 0.2.0 ("), "{changelog}");
    assert!(changelog.contains("major: modelhost-replicate 0.1.0 → 0.2.0"), "{changelog}");
    assert!(changelog.contains("api-removed-without-deprecation"), "{changelog}");
    assert_eq!(xtask(root, &["changelog", "two"]).0, 2);
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let repo = repository();
    let (code, _, err) = xtask_diff(repo.path(), &["--base", "no-such-branch"]);
    assert_eq!(code, 2);
    assert!(err.contains("`no-such-branch` is not a revision of this repository"), "{err}");

    let (code, _, err) = xtask_diff(repo.path(), &["--provider", "nobody"]);
    assert_eq!((code, err.contains("no provider is named `nobody`")), (2, true), "{err}");

    std::fs::write(repo.path().join("openapi/replicate.yaml"), "openapi: 3.1.0\npaths: [\n").unwrap();
    let (code, _, err) = xtask_diff(repo.path(), &["--provider", "replicate", "--base", "HEAD"]);
    assert_eq!(code, 2);
    assert!(err.contains("openapi/replicate.yaml:3:1: malformed YAML"), "{err}");

    let outside = tempfile::tempdir().unwrap();
    let (code, _, err) = xtask_diff(outside.path(), &[]);
    assert_eq!((code, err.contains("is not inside a git checkout")), (2, true), "{err}");
    let (code, _, err) = xtask_diff(outside.path(), &["old.yaml", "new.yaml"]);
    assert_eq!((code, err.contains("cannot read old.yaml")), (2, true), "{err}");
}

#[test]
fn works_as_a_git_diff_driver() {
    let repo = repository();
    let root = repo.path();
    std::fs::write(root.join(".gitattributes"), "openapi/*.yaml diff=openapi\n").unwrap();
    let out = git_diff_through_the_driver(root);
    assert!(out.contains("api-removed-without-deprecation: the operation was removed"), "{out}");

    // A deleted spec: every operation is reported removed, and git carries on.
    std::fs::remove_file(root.join("openapi/replicate.yaml")).unwrap();
    let out = git_diff_through_the_driver(root);
    assert_eq!(out.matches("api-path-removed-without-deprecation").count(), operations(), "{out}");
}

/// `git diff` of the Replicate spec with `cargo xtask diff` configured as its driver; git
/// must succeed (a failing driver aborts the diff).
fn git_diff_through_the_driver(root: &Path) -> String {
    let driver = format!("diff.openapi.command={} diff", env!("CARGO_BIN_EXE_xtask"));
    let output = Command::new("git")
        .args(["-c", &driver, "diff", "--ext-diff", "--", "openapi/replicate.yaml"])
        .current_dir(root)
        .output()
        .unwrap();
    let out = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{out}{}", String::from_utf8_lossy(&output.stderr));
    out
}

/// A schema that contains itself through `allOf` describes no finite type; progenitor would
/// overflow its stack on it. The HTTP report survives, and says why the Rust API was not
/// compared. A 3.1 document without `paths`, or with empty `paths:`, is a valid base.
#[test]
fn a_self_including_schema_costs_the_rust_api_not_the_http_report() {
    let dir = tempfile::tempdir().unwrap();
    let cyclic = SPEC.replacen(
        "\n  schemas:\n",
        "\n  schemas:\n    Loop:\n      allOf:\n        - $ref: '#/components/schemas/Loop'\n",
        1,
    );
    assert!(cyclic.contains("Loop"));
    let start = cyclic.find("    get:\n      operationId: models.versions.get").unwrap();
    let end = cyclic.find("    delete:\n      operationId: models.versions.delete").unwrap();
    let cyclic = format!("{}{}", &cyclic[..start], &cyclic[end..]);
    assert_ne!(cyclic, SPEC);
    let (old, new) = (dir.path().join("old.yaml"), dir.path().join("new.yaml"));
    std::fs::write(&old, SPEC).unwrap();
    std::fs::write(&new, &cyclic).unwrap();
    let args = ["--format", "json", old.to_str().unwrap(), new.to_str().unwrap()];
    let (code, out, err) = xtask_diff(dir.path(), &args);
    assert_eq!(code, 1, "{out}{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let spec = &json["specs"][0];
    assert_eq!(spec["changes"][0]["id"], "api-removed-without-deprecation", "{json}");
    assert_eq!(spec["rust_api"]["compared"], false);
    let reason = spec["rust_api"]["reason"].as_str().unwrap();
    assert!(reason.contains("schema `Loop` contains itself (Loop → Loop)"), "{reason}");

    for base in [
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n",
    ] {
        std::fs::write(&old, base).unwrap();
        std::fs::write(&new, SPEC).unwrap();
        let (code, out, err) =
            xtask_diff(dir.path(), &["--fail-on", "never", old.to_str().unwrap(), new.to_str().unwrap()]);
        assert_eq!(code, 0, "{out}{err}");
        assert!(out.contains("endpoint-added"), "{out}");
    }
}

/// A breaking change fails the gate; accepted in `openapi/accepted-changes.yaml` (by the
/// fingerprint the JSON report gives it) it passes, reported apart; a later, unrelated
/// breaking change fails it again, and a malformed file is bad input.
#[test]
fn an_accepted_change_passes_the_gate_and_a_new_one_still_fails_it() {
    let repo = repository();
    let root = repo.path();
    let gate = ["--provider", "replicate", "--base", "HEAD", "--fail-on", "breaking"];
    assert_eq!(xtask_diff(root, &gate).0, 1, "the removed operation is breaking");
    let json = ["--provider", "replicate", "--base", "HEAD", "--fail-on", "never", "--format", "json"];
    let (_, out, _) = xtask_diff(root, &json);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let fingerprints: Vec<String> = report["specs"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["level"] == "breaking")
        .map(|c| c["fingerprint"].as_str().unwrap().to_owned())
        .collect();
    assert!(!fingerprints.is_empty());
    let entries: String = fingerprints
        .iter()
        .map(|f| {
            format!(
                "  - fingerprint: \"{f}\"\n    reason: gone upstream\n    by: reviewer\n    at: 2026-12-06\n"
            )
        })
        .collect();
    std::fs::write(root.join("openapi/accepted-changes.yaml"), format!("accepted:\n{entries}")).unwrap();
    let (code, out, err) = xtask_diff(root, &gate);
    assert_eq!(code, 0, "accepted: {out}{err}");
    assert!(out.contains("accepted, not counted"), "{out}");

    // Another operation, of another path, removed later: not accepted, so the gate fails
    // again, on it alone.
    let spec = std::fs::read_to_string(root.join("openapi/replicate.yaml")).unwrap();
    let start = spec.find("    delete:\n      operationId: deployments.delete").unwrap();
    let end = spec.find("  /predictions:").unwrap();
    std::fs::write(root.join("openapi/replicate.yaml"), format!("{}{}", &spec[..start], &spec[end..]))
        .unwrap();
    let (code, out, err) = xtask_diff(root, &gate);
    assert_eq!(code, 1, "a new breaking change: {out}{err}");
    assert!(out.contains("1 breaking") && out.contains("DELETE /deployments/"), "{out}");
    assert!(out.contains("accepted, not counted") && !err.contains("matches no change"), "{out}{err}");

    std::fs::write(root.join("openapi/accepted-changes.yaml"), "accepted:\n  - fingerprint: nope\n").unwrap();
    let (code, _, err) = xtask_diff(root, &gate);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("accepted-changes.yaml"), "{err}");
}

/// `--deprecation-days`: an operation deprecated without a sunset date passes the gate with no
/// policy (oasdiff's default) and fails it under one.
#[test]
fn a_deprecation_without_a_sunset_fails_the_gate_only_under_a_policy() {
    let dir = tempfile::tempdir().unwrap();
    let deprecated = SPEC.replacen(
        "    get:\n      operationId: models.versions.get",
        "    get:\n      deprecated: true\n      operationId: models.versions.get",
        1,
    );
    assert_ne!(deprecated, SPEC);
    let (old, new) = (dir.path().join("old.yaml"), dir.path().join("new.yaml"));
    std::fs::write(&old, SPEC).unwrap();
    std::fs::write(&new, &deprecated).unwrap();
    let files = [old.to_str().unwrap(), new.to_str().unwrap()];
    let (code, out, err) = xtask_diff(dir.path(), &files);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("endpoint-deprecated"), "{out}");
    let (code, out, err) = xtask_diff(dir.path(), &[&["--deprecation-days", "30"][..], &files].concat());
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("api-deprecated-sunset-missing"), "{out}");
}
