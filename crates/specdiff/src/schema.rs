//! Comparing two schemas from the point of view of the side that uses them: a client sends
//! request schemas and reads response schemas, so the same edit can be harmless on one side
//! and breaking on the other.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

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
    enum_removed: &'static Rule,
    enum_added: &'static Rule,
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
                enum_removed: &rules::REQUEST_PARAMETER_ENUM_VALUE_REMOVED,
                enum_added: &rules::REQUEST_PARAMETER_ENUM_VALUE_ADDED,
            },
            Self::Body(Side::Request) => PlaceRules {
                type_changed: &rules::REQUEST_PROPERTY_TYPE_CHANGED,
                enum_removed: &rules::REQUEST_PROPERTY_ENUM_VALUE_REMOVED,
                enum_added: &rules::REQUEST_PROPERTY_ENUM_VALUE_ADDED,
            },
            Self::Body(Side::Response) => PlaceRules {
                type_changed: &rules::RESPONSE_PROPERTY_TYPE_CHANGED,
                enum_removed: &rules::RESPONSE_PROPERTY_ENUM_VALUE_REMOVED,
                enum_added: &rules::RESPONSE_PROPERTY_ENUM_VALUE_ADDED,
            },
        }
    }
}

/// A schema flattened for comparison: `allOf` merged, a single non-null `anyOf`/`oneOf`
/// branch taken as the schema (OpenAPI 3.1's way of writing "nullable").
struct View<'a> {
    at: Node<'a>,
    /// Each type with its format, as written: `("integer", Some("int64"))`.
    types: BTreeSet<(&'a str, Option<&'a str>)>,
    nullable: bool,
    enum_values: Option<Vec<&'a Value>>,
    properties: BTreeMap<&'a str, Node<'a>>,
    required: BTreeSet<&'a str>,
    items: Option<Node<'a>>,
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
        self.absorb_types(node);
        if node.flag("nullable") {
            self.nullable = true;
        }
        if self.enum_values.is_none() {
            self.enum_values = match (node.value.get("enum"), node.value.get("const")) {
                (Some(Value::Array(values)), _) => Some(values.iter().filter(|v| !v.is_null()).collect()),
                (_, Some(value)) => Some(vec![value]),
                _ => None,
            };
        }
        for (name, property) in node.entries(doc, "properties") {
            self.properties.entry(name).or_insert(property);
        }
        if let Some(Value::Array(required)) = node.value.get("required") {
            self.required.extend(required.iter().filter_map(Value::as_str));
        }
        if self.items.is_none() {
            self.items = node.get(doc, "items");
        }
        for member in node.items(doc, "allOf") {
            self.absorb(doc, &member, depth + 1);
        }
        for key in ["anyOf", "oneOf"] {
            let branches = node.items(doc, key);
            let (nulls, others): (Vec<_>, Vec<_>) = branches.into_iter().partition(is_null_schema);
            self.nullable |= !nulls.is_empty();
            match others.as_slice() {
                [only] => self.absorb(doc, only, depth + 1),
                many => many.iter().for_each(|branch| self.absorb_types(branch)),
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
            out.changes.push(Change { operation: out.operation.clone(), ..change.clone() });
        }
    }

    /// Forgets what was compared: called for each operation, whose changes are its own.
    pub fn reset(&mut self) {
        self.seen.clear();
    }

    /// Compares `base` (in the base document) with `rev` (in the revision); `subject` names
    /// the thing in messages.
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
        let (old, new) = (View::of(base_doc, base), View::of(rev_doc, rev));
        let at = new.at.pointer.as_str();
        let rules = place.rules();
        if !old.types.is_empty() && !new.types.is_empty() && old.types != new.types {
            let message = format!(
                "the type of {} changed from {} to {}",
                subject,
                types(&old.types),
                types(&new.types)
            );
            out.add(rules.type_changed, at, message);
        }
        if place == Place::Body(Side::Response) && !old.nullable && new.nullable {
            out.add(&rules::RESPONSE_PROPERTY_BECAME_NULLABLE, at, format!("{subject} may now be null"));
        }
        if let (Some(before), Some(after)) = (&old.enum_values, &new.enum_values) {
            for value in before.iter().filter(|v| !after.contains(v)) {
                out.add(rules.enum_removed, at, format!("{subject} lost the enum value {}", short(value)));
            }
            for value in after.iter().filter(|v| !before.contains(v)) {
                out.add(rules.enum_added, at, format!("{subject} gained the enum value {}", short(value)));
            }
        }
        if let Place::Body(side) = place {
            self.properties(out, (base_doc, &old), (rev_doc, &new), side, subject);
            if let (Some(a), Some(b)) = (old.items.clone(), new.items.clone()) {
                let items = Subject::Property { parent: subject, name: "[]" };
                self.compare(out, (base_doc, a), (rev_doc, b), place, &items);
            }
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
        }
        for (name, after) in &new.properties {
            if old.properties.contains_key(name) || hidden(after) {
                continue;
            }
            let subject = Subject::Property { parent, name };
            let (rule, what) = match (side, new.required.contains(name)) {
                (Side::Request, true) => (&rules::NEW_REQUIRED_REQUEST_PROPERTY, "required "),
                (Side::Request, false) => (&rules::NEW_OPTIONAL_REQUEST_PROPERTY, "optional "),
                (Side::Response, _) => (&rules::RESPONSE_PROPERTY_ADDED, ""),
            };
            out.add(rule, &after.pointer, format!("the {what}{subject} was added"));
        }
    }
}

/// What a schema comparison is about, spelled out only when a message needs it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Subject<'p> {
    /// Already named, such as `query parameter \`limit\``.
    Named(&'p str),
    /// A request or response body as a whole.
    Body(Side),
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
        if path.is_empty() { write!(f, "the {side} body") } else { write!(f, "{side} property `{path}`") }
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
