//! Walking an OpenAPI document: its operations, and where a `$ref` points. Every part of the
//! workspace that lists operations or follows references does it through here.

use serde_json::Value;

pub use crate::operation_ids::{METHODS, operation_key};

/// One operation of a document, as found under `paths`.
#[derive(Debug, Clone, Copy)]
pub struct Operation<'a> {
    /// The path template (`/v1/models/{model_id}`).
    pub path: &'a str,
    /// The lowercase HTTP method, one of [`METHODS`].
    pub method: &'static str,
    /// The operation object.
    pub operation: &'a Value,
    /// The path item that holds it (with the parameters shared by its operations).
    pub path_item: &'a Value,
}

impl Operation<'_> {
    /// `DELETE /v1/models/{model_id}`.
    pub fn key(&self) -> String {
        operation_key(self.method, self.path)
    }
}

/// Every operation of a document, path by path in document order, methods in [`METHODS`]
/// order; a path item that is a local `$ref` is followed. A document without `paths` has none.
pub fn operations(doc: &Value) -> impl Iterator<Item = Operation<'_>> {
    let paths = doc.get("paths").and_then(Value::as_object).into_iter().flatten();
    paths.flat_map(move |(path, path_item)| {
        let path_item = ref_target(path_item).and_then(|at| doc.pointer(at)).unwrap_or(path_item);
        METHODS.iter().filter_map(move |&method| {
            let operation = path_item.get(method).filter(|op| op.is_object())?;
            Some(Operation { path, method, operation, path_item })
        })
    })
}

/// The component schemas `node` refers to, directly or through other schemas, by name.
pub fn referenced_schemas(doc: &Value, node: &Value) -> std::collections::BTreeSet<String> {
    let mut found = std::collections::BTreeSet::new();
    let mut stack = vec![node];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if let Some(target) = ref_target(value)
                    && let Some(name) = target.strip_prefix("/components/schemas/")
                    && !name.contains('/')
                    && found.insert(crate::pointer::unescape(name))
                    && let Some(schema) = doc.pointer(target)
                {
                    stack.push(schema);
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    found
}

/// The JSON pointer a local `$ref` (`#/components/schemas/A`) names, if `node` is a reference.
pub fn ref_target(node: &Value) -> Option<&str> {
    node.get("$ref")?.as_str()?.strip_prefix('#')
}
