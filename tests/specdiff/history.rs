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
