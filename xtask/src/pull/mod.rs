//! `cargo xtask codegen --pull [--from URL|PATH]`: fetch Baseten's published spec, check it
//! generates, and only then write `openapi/baseten.yaml` (canonical form) and its provenance.

mod config;
mod docs;
mod fetch;
mod merge;
pub mod replicate;

#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use modelhost_codegen::load::{Format, parse_checked};
use modelhost_codegen::{
    BASETEN, Overrides, SpecError, check_refs, openapi, prune_overrides, to_canonical_yaml,
};
use modelhost_specdiff::render;
use modelhost_specdiff::{Report, SpecReport, SpecText};
use serde::Serialize;
use serde_json::Value;

pub use config::Upstream;
use fetch::{Fetched, Fetcher};

/// The result of a successful pull, not yet written.
pub struct Pulled {
    /// The spec in canonical YAML.
    pub spec: String,
    /// The provenance file's text.
    pub provenance: String,
    /// `METHOD /path` of every operation pulled.
    pub operations: BTreeSet<String>,
    /// How many documents were fetched (an index and its pages, or one).
    pub fetched_documents: usize,
    /// How many bytes they held.
    pub fetched_bytes: usize,
    /// The operation-id table without the entries for operations upstream removed, when it
    /// had any.
    pub overrides: Option<String>,
    /// The keys of those entries.
    pub dropped_overrides: Vec<String>,
}

/// `ROOT/openapi/baseten.provenance.yaml`.
pub fn provenance_path(root: &Path) -> PathBuf {
    root.join("openapi/baseten.provenance.yaml")
}

/// Pulls from `from` (or the configured source), writes the spec and its provenance, and
/// prints a summary. Writes nothing unless every step succeeded.
pub fn run(root: &Path, from: Option<&str>) -> anyhow::Result<()> {
    let before = std::fs::read_to_string(BASETEN.spec_path(root)).ok();
    let started = std::time::Instant::now();
    let pulled = pull(root, from)?;
    outln!(
        "fetched {} document(s), {} bytes, checked and generated in {:.2} s",
        pulled.fetched_documents,
        pulled.fetched_bytes,
        started.elapsed().as_secs_f64()
    );
    let spec_path = BASETEN.spec_path(root);
    let table_path = overrides_path(root);
    let changed = before.as_deref() != Some(pulled.spec.as_str());
    let old_table = std::fs::read_to_string(&table_path).ok();
    // The spec, its provenance and a pruned table are written together, or nothing is.
    let provenance = provenance_path(root);
    let mut files =
        vec![(spec_path.as_path(), pulled.spec.as_str()), (provenance.as_path(), pulled.provenance.as_str())];
    if let Some(table) = &pulled.overrides {
        files.push((table_path.as_path(), table.as_str()));
    }
    crate::files::write_all_atomically(&files)?;
    outln!("{}", summary(root, before.as_deref(), &pulled, changed));
    if changed {
        out!("{}", changelog(before.as_deref(), old_table.as_deref(), &pulled));
    }
    Ok(())
}

/// `--pull --check`: fetches and compares with `openapi/`, writes nothing; `Ok(false)` (exit
/// 1) when upstream differs, with the changelog printed.
pub fn check(root: &Path, from: Option<&str>) -> anyhow::Result<bool> {
    let before = std::fs::read_to_string(BASETEN.spec_path(root)).ok();
    let pulled = pull(root, from)?;
    let up_to_date = before.as_deref() == Some(pulled.spec.as_str()) && pulled.overrides.is_none();
    outln!("{}", summary(root, before.as_deref(), &pulled, !up_to_date));
    if up_to_date {
        return Ok(true);
    }
    let old_table = std::fs::read_to_string(overrides_path(root)).ok();
    out!("{}", changelog(before.as_deref(), old_table.as_deref(), &pulled));
    outln!("upstream differs from openapi/baseten.yaml: run `cargo xtask codegen --pull` to take it");
    Ok(false)
}

fn overrides_path(root: &Path) -> PathBuf {
    BASETEN.overrides_path(root).expect("Baseten has an operation-id table")
}

/// What `cargo xtask diff` would say about the pull, for the maintainer to read before
/// committing. A spec before the pull that no longer loads is compared as absent.
fn changelog(before: Option<&str>, old_table: Option<&str>, pulled: &Pulled) -> String {
    let name = Path::new("openapi/baseten.yaml");
    let old = |text| SpecText { name, text, overrides: old_table };
    let new_table = pulled.overrides.as_deref().or(old_table);
    let new = SpecText { name, text: &pulled.spec, overrides: new_table };
    report_change("the spec before the pull", before.map(old), new, SpecReport::compare)
}

/// How a pull's changelog compares two versions of one spec file.
type Compare = for<'a> fn(&str, Option<SpecText<'a>>, SpecText<'a>) -> Result<SpecReport, SpecError>;

/// The text report of `before` against `after` by `compare`, headed "compared with `base`";
/// a `before` that no longer loads is compared as absent, and a report that cannot be made
/// says why in one line (the pull itself has succeeded).
fn report_change(base: &str, before: Option<SpecText>, after: SpecText, compare: Compare) -> String {
    let file = after.name.to_string_lossy().into_owned();
    match compare(&file, before, after).or_else(|_| compare(&file, None, after)) {
        Ok(spec) => render::text(&Report { base: base.to_owned(), specs: vec![spec] }),
        Err(e) => format!("(no changelog: {e})\n"),
    }
}

/// Fetches and checks the spec; writes nothing.
pub fn pull(root: &Path, from: Option<&str>) -> anyhow::Result<Pulled> {
    let upstream = Upstream::load(root)?;
    let source = source(root, from, &upstream.source);
    let fetcher = Fetcher::new()?;
    let (doc, fetched) = if Path::new(&source).is_dir() {
        let pages = pages_in_dir(Path::new(&source))?;
        let fetched = fetcher.get_all(&pages)?;
        (merge_pages(&fetched)?, fetched)
    } else {
        let first = fetcher.get(&source)?;
        read_source(&fetcher, &upstream, first)?
    };
    let spec_path = BASETEN.spec_path(root);
    let spec = to_canonical_yaml(&spec_path, &doc)?;
    // Names for operations upstream removed go with them: a pull never blocks on the table
    // (plain `codegen` still refuses a stale entry, which is a hand edit).
    let table_path = overrides_path(root);
    let table = std::fs::read_to_string(&table_path).unwrap_or_default();
    let (pruned, dropped_overrides) = prune_overrides(&table, &doc);
    let overrides = Overrides::parse(&table_path, &pruned)?;
    // Everything the build will do, before anything is written.
    modelhost_codegen::generate_client(&spec_path, doc.clone(), &overrides)
        .with_context(|| format!("the spec pulled from {source} does not generate a client"))?;
    Ok(Pulled {
        spec,
        provenance: provenance("openapi/baseten.yaml", &source, &fetched)?,
        operations: operations(&doc),
        fetched_documents: fetched.len(),
        fetched_bytes: fetched.iter().map(|f| f.text.len()).sum(),
        overrides: (!dropped_overrides.is_empty()).then_some(pruned),
        dropped_overrides,
    })
}

/// What to fetch: `from` when given, else the configured `source` (a path relative to
/// `openapi/`, or a URL).
fn source(root: &Path, from: Option<&str>, configured: &str) -> String {
    match from {
        Some(from) => from.to_owned(),
        None if fetch::is_url(configured) => configured.to_owned(),
        None => root.join("openapi").join(configured).display().to_string(),
    }
}

/// Reads a fetched source: an OpenAPI document, else a docs page, else a docs index whose
/// pages are then fetched and merged. Returns the document and everything fetched.
fn read_source(
    fetcher: &Fetcher,
    upstream: &Upstream,
    first: Fetched,
) -> anyhow::Result<(Value, Vec<Fetched>)> {
    let as_document = document(&first.name, &first.text);
    if as_document.is_ok() || Format::sniff(&first.text) == Format::Json {
        return Ok((as_document?, vec![first]));
    }
    if docs::yaml_block(&first.text).is_some() {
        return Ok((page_document(&first)?, vec![first]));
    }
    if !first.text.contains("](") {
        // Neither a page nor an index: the document's own error is the most precise.
        return Err(as_document.expect_err("checked above"));
    }
    let links = docs::index_links(&first.text, &first.name, &upstream.index_pages);
    if links.is_empty() {
        bail!(
            "{}: the index lists no API reference pages (no link whose path contains `{}`)",
            first.name,
            upstream.index_pages
        );
    }
    let pages = fetcher.get_all(&links)?;
    let doc = merge_pages(&pages)?;
    Ok((doc, std::iter::once(first).chain(pages).collect()))
}

/// Parses and checks one OpenAPI document, naming `name` in errors.
fn document(name: &str, text: &str) -> anyhow::Result<Value> {
    Ok(parse_checked(Path::new(name), text, Format::sniff(text))?)
}

fn page_document(page: &Fetched) -> anyhow::Result<Value> {
    let block = docs::yaml_block(&page.text)
        .ok_or_else(|| anyhow!("{}: the page has no ```yaml block", page.name))?;
    document(&page.name, &block)
}

fn merge_pages(pages: &[Fetched]) -> anyhow::Result<Value> {
    let pages = pages
        .iter()
        .map(|p| Ok(merge::Page { name: p.name.clone(), doc: page_document(p)? }))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let doc = merge::merge(&pages)?;
    check_refs(Path::new("merged pages"), &doc)?;
    Ok(doc)
}

fn pages_in_dir(dir: &Path) -> anyhow::Result<Vec<String>> {
    let mut pages: Vec<String> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| p.display().to_string())
        .collect();
    pages.sort();
    if pages.is_empty() {
        bail!("{}: the folder holds no *.md docs pages", dir.display());
    }
    Ok(pages)
}

/// `METHOD /path` of every operation in a document.
fn operations(doc: &Value) -> BTreeSet<String> {
    openapi::operations(doc).map(|op| op.key()).collect()
}

#[derive(Serialize)]
struct Provenance<'a> {
    source: &'a str,
    fetched: Vec<FetchedRecord<'a>>,
}

#[derive(Serialize)]
struct FetchedRecord<'a> {
    url: &'a str,
    sha256: &'a str,
}

/// The provenance file of `file`: what it was made from, with each fetch's SHA-256.
fn provenance(file: &str, source: &str, fetched: &[Fetched]) -> anyhow::Result<String> {
    let record = Provenance {
        source,
        fetched: fetched.iter().map(|f| FetchedRecord { url: &f.name, sha256: &f.sha256 }).collect(),
    };
    let body = serde_norway::to_string(&record).context("cannot render the provenance file")?;
    Ok(format!(
        "# Written by `cargo xtask codegen --pull`: what {file} was made from.\n\
         # sha256 is of the bytes fetched. Do not edit.\n{body}"
    ))
}

fn summary(root: &Path, before: Option<&str>, pulled: &Pulled, changed: bool) -> String {
    let old_ops = before
        .and_then(|text| modelhost_codegen::load::parse(&BASETEN.spec_path(root), text).ok())
        .map(|doc| operations(&doc))
        .unwrap_or_default();
    let after = &pulled.operations;
    let added = after.difference(&old_ops).count();
    let removed = old_ops.difference(after).count();
    let mut out = format!(
        "pulled openapi/baseten.yaml: {} operations before, {} after ({added} added, {removed} removed){}",
        old_ops.len(),
        after.len(),
        if changed { "" } else { "; up to date" }
    );
    for key in &pulled.dropped_overrides {
        out.push_str(&format!("\noverride for `{key}` dropped: the operation was removed upstream"));
    }
    out
}
