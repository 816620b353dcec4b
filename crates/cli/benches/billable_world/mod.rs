//! The billable inventory the cost benches share: 2,000 Baseten model deployments (200
//! models, half of them keeping a replica up), 200 chain deployments (20 chains), 100
//! training jobs (10 projects, one running in each) and 500 Replicate deployments (half
//! keeping an instance up) with 1,000 predictions yesterday, times `scale`.

use std::time::Duration;

use modelhost_tests::baseten_server::billable::{
    FakeChainDeployment, FakeChainlet, FakeDay, FakeJob, FakeUsage, Replicas,
};
use modelhost_tests::baseten_server::{BasetenServer, FakeDeployment};
use modelhost_tests::replicate_server::{
    Configuration, FakeDeployment as Served, FakePrediction, ReplicateServer,
};

use super::common::KEY;

/// The fakes holding the inventory at `scale`, admitting `per_second` requests each.
pub async fn start(scale: f64, per_second: u32) -> (BasetenServer, ReplicateServer) {
    let n = |count: usize| at(scale, count);
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
    baseten.limit_rate(per_second);
    replicate.limit_rate(per_second);
    (baseten, replicate)
}

/// How many of a kind at `scale` (at least one).
pub fn at(scale: f64, count: usize) -> usize {
    ((count as f64 * scale).round() as usize).max(1)
}

/// The floors `admitted` requests (each provider's, read at once) set at `per_second`: at the
/// rate sustained (N / rate s), and with a whole one-second window's worth at once, as the
/// fakes' fixed windows allow (⌈N / rate⌉ − 1 s); each the larger of the two providers'.
pub fn floors(admitted: [usize; 2], per_second: u32) -> (f64, f64) {
    let rate = |n: usize| n as f64 / f64::from(per_second);
    let windows = |n: usize| n.div_ceil(per_second as usize).saturating_sub(1) as f64;
    (rate(admitted[0]).max(rate(admitted[1])), windows(admitted[0]).max(windows(admitted[1])))
}
