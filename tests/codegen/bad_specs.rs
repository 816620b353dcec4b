//! Bad specs give one clear error naming the file and the place, through the same library
//! the build scripts and `cargo xtask codegen` call.

use std::path::Path;

use modelhost_codegen::{BASETEN, Location, REPLICATE, SpecError};

/// A workspace-like folder with `openapi/replicate.yaml` holding `spec`.
fn root_with(spec: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("openapi")).unwrap();
    std::fs::write(dir.path().join("openapi/replicate.yaml"), spec).unwrap();
    dir
}

fn generate_err(spec: &str) -> SpecError {
    let root = root_with(spec);
    let err = REPLICATE.generate(root.path()).unwrap_err();
    assert!(err.file.ends_with("openapi/replicate.yaml"), "{err}");
    err
}

const HEAD: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";

#[test]
fn malformed_yaml_names_line_and_column() {
    let err = generate_err(&format!("{HEAD}paths:\n  /a: {{get: [\n"));
    assert!(matches!(err.location, Location::Line { line: 5, .. }), "{err}");
    assert!(err.to_string().contains("malformed YAML"), "{err}");
}

#[test]
fn an_unknown_ref_names_its_pointer() {
    let err = generate_err(&format!(
        "{HEAD}paths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200': {{$ref: '#/components/responses/Gone'}}\n"
    ));
    assert_eq!(err.location, Location::Pointer("/paths/~1a/get/responses/200/$ref".into()));
    assert!(err.message.contains("#/components/responses/Gone"), "{err}");
}

#[test]
fn an_untranslatable_construct_names_its_pointer() {
    let err = generate_err(&format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    P:\n      type: array\n      prefixItems: [{{type: string}}]\n"
    ));
    assert_eq!(err.location, Location::Pointer("/components/schemas/P/prefixItems".into()));
}

#[test]
fn a_failure_inside_progenitor_is_located_not_opaque() {
    // A JSON body without a schema makes progenitor panic; the error names the path instead.
    let err = generate_err(&format!(
        "{HEAD}paths:\n  /ok:\n    get:\n      operationId: ok\n      responses:\n        '204': {{description: ''}}\n  /bad:\n    get:\n      operationId: bad\n      responses:\n        '200':\n          description: ''\n          content:\n            application/json: {{}}\n"
    ));
    assert_eq!(err.location, Location::Pointer("/paths/~1bad".into()), "{err}");
}

#[test]
fn operation_id_collisions_name_both_operations() {
    let err = generate_err(&format!(
        "{HEAD}paths:\n  /things:\n    post: {{responses: {{'204': {{description: ''}}}}}}\n  /things/{{id}}:\n    post:\n      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]\n      responses: {{'204': {{description: ''}}}}\n"
    ));
    assert!(
        err.message.contains("`POST /things` and `POST /things/{id}` would both be named `create_thing`"),
        "{err}"
    );
}

#[test]
fn a_stale_override_is_refused() {
    let root = root_with("");
    std::fs::write(
        root.path().join("openapi/baseten.yaml"),
        format!("{HEAD}paths:\n  /a:\n    get: {{responses: {{'204': {{description: ''}}}}}}\n"),
    )
    .unwrap();
    std::fs::write(root.path().join("openapi/baseten.operation-ids.yaml"), "GET /gone: get_gone\n").unwrap();
    let err = BASETEN.generate(root.path()).unwrap_err();
    assert!(err.file.ends_with(Path::new("openapi/baseten.operation-ids.yaml")), "{err}");
    assert!(err.message.contains("GET /gone"), "{err}");
}

#[test]
fn a_document_that_is_not_openapi_is_refused() {
    let err = generate_err("swagger: '2.0'\ninfo: {}\npaths: {}\n");
    assert!(err.message.contains("not an OpenAPI document"), "{err}");
}
