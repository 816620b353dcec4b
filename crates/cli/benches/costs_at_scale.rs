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

mod common;

use std::time::Duration;

use common::KEY;
use modelhost_tests::baseten_server::billable::{
    FakeChainDeployment, FakeChainlet, FakeDay, FakeJob, FakeUsage, Replicas,
};
use modelhost_tests::baseten_server::{BasetenServer, FakeDeployment};
use modelhost_tests::replicate_server::{
    Configuration, FakeDeployment as Served, FakePrediction, ReplicateServer,
};

const PER_SECOND: u32 = 100;

fn main() {
    common::main(bench());
}

async fn bench() {
    let scale = common::scale_from_args("costs_at_scale");
    let n = |count: usize| ((count as f64 * scale).round() as usize).max(1);
    let yesterday = (chrono::Utc::now().date_naive() - chrono::Days::new(1)).to_string();
    let baseten = BasetenServer::start().await;
    baseten.add_key(KEY, "ws");
    let types = ["A10G:1x4x16", "T4:1x4x16", "H100:1x"];
    for m in 0..n(200) {
        let deployments = (0..10)
            .map(|d| FakeDeployment {
                replicas: Replicas::new(d % 3, d % 2, 4),
                instance_type: Some(types[d as usize % 3].into()),
                ..FakeDeployment::new(&format!("d{m:03}x{d}"))
            })
            .collect();
        baseten.add_model_with("ws", &format!("m{m:03}"), deployments);
    }
    baseten.billing(|b| {
        b.add_price("A10G:1x4x16", "A10G 1x", "0.02012");
        b.add_price("T4:1x4x16", "T4 16GB", "0.01052");
        b.add_price("H100:1x", "H100 80GB", "0.10833");
        for c in 0..n(20) {
            let deployments = (0..10)
                .map(|d| FakeChainDeployment {
                    id: format!("c{c:02}d{d}"),
                    status: "ACTIVE".into(),
                    chainlets: (0..3)
                        .map(|l| FakeChainlet {
                            id: format!("c{c:02}d{d}l{l}"),
                            instance_type: types[l % 3].into(),
                            replicas: Replicas::new(1, 0, 2),
                        })
                        .collect(),
                })
                .collect();
            b.add_chain("ws", &format!("c{c:02}"), deployments);
        }
        for p in 0..n(10) {
            let jobs = (0..10)
                .map(|j| FakeJob {
                    id: format!("p{p}j{j}"),
                    status: if j == 0 { "TRAINING_JOB_RUNNING" } else { "TRAINING_JOB_COMPLETED" }.into(),
                    instance_type: "H100:1x".into(),
                })
                .collect();
            b.add_project("ws", &format!("p{p}"), jobs);
        }
        for m in 0..n(200) {
            for d in 0..10 {
                let day = FakeDay {
                    date: yesterday.clone(),
                    minutes: 60,
                    subtotal: "\"1.21\"".into(),
                    requests: 10,
                };
                b.add_usage(FakeUsage {
                    kind: "MODEL_DEPLOYMENT",
                    id: format!("d{m:03}x{d}"),
                    chain: None,
                    days: vec![day],
                });
            }
        }
    });
    let replicate = ReplicateServer::start(Duration::ZERO, 100).await;
    replicate.add_owner("alice", KEY);
    for d in 0..n(500) {
        let name = format!("deploy{d:03}");
        let served =
            Served { model: ("alice".into(), "hello".into()), version: "v1".into(), release: 1, idle: false };
        replicate.add_deployment("alice", &name, served);
        let configuration = Configuration {
            hardware: "gpu-t4".into(),
            min_instances: u32::from(d % 2 == 1),
            max_instances: 2,
        };
        replicate.configure_deployment("alice", &name, configuration);
    }
    for p in 0..1_000 {
        let prediction = FakePrediction {
            deployment: Some(format!("alice/deploy{:03}", p % n(500))),
            created_at: format!("{yesterday}T10:{:02}:00Z", p % 60),
            predict_time: Some("2.5".into()),
        };
        replicate.add_prediction("alice", prediction);
    }
    baseten.limit_rate(PER_SECOND);
    replicate.limit_rate(PER_SECOND);

    let dir = tempfile::tempdir().unwrap();
    let mut costs = common::modelhost(&baseten.base_url, &replicate.base_url, dir.path());
    costs.args(["costs", "--output", "json"]);
    let (wall, rss_kib) = common::timed("costs", costs);
    // Two floors: what the fakes' fixed one-second windows allow (a window's worth at once,
    // ⌈N / rate⌉ − 1 s), and what the rate allows sustained (N / rate s): a client that does
    // not know where the server's windows start can at best do the second.
    let window_floor = |n: usize| n.div_ceil(PER_SECOND as usize).saturating_sub(1) as f64;
    let rate_floor = |n: usize| n as f64 / f64::from(PER_SECOND);
    let (b, r) = (baseten.requests(), replicate.requests());
    let (windows, rate) = (window_floor(b).max(window_floor(r)), rate_floor(b).max(rate_floor(r)));
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
