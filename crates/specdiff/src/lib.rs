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
//! assert_eq!(changes[0].rule.id, "endpoint-removed");
//! assert_eq!(changes[0].rule.level, Level::Breaking);
//! ```

mod docs;
mod findings;
pub mod lines;
mod node;
mod operations;
pub mod render;
pub mod rules;
pub mod rust_api;
mod schema;

use std::path::Path;

use modelhost_codegen::{Overrides, SpecError, load, refs};
use serde_json::Value;

pub use findings::{Change, DocChange};
use rules::Level;
use rust_api::ApiChange;

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
    let mut found = findings::Findings::default();
    operations::compare(&mut found, base, rev);
    operations::security_schemes(&mut found, base, rev);
    operations::servers(&mut found, base, rev);
    SpecDiff { changes: found.changes, documentation: docs::documentation(base, rev) }
}

/// One version of a spec file, as text.
#[derive(Debug, Clone, Copy)]
pub struct Version<'a> {
    /// Names the file in errors (a path, or `REV:path`).
    pub name: &'a Path,
    /// The spec's text.
    pub text: &'a str,
    /// The operation-id override table that goes with it, if its provider has one.
    pub overrides: Option<&'a str>,
}

/// How a spec file fared between base and revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The file is new: everything in it is reported as added.
    Added,
    /// The file changed.
    Modified,
    /// The file is byte-identical.
    Unchanged,
}

/// Whether the generated Rust APIs could be compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RustApi {
    /// Both sides generated; these items differ.
    Compared(Vec<ApiChange>),
    /// One side did not generate (the reason says which and why).
    NotCompared(String),
}

/// The comparison of one spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecReport {
    /// The file, as shown to reviewers (`openapi/baseten.yaml`).
    pub file: String,
    /// Added, modified or unchanged.
    pub status: Status,
    /// The HTTP API's changes and documentation edits, with lines into the revision.
    pub diff: SpecDiff,
    /// The generated Rust API's changes.
    pub rust_api: RustApi,
}

impl SpecReport {
    /// Compares two versions of a spec (no base: the file is new). Fails, naming the file and
    /// place, when either version does not parse or has a dangling `$ref`.
    pub fn compare(file: &str, base: Option<Version<'_>>, rev: Version<'_>) -> Result<Self, SpecError> {
        Self::compare_with(file, base, rev, true)
    }

    /// As [`compare`](Self::compare), without generating the Rust clients: the HTTP API only.
    pub fn compare_http(file: &str, base: Option<Version<'_>>, rev: Version<'_>) -> Result<Self, SpecError> {
        Self::compare_with(file, base, rev, false)
    }

    fn compare_with(
        file: &str,
        base: Option<Version<'_>>,
        rev: Version<'_>,
        with_rust_api: bool,
    ) -> Result<Self, SpecError> {
        let status = match base {
            None => Status::Added,
            Some(base) if base.text == rev.text && base.overrides == rev.overrides => Status::Unchanged,
            Some(_) => Status::Modified,
        };
        if status == Status::Unchanged {
            let diff = SpecDiff::default();
            return Ok(Self { file: file.to_owned(), status, diff, rust_api: RustApi::Compared(Vec::new()) });
        }
        // The two sides are parsed at once, and the line index is built while diffing: on a
        // large spec these are the costly steps, and they are independent.
        let (new, old) = std::thread::scope(|scope| {
            let old = scope.spawn(|| base.map(parsed).transpose());
            let new = parsed(rev);
            (new, old.join().expect("parsing does not panic"))
        });
        let (new, old) = (new?, old?);
        let empty = serde_json::json!({"openapi": new["openapi"], "info": {}, "paths": {}});
        let (mut diff, index) = std::thread::scope(|scope| {
            let index = scope.spawn(|| lines::LineIndex::new(rev.text));
            let diff = diff(old.as_ref().unwrap_or(&empty), &new);
            (diff, index.join().expect("indexing lines does not panic"))
        });
        for change in &mut diff.changes {
            change.line = change.pointer.as_deref().and_then(|p| index.line(p));
        }
        let rust_api = if with_rust_api {
            compare_rust_api(base.zip(old), (rev, new))
        } else {
            RustApi::NotCompared("not asked for".to_owned())
        };
        Ok(Self { file: file.to_owned(), status, diff, rust_api })
    }

    /// The level of every change, Rust API included.
    fn levels(&self) -> impl Iterator<Item = Level> + '_ {
        let http = self.diff.changes.iter().map(|c| c.rule.level);
        http.chain(self.api_changes().iter().map(|c| c.rule.level))
    }

    /// The highest level found, Rust API included.
    pub fn max_level(&self) -> Option<Level> {
        self.levels().max()
    }

    /// How many changes there are at each level, Rust API included: (breaking, warning, info).
    pub fn counts(&self) -> (usize, usize, usize) {
        self.levels().fold((0, 0, 0), |(b, w, i), level| match level {
            Level::Breaking => (b + 1, w, i),
            Level::Warning => (b, w + 1, i),
            Level::Info => (b, w, i + 1),
        })
    }

    /// The Rust API changes, empty when not compared.
    pub fn api_changes(&self) -> &[ApiChange] {
        match &self.rust_api {
            RustApi::Compared(changes) => changes,
            RustApi::NotCompared(_) => &[],
        }
    }
}

fn parsed(version: Version<'_>) -> Result<Value, SpecError> {
    let doc = load::parse(version.name, version.text)?;
    refs::check_refs(version.name, &doc)?;
    Ok(doc)
}

fn generated(version: Version<'_>, doc: Value) -> Result<rust_api::PublicApi, String> {
    let overrides = match version.overrides {
        Some(text) => Overrides::parse(version.name, text).map_err(|e| e.to_string())?,
        None => Overrides::default(),
    };
    let code =
        modelhost_codegen::generate_client(version.name, doc, &overrides).map_err(|e| e.to_string())?;
    rust_api::public_api(&code).map_err(|e| format!("the generated code does not parse: {e}"))
}

/// Generates both sides with the workspace's codegen and compares their public items; a new
/// file is compared with an empty API.
fn compare_rust_api(base: Option<(Version<'_>, Value)>, (rev, new): (Version<'_>, Value)) -> RustApi {
    let before = match base.map(|(version, doc)| generated(version, doc)).transpose() {
        Ok(api) => api.unwrap_or_default(),
        Err(e) => return RustApi::NotCompared(format!("the base does not generate: {e}")),
    };
    match generated(rev, new) {
        Ok(after) => RustApi::Compared(rust_api::diff(&before, &after)),
        Err(e) => RustApi::NotCompared(format!("the revision does not generate: {e}")),
    }
}

/// The comparison of every spec asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// What the revision is compared with (`origin/main (3f2c1a9)`, or a file name).
    pub base: String,
    /// One entry per spec file.
    pub specs: Vec<SpecReport>,
}

impl Report {
    /// The highest level found in any spec.
    pub fn max_level(&self) -> Option<Level> {
        self.specs.iter().filter_map(SpecReport::max_level).max()
    }

    /// How many changes there are at each level, Rust API included: (breaking, warning, info).
    pub fn counts(&self) -> (usize, usize, usize) {
        self.specs.iter().map(SpecReport::counts).fold((0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2))
    }

    /// How many documentation edits there are.
    pub fn documentation_edits(&self) -> usize {
        self.specs.iter().map(|s| s.diff.documentation.len()).sum()
    }
}
