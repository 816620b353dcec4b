//! Cascade delete against a stateful local Replicate (asynchronous version deletion, the
//! guide's restrictions) and a recording Baseten.

use std::time::Duration;

use modelhost::{
    Baseten, CascadeOptions, ClientSettings, ConflictReason, DeleteState, Error, ModelRef, Replicate,
    RetryPolicy, Secret, Target, delete_model_cascade,
};
use modelhost_tests::replicate_server::{FakeVersion, ReplicateServer};
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
    let report = delete_model_cascade(&host(&server.base_url), &model, &quick()).await.unwrap();
    assert!(report.refused.is_empty(), "{:?}", report.refused);
    assert!(report.model_deleted());
    assert_eq!(report.deleted.len(), 26);
    assert!(
        report
            .deleted
            .iter()
            .filter(|d| matches!(d.target, Target::Version(_)))
            .all(|d| d.state == DeleteState::Accepted)
    );
    assert!(!server.has_model("alice", "hello"));
}

#[tokio::test]
async fn a_refused_version_is_reported_and_the_model_is_left() {
    let mut vs = versions(5);
    vs[2].has_deployment = true;
    let server = replicate_with(vs, Duration::ZERO).await;
    let model: ModelRef = "replicate:alice/hello".parse().unwrap();
    let report = delete_model_cascade(&host(&server.base_url), &model, &quick()).await.unwrap();
    assert_eq!(report.deleted.len(), 4);
    assert_eq!(report.refused.len(), 2, "the version, and the model not attempted: {:?}", report.refused);
    assert_eq!(report.refused[0].0.to_string(), "replicate:alice/hello/versions/v002");
    assert!(matches!(
        report.refused[0].1,
        Error::Conflict { reason: ConflictReason::VersionHasDeployment, .. }
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
    let report = delete_model_cascade(&host(&server.base_url), &model, &options).await.unwrap();
    assert!(report.deleted.is_empty() && report.refused.is_empty());
    let plan: Vec<String> = report.plan.iter().map(ToString::to_string).collect();
    assert_eq!(plan.len(), 13);
    assert_eq!(plan[0], "DELETE replicate:alice/hello/versions/v000");
    assert_eq!(plan[12], "DELETE replicate:alice/hello");
    assert_eq!(server.requests(), 2, "only the two pages of the version list were read");
    assert!(server.has_model("alice", "hello"));
}

#[tokio::test]
async fn versions_that_never_go_away_end_in_a_reported_timeout() {
    let server = replicate_with(versions(3), Duration::from_secs(3600)).await;
    let model: ModelRef = "replicate:alice/hello".parse().unwrap();
    let options = CascadeOptions { settle_timeout: Duration::from_millis(300), ..quick() };
    let report = delete_model_cascade(&host(&server.base_url), &model, &options).await.unwrap();
    assert_eq!(report.deleted.len(), 3);
    let (target, err) = &report.refused[0];
    assert!(matches!(target, Target::Model(_)));
    assert!(err.to_string().contains("3 version(s) still listed"), "{err}");
}

#[tokio::test]
async fn someone_elses_model_is_refused_not_skipped() {
    let server = ReplicateServer::start(Duration::ZERO, 10).await;
    server.add_owner("alice", TOKEN);
    server.add_model("bob", "theirs", false, versions(1));
    let model: ModelRef = "replicate:bob/theirs".parse().unwrap();
    let report = delete_model_cascade(&host(&server.base_url), &model, &quick()).await.unwrap();
    assert!(matches!(report.refused[0].1, Error::PermissionDenied { .. }), "{:?}", report.refused);
    assert!(server.has_model("bob", "theirs"));
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
    let report = delete_model_cascade(&host, &model, &CascadeOptions::default()).await.unwrap();
    assert!(report.model_deleted());
    assert!(report.notes[0].contains("deletes a model's versions with it"), "{:?}", report.notes);
    assert_eq!(server.recorded().len(), 1, "no deployment was listed or deleted one by one");
}
