//! `cargo bench -p modelhost-specdiff-tests --bench replay -- DIR`: diffs every consecutive
//! pair of the spec revisions in DIR (sorted by name; Baseten's history, unpacked from
//! `../shared/upstream/baseten/history/`), HTTP API only, and prints per pair the real edits,
//! the findings by level, and the time; then the totals and breaking+warning lines per real
//! edit. Exits 1 if any pair fails to diff.

use std::path::{Path, PathBuf};
use std::time::Instant;

use modelhost_specdiff::rules::Level;
use modelhost_specdiff::{SpecReport, SpecText};
use modelhost_specdiff_tests::real_edits;

fn main() {
    let Some(dir) = std::env::args().skip(1).find(|a| !a.starts_with("--")) else {
        eprintln!("usage: cargo bench -p modelhost-specdiff-tests --bench replay -- DIR");
        eprintln!(
            "  e.g. mkdir /tmp/h && tar -xJf ../shared/upstream/baseten/history/revisions-001-060.tar.xz -C /tmp/h"
        );
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    files.sort();
    let texts: Vec<String> = files.iter().map(|f| std::fs::read_to_string(f).unwrap()).collect();
    println!(
        "{:<34} {:>5} {:>5} {:>5} {:>5} {:>5} {:>8}",
        "revision", "edits", "break", "warn", "info", "docs", "ms"
    );
    let (mut edits, mut loud, mut total_ms, mut failed) = (0, 0, 0.0, 0);
    for i in 1..texts.len() {
        let name = |j: usize| files[j].file_name().unwrap().to_string_lossy().into_owned();
        let (old, new) = (Path::new(&files[i - 1]), Path::new(&files[i]));
        let started = Instant::now();
        let report = SpecReport::compare_http(
            "baseten.yaml",
            Some(SpecText { name: old, text: &texts[i - 1], overrides: None }),
            SpecText { name: new, text: &texts[i], overrides: None },
        );
        let ms = started.elapsed().as_secs_f64() * 1e3;
        total_ms += ms;
        let report = match report {
            Ok(report) => report,
            Err(e) => {
                println!("{:<34} error: {e}", name(i));
                failed += 1;
                continue;
            }
        };
        let level = |l: Level| report.diff.changes.iter().filter(|c| c.rule.level == l).count();
        let parse = |t: &str| serde_json::from_str::<serde_json::Value>(t).unwrap();
        let real = real_edits(&parse(&texts[i - 1]), &parse(&texts[i]));
        let (b, w) = (level(Level::Breaking), level(Level::Warning));
        edits += real;
        loud += b + w;
        println!(
            "{:<34} {real:>5} {b:>5} {w:>5} {:>5} {:>5} {ms:>8.1}",
            name(i),
            level(Level::Info),
            report.diff.documentation.len()
        );
    }
    println!(
        "{} pairs, {failed} failed; {edits} real edits, {loud} breaking+warning lines: {:.2} per edit; {:.0} ms in all",
        texts.len().saturating_sub(1),
        loud as f64 / edits.max(1) as f64,
        total_ms
    );
    if failed > 0 {
        std::process::exit(1);
    }
}
