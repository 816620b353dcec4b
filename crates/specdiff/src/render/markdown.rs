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

/// The breaking edits: HTTP changes with their Rust consequence, then the Rust API changes no
/// HTTP change accounts for.
fn breaking_table(out: &mut String, report: &Report) {
    let _ = writeln!(out, "#### Breaking changes\n");
    let _ = writeln!(out, "| Spec | Where | Rule | Change | Generated Rust client |\n|---|---|---|---|---|");
    let mut rows = Vec::new();
    for spec in &report.specs {
        let groups = spec.rust_groups();
        for change in spec.diff.changes.iter().filter(|c| spec.level_of(c, &groups) == Level::Breaking) {
            let line = change.line.map(|l| format!(":{l}")).unwrap_or_default();
            rows.push([
                format!("`{}{line}`", spec.file),
                short_place(&change.operations),
                code(change.rule.id),
                change.message.clone(),
                consequences(spec, change, &groups),
            ]);
        }
        for group in spec.rust_only_groups().iter().filter(|g| g.level == Level::Breaking) {
            rows.push([
                code(&spec.file),
                "Rust API".to_owned(),
                code(rule_of(spec, group)),
                group.summary.clone(),
                String::new(),
            ]);
        }
    }
    let total = rows.len();
    let mut shown = 0;
    for cells in rows.into_iter().take(MAX_ROWS) {
        if out.len() > BREAKING_BUDGET {
            break;
        }
        let cells: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
        shown += 1;
    }
    if shown < total {
        let _ =
            writeln!(out, "\n…and {} more breaking edits; the whole report is {FULL_REPORT}.", total - shown);
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
