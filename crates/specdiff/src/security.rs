//! Security: what each operation needs to authenticate (its own `security`, or the
//! document's), and the definitions of the schemes (`components.securitySchemes`).

use std::collections::{BTreeMap, BTreeSet};

use modelhost_codegen::pointer;
use serde_json::Value;

use crate::findings::Findings;
use crate::node::Node;
use crate::rules::{self, Rule};

/// Compares what an operation needs to authenticate: the ways (alternatives) that let a
/// client in, and the scopes each needs.
pub(crate) fn operation(
    out: &mut Findings,
    (base, old): (&Value, &Node<'_>),
    (rev, new): (&Value, &Node<'_>),
) {
    let (old_node, new_node) = (old, new);
    let (old, new) = (requirements(base, old_node), requirements(rev, new_node));
    if old == new {
        return;
    }
    // Requirements both sides take from the document are one edit, wherever they apply:
    // placed at `/security`, the operations' findings merge into one.
    let inherited = old_node.value.get("security").is_none() && new_node.value.get("security").is_none();
    let at = if inherited { "/security".to_owned() } else { new_node.pointer.clone() };
    if old.is_empty() {
        return out.add(
            &rules::API_SECURITY_BECAME_REQUIRED,
            &at,
            format!("the operation now needs authentication ({})", alternatives(&new)),
        );
    }
    if new.is_empty() {
        return out.add(
            &rules::API_SECURITY_NO_LONGER_REQUIRED,
            &at,
            "the operation no longer needs authentication",
        );
    }
    let (removed, added, scope_rules) = if inherited {
        (
            &rules::API_GLOBAL_SECURITY_REMOVED,
            &rules::API_GLOBAL_SECURITY_ADDED,
            (&rules::API_GLOBAL_SECURITY_SCOPE_ADDED, &rules::API_GLOBAL_SECURITY_SCOPE_REMOVED),
        )
    } else {
        (
            &rules::API_SECURITY_REMOVED,
            &rules::API_SECURITY_ADDED,
            (&rules::API_SECURITY_SCOPE_ADDED, &rules::API_SECURITY_SCOPE_REMOVED),
        )
    };
    let mut gained: Vec<&Alternative> = new.difference(&old).collect();
    for gone in old.difference(&new) {
        // The same schemes with other scopes: a scope change, not a way removed and added.
        if let Some(i) = gained.iter().position(|a| a.keys().eq(gone.keys())) {
            scopes(out, &at, scope_rules, gone, gained.remove(i));
            continue;
        }
        out.add(removed, &at, format!("authenticating with {} is no longer accepted", alternative(gone)));
    }
    for way in gained {
        out.add(added, &at, format!("authenticating with {} is now accepted", alternative(way)));
    }
}

/// Scopes added to or removed from one way of authenticating, under the (added, removed)
/// rules of the operation's own `security` or the document's.
fn scopes(
    out: &mut Findings,
    at: &str,
    (added, removed): (&'static Rule, &'static Rule),
    before: &Alternative,
    after: &Alternative,
) {
    for (scheme, old) in before {
        let new = &after[scheme];
        for scope in new.iter().filter(|s| !old.contains(s)) {
            let message = format!("authenticating with `{scheme}` now needs the scope `{scope}`");
            out.add(added, at, message);
        }
        for scope in old.iter().filter(|s| !new.contains(s)) {
            let message = format!("authenticating with `{scheme}` no longer needs the scope `{scope}`");
            out.add(removed, at, message);
        }
    }
}

/// One way of authenticating: scheme names with their sorted scopes.
type Alternative = BTreeMap<String, Vec<String>>;

/// The operation's security requirements (its own, or the document's): the alternatives
/// that let a client in. An empty alternative (`- {}`) means "no authentication needed".
fn requirements(side: &Value, op: &Node<'_>) -> BTreeSet<Alternative> {
    let requirements = op.value.get("security").or_else(|| side.get("security"));
    let Some(Value::Array(requirements)) = requirements else { return BTreeSet::new() };
    let alternatives: BTreeSet<Alternative> = requirements
        .iter()
        .filter_map(Value::as_object)
        .map(|alternative| {
            alternative
                .iter()
                .map(|(scheme, scopes)| {
                    let mut scopes: Vec<String> = scopes
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect();
                    scopes.sort();
                    (scheme.clone(), scopes)
                })
                .collect()
        })
        .collect();
    if alternatives.iter().any(BTreeMap::is_empty) { BTreeSet::new() } else { alternatives }
}

fn alternative(alternative: &Alternative) -> String {
    let parts: Vec<String> = alternative
        .iter()
        .map(|(scheme, scopes)| {
            if scopes.is_empty() {
                format!("`{scheme}`")
            } else {
                format!("`{scheme}` ({})", scopes.join(", "))
            }
        })
        .collect();
    parts.join(" and ")
}

fn alternatives(set: &BTreeSet<Alternative>) -> String {
    set.iter().map(alternative).collect::<Vec<_>>().join(" or ")
}

/// Compares the security schemes of `components.securitySchemes` (their descriptions and
/// `x-` extensions aside): a scheme added or removed, its type, its OAuth flows' URLs and
/// scopes, and anything else about it (the HTTP scheme, an API key's place).
pub(crate) fn schemes(out: &mut Findings, base: &Value, rev: &Value) {
    let at = "/components/securitySchemes";
    let schemes = |side: &Value| -> BTreeMap<String, Value> {
        let Some(Value::Object(map)) = side.pointer(at) else { return BTreeMap::new() };
        map.iter()
            .map(|(name, scheme)| {
                let scheme = Node { value: scheme, pointer: pointer::push(at, name) }.resolve(side);
                (name.clone(), without_documentation(scheme.value))
            })
            .collect()
    };
    let (old, new) = (schemes(base), schemes(rev));
    for name in old.keys().filter(|n| !new.contains_key(*n)) {
        let message = format!("the security scheme `{name}` was removed");
        out.add(&rules::API_SECURITY_COMPONENT_REMOVED, at, message);
    }
    for name in new.keys().filter(|n| !old.contains_key(*n)) {
        let message = format!("the security scheme `{name}` was added");
        out.add(&rules::API_SECURITY_COMPONENT_ADDED, &pointer::push(at, name), message);
    }
    for (name, before) in &old {
        let Some(after) = new.get(name).filter(|after| *after != before) else { continue };
        let here = pointer::push(at, name);
        let kind = |v: &Value| v.get("type").and_then(Value::as_str).unwrap_or("?").to_owned();
        if kind(before) != kind(after) {
            let message =
                format!("security scheme `{name}` changed from {} to {}", scheme(before), scheme(after));
            out.add(&rules::API_SECURITY_COMPONENT_TYPE_CHANGED, &here, message);
            continue;
        }
        let (flows_a, flows_b) = (before.get("flows"), after.get("flows"));
        flows(out, &here, name, flows_a, flows_b);
        let rest = |v: &Value| {
            let mut v = v.clone();
            if let Value::Object(fields) = &mut v {
                fields.remove("flows");
            }
            v
        };
        if rest(before) != rest(after) {
            let message =
                format!("security scheme `{name}` changed from {} to {}", scheme(before), scheme(after));
            out.add(&rules::SECURITY_SCHEME_CHANGED, &here, message);
        }
    }
}

/// A scheme's OAuth flows: each flow's URLs and scopes; a flow removed changes how a client
/// gets a token, so it counts as the scheme changing.
fn flows(out: &mut Findings, at: &str, name: &str, before: Option<&Value>, after: Option<&Value>) {
    let flows = |v: Option<&Value>| v.and_then(Value::as_object).cloned().unwrap_or_default();
    let (old, new) = (flows(before), flows(after));
    for (flow, a) in &old {
        let Some(b) = new.get(flow) else {
            let message = format!("security scheme `{name}` no longer has the `{flow}` flow");
            out.add(&rules::SECURITY_SCHEME_CHANGED, at, message);
            continue;
        };
        for (key, rule) in [
            ("authorizationUrl", &rules::API_SECURITY_COMPONENT_OAUTH_URL_CHANGED),
            ("tokenUrl", &rules::API_SECURITY_COMPONENT_OAUTH_TOKEN_URL_CHANGED),
        ] {
            if a.get(key) != b.get(key) {
                let url = |v: &Value| {
                    v.get(key)
                        .map_or_else(|| "none".to_owned(), |u| format!("`{}`", u.as_str().unwrap_or("?")))
                };
                let message =
                    format!("the `{flow}` flow of `{name}` has the {key} {} instead of {}", url(b), url(a));
                out.add(rule, at, message);
            }
        }
        let scopes = |v: &Value| v.get("scopes").and_then(Value::as_object).cloned().unwrap_or_default();
        let (sa, sb) = (scopes(a), scopes(b));
        for scope in sa.keys().filter(|s| !sb.contains_key(*s)) {
            let message = format!("the `{flow}` flow of `{name}` no longer offers the scope `{scope}`");
            out.add(&rules::API_SECURITY_COMPONENT_OAUTH_SCOPE_REMOVED, at, message);
        }
        for scope in sb.keys().filter(|s| !sa.contains_key(*s)) {
            let message = format!("the `{flow}` flow of `{name}` offers the scope `{scope}`");
            out.add(&rules::API_SECURITY_COMPONENT_OAUTH_SCOPE_ADDED, at, message);
        }
    }
    // A flow added is one more way to get a token: the old flows still work.
}

/// A scheme without what only documents it: descriptions (its own, its scopes') and `x-`
/// extensions.
fn without_documentation(value: &Value) -> Value {
    let mut value = value.clone();
    if let Value::Object(fields) = &mut value {
        fields.retain(|k, _| k != "description" && !k.starts_with("x-"));
    }
    value
}

fn scheme(scheme: &Value) -> String {
    let field = |k: &str| scheme.get(k).and_then(Value::as_str).unwrap_or("?");
    match field("type") {
        "http" => format!("`http {}`", field("scheme")),
        "apiKey" => format!("`apiKey` in {} `{}`", field("in"), field("name")),
        other => format!("`{other}`"),
    }
}
