//! The fidelity check on the checked-in files, on mutations of Replicate's recorded schema
//! that it must catch or must let pass, and `--pull --provider replicate` against a server on
//! 127.0.0.1 serving the recording.

use std::path::{Path, PathBuf};

use modelhost_tests::{BlockingServer, Canned, Method};
use serde_json::{Value, json};

use super::*;

const RECORDING: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/replicate-openapi.2026-03-16.json");

fn workspace_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(name)
}

fn hand_written() -> (String, Value) {
    let text = std::fs::read_to_string(workspace_file(HAND_WRITTEN)).unwrap();
    let doc = modelhost_codegen::load::parse(Path::new(HAND_WRITTEN), &text).unwrap();
    (text, doc)
}

fn recording() -> Value {
    serde_json::from_str(&std::fs::read_to_string(RECORDING).unwrap()).unwrap()
}

/// The hand-written spec against `upstream` (as JSON text, so lines are its own).
fn check_against(upstream: &Value) -> Report {
    let (hand_text, hand_doc) = hand_written();
    let upstream_text = serde_json::to_string_pretty(upstream).unwrap();
    compare(&Spec::new(HAND_WRITTEN, &hand_doc, &hand_text), &Spec::new(PUBLISHED, upstream, &upstream_text))
}

/// Runs `mutate` on the recording and returns the check's divergences.
fn divergences_after(mutate: impl FnOnce(&mut Value)) -> Vec<String> {
    let mut upstream = recording();
    mutate(&mut upstream);
    check_against(&upstream).divergences
}

/// Asserts one divergence that names `expected` and both files' lines.
fn assert_caught(divergences: &[String], expected: &str) {
    assert!(!divergences.is_empty(), "not caught: {expected}");
    let hit = divergences.iter().find(|d| d.contains(expected));
    let hit = hit.unwrap_or_else(|| panic!("no divergence says {expected:?}: {divergences:#?}"));
    assert!(hit.starts_with(&format!("{HAND_WRITTEN}:")), "{hit}");
    assert!(hit.contains(&format!("(upstream: {PUBLISHED}:")), "{hit}");
}

fn operation<'a>(doc: &'a mut Value, path: &str, method: &str) -> &'a mut Value {
    &mut doc["paths"][path][method]
}

#[test]
fn the_checked_in_spec_agrees_with_the_checked_in_reference_copy() {
    let report = check_files(&workspace_file("")).unwrap();
    assert_eq!(report.divergences, Vec::<String>::new());
    let notes = report.notes.join("\n");
    // Upstream's deletes the hand-written spec lacks are information.
    assert!(notes.contains("`files.delete` (DELETE /files/{file_id}) deletes"), "{notes}");
    // The deliberate divergences say why: paging cursors, and the billed `predict_time`.
    assert_eq!(notes.matches("acknowledged").count(), 4, "{notes}");
    assert!(notes.contains("`models.versions.list` query parameter `cursor`"), "{notes}");
    assert!(notes.contains("`results[].metrics.predict_time` is not upstream"), "{notes}");
    // And against the recording itself (other lines), the same findings.
    let recorded = check_against(&recording());
    assert_eq!((recorded.divergences.len(), recorded.notes.len()), (0, report.notes.len()), "{recorded:#?}");
}

#[test]
fn a_renamed_parameter_is_caught() {
    let divergences = divergences_after(|up| {
        let op = operation(up, "/models/{model_owner}/{model_name}/versions", "get");
        op["parameters"][0]["name"] = json!("owner");
    });
    assert_caught(&divergences, "`models.versions.list` path parameter `model_owner` is not upstream");
    assert_caught(&divergences, "path parameter `owner` is required upstream but missing here");
}

#[test]
fn a_changed_success_status_is_caught() {
    let divergences = divergences_after(|up| {
        let op = operation(up, "/models/{model_owner}/{model_name}/versions/{version_id}", "delete");
        let accepted = op["responses"]["202"].take();
        op["responses"] = json!({"204": accepted});
    });
    assert_caught(&divergences, "`models.versions.delete` succeeds with 202 where upstream says 204");
    assert_eq!(divergences.len(), 1, "{divergences:#?}");
}

#[test]
fn a_retyped_property_is_caught_through_refs_and_arrays() {
    let divergences = divergences_after(|up| {
        up["components"]["schemas"]["schemas_version_response"]["properties"]["created_at"] =
            json!({"type": "integer"});
    });
    assert_caught(
        &divergences,
        "`models.versions.list` response 200 property `results[].created_at` is string",
    );
    assert_caught(&divergences, "`models.versions.get` response 200 property `created_at` is string");
}

#[test]
fn a_property_upstream_made_nullable_or_removed_is_caught() {
    let divergences = divergences_after(|up| {
        let version = &mut up["components"]["schemas"]["schemas_version_response"]["properties"];
        version["id"]["nullable"] = json!(true);
        version.as_object_mut().unwrap().remove("cog_version");
    });
    assert_caught(
        &divergences,
        "`models.versions.list` response 200 property `results[].id` is not nullable where upstream's is",
    );
    assert_caught(&divergences, "`models.versions.get` response 200 property `cog_version` is not upstream");
}

#[test]
fn a_removed_operation_is_caught() {
    let divergences = divergences_after(|up| {
        up["paths"]["/deployments/{deployment_owner}/{deployment_name}"]
            .as_object_mut()
            .unwrap()
            .remove("delete");
    });
    assert_caught(
        &divergences,
        "`deployments.delete` (DELETE /deployments/{deployment_owner}/{deployment_name}) is not an upstream operation",
    );
}

#[test]
fn a_moved_operation_names_where_upstream_has_it() {
    let divergences = divergences_after(|up| {
        let paths = up["paths"].as_object_mut().unwrap();
        let item = paths.remove("/account").unwrap();
        paths.insert("/v2/account".to_owned(), item);
    });
    assert_caught(&divergences, "which upstream has as GET /v2/account");
}

#[test]
fn an_enum_value_the_hand_written_spec_invents_is_caught() {
    let (hand_text, mut hand_doc) = hand_written();
    hand_doc["components"]["schemas"]["Account"]["properties"]["type"]["enum"] =
        json!(["organization", "user", "robot"]);
    let upstream = recording();
    let upstream_text = serde_json::to_string_pretty(&upstream).unwrap();
    let report = compare(
        &Spec::new(HAND_WRITTEN, &hand_doc, &hand_text),
        &Spec::new(PUBLISHED, &upstream, &upstream_text),
    );
    assert_caught(&report.divergences, "has the enum value(s) \"robot\" that upstream's lacks");
}

#[test]
fn upstream_only_changes_are_not_divergences() {
    let divergences = divergences_after(|up| {
        let version = &mut up["components"]["schemas"]["schemas_version_response"]["properties"];
        version["hardware"] = json!({"type": "string"});
        up["paths"]["/models/{model_owner}/{model_name}/versions"]["get"]["parameters"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "limit", "in": "query", "required": false, "schema": {"type": "integer"}}));
        up["paths"]["/things/{id}"] = json!({"delete": {"operationId": "things.delete", "responses": {"204": {"description": "gone"}}}});
    });
    assert_eq!(divergences, Vec::<String>::new());
}

#[test]
fn a_cyclic_upstream_schema_ends() {
    let divergences = divergences_after(|up| {
        let schemas = &mut up["components"]["schemas"];
        schemas["schemas_version_response"]["properties"]["openapi_schema"] =
            json!({"$ref": "#/components/schemas/schemas_version_response"});
    });
    // The hand-written `openapi_schema` is a free-form object: no property to follow.
    assert!(divergences.iter().all(|d| d.contains("openapi_schema")), "{divergences:#?}");
}

#[test]
fn pulling_replicate_writes_the_reference_copy_and_leaves_the_hand_written_spec_alone() {
    let recorded = std::fs::read_to_string(RECORDING).unwrap();
    let server = BlockingServer::start([(
        Method::GET,
        "/openapi.json",
        Canned::text(200, "application/json", recorded),
    )]);
    let root = tempfile::tempdir().unwrap();
    let openapi = root.path().join("openapi");
    std::fs::create_dir(&openapi).unwrap();
    let hand = std::fs::read_to_string(workspace_file(HAND_WRITTEN)).unwrap();
    std::fs::write(openapi.join("replicate.yaml"), &hand).unwrap();
    let url = format!("{}/openapi.json", server.base_url);
    std::fs::write(openapi.join("replicate.upstream.yaml"), format!("source: {url}\n")).unwrap();

    crate::pull::replicate::run(root.path(), None).unwrap();
    let copy = std::fs::read_to_string(root.path().join(PUBLISHED)).unwrap();
    assert!(
        copy == std::fs::read_to_string(workspace_file(PUBLISHED)).unwrap(),
        "the pulled copy differs from the checked-in {PUBLISHED}"
    );
    let provenance = std::fs::read_to_string(crate::pull::replicate::provenance_path(root.path())).unwrap();
    assert!(provenance.contains(&format!("url: {url}")) && provenance.contains("sha256: "), "{provenance}");
    assert_eq!(std::fs::read_to_string(openapi.join("replicate.yaml")).unwrap(), hand);
    assert!(crate::fidelity::run(root.path()).unwrap());
    assert!(crate::pull::replicate::check(root.path(), None).unwrap(), "up to date after the pull");

    // Upstream changes a success status: `--pull --check` says so and writes nothing; the
    // pull takes it, and the check then fails.
    let mut changed = recording();
    let op = operation(&mut changed, "/models/{model_owner}/{model_name}", "delete");
    op["responses"] = json!({"200": {"description": "Deleted"}});
    let server = BlockingServer::start([(
        Method::GET,
        "/openapi.json",
        Canned::text(200, "application/json", changed.to_string()),
    )]);
    let url = format!("{}/openapi.json", server.base_url);
    assert!(!crate::pull::replicate::check(root.path(), Some(&url)).unwrap());
    assert_eq!(std::fs::read_to_string(root.path().join(PUBLISHED)).unwrap(), copy);
    crate::pull::replicate::run(root.path(), Some(&url)).unwrap();
    assert!(!crate::fidelity::run(root.path()).unwrap());
    let report = check_files(root.path()).unwrap();
    assert_caught(&report.divergences, "`models.delete` succeeds with 204 where upstream says 200");

    // A source that is not a document leaves both files as they were.
    let before = std::fs::read_to_string(root.path().join(PUBLISHED)).unwrap();
    let server =
        BlockingServer::start([(Method::GET, "/openapi.json", Canned::text(200, "text/html", "<html>oops"))]);
    let url = format!("{}/openapi.json", server.base_url);
    assert!(crate::pull::replicate::run(root.path(), Some(&url)).is_err());
    assert_eq!(std::fs::read_to_string(root.path().join(PUBLISHED)).unwrap(), before);
}

/// Every object node of `doc` by JSON pointer, in document order.
fn object_pointers(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    openapi::walk(doc, |at, node| {
        if node.is_object() {
            out.push(at.pointer().to_owned());
        }
        openapi::Step::Into
    });
    out
}

/// What a mutation does to the object it hits.
#[derive(Debug, Clone)]
enum Mutation {
    /// Removes its `n`th key.
    Remove(usize),
    /// Sets its `n`th key to this value.
    Replace(usize, Value),
    /// Sets `type`.
    Retype(&'static str),
}

fn mutation() -> impl proptest::strategy::Strategy<Value = Mutation> {
    use proptest::prelude::*;
    let value = prop_oneof![
        Just(Value::Null),
        any::<i64>().prop_map(Value::from),
        "[a-z{}/]{0,12}".prop_map(Value::from),
        Just(json!({"$ref": "#/components/schemas/schemas_version_response"})),
        Just(json!({"$ref": "#/nowhere"})),
        Just(json!([])),
    ];
    prop_oneof![
        (0usize..16).prop_map(Mutation::Remove),
        ((0usize..16), value).prop_map(|(n, v)| Mutation::Replace(n, v)),
        prop_oneof![Just("integer"), Just("string"), Just("null"), Just("object"), Just("array")]
            .prop_map(Mutation::Retype),
    ]
}

fn apply(doc: &mut Value, at: &str, mutation: &Mutation) {
    let Some(Value::Object(map)) = doc.pointer_mut(at) else { return };
    let key = |n: usize| map.keys().nth(n % map.len().max(1)).cloned();
    match mutation {
        Mutation::Remove(n) => {
            if let Some(k) = key(*n) {
                map.remove(&k);
            }
        }
        Mutation::Replace(n, value) => {
            if let Some(k) = key(*n) {
                map.insert(k, value.clone());
            }
        }
        Mutation::Retype(t) => {
            map.insert("type".to_owned(), json!(t));
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 128, ..Default::default() })]

    /// Any few mutations anywhere in the recording: the check never panics, every divergence
    /// names both files' lines, and mutations only in operations and schemas the hand-written
    /// spec does not use are never divergences.
    #[test]
    fn mutations_of_the_recording_are_located_or_ignored(
        picks in proptest::collection::vec((proptest::prelude::any::<proptest::sample::Index>(), mutation()), 1..4),
    ) {
        let mut upstream = recording();
        let pointers = object_pointers(&upstream);
        let mut touched = Vec::new();
        for (index, mutation) in &picks {
            let at = pointers[index.index(pointers.len())].clone();
            apply(&mut upstream, &at, mutation);
            touched.push(at);
        }
        let report = check_against(&upstream);
        for line in &report.divergences {
            proptest::prop_assert!(line.starts_with(&format!("{HAND_WRITTEN}:")), "{line}");
            proptest::prop_assert!(line.contains(&format!("(upstream: {PUBLISHED}")), "{line}");
        }
        // What the hand-written spec never reaches: other operations' paths, and schemas
        // none of its operations refer to (of predictions it uses only the list, and the
        // response it lists).
        let unused = |at: &str| {
            at.starts_with("/paths/~1predictions~1")
                || (at.starts_with("/paths/~1predictions/") && !at.starts_with("/paths/~1predictions/get"))
                || at.starts_with("/paths/~1trainings")
                || at.starts_with("/paths/~1files")
                || (at.starts_with("/components/schemas/schemas_prediction")
                    && !at.starts_with("/components/schemas/schemas_prediction_response"))
                || at.starts_with("/components/schemas/schemas_training")
                || at.starts_with("/components/schemas/schemas_file")
        };
        if touched.iter().all(|at| unused(at)) {
            proptest::prop_assert!(report.divergences.is_empty(), "{touched:?}: {:#?}", report.divergences);
        }
    }
}
