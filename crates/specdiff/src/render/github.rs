//! GitHub Actions workflow commands: one annotation per change, on the changed line of the
//! revised spec where there is one.

use modelhost_text::Escaped;
use std::fmt::Write;

use super::{operation_list, row_level};
use crate::Report;
use crate::rules::Level;
use crate::rust_groups::consequences;

/// Renders one `::error`/`::warning`/`::notice` line per change, then a summary notice.
pub fn github(report: &Report) -> String {
    let mut out = String::new();
    for spec in &report.specs {
        let groups = spec.rust_groups();
        for change in &spec.diff.changes {
            let operation = match change.operations.len() {
                0 => String::new(),
                1 => format!("{}: ", Escaped(&change.operations[0])),
                n => format!("{n} operations ({}): ", operation_list(&change.operations, 3)),
            };
            let rust: Vec<String> = consequences(change, &groups, spec.api_changes())
                .into_iter()
                .map(|line| format!(" (Rust: {line})"))
                .collect();
            let (level, raised) = row_level(spec, change, &groups);
            let message = format!("{operation}{}{raised}{}", change.message, rust.concat());
            annotate(&mut out, (level, change.rule.id), &spec.file, change.line, &message);
        }
        // Rust API changes an HTTP change accounts for are in its annotation's message.
        for group in spec.rust_only_groups() {
            let rule = spec
                .api_changes()
                .iter()
                .filter(|c| group.items.contains(&c.item))
                .max_by_key(|c| c.rule.level)
                .map(|c| c.rule);
            if let Some(rule) = rule {
                let summary = format!("Rust API: {}", group.summary);
                annotate(&mut out, (rule.level, rule.id), &spec.file, None, &summary);
            }
        }
    }
    let _ = writeln!(
        out,
        "::notice title=cargo xtask diff::{}",
        data(&format!("compared with {}: {}", report.base, report.counts()))
    );
    out
}

/// One workflow command: `::error file=F,line=L,title=RULE::MESSAGE`, at the level the
/// change is counted at.
fn annotate(out: &mut String, (level, id): (Level, &str), file: &str, line: Option<usize>, message: &str) {
    let line = line.map(|l| format!(",line={l}")).unwrap_or_default();
    let (command, file, title) = (command(level), property(file), property(id));
    let _ = writeln!(out, "::{command} file={file}{line},title={title}::{}", data(message));
}

fn command(level: Level) -> &'static str {
    match level {
        Level::Breaking => "error",
        Level::Warning => "warning",
        Level::Info => "notice",
    }
}

/// Escapes a message as GitHub's workflow commands require.
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`), where `:` and `,` are separators too.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_separators() {
        assert_eq!(data("50%\nnext"), "50%25%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
