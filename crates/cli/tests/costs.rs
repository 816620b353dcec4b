//! `modelhost costs`, `scale-to-zero`, `deactivate`, `stop` and `delete` on the new kinds,
//! end to end: the built binary against the stateful fakes on 127.0.0.1.

use std::process::{Output, Stdio};
use std::time::Duration;

use modelhost_tests::baseten_server::billable::{
    FakeChainDeployment, FakeChainlet, FakeDay, FakeJob, FakeUsage, Replicas,
};
use modelhost_tests::baseten_server::{BasetenServer, FakeDeployment};
use modelhost_tests::replicate_server::{
    Configuration, FakeDeployment as Served, FakePrediction, ReplicateServer,
};

const BASETEN_KEY: &str = "bt-costs-key";
const REPLICATE_TOKEN: &str = "r8_costs_token";

/// A day `n` days before today (UTC), as `YYYY-MM-DD`.
fn days_ago(n: u64) -> String {
    (chrono::Utc::now().date_naive() - chrono::Days::new(n)).to_string()
}

struct Fakes {
    baseten: BasetenServer,
    replicate: ReplicateServer,
}

impl Fakes {
    async fn start() -> Self {
        let baseten = BasetenServer::start().await;
        baseten.add_key(BASETEN_KEY, "ws");
        let up = |id: &str, replicas, instance: &str| FakeDeployment {
            replicas,
            instance_type: Some(instance.into()),
            ..FakeDeployment::new(id)
        };
        baseten.add_model_with(
            "ws",
            "m1",
            vec![
                FakeDeployment { is_production: true, ..up("prod", Replicas::new(2, 1, 3), "A10G:1x4x16") },
                up("old", Replicas::new(0, 0, 1), "A10G:1x4x16"),
                up("odd", Replicas::new(1, 1, 1), "Mystery GPU"),
            ],
        );
        baseten.billing(|b| {
            b.add_price("A10G:1x4x16", "A10G 1x", "0.02012");
            b.add_price("H100:1x", "H100 80GB", "0.10833");
            b.add_chain(
                "ws",
                "c1",
                vec![FakeChainDeployment {
                    id: "cd1".into(),
                    status: "ACTIVE".into(),
                    chainlets: vec![FakeChainlet {
                        id: "l1".into(),
                        instance_type: "A10G 1x".into(),
                        replicas: Replicas::new(1, 1, 2),
                    }],
                }],
            );
            b.add_project(
                "ws",
                "p1",
                vec![FakeJob {
                    id: "j1".into(),
                    status: "TRAINING_JOB_RUNNING".into(),
                    instance_type: "H100:1x".into(),
                }],
            );
            let day =
                FakeDay { date: days_ago(2), minutes: 600, subtotal: "\"12.07\"".into(), requests: 1500 };
            b.add_usage(FakeUsage {
                kind: "MODEL_DEPLOYMENT",
                id: "prod".into(),
                chain: None,
                days: vec![day],
            });
        });
        let replicate = ReplicateServer::start(Duration::from_millis(10), 10).await;
        replicate.add_owner("alice", REPLICATE_TOKEN);
        let served =
            Served { model: ("alice".into(), "hello".into()), version: "v1".into(), release: 1, idle: false };
        replicate.add_deployment("alice", "hello-prod", served);
        let configuration = Configuration { hardware: "gpu-t4".into(), min_instances: 1, max_instances: 2 };
        replicate.configure_deployment("alice", "hello-prod", configuration);
        let at = format!("{}T10:00:00Z", days_ago(1));
        let prediction = FakePrediction {
            deployment: Some("alice/hello-prod".into()),
            created_at: at,
            predict_time: Some("40".into()),
        };
        replicate.add_prediction("alice", prediction);
        Self { baseten, replicate }
    }

    async fn run(&self, args: &[&str]) -> Output {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_modelhost"));
        command
            .args(args)
            .env("BASETEN_API_KEY", BASETEN_KEY)
            .env("BASETEN_BASE_URL", &self.baseten.base_url)
            .env("REPLICATE_API_TOKEN", REPLICATE_TOKEN)
            .env("REPLICATE_BASE_URL", &self.replicate.base_url)
            .env_remove("MODELHOST_PRICES")
            .stdin(Stdio::null());
        tokio::task::spawn_blocking(move || command.output().expect("modelhost runs")).await.unwrap()
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test]
async fn costs_lists_what_costs_money_first_and_counts_the_rest() {
    let fakes = Fakes::start().await;
    let output = fakes.run(&["costs"]).await;
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}{}", String::from_utf8_lossy(&output.stderr));
    let rows: Vec<&str> = text.lines().skip(1).take_while(|l| !l.is_empty()).collect();
    let order: Vec<&str> = rows.iter().map(|r| r.split_whitespace().next().unwrap()).collect();
    assert_eq!(
        order,
        [
            "baseten:training/p1/jobs/j1",
            "baseten:m1/deployments/prod",
            "baseten:chains/c1/deployments/cd1",
            "replicate:deployments/alice/hello-prod",
            "baseten:m1/deployments/odd",
        ],
        "{text}"
    );
    assert!(rows[1].contains("$2.41") && rows[1].contains("$1.21") && rows[1].contains("$12.07"), "{text}");
    assert!(
        rows[3].contains("unknown") && rows[3].contains("$0.81"),
        "now is unknown, the floor priced: {text}"
    );
    assert!(rows[4].contains("unknown"), "an unknown price is unknown: {text}");
    assert!(text.contains("1 more cost nothing now (--all lists them)"), "{text}");
    assert!(text.contains("baseten: $10.12/h now"), "{text}");
    assert!(text.contains("(1 resource with unknown figures, not counted)"), "{text}");
    assert!(text.contains("prices: replicate: https://replicate.com/pricing (read 2026-12-01)"), "{text}");
    assert!(text.contains("/v1/instance_type_prices (read now)"), "{text}");
    assert!(fakes.baseten.gate.log().iter().all(|(m, _)| m == modelhost_tests::Method::GET), "reads only");

    let all = stdout(&fakes.run(&["costs", "--all"]).await);
    assert!(all.contains("baseten:m1/deployments/old"), "{all}");
}

#[tokio::test]
async fn costs_as_json_keeps_money_exact_and_unknown_null() {
    let fakes = Fakes::start().await;
    let output = fakes.run(&["costs", "baseten:*", "replicate:deployments/*", "--output", "json"]).await;
    assert_eq!(output.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!((doc["layout"].as_u64(), doc["currency"].as_str()), (Some(1), Some("USD")));
    let resources = doc["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 4, "baseten:* is the models' deployments, and the Replicate deployment");
    let find = |r: &str| resources.iter().find(|x| x["reference"] == r).unwrap();
    let prod = find("baseten:m1/deployments/prod");
    assert_eq!(prod["kind"], "model_deployment");
    assert_eq!(prod["cost_per_hour"]["now"], "2.41440");
    assert_eq!(prod["price"]["source"], "baseten api (id)");
    assert_eq!(prod["replicas"], serde_json::json!({"active": 2, "min": 1, "max": 3}));
    assert_eq!(prod["requests_30d"], 1500);
    let odd = find("baseten:m1/deployments/odd");
    assert!(odd["price"].is_null() && odd["cost_per_hour"]["now"].is_null(), "{odd}");
    let hello = find("replicate:deployments/alice/hello-prod");
    assert_eq!(
        (hello["kind"].as_str(), hello["cost_per_hour"]["floor"].as_str()),
        (Some("replicate_deployment"), Some("0.810000"))
    );
    assert_eq!(hello["spend_30d"], "0.009000", "40 s of predict_time × $0.000225");
    assert_eq!(doc["totals"]["baseten"]["spend_30d"], "12.07");
}

#[tokio::test]
async fn a_key_without_billing_access_gets_the_rest_and_is_told_what_is_missing() {
    let fakes = Fakes::start().await;
    fakes.baseten.billing(|b| {
        b.usage_forbidden_for.insert(BASETEN_KEY.to_owned());
    });
    let output = fakes.run(&["costs", "baseten:*"]).await;
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("baseten:m1/deployments/prod"), "{text}");
    assert!(
        text.contains("unknown: baseten spend and requests: baseten: not allowed: the usage summary"),
        "{text}"
    );
}

#[tokio::test]
async fn a_price_file_overrides_the_table_and_a_bad_one_sends_nothing() {
    let fakes = Fakes::start().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("prices.toml");
    std::fs::write(
        &file,
        "source = \"our contract\"\nread = \"2026-11-30\"\n[usd_per_second]\ngpu-t4 = \"0.0001\"\n",
    )
    .unwrap();
    let output = fakes.run(&["costs", "replicate:deployments/*", "--prices", file.to_str().unwrap()]).await;
    let text = stdout(&output);
    assert!(
        text.contains("$0.36") && text.contains("prices: replicate: our contract (read 2026-11-30)"),
        "{text}"
    );
    std::fs::write(&file, "source = \"x\"\n[usd_per_second]\ngpu-t4 = -1\n").unwrap();
    let before = fakes.replicate.requests();
    let output = fakes.run(&["costs", "--prices", file.to_str().unwrap()]).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not a price file"));
    assert_eq!(fakes.replicate.requests(), before, "nothing sent");
}

#[tokio::test]
async fn scale_to_zero_deactivate_stop_and_delete_each_kind() {
    let fakes = Fakes::start().await;
    let output = fakes
        .run(&[
            "scale-to-zero",
            "--yes",
            "baseten:m1/deployments/prod",
            "replicate:deployments/alice/hello-prod",
        ])
        .await;
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains("baseten:m1/deployments/prod: scaled to zero") && text.contains("2 scaled to zero"),
        "{text}"
    );
    assert_eq!(fakes.baseten.deployment("m1", "prod").unwrap().replicas.min, 0);
    assert_eq!(fakes.replicate.configuration("alice", "hello-prod").min_instances, 0);

    let output =
        fakes.run(&["deactivate", "--yes", "--output", "json", "baseten:chains/c1/deployments/cd1"]).await;
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(doc["targets"][0]["state"], "deactivated", "{doc}");
    let output = fakes.run(&["stop", "--yes", "baseten:training/p1/jobs/j1"]).await;
    assert!(stdout(&output).contains("stopped"), "{}", stdout(&output));
    let output = fakes.run(&["delete", "--yes", "baseten:training/p1", "baseten:chains/c1"]).await;
    assert!(stdout(&output).contains("2 deleted"), "{}", stdout(&output));

    let output = fakes.run(&["stop", "--yes", "replicate:deployments/alice/hello-prod"]).await;
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("replicate cannot stop a deployment"), "{}", stdout(&output));
    let output = fakes.run(&["scale-to-zero", "baseten:m1/deployments/old"]).await;
    assert_eq!(output.status.code(), Some(2), "no terminal and no --yes: nothing sent");
}

/// The issue's policy file, for these fakes: scale to zero what is idle and costing (the
/// production deployment included), keep one deployment by name, at most one action a run.
const POLICY: &str = r#"
max_actions = 1
[accounts]
baseten = "ws"
replicate = "alice"
[[rules]]
name = "idle-models"
selectors = ["baseten:*"]
idle_for = "1d"
costing = true
keep_last = 0
include_production = true
action = "scale-to-zero"
[[rules]]
name = "idle-replicate"
selectors = ["replicate:deployments/*"]
idle_for = "12h"
costing = true
action = "scale-to-zero"
[[rules]]
name = "keep-odd"
selectors = ["baseten:m1/deployments/odd"]
action = "keep"
"#;

#[tokio::test]
async fn a_cost_clean_up_by_policy_file_is_planned_shown_and_applied_within_max_actions() {
    let fakes = Fakes::start().await;
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.toml");
    std::fs::write(&policy, POLICY).unwrap();
    let plan = dir.path().join("plan.json");
    let (policy, plan) = (policy.to_str().unwrap(), plan.to_str().unwrap());
    let output = fakes.run(&["prune", "--policy", policy, "--plan", plan]).await;
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        text.contains("  SCALE-TO-ZERO baseten:m1/deployments/prod (created 2026-07-01T12:00:00+00:00, ACTIVE) [rule idle-models]: saves $1.21/h now, $1.21/h at the floor ($869.18 a month)\n"),
        "{text}"
    );
    assert!(text.contains("replicate:deployments\n  SCALE-TO-ZERO replicate:deployments/alice/hello-prod [rule idle-replicate]: saves unknown/h now, $0.81/h at the floor ($583.20 a month)\n"), "{text}");
    assert!(text.contains("  baseten:m1/deployments/odd: kept by the rule `keep-odd`\n"), "{text}");
    assert!(
        text.contains(
            "  baseten:m1/deployments/old: already scaled to zero: its floor is $0/h [rule idle-models]\n"
        ),
        "{text}"
    );
    let changes = |f: &Fakes| (f.baseten.gate.changes(), f.replicate.gate.changes());
    assert_eq!(changes(&fakes), (vec![], vec![]), "planning only reads");

    let shown = stdout(&fakes.run(&["show", plan]).await);
    assert!(shown.contains("  file      policy file sha256 "), "{shown}");
    assert!(shown.contains("  limit     at most 1 actions an apply\n"), "{shown}");
    assert!(shown.contains("  rule      keep-odd: keep on baseten:m1/deployments/odd\n"), "{shown}");
    assert!(
        shown.contains("  rule      idle-replicate: keep each model's newest version; only what nobody called for 12 hours; only what costs money while it stands; scale to zero on replicate:deployments/*\n"),
        "{shown}"
    );

    // max_actions = 1: one run scales one; the next, the other.
    let first = fakes.run(&["apply", "--yes", plan]).await;
    assert_eq!(first.status.code(), Some(1), "{}", stdout(&first));
    assert!(
        stdout(&first).contains("1 not started: the most actions one apply may send were sent"),
        "{}",
        stdout(&first)
    );
    let second = fakes.run(&["apply", "--yes", plan]).await;
    assert_eq!(second.status.code(), Some(0), "{}", stdout(&second));
    assert_eq!(fakes.baseten.deployment("m1", "prod").unwrap().replicas.min, 0);
    assert_eq!(fakes.replicate.configuration("alice", "hello-prod").min_instances, 0);
    assert_eq!(fakes.baseten.deployment("m1", "odd").unwrap().replicas.min, 1, "kept");
}

#[tokio::test]
async fn a_policy_file_for_another_account_or_with_an_unknown_key_is_refused() {
    let fakes = Fakes::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("policy.toml");
    let file = path.to_str().unwrap();
    std::fs::write(&path, POLICY.replace("baseten = \"ws\"", "baseten = \"ws-prod\"")).unwrap();
    let output = fakes.run(&["prune", "--policy", file]).await;
    let err = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(
        err.contains("the policy is for baseten account `ws-prod`; the token is for baseten workspace `ws`"),
        "{err}"
    );
    let sent: Vec<String> = fakes.baseten.gate.log().into_iter().map(|(m, p)| format!("{m} {p}")).collect();
    assert_eq!(sent, ["GET /v1/users/me"], "nothing listed");

    std::fs::write(&path, POLICY.replace("costing = true\nkeep_last", "costly = true\nkeep_last")).unwrap();
    let output = fakes.run(&["prune", "--policy", file]).await;
    let err = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("line 10") && err.contains("costly"), "{err}");
    let both = fakes.run(&["prune", "--policy", file, "baseten:*"]).await;
    assert_eq!(both.status.code(), Some(2), "a file and selectors are exclusive");
}

#[test]
fn the_example_policy_file_parses() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/cleanup-policy.toml");
    let file = modelhost::cleanup::PolicyFile::read(std::path::Path::new(path)).unwrap();
    assert!(file.rules.iter().any(|r| r.keep), "it shows a keep rule");
}
