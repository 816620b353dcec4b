//! Constraints on values (bounds, `multipleOf`, `uniqueItems`, `pattern`, enums, defaults) and
//! discriminators, compared by side.

use std::collections::BTreeMap;

use serde_json::Value;

use super::keywords::keywords;
use super::view::View;
use super::{Place, Side, Subject, short};
use crate::findings::Findings;
use crate::node::Node;

/// A bound a schema can set on its values, and the words rule ids use for it.
pub(super) struct Bound {
    pub(super) key: &'static str,
    /// The exclusive form of a numeric bound (3.1's `exclusiveMaximum: 5`), compared with the
    /// inclusive one as one bound: `< 2` → `≤ 2` loosens it.
    pub(super) exclusive: Option<&'static str>,
    /// How rule ids name it (`max-length`), and its exclusive form.
    pub(super) names: (&'static str, &'static str),
    /// How messages name it.
    pub(super) words: &'static str,
    /// An upper bound (lowering it tightens), or a lower one (raising it tightens).
    pub(super) upper: bool,
}

pub(super) const BOUNDS: &[Bound] = &[
    Bound {
        key: "maximum",
        exclusive: Some("exclusiveMaximum"),
        names: ("max", "exclusive-max"),
        words: "maximum",
        upper: true,
    },
    Bound {
        key: "minimum",
        exclusive: Some("exclusiveMinimum"),
        names: ("min", "exclusive-min"),
        words: "minimum",
        upper: false,
    },
    Bound {
        key: "maxLength",
        exclusive: None,
        names: ("max-length", ""),
        words: "maximum length",
        upper: true,
    },
    Bound {
        key: "minLength",
        exclusive: None,
        names: ("min-length", ""),
        words: "minimum length",
        upper: false,
    },
    Bound {
        key: "maxItems",
        exclusive: None,
        names: ("max-items", ""),
        words: "maximum number of items",
        upper: true,
    },
    Bound {
        key: "minItems",
        exclusive: None,
        names: ("min-items", ""),
        words: "minimum number of items",
        upper: false,
    },
    Bound {
        key: "maxProperties",
        exclusive: None,
        names: ("max-properties", ""),
        words: "maximum number of properties",
        upper: true,
    },
    Bound {
        key: "minProperties",
        exclusive: None,
        names: ("min-properties", ""),
        words: "minimum number of properties",
        upper: false,
    },
];

/// A bound's value, and whether it is exclusive.
type Limit = (f64, bool);

impl Bound {
    /// The bound a view sets, the stricter where it sets both forms.
    fn of(&self, view: &View<'_>) -> Option<Limit> {
        let inclusive = view.bounds.get(self.key).map(|v| (*v, false));
        let exclusive = self.exclusive.and_then(|k| view.bounds.get(k)).map(|v| (*v, true));
        match (inclusive, exclusive) {
            (Some(a), Some(b)) => Some(if self.tighter(a, b) { b } else { a }),
            (a, b) => a.or(b),
        }
    }

    /// Whether `after` admits fewer values than `before`.
    fn tighter(&self, before: Limit, after: Limit) -> bool {
        let ((a, a_excl), (b, b_excl)) = (before, after);
        if a == b {
            return b_excl && !a_excl;
        }
        (b < a) == self.upper
    }

    fn shown(&self, limit: Option<Limit>) -> String {
        match limit {
            None => "none".to_owned(),
            Some((v, true)) => format!("`{v}` (exclusive)"),
            Some((v, false)) => format!("`{v}`"),
        }
    }
}

/// Bounds, `multipleOf`, `uniqueItems`, `pattern`, a new `enum` and defaults, by side: what
/// the server accepts may only widen for requests, and what it sends may only narrow for
/// responses (a tightened response bound is no change for a client, and not reported; a
/// response's `multipleOf`, default and pattern changes are reported as information).
pub(super) fn constraints(
    out: &mut Findings,
    place: Place,
    subject: &Subject<'_>,
    at: &str,
    old: &View<'_>,
    new: &View<'_>,
) {
    let mut add = |changes: &[&str], message: String| place.add(out, changes, at, message);
    for bound in BOUNDS {
        let (before, after) = (bound.of(old), bound.of(new));
        let tightened = match (before, after) {
            (Some(a), Some(b)) if a == b => continue,
            (None, None) => continue,
            (Some(a), Some(b)) => bound.tighter(a, b),
            (None, Some(_)) => true,
            (Some(_), None) => false,
        };
        if place.side() == Side::Response && tightened {
            continue;
        }
        let exclusive = after.or(before).is_some_and(|(_, exclusive)| exclusive);
        let name = if exclusive { bound.names.1 } else { bound.names.0 };
        let direction = if tightened == bound.upper { "decreased" } else { "increased" };
        // oasdiff words a response bound that is gone as `unset`, where it has a rule for it.
        // and a request bound that is new as `set`, where it has a rule for it.
        let moved = format!("{name}-{direction}");
        let (unset, set) = (format!("{name}-unset"), format!("{name}-set"));
        let changes: &[&str] = match (before, after) {
            (_, None) => &[&unset, &moved],
            (None, _) => &[&set, &moved],
            _ => &[&moved],
        };
        add(
            changes,
            format!(
                "the {} of {subject} went from {} to {}",
                bound.words,
                bound.shown(before),
                bound.shown(after)
            ),
        );
    }
    let response = place.side() == Side::Response;
    // Every multiple of `a` is a multiple of `b`.
    let divides = |a: f64, b: f64| b != 0.0 && (a / b).fract() == 0.0;
    match (old.multiple_of, new.multiple_of) {
        (a, b) if a == b => {}
        (None, Some(b)) if !response => {
            add(&["multiple-of-set"], format!("{subject} must now be a multiple of `{b}`"))
        }
        (None, _) => {}
        (Some(a), b) => {
            let message = match b {
                None => format!("{subject} no longer has to be a multiple of `{a}`"),
                Some(b) => format!("{subject} must be a multiple of `{b}` instead of `{a}`"),
            };
            let relaxed = b.is_none_or(|b| divides(a, b));
            let tightened = b.is_some_and(|b| divides(b, a));
            match (response, relaxed, tightened) {
                (true, _, false) if b.is_none() => {
                    add(&["multiple-of-unset", "multiple-of-changed"], message)
                }
                (true, _, false) => add(&["multiple-of-changed"], message),
                (true, _, true) => add(&["multiple-of-specialized"], message),
                (false, true, _) if b.is_none() => add(&["multiple-of-unset"], message),
                // A parameter has no `generalized` rule in oasdiff; it keeps `unset`.
                (false, true, _) => add(&["multiple-of-generalized", "multiple-of-unset"], message),
                (false, false, _) => add(&["multiple-of-changed"], message),
            }
        }
    }
    match (old.unique_items, new.unique_items, response) {
        (false, true, false) => {
            add(&["unique-items-set"], format!("the items of {subject} must now be unique"))
        }
        (true, false, _) => {
            add(&["unique-items-unset"], format!("the items of {subject} no longer have to be unique"))
        }
        _ => {}
    }
    match (old.constant, new.constant) {
        (None, None) => {}
        (a, b) if a == b => {}
        (None, Some(b)) => add(&["const-added"], format!("{subject} must now be {}", short(b))),
        (Some(a), None) => add(&["const-removed"], format!("{subject} no longer has to be {}", short(a))),
        (Some(a), Some(b)) => {
            add(&["const-changed"], format!("{subject} must be {} instead of {}", short(b), short(a)))
        }
    }
    // A new or other `not` may refuse what was sent; one gone or other may let through what
    // a client never read.
    match (old.not, new.not) {
        (a, b) if a == b => {}
        (None, Some(_)) if response => {}
        (Some(_), None) if !response => {}
        _ => add(&["not-changed"], format!("what {subject} must not be (`not`) changed")),
    }
    if let (Some(before), Some(after)) = (&old.extensible_enum, &new.extensible_enum)
        && !response
    {
        for value in before.iter().filter(|v| !after.contains(v)) {
            let message = format!("{subject} lost the `x-extensible-enum` value {}", short(value));
            add(&["x-extensible-enum-value-removed"], message);
        }
    }
    // Defaults and patterns are told on both sides: a response's are information.
    match (old.default, new.default) {
        (Some(a), Some(b)) if a != b => add(
            &["default-value-changed"],
            format!("the default of {subject} changed from {} to {}", short(a), short(b)),
        ),
        (None, Some(b)) => add(&["default-value-added"], format!("{subject} defaults to {}", short(b))),
        (Some(a), None) => {
            add(&["default-value-removed"], format!("{subject} no longer defaults to {}", short(a)))
        }
        _ => {}
    }
    let (must, no_longer) = if response {
        ("is now declared to match", "is no longer declared to match")
    } else {
        ("must now match", "no longer has to match")
    };
    match (old.pattern, new.pattern) {
        (None, Some(p)) => add(&["pattern-added"], format!("{subject} {must} `{p}`")),
        (Some(p), None) => add(&["pattern-removed"], format!("{subject} {no_longer} `{p}`")),
        (Some(a), Some(b)) if a != b => {
            add(&["pattern-changed"], format!("the pattern of {subject} changed from `{a}` to `{b}`"))
        }
        _ => {}
    }
    // A new `enum` restricts only what a client sends.
    if !response && old.enum_values.is_none() && new.enum_values.is_some() && !new.types.is_empty() {
        add(&["became-enum"], format!("{subject} was restricted to a list of enum values"));
    }
    keywords(subject, old.at.value, new.at.value, |change, message| add(&[change], message));
}

/// Compares two unions' discriminators: the property that names the alternative, and the
/// mapping from its values to schemas. A value a client sends must stay mapped; a value a
/// client reads must not be new to it.
pub(super) fn discriminators(
    out: &mut Findings,
    place: Place,
    subject: &Subject<'_>,
    at: &str,
    old: &View<'_>,
    new: &View<'_>,
) {
    let mut add =
        |what: &str, message: String| place.add(out, &[&format!("discriminator-{what}")], at, message);
    let (before, after) = match (&old.discriminator, &new.discriminator) {
        (None, None) => return,
        (None, Some(_)) => {
            return add("added", format!("{subject} tells its alternatives apart by a discriminator"));
        }
        (Some(_), None) => return add("removed", format!("{subject} no longer has a discriminator")),
        (Some(a), Some(b)) => (a, b),
    };
    if let (Some(a), Some(b)) = (before.str("propertyName"), after.str("propertyName"))
        && a != b
    {
        add("property-name-changed", format!("{subject} is told apart by `{b}` instead of `{a}`"));
    }
    let mapping = |node: &Node<'_>| -> BTreeMap<String, String> {
        let Some(Value::Object(map)) = node.value.get("mapping") else { return BTreeMap::new() };
        map.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned())).collect()
    };
    let (a, b) = (mapping(before), mapping(after));
    for (value, target) in &a {
        match b.get(value) {
            None => {
                add("mapping-deleted", format!("{subject} no longer maps the discriminator value `{value}`"))
            }
            Some(now) if now != target => add(
                "mapping-changed",
                format!("{subject} maps the discriminator value `{value}` to `{now}` instead of `{target}`"),
            ),
            Some(_) => {}
        }
    }
    for value in b.keys().filter(|v| !a.contains_key(*v)) {
        add("mapping-added", format!("{subject} maps a new discriminator value `{value}`"));
    }
}
