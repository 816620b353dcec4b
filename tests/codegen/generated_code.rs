//! Snapshots of each provider's generated client, for review in pull requests.
//! Refresh with `cargo xtask codegen` (or `cargo insta review`).

use modelhost_codegen::{BASETEN, Provider, REPLICATE, workspace_root};

/// Asserts against `snapshots/NAME.snap`.
fn assert_matches_snapshot(provider: Provider) {
    let code = provider.generate(&workspace_root()).unwrap_or_else(|e| panic!("{e}"));
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
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

/// Every operation of every spec becomes a client method: none is dropped on the way.
#[test]
fn every_operation_becomes_a_method() {
    let root = workspace_root();
    for provider in [BASETEN, REPLICATE] {
        let doc = provider.adapt(&root, provider.load(&root).unwrap()).unwrap().doc;
        let code = provider.generate_from(&root, doc.clone()).unwrap();
        let code: String = code.split_whitespace().collect();
        let mut count = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let Some(id) = op.get("operationId").and_then(|v| v.as_str()) else { continue };
                let name = id.replace('.', "_");
                assert!(code.contains(&format!("pubfn{name}(&self")), "{method} {path}: no `{name}`");
                count += 1;
            }
        }
        let expected = if provider == BASETEN { 168 } else { 5 };
        assert_eq!(count, expected, "{} operations", provider.name);
    }
}
