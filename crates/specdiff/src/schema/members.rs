//! Matching `allOf` members and union branches across revisions.

use serde_json::Value;

use super::edit::Edit;
use super::view::View;
use super::{Place, Subject, accepts_anything, component_name, short, types};
use crate::findings::Findings;
use crate::node::Node;

/// Compares the `allOf` members of two schemas that both have some. What a member brings
/// (properties, requirements, bounds) is compared in the merged schema under its own rules;
/// this says which member came or went.
pub(super) fn all_of_members(
    out: &mut Findings,
    (base_doc, old): (&Value, &View<'_>),
    (rev_doc, new): (&Value, &View<'_>),
    place: Place,
    subject: &Subject<'_>,
) {
    let members = Members::matched((base_doc, &old.all_of), (rev_doc, &new.all_of), None);
    let at = new.at.pointer.as_str();
    // A member of annotations only (a title) says nothing of the values: oasdiff tells it apart.
    let annotations = |member: &Node<'_>| accepts_anything(member.value);
    for (i, what) in members.removed {
        let message = format!("{subject} no longer includes (`allOf`) the schema {what}");
        let edit =
            if annotations(&old.all_of[i]) { Edit::AllOfRemovedAnnotationOnly } else { Edit::AllOfRemoved };
        place.add(out, edit, at, message);
    }
    for (j, what) in members.added {
        let message = format!("{subject} now includes (`allOf`) the schema {what}");
        let edit =
            if annotations(&new.all_of[j]) { Edit::AllOfAddedAnnotationOnly } else { Edit::AllOfAdded };
        place.add(out, edit, at, message);
    }
}

/// The members of two `allOf`s, or the branches of two unions, matched across revisions.
pub(super) struct Members {
    /// Indexes of a member in the base and the same member in the revision.
    pub(super) matched: Vec<(usize, usize)>,
    /// The members only the base has: index and name.
    pub(super) removed: Vec<(usize, String)>,
    /// The members only the revision has: index and name.
    pub(super) added: Vec<(usize, String)>,
}

impl Members {
    /// Matches members by [`member_key`]; one left over on each side is the same member,
    /// changed beyond recognition.
    pub(super) fn matched(
        (base_doc, before): (&Value, &[Node<'_>]),
        (rev_doc, after): (&Value, &[Node<'_>]),
        tag: Option<&str>,
    ) -> Self {
        let before_keys: Vec<String> = before.iter().map(|b| member_key(base_doc, b, tag)).collect();
        let mut after_keys: Vec<Option<String>> =
            after.iter().map(|b| Some(member_key(rev_doc, b, tag))).collect();
        let mut matched = Vec::new();
        let mut removed = Vec::new();
        for (i, key) in before_keys.into_iter().enumerate() {
            match after_keys.iter().position(|k| k.as_ref() == Some(&key)) {
                Some(j) => {
                    after_keys[j] = None;
                    matched.push((i, j));
                }
                None => removed.push((i, key)),
            }
        }
        let mut added: Vec<(usize, String)> =
            after_keys.into_iter().enumerate().filter_map(|(j, k)| Some((j, k?))).collect();
        if let ([(i, _)], [(j, _)]) = (removed.as_slice(), added.as_slice()) {
            matched.push((*i, *j));
            removed.clear();
            added.clear();
        }
        Self { matched, removed, added }
    }
}

/// What identifies a union branch or an `allOf` member across revisions: the component it
/// refers to, else the value it gives the discriminator property `tag`, else its title, else
/// its shape (types, property names, enum values).
pub(super) fn member_key(doc: &Value, branch: &Node<'_>, tag: Option<&str>) -> String {
    if let Some(name) = component_name(&branch.pointer) {
        return format!("`{name}`");
    }
    let view = View::of(doc, branch.clone());
    let tagged = tag.and_then(|tag| {
        let values = View::of(doc, view.properties.get(tag)?.clone()).values()?;
        let [value] = values.as_slice() else { return None };
        Some(format!("with `{tag}` = {}", short(value)))
    });
    if let Some(key) = tagged {
        return key;
    }
    if let Some(title) = branch.str("title") {
        return format!("titled `{title}`");
    }
    let mut shape = types(&view.types);
    if !view.properties.is_empty() {
        let names: Vec<&str> = view.properties.keys().copied().collect();
        shape = format!("{shape} with {}", names.join(", "));
    }
    if let Some(values) = &view.values() {
        shape = format!("{shape} in {}", values.iter().map(|v| short(v)).collect::<Vec<_>>().join(", "));
    }
    if shape.is_empty() { "of any type".to_owned() } else { shape }
}
