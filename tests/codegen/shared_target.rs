//! Two checkouts of this repository that share one target directory each generate their
//! client from their own spec.
//!
//! Cargo hashes a workspace member by its path inside the workspace, so both checkouts'
//! build-script runs land in the same `OUT_DIR`: a build script that found the spec from a
//! path fixed when it was compiled generated the second checkout's client from the first's.
//!
//! It builds the Replicate client (`cargo check`, which runs the build script) in a target
//! directory of its own, so it is ignored in `cargo test --workspace`; `.ci/run` runs it:
//! `cargo test -p modelhost-codegen-tests --test shared_target -- --ignored`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace this test runs in (at run time: the binary may be another checkout's).
fn workspace_root() -> PathBuf {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR");
    PathBuf::from(dir).join("../..").canonicalize().unwrap()
}

/// Copies the files git tracks (and the untracked ones it does not ignore) as they are in the
/// working tree, links kept as links: a checkout of what is being tested.
fn checkout(root: &Path, to: &Path) {
    let listed = Command::new("git")
        .current_dir(root)
        .args(["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        .output()
        .expect("git runs");
    assert!(listed.status.success(), "git ls-files: {}", String::from_utf8_lossy(&listed.stderr));
    for name in listed.stdout.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let name = std::str::from_utf8(name).unwrap();
        let (from, dest) = (root.join(name), to.join(name));
        let Ok(meta) = std::fs::symlink_metadata(&from) else { continue }; // deleted in the tree
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        if meta.file_type().is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(&from).unwrap(), &dest).unwrap();
        } else {
            std::fs::copy(&from, &dest).unwrap();
        }
    }
}

/// Runs `cargo check -p modelhost-replicate` in `checkout` with `target` as its target
/// directory; returns the generated client and the build script's recorded output.
fn build_replicate(checkout: &Path, target: &Path) -> (String, String) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(checkout)
        .env("CARGO_TARGET_DIR", target)
        .args(["check", "--locked", "--quiet", "-p", "modelhost-replicate", "--message-format", "json"])
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "build in {}: {}",
        checkout.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let out_dir = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "build-script-executed")
        .filter(|m| m["package_id"].as_str().is_some_and(|id| id.contains("modelhost-replicate")))
        .find_map(|m| m["out_dir"].as_str().map(PathBuf::from))
        .expect("cargo reports the Replicate build script's OUT_DIR");
    let client = std::fs::read_to_string(out_dir.join("client.rs")).unwrap();
    let recorded = std::fs::read_to_string(out_dir.parent().unwrap().join("output")).unwrap();
    (client, recorded)
}

/// Replaces the first operation summary in `checkout`'s Replicate spec by `summary`.
fn edit_summary(checkout: &Path, summary: &str) {
    let path = checkout.join("openapi/replicate.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text.find("summary: ").expect("the spec has a summary") + "summary: ".len();
    let end = at + text[at..].find('\n').unwrap();
    std::fs::write(&path, format!("{}{summary}{}", &text[..at], &text[end..])).unwrap();
}

#[test]
#[ignore = "builds the Replicate client in a target directory of its own; .ci/run runs it"]
fn checkouts_sharing_a_target_directory_each_generate_from_their_own_spec() {
    let root = workspace_root();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root.join("target"), PathBuf::from)
        .join("shared-checkouts");
    let clones = tempfile::tempdir().unwrap();
    let (a, b) = (clones.path().join("a"), clones.path().join("b"));
    checkout(&root, &a);
    checkout(&root, &b);
    let a_spec = std::fs::read_to_string(a.join("openapi/replicate.yaml")).unwrap();

    let (client_a, recorded_a) = build_replicate(&a, &target);
    assert!(recorded_a.contains(&a.display().to_string()), "A's build watches A's spec:\n{recorded_a}");

    edit_summary(&b, "Marker summary from checkout B");
    let (client_b, recorded_b) = build_replicate(&b, &target);
    assert!(!client_a.contains("Marker summary from checkout B"));
    assert!(client_b.contains("Marker summary from checkout B"), "B's client is generated from B's spec");
    assert!(
        !recorded_b.contains(&a.display().to_string()),
        "B's build watches no file of A's:\n{recorded_b}"
    );
    assert_eq!(std::fs::read_to_string(a.join("openapi/replicate.yaml")).unwrap(), a_spec, "A is untouched");

    // With the first checkout gone, the second still builds, and still from its own spec.
    std::fs::remove_dir_all(&a).unwrap();
    build_replicate(&b, &target);
    edit_summary(&b, "Second marker from checkout B");
    let (client_b, _) = build_replicate(&b, &target);
    assert!(client_b.contains("Second marker from checkout B"));
}
