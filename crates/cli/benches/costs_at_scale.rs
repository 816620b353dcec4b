//! `cargo bench -p modelhost-cli --bench costs_at_scale [-- --scale S]`: `modelhost costs`
//! over 2,000 Baseten model deployments (200 models), 200 chain deployments (20 chains), 100
//! training jobs (10 projects) and 500 Replicate deployments with 1,000 predictions, against
//! the stateful fakes admitting 100 requests a second each (Baseten's default limit).
//! `--scale 10` has ten times the models, chains, projects and Replicate deployments.
//!
//! Prints the wall time against the floor the rate limits set, two ways: N admitted requests
//! at 100 a second need N / 100 s sustained, and ⌈N / 100⌉ − 1 s when a whole one-second
//! window's worth goes at once, as the fakes' fixed windows allow (the two providers are read
//! at once, so each floor is the larger of the two); the requests each
//! provider admitted and refused, how many usage summaries were asked for (one for the
//! whole account, never one per resource), the peak resident memory of the `modelhost`
//! process alone.

mod billable_world;
mod common;

const PER_SECOND: u32 = 100;

fn main() {
    common::main(bench());
}

async fn bench() {
    let scale = common::scale_from_args("costs_at_scale");
    let n = |count: usize| billable_world::at(scale, count);
    let (baseten, replicate) = billable_world::start(scale, PER_SECOND).await;

    let dir = tempfile::tempdir().unwrap();
    let mut costs = common::modelhost(&baseten.base_url, &replicate.base_url, dir.path());
    costs.args(["costs", "--output", "json"]);
    let (wall, rss_kib) = common::timed("costs", costs);
    // Two floors: what the fakes' fixed one-second windows allow (a window's worth at once),
    // and what the rate allows sustained: a client that does not know where the server's
    // windows start can at best do the second.
    let (b, r) = (baseten.requests(), replicate.requests());
    let (rate, windows) = billable_world::floors([b, r], PER_SECOND);
    let wall = wall.as_secs_f64();
    println!(
        "modelhost costs: {} model deployments, {} chain deployments, {} training jobs, {} Replicate deployments, {PER_SECOND} requests/s each:",
        n(200) * 10,
        n(20) * 10,
        n(10) * 10,
        n(500)
    );
    println!(
        "  {wall:.2} s; admitted: Baseten {b}, Replicate {r}; 429s {}; floor at the sustained rate {rate:.2} s (ratio {:.3}), floor with whole windows at once {windows:.0} s (ratio {:.3}); peak RSS {:.1} MB; usage summaries asked {}",
        baseten.throttled() + replicate.throttled(),
        wall / rate.max(0.01),
        wall / windows.max(1.0),
        rss_kib as f64 / 1024.0,
        baseten.billing(|b| b.usage_calls.len()),
    );
}
