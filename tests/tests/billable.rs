//! Every billable kind against the local servers: Baseten's chains, chain deployments,
//! training projects and jobs (deleted, deactivated, stopped), scaling to zero on both
//! providers, and what each resource costs, with each unknown left unknown.

use std::time::Duration;

use modelhost::costs::{Kind, PriceTable, Scope, Window};
use modelhost::{
    Action, Baseten, ClientSettings, DeleteOptions, Error, ModelHost, Replicate, Secret, State, Target,
};
use modelhost_tests::baseten_server::billable::{
    FakeChainDeployment, FakeChainlet, FakeDay, FakeJob, FakeUsage, Replicas,
};
use modelhost_tests::baseten_server::{BasetenServer, FakeDeployment};
use modelhost_tests::replicate_server::{
    Configuration, FakeDeployment as Served, FakePrediction, ReplicateServer,
};
use rust_decimal::Decimal;

const KEY: &str = "billing-admin-key";

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn target(text: &str) -> Target {
    text.parse().unwrap()
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()
}

/// A workspace with a model of two deployments (one up on a priced type, one scaled to
/// zero), a chain deployment of two chainlets, a running and a finished training job,
/// prices (one matched by ID, one by name) and 30 days of usage.
async fn baseten() -> (BasetenServer, Baseten) {
    let server = BasetenServer::start().await;
    server.add_key(KEY, "ws-a");
    server.add_model_with(
        "ws-a",
        "m1",
        vec![
            FakeDeployment {
                is_production: true,
                replicas: Replicas::new(2, 1, 4),
                instance_type: Some("A10G:1x4x16".into()),
                ..FakeDeployment::new("d1")
            },
            FakeDeployment {
                status: "SCALED_TO_ZERO".into(),
                instance_type: Some("Mystery GPU".into()),
                ..FakeDeployment::new("d2")
            },
            FakeDeployment { replicas: Replicas::new(1, 1, 1), ..FakeDeployment::new("d3") },
        ],
    );
    server.billing(|b| {
        b.add_price("A10G:1x4x16", "A10G 1x", "0.02012");
        b.add_price("H100:1x", "H100 80GB", "0.10833");
        b.add_price("T4:1x4x16", "T4 16GB", "0.01052");
        b.add_chain(
            "ws-a",
            "c1",
            vec![FakeChainDeployment {
                id: "cd1".into(),
                status: "ACTIVE".into(),
                chainlets: vec![
                    FakeChainlet {
                        id: "l1".into(),
                        instance_type: "T4:1x4x16".into(),
                        replicas: Replicas::new(1, 1, 2),
                    },
                    FakeChainlet {
                        id: "l2".into(),
                        instance_type: "A10G 1x".into(),
                        replicas: Replicas::new(1, 0, 2),
                    },
                ],
            }],
        );
        b.add_project(
            "ws-a",
            "p1",
            vec![
                FakeJob {
                    id: "j1".into(),
                    status: "TRAINING_JOB_RUNNING".into(),
                    instance_type: "H100:1x".into(),
                },
                FakeJob {
                    id: "j2".into(),
                    status: "TRAINING_JOB_COMPLETED".into(),
                    instance_type: "H100:1x".into(),
                },
            ],
        );
        let day = |date: &str, subtotal: &str, requests| FakeDay {
            date: date.into(),
            minutes: 60,
            subtotal: subtotal.into(),
            requests,
        };
        b.add_usage(FakeUsage {
            kind: "MODEL_DEPLOYMENT",
            id: "d1".into(),
            chain: None,
            days: vec![
                day("2026-11-20", "0.1", 7),
                day("2026-11-21", "\"0.2\"", 0),
                day("2026-12-06", "5", 9),
            ],
        });
        for (chainlet, subtotal) in [("l1", "0.3"), ("l2", "\"0.4\"")] {
            b.add_usage(FakeUsage {
                kind: "CHAINLET",
                id: chainlet.into(),
                chain: Some(("c1".into(), "cd1".into())),
                days: vec![day("2026-12-01", subtotal, 2)],
            });
        }
        b.add_usage(FakeUsage {
            kind: "TRAINING_JOB",
            id: "j1".into(),
            chain: None,
            days: vec![day("2026-12-02", "6.5", 0)],
        });
    });
    let host = Baseten::new(&Secret::new(KEY).unwrap(), &ClientSettings::new(&server.base_url)).unwrap();
    (server, host)
}

#[tokio::test]
async fn baseten_resources_cost_what_their_replicas_and_prices_say() {
    let (server, host) = baseten().await;
    let scopes = Scope::everything(modelhost::Provider::Baseten);
    let costs = host.costs(&scopes, &PriceTable::shipped(), &Window::before(today())).await.unwrap();
    assert!(costs.gaps.is_empty(), "{:?}", costs.gaps);
    let find =
        |r: &str| costs.resources.iter().find(|x| x.reference == target(r)).unwrap_or_else(|| panic!("{r}"));

    let d1 = find("baseten:m1/deployments/d1");
    assert_eq!(d1.kind, Kind::ModelDeployment);
    assert_eq!(d1.price.as_ref().unwrap().source, "baseten api (id)");
    assert_eq!(d1.cost_per_hour.now, Some(dec("2.4144")), "2 replicas × 0.02012 × 60");
    assert_eq!(d1.cost_per_hour.floor, Some(dec("1.2072")));
    assert_eq!(d1.spend_30d, Some(dec("0.3")), "today's 5 is outside the 30 whole days before today");
    assert_eq!((d1.requests_30d, d1.last_request_at.as_deref()), (Some(7), Some("2026-11-20")));

    let d2 = find("baseten:m1/deployments/d2");
    assert_eq!(
        (d2.price.as_ref(), d2.cost_per_hour.now, d2.cost_per_hour.floor),
        (None, Some(Decimal::ZERO), Some(Decimal::ZERO)),
        "no replica costs nothing, priced or not"
    );
    assert!(
        d2.unknown.iter().any(|u| u.contains("`Mystery GPU` has no published price")),
        "{:?}",
        d2.unknown
    );
    assert_eq!(
        (d2.spend_30d, d2.requests_30d),
        (Some(Decimal::ZERO), Some(0)),
        "no usage in the window is a known 0"
    );

    let d3 = find("baseten:m1/deployments/d3");
    assert_eq!((d3.instance_type.as_ref(), d3.cost_per_hour.now), (None, None));
    assert!(d3.unknown.iter().any(|u| u.contains("no instance type is given")), "{:?}", d3.unknown);

    let chain = find("baseten:chains/c1/deployments/cd1");
    assert_eq!(chain.kind, Kind::ChainDeployment);
    assert_eq!(chain.instance_type.as_deref(), Some("A10G 1x+T4:1x4x16"));
    assert_eq!(chain.cost_per_hour.now, Some(dec("1.8384")), "0.01052×60 + 0.02012×60, one matched by name");
    assert_eq!(chain.cost_per_hour.floor, Some(dec("0.6312")));
    assert_eq!((chain.spend_30d, chain.requests_30d), (Some(dec("0.7")), Some(4)));

    let running = find("baseten:training/p1/jobs/j1");
    assert_eq!(
        running.cost_per_hour.now, running.cost_per_hour.floor,
        "a running job's floor is its cost now"
    );
    assert_eq!(running.cost_per_hour.now, Some(dec("6.4998")));
    assert_eq!(running.spend_30d, Some(dec("6.5")));
    assert_eq!(find("baseten:training/p1/jobs/j2").cost_per_hour.now, Some(Decimal::ZERO));

    let totals = costs.totals()[&modelhost::Provider::Baseten];
    assert_eq!(totals.cost_per_hour_now, Some(dec("10.7526")));
    assert_eq!(totals.unknown, 1, "d3's unknown price is counted, not summed as 0 (d2 has no replica)");
    assert_eq!(server.billing(|b| b.usage_calls.len()), 1, "one usage summary for the whole account");
    assert!(server.gate.log().iter().all(|(m, _)| m == axum::http::Method::GET), "costs only reads");
}

#[tokio::test]
async fn a_usage_summary_the_key_may_not_read_leaves_spend_unknown_and_the_rest_shown() {
    let (server, host) = baseten().await;
    server.billing(|b| {
        b.usage_forbidden_for.insert(KEY.to_owned());
    });
    let costs =
        host.costs(&[Scope::BasetenModels], &PriceTable::shipped(), &Window::before(today())).await.unwrap();
    assert_eq!(costs.gaps.len(), 1);
    assert_eq!(costs.gaps[0].what, "spend and requests");
    assert!(
        costs.gaps[0].why.contains("not allowed: the usage summary (Only workspace admins"),
        "{:?}",
        costs.gaps
    );
    let d1 = costs.resources.iter().find(|r| r.reference == target("baseten:m1/deployments/d1")).unwrap();
    assert_eq!((d1.spend_30d, d1.requests_30d), (None, None));
    assert_eq!(d1.cost_per_hour.now, Some(dec("2.4144")), "prices still apply");
    assert_eq!(costs.resources.len(), 3, "only the models' deployments: baseten:*");

    server.billing(|b| {
        b.usage_forbidden_for.clear();
        b.usage_fails = true;
    });
    let costs =
        host.costs(&[Scope::BasetenModels], &PriceTable::shipped(), &Window::before(today())).await.unwrap();
    assert_eq!(costs.gaps.len(), 1, "an HTML 500 is a gap too: {:?}", costs.gaps);
}

#[tokio::test]
async fn the_usage_summary_refuses_more_than_31_days() {
    let (server, _) = baseten().await;
    let client = reqwest::Client::new();
    let ask = |start: &str, end: &str| {
        client
            .get(format!("{}/v1/billing/usage_summary?start_date={start}&end_date={end}", server.base_url))
            .bearer_auth(KEY)
            .send()
    };
    assert_eq!(ask("2026-11-01T00:00:00Z", "2026-12-03T00:00:00Z").await.unwrap().status(), 400);
    assert_eq!(ask("2025-12-20T00:00:00Z", "2026-01-05T00:00:00Z").await.unwrap().status(), 400);
    assert_eq!(ask("2026-11-06T00:00:00Z", "2026-12-05T23:59:59Z").await.unwrap().status(), 200);
}

#[tokio::test]
async fn a_reference_scope_reads_only_what_it_names() {
    let (server, host) = baseten().await;
    let scopes = [Scope::Within(target("baseten:chains/c1"))];
    let costs = host.costs(&scopes, &PriceTable::shipped(), &Window::before(today())).await.unwrap();
    assert_eq!(costs.resources.len(), 1);
    assert!(!server.gate.log().iter().any(|(_, path)| path.starts_with("/v1/models")), "models not listed");
}

#[tokio::test]
async fn baseten_acts_on_every_kind_and_settles_on_what_the_answer_says() {
    let (server, host) = baseten().await;
    let options = DeleteOptions::default();
    let done = |action, text: &str| {
        let host = &host;
        let options = &options;
        let target = target(text);
        async move { host.perform(target, action, options).await.unwrap().state }
    };
    assert_eq!(done(Action::ScaleToZero, "baseten:m1/deployments/d1").await, State::ScaledToZero);
    assert_eq!(server.deployment("m1", "d1").unwrap().replicas.min, 0);
    assert_eq!(done(Action::Deactivate, "baseten:chains/c1/deployments/cd1").await, State::Deactivated);
    assert_eq!(server.billing(|b| b.chain_deployment("c1", "cd1")).unwrap().status, "INACTIVE");
    assert_eq!(done(Action::Stop, "baseten:training/p1/jobs/j1").await, State::Stopped);
    assert_eq!(server.billing(|b| b.job("p1", "j1")).unwrap().status, "TRAINING_JOB_STOPPED");
    assert_eq!(done(Action::Delete, "baseten:training/p1/jobs/j2").await, State::Deleted);
    assert!(server.billing(|b| b.job("p1", "j2")).is_none());
    assert_eq!(done(Action::Delete, "baseten:chains/c1/deployments/cd1").await, State::Deleted);
    assert_eq!(done(Action::Delete, "baseten:chains/c1").await, State::Deleted);
    assert_eq!(done(Action::Delete, "baseten:training/p1").await, State::Deleted);
    assert!(!server.billing(|b| b.has_chain("c1") || b.has_project("p1")));

    let gone = host.perform(target("baseten:chains/c1"), Action::Delete, &options).await.unwrap_err();
    assert!(matches!(gone, Error::NotFound { .. }), "{gone:?}");
    let missing_ok = DeleteOptions { missing_ok: true };
    let absent =
        host.perform(target("baseten:training/p1/jobs/j1"), Action::Delete, &missing_ok).await.unwrap();
    assert_eq!(absent.state, State::Absent);
    let refused = host.perform(target("baseten:chains/c9"), Action::Stop, &options).await.unwrap_err();
    assert!(
        matches!(refused, Error::Unsupported { .. }) && refused.to_string().contains("stop a chain"),
        "{refused}"
    );
}

async fn replicate() -> (ReplicateServer, Replicate) {
    let server = ReplicateServer::start(Duration::from_millis(10), 2).await;
    server.add_owner("alice", KEY);
    for (name, hardware, min) in
        [("busy", "gpu-a100-large", 2), ("idle", "gpu-t4", 0), ("odd", "gpu-quantum", 1)]
    {
        let served =
            Served { model: ("alice".into(), "hello".into()), version: "v1".into(), release: 1, idle: false };
        server.add_deployment("alice", name, served);
        let configuration = Configuration { hardware: hardware.into(), min_instances: min, max_instances: 3 };
        server.configure_deployment("alice", name, configuration);
    }
    let predictions = [
        ("alice/busy", "2026-11-10T10:00:00Z", Some("1.5")),
        ("alice/busy", "2026-12-01T08:00:00Z", Some("2.5")),
        ("alice/busy", "2026-10-01T08:00:00Z", Some("100")),
        ("alice/odd", "2026-12-01T08:00:00Z", None),
    ];
    for (deployment, at, seconds) in predictions {
        let prediction = FakePrediction {
            deployment: Some(deployment.into()),
            created_at: at.into(),
            predict_time: seconds.map(str::to_owned),
        };
        server.add_prediction("alice", prediction);
    }
    let host = Replicate::new(&Secret::new(KEY).unwrap(), &ClientSettings::new(&server.base_url)).unwrap();
    (server, host)
}

#[tokio::test]
async fn replicate_deployments_cost_their_floor_at_the_table_price() {
    let (_server, host) = replicate().await;
    let costs = host
        .costs(&[Scope::ReplicateDeployments], &PriceTable::shipped(), &Window::before(today()))
        .await
        .unwrap();
    let find = |r: &str| costs.resources.iter().find(|x| x.reference == target(r)).unwrap();
    let busy = find("replicate:deployments/alice/busy");
    assert_eq!(busy.cost_per_hour.floor, Some(dec("10.08")), "2 × 0.0014 × 3600");
    assert_eq!(busy.cost_per_hour.now, None, "Replicate does not say how many instances are up");
    assert_eq!(busy.requests_30d, Some(2), "the October prediction is outside the window");
    assert_eq!(busy.spend_30d, Some(dec("0.0056")), "4 s × 0.0014");
    assert_eq!(busy.last_request_at.as_deref(), Some("2026-12-01T08:00:00+00:00"));
    assert_eq!(find("replicate:deployments/alice/idle").cost_per_hour.floor, Some(Decimal::ZERO));
    let odd = find("replicate:deployments/alice/odd");
    assert_eq!((odd.price.as_ref(), odd.cost_per_hour.floor, odd.spend_30d), (None, None, None));
    assert!(odd.unknown.iter().any(|u| u.contains("gpu-quantum")), "{:?}", odd.unknown);
    let sources = &costs.sources[&modelhost::Provider::Replicate];
    assert_eq!(sources[0].read.as_deref(), Some("2026-12-01"));

    let only_model = [Scope::Within(target("replicate:alice/other"))];
    let none = host.costs(&only_model, &PriceTable::shipped(), &Window::before(today())).await.unwrap();
    assert!(none.resources.is_empty(), "no deployment serves alice/other");
}

#[tokio::test]
async fn replicate_scales_a_deployment_to_zero_and_checks_the_answer() {
    let (server, host) = replicate().await;
    let scaled = host.change(&target("replicate:deployments/alice/busy"), Action::ScaleToZero).await.unwrap();
    assert_eq!(scaled.state, State::ScaledToZero);
    assert_eq!(server.configuration("alice", "busy").min_instances, 0);
    let refused = host.change(&target("replicate:alice/hello"), Action::ScaleToZero).await.unwrap_err();
    assert!(matches!(refused, Error::Unsupported { .. }), "{refused:?}");
}

/// What a figure sent as `text` is worth, exactly as written (quoted or not), or unknown
/// when it is not a decimal that fits.
fn exact(text: &str) -> Option<Decimal> {
    let text = text.trim_matches('"');
    text.parse().ok().or_else(|| Decimal::from_scientific(text).ok())
}

/// A price or amount a server may send: ordinary, negative, huge, with an exponent, or
/// with more digits than a decimal holds.
fn hostile_number() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop_oneof![
        "[0-9]{1,3}\\.[0-9]{1,6}",
        "-[0-9]{1,3}\\.[0-9]{1,3}",
        "[1-9][0-9]{25,40}",
        "[1-9]e[0-9]{1,3}",
        "\"[0-9]{1,30}\\.[0-9]{0,30}\"",
        Just("0".to_owned()),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 48, ..Default::default() })]

    /// Whatever prices and amounts the server sends, costs answers without panicking; a
    /// figure is either exactly what the price makes it or unknown with a reason, never
    /// negative and never an unknown taken as 0.
    #[test]
    fn hostile_prices_and_amounts_are_unknown_or_exact(price in hostile_number(), subtotal in hostile_number()) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let server = BasetenServer::start().await;
            server.add_key(KEY, "ws");
            let deployment = FakeDeployment {
                replicas: Replicas::new(3, 1, 4),
                instance_type: Some("X:1".into()),
                ..FakeDeployment::new("d1")
            };
            server.add_model_with("ws", "m1", vec![deployment]);
            server.billing(|b| {
                b.add_price("X:1", "X", &price);
                let day = FakeDay { date: "2026-12-01".into(), minutes: 1, subtotal: subtotal.clone(), requests: 1 };
                b.add_usage(FakeUsage { kind: "MODEL_DEPLOYMENT", id: "d1".into(), chain: None, days: vec![day.clone(), day] });
            });
            let host = Baseten::new(&Secret::new(KEY).unwrap(), &ClientSettings::new(&server.base_url)).unwrap();
            let costs = host.costs(&[Scope::BasetenModels], &PriceTable::shipped(), &Window::before(today())).await.unwrap();
            let r = &costs.resources[0];
            let per_minute = exact(&price).filter(|p| !p.is_sign_negative());
            let expected = per_minute
                .and_then(|p| p.checked_mul(Decimal::from(60)))
                .and_then(|h| h.checked_mul(Decimal::from(3)));
            if let Some(now) = r.cost_per_hour.now {
                assert_eq!(Some(now), expected, "{price}");
                assert!(!now.is_sign_negative());
            } else {
                assert!(!r.unknown.is_empty() || !costs.gaps.is_empty(), "unknown says why: {r:?}");
            }
            if let Some(spend) = r.spend_30d {
                let one = exact(&subtotal);
                assert_eq!(Some(spend), one.and_then(|one| one.checked_add(one)), "{subtotal}");
            } else {
                assert!(!r.unknown.is_empty() || !costs.gaps.is_empty(), "unknown says why: {r:?}");
            }
            let _ = costs.totals();
        });
    }
}

/// The fake's deployment metrics read through the generated client: requests in the window
/// counted, and a window of more than 7 days refused as Baseten documents.
#[tokio::test]
async fn deployment_metrics_count_requests_in_at_most_seven_days() {
    let (server, _) = baseten().await;
    let day = 24 * 3600 * 1000;
    let end = chrono::Utc::now().timestamp_millis();
    server.billing(|b| b.add_requests("m1", "d1", &[end - 2 * day, end - day, end - 8 * day]));
    let client = modelhost_baseten::Client::with_api_key(
        &Secret::new(KEY).unwrap(),
        &ClientSettings::new(&server.base_url),
    )
    .unwrap();
    let ask = |days: i64| {
        client
            .list_model_deployment_metrics()
            .model_id("m1")
            .deployment_id("d1")
            .mode(modelhost_baseten::types::DeploymentMetricModeV1::Summary)
            .start_epoch_millis(end - days * day)
            .end_epoch_millis(end)
            .send()
    };
    let week = ask(7).await.unwrap().into_inner();
    assert_eq!(week.metric_descriptors[0].name, "baseten_inference_requests_total");
    assert_eq!(week.metric_values[0].values[0][0], Some(2.0));
    let err = ask(8).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400), "{err}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 32, ..Default::default() })]

    /// Whatever `predict_time` a prediction carries (read by the generated client as an
    /// `f64`), the estimate is what that number holds or unknown with a reason, and never
    /// panics.
    #[test]
    fn hostile_predict_times_estimate_exactly_or_not_at_all(seconds in hostile_number()) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let (server, host) = replicate().await;
            let at = "2026-12-02T10:00:00Z".to_owned();
            let prediction = FakePrediction { deployment: Some("alice/idle".into()), created_at: at, predict_time: Some(seconds.clone()) };
            server.add_prediction("alice", prediction);
            let scopes = [Scope::Within(target("replicate:deployments/alice/idle"))];
            let Ok(costs) = host.costs(&scopes, &PriceTable::shipped(), &Window::before(today())).await else {
                return; // a page the client cannot read is an error of the listing, not a panic
            };
            let idle = costs.resources.iter().find(|r| r.reference == target("replicate:deployments/alice/idle"));
            let Some(idle) = idle else { return };
            if let Some(spend) = idle.spend_30d {
                assert!(!spend.is_sign_negative() || seconds.starts_with('-'), "{seconds}: {spend}");
                // Seconds are a JSON number the generated client reads as an `f64` (through
                // serde_json, whose reading of a long number can differ in the last bit from
                // `str::parse`): what it holds is used when its shortest form has at most 15
                // digits.
                let read = serde_json::from_str::<f64>(&seconds).ok().map(|f| format!("{f:e}"));
                let held = read.filter(|r| r.split('e').next().unwrap().chars().filter(char::is_ascii_digit).count() <= 15);
                let expected = held
                    .and_then(|r| Decimal::from_scientific(&r).ok())
                    .and_then(|s| s.checked_mul(dec("0.81")))
                    .map(|v| (v / Decimal::from(3600)).round_dp(6));
                assert_eq!(Some(spend), expected, "{seconds}");
            } else {
                assert!(idle.unknown.iter().any(|u| u.starts_with("spend")) || !costs.gaps.is_empty(), "{idle:?}");
            }
        });
    }
}
