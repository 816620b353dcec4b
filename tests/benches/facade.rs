//! `cargo bench -p modelhost-tests --bench facade`: the cost of a facade delete against raw
//! `reqwest` sending the same request to the same local server, interleaved in rounds so all
//! see the same machine; prints medians and the median per-round ratio (goal: at most 1.05).

use std::time::{Duration, Instant};

use modelhost::{Baseten, ClientSettings, DeleteOptions, ModelHost, ModelRef, RetryPolicy, Secret};
use modelhost_tests::{Canned, Method, RecordingServer};
use serde_json::json;

const ROUNDS: usize = 41;
const CALLS_PER_ROUND: usize = 200;

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
    // The same headers the generated client sends, so the server sees the same request.
    let run_raw = || async {
        let response = raw
            .delete(&url)
            .bearer_auth("bench-key")
            .header(reqwest::header::ACCEPT, "application/json")
            .header("api-version", "1.0.0")
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap();
        let tombstone: serde_json::Value = response.json().await.unwrap();
        assert_eq!(tombstone["deleted"], true);
    };
    // `FACADE_BENCH_ONLY=raw|generated|facade` runs one of them alone, 20,000 times, for
    // `perf stat`/`perf record` to compare their CPU cost without the others in the profile.
    if let Ok(only) = std::env::var("FACADE_BENCH_ONLY") {
        for _ in 0..20_000 {
            match only.as_str() {
                "raw" => run_raw().await,
                "generated" => run_generated().await,
                "facade" => run_facade().await,
                other => panic!("FACADE_BENCH_ONLY={other}: expected raw, generated or facade"),
            }
        }
        return;
    }
    // All three must send the same request, headers included, or the ratios measure that.
    for run in 0..3 {
        match run {
            0 => run_raw().await,
            1 => run_generated().await,
            _ => run_facade().await,
        }
    }
    let sent = server.recorded();
    for other in &sent[1..3] {
        assert_eq!(
            (&other.method, &other.uri, &other.headers),
            (&sent[0].method, &sent[0].uri, &sent[0].headers)
        );
    }
    // Warm the connection pools.
    for _ in 0..50 {
        run_facade().await;
        run_raw().await;
        run_generated().await;
    }
    let (mut facade_times, mut raw_times, mut generated_times) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        // Each round starts with a different one of the three, so none always runs first.
        // (Swapping which follows which, raw then generated then facade, moved no ratio.)
        for which in (0..3).map(|i| (i + round) % 3) {
            let started = Instant::now();
            for _ in 0..CALLS_PER_ROUND {
                match which {
                    0 => run_raw().await,
                    1 => run_facade().await,
                    _ => run_generated().await,
                }
            }
            let per_call = started.elapsed() / CALLS_PER_ROUND as u32;
            [&mut raw_times, &mut facade_times, &mut generated_times][which].push(per_call);
        }
    }
    // The ratio is taken round by round (each round's three runs see the same machine), and
    // the median of those ratios reported: the machine's drift between rounds cancels out.
    let ratio = |a: &[Duration], b: &[Duration]| {
        let mut ratios: Vec<f64> = a.iter().zip(b).map(|(a, b)| a.as_secs_f64() / b.as_secs_f64()).collect();
        ratios.sort_by(f64::total_cmp);
        ratios[ratios.len() / 2]
    };
    let (facade_ratio, generated_ratio) =
        (ratio(&facade_times, &raw_times), ratio(&generated_times, &raw_times));
    let (f, r, g) = (median(&mut facade_times), median(&mut raw_times), median(&mut generated_times));
    println!(
        "per-call delete on 127.0.0.1, {ROUNDS} rounds of {CALLS_PER_ROUND} calls each, order rotating:"
    );
    println!("  raw reqwest  {:>8.1} µs (median round)", r.as_secs_f64() * 1e6);
    println!(
        "  generated    {:>8.1} µs  ratio {generated_ratio:.3} (the progenitor client alone)",
        g.as_secs_f64() * 1e6
    );
    println!("  facade       {:>8.1} µs  ratio {facade_ratio:.3} (goal <= 1.05)", f.as_secs_f64() * 1e6);
    println!("  (ratios are medians of per-round ratios to raw reqwest)");
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}
