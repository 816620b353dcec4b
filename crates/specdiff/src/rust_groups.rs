//! The Rust API diff grouped by the unit a user thinks in: an operation's client method with
//! its builder, a type with its fields, variants and builder, and anything else alone. The
//! items themselves stay in [`crate::rust_api`]; this is how they are shown and linked.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::Change;
use crate::rules::Level;
use crate::rust_api::ApiChange;

/// What a group stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// `Client::NAME` and `builder::Name` with its methods.
    Operation,
    /// `types::Name` with its fields, variants and `types::builder::Name`.
    Type,
    /// Any other item, alone.
    Item,
}

/// Changed items that belong together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiGroup {
    /// `Client::delete_model`, `types::Model`, or the item's own path.
    pub name: String,
    /// What it stands for.
    pub unit: Unit,
    /// The highest level among its items.
    #[serde(serialize_with = "serialize_level")]
    pub level: Level,
    /// One line: `` `Client::delete_model` (and its builder) removed ``.
    pub summary: String,
    /// The changed items, by path.
    pub items: Vec<String>,
    /// Whether the group's own item (the method, the type) was removed as a whole.
    pub removed: bool,
}

fn serialize_level<S: serde::Serializer>(level: &Level, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(level.name())
}

/// The group an item belongs to, and the item's name within it (empty for the head).
fn unit_of(item: &str) -> (Unit, String, String) {
    if let Some(method) = item.strip_prefix("Client::") {
        return (Unit::Operation, format!("Client::{method}"), String::new());
    }
    if let Some(rest) = item.strip_prefix("builder::") {
        let (ty, member) = rest.split_once("::").unwrap_or((rest, ""));
        return (Unit::Operation, format!("Client::{}", snake(ty)), member.to_owned());
    }
    if let Some(rest) = item.strip_prefix("types::builder::") {
        let (ty, member) = rest.split_once("::").unwrap_or((rest, ""));
        let member = if member.is_empty() { "builder".to_owned() } else { format!("builder::{member}") };
        return (Unit::Type, format!("types::{ty}"), member);
    }
    if let Some(rest) = item.strip_prefix("types::") {
        let split = rest.find(['.', ':']).unwrap_or(rest.len());
        let (ty, member) = rest.split_at(split);
        return (Unit::Type, format!("types::{ty}"), member.trim_start_matches(['.', ':']).to_owned());
    }
    (Unit::Item, item.to_owned(), String::new())
}

/// `DeleteModel` → `delete_model`: the client method a progenitor builder belongs to.
fn snake(pascal: &str) -> String {
    let mut out = String::with_capacity(pascal.len() + 4);
    for (i, c) in pascal.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A group's changes, each with its name within the group (empty for the head item).
type Members<'a> = Vec<(String, &'a ApiChange)>;

/// Groups the changes, in the order of their first items; the items of a group stay sorted.
pub fn groups(changes: &[ApiChange]) -> Vec<ApiGroup> {
    let mut order: Vec<String> = Vec::new();
    let mut members: BTreeMap<String, (Unit, Members<'_>)> = BTreeMap::new();
    for change in changes {
        let (unit, name, member) = unit_of(&change.item);
        let entry = members.entry(name.clone()).or_insert_with(|| {
            order.push(name.clone());
            (unit, Vec::new())
        });
        entry.1.push((member, change));
    }
    order
        .into_iter()
        .map(|name| {
            let (unit, list) = members.remove(&name).expect("every name has members");
            let level = list.iter().map(|(_, c)| c.rule.level).max().unwrap_or(Level::Info);
            let summary = summary(&name, unit, &list);
            let removed = list.iter().any(|(member, c)| member.is_empty() && what(c) == "removed");
            let items = list.iter().map(|(_, c)| c.item.clone()).collect();
            ApiGroup { name, unit, level, summary, items, removed }
        })
        .collect()
}

/// `added`, `removed` or `changed`, for one change.
fn what(change: &ApiChange) -> &'static str {
    match (&change.before, &change.after) {
        (None, _) => "added",
        (_, None) => "removed",
        _ => "changed",
    }
}

fn summary(name: &str, unit: Unit, list: &[(String, &ApiChange)]) -> String {
    let head = list.iter().find(|(member, _)| member.is_empty()).map(|(_, c)| what(c));
    let (noun, with) = match unit {
        Unit::Operation => (format!("`{name}`"), " (and its builder)"),
        Unit::Type => (format!("type `{}`", name.trim_start_matches("types::")), ""),
        Unit::Item => (format!("`{name}`"), ""),
    };
    match head {
        Some(done @ ("added" | "removed")) => format!("{noun}{with} {done}"),
        _ => {
            let mut by_what: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            for (member, change) in list {
                let member = if member.is_empty() { "signature" } else { member.as_str() };
                by_what.entry(what(change)).or_default().push(member);
            }
            let parts: Vec<String> = ["removed", "changed", "added"]
                .iter()
                .filter_map(|w| by_what.get(w).map(|m| format!("{w} {}", folded(m))))
                .collect();
            format!("{noun}: {}", parts.join("; "))
        }
    }
}

/// `` `a`, `b`, `c` and 4 more ``.
fn folded(members: &[&str]) -> String {
    let shown: Vec<String> = members.iter().take(6).map(|m| format!("`{m}`")).collect();
    match members.len().saturating_sub(6) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// Links each HTTP change to where it shows up in the generated Rust API: the type made from
/// the component schema it is in (`types::Model.url` names the members of `url` only; an
/// inline enum of a property is its own type, `types::ModelVisibility`), else the client
/// methods of its operations (`methods` maps `METHOD /path` to the method, from either side).
pub fn link(changes: &mut [Change], groups: &[ApiGroup], methods: &BTreeMap<String, String>) {
    let by_type: BTreeMap<String, &ApiGroup> = groups
        .iter()
        .filter(|g| g.unit == Unit::Type)
        .map(|g| (type_key(g.name.trim_start_matches("types::")), g))
        .collect();
    for change in changes {
        let mut linked: Vec<String> = Vec::new();
        let component = change.pointer.as_deref().and_then(|p| p.strip_prefix("/components/schemas/"));
        if let Some(rest) = component {
            let mut tokens = rest.split('/').map(modelhost_codegen::pointer::unescape);
            let name = tokens.next().unwrap_or_default();
            let property = match (tokens.next().as_deref(), tokens.next()) {
                (Some("properties"), Some(property)) => Some(property),
                _ => None,
            };
            let own = by_type.get(&type_key(&name));
            match (own, &property) {
                (Some(group), Some(property)) if group.has_member(property) => {
                    linked.push(format!("{}.{property}", group.name));
                }
                (own, Some(property)) => {
                    if let Some(group) = by_type.get(&type_key(&format!("{name}{property}"))) {
                        linked.push(group.name.clone());
                    } else if let Some(group) = own {
                        linked.push(group.name.clone());
                    }
                }
                (Some(group), None) => linked.push(group.name.clone()),
                (None, None) => {}
            }
        }
        // An operation's own edits change its method (a parameter's, the builder method of
        // that name); a shared type's edits are the type's.
        if linked.is_empty() {
            let parameter =
                change.rule.id.contains("request-parameter").then(|| first_code(&change.message)).flatten();
            for operation in &change.operations {
                let Some(method) = methods.get(operation) else { continue };
                let name = format!("Client::{method}");
                let Some(group) = groups.iter().find(|g| g.name == name) else { continue };
                let link = match parameter {
                    Some(p) if group.has_member(&snake_member(p)) => format!("{name}.{}", snake_member(p)),
                    Some(_) => continue,
                    None => name,
                };
                if !linked.contains(&link) {
                    linked.push(link);
                }
            }
        }
        change.rust = linked;
    }
}

/// The first `` `quoted` `` word of a message: the parameter a parameter rule names.
fn first_code(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once('`')?;
    Some(rest.split_once('`')?.0)
}

/// A parameter's name as progenitor names its builder method (`page-size` → `page_size`).
fn snake_member(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect()
}

impl ApiGroup {
    /// Whether this is a type that was removed as a whole.
    pub fn is_removed_type(&self) -> bool {
        self.unit == Unit::Type && self.removed
    }

    fn has_member(&self, member: &str) -> bool {
        self.items.iter().any(|item| belongs_to(item, member))
    }

    /// Whether a link (`types::Model`, or `types::Model.url` for one member) names this group.
    pub fn is_linked_by(&self, link: &str) -> bool {
        link.split_once('.').map_or(link, |(group, _)| group) == self.name
    }
}

/// What an HTTP change does to the generated Rust API, a line per group it links to; types
/// removed with it are one line (`` types `A`, `B` removed ``).
pub fn consequences(change: &Change, groups: &[ApiGroup], changes: &[ApiChange]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut removed_types = Vec::new();
    for link in &change.rust {
        match groups.iter().find(|g| g.is_linked_by(link)) {
            Some(group) if group.is_removed_type() => {
                removed_types.push(format!("`{}`", group.name.trim_start_matches("types::")));
            }
            _ => lines.extend(consequence(link, groups, changes)),
        }
    }
    match removed_types.as_slice() {
        [] => {}
        [one] => lines.push(format!("type {one} removed")),
        many => lines.push(format!("types {} removed", many.join(", "))),
    }
    lines
}

/// The level of what a link stands for: the group's, or for one member of a type that
/// member's items' highest.
pub fn consequence_level(link: &str, groups: &[ApiGroup], changes: &[ApiChange]) -> Option<Level> {
    let group = groups.iter().find(|g| g.is_linked_by(link))?;
    let Some((_, member)) = link.split_once('.') else { return Some(group.level) };
    member_changes(group, member, changes).map(|(_, c)| c.rule.level).max()
}

/// What a link stands for, in one line: the group's summary, or for one member of a type
/// (`types::Model.url`) the summary of that member's items alone.
pub fn consequence(link: &str, groups: &[ApiGroup], changes: &[ApiChange]) -> Option<String> {
    let group = groups.iter().find(|g| g.is_linked_by(link))?;
    let Some((_, member)) = link.split_once('.') else { return Some(group.summary.clone()) };
    let list: Members<'_> = member_changes(group, member, changes).collect();
    (!list.is_empty()).then(|| summary(&group.name, group.unit, &list))
}

/// The changes of a group's items that belong to one member (a field and its builder
/// method), each with its name within the group.
fn member_changes<'a>(
    group: &'a ApiGroup,
    member: &'a str,
    changes: &'a [ApiChange],
) -> impl Iterator<Item = (String, &'a ApiChange)> + 'a {
    changes
        .iter()
        .filter(|c| group.items.contains(&c.item))
        .filter(move |c| belongs_to(&c.item, member))
        .map(|c| (unit_of(&c.item).2, c))
}

/// Whether an item is `member` of its group, or that member's builder method.
fn belongs_to(item: &str, member: &str) -> bool {
    let m = unit_of(item).2;
    m == member || m.strip_prefix("builder::") == Some(member)
}

/// A type's name as a comparison key: typify renames components (`LLMModelV1` becomes
/// `LlmModelV1`), so case and separators are left out.
pub fn type_key(name: &str) -> String {
    name.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules;

    fn change(item: &str, before: Option<&str>, after: Option<&str>) -> ApiChange {
        let rule = match (before, after) {
            (None, _) => &rules::RUST_ITEM_ADDED,
            (_, None) => &rules::RUST_ITEM_REMOVED,
            _ => &rules::RUST_SIGNATURE_CHANGED,
        };
        ApiChange {
            rule,
            item: item.to_owned(),
            before: before.map(str::to_owned),
            after: after.map(str::to_owned),
        }
    }

    #[test]
    fn an_operation_and_its_builder_are_one_group_and_a_type_with_its_fields_another() {
        let changes = vec![
            change("Client::create_model_apis_snapshot", Some("pub fn …"), None),
            change("builder::CreateModelApisSnapshot", Some("pub struct …"), None),
            change("builder::CreateModelApisSnapshot::body", Some("pub fn body"), None),
            change("builder::CreateModelApisSnapshot::send", Some("pub fn send"), None),
            change("types::Model.size", Some("i64"), Some("f64")),
            change("types::Model.tags", None, Some("Vec<String>")),
            change("types::builder::Model::tags", None, Some("pub fn tags")),
            change("types::Status::Preempted", None, Some("Preempted")),
        ];
        let groups = groups(&changes);
        let summaries: Vec<(&str, &str)> =
            groups.iter().map(|g| (g.name.as_str(), g.summary.as_str())).collect();
        assert_eq!(
            summaries,
            [
                (
                    "Client::create_model_apis_snapshot",
                    "`Client::create_model_apis_snapshot` (and its builder) removed"
                ),
                ("types::Model", "type `Model`: changed `size`; added `tags`, `builder::tags`"),
                ("types::Status", "type `Status`: added `Preempted`"),
            ]
        );
        assert_eq!(groups[0].items.len(), 4);
        assert_eq!(groups[0].level, Level::Breaking);
        assert_eq!(groups[2].level, Level::Info);
        assert_eq!(type_key("LLMModel_V1"), type_key("LlmModelV1"));
    }
}
