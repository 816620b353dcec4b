//! Comparing operations: paths, parameters, request bodies, responses and security
//! requirements. Document-wide changes are in [`crate::document`].

use std::collections::{BTreeMap, BTreeSet};

use modelhost_codegen::openapi::{self, operation_key};
use modelhost_codegen::pointer;
use serde_json::Value;

use crate::findings::Findings;
use crate::node::Node;
use crate::rules::{self, Rule};
use crate::schema::{Place, SchemaDiff, Side, Subject, accepts_anything};
use crate::{lifecycle, security};

/// An operation, found under its path.
struct Operation<'a> {
    path: &'a str,
    method: &'static str,
    node: Node<'a>,
    path_item: Node<'a>,
}

/// Operations keyed by method and path template with parameter names blanked
/// (`/models/{}`), so that renaming a path parameter does not look like a new path.
fn operations<'a>(side: &'a Value) -> BTreeMap<(String, &'static str), Operation<'a>> {
    let mut found = BTreeMap::new();
    for op in openapi::operations(side) {
        let item_at = pointer::push("/paths", op.path);
        let node = Node { value: op.operation, pointer: pointer::push(&item_at, op.method) };
        let path_item = Node { value: op.path_item, pointer: item_at };
        let operation = Operation { path: op.path, method: op.method, node, path_item };
        found.insert((blank_parameters(op.path), op.method), operation);
    }
    found
}

fn blank_parameters(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// Compares every operation of the two documents.
pub(crate) fn compare(out: &mut Findings, base: &'_ Value, rev: &'_ Value) {
    let (old_ops, new_ops) = (operations(base), operations(rev));
    let mut schemas = SchemaDiff::default();
    for (key, old) in &old_ops {
        out.operation = Some(operation_key(old.method, old.path));
        let Some(new) = new_ops.get(key) else {
            let path_removed = !new_ops.keys().any(|(path, _)| *path == key.0);
            let (rule, what) = lifecycle::operation_removal(&old.node, path_removed);
            let container = Node::root(rev).get(rev, "paths").and_then(|p| p.get(rev, old.path));
            out.add(rule, &container.map_or_else(|| "/paths".to_owned(), |n| n.pointer), what);
            continue;
        };
        out.operation = Some(operation_key(new.method, new.path));
        schemas.reset();
        OperationDiff { out, schemas: &mut schemas, base, rev, old, new }.run();
    }
    for (key, new) in &new_ops {
        if !old_ops.contains_key(key) {
            out.operation = Some(operation_key(new.method, new.path));
            out.add(&rules::ENDPOINT_ADDED, &new.node.pointer, "the operation was added");
        }
    }
    out.operation = None;
}

struct OperationDiff<'s, 'a> {
    out: &'s mut Findings,
    schemas: &'s mut SchemaDiff,
    base: &'a Value,
    rev: &'a Value,
    old: &'s Operation<'a>,
    new: &'s Operation<'a>,
}

impl<'a> OperationDiff<'_, 'a> {
    fn run(mut self) {
        self.header();
        self.parameters();
        self.request_body();
        self.responses();
        security::operation(self.out, (self.base, &self.old.node), (self.rev, &self.new.node));
    }

    fn header(&mut self) {
        let at = self.new.node.pointer.clone();
        lifecycle::compare(self.out, &lifecycle::OPERATION, &"the operation", &self.old.node, &self.new.node);
        let (before, after) = (self.old.node.str("operationId"), self.new.node.str("operationId"));
        if before != after {
            let name = |id: Option<&str>| id.map_or_else(|| "none".to_owned(), |id| format!("`{id}`"));
            let rule = if before.is_none() {
                &rules::API_OPERATION_ID_ADDED
            } else {
                &rules::API_OPERATION_ID_REMOVED
            };
            self.out.add(
                rule,
                &at,
                format!("the operationId changed from {} to {}", name(before), name(after)),
            );
        }
        let tags = |node: &Node<'_>| -> BTreeSet<String> {
            let Some(Value::Array(tags)) = node.value.get("tags") else { return BTreeSet::new() };
            tags.iter().filter_map(Value::as_str).map(str::to_owned).collect()
        };
        let (before, after) = (tags(&self.old.node), tags(&self.new.node));
        for tag in before.difference(&after) {
            self.out.add(&rules::API_TAG_REMOVED, &at, format!("the tag `{tag}` was removed"));
        }
        for tag in after.difference(&before) {
            self.out.add(&rules::API_TAG_ADDED, &at, format!("the tag `{tag}` was added"));
        }
    }

    fn parameters(&mut self) {
        let old = parameters(self.base, self.old);
        let mut new = parameters(self.rev, self.new);
        let at = self.new.node.pointer.clone();
        self.rename_path_parameters(&old, &mut new);
        for ((location, name), before) in &old {
            let label = format!("{location} parameter `{name}`");
            if let Some(after) = new.get(&(location.clone(), name.clone())) {
                self.parameter(&label, before, after);
                continue;
            }
            let moved = new.keys().find(|(l, n)| n == name && !old.contains_key(&(l.clone(), n.clone())));
            match moved {
                Some((to, _)) => self.out.add(
                    &rules::REQUEST_PARAMETER_LOCATION_CHANGED,
                    &at,
                    format!("{label} moved to the {to}"),
                ),
                None => {
                    let (rule, what) = lifecycle::parameter_removal(before);
                    self.out.add(rule, &at, format!("{label} {what}"))
                }
            }
        }
        for ((location, name), after) in &new {
            let moved_here = old.keys().any(|(l, n)| n == name && !new.contains_key(&(l.clone(), n.clone())));
            if old.contains_key(&(location.clone(), name.clone())) || moved_here {
                continue;
            }
            // A parameter declared for the whole path reaches every operation under it; a path
            // parameter is always required (oasdiff names both apart).
            let for_the_path =
                after.pointer.starts_with(&format!("{}/parameters/", self.new.path_item.pointer));
            let (rule, what) = match (location.as_str(), after.flag("required"), for_the_path) {
                ("path", ..) => (&rules::NEW_REQUEST_PATH_PARAMETER, ""),
                (_, true, true) => {
                    (&rules::NEW_REQUIRED_REQUEST_DEFAULT_PARAMETER_TO_EXISTING_PATH, "required ")
                }
                (_, false, true) => {
                    (&rules::NEW_OPTIONAL_REQUEST_DEFAULT_PARAMETER_TO_EXISTING_PATH, "optional ")
                }
                (_, true, false) => (&rules::NEW_REQUIRED_REQUEST_PARAMETER, "required "),
                (_, false, false) => (&rules::NEW_OPTIONAL_REQUEST_PARAMETER, "optional "),
            };
            let whole = if for_the_path { " for the whole path" } else { "" };
            let message = format!("the {what}{location} parameter `{name}` was added{whole}");
            self.out.add(rule, &after.pointer, message);
        }
    }

    /// Path parameters are matched by position: the URL does not change when one is renamed.
    fn rename_path_parameters(&mut self, old: &Parameters<'a>, new: &mut Parameters<'a>) {
        let names = |path: &str| -> Vec<String> {
            path.split('{').skip(1).filter_map(|s| s.split_once('}')).map(|(n, _)| n.to_owned()).collect()
        };
        for (before, after) in names(self.old.path).into_iter().zip(names(self.new.path)) {
            let (old_key, new_key) =
                (("path".to_owned(), before.clone()), ("path".to_owned(), after.clone()));
            if before == after || !old.contains_key(&old_key) || old.contains_key(&new_key) {
                continue;
            }
            if let Some(node) = new.remove(&new_key) {
                self.out.add(
                    &rules::REQUEST_PATH_PARAMETER_RENAMED,
                    &node.pointer,
                    format!("path parameter `{before}` was renamed `{after}`"),
                );
                new.insert(old_key, node);
            }
        }
    }

    fn parameter(&mut self, label: &str, before: &Node<'a>, after: &Node<'a>) {
        let at = after.pointer.as_str();
        match (before.flag("required"), after.flag("required")) {
            (false, true) => self.out.add(
                &rules::REQUEST_PARAMETER_BECAME_REQUIRED,
                at,
                format!("{label} became required"),
            ),
            (true, false) => self.out.add(
                &rules::REQUEST_PARAMETER_BECAME_OPTIONAL,
                at,
                format!("{label} became optional"),
            ),
            _ => {}
        }
        lifecycle::compare(self.out, &lifecycle::PARAMETER, &label, before, after);
        serialization(self.out, label, before, after);
        if let (Some(a), Some(b)) = (before.get(self.base, "schema"), after.get(self.rev, "schema")) {
            let subject = Subject::Named(label);
            let (base, rev) = ((self.base, a), (self.rev, b));
            let place = Place::Parameter { header: before.str("in") == Some("header") };
            self.schemas.compare(self.out, base, rev, place, &subject, false);
        }
    }

    fn request_body(&mut self) {
        let old = self.old.node.get(self.base, "requestBody");
        let new = self.new.node.get(self.rev, "requestBody");
        let at = self.new.node.pointer.clone();
        let (old, new) = match (old, new) {
            (None, None) => return,
            (Some(_), None) => {
                return self.out.add(&rules::REQUEST_BODY_REMOVED, &at, "the request body was removed");
            }
            (None, Some(new)) => {
                let (rule, what) = if new.flag("required") {
                    (&rules::REQUEST_BODY_ADDED_REQUIRED, "required")
                } else {
                    (&rules::REQUEST_BODY_ADDED_OPTIONAL, "optional")
                };
                return self.out.add(rule, &new.pointer, format!("a {what} request body was added"));
            }
            (Some(old), Some(new)) => (old, new),
        };
        match (old.flag("required"), new.flag("required")) {
            (false, true) => self.out.add(
                &rules::REQUEST_BODY_BECAME_REQUIRED,
                &new.pointer,
                "the request body became required",
            ),
            (true, false) => self.out.add(
                &rules::REQUEST_BODY_BECAME_OPTIONAL,
                &new.pointer,
                "the request body became optional",
            ),
            _ => {}
        }
        let media = MediaRules {
            removed: &rules::REQUEST_BODY_MEDIA_TYPE_REMOVED,
            added: &rules::REQUEST_BODY_MEDIA_TYPE_ADDED,
            parameters_changed: &rules::REQUEST_BODY_MEDIA_TYPE_PARAMETERS_CHANGED,
            specialized: None,
            generalized: None,
            what: "the request body",
        };
        self.content(&old, &new, Side::Request, &media);
    }

    fn responses(&mut self) {
        let old: BTreeMap<_, _> = self.old.node.entries(self.base, "responses").into_iter().collect();
        let new: BTreeMap<_, _> = self.new.node.entries(self.rev, "responses").into_iter().collect();
        let responses_at = self
            .new
            .node
            .get(self.rev, "responses")
            .map_or_else(|| self.new.node.pointer.clone(), |n| n.pointer);
        for (status, before) in &old {
            let success = is_success(status);
            let Some(after) = new.get(status) else {
                let rule = if success {
                    &rules::RESPONSE_SUCCESS_STATUS_REMOVED
                } else {
                    &rules::RESPONSE_NON_SUCCESS_STATUS_REMOVED
                };
                self.out.add(rule, &responses_at, format!("the {status} response was removed"));
                continue;
            };
            let media = MediaRules {
                removed: &rules::RESPONSE_MEDIA_TYPE_REMOVED,
                added: &rules::RESPONSE_MEDIA_TYPE_ADDED,
                parameters_changed: &rules::RESPONSE_MEDIA_TYPE_NAME_CHANGED,
                specialized: Some(&rules::RESPONSE_MEDIA_TYPE_NAME_SPECIALIZED),
                generalized: Some(&rules::RESPONSE_MEDIA_TYPE_NAME_GENERALIZED),
                what: &format!("the {status} response"),
            };
            self.content(before, after, Side::Response, &media);
            self.headers(status, before, after);
        }
        for (status, after) in &new {
            if !old.contains_key(status) {
                let rule = if is_success(status) {
                    &rules::RESPONSE_SUCCESS_STATUS_ADDED
                } else {
                    &rules::RESPONSE_NON_SUCCESS_STATUS_ADDED
                };
                self.out.add(rule, &after.pointer, format!("a {status} response was added"));
            }
        }
    }

    /// Compares a response's headers: one a client read may be gone, no longer always sent,
    /// or hold something else (its schema, compared as a [`Place::Header`]).
    fn headers(&mut self, status: &str, before: &Node<'a>, after: &Node<'a>) {
        let old: BTreeMap<_, _> = before.entries(self.base, "headers").into_iter().collect();
        let new: BTreeMap<_, _> = after.entries(self.rev, "headers").into_iter().collect();
        // Header names are case-insensitive.
        let find = |map: &BTreeMap<&str, Node<'a>>, name: &str| {
            map.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, node)| node.clone())
        };
        for (name, header) in &old {
            let label = format!("the `{name}` header of the {status} response");
            match find(&new, name) {
                None => {
                    let rule = if header.flag("required") {
                        &rules::REQUIRED_RESPONSE_HEADER_REMOVED
                    } else {
                        &rules::OPTIONAL_RESPONSE_HEADER_REMOVED
                    };
                    self.out.add(rule, &after.pointer, format!("{label} was removed"));
                }
                Some(now) => {
                    if header.flag("required") && !now.flag("required") {
                        let message = format!("{label} became optional");
                        self.out.add(&rules::RESPONSE_HEADER_BECAME_OPTIONAL, &now.pointer, message);
                    }
                    if let (Some(a), Some(b)) = (header.get(self.base, "schema"), now.get(self.rev, "schema"))
                    {
                        let (base, rev) = ((self.base, a), (self.rev, b));
                        let subject = Subject::Named(&label);
                        self.schemas.compare(self.out, base, rev, Place::Header, &subject, false);
                    }
                }
            }
        }
        for (name, header) in &new {
            if find(&old, name).is_none() {
                let label = format!("the `{name}` header of the {status} response");
                self.out.add(&rules::RESPONSE_HEADER_ADDED, &header.pointer, format!("{label} was added"));
            }
        }
    }

    /// Compares the `content` of a request body or a response, media type by media type.
    fn content(&mut self, old: &Node<'a>, new: &Node<'a>, side: Side, media: &MediaRules<'_>) {
        let before: BTreeMap<_, _> = old.entries(self.base, "content").into_iter().collect();
        let after: BTreeMap<_, _> = new.entries(self.rev, "content").into_iter().collect();
        let renamed = renamed_media_types(&before, &after, media);
        for (media_type, old_media) in &before {
            let (new_key, rule) = renamed.get(media_type).copied().unzip();
            let new_key = new_key.unwrap_or(media_type);
            let Some(new_media) = after.get(new_key) else {
                self.out.add(
                    media.removed,
                    &new.pointer,
                    format!("{} no longer comes as `{media_type}`", media.what),
                );
                continue;
            };
            if let Some(rule) = rule {
                self.out.add(
                    rule,
                    &new_media.pointer,
                    format!("{} comes as `{new_key}` instead of `{media_type}`", media.what),
                );
            }
            let schema_a = old_media.get(self.base, "schema");
            let schema_b = new_media.get(self.rev, "schema");
            if let (Some(a), Some(b)) = (schema_a, schema_b) {
                self.schemas.compare_bodies(self.out, (self.base, a), (self.rev, b), side, new_key);
            }
            schema_presence(self.out, side, (media.what, new_key), old_media, new_media);
        }
        for (media_type, new_media) in &after {
            if !before.contains_key(media_type) && !renamed.values().any(|(v, _)| v == media_type) {
                self.out.add(
                    media.added,
                    &new_media.pointer,
                    format!("{} now also comes as `{media_type}`", media.what),
                );
            }
        }
    }
}

/// The media types gone from the base that one new media type each stands for, with the rule
/// that tells it: the same type with other parameters, or (for a response) a more or less
/// specific name of it. Matched one to one, same types first.
fn renamed_media_types<'k, N>(
    before: &BTreeMap<&'k str, N>,
    after: &BTreeMap<&'k str, N>,
    media: &MediaRules<'_>,
) -> BTreeMap<&'k str, (&'k str, &'static Rule)> {
    let mut renamed: BTreeMap<&str, (&str, &'static Rule)> = BTreeMap::new();
    let essence = |m: &str| m.split(';').next().unwrap_or(m).trim().to_ascii_lowercase();
    let same_type = |a: &str, b: &str| (essence(a) == essence(b)).then_some(media.parameters_changed);
    let related = |a: &str, b: &str| match (MediaName::of(a), MediaName::of(b)) {
        (Some(old), Some(new)) if old.contains(&new) => media.specialized,
        (Some(old), Some(new)) if new.contains(&old) => media.generalized,
        _ => None,
    };
    for matching in [&same_type as &dyn Fn(&str, &str) -> Option<&'static Rule>, &related] {
        let gone: Vec<&str> =
            before.keys().copied().filter(|k| !after.contains_key(k) && !renamed.contains_key(k)).collect();
        for old_key in gone {
            let taken = |k: &str| before.contains_key(k) || renamed.values().any(|(v, _)| *v == k);
            let candidates: Vec<(&str, &'static Rule)> = after
                .keys()
                .filter(|k| !taken(k))
                .filter_map(|k| Some((*k, matching(old_key, k)?)))
                .collect();
            if let [only] = candidates.as_slice() {
                renamed.insert(old_key, *only);
            }
        }
    }
    renamed
}

/// A media type that gained or lost its `schema` (or its OpenAPI 3.2 `itemSchema`, which
/// types each item of a stream). A schema that accepts anything (`{}`, `true`, annotations
/// only) states nothing, so its coming or going is not reported.
/// `(what, media_type)` name the media type in a message.
fn schema_presence(
    out: &mut Findings,
    side: Side,
    (what_media, media_type): (&str, &str),
    old: &Node<'_>,
    new: &Node<'_>,
) {
    for key in ["schema", "itemSchema"] {
        let states = |media: &Node<'_>| media.value.get(key).is_some_and(|schema| !accepts_anything(schema));
        let (rule, what) = match (states(old), states(new), side, key) {
            (false, true, Side::Request, "schema") => {
                (&rules::REQUEST_BODY_MEDIA_TYPE_SCHEMA_ADDED, "gained")
            }
            (true, false, Side::Request, "schema") => {
                (&rules::REQUEST_BODY_MEDIA_TYPE_SCHEMA_REMOVED, "lost")
            }
            (false, true, Side::Request, _) => (&rules::REQUEST_BODY_MEDIA_TYPE_ITEM_SCHEMA_ADDED, "gained"),
            (true, false, Side::Request, _) => (&rules::REQUEST_BODY_MEDIA_TYPE_ITEM_SCHEMA_REMOVED, "lost"),
            (false, true, Side::Response, "schema") => {
                (&rules::RESPONSE_BODY_MEDIA_TYPE_SCHEMA_ADDED, "gained")
            }
            (true, false, Side::Response, "schema") => {
                (&rules::RESPONSE_BODY_MEDIA_TYPE_SCHEMA_REMOVED, "lost")
            }
            (false, true, Side::Response, _) => {
                (&rules::RESPONSE_BODY_MEDIA_TYPE_ITEM_SCHEMA_ADDED, "gained")
            }
            (true, false, Side::Response, _) if new.value.get("schema").is_none() => {
                (&rules::RESPONSE_BODY_MEDIA_TYPE_ITEM_SCHEMA_REMOVED_UNTYPED, "lost")
            }
            (true, false, Side::Response, _) => {
                (&rules::RESPONSE_BODY_MEDIA_TYPE_ITEM_SCHEMA_REMOVED, "lost")
            }
            _ => continue,
        };
        out.add(rule, &new.pointer, format!("{what_media} as `{media_type}` {what} its `{key}`"));
    }
}

struct MediaRules<'m> {
    removed: &'static Rule,
    added: &'static Rule,
    /// The same media type with other parameters (`; charset=utf-8`).
    parameters_changed: &'static Rule,
    /// A more specific name of the media type (`application/json` → `application/problem+json`).
    specialized: Option<&'static Rule>,
    /// A more general name of it.
    generalized: Option<&'static Rule>,
    what: &'m str,
}

/// A media type's name, `type/subtype+suffix+suffix`, without its parameters.
struct MediaName {
    kind: String,
    subtype: String,
    suffixes: Vec<String>,
}

impl MediaName {
    fn of(media_type: &str) -> Option<Self> {
        let name = media_type.split(';').next()?.trim().to_ascii_lowercase();
        let (kind, rest) = name.split_once('/')?;
        let mut parts = rest.split('+').map(str::trim).map(str::to_owned);
        let subtype = parts.next().filter(|s| !s.is_empty() && s != "*")?;
        let suffixes: Vec<String> = parts.collect();
        (!kind.is_empty() && suffixes.iter().all(|s| !s.is_empty())).then(|| Self {
            kind: kind.trim().to_owned(),
            subtype,
            suffixes,
        })
    }

    /// Whether `other` is a more specific name of this one, which a reader of this one still
    /// reads, as oasdiff has it: `application/json` contains `application/problem+json`,
    /// `image/png+json` contains `image/png+json+xml`.
    fn contains(&self, other: &Self) -> bool {
        self.kind == other.kind
            && ((self.suffixes.is_empty() && other.suffixes.last() == Some(&self.subtype))
                || (self.subtype == other.subtype
                    && other.suffixes.len() > self.suffixes.len()
                    && other.suffixes.starts_with(&self.suffixes)))
    }
}

type Parameters<'a> = BTreeMap<(String, String), Node<'a>>;

/// The operation's parameters with the path item's, the operation's taking precedence.
fn parameters<'a>(side: &'a Value, op: &Operation<'a>) -> Parameters<'a> {
    let mut found = BTreeMap::new();
    for node in op.path_item.items(side, "parameters").into_iter().chain(op.node.items(side, "parameters")) {
        if let (Some(location), Some(name)) = (node.str("in"), node.str("name")) {
            found.insert((location.to_owned(), name.to_owned()), node);
        }
    }
    found
}

/// `2xx` and `2XX` statuses are successes; `default` and everything else are errors.
fn is_success(status: &str) -> bool {
    status.starts_with('2')
}

/// Compares how a parameter is written on the wire: its `style` and, for a list or an object,
/// `explode`, each as the spec's defaults make it when not written (`form` and exploded for
/// the query and cookies, `simple` for the path and headers).
fn serialization(out: &mut Findings, label: &str, before: &Node<'_>, after: &Node<'_>) {
    fn method<'n>(node: &Node<'n>) -> (&'n str, bool) {
        let style = node.str("style").unwrap_or(match node.str("in") {
            Some("query" | "cookie") => "form",
            _ => "simple",
        });
        let explode = node.value.get("explode").and_then(Value::as_bool).unwrap_or(style == "form");
        (style, explode)
    }
    let ((style_a, explode_a), (style_b, explode_b)) = (method(before), method(after));
    let at = after.pointer.as_str();
    if style_a != style_b {
        let message = format!("{label} is written in the style `{style_b}` instead of `{style_a}`");
        return out.add(&rules::REQUEST_PARAMETER_STYLE_CHANGED, at, message);
    }
    // `explode` changes nothing for a single value.
    let scalar = |node: &Node<'_>| {
        let Some(schema) = node.value.get("schema") else { return false };
        ["string", "number", "integer", "boolean"]
            .iter()
            .any(|t| schema.get("type") == Some(&Value::from(*t)))
    };
    if explode_a != explode_b && !(scalar(before) && scalar(after)) {
        let how = |exploded: bool| if exploded { "exploded" } else { "not exploded" };
        let message = format!("{label} is written {} instead of {}", how(explode_b), how(explode_a));
        out.add(&rules::REQUEST_PARAMETER_EXPLODE_CHANGED, at, message);
    }
}

#[cfg(test)]
mod tests {
    use super::MediaName;

    #[test]
    fn a_media_type_name_contains_its_more_specific_names_only() {
        let contains = |a: &str, b: &str| MediaName::of(a).unwrap().contains(&MediaName::of(b).unwrap());
        assert!(contains("application/json", "application/problem+json"));
        assert!(contains("application/json; charset=utf-8", "Application/Problem+JSON"));
        assert!(contains("image/png+json", "image/png+json+xml"));
        assert!(!contains("application/problem+json", "application/json"));
        assert!(!contains("application/json", "application/json"));
        assert!(!contains("application/json", "text/json"));
        assert!(!contains("application/xml", "application/problem+json"));
        for bad in ["json", "application/", "application/*", "application/json+", "/json"] {
            assert!(MediaName::of(bad).is_none(), "{bad}");
        }
    }
}
