//! A dependent that enables only `modelhost`'s `replicate` feature never compiles
//! `modelhost-baseten`, and one with the default features does: read from cargo's own build
//! plan for `tests/downstream/replicate-only` and `tests/downstream/user` (`--unit-graph`,
//! which plans without building; unstable, so `RUSTC_BOOTSTRAP=1` lets the stable cargo
//! print it).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// The packages a downstream crate's `cargo build` would compile, by name.
fn planned_packages(crate_dir: &str) -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = root.join("tests/downstream").join(crate_dir);
    // The workspace's lockfile, so the plan uses the versions the workspace builds (and
    // already has downloaded).
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["build", "--offline", "--unit-graph", "-Z", "unstable-options", "--quiet"])
        .env("RUSTC_BOOTSTRAP", "1")
        .env_remove("CARGO_TARGET_DIR")
        .current_dir(&dir)
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "{crate_dir}: {}", String::from_utf8_lossy(&output.stderr));
    let graph: serde_json::Value = serde_json::from_slice(&output.stdout).expect("the unit graph is JSON");
    assert_eq!(graph["version"], 1, "cargo's unit graph has a layout this test does not know");
    graph["units"]
        .as_array()
        .expect("units")
        .iter()
        // `modelhost-baseten 0.1.0 (path+file:///…)`, or a registry id `registry+…#name@version`.
        .filter_map(|unit| unit["pkg_id"].as_str())
        .map(package_name)
        .collect()
}

/// The package name in a cargo package id, in either of its layouts.
fn package_name(pkg_id: &str) -> String {
    match pkg_id.rsplit_once('#') {
        Some((source, name_version)) => {
            let name = name_version.split('@').next().unwrap_or(name_version);
            // `path+file:///…/crates/http#modelhost-http@0.1.0`, or `…#0.1.0` when the name
            // is the folder's.
            if name.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                source.rsplit('/').next().unwrap_or(source).to_owned()
            } else {
                name.to_owned()
            }
        }
        None => pkg_id.split(' ').next().unwrap_or(pkg_id).to_owned(),
    }
}

#[test]
fn a_replicate_only_dependent_does_not_compile_the_baseten_client() {
    let packages = planned_packages("replicate-only");
    assert!(packages.contains("modelhost") && packages.contains("modelhost-replicate"), "{packages:?}");
    assert!(!packages.contains("modelhost-baseten"), "{packages:?}");
}

#[test]
fn a_dependent_with_the_default_features_compiles_both_clients() {
    let packages = planned_packages("user");
    assert!(
        packages.contains("modelhost-baseten") && packages.contains("modelhost-replicate"),
        "{packages:?}"
    );
}

#[test]
fn package_ids_of_both_layouts_name_their_package() {
    assert_eq!(package_name("path+file:///w/crates/baseten#modelhost-baseten@0.1.0"), "modelhost-baseten");
    assert_eq!(package_name("path+file:///w/crates/modelhost#0.1.0"), "modelhost");
    assert_eq!(package_name("registry+https://github.com/rust-lang/crates.io-index#serde@1.0.0"), "serde");
    assert_eq!(package_name("modelhost-baseten 0.1.0 (path+file:///w/crates/baseten)"), "modelhost-baseten");
}
