//! Comparing a hand-written schema with upstream's: types, nullability, enums, and the
//! properties it declares, recursively (through `$ref`, `allOf` and array items).

use std::collections::BTreeSet;

use modelhost_codegen::{openapi, pointer};
use serde_json::Value;

use super::{Check, Place};

/// Deeper than this, nesting is not followed (no real response nests so deep).
const MAX_DEPTH: usize = 32;

/// Checks that everything `hand` declares, `upstream` has, compatibly.
pub(super) fn compare<'d>(
    check: &mut Check<'_, 'd>,
    hand: &'d Value,
    upstream: &'d Value,
    place: Place<'d>,
    depth: usize,
) {
    let (hand, hand_at) = resolve(check.hand.doc, hand, place.hand.clone());
    let (upstream, upstream_at) = resolve(check.upstream.doc, upstream, place.upstream.clone());
    if depth > MAX_DEPTH || !check.seen.insert((hand_at.clone(), upstream_at.clone())) {
        return;
    }
    let place = Place { hand: hand_at, upstream: upstream_at, ..place }.under(hand);
    let (ours, theirs) = (kinds(check.hand.doc, hand, 0), kinds(check.upstream.doc, upstream, 0));
    if let (Some(ours), Some(theirs)) = (&ours.types, &theirs.types)
        && let Some(missing) = theirs.iter().find(|t| !accepts(ours, t))
    {
        check.diverges(&place, &format!("is {} where upstream's can be {missing}", words(ours)));
    }
    if theirs.nullable && !ours.nullable {
        check.diverges(&place, "is not nullable where upstream's is");
    }
    if let (Some(ours), Some(theirs)) =
        (hand.get("enum").and_then(Value::as_array), upstream.get("enum").and_then(Value::as_array))
    {
        let extra: Vec<String> =
            ours.iter().filter(|v| !v.is_null() && !theirs.contains(v)).map(Value::to_string).collect();
        if !extra.is_empty() {
            check.diverges(
                &place,
                &format!("has the enum value(s) {} that upstream's lacks", extra.join(", ")),
            );
        }
    }
    let upstream_properties = properties(check.upstream.doc, upstream, &place.upstream);
    for (name, (schema, at)) in properties(check.hand.doc, hand, &place.hand) {
        let field = if place.field.is_empty() { name.clone() } else { format!("{}.{name}", place.field) };
        let here = Place { hand: at, field, ..place.clone() };
        match upstream_properties.iter().find(|(n, _)| *n == name) {
            Some((_, (theirs, their_at))) => {
                compare(check, schema, theirs, Place { upstream: their_at.clone(), ..here }, depth + 1);
            }
            // Upstream declares properties, just not this one.
            None if !upstream_properties.is_empty() => check.diverges(&here.under(schema), "is not upstream"),
            None => {}
        }
    }
    if let (Some(ours), Some(theirs)) = (hand.get("items"), upstream.get("items")) {
        let here = Place {
            hand: pointer::push(&place.hand, "items"),
            upstream: pointer::push(&place.upstream, "items"),
            field: format!("{}[]", place.field),
            ..place
        };
        compare(check, ours, theirs, here, depth + 1);
    }
}

/// `node` with local `$ref`s followed, and its pointer.
fn resolve<'d>(doc: &'d Value, node: &'d Value, at: String) -> (&'d Value, String) {
    let (node, resolved) = openapi::resolve(doc, node);
    (node, resolved.map_or(at, str::to_owned))
}

/// What a schema accepts: its types apart from null (`None`: anything), and whether null.
struct Kinds {
    types: Option<BTreeSet<String>>,
    nullable: bool,
}

fn kinds(doc: &Value, schema: &Value, depth: usize) -> Kinds {
    let (schema, _) = resolve(doc, schema, String::new());
    let mut nullable = schema.get("nullable").and_then(Value::as_bool) == Some(true)
        || schema.get("enum").and_then(Value::as_array).is_some_and(|e| e.iter().any(Value::is_null));
    let mut types: Option<BTreeSet<String>> = match schema.get("type") {
        Some(Value::String(t)) => Some(BTreeSet::from([t.clone()])),
        Some(Value::Array(ts)) => Some(ts.iter().filter_map(Value::as_str).map(str::to_owned).collect()),
        _ => None,
    };
    if types.is_none() && depth < MAX_DEPTH {
        let branches =
            ["anyOf", "oneOf"].iter().filter_map(|k| schema.get(*k).and_then(Value::as_array)).flatten();
        let mut union = Some(BTreeSet::new());
        let mut any_branch = false;
        for branch in branches {
            any_branch = true;
            let kinds = kinds(doc, branch, depth + 1);
            nullable |= kinds.nullable;
            match (&mut union, kinds.types) {
                (Some(all), Some(these)) => all.extend(these),
                _ => union = None,
            }
        }
        if any_branch {
            types = union;
        }
    }
    if let Some(set) = &mut types {
        nullable |= set.remove("null");
        if set.is_empty() && nullable {
            // `type: null` alone, or only null branches.
            set.insert("null".to_owned());
        }
    }
    Kinds { types, nullable }
}

/// Whether a schema of `types` accepts a value of upstream's type `theirs`.
fn accepts(types: &BTreeSet<String>, theirs: &str) -> bool {
    types.contains(theirs) || (theirs == "integer" && types.contains("number"))
}

fn words(types: &BTreeSet<String>) -> String {
    types.iter().cloned().collect::<Vec<_>>().join(" or ")
}

/// The properties a schema declares (its own, then its `allOf` branches'), each with its
/// pointer, in order.
fn properties<'d>(doc: &'d Value, schema: &'d Value, at: &str) -> Vec<(String, (&'d Value, String))> {
    let mut found = Vec::new();
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        let base = pointer::push(at, "properties");
        found.extend(props.iter().map(|(name, s)| (name.clone(), (s, pointer::push(&base, name)))));
    }
    if let Some(branches) = schema.get("allOf").and_then(Value::as_array) {
        for (i, branch) in branches.iter().enumerate() {
            let (branch, branch_at) =
                resolve(doc, branch, pointer::push_index(&pointer::push(at, "allOf"), i));
            found.extend(properties(doc, branch, &branch_at));
        }
    }
    found
}
