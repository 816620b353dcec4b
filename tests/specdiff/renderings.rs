//! The renderings of a realistic multi-change pair (Replicate's spec and a revision with a
//! removed operation, new parameters, type and requiredness changes, a new enum value, a new
//! server and a documentation edit), reviewed as insta snapshots.

use std::path::Path;

use modelhost_specdiff::render::Format;
use modelhost_specdiff::semver::{Package, Version as SemVer};
use modelhost_specdiff::{Report, SpecReport, SpecText, Status};
use modelhost_specdiff_tests::dir;

fn report() -> Report {
    let read = |name: &str| std::fs::read_to_string(dir().join("realistic").join(name)).unwrap();
    let (base, revised) = (read("replicate.base.yaml"), read("replicate.revised.yaml"));
    let base = SpecText { name: Path::new("main:openapi/replicate.yaml"), text: &base, overrides: None };
    let revised = SpecText { name: Path::new("openapi/replicate.yaml"), text: &revised, overrides: None };
    let mut spec = SpecReport::compare("openapi/replicate.yaml", Some(base), revised).unwrap();
    spec.package = Some(Package { name: "modelhost-replicate".to_owned(), version: SemVer::new(0, 1, 0) });
    Report { base: "main (3f2c1a9)".to_owned(), specs: vec![spec] }
}

#[test]
fn text() {
    insta::assert_snapshot!(Format::Text.render(&report()));
}

#[test]
fn markdown() {
    insta::assert_snapshot!(Format::Markdown.render(&report()));
}

#[test]
fn github_annotations() {
    insta::assert_snapshot!(Format::Github.render(&report()));
}

#[test]
fn json_is_stable_and_parses() {
    let text = Format::Json.render(&report());
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["version"], 3);
    assert_eq!(value["summary"]["max_level"], "breaking");
    // The summary counts every change at the level its row shows.
    let rows = value["specs"].as_array().unwrap().iter().flat_map(|s| s["changes"].as_array().unwrap());
    let breaking_rows = rows.filter(|c| c["level"] == "breaking").count() as u64;
    assert!(value["summary"]["breaking"].as_u64().unwrap() >= breaking_rows);
    insta::assert_snapshot!(text);
}

#[test]
fn sarif_validates_against_the_schema_with_a_result_per_change() {
    let report = report();
    let text = Format::Sarif.render(&report);
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir().join("sarif/sarif-schema-2.1.0.json")).unwrap())
            .unwrap();
    let validator = jsonschema::draft7::new(&schema).unwrap();
    let errors: Vec<String> =
        validator.iter_errors(&value).map(|e| format!("{e} at {}", e.instance_path)).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // One result per change, each at its line with its rule, level and fingerprint.
    let changes = &report.specs[0].diff.changes;
    let results = value["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), changes.len());
    let levels: std::collections::BTreeSet<&str> =
        results.iter().map(|r| r["level"].as_str().unwrap()).collect();
    assert!(levels.contains("error") && levels.iter().all(|l| ["error", "warning", "note"].contains(l)));
    for (result, change) in results.iter().zip(changes) {
        assert_eq!(result["ruleId"], change.rule.id);
        let key = modelhost_specdiff::render::FINGERPRINT_KEY;
        assert_eq!(result["partialFingerprints"][key], change.fingerprint().as_str());
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "openapi/replicate.yaml");
        assert_eq!(location["region"]["startLine"].as_u64(), change.line.map(|l| l as u64));
        let rule =
            &value["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], change.rule.id);
    }
    // A schema check that cannot fail proves nothing: a result without its message is refused.
    let mut broken = value.clone();
    broken["runs"][0]["results"][0].as_object_mut().unwrap().remove("message");
    assert!(!validator.is_valid(&broken));
    insta::assert_snapshot!(text);
}

#[test]
fn a_new_file_reports_everything_added() {
    let text = std::fs::read_to_string(dir().join("realistic/replicate.base.yaml")).unwrap();
    let version = SpecText { name: Path::new("openapi/replicate.yaml"), text: &text, overrides: None };
    let spec = SpecReport::compare("openapi/replicate.yaml", None, version).unwrap();
    assert_eq!(spec.status, Status::Added);
    let ids: Vec<_> = spec.diff.changes.iter().map(|c| c.rule.id).collect();
    assert_eq!(
        ids,
        [
            "endpoint-added",
            "endpoint-added",
            "endpoint-added",
            "endpoint-added",
            "endpoint-added",
            "api-security-component-added",
            "server-added"
        ]
    );
    assert!(spec.api_changes().iter().all(|c| c.rule.id == "rust-item-added"));
    assert!(spec.api_changes().iter().any(|c| c.item == "Client::models_delete"));
}

#[test]
fn bad_input_is_an_error_naming_the_place() {
    let good = std::fs::read_to_string(dir().join("realistic/replicate.base.yaml")).unwrap();
    let version = |text| SpecText { name: Path::new("openapi/replicate.yaml"), text, overrides: None };
    let malformed = good.replace("paths:\n", "paths: [\n");
    let err = SpecReport::compare("x", Some(version(&good)), version(&malformed)).unwrap_err();
    assert!(err.to_string().starts_with("openapi/replicate.yaml:"), "{err}");
    let dangling = good.replace("#/components/schemas/Model'", "#/components/schemas/Nope'");
    let err = SpecReport::compare("x", Some(version(&dangling)), version(&good)).unwrap_err();
    assert!(err.to_string().contains("points at nothing"), "{err}");
}

/// Characters a terminal (or a pull-request page) acts on rather than shows.
const HOSTILE: &[char] =
    &['\u{1b}', '\r', '\n', '\u{7}', '\u{9b}', '\u{202e}', '\u{2066}', '\u{200b}', '\u{feff}'];

/// A name from a spec with one such character in it.
fn hostile_name() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    ("[a-z]{0,3}", proptest::sample::select(HOSTILE), "[a-z]{0,3}").prop_map(|(a, c, b)| format!("{a}{c}{b}"))
}

/// A pair whose path, property and documentation edit carry `name`.
fn hostile_pair(name: &str) -> (String, String) {
    let doc = |description: &str, extra: bool| {
        let mut properties = serde_json::json!({ name: {"type": "string", "description": description} });
        if extra {
            properties[format!("new{name}")] = serde_json::json!({"type": "string"});
        }
        let schema = serde_json::json!({"type": "object", "properties": properties});
        let content = serde_json::json!({"application/json": {"schema": schema}});
        let path = format!("/models/{name}");
        serde_json::json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {path: {"get": {"responses": {"200": {"description": "ok", "content": content}}}}},
        })
        .to_string()
    };
    (doc("before", false), doc(&format!("after {name}"), true))
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, failure_persistence: None, ..Default::default() })]

    /// Whatever a spec names its paths and properties, no rendering passes a control character
    /// or an invisible reordering mark through; JSON's own escapes keep its strings intact.
    #[test]
    fn no_rendering_passes_spec_text_through_unescaped(name in hostile_name()) {
        let (base, revised) = hostile_pair(&name);
        let base = SpecText { name: Path::new("main:hostile.json"), text: &base, overrides: None };
        let revised = SpecText { name: Path::new("hostile.json"), text: &revised, overrides: None };
        let spec = SpecReport::compare_http("hostile.json", Some(base), revised).unwrap();
        proptest::prop_assert!(!spec.diff.changes.is_empty() && !spec.diff.documentation.is_empty());
        let report = Report { base: "main".to_owned(), specs: vec![spec] };
        for format in [Format::Text, Format::Markdown, Format::Github, Format::Json] {
            let shown = format.render(&report);
            let bad = |c: char| (HOSTILE.contains(&c) || c.is_control()) && c != '\n';
            proptest::prop_assert!(!shown.chars().any(bad), "{format:?} passed {name:?} through:\n{shown}");
            if format == Format::Json {
                let value: serde_json::Value = serde_json::from_str(&shown).unwrap();
                let operation = value["specs"][0]["changes"][0]["operations"][0].as_str().unwrap();
                proptest::prop_assert_eq!(operation, format!("GET /models/{name}"));
            }
        }
    }
}

/// Accepting a change takes it out of every count (level, exit status, version bump) and
/// reports it apart; a breaking change not accepted still counts; an entry that matches
/// nothing is stale.
#[test]
fn an_accepted_change_is_reported_apart_and_counts_nowhere() {
    use modelhost_specdiff::rules::Level;
    use modelhost_specdiff::{Acceptance, AcceptedChanges};
    let fresh = report();
    let spec = &fresh.specs[0];
    let groups = spec.rust_groups();
    let breaking: Vec<String> = spec
        .diff
        .changes
        .iter()
        .filter(|c| spec.level_of(c, &groups) == Level::Breaking)
        .map(|c| c.fingerprint())
        .collect();
    assert!(breaking.len() >= 2, "the pair has breaking changes to accept: {breaking:?}");
    let accept = |fingerprint: &str| Acceptance {
        fingerprint: fingerprint.to_owned(),
        reason: "upstream removed it; no caller uses it".to_owned(),
        by: "reviewer".to_owned(),
        at: "2026-12-06".to_owned(),
    };
    // All but one accepted: the one left still fails the gate.
    let mut report_one_left = report();
    let all_but_one = AcceptedChanges { accepted: breaking[1..].iter().map(|f| accept(f)).collect() };
    assert!(report_one_left.accept(&all_but_one).is_empty());
    assert_eq!(report_one_left.max_level(), Some(Level::Breaking));
    // All accepted, and one stale entry: nothing breaking is counted, the bump is not major,
    // every accepted change is listed apart, and the stale entry is given back.
    let mut accepted = report();
    let mut all = AcceptedChanges { accepted: breaking.iter().map(|f| accept(f)).collect() };
    all.accepted.push(accept("0123456789ab"));
    all.check().unwrap();
    let stale = accepted.accept(&all);
    assert_eq!(stale.iter().map(|a| a.fingerprint.as_str()).collect::<Vec<_>>(), ["0123456789ab"]);
    assert_ne!(accepted.max_level(), Some(Level::Breaking), "{}", Format::Text.render(&accepted));
    assert_eq!(accepted.accepted(), breaking.len());
    assert_ne!(modelhost_specdiff::semver::Bump::of(&accepted.specs[0]).name(), "major");
    let json: serde_json::Value = serde_json::from_str(&Format::Json.render(&accepted)).unwrap();
    assert_eq!(json["summary"]["accepted"], breaking.len());
    assert_eq!(json["summary"]["breaking"], 0);
    assert!(Format::Text.render(&accepted).contains("accepted, not counted"));
    assert!(Format::Markdown.render(&accepted).contains("accepted change(s), not counted"));
    // A malformed entry is refused, naming it.
    let bad = AcceptedChanges { accepted: vec![accept("not-hex")] };
    assert_eq!(
        bad.check().unwrap_err(),
        "accepted change 1: `fingerprint` is not 12 lower-case hex digits (copy it from the report)"
    );
}
