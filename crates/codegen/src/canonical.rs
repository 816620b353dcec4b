//! The canonical YAML form of a spec: the same document always gives the same bytes, so an
//! upstream change shows as a small diff whatever order upstream wrote its keys in.
//!
//! The top level follows the order of the OpenAPI specification; every other mapping is
//! sorted by key. Output is checked to read back as the very same document.

use std::path::Path;

use serde_json::Value;
use serde_norway::{Mapping, Value as Yaml};

use crate::error::{Result, SpecError};

/// Top-level keys in the order the OpenAPI specification lists them; others follow, sorted.
const TOP_LEVEL_ORDER: &[&str] = &[
    "openapi",
    "info",
    "jsonSchemaDialect",
    "servers",
    "security",
    "tags",
    "externalDocs",
    "paths",
    "webhooks",
    "components",
];

/// Renders `doc` in canonical YAML. `file` names the spec in errors.
pub fn to_canonical_yaml(file: &Path, doc: &Value) -> Result<String> {
    let Value::Object(top) = doc else {
        return Err(SpecError::file(file, "the top level is not a mapping"));
    };
    let mut keys: Vec<&String> = top.keys().collect();
    keys.sort_by_key(|k| (TOP_LEVEL_ORDER.iter().position(|o| o == k).unwrap_or(usize::MAX), k.as_str()));
    let mut out = Mapping::new();
    for key in keys {
        out.insert(Yaml::String(key.clone()), to_yaml(file, &top[key.as_str()])?);
    }
    let text = serde_norway::to_string(&out)
        .map_err(|e| SpecError::file(file, format!("cannot render YAML: {e}")))?;
    let back: Value = serde_norway::from_str(&text)
        .map_err(|e| SpecError::file(file, format!("canonical YAML does not read back: {e}")))?;
    if &back != doc {
        return Err(SpecError::file(file, "canonical YAML does not read back as the same document"));
    }
    Ok(text)
}

fn to_yaml(file: &Path, value: &Value) -> Result<Yaml> {
    Ok(match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let mut out = Mapping::new();
            for key in keys {
                out.insert(Yaml::String(key.clone()), to_yaml(file, &map[key.as_str()])?);
            }
            Yaml::Mapping(out)
        }
        Value::Array(items) => Yaml::Sequence(items.iter().map(|v| to_yaml(file, v)).collect::<Result<_>>()?),
        scalar => serde_norway::to_value(scalar)
            .map_err(|e| SpecError::file(file, format!("cannot render a value as YAML: {e}")))?,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn order_is_canonical_whatever_the_input_order() {
        let doc = json!({"paths": {"/b": {}, "/a": {}}, "components": {}, "info": {"version": "1", "title": "t"},
            "openapi": "3.1.0", "x-extra": 1});
        let text = to_canonical_yaml(Path::new("s.yaml"), &doc).unwrap();
        assert_eq!(
            text,
            "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a: {}\n  /b: {}\ncomponents: {}\nx-extra: 1\n"
        );
    }

    #[test]
    fn multi_line_strings_and_lookalike_scalars_survive() {
        let doc = json!({"openapi": "3.1.0", "info": {"description": "line one\nline two\n", "x": "200", "y": "true", "z": 1.0}});
        let text = to_canonical_yaml(Path::new("s.yaml"), &doc).unwrap();
        assert_eq!(serde_norway::from_str::<Value>(&text).unwrap(), doc);
    }
}
