//! A schema flattened for comparison: `allOf` merged, `$ref`s followed, nullability and
//! union branches told apart.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{BOUNDS, component_name};
use crate::node::Node;

/// How deep `allOf`/`anyOf`/`oneOf` nesting is followed when flattening one schema.
const MAX_NESTING: usize = 16;

/// A schema flattened for comparison: `allOf` merged, a single non-null `anyOf`/`oneOf`
/// branch taken as the schema (OpenAPI 3.1's way of writing "nullable"), several kept as
/// branches to be matched one by one.
pub(super) struct View<'a> {
    pub(super) at: Node<'a>,
    /// Each type with its format, as written: `("integer", Some("int64"))`.
    pub(super) types: BTreeSet<(&'a str, Option<&'a str>)>,
    pub(super) nullable: bool,
    pub(super) enum_values: Option<Vec<&'a Value>>,
    /// `const`: the one value allowed.
    pub(super) constant: Option<&'a Value>,
    /// `x-extensible-enum`: the values known today, more to come.
    pub(super) extensible_enum: Option<Vec<&'a Value>>,
    /// `not`, as written (a `$ref` is compared as its target's name).
    pub(super) not: Option<&'a Value>,
    pub(super) properties: BTreeMap<&'a str, Node<'a>>,
    pub(super) required: BTreeSet<&'a str>,
    pub(super) items: Option<Node<'a>>,
    /// The non-null branches of an `anyOf`/`oneOf` with two or more of them.
    pub(super) branches: Vec<Node<'a>>,
    /// Which keyword the branches are under.
    pub(super) union: Union,
    /// The component schema this is, directly or as the one non-null branch of a nullable
    /// union (`anyOf: [$ref, null]`).
    pub(super) component: Option<String>,
    /// Numeric bounds, lengths and item counts, by keyword.
    pub(super) bounds: BTreeMap<&'static str, f64>,
    /// The `pattern` values must match.
    pub(super) pattern: Option<&'a str>,
    /// The number values must be a multiple of.
    pub(super) multiple_of: Option<f64>,
    /// Whether a list's items must be unique.
    pub(super) unique_items: bool,
    /// `additionalProperties`: `false`, `true` or the schema of the values not listed.
    pub(super) additional: Option<Node<'a>>,
    /// The union's `discriminator`.
    pub(super) discriminator: Option<Node<'a>>,
    /// The value a server assumes when none is sent.
    pub(super) default: Option<&'a Value>,
    /// The schema's own `allOf` members (not those of the schemas they refer to).
    pub(super) all_of: Vec<Node<'a>>,
}

impl<'a> View<'a> {
    /// The values allowed, if they are listed: the `enum`, or the `const` as a list of one.
    pub(super) fn values(&self) -> Option<Vec<&'a Value>> {
        self.enum_values.clone().or_else(|| self.constant.map(|c| vec![c]))
    }

    pub(super) fn of(doc: &'a Value, at: Node<'a>) -> Self {
        let mut view = Self {
            at: at.clone(),
            types: BTreeSet::new(),
            nullable: false,
            enum_values: None,
            constant: None,
            extensible_enum: None,
            not: None,
            properties: BTreeMap::new(),
            required: BTreeSet::new(),
            items: None,
            branches: Vec::new(),
            union: Union::OneOf,
            component: component_name(&at.pointer),
            bounds: BTreeMap::new(),
            pattern: None,
            multiple_of: None,
            unique_items: false,
            additional: None,
            discriminator: None,
            default: None,
            all_of: Vec::new(),
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
        let (mut additional, mut discriminator) = (false, false);
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
                "const" if self.constant.is_none() => self.constant = Some(value),
                "x-extensible-enum" if self.extensible_enum.is_none() => {
                    if let Value::Array(values) = value {
                        self.extensible_enum = Some(values.iter().collect());
                    }
                }
                "not" if self.not.is_none() => self.not = Some(value),
                "properties" => properties = true,
                "required" => {
                    if let Value::Array(required) = value {
                        self.required.extend(required.iter().filter_map(Value::as_str));
                    }
                }
                "items" => items = true,
                "pattern" if self.pattern.is_none() => self.pattern = value.as_str(),
                "multipleOf" if self.multiple_of.is_none() => self.multiple_of = value.as_f64(),
                "uniqueItems" => self.unique_items |= value.as_bool() == Some(true),
                "additionalProperties" => additional = true,
                "discriminator" => discriminator = true,
                "default" if self.default.is_none() => self.default = Some(value),
                "allOf" | "anyOf" | "oneOf" => composed = true,
                key => {
                    for (i, bound) in BOUNDS.iter().enumerate() {
                        if bound.key == key {
                            bounds[2 * i] = Some(value);
                        } else if bound.exclusive.is_some_and(|(k, _)| k == key) {
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
            if let (Some((key, _)), Some(value)) = (bound.exclusive, exclusive.and_then(Value::as_f64)) {
                self.bounds.entry(key).or_insert(value);
            }
            let Some(value) = inclusive.and_then(Value::as_f64) else { continue };
            let key = match bound.exclusive {
                Some((key, _)) if exclusive.and_then(Value::as_bool) == Some(true) => key,
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
        if additional && self.additional.is_none() {
            self.additional = node.get(doc, "additionalProperties");
        }
        if discriminator && self.discriminator.is_none() {
            self.discriminator = node.get(doc, "discriminator");
        }
        if !composed {
            return;
        }
        let members = node.items(doc, "allOf");
        for member in &members {
            self.absorb(doc, member, depth + 1);
        }
        if depth == 0 {
            self.all_of = members;
        }
        for (key, union) in [("anyOf", Union::AnyOf), ("oneOf", Union::OneOf)] {
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
                many => {
                    self.union = union;
                    self.branches.extend(many.iter().cloned())
                }
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

/// The keyword a union's branches are under, which oasdiff's rule ids name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Union {
    /// `oneOf`: exactly one branch matches.
    OneOf,
    /// `anyOf`: one or more match.
    AnyOf,
}

fn is_null_schema(node: &Node<'_>) -> bool {
    node.str("type") == Some("null")
        || node.value.get("enum").is_some_and(|e| e == &Value::Array(vec![Value::Null]))
}
