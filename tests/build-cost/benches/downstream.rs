//! `cargo bench -p modelhost-build-cost --bench downstream [-- --rounds N]`: what a crate that
//! depends on `modelhost` compiles, cold, against a baseline built side by side.
//!
//! Each round builds, each in its own empty target directory and with cargo's default dev
//! profile (as a user's crate has):
//! - `tests/downstream/baseline`: reqwest on rustls, serde and tokio, what calling the APIs by
//!   hand compiles anyway;
//! - `tests/downstream/user`: a binary that uses `modelhost` (the facade, both generated clients,
//!   progenitor in their build scripts);
//! - `tests/downstream/replicate-only`: the same with only the `replicate` feature (the facade
//!   and Replicate's client: Baseten's is never compiled);
//! - the same with `[profile.dev.build-override] opt-level = 2`, which the README suggests.
//!
//! Prints wall and CPU seconds (user + system, of cargo and everything it ran) for each, and
//! each against the baseline. Downloads happen before the clock starts.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// Clock ticks per second in `/proc`: USER_HZ, 100 on every Linux architecture cargo targets.
const TICKS_PER_SECOND: f64 = 100.0;

struct Build {
    name: &'static str,
    dir: &'static str,
    env: &'static [(&'static str, &'static str)],
}

const BUILDS: [Build; 4] = [
    Build { name: "baseline (reqwest, serde, tokio)", dir: "baseline", env: &[] },
    Build { name: "modelhost", dir: "user", env: &[] },
    Build { name: "modelhost, replicate only", dir: "replicate-only", env: &[] },
    Build {
        name: "modelhost, build-override opt-level 2",
        dir: "user",
        env: &[("CARGO_PROFILE_DEV_BUILD_OVERRIDE_OPT_LEVEL", "2")],
    },
];

fn main() {
    let rounds = rounds_from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap();
    let downstream = root.join("tests/downstream");
    for build in &BUILDS {
        let dir = downstream.join(build.dir);
        // The workspace's lockfile, so the crates build the versions the workspace tests.
        std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
        let status = cargo(&dir).args(["fetch", "--quiet"]).status().unwrap();
        assert!(status.success(), "cargo fetch in {}", dir.display());
    }

    let mut results: Vec<Vec<(f64, f64)>> = vec![Vec::new(); BUILDS.len()];
    for round in 1..=rounds {
        for (i, build) in BUILDS.iter().enumerate() {
            let (wall, cpu) = cold_build(&downstream.join(build.dir), build.env);
            println!("round {round}: {:<40} {wall:7.1} s wall {cpu:8.1} CPU-s", build.name);
            results[i].push((wall, cpu));
        }
    }

    let (base_wall, base_cpu) = medians(&results[0]);
    println!("\nmedians of {rounds} round(s), and against the baseline:");
    for (build, runs) in BUILDS.iter().zip(&results) {
        let (wall, cpu) = medians(runs);
        println!(
            "  {:<40} {wall:7.1} s wall ({:.2}x) {cpu:8.1} CPU-s ({:.2}x)",
            build.name,
            wall / base_wall,
            cpu / base_cpu
        );
    }
}

fn rounds_from_args() -> usize {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    match args.as_slice() {
        [] => 1,
        [flag, n] if flag == "--rounds" => n.parse().expect("--rounds takes a number"),
        other => panic!(
            "usage: cargo bench -p modelhost-build-cost --bench downstream [-- --rounds N], not {other:?}"
        ),
    }
}

/// `cargo` run in `dir` as a user would run it: none of the variables `cargo bench` set for
/// this process, which would steer the inner build.
fn cargo(dir: &Path) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if (key.starts_with("CARGO_") && key != "CARGO_HOME")
            || matches!(key.as_ref(), "RUSTFLAGS" | "RUSTDOCFLAGS")
        {
            command.env_remove(key.as_ref());
        }
    }
    command.current_dir(dir);
    command
}

/// Builds the crate in `dir` into a new, empty target directory; returns wall and CPU seconds.
fn cold_build(dir: &Path, env: &[(&str, &str)]) -> (f64, f64) {
    let target = tempfile::Builder::new().prefix("modelhost-downstream-").tempdir().unwrap();
    let cpu_before = children_cpu_seconds();
    let started = Instant::now();
    let status = cargo(dir)
        .args(["build", "--quiet", "--locked"])
        .env("CARGO_TARGET_DIR", target.path())
        .envs(env.iter().copied())
        .status()
        .unwrap();
    let wall = started.elapsed().as_secs_f64();
    assert!(status.success(), "cargo build in {} failed", dir.display());
    (wall, children_cpu_seconds() - cpu_before)
}

/// User and system time of the children this process has waited for (`cutime`, `cstime`).
fn children_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("Linux's /proc");
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')').unwrap().1.split_whitespace().collect();
    // cutime and cstime are fields 16 and 17 of stat(5); the first after ')' is field 3.
    let ticks: f64 = fields[13].parse::<f64>().unwrap() + fields[14].parse::<f64>().unwrap();
    ticks / TICKS_PER_SECOND
}

fn medians(runs: &[(f64, f64)]) -> (f64, f64) {
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    (median(runs.iter().map(|r| r.0).collect()), median(runs.iter().map(|r| r.1).collect()))
}
