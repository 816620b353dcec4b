//! What a schema comparison is about, named for messages in the reader's terms: a parameter
//! by its name, a body as a body, a component schema after itself (and where it was reached,
//! when that is a property), a body that switched schemas as that switch.

use super::Side;

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
        /// The property it was reached through (`Parent.status`), if any.
        via: Option<String>,
    },
    /// A body (or a property) whose schema is another component (or none) in the revision.
    Switched {
        /// Whether it is sent or read.
        side: Side,
        /// The base's component, if it was one.
        from: Option<String>,
        /// The revision's component, if it is one.
        to: Option<String>,
        /// The property that switched (`Model.status`); none for the body itself.
        at: Option<String>,
    },
    /// A property (or, named `[]`, the items; `*`, the values of a map) of another subject.
    Property {
        /// What holds it.
        parent: &'p Subject<'p>,
        /// Its name.
        name: &'p str,
    },
}

/// The subject a path of properties starts from.
enum Root<'s> {
    Named(&'s str),
    Body(Side),
    Schema(Side, &'s str, Option<&'s str>),
    Switched(Side, Option<&'s str>, Option<&'s str>, Option<&'s str>),
}

impl Subject<'_> {
    /// Where the path of properties starts, and the path (`a.b[].c`).
    fn root_and_path(&self) -> (Root<'_>, String) {
        match self {
            Self::Named(name) => (Root::Named(name), String::new()),
            Self::Body(side) => (Root::Body(*side), String::new()),
            Self::Schema { side, name, via } => (Root::Schema(*side, name, via.as_deref()), String::new()),
            Self::Switched { side, from, to, at } => {
                (Root::Switched(*side, from.as_deref(), to.as_deref(), at.as_deref()), String::new())
            }
            Self::Property { parent, name } => {
                let (root, mut path) = parent.root_and_path();
                if !path.is_empty() && *name != "[]" {
                    path.push('.');
                }
                path.push_str(name);
                (root, path)
            }
        }
    }

    /// The property path this subject is, from its component or body (`Model.a.b`), for a
    /// schema reached through it.
    pub(crate) fn property_path(&self) -> Option<String> {
        let (root, path) = self.root_and_path();
        if path.is_empty() {
            return None;
        }
        Some(match root {
            Root::Schema(_, name, _) => join(name, &path),
            Root::Switched(_, _, _, Some(at)) => join(at, &path),
            _ => path,
        })
    }
}

/// `Model.a`, or `Model[]` for items.
fn join(base: &str, path: &str) -> String {
    let dot = if path.starts_with("[]") { "" } else { "." };
    format!("{base}{dot}{path}")
}

fn side_word(side: Side) -> &'static str {
    match side {
        Side::Request => "request",
        Side::Response => "response",
    }
}

/// `` `Old` `` or `an inline one`.
fn schema_word(name: Option<&str>) -> String {
    name.map_or_else(|| "an inline one".to_owned(), |n| format!("`{n}`"))
}

impl std::fmt::Display for Subject<'_> {
    /// `request property \`Model.a.b[].c\``, `the response body`, `query parameter \`q\`
    /// (its items)`, `response schema \`Name\` (at \`Model.name\`)`, or the given name.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (root, path) = self.root_and_path();
        match root {
            Root::Named(name) if path.is_empty() => f.write_str(name),
            Root::Named(name) if path == "[]" => write!(f, "{name} (its items)"),
            Root::Named(name) => write!(f, "{name}, its property `{path}`"),
            Root::Body(side) if path.is_empty() => write!(f, "the {} body", side_word(side)),
            Root::Body(side) => write!(f, "{} property `{path}`", side_word(side)),
            Root::Schema(side, name, via) if path.is_empty() => {
                write!(f, "{} schema `{name}`", side_word(side))?;
                match via {
                    Some(via) => write!(f, " (at `{via}`)"),
                    None => Ok(()),
                }
            }
            Root::Schema(side, name, _) => write!(f, "{} property `{}`", side_word(side), join(name, &path)),
            Root::Switched(side, from, to, at) => {
                let switch = format!("schema went from {} to {}", schema_word(from), schema_word(to));
                let side = side_word(side);
                match (at, path.is_empty()) {
                    (None, true) => write!(f, "the {side} body (its {switch})"),
                    (None, false) => write!(f, "{side} property `{path}` (the body's {switch})"),
                    (Some(at), true) => write!(f, "{side} property `{at}` (its {switch})"),
                    (Some(at), false) => {
                        write!(f, "{side} property `{}` (`{at}`'s {switch})", join(at, &path))
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_subject_names_what_it_is_about() {
        let parameter = Subject::Named("query parameter `group_by`");
        let items = Subject::Property { parent: &parameter, name: "[]" };
        assert_eq!(items.to_string(), "query parameter `group_by` (its items)");
        let field = Subject::Property { parent: &items, name: "kind" };
        assert_eq!(field.to_string(), "query parameter `group_by`, its property `[].kind`");
        let schema = Subject::Schema {
            side: Side::Response,
            name: "Name".into(),
            via: Some("LoopsDeploymentStatusV1.name".into()),
        };
        assert_eq!(schema.to_string(), "response schema `Name` (at `LoopsDeploymentStatusV1.name`)");
        let model = Subject::Schema { side: Side::Response, name: "Model".into(), via: None };
        let id = Subject::Property { parent: &model, name: "id" };
        assert_eq!(id.to_string(), "response property `Model.id`");
        assert_eq!(id.property_path().as_deref(), Some("Model.id"));
        let list = Subject::Property { parent: &model, name: "[]" };
        assert_eq!(list.to_string(), "response property `Model[]`");
        let switched = Subject::Switched {
            side: Side::Response,
            from: Some("Old".into()),
            to: Some("New".into()),
            at: None,
        };
        assert_eq!(switched.to_string(), "the response body (its schema went from `Old` to `New`)");
        let message = Subject::Property { parent: &switched, name: "message" };
        assert_eq!(
            message.to_string(),
            "response property `message` (the body's schema went from `Old` to `New`)"
        );
        let status = Subject::Switched {
            side: Side::Request,
            from: None,
            to: Some("S".into()),
            at: Some("M.s".into()),
        };
        assert_eq!(status.to_string(), "request property `M.s` (its schema went from an inline one to `S`)");
        let code = Subject::Property { parent: &status, name: "code" };
        assert_eq!(
            code.to_string(),
            "request property `M.s.code` (`M.s`'s schema went from an inline one to `S`)"
        );
        assert_eq!(Subject::Body(Side::Request).to_string(), "the request body");
    }
}
