//! `contract PROVIDER SPEC URL [--calls N] [--client-spec FILE] [--report]`: calls every
//! operation of `SPEC` that needs no request body on a mock server started from it (Stoplight
//! Prism, started by `cargo xtask contract`), `N` times each (10 by default), and checks that
//! the mock accepts every request (Prism validates requests against its spec, security
//! included) and that the generated client of `PROVIDER` decodes every response. Operations
//! are named as the client names them: by `--client-spec` (the spec the client was generated
//! from; `SPEC` by default), matched by method and path, so another revision of the spec can
//! be served to today's client. Prints a line per operation and a total; exits 1 when a call
//! failed, unless `--report` (a measure, not a gate).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use modelhost_codegen::openapi::{self, Operation};
use modelhost_codegen::{Overrides, prune_overrides};
use serde_json::Value;

/// Decodes a success body of an operation, by the client's method name.
type Decode = fn(&str, &[u8]) -> Option<Result<(), serde_json::Error>>;

struct Args {
    decode: Decode,
    spec: PathBuf,
    client_spec: Option<PathBuf>,
    url: String,
    calls: usize,
    report: bool,
}

fn args() -> Result<Args, String> {
    let mut positional = Vec::new();
    let (mut calls, mut report, mut client_spec) = (10, false, None);
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--calls" => {
                calls = it.next().and_then(|n| n.parse().ok()).ok_or("--calls takes a number")?;
            }
            "--report" => report = true,
            "--client-spec" => {
                client_spec = Some(PathBuf::from(it.next().ok_or("--client-spec takes a file")?))
            }
            _ => positional.push(arg),
        }
    }
    let [provider, spec, url] = <[String; 3]>::try_from(positional).map_err(|_| {
        "usage: contract PROVIDER SPEC URL [--calls N] [--client-spec FILE] [--report]".to_owned()
    })?;
    let decode: Decode = match provider.as_str() {
        "baseten" => modelhost_baseten::__decode_success,
        "replicate" => modelhost_replicate::__decode_success,
        other => return Err(format!("no provider is named `{other}`: baseten or replicate")),
    };
    let url = url.trim_end_matches('/').to_owned();
    Ok(Args { decode, spec: spec.into(), client_spec, url, calls, report })
}

/// What became of the calls to one operation.
#[derive(Default)]
struct Tally {
    accepted: usize,
    decoded: usize,
    first_failure: Option<String>,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("contract: {e}");
            return ExitCode::from(2);
        }
    };
    match run(&args).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("contract: {e}");
            ExitCode::from(2)
        }
    }
}

/// Calls every operation; `Ok(true)` when every call was accepted and decoded (or `--report`).
async fn run(args: &Args) -> Result<bool, String> {
    let doc = modelhost_codegen::load::load(&args.spec).map_err(|e| e.to_string())?;
    let names = match &args.client_spec {
        Some(client_spec) => {
            let client_doc = modelhost_codegen::load::load(client_spec).map_err(|e| e.to_string())?;
            method_names(client_spec, &client_doc)?
        }
        None => method_names(&args.spec, &doc)?,
    };
    let http = reqwest::Client::new();
    let (mut tallies, mut missing) = (BTreeMap::new(), Vec::new());
    for op in openapi::operations(&doc) {
        let needs_body = op.operation.pointer("/requestBody/required") == Some(&Value::Bool(true));
        if needs_body {
            continue;
        }
        let Some(name) = names.get(&op.key()).filter(|name| (args.decode)(name, b"").is_some()) else {
            missing.push(op.key());
            continue;
        };
        let request = request_for(&doc, &op, &args.url)?;
        let tally: &mut Tally = tallies.entry((name.clone(), op.key())).or_default();
        for _ in 0..args.calls {
            if let Err(failure) = call(&http, &request, name, args.decode, tally).await {
                tally.first_failure.get_or_insert(failure);
            }
        }
    }
    let (mut calls, mut accepted, mut decoded) = (0, 0, 0);
    for ((name, key), tally) in &tallies {
        calls += args.calls;
        accepted += tally.accepted;
        decoded += tally.decoded;
        let failure = tally.first_failure.as_deref().unwrap_or("");
        println!(
            "{name:<52} {:>3}/{} accepted {:>3} decoded  {key}  {failure}",
            tally.accepted, args.calls, tally.decoded
        );
    }
    let rate = if calls == 0 { 100.0 } else { 100.0 * decoded as f64 / calls as f64 };
    println!(
        "{}: {calls} calls to {} operations: {accepted} accepted, {decoded} decoded ({rate:.1}%)",
        args.spec.display(),
        tallies.len()
    );
    if !missing.is_empty() {
        println!("not in this client ({}): {}", missing.len(), missing.join(", "));
    }
    Ok(args.report || (accepted == calls && decoded == calls))
}

/// The Rust method name of each operation, as the build names them (with the checked-in
/// override table beside the spec, fitted to it, for Baseten).
fn method_names(spec: &Path, doc: &Value) -> Result<BTreeMap<String, String>, String> {
    let table = spec.with_file_name("baseten.operation-ids.yaml");
    let overrides = match std::fs::read_to_string(&table) {
        Ok(text) if spec.file_name().is_some_and(|n| n.to_string_lossy().starts_with("baseten")) => {
            let (fitted, _) = prune_overrides(&text, doc);
            Overrides::parse(&table, &fitted).map_err(|e| e.to_string())?
        }
        _ => Overrides::default(),
    };
    modelhost_codegen::method_names(spec, doc, &overrides).map_err(|e| e.to_string())
}

/// One request of an operation: its path filled in and its required query parameters set,
/// each with a value its schema allows.
struct Request {
    method: reqwest::Method,
    url: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
}

fn request_for(doc: &Value, op: &Operation<'_>, base: &str) -> Result<Request, String> {
    let mut path = op.path.to_owned();
    let (mut query, mut headers) = (Vec::new(), Vec::new());
    let parameters = [op.path_item, op.operation].into_iter().filter_map(|v| v.get("parameters")?.as_array());
    for parameter in parameters.flatten() {
        let parameter = resolve(doc, parameter);
        let (Some(name), Some(place)) = (parameter["name"].as_str(), parameter["in"].as_str()) else {
            continue;
        };
        let required = parameter["required"].as_bool() == Some(true);
        let value = sample(doc, parameter.get("schema").unwrap_or(&Value::Null));
        match place {
            "path" => path = path.replace(&format!("{{{name}}}"), &value),
            "query" if required => query.push((name.to_owned(), value)),
            "header" if required => headers.push((name.to_owned(), value)),
            _ => {}
        }
    }
    let method = op.method.to_uppercase().parse().map_err(|e| format!("{}: {e}", op.key()))?;
    Ok(Request { method, url: format!("{base}{path}"), query, headers })
}

/// Follows a local `$ref`.
fn resolve<'a>(doc: &'a Value, node: &'a Value) -> &'a Value {
    openapi::resolve(doc, node).0
}

/// A value the schema allows: its example, default or first enum value, else one of its type.
fn sample(doc: &Value, schema: &Value) -> String {
    let schema = resolve(doc, schema);
    let given = schema
        .get("example")
        .or_else(|| schema.get("examples").and_then(|e| e.get(0)))
        .or_else(|| schema.get("default"))
        .or_else(|| schema.get("enum").and_then(|e| e.get(0)));
    if let Some(value) = given.filter(|v| !v.is_null()) {
        return match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(first) =
            schema.get(key).and_then(Value::as_array).and_then(|a| a.iter().find(|b| b["type"] != "null"))
        {
            return sample(doc, first);
        }
    }
    let kind = match &schema["type"] {
        Value::Array(types) => {
            types.iter().find(|t| *t != "null").and_then(Value::as_str).unwrap_or("string")
        }
        other => other.as_str().unwrap_or("string"),
    };
    match (kind, schema["format"].as_str()) {
        ("integer" | "number", _) => "1".to_owned(),
        ("boolean", _) => "true".to_owned(),
        ("array", _) => sample(doc, schema.get("items").unwrap_or(&Value::Null)),
        (_, Some("uuid")) => "00000000-0000-4000-8000-000000000000".to_owned(),
        (_, Some("date-time")) => "2026-01-01T00:00:00Z".to_owned(),
        (_, Some("date")) => "2026-01-01".to_owned(),
        _ => "abc".to_owned(),
    }
}

/// One call: accepted (a success status) and decoded by the client, or why not.
async fn call(
    http: &reqwest::Client,
    request: &Request,
    name: &str,
    decode: Decode,
    tally: &mut Tally,
) -> Result<(), String> {
    let mut builder = http
        .request(request.method.clone(), &request.url)
        .query(&request.query)
        .bearer_auth("contract-test-token");
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let response = builder.send().await.map_err(|e| format!("no answer: {e}"))?;
    let status = response.status();
    let body = response.bytes().await.map_err(|e| format!("body cut off: {e}"))?;
    if !status.is_success() {
        let text = String::from_utf8_lossy(&body);
        return Err(format!("HTTP {status}: {}", text.chars().take(160).collect::<String>()));
    }
    tally.accepted += 1;
    match decode(name, &body) {
        Some(Ok(())) => {
            tally.decoded += 1;
            Ok(())
        }
        Some(Err(e)) => Err(format!("does not decode: {e}")),
        None => Err("not in this client".to_owned()),
    }
}
