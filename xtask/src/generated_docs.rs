//! Documentation written from code, so it cannot drift (rust-analyzer's
//! `ensure_file_contents`): each is a region of a Markdown file between two markers, which
//! `cargo xtask codegen` rewrites and `--check` compares.

use std::path::Path;

use anyhow::{Context, bail};

use crate::codegen::Mode;
use crate::files::{line_stats, write_atomically};

/// One generated region: the file, its markers' name, and what goes between them.
struct Region {
    file: &'static str,
    name: &'static str,
    contents: fn() -> String,
}

const REGIONS: &[Region] = &[Region {
    file: "crates/specdiff/README.md",
    name: "rules",
    contents: modelhost_specdiff::rules::markdown_table,
}];

/// Brings every generated region up to date (or, in [`Mode::Check`], only compares); returns
/// the files that were stale.
pub fn run(root: &Path, mode: Mode) -> anyhow::Result<Vec<String>> {
    let mut stale = Vec::new();
    for region in REGIONS {
        let path = root.join(region.file);
        let old = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", region.file))?;
        let new = with_region(&old, region.name, &(region.contents)())
            .with_context(|| format!("{}: the generated {} table", region.file, region.name))?;
        if new == old {
            continue;
        }
        match mode {
            Mode::Check => outln!("{}: the generated {} table is stale", region.file, region.name),
            Mode::Write => {
                write_atomically(&path, &new)?;
                outln!("{}: {} table regenerated ({})", region.file, region.name, line_stats(&old, &new));
            }
        }
        stale.push(region.file.to_owned());
    }
    Ok(stale)
}

/// `text` with what lies between `<!-- NAME:begin -->` and `<!-- NAME:end -->` replaced by
/// `contents`.
fn with_region(text: &str, name: &str, contents: &str) -> anyhow::Result<String> {
    let (begin, end) = (format!("<!-- {name}:begin -->\n"), format!("<!-- {name}:end -->"));
    let Some(start) = text.find(&begin).map(|at| at + begin.len()) else {
        bail!("the marker `{}` is missing", begin.trim_end())
    };
    let Some(stop) = text[start..].find(&end).map(|at| start + at) else {
        bail!("the marker `{end}` is missing after `{}`", begin.trim_end())
    };
    Ok(format!("{}{contents}{}", &text[..start], &text[stop..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_region_is_replaced_and_markers_are_required() {
        let text = "intro\n<!-- t:begin -->\nold\n<!-- t:end -->\nafter\n";
        assert_eq!(
            with_region(text, "t", "new\n").unwrap(),
            "intro\n<!-- t:begin -->\nnew\n<!-- t:end -->\nafter\n"
        );
        assert_eq!(
            with_region(&with_region(text, "t", "x\n").unwrap(), "t", "x\n").unwrap().matches("x\n").count(),
            1
        );
        assert!(with_region("no markers", "t", "x").is_err());
        assert!(with_region("<!-- t:begin -->\nno end", "t", "x").is_err());
    }
}
