//! Plain text, for a terminal and for `git diff` through the diff driver.

use modelhost_text::Escaped;
use std::fmt::Write;

use super::{DocLine, by_operation, doc_lines, doc_places, operation_list, row_level};
use crate::rust_groups::consequences;
use crate::{Report, RustApi, Status};

/// Renders the report as indented plain text.
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    let docs = report.documentation_edits();
    let _ = writeln!(
        out,
        "Compared with {}: {}, {docs} documentation edit{}",
        report.base,
        report.counts(),
        if docs == 1 { "" } else { "s" }
    );
    for spec in &report.specs {
        let status = match spec.status {
            Status::Added => " (new file)",
            Status::Modified => "",
            Status::Unchanged => " (unchanged)",
        };
        let _ = writeln!(out, "\n{}{status}: {}", spec.file, spec.counts());
        let _ = writeln!(out, "  version: {}", crate::semver::describe(spec));
        let groups = spec.rust_groups();
        for (operation, changes) in by_operation(&spec.diff.changes) {
            let _ = writeln!(out, "  {}", Escaped(operation));
            for change in changes {
                let line = change.line.map(|l| format!(" (line {l})")).unwrap_or_default();
                let (level, raised) = row_level(spec, change, &groups);
                let (level, id) = (level.name(), change.rule.id);
                let _ = writeln!(out, "    {level:<8}  {id}: {}{line}{raised}", change.message);
                for line in consequences(change, &groups, spec.api_changes()) {
                    let _ = writeln!(out, "              Rust: {line}");
                }
                if change.operations.len() > 1 {
                    let (n, list) = (change.operations.len(), operation_list(&change.operations, 5));
                    let _ = writeln!(out, "              in {n} operations: {list}");
                }
            }
        }
        if !spec.accepted.is_empty() {
            let _ = writeln!(out, "  accepted, not counted: {}", spec.accepted.len());
            for line in super::accepted_lines(spec) {
                let _ = writeln!(out, "    {line}");
            }
        }
        match &spec.rust_api {
            RustApi::Compared(changes) if changes.is_empty() => {}
            RustApi::Compared(changes) => {
                // Every group, with its items in full: a terminal has room for the detail.
                let _ = writeln!(out, "  Rust API");
                for group in &groups {
                    let _ = writeln!(out, "    {:<8}  {}", group.level.name(), group.summary);
                    for change in changes.iter().filter(|c| group.items.contains(&c.item)) {
                        let _ = writeln!(out, "              {}: {}", change.rule.id, change.item);
                        if let Some(before) = &change.before {
                            let _ = writeln!(out, "                was: {before}");
                        }
                        if let Some(after) = &change.after {
                            let _ = writeln!(out, "                now: {after}");
                        }
                    }
                }
            }
            RustApi::NotCompared(reason) => {
                let _ = writeln!(out, "  Rust API not compared: {reason}");
            }
        }
        if !spec.diff.documentation.is_empty() {
            let _ = writeln!(out, "  Documentation edits");
            for line in doc_lines(&spec.diff.documentation) {
                match line {
                    DocLine::One(edit) => {
                        let operation = edit
                            .operation
                            .as_deref()
                            .map(|o| format!("{}: ", Escaped(o)))
                            .unwrap_or_default();
                        let _ =
                            writeln!(out, "    {operation}{} at #{}", edit.message, Escaped(&edit.pointer));
                    }
                    DocLine::Many { message, edits } => {
                        let _ =
                            writeln!(out, "    {message} in {} places: {}", edits.len(), doc_places(&edits));
                    }
                }
            }
        }
    }
    out
}
