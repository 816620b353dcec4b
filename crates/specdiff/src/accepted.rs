//! Changes a maintainer has accepted: each named by its [`Change::fingerprint`], with why, by
//! whom and when (the `accepted:` list of `openapi/accepted-changes.yaml`). An accepted change
//! is still reported, apart, but counts toward no level, exit status or version bump; an
//! entry that matches no change any more is stale, and said so.

use std::collections::HashMap;

use crate::{Change, Report};

/// One accepted change.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Acceptance {
    /// The change's fingerprint: 12 lower-case hex digits.
    pub fingerprint: String,
    /// Why it is accepted.
    pub reason: String,
    /// Who accepted it.
    pub by: String,
    /// When (a date, as written).
    pub at: String,
}

/// The document of accepted changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptedChanges {
    /// The entries, in the file's order.
    pub accepted: Vec<Acceptance>,
}

impl AcceptedChanges {
    /// Checks every entry: a fingerprint of 12 lower-case hex digits, a reason, a name and a
    /// date, and no fingerprint twice. The error names the entry (from 1).
    pub fn check(&self) -> Result<(), String> {
        let mut seen = std::collections::HashSet::new();
        for (n, entry) in self.accepted.iter().enumerate() {
            let hex = entry.fingerprint.len() == 12
                && entry.fingerprint.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
            let empty = [("reason", &entry.reason), ("by", &entry.by), ("at", &entry.at)]
                .into_iter()
                .find(|(_, v)| v.trim().is_empty());
            let problem = if !hex {
                Some("`fingerprint` is not 12 lower-case hex digits (copy it from the report)".to_owned())
            } else if let Some((field, _)) = empty {
                Some(format!("`{field}` is empty"))
            } else if !seen.insert(&entry.fingerprint) {
                Some(format!("`{}` is accepted twice", entry.fingerprint))
            } else {
                None
            };
            if let Some(problem) = problem {
                return Err(format!("accepted change {}: {problem}", n + 1));
            }
        }
        Ok(())
    }
}

/// A change found and accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedChange {
    /// The change.
    pub change: Change,
    /// Its acceptance.
    pub acceptance: Acceptance,
}

impl Report {
    /// Moves every change whose fingerprint `accepted` lists out of the counted changes into
    /// its spec's `accepted`; gives back the entries that matched no change (stale).
    pub fn accept(&mut self, accepted: &AcceptedChanges) -> Vec<Acceptance> {
        let places: HashMap<&str, usize> =
            accepted.accepted.iter().enumerate().map(|(i, a)| (a.fingerprint.as_str(), i)).collect();
        let mut used = vec![false; accepted.accepted.len()];
        for spec in &mut self.specs {
            let mut kept = Vec::with_capacity(spec.diff.changes.len());
            for change in std::mem::take(&mut spec.diff.changes) {
                // Each change's fingerprint taken once, looked up once.
                match places.get(change.fingerprint().as_str()) {
                    Some(&place) => {
                        used[place] = true;
                        spec.accepted
                            .push(AcceptedChange { change, acceptance: accepted.accepted[place].clone() });
                    }
                    None => kept.push(change),
                }
            }
            spec.diff.changes = kept;
        }
        accepted.accepted.iter().zip(used).filter(|(_, used)| !used).map(|(a, _)| a.clone()).collect()
    }

    /// How many changes were accepted, in every spec.
    pub fn accepted(&self) -> usize {
        self.specs.iter().map(|s| s.accepted.len()).sum()
    }
}
