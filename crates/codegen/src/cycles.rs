//! Finding schemas that contain themselves through composition (`allOf`, `anyOf`, `oneOf`) or
//! a chain of bare `$ref`s. Such a schema is valid JSON Schema, and found in real specs, but
//! it describes no finite Rust type: typify recurses on it until the stack overflows, which
//! takes the whole process down. It is refused, with the cycle spelled out, before progenitor
//! sees it. Recursion through `properties`, `items` or `additionalProperties` is fine: a
//! value holds another value of its type, and typify boxes it.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use crate::error::{Result, SpecError};
use crate::openapi::{Step, ref_target, walk};
use crate::pointer;

/// The keywords whose members a schema *is*, not holds.
const COMPOSITION: &[&str] = &["allOf", "anyOf", "oneOf"];

/// Fails on the first schema that contains itself through composition or `$ref`s, naming
/// every schema on the way round. `$ref`s must have been checked.
pub fn check_cycles(file: &Path, doc: &Value) -> Result<()> {
    let mut state = HashMap::new();
    for pointer in targets(doc) {
        let mut path = Vec::new();
        if let Some(cycle) = visit(doc, &pointer, &mut state, &mut path) {
            let names: Vec<String> = cycle.iter().map(|(target, _)| short(target)).collect();
            let (_, via) = &cycle[0];
            return Err(SpecError::at(
                file,
                via.clone(),
                format!(
                    "schema `{}` contains itself ({} → {}): no finite type has this shape; \
                     make the recursion go through a property or array items",
                    names[0],
                    names.join(" → "),
                    names[0]
                ),
            ));
        }
    }
    Ok(())
}

/// Every `$ref` target in the document: the only places a cycle can go through.
fn targets(doc: &Value) -> Vec<String> {
    let mut found = Vec::new();
    walk(doc, |_, node| {
        if let Some(fragment) = ref_target(node) {
            found.push(fragment.to_owned());
        }
        Step::Into
    });
    found.sort();
    found.dedup();
    found
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    OnPath,
    Done,
}

/// Depth-first search from one `$ref` target along composition edges; returns the cycle, as
/// (target, the pointer of the `$ref` that leaves it) pairs, when one is found.
fn visit(
    doc: &Value,
    target: &str,
    state: &mut HashMap<String, Mark>,
    path: &mut Vec<(String, String)>,
) -> Option<Vec<(String, String)>> {
    match state.get(target) {
        Some(Mark::Done) => return None,
        Some(Mark::OnPath) => {
            let start = path.iter().position(|(t, _)| t == target).unwrap_or(0);
            return Some(path[start..].to_vec());
        }
        None => {}
    }
    state.insert(target.to_owned(), Mark::OnPath);
    let mut edges = Vec::new();
    if let Some(node) = doc.pointer(target) {
        composition_edges(node, target.to_owned(), &mut edges);
    }
    for (next, via) in edges {
        path.push((target.to_owned(), via));
        if let Some(cycle) = visit(doc, &next, state, path) {
            return Some(cycle);
        }
        path.pop();
    }
    state.insert(target.to_owned(), Mark::Done);
    None
}

/// The `$ref` targets a schema is made of: its own `$ref`, and those of its composition
/// members (inline members searched in turn), with the pointer of each `$ref`.
fn composition_edges(node: &Value, at: String, edges: &mut Vec<(String, String)>) {
    let Some(map) = node.as_object() else { return };
    if let Some(fragment) = ref_target(node) {
        edges.push((fragment.to_owned(), pointer::push(&at, "$ref")));
    }
    for key in COMPOSITION {
        let Some(Value::Array(members)) = map.get(*key) else { continue };
        let at = pointer::push(&at, key);
        for (i, member) in members.iter().enumerate() {
            composition_edges(member, pointer::push_index(&at, i), edges);
        }
    }
}

/// `#/components/schemas/Model` is shown as `Model`; other places in full.
fn short(target: &str) -> String {
    target.strip_prefix("/components/schemas/").map_or_else(|| format!("#{target}"), pointer::unescape)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn check(schemas: Value) -> Result<()> {
        check_cycles(
            Path::new("s.yaml"),
            &json!({"components": {"schemas": schemas}, "x": {"$ref": "#/components/schemas/A"}}),
        )
    }

    #[test]
    fn refuses_a_schema_that_includes_itself_through_all_of() {
        let err = check(json!({"A": {"allOf": [{"$ref": "#/components/schemas/A"}, {"type": "object"}]}}))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "s.yaml#/components/schemas/A/allOf/0/$ref: schema `A` contains itself (A → A): no finite type \
             has this shape; make the recursion go through a property or array items"
        );
    }

    #[test]
    fn names_every_schema_of_a_longer_cycle() {
        let err = check(json!({
            "A": {"anyOf": [{"type": "string"}, {"allOf": [{"$ref": "#/components/schemas/B"}]}]},
            "B": {"$ref": "#/components/schemas/C"},
            "C": {"oneOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]},
        }))
        .unwrap_err();
        assert!(err.message.contains("(A → B → C → A)"), "{err}");
    }

    #[test]
    fn accepts_recursion_through_properties_and_items() {
        check(json!({
            "A": {"type": "object", "properties": {
                "parent": {"allOf": [{"$ref": "#/components/schemas/A"}]},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/A"}}},
                "additionalProperties": {"$ref": "#/components/schemas/A"}},
        }))
        .unwrap();
    }
}
