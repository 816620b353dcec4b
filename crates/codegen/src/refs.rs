//! Checking that every `$ref` in a document points at something inside it.

use std::path::Path;

use serde_json::Value;

use crate::error::{Result, SpecError};
use crate::pointer;

/// Fails on the first `$ref` that is not a local reference (`#/…`) to an existing node.
pub fn check_refs(file: &Path, doc: &Value) -> Result<()> {
    match find_bad_ref(doc, doc) {
        None => Ok(()),
        Some(bad) => {
            // Found without spelling out pointers (specs are large); now find where it is.
            let at = locate(doc, bad, String::new()).unwrap_or_default();
            check_one(file, doc, bad.get("$ref").unwrap_or(&Value::Null), &pointer::push(&at, "$ref"))
        }
    }
}

/// The first object whose `$ref` is bad.
fn find_bad_ref<'a>(doc: &Value, node: &'a Value) -> Option<&'a Value> {
    match node {
        Value::Object(map) => {
            if map.get("$ref").is_some_and(|target| !is_good_ref(doc, target)) {
                return Some(node);
            }
            map.values().find_map(|child| find_bad_ref(doc, child))
        }
        Value::Array(items) => items.iter().find_map(|child| find_bad_ref(doc, child)),
        _ => None,
    }
}

fn is_good_ref(doc: &Value, target: &Value) -> bool {
    target.as_str().and_then(|t| t.strip_prefix('#')).is_some_and(|fragment| doc.pointer(fragment).is_some())
}

/// The pointer of `wanted` (by identity) inside `node`.
fn locate(node: &Value, wanted: &Value, at: String) -> Option<String> {
    if std::ptr::eq(node, wanted) {
        return Some(at);
    }
    match node {
        Value::Object(map) => {
            map.iter().find_map(|(key, child)| locate(child, wanted, pointer::push(&at, key)))
        }
        Value::Array(items) => {
            items.iter().enumerate().find_map(|(i, child)| locate(child, wanted, pointer::push_index(&at, i)))
        }
        _ => None,
    }
}

fn check_one(file: &Path, doc: &Value, target: &Value, at: &str) -> Result<()> {
    let Some(target) = target.as_str() else {
        return Err(SpecError::at(file, at, "`$ref` must be a string"));
    };
    let Some(fragment) = target.strip_prefix('#') else {
        return Err(SpecError::at(
            file,
            at,
            format!(
                "`$ref: {target}` points outside this document; only local references (`#/…`) are supported"
            ),
        ));
    };
    if doc.pointer(fragment).is_none() {
        return Err(SpecError::at(file, at, format!("`$ref: {target}` points at nothing in this document")));
    }
    Ok(())
}

/// Resolves a local `$ref` string to the node it names, if any.
pub fn resolve<'a>(doc: &'a Value, target: &str) -> Option<&'a Value> {
    doc.pointer(target.strip_prefix('#')?)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn names_the_dangling_ref() {
        let doc = json!({"paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/Nope"}}}}}});
        let err = check_refs(Path::new("s.yaml"), &doc).unwrap_err();
        assert_eq!(
            err.to_string(),
            "s.yaml#/paths/~1a/get/responses/200/$ref: `$ref: #/components/responses/Nope` points at nothing in this document"
        );
    }

    #[test]
    fn refuses_external_refs_and_accepts_local_ones() {
        let doc = json!({"components": {"schemas": {"A": {"type": "string"}}}, "x": {"$ref": "#/components/schemas/A"}});
        check_refs(Path::new("s.yaml"), &doc).unwrap();
        let doc = json!({"x": {"$ref": "other.yaml#/A"}});
        let err = check_refs(Path::new("s.yaml"), &doc).unwrap_err();
        assert!(err.message.contains("points outside this document"), "{err}");
    }
}
