//! Reading old versions of files with `git`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

/// A git checkout, driven through the `git` command.
pub struct Repo {
    root: PathBuf,
}

impl Repo {
    /// The checkout containing `dir`.
    pub fn containing(dir: &Path) -> anyhow::Result<Self> {
        let top = git(dir, &["rev-parse", "--show-toplevel"]).with_context(|| {
            format!("{} is not inside a git checkout; to compare two files, pass them: `cargo xtask diff OLD NEW`", dir.display())
        })?;
        Ok(Self { root: PathBuf::from(top.trim_end()) })
    }

    /// The top folder of the checkout.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The commit `rev` names, or an error saying the revision is unknown.
    pub fn commit(&self, rev: &str) -> anyhow::Result<String> {
        let spec = format!("{rev}^{{commit}}");
        let sha = git(&self.root, &["rev-parse", "--verify", "--quiet", "--end-of-options", &spec])
            .with_context(|| {
                format!("`{rev}` is not a revision of this repository (try a branch, tag or commit)")
            })?;
        Ok(sha.trim_end().to_owned())
    }

    /// The default base: where HEAD left the main branch, or HEAD when there is no main branch.
    pub fn default_base(&self) -> anyhow::Result<String> {
        for main in ["origin/main", "main", "origin/master", "master"] {
            if self.commit(main).is_ok()
                && let Ok(base) = git(&self.root, &["merge-base", "HEAD", main])
            {
                return Ok(base.trim_end().to_owned());
            }
        }
        self.commit("HEAD")
    }

    /// The newest release tag (`vX.Y.Z`, by version), with its version; `None` before the
    /// first release.
    pub fn last_release(&self) -> anyhow::Result<Option<(String, semver::Version)>> {
        let tags = git(&self.root, &["tag", "--list", "v*"])?;
        Ok(tags
            .lines()
            .filter_map(|tag| Some((tag.to_owned(), semver::Version::parse(tag.strip_prefix('v')?).ok()?)))
            .max_by(|a, b| a.1.cmp(&b.1)))
    }

    /// The day (`YYYY-MM-DD`) of the last commit, the one a release is made from.
    pub fn head_date(&self) -> anyhow::Result<String> {
        Ok(git(&self.root, &["show", "--no-patch", "--format=%cs", "HEAD"])?.trim_end().to_owned())
    }

    /// A file's text at a commit, or `None` when the commit does not have it.
    pub fn show(&self, commit: &str, path: &str) -> anyhow::Result<Option<String>> {
        let object = format!("{commit}:{path}");
        if git(&self.root, &["cat-file", "-e", &object]).is_err() {
            return Ok(None);
        }
        let text = git(&self.root, &["show", &object])?;
        Ok(Some(text))
    }
}

/// Runs git and returns its standard output, or its error message.
fn git(dir: &Path, args: &[&str]) -> anyhow::Result<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .context("cannot run `git`; is it installed?")?;
    if !output.status.success() {
        bail!("git {}: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim());
    }
    String::from_utf8(output.stdout).context("git printed something that is not UTF-8")
}
