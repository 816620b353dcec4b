//! The fidelity check: does the hand-written `openapi/replicate.yaml` still say what
//! Replicate publishes (`openapi/replicate.published.yaml`, the reference copy that
//! `cargo xtask codegen --pull` fetches)?
//!
//! Every operation of the hand-written spec must exist upstream with the same method, path,
//! operation id and success statuses; every parameter with the same name, location, type and
//! requiredness; every property it declares on a response must exist upstream with a
//! compatible type (nullable where upstream is), and its enums must be subsets of upstream's.
//! Each divergence is one message naming both files' lines. A divergence the hand-written
//! spec makes on purpose carries `x-upstream-divergence: WHY` on the node that diverges (an
//! operation, a parameter, a schema or a property) and is reported as a note instead.
//! Upstream operations that delete, or that a delete depends on, and that the hand-written
//! spec lacks are notes too.

mod schema;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::Context;
use modelhost_codegen::{openapi, pointer};
use modelhost_specdiff::lines::LineIndex;
use serde_json::Value;

/// The hand-written spec checked, relative to the workspace.
pub const HAND_WRITTEN: &str = "openapi/replicate.yaml";
/// The reference copy of Replicate's published schema, relative to the workspace.
pub const PUBLISHED: &str = "openapi/replicate.published.yaml";
/// The extension that marks a deliberate divergence, with the reason as its value.
pub const ACKNOWLEDGED: &str = "x-upstream-divergence";

/// One spec: its name as printed, its document and where each node's line is.
pub struct Spec<'a> {
    /// The name messages use (`openapi/replicate.yaml`).
    pub name: &'a str,
    /// The document.
    pub doc: &'a Value,
    /// Lines by JSON pointer.
    pub lines: LineIndex,
}

impl<'a> Spec<'a> {
    /// `doc`, parsed from `text`, named `name`.
    pub fn new(name: &'a str, doc: &'a Value, text: &str) -> Self {
        Self { name, doc, lines: LineIndex::new(text) }
    }

    /// `name:LINE` of `pointer` (or of its nearest ancestor with a line).
    fn at(&self, pointer: &str) -> String {
        match self.lines.line(pointer) {
            Some(line) => format!("{}:{line}", self.name),
            None => self.name.to_owned(),
        }
    }
}

/// What the check found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Where the hand-written spec says something upstream does not: each fails the check.
    pub divergences: Vec<String>,
    /// Acknowledged divergences, and upstream operations the hand-written spec lacks.
    pub notes: Vec<String>,
}

impl Report {
    /// The report as lines for a terminal or a pull request.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for line in &self.divergences {
            out += &format!("divergence: {line}\n");
        }
        for line in &self.notes {
            out += &format!("note: {line}\n");
        }
        out += &format!(
            "{HAND_WRITTEN} against {PUBLISHED}: {} divergence(s), {} note(s)\n",
            self.divergences.len(),
            self.notes.len()
        );
        out
    }
}

/// Loads both files from `root` and compares them.
pub fn check_files(root: &Path) -> anyhow::Result<Report> {
    let read = |name: &str| {
        let path = root.join(name);
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!("cannot read {name}: run `cargo xtask codegen --pull` to fetch Replicate's schema")
        })?;
        let doc = modelhost_codegen::load::parse(&path, &text)?;
        anyhow::Ok((text, doc))
    };
    let (hand_text, hand_doc) = read(HAND_WRITTEN)?;
    let (published_text, published_doc) = read(PUBLISHED)?;
    Ok(compare(
        &Spec::new(HAND_WRITTEN, &hand_doc, &hand_text),
        &Spec::new(PUBLISHED, &published_doc, &published_text),
    ))
}

/// The check on the files in `root`, printed; `Ok(false)` when the hand-written spec diverges
/// from the reference copy.
pub fn run(root: &Path) -> anyhow::Result<bool> {
    let report = check_files(root)?;
    out!("{}", report.render());
    Ok(report.divergences.is_empty())
}

/// Compares the hand-written spec with upstream's.
pub fn compare(hand: &Spec, upstream: &Spec) -> Report {
    let mut check = Check { hand, upstream, report: Report::default(), seen: BTreeSet::new() };
    let upstream_ops: BTreeMap<String, openapi::Operation> =
        openapi::operations(upstream.doc).map(|op| (op.key(), op)).collect();
    for op in openapi::operations(hand.doc) {
        check.operation(&op, upstream_ops.get(&op.key()), &upstream_ops);
    }
    check.missing_operations(&upstream_ops);
    check.report
}

/// Where a node sits in each document, and the divergence it inherits an acknowledgement from.
#[derive(Clone)]
pub(crate) struct Place<'a> {
    /// In the hand-written spec.
    hand: String,
    /// In upstream's.
    upstream: String,
    /// What a person reads: ``models.versions.list` response 200`.
    subject: String,
    /// The property within, as a path (`results[].id`); empty for the node itself.
    field: String,
    /// The reason of the nearest `x-upstream-divergence` above, if any.
    acknowledged: Option<&'a str>,
}

impl<'a> Place<'a> {
    /// The same place, acknowledged where `node` says so.
    fn under(mut self, node: &'a Value) -> Self {
        if let Some(why) = node.get(ACKNOWLEDGED).and_then(Value::as_str) {
            self.acknowledged = Some(why);
        }
        self
    }
}

struct Check<'s, 'd> {
    hand: &'s Spec<'d>,
    upstream: &'s Spec<'d>,
    report: Report,
    /// The pairs of schemas compared so far in this operation (by pointer), so a cycle ends.
    seen: BTreeSet<(String, String)>,
}

impl<'d> Check<'_, 'd> {
    /// Records that, at `place`, the hand-written spec says `what`.
    fn diverges(&mut self, place: &Place, what: &str) {
        let field =
            if place.field.is_empty() { String::new() } else { format!(" property `{}`", place.field) };
        let line = format!(
            "{}: {}{field} {what} (upstream: {})",
            self.hand.at(&place.hand),
            place.subject,
            self.upstream.at(&place.upstream)
        );
        match place.acknowledged {
            Some(why) => self.report.notes.push(format!("{line}; acknowledged: {why}")),
            None => self.report.divergences.push(line),
        }
    }

    fn operation(
        &mut self,
        op: &openapi::Operation<'d>,
        upstream: Option<&openapi::Operation<'d>>,
        all_upstream: &BTreeMap<String, openapi::Operation<'d>>,
    ) {
        // Each operation's responses are compared whole, even where they share schemas with
        // an operation before, so that each divergence is reported for every operation it hits.
        self.seen.clear();
        let hand_ptr = operation_pointer(op);
        let id = op.operation.get("operationId").and_then(Value::as_str).unwrap_or("(no operation id)");
        let place = Place {
            hand: hand_ptr.clone(),
            upstream: "/paths".to_owned(),
            subject: format!("`{id}`"),
            field: String::new(),
            acknowledged: None,
        }
        .under(op.operation);
        let Some(up) = upstream else {
            let elsewhere = all_upstream
                .values()
                .find(|u| u.operation.get("operationId").and_then(Value::as_str) == Some(id))
                .map(|u| format!(", which upstream has as {}", u.key()))
                .unwrap_or_default();
            self.diverges(&place, &format!("({}) is not an upstream operation{elsewhere}", op.key()));
            return;
        };
        let place = Place { upstream: operation_pointer(up), ..place };
        let up_id = up.operation.get("operationId").and_then(Value::as_str).unwrap_or("(none)");
        if up_id != id {
            self.diverges(&place, &format!("has the operation id upstream calls `{up_id}`"));
        }
        let (ours, theirs) = (success_statuses(op.operation), success_statuses(up.operation));
        if ours != theirs {
            self.diverges(
                &place,
                &format!("succeeds with {} where upstream says {}", list(&ours), list(&theirs)),
            );
        }
        self.parameters(op, up, &place);
        for status in ours.intersection(&theirs) {
            let (Some((hs, hp)), Some((us, upp))) = (
                response_schema(self.hand.doc, op.operation, &hand_ptr, status),
                response_schema(self.upstream.doc, up.operation, &operation_pointer(up), status),
            ) else {
                continue;
            };
            let place = Place {
                hand: hp,
                upstream: upp,
                subject: format!("`{id}` response {status}"),
                field: String::new(),
                acknowledged: place.acknowledged,
            };
            schema::compare(self, hs, us, place, 0);
        }
    }

    fn parameters(&mut self, op: &openapi::Operation<'d>, up: &openapi::Operation<'d>, place: &Place<'d>) {
        let ours = parameters(self.hand.doc, op);
        let theirs = parameters(self.upstream.doc, up);
        for ((name, location), (param, pointer)) in &ours {
            let subject = format!("{} {location} parameter `{name}`", place.subject);
            let here =
                Place { hand: pointer.clone(), upstream: place.upstream.clone(), subject, ..place.clone() }
                    .under(param);
            let Some((their, their_pointer)) = theirs.get(&(name.clone(), location.clone())) else {
                self.diverges(&here, "is not upstream");
                continue;
            };
            let here = Place { upstream: their_pointer.clone(), ..here };
            let required =
                |p: &Value| location == "path" || p.get("required").and_then(Value::as_bool) == Some(true);
            if required(param) != required(their) {
                let word = |r| if r { "required" } else { "optional" };
                self.diverges(
                    &here,
                    &format!("is {} where upstream's is {}", word(required(param)), word(required(their))),
                );
            }
            if let (Some(ours), Some(theirs)) = (param.get("schema"), their.get("schema")) {
                let here = Place {
                    hand: pointer::push(&here.hand, "schema"),
                    upstream: pointer::push(&here.upstream, "schema"),
                    ..here
                };
                schema::compare(self, ours, theirs, here, 0);
            }
        }
        for ((name, location), (their, pointer)) in &theirs {
            let required = location == "path" || their.get("required").and_then(Value::as_bool) == Some(true);
            if required && !ours.contains_key(&(name.clone(), location.clone())) {
                let here = Place {
                    upstream: pointer.clone(),
                    subject: format!("{} {location} parameter `{name}`", place.subject),
                    ..place.clone()
                };
                self.diverges(&here, "is required upstream but missing here");
            }
        }
    }

    /// Notes the upstream operations that delete, or that read, list or change what can be
    /// deleted, and that the hand-written spec lacks.
    fn missing_operations(&mut self, upstream_ops: &BTreeMap<String, openapi::Operation<'d>>) {
        let ours: BTreeSet<String> = openapi::operations(self.hand.doc).map(|op| op.key()).collect();
        let deletable: BTreeSet<&str> =
            upstream_ops.values().filter(|op| op.method == "delete").map(|op| op.path).collect();
        for (key, op) in upstream_ops {
            if ours.contains(key) {
                continue;
            }
            let why = if op.method == "delete" {
                "deletes"
            } else if deletable.contains(op.path) {
                "reads or changes something that can be deleted"
            } else if op.method == "get" && deletable.iter().any(|d| parent(d) == op.path) {
                "lists something that can be deleted"
            } else {
                continue;
            };
            let id = op.operation.get("operationId").and_then(Value::as_str).unwrap_or("(no operation id)");
            self.report.notes.push(format!(
                "{}: upstream's `{id}` ({key}) {why}, and {HAND_WRITTEN} does not describe it",
                self.upstream.at(&operation_pointer(op))
            ));
        }
    }
}

/// `/paths/~1models~1{id}/delete`.
fn operation_pointer(op: &openapi::Operation) -> String {
    pointer::push(&pointer::push("/paths", op.path), op.method)
}

/// The path one segment up (`/files/{file_id}` → `/files`).
fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(head, _)| head)
}

/// The operation's 2xx statuses.
fn success_statuses(operation: &Value) -> BTreeSet<String> {
    let responses = operation.get("responses").and_then(Value::as_object).into_iter().flatten();
    responses.map(|(status, _)| status.clone()).filter(|s| s.starts_with('2')).collect()
}

fn list(statuses: &BTreeSet<String>) -> String {
    if statuses.is_empty() {
        "nothing".to_owned()
    } else {
        statuses.iter().cloned().collect::<Vec<_>>().join(", ")
    }
}

/// The operation's parameters by (name, location), its own overriding its path's, each with
/// where it is written; a `$ref` is followed.
fn parameters<'d>(
    doc: &'d Value,
    op: &openapi::Operation<'d>,
) -> BTreeMap<(String, String), (&'d Value, String)> {
    let path_ptr = pointer::push("/paths", op.path);
    let mut found = BTreeMap::new();
    for (owner, node) in [(path_ptr.clone(), op.path_item), (operation_pointer(op), op.operation)] {
        let Some(params) = node.get("parameters").and_then(Value::as_array) else { continue };
        for (i, param) in params.iter().enumerate() {
            let (param, at) =
                match openapi::ref_target(param).and_then(|t| doc.pointer(t).map(|p| (p, t.to_owned()))) {
                    Some(resolved) => resolved,
                    None => (param, pointer::push_index(&pointer::push(&owner, "parameters"), i)),
                };
            let text = |key| param.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
            found.insert((text("name"), text("in")), (param, at));
        }
    }
    found
}

/// The JSON schema of a response's `application/json` body, and its pointer.
fn response_schema<'d>(
    doc: &'d Value,
    operation: &'d Value,
    op_ptr: &str,
    status: &str,
) -> Option<(&'d Value, String)> {
    let mut at = pointer::push(&pointer::push(op_ptr, "responses"), status);
    let mut response = operation.get("responses")?.get(status)?;
    if let Some(target) = openapi::ref_target(response) {
        response = doc.pointer(target)?;
        at = target.to_owned();
    }
    let schema = response.get("content")?.get("application/json")?.get("schema")?;
    Some((
        schema,
        pointer::push(&pointer::push(&pointer::push(&at, "content"), "application/json"), "schema"),
    ))
}
