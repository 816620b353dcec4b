//! Comparing two schemas from the point of view of the side that uses them: a client sends
//! request schemas and reads response schemas, so the same edit can be harmless on one side
//! and breaking on the other.

mod constraints;
mod edit;
mod keywords;
mod members;
mod subject;
mod table;
mod view;

use std::collections::{BTreeSet, HashMap, HashSet};

use modelhost_codegen::openapi;
use serde_json::Value;

use self::constraints::{BOUNDS, constraints, discriminators};
use self::edit::Edit;
use self::members::{Members, all_of_members, member_key};
pub(crate) use self::subject::Subject;
use self::view::{Union, View};
use crate::findings::{Change, Findings};
use crate::lifecycle;
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    /// A parameter's schema; `header` for a header's, whose properties oasdiff names apart.
    Parameter { header: bool },
    /// A property of an object parameter (`deepObject`, `form`, a header's).
    ParameterProperty { header: bool },
    /// A request or response body as a whole: the media type's schema.
    Body(Side),
    /// A property (or the items) inside a body.
    Property(Side),
    /// A response header's schema.
    Header,
}

impl Place {
    fn side(self) -> Side {
        match self {
            Self::Parameter { .. } | Self::ParameterProperty { .. } => Side::Request,
            Self::Body(side) | Self::Property(side) => side,
            Self::Header => Side::Response,
        }
    }

    /// Where the properties and items of a schema at this place are.
    fn inner(self) -> Self {
        match self {
            Self::Parameter { header } | Self::ParameterProperty { header } => {
                Self::ParameterProperty { header }
            }
            Self::Body(side) | Self::Property(side) => Self::Property(side),
            Self::Header => Self::Property(Side::Response),
        }
    }

    /// Every place, in the order of the rule table's columns (a header parameter's schema has
    /// the parameters' column: only its properties have ids of their own).
    #[cfg(test)]
    const ALL: [Self; 9] = [
        Self::Parameter { header: false },
        Self::Parameter { header: true },
        Self::ParameterProperty { header: false },
        Self::ParameterProperty { header: true },
        Self::Body(Side::Request),
        Self::Property(Side::Request),
        Self::Body(Side::Response),
        Self::Property(Side::Response),
        Self::Header,
    ];

    /// This place's column in the rule table.
    fn index(self) -> usize {
        match self {
            Self::Parameter { .. } => 0,
            Self::ParameterProperty { header: false } => 1,
            Self::ParameterProperty { header: true } => 2,
            Self::Body(Side::Request) => 3,
            Self::Property(Side::Request) => 4,
            Self::Body(Side::Response) => 5,
            Self::Property(Side::Response) => 6,
            Self::Header => 7,
        }
    }

    /// Records `edit` under the rule [`table::rule`] gives it at this place, if any.
    fn add(self, out: &mut Findings, edit: Edit, at: &str, message: String) {
        if let Some(rule) = table::rule(edit, self) {
            out.add(rule, at, message);
        }
    }
}

/// Compares schemas within one operation, each pair of schema locations once. The changes
/// between two body schemas do not depend on the operation, so they are worked out once and
/// reused by every operation that has the same pair (specs share components widely).
#[derive(Default)]
pub(crate) struct SchemaDiff {
    seen: HashSet<Pairing>,
    bodies: HashMap<Pairing, Vec<Change>>,
    /// Component schemas known to be the same in both documents, with all they refer to.
    unchanged: HashMap<String, bool>,
    /// Whether the body being compared travels as text: its media type is not JSON.
    text: bool,
}

impl SchemaDiff {
    /// Compares two request or response body schemas of `media_type`.
    pub fn compare_bodies<'a>(
        &mut self,
        out: &mut Findings,
        base: (&'a Value, Node<'a>),
        rev: (&'a Value, Node<'a>),
        side: Side,
        media_type: &str,
    ) {
        self.text = !is_json(media_type);
        let key = Pairing::of(&base.1, &rev.1, Place::Body(side), self.text);
        let changes = match self.bodies.get(&key) {
            Some(changes) => changes,
            None => {
                let operation = out.operation.take();
                let mut found = Findings { policy: out.policy, ..Findings::default() };
                let seen = std::mem::take(&mut self.seen);
                self.compare(&mut found, base, rev, Place::Body(side), &Subject::Body(side), false);
                self.seen = seen;
                out.operation = operation;
                self.bodies.entry(key).or_insert(found.changes)
            }
        };
        self.text = false;
        for change in changes {
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
    /// one edit to it reads the same from every operation that uses it. `nullability_told`:
    /// the caller has reported what became of null (with the property's requiredness).
    pub fn compare<'a>(
        &mut self,
        out: &mut Findings,
        (base_doc, base): (&'a Value, Node<'a>),
        (rev_doc, rev): (&'a Value, Node<'a>),
        place: Place,
        subject: &Subject<'_>,
        nullability_told: bool,
    ) {
        // Each pair of schemas is compared once per place (a cycle ends here).
        if !self.seen.insert(Pairing::of(&base, &rev, place, self.text)) {
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
            Place::Body(side) | Place::Property(side) if old.component != new.component => {
                root = Subject::Switched {
                    side,
                    from: old.component.clone(),
                    to: new.component.clone(),
                    at: subject.property_path(),
                };
                &root
            }
            Place::Body(side) | Place::Property(side) => match &new.component {
                Some(name) => {
                    root = Subject::Schema { side, name: name.clone(), via: subject.property_path() };
                    &root
                }
                None => subject,
            },
            Place::Parameter { .. } | Place::ParameterProperty { .. } | Place::Header => subject,
        };
        let at = new.at.pointer.as_str();
        discriminators(out, place, subject, at, &old, &new);
        if !old.all_of.is_empty() && !new.all_of.is_empty() {
            all_of_members(out, (base_doc, &old), (rev_doc, &new), place, subject);
        }
        if !old.branches.is_empty() || !new.branches.is_empty() {
            return self.branches(out, (base_doc, &old), (rev_doc, &new), place, &used_as, nullability_told);
        }
        if !old.types.is_empty() && !new.types.is_empty() && old.types != new.types {
            // A narrower type is still read by a client; a server may refuse what it sent. A
            // header, or a body that is not JSON, is text on the wire: a number read as a
            // string is still read, a number sent where a string is expected still passes.
            let text = place == Place::Header || self.text;
            let edit = match (covers(&new.types, &old.types), covers(&old.types, &new.types)) {
                (true, _) => Edit::TypeWidened,
                (false, true) => Edit::TypeNarrowed,
                _ if text && is_plain_string(&old.types) => Edit::TypeFromText,
                _ if text && is_plain_string(&new.types) => Edit::TypeToText,
                _ => Edit::TypeChanged,
            };
            let message = format!(
                "the type of {} changed from {} to {}",
                subject,
                types(&old.types),
                types(&new.types)
            );
            place.add(out, edit, at, message);
        }
        if !nullability_told {
            nullability(out, place, &used_as, at, old.nullable, new.nullable);
        }
        if let (Some(before), Some(after)) = (&old.enum_values, &new.enum_values) {
            for value in before.iter().filter(|v| !after.contains(v)) {
                let message = format!("{subject} lost the enum value {}", short(value));
                place.add(out, Edit::EnumValueRemoved, at, message);
            }
            for value in after.iter().filter(|v| !before.contains(v)) {
                let message = format!("{subject} gained the enum value {}", short(value));
                place.add(out, Edit::EnumValueAdded, at, message);
            }
        }
        constraints(out, place, subject, at, &old, &new);
        // An object parameter (deepObject, form) is compared like a request body.
        self.properties(out, (base_doc, &old), (rev_doc, &new), place.inner(), subject);
        self.additional_properties(out, (base_doc, &old), (rev_doc, &new), place, subject);
        if let (Some(a), Some(b)) = (old.items.clone(), new.items.clone()) {
            let items = Subject::Property { parent: subject, name: "[]" };
            // A list parameter's (or header's) items are the parameter, as its rules name it.
            let inner =
                if matches!(place, Place::Parameter { .. } | Place::Header) { place } else { place.inner() };
            self.compare(out, (base_doc, a), (rev_doc, b), inner, &items, false);
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
        place: Place,
        subject: &Subject<'_>,
    ) {
        let at = new.at.pointer.as_str();
        let found = match (place.side(), closed(old), closed(new)) {
            (Side::Request, false, true) => {
                Some((Edit::Closed, "no longer accepts properties it does not list"))
            }
            (Side::Response, false, true) => {
                Some((Edit::Closed, "no longer carries properties it does not list"))
            }
            (Side::Request, true, false) => Some((Edit::Opened, "accepts properties it does not list")),
            (Side::Response, true, false) => Some((Edit::Opened, "may carry properties it does not list")),
            _ => None,
        };
        if let Some((edit, what)) = found {
            place.add(out, edit, at, format!("{subject} {what}"));
        }
        let schema = |view: &View<'a>| view.additional.clone().filter(|n| n.value.is_object());
        if let (Some(a), Some(b)) = (schema(old), schema(new)) {
            let values = Subject::Property { parent: subject, name: "*" };
            self.compare(out, (base_doc, a), (rev_doc, b), place.inner(), &values, false);
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
        nullability_told: bool,
    ) {
        let one = |view: &View<'a>| {
            if view.branches.is_empty() { vec![view.at.clone()] } else { view.branches.clone() }
        };
        if let Some((gone, came)) = list_of_types_change(old, new) {
            let list = |types: &BTreeSet<&str>| {
                types.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")
            };
            let at = new.at.pointer.as_str();
            // A type lost is what decides (a client or a server relied on it).
            let (edit, message) = match (gone.is_empty(), came.is_empty()) {
                (true, _) => (Edit::ListOfTypesWidened, format!("{subject} may now also be {}", list(&came))),
                (false, true) => {
                    (Edit::ListOfTypesNarrowed, format!("{subject} can no longer be {}", list(&gone)))
                }
                (false, false) => (
                    Edit::ListOfTypesNarrowed,
                    format!("{subject} can no longer be {}, and may now be {}", list(&gone), list(&came)),
                ),
            };
            place.add(out, edit, at, message);
            if !nullability_told {
                nullability(out, place, subject, at, old.nullable, new.nullable);
            }
            return;
        }
        let (before, after) = (one(old), one(new));
        // Inline alternatives are told apart by the value of the discriminator, if any.
        let tag = [new, old].into_iter().find_map(|v| v.discriminator.as_ref()?.str("propertyName"));
        let members = Members::matched((base_doc, &before), (rev_doc, &after), tag);
        let at = new.at.pointer.as_str();
        // A body that became a `oneOf` is one edit (oasdiff's wrapping), not a branch removed
        // and each alternative added: what moved into the alternatives is not reported gone.
        if matches!(place, Place::Body(_)) && old.branches.is_empty() && new.union == Union::OneOf {
            let kept = members.matched.first().map(|&(_, j)| j);
            let (edit, which) = match kept {
                Some(j) => (
                    Edit::WrappedInOneOfOriginalPreserved,
                    format!("one of them the schema it was ({})", member_key(rev_doc, &after[j], tag)),
                ),
                None => (Edit::WrappedInOneOf, "none of them the schema it was".to_owned()),
            };
            let message = format!("{subject} became a `oneOf` of {} alternatives, {which}", after.len());
            place.add(out, edit, at, message);
            if let Some(j) = kept {
                let (a, b) = (before[0].clone(), after[j].clone());
                self.compare(out, (base_doc, a), (rev_doc, b), place, subject, nullability_told);
            }
            return;
        }
        // The keyword of the side that is a union (`oneOf` or `anyOf`) names the rule.
        let union = |view: &View<'a>, other: &View<'a>| {
            if view.branches.is_empty() { other.union } else { view.union }
        };
        for (_, what) in &members.removed {
            let message = format!("{subject} no longer has the alternative {what}");
            place.add(out, Edit::BranchRemoved(union(old, new)), at, message);
        }
        for (_, what) in &members.added {
            let message = format!("{subject} has a new alternative {what}");
            place.add(out, Edit::BranchAdded(union(new, old)), at, message);
        }
        if place.side() == Side::Response && !old.nullable && new.nullable && !nullability_told {
            place.add(out, Edit::BecameNullable, at, format!("{subject} may now be null"));
        }
        for (i, j) in members.matched {
            let (a, b) = (before[i].clone(), after[j].clone());
            self.compare(out, (base_doc, a), (rev_doc, b), place, subject, nullability_told);
        }
    }

    fn properties<'a>(
        &mut self,
        out: &mut Findings,
        (base_doc, old): (&'a Value, &View<'a>),
        (rev_doc, new): (&'a Value, &View<'a>),
        place: Place,
        parent: &Subject<'_>,
    ) {
        let side = place.side();
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
                if after.is_none() && side == Side::Response {
                    out.add(
                        write_only_rule(was_required, false),
                        at,
                        format!("{subject}, write-only, was removed"),
                    );
                }
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
            // A required property with a default contradicts itself: whether omitting it is
            // refused is the server's call, so oasdiff warns rather than breaks.
            let defaulted = View::of(rev_doc, after.clone()).default.is_some();
            let became = match (side, was_required, is_required) {
                (Side::Request, false, true) if place == Place::ParameterProperty { header: true } => {
                    Some((&rules::REQUEST_HEADER_PROPERTY_BECAME_REQUIRED, "required"))
                }
                (Side::Request, false, true) if defaulted => Some((
                    &rules::REQUEST_PROPERTY_BECAME_REQUIRED_WITH_DEFAULT,
                    "required (it has a default)",
                )),
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
            let lifecycle = match side {
                Side::Request => &lifecycle::REQUEST_PROPERTY,
                Side::Response => &lifecycle::RESPONSE_PROPERTY,
            };
            lifecycle::compare(out, lifecycle, &subject, before, after);
            if let Some((rule, what)) = other_access(side, was_required, before, after) {
                out.add(rule, &after.pointer, format!("{subject} {what}"));
            }
            // `Optional[X] = None` in one revision is one edit: a property that became optional
            // and nullable at once is reported once, under the optional rule, saying both.
            let and_nullable = became.is_some_and(|(_, now)| now == "optional")
                && !View::of(base_doc, before.clone()).nullable
                && View::of(rev_doc, after.clone()).nullable;
            if let Some((rule, now)) = became {
                let also = if and_nullable { " and nullable" } else { "" };
                out.add(rule, &after.pointer, format!("{subject} became {now}{also}"));
            }
            let (a, b) = (before.clone(), after.clone());
            self.compare(out, (base_doc, a), (rev_doc, b), place, &subject, and_nullable);
        }
        // Properties added to an object the base closed: one edit (the object grew, as when a
        // property is retyped to a larger object), so one finding however many were added.
        let mut added_to_closed = Vec::new();
        for (name, after) in &new.properties {
            if old.properties.contains_key(name) {
                continue;
            }
            let subject = Subject::Property { parent, name };
            if hidden(after) {
                if side == Side::Response {
                    let rule = write_only_rule(new.required.contains(name), true);
                    out.add(rule, &after.pointer, format!("{subject}, write-only, was added"));
                }
                continue;
            }
            if side == Side::Response && closed(old) {
                added_to_closed.push((name, subject, after.pointer.as_str()));
                continue;
            }
            let defaulted = View::of(rev_doc, after.clone()).default.is_some();
            let (rule, what) = match (side, new.required.contains(name)) {
                (Side::Request, true) if place == Place::ParameterProperty { header: true } => {
                    (&rules::NEW_REQUIRED_REQUEST_HEADER_PROPERTY, "required ")
                }
                (Side::Request, true) if defaulted => {
                    (&rules::NEW_REQUIRED_REQUEST_PROPERTY_WITH_DEFAULT, "required (with a default) ")
                }
                (Side::Request, true) => (&rules::NEW_REQUIRED_REQUEST_PROPERTY, "required "),
                (Side::Request, false) => (&rules::NEW_OPTIONAL_REQUEST_PROPERTY, "optional "),
                (Side::Response, true) => (&rules::RESPONSE_REQUIRED_PROPERTY_ADDED, "required "),
                (Side::Response, false) => (&rules::RESPONSE_OPTIONAL_PROPERTY_ADDED, "optional "),
            };
            out.add(rule, &after.pointer, format!("the {what}{subject} was added"));
        }
        let refuses = "a client generated from the base refuses the new answers";
        match added_to_closed.as_slice() {
            [] => {}
            [(_, subject, pointer)] => out.add(
                &rules::RESPONSE_PROPERTY_ADDED_TO_CLOSED_OBJECT,
                pointer,
                format!("{subject} was added to an object the base closed (`additionalProperties: false`): {refuses}"),
            ),
            several => {
                let names: Vec<String> = several.iter().map(|(name, ..)| format!("`{name}`")).collect();
                out.add(
                    &rules::RESPONSE_PROPERTY_ADDED_TO_CLOSED_OBJECT,
                    at,
                    format!(
                        "{} properties ({}) were added to {parent}, an object the base closed (`additionalProperties: false`): {refuses}",
                        several.len(),
                        names.join(", ")
                    ),
                );
            }
        }
    }
}

/// Whether a schema admits every value: `true`, or an object of annotations only.
pub(crate) fn accepts_anything(schema: &Value) -> bool {
    const ANNOTATIONS: &[&str] =
        &["title", "description", "example", "examples", "deprecated", "readOnly", "writeOnly", "$comment"];
    match schema {
        Value::Bool(admits) => *admits,
        Value::Object(fields) => {
            fields.keys().all(|k| ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-"))
        }
        _ => false,
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

/// The rule for a write-only property added to or removed from a response (which never
/// carries it).
fn write_only_rule(required: bool, added: bool) -> &'static Rule {
    match (required, added) {
        (true, true) => &rules::RESPONSE_REQUIRED_WRITE_ONLY_PROPERTY_ADDED,
        (false, true) => &rules::RESPONSE_OPTIONAL_WRITE_ONLY_PROPERTY_ADDED,
        (true, false) => &rules::RESPONSE_REQUIRED_WRITE_ONLY_PROPERTY_REMOVED,
        (false, false) => &rules::RESPONSE_OPTIONAL_WRITE_ONLY_PROPERTY_REMOVED,
    }
}

/// The access flag that does not hide a property on this side (`writeOnly` in a request,
/// `readOnly` in a response) set or unset: nothing changes for the client here.
fn other_access(
    side: Side,
    required: bool,
    before: &Node<'_>,
    after: &Node<'_>,
) -> Option<(&'static Rule, String)> {
    // Indexed by [required][set now].
    let (flag, word, table): (_, _, [[&'static Rule; 2]; 2]) = match side {
        Side::Request => (
            "writeOnly",
            "write-only",
            [
                [
                    &rules::REQUEST_OPTIONAL_PROPERTY_BECAME_NOT_WRITE_ONLY,
                    &rules::REQUEST_OPTIONAL_PROPERTY_BECAME_WRITE_ONLY,
                ],
                [
                    &rules::REQUEST_REQUIRED_PROPERTY_BECAME_NOT_WRITE_ONLY,
                    &rules::REQUEST_REQUIRED_PROPERTY_BECAME_WRITE_ONLY,
                ],
            ],
        ),
        Side::Response => (
            "readOnly",
            "read-only",
            [
                [
                    &rules::RESPONSE_OPTIONAL_PROPERTY_BECAME_NOT_READ_ONLY,
                    &rules::RESPONSE_OPTIONAL_PROPERTY_BECAME_READ_ONLY,
                ],
                [
                    &rules::RESPONSE_REQUIRED_PROPERTY_BECAME_NOT_READ_ONLY,
                    &rules::RESPONSE_REQUIRED_PROPERTY_BECAME_READ_ONLY,
                ],
            ],
        ),
    };
    let now = after.flag(flag);
    if before.flag(flag) == now {
        return None;
    }
    let what = if now { format!("became {word}") } else { format!("is no longer {word}") };
    Some((table[usize::from(required)][usize::from(now)], what))
}

/// Reports what became of null: a response that may carry it or no longer does, a request
/// that accepts it or no longer does (the table keeps a parameter's quiet: a query string has
/// no null).
fn nullability(out: &mut Findings, place: Place, subject: &Subject<'_>, at: &str, old: bool, new: bool) {
    let (edit, what) = match (place.side(), old, new) {
        (Side::Response, false, true) => (Edit::BecameNullable, "may now be null"),
        (Side::Response, true, false) => (Edit::BecameNotNullable, "is no longer null"),
        (Side::Request, false, true) => (Edit::BecameNullable, "now accepts null"),
        (Side::Request, true, false) => (Edit::BecameNotNullable, "no longer accepts null"),
        _ => return,
    };
    place.add(out, edit, at, format!("{subject} {what}"));
}

/// Which two schemas are compared, and as what: their JSON pointers in their documents (which
/// name one schema each, unlike an address that another value could reuse), the place, and
/// whether values travel as text there.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Pairing {
    base: String,
    rev: String,
    place: Place,
    text: bool,
}

impl Pairing {
    fn of(base: &Node<'_>, rev: &Node<'_>, place: Place, text: bool) -> Self {
        Self { base: base.pointer.clone(), rev: rev.pointer.clone(), place, text }
    }
}

/// Whether a media type is JSON (`application/json`, `application/problem+json`), where a
/// number and a string are told apart; in any other (XML, a form, text) both are text.
fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
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

/// oasdiff's "list of types": a `oneOf`/`anyOf` whose branches are each a bare type
/// (`{type: string}`), compared with another such list or with a single type. The types the
/// revision lost and gained, when one side is such a list and the types differ.
fn list_of_types_change<'a>(
    old: &View<'a>,
    new: &View<'a>,
) -> Option<(BTreeSet<&'a str>, BTreeSet<&'a str>)> {
    let (before, after) = (type_list(old)?, type_list(new)?);
    if !before.1 && !after.1 {
        return None;
    }
    let gone: BTreeSet<_> = before.0.difference(&after.0).copied().collect();
    let came: BTreeSet<_> = after.0.difference(&before.0).copied().collect();
    (!gone.is_empty() || !came.is_empty()).then_some((gone, came))
}

/// The types a schema may be, and whether they come from a list of bare-type branches.
fn type_list<'a>(view: &View<'a>) -> Option<(BTreeSet<&'a str>, bool)> {
    if view.branches.is_empty() {
        let types: BTreeSet<_> = view.types.iter().map(|(t, _)| *t).collect();
        return (!types.is_empty()).then_some((types, false));
    }
    let bare = |node: &Node<'a>| {
        let complex = ["properties", "oneOf", "anyOf", "allOf"].iter().any(|k| node.value.get(*k).is_some());
        match node.value.get("type") {
            Some(Value::String(t)) if !complex => Some(t.as_str()),
            _ => None,
        }
    };
    let types: Option<BTreeSet<_>> = view.branches.iter().map(bare).collect();
    Some((types?, true))
}

/// Whether a value is read as text whatever it holds: a `string` without a format.
fn is_plain_string(types: &BTreeSet<(&str, Option<&str>)>) -> bool {
    types.len() == 1 && types.contains(&("string", None))
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::accepts_anything;

    #[test]
    fn only_a_schema_without_assertions_accepts_anything() {
        for schema in
            [json!({}), json!(true), json!({"description": "d", "x-internal": true, "examples": [1]})]
        {
            assert!(accepts_anything(&schema), "{schema}");
        }
        for schema in [json!(false), json!({"type": "string"}), json!({"$ref": "#/components/schemas/M"})] {
            assert!(!accepts_anything(&schema), "{schema}");
        }
    }
}
