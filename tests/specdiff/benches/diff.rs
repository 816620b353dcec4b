//! `cargo bench -p modelhost-specdiff-tests --bench diff`: diffing a synthetic spec of 2,000
//! operations (about 5 MB of YAML) against a revision of itself, side by side with the
//! baseline every diff pays, parsing the two texts. Prints medians, the ratio, and the peak
//! heap memory of one comparison (counted by this binary's allocator).

use std::path::Path;
use std::time::{Duration, Instant};

use modelhost_specdiff::{SpecReport, SpecText};
use modelhost_specdiff_tests::{revise_synthetic, synthetic_spec};
use peak_alloc::PeakAlloc;

#[global_allocator]
static ALLOCATOR: PeakAlloc = PeakAlloc;

const ROUNDS: usize = 7;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let base = synthetic_spec(400, 75);
    let revision = revise_synthetic(&base, 20);
    let operations =
        base["paths"].as_object().unwrap().values().map(|p| p.as_object().unwrap().len()).sum::<usize>()
            - base["paths"].as_object().unwrap().values().filter(|p| p.get("parameters").is_some()).count();
    let (old, new) = (serde_norway::to_string(&base).unwrap(), serde_norway::to_string(&revision).unwrap());
    let version = |text| SpecText { name: Path::new("synthetic.yaml"), text, overrides: None };

    let (mut parse, mut compare, mut steps) = (Vec::new(), Vec::new(), Vec::new());
    let mut found = 0;
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let a: serde_json::Value = serde_norway::from_str(&old).unwrap();
        let b: serde_json::Value = serde_norway::from_str(&new).unwrap();
        parse.push(started.elapsed());
        let t = Instant::now();
        modelhost_codegen::check_refs(Path::new("x"), &a).unwrap();
        modelhost_codegen::check_refs(Path::new("x"), &b).unwrap();
        let refs = t.elapsed();
        let t = Instant::now();
        let d = modelhost_specdiff::diff(&a, &b);
        let diff = t.elapsed();
        let t = Instant::now();
        let index = modelhost_specdiff::lines::LineIndex::new(&new);
        let lines = t.elapsed();
        steps.push((refs, diff, lines));
        drop((a, b, d, index));

        let started = Instant::now();
        let report = SpecReport::compare_http("synthetic.yaml", Some(version(&old)), version(&new)).unwrap();
        compare.push(started.elapsed());
        found = report.diff.changes.len();
    }
    let before = ALLOCATOR.current_usage();
    ALLOCATOR.reset_peak_usage();
    let report = SpecReport::compare_http("synthetic.yaml", Some(version(&old)), version(&new)).unwrap();
    let peak = ALLOCATOR.peak_usage() - before;
    drop(report);

    let (parse, compare) = (median(parse), median(compare));
    let (refs, diff, lines) = steps[steps.len() / 2];
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("synthetic spec: {operations} operations, {:.1} MB of YAML per side", old.len() as f64 / 1e6);
    println!("baseline, parsing both texts one after the other: {:>7.1} ms", ms(parse));
    println!("cargo xtask diff's HTTP comparison, end to end:   {:>7.1} ms  ({found} changes)", ms(compare));
    println!(
        "  steps run alone: $ref check {:.1} ms, diff {:.1} ms, line index {:.1} ms",
        ms(refs),
        ms(diff),
        ms(lines)
    );
    println!("ratio to the baseline: {:.2}", compare.as_secs_f64() / parse.as_secs_f64());
    println!("peak heap during one comparison: {:.1} MB", peak as f64 / 1e6);
}
