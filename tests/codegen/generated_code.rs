//! Snapshots of each provider's generated client, for review in pull requests.
//! Refresh with `cargo xtask codegen` (or `cargo insta review`).

use std::path::PathBuf;

use modelhost_codegen::{BASETEN, REPLICATE, Spec};

/// The workspace this test runs in, found at run time: a test binary can be shared by
/// checkouts that use one target directory, so no path is fixed when it is compiled.
fn workspace_root() -> PathBuf {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR");
    PathBuf::from(dir).join("../..")
}

/// Asserts against `snapshots/NAME.snap`.
fn assert_matches_snapshot(provider: Spec) {
    let root = workspace_root();
    let code = provider.generate(&root).unwrap_or_else(|e| panic!("{e}"));
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path(root.join("tests/codegen/snapshots"));
    settings.bind(|| insta::assert_snapshot!(provider.name, code));
}

#[test]
fn baseten_client_matches_its_snapshot() {
    assert_matches_snapshot(BASETEN);
}

#[test]
fn replicate_client_matches_its_snapshot() {
    assert_matches_snapshot(REPLICATE);
}

/// Every operation of every spec becomes a client method: none is lost on the way.
#[test]
fn every_operation_becomes_a_method() {
    let root = workspace_root();
    for provider in [BASETEN, REPLICATE] {
        let written = provider.load(&root).unwrap();
        let adapted = provider.adapt(&root, written.clone()).unwrap().doc;
        let code: String =
            provider.generate_from(&root, written.clone()).unwrap().split_whitespace().collect();
        let mut generated = 0;
        for (path, item) in adapted["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let Some(id) = op.get("operationId").and_then(|v| v.as_str()) else { continue };
                let name = id.replace('.', "_");
                assert!(code.contains(&format!("pubfn{name}(&self")), "{method} {path}: no `{name}`");
                generated += 1;
            }
        }
        assert!(generated > 0, "{}: no operations", provider.name);
        assert_eq!(generated, operation_count(&written), "{}: operations lost in translation", provider.name);
    }
}

/// Operations in a spec as written.
fn operation_count(doc: &serde_json::Value) -> usize {
    modelhost_codegen::openapi::operations(doc).count()
}
