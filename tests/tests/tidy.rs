//! Conventions, held by a test (rust-analyzer's `tidy.rs` is the model): every module says
//! what it is; what doc comments and ARCHITECTURE.md name exists; only the command line's
//! reporting module writes to stderr; library code does not `unwrap()`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").canonicalize().unwrap()
}

/// The workspace's own Rust sources (crates, xtask, tests), relative to the root.
fn sources() -> Vec<PathBuf> {
    let root = root();
    let mut found = Vec::new();
    let mut dirs = vec![root.join("crates"), root.join("xtask"), root.join("tests")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                // Build output and test data are not the workspace's sources.
                if !matches!(name.as_str(), "target" | "snapshots" | "data" | "fixtures") {
                    dirs.push(path);
                }
            } else if name.ends_with(".rs") {
                found.push(path.strip_prefix(&root).unwrap().to_owned());
            }
        }
    }
    found.sort();
    found
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(root().join(path)).unwrap()
}

/// Whether the file is a module's own source (under a `src/`), not a test, bench or example.
fn in_src(path: &Path) -> bool {
    path.components().any(|c| c.as_os_str() == "src")
}

/// The lines of `text` before its test module (`#[cfg(test)]` then `mod`), without comments.
fn code(text: &str) -> Vec<(usize, &str)> {
    let lines: Vec<&str> = text.lines().collect();
    let end = lines
        .windows(2)
        .position(|w| w[0].trim() == "#[cfg(test)]" && w[1].trim_start().starts_with("mod "))
        .unwrap_or(lines.len());
    lines[..end]
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
        .map(|(i, l)| (i + 1, *l))
        .collect()
}

/// Files that are test modules of their own (`#[cfg(test)] mod NAME;` in their parent).
fn test_modules(files: &[PathBuf]) -> BTreeSet<PathBuf> {
    let mut found = BTreeSet::new();
    for file in files {
        let text = read(file);
        let lines: Vec<&str> = text.lines().collect();
        for pair in lines.windows(2) {
            let declared = pair[1].trim().strip_prefix("mod ").and_then(|m| m.strip_suffix(';'));
            if let (true, Some(name)) = (pair[0].trim() == "#[cfg(test)]", declared) {
                let dir = match file.file_name().unwrap().to_str().unwrap() {
                    "mod.rs" | "lib.rs" | "main.rs" => file.parent().unwrap().to_owned(),
                    other => file.parent().unwrap().join(other.trim_end_matches(".rs")),
                };
                found.insert(dir.join(format!("{name}.rs")));
            }
        }
    }
    found
}

#[test]
fn every_module_says_what_it_is() {
    let missing: Vec<_> = sources()
        .into_iter()
        .filter(|f| {
            in_src(f) || f.starts_with("tests/tests") || f.components().any(|c| c.as_os_str() == "benches")
        })
        .filter(|f| !read(f).trim_start().starts_with("//!"))
        .collect();
    assert!(missing.is_empty(), "modules without a `//!` doc comment: {missing:?}");
}

#[test]
fn only_the_command_lines_reporting_module_writes_to_stderr() {
    let mut found = Vec::new();
    for file in sources().iter().filter(|f| f.starts_with("crates") && in_src(f)) {
        if file == Path::new("crates/cli/src/report.rs") {
            continue;
        }
        let text = read(file);
        for (line, code) in code(&text) {
            if code.contains("eprintln!") || code.contains("eprint!") {
                found.push(format!("{}:{line}", file.display()));
            }
        }
    }
    assert!(found.is_empty(), "stderr written outside crates/cli/src/report.rs: {found:?}");
}

#[test]
fn library_code_does_not_unwrap() {
    let files = sources();
    let tests = test_modules(&files);
    let mut found = Vec::new();
    for file in files.iter().filter(|f| f.starts_with("crates") && in_src(f) && !tests.contains(*f)) {
        if file.starts_with("crates/cli") {
            continue; // A binary: its `main` reports; `expect` states its invariants.
        }
        let text = read(file);
        for (line, code) in code(&text) {
            if code.contains(".unwrap()") {
                found.push(format!("{}:{line}", file.display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "`unwrap()` in library code (return the error, or `expect` why it cannot fail): {found:?}"
    );
}

/// Spans between backticks in `text`.
fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// Whether `span` is a Rust path (modules and items joined by `::`, a call's `()` after it),
/// and its segments.
fn path_segments(span: &str) -> Option<Vec<&str>> {
    let span = span.strip_suffix("()").unwrap_or(span);
    let segments: Vec<&str> = span.split("::").collect();
    let ident = |s: &str| {
        s.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    (segments.len() > 1 && segments.iter().all(|s| ident(s))).then_some(segments)
}

/// Every identifier the workspace's code uses or defines, and every name its specs give
/// (the generated clients' types are named after their schemas).
fn identifiers() -> BTreeSet<String> {
    let mut words = BTreeSet::new();
    let mut add = |text: &str| {
        for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            if !word.is_empty() {
                words.insert(word.to_owned());
            }
        }
    };
    for file in sources() {
        let text = read(&file);
        for (_, line) in code(&text) {
            add(line);
        }
        // Test modules define names too (helpers a doc comment may mention).
        add(&text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n"));
    }
    for entry in std::fs::read_dir(root().join("openapi")).unwrap() {
        add(&std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default());
    }
    words
}

/// The crates a path may start with that are not the workspace's (from Cargo.lock), and the
/// standard library's.
fn external_crates() -> BTreeSet<String> {
    let lock = read(Path::new("Cargo.lock"));
    let mut crates: BTreeSet<String> = lock
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .map(|n| n.trim_end_matches('"').replace('-', "_"))
        .filter(|n| !n.starts_with("modelhost"))
        .collect();
    // The generated clients' own modules: progenitor writes them at build time.
    crates.extend(["std", "core", "alloc", "self", "super", "crate", "types", "builder"].map(str::to_owned));
    crates
}

/// Where each module name is: the sources of files `NAME.rs` and `NAME/mod.rs`, and of the
/// workspace's crates by their crate names.
fn modules() -> BTreeMap<String, String> {
    let mut modules: BTreeMap<String, String> = BTreeMap::new();
    let files = sources();
    for file in &files {
        let name = match file.file_name().unwrap().to_str().unwrap() {
            "mod.rs" => file.parent().unwrap().file_name().unwrap().to_string_lossy().into_owned(),
            "lib.rs" | "main.rs" => continue,
            other => other.trim_end_matches(".rs").to_owned(),
        };
        let text = read(file);
        let code: Vec<&str> = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect();
        modules.entry(name).or_default().push_str(&code.join("\n"));
    }
    for entry in std::fs::read_dir(root().join("crates")).unwrap() {
        let dir = entry.unwrap().path();
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap_or_default();
        let Some(name) = manifest.lines().find_map(|l| l.strip_prefix("name = \"")) else { continue };
        let text: String =
            files.iter().filter(|f| root().join(f).starts_with(&dir)).map(|f| read(f)).collect();
        modules.insert(name.trim_end_matches('"').replace('-', "_"), text);
    }
    modules
}

/// Whether `word` is in `text` as a whole word.
fn has_word(text: &str, word: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).any(|w| w == word)
}

/// What the path names that does not exist: a segment no code has, a lower-case segment
/// that is no module, or an item its module does not have; nothing for another crate's path.
fn missing_segment(
    segments: &[&str],
    names: &BTreeSet<String>,
    modules: &BTreeMap<String, String>,
    external: &BTreeSet<String>,
) -> Option<String> {
    let segments: Vec<&str> =
        segments.iter().copied().filter(|s| !matches!(*s, "self" | "super" | "crate")).collect();
    if segments.first().is_some_and(|s| external.contains(*s) && !modules.contains_key(*s)) {
        return None;
    }
    if let Some(unknown) = segments.iter().find(|s| !names.contains(**s)) {
        return Some(format!("no `{unknown}`"));
    }
    for pair in segments.windows(2) {
        let (module, item) = (pair[0], pair[1]);
        if module.chars().next().is_some_and(char::is_lowercase) {
            match modules.get(module) {
                Some(text) if has_word(text, item) => {}
                Some(_) => return Some(format!("no `{item}` in `{module}`")),
                None => return Some(format!("no module `{module}`")),
            }
        }
    }
    None
}

/// Whether a file named `name` (a path, or a file name alone) is in the workspace.
fn file_exists(name: &str, files: &BTreeSet<String>) -> bool {
    root().join(name).exists() || files.iter().any(|f| f.ends_with(&format!("/{name}")))
}

fn tracked_files() -> BTreeSet<String> {
    let output = std::process::Command::new("git").arg("ls-files").current_dir(root()).output().unwrap();
    String::from_utf8(output.stdout).unwrap().lines().map(|l| format!("/{l}")).collect()
}

/// A span naming a source or document file: `exchange.rs`, `crates/cli/README.md`; not a
/// pattern with a placeholder (`openapi/NAME.yaml`, `OUT_DIR/client.rs`).
fn names_a_file(span: &str) -> bool {
    let placeholder = |part: &str| {
        part.len() > 1
            && part.chars().all(|c| c.is_ascii_uppercase() || c == '_')
            && !matches!(part, "README" | "ARCHITECTURE" | "CHANGELOG")
    };
    !span.contains(' ')
        && !span.contains('*')
        && !span.split(['/', '.']).any(placeholder)
        && (span.ends_with(".rs")
            || (span.ends_with(".md") && span.chars().next().is_some_and(char::is_uppercase))
            || (span.contains('/')
                && [".yaml", ".yml", ".toml"].iter().any(|e| span.ends_with(e))
                && !span.starts_with("http")))
}

#[test]
fn what_doc_comments_and_the_architecture_name_exists() {
    let (names, modules, external, files) = (identifiers(), modules(), external_crates(), tracked_files());
    let mut wrong = Vec::new();
    let mut check = |place: String, text: &str| {
        for span in backticked(text) {
            if let Some(segments) = path_segments(span) {
                if let Some(missing) = missing_segment(&segments, &names, &modules, &external) {
                    wrong.push(format!("{place}: `{span}` ({missing})"));
                }
            } else if names_a_file(span) && !file_exists(span, &files) {
                wrong.push(format!("{place}: `{span}` (no such file)"));
            }
        }
    };
    for file in sources() {
        let text = read(&file);
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_start();
            if let Some(doc) = line.strip_prefix("///").or_else(|| line.strip_prefix("//!")) {
                check(format!("{}:{}", file.display(), i + 1), doc);
            }
        }
    }
    let architecture = read(Path::new("ARCHITECTURE.md"));
    for (i, line) in architecture.lines().enumerate() {
        check(format!("ARCHITECTURE.md:{}", i + 1), line);
    }
    assert!(wrong.is_empty(), "names that do not exist:\n{}", wrong.join("\n"));
}
