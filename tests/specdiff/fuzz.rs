//! Property-based mutation of real specs: the spec pairs and revisions of Baseten's history,
//! with properties removed, renamed and retyped, union branches added and removed, schemas
//! made nullable, `required` toggled, operations removed, and schemas made to contain
//! themselves. Whatever comes out, comparing never panics, gives the same report twice, and
//! finds nothing between a document and itself; every rendering renders. Bounded by the
//! number of cases (about half a minute in a debug build on two cores).

use std::path::Path;
use std::sync::OnceLock;

use modelhost_codegen::pointer;
use modelhost_specdiff::render::Format;
use modelhost_specdiff::{Report, SpecReport, SpecText, diff};
use modelhost_specdiff_tests::{history, pairs};
use proptest::prelude::*;
use serde_json::{Value, json};

/// A document to mutate: the pairs' documents, and three revisions of Baseten's history.
fn corpus() -> &'static [Value] {
    static CORPUS: OnceLock<Vec<Value>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let mut docs: Vec<Value> = pairs().into_iter().flat_map(|p| [p.base, p.revision]).collect();
        let revisions = history();
        for i in [0, 37, 59] {
            docs.push(serde_json::from_str(&revisions[i].text).expect("a revision is JSON"));
        }
        docs
    })
}

/// One edit; the numbers pick among the candidates the document has, modulo their count.
#[derive(Debug, Clone)]
enum Mutation {
    RemoveProperty(usize),
    RenameProperty(usize),
    Retype(usize, &'static str),
    AddBranch(usize),
    RemoveBranch(usize),
    WrapNullable(usize),
    ToggleRequired(usize),
    RemoveOperation(usize),
    SelfInclude(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let types = prop::sample::select(vec!["string", "integer", "number", "boolean", "array", "object"]);
    prop_oneof![
        any::<usize>().prop_map(Mutation::RemoveProperty),
        any::<usize>().prop_map(Mutation::RenameProperty),
        (any::<usize>(), types).prop_map(|(i, t)| Mutation::Retype(i, t)),
        any::<usize>().prop_map(Mutation::AddBranch),
        any::<usize>().prop_map(Mutation::RemoveBranch),
        any::<usize>().prop_map(Mutation::WrapNullable),
        any::<usize>().prop_map(Mutation::ToggleRequired),
        any::<usize>().prop_map(Mutation::RemoveOperation),
        any::<usize>().prop_map(Mutation::SelfInclude),
    ]
}

/// JSON pointers of every object that has `properties` (an object schema), in document order.
fn object_schemas(node: &Value, at: String, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            if map.get("properties").is_some_and(Value::is_object) {
                out.push(at.clone());
            }
            for (k, v) in map {
                object_schemas(v, pointer::push(&at, k), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                object_schemas(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// The `n`th (modulo) object schema and one of its properties' names.
fn pick_property(doc: &Value, n: usize) -> Option<(String, String)> {
    let mut schemas = Vec::new();
    object_schemas(doc, String::new(), &mut schemas);
    let at = schemas.get(n % schemas.len().max(1))?.clone();
    let names: Vec<&String> = doc.pointer(&at)?["properties"].as_object()?.keys().collect();
    let name = names.get((n / 7) % names.len().max(1))?.to_string();
    Some((at, name))
}

fn apply(doc: &mut Value, mutation: &Mutation) {
    let property = |doc: &mut Value, n| pick_property(doc, n);
    match *mutation {
        Mutation::RemoveProperty(n) => {
            if let Some((at, name)) = property(doc, n) {
                doc.pointer_mut(&at).unwrap()["properties"].as_object_mut().unwrap().remove(&name);
            }
        }
        Mutation::RenameProperty(n) => {
            if let Some((at, name)) = property(doc, n) {
                let props = doc.pointer_mut(&at).unwrap()["properties"].as_object_mut().unwrap();
                let value = props.remove(&name).unwrap();
                props.insert(format!("{name}_renamed"), value);
            }
        }
        Mutation::Retype(n, t) => {
            if let Some((at, name)) = property(doc, n) {
                doc.pointer_mut(&at).unwrap()["properties"][&name] = json!({"type": t});
            }
        }
        Mutation::AddBranch(n) | Mutation::WrapNullable(n) => {
            if let Some((at, name)) = property(doc, n) {
                let slot = &mut doc.pointer_mut(&at).unwrap()["properties"][&name];
                let other = if matches!(mutation, Mutation::AddBranch(_)) {
                    json!({"type": "object", "properties": {"added": {"type": "string"}}})
                } else {
                    json!({"type": "null"})
                };
                *slot = json!({"anyOf": [slot.take(), other]});
            }
        }
        Mutation::RemoveBranch(n) => {
            let mut unions = Vec::new();
            find_key(doc, "anyOf", String::new(), &mut unions);
            find_key(doc, "oneOf", String::new(), &mut unions);
            if let Some(at) = unions.get(n % unions.len().max(1))
                && let Some(Value::Array(branches)) = doc.pointer_mut(at)
                && branches.len() > 1
            {
                branches.remove(n % branches.len());
            }
        }
        Mutation::ToggleRequired(n) => {
            if let Some((at, name)) = property(doc, n) {
                let schema = doc.pointer_mut(&at).unwrap();
                let required = schema.get_mut("required").and_then(Value::as_array_mut);
                match required {
                    Some(list) if list.contains(&json!(name)) => list.retain(|v| v != &json!(name)),
                    Some(list) => list.push(json!(name)),
                    None => schema["required"] = json!([name]),
                }
            }
        }
        Mutation::RemoveOperation(n) => {
            if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
                let keys: Vec<String> = paths.keys().cloned().collect();
                if let Some(path) = keys.get(n % keys.len().max(1)) {
                    paths.remove(path);
                }
            }
        }
        Mutation::SelfInclude(n) => {
            let schemas = doc.pointer_mut("/components/schemas").and_then(Value::as_object_mut);
            if let Some(schemas) = schemas {
                let names: Vec<String> = schemas.keys().cloned().collect();
                if let Some(name) = names.get(n % names.len().max(1)) {
                    let this = json!({"$ref": format!("#{}", pointer::push("/components/schemas", name))});
                    let schema = schemas.get_mut(name).unwrap();
                    *schema = json!({"allOf": [this, schema.take()]});
                }
            }
        }
    }
}

fn find_key(node: &Value, key: &str, at: String, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            for (k, v) in map {
                let child = pointer::push(&at, k);
                if k == key && v.is_array() {
                    out.push(child.clone());
                }
                find_key(v, key, child, out);
            }
        }
        Value::Array(items) => {
            items.iter().enumerate().for_each(|(i, v)| find_key(v, key, format!("{at}/{i}"), out))
        }
        _ => {}
    }
}

/// Compares `base` with `revision` as text, end to end, and renders every format.
fn renders(base: &Value, revision: &Value) {
    let (a, b) = (base.to_string(), revision.to_string());
    let version = |text| SpecText { name: Path::new("fuzz.json"), text, overrides: None };
    let Ok(spec) = SpecReport::compare_http("fuzz.json", Some(version(&a)), version(&b)) else {
        return; // a mutation may leave a dangling `$ref`: refused with a message, not a panic
    };
    let report = Report { base: "fuzz".to_owned(), specs: vec![spec] };
    for format in [Format::Text, Format::Markdown, Format::Json, Format::Github] {
        assert!(!format.render(&report).is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_specs_compare_deterministically_and_never_panic(
        pick in any::<usize>(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let corpus = corpus();
        // Baseten's revisions are large: one case in eight uses one.
        let base = &corpus[if pick % 8 == 0 { corpus.len() - 1 - pick / 8 % 3 } else { pick % (corpus.len() - 3) }];
        let mut revision = base.clone();
        for m in &mutations {
            apply(&mut revision, m);
        }
        let first = diff(base, &revision);
        prop_assert_eq!(&first, &diff(base, &revision), "the same inputs give the same report");
        let same = diff(&revision, &revision);
        prop_assert!(same.changes.is_empty() && same.documentation.is_empty(), "{:?}", same);
        renders(base, &revision);
    }
}

/// Each kind of mutation does change a real revision, and what it changes is found.
#[test]
fn every_mutation_changes_a_real_spec() {
    let base = corpus().last().unwrap();
    for m in [
        Mutation::RemoveProperty(3),
        Mutation::RenameProperty(3),
        Mutation::Retype(3, "boolean"),
        Mutation::AddBranch(3),
        Mutation::RemoveBranch(3),
        Mutation::WrapNullable(3),
        Mutation::ToggleRequired(3),
        Mutation::RemoveOperation(3),
        Mutation::SelfInclude(3),
    ] {
        let mut revision = base.clone();
        apply(&mut revision, &m);
        assert_ne!(&revision, base, "{m:?} changed nothing");
        let found = diff(base, &revision);
        // A schema made to include itself may be one no operation uses, and the branch removed
        // may be the null of a response property, which no client minds: nothing to report.
        let may_be_silent = matches!(m, Mutation::SelfInclude(_) | Mutation::RemoveBranch(_));
        assert!(may_be_silent || !found.changes.is_empty(), "{m:?} was not found");
    }
}
