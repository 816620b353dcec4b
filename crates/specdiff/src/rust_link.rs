//! The generated Rust API beside the HTTP diff: generating each side's client, comparing
//! their public items, and linking each HTTP change to the Rust items it changes.

use modelhost_text::Escaped;
use std::collections::{BTreeMap, BTreeSet};

use modelhost_codegen::Overrides;
use modelhost_codegen::openapi::{operations, referenced_schemas};
use serde_json::Value;

use crate::findings::Change;
use crate::report::{RustApi, SpecText, parsed};
use crate::rust_groups::{self, ApiGroup};
use crate::{rules, rust_api, threads};

/// A function that generates one version's client and lists its public items.
pub(crate) type Generate<'g> = dyn Fn(SpecText<'_>) -> Result<rust_api::PublicApi, String> + Sync + 'g;

/// Links the HTTP changes to the Rust API groups they cause: by client method, and a removed
/// type to the removed operation that used it.
pub(crate) fn link(
    changes: &mut [Change],
    api: &[rust_api::ApiChange],
    base: Option<(SpecText<'_>, &Value)>,
    rev: (SpecText<'_>, &Value),
) {
    let mut methods = base.map(|(version, doc)| method_names(version, doc)).unwrap_or_default();
    methods.extend(method_names(rev.0, rev.1));
    let groups = rust_groups::groups(api);
    rust_groups::link(changes, &groups, &methods);
    if let Some((_, old)) = base {
        link_removed_types(changes, &groups, old, rev.1);
    }
}

/// A type removed because the operations that used it were removed is part of their removal:
/// its group is linked from the first removed operation (in the base) that refers to it.
fn link_removed_types(changes: &mut [Change], groups: &[ApiGroup], old: &Value, new: &Value) {
    let removed: Vec<&ApiGroup> = groups.iter().filter(|g| g.is_removed_type()).collect();
    if removed.is_empty() {
        return;
    }
    let still_used: BTreeSet<String> = operations(new)
        .flat_map(|op| referenced_schemas(new, op.operation))
        .map(|name| rust_groups::type_key(&name))
        .collect();
    let base_ops: BTreeMap<String, &Value> = operations(old).map(|op| (op.key(), op.operation)).collect();
    let mut claimed = BTreeSet::new();
    for change in changes.iter_mut().filter(|c| rules::is_operation_removal(c.rule)) {
        let Some(op) = change.operations.first().and_then(|key| base_ops.get(key)) else { continue };
        let used: BTreeSet<String> =
            referenced_schemas(old, op).iter().map(|name| rust_groups::type_key(name)).collect();
        for group in &removed {
            let key = rust_groups::type_key(group.name.trim_start_matches("types::"));
            if used.contains(&key) && !still_used.contains(&key) && claimed.insert(group.name.clone()) {
                change.rust.push(group.name.clone());
            }
        }
    }
}

/// The client method of each operation of a version (empty if it cannot be named).
fn method_names(version: SpecText<'_>, doc: &Value) -> BTreeMap<String, String> {
    let overrides = match version.overrides {
        Some(text) => Overrides::parse(version.name, text).unwrap_or_default(),
        None => Overrides::default(),
    };
    modelhost_codegen::method_names(version.name, doc, &overrides).unwrap_or_default()
}

/// Generates a version's client with the workspace's codegen, in this process, and lists its
/// public items: what the build scripts would generate for it.
pub fn generated(version: SpecText<'_>) -> Result<rust_api::PublicApi, String> {
    let doc = parsed(version).map_err(|e| e.to_string())?;
    let overrides = match version.overrides {
        Some(text) => Overrides::parse(version.name, text).map_err(|e| e.to_string())?,
        None => Overrides::default(),
    };
    let code =
        modelhost_codegen::generate_client(version.name, doc, &overrides).map_err(|e| e.to_string())?;
    rust_api::public_api(&code).map_err(|e| format!("the generated code does not parse: {e}"))
}

/// Generates both sides (at once) and compares their public items; a new file is compared
/// with an empty API.
pub(crate) fn compare(base: Option<SpecText<'_>>, rev: SpecText<'_>, generate: &Generate<'_>) -> RustApi {
    let (before, after) = threads::guarded(|| base.map(generate).transpose(), || generate(rev));
    let before = match before {
        Ok(api) => api.unwrap_or_default(),
        Err(e) => {
            return RustApi::NotCompared(format!("the base does not generate: {}", Escaped(&e.to_string())));
        }
    };
    match after {
        Ok(after) => RustApi::Compared(rust_api::diff(&before, &after)),
        Err(e) => {
            RustApi::NotCompared(format!("the revision does not generate: {}", Escaped(&e.to_string())))
        }
    }
}
