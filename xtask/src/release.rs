//! Releases, from what `cargo xtask diff` finds since the last release tag (`vX.Y.Z`):
//! - `release-check`: whether each generated crate's version has moved at least as far as
//!   the change to its spec needs;
//! - `next-version`: the least version the changes need (for the release workflow);
//! - `changelog VERSION`: a CHANGELOG.md entry written from the diff's markdown.

use std::path::Path;

use anyhow::Context;
use modelhost_codegen::SPECS;
use modelhost_specdiff::render::Format;
use modelhost_specdiff::semver::{Bump, Version};
use modelhost_specdiff::{Policy, SpecReport};
use modelhost_specdiff::{Report, semver};

use crate::diff::{self, git::Repo};

/// The changelog at the root of the repository.
const CHANGELOG: &str = "CHANGELOG.md";

/// The last release and each spec's comparison with it; `None` before the first release.
struct SinceRelease {
    tag: String,
    released: Version,
    report: Report,
}

fn since_release() -> anyhow::Result<(Repo, Option<SinceRelease>)> {
    let repo = Repo::containing(&std::env::current_dir()?)?;
    let Some((tag, released)) = repo.last_release()? else { return Ok((repo, None)) };
    // The specs this checkout has (a repository may keep one provider's alone).
    let mut specs = Vec::new();
    for provider in SPECS.iter().filter(|p| p.spec_path(repo.root()).is_file()) {
        specs.extend(diff::against_revision(Some(&tag), Some(provider.name), Policy::default())?.specs);
    }
    let report = Report { base: tag.clone(), specs };
    Ok((repo, Some(SinceRelease { tag, released, report })))
}

/// Prints one line per spec; `Ok(false)` when some crate's version is too low.
pub fn check() -> anyhow::Result<bool> {
    let (_, Some(SinceRelease { tag, released, report })) = since_release()? else {
        outln!("no release tag (vX.Y.Z) yet: nothing to compare the versions with");
        return Ok(true);
    };
    let mut enough = true;
    for spec in &report.specs {
        let bump = Bump::of(spec);
        let needed = bump.next(&released);
        let Some(package) = &spec.package else {
            outln!(
                "{}: {bump} change since {tag}, but no crate of this workspace is generated from it",
                spec.file
            );
            continue;
        };
        let (name, version) = (&package.name, &package.version);
        if bump.allows(&released, version) {
            outln!("{name} {version}: enough for the {bump} change to {} since {tag}", spec.file);
        } else {
            enough = false;
            outln!(
                "{name} {version}: too low: {} changed since {tag} ({released}) in a {bump} way, which needs {needed} at least",
                spec.file
            );
        }
    }
    Ok(enough)
}

/// The least version the changes since the last release need (the greatest bump of any
/// spec), or the workspace's version before the first release.
pub fn next_version() -> anyhow::Result<Version> {
    match since_release()? {
        (_, Some(since)) => Ok(greatest_bump(&since.report.specs).next(&since.released)),
        (repo, None) => current_version(&repo),
    }
}

fn greatest_bump(specs: &[SpecReport]) -> Bump {
    specs.iter().map(Bump::of).max().unwrap_or(Bump::None)
}

/// The version of the published crates in the working tree (they share the workspace's), the
/// greatest if they differ.
fn current_version(repo: &Repo) -> anyhow::Result<Version> {
    let versions = crate::workspace::package_versions(repo.root())?;
    versions
        .iter()
        .filter(|(name, _)| *name == "modelhost" || name.starts_with("modelhost-"))
        .filter_map(|(_, version)| Version::parse(version).ok())
        .max()
        .context("the workspace has no `modelhost` crate")
}

/// Puts an entry for `version` at the top of CHANGELOG.md, dated by the last commit: the
/// diff's markdown since the last release, or a first-release line.
pub fn changelog(version: &str) -> anyhow::Result<()> {
    let version = Version::parse(version).with_context(|| format!("`{version}` is not a version"))?;
    let (repo, since) = since_release()?;
    let date = repo.head_date()?;
    let body = match &since {
        Some(since) => Format::Markdown.render(&since.report),
        None => "The first release.\n".to_owned(),
    };
    let entry = entry(&version, &date, &body);
    let path = repo.root().join(CHANGELOG);
    let old = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    crate::files::write_atomically(&path, &prepend(&old, &entry))?;
    outln!("{}: added {version}", relative(repo.root(), &path));
    Ok(())
}

/// `## VERSION (DATE)`, then the body with its headings moved under it.
fn entry(version: &semver::Version, date: &str, body: &str) -> String {
    let body: String = body
        .lines()
        .map(|line| if line.starts_with('#') { format!("##{line}\n") } else { format!("{line}\n") })
        .collect();
    format!("## {version} ({date})\n\n{}\n", body.trim_end())
}

/// The changelog with `entry` after its title (written when missing).
fn prepend(old: &str, entry: &str) -> String {
    const TITLE: &str =
        "# Changelog\n\nWritten by `cargo xtask changelog` from `cargo xtask diff` at each release.\n";
    let rest = old.strip_prefix(TITLE).unwrap_or(old).trim_start();
    format!("{TITLE}\n{entry}\n{rest}").trim_end().to_owned() + "\n"
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_go_newest_first_under_one_title() {
        let first = prepend("", &entry(&Version::new(0, 1, 0), "2026-11-24", "The first release.\n"));
        let second = prepend(&first, &entry(&Version::new(0, 2, 0), "2026-12-01", "### Changes\nx\n"));
        assert!(second.starts_with("# Changelog\n"), "{second}");
        let (new, old) = (second.find("## 0.2.0 (2026-12-01)").unwrap(), second.find("## 0.1.0").unwrap());
        assert!(new < old, "{second}");
        assert!(second.contains("##### Changes\nx\n"), "headings move under the entry: {second}");
        assert_eq!(second.matches("# Changelog").count(), 1, "{second}");
    }
}
