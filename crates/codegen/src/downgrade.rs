//! Translating an OpenAPI 3.1 document into the 3.0 dialect that openapiv3 and typify read.
//!
//! Meaning is kept: a `null` branch becomes `nullable`, `const` a one-value `enum`, numeric
//! exclusive bounds become boolean ones, and a `$ref` with sibling keys keeps them through
//! `allOf`. Annotations 3.0 cannot hold (`$schema`, `$id`, `examples` beyond the first) are
//! dropped. Inline schemas lose their `title`, because typify would name types after it and
//! Pydantic gives many unrelated properties the same title. What cannot be translated is an
//! error naming its JSON pointer.

use std::cell::RefCell;
use std::path::Path;

use serde_json::{Map, Value, json};

use crate::error::{Result, SpecError};
use crate::openapi::{Step, walk_mut};
use crate::{defaults, pointer};

/// Keywords of JSON Schema 2020-12 that have no 3.0 equivalent and change what is valid.
const UNTRANSLATABLE: &[&str] = &[
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedProperties",
    "unevaluatedItems",
    "prefixItems",
    "patternProperties",
    "contains",
    "propertyNames",
    "$dynamicRef",
];

/// Annotations without a 3.0 equivalent, dropped without changing what is valid.
const DROPPED_ANNOTATIONS: &[&str] =
    &["$schema", "$id", "$anchor", "$comment", "$dynamicAnchor", "contentMediaType", "contentEncoding"];

/// Keys that only document a schema; with a `$ref` they do not change the referenced type.
const DOC_KEYS: &[&str] = &["title", "description", "summary"];

/// Rewrites `doc` in place from OpenAPI 3.1 (or 3.0) into OpenAPI 3.0.3. Returns the JSON
/// pointers of the `default`s it dropped because they are not valid for their schema.
pub fn downgrade(file: &Path, doc: &mut Value) -> Result<Vec<String>> {
    let original = doc.clone();
    let cx = Context { file, original: &original, dropped_defaults: RefCell::default() };
    let Some(top) = doc.as_object_mut() else {
        return Err(SpecError::file(file, "the top level is not a mapping"));
    };
    top.insert("openapi".into(), json!("3.0.3"));
    top.remove("jsonSchemaDialect");
    top.remove("webhooks");
    if let Some(info) = top.get_mut("info").and_then(Value::as_object_mut) {
        info.remove("summary");
        if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut) {
            license.remove("identifier");
        }
    }
    if let Some(components) = top.get_mut("components").and_then(Value::as_object_mut) {
        components.remove("pathItems");
        if let Some(schemas) = components.get_mut("schemas").and_then(Value::as_object_mut) {
            for (name, schema) in schemas.iter_mut() {
                let at = pointer::push("/components/schemas", name);
                adapt_schema(&cx, schema, &at, true)?;
            }
        }
    }
    find_schemas(&cx, doc)?;
    Ok(cx.dropped_defaults.into_inner())
}

/// What every step needs: the file for errors, the untouched document for `$ref`s, and
/// where to note the defaults that were dropped.
struct Context<'a> {
    file: &'a Path,
    original: &'a Value,
    dropped_defaults: RefCell<Vec<String>>,
}

/// Finds the schemas of parameters, bodies, responses and headers under `paths` and
/// `components`, outside `components/schemas` (translated already), and translates them.
fn find_schemas(cx: &Context<'_>, doc: &mut Value) -> Result<()> {
    let mut failed = None;
    walk_mut(doc, |at, node| {
        let pointer = at.pointer();
        let top = pointer.is_empty() || pointer == "/paths" || pointer == "/components";
        if at.is_data()
            || pointer == "/components/schemas"
            || (!top && !pointer.starts_with("/paths/") && !pointer.starts_with("/components/"))
        {
            return Step::Over;
        }
        if at.key() != Some("schema") {
            return Step::Into;
        }
        match adapt_schema(cx, node, pointer, false) {
            Ok(()) => Step::Over,
            Err(e) => {
                failed = Some(e);
                Step::Stop
            }
        }
    });
    failed.map_or(Ok(()), Err)
}

/// Translates one schema and, first, all of its subschemas.
fn adapt_schema(cx: &Context<'_>, schema: &mut Value, at: &str, component_root: bool) -> Result<()> {
    let file = cx.file;
    match schema {
        Value::Bool(true) => {
            *schema = json!({});
            return Ok(());
        }
        Value::Bool(false) => {
            *schema = json!({"not": {}});
            return Ok(());
        }
        Value::Object(_) => {}
        _ => return Err(SpecError::at(file, at, "a schema must be a mapping or a boolean")),
    }
    // Judged on the schema as written, before it or its subschemas are translated.
    let default_ok = schema.get("default").is_none_or(|d| defaults::accepts(cx.original, schema, d));
    let Value::Object(map) = schema else { unreachable!("checked above") };
    if !default_ok {
        map.remove("default");
        cx.dropped_defaults.borrow_mut().push(pointer::push(at, "default"));
    }
    adapt_subschemas(cx, map, at)?;

    if let Some(key) = UNTRANSLATABLE.iter().find(|k| map.contains_key(**k)) {
        return Err(SpecError::at(
            file,
            pointer::push(at, key),
            format!(
                "`{key}` (JSON Schema 2020-12) has no OpenAPI 3.0 equivalent; rewrite the schema without it"
            ),
        ));
    }
    for key in DROPPED_ANNOTATIONS {
        map.remove(*key);
    }
    if !component_root {
        map.remove("title");
    }
    examples_to_example(map);
    const_to_enum(map);
    type_list_to_nullable(file, map, at)?;
    exclusive_bounds(file, map, at)?;
    null_branches_to_nullable(map);
    ref_siblings_to_all_of(map);
    Ok(())
}

fn adapt_subschemas(cx: &Context<'_>, map: &mut Map<String, Value>, at: &str) -> Result<()> {
    let file = cx.file;
    if let Some(props) = map.get_mut("properties").and_then(Value::as_object_mut) {
        let props_at = pointer::push(at, "properties");
        for (name, sub) in props.iter_mut() {
            adapt_schema(cx, sub, &pointer::push(&props_at, name), false)?;
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        match map.get_mut(key) {
            Some(Value::Array(_)) => {
                return Err(SpecError::at(
                    file,
                    pointer::push(at, key),
                    format!("`{key}` as a list (a tuple) has no OpenAPI 3.0 equivalent"),
                ));
            }
            // `additionalProperties: true/false` is valid 3.0 as it stands.
            Some(Value::Bool(_)) if key == "additionalProperties" => {}
            Some(sub) => adapt_schema(cx, sub, &pointer::push(at, key), false)?,
            None => {}
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(list) = map.get_mut(key) {
            let Some(list) = list.as_array_mut() else {
                return Err(SpecError::at(file, pointer::push(at, key), format!("`{key}` must be a list")));
            };
            let list_at = pointer::push(at, key);
            for (i, sub) in list.iter_mut().enumerate() {
                adapt_schema(cx, sub, &pointer::push_index(&list_at, i), false)?;
            }
        }
    }
    Ok(())
}

/// `examples: [a, b]` (3.1) becomes `example: a` (3.0).
fn examples_to_example(map: &mut Map<String, Value>) {
    if let Some(Value::Array(examples)) = map.remove("examples")
        && let Some(first) = examples.into_iter().next()
    {
        map.entry("example").or_insert(first);
    }
}

/// `const: v` becomes `enum: [v]`, with the `type` that `v` has when none is given.
fn const_to_enum(map: &mut Map<String, Value>) {
    let Some(value) = map.remove("const") else { return };
    if !map.contains_key("type")
        && let Some(t) = json_type_of(&value)
    {
        map.insert("type".into(), json!(t));
    }
    map.entry("enum").or_insert_with(|| json!([value]));
}

fn json_type_of(value: &Value) -> Option<&'static str> {
    Some(match value {
        Value::String(_) => "string",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => return None,
    })
}

/// `type: [T, "null"]` becomes `type: T, nullable: true`.
fn type_list_to_nullable(file: &Path, map: &mut Map<String, Value>, at: &str) -> Result<()> {
    let Some(Value::Array(types)) = map.get("type") else { return Ok(()) };
    let nullable = types.iter().any(|t| t == "null");
    let rest: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
    match rest.as_slice() {
        [] => {
            map.remove("type");
        }
        [single] => {
            map.insert("type".into(), single.clone());
        }
        _ => {
            return Err(SpecError::at(
                file,
                pointer::push(at, "type"),
                "a list of several non-null types has no OpenAPI 3.0 equivalent; use `anyOf`",
            ));
        }
    }
    if nullable {
        map.insert("nullable".into(), json!(true));
    }
    Ok(())
}

/// Numeric `exclusiveMinimum: n` (3.1) becomes `minimum: n, exclusiveMinimum: true` (3.0).
fn exclusive_bounds(file: &Path, map: &mut Map<String, Value>, at: &str) -> Result<()> {
    for (exclusive, inclusive) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if !map.get(exclusive).is_some_and(Value::is_number) {
            continue;
        }
        if map.contains_key(inclusive) {
            return Err(SpecError::at(
                file,
                pointer::push(at, exclusive),
                format!(
                    "both `{exclusive}` and `{inclusive}` are set; OpenAPI 3.0 can express only one bound"
                ),
            ));
        }
        let bound = map.remove(exclusive).expect("checked above");
        map.insert(inclusive.into(), bound);
        map.insert(exclusive.into(), json!(true));
    }
    Ok(())
}

fn is_null_schema(schema: &Value) -> bool {
    schema.get("type").is_some_and(|t| t == "null")
        && schema.as_object().is_some_and(|m| m.keys().all(|k| k == "type" || DOC_KEYS.contains(&k.as_str())))
}

/// `anyOf`/`oneOf` with a `{type: null}` branch loses the branch and gains `nullable: true`;
/// a single branch that remains is merged into the schema (or kept in `allOf` if it is a
/// `$ref` or would clash with the schema's own keys).
fn null_branches_to_nullable(map: &mut Map<String, Value>) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(branches)) = map.get_mut(key) else { continue };
        let before = branches.len();
        branches.retain(|b| !is_null_schema(b));
        if branches.len() == before {
            continue;
        }
        map.insert("nullable".into(), json!(true));
        let Some(Value::Array(mut branches)) = map.remove(key) else { unreachable!("matched above") };
        match branches.len() {
            0 => {}
            1 => {
                let branch = branches.pop().expect("one branch");
                merge_single_branch(map, branch);
            }
            _ => {
                map.insert(key.into(), Value::Array(branches));
            }
        }
    }
}

fn merge_single_branch(map: &mut Map<String, Value>, branch: Value) {
    let clashes =
        branch.as_object().is_some_and(|b| b.contains_key("$ref") || b.keys().any(|k| map.contains_key(k)));
    match branch {
        Value::Object(b) if !clashes => map.extend(b),
        other => {
            map.insert("allOf".into(), json!([other]));
        }
    }
}

/// A `$ref` with sibling keys other than documentation moves into `allOf`, so that 3.0
/// readers (which ignore a `$ref`'s siblings) keep `default`, `nullable` and the rest.
fn ref_siblings_to_all_of(map: &mut Map<String, Value>) {
    if !map.contains_key("$ref") || map.keys().all(|k| k == "$ref" || DOC_KEYS.contains(&k.as_str())) {
        return;
    }
    let target = map.remove("$ref").expect("checked above");
    match map.get_mut("allOf") {
        Some(Value::Array(list)) => list.push(json!({"$ref": target})),
        _ => {
            map.insert("allOf".into(), json!([{"$ref": target}]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adapt(schema: Value) -> Value {
        let mut doc = json!({"openapi": "3.1.0", "info": {}, "paths": {},
            "components": {"schemas": {"S": schema, "R": {"type": "string", "enum": ["a", "b"]}}}});
        downgrade(Path::new("t.yaml"), &mut doc).unwrap();
        doc["components"]["schemas"]["S"].take()
    }

    #[test]
    fn invalid_defaults_are_dropped_and_reported_valid_ones_kept() {
        let mut doc = json!({"openapi": "3.1.0", "info": {}, "paths": {}, "components": {"schemas": {"S": {"properties": {
            "a": {"type": "integer", "default": null},
            "b": {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": null},
            "c": {"type": "string", "enum": ["x"], "default": "y"}}}}}});
        let dropped = downgrade(Path::new("t.yaml"), &mut doc).unwrap();
        assert_eq!(
            dropped,
            ["/components/schemas/S/properties/a/default", "/components/schemas/S/properties/c/default"]
        );
        assert_eq!(doc["components"]["schemas"]["S"]["properties"]["b"]["default"], Value::Null);
        assert!(doc["components"]["schemas"]["S"]["properties"]["b"].get("default").is_some());
    }

    #[test]
    fn nullable_any_of_with_a_ref_keeps_the_ref_in_all_of() {
        let out = adapt(
            json!({"anyOf": [{"$ref": "#/components/schemas/R"}, {"type": "null"}], "default": null, "title": "S"}),
        );
        assert_eq!(
            out,
            json!({"allOf": [{"$ref": "#/components/schemas/R"}], "nullable": true, "default": null, "title": "S"})
        );
    }

    #[test]
    fn nullable_any_of_with_an_inline_schema_is_merged() {
        let out = adapt(
            json!({"properties": {"n": {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "null"}], "title": "N", "default": 3}}}),
        );
        assert_eq!(
            out["properties"]["n"],
            json!({"type": "integer", "minimum": 1, "nullable": true, "default": 3})
        );
    }

    #[test]
    fn type_lists_const_examples_and_exclusive_bounds() {
        let out = adapt(json!({"type": ["number", "null"], "exclusiveMinimum": 0, "examples": [1.5, 2]}));
        assert_eq!(
            out,
            json!({"type": "number", "nullable": true, "minimum": 0, "exclusiveMinimum": true, "example": 1.5})
        );
        let out = adapt(json!({"const": "model", "$schema": "x", "$id": "y"}));
        assert_eq!(out, json!({"type": "string", "enum": ["model"]}));
    }

    #[test]
    fn ref_with_default_moves_into_all_of_but_doc_only_siblings_stay() {
        let out = adapt(
            json!({"properties": {"r": {"$ref": "#/components/schemas/R", "default": "a", "description": "d"}}}),
        );
        assert_eq!(
            out["properties"]["r"],
            json!({"allOf": [{"$ref": "#/components/schemas/R"}], "default": "a", "description": "d"})
        );
        let out = adapt(json!({"properties": {"r": {"$ref": "#/components/schemas/R", "description": "d"}}}));
        assert_eq!(out["properties"]["r"], json!({"$ref": "#/components/schemas/R", "description": "d"}));
    }

    #[test]
    fn untranslatable_keywords_name_their_pointer() {
        let mut doc = json!({"openapi": "3.1.0", "info": {}, "paths": {"/a": {"get": {"responses": {"200": {"description": "",
            "content": {"application/json": {"schema": {"properties": {"x": {"prefixItems": [{"type": "string"}]}}}}}}}}}}});
        let err = downgrade(Path::new("t.yaml"), &mut doc).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.yaml#/paths/~1a/get/responses/200/content/application~1json/schema/properties/x/prefixItems: \
             `prefixItems` (JSON Schema 2020-12) has no OpenAPI 3.0 equivalent; rewrite the schema without it"
        );
    }
}
