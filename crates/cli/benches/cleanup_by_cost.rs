//! `cargo bench -p modelhost-cli --bench cleanup_by_cost [-- --scale S]`: a policy file of
//! 10 rules over the `costs_at_scale` inventory (2,000 Baseten model deployments, 200 chain
//! deployments, 100 training jobs, 500 Replicate deployments), against the stateful fakes
//! admitting 100 requests a second each: `modelhost prune --policy` (reads only), then
//! `modelhost apply` of what it planned (scale to zero, stop).
//!
//! Prints each phase's wall time against the floor its admitted requests set at that rate
//! (N / 100 s sustained, and ⌈N / 100⌉ − 1 s with whole windows at once; the two providers
//! go at once, so each floor is the larger of the two), and the `modelhost` process's own
//! peak resident memory.

mod billable_world;
mod common;

use std::time::Duration;

const PER_SECOND: u32 = 100;

/// Ten rules: three keep rules (a label, a model, a Replicate deployment), a scale to zero
/// of what costs at least $1/h and one of the rest that costs, a deactivation of idle chains
/// (none is idle), a stop of running jobs, a scale to zero of Replicate deployments that
/// cost, and two deletes whose conditions nothing meets (failed builds, month-old idle).
const POLICY: &str = r#"
[[rules]]
name = "keep-labelled"
selectors = ["baseten:*"]
keep_labels = ["keep=true"]
action = "keep"
[[rules]]
name = "keep-m000"
selectors = ["baseten:m000"]
action = "keep"
[[rules]]
name = "keep-deploy000"
selectors = ["replicate:deployments/alice/deploy000"]
action = "keep"
[[rules]]
name = "dear-models"
selectors = ["baseten:*"]
min_cost_per_hour = "1"
keep_last = 0
action = "scale-to-zero"
[[rules]]
name = "costing-models"
selectors = ["baseten:*"]
costing = true
keep_last = 0
action = "scale-to-zero"
[[rules]]
name = "idle-chains"
selectors = ["baseten:chains/*"]
idle_for = "7d"
keep_last = 0
action = "deactivate"
[[rules]]
name = "running-jobs"
selectors = ["baseten:training/*"]
keep_last = 0
action = "stop"
[[rules]]
name = "costing-replicate"
selectors = ["replicate:deployments/*"]
costing = true
action = "scale-to-zero"
[[rules]]
name = "failed-builds"
selectors = ["baseten:*"]
statuses = ["build_failed"]
action = "delete"
[[rules]]
name = "idle-a-month"
selectors = ["baseten:*", "replicate:deployments/*"]
idle_for = "29d"
action = "delete"
"#;

fn main() {
    common::main(bench());
}

async fn bench() {
    let scale = common::scale_from_args("cleanup_by_cost");
    let (baseten, replicate) = billable_world::start(scale, PER_SECOND).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("policy.toml"), POLICY).unwrap();
    let run = |args: &[&str]| {
        let mut command = common::modelhost(&baseten.base_url, &replicate.base_url, dir.path());
        command.args(args);
        command
    };
    let admitted = || [baseten.requests(), replicate.requests()];
    let throttled = || baseten.throttled() + replicate.throttled();
    let n = |count: usize| billable_world::at(scale, count);
    println!(
        "a policy of 10 rules over {} model deployments, {} chain deployments, {} training jobs, {} Replicate deployments, {PER_SECOND} requests/s each:",
        n(200) * 10,
        n(20) * 10,
        n(10) * 10,
        n(500)
    );
    let (before, throttled_before) = (admitted(), throttled());
    let (wall, rss) =
        common::timed("prune", run(&["prune", "--policy", "policy.toml", "--plan", "plan.json"]));
    report("prune", wall, rss, before, admitted());
    println!("  429s in prune: {}", throttled() - throttled_before);
    let plan: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("plan.json")).unwrap()).unwrap();
    let planned = plan["targets"].as_array().map_or(0, Vec::len);
    println!("  planned {planned} actions");
    // The plan is reviewed before it is applied: the apply starts in rate-limit windows of
    // its own, not in the last one of the prune (whose requests it would learn a low rate
    // from: the gate would take them for another process sharing the key).
    std::thread::sleep(Duration::from_secs(2));
    let before = admitted();
    let (wall, rss) = common::timed("apply", run(&["apply", "--yes", "--concurrency", "32", "plan.json"]));
    report("apply", wall, rss, before, admitted());
    println!("  429s answered over both phases: {}", throttled());
}

/// One phase's line: its wall time against both floors its admitted requests set.
fn report(phase: &str, wall: Duration, rss_kib: i64, before: [usize; 2], after: [usize; 2]) {
    let admitted = [after[0] - before[0], after[1] - before[1]];
    let (rate, windows) = billable_world::floors(admitted, PER_SECOND);
    let wall = wall.as_secs_f64();
    println!(
        "  {phase}: {wall:.2} s; admitted Baseten {}, Replicate {}; floor at the sustained rate {rate:.2} s (ratio {:.3}), with whole windows at once {windows:.0} s (ratio {:.3}); peak RSS {:.1} MB",
        admitted[0],
        admitted[1],
        wall / rate.max(0.01),
        wall / windows.max(1.0),
        rss_kib as f64 / 1024.0
    );
}
