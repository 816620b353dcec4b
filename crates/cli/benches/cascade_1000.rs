//! `cargo bench -p modelhost-cli --bench cascade_1000`: `modelhost delete --cascade` of a
//! Replicate model with 1,000 versions, on a terminal (a pseudo-terminal), against the
//! stateful fake at Replicate's own rate limit (3,000 requests a minute, 50 a second).
//! Prints the wall time against the floor the rate limit sets, how many 429s were met, and the
//! last frame the progress bar drew. The fake admits 50 requests in each one-second window, a
//! window opening with the first request after the last one closed: N requests need
//! ⌈N / 50⌉ windows, so the last of them cannot start before ⌈N / 50⌉ − 1 seconds.

use std::process::Stdio;
use std::time::{Duration, Instant};

use modelhost_tests::replicate_server::{FakeVersion, ReplicateServer};

const VERSIONS: usize = 1_000;
const PER_SECOND: u32 = 50;
const TOKEN: &str = "r8_bench_token";

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let server = ReplicateServer::start(Duration::ZERO, 100).await;
    server.add_owner("alice", TOKEN);
    let versions = (0..VERSIONS).map(|i| FakeVersion::new(format!("v{i:04}"))).collect();
    server.add_model("alice", "big", false, versions);
    server.limit_rate(PER_SECOND);

    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_modelhost"));
    command
        .args(["delete", "--cascade", "replicate:alice/big"])
        .env("REPLICATE_API_TOKEN", TOKEN)
        .env("REPLICATE_BASE_URL", &server.base_url)
        .env_remove("BASETEN_API_KEY")
        .stdin(Stdio::inherit());
    let (elapsed, screen) = tokio::task::spawn_blocking(move || {
        let mut session = rexpect::session::spawn_command(command, Some(600_000)).expect("a pty");
        session.exp_string("[y/N]").expect("the question");
        let started = Instant::now();
        session.send_line("y").expect("the answer");
        let screen = session.exp_eof().expect("modelhost ends");
        (started.elapsed(), screen)
    })
    .await
    .expect("the session");

    let answered = server.requests();
    let windows = answered.div_ceil(PER_SECOND as usize);
    let floor = Duration::from_secs(windows.saturating_sub(1) as u64);
    let last_frame = screen
        .split(['\r', '\n'])
        .map(strip_escapes)
        .rfind(|line| line.contains("rate-limit waits"))
        .unwrap_or_default();
    let summary = screen.lines().map(str::trim).rfind(|l| !l.is_empty()).unwrap_or_default();
    println!("cascade of {VERSIONS} Replicate versions at {PER_SECOND} requests/s, on a pseudo-terminal:");
    println!("  wall time     {:>7.2} s", elapsed.as_secs_f64());
    println!(
        "  floor         {:>7.2} s ({answered} requests answered, {PER_SECOND} per one-second window: {windows} windows)",
        floor.as_secs_f64()
    );
    println!("  ratio         {:>7.3}", elapsed.as_secs_f64() / floor.as_secs_f64());
    println!("  429s          {:>7}", server.throttled());
    println!("  last bar      {}", last_frame.trim());
    println!("  summary       {summary}");
    assert!(!server.has_model("alice", "big"), "the model is gone");
}

/// The text of a terminal line without its escape sequences (the session hands over one
/// `char` per byte: they are put back together as UTF-8 first).
fn strip_escapes(line: &str) -> String {
    let bytes: Vec<u8> = line.chars().map(|c| c as u8).collect();
    let line = String::from_utf8_lossy(&bytes);
    let mut text = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters final-byte.
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else {
            text.push(c);
        }
    }
    text
}
