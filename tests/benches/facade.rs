//! `cargo bench -p modelhost-tests --bench facade`: the cost of a facade delete against raw
//! `reqwest` sending the same request to the same local server, interleaved in rounds so both
//! see the same machine; prints medians and their ratio (goal: at most 1.05).

use std::time::{Duration, Instant};

use modelhost::{Baseten, ClientSettings, DeleteOptions, ModelHost, ModelRef, RetryPolicy, Secret};
use modelhost_tests::{Canned, Method, RecordingServer};
use serde_json::json;

const ROUNDS: usize = 15;
const CALLS_PER_ROUND: usize = 300;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let server = RecordingServer::start([(
        Method::DELETE,
        "/v1/models/m1",
        Canned::json(200, json!({"id": "m1", "deleted": true})),
    )])
    .await;
    let key = Secret::new("bench-key").unwrap();
    let settings = ClientSettings::new(&server.base_url);
    let facade = Baseten::new(&key, &settings).unwrap().with_retry(RetryPolicy::default());
    let model: ModelRef = "baseten:m1".parse().unwrap();
    // Configured as the facade's client is (same timeouts, no redirects), so only the
    // facade's own work differs.
    let raw = reqwest::Client::builder()
        .user_agent(settings.user_agent.clone())
        .timeout(settings.timeout)
        .connect_timeout(settings.connect_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let url = format!("{}/v1/models/m1", server.base_url);

    let run_facade = || async {
        let deleted = facade.delete_model(&model, &DeleteOptions::default()).await.unwrap();
        assert!(deleted.tombstone.is_some());
    };
    let generated = modelhost_baseten::Client::with_api_key(&key, &settings).unwrap();
    let run_generated = || async {
        let tombstone = generated.delete_model().model_id("m1").send().await.unwrap();
        assert!(tombstone.deleted);
    };
    let run_raw = || async {
        let response =
            raw.delete(&url).bearer_auth("bench-key").send().await.unwrap().error_for_status().unwrap();
        let tombstone: serde_json::Value = response.json().await.unwrap();
        assert_eq!(tombstone["deleted"], true);
    };
    // Warm both connection pools.
    for _ in 0..50 {
        run_facade().await;
        run_raw().await;
        run_generated().await;
    }
    let (mut facade_times, mut raw_times, mut generated_times) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let started = Instant::now();
        for _ in 0..CALLS_PER_ROUND {
            run_raw().await;
        }
        raw_times.push(started.elapsed() / CALLS_PER_ROUND as u32);
        let started = Instant::now();
        for _ in 0..CALLS_PER_ROUND {
            run_facade().await;
        }
        facade_times.push(started.elapsed() / CALLS_PER_ROUND as u32);
        let started = Instant::now();
        for _ in 0..CALLS_PER_ROUND {
            run_generated().await;
        }
        generated_times.push(started.elapsed() / CALLS_PER_ROUND as u32);
    }
    let (f, r, g) = (median(&mut facade_times), median(&mut raw_times), median(&mut generated_times));
    println!("per-call delete, median of {ROUNDS} rounds of {CALLS_PER_ROUND} calls on 127.0.0.1:");
    println!("  raw reqwest  {:>8.1} µs", r.as_secs_f64() * 1e6);
    println!(
        "  generated    {:>8.1} µs  (the progenitor client alone, ratio {:.3})",
        g.as_secs_f64() * 1e6,
        g.as_secs_f64() / r.as_secs_f64()
    );
    println!("  facade       {:>8.1} µs", f.as_secs_f64() * 1e6);
    println!("  ratio        {:>8.3} (goal <= 1.05)", f.as_secs_f64() / r.as_secs_f64());
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}
