//! Checking that every `$ref` in a document points at something inside it.

use std::path::Path;

use serde_json::Value;

use crate::error::{Result, SpecError};
use crate::pointer;

/// Fails on the first `$ref` that is not a local reference (`#/…`) to an existing node.
pub fn check_refs(file: &Path, doc: &Value) -> Result<()> {
    walk(file, doc, doc, "")
}

fn walk(file: &Path, doc: &Value, node: &Value, at: &str) -> Result<()> {
    match node {
        Value::Object(map) => {
            if let Some(target) = map.get("$ref") {
                check_one(file, doc, target, &pointer::push(at, "$ref"))?;
            }
            for (key, child) in map {
                walk(file, doc, child, &pointer::push(at, key))?;
            }
            Ok(())
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, child)| walk(file, doc, child, &pointer::push_index(at, i))),
        _ => Ok(()),
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
