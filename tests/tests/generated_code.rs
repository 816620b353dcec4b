//! Snapshots of each provider's generated client, for review in pull requests.
//! Refresh with `cargo xtask codegen` (or `cargo insta review`).

use modelhost_codegen::{PROVIDERS, workspace_root};

#[test]
fn generated_clients_match_their_snapshots() {
    let root = workspace_root();
    for provider in PROVIDERS {
        let code = provider.generate(&root).unwrap_or_else(|e| panic!("{e}"));
        insta::assert_snapshot!(provider.name, code);
    }
}
