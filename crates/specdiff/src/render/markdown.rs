//! Markdown for a pull-request comment: a summary line and the breaking edits first, each
//! HTTP change beside its consequence for the generated Rust API; then each spec's details
//! folded away, cut to fit a comment with a note that says what was cut and where the whole
//! report is.

use modelhost_text::Escaped;
use std::fmt::Write;

use super::{DocLine, WHOLE_DOCUMENT, by_operation, doc_lines, doc_places, level_order, operation_list};
use crate::rules::Level;
use crate::rust_groups::{self, ApiGroup};
use crate::{Change, Report, RustApi, SpecReport, Status};

/// Rows shown per table or list.
const MAX_ROWS: usize = 100;
/// What a comment may hold: GitHub's limit is 65,536 characters, and the note saying what was
/// cut needs room.
const MAX_CHARS: usize = 60_000;
/// What the summary and the breaking table may take of it, so the details keep some room.
const BREAKING_BUDGET: usize = 40_000;
/// Where the whole report is when the comment is cut: the workflow uploads it under this name.
const FULL_REPORT: &str = "the `openapi-diff` artifact of this workflow run (or `cargo xtask diff` locally)";

/// Renders the report as a pull-request comment.
pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let docs = report.documentation_edits();
    let counts = report.counts();
    let icon = match report.max_level() {
        Some(Level::Breaking) => "🔴",
        Some(Level::Warning) => "🟡",
        _ => "🟢",
    };
    let _ = writeln!(out, "### {icon} OpenAPI changes compared with `{}`\n", report.base);
    let _ = writeln!(
        out,
        "**{}**, {docs} documentation edit{}. One row per edit: an HTTP change and what it does to the generated Rust client.\n",
        counts,
        if docs == 1 { "" } else { "s" }
    );
    let changed: Vec<&SpecReport> = report.specs.iter().filter(|s| s.status != Status::Unchanged).collect();
    if !changed.is_empty() {
        let _ = writeln!(out, "**Version bump** (the least release these changes need):\n");
        for spec in changed {
            let _ = writeln!(out, "- `{}`: {}", spec.file, crate::semver::describe(spec));
        }
        out.push('\n');
    }
    if counts.breaking > 0 {
        breaking_table(&mut out, report);
    }
    let accepted = report.accepted();
    if accepted > 0 {
        let _ = writeln!(out, "<details><summary>{accepted} accepted change(s), not counted</summary>\n");
        for spec in &report.specs {
            for line in super::accepted_lines(spec) {
                let _ = writeln!(out, "- `{}`: {}", spec.file, line.replace('|', "\\|"));
            }
        }
        let _ = writeln!(out, "\n</details>\n");
    }
    let mut cut = 0;
    for spec in &report.specs {
        let mut details = String::new();
        spec_details(&mut details, spec);
        if out.len() + details.len() <= MAX_CHARS {
            out.push_str(&details);
            continue;
        }
        // Keep whole lines up to the budget, then close what was open.
        let room = MAX_CHARS.saturating_sub(out.len());
        let keep = details[..room.min(details.len())].rfind('\n').unwrap_or(0);
        cut += details[keep..].lines().count();
        out.push_str(&details[..keep]);
        if details[..keep].contains("<details>") {
            out.push_str("\n\n</details>\n");
        }
    }
    if cut > 0 {
        let _ = writeln!(
            out,
            "\n…{cut} more lines were cut to fit a comment; the whole report is {FULL_REPORT}."
        );
    }
    out
}

/// One row of the breaking table: one edit, or edits of one kind on one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    spec: String,
    /// `:LINE` of the first edit, when known.
    line: String,
    operations: Vec<String>,
    /// The subject (a JSON pointer) of its first edit: rows with one subject are one edit.
    pointer: Option<String>,
    rules: Vec<String>,
    messages: Vec<String>,
    rust: Vec<String>,
}

impl Row {
    /// Takes in `other`'s rules, messages and consequences (each once).
    fn absorb(&mut self, other: Row) {
        union(&mut self.rules, other.rules);
        union(&mut self.messages, other.messages);
        union(&mut self.rust, other.rust);
    }
}

/// Appends the items of `more` that `into` does not hold yet, in order.
fn union(into: &mut Vec<String>, more: Vec<String>) {
    for item in more {
        if !into.contains(&item) {
            into.push(item);
        }
    }
}

/// Whether every operation of `a` and `b` is on one path (the methods of one path).
fn one_path(a: &Row, b: &Row) -> bool {
    let path = |operation: &String| operation.split_once(' ').map(|(_, path)| path.to_owned());
    let mut paths = a.operations.iter().chain(&b.operations).map(path);
    match paths.next() {
        Some(Some(first)) => paths.all(|p| p.as_ref() == Some(&first)),
        _ => false,
    }
}

/// Merges rows that `same` says are one, in order: the first keeps its place.
fn merge(rows: Vec<Row>, same: impl Fn(&Row, &Row) -> bool, mut join: impl FnMut(&mut Row, Row)) -> Vec<Row> {
    let mut merged: Vec<Row> = Vec::new();
    for row in rows {
        match merged.iter_mut().find(|kept| same(kept, &row)) {
            Some(kept) => join(kept, row),
            None => merged.push(row),
        }
    }
    merged
}

/// The breaking table's rows, grouped so that one edit is one row and edits of one kind on
/// one operation share a row, hiding none: several findings on one subject (a property that
/// became optional and gained a default), one rule's findings on one operation (the
/// properties of a replaced body), one finding on each method of one path (a removed path),
/// and one rule's Rust API changes no HTTP change accounts for (a family of
/// removed types). Every rule id and message stays in the row that took it.
fn breaking_rows(report: &Report) -> Vec<Row> {
    let mut rows = Vec::new();
    for spec in &report.specs {
        let groups = spec.rust_groups();
        let mut http = Vec::new();
        for change in spec.diff.changes.iter().filter(|c| spec.level_of(c, &groups) == Level::Breaking) {
            http.push(Row {
                spec: spec.file.clone(),
                line: change.line.map(|l| format!(":{l}")).unwrap_or_default(),
                operations: change.operations.clone(),
                pointer: change.pointer.clone(),
                rules: vec![change.rule.id.to_owned()],
                messages: vec![change.message.clone()],
                rust: rust_groups::consequences(change, &groups, spec.api_changes()),
            });
        }
        let one_edit =
            |a: &Row, b: &Row| a.pointer.is_some() && a.pointer == b.pointer && a.operations == b.operations;
        let http = merge(http, one_edit, Row::absorb);
        let one_kind = |a: &Row, b: &Row| a.operations == b.operations && a.rules == b.rules;
        let http = merge(http, one_kind, Row::absorb);
        let same_edit = |a: &Row, b: &Row| {
            a.rules == b.rules && a.messages == b.messages && a.rust == b.rust && one_path(a, b)
        };
        let http = merge(http, same_edit, |kept, row| union(&mut kept.operations, row.operations));
        rows.extend(http);
        let rust_only =
            spec.rust_only_groups().into_iter().filter(|g| g.level == Level::Breaking).map(|group| Row {
                spec: spec.file.clone(),
                line: String::new(),
                operations: Vec::new(),
                pointer: None,
                rules: vec![rule_of(spec, &group).to_owned()],
                messages: vec![group.summary.clone()],
                rust: Vec::new(),
            });
        rows.extend(merge(rust_only.collect(), |a, b| a.rules == b.rules, Row::absorb));
    }
    rows
}

/// The breaking edits: HTTP changes with their Rust consequence, then the Rust API changes no
/// HTTP change accounts for.
fn breaking_table(out: &mut String, report: &Report) {
    let _ = writeln!(out, "#### Breaking changes\n");
    let _ = writeln!(out, "| Spec | Where | Rule | Change | Generated Rust client |\n|---|---|---|---|---|");
    let rows = breaking_rows(report);
    let total = rows.len();
    let mut shown = 0;
    for row in rows.into_iter().take(MAX_ROWS) {
        if out.len() > BREAKING_BUDGET {
            break;
        }
        let rules: Vec<String> = row.rules.iter().map(|r| code(r)).collect();
        let (spec, place) = if row.operations.is_empty() && row.line.is_empty() {
            (code(&row.spec), "Rust API".to_owned())
        } else {
            (format!("`{}{}`", row.spec, row.line), short_place(&row.operations))
        };
        let cells = [spec, place, rules.join("<br>"), row.messages.join("<br>"), row.rust.join("<br>")];
        let cells: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
        shown += 1;
    }
    if shown < total {
        let _ =
            writeln!(out, "\n…and {} more breaking rows; the whole report is {FULL_REPORT}.", total - shown);
    }
    out.push('\n');
}

/// What an HTTP change does to the generated Rust API, a line per group.
fn consequences(spec: &SpecReport, change: &Change, groups: &[ApiGroup]) -> String {
    rust_groups::consequences(change, groups, spec.api_changes()).join("<br>")
}

/// The rule of a group's gravest item.
fn rule_of<'a>(spec: &'a SpecReport, group: &ApiGroup) -> &'a str {
    let items = spec.api_changes().iter().filter(|c| group.items.contains(&c.item));
    items.max_by_key(|c| c.rule.level).map_or("rust-item-removed", |c| c.rule.id)
}

fn spec_details(out: &mut String, spec: &SpecReport) {
    let status = match spec.status {
        Status::Added => " (new file)",
        Status::Modified => "",
        Status::Unchanged => return,
    };
    let _ =
        writeln!(out, "<details><summary><code>{}</code>{status}: {}</summary>\n", spec.file, spec.counts());
    if !spec.diff.changes.is_empty() {
        let groups = spec.rust_groups();
        let _ =
            writeln!(out, "| Level | Where | Rule | Change | Generated Rust client |\n|---|---|---|---|---|");
        let mut rows = 0;
        for (_, mut changes) in by_operation(&spec.diff.changes) {
            changes.sort_by_key(|c| level_order(spec.level_of(c, &groups)));
            for change in changes {
                let cells = [
                    spec.level_of(change, &groups).name(),
                    &place(&change.operations),
                    &code(change.rule.id),
                    &change.message,
                    &consequences(spec, change, &groups),
                ];
                row(out, &mut rows, &cells);
            }
        }
        if rows > MAX_ROWS {
            let _ = writeln!(out, "\n…and {} more.", rows - MAX_ROWS);
        }
        out.push('\n');
    }
    match &spec.rust_api {
        RustApi::Compared(changes) if changes.is_empty() => {
            let _ = writeln!(out, "The generated Rust API is unchanged.\n");
        }
        RustApi::Compared(_) => {
            let only = spec.rust_only_groups();
            if !only.is_empty() {
                let _ = writeln!(out, "**Generated Rust API, beyond the rows above** ({})\n", only.len());
                for group in only.iter().take(MAX_ROWS) {
                    let _ = writeln!(out, "- {}: {}", group.level.name(), group.summary);
                }
                if only.len() > MAX_ROWS {
                    let _ = writeln!(out, "- …and {} more", only.len() - MAX_ROWS);
                }
                out.push('\n');
            }
        }
        RustApi::NotCompared(reason) => {
            let _ = writeln!(out, "The generated Rust API was not compared: {}\n", cell(reason));
        }
    }
    if !spec.diff.documentation.is_empty() {
        let _ = writeln!(out, "**Documentation edits** ({})\n", spec.diff.documentation.len());
        for line in doc_lines(&spec.diff.documentation).into_iter().take(MAX_ROWS) {
            match line {
                DocLine::One(edit) => {
                    let operation =
                        edit.operation.as_deref().map(|o| format!("{}: ", code(o))).unwrap_or_default();
                    let _ = writeln!(out, "- {operation}{} at `#{}`", edit.message, Escaped(&edit.pointer));
                }
                DocLine::Many { message, edits } => {
                    let _ =
                        writeln!(out, "- {message} in {} places: {}", edits.len(), cell(&doc_places(&edits)));
                }
            }
        }
        out.push('\n');
    }
    let _ = writeln!(out, "</details>\n");
}

/// Where a change is, short: its operation, the first of several and how many more, or the
/// whole document.
fn short_place(operations: &[String]) -> String {
    match operations {
        [] => WHOLE_DOCUMENT.to_owned(),
        [one] => code(one),
        [first, rest @ ..] => format!("{} and {} more", code(first), rest.len()),
    }
}

/// Where a change is, for the details: as [`short_place`], with all of several operations
/// (up to 30) folded.
fn place(operations: &[String]) -> String {
    if operations.len() < 2 {
        return short_place(operations);
    }
    let all: Vec<String> = operations.iter().map(|o| code(o)).collect();
    format!(
        "{} <details><summary>all {}</summary>{}</details>",
        short_place(operations),
        operations.len(),
        operation_list(&all, 30).replace(", ", "<br>")
    )
}

fn row(out: &mut String, rows: &mut usize, cells: &[&str]) {
    *rows += 1;
    if *rows <= MAX_ROWS {
        let cells: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
}

/// Text safe inside a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Inline code; backticks inside are kept by fencing with two.
fn code(text: &str) -> String {
    let text = Escaped(text).to_string();
    if text.contains('`') { format!("`` {text} ``") } else { format!("`{text}`") }
}
