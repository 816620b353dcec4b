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

/// Changes grouped by operation, in order of first appearance; document-wide ones last.
fn by_operation(changes: &[Change]) -> Vec<(&str, Vec<&Change>)> {
    let mut groups: Vec<(&str, Vec<&Change>)> = Vec::new();
    let mut sorted: Vec<&Change> = changes.iter().collect();
    sorted.sort_by_key(|c| c.operation.is_none());
    for change in sorted {
        let name = change.operation.as_deref().unwrap_or("whole document");
        match groups.iter_mut().find(|(n, _)| *n == name) {
            Some((_, list)) => list.push(change),
            None => groups.push((name, vec![change])),
        }
    }
    groups
}

fn level_order(level: Level) -> u8 {
    match level {
        Level::Breaking => 0,
        Level::Warning => 1,
        Level::Info => 2,
    }
}
