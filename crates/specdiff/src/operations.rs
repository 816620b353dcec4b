//! Comparing operations: paths, parameters, request bodies, responses and security
//! requirements. Document-wide changes are in [`crate::document`].

use std::collections::{BTreeMap, BTreeSet};

use modelhost_codegen::openapi::{self, operation_key};
use modelhost_codegen::pointer;
use serde_json::Value;

use crate::findings::Findings;
use crate::node::Node;
use crate::rules;
use crate::schema::{Place, SchemaDiff, Side, Subject};

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
            let (rule, what) = removal(old, path_removed);
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

/// The rule and message for a removed operation: whether its whole path went, and whether
/// it was deprecated, and removed before or after its `x-sunset` date.
fn removal(old: &Operation<'_>, path_removed: bool) -> (&'static rules::Rule, String) {
    let pick = |path: &'static rules::Rule, op: &'static rules::Rule| if path_removed { path } else { op };
    if !old.node.flag("deprecated") {
        let rule =
            pick(&rules::API_PATH_REMOVED_WITHOUT_DEPRECATION, &rules::API_REMOVED_WITHOUT_DEPRECATION);
        return (rule, "the operation was removed without being deprecated first".to_owned());
    }
    match old.node.str("x-sunset").and_then(sunset_date) {
        Some(date) if date > today() => (
            pick(&rules::API_PATH_REMOVED_BEFORE_SUNSET, &rules::API_REMOVED_BEFORE_SUNSET),
            format!("the deprecated operation was removed before its sunset date {date}"),
        ),
        _ => (
            pick(&rules::API_PATH_REMOVED_WITH_DEPRECATION, &rules::API_REMOVED_WITH_DEPRECATION),
            "the deprecated operation was removed".to_owned(),
        ),
    }
}

/// The `YYYY-MM-DD` of an `x-sunset` value (a date, or a date-time), if it has one.
fn sunset_date(text: &str) -> Option<String> {
    let date = text.get(..10)?;
    let b = date.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    (digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10)).then(|| date.to_owned())
}

/// Today's date (UTC) as `YYYY-MM-DD`, from the system clock.
fn today() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
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
        self.security();
    }

    fn header(&mut self) {
        let at = self.new.node.pointer.clone();
        match (self.old.node.flag("deprecated"), self.new.node.flag("deprecated")) {
            (false, true) => self.out.add(&rules::ENDPOINT_DEPRECATED, &at, "the operation was deprecated"),
            (true, false) => {
                self.out.add(&rules::ENDPOINT_REACTIVATED, &at, "the operation is no longer deprecated")
            }
            _ => {}
        }
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
                None => self.out.add(&rules::REQUEST_PARAMETER_REMOVED, &at, format!("{label} was removed")),
            }
        }
        for ((location, name), after) in &new {
            let moved_here = old.keys().any(|(l, n)| n == name && !new.contains_key(&(l.clone(), n.clone())));
            if old.contains_key(&(location.clone(), name.clone())) || moved_here {
                continue;
            }
            let (rule, what) = if after.flag("required") {
                (&rules::NEW_REQUIRED_REQUEST_PARAMETER, "required")
            } else {
                (&rules::NEW_OPTIONAL_REQUEST_PARAMETER, "optional")
            };
            self.out.add(rule, &after.pointer, format!("the {what} {location} parameter `{name}` was added"));
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
        if !before.flag("deprecated") && after.flag("deprecated") {
            self.out.add(&rules::REQUEST_PARAMETER_DEPRECATED, at, format!("{label} was deprecated"));
        }
        if let (Some(a), Some(b)) = (before.get(self.base, "schema"), after.get(self.rev, "schema")) {
            let subject = Subject::Named(label);
            self.schemas.compare(self.out, (self.base, a), (self.rev, b), Place::Parameter, &subject);
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
                parameters_changed: &rules::RESPONSE_MEDIA_TYPE_PARAMETERS_CHANGED,
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

    /// Compares a response's headers: one a client read may be gone or no longer always sent.
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
                Some(now) if header.flag("required") && !now.flag("required") => {
                    self.out.add(
                        &rules::RESPONSE_HEADER_BECAME_OPTIONAL,
                        &now.pointer,
                        format!("{label} became optional"),
                    );
                }
                Some(_) => {}
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
        // A media type gone from the base whose type alone one new media type has: the same
        // content, with other parameters.
        let essence = |m: &str| m.split(';').next().unwrap_or(m).trim().to_ascii_lowercase();
        let mut reparameterized: BTreeMap<&str, &str> = BTreeMap::new();
        for old_key in before.keys().filter(|k| !after.contains_key(*k)) {
            let candidates: Vec<&str> = after
                .keys()
                .copied()
                .filter(|k| !before.contains_key(k) && essence(k) == essence(old_key))
                .collect();
            if let [only] = candidates.as_slice()
                && !reparameterized.values().any(|v| v == only)
            {
                reparameterized.insert(old_key, only);
            }
        }
        for (media_type, old_media) in &before {
            let new_key = reparameterized.get(media_type).copied().unwrap_or(media_type);
            let Some(new_media) = after.get(new_key) else {
                self.out.add(
                    media.removed,
                    &new.pointer,
                    format!("{} no longer comes as `{media_type}`", media.what),
                );
                continue;
            };
            if new_key != *media_type {
                self.out.add(
                    media.parameters_changed,
                    &new_media.pointer,
                    format!("{} comes as `{new_key}` instead of `{media_type}`", media.what),
                );
            }
            let schema_a = old_media.get(self.base, "schema");
            let schema_b = new_media.get(self.rev, "schema");
            if let (Some(a), Some(b)) = (schema_a, schema_b) {
                self.schemas.compare_bodies(self.out, (self.base, a), (self.rev, b), side);
            }
        }
        for (media_type, new_media) in &after {
            if !before.contains_key(media_type) && !reparameterized.values().any(|v| v == media_type) {
                self.out.add(
                    media.added,
                    &new_media.pointer,
                    format!("{} now also comes as `{media_type}`", media.what),
                );
            }
        }
    }

    fn security(&mut self) {
        let (old, new) = (security(self.base, self.old), security(self.rev, self.new));
        if old == new {
            return;
        }
        // Requirements both sides take from the document are one edit, wherever they apply:
        // placed at `/security`, the operations' findings merge into one.
        let inherited =
            self.old.node.value.get("security").is_none() && self.new.node.value.get("security").is_none();
        let at = if inherited { "/security".to_owned() } else { self.new.node.pointer.clone() };
        if old.is_empty() {
            return self.out.add(
                &rules::API_SECURITY_BECAME_REQUIRED,
                &at,
                format!("the operation now needs authentication ({})", alternatives(&new)),
            );
        }
        if new.is_empty() {
            return self.out.add(
                &rules::API_SECURITY_NO_LONGER_REQUIRED,
                &at,
                "the operation no longer needs authentication",
            );
        }
        let (removed, added) = if inherited {
            (&rules::API_GLOBAL_SECURITY_REMOVED, &rules::API_GLOBAL_SECURITY_ADDED)
        } else {
            (&rules::API_SECURITY_REMOVED, &rules::API_SECURITY_ADDED)
        };
        let mut gained: Vec<&Alternative> = new.difference(&old).collect();
        for gone in old.difference(&new) {
            // The same schemes with other scopes: a scope change, not a way removed and added.
            if let Some(i) = gained.iter().position(|a| a.keys().eq(gone.keys())) {
                self.scopes(&at, gone, gained.remove(i));
                continue;
            }
            self.out.add(
                removed,
                &at,
                format!("authenticating with {} is no longer accepted", alternative(gone)),
            );
        }
        for way in gained {
            self.out.add(added, &at, format!("authenticating with {} is now accepted", alternative(way)));
        }
    }

    /// Scopes added to or removed from one way of authenticating.
    fn scopes(&mut self, at: &str, before: &Alternative, after: &Alternative) {
        for (scheme, old) in before {
            let new = &after[scheme];
            for scope in new.iter().filter(|s| !old.contains(s)) {
                let message = format!("authenticating with `{scheme}` now needs the scope `{scope}`");
                self.out.add(&rules::API_SECURITY_SCOPE_ADDED, at, message);
            }
            for scope in old.iter().filter(|s| !new.contains(s)) {
                let message = format!("authenticating with `{scheme}` no longer needs the scope `{scope}`");
                self.out.add(&rules::API_SECURITY_SCOPE_REMOVED, at, message);
            }
        }
    }
}

struct MediaRules<'m> {
    removed: &'static crate::rules::Rule,
    added: &'static crate::rules::Rule,
    /// The same media type with other parameters (`; charset=utf-8`).
    parameters_changed: &'static crate::rules::Rule,
    what: &'m str,
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

/// One way of authenticating: scheme names with their sorted scopes.
type Alternative = BTreeMap<String, Vec<String>>;

/// The operation's security requirements (its own, or the document's): the alternatives
/// that let a client in. An empty alternative (`- {}`) means "no authentication needed".
fn security(side: &'_ Value, op: &Operation<'_>) -> BTreeSet<Alternative> {
    let requirements = op.node.value.get("security").or_else(|| side.get("security"));
    let Some(Value::Array(requirements)) = requirements else { return BTreeSet::new() };
    let alternatives: BTreeSet<Alternative> = requirements
        .iter()
        .filter_map(Value::as_object)
        .map(|alternative| {
            alternative
                .iter()
                .map(|(scheme, scopes)| {
                    let mut scopes: Vec<String> = scopes
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect();
                    scopes.sort();
                    (scheme.clone(), scopes)
                })
                .collect()
        })
        .collect();
    if alternatives.iter().any(BTreeMap::is_empty) { BTreeSet::new() } else { alternatives }
}

fn alternative(alternative: &Alternative) -> String {
    let parts: Vec<String> = alternative
        .iter()
        .map(|(scheme, scopes)| {
            if scopes.is_empty() {
                format!("`{scheme}`")
            } else {
                format!("`{scheme}` ({})", scopes.join(", "))
            }
        })
        .collect();
    parts.join(" and ")
}

fn alternatives(set: &BTreeSet<Alternative>) -> String {
    set.iter().map(alternative).collect::<Vec<_>>().join(" or ")
}
