//! Renderings of a [`Report`]: plain text for a terminal, Markdown for a pull-request
//! comment, JSON for tools, and GitHub workflow annotations.

mod github;
mod json;
mod markdown;
mod text;

use serde::Serializer;

use crate::rules::{Level, Rule};
use crate::{Change, Report};

pub use github::github;
pub use json::json;
pub use markdown::markdown;
pub use text::text;

/// The output formats `cargo xtask diff --format` offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text.
    Text,
    /// A pull-request comment.
    Markdown,
    /// JSON, described in the README.
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…::…`).
    Github,
}

impl Format {
    /// Parses `text`, `markdown`, `json` or `github`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "text" => Some(Self::Text),
            "markdown" => Some(Self::Markdown),
            "json" => Some(Self::Json),
            "github" => Some(Self::Github),
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
        }
    }
}

/// Serializes a rule as its id.
pub(crate) fn rule_id<S: Serializer>(rule: &&'static Rule, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(rule.id)
}

/// `2 breaking, 1 warning, 3 info`, or `no changes`.
fn counts((breaking, warning, info): (usize, usize, usize)) -> String {
    if breaking + warning + info == 0 {
        return "no changes".to_owned();
    }
    format!("{breaking} breaking, {warning} warning{}, {info} info", if warning == 1 { "" } else { "s" })
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
    let named = operations.iter().take(shown).map(String::as_str).collect::<Vec<_>>().join(", ");
    match operations.len().saturating_sub(shown) {
        0 => named,
        more => format!("{named} and {more} more"),
    }
}

fn level_order(level: Level) -> u8 {
    match level {
        Level::Breaking => 0,
        Level::Warning => 1,
        Level::Info => 2,
    }
}
