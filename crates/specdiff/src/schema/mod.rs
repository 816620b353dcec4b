//! Comparing two schemas from the point of view of the side that uses them: a client sends
//! request schemas and reads response schemas, so the same edit can be harmless on one side
//! and breaking on the other.

mod constraints;
mod members;
mod subject;
mod view;

use std::collections::{BTreeSet, HashMap, HashSet};

use modelhost_codegen::openapi;
use serde_json::Value;

use self::constraints::{BOUNDS, constraints, discriminators};
use self::members::{Members, all_of_members};
pub(crate) use self::subject::Subject;
use self::view::View;
use crate::findings::{Change, Findings};
use crate::node::Node;
use crate::rules::{self, Rule};

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
        let subject = match place {
            // Another component (or none) than the base's: what it loses was the base's, so
            // the message names the switch, not the new schema.
            Place::Body(side) if old.component != new.component => {
                root = Subject::Switched {
                    side,
                    from: old.component.clone(),
                    to: new.component.clone(),
                    at: subject.property_path(),
                };
                &root
            }
            Place::Body(side) => match &new.component {
                Some(name) => {
                    root = Subject::Schema { side, name: name.clone(), via: subject.property_path() };
                    &root
                }
                None => subject,
            },
            Place::Parameter => subject,
        };
        let at = new.at.pointer.as_str();
        discriminators(out, place.side(), subject, at, &old, &new);
        if !old.all_of.is_empty() && !new.all_of.is_empty() {
            all_of_members(out, (base_doc, &old), (rev_doc, &new), place.side(), subject);
        }
        if !old.branches.is_empty() || !new.branches.is_empty() {
            return self.branches(out, (base_doc, &old), (rev_doc, &new), place, &used_as);
        }
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
            self.additional_properties(out, (base_doc, &old), (rev_doc, &new), side, subject);
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

    /// Compares what an object says of the properties it does not list: closed
    /// (`additionalProperties: false`), open, or open with values of a schema, compared in turn.
    fn additional_properties<'a>(
        &mut self,
        out: &mut Findings,
        (base_doc, old): (&'a Value, &View<'a>),
        (rev_doc, new): (&'a Value, &View<'a>),
        side: Side,
        subject: &Subject<'_>,
    ) {
        let at = new.at.pointer.as_str();
        match (side, closed(old), closed(new)) {
            (Side::Request, false, true) => out.add(
                &rules::REQUEST_PROPERTY_ADDITIONAL_PROPERTIES_FORBIDDEN,
                at,
                format!("{subject} no longer accepts properties it does not list"),
            ),
            (Side::Request, true, false) => out.add(
                &rules::REQUEST_PROPERTY_ADDITIONAL_PROPERTIES_ALLOWED,
                at,
                format!("{subject} accepts properties it does not list"),
            ),
            (Side::Response, true, false) => out.add(
                &rules::RESPONSE_PROPERTY_ADDITIONAL_PROPERTIES_ALLOWED,
                at,
                format!("{subject} may carry properties it does not list"),
            ),
            _ => {}
        }
        let schema = |view: &View<'a>| view.additional.clone().filter(|n| n.value.is_object());
        if let (Some(a), Some(b)) = (schema(old), schema(new)) {
            let values = Subject::Property { parent: subject, name: "*" };
            self.compare(out, (base_doc, a), (rev_doc, b), Place::Body(side), &values);
        }
    }

    /// Compares schemas of which at least one is a union (`anyOf`/`oneOf` with two or more
    /// non-null branches; the other side, if not a union, is one branch). Branches are matched
    /// as [`Members::matched`] says; a branch added or removed is one finding at the
    /// consumer's level, and matched branches are compared in turn, so a property counts as
    /// removed only from the branch that lost it.
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
        // Inline alternatives are told apart by the value of the discriminator, if any.
        let tag = [new, old].into_iter().find_map(|v| v.discriminator.as_ref()?.str("propertyName"));
        let members = Members::matched((base_doc, &before), (rev_doc, &after), tag);
        let rules = place.rules();
        let at = new.at.pointer.as_str();
        for what in &members.removed {
            out.add(rules.branch_removed, at, format!("{subject} no longer has the alternative {what}"));
        }
        for what in &members.added {
            out.add(rules.branch_added, at, format!("{subject} has a new alternative {what}"));
        }
        if place.side() == Side::Response && !old.nullable && new.nullable {
            out.add(&rules::RESPONSE_PROPERTY_BECAME_NULLABLE, at, format!("{subject} may now be null"));
        }
        for (i, j) in members.matched {
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
            let subject = Subject::Property { parent, name };
            let was_required = old.required.contains(name);
            let after = new.properties.get(name);
            if let Some(after) = after
                && hidden(before) != hidden(after)
            {
                let hides = hidden(after);
                let required = if hides { was_required } else { new.required.contains(name) };
                let (rule, what) = visibility_rule(side, hides, required);
                out.add(rule, &after.pointer, format!("{subject} {what}"));
                continue;
            }
            if hidden(before) {
                continue;
            }
            let Some(after) = after else {
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
            if side == Side::Response && closed(old) {
                out.add(
                    &rules::RESPONSE_PROPERTY_ADDED_TO_CLOSED_OBJECT,
                    &after.pointer,
                    format!(
                        "{subject} was added to an object the base closed (`additionalProperties: false`): a client generated from the base refuses the new answers"
                    ),
                );
                continue;
            }
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

/// Whether an object lists every property it may have (`additionalProperties: false`): the
/// generated type then refuses any other (`#[serde(deny_unknown_fields)]`).
fn closed(view: &View<'_>) -> bool {
    view.additional.as_ref().is_some_and(|n| n.value == &Value::Bool(false))
}

/// The rule and words for a property that became hidden from one side (`readOnly` ones are
/// not sent, `writeOnly` ones not read), or visible to it.
fn visibility_rule(side: Side, hides: bool, required: bool) -> (&'static Rule, &'static str) {
    match (side, hides, required) {
        (Side::Request, true, false) => {
            (&rules::REQUEST_OPTIONAL_PROPERTY_BECAME_READ_ONLY, "became read-only")
        }
        (Side::Request, true, true) => {
            (&rules::REQUEST_REQUIRED_PROPERTY_BECAME_READ_ONLY, "became read-only")
        }
        (Side::Request, false, false) => {
            (&rules::REQUEST_OPTIONAL_PROPERTY_BECAME_NOT_READ_ONLY, "is no longer read-only")
        }
        (Side::Request, false, true) => {
            (&rules::REQUEST_REQUIRED_PROPERTY_BECAME_NOT_READ_ONLY, "is no longer read-only, and required")
        }
        (Side::Response, true, false) => {
            (&rules::RESPONSE_OPTIONAL_PROPERTY_BECAME_WRITE_ONLY, "became write-only")
        }
        (Side::Response, true, true) => {
            (&rules::RESPONSE_REQUIRED_PROPERTY_BECAME_WRITE_ONLY, "became write-only")
        }
        (Side::Response, false, false) => {
            (&rules::RESPONSE_OPTIONAL_PROPERTY_BECAME_NOT_WRITE_ONLY, "is no longer write-only")
        }
        (Side::Response, false, true) => (
            &rules::RESPONSE_REQUIRED_PROPERTY_BECAME_NOT_WRITE_ONLY,
            "is no longer write-only, and always present",
        ),
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
