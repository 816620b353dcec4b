//! What a comparison found: changes under a rule, and documentation-only edits.

use modelhost_text::Escaped;
use std::collections::HashMap;

use crate::rules::{self, Rule};

/// Rules whose changes are never merged across operations: each operation is its own edit.
const PER_OPERATION: &[&Rule] = &[
    &rules::ENDPOINT_ADDED,
    &rules::API_PATH_REMOVED_WITHOUT_DEPRECATION,
    &rules::API_REMOVED_WITHOUT_DEPRECATION,
    &rules::API_PATH_REMOVED_BEFORE_SUNSET,
    &rules::API_REMOVED_BEFORE_SUNSET,
    &rules::API_PATH_REMOVED_WITH_DEPRECATION,
    &rules::API_REMOVED_WITH_DEPRECATION,
];

/// One change, under one rule. A change inside a shared component, or a document-wide one,
/// is one change that lists every operation it affects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The rule, which fixes the id and level.
    pub rule: &'static Rule,
    /// The operations affected (`DELETE /v1/models/{model_id}`), in document order; empty
    /// for a change to the document as a whole (servers, security schemes).
    pub operations: Vec<String>,
    /// One plain sentence.
    pub message: String,
    /// Where in the revised spec the change is (or, for a removal, what contained it).
    pub pointer: Option<String>,
    /// The line of `pointer` in the revised spec's text, when it has been looked up.
    pub line: Option<usize>,
    /// The groups of the generated Rust API this change shows up in (`Client::delete_model`,
    /// `types::Model`), when the Rust API was compared.
    pub rust: Vec<String>,
}

impl Change {
    /// A stable fingerprint: the first 12 hex digits of SHA-256 over the rule id, the
    /// operations and the place (`id:op1,op2:pointer`), not the message, so rewording a
    /// message keeps it and the same change found again matches it (oasdiff's approvals,
    /// SARIF's `partialFingerprints`).
    pub fn fingerprint(&self) -> String {
        use sha2::Digest;
        let subject = format!(
            "{}:{}:{}",
            self.rule.id,
            self.operations.join(","),
            self.pointer.as_deref().unwrap_or_default()
        );
        let digest = sha2::Sha256::digest(subject.as_bytes());
        digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
    }
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

/// What makes two changes one edit: rule id, place, message, and for a per-operation rule
/// the operation.
type MergeKey = (&'static str, Option<String>, String, Vec<String>);

/// Collects changes, tagging each with the operation being compared.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    pub changes: Vec<Change>,
    pub operation: Option<String>,
    /// What deprecations are held to.
    pub policy: crate::Policy,
}

impl Findings {
    pub fn add(&mut self, rule: &'static Rule, pointer: &str, message: impl Into<String>) {
        self.changes.push(Change {
            rule,
            operations: self.operation.iter().cloned().collect(),
            // Names in a message come from the spec: escaped once here for every rendering.
            message: Escaped(&message.into()).to_string(),
            pointer: Some(pointer.to_owned()),
            line: None,
            rust: Vec::new(),
        });
    }

    /// The changes, each underlying edit once: changes with the same rule, place and message
    /// (one edit seen from several operations) become one that lists the operations. An
    /// operation added or removed is an edit of its own, whatever place it is reported at.
    pub fn merged(self) -> Vec<Change> {
        let mut out: Vec<Change> = Vec::with_capacity(self.changes.len());
        let mut seen: HashMap<MergeKey, usize> = HashMap::new();
        for change in self.changes {
            let own = PER_OPERATION.contains(&change.rule).then(|| change.operations.clone());
            let key =
                (change.rule.id, change.pointer.clone(), change.message.clone(), own.unwrap_or_default());
            match seen.get(&key) {
                Some(&i) => {
                    for operation in change.operations {
                        if !out[i].operations.contains(&operation) {
                            out[i].operations.push(operation);
                        }
                    }
                }
                None => {
                    seen.insert(key, out.len());
                    out.push(change);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_seen_from_several_operations_is_one_change() {
        let mut found = Findings::default();
        for op in ["GET /a", "GET /b", "GET /a"] {
            found.operation = Some(op.to_owned());
            found.add(&rules::RESPONSE_OPTIONAL_PROPERTY_ADDED, "/components/schemas/A", "`A.x` was added");
        }
        found.operation = Some("GET /b".to_owned());
        found.add(&rules::RESPONSE_OPTIONAL_PROPERTY_ADDED, "/components/schemas/B", "`B.x` was added");
        let merged = found.merged();
        assert_eq!(merged.len(), 2);
        // The fingerprint names the rule, the operations and the place, not the wording.
        let reworded = Change { message: "another wording".into(), ..merged[0].clone() };
        assert_eq!(reworded.fingerprint(), merged[0].fingerprint());
        assert_eq!(merged[0].fingerprint().len(), 12);
        assert_ne!(merged[0].fingerprint(), merged[1].fingerprint());
        assert_eq!(merged[0].operations, ["GET /a", "GET /b"]);
        assert_eq!(merged[1].operations, ["GET /b"]);
    }
}
