//! `cargo xtask diff`: what changed in the specs, by rule, and in the generated Rust API.
//!
//! Three ways in: against a git revision (the default), two files, or as a git diff driver
//! (`git diff` passes seven arguments: path, old file, old hash, old mode, new file, …).

pub mod git;
pub mod isolated;

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use modelhost_codegen::{SPECS, Spec};
use modelhost_specdiff::render::Format;
use modelhost_specdiff::rules::Level;
use modelhost_specdiff::semver::{Package, Version as SemVer};
use modelhost_specdiff::{AcceptedChanges, Policy, Report, RustApiSource, SpecReport, SpecText};

use git::Repo;

/// What `cargo xtask diff` compares, and how it reports.
#[derive(Debug, PartialEq, Eq)]
pub struct Args {
    /// Which specs.
    pub what: What,
    /// The output format.
    pub format: Format,
    /// The lowest level that makes the command exit 1; `None` never does.
    pub fail_on: Option<Level>,
    /// The accepted changes' file (`--accepted`); against a revision, by default
    /// [`ACCEPTED`] when it exists.
    pub accepted: Option<String>,
    /// What deprecations are held to (`--deprecation-days`).
    pub policy: Policy,
}

/// Where a maintainer lists the changes they accepted, in the repository.
pub const ACCEPTED: &str = "openapi/accepted-changes.yaml";

/// The specs to compare.
#[derive(Debug, PartialEq, Eq)]
pub enum What {
    /// Each provider's spec in the working tree against a revision (default: the merge base
    /// with the main branch).
    Git { base: Option<String>, provider: Option<String> },
    /// Two files.
    Files { old: String, new: String },
    /// Called by git as a diff driver: the file's path, and the old and new contents' files.
    Driver { path: String, old: String, new: String },
}

impl Args {
    /// What the options and positional `files` of `diff` ask for; `None` when they are not a
    /// documented form. Seven files and no `--` option (`explicit`) are git's diff-driver
    /// call, which never fails the diff it is part of.
    pub fn new(
        base: Option<String>,
        provider: Option<String>,
        format: Format,
        fail_on: Option<Level>,
        files: Vec<String>,
        explicit: bool,
    ) -> Option<Self> {
        let what = match <[String; 7]>::try_from(files) {
            Ok([path, old, _, _, new, _, _]) if !explicit => {
                let what = What::Driver { path, old, new };
                let (format, fail_on, accepted, policy) = (Format::Text, None, None, Policy::default());
                return Some(Self { what, format, fail_on, accepted, policy });
            }
            Ok(_) => return None,
            Err(files) => match <[String; 2]>::try_from(files) {
                Ok([old, new]) if base.is_none() && provider.is_none() => What::Files { old, new },
                Ok(_) => return None,
                Err(files) if files.is_empty() => What::Git { base, provider },
                Err(_) => return None,
            },
        };
        Some(Self { what, format, fail_on, accepted: None, policy: Policy::default() })
    }

    /// Parses the arguments after `diff` (as `cargo xtask` does); `None` when they are not a
    /// documented form.
    #[cfg(test)]
    pub fn parse(args: &[&str]) -> Option<Self> {
        let line: Vec<String> =
            std::iter::once("diff").chain(args.iter().copied()).map(str::to_owned).collect();
        match crate::args::parse(&line)? {
            crate::args::Command::Diff(args) => Some(args),
            _ => None,
        }
    }
}

/// Runs the comparison and prints the report. `Ok(true)` when nothing reached `--fail-on`;
/// an error is bad input (exit status 2).
pub fn run(args: &Args) -> anyhow::Result<bool> {
    let mut report = match &args.what {
        What::Git { base, provider } => against_revision(base.as_deref(), provider.as_deref(), args.policy)?,
        What::Files { old, new } => files(old, new, args.policy)?,
        What::Driver { path, old, new } => driver(path, old, new)?,
    };
    if let Some((file, accepted)) = accepted(args)? {
        for stale in report.accept(&accepted) {
            eprintln!(
                "warning: {file}: the accepted change {} ({}) matches no change any more: remove it",
                stale.fingerprint,
                modelhost_text::Escaped(&stale.reason)
            );
        }
    }
    out!("{}", args.format.render(&report));
    Ok(match (args.fail_on, report.max_level()) {
        (Some(threshold), Some(found)) => found < threshold,
        _ => true,
    })
}

/// The accepted changes `args` name, or [`ACCEPTED`] of the repository when comparing with a
/// revision and it exists; checked, with the file's name for messages.
fn accepted(args: &Args) -> anyhow::Result<Option<(String, AcceptedChanges)>> {
    let path = match (&args.accepted, &args.what) {
        (Some(path), _) => std::path::PathBuf::from(path),
        (None, What::Git { .. }) => {
            let cwd = std::env::current_dir().context("cannot read the current folder")?;
            let default = Repo::containing(&cwd)?.root().join(ACCEPTED);
            if !default.exists() {
                return Ok(None);
            }
            default
        }
        (None, _) => return Ok(None),
    };
    let name = path.display().to_string();
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {name}"))?;
    let accepted: AcceptedChanges =
        serde_norway::from_str(&text).with_context(|| format!("{name} is not a list of accepted changes"))?;
    accepted.check().map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    Ok(Some((name, accepted)))
}

/// Each provider's spec in the working tree against `base` (default: the merge base with the
/// main branch), every [`Spec`] or the one named, deprecations held to `policy`.
pub fn against_revision(
    base: Option<&str>,
    provider: Option<&str>,
    policy: Policy,
) -> anyhow::Result<Report> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let repo = Repo::containing(&cwd)?;
    let commit = match base {
        Some(rev) => repo.commit(rev)?,
        None => repo.default_base()?,
    };
    let providers: Vec<Spec> = match provider {
        Some(name) => vec![Spec::named(name).with_context(|| {
            let names: Vec<_> = SPECS.iter().map(|p| p.name).collect();
            format!("no provider is named `{name}`; the providers are {}", names.join(", "))
        })?],
        None => SPECS.to_vec(),
    };
    let short = &commit[..commit.len().min(10)];
    let label = match base {
        Some(rev) => format!("{rev} ({short})"),
        None => format!("the merge base {short}"),
    };
    // Specs kept outside a cargo workspace get the bump without versions.
    let versions = crate::workspace::package_versions(repo.root()).unwrap_or_default();
    let mut specs = Vec::new();
    for provider in providers {
        let file = format!("openapi/{}.yaml", provider.name);
        let new_path = provider.spec_path(repo.root());
        let new_text = std::fs::read_to_string(&new_path)
            .with_context(|| format!("cannot read {}", new_path.display()))?;
        let new_overrides = provider.overrides_path(repo.root()).map(read_optional).transpose()?.flatten();
        let overrides_file = format!("openapi/{}.operation-ids.yaml", provider.name);
        let old_text = repo.show(&commit, &file)?;
        let old_overrides = if provider.has_overrides { repo.show(&commit, &overrides_file)? } else { None };
        let old_name = format!("{short}:{file}");
        let old = old_text.as_deref().map(|text| SpecText {
            name: Path::new(&old_name),
            text,
            overrides: old_overrides.as_deref(),
        });
        let new = SpecText { name: Path::new(&file), text: &new_text, overrides: new_overrides.as_deref() };
        let mut spec = compare(&file, old, new, policy)?;
        spec.package = package(&versions, provider);
        specs.push(spec);
    }
    Ok(Report { base: label, specs })
}

fn files(old: &str, new: &str, policy: Policy) -> anyhow::Result<Report> {
    let (old, new) = (Path::new(old), Path::new(new));
    let tables = (sibling_overrides(old)?, sibling_overrides(new)?);
    let spec = compare_files(&new.display().to_string(), (old, new), tables, policy)?;
    Ok(Report { base: old.display().to_string(), specs: vec![spec] })
}

/// As git's diff driver, the old and new files are temporary copies (or the working tree
/// file): the operation-id table is the one beside the file in the checkout. git passes no
/// options: deprecations are held to no policy.
fn driver(path: &str, old: &str, new: &str) -> anyhow::Result<Report> {
    let policy = Policy::default();
    let overrides = sibling_overrides(Path::new(path))?;
    let spec = if new == "/dev/null" {
        // A deleted spec: everything in it is removed.
        let text = read(Path::new(old))?;
        let old = SpecText { name: Path::new(old), text: &text, overrides: overrides.as_deref() };
        let new = SpecText { name: Path::new(path), text: NO_OPERATIONS, overrides: None };
        compare(path, Some(old), new, policy)?
    } else if old == "/dev/null" {
        let text = read(Path::new(new))?;
        let new = SpecText { name: Path::new(path), text: &text, overrides: overrides.as_deref() };
        compare(path, None, new, policy)?
    } else {
        compare_files(path, (Path::new(old), Path::new(new)), (overrides.clone(), overrides), policy)?
    };
    Ok(Report { base: format!("the version of {path} git compares with"), specs: vec![spec] })
}

/// Compares two versions, the Rust APIs generated in child processes.
fn compare(
    file: &str,
    base: Option<SpecText<'_>>,
    rev: SpecText<'_>,
    policy: Policy,
) -> anyhow::Result<SpecReport> {
    let source = RustApiSource::With(&isolated::public_api);
    Ok(SpecReport::compare_under(file, base, rev, source, policy)?)
}

/// The crate generated from `provider`'s spec (`modelhost-NAME`), with its version in the
/// working tree.
fn package(versions: &BTreeMap<String, String>, provider: Spec) -> Option<Package> {
    let name = format!("modelhost-{}", provider.name);
    let version = SemVer::parse(versions.get(&name)?).ok()?;
    Some(Package { name, version })
}

/// What stands for a deleted spec.
const NO_OPERATIONS: &str = "openapi: 3.1.0\ninfo: {title: deleted, version: '0'}\npaths: {}\n";

/// Compares two files, with their operation-id tables.
fn compare_files(
    label: &str,
    (old, new): (&Path, &Path),
    (old_table, new_table): (Option<String>, Option<String>),
    policy: Policy,
) -> anyhow::Result<SpecReport> {
    let (old_text, new_text) = (read(old)?, read(new)?);
    let old = SpecText { name: old, text: &old_text, overrides: old_table.as_deref() };
    let new = SpecText { name: new, text: &new_text, overrides: new_table.as_deref() };
    compare(label, Some(old), new, policy)
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

fn read_optional(path: std::path::PathBuf) -> anyhow::Result<Option<String>> {
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// `DIR/NAME.operation-ids.yaml` beside `DIR/NAME.yaml`, if there is one.
fn sibling_overrides(spec: &Path) -> anyhow::Result<Option<String>> {
    let Some(stem) = spec.file_stem().and_then(|s| s.to_str()) else { return Ok(None) };
    read_optional(spec.with_file_name(format!("{stem}.operation-ids.yaml")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Option<Args> {
        Args::parse(&line.split_whitespace().collect::<Vec<_>>())
    }

    #[test]
    fn parses_the_documented_forms_and_nothing_else() {
        let git = parse("--base main --provider baseten --format markdown --fail-on warning").unwrap();
        assert_eq!(git.what, What::Git { base: Some("main".into()), provider: Some("baseten".into()) });
        assert_eq!((git.format, git.fail_on), (Format::Markdown, Some(Level::Warning)));
        let plain = parse("").unwrap();
        assert_eq!((plain.format, plain.fail_on), (Format::Text, Some(Level::Breaking)));
        let files = parse("--fail-on never a.yaml b.yaml").unwrap();
        assert_eq!(files.what, What::Files { old: "a.yaml".into(), new: "b.yaml".into() });
        assert_eq!(files.fail_on, None);
        assert_eq!(files.policy, Policy::default());
        let policy = parse("--deprecation-days 30 a.yaml b.yaml").unwrap().policy;
        assert_eq!(policy, Policy { deprecation_days: 30 });
        let driver = parse("openapi/x.yaml /tmp/old 1234 100644 openapi/x.yaml 5678 100644").unwrap();
        assert!(matches!(driver.what, What::Driver { .. }) && driver.fail_on.is_none());
        for bad in [
            "--format yaml",
            "--fail-on sometimes",
            "--base",
            "a.yaml",
            "a.yaml b.yaml c.yaml",
            "--base main a.yaml b.yaml",
            "--deprecation-days -1 a.yaml b.yaml",
            "--deprecation-days soon a.yaml b.yaml",
            "--provider baseten a.yaml b.yaml",
            "--base a --base b",
            "--bogus",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
