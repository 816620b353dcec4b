//! Writing files whole or not at all, and describing how they changed.

use std::path::Path;

use anyhow::Context;

/// Replaces `path` with `contents` through a temporary file in the same folder and a rename,
/// so a reader (or a crash) never sees it half-written.
pub fn write_atomically(path: &Path, contents: &str) -> anyhow::Result<()> {
    write_all_atomically(&[(path, contents)])
}

/// Writes every file to a temporary file first, and renames them into place only when all
/// were written: a failure while writing leaves every file as it was.
pub fn write_all_atomically(files: &[(&Path, &str)]) -> anyhow::Result<()> {
    let mut staged = Vec::with_capacity(files.len());
    for (path, contents) in files {
        let dir = path.parent().context("a file to write has a folder")?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)
            .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
        std::io::Write::write_all(&mut tmp, contents.as_bytes())
            .with_context(|| format!("cannot write a temporary file for {}", path.display()))?;
        staged.push((tmp, *path));
    }
    for (tmp, path) in staged {
        tmp.persist(path).with_context(|| format!("cannot replace {}", path.display()))?;
    }
    Ok(())
}

/// `+A -D lines`, counting the lines that differ between two texts.
pub fn line_stats(old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let (mut added, mut removed) = (0, 0);
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Insert => added += 1,
            similar::ChangeTag::Delete => removed += 1,
            similar::ChangeTag::Equal => {}
        }
    }
    format!("+{added} -{removed} lines")
}
