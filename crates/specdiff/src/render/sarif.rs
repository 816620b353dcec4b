//! SARIF 2.1.0, for GitHub code scanning: one result per change of the HTTP API, at the
//! change's line in the spec file, with its rule, its level (breaking is `error`, warning
//! `warning`, info `note`) and its fingerprint, so a change found again is the same alert.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::Report;
use crate::rules::{Level, Rule};

/// The key under which each result carries [`Change::fingerprint`](crate::Change::fingerprint).
pub const FINGERPRINT_KEY: &str = "modelhostSpecChange/v1";

/// Renders the report as one SARIF run.
pub fn sarif(report: &Report) -> String {
    // Every rule a result names, in order of first use, with its index for `ruleIndex`.
    let mut rules: BTreeMap<&'static str, (usize, &'static Rule)> = BTreeMap::new();
    let mut results = Vec::new();
    for spec in &report.specs {
        let groups = spec.rust_groups();
        for change in &spec.diff.changes {
            let next = rules.len();
            let (index, _) = *rules.entry(change.rule.id).or_insert((next, change.rule));
            let mut location = json!({"physicalLocation": {"artifactLocation": {"uri": spec.file}}});
            if let Some(line) = change.line.filter(|l| *l > 0) {
                location["physicalLocation"]["region"] = json!({"startLine": line});
            }
            let operations = match change.operations.as_slice() {
                [] => String::new(),
                operations => format!(" ({})", operations.join(", ")),
            };
            results.push(json!({
                "ruleId": change.rule.id,
                "ruleIndex": index,
                "level": level(spec.level_of(change, &groups)),
                "message": {"text": format!("{}{operations}", change.message)},
                "locations": [location],
                "partialFingerprints": {FINGERPRINT_KEY: change.fingerprint()},
            }));
        }
    }
    let mut described: Vec<(usize, &Rule)> = rules.into_values().collect();
    described.sort_by_key(|(index, _)| *index);
    let rules: Vec<Value> = described
        .into_iter()
        .map(|(_, rule)| {
            json!({
                "id": rule.id,
                "shortDescription": {"text": rule.summary},
                "defaultConfiguration": {"level": level(rule.level)},
                "properties": {"origin": rule.origin.name()},
            })
        })
        .collect();
    let document = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "cargo xtask diff",
                "informationUri": "https://github.com/modelhost/modelhost/blob/main/crates/specdiff/README.md",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    });
    super::pretty_json(&document)
}

/// A level as SARIF names it.
fn level(level: Level) -> &'static str {
    match level {
        Level::Breaking => "error",
        Level::Warning => "warning",
        Level::Info => "note",
    }
}
