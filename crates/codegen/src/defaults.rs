//! Whether a schema's `default` is valid for the schema, so that invalid defaults can be
//! dropped (typify refuses them) and valid ones kept.

use serde_json::Value;

/// How deep `$ref` chains are followed before a default is given the benefit of the doubt.
const MAX_DEPTH: usize = 32;

/// Whether `schema` (JSON Schema as written in OpenAPI 3.0 or 3.1) accepts `value`.
/// `$ref`s are resolved in `doc`. Keywords it does not know accept everything.
pub fn accepts(doc: &Value, schema: &Value, value: &Value) -> bool {
    accepts_at(doc, schema, value, 0)
}

fn accepts_at(doc: &Value, schema: &Value, value: &Value, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return true;
    }
    let map = match schema {
        Value::Bool(b) => return *b,
        Value::Object(map) => map,
        _ => return true,
    };
    let sub = |s: &Value, v: &Value| accepts_at(doc, s, v, depth + 1);
    if value.is_null() && map.get("nullable") == Some(&Value::Bool(true)) {
        return true;
    }
    if let Some(target) = crate::openapi::ref_target(schema)
        && let Some(resolved) = doc.pointer(target)
        && !sub(resolved, value)
    {
        return false;
    }
    if map.get("const").is_some_and(|c| c != value) {
        return false;
    }
    if let Some(Value::Array(options)) = map.get("enum")
        && !options.contains(value)
    {
        return false;
    }
    if let Some(t) = map.get("type") {
        let ok = match t {
            Value::String(t) => has_type(value, t),
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).any(|t| has_type(value, t)),
            _ => true,
        };
        if !ok {
            return false;
        }
    }
    if let Some(Value::Array(all)) = map.get("allOf")
        && !all.iter().all(|s| sub(s, value))
    {
        return false;
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(any)) = map.get(key)
            && !any.iter().any(|s| sub(s, value))
        {
            return false;
        }
    }
    match value {
        Value::Object(obj) => {
            let required_ok = map
                .get("required")
                .and_then(Value::as_array)
                .is_none_or(|req| req.iter().filter_map(Value::as_str).all(|k| obj.contains_key(k)));
            let props = map.get("properties").and_then(Value::as_object);
            let props_ok = obj.iter().all(|(k, v)| props.and_then(|p| p.get(k)).is_none_or(|s| sub(s, v)));
            required_ok && props_ok
        }
        Value::Array(items) => map.get("items").is_none_or(|s| items.iter().all(|v| sub(s, v))),
        Value::Number(n) => {
            let n = n.as_f64().unwrap_or(f64::NAN);
            let above = |k: &str| map.get(k).and_then(Value::as_f64).is_none_or(|m| n >= m);
            let below = |k: &str| map.get(k).and_then(Value::as_f64).is_none_or(|m| n <= m);
            above("minimum") && below("maximum")
        }
        Value::String(s) => {
            let len = s.chars().count() as u64;
            map.get("minLength").and_then(Value::as_u64).is_none_or(|m| len >= m)
                && map.get("maxLength").and_then(Value::as_u64).is_none_or(|m| len <= m)
        }
        _ => true,
    }
}

fn has_type(value: &Value, t: &str) -> bool {
    match t {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.as_f64().is_some_and(|f| f.fract() == 0.0),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn checks_types_enums_refs_and_nullability() {
        let doc = json!({"components": {"schemas": {"E": {"type": "string", "enum": ["a", "b"]}}}});
        let r = json!({"$ref": "#/components/schemas/E"});
        assert!(accepts(&doc, &r, &json!("a")));
        assert!(!accepts(&doc, &r, &json!("z")));
        assert!(!accepts(&doc, &json!({"type": "integer"}), &json!(null)));
        assert!(accepts(&doc, &json!({"anyOf": [{"type": "integer"}, {"type": "null"}]}), &json!(null)));
        assert!(accepts(&doc, &json!({"type": ["integer", "null"]}), &json!(4)));
        assert!(!accepts(&doc, &json!({"type": "integer", "minimum": 5}), &json!(4)));
        assert!(!accepts(&doc, &json!({"type": "object", "required": ["x"]}), &json!({})));
        assert!(!accepts(&doc, &json!({"type": "array", "items": r}), &json!(["a", "q"])));
    }
}
