//! Reading a spec file (YAML or JSON) into a JSON value, with errors that name the line.

use std::path::Path;

use serde_json::Value;

use crate::error::{Location, Result, SpecError};

/// Reads and parses a spec file. `.json` files are read as JSON, everything else as YAML.
pub fn load(file: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| SpecError::file(file, format!("cannot read the file: {e}")))?;
    parse(file, &text)
}

/// [`load`], then [`check_refs`](crate::check_refs): a document whose every `$ref` resolves.
pub fn load_checked(file: &Path) -> Result<Value> {
    let doc = load(file)?;
    crate::refs::check_refs(file, &doc)?;
    Ok(doc)
}

/// [`parse_as`], then [`check_refs`](crate::check_refs): the one "parse, then check
/// references" entry point, for text from anywhere (a file, a git revision, a download).
pub fn parse_checked(file: &Path, text: &str, format: Format) -> Result<Value> {
    let doc = parse_as(file, text, format)?;
    crate::refs::check_refs(file, &doc)?;
    Ok(doc)
}

/// How spec text is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON.
    Json,
    /// YAML (of which JSON is nearly a subset, but JSON errors read better from a JSON parser).
    Yaml,
}

impl Format {
    /// JSON for a `.json` file, YAML otherwise.
    pub fn of_file(file: &Path) -> Self {
        match file.extension() {
            Some(e) if e.eq_ignore_ascii_case("json") => Self::Json,
            _ => Self::Yaml,
        }
    }

    /// JSON when the text starts with `{`, YAML otherwise: for text with no file name.
    pub fn sniff(text: &str) -> Self {
        if text.trim_start().starts_with('{') { Self::Json } else { Self::Yaml }
    }
}

/// Parses spec text; `file` only names it in errors and picks the format by its extension.
pub fn parse(file: &Path, text: &str) -> Result<Value> {
    parse_as(file, text, Format::of_file(file))
}

/// Parses spec text in the given format and checks that it is an OpenAPI 3.0/3.1 document;
/// `file` (a path or a URL) names it in errors.
pub fn parse_as(file: &Path, text: &str, format: Format) -> Result<Value> {
    let value = if format == Format::Json {
        serde_json::from_str::<Value>(text).map_err(|e| SpecError {
            file: file.to_owned(),
            location: Location::Line { line: e.line(), column: e.column() },
            message: format!("malformed JSON: {e}"),
        })?
    } else {
        serde_norway::from_str::<Value>(text).map_err(|e| SpecError {
            file: file.to_owned(),
            location: e
                .location()
                .map(|l| Location::Line { line: l.line(), column: l.column() })
                .unwrap_or(Location::File),
            message: format!("malformed YAML: {}", strip_location(&e.to_string())),
        })?
    };
    check_shape(file, &value)?;
    Ok(value)
}

/// serde_norway appends " at line L column C" to its messages; the location is shown once.
fn strip_location(message: &str) -> &str {
    message.find(" at line ").map_or(message, |i| &message[..i])
}

/// The minimum that makes a document an OpenAPI 3.0 or 3.1 document.
fn check_shape(file: &Path, value: &Value) -> Result<()> {
    let Some(doc) = value.as_object() else {
        return Err(SpecError::file(file, "not an OpenAPI document: the top level is not a mapping"));
    };
    match doc.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") || v.starts_with("3.1.") => {}
        Some(v) => {
            return Err(SpecError::at(
                file,
                "/openapi",
                format!("OpenAPI version {v} is not supported: expected 3.0.x or 3.1.x"),
            ));
        }
        None => {
            return Err(SpecError::file(
                file,
                "not an OpenAPI document: no `openapi: 3.x.y` field at the top level",
            ));
        }
    }
    if !doc.get("info").is_some_and(Value::is_object) {
        return Err(SpecError::file(file, "the document has no `info` mapping"));
    }
    // `paths` is optional in 3.1; `paths:` with nothing under it parses as null: no paths.
    match doc.get("paths") {
        None | Some(Value::Null | Value::Object(_)) => Ok(()),
        Some(_) => Err(SpecError::at(file, "/paths", "`paths` must be a mapping of paths to path items")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_yaml_names_the_line() {
        let err = parse(Path::new("x.yaml"), "openapi: 3.1.0\ninfo: [\n").unwrap_err();
        assert!(matches!(err.location, Location::Line { line: 3, .. }), "{err:?}");
        assert!(err.to_string().starts_with("x.yaml:3:"), "{err}");
    }

    #[test]
    fn refuses_documents_that_are_not_openapi_3() {
        let err = parse(Path::new("x.yaml"), "swagger: '2.0'\n").unwrap_err();
        assert!(err.message.contains("no `openapi: 3.x.y`"), "{err}");
        let err = parse(Path::new("x.yaml"), "openapi: 2.0.0\ninfo: {}\npaths: {}\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.yaml#/openapi: OpenAPI version 2.0.0 is not supported: expected 3.0.x or 3.1.x"
        );
    }

    #[test]
    fn accepts_a_document_without_paths_or_with_empty_paths() {
        parse(Path::new("x.yaml"), "openapi: 3.1.0\ninfo: {}\ncomponents: {}\n").unwrap();
        parse(Path::new("x.yaml"), "openapi: 3.1.0\ninfo: {}\npaths:\n").unwrap();
        let err = parse(Path::new("x.yaml"), "openapi: 3.1.0\ninfo: {}\npaths: []\n").unwrap_err();
        assert_eq!(err.to_string(), "x.yaml#/paths: `paths` must be a mapping of paths to path items");
    }

    #[test]
    fn reads_json_by_extension() {
        let v = parse(Path::new("x.json"), r#"{"openapi":"3.1.0","info":{},"paths":{}}"#).unwrap();
        assert_eq!(v["openapi"], "3.1.0");
    }
}
