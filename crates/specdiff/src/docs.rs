//! Finding documentation-only edits: descriptions, summaries, titles, examples, external
//! docs, `x-` extensions and the `info` and `tags` sections. They change nothing a client
//! does, so they are listed apart from the changes and never raise the level.

use modelhost_codegen::operation_ids::{METHODS, operation_key};
use modelhost_codegen::pointer;
use serde_json::{Map, Value};

use crate::findings::DocChange;

/// Keys whose value is documentation wherever they appear as a field.
const DOC_KEYS: &[&str] = &["description", "summary", "title", "example", "examples", "externalDocs"];
/// Top-level sections that are documentation as a whole.
const DOC_SECTIONS: &[&str] = &["info", "tags", "externalDocs"];
/// Fields whose value is a map from names to objects: its keys are names, not fields.
const NAME_MAPS: &[&str] = &[
    "paths",
    "properties",
    "patternProperties",
    "responses",
    "content",
    "headers",
    "schemas",
    "parameters",
    "requestBodies",
    "securitySchemes",
    "links",
    "callbacks",
    "encoding",
    "variables",
    "webhooks",
    "pathItems",
    "$defs",
    "definitions",
    "mapping",
];

/// Lists the documentation edits between two documents. Only places both documents have
/// are compared: what was added or removed as a whole is a change, not a documentation edit.
pub fn documentation(base: &Value, rev: &Value) -> Vec<DocChange> {
    let mut out = Vec::new();
    if let (Value::Object(a), Value::Object(b)) = (base, rev) {
        for section in DOC_SECTIONS {
            field(&mut out, "", section, a.get(*section), b.get(*section));
        }
        let rest = |m: &Map<String, Value>| {
            let mut m = m.clone();
            m.retain(|k, _| !DOC_SECTIONS.contains(&k.as_str()));
            Value::Object(m)
        };
        walk(&mut out, &rest(a), &rest(b), "", false);
    }
    for change in &mut out {
        change.operation = operation_of(&change.pointer);
    }
    out
}

fn walk(out: &mut Vec<DocChange>, a: &Value, b: &Value, at: &str, names: bool) {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            let keys = a.keys().chain(b.keys().filter(|k| !a.contains_key(*k)));
            for key in keys {
                let documentation = !names && (DOC_KEYS.contains(&key.as_str()) || key.starts_with("x-"));
                if documentation {
                    field(out, at, key, a.get(key), b.get(key));
                } else if let (Some(x), Some(y)) = (a.get(key), b.get(key)) {
                    let child_names = !names && NAME_MAPS.contains(&key.as_str());
                    walk(out, x, y, &pointer::push(at, key), child_names);
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            // Parameters (and other named entries) are paired by name, so reordering them does
            // not compare one parameter's description with another's.
            let identity = |v: &Value| Some((v.get("name")?.as_str()?.to_owned(), v.get("in").cloned()));
            for (j, y) in b.iter().enumerate() {
                let x = match identity(y) {
                    Some(id) => a.iter().find(|x| identity(x).as_ref() == Some(&id)),
                    None => a.get(j),
                };
                if let Some(x) = x {
                    walk(out, x, y, &pointer::push_index(at, j), false);
                }
            }
        }
        _ => {}
    }
}

fn field(out: &mut Vec<DocChange>, at: &str, key: &str, a: Option<&Value>, b: Option<&Value>) {
    let what = match (a, b) {
        (Some(a), Some(b)) if a == b => return,
        (None, None) => return,
        (Some(_), Some(_)) => "changed",
        (None, Some(_)) => "added",
        (Some(_), None) => "removed",
    };
    out.push(DocChange {
        pointer: pointer::push(at, key),
        operation: None,
        message: format!("`{key}` {what}"),
    });
}

/// `GET /path` for a pointer inside an operation.
fn operation_of(at: &str) -> Option<String> {
    let mut tokens = at.strip_prefix("/paths/")?.split('/');
    let path = tokens.next()?.replace("~1", "/").replace("~0", "~");
    let method = tokens.next().filter(|m| METHODS.contains(m))?;
    Some(operation_key(method, &path))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn property_names_are_not_documentation_fields() {
        let a =
            json!({"components": {"schemas": {"M": {"properties": {"description": {"type": "string"}}}}}});
        let b = json!({"components": {"schemas": {"M": {"properties": {"description": {"type": "string", "description": "d"}}}}}});
        let found = documentation(&a, &b);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].pointer, "/components/schemas/M/properties/description/description");
        assert_eq!(found[0].message, "`description` added");
    }

    #[test]
    fn names_the_operation() {
        let a = json!({"paths": {"/m/{id}": {"delete": {"summary": "a"}}}});
        let b = json!({"paths": {"/m/{id}": {"delete": {"summary": "b"}}}});
        let found = documentation(&a, &b);
        assert_eq!(found[0].operation.as_deref(), Some("DELETE /m/{id}"));
    }
}
