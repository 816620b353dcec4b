//! Running progenitor on an adapted (OpenAPI 3.0) document, opening the enums responses
//! carry, and pretty-printing the result.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use progenitor::{GenerationSettings, Generator, InterfaceStyle, TagStyle};
use serde_json::Value;

use crate::error::{Result, SpecError};

/// Generates the Rust source of a client for an OpenAPI 3.0 document.
pub fn generate(file: &Path, doc: &Value) -> Result<String> {
    let tokens = silent(|| tokens(file, doc)).map_err(|e| locate(file, doc).unwrap_or(e))?;
    let mut syntax = syn::parse2::<syn::File>(tokens)
        .map_err(|e| SpecError::file(file, format!("progenitor produced code that does not parse: {e}")))?;
    crate::open_enums::open_response_enums(&mut syntax);
    crate::contract::add_decode_table(&mut syntax);
    Ok(prettyplease::unparse(&syntax))
}

fn tokens(file: &Path, doc: &Value) -> Result<proc_macro2::TokenStream> {
    let api: openapiv3::OpenAPI = serde_path_to_error::deserialize(doc).map_err(|e| {
        let at = format!("/{}", e.path().to_string().replace('.', "/"));
        SpecError::at(file, at, format!("not a valid OpenAPI 3.0 construct after translation: {}", e.inner()))
    })?;
    let mut settings = GenerationSettings::new();
    // The inner type carries the limits every request is held to (`modelhost_http::execute`).
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_inner_type(quote::quote!(::modelhost_http::Limits));
    let mut generator = Generator::new(&settings);
    match catch_unwind(AssertUnwindSafe(|| generator.generate_tokens(&api))) {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(e)) => Err(SpecError::file(file, format!("progenitor cannot generate a client: {e}"))),
        Err(panic) => Err(SpecError::file(file, format!("progenitor panicked: {}", panic_message(&*panic)))),
    }
}

/// The first line of a panic's message (progenitor's `todo!`s append multi-line dumps).
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    let text = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_owned());
    let first = text.lines().next().unwrap_or("");
    first.trim_end_matches(|c: char| c == '{' || c == ':' || c.is_whitespace()).to_owned()
}

/// After a failure, finds the first component schema or operation that fails on its own, so
/// the error can name it instead of leaving the reader with an opaque typify message.
fn locate(file: &Path, doc: &Value) -> Option<SpecError> {
    let empty = serde_json::Map::new();
    let schemas = doc.pointer("/components/schemas").and_then(Value::as_object).unwrap_or(&empty);
    for name in schemas.keys() {
        let needed = references_needed(doc, name);
        let mut probe = doc.clone();
        probe["paths"] = Value::Object(Default::default());
        if let Some(Value::Object(only)) = probe.pointer_mut("/components/schemas") {
            only.retain(|k, _| k == name || needed.contains(k));
        }
        if let Err(e) = silent(|| tokens(file, &probe)) {
            return Some(SpecError::at(file, crate::pointer::push("/components/schemas", name), e.message));
        }
    }
    let paths = doc.get("paths").and_then(Value::as_object).unwrap_or(&empty);
    for path in paths.keys() {
        let mut probe = doc.clone();
        if let Some(Value::Object(only)) = probe.get_mut("paths") {
            only.retain(|p, _| p == path);
        }
        if let Err(e) = silent(|| tokens(file, &probe)) {
            return Some(SpecError::at(file, crate::pointer::push("/paths", path), e.message));
        }
    }
    None
}

/// The component schemas `name` refers to, directly or not.
fn references_needed(doc: &Value, name: &str) -> std::collections::BTreeSet<String> {
    let schema = doc.pointer(&crate::pointer::push("/components/schemas", name));
    schema.map(|schema| crate::openapi::referenced_schemas(doc, schema)).unwrap_or_default()
}

/// Runs `f` with the panic hook silenced, so probing does not print backtraces.
fn silent<T>(f: impl FnOnce() -> T) -> T {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let out = f();
    std::panic::set_hook(hook);
    out
}
