//! What the benches that run `modelhost` share: a wrapper that runs it as its only child
//! and reports its own peak resident set, and the command against the fakes.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The key (and token) the benches' fakes know.
pub const KEY: &str = "bench-key";

/// The wrapper's flag: `--measure-child PROGRAM ARGS…` runs PROGRAM (stdout discarded,
/// stderr passed on), then prints its peak RSS in KiB and exits with its status.
pub const MEASURE: &str = "--measure-child";

/// A bench's `main`: the wrapper when run as one (`--measure-child …`), else `bench` on a
/// runtime of two worker threads (the machine's two cores).
pub fn main(bench: impl std::future::Future<Output = ()>) {
    serve_as_wrapper();
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(bench);
}

/// Serves as the wrapper when this bench was run as one (`--measure-child …`).
fn serve_as_wrapper() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some(MEASURE) {
        measure_child(&args[2..]);
    }
}

/// Runs one command as this process's only child and reports its own peak resident set.
fn measure_child(command: &[String]) -> ! {
    let status =
        Command::new(&command[0]).args(&command[1..]).stdout(Stdio::null()).status().expect("modelhost runs");
    let usage =
        nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN).expect("getrusage");
    println!("{}", usage.max_rss());
    std::process::exit(status.code().unwrap_or(1));
}

/// `modelhost`, run through this bench's wrapper, which measures it alone.
pub fn modelhost(baseten_url: &str, replicate_url: &str, dir: &std::path::Path) -> Command {
    let mut command = Command::new(std::env::current_exe().expect("the bench's own path"));
    command
        .args([MEASURE, env!("CARGO_BIN_EXE_modelhost")])
        .current_dir(dir)
        .env("BASETEN_API_KEY", KEY)
        .env("BASETEN_BASE_URL", baseten_url)
        .env("REPLICATE_API_TOKEN", KEY)
        .env("REPLICATE_BASE_URL", replicate_url)
        .stdin(Stdio::null());
    command
}

/// Runs the `phase` command (through the wrapper) to its end: its wall time and its own peak
/// resident set (KiB). A failure prints what the tool said on stderr.
pub fn timed(phase: &str, mut command: Command) -> (Duration, i64) {
    let started = Instant::now();
    let output = command.output().expect("the wrapper runs");
    let elapsed = started.elapsed();
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "modelhost {phase} failed ({}); it said:\n{said}", output.status);
    let rss =
        String::from_utf8_lossy(&output.stdout).trim().parse().expect("the wrapper prints the peak RSS");
    (elapsed, rss)
}

/// The `--scale S` the bench `name` was run with (1 without it).
pub fn scale_from_args(name: &str) -> f64 {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    debug_assert!(args.first().map(String::as_str) != Some(MEASURE));
    match args.as_slice() {
        [] => 1.0,
        [flag, s] if flag == "--scale" => s.parse().expect("--scale takes a number"),
        other => panic!("usage: cargo bench -p modelhost-cli --bench {name} [-- --scale S], not {other:?}"),
    }
}
