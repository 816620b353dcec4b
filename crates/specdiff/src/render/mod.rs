//! Renderings of a [`Report`]: plain text for a terminal, Markdown for a pull-request
//! comment, JSON for tools, GitHub workflow annotations, and SARIF for code scanning.

mod github;
mod json;
mod markdown;
mod sarif;
mod text;

use modelhost_text::Escaped;
use serde::Serializer;

use crate::rules::{Level, Rule};
use crate::{Change, DocChange, Report};

pub use github::github;
pub use json::json;
pub use markdown::markdown;
pub use sarif::{FINGERPRINT_KEY, sarif};
pub use text::text;

/// The output formats `cargo xtask diff --format` offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text.
    Text,
    /// A pull-request comment.
    Markdown,
    /// JSON, described in xtask/README.md.
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…::…`).
    Github,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
}

impl Format {
    /// Parses `text`, `markdown`, `json`, `github` or `sarif`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "text" => Some(Self::Text),
            "markdown" => Some(Self::Markdown),
            "json" => Some(Self::Json),
            "github" => Some(Self::Github),
            "sarif" => Some(Self::Sarif),
            _ => None,
        }
    }

    /// Renders a report in this format.
    pub fn render(self, report: &Report) -> String {
        match self {
            Self::Text => text(report),
            Self::Markdown => markdown(report),
            Self::Json => json(report),
            Self::Github => github(report),
            Self::Sarif => sarif(report),
        }
    }
}

/// `value` as pretty JSON with a final newline. serde_json escapes only C0 controls; the rest
/// a terminal would act on (C1 controls, reordering marks) in names from a spec is written as
/// JSON's own `\uXXXX`, which parses back to the same text. A raw newline is structure:
/// serde escapes those in strings.
pub(crate) fn pretty_json(value: &serde_json::Value) -> String {
    use std::fmt::Write;
    let pretty = serde_json::to_string_pretty(value).expect("a JSON value always serializes");
    let mut text = String::with_capacity(pretty.len() + 1);
    for c in pretty.chars() {
        if c != '\n' && modelhost_text::needs_escape(c) {
            let mut units = [0; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(text, "\\u{unit:04x}");
            }
        } else {
            text.push(c);
        }
    }
    text.push('\n');
    text
}

/// Each accepted change of `spec` as one line: the rule, the message, the fingerprint, and
/// who accepted it, when and why (escaped: the file is text a person wrote).
pub(crate) fn accepted_lines(spec: &crate::SpecReport) -> Vec<String> {
    spec.accepted
        .iter()
        .map(|a| {
            let (change, by) = (&a.change, &a.acceptance);
            format!(
                "{}: {} [{}], accepted by {} on {}: {}",
                change.rule.id,
                change.message,
                by.fingerprint,
                Escaped(&by.by),
                Escaped(&by.at),
                Escaped(&by.reason)
            )
        })
        .collect()
}

/// Serializes a rule as its id.
pub(crate) fn rule_id<S: Serializer>(rule: &&'static Rule, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(rule.id)
}

/// The heading of changes that affect several operations.
const SHARED: &str = "several operations";
/// The heading of changes to the document as a whole.
const WHOLE_DOCUMENT: &str = "whole document";

/// Changes grouped by the one operation they affect, in order of first appearance; then
/// those that affect several operations (one edit to something they share), then the
/// document-wide ones.
fn by_operation(changes: &[Change]) -> Vec<(&str, Vec<&Change>)> {
    let mut groups: Vec<(&str, Vec<&Change>)> = Vec::new();
    let mut sorted: Vec<&Change> = changes.iter().collect();
    sorted.sort_by_key(|c| match c.operations.len() {
        1 => 0,
        0 => 2,
        _ => 1,
    });
    for change in sorted {
        let name = match change.operations.as_slice() {
            [one] => one.as_str(),
            [] => WHOLE_DOCUMENT,
            _ => SHARED,
        };
        match groups.iter_mut().find(|(n, _)| *n == name) {
            Some((_, list)) => list.push(change),
            None => groups.push((name, vec![change])),
        }
    }
    groups
}

/// The operations a change affects, at most `shown` of them named:
/// `GET /a, GET /b and 21 more`.
fn operation_list(operations: &[String], shown: usize) -> String {
    let named = operations.iter().take(shown).map(|o| Escaped(o).to_string()).collect::<Vec<_>>().join(", ");
    match operations.len().saturating_sub(shown) {
        0 => named,
        more => format!("{named} and {more} more"),
    }
}

/// How many documentation edits with one message are listed one by one; more are folded.
const DOC_FOLD: usize = 3;

/// One line of documentation edits: a single edit, or one message repeated in many places
/// (a code sample changed in every operation) folded into one.
enum DocLine<'a> {
    One(&'a DocChange),
    Many { message: &'a str, edits: Vec<&'a DocChange> },
}

/// Documentation edits, those sharing a message more than [`DOC_FOLD`] times folded into one
/// line where the first of them was.
fn doc_lines(edits: &[DocChange]) -> Vec<DocLine<'_>> {
    let mut by_message: Vec<(&str, Vec<&DocChange>)> = Vec::new();
    for edit in edits {
        match by_message.iter_mut().find(|(m, _)| *m == edit.message) {
            Some((_, list)) => list.push(edit),
            None => by_message.push((&edit.message, vec![edit])),
        }
    }
    let mut lines = Vec::new();
    for (message, list) in by_message {
        if list.len() > DOC_FOLD {
            lines.push(DocLine::Many { message, edits: list });
        } else {
            lines.extend(list.into_iter().map(DocLine::One));
        }
    }
    lines
}

/// Where folded documentation edits are: their operations (or pointers) named, at most five.
fn doc_places(edits: &[&DocChange]) -> String {
    let places: Vec<String> =
        edits.iter().map(|e| e.operation.clone().unwrap_or_else(|| format!("#{}", e.pointer))).collect();
    operation_list(&places, 5)
}

/// The level a change is counted and shown at (its Rust consequence's when graver), and,
/// when that is not its HTTP rule's own, the words that say so.
fn row_level(
    spec: &crate::SpecReport,
    change: &crate::Change,
    groups: &[crate::rust_groups::ApiGroup],
) -> (Level, String) {
    let level = spec.level_of(change, groups);
    let note = if level == change.rule.level {
        String::new()
    } else {
        format!(" ({} over HTTP; {} for the generated Rust API)", change.rule.level.name(), level.name())
    };
    (level, note)
}

fn level_order(level: Level) -> u8 {
    match level {
        Level::Breaking => 0,
        Level::Warning => 1,
        Level::Info => 2,
    }
}
