//! `--pull` against a real HTTP server on 127.0.0.1 serving recorded and written documents.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use modelhost_tests::{BlockingServer, Canned, Method};

use super::*;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata");
const RECORDING: &str = "v1-spec.2026-07-01.json";
const RECORDING_SHA256: &str = "83c8bfc4d9ba51b8615ce59ca010f0072911f1de36f6e44da04c863b1e14a6a9";
/// The written API pages and where the index (`docs/llms.txt`) links them.
const PAGES: &[(&str, &str)] = &[
    ("/reference/management-api/models/deletes-a-model-by-id.md", "deletes-a-model-by-id.md"),
    (
        "/reference/management-api/deployments/deletes-a-models-deployment-by-id.md",
        "deletes-a-models-deployment-by-id.md",
    ),
    ("/reference/management-api/models/gets-all-models.md", "gets-all-models.md"),
    (
        "/reference/management-api/deployments/gets-all-deployments-of-a-model.md",
        "gets-all-deployments-of-a-model.md",
    ),
];

fn data(name: &str) -> String {
    std::fs::read_to_string(Path::new(DATA).join(name)).unwrap()
}

fn checked_in(name: &str) -> String {
    // The workspace of this test run, found at run time (cargo sets CARGO_MANIFEST_DIR).
    let xtask = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR");
    std::fs::read_to_string(Path::new(&xtask).join("../openapi").join(name)).unwrap()
}

/// A workspace-like folder holding the checked-in Baseten spec, the given override table, and
/// a configuration whose source is `source`.
fn workspace(overrides: &str, source: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let openapi = dir.path().join("openapi");
    std::fs::create_dir(&openapi).unwrap();
    std::fs::write(openapi.join("baseten.yaml"), checked_in("baseten.yaml")).unwrap();
    std::fs::write(openapi.join("baseten.operation-ids.yaml"), overrides).unwrap();
    let config = format!("source: {source}\nindex_pages: /reference/management-api/\n");
    std::fs::write(openapi.join("baseten.upstream.yaml"), config).unwrap();
    dir
}

/// Every file in `ROOT/openapi` with its bytes.
fn openapi_files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(root.join("openapi"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect()
}

fn spec(root: &Path) -> String {
    std::fs::read_to_string(root.join("openapi/baseten.yaml")).unwrap()
}

fn docs_server(extra: Vec<(Method, String, Canned)>) -> BlockingServer {
    let mut routes: Vec<(Method, String, Canned)> =
        vec![(Method::GET, "/llms.txt".into(), Canned::text(200, "text/plain", data("docs/llms.txt")))];
    for (path, file) in PAGES {
        routes.push((
            Method::GET,
            (*path).into(),
            Canned::text(200, "text/markdown", data(&format!("docs/{file}"))),
        ));
    }
    routes.extend(extra);
    BlockingServer::start(routes)
}

#[test]
fn pulling_the_full_document_reproduces_the_checked_in_spec_byte_for_byte() {
    let server = BlockingServer::start([(
        Method::GET,
        "/v1/spec",
        Canned::text(200, "application/json", data(RECORDING)),
    )]);
    let root = workspace(&checked_in("baseten.operation-ids.yaml"), "https://unused.invalid/");
    let url = format!("{}/v1/spec", server.base_url);
    run(root.path(), Some(&url)).unwrap();
    assert!(
        spec(root.path()) == checked_in("baseten.yaml"),
        "the pulled spec differs from openapi/baseten.yaml"
    );
    let provenance = std::fs::read_to_string(provenance_path(root.path())).unwrap();
    assert!(provenance.contains(&format!("sha256: {RECORDING_SHA256}")), "{provenance}");

    // A second pull changes nothing, byte for byte.
    let before = openapi_files(root.path());
    run(root.path(), Some(&url)).unwrap();
    assert_eq!(openapi_files(root.path()), before);

    // The documents are public: a user agent naming the project, and no credentials.
    let seen = server.recorded();
    assert!(seen.iter().all(|r| r.authorization.is_none()));
    assert!(seen[0].user_agent.as_deref().unwrap_or("").starts_with("modelhost-xtask/"));
}

#[test]
fn pulling_a_modified_copy_changes_only_what_was_modified() {
    let modified =
        data(RECORDING).replacen("\"Deletes a model by ID\"", "\"Deletes a model, given its ID\"", 1);
    assert_ne!(modified, data(RECORDING));
    let server =
        BlockingServer::start([(Method::GET, "/v1/spec", Canned::text(200, "application/json", modified))]);
    let root = workspace(&checked_in("baseten.operation-ids.yaml"), &format!("{}/v1/spec", server.base_url));
    run(root.path(), None).unwrap();
    let (old, new) = (checked_in("baseten.yaml"), spec(root.path()));
    let changed: Vec<(&str, &str)> = old.lines().zip(new.lines()).filter(|(a, b)| a != b).collect();
    assert_eq!(old.lines().count(), new.lines().count());
    assert_eq!(
        changed,
        [("      summary: Deletes a model by ID", "      summary: Deletes a model, given its ID")]
    );
}

#[test]
fn merging_the_pages_of_an_index_yields_one_document() {
    let server = docs_server(Vec::new());
    let root = workspace("", &format!("{}/llms.txt", server.base_url));
    run(root.path(), None).unwrap();
    insta::assert_snapshot!("merged_pages", spec(root.path()));
    let requested: Vec<String> = server.recorded().into_iter().map(|r| r.uri).collect();
    assert!(
        !requested.iter().any(|u| u.contains("quickstart")),
        "a page that is not API reference was fetched"
    );
    assert_eq!(requested.len(), 1 + PAGES.len());
    let provenance = std::fs::read_to_string(provenance_path(root.path())).unwrap();
    assert_eq!(provenance.matches("sha256:").count(), 1 + PAGES.len(), "{provenance}");
}

#[test]
fn a_folder_of_pages_merges_like_the_index() {
    let server = docs_server(Vec::new());
    let via_index = workspace("", &format!("{}/llms.txt", server.base_url));
    run(via_index.path(), None).unwrap();

    let folder = tempfile::tempdir().unwrap();
    for (_, file) in PAGES {
        std::fs::write(folder.path().join(file), data(&format!("docs/{file}"))).unwrap();
    }
    let via_folder = workspace("", "unused");
    run(via_folder.path(), Some(&folder.path().display().to_string())).unwrap();
    assert!(spec(via_folder.path()) == spec(via_index.path()));
}

#[test]
fn a_single_docs_page_is_a_source_too() {
    let server = BlockingServer::start([(
        Method::GET,
        "/page.md",
        Canned::text(200, "text/markdown", data("docs/recorded-deletes-a-model-by-id.md")),
    )]);
    let root = workspace("", "unused");
    run(root.path(), Some(&format!("{}/page.md", server.base_url))).unwrap();
    let spec = spec(root.path());
    assert!(spec.contains("/v1/models/{model_id}:") && spec.contains("ApiKeyAuth"), "{spec}");
}

/// Pulls from `path` on a server with `routes` (plus the docs), and checks that the pull fails
/// with a message containing `expected` and the URL, leaving `openapi/` as it was.
fn assert_fails_untouched(routes: Vec<(Method, String, Canned)>, path: &str, expected: &str) {
    let server = docs_server(routes);
    let url = format!("{}{path}", server.base_url);
    assert_fails_untouched_at(&url, expected);
}

fn assert_fails_untouched_at(url: &str, expected: &str) {
    let root = workspace("", "unused");
    let before = openapi_files(root.path());
    let err = format!("{:#}", run(root.path(), Some(url)).unwrap_err());
    assert!(err.contains(expected), "expected `{expected}` in: {err}");
    assert!(err.contains(url) || err.contains("/reference/"), "the error names no URL: {err}");
    assert_eq!(openapi_files(root.path()), before, "openapi/ changed after: {err}");
}

fn get(path: &str, canned: Canned) -> (Method, String, Canned) {
    (Method::GET, path.to_owned(), canned)
}

#[test]
fn no_network_leaves_openapi_untouched() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    assert_fails_untouched_at(&format!("http://127.0.0.1:{port}/v1/spec"), "GET http://127.0.0.1");
}

#[test]
fn http_errors_leave_openapi_untouched_and_5xx_is_retried() {
    assert_fails_untouched(vec![], "/v1/missing", "HTTP 404");
    let server = BlockingServer::start([get("/v1/spec", Canned::text(503, "text/plain", "busy"))]);
    assert_fails_untouched_at(&format!("{}/v1/spec", server.base_url), "HTTP 503");
    assert_eq!(server.recorded().len(), 3, "a 503 is tried three times");
}

#[test]
fn malformed_and_non_openapi_documents_leave_openapi_untouched() {
    let bad = vec![
        get("/malformed.json", Canned::text(200, "application/json", "{\"openapi\": \"3.1.0\",")),
        get(
            "/swagger.json",
            Canned::text(200, "application/json", "{\"swagger\": \"2.0\", \"info\": {}, \"paths\": {}}"),
        ),
        get(
            "/dangling.json",
            Canned::text(
                200,
                "application/json",
                r##"{"openapi": "3.1.0", "info": {}, "paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/nope"}}}}}}"##,
            ),
        ),
    ];
    assert_fails_untouched(bad.clone(), "/malformed.json", "malformed JSON");
    assert_fails_untouched(bad.clone(), "/swagger.json", "not an OpenAPI document");
    assert_fails_untouched(bad, "/dangling.json", "points at nothing");
}

#[test]
fn index_faults_leave_openapi_untouched() {
    let page_without_yaml = "# Delete models\n\nNo document here.\n";
    let routes = vec![
        get("/no-api.txt", Canned::text(200, "text/plain", "- [Guide](/guides/quickstart.md)\n")),
        get(
            "/broken.txt",
            Canned::text(200, "text/plain", "- [Delete](/reference/management-api/empty.md)\n"),
        ),
        get("/reference/management-api/empty.md", Canned::text(200, "text/markdown", page_without_yaml)),
        get(
            "/conflict.txt",
            Canned::text(
                200,
                "text/plain",
                "- [A](/reference/management-api/models/deletes-a-model-by-id.md)\n- [B](/reference/management-api/conflicting.md)\n",
            ),
        ),
        get(
            "/reference/management-api/conflicting.md",
            Canned::text(200, "text/markdown", data("docs/conflicting-deletes-a-model-by-id.md")),
        ),
        get(
            "/mixed.txt",
            Canned::text(
                200,
                "text/plain",
                "- [A](/reference/management-api/models/gets-all-models.md)\n- [B](/reference/management-api/old.md)\n",
            ),
        ),
        get(
            "/reference/management-api/old.md",
            Canned::text(200, "text/markdown", data("docs/recorded-deletes-a-model-by-id.md")),
        ),
    ];
    assert_fails_untouched(routes.clone(), "/no-api.txt", "lists no API reference pages");
    assert_fails_untouched(routes.clone(), "/broken.txt", "the page has no ```yaml block");
    assert_fails_untouched(
        routes.clone(),
        "/conflict.txt",
        "component `schemas/ModelTombstoneV1` differs between",
    );
    assert_fails_untouched(routes.clone(), "/conflict.txt", "/reference/management-api/conflicting.md");
    assert_fails_untouched(routes, "/mixed.txt", "security differs between");
}

#[test]
fn an_endless_response_is_cut_off() {
    assert_fails_untouched(vec![get("/endless", Canned::endless())], "/endless", "larger than 32 MiB");
}

#[test]
fn the_pull_summary_carries_the_changelog() {
    let table = checked_in("baseten.operation-ids.yaml");
    let old = checked_in("baseten.yaml");
    let new = old.replacen(
        "      summary: Deletes a model by ID",
        "      summary: Deletes a model, given its ID",
        1,
    );
    let pulled = |spec: &str| Pulled {
        spec: spec.to_owned(),
        provenance: String::new(),
        operations: BTreeSet::new(),
        fetched_documents: 1,
        fetched_bytes: 0,
        overrides: None,
        dropped_overrides: Vec::new(),
    };
    let text = super::changelog(Some(&old), Some(&table), &pulled(&new));
    assert!(text.contains("no changes, 1 documentation edit"), "{text}");
    assert!(text.contains("DELETE /v1/models/{model_id}: `summary` changed"), "{text}");
    let text = super::changelog(Some("not: [a spec"), Some(&table), &pulled(&old));
    assert!(text.contains("(new file)"), "a spec that no longer loads is compared as absent: {text}");
}

/// Following upstream unattended, on two successive real revisions (044, then 045, which
/// removes `POST /v1/trainers/search`, an operation the table names): the first pull writes,
/// the second drops the override with the operation in the same write, a third changes no
/// byte and says "up to date"; `--pull --check` writes nothing and says whether upstream
/// differs.
#[test]
fn following_upstream_drops_the_overrides_of_removed_operations() {
    let revisions = modelhost_specdiff_tests::history();
    let (r044, r045) = (revisions[43].text.clone(), revisions[44].text.clone());
    let server = BlockingServer::start([
        (Method::GET, "/r044", Canned::text(200, "application/json", r044.clone())),
        (Method::GET, "/r045", Canned::text(200, "application/json", r045)),
    ]);
    let (url044, url045) = (format!("{}/r044", server.base_url), format!("{}/r045", server.base_url));
    let doc044: serde_json::Value = serde_json::from_str(&r044).unwrap();
    let (table, _) = modelhost_codegen::prune_overrides(&checked_in("baseten.operation-ids.yaml"), &doc044);
    let table = format!("{table}POST /v1/trainers/search: find_trainers\n");
    let root = workspace(&table, "https://unused.invalid/");
    let table_file = root.path().join("openapi/baseten.operation-ids.yaml");

    run(root.path(), Some(&url044)).unwrap();
    assert_eq!(std::fs::read_to_string(&table_file).unwrap(), table, "044 still has the operation");
    assert!(!check(root.path(), Some(&url045)).unwrap(), "045 differs");
    assert_eq!(std::fs::read_to_string(&table_file).unwrap(), table, "--check writes nothing");

    let pulled = pull(root.path(), Some(&url045)).unwrap();
    assert_eq!(pulled.dropped_overrides, ["POST /v1/trainers/search"]);
    let before = std::fs::read_to_string(BASETEN.spec_path(root.path())).unwrap();
    let said = summary(root.path(), Some(&before), &pulled, true);
    assert!(
        said.contains("override for `POST /v1/trainers/search` dropped: the operation was removed upstream"),
        "{said}"
    );
    run(root.path(), Some(&url045)).unwrap();
    let pruned = std::fs::read_to_string(&table_file).unwrap();
    assert_eq!(pruned, table.replace("POST /v1/trainers/search: find_trainers\n", ""));

    let files = openapi_files(root.path());
    let again = pull(root.path(), Some(&url045)).unwrap();
    let spec_now = std::fs::read_to_string(BASETEN.spec_path(root.path())).unwrap();
    assert!(summary(root.path(), Some(&spec_now), &again, false).ends_with("; up to date"));
    run(root.path(), Some(&url045)).unwrap();
    assert_eq!(openapi_files(root.path()), files, "a third pull changes no byte");
    assert!(check(root.path(), Some(&url045)).unwrap(), "up to date");
}

/// A new collision upstream fails the pull naming both operations and the line to add.
#[test]
fn a_new_collision_names_both_operations_and_the_line_to_add() {
    let mut doc: serde_json::Value = serde_json::from_str(&data(RECORDING)).unwrap();
    let item = doc["paths"]["/v1/models/{model_id}"].clone();
    doc["paths"]["/v1/models/{model_id}/"] = item; // the same name once the rule reads it
    let server = BlockingServer::start([(
        Method::GET,
        "/v1/spec",
        Canned::text(200, "application/json", doc.to_string()),
    )]);
    let root = workspace(&checked_in("baseten.operation-ids.yaml"), &format!("{}/v1/spec", server.base_url));
    let before = openapi_files(root.path());
    let err = format!("{:#}", run(root.path(), None).unwrap_err());
    assert!(err.contains("would both be named"), "{err}");
    assert!(err.contains("for example with the line `"), "{err}");
    assert_eq!(openapi_files(root.path()), before, "nothing is written");
}
