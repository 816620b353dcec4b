//! The one error type of the code-generation pipeline: always names a file and, where it can,
//! the place in it (a line and column, or a JSON pointer).

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in a spec file a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The file as a whole.
    File,
    /// A line and column, both counted from 1.
    Line {
        /// Line number, from 1.
        line: usize,
        /// Column number, from 1.
        column: usize,
    },
    /// A JSON pointer (RFC 6901) into the document, such as `/paths/~1v1~1models/get`.
    Pointer(String),
}

/// A problem with a spec, named by file and location, with a message a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct SpecError {
    /// The spec file the problem is in.
    pub file: PathBuf,
    /// Where in the file.
    pub location: Location,
    /// What is wrong, and where it helps, what to do about it.
    pub message: String,
}

impl SpecError {
    /// A problem with the file as a whole.
    pub fn file(file: &Path, message: impl Into<String>) -> Self {
        Self { file: file.to_owned(), location: Location::File, message: message.into() }
    }

    /// A problem at a JSON pointer in the document.
    pub fn at(file: &Path, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self { file: file.to_owned(), location: Location::Pointer(pointer.into()), message: message.into() }
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display();
        match &self.location {
            Location::File => write!(f, "{file}: {}", self.message),
            Location::Line { line, column } => write!(f, "{file}:{line}:{column}: {}", self.message),
            Location::Pointer(p) if p.is_empty() => write!(f, "{file}: {}", self.message),
            Location::Pointer(p) => write!(f, "{file}#{p}: {}", self.message),
        }
    }
}

/// Result of the code-generation pipeline.
pub type Result<T, E = SpecError> = std::result::Result<T, E>;
