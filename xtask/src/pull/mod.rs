//! `cargo xtask codegen --pull [--from URL|PATH]`: fetch Baseten's published spec, check it
//! generates, and only then write `openapi/baseten.yaml` (canonical form) and its provenance.

mod config;
mod docs;
mod fetch;
mod merge;

#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use modelhost_codegen::load::{Format, parse_as};
use modelhost_codegen::{BASETEN, canonical, openapi, refs};
use modelhost_specdiff::render;
use modelhost_specdiff::{Report, SpecReport, Version};
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
    println!(
        "fetched {} document(s), {} bytes, checked and generated in {:.2} s",
        pulled.fetched_documents,
        pulled.fetched_bytes,
        started.elapsed().as_secs_f64()
    );
    let spec_path = BASETEN.spec_path(root);
    let changed = before.as_deref() != Some(pulled.spec.as_str());
    crate::files::write_all_atomically(&[
        (&spec_path, &pulled.spec),
        (&provenance_path(root), &pulled.provenance),
    ])?;
    let old_ops = before
        .as_deref()
        .and_then(|text| modelhost_codegen::load::parse(&spec_path, text).ok())
        .map(|doc| operations(&doc))
        .unwrap_or_default();
    println!("{}", summary(&old_ops, &pulled.operations, changed));
    if changed {
        print!("{}", changelog(root, before.as_deref(), &pulled.spec));
    }
    Ok(())
}

/// What `cargo xtask diff` would say about the pull, for the maintainer to read before
/// committing. A spec before the pull that no longer loads is compared as absent.
fn changelog(root: &Path, before: Option<&str>, after: &str) -> String {
    let overrides = BASETEN.overrides_path(root).and_then(|path| std::fs::read_to_string(path).ok());
    let name = Path::new("openapi/baseten.yaml");
    let version = |text| Version { name, text, overrides: overrides.as_deref() };
    let file = "openapi/baseten.yaml";
    let report = SpecReport::compare(file, before.map(version), version(after))
        .or_else(|_| SpecReport::compare(file, None, version(after)));
    match report {
        Ok(spec) => render::text(&Report { base: "the spec before the pull".to_owned(), specs: vec![spec] }),
        Err(e) => format!("(no changelog: {e})\n"),
    }
}

/// Fetches and checks the spec; writes nothing.
pub fn pull(root: &Path, from: Option<&str>) -> anyhow::Result<Pulled> {
    let upstream = Upstream::load(root)?;
    let source = match from {
        Some(from) => from.to_owned(),
        None if fetch::is_url(&upstream.source) => upstream.source.clone(),
        None => root.join("openapi").join(&upstream.source).display().to_string(),
    };
    let fetcher = Fetcher::new();
    let (doc, fetched) = if Path::new(&source).is_dir() {
        let pages = pages_in_dir(Path::new(&source))?;
        let fetched = fetcher.get_all(&pages)?;
        (merge_pages(&fetched)?, fetched)
    } else {
        let first = fetcher.get(&source)?;
        read_source(&fetcher, &upstream, first)?
    };
    let spec_path = BASETEN.spec_path(root);
    let spec = canonical::to_canonical_yaml(&spec_path, &doc)?;
    // Everything the build will do, before anything is written.
    BASETEN
        .generate_from(root, doc.clone())
        .with_context(|| format!("the spec pulled from {source} does not generate a client"))?;
    Ok(Pulled {
        spec,
        provenance: provenance(&source, &fetched)?,
        operations: operations(&doc),
        fetched_documents: fetched.len(),
        fetched_bytes: fetched.iter().map(|f| f.text.len()).sum(),
    })
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
    let doc = parse_as(Path::new(name), text, Format::sniff(text))?;
    refs::check_refs(Path::new(name), &doc)?;
    Ok(doc)
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
    refs::check_refs(Path::new("merged pages"), &doc)?;
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

fn provenance(source: &str, fetched: &[Fetched]) -> anyhow::Result<String> {
    let record = Provenance {
        source,
        fetched: fetched.iter().map(|f| FetchedRecord { url: &f.name, sha256: &f.sha256 }).collect(),
    };
    let body = serde_norway::to_string(&record).context("cannot render the provenance file")?;
    Ok(format!(
        "# Written by `cargo xtask codegen --pull`: what openapi/baseten.yaml was made from.\n\
         # sha256 is of the bytes fetched. Do not edit.\n{body}"
    ))
}

fn summary(before: &BTreeSet<String>, after: &BTreeSet<String>, changed: bool) -> String {
    let added = after.difference(before).count();
    let removed = before.difference(after).count();
    format!(
        "pulled openapi/baseten.yaml: {} operations before, {} after ({added} added, {removed} removed){}",
        before.len(),
        after.len(),
        if changed { "" } else { "; the spec is unchanged" }
    )
}
