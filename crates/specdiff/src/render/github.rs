//! GitHub Actions workflow commands: one annotation per change, on the changed line of the
//! revised spec where there is one.

use std::fmt::Write;

use super::{counts, operation_list};
use crate::Report;
use crate::rules::{Level, Rule};

/// Renders one `::error`/`::warning`/`::notice` line per change, then a summary notice.
pub fn github(report: &Report) -> String {
    let mut out = String::new();
    for spec in &report.specs {
        for change in &spec.diff.changes {
            let operation = match change.operations.len() {
                0 => String::new(),
                1 => format!("{}: ", change.operations[0]),
                n => format!("{n} operations ({}): ", operation_list(&change.operations, 3)),
            };
            let message = format!("{operation}{}", change.message);
            annotate(&mut out, change.rule, &spec.file, change.line, &message);
        }
        for change in spec.api_changes() {
            let what = match (&change.before, &change.after) {
                (Some(_), None) => "was removed".to_owned(),
                (None, Some(after)) => format!("was added: {after}"),
                (Some(before), Some(after)) => format!("changed from {before} to {after}"),
                (None, None) => String::new(),
            };
            annotate(&mut out, change.rule, &spec.file, None, &format!("Rust API: {} {what}", change.item));
        }
    }
    let _ = writeln!(
        out,
        "::notice title=cargo xtask diff::{}",
        data(&format!("compared with {}: {}", report.base, counts(report.counts())))
    );
    out
}

/// One workflow command: `::error file=F,line=L,title=RULE::MESSAGE`.
fn annotate(out: &mut String, rule: &Rule, file: &str, line: Option<usize>, message: &str) {
    let line = line.map(|l| format!(",line={l}")).unwrap_or_default();
    let (command, file, title) = (command(rule.level), property(file), property(rule.id));
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
