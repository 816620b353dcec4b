//! Constraints on values (bounds, `multipleOf`, `uniqueItems`, `pattern`, enums, defaults) and
//! discriminators, compared by side.

use std::collections::BTreeMap;

use serde_json::Value;

use super::edit::{BoundName, Edit, Move};
use super::keywords::keywords;
use super::view::View;
use super::{Place, Side, Subject, short};
use crate::findings::Findings;
use crate::node::Node;

/// A bound a schema can set on its values, and how the rule table names it.
pub(super) struct Bound {
    pub(super) key: &'static str,
    pub(super) name: BoundName,
    /// The exclusive form of a numeric bound (3.1's `exclusiveMaximum: 5`), compared with the
    /// inclusive one as one bound (`< 2` → `≤ 2` loosens it), and its name.
    pub(super) exclusive: Option<(&'static str, BoundName)>,
    /// How messages name it.
    pub(super) words: &'static str,
    /// An upper bound (lowering it tightens), or a lower one (raising it tightens).
    pub(super) upper: bool,
}

pub(super) const BOUNDS: &[Bound] = &[
    Bound {
        key: "maximum",
        name: BoundName::Max,
        exclusive: Some(("exclusiveMaximum", BoundName::ExclusiveMax)),
        words: "maximum",
        upper: true,
    },
    Bound {
        key: "minimum",
        name: BoundName::Min,
        exclusive: Some(("exclusiveMinimum", BoundName::ExclusiveMin)),
        words: "minimum",
        upper: false,
    },
    Bound {
        key: "maxLength",
        name: BoundName::MaxLength,
        exclusive: None,
        words: "maximum length",
        upper: true,
    },
    Bound {
        key: "minLength",
        name: BoundName::MinLength,
        exclusive: None,
        words: "minimum length",
        upper: false,
    },
    Bound {
        key: "maxItems",
        name: BoundName::MaxItems,
        exclusive: None,
        words: "maximum number of items",
        upper: true,
    },
    Bound {
        key: "minItems",
        name: BoundName::MinItems,
        exclusive: None,
        words: "minimum number of items",
        upper: false,
    },
    Bound {
        key: "maxProperties",
        name: BoundName::MaxProperties,
        exclusive: None,
        words: "maximum number of properties",
        upper: true,
    },
    Bound {
        key: "minProperties",
        name: BoundName::MinProperties,
        exclusive: None,
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
        let exclusive = self.exclusive.and_then(|(k, _)| view.bounds.get(k)).map(|v| (*v, true));
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
    let mut add = |edit: Edit, message: String| place.add(out, edit, at, message);
    for bound in BOUNDS {
        let (before, after) = (bound.of(old), bound.of(new));
        let moved = match (before, after) {
            (Some(a), Some(b)) if a == b => continue,
            (None, None) => continue,
            (Some(a), Some(b)) if bound.tighter(a, b) => Move::Tightened,
            (Some(_), Some(_)) => Move::Loosened,
            (None, Some(_)) => Move::Set,
            (Some(_), None) => Move::Unset,
        };
        let exclusive = bound.exclusive.filter(|_| after.or(before).is_some_and(|(_, exclusive)| exclusive));
        let name = exclusive.map_or(bound.name, |(_, name)| name);
        add(
            Edit::Bound(name, moved),
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
        (None, Some(b)) => add(Edit::MultipleOfSet, format!("{subject} must now be a multiple of `{b}`")),
        (None, None) => {}
        (Some(a), None) => {
            add(Edit::MultipleOfUnset, format!("{subject} no longer has to be a multiple of `{a}`"))
        }
        (Some(a), Some(b)) => {
            let edit = if divides(a, b) {
                Edit::MultipleOfRelaxed
            } else if divides(b, a) {
                Edit::MultipleOfTightened
            } else {
                Edit::MultipleOfChanged
            };
            add(edit, format!("{subject} must be a multiple of `{b}` instead of `{a}`"));
        }
    }
    match (old.unique_items, new.unique_items) {
        (false, true) => add(Edit::UniqueItemsSet, format!("the items of {subject} must now be unique")),
        (true, false) => {
            add(Edit::UniqueItemsUnset, format!("the items of {subject} no longer have to be unique"))
        }
        _ => {}
    }
    match (old.constant, new.constant) {
        (None, None) => {}
        (a, b) if a == b => {}
        (None, Some(b)) => add(Edit::ConstAdded, format!("{subject} must now be {}", short(b))),
        (Some(a), None) => add(Edit::ConstRemoved, format!("{subject} no longer has to be {}", short(a))),
        (Some(a), Some(b)) => {
            add(Edit::ConstChanged, format!("{subject} must be {} instead of {}", short(b), short(a)))
        }
    }
    // A new or other `not` may refuse what was sent; one gone or other may let through what
    // a client never read.
    let not = match (old.not, new.not) {
        (a, b) if a == b => None,
        (None, Some(_)) => Some(Edit::NotAdded),
        (Some(_), None) => Some(Edit::NotRemoved),
        _ => Some(Edit::NotChanged),
    };
    if let Some(edit) = not {
        add(edit, format!("what {subject} must not be (`not`) changed"));
    }
    if let (Some(before), Some(after)) = (&old.extensible_enum, &new.extensible_enum) {
        for value in before.iter().filter(|v| !after.contains(v)) {
            let message = format!("{subject} lost the `x-extensible-enum` value {}", short(value));
            add(Edit::XExtensibleEnumValueRemoved, message);
        }
    }
    // Defaults and patterns are told on both sides: a response's are information.
    match (old.default, new.default) {
        (Some(a), Some(b)) if a != b => add(
            Edit::DefaultChanged,
            format!("the default of {subject} changed from {} to {}", short(a), short(b)),
        ),
        (None, Some(b)) => add(Edit::DefaultAdded, format!("{subject} defaults to {}", short(b))),
        (Some(a), None) => add(Edit::DefaultRemoved, format!("{subject} no longer defaults to {}", short(a))),
        _ => {}
    }
    let (must, no_longer) = if response {
        ("is now declared to match", "is no longer declared to match")
    } else {
        ("must now match", "no longer has to match")
    };
    match (old.pattern, new.pattern) {
        (None, Some(p)) => add(Edit::PatternAdded, format!("{subject} {must} `{p}`")),
        (Some(p), None) => add(Edit::PatternRemoved, format!("{subject} {no_longer} `{p}`")),
        (Some(a), Some(b)) if a != b => {
            add(Edit::PatternChanged, format!("the pattern of {subject} changed from `{a}` to `{b}`"))
        }
        _ => {}
    }
    // A new `enum` restricts what a client sends (the table keeps a response's quiet).
    if old.enum_values.is_none() && new.enum_values.is_some() && !new.types.is_empty() {
        add(Edit::BecameEnum, format!("{subject} was restricted to a list of enum values"));
    }
    keywords(subject, old.at.value, new.at.value, add);
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
    let mut add = |edit: Edit, message: String| place.add(out, edit, at, message);
    let (before, after) = match (&old.discriminator, &new.discriminator) {
        (None, None) => return,
        (None, Some(_)) => {
            return add(
                Edit::DiscriminatorAdded,
                format!("{subject} tells its alternatives apart by a discriminator"),
            );
        }
        (Some(_), None) => {
            return add(Edit::DiscriminatorRemoved, format!("{subject} no longer has a discriminator"));
        }
        (Some(a), Some(b)) => (a, b),
    };
    if let (Some(a), Some(b)) = (before.str("propertyName"), after.str("propertyName"))
        && a != b
    {
        add(
            Edit::DiscriminatorPropertyNameChanged,
            format!("{subject} is told apart by `{b}` instead of `{a}`"),
        );
    }
    let mapping = |node: &Node<'_>| -> BTreeMap<String, String> {
        let Some(Value::Object(map)) = node.value.get("mapping") else { return BTreeMap::new() };
        map.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned())).collect()
    };
    let (a, b) = (mapping(before), mapping(after));
    for (value, target) in &a {
        match b.get(value) {
            None => add(
                Edit::DiscriminatorMappingDeleted,
                format!("{subject} no longer maps the discriminator value `{value}`"),
            ),
            Some(now) if now != target => add(
                Edit::DiscriminatorMappingChanged,
                format!("{subject} maps the discriminator value `{value}` to `{now}` instead of `{target}`"),
            ),
            Some(_) => {}
        }
    }
    for value in b.keys().filter(|v| !a.contains_key(*v)) {
        add(Edit::DiscriminatorMappingAdded, format!("{subject} maps a new discriminator value `{value}`"));
    }
}
