//! Comparing two schemas from the point of view of the side that uses them: a client sends
//! request schemas and reads response schemas, so the same edit can be harmless on one side
//! and breaking on the other.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use modelhost_codegen::openapi;
use serde_json::Value;

use crate::findings::{Change, Findings};
use crate::node::Node;
use crate::rules::{self, Rule};

/// How deep `allOf`/`anyOf`/`oneOf` nesting is followed when flattening one schema.
const MAX_NESTING: usize = 16;

/// Which way the data flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// Sent by the client: parameters and request bodies.
    Request,
    /// Read by the client.
    Response,
}

/// What a schema describes, which decides the rules that apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A parameter's schema.
    Parameter,
    /// A request or response body, or a property inside one.
    Body(Side),
}

struct PlaceRules {
    type_changed: &'static Rule,
    /// A type that admits every value the old one did (and more).
    type_widened: &'static Rule,
    /// A type that admits only values the old one did.
    type_narrowed: &'static Rule,
    enum_removed: &'static Rule,
    enum_added: &'static Rule,
    branch_added: &'static Rule,
    branch_removed: &'static Rule,
}

impl Place {
    fn side(self) -> Side {
        match self {
            Self::Parameter => Side::Request,
            Self::Body(side) => side,
        }
    }

    fn rules(self) -> PlaceRules {
        match self {
            Self::Parameter => PlaceRules {
                type_changed: &rules::REQUEST_PARAMETER_TYPE_CHANGED,
                type_widened: &rules::REQUEST_PARAMETER_TYPE_GENERALIZED,
                type_narrowed: &rules::REQUEST_PARAMETER_TYPE_CHANGED,
                enum_removed: &rules::REQUEST_PARAMETER_ENUM_VALUE_REMOVED,
                enum_added: &rules::REQUEST_PARAMETER_ENUM_VALUE_ADDED,
                branch_added: &rules::REQUEST_PROPERTY_ONE_OF_ADDED,
                branch_removed: &rules::REQUEST_PROPERTY_ONE_OF_REMOVED,
            },
            Self::Body(Side::Request) => PlaceRules {
                type_changed: &rules::REQUEST_PROPERTY_TYPE_CHANGED,
                type_widened: &rules::REQUEST_PROPERTY_TYPE_GENERALIZED,
                type_narrowed: &rules::REQUEST_PROPERTY_TYPE_CHANGED,
                enum_removed: &rules::REQUEST_PROPERTY_ENUM_VALUE_REMOVED,
                enum_added: &rules::REQUEST_PROPERTY_ENUM_VALUE_ADDED,
                branch_added: &rules::REQUEST_PROPERTY_ONE_OF_ADDED,
                branch_removed: &rules::REQUEST_PROPERTY_ONE_OF_REMOVED,
            },
            Self::Body(Side::Response) => PlaceRules {
                type_changed: &rules::RESPONSE_PROPERTY_TYPE_CHANGED,
                type_widened: &rules::RESPONSE_PROPERTY_TYPE_GENERALIZED,
                type_narrowed: &rules::RESPONSE_PROPERTY_TYPE_SPECIALIZED,
                enum_removed: &rules::RESPONSE_PROPERTY_ENUM_VALUE_REMOVED,
                enum_added: &rules::RESPONSE_PROPERTY_ENUM_VALUE_ADDED,
                branch_added: &rules::RESPONSE_PROPERTY_ONE_OF_ADDED,
                branch_removed: &rules::RESPONSE_PROPERTY_ONE_OF_REMOVED,
            },
        }
    }
}

/// A schema flattened for comparison: `allOf` merged, a single non-null `anyOf`/`oneOf`
/// branch taken as the schema (OpenAPI 3.1's way of writing "nullable"), several kept as
/// branches to be matched one by one.
struct View<'a> {
    at: Node<'a>,
    /// Each type with its format, as written: `("integer", Some("int64"))`.
    types: BTreeSet<(&'a str, Option<&'a str>)>,
    nullable: bool,
    enum_values: Option<Vec<&'a Value>>,
    properties: BTreeMap<&'a str, Node<'a>>,
    required: BTreeSet<&'a str>,
    items: Option<Node<'a>>,
    /// The non-null branches of an `anyOf`/`oneOf` with two or more of them.
    branches: Vec<Node<'a>>,
    /// The component schema this is, directly or as the one non-null branch of a nullable
    /// union (`anyOf: [$ref, null]`).
    component: Option<String>,
    /// Numeric bounds, lengths and item counts, by keyword.
    bounds: BTreeMap<&'static str, f64>,
    /// The `pattern` values must match.
    pattern: Option<&'a str>,
}

impl<'a> View<'a> {
    fn of(doc: &'a Value, at: Node<'a>) -> Self {
        let mut view = Self {
            at: at.clone(),
            types: BTreeSet::new(),
            nullable: false,
            enum_values: None,
            properties: BTreeMap::new(),
            required: BTreeSet::new(),
            items: None,
            branches: Vec::new(),
            component: component_name(&at.pointer),
            bounds: BTreeMap::new(),
            pattern: None,
        };
        view.absorb(doc, &at, 0);
        if view.types.is_empty() && !view.properties.is_empty() {
            view.types.insert(("object", None));
        }
        view
    }

    fn absorb(&mut self, doc: &'a Value, node: &Node<'a>, depth: usize) {
        if depth > MAX_NESTING {
            return;
        }
        let Some(map) = node.value.as_object() else { return };
        self.absorb_types(node);
        // One pass over the keywords (schemas are many and keywords few); what needs a
        // resolved child is taken afterwards, only where present.
        let (mut properties, mut items, mut composed) = (false, false, false);
        // Each bound's inclusive keyword's value, then its exclusive one's.
        let mut bounds: [Option<&'a Value>; 2 * BOUNDS.len()] = [None; 2 * BOUNDS.len()];
        for (key, value) in map {
            match key.as_str() {
                "nullable" => self.nullable |= value.as_bool() == Some(true),
                "enum" if self.enum_values.is_none() => {
                    if let Value::Array(values) = value {
                        self.enum_values = Some(values.iter().filter(|v| !v.is_null()).collect());
                    }
                }
                "const" if self.enum_values.is_none() => self.enum_values = Some(vec![value]),
                "properties" => properties = true,
                "required" => {
                    if let Value::Array(required) = value {
                        self.required.extend(required.iter().filter_map(Value::as_str));
                    }
                }
                "items" => items = true,
                "pattern" if self.pattern.is_none() => self.pattern = value.as_str(),
                "allOf" | "anyOf" | "oneOf" => composed = true,
                key => {
                    for (i, bound) in BOUNDS.iter().enumerate() {
                        if bound.key == key {
                            bounds[2 * i] = Some(value);
                        } else if bound.exclusive == Some(key) {
                            bounds[2 * i + 1] = Some(value);
                        }
                    }
                }
            }
        }
        for (bound, i) in BOUNDS.iter().zip((0..).step_by(2)) {
            // 3.1 writes an exclusive bound as a number of its own; 3.0's boolean
            // `exclusiveMaximum: true` makes `maximum` exclusive.
            let (inclusive, exclusive) = (bounds[i], bounds[i + 1]);
            if let (Some(key), Some(value)) = (bound.exclusive, exclusive.and_then(Value::as_f64)) {
                self.bounds.entry(key).or_insert(value);
            }
            let Some(value) = inclusive.and_then(Value::as_f64) else { continue };
            let key = match bound.exclusive {
                Some(key) if exclusive.and_then(Value::as_bool) == Some(true) => key,
                _ => bound.key,
            };
            self.bounds.entry(key).or_insert(value);
        }
        if properties {
            for (name, property) in node.entries(doc, "properties") {
                self.properties.entry(name).or_insert(property);
            }
        }
        if items && self.items.is_none() {
            self.items = node.get(doc, "items");
        }
        if !composed {
            return;
        }
        for member in node.items(doc, "allOf") {
            self.absorb(doc, &member, depth + 1);
        }
        for key in ["anyOf", "oneOf"] {
            let branches = node.items(doc, key);
            let (nulls, others): (Vec<_>, Vec<_>) = branches.into_iter().partition(is_null_schema);
            self.nullable |= !nulls.is_empty();
            match others.as_slice() {
                [only] => {
                    if self.component.is_none() {
                        self.component = component_name(&only.pointer);
                    }
                    self.absorb(doc, only, depth + 1)
                }
                [] => {}
                many => self.branches.extend(many.iter().cloned()),
            }
        }
    }

    fn absorb_types(&mut self, node: &Node<'a>) {
        let format = node.str("format");
        let mut add = |t: &'a str| match t {
            "null" => self.nullable = true,
            t => {
                self.types.insert((t, format));
            }
        };
        match node.value.get("type") {
            Some(Value::String(t)) => add(t),
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).for_each(add),
            _ => {}
        }
    }
}

fn is_null_schema(node: &Node<'_>) -> bool {
    node.str("type") == Some("null")
        || node.value.get("enum").is_some_and(|e| e == &Value::Array(vec![Value::Null]))
}

/// Compares schemas within one operation, each pair of schema locations once. The changes
/// between two body schemas do not depend on the operation, so they are worked out once and
/// reused by every operation that has the same pair (specs share components widely).
#[derive(Default)]
pub(crate) struct SchemaDiff {
    seen: HashSet<(usize, usize, bool)>,
    bodies: HashMap<(usize, usize, bool), Vec<Change>>,
    /// Component schemas known to be the same in both documents, with all they refer to.
    unchanged: HashMap<String, bool>,
}

impl SchemaDiff {
    /// Compares two request or response body schemas.
    pub fn compare_bodies<'a>(
        &mut self,
        out: &mut Findings,
        base: (&'a Value, Node<'a>),
        rev: (&'a Value, Node<'a>),
        side: Side,
    ) {
        let key = (
            base.1.value as *const Value as usize,
            rev.1.value as *const Value as usize,
            side == Side::Request,
        );
        if !self.bodies.contains_key(&key) {
            let operation = out.operation.take();
            let mut found = Findings::default();
            let seen = std::mem::take(&mut self.seen);
            self.compare(&mut found, base, rev, Place::Body(side), &Subject::Body(side));
            self.seen = seen;
            out.operation = operation;
            self.bodies.insert(key, found.changes);
        }
        for change in &self.bodies[&key] {
            out.changes
                .push(Change { operations: out.operation.iter().cloned().collect(), ..change.clone() });
        }
    }

    /// Forgets what was compared: called for each operation, whose changes are its own.
    pub fn reset(&mut self) {
        self.seen.clear();
    }

    /// Compares `base` (in the base document) with `rev` (in the revision); `subject` names
    /// the thing in messages. A component schema is named after itself (`Model.id`), so that
    /// one edit to it reads the same from every operation that uses it.
    pub fn compare<'a>(
        &mut self,
        out: &mut Findings,
        (base_doc, base): (&'a Value, Node<'a>),
        (rev_doc, rev): (&'a Value, Node<'a>),
        place: Place,
        subject: &Subject<'_>,
    ) {
        // Nodes are identified by address: each pair of places is compared once.
        let key = (
            base.value as *const Value as usize,
            rev.value as *const Value as usize,
            place.side() == Side::Request,
        );
        if !self.seen.insert(key) {
            return;
        }
        // Most components of a revision are untouched: equal text, and everything they
        // refer to equal too, means nothing in them can have changed.
        if let (Some(a), Some(b)) = (component_name(&base.pointer), component_name(&rev.pointer))
            && a == b
            && self.unchanged(base_doc, rev_doc, &a)
        {
            return;
        }
        let (old, new) = (View::of(base_doc, base), View::of(rev_doc, rev));
        // Whether the value may be null belongs to where it is used, not to the component.
        let used_as = subject.clone();
        let root;
        let subject = match (place, &new.component) {
            (Place::Body(side), Some(name)) => {
                root = Subject::Schema { side, name: name.clone() };
                &root
            }
            _ => subject,
        };
        if !old.branches.is_empty() || !new.branches.is_empty() {
            return self.branches(out, (base_doc, &old), (rev_doc, &new), place, &used_as);
        }
        let at = new.at.pointer.as_str();
        let rules = place.rules();
        if !old.types.is_empty() && !new.types.is_empty() && old.types != new.types {
            let rule = match (covers(&new.types, &old.types), covers(&old.types, &new.types)) {
                (true, _) => rules.type_widened,
                (false, true) => rules.type_narrowed,
                (false, false) => rules.type_changed,
            };
            let message = format!(
                "the type of {} changed from {} to {}",
                subject,
                types(&old.types),
                types(&new.types)
            );
            out.add(rule, at, message);
        }
        match (place.side(), old.nullable, new.nullable) {
            (Side::Response, false, true) => {
                out.add(&rules::RESPONSE_PROPERTY_BECAME_NULLABLE, at, format!("{used_as} may now be null"))
            }
            (Side::Request, false, true) if place != Place::Parameter => {
                out.add(&rules::REQUEST_PROPERTY_BECAME_NULLABLE, at, format!("{used_as} now accepts null"))
            }
            (Side::Request, true, false) if place != Place::Parameter => out.add(
                &rules::REQUEST_PROPERTY_BECAME_NOT_NULLABLE,
                at,
                format!("{used_as} no longer accepts null"),
            ),
            _ => {}
        }
        if let (Some(before), Some(after)) = (&old.enum_values, &new.enum_values) {
            for value in before.iter().filter(|v| !after.contains(v)) {
                out.add(rules.enum_removed, at, format!("{subject} lost the enum value {}", short(value)));
            }
            for value in after.iter().filter(|v| !before.contains(v)) {
                out.add(rules.enum_added, at, format!("{subject} gained the enum value {}", short(value)));
            }
        }
        constraints(out, place, subject, at, &old, &new);
        // An object parameter (deepObject, form) is compared like a request body.
        let body = match place {
            Place::Body(side) => Place::Body(side),
            Place::Parameter => Place::Body(Side::Request),
        };
        if let Place::Body(side) = body {
            self.properties(out, (base_doc, &old), (rev_doc, &new), side, subject);
        }
        if let (Some(a), Some(b)) = (old.items.clone(), new.items.clone()) {
            let items = Subject::Property { parent: subject, name: "[]" };
            self.compare(out, (base_doc, a), (rev_doc, b), place, &items);
        }
    }

    /// Whether component schema `name`, and every schema it refers to, is the same in both.
    fn unchanged<'a>(&mut self, base: &'a Value, rev: &'a Value, name: &str) -> bool {
        if let Some(&known) = self.unchanged.get(name) {
            return known;
        }
        let schema = |doc: &'a Value, name: &str| doc.get("components")?.get("schemas")?.get(name);
        let same = |name: &str| schema(base, name).is_some_and(|a| Some(a) == schema(rev, name));
        let result = same(name)
            && schema(base, name)
                .is_some_and(|node| openapi::referenced_schemas(base, node).iter().all(|n| same(n)));
        self.unchanged.insert(name.to_owned(), result);
        result
    }

    /// Compares schemas of which at least one is a union (`anyOf`/`oneOf` with two or more
    /// non-null branches; the other side, if not a union, is one branch). Branches are matched
    /// by the component they refer to, else by title or shape; a branch
    /// added or removed is one finding at the consumer's level, and matched branches are
    /// compared in turn, so a property counts as removed only from the branch that lost it.
    fn branches<'a>(
        &mut self,
        out: &mut Findings,
        (base_doc, old): (&'a Value, &View<'a>),
        (rev_doc, new): (&'a Value, &View<'a>),
        place: Place,
        subject: &Subject<'_>,
    ) {
        let one = |view: &View<'a>| {
            if view.branches.is_empty() { vec![view.at.clone()] } else { view.branches.clone() }
        };
        let (before, after) = (one(old), one(new));
        let (before_keys, after_keys): (Vec<String>, Vec<String>) = (
            before.iter().map(|b| branch_key(base_doc, b)).collect(),
            after.iter().map(|b| branch_key(rev_doc, b)).collect(),
        );
        let mut matched = Vec::new();
        let mut unmatched_new: Vec<usize> = (0..after.len()).collect();
        let mut unmatched_old = Vec::new();
        for (i, key) in before_keys.iter().enumerate() {
            match unmatched_new.iter().position(|&j| &after_keys[j] == key) {
                Some(k) => matched.push((i, unmatched_new.remove(k))),
                None => unmatched_old.push(i),
            }
        }
        // One branch changed beyond recognition on each side: the same branch, modified.
        if let ([i], [j]) = (unmatched_old.as_slice(), unmatched_new.as_slice()) {
            matched.push((*i, *j));
            unmatched_old.clear();
            unmatched_new.clear();
        }
        let rules = place.rules();
        let at = new.at.pointer.as_str();
        for &i in &unmatched_old {
            let what = &before_keys[i];
            out.add(rules.branch_removed, at, format!("{subject} no longer has the alternative {what}"));
        }
        for &j in &unmatched_new {
            let what = &after_keys[j];
            out.add(rules.branch_added, at, format!("{subject} has a new alternative {what}"));
        }
        if place.side() == Side::Response && !old.nullable && new.nullable {
            out.add(&rules::RESPONSE_PROPERTY_BECAME_NULLABLE, at, format!("{subject} may now be null"));
        }
        for (i, j) in matched {
            self.compare(out, (base_doc, before[i].clone()), (rev_doc, after[j].clone()), place, subject);
        }
    }

    fn properties<'a>(
        &mut self,
        out: &mut Findings,
        (base_doc, old): (&'a Value, &View<'a>),
        (rev_doc, new): (&'a Value, &View<'a>),
        side: Side,
        parent: &Subject<'_>,
    ) {
        let hidden = |node: &Node<'_>| match side {
            Side::Request => node.flag("readOnly"),
            Side::Response => node.flag("writeOnly"),
        };
        let at = new.at.pointer.as_str();
        for (name, before) in &old.properties {
            if hidden(before) {
                continue;
            }
            let subject = Subject::Property { parent, name };
            let was_required = old.required.contains(name);
            let Some(after) = new.properties.get(name) else {
                let rule = match (side, was_required) {
                    (Side::Request, _) => &rules::REQUEST_PROPERTY_REMOVED,
                    (Side::Response, true) => &rules::RESPONSE_REQUIRED_PROPERTY_REMOVED,
                    (Side::Response, false) => &rules::RESPONSE_OPTIONAL_PROPERTY_REMOVED,
                };
                out.add(rule, at, format!("{subject} was removed"));
                continue;
            };
            let is_required = new.required.contains(name);
            let became = match (side, was_required, is_required) {
                (Side::Request, false, true) => Some((&rules::REQUEST_PROPERTY_BECAME_REQUIRED, "required")),
                (Side::Request, true, false) => Some((&rules::REQUEST_PROPERTY_BECAME_OPTIONAL, "optional")),
                (Side::Response, true, false) => {
                    Some((&rules::RESPONSE_PROPERTY_BECAME_OPTIONAL, "optional"))
                }
                (Side::Response, false, true) => {
                    Some((&rules::RESPONSE_PROPERTY_BECAME_REQUIRED, "required"))
                }
                _ => None,
            };
            let deprecation = match (side, before.flag("deprecated"), after.flag("deprecated")) {
                (Side::Request, false, true) => Some((&rules::REQUEST_PROPERTY_DEPRECATED, "was deprecated")),
                (Side::Request, true, false) => {
                    Some((&rules::REQUEST_PROPERTY_REACTIVATED, "is no longer deprecated"))
                }
                (Side::Response, false, true) => {
                    Some((&rules::RESPONSE_PROPERTY_DEPRECATED, "was deprecated"))
                }
                (Side::Response, true, false) => {
                    Some((&rules::RESPONSE_PROPERTY_REACTIVATED, "is no longer deprecated"))
                }
                _ => None,
            };
            if let Some((rule, what)) = deprecation {
                out.add(rule, &after.pointer, format!("{subject} {what}"));
            }
            let start = out.changes.len();
            if let Some((rule, now)) = became {
                out.add(rule, &after.pointer, format!("{subject} became {now}"));
            }
            self.compare(
                out,
                (base_doc, before.clone()),
                (rev_doc, after.clone()),
                Place::Body(side),
                &subject,
            );
            if became.is_some_and(|(_, now)| now == "optional") {
                fold_nullable_into_optional(out, start, &subject);
            }
        }
        for (name, after) in &new.properties {
            if old.properties.contains_key(name) || hidden(after) {
                continue;
            }
            let subject = Subject::Property { parent, name };
            let (rule, what) = match (side, new.required.contains(name)) {
                (Side::Request, true) => (&rules::NEW_REQUIRED_REQUEST_PROPERTY, "required "),
                (Side::Request, false) => (&rules::NEW_OPTIONAL_REQUEST_PROPERTY, "optional "),
                (Side::Response, true) => (&rules::RESPONSE_REQUIRED_PROPERTY_ADDED, "required "),
                (Side::Response, false) => (&rules::RESPONSE_OPTIONAL_PROPERTY_ADDED, "optional "),
            };
            out.add(rule, &after.pointer, format!("the {what}{subject} was added"));
        }
    }
}

/// A bound a schema can set on its values, and the words rule ids use for it.
struct Bound {
    key: &'static str,
    /// The exclusive form of a numeric bound (3.1's `exclusiveMaximum: 5`), compared with the
    /// inclusive one as one bound: `< 2` → `≤ 2` loosens it.
    exclusive: Option<&'static str>,
    /// How rule ids name it (`max-length`), and its exclusive form.
    names: (&'static str, &'static str),
    /// How messages name it.
    words: &'static str,
    /// An upper bound (lowering it tightens), or a lower one (raising it tightens).
    upper: bool,
}

const BOUNDS: &[Bound] = &[
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

/// Bounds, `pattern` and a new `enum`, by side: what the server accepts may only widen for
/// requests, and what it sends may only narrow for responses (a tightened response bound is
/// no change for a client, and not reported).
fn constraints(
    out: &mut Findings,
    place: Place,
    subject: &Subject<'_>,
    at: &str,
    old: &View<'_>,
    new: &View<'_>,
) {
    let prefix = match place {
        Place::Parameter => "request-parameter",
        Place::Body(Side::Request) => "request-property",
        Place::Body(Side::Response) => "response-property",
    };
    let mut add = |id: String, message: String| match rules::rule(&id) {
        Some(rule) => out.add(rule, at, message),
        None => debug_assert!(false, "no rule {id}"),
    };
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
        add(
            format!("{prefix}-{name}-{direction}"),
            format!(
                "the {} of {subject} went from {} to {}",
                bound.words,
                bound.shown(before),
                bound.shown(after)
            ),
        );
    }
    if place.side() == Side::Response {
        return;
    }
    match (old.pattern, new.pattern) {
        (None, Some(p)) => add(format!("{prefix}-pattern-added"), format!("{subject} must now match `{p}`")),
        (Some(p), None) => {
            add(format!("{prefix}-pattern-removed"), format!("{subject} no longer has to match `{p}`"))
        }
        (Some(a), Some(b)) if a != b => add(
            format!("{prefix}-pattern-changed"),
            format!("the pattern of {subject} changed from `{a}` to `{b}`"),
        ),
        _ => {}
    }
    if old.enum_values.is_none() && new.enum_values.is_some() && !new.types.is_empty() {
        add(format!("{prefix}-became-enum"), format!("{subject} was restricted to a list of enum values"));
    }
}

/// `Optional[X] = None` in one revision is one edit: a property that became optional and
/// nullable at once is reported once, under the optional rule, saying both.
fn fold_nullable_into_optional(out: &mut Findings, start: usize, subject: &Subject<'_>) {
    let nullable = [&rules::RESPONSE_PROPERTY_BECAME_NULLABLE, &rules::REQUEST_PROPERTY_BECAME_NULLABLE];
    let name = subject.to_string();
    let at = out.changes[start].pointer.clone();
    let found = out.changes[start + 1..]
        .iter()
        .position(|c| nullable.contains(&c.rule) && c.pointer == at)
        .map(|i| start + 1 + i);
    if let Some(i) = found {
        out.changes.remove(i);
        out.changes[start].message = format!("{name} became optional and nullable");
    }
}

/// The name of the component schema at `pointer`, if it is one (`/components/schemas/NAME`).
fn component_name(pointer: &str) -> Option<String> {
    let name = pointer.strip_prefix("/components/schemas/")?;
    (!name.contains('/')).then(|| modelhost_codegen::pointer::unescape(name))
}

/// What identifies a union branch across revisions: the component it refers to, else its
/// title, else its shape (types, property names, enum values).
fn branch_key(doc: &Value, branch: &Node<'_>) -> String {
    if let Some(name) = component_name(&branch.pointer) {
        return format!("`{name}`");
    }
    if let Some(title) = branch.str("title") {
        return format!("titled `{title}`");
    }
    let view = View::of(doc, branch.clone());
    let mut shape = types(&view.types);
    if !view.properties.is_empty() {
        let names: Vec<&str> = view.properties.keys().copied().collect();
        shape = format!("{shape} with {}", names.join(", "));
    }
    if let Some(values) = &view.enum_values {
        shape = format!("{shape} in {}", values.iter().map(|v| short(v)).collect::<Vec<_>>().join(", "));
    }
    if shape.is_empty() { "of any type".to_owned() } else { shape }
}

/// Whether every value of one of the `narrow` types is a value of one of the `wide` ones:
/// an integer is a number, an `int32` an `int64`, a `float` a `double`, and a type without
/// a format admits every format of it.
fn covers(wide: &BTreeSet<(&str, Option<&str>)>, narrow: &BTreeSet<(&str, Option<&str>)>) -> bool {
    narrow.iter().all(|&(t, f)| {
        wide.iter().any(|&(u, g)| match (t, u) {
            ("integer", "number") => true,
            _ if t != u => false,
            _ => {
                let (f, g) = (normal_format(t, f), normal_format(u, g));
                g.is_none()
                    || f == g
                    || matches!((f, g), (Some("int32"), Some("int64")) | (Some("float"), Some("double")))
            }
        })
    })
}

/// A number's format as generated clients read it when none is given.
fn normal_format<'a>(kind: &str, format: Option<&'a str>) -> Option<&'a str> {
    match (kind, format) {
        ("integer", None) => Some("int64"),
        ("number", None) => Some("double"),
        _ => format,
    }
}

/// What a schema comparison is about, spelled out only when a message needs it.
#[derive(Debug, Clone)]
pub(crate) enum Subject<'p> {
    /// Already named, such as `query parameter \`limit\``.
    Named(&'p str),
    /// A request or response body as a whole.
    Body(Side),
    /// A component schema, named after itself wherever it is used.
    Schema {
        /// Whether it is sent or read.
        side: Side,
        /// The component's name.
        name: String,
    },
    /// A property (or, named `[]`, the items) of another subject.
    Property {
        /// What holds it.
        parent: &'p Subject<'p>,
        /// Its name.
        name: &'p str,
    },
}

impl Subject<'_> {
    fn side_and_path(&self) -> (Option<Side>, String) {
        match self {
            Self::Named(_) => (None, String::new()),
            Self::Body(side) => (Some(*side), String::new()),
            Self::Schema { side, name } => (Some(*side), name.clone()),
            Self::Property { parent, name } => {
                let (side, mut path) = parent.side_and_path();
                if !path.is_empty() && *name != "[]" {
                    path.push('.');
                }
                path.push_str(name);
                (side, path)
            }
        }
    }
}

impl std::fmt::Display for Subject<'_> {
    /// `request property \`a.b[].c\``, `the response body`, or the given name.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Self::Named(name) = self {
            return f.write_str(name);
        }
        let (side, path) = self.side_and_path();
        let side = match side {
            Some(Side::Request) => "request",
            Some(Side::Response) => "response",
            None => "",
        };
        match self {
            Self::Schema { name, .. } => write!(f, "{side} schema `{name}`"),
            _ if path.is_empty() => write!(f, "the {side} body"),
            _ => write!(f, "{side} property `{path}`"),
        }
    }
}

fn types(types: &BTreeSet<(&str, Option<&str>)>) -> String {
    let one = |(t, format): &(&str, Option<&str>)| match format {
        Some(f) => format!("`{t} ({f})`"),
        None => format!("`{t}`"),
    };
    types.iter().map(one).collect::<Vec<_>>().join(" or ")
}

/// A value as it appears in a message: compact JSON, cut to 60 characters.
fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(60) {
        Some((i, _)) => format!("`{}…`", &text[..i]),
        None => format!("`{text}`"),
    }
}
