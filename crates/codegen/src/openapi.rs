//! Walking an OpenAPI document: its operations, every node in it ([`walk`], [`walk_mut`]),
//! and where a `$ref` points ([`resolve`]). Every part of the workspace that lists
//! operations, descends a document or follows references does it through here.
//!
//! The walks are iterative (a hostile or cyclic-looking document cannot overflow the stack)
//! and keep the JSON pointer of the node they are at in one buffer, spelled out only when a
//! visitor asks for it.

use serde_json::Value;

use crate::pointer;

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
    let mut todo = vec![node];
    while let Some(next) = todo.pop() {
        walk(next, |_, value| {
            if let Some(target) = ref_target(value)
                && let Some(name) = target.strip_prefix("/components/schemas/")
                && !name.contains('/')
                && found.insert(pointer::unescape(name))
                && let Some(schema) = doc.pointer(target)
            {
                todo.push(schema);
            }
            Step::Into
        });
    }
    found
}

/// The JSON pointer a local `$ref` (`#/components/schemas/A`) names, if `node` is a reference.
pub fn ref_target(node: &Value) -> Option<&str> {
    node.get("$ref")?.as_str()?.strip_prefix('#')
}

/// How many `$ref` hops [`resolve`] follows before taking a chain for a loop.
pub const MAX_REF_HOPS: usize = 32;

/// `node` with local `$ref`s followed (a chain of them too, up to [`MAX_REF_HOPS`]), and the
/// pointer of where it ended, or `None` when `node` was no reference. A reference that
/// dangles or loops ends at the last node reached.
pub fn resolve<'a>(doc: &'a Value, node: &'a Value) -> (&'a Value, Option<&'a str>) {
    let (mut node, mut at) = (node, None);
    for _ in 0..MAX_REF_HOPS {
        let Some(target) = ref_target(node) else { break };
        let Some(next) = doc.pointer(target) else { break };
        (node, at) = (next, Some(target));
    }
    (node, at)
}

/// Whether a key holds data the document carries rather than OpenAPI structure: examples
/// and extensions, where a `$ref`, a `schema` or a `content` is only text.
pub fn is_data_key(key: &str) -> bool {
    matches!(key, "example" | "examples") || key.starts_with("x-")
}

/// What a walk does after visiting a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Visit its children next.
    Into,
    /// Skip its children.
    Over,
    /// End the walk.
    Stop,
}

/// Where a walk is: the JSON pointer of the node, and the key it is under.
#[derive(Debug)]
pub struct At<'w> {
    pointer: &'w str,
    key: Option<&'w str>,
}

impl At<'_> {
    /// The node's JSON pointer (`/paths/~1v1~1models/get`).
    pub fn pointer(&self) -> &str {
        self.pointer
    }

    /// The key the node is under in its parent object; `None` for the root and array items.
    pub fn key(&self) -> Option<&str> {
        self.key
    }

    /// Whether the node is data, not structure (see [`is_data_key`]).
    pub fn is_data(&self) -> bool {
        self.key.is_some_and(is_data_key)
    }
}

/// Visits `root` and every node under it, parents before children, in document order;
/// `visit` says whether to go into a node's children.
pub fn walk<'a>(root: &'a Value, mut visit: impl FnMut(&At<'_>, &'a Value) -> Step) {
    let mut at = String::new();
    // Each entry: the length of its parent's pointer, its key (or index), the node.
    let mut todo: Vec<(usize, Token<'a>, &'a Value)> = vec![(0, Token::Root, root)];
    while let Some((parent, token, node)) = todo.pop() {
        at.truncate(parent);
        let key = token.append(&mut at);
        match visit(&At { pointer: &at, key }, node) {
            Step::Stop => return,
            Step::Over => {}
            Step::Into => push_children(&mut todo, at.len(), node),
        }
    }
}

/// [`walk`], with each node open to change before its children are visited.
pub fn walk_mut(root: &mut Value, mut visit: impl FnMut(&At<'_>, &mut Value) -> Step) {
    let mut at = String::new();
    let mut todo: Vec<(usize, Option<String>, Option<usize>, &mut Value)> = vec![(0, None, None, root)];
    while let Some((parent, key, index, node)) = todo.pop() {
        at.truncate(parent);
        let token = match (&key, index) {
            (Some(key), _) => Token::Key(key),
            (None, Some(i)) => Token::Index(i),
            (None, None) => Token::Root,
        };
        let key = token.append(&mut at);
        match visit(&At { pointer: &at, key }, node) {
            Step::Stop => return,
            Step::Over => {}
            Step::Into => {
                let len = at.len();
                match node {
                    Value::Object(map) => {
                        let children: Vec<_> =
                            map.iter_mut().map(|(k, v)| (len, Some(k.clone()), None, v)).collect();
                        todo.extend(children.into_iter().rev());
                    }
                    Value::Array(items) => {
                        todo.extend(items.iter_mut().enumerate().rev().map(|(i, v)| (len, None, Some(i), v)));
                    }
                    _ => {}
                }
            }
        }
    }
}

/// How a node is reached from its parent.
#[derive(Clone, Copy)]
enum Token<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl<'a> Token<'a> {
    /// Appends the token to the pointer `at`; gives the key, for an object member.
    fn append(self, at: &mut String) -> Option<&'a str> {
        match self {
            Self::Root => None,
            Self::Key(key) => {
                at.push('/');
                if key.contains(['~', '/']) {
                    at.push_str(&pointer::escape(key));
                } else {
                    at.push_str(key);
                }
                Some(key)
            }
            Self::Index(i) => {
                at.push('/');
                at.push_str(&i.to_string());
                None
            }
        }
    }
}

fn push_children<'a>(todo: &mut Vec<(usize, Token<'a>, &'a Value)>, len: usize, node: &'a Value) {
    match node {
        // Reversed, so the first child is the next popped: document order.
        Value::Object(map) => todo.extend(map.iter().rev().map(|(k, v)| (len, Token::Key(k), v))),
        Value::Array(items) => {
            todo.extend(items.iter().enumerate().rev().map(|(i, v)| (len, Token::Index(i), v)))
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn walks_in_document_order_with_pointers() {
        let doc = json!({"a": {"b/c": [1, {"d": 2}]}, "x-e": {"$ref": "#/a"}});
        let mut seen = Vec::new();
        walk(&doc, |at, _| {
            seen.push(at.pointer().to_owned());
            if at.is_data() { Step::Over } else { Step::Into }
        });
        assert_eq!(seen, ["", "/a", "/a/b~1c", "/a/b~1c/0", "/a/b~1c/1", "/a/b~1c/1/d", "/x-e"]);
        let mut doc = doc;
        walk_mut(&mut doc, |at, node| {
            if at.key() == Some("d") {
                *node = json!(3);
            }
            Step::Into
        });
        assert_eq!(doc.pointer("/a/b~1c/1/d"), Some(&json!(3)));
    }

    #[test]
    fn a_deep_document_does_not_overflow_and_stop_stops() {
        let mut deep = json!(1);
        for _ in 0..100_000 {
            deep = Value::Array(vec![deep]);
        }
        let mut nodes = 0;
        walk(&deep, |_, _| {
            nodes += 1;
            Step::Into
        });
        assert_eq!(nodes, 100_001);
        let mut visited = 0;
        walk(&deep, |_, _| {
            visited += 1;
            if visited == 3 { Step::Stop } else { Step::Into }
        });
        assert_eq!(visited, 3);
        // serde_json drops a deep value recursively: take it apart first.
        while let Value::Array(mut items) = deep {
            deep = items.pop().unwrap_or_default();
        }
    }

    #[test]
    fn resolves_chains_and_stops_on_loops() {
        let doc = json!({"a": {"$ref": "#/b"}, "b": {"$ref": "#/c"}, "c": {"type": "string"}, "l": {"$ref": "#/l"}, "d": {"$ref": "#/nope"}});
        assert_eq!(resolve(&doc, &doc["a"]), (&doc["c"], Some("/c")));
        assert_eq!(resolve(&doc, &doc["l"]).1, Some("/l"));
        assert_eq!(resolve(&doc, &doc["d"]), (&doc["d"], None));
        assert_eq!(resolve(&doc, &doc["c"]), (&doc["c"], None));
    }
}
