//! A semantic changelog of two versions of an OpenAPI document, for reviewing spec changes in
//! pull requests (`cargo xtask diff`).
//!
//! Each change is reported under a rule of the [`rules`] catalogue, with a stable id and a
//! level (breaking, warning, info) taken from the point of view of a client built against the
//! base: removing a success response breaks it, adding an optional request property does not.
//! `$ref`s are followed before comparing, so a schema that only moved between components is
//! not a change. Documentation-only edits are listed apart and never raise the level. For the
//! providers of this workspace the generated Rust API is compared too ([`rust_api`]).
//!
//! ```
//! use modelhost_specdiff::{diff, rules::Level};
//! let base = serde_json::json!({"openapi": "3.1.0", "info": {}, "paths": {
//!     "/models/{id}": {"delete": {"responses": {"204": {"description": "gone"}}}}}});
//! let mut rev = base.clone();
//! rev["paths"] = serde_json::json!({});
//! let changes = diff(&base, &rev).changes;
//! assert_eq!(changes[0].rule.id, "api-path-removed-without-deprecation");
//! assert_eq!(changes[0].rule.level, Level::Breaking);
//! ```

mod accepted;
mod document;
mod documentation_edits;
mod findings;
mod lifecycle;
pub mod lines;
mod node;
mod operations;
pub mod render;
mod report;
pub mod rules;
pub mod rust_api;
pub mod rust_groups;
mod rust_link;
mod schema;
mod security;
pub mod semver;
mod threads;

use serde_json::Value;

pub use accepted::{Acceptance, AcceptedChange, AcceptedChanges};
pub use findings::{Change, DocChange};
pub use lifecycle::Policy;
pub use report::{Counts, Report, RustApi, RustApiSource, SpecReport, SpecText, Status};
pub use rust_link::generated;

/// What changed between two documents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpecDiff {
    /// Changes under the rules, operation by operation, then document-wide ones.
    pub changes: Vec<Change>,
    /// Documentation-only edits.
    pub documentation: Vec<DocChange>,
}

/// Compares two parsed documents. Both must have had their `$ref`s checked.
pub fn diff(base: &Value, rev: &Value) -> SpecDiff {
    diff_under(base, rev, Policy::default())
}

/// As [`diff`], holding deprecations to `policy`.
pub fn diff_under(base: &Value, rev: &Value, policy: Policy) -> SpecDiff {
    let mut found = findings::Findings { policy, ..Default::default() };
    operations::compare(&mut found, base, rev);
    security::schemes(&mut found, base, rev);
    document::servers(&mut found, base, rev);
    SpecDiff { changes: found.merged(), documentation: documentation_edits::documentation(base, rev) }
}
