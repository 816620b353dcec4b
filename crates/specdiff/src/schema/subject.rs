//! What a schema comparison is about, named for messages.

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
    },
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
            Self::Schema { side, name } => (Some(*side), name.clone()),
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
        match self {
            Self::Schema { name, .. } => write!(f, "{side} schema `{name}`"),
            _ if path.is_empty() => write!(f, "the {side} body"),
            _ => write!(f, "{side} property `{path}`"),
        }
    }
}
