//! Baseten's real spec history (`history/`, 60 consecutive revisions): every consecutive pair
//! diffs, and the pairs that show unions, a security swap, a narrowed type and removed
//! operations are reviewed as snapshots and pinned by what a reviewer must be told.

use std::path::Path;

use modelhost_specdiff::render::Format;
use modelhost_specdiff::rules::Level;
use modelhost_specdiff::{Report, SpecReport, SpecText};
use modelhost_specdiff_tests::{Revision, history};

fn version(r: &Revision) -> SpecText<'_> {
    SpecText { name: Path::new(&r.name), text: &r.text, overrides: None }
}

fn compare(old: &Revision, new: &Revision) -> SpecReport {
    SpecReport::compare_http("openapi/baseten.yaml", Some(version(old)), version(new))
        .unwrap_or_else(|e| panic!("{} → {}: {e}", old.name, new.name))
}

/// The report from revision `n - 1` to revision `n` (numbered from 1, as the files are).
fn pair(revisions: &[Revision], n: usize) -> SpecReport {
    compare(&revisions[n - 2], &revisions[n - 1])
}

fn ids(report: &SpecReport, level: Level) -> Vec<&str> {
    report.diff.changes.iter().filter(|c| c.rule.level == level).map(|c| c.rule.id).collect()
}

fn text(report: SpecReport) -> String {
    Format::Text.render(&Report { base: "the previous revision".to_owned(), specs: vec![report] })
}

#[test]
fn every_consecutive_revision_diffs() {
    let revisions = history();
    assert_eq!(revisions.len(), 60);
    for window in revisions.windows(2) {
        compare(&window[0], &window[1]);
    }
}

/// 038 added a required property inside one branch of a request union: breaking, where the
/// union used to hide it.
#[test]
fn a_required_property_added_inside_a_request_union_breaks() {
    let report = pair(&history(), 38);
    let found = report.diff.changes.iter().find(|c| c.rule.id == "new-required-request-property");
    let found = found.expect("the new required property is reported");
    assert_eq!(
        found.message,
        "the required request property `LibraryListingSourceV1.lab_display_name` was added"
    );
    assert_eq!(found.operations, ["POST /v1/models", "POST /v1/teams/{team_id}/models"]);
    insta::assert_snapshot!(text(report));
}

/// 041 replaced the document's `ApiKeyAuth` by `BearerAuth`: one edit, one finding each way,
/// listing the 150 operations, instead of 150 identical lines.
#[test]
fn a_security_swap_is_one_finding() {
    let report = pair(&history(), 41);
    assert_eq!(ids(&report, Level::Breaking), ["api-global-security-removed"]);
    let removed = &report.diff.changes.iter().find(|c| c.rule.level == Level::Breaking).unwrap();
    assert_eq!(removed.operations.len(), 150);
    insta::assert_snapshot!(text(report));
}

/// 042 narrowed `max_scale_down_rate` from number to integer: every integer still reads as a
/// number, so responses are not broken (its bounds moved from `> 1` to `≥ 1`, and up to 50:
/// looser); requests (043) are, once.
#[test]
fn a_narrowed_response_type_is_not_breaking_and_a_narrowed_request_type_is() {
    let revisions = history();
    let narrowed = pair(&revisions, 42);
    assert_eq!(ids(&narrowed, Level::Breaking), Vec::<&str>::new());
    assert!(ids(&narrowed, Level::Info).contains(&"response-property-type-specialized"));
    insta::assert_snapshot!("narrowed_response", text(narrowed));
    let request = pair(&revisions, 43);
    let changed: Vec<_> =
        request.diff.changes.iter().filter(|c| c.rule.id == "request-property-type-changed").collect();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].operations.len(), 10);
}

/// 045 removed seven paths: one breaking finding per removed operation.
#[test]
fn removed_operations_are_one_finding_each() {
    let report = pair(&history(), 45);
    let removed: Vec<_> =
        report.diff.changes.iter().filter(|c| c.rule.id == "api-path-removed-without-deprecation").collect();
    assert_eq!(removed.len(), 7);
    assert!(removed.iter().all(|c| c.operations.len() == 1));
    insta::assert_snapshot!(text(report));
}

/// The checked-in operation-id table, less the entries for operations `text` does not have
/// (the table follows today's spec; older revisions lack some of its operations).
fn overrides_for(text: &str) -> String {
    let table = std::fs::read_to_string(
        modelhost_specdiff_tests::dir().join("../../openapi/baseten.operation-ids.yaml"),
    )
    .expect("the checked-in table");
    let doc: serde_json::Value = serde_json::from_str(text).expect("a revision is JSON");
    modelhost_codegen::prune_overrides(&table, &doc).0
}

/// 045 removed seven paths and their types: with the generated Rust API compared, each removed
/// operation is one breaking row that says both what happened over HTTP and that its client
/// method and builder are gone, and the builders' methods are not listed one by one.
#[test]
fn a_removed_operation_is_one_row_with_its_http_and_rust_consequence() {
    let revisions = history();
    let (old, new) = (&revisions[43], &revisions[44]);
    let (old_table, new_table) = (overrides_for(&old.text), overrides_for(&new.text));
    let base = SpecText { overrides: Some(&old_table), ..version(old) };
    let revision = SpecText { overrides: Some(&new_table), ..version(new) };
    let spec = SpecReport::compare("openapi/baseten.yaml", Some(base), revision).unwrap();
    assert!(matches!(spec.rust_api, modelhost_specdiff::RustApi::Compared(_)), "{:?}", spec.rust_api);
    let report = Report { base: "the previous revision".to_owned(), specs: vec![spec] };
    let markdown = Format::Markdown.render(&report);
    let rows: Vec<&str> = markdown.lines().filter(|l| l.contains("POST /v1/trainer_sessions`")).collect();
    assert_eq!(rows.len(), 2, "one row in the breaking table, one in the details:\n{markdown}");
    assert!(rows[0].contains("api-path-removed-without-deprecation"), "{}", rows[0]);
    assert!(rows[0].contains("`Client::create_trainer_session` (and its builder) removed"), "{}", rows[0]);
    assert!(!markdown.contains("builder::CreateTrainerSession::send"), "builder methods are folded");
    insta::assert_snapshot!("removed_operations_markdown", markdown);
    insta::assert_snapshot!("removed_operations_text", Format::Text.render(&report));
}

/// Whether `path` (`Model.a.b[].c`, its first part a component) names a property the
/// document `doc` has: followed through `$ref`s, `allOf`/`anyOf`/`oneOf` members and items.
fn has_path(doc: &serde_json::Value, path: &str) -> Option<bool> {
    let spaced = path.replace("[]", ".[]");
    let mut parts = spaced.split('.').filter(|p| !p.is_empty());
    let component = parts.next()?;
    let root = doc.pointer(&format!("/components/schemas/{component}"))?;
    let mut here = vec![root];
    for part in parts {
        let mut next = Vec::new();
        let mut stack = here;
        let mut steps = 0;
        while let Some(schema) = stack.pop() {
            steps += 1;
            if steps > 10_000 {
                break;
            }
            if let Some(target) = schema.get("$ref").and_then(|r| r.as_str()) {
                stack.extend(target.strip_prefix('#').and_then(|p| doc.pointer(p)));
                continue;
            }
            for key in ["allOf", "anyOf", "oneOf"] {
                stack.extend(schema.get(key).and_then(|m| m.as_array()).into_iter().flatten());
            }
            let found = if part == "[]" {
                schema.get("items")
            } else {
                schema.pointer(&format!("/properties/{part}"))
            };
            next.extend(found);
        }
        if next.is_empty() {
            return Some(false);
        }
        here = next;
    }
    Some(true)
}

/// The path, from a base component, of the property a removal message says was removed:
/// `request property \`Model.a\` was removed` is `Model.a`; `response property \`a\` (the
/// body's schema went from \`Old\` to \`New\`) was removed` is `Old.a`; `response property
/// \`run.a\` (\`run\`'s schema went from \`Old\` …)` is `Old.a`. None for other messages,
/// and for a property of an inline body (no component to look in).
fn removed_from_base(message: &str) -> Option<String> {
    let rest =
        message.strip_prefix("request property `").or_else(|| message.strip_prefix("response property `"))?;
    let (path, rest) = rest.split_once('`')?;
    let rest = rest.strip_suffix(" was removed")?;
    if rest.is_empty() {
        return Some(path.to_owned());
    }
    let (owner, rest) = match rest.strip_prefix(" (the body's schema went from `") {
        Some(rest) => ("", rest),
        None => {
            let rest = rest.strip_prefix(" (`")?;
            let (owner, rest) = rest.split_once("`'s schema went from `")?;
            (owner, rest)
        }
    };
    let (from, _) = rest.split_once('`')?;
    let inner = path.strip_prefix(owner)?.trim_start_matches('.');
    Some(if inner.starts_with("[]") { format!("{from}{inner}") } else { format!("{from}.{inner}") })
}

/// Over the whole history, every message names its subject in the reader's terms (no empty
/// or bracket-only name, no leading space, no nameless property), and every schema named as
/// losing a property had it in the base.
#[test]
fn every_message_over_the_history_names_its_subject_rightly() {
    let revisions = history();
    let mut removals = 0;
    for window in revisions.windows(2) {
        let base: serde_json::Value = serde_json::from_str(&window[0].text).unwrap();
        let report = compare(&window[0], &window[1]);
        for change in &report.diff.changes {
            let m = &change.message;
            let pair = format!("{} → {}: {m}", window[0].name, window[1].name);
            assert!(!m.starts_with(' ') && !m.contains("  "), "{pair}");
            assert!(!m.contains("``") && !m.contains("`[]`") && !m.contains(" property `*`"), "{pair}");
            assert!(!m.contains("the  body") && !m.starts_with("property"), "{pair}");
            if let Some(path) = removed_from_base(m) {
                assert_eq!(has_path(&base, &path), Some(true), "the base has no {path}: {pair}");
                removals += 1;
            }
        }
    }
    assert!(removals >= 10, "the check saw the history's removals ({removals})");
}

/// The pull-request comment's breaking table over the real history (each consecutive pair,
/// and each revision against the newest, where whole families of paths and types differ):
/// one edit is one row and edits of one kind on one operation share one, yet every breaking
/// rule id and every breaking message is in the table.
#[test]
fn the_breaking_table_groups_edits_and_drops_no_finding() {
    let revisions = history();
    let newest = revisions.last().unwrap();
    let against_newest = revisions.iter().step_by(4).map(|r| (r, newest));
    let pairs = revisions.windows(2).map(|w| (&w[0], &w[1])).chain(against_newest);
    let (mut findings, mut rows) = (0, 0);
    for (old, new) in pairs {
        let spec = compare(old, new);
        let breaking: Vec<_> =
            spec.diff.changes.iter().filter(|c| c.rule.level == Level::Breaking).cloned().collect();
        let report = Report { base: "the previous revision".to_owned(), specs: vec![spec] };
        let markdown = Format::Markdown.render(&report);
        let table = markdown.split("#### Breaking changes").nth(1).unwrap_or_default();
        let table = table.split("<details>").next().unwrap_or_default();
        if table.contains("more breaking rows") {
            continue; // cut to fit a comment: the whole report is elsewhere
        }
        for change in &breaking {
            assert!(
                table.contains(&format!("`{}`", change.rule.id)),
                "{} → {}: {}",
                old.name,
                new.name,
                change.rule.id
            );
            let message = change.message.replace('|', "\\|").replace('\n', " ");
            assert!(table.contains(&message), "{} → {}: {message}", old.name, new.name);
        }
        findings += breaking.len();
        rows += table.lines().filter(|l| l.starts_with("| `")).count();
    }
    assert!(rows < findings, "grouping joins rows: {rows} rows for {findings} breaking findings");
}
