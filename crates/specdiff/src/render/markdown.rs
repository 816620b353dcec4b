//! Markdown for a pull-request comment: a summary line, the breaking changes in a table,
//! and everything else folded away.

use std::fmt::Write;

use super::{
    DocLine, WHOLE_DOCUMENT, by_operation, counts, doc_lines, doc_places, level_order, operation_list,
};
use crate::rules::Level;
use crate::{Report, RustApi, Status};

/// Rows shown per table or list; a comment has to stay under GitHub's 65,536 characters.
const MAX_ROWS: usize = 100;
/// Where a comment is cut, whatever the rows hold, leaving room for the note saying so.
const MAX_CHARS: usize = 60_000;

/// Renders the report as a pull-request comment.
pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let docs = report.documentation_edits();
    let (breaking, warning, info) = report.counts();
    let icon = match report.max_level() {
        Some(Level::Breaking) => "🔴",
        Some(Level::Warning) => "🟡",
        _ => "🟢",
    };
    let _ = writeln!(out, "### {icon} OpenAPI changes compared with `{}`\n", report.base);
    let _ = writeln!(
        out,
        "**{}**, {docs} documentation edit{}.\n",
        counts((breaking, warning, info)),
        if docs == 1 { "" } else { "s" }
    );
    if breaking > 0 {
        let _ = writeln!(out, "#### Breaking changes\n");
        let _ = writeln!(out, "| Spec | Where | Rule | Change |\n|---|---|---|---|");
        let mut rows = 0;
        for spec in &report.specs {
            for change in spec.diff.changes.iter().filter(|c| c.rule.level == Level::Breaking) {
                let place = place(&change.operations);
                let line = change.line.map(|l| format!(":{l}")).unwrap_or_default();
                row(
                    &mut out,
                    &mut rows,
                    &[&format!("`{}{line}`", spec.file), &place, &code(change.rule.id), &change.message],
                );
            }
            for change in spec.api_changes().iter().filter(|c| c.rule.level == Level::Breaking) {
                let what = format!(
                    "{} {}",
                    code(&change.item),
                    if change.after.is_none() { "removed" } else { "changed" }
                );
                row(&mut out, &mut rows, &[&code(&spec.file), "Rust API", &code(change.rule.id), &what]);
            }
        }
        if rows > MAX_ROWS {
            let _ = writeln!(out, "\n…and {} more; run `cargo xtask diff` for all of them.", rows - MAX_ROWS);
        }
        out.push('\n');
    }
    for spec in &report.specs {
        spec_details(&mut out, spec);
    }
    if out.len() > MAX_CHARS {
        let cut = out[..MAX_CHARS].rfind('\n').unwrap_or(0);
        out.truncate(cut);
        out.push_str(
            "\n\n</details>\n\n…cut to fit a comment; run `cargo xtask diff` for the whole report.\n",
        );
    }
    out
}

fn spec_details(out: &mut String, spec: &crate::SpecReport) {
    let status = match spec.status {
        Status::Added => " (new file)",
        Status::Modified => "",
        Status::Unchanged => return,
    };
    let _ = writeln!(
        out,
        "<details><summary><code>{}</code>{status}: {}</summary>\n",
        spec.file,
        counts(spec.counts())
    );
    if !spec.diff.changes.is_empty() {
        let _ = writeln!(out, "| Level | Where | Rule | Change |\n|---|---|---|---|");
        let mut rows = 0;
        for (_, mut changes) in by_operation(&spec.diff.changes) {
            changes.sort_by_key(|c| level_order(c.rule.level));
            for change in changes {
                let place = place(&change.operations);
                row(
                    out,
                    &mut rows,
                    &[change.rule.level.name(), &place, &code(change.rule.id), &change.message],
                );
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
        RustApi::Compared(changes) => {
            let _ = writeln!(out, "**Generated Rust API**\n\n```diff");
            for change in changes.iter().take(MAX_ROWS) {
                if let Some(before) = &change.before {
                    let _ = writeln!(out, "- {}: {before}", change.item);
                }
                if let Some(after) = &change.after {
                    let _ = writeln!(out, "+ {}: {after}", change.item);
                }
            }
            if changes.len() > MAX_ROWS {
                let _ = writeln!(out, "  …and {} more", changes.len() - MAX_ROWS);
            }
            let _ = writeln!(out, "```\n");
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
                    let _ = writeln!(out, "- {operation}{} at `#{}`", edit.message, edit.pointer);
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

/// Where a change is, for a table cell: its operation; the first of several, how many more,
/// and all of them (up to 30) folded; or the whole document.
fn place(operations: &[String]) -> String {
    match operations {
        [] => WHOLE_DOCUMENT.to_owned(),
        [one] => code(one),
        [first, rest @ ..] => {
            let all: Vec<String> = operations.iter().map(|o| code(o)).collect();
            format!(
                "{} and {} more <details><summary>all {}</summary>{}</details>",
                code(first),
                rest.len(),
                operations.len(),
                operation_list(&all, 30).replace(", ", "<br>")
            )
        }
    }
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
    if text.contains('`') { format!("`` {text} ``") } else { format!("`{text}`") }
}
