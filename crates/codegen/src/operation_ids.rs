//! Naming operations that have no `operationId`, from their method and path.
//!
//! The rule, with `/v1` and other version prefixes left out:
//! - the noun is the path's literal segments joined by `_`, each one that is followed by a
//!   parameter made singular (`/models/{model_id}/deployments` → `model_deployments`);
//! - the verb is `get`, `delete`, `update` (PATCH) or `replace` (PUT) on an item;
//!   on a plural collection `list` (GET) or `create` (POST, with the noun made singular);
//!   and on anything else a POST's last segment is its verb (`…/{deployment_id}/promote` →
//!   `promote_model_deployment`).
//!
//! Where the rule reads badly or two operations would get one name, a checked-in table of
//! `"METHOD /path": name` lines overrides it; two operations with one name is an error that
//! names both.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::error::{Result, SpecError};
use crate::pointer;

/// The HTTP methods an OpenAPI path item can hold.
pub const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Checked-in names that take precedence over the rule, keyed by `"METHOD /path"`.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    file: Option<std::path::PathBuf>,
    names: BTreeMap<String, String>,
}

impl Overrides {
    /// Reads an override table: a YAML mapping of `"METHOD /path"` to a snake_case name.
    pub fn load(file: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(file)
            .map_err(|e| SpecError::file(file, format!("cannot read the override table: {e}")))?;
        Self::parse(file, &text)
    }

    /// Parses an override table's text; `file` names it in errors.
    pub fn parse(file: &Path, text: &str) -> Result<Self> {
        let names: BTreeMap<String, String> = serde_norway::from_str::<Option<_>>(text)
            .map_err(|e| {
                SpecError::file(file, format!("expected a mapping of \"METHOD /path\" to a name: {e}"))
            })?
            .unwrap_or_default();
        for (key, name) in &names {
            if !is_snake_identifier(name) {
                return Err(SpecError::at(
                    file,
                    pointer::push("", key),
                    format!("`{name}` is not a snake_case name"),
                ));
            }
        }
        Ok(Self { file: Some(file.to_owned()), names })
    }

    fn get(&self, method: &str, path: &str) -> Option<&str> {
        self.names.get(&operation_key(method, path)).map(String::as_str)
    }
}

/// An override table's text without the entries for operations `doc` does not have, and
/// those entries' keys: what a pull does when upstream removes an operation that had a name
/// of its own. Comments and the other lines are kept as written.
pub fn prune(text: &str, doc: &Value) -> (String, Vec<String>) {
    let present: std::collections::BTreeSet<String> =
        crate::openapi::operations(doc).map(|op| op.key()).collect();
    let mut dropped = Vec::new();
    let mut kept = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let key = line.split_once(": ").map(|(k, _)| k.trim().trim_matches(['"', '\'']));
        match key {
            Some(key) if !line.starts_with('#') && key.contains(' ') && !present.contains(key) => {
                dropped.push(key.to_owned());
            }
            _ => kept.push_str(line),
        }
    }
    (kept, dropped)
}

fn is_snake_identifier(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// `"DELETE /v1/models/{model_id}"`: how operations are named in messages and override tables.
pub fn operation_key(method: &str, path: &str) -> String {
    format!("{} {path}", method.to_ascii_uppercase())
}

/// Gives every operation without an `operationId` one, and checks that no two share a name.
pub fn assign(file: &Path, doc: &mut Value, overrides: &Overrides) -> Result<()> {
    let mut used: BTreeMap<String, String> = BTreeMap::new();
    let mut matched = 0;
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return Ok(());
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        for method in METHODS {
            let Some(op) = item.get_mut(*method).and_then(Value::as_object_mut) else { continue };
            let key = operation_key(method, path);
            let name = match overrides.get(method, path) {
                Some(name) => {
                    matched += 1;
                    name.to_owned()
                }
                None => match op.get("operationId").and_then(Value::as_str) {
                    Some(id) => id.to_owned(),
                    None => synthesize(method, path),
                },
            };
            if let Some(other) = used.insert(method_name(&name), key.clone()) {
                let at = pointer::push(&pointer::push("/paths", path), method);
                let hint = match &overrides.file {
                    Some(f) => format!(
                        "; give one of them another name in {}, for example with the line `{key}: {}_2`",
                        f.display(),
                        method_name(&name)
                    ),
                    None => String::new(),
                };
                return Err(SpecError::at(
                    file,
                    at,
                    format!("operations `{other}` and `{key}` would both be named `{name}`{hint}"),
                ));
            }
            op.insert("operationId".into(), Value::String(name));
        }
    }
    if matched != overrides.names.len() {
        let stale: Vec<&String> =
            overrides.names.keys().filter(|k| !used.values().any(|v| v == *k)).collect();
        let f = overrides.file.as_deref().unwrap_or(file);
        return Err(SpecError::file(
            f,
            format!("overrides name operations the spec does not have: {stale:?}; remove them"),
        ));
    }
    Ok(())
}

/// The client method each operation becomes (`DELETE /v1/models/{model_id}` →
/// `delete_model`), as the pipeline names them; `file` names the spec in errors.
pub fn method_names(file: &Path, doc: &Value, overrides: &Overrides) -> Result<BTreeMap<String, String>> {
    let mut named = doc.clone();
    assign(file, &mut named, overrides)?;
    Ok(crate::openapi::operations(&named)
        .filter_map(|op| Some((op.key(), method_name(op.operation.get("operationId")?.as_str()?))))
        .collect())
}

/// The Rust method name progenitor makes of an operation id (`models.get` → `models_get`).
fn method_name(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect()
}

/// The name the rule gives an operation (see the module documentation).
pub fn synthesize(method: &str, path: &str) -> String {
    let segments: Vec<&str> =
        path.split('/').filter(|s| !s.is_empty()).skip_while(|s| is_version(s)).collect();
    let is_param = |s: &str| s.starts_with('{') && s.ends_with('}');
    let mut nouns: Vec<String> = segments
        .iter()
        .enumerate()
        .filter(|(_, s)| !is_param(s))
        .map(|(i, s)| match segments.get(i + 1) {
            Some(next) if is_param(next) => singular(&snake(s)),
            _ => snake(s),
        })
        .collect();
    let method = method.to_ascii_lowercase();
    let last = segments.last().copied().unwrap_or("");
    let verb = if is_param(last) || last.is_empty() {
        match method.as_str() {
            "patch" => "update".to_owned(),
            "put" => "replace".to_owned(),
            "post" => "create".to_owned(),
            m => m.to_owned(),
        }
    } else {
        let plural = is_plural(last);
        match method.as_str() {
            "get" if plural => "list".to_owned(),
            "post" if plural => {
                if let Some(noun) = nouns.last_mut() {
                    *noun = singular(noun);
                }
                "create".to_owned()
            }
            "post" => nouns.pop().unwrap_or_default(),
            "patch" => "update".to_owned(),
            "put" => "replace".to_owned(),
            m => m.to_owned(),
        }
    };
    std::iter::once(verb).chain(nouns).filter(|s| !s.is_empty()).collect::<Vec<_>>().join("_")
}

fn is_version(segment: &str) -> bool {
    segment.strip_prefix('v').is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

fn snake(segment: &str) -> String {
    segment.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect()
}

fn is_plural(word: &str) -> bool {
    word.ends_with('s') && !word.ends_with("ss")
}

fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if ["ches", "shes", "sses", "xes"].iter().any(|s| word.ends_with(s)) {
        word[..word.len() - 2].to_owned()
    } else if is_plural(word) {
        word[..word.len() - 1].to_owned()
    } else {
        word.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn names_read_like_the_operation() {
        assert_eq!(synthesize("DELETE", "/v1/models/{model_id}"), "delete_model");
        assert_eq!(synthesize("get", "/v1/models"), "list_models");
        assert_eq!(synthesize("post", "/v1/models"), "create_model");
        assert_eq!(synthesize("get", "/v1/models/{model_id}/deployments"), "list_model_deployments");
        assert_eq!(
            synthesize("post", "/v1/models/{model_id}/deployments/{deployment_id}/promote"),
            "promote_model_deployment"
        );
        assert_eq!(
            synthesize("post", "/v1/models/{model_id}/deployments/development/promote"),
            "promote_model_deployments_development"
        );
        assert_eq!(synthesize("patch", "/v1/library_listings/{id}"), "update_library_listing");
        assert_eq!(synthesize("post", "/v1/x/{id}/patches"), "create_x_patch");
        assert_eq!(synthesize("get", "/v1/policies"), "list_policies");
    }

    #[test]
    fn a_collision_names_both_operations() {
        let mut doc = json!({"paths": {
            "/v1/snapshots": {"post": {}},
            "/v1/snapshots/{id}": {"post": {}}}});
        let err = assign(Path::new("s.yaml"), &mut doc, &Overrides::default()).unwrap_err();
        assert!(
            err.message.contains(
                "`POST /v1/snapshots` and `POST /v1/snapshots/{id}` would both be named `create_snapshot`"
            ),
            "{err}"
        );
    }

    #[test]
    fn overrides_and_existing_ids_win_and_stale_overrides_are_refused() {
        let mut doc = json!({"paths": {"/m/{id}": {"get": {"operationId": "models.get"}, "delete": {}}}});
        let mut overrides = Overrides::default();
        overrides.names.insert("DELETE /m/{id}".into(), "remove_model".into());
        assign(Path::new("s.yaml"), &mut doc, &overrides).unwrap();
        assert_eq!(doc["paths"]["/m/{id}"]["get"]["operationId"], "models.get");
        assert_eq!(doc["paths"]["/m/{id}"]["delete"]["operationId"], "remove_model");

        overrides.names.insert("PUT /gone".into(), "x".into());
        let err = assign(Path::new("s.yaml"), &mut doc, &overrides).unwrap_err();
        assert!(err.message.contains("PUT /gone"), "{err}");
    }

    #[test]
    fn pruning_drops_only_the_entries_of_operations_the_spec_lacks() {
        let doc = serde_json::json!({"paths": {"/a": {"get": {}}}});
        let table = "# names\nGET /a: list_a\n'POST /gone': make_gone\n";
        let (kept, dropped) = prune(table, &doc);
        assert_eq!(kept, "# names\nGET /a: list_a\n");
        assert_eq!(dropped, ["POST /gone"]);
    }
}
