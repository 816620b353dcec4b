//! JSON, version 3: the schema is documented in xtask/README.md. Version 2 replaced each change's
//! `operation` by `operations`, the list of every operation one edit affects; version 3 made a
//! change's `level` the one it is counted at (raised by a graver Rust consequence), its HTTP
//! rule's own being `http_level`.

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
                        "fingerprint": c.fingerprint(),
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
            let accepted: Vec<Value> = spec
                .accepted
                .iter()
                .map(|a| {
                    json!({
                        "id": a.change.rule.id,
                        "operations": a.change.operations,
                        "message": a.change.message,
                        "pointer": a.change.pointer,
                        "line": a.change.line,
                        "fingerprint": a.acceptance.fingerprint,
                        "reason": a.acceptance.reason,
                        "by": a.acceptance.by,
                        "at": a.acceptance.at,
                    })
                })
                .collect();
            json!({
                "file": spec.file,
                "accepted": accepted,
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
            "accepted": report.accepted(),
            "max_level": report.max_level().map(|l| l.name()),
        },
        "specs": specs,
    });
    super::pretty_json(&value)
}
