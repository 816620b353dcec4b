//! The JSON Schema 2020-12 keywords OpenAPI 3.1 brought in (`if`/`then`/`else`, `contains`,
//! `prefixItems`, `dependentRequired`, `dependentSchemas`, `patternProperties`,
//! `propertyNames`, `unevaluated*`, `content*`), compared as oasdiff does: a keyword (or an
//! entry of one) that appears or goes, a `contains` count that moves, a content type that
//! changes. Each is read from the schema as written, not from its `allOf` members.

use serde_json::Value;

use super::edit::{Edit, Keyword};
use super::subject::Subject;

/// Keywords that constrain a value by being there.
const CONSTRAINING: &[(&str, Keyword)] = &[
    ("if", Keyword::If),
    ("then", Keyword::Then),
    ("else", Keyword::Else),
    ("contains", Keyword::Contains),
    ("propertyNames", Keyword::PropertyNames),
    ("unevaluatedItems", Keyword::UnevaluatedItems),
    ("unevaluatedProperties", Keyword::UnevaluatedProperties),
    ("contentSchema", Keyword::ContentSchema),
];

/// Keywords whose entries each constrain a value.
const CONSTRAINING_ENTRIES: &[(&str, Keyword)] = &[
    ("dependentRequired", Keyword::DependentRequired),
    ("dependentSchemas", Keyword::DependentSchema),
    ("patternProperties", Keyword::PatternProperty),
];

/// Keywords whose value says how a string's content is encoded.
const CONTENT: &[(&str, Edit)] =
    &[("contentMediaType", Edit::ContentMediaTypeChanged), ("contentEncoding", Edit::ContentEncodingChanged)];

/// Compares the 2020-12 keywords of two schemas (`a` the base's, `b` the revision's),
/// reporting each edit through `add` with its message.
pub(super) fn keywords(subject: &Subject<'_>, a: &Value, b: &Value, mut add: impl FnMut(Edit, String)) {
    for &(key, keyword) in CONSTRAINING {
        match (a.get(key), b.get(key)) {
            (None, Some(_)) => add(Edit::Gained(keyword), format!("{subject} gained `{key}`")),
            (Some(_), None) => add(Edit::Lost(keyword), format!("{subject} lost `{key}`")),
            _ => {}
        }
    }
    for &(key, keyword) in CONSTRAINING_ENTRIES {
        let (before, after) = (entries(a, key), entries(b, key));
        for (name, value) in &before {
            match after.iter().find(|(n, _)| n == name) {
                None => add(Edit::Lost(keyword), format!("{subject} lost the `{key}` entry `{name}`")),
                // A dependency's list of properties is compared; a schema entry's content is not.
                Some((_, now)) if keyword == Keyword::DependentRequired && now != value => add(
                    Edit::DependentRequiredChanged,
                    format!("{subject}'s `{key}` entry `{name}` went from {value} to {now}"),
                ),
                Some(_) => {}
            }
        }
        for (name, _) in after.iter().filter(|(n, _)| !before.iter().any(|(m, _)| m == n)) {
            add(Edit::Gained(keyword), format!("{subject} gained the `{key}` entry `{name}`"));
        }
    }
    let count = |v: &Value| v.get("prefixItems").and_then(Value::as_array).map_or(0, Vec::len);
    let (before, after) = (count(a), count(b));
    if after > before {
        add(
            Edit::Gained(Keyword::PrefixItems),
            format!("{subject} gained `prefixItems` entries ({before} to {after})"),
        );
    } else if after < before {
        add(
            Edit::Lost(Keyword::PrefixItems),
            format!("{subject} lost `prefixItems` entries ({before} to {after})"),
        );
    }
    let counts = [
        ("minContains", 1.0, (Edit::MinContainsIncreased, Edit::MinContainsDecreased)),
        ("maxContains", f64::INFINITY, (Edit::MaxContainsIncreased, Edit::MaxContainsDecreased)),
    ];
    for (key, default, (increased, decreased)) in counts {
        let bound = |v: &Value| v.get(key).and_then(Value::as_f64).unwrap_or(default);
        let (before, after) = (bound(a), bound(b));
        if after != before {
            let shown = |n: f64| if n.is_finite() { format!("`{n}`") } else { "none".to_owned() };
            let message = format!("the `{key}` of {subject} went from {} to {}", shown(before), shown(after));
            add(if after > before { increased } else { decreased }, message);
        }
    }
    for &(key, edit) in CONTENT {
        if a.get(key) != b.get(key) {
            let shown = |v: &Value| v.get(key).map_or_else(|| "none".to_owned(), |value| format!("{value}"));
            let message = format!("the `{key}` of {subject} went from {} to {}", shown(a), shown(b));
            add(edit, message);
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
