//! Cascade delete against a stateful local Replicate (asynchronous version deletion, the
//! guide's restrictions) and a recording Baseten.

use std::time::Duration;

use modelhost::{
    Baseten, CascadeOptions, ClientSettings, ConflictReason, Error, ModelHost, ModelRef, Replicate,
    RetryPolicy, Secret, State, Target,
};
use modelhost_tests::replicate_server::{FakeDeployment, FakeVersion, ReplicateServer};
use modelhost_tests::{Canned, Method, RecordingServer};
use serde_json::json;

const TOKEN: &str = "r8_owner_token";

fn host(base_url: &str) -> Replicate {
    let retry = RetryPolicy { base_delay: Duration::from_millis(5), ..RetryPolicy::default() };
    Replicate::new(&Secret::new(TOKEN).unwrap(), &ClientSettings::new(base_url)).unwrap().with_retry(retry)
}

fn quick() -> CascadeOptions {
    CascadeOptions { concurrency: 4, poll_interval: Duration::from_millis(50), ..CascadeOptions::default() }
}

fn versions(n: usize) -> Vec<FakeVersion> {
    (0..n).map(|i| FakeVersion::new(format!("v{i:03}"))).collect()
}

async fn replicate_with(model_versions: Vec<FakeVersion>, delay: Duration) -> ReplicateServer {
    let server = ReplicateServer::start(delay, 10).await;
    server.add_owner("alice", TOKEN);
    server.add_model("alice", "hello", false, model_versions);
    server
}

#[tokio::test]
async fn deletes_every_version_waits_for_them_to_go_then_deletes_the_model() {
    let server = replicate_with(versions(25), Duration::from_millis(300)).await;
    let model: ModelRef = "replicate:alice/hello".parse().unwrap();
    let report = host(&server.base_url).delete_model_cascade(&model, &quick()).await.unwrap();
    assert!(report.refused.is_empty(), "{:?}", report.refused);
    assert!(report.model_deleted());
    assert_eq!(report.deleted.len(), 26);
    assert!(
        report
            .deleted
            .iter()
            .filter(|d| matches!(d.target, Target::Version(_)))
            .all(|d| d.state == State::Accepted)
    );
    assert!(!server.has_model("alice", "hello"));
}

/// A deployment `alice/NAME` serving `version` of alice/hello.
fn serving(version: &str, idle: bool) -> FakeDeployment {
    FakeDeployment { model: ("alice".into(), "hello".into()), version: version.into(), release: 3, idle }
}

#[tokio::test]
async fn a_version_a_deployment_serves_is_refused_naming_it_and_never_attempted() {
    let server = replicate_with(versions(5), Duration::ZERO).await;
    server.add_deployment("alice", "hello-prod", serving("v002", false));
    let model: ModelRef = "replicate:alice/hello".parse().unwrap();
    for dry_run in [true, false] {
        let options = CascadeOptions { dry_run, ..quick() };
        let report = host(&server.base_url).delete_model_cascade(&model, &options).await.unwrap();
        assert_eq!(report.refused.len(), 2, "the version, and the model not attempted: {:?}", report.refused);
        let (target, error) = &report.refused[0];
        assert_eq!(target.to_string(), "replicate:alice/hello/versions/v002");
        assert!(matches!(error, Error::Conflict { reason: ConflictReason::VersionHasDeployment, .. }));
        let message = error.to_string();
        assert!(message.contains("replicate:deployments/alice/hello-prod (release 3)"), "{message}");
        assert!(message.contains("have the cascade delete deployments"), "says how to free it: {message}");
        assert!(report.plan.iter().all(|r| !r.to_string().contains("v002")), "{:?}", report.plan);
        assert_eq!(report.deleted.len(), if dry_run { 0 } else { 4 });
    }
    assert!(matches!(
        report_of(&server, &model).await.refused.last(),
        Some((Target::Model(_), Error::Conflict { reason: ConflictReason::ModelHasVersions, .. }))
    ));
    assert!(server.has_model("alice", "hello"));
}

async fn report_of(server: &ReplicateServer, model: &ModelRef) -> modelhost::CascadeReport {
    host(&server.base_url).delete_model_cascade(model, &quick()).await.unwrap()
}

#[tokio::test]
async fn asked_to_the_idle_deployment_goes_first_and_a_busy_one_is_reported() {
    let server = replicate_with(versions(3), Duration::ZERO).await;
    server.add_deployment("alice", "idle-one", serving("v000", true));
    server.add_deployment("alice", "busy-one", serving("v001", false));
    let model: ModelRef = "replicate:alice/hello".parse().unwrap();
    let options = CascadeOptions { delete_deployments: true, ..quick() };
    let dry = host(&server.base_url)
        .delete_model_cascade(&model, &CascadeOptions { dry_run: true, ..options.clone() })
        .await
        .unwrap();
    let plan: Vec<String> = dry.plan.iter().map(ToString::to_string).collect();
    assert_eq!(
        &plan[..2],
        ["DELETE replicate:deployments/alice/busy-one", "DELETE replicate:deployments/alice/idle-one"]
    );
    assert_eq!(plan.len(), 2 + 3 + 1, "{plan:?}");
    let report = host(&server.base_url).delete_model_cascade(&model, &options).await.unwrap();
    assert!(!server.has_deployment("alice", "idle-one") && server.has_deployment("alice", "busy-one"));
    let refused: Vec<String> = report.refused.iter().map(|(t, _)| t.to_string()).collect();
    assert_eq!(
        refused,
        [
            "replicate:deployments/alice/busy-one",
            "replicate:alice/hello/versions/v001",
            "replicate:alice/hello"
        ]
    );
    assert!(matches!(report.refused[0].1, Error::Conflict { reason: ConflictReason::DeploymentInUse, .. }));
    assert!(report.refused[1].1.to_string().contains("could not be deleted"), "{}", report.refused[1].1);
    let deleted: Vec<String> = report.deleted.iter().map(|d| d.target.to_string()).collect();
    assert_eq!(deleted.len(), 3, "the idle deployment and the two versions it no longer held: {deleted:?}");
    assert!(server.has_model("alice", "hello"));
}

#[tokio::test]
async fn a_version_another_is_overridden_to_use_is_refused_with_that_reason() {
    let mut vs = versions(2);
    vs[1].overridden_by = Some("v000".into());
    let server = replicate_with(vs, Duration::ZERO).await;
    let model: ModelRef = "replicate:alice/hello".parse().unwrap();
    let report = report_of(&server, &model).await;
    assert_eq!(report.refused[0].0.to_string(), "replicate:alice/hello/versions/v001");
    assert!(
        matches!(report.refused[0].1, Error::Conflict { reason: ConflictReason::VersionOverridden, .. }),
        "{:?}",
        report.refused
    );
}

#[tokio::test]
async fn a_refused_version_is_reported_and_the_model_is_left() {
    let mut vs = versions(5);
    vs[2].used_by_others = true;
    let server = replicate_with(vs, Duration::ZERO).await;
    let model: ModelRef = "replicate:alice/hello".parse().unwrap();
    let report = host(&server.base_url).delete_model_cascade(&model, &quick()).await.unwrap();
    assert_eq!(report.deleted.len(), 4);
    assert_eq!(report.refused.len(), 2, "the version, and the model not attempted: {:?}", report.refused);
    assert_eq!(report.refused[0].0.to_string(), "replicate:alice/hello/versions/v002");
    assert!(matches!(
        report.refused[0].1,
        Error::Conflict { reason: ConflictReason::VersionUsedByOthers, .. }
    ));
    assert!(matches!(
        &report.refused[1],
        (Target::Model(_), Error::Conflict { reason: ConflictReason::ModelHasVersions, .. })
    ));
    assert!(server.has_model("alice", "hello"));
}

#[tokio::test]
async fn a_dry_run_plans_every_delete_and_sends_none() {
    let server = replicate_with(versions(12), Duration::ZERO).await;
    let model: ModelRef = "replicate:alice/hello".parse().unwrap();
    let options = CascadeOptions { dry_run: true, ..quick() };
    let report = host(&server.base_url).delete_model_cascade(&model, &options).await.unwrap();
    assert!(report.deleted.is_empty() && report.refused.is_empty());
    let plan: Vec<String> = report.plan.iter().map(ToString::to_string).collect();
    assert_eq!(plan.len(), 13);
    assert_eq!(plan[0], "DELETE replicate:alice/hello/versions/v000");
    assert_eq!(plan[12], "DELETE replicate:alice/hello");
    assert_eq!(server.requests(), 3, "only the two pages of versions and one of deployments were read");
    assert_eq!(server.gate.changes(), Vec::<String>::new(), "reads only, by method");
    assert!(server.has_model("alice", "hello"));
}

#[tokio::test]
async fn versions_that_never_go_away_end_in_a_reported_timeout() {
    let server = replicate_with(versions(3), Duration::from_secs(3600)).await;
    let model: ModelRef = "replicate:alice/hello".parse().unwrap();
    let options = CascadeOptions { settle_timeout: Duration::from_millis(300), ..quick() };
    let report = host(&server.base_url).delete_model_cascade(&model, &options).await.unwrap();
    assert_eq!(report.deleted.len(), 3);
    let (target, err) = &report.refused[0];
    assert!(matches!(target, Target::Model(_)));
    assert!(err.to_string().contains("3 version(s) still listed"), "{err}");
}

#[tokio::test]
async fn someone_elses_public_model_is_refused_not_skipped() {
    let server = ReplicateServer::start(Duration::ZERO, 10).await;
    server.add_owner("alice", TOKEN);
    server.add_model("bob", "theirs", true, versions(1));
    let model: ModelRef = "replicate:bob/theirs".parse().unwrap();
    let report = host(&server.base_url).delete_model_cascade(&model, &quick()).await.unwrap();
    assert!(matches!(report.refused[0].1, Error::PermissionDenied { .. }), "{:?}", report.refused);
    assert!(server.has_model("bob", "theirs"));
}

#[tokio::test]
async fn someone_elses_private_model_is_not_found() {
    let server = ReplicateServer::start(Duration::ZERO, 10).await;
    server.add_owner("alice", TOKEN);
    server.add_model("bob", "secret", false, versions(1));
    let model: ModelRef = "replicate:bob/secret".parse().unwrap();
    let err = host(&server.base_url).delete_model_cascade(&model, &quick()).await.unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    assert!(server.has_model("bob", "secret"));
}

#[tokio::test]
async fn on_baseten_one_model_delete_does_it_and_the_report_says_so() {
    let server = RecordingServer::start([(
        Method::DELETE,
        "/v1/models/m1",
        Canned::json(200, json!({"id": "m1", "deleted": true})),
    )])
    .await;
    let host = Baseten::new(&Secret::new("k").unwrap(), &ClientSettings::new(&server.base_url)).unwrap();
    let model: ModelRef = "baseten:m1".parse().unwrap();
    let report = host.delete_model_cascade(&model, &CascadeOptions::default()).await.unwrap();
    assert!(report.model_deleted());
    assert!(report.notes[0].contains("deletes a model's versions with it"), "{:?}", report.notes);
    assert_eq!(server.recorded().len(), 1, "no deployment was listed or deleted one by one");
}

/// Everything an observer was told, as lines.
#[derive(Default)]
struct Recorder(std::sync::Mutex<Vec<String>>);

impl modelhost::Observer for Recorder {
    fn observe(&self, event: &modelhost::Event<'_>) {
        let line = match event {
            modelhost::Event::Planned { targets } => format!("planned {targets}"),
            modelhost::Event::Deleted(d) => format!("deleted {}", d.target),
            modelhost::Event::Refused { target, .. } => format!("refused {target}"),
            modelhost::Event::RateLimited { provider, .. } => format!("rate limited by {provider}"),
            other => format!("{other:?}"),
        };
        self.0.lock().unwrap().push(line);
    }
}

#[tokio::test]
async fn an_observer_sees_the_plan_each_target_and_each_rate_limit_as_they_happen() {
    let server = replicate_with(versions(6), Duration::ZERO).await;
    server.add_deployment("alice", "prod", serving("v002", false));
    server.limit_rate(3);
    let recorder = std::sync::Arc::new(Recorder::default());
    let host = host(&server.base_url).with_observer(recorder.clone());
    let model: ModelRef = "replicate:alice/hello".parse().unwrap();
    let report = host.delete_model_cascade(&model, &quick()).await.unwrap();
    let seen = recorder.0.lock().unwrap().clone();
    // Five versions to delete, one held (refused before the plan), the model not attempted.
    assert_eq!(seen.iter().filter(|l| l.starts_with("planned")).collect::<Vec<_>>(), ["planned 7"]);
    let targets: Vec<&String> =
        seen.iter().filter(|l| l.starts_with("deleted") || l.starts_with("refused")).collect();
    assert_eq!(targets.len(), 7, "{seen:?}");
    assert_eq!(targets.len(), report.deleted.len() + report.refused.len());
    assert!(seen.contains(&"refused replicate:alice/hello/versions/v002".to_owned()), "{seen:?}");
    assert!(seen.contains(&"refused replicate:alice/hello".to_owned()), "{seen:?}");
    assert_eq!(
        seen.iter().filter(|l| *l == "rate limited by replicate").count(),
        server.throttled(),
        "each 429 is reported once: {seen:?}"
    );
    assert!(server.throttled() > 0);
}
