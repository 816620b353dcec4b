//! `cargo bench -p modelhost-cli --bench cleanup_at_scale [-- --scale S]`: `modelhost prune`
//! then `modelhost apply` over 100,000 Replicate versions (100 models) and 10,000 Baseten
//! deployments (100 models), against the stateful fakes admitting 1,000 requests a second
//! each, first without faults and then with 5 % of requests faulted (503s, answers cut off
//! after the server applied them, 429 bursts). `--scale 0.1` runs a tenth of it.
//!
//! Prints, for each, the wall time of plan and apply against the floor the rate limits set
//! (each fake admits 1,000 requests in each one-second window, so N requests to it need
//! ⌈N / 1000⌉ − 1 seconds; the two providers' limits are their own, so the floor of a phase
//! is the larger of the two; under faults also that floor plus a second per 429 burst, the
//! wait its `Retry-After` imposes), the peak resident memory of that phase's `modelhost`
//! process alone (this bench runs itself again as a wrapper around each one, which reads
//! `getrusage(RUSAGE_CHILDREN)` for its single child), and whether the final state is exactly
//! the plan. A phase that fails prints the tool's stderr.

use std::time::Duration;

use modelhost_tests::baseten_server::{BasetenServer, FakeDeployment};
use modelhost_tests::replicate_server::{FakeVersion, ReplicateServer};

const PER_SECOND: u32 = 1_000;

mod common;

use common::{KEY, timed};

fn main() {
    common::main(bench());
}

async fn bench() {
    let scale = common::scale_from_args("cleanup_at_scale");
    let models = ((100.0 * scale).round() as usize).max(1);
    for faults in [0.0, 0.05] {
        run(models, faults).await;
    }
}

async fn run(models: usize, faults: f64) {
    let baseten = BasetenServer::start().await;
    baseten.add_key(KEY, "ws");
    let replicate = ReplicateServer::start(Duration::ZERO, 100).await;
    replicate.add_owner("alice", KEY);
    for m in 0..models {
        let deployments = (0..100)
            .map(|d| FakeDeployment {
                created_at: format!("2026-01-{:02}T{:02}:{:02}:00Z", 1 + d / 60, d % 24, d % 60),
                is_production: d == 99,
                ..FakeDeployment::new(&format!("d{d:03}"))
            })
            .collect();
        baseten.add_model_with("ws", &format!("m{m:03}"), deployments);
        let versions = (0..1_000)
            .map(|v| {
                FakeVersion::new(format!("v{v:04}"))
                    .created(&format!("2026-02-01T00:00:{:02}.{v:04}Z", v % 60))
            })
            .collect();
        replicate.add_model("alice", &format!("model{m:03}"), false, versions);
    }
    baseten.limit_rate(PER_SECOND);
    replicate.limit_rate(PER_SECOND);
    baseten.faults.set(faults);
    replicate.faults.set(faults);
    let dir = tempfile::tempdir().unwrap();
    let mut selectors = vec!["baseten:*".to_owned()];
    selectors.extend((0..models).map(|m| format!("replicate:alice/model{m:03}")));

    let count = || Counts::of(&baseten, &replicate);
    let before = count();
    let mut prune = common::modelhost(&baseten.base_url, &replicate.base_url, dir.path());
    prune.arg("prune").args(&selectors).args(["--keep-last", "1", "--plan", "plan.json"]);
    let (plan_time, plan_rss) = timed("prune", prune);
    let after_plan = count();
    // A person reviews the plan before applying it: the apply starts in a rate-limit window
    // of its own, not in the rest of the one the prune used.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mut apply = common::modelhost(&baseten.base_url, &replicate.base_url, dir.path());
    apply.args(["apply", "--yes", "--concurrency", "32", "plan.json"]);
    let (apply_time, apply_rss) = timed("apply", apply);
    let after_apply = count();

    let planned = models * (98 + 999);
    let left_b: usize = (0..models)
        .map(|m| {
            (0..100)
                .filter(|d| baseten.deployment(&format!("m{m:03}"), &format!("d{d:03}")).is_some())
                .count()
        })
        .sum();
    let left_r: usize =
        (0..models).map(|m| replicate.listed_versions("alice", &format!("model{m:03}"))).sum();
    let exact = left_b == models * 2 && left_r == models;
    println!(
        "{} Baseten deployments and {} Replicate versions over {} models, {PER_SECOND} requests/s each, faults {:.0} % ({} injected):",
        models * 100,
        models * 1_000,
        models * 2,
        faults * 100.0,
        baseten.faults.injected() + replicate.faults.injected()
    );
    after_plan.since(&before).print("plan", plan_time, plan_rss);
    after_apply.since(&after_plan).print("apply", apply_time, apply_rss);
    println!(
        "  planned {planned}; left: Baseten {left_b}, Replicate {left_r} (the newest of each model, and Baseten's production); exactly the plan: {exact}"
    );
}

/// What the servers saw, per provider: `(Baseten, Replicate)`.
#[derive(Debug, Clone, Copy)]
struct Counts {
    /// Requests admitted: the floor counts these, since a request refused with 429 used no
    /// share of the limit (the client's retries of it are its own cost).
    admitted: (usize, usize),
    /// Requests refused by the rate limit.
    throttled: usize,
    /// 429 bursts injected: each tells a client that honours `Retry-After` to wait a second.
    bursts: (u64, u64),
}

impl Counts {
    fn of(baseten: &BasetenServer, replicate: &ReplicateServer) -> Self {
        Self {
            admitted: (baseten.requests(), replicate.requests()),
            throttled: baseten.throttled() + replicate.throttled(),
            bursts: (baseten.faults.bursts(), replicate.faults.bursts()),
        }
    }

    fn since(&self, earlier: &Self) -> Self {
        Self {
            admitted: (self.admitted.0 - earlier.admitted.0, self.admitted.1 - earlier.admitted.1),
            throttled: self.throttled - earlier.throttled,
            bursts: (self.bursts.0 - earlier.bursts.0, self.bursts.1 - earlier.bursts.1),
        }
    }

    /// One phase's line: its wall time against the floor the rate limits set (and, under
    /// faults, against that floor plus the seconds the bursts' `Retry-After` imposes).
    fn print(&self, name: &str, wall: Duration, rss_kib: i64) {
        let floor = |n: usize| n.div_ceil(PER_SECOND as usize).saturating_sub(1) as f64;
        let ((baseten, replicate), wall) = (self.admitted, wall.as_secs_f64());
        let rate_floor = floor(baseten).max(floor(replicate));
        let waits_floor =
            (floor(baseten) + self.bursts.0 as f64).max(floor(replicate) + self.bursts.1 as f64);
        let with_waits = if waits_floor > rate_floor {
            format!(", with the bursts' waits {waits_floor:.0} s, ratio {:.3}", wall / waits_floor.max(1.0))
        } else {
            String::new()
        };
        println!(
            "  {name:<6} {wall:>8.2} s, floor {rate_floor:>6.0} s (admitted: Baseten {baseten}, Replicate {replicate}; 429s {}), ratio {:.3}{with_waits}, peak RSS {:.1} MB",
            self.throttled,
            wall / rate_floor.max(1.0),
            rss_kib as f64 / 1024.0
        );
    }
}
