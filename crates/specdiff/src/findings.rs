//! What a comparison found: changes under a rule, and documentation-only edits.

use crate::rules::Rule;

/// One change, under one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The rule, which fixes the id and level.
    pub rule: &'static Rule,
    /// The operation affected (`DELETE /v1/models/{model_id}`), or none for document-wide changes.
    pub operation: Option<String>,
    /// One plain sentence.
    pub message: String,
    /// Where in the revised spec the change is (or, for a removal, what contained it).
    pub pointer: Option<String>,
    /// The line of `pointer` in the revised spec's text, when it has been looked up.
    pub line: Option<usize>,
}

/// An edit to documentation (descriptions, summaries, examples, `x-` extensions, `info`) that
/// changes nothing a client does; reported apart and never raising the level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocChange {
    /// Where, as a JSON pointer into the revised spec (or the base, for something removed).
    pub pointer: String,
    /// The operation the edit is in, if it is inside one.
    pub operation: Option<String>,
    /// `description changed`, `example added`, …
    pub message: String,
}

/// Collects changes, tagging each with the operation being compared.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    pub changes: Vec<Change>,
    pub operation: Option<String>,
}

impl Findings {
    pub fn add(&mut self, rule: &'static Rule, pointer: &str, message: impl Into<String>) {
        self.changes.push(Change {
            rule,
            operation: self.operation.clone(),
            message: message.into(),
            pointer: Some(pointer.to_owned()),
            line: None,
        });
    }
}
