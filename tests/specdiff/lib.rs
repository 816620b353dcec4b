//! Helpers for the tests and the benchmark of `modelhost-specdiff`: where the spec pairs are,
//! and how to read one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// `tests/specdiff/`.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_owned()
}

/// A base and a revised document, with what comparing them must find.
#[derive(Debug)]
pub struct Pair {
    /// The file's name without `.yaml`: the rule it shows, or what it is about.
    pub name: String,
    /// Rule id → level name, exactly what must be found.
    pub expect: BTreeMap<String, String>,
    /// How many documentation edits must be found.
    pub documentation: usize,
    /// What deprecations are held to (`deprecation_days: N` in the pair; none by default).
    pub policy: modelhost_specdiff::Policy,
    /// The base document.
    pub base: Value,
    /// The revised document.
    pub revision: Value,
}

/// Every pair in `tests/specdiff/pairs/`, by name.
pub fn pairs() -> Vec<Pair> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir().join("pairs"))
        .expect("tests/specdiff/pairs exists")
        .map(|entry| entry.expect("a readable folder entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files.iter().map(|file| read_pair(file)).collect()
}

fn read_pair(file: &Path) -> Pair {
    let text = std::fs::read_to_string(file).expect("a readable pair");
    let mut value: Value =
        serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{}: not YAML: {e}", file.display()));
    let mut take = |key: &str| value.get_mut(key).map(Value::take).unwrap_or(Value::Null);
    let expect: BTreeMap<String, String> = serde_json::from_value(take("expect"))
        .unwrap_or_else(|e| panic!("{}: `expect` must map rule ids to levels: {e}", file.display()));
    let documentation = take("documentation").as_u64().unwrap_or(0) as usize;
    let days = take("deprecation_days");
    let deprecation_days = serde_json::from_value::<Option<u32>>(days)
        .unwrap_or_else(|e| panic!("{}: `deprecation_days` must be a number of days: {e}", file.display()))
        .unwrap_or(0);
    let policy = modelhost_specdiff::Policy { deprecation_days };
    let (base, revision) = (take("base"), take("revision"));
    for (side, doc) in [("base", &base), ("revision", &revision)] {
        modelhost_codegen::check_refs(file, doc)
            .unwrap_or_else(|e| panic!("{}: the {side} is not a valid document: {e}", file.display()));
    }
    let name = file.file_stem().and_then(|s| s.to_str()).expect("a UTF-8 file name").to_owned();
    Pair { name, expect, documentation, policy, base, revision }
}

/// A synthetic spec for the benchmark: `resources` resources, each with a collection (list,
/// create) and an item (get, update, delete), so `5 × resources` operations, and a component
/// schema per resource with `properties` described properties.
pub fn synthetic_spec(resources: usize, properties: usize) -> Value {
    use serde_json::json;
    let mut paths = serde_json::Map::new();
    let mut schemas = serde_json::Map::new();
    for r in 0..resources {
        let name = format!("Resource{r}");
        let reference = json!({"$ref": format!("#/components/schemas/{name}")});
        let props: serde_json::Map<String, Value> = (0..properties)
            .map(|p| {
                let schema = match p % 4 {
                    0 => json!({"type": "string", "description": format!("Field {p} of resource {r}, as text.")}),
                    1 => json!({"type": "integer", "format": "int64", "description": format!("Field {p}, a count.")}),
                    2 => json!({"type": "string", "enum": ["ACTIVE", "DELETED", "PENDING"], "description": "A state."}),
                    _ => json!({"type": ["string", "null"], "format": "date-time", "description": "When, if ever."}),
                };
                (format!("field_{p}"), schema)
            })
            .collect();
        let required: Vec<String> = (0..properties).step_by(3).map(|p| format!("field_{p}")).collect();
        schemas.insert(name.clone(), json!({"type": "object", "description": format!("Resource {r}."), "required": required, "properties": props}));
        let ok = |what: &str| json!({"description": what, "content": {"application/json": {"schema": reference.clone()}}});
        let errors = json!({"401": {"description": "Unauthenticated."}, "404": {"description": "Not found."}, "429": {"description": "Too many requests."}});
        let with_errors = |mut responses: Value| {
            responses.as_object_mut().unwrap().extend(errors.as_object().unwrap().clone());
            responses
        };
        let id = json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}, "description": "The id."}]);
        let body = json!({"required": true, "content": {"application/json": {"schema": reference.clone()}}});
        paths.insert(format!("/v1/resources{r}"), json!({
            "get": {"summary": format!("List resource {r}"), "parameters": [
                {"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int32"}},
                {"name": "cursor", "in": "query", "schema": {"type": "string"}}],
                "responses": with_errors(json!({"200": {"description": "A page.", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": reference.clone()}, "next": {"type": ["string", "null"]}}}}}}}))},
            "post": {"summary": format!("Create resource {r}"), "requestBody": body.clone(), "responses": with_errors(json!({"201": ok("Created.")}))},
        }));
        paths.insert(format!("/v1/resources{r}/{{id}}"), json!({
            "parameters": id,
            "get": {"summary": format!("Get resource {r}"), "responses": with_errors(json!({"200": ok("The resource.")}))},
            "patch": {"summary": format!("Update resource {r}"), "requestBody": body, "responses": with_errors(json!({"200": ok("Updated.")}))},
            "delete": {"summary": format!("Delete resource {r}"), "responses": with_errors(json!({"204": {"description": "Deleted."}}))},
        }));
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Synthetic", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    })
}

/// A revision of a synthetic spec touching one resource in `every`: an operation removed, a
/// required parameter added, a property's type changed, one made required, an enum value
/// added and a description edited.
pub fn revise_synthetic(spec: &Value, every: usize) -> Value {
    let mut rev = spec.clone();
    let resources = rev["components"]["schemas"].as_object().map_or(0, serde_json::Map::len);
    for r in (0..resources).step_by(every) {
        let item = format!("/v1/resources{r}/{{id}}");
        rev["paths"][&item].as_object_mut().unwrap().remove("patch");
        let list = &mut rev["paths"][format!("/v1/resources{r}")]["get"]["parameters"];
        list.as_array_mut().unwrap().push(serde_json::json!({"name": "team", "in": "query", "required": true, "schema": {"type": "string"}}));
        let schema = &mut rev["components"]["schemas"][format!("Resource{r}")];
        schema["properties"]["field_1"]["type"] = "string".into();
        schema["properties"]["field_2"]["enum"].as_array_mut().unwrap().push("ARCHIVED".into());
        schema["required"].as_array_mut().unwrap().push("field_4".into());
        schema["description"] = format!("Resource {r}, revised.").into();
    }
    rev
}

/// Keys whose edits are documentation, not contract: left out when counting real edits.
const DOCUMENTATION: &[&str] =
    &["description", "summary", "title", "example", "examples", "tags", "externalDocs"];

/// How many real edits turn `base` into `rev`: the distinct places a person edited, where a
/// place is a property, parameter, response, operation, security requirement or top-level
/// key, found with a structural diff that ignores documentation and `x-` extensions. An edit
/// to a shared component counts once, however many operations use it; `Optional[X] = None`
/// (the property leaves `required` and gains a null branch) counts once.
pub fn real_edits(base: &Value, rev: &Value) -> usize {
    let mut places = std::collections::BTreeSet::new();
    edit_places(base, rev, "", &mut places);
    places.len()
}

fn edit_places(a: &Value, b: &Value, at: &str, places: &mut std::collections::BTreeSet<String>) {
    if a == b {
        return;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                if DOCUMENTATION.contains(&key.as_str()) || key.starts_with("x-") {
                    continue;
                }
                let child = modelhost_codegen::pointer::push(at, key);
                match (x.get(key), y.get(key)) {
                    (Some(u), Some(v)) if key == "required" && u.is_array() && v.is_array() => {
                        // A property entering or leaving `required` is an edit of that property.
                        let names = |v: &Value| -> std::collections::BTreeSet<String> {
                            v.as_array()
                                .into_iter()
                                .flatten()
                                .filter_map(Value::as_str)
                                .map(str::to_owned)
                                .collect()
                        };
                        for name in names(u).symmetric_difference(&names(v)) {
                            places.insert(unit(&format!("{at}/properties/{name}")));
                        }
                    }
                    (Some(u), Some(v)) => edit_places(u, v, &child, places),
                    _ => {
                        places.insert(unit(&child));
                    }
                }
            }
        }
        _ => {
            places.insert(unit(at));
        }
    }
}

/// The place an edit at `pointer` belongs to: the deepest named property, parameter,
/// response or operation above it (or the top-level key).
fn unit(pointer: &str) -> String {
    let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
    let mut end = tokens.len().min(1);
    for (i, pair) in tokens.windows(2).enumerate() {
        if matches!(
            pair[0],
            "properties" | "parameters" | "responses" | "schemas" | "securitySchemes" | "paths"
        ) || (i == 1 && tokens[0] == "paths")
        {
            end = i + 2;
        }
    }
    tokens[..end.min(tokens.len())].join("/")
}

/// One revision of Baseten's published spec, from `history/revisions-001-060.tar.xz`.
#[derive(Debug, Clone)]
pub struct Revision {
    /// The file's name, `NNN-DATE-HASH.json` (named `.yaml` in the archive, but JSON).
    pub name: String,
    /// Its text (JSON).
    pub text: String,
}

/// The sixty vendored revisions of Baseten's spec, in order.
pub fn history() -> Vec<Revision> {
    let packed = std::fs::read(dir().join("history/revisions-001-060.tar.xz")).expect("the vendored history");
    let mut tar = Vec::new();
    lzma_rs::xz_decompress(&mut packed.as_slice(), &mut tar).expect("a valid xz archive");
    let mut archive = tar::Archive::new(tar.as_slice());
    let mut revisions: Vec<Revision> = archive
        .entries()
        .expect("a valid tar archive")
        .map(|entry| {
            let mut entry = entry.expect("a readable entry");
            let name = entry.path().expect("a file name").to_string_lossy().into_owned();
            let mut text = String::new();
            std::io::Read::read_to_string(&mut entry, &mut text).expect("UTF-8 text");
            Revision { name, text }
        })
        .filter_map(|r| Some(Revision { name: format!("{}.json", r.name.strip_suffix(".yaml")?), ..r }))
        .collect();
    revisions.sort_by(|a, b| a.name.cmp(&b.name));
    revisions
}
