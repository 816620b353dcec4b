//! Merging the one-endpoint documents of several docs pages into one document.
//!
//! Operations are unioned; a component defined on several pages must be the same on each
//! (and is kept once); `openapi`, `info`, `servers` and `security` must agree. Anything
//! that differs is an error naming both pages.

use std::collections::BTreeMap;

use anyhow::bail;
use serde_json::{Map, Value};

/// A page's document and where it came from.
pub struct Page {
    /// The page's URL or path.
    pub name: String,
    /// Its embedded OpenAPI document.
    pub doc: Value,
}

/// Top-level keys that every page must have the same.
const SHARED: &[&str] = &["openapi", "info", "servers", "security"];

/// Merges the pages' documents, in order.
pub fn merge(pages: &[Page]) -> anyhow::Result<Value> {
    let Some(first) = pages.first() else { bail!("there are no pages to merge") };
    let mut out = Map::new();
    // Which page each merged entry came from, for messages: key is a JSON-pointer-like label.
    let mut origin: BTreeMap<String, &str> = BTreeMap::new();
    for page in pages {
        let Some(doc) = page.doc.as_object() else { bail!("{}: the document is not a mapping", page.name) };
        for (key, value) in doc {
            match key.as_str() {
                "paths" => merge_nested(&mut out, &mut origin, page, "paths", value, "operation")?,
                "components" => merge_nested(&mut out, &mut origin, page, "components", value, "component")?,
                "tags" => merge_tags(&mut out, value),
                _ => {
                    let what = if SHARED.contains(&key.as_str()) {
                        key.clone()
                    } else {
                        format!("top-level `{key}`")
                    };
                    insert_same(&mut out, &mut origin, page, key, value, &what)?;
                }
            }
        }
        for key in SHARED {
            if doc.contains_key(*key) != first.doc.get(*key).is_some() {
                bail!("`{key}` differs between {} and {}", first.name, page.name);
            }
        }
    }
    Ok(Value::Object(out))
}

/// Merges `paths` (path → method) or `components` (section → name) two levels deep.
fn merge_nested<'p>(
    out: &mut Map<String, Value>,
    origin: &mut BTreeMap<String, &'p str>,
    page: &'p Page,
    key: &str,
    value: &Value,
    kind: &str,
) -> anyhow::Result<()> {
    let Some(groups) = value.as_object() else { bail!("{}: `{key}` is not a mapping", page.name) };
    let merged = out.entry(key).or_insert_with(|| Value::Object(Map::new()));
    let merged = merged.as_object_mut().expect("inserted as a mapping");
    for (group, entries) in groups {
        let Some(entries) = entries.as_object() else {
            bail!("{}: `{key}/{group}` is not a mapping", page.name)
        };
        let target = merged.entry(group).or_insert_with(|| Value::Object(Map::new()));
        let target = target.as_object_mut().expect("inserted as a mapping");
        for (name, entry) in entries {
            let label = if key == "paths" {
                format!("{kind} `{} {group}`", name.to_ascii_uppercase())
            } else {
                format!("{kind} `{group}/{name}`")
            };
            insert_same(target, origin, page, name, entry, &label)?;
        }
    }
    Ok(())
}

/// Inserts `key: value`, or checks that the value already there is the same.
fn insert_same<'p>(
    map: &mut Map<String, Value>,
    origin: &mut BTreeMap<String, &'p str>,
    page: &'p Page,
    key: &str,
    value: &Value,
    label: &str,
) -> anyhow::Result<()> {
    match map.get(key) {
        None => {
            map.insert(key.to_owned(), value.clone());
            origin.insert(label.to_owned(), &page.name);
        }
        Some(existing) if existing == value => {}
        Some(_) => {
            let first = origin.get(label).copied().unwrap_or("an earlier page");
            bail!("{label} differs between {first} and {}", page.name);
        }
    }
    Ok(())
}

fn merge_tags(out: &mut Map<String, Value>, tags: &Value) {
    let merged = out.entry("tags").or_insert_with(|| Value::Array(Vec::new()));
    if let (Value::Array(merged), Value::Array(tags)) = (merged, tags) {
        for tag in tags {
            if !merged.contains(tag) {
                merged.push(tag.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn page(name: &str, doc: Value) -> Page {
        Page { name: name.to_owned(), doc }
    }

    fn doc(path: &str, schema: Value) -> Value {
        json!({"openapi": "3.1.0", "info": {"title": "t"}, "paths": {path: {"get": {"responses": {}}}},
            "components": {"schemas": {"S": schema}}})
    }

    #[test]
    fn unions_operations_and_keeps_identical_components_once() {
        let merged = merge(&[
            page("a", doc("/a", json!({"type": "string"}))),
            page("b", doc("/b", json!({"type": "string"}))),
        ])
        .unwrap();
        assert_eq!(merged["paths"].as_object().unwrap().len(), 2);
        assert_eq!(merged["components"]["schemas"]["S"], json!({"type": "string"}));
    }

    #[test]
    fn a_conflicting_component_names_both_pages() {
        let err = merge(&[
            page("p1", doc("/a", json!({"type": "string"}))),
            page("p2", doc("/b", json!({"type": "integer"}))),
        ])
        .unwrap_err();
        assert_eq!(err.to_string(), "component `schemas/S` differs between p1 and p2");
    }

    #[test]
    fn different_security_names_both_pages() {
        let mut b = doc("/b", json!({"type": "string"}));
        b["security"] = json!([{"ApiKeyAuth": []}]);
        let mut a = doc("/a", json!({"type": "string"}));
        a["security"] = json!([{"BearerAuth": []}]);
        let err = merge(&[page("p1", a), page("p2", b)]).unwrap_err();
        assert_eq!(err.to_string(), "security differs between p1 and p2");
    }
}
