//! Checking that every `$ref` in a document points at something inside it.

use std::path::Path;

use serde_json::Value;

use crate::error::{Result, SpecError};
use crate::openapi::{Step, walk};
use crate::pointer;

/// Fails on the first `$ref` that is not a local reference (`#/…`) to an existing node.
pub fn check_refs(file: &Path, doc: &Value) -> Result<()> {
    let mut bad = None;
    walk(doc, |at, node| match node.get("$ref") {
        Some(target) if !is_good_ref(doc, target) => {
            bad = Some((pointer::push(at.pointer(), "$ref"), target));
            Step::Stop
        }
        _ => Step::Into,
    });
    match bad {
        None => Ok(()),
        Some((at, target)) => check_one(file, doc, target, &at),
    }
}

fn is_good_ref(doc: &Value, target: &Value) -> bool {
    target.as_str().and_then(|t| t.strip_prefix('#')).is_some_and(|fragment| doc.pointer(fragment).is_some())
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
