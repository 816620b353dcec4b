//! Finding documentation-only edits: descriptions, summaries, titles, examples, external
//! docs, `x-` extensions and the `info` and `tags` sections. They change nothing a client
//! does, so they are listed apart from the changes and never raise the level.

use modelhost_codegen::openapi::{METHODS, operation_key};
use modelhost_codegen::pointer;
use modelhost_text::Escaped;
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

/// The `x-` extensions that are compared under rules of their own, not as documentation:
/// a stability level and an extensible enum's values are promises to clients. (`x-sunset`
/// stays documentation when its date moves; a sunset removed or unreadable has a rule too.)
const COMPARED_EXTENSIONS: &[&str] = &["x-stability-level", "x-extensible-enum"];

/// Lists the documentation edits between two documents. Only places both documents have
/// are compared: what was added or removed as a whole is a change, not a documentation edit.
pub fn documentation(base: &Value, rev: &Value) -> Vec<DocChange> {
    let mut walker = Walker { out: Vec::new(), path: Vec::new() };
    if let (Value::Object(a), Value::Object(b)) = (base, rev) {
        for section in DOC_SECTIONS {
            walker.field(section, a.get(*section), b.get(*section));
        }
        walker.objects(a, b, false, |key| DOC_SECTIONS.contains(&key));
    }
    for change in &mut walker.out {
        change.operation = operation_of(&change.pointer);
    }
    walker.out
}

/// Walks both documents in step, keeping the path as tokens so a pointer is only spelled
/// out for an edit found.
struct Walker<'a> {
    out: Vec<DocChange>,
    path: Vec<PathToken<'a>>,
}

#[derive(Clone, Copy)]
enum PathToken<'a> {
    Key(&'a str),
    Index(usize),
}

impl<'a> Walker<'a> {
    fn pointer(&self, last: &str) -> String {
        let mut at = String::new();
        for token in &self.path {
            at = match token {
                PathToken::Key(key) => pointer::push(&at, key),
                PathToken::Index(i) => pointer::push_index(&at, *i),
            };
        }
        pointer::push(&at, last)
    }

    fn walk(&mut self, a: &'a Value, b: &'a Value, names: bool) {
        match (a, b) {
            // A place that became (or stopped being) a reference is compared where it points.
            (Value::Object(a), Value::Object(b)) if a.contains_key("$ref") != b.contains_key("$ref") => {}
            (Value::Object(a), Value::Object(b)) => self.objects(a, b, names, |_| false),
            (Value::Array(a), Value::Array(b)) => {
                // Parameters (and other named entries) are paired by name, so reordering them
                // does not compare one parameter's description with another's.
                fn identity(v: &Value) -> Option<(&str, Option<&str>)> {
                    Some((v.get("name")?.as_str()?, v.get("in").and_then(Value::as_str)))
                }
                for (j, y) in b.iter().enumerate() {
                    let x = match identity(y) {
                        Some(id) => a.iter().find(|x| identity(x) == Some(id)),
                        None => a.get(j),
                    };
                    if let Some(x) = x {
                        self.path.push(PathToken::Index(j));
                        self.walk(x, y, false);
                        self.path.pop();
                    }
                }
            }
            _ => {}
        }
    }

    fn objects(
        &mut self,
        a: &'a Map<String, Value>,
        b: &'a Map<String, Value>,
        names: bool,
        skip: fn(&str) -> bool,
    ) {
        for key in a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))) {
            if skip(key) {
                continue;
            }
            let extension = key.starts_with("x-") && !COMPARED_EXTENSIONS.contains(&key.as_str());
            let documentation = !names && (DOC_KEYS.contains(&key.as_str()) || extension);
            if documentation {
                self.field(key, a.get(key), b.get(key));
            } else if let (Some(x), Some(y)) = (a.get(key), b.get(key)) {
                self.path.push(PathToken::Key(key));
                self.walk(x, y, !names && NAME_MAPS.contains(&key.as_str()));
                self.path.pop();
            }
        }
    }

    fn field(&mut self, key: &str, a: Option<&Value>, b: Option<&Value>) {
        let what = match (a, b) {
            (Some(a), Some(b)) if a == b => return,
            (None, None) => return,
            (Some(_), Some(_)) => "changed",
            (None, Some(_)) => "added",
            (Some(_), None) => "removed",
        };
        let pointer = self.pointer(key);
        self.out.push(DocChange {
            pointer,
            operation: None,
            message: Escaped(&format!("`{key}` {what}")).to_string(),
        });
    }
}

/// `GET /path` for a pointer inside an operation.
fn operation_of(at: &str) -> Option<String> {
    let mut tokens = at.strip_prefix("/paths/")?.split('/');
    let path = pointer::unescape(tokens.next()?);
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
