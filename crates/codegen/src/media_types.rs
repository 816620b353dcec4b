//! Presenting JSON-structured media types to progenitor, which types only `application/json`.
//!
//! A body of `application/problem+json` (or any `application/*+json`, RFC 6839) is JSON; left
//! as is, progenitor would hand it to users as raw bytes. Where a `content` mapping has no
//! `application/json` entry, its first `+json` entry is renamed to it. Parsing is unchanged:
//! the client decodes the body as JSON whatever `Content-Type` the server sends.

use serde_json::Value;

use crate::openapi::{Step, walk_mut};

/// Renames `application/*+json` content entries to `application/json` throughout `doc`.
pub fn json_suffix_as_json(doc: &mut Value) {
    walk_mut(doc, |at, node| {
        if at.is_data() {
            return Step::Over;
        }
        if let Some(Value::Object(content)) = node.get_mut("content") {
            rename_in(content);
        }
        Step::Into
    });
}

fn rename_in(content: &mut serde_json::Map<String, Value>) {
    if content.keys().any(|k| is_json(k)) {
        return;
    }
    let Some(key) = content.keys().find(|k| is_json_suffix(k)).cloned() else { return };
    if let Some(media) = content.remove(&key) {
        content.insert("application/json".into(), media);
    }
}

fn is_json(media_type: &str) -> bool {
    media_type == "application/json" || media_type.starts_with("application/json;")
}

fn is_json_suffix(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    essence.starts_with("application/") && essence.ends_with("+json")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn problem_json_becomes_json_unless_json_is_there() {
        let mut doc = json!({"r": {"content": {"application/problem+json": {"schema": {}}}},
            "s": {"content": {"application/json": {}, "application/problem+json": {}}}});
        json_suffix_as_json(&mut doc);
        assert_eq!(doc["r"]["content"], json!({"application/json": {"schema": {}}}));
        assert_eq!(doc["s"]["content"], json!({"application/json": {}, "application/problem+json": {}}));
    }
}
