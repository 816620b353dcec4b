//! `cargo bench -p modelhost-tests --bench cascade`: a cascade delete of a Replicate model
//! with 1,000 versions against the local server limited to 200 requests a second (429
//! beyond). The floor is the requests it needed divided by the limit; prints the time, its
//! ratio to the floor (goal: at most 1.15), the 429s it ran into, and peak memory.

use std::time::{Duration, Instant};

use modelhost::{CascadeOptions, ClientSettings, ModelHost, ModelRef, Replicate, Secret};
use modelhost_tests::replicate_server::{FakeVersion, ReplicateServer};

const VERSIONS: usize = 1000;
const LIMIT: u32 = 200;

#[tokio::main]
async fn main() {
    let server = ReplicateServer::start(Duration::ZERO, 100).await;
    server.add_owner("alice", "token");
    server.add_model(
        "alice",
        "big",
        false,
        (0..VERSIONS).map(|i| FakeVersion::new(format!("v{i:04}"))).collect(),
    );
    server.limit_rate(LIMIT);
    let host =
        Replicate::new(&Secret::new("token").unwrap(), &ClientSettings::new(&server.base_url)).unwrap();
    let model: ModelRef = "replicate:alice/big".parse().unwrap();
    let options = CascadeOptions {
        concurrency: 8,
        poll_interval: Duration::from_millis(100),
        ..CascadeOptions::default()
    };

    let started = Instant::now();
    let report = host.delete_model_cascade(&model, &options).await.unwrap();
    let elapsed = started.elapsed();
    assert!(report.model_deleted() && report.refused.is_empty(), "{:?}", report.refused);

    let needed = server.requests();
    let floor = needed as f64 / f64::from(LIMIT);
    println!("cascade delete of {VERSIONS} versions at {LIMIT} requests/s on 127.0.0.1:");
    println!("  requests answered  {needed} (+{} refused with 429)", server.throttled());
    println!("  floor              {floor:.2} s");
    println!("  took               {:.2} s", elapsed.as_secs_f64());
    println!("  ratio              {:.3} (goal <= 1.15)", elapsed.as_secs_f64() / floor);
    println!("  peak memory        {} (whole process, server included)", peak_memory());
}

fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l["VmHWM:".len()..].trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}
