//! Clean-up by cost against the stateful Baseten and Replicate on 127.0.0.1: every billable
//! kind selected, each cost condition (idle, costing, a minimum cost) and each action
//! (scale to zero, deactivate, stop, delete) decided on what the cost model reads, what each
//! plan saves, and idle decided again at apply.

use std::time::Duration;

use chrono::{DateTime, Utc};
use modelhost::cleanup::{self, ApplyOptions, ApplyReport, Journal, KeepReason, Plan, Policy, Selector};
use modelhost::{Action, Hosts, State};
use modelhost_tests::baseten_server::billable::{
    FakeChainDeployment, FakeChainlet, FakeDay, FakeJob, FakeUsage, Replicas,
};
use modelhost_tests::baseten_server::{BasetenServer, FakeDeployment};
use modelhost_tests::replicate_server::{
    Configuration, FakeDeployment as Serving, FakePrediction, FakeVersion, ReplicateServer,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

mod common;

const TOKEN: &str = "cost-cleanup-token";
const DELAY: Duration = Duration::from_millis(5);
const A10G: &str = "A10G:1x4x16";

struct Fakes {
    baseten: BasetenServer,
    replicate: ReplicateServer,
    hosts: Hosts,
}

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn day(now: DateTime<Utc>, days_ago: u64) -> String {
    (now.date_naive() - chrono::Days::new(days_ago)).to_string()
}

fn usage(id: &str, days: Vec<(String, u64)>) -> FakeUsage {
    let days = days
        .into_iter()
        .map(|(date, requests)| FakeDay { date, minutes: 60, subtotal: "1.25".into(), requests })
        .collect();
    FakeUsage { kind: "MODEL_DEPLOYMENT", id: id.into(), chain: None, days }
}

/// Baseten `m1`: a production deployment, one called today (half an hour ago, its metrics
/// say), one last called 10 days ago, one
/// scaled to zero (all on a priced A10G, one replica kept up); chain `c1` with one deployment;
/// project `p1` with a running and a finished job. Replicate `alice`: deployments `warm`
/// (one instance kept up, never called), `cold` (none kept up) and `called` (one kept up,
/// called an hour ago).
async fn fakes(now: DateTime<Utc>) -> Fakes {
    let baseten = BasetenServer::start().await;
    baseten.add_key(TOKEN, "team");
    let up = |id: &str, change: fn(&mut FakeDeployment)| {
        let mut d = FakeDeployment {
            replicas: Replicas::new(1, 1, 2),
            instance_type: Some(A10G.into()),
            created_at: "2026-06-01T00:00:00Z".into(),
            ..FakeDeployment::new(id)
        };
        change(&mut d);
        d
    };
    baseten.add_model_with(
        "team",
        "m1",
        vec![
            up("prod", |d| d.is_production = true),
            up("busy", |_| {}),
            up("idle", |_| {}),
            up("zero", |d| {
                d.replicas = Replicas::new(0, 0, 2);
                d.status = "SCALED_TO_ZERO".into();
            }),
        ],
    );
    baseten.billing(|b| {
        b.add_price(A10G, "A10G 1x", "0.02012");
        b.add_usage(usage("prod", vec![(day(now, 20), 3)]));
        b.add_usage(usage("busy", vec![(day(now, 20), 3), (day(now, 0), 5)]));
        b.add_usage(usage("idle", vec![(day(now, 10), 4)]));
        let chainlet =
            FakeChainlet { id: "l1".into(), instance_type: A10G.into(), replicas: Replicas::new(1, 1, 1) };
        let chain_deployment =
            FakeChainDeployment { id: "cd1".into(), status: "ACTIVE".into(), chainlets: vec![chainlet] };
        b.add_chain("team", "c1", vec![chain_deployment]);
        let job = |id: &str, status: &str| FakeJob {
            id: id.into(),
            status: status.into(),
            instance_type: A10G.into(),
        };
        b.add_project(
            "team",
            "p1",
            vec![job("j1", "TRAINING_JOB_RUNNING"), job("j2", "TRAINING_JOB_COMPLETED")],
        );
    });
    let replicate = ReplicateServer::start(Duration::ZERO, 2).await;
    replicate.add_owner("alice", TOKEN);
    replicate.add_model(
        "alice",
        "hello",
        false,
        vec![FakeVersion::new("v1").created("2026-07-01T00:00:00Z")],
    );
    for (name, min) in [("warm", 1), ("cold", 0), ("called", 1)] {
        let serving =
            Serving { model: ("alice".into(), "hello".into()), version: "v1".into(), release: 1, idle: true };
        replicate.add_deployment("alice", name, serving);
        let configuration = Configuration { min_instances: min, ..Configuration::default() };
        replicate.configure_deployment("alice", name, configuration);
    }
    called(&replicate, "called", now - chrono::Duration::hours(1));
    // `busy`'s call today, to the minute (its deployment metrics): half an hour ago.
    let half_an_hour_ago = (now - chrono::Duration::minutes(30)).timestamp_millis();
    baseten.billing(|b| b.add_requests("m1", "busy", &[half_an_hour_ago]));
    let hosts = common::hosts(TOKEN, &baseten.base_url, &replicate.base_url, DELAY);
    Fakes { baseten, replicate, hosts }
}

/// A prediction of `alice/NAME` at `at`.
fn called(replicate: &ReplicateServer, name: &str, at: DateTime<Utc>) {
    let at = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let prediction = FakePrediction {
        deployment: Some(format!("alice/{name}")),
        created_at: at,
        predict_time: Some("2.5".into()),
    };
    replicate.add_prediction("alice", prediction);
}

/// Applies `plan` with a journal of its own: the report, and whether every target ended done.
async fn applied(hosts: &Hosts, plan: &Plan) -> (ApplyReport, bool) {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = Journal::open(&dir.path().join("j"), plan).unwrap();
    let report =
        cleanup::apply(hosts, plan, &mut journal, &ApplyOptions::default(), Utc::now()).await.unwrap();
    let done = report.all_done(&journal, plan);
    (report, done)
}

fn selectors(texts: &[&str]) -> Vec<Selector> {
    texts.iter().map(|s| s.parse().unwrap()).collect()
}

fn planned(plan: &Plan) -> Vec<String> {
    plan.targets.iter().map(|t| t.reference.to_string()).collect()
}

fn kept(plan: &Plan, reference: &str) -> KeepReason {
    let found = plan.kept.iter().find(|k| k.reference.to_string() == reference);
    found.map(|k| k.reason.clone()).unwrap_or_else(|| panic!("{reference} is not kept: {plan}"))
}

const EVERY_KIND: &[&str] =
    &["baseten:*", "baseten:chains/*", "baseten:training/*", "replicate:deployments/*"];

#[tokio::test]
async fn idle_and_costing_targets_are_scaled_to_zero_and_what_it_saves_is_exact() {
    let now = Utc::now();
    let f = fakes(now).await;
    let policy = Policy {
        keep_last: 0,
        idle_for: Some(Duration::from_secs(7 * 86_400)),
        costing: true,
        action: Action::ScaleToZero,
        ..Policy::default()
    };
    let plan = cleanup::plan(&f.hosts, &selectors(EVERY_KIND), &policy, now).await.unwrap();
    assert_eq!(planned(&plan), ["baseten:m1/deployments/idle", "replicate:deployments/alice/warm"], "{plan}");
    assert_eq!(kept(&plan, "baseten:m1/deployments/prod"), KeepReason::Production);
    assert_eq!(kept(&plan, "baseten:m1/deployments/busy"), KeepReason::Called(format!("on {}", day(now, 0))));
    assert_eq!(kept(&plan, "baseten:m1/deployments/zero"), KeepReason::AlreadyAtZero);
    assert_eq!(kept(&plan, "baseten:chains/c1/deployments/cd1"), KeepReason::Cannot(Action::ScaleToZero));
    assert_eq!(kept(&plan, "baseten:training/p1/jobs/j1"), KeepReason::Cannot(Action::ScaleToZero));
    assert_eq!(kept(&plan, "replicate:deployments/alice/cold"), KeepReason::AlreadyAtZero);
    assert_eq!(kept(&plan, "replicate:deployments/alice/called"), KeepReason::Called("1 h ago".into()));
    // Savings in decimal: one A10G replica's floor (0.02012 × 60), one T4 instance (0.81).
    let idle = &plan.targets[0].savings();
    assert_eq!((idle.per_hour_floor, idle.per_hour_now), (Some(dec("1.2072")), Some(dec("1.2072"))));
    assert_eq!(idle.spend, None, "called in the window: not all of its spend was its floor");
    let warm = &plan.targets[1].savings();
    assert_eq!(
        (warm.per_hour_floor, warm.per_hour_now),
        (Some(dec("0.81")), None),
        "Replicate says no count up now"
    );
    assert_eq!(warm.spend, Some(Decimal::ZERO), "never called: no estimated spend");
    let totals = plan.savings();
    assert_eq!(totals[&modelhost::Provider::Baseten].per_hour_floor, Some(dec("1.2072")));
    let text = plan.to_string();
    assert!(
        text.contains("  SCALE-TO-ZERO baseten:m1/deployments/idle (created 2026-06-01T00:00:00+00:00, ACTIVE): saves $1.21/h now, $1.21/h at the floor ($869.18 a month)\n"),
        "{text}"
    );
    assert!(text.contains("replicate: 1 to scale to zero (saves unknown/h now, $0.81/h at the floor ($583.20 a month)), 2 kept"), "{text}");
    assert_eq!(Plan::from_json(&plan.to_json()).unwrap(), plan, "the plan checks against its own facts");
    // Savings follow from the facts: a document that says otherwise is refused.
    let edited =
        plan.to_json().replacen("\"per_hour_floor\": \"1.20720\"", "\"per_hour_floor\": \"12.0720\"", 1);
    assert_ne!(edited, plan.to_json());
    let err = Plan::from_json(&edited).unwrap_err().to_string();
    assert!(err.contains("its savings are not what its action and facts give"), "{err}");
    assert!(f.baseten.gate.changes().is_empty() && f.replicate.gate.changes().is_empty(), "reads only");

    // Selectors that overlap read a group once.
    let overlapping =
        cleanup::plan(&f.hosts, &selectors(&["baseten:*", "baseten:m1"]), &policy, now).await.unwrap();
    let alone = cleanup::plan(&f.hosts, &selectors(&["baseten:m1"]), &policy, now).await.unwrap();
    assert_eq!((overlapping.targets, overlapping.kept), (alone.targets, alone.kept));
    // With production included, scaling to zero reaches it (a delete never would).
    let including = Policy { include_production: true, ..policy.clone() };
    let plan = cleanup::plan(&f.hosts, &selectors(&["baseten:*"]), &including, now).await.unwrap();
    assert_eq!(planned(&plan), ["baseten:m1/deployments/prod", "baseten:m1/deployments/idle"]);
    let deleting = Policy { include_production: true, action: Action::Delete, ..policy };
    let plan = cleanup::plan(&f.hosts, &selectors(&["baseten:*"]), &deleting, now).await.unwrap();
    assert_eq!(kept(&plan, "baseten:m1/deployments/prod"), KeepReason::Production);
}

#[tokio::test]
async fn each_action_reaches_the_kinds_it_applies_to_and_keeps_the_others_with_the_reason() {
    let now = Utc::now();
    let f = fakes(now).await;
    let decide = |action, min: Option<&str>| Policy {
        keep_last: 0,
        action,
        min_cost_per_hour: min.map(dec),
        ..Policy::default()
    };
    let stop =
        cleanup::plan(&f.hosts, &selectors(EVERY_KIND), &decide(Action::Stop, None), now).await.unwrap();
    assert_eq!(planned(&stop), ["baseten:training/p1/jobs/j1"]);
    assert_eq!(
        kept(&stop, "baseten:training/p1/jobs/j2"),
        KeepReason::NothingToStop("TRAINING_JOB_COMPLETED".into())
    );
    assert_eq!(kept(&stop, "replicate:deployments/alice/warm"), KeepReason::Cannot(Action::Stop));
    let deactivate =
        cleanup::plan(&f.hosts, &selectors(&["baseten:chains/*"]), &decide(Action::Deactivate, None), now)
            .await
            .unwrap();
    assert_eq!(planned(&deactivate), ["baseten:chains/c1/deployments/cd1"]);
    // A minimum cost: the A10G chain deployment's floor is 1.2072 $/h.
    let dearer = decide(Action::Deactivate, Some("1.5"));
    let plan = cleanup::plan(&f.hosts, &selectors(&["baseten:chains/c1"]), &dearer, now).await.unwrap();
    assert_eq!(
        kept(&plan, "baseten:chains/c1/deployments/cd1"),
        KeepReason::BelowCost { floor: dec("1.2072"), min: dec("1.5") }
    );
    // Applying each: the fakes end as the actions say, each journaled as done.
    for plan in [&stop, &deactivate] {
        let (report, done) = applied(&f.hosts, plan).await;
        assert!(done, "{:?}", report.unsuccessful);
    }
    let states: Vec<String> = f.baseten.billing(|b| {
        vec![b.job("p1", "j1").unwrap().status, b.chain_deployment("c1", "cd1").unwrap().status]
    });
    assert_eq!(states, ["TRAINING_JOB_STOPPED", "INACTIVE"]);
}

#[tokio::test]
async fn a_call_between_plan_and_apply_is_a_change_and_the_rest_is_scaled_to_zero() {
    let now = Utc::now();
    let f = fakes(now).await;
    let policy = Policy {
        keep_last: 0,
        idle_for: Some(Duration::from_secs(3 * 3_600)),
        action: Action::ScaleToZero,
        ..Policy::default()
    };
    let plan = cleanup::plan(&f.hosts, &selectors(&["baseten:m1", "replicate:deployments/*"]), &policy, now)
        .await
        .unwrap();
    assert_eq!(planned(&plan), ["baseten:m1/deployments/idle", "replicate:deployments/alice/warm"], "{plan}");
    // A call recorded after the plan was made, two hours ago.
    called(&f.replicate, "warm", now - chrono::Duration::hours(2));
    let (report, _) = applied(&f.hosts, &plan).await;
    assert_eq!(report.ended.get(&State::ScaledToZero), Some(&1), "{report:?}");
    let changed = &report.unsuccessful[0];
    assert_eq!(changed.outcome.state, State::Changed);
    assert_eq!(changed.outcome.reason.as_deref(), Some("changed since the plan: called 2 h ago"));
    assert_eq!(f.baseten.deployment("m1", "idle").unwrap().replicas.min, 0, "scaled to zero");
    assert_eq!(f.replicate.configuration("alice", "warm").min_instances, 1, "left as it was");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Whatever the prices and replicas, each target saves exactly its floor (replicas ×
    /// price × 60, in decimal) and the plan's total is the sum of its targets, to the cent
    /// and beyond.
    #[test]
    fn a_plans_savings_are_the_exact_sum_of_its_targets(
        rows in prop::collection::vec((1u32..5, 0u32..4, 0i64..100_000_000, 0u32..8), 1..6),
    ) {
        // Prices per minute as Baseten writes them: decimal numbers of up to 8 digits.
        let rows: Vec<(u32, u32, String)> =
            rows.into_iter().map(|(min, extra, units, scale)| (min, extra, Decimal::new(units, scale).to_string())).collect();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let baseten = BasetenServer::start().await;
            baseten.add_key(TOKEN, "team");
            let deployments = rows.iter().enumerate().map(|(i, (min, extra, _))| FakeDeployment {
                replicas: Replicas::new(min + extra, *min, min + extra),
                instance_type: Some(format!("T{i}")),
                ..FakeDeployment::new(&format!("d{i}"))
            });
            baseten.add_model_with("team", "m1", deployments.collect());
            baseten.billing(|b| {
                for (i, (_, _, price)) in rows.iter().enumerate() {
                    b.add_price(&format!("T{i}"), &format!("type {i}"), price);
                }
            });
            let hosts = common::hosts(TOKEN, &baseten.base_url, "http://127.0.0.1:9", DELAY);
            let policy = Policy { keep_last: 0, costing: true, action: Action::ScaleToZero, ..Policy::default() };
            let plan = cleanup::plan(&hosts, &selectors(&["baseten:m1"]), &policy, Utc::now()).await.unwrap();
            assert_eq!(plan.targets.len(), rows.len());
            let mut sum = Decimal::ZERO;
            for target in &plan.targets {
                let i: usize = target.reference.to_string().rsplit('d').next().unwrap().parse().unwrap();
                let (min, _, price) = &rows[i];
                let floor = Decimal::from(*min) * dec(price) * Decimal::from(60);
                assert_eq!(target.savings().per_hour_floor, Some(floor), "{}", target.reference);
                sum += floor;
            }
            let total = plan.savings()[&modelhost::Provider::Baseten];
            assert_eq!(total.per_hour_floor, Some(sum));
        });
    }
}

#[tokio::test]
async fn a_rule_deletes_idle_replicate_deployments_each_a_group_of_its_own() {
    let now = Utc::now();
    let f = fakes(now).await;
    let policy = Policy {
        keep_last: 0,
        idle_for: Some(Duration::from_secs(7 * 86_400)),
        costing: true,
        ..Policy::default()
    };
    let plan = cleanup::plan(&f.hosts, &selectors(&["replicate:deployments/*"]), &policy, now).await.unwrap();
    assert_eq!(planned(&plan), ["replicate:deployments/alice/warm"], "{plan}");
    assert_eq!(kept(&plan, "replicate:deployments/alice/cold"), KeepReason::NotCosting);
    let (report, done) = applied(&f.hosts, &plan).await;
    assert!(done, "{:?}", report.unsuccessful);
    assert!(!f.replicate.has_deployment("alice", "warm") && f.replicate.has_deployment("alice", "cold"));
}

#[tokio::test]
async fn under_a_day_baseten_calls_are_counted_to_the_minute() {
    let now = Utc::now();
    let f = fakes(now).await;
    let idle_for = |minutes: u64| Policy {
        keep_last: 0,
        idle_for: Some(Duration::from_secs(minutes * 60)),
        action: Action::ScaleToZero,
        ..Policy::default()
    };
    // `busy` was called today (the usage summary says no more than the day), half an hour
    // ago by its metrics: idle for 20 minutes, not for 3 hours.
    let plan = cleanup::plan(&f.hosts, &selectors(&["baseten:m1"]), &idle_for(180), now).await.unwrap();
    assert_eq!(
        kept(&plan, "baseten:m1/deployments/busy"),
        KeepReason::Called("1 time in the last 3 h".into())
    );
    let plan = cleanup::plan(&f.hosts, &selectors(&["baseten:m1"]), &idle_for(20), now).await.unwrap();
    assert_eq!(planned(&plan), ["baseten:m1/deployments/idle", "baseten:m1/deployments/busy"], "{plan}");
    let recent = plan.targets[1].facts.standing.as_ref().unwrap().recent.unwrap();
    assert_eq!(recent.requests, 0);
    assert_eq!(Plan::from_json(&plan.to_json()).unwrap(), plan, "the counts are facts the check decides on");
    // A request ten minutes ago: not idle any more, and apply says so.
    f.baseten.billing(|b| {
        b.add_requests("m1", "busy", &[(Utc::now() - chrono::Duration::minutes(10)).timestamp_millis()])
    });
    let (report, _) = applied(&f.hosts, &plan).await;
    let changed = &report.unsuccessful[0];
    assert_eq!(changed.outcome.target.to_string(), "baseten:m1/deployments/busy");
    assert_eq!(
        changed.outcome.reason.as_deref(),
        Some("changed since the plan: called 1 time in the last 20 min")
    );
    assert_eq!(report.ended.get(&State::ScaledToZero), Some(&1), "idle was scaled to zero");
    let metrics = f.baseten.gate.log().iter().filter(|(_, p)| p.contains("/metrics")).count();
    assert_eq!(metrics, 3, "only the deployment called today is counted, once a read");
}

#[tokio::test]
async fn what_the_key_may_not_read_the_calls_of_is_never_idle() {
    let now = Utc::now();
    let f = fakes(now).await;
    f.baseten.billing(|b| {
        b.usage_forbidden_for.insert(TOKEN.to_owned());
    });
    let policy = Policy {
        keep_last: 0,
        idle_for: Some(Duration::from_secs(7 * 86_400)),
        action: Action::ScaleToZero,
        ..Policy::default()
    };
    let plan = cleanup::plan(&f.hosts, &selectors(&["baseten:m1", "replicate:deployments/*"]), &policy, now)
        .await
        .unwrap();
    assert_eq!(planned(&plan), ["replicate:deployments/alice/warm"], "{plan}");
    assert_eq!(
        kept(&plan, "baseten:m1/deployments/idle"),
        KeepReason::CallsUnknown("its calls could not be read".into())
    );
    assert_eq!(
        kept(&plan, "baseten:m1/deployments/idle").to_string(),
        "never idle when its calls are unknown: its calls could not be read"
    );
}
