//! `cargo bench -p modelhost-cli --bench costs_at_scale [-- --scale S]`: `modelhost costs`
//! over 2,000 Baseten model deployments (200 models), 200 chain deployments (20 chains), 100
//! training jobs (10 projects) and 500 Replicate deployments with 1,000 predictions, against
//! the stateful fakes admitting 100 requests a second each (Baseten's default limit).
//! `--scale 10` has ten times the models, chains, projects and Replicate deployments.
//!
//! Prints the wall time against the floor the rate limits set (each fake admits 100 requests
//! in each one-second window, so N admitted requests need ⌈N / 100⌉ − 1 seconds; the two
//! providers are read at once, so the floor is the larger of the two), the requests each
//! provider admitted and refused, how many usage summaries were asked for (one for the
//! whole account, never one per resource), the peak resident memory of the `modelhost`
//! process alone, and the resources it reported.

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
    let floor = |n: usize| n.div_ceil(PER_SECOND as usize).saturating_sub(1) as f64;
    let (b, r) = (baseten.requests(), replicate.requests());
    let rate_floor = floor(b).max(floor(r));
    let wall = wall.as_secs_f64();
    println!(
        "modelhost costs: {} model deployments, {} chain deployments, {} training jobs, {} Replicate deployments, {PER_SECOND} requests/s each:",
        n(200) * 10,
        n(20) * 10,
        n(10) * 10,
        n(500)
    );
    println!(
        "  {wall:.2} s, floor {rate_floor:.0} s (admitted: Baseten {b}, Replicate {r}; 429s {}), ratio {:.3}, peak RSS {:.1} MB, usage summaries asked {}",
        baseten.throttled() + replicate.throttled(),
        wall / rate_floor.max(1.0),
        rss_kib as f64 / 1024.0,
        baseten.billing(|b| b.usage_calls.len()),
    );
}
