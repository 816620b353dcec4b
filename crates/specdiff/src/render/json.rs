//! JSON, version 3: the schema is documented in xtask/README.md. Version 2 replaced each change's
//! `operation` by `operations`, the list of every operation one edit affects; version 3 made a
//! change's `level` the one it is counted at (raised by a graver Rust consequence), its HTTP
//! rule's own being `http_level`.

use std::fmt::Write;

use modelhost_text::needs_escape;
use serde_json::{Value, json};

use crate::{Report, RustApi};

/// The version of the JSON layout, bumped only if a field changes meaning or goes away.
pub const JSON_VERSION: u32 = 3;

/// Renders the report as pretty-printed JSON.
pub fn json(report: &Report) -> String {
    let counts = report.counts();
    let specs: Vec<Value> = report
        .specs
        .iter()
        .map(|spec| {
            let groups = spec.rust_groups();
            let changes: Vec<Value> = spec
                .diff
                .changes
                .iter()
                .map(|c| {
                    json!({
                        "id": c.rule.id,
                        "level": spec.level_of(c, &groups).name(),
                        "http_level": c.rule.level.name(),
                        "operations": c.operations,
                        "rust": c.rust,
                        "message": c.message,
                        "pointer": c.pointer,
                        "line": c.line,
                    })
                })
                .collect();
            let documentation: Vec<Value> = spec
                .diff
                .documentation
                .iter()
                .map(|d| json!({"operation": d.operation, "pointer": d.pointer, "message": d.message}))
                .collect();
            let rust_api = match &spec.rust_api {
                RustApi::Compared(changes) => json!({
                    "compared": true,
                    "groups": spec.rust_groups(),
                    "changes": changes.iter().map(|c| json!({
                        "id": c.rule.id,
                        "level": c.rule.level.name(),
                        "item": c.item,
                        "before": c.before,
                        "after": c.after,
                    })).collect::<Vec<_>>(),
                }),
                RustApi::NotCompared(reason) => json!({"compared": false, "reason": reason, "changes": []}),
            };
            let bump = crate::semver::Bump::of(spec);
            let semver = json!({
                "bump": bump,
                "package": spec.package.as_ref().map(|p| &p.name),
                "version": spec.package.as_ref().map(|p| p.version.to_string()),
                "next": spec.package.as_ref().map(|p| bump.next(&p.version).to_string()),
            });
            json!({
                "file": spec.file,
                "status": spec.status,
                "semver": semver,
                "max_level": spec.max_level().map(|l| l.name()),
                "changes": changes,
                "documentation": documentation,
                "rust_api": rust_api,
            })
        })
        .collect();
    let value = json!({
        "version": JSON_VERSION,
        "base": report.base,
        "summary": {
            "breaking": counts.breaking,
            "warning": counts.warning,
            "info": counts.info,
            "documentation": report.documentation_edits(),
            "max_level": report.max_level().map(|l| l.name()),
        },
        "specs": specs,
    });
    let mut text = String::new();
    let pretty = serde_json::to_string_pretty(&value).expect("a JSON value always serializes");
    // serde_json escapes only C0 controls; the rest a terminal would act on (C1 controls,
    // reordering marks) in operations and pointers is written as JSON's own `\uXXXX`, which
    // parses back to the same text. A raw newline is structure: serde escapes those in strings.
    for c in pretty.chars() {
        if c != '\n' && needs_escape(c) {
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
