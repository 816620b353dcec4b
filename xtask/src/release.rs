//! `cargo xtask release-check`: whether each generated crate's version has moved at least as
//! far as the change to its spec since the last release (`vX.Y.Z` tag) needs.

use modelhost_codegen::PROVIDERS;
use modelhost_specdiff::semver::Bump;

use crate::diff::{self, git::Repo};

/// Prints one line per spec; `Ok(false)` when some crate's version is too low.
pub fn check() -> anyhow::Result<bool> {
    let cwd = std::env::current_dir()?;
    let repo = Repo::containing(&cwd)?;
    let Some((tag, released)) = repo.last_release()? else {
        println!("no release tag (vX.Y.Z) yet: nothing to compare the versions with");
        return Ok(true);
    };
    let mut enough = true;
    // The specs this checkout has (a repository may keep one provider's alone).
    let providers = PROVIDERS.iter().filter(|p| p.spec_path(repo.root()).is_file());
    for provider in providers {
        let report = diff::against_revision(Some(&tag), Some(provider.name))?;
        let spec = &report.specs[0];
        let bump = Bump::of(spec);
        let needed = bump.next(&released);
        let Some(package) = &spec.package else {
            println!(
                "{}: {bump} change since {tag}, but no crate of this workspace is generated from it",
                spec.file
            );
            continue;
        };
        let (name, version) = (&package.name, &package.version);
        if bump.allows(&released, version) {
            println!("{name} {version}: enough for the {bump} change to {} since {tag}", spec.file);
        } else {
            enough = false;
            println!(
                "{name} {version}: too low: {} changed since {tag} ({released}) in a {bump} way, which needs {needed} at least",
                spec.file
            );
        }
    }
    Ok(enough)
}
