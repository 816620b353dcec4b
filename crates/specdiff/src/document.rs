//! Document-wide changes: security scheme definitions and servers. Changes to what each
//! operation does are in [`crate::operations`].

use std::collections::BTreeMap;

use modelhost_codegen::pointer;
use serde_json::Value;

use crate::findings::Findings;
use crate::node::Node;
use crate::rules;

/// Compares the definitions of security schemes that both documents name, ignoring their
/// descriptions.
pub(crate) fn security_schemes(out: &mut Findings, base: &'_ Value, rev: &'_ Value) {
    let at = "/components/securitySchemes";
    let schemes = |side: &'_ Value| -> BTreeMap<String, Value> {
        let Some(Value::Object(map)) = side.pointer(at) else { return BTreeMap::new() };
        map.iter()
            .map(|(name, scheme)| {
                let scheme = Node { value: scheme, pointer: pointer::push(at, name) }.resolve(side);
                let mut scheme = scheme.value.clone();
                if let Value::Object(fields) = &mut scheme {
                    fields.retain(|k, _| k != "description" && !k.starts_with("x-"));
                }
                (name.clone(), scheme)
            })
            .collect()
    };
    let (old, new) = (schemes(base), schemes(rev));
    for (name, before) in &old {
        if let Some(after) = new.get(name).filter(|after| *after != before) {
            out.add(
                &rules::SECURITY_SCHEME_CHANGED,
                &pointer::push(at, name),
                format!("security scheme `{name}` changed from {} to {}", scheme(before), scheme(after)),
            );
        }
    }
}

fn scheme(scheme: &Value) -> String {
    let field = |k: &str| scheme.get(k).and_then(Value::as_str).unwrap_or("?");
    match field("type") {
        "http" => format!("`http {}`", field("scheme")),
        "apiKey" => format!("`apiKey` in {} `{}`", field("in"), field("name")),
        other => format!("`{other}`"),
    }
}

/// Compares the document's server URLs.
pub(crate) fn servers(out: &mut Findings, base: &'_ Value, rev: &'_ Value) {
    let urls = |side: &'_ Value| -> Vec<String> {
        side.get("servers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|s| s.get("url").and_then(Value::as_str))
            .map(str::to_owned)
            .collect()
    };
    let (old, new) = (urls(base), urls(rev));
    let removed: Vec<_> = old.iter().filter(|u| !new.contains(u)).collect();
    let added: Vec<_> = new.iter().filter(|u| !old.contains(u)).collect();
    if let ([before], [after]) = (removed.as_slice(), added.as_slice()) {
        return out.add(
            &rules::SERVER_URL_CHANGED,
            "/servers",
            format!("the server URL changed from `{before}` to `{after}`"),
        );
    }
    for url in removed {
        out.add(&rules::SERVER_REMOVED, "/servers", format!("the server `{url}` was removed"));
    }
    for url in added {
        out.add(&rules::SERVER_ADDED, "/servers", format!("the server `{url}` was added"));
    }
}
