//! The JSON Schema 2020-12 keywords OpenAPI 3.1 brought in (`if`/`then`/`else`, `contains`,
//! `prefixItems`, `dependentRequired`, `dependentSchemas`, `patternProperties`,
//! `propertyNames`, `unevaluated*`, `content*`), compared as oasdiff does: a keyword (or an
//! entry of one) that appears or goes, a `contains` count that moves, a content type that
//! changes. Each is read from the schema as written, not from its `allOf` members.

use serde_json::Value;

use super::subject::Subject;

/// Keywords that constrain a value by being there: their rule ids' stem.
const CONSTRAINING: &[(&str, &str)] = &[
    ("if", "if"),
    ("then", "then"),
    ("else", "else"),
    ("contains", "contains"),
    ("propertyNames", "property-names"),
    ("unevaluatedItems", "unevaluated-items"),
    ("unevaluatedProperties", "unevaluated-properties"),
    ("contentSchema", "content-schema"),
];

/// Keywords whose entries each constrain a value: their rule ids' stem.
const CONSTRAINING_ENTRIES: &[(&str, &str)] = &[
    ("dependentRequired", "dependent-required"),
    ("dependentSchemas", "dependent-schema"),
    ("patternProperties", "pattern-property"),
];

/// Keywords whose value says how a string's content is encoded: their rule ids' stem.
const CONTENT: &[(&str, &str)] =
    &[("contentMediaType", "content-media-type-changed"), ("contentEncoding", "content-encoding-changed")];

/// Compares the 2020-12 keywords of two schemas (`a` the base's, `b` the revision's),
/// reporting each change through `add` (its rule's change words, its message).
pub(super) fn keywords(subject: &Subject<'_>, a: &Value, b: &Value, mut add: impl FnMut(&str, String)) {
    for (key, stem) in CONSTRAINING {
        match (a.get(key), b.get(key)) {
            (None, Some(_)) => add(&format!("{stem}-added"), format!("{subject} gained `{key}`")),
            (Some(_), None) => add(&format!("{stem}-removed"), format!("{subject} lost `{key}`")),
            _ => {}
        }
    }
    for (key, stem) in CONSTRAINING_ENTRIES {
        let (before, after) = (entries(a, key), entries(b, key));
        for (name, value) in &before {
            match after.iter().find(|(n, _)| n == name) {
                None => add(&format!("{stem}-removed"), format!("{subject} lost the `{key}` entry `{name}`")),
                // A dependency's list of properties is compared; a schema entry's content is not.
                Some((_, now)) if *key == "dependentRequired" && now != value => add(
                    &format!("{stem}-changed"),
                    format!("{subject}'s `{key}` entry `{name}` went from {value} to {now}"),
                ),
                Some(_) => {}
            }
        }
        for (name, _) in after.iter().filter(|(n, _)| !before.iter().any(|(m, _)| m == n)) {
            add(&format!("{stem}-added"), format!("{subject} gained the `{key}` entry `{name}`"));
        }
    }
    let count = |v: &Value| v.get("prefixItems").and_then(Value::as_array).map_or(0, Vec::len);
    let (before, after) = (count(a), count(b));
    if after > before {
        add("prefix-items-added", format!("{subject} gained `prefixItems` entries ({before} to {after})"));
    } else if after < before {
        add("prefix-items-removed", format!("{subject} lost `prefixItems` entries ({before} to {after})"));
    }
    for (key, stem, default) in
        [("minContains", "min-contains", 1.0), ("maxContains", "max-contains", f64::INFINITY)]
    {
        let bound = |v: &Value| v.get(key).and_then(Value::as_f64).unwrap_or(default);
        let (before, after) = (bound(a), bound(b));
        if after != before {
            let (direction, shown) = (if after > before { "increased" } else { "decreased" }, |n: f64| {
                if n.is_finite() { format!("`{n}`") } else { "none".to_owned() }
            });
            let message = format!("the `{key}` of {subject} went from {} to {}", shown(before), shown(after));
            add(&format!("{stem}-{direction}"), message);
        }
    }
    for (key, change) in CONTENT {
        if a.get(key) != b.get(key) {
            let shown = |v: &Value| v.get(key).map_or_else(|| "none".to_owned(), |value| format!("{value}"));
            let message = format!("the `{key}` of {subject} went from {} to {}", shown(a), shown(b));
            add(change, message);
        }
    }
}

/// The entries of an object keyword, in document order.
fn entries<'a>(schema: &'a Value, key: &str) -> Vec<(&'a str, &'a Value)> {
    schema
        .get(key)
        .and_then(Value::as_object)
        .map_or_else(Vec::new, |map| map.iter().map(|(name, value)| (name.as_str(), value)).collect())
}
