//! A place in a document: a value and the JSON pointer it was found at, with local `$ref`s
//! followed so that comparisons see what a reference stands for, not where it lives.

use modelhost_codegen::pointer;
use serde_json::Value;

/// A value and where it is, after following `$ref`s.
#[derive(Debug, Clone)]
pub struct Node<'a> {
    /// The value (never a bare `$ref` unless the reference dangles or loops).
    pub value: &'a Value,
    /// Where the value is in its document.
    pub pointer: String,
}

impl<'a> Node<'a> {
    /// The document's root.
    pub fn root(doc: &'a Value) -> Self {
        Self { value: doc, pointer: String::new() }
    }

    /// A child by key, resolved.
    pub fn get(&self, doc: &'a Value, key: &str) -> Option<Self> {
        let value = self.value.get(key)?;
        Some(Self { value, pointer: pointer::push(&self.pointer, key) }.resolve(doc))
    }

    /// An array child, resolved.
    pub fn index(&self, doc: &'a Value, i: usize) -> Option<Self> {
        let value = self.value.get(i)?;
        Some(Self { value, pointer: pointer::push_index(&self.pointer, i) }.resolve(doc))
    }

    /// The entries of an object child (in document order), each resolved.
    pub fn entries(&self, doc: &'a Value, key: &str) -> Vec<(&'a str, Self)> {
        let Some(Value::Object(map)) = self.value.get(key) else { return Vec::new() };
        let at = pointer::push(&self.pointer, key);
        map.iter()
            .map(|(k, v)| (k.as_str(), Self { value: v, pointer: pointer::push(&at, k) }.resolve(doc)))
            .collect()
    }

    /// The items of an array child, each resolved.
    pub fn items(&self, doc: &'a Value, key: &str) -> Vec<Self> {
        let Some(child) = self.get(doc, key) else { return Vec::new() };
        let len = child.value.as_array().map_or(0, Vec::len);
        (0..len).filter_map(|i| child.index(doc, i)).collect()
    }

    /// A string field.
    pub fn str(&self, key: &str) -> Option<&'a str> {
        self.value.get(key).and_then(Value::as_str)
    }

    /// A boolean field, false when absent.
    pub fn flag(&self, key: &str) -> bool {
        self.value.get(key).and_then(Value::as_bool).unwrap_or(false)
    }

    /// Follows `$ref` (local references only; the loader has already refused others).
    pub fn resolve(self, doc: &'a Value) -> Self {
        match modelhost_codegen::openapi::resolve(doc, self.value) {
            (value, Some(at)) => Self { value, pointer: at.to_owned() },
            (_, None) => self,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn follows_chains_and_stops_on_loops() {
        let doc = json!({"a": {"$ref": "#/b"}, "b": {"$ref": "#/c"}, "c": {"type": "string"}, "l": {"$ref": "#/l"}});
        let a = Node::root(&doc).get(&doc, "a").unwrap();
        assert_eq!((a.pointer.as_str(), a.str("type")), ("/c", Some("string")));
        assert_eq!(Node::root(&doc).get(&doc, "l").unwrap().pointer, "/l");
    }
}
