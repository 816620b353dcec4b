//! One conformance suite, run through the `ModelHost` trait against a stateful local server
//! of each provider: the same scenarios must hold for both.

use std::sync::Arc;
use std::time::Duration;

use modelhost::{
    Action, Baseten, CascadeOptions, ClientSettings, ConflictReason, DeleteOptions, Error, ModelHost,
    ModelParts, ModelRef, Replicate, RetryPolicy, Secret, State, VersionRef,
};
use modelhost_tests::baseten_server::BasetenServer;
use modelhost_tests::replicate_server::{FakeDeployment, FakeVersion, ReplicateServer};

const TOKEN: &str = "conformance-owner-token";

enum Server {
    Baseten(BasetenServer),
    Replicate(ReplicateServer),
}

/// A provider set up the same way: an owned model with three versions (on Baseten the first
/// is production; on Replicate a deployment serves the first), a host with the owner's token
/// and one with a token nobody has.
struct World {
    host: Arc<dyn ModelHost>,
    stranger: Arc<dyn ModelHost>,
    model: ModelRef,
    deletable: VersionRef,
    /// A version that cannot be deleted on its own: Baseten's production deployment, a
    /// Replicate version a deployment serves.
    held: VersionRef,
    other_provider_model: ModelRef,
    server: Server,
}

impl World {
    fn requests(&self) -> usize {
        match &self.server {
            Server::Baseten(s) => s.requests(),
            Server::Replicate(s) => s.requests(),
        }
    }

    fn limit_rate(&self, per_second: u32) {
        match &self.server {
            Server::Baseten(s) => s.limit_rate(per_second),
            Server::Replicate(s) => s.limit_rate(per_second),
        }
    }

    fn throttled(&self) -> usize {
        match &self.server {
            Server::Baseten(s) => s.throttled(),
            Server::Replicate(s) => s.throttled(),
        }
    }

    fn model_exists(&self) -> bool {
        match (&self.server, self.model.parts()) {
            (Server::Baseten(s), ModelParts::Baseten { model_id }) => s.has_model(model_id),
            (Server::Replicate(s), ModelParts::Replicate { owner, name }) => s.has_model(owner, name),
            _ => unreachable!("each world's model is on its own provider"),
        }
    }
}

fn retry() -> RetryPolicy {
    RetryPolicy { base_delay: Duration::from_millis(5), ..RetryPolicy::default() }
}

fn settings(base_url: &str) -> ClientSettings {
    ClientSettings::new(base_url)
}

async fn baseten_world() -> World {
    let server = BasetenServer::start().await;
    server.add_key(TOKEN, "team-a");
    server.add_model("team-a", "m1", &["prod1", "dev2", "old3"]);
    let host = |token: &str| {
        Baseten::new(&Secret::new(token).unwrap(), &settings(&server.base_url)).unwrap().with_retry(retry())
    };
    World {
        host: Arc::new(host(TOKEN)),
        stranger: Arc::new(host("nobody-has-this-key")),
        model: "baseten:m1".parse().unwrap(),
        deletable: "baseten:m1/deployments/dev2".parse().unwrap(),
        held: "baseten:m1/deployments/prod1".parse().unwrap(),
        other_provider_model: "replicate:alice/hello".parse().unwrap(),
        server: Server::Baseten(server),
    }
}

async fn replicate_world() -> World {
    let server = ReplicateServer::start(Duration::from_millis(100), 2).await;
    server.add_owner("alice", TOKEN);
    server.add_model("alice", "hello", false, ["v3", "v2", "v1"].into_iter().map(FakeVersion::new).collect());
    let serving_v3 = FakeDeployment {
        model: ("alice".into(), "hello".into()),
        version: "v3".into(),
        release: 1,
        idle: true,
    };
    server.add_deployment("alice", "hello-prod", serving_v3);
    let host = |token: &str| {
        Replicate::new(&Secret::new(token).unwrap(), &settings(&server.base_url)).unwrap().with_retry(retry())
    };
    World {
        host: Arc::new(host(TOKEN)),
        stranger: Arc::new(host("nobody-has-this-token")),
        model: "replicate:alice/hello".parse().unwrap(),
        deletable: "replicate:alice/hello/versions/v2".parse().unwrap(),
        held: "replicate:alice/hello/versions/v3".parse().unwrap(),
        other_provider_model: "baseten:m1".parse().unwrap(),
        server: Server::Replicate(server),
    }
}

fn missing_version(w: &World) -> VersionRef {
    w.model.version("doesnotexist").unwrap()
}

async fn lists_every_version(w: World) {
    let listed = w.host.list_versions(&w.model).await.unwrap();
    assert_eq!(listed.len(), 3);
    assert!(listed.iter().all(|v| v.version.model() == &w.model));
}

async fn deletes_a_version_and_says_whether_it_is_done(w: World) {
    let deleted = w.host.delete_version(&w.deletable, &DeleteOptions::default()).await.unwrap();
    assert_eq!(deleted.target.to_string(), w.deletable.to_string());
    assert!(matches!(deleted.state, State::Deleted | State::Accepted), "{deleted:?}");
}

async fn a_held_version_is_refused_with_why_and_kept(w: World) {
    let err = w.host.delete_version(&w.held, &DeleteOptions::default()).await.unwrap_err();
    let Error::Conflict { reason, detail, .. } = &err else { panic!("{err:?}") };
    assert!(
        matches!(reason, ConflictReason::ProductionDeployment | ConflictReason::VersionHasDeployment),
        "{err:?}"
    );
    assert!(detail.is_some(), "the provider's words are kept");
    let listed = w.host.list_versions(&w.model).await.unwrap();
    assert!(listed.iter().any(|v| v.version == w.held));
}

async fn a_missing_version_is_not_found_unless_missing_ok(w: World) {
    let err = w.host.delete_version(&missing_version(&w), &DeleteOptions::default()).await.unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    let deleted =
        w.host.delete_version(&missing_version(&w), &DeleteOptions { missing_ok: true }).await.unwrap();
    assert_eq!(deleted.state, State::Absent);
}

async fn an_unknown_token_is_unauthenticated(w: World) {
    let err = w.stranger.delete_model(&w.model, &DeleteOptions::default()).await.unwrap_err();
    assert!(matches!(err, Error::Unauthenticated { .. }), "{err:?}");
    assert!(w.model_exists());
}

async fn cascade_deletes_the_model_then_it_is_gone(w: World) {
    // What holds a version goes first (Replicate's idle deployment; nothing on Baseten).
    let options = CascadeOptions {
        poll_interval: Duration::from_millis(20),
        delete_deployments: true,
        ..CascadeOptions::default()
    };
    let report = w.host.as_ref().delete_model_cascade(&w.model, &options).await.unwrap();
    assert!(report.refused.is_empty(), "{:?}", report.refused);
    assert!(report.model_deleted() && !w.model_exists());
    let err = w.host.delete_model(&w.model, &DeleteOptions::default()).await.unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
}

async fn a_dry_run_changes_nothing(w: World) {
    let options = CascadeOptions { dry_run: true, ..CascadeOptions::default() };
    let report = w.host.as_ref().delete_model_cascade(&w.model, &options).await.unwrap();
    assert!(report.deleted.is_empty() && !report.plan.is_empty());
    assert!(report.plan.iter().all(|r| r.action == Action::Delete));
    assert!(w.model_exists());
    assert_eq!(w.host.list_versions(&w.model).await.unwrap().len(), 3);
}

async fn bad_references_reach_no_server(w: World) {
    for text in
        ["baseten:../m1", "replicate:alice/../bob", "baseten:m1/deployments/a%2Fb", "replicate:alice/hello?x"]
    {
        assert!(text.parse::<ModelRef>().is_err() && text.parse::<VersionRef>().is_err(), "{text}");
    }
    let err = w.host.delete_model(&w.other_provider_model, &DeleteOptions::default()).await.unwrap_err();
    assert!(matches!(err, Error::WrongProvider { .. }), "{err:?}");
    assert_eq!(w.requests(), 0, "a request reached the server");
}

/// Beyond the provider's rate limit, each provider's 429 (Baseten's `retry_after` in the
/// body, Replicate's `Retry-After` header) is waited out, and the shared gate keeps the
/// other requests from running into the limit together: six concurrent listings all succeed.
async fn rate_limited_requests_wait_and_succeed(w: World) {
    w.limit_rate(2);
    let started = std::time::Instant::now();
    let lists = (0..6).map(|_| w.host.list_versions(&w.model));
    for listed in futures::future::join_all(lists).await {
        assert_eq!(listed.unwrap().len(), 3);
    }
    assert!(w.throttled() >= 1, "the limit was never reached");
    // After a 429 one request goes first and the others follow as requests succeed, instead
    // of all running into the limit again at once: fewer 429s than requests (twelve on
    // Replicate, whose pages hold two versions; releasing everyone at once gave about 20).
    assert!(w.throttled() <= 12, "{} requests were throttled: a herd", w.throttled());
    // Six lists at two requests a second take at least one more window.
    assert!(started.elapsed() >= Duration::from_secs(1), "{:?}", started.elapsed());
}

/// `Capabilities` is each host's one statement of what it does beyond the common interface,
/// and it is true: an optional operation answers `Unsupported` exactly where its flag is off,
/// holders exist only where deployments hold versions, and a version delete is accepted
/// (finishing later) only where it is asynchronous.
async fn capabilities_say_what_the_host_does(w: World) {
    let can = w.host.capabilities();
    let listed = w.host.list_models().await;
    assert_eq!(can.lists_models, !matches!(listed, Err(Error::Unsupported { .. })), "{listed:?}");
    let held = w.host.holders(&w.model).await.unwrap();
    assert_eq!(can.deployments_hold_versions, !held.is_empty(), "{held:?}");
    let deactivated = w.host.deactivate_version(&w.deletable).await;
    let refused = matches!(deactivated, Err(Error::Unsupported { .. }));
    assert_eq!(can.deactivates_versions, !refused, "{deactivated:?}");
    let deleted = w.host.delete_version(&w.deletable, &DeleteOptions::default()).await.unwrap();
    assert_eq!(can.version_delete_is_async, deleted.state == State::Accepted, "{deleted:?}");
}

/// `supports` is the one statement of which actions each kind takes: what it denies answers
/// `Unsupported` (or another provider's) without a request, what it allows reaches the
/// server (the names do not exist, so nothing changes).
async fn supports_says_which_action_each_kind_takes(w: World) {
    let targets = [
        "baseten:nope1",
        "baseten:nope1/deployments/nope2",
        "baseten:chains/nope1",
        "baseten:chains/nope1/deployments/nope2",
        "baseten:training/nope1",
        "baseten:training/nope1/jobs/nope2",
        "replicate:alice/nope",
        "replicate:alice/nope/versions/nope2",
        "replicate:deployments/alice/nope",
    ];
    let mut allowed = 0;
    for text in targets {
        let target: modelhost::Target = text.parse().unwrap();
        for action in [Action::Delete, Action::Deactivate, Action::ScaleToZero, Action::Stop] {
            let before = w.requests();
            let result = w.host.perform(target.clone(), action, &DeleteOptions::default()).await;
            let denied = matches!(result, Err(Error::Unsupported { .. } | Error::WrongProvider { .. }));
            assert_eq!(w.host.supports(&target, action), !denied, "{text} {action}: {result:?}");
            assert_eq!(w.requests() > before, !denied, "{text} {action}: requests only when supported");
            allowed += usize::from(!denied);
        }
    }
    assert!(allowed >= 4, "each host allows its own kinds' actions");
}

macro_rules! conformance {
    ($($scenario:ident),* $(,)?) => {
        mod baseten {
            $(#[tokio::test] async fn $scenario() { super::$scenario(super::baseten_world().await).await })*
        }
        mod replicate {
            $(#[tokio::test] async fn $scenario() { super::$scenario(super::replicate_world().await).await })*
        }
    };
}

conformance!(
    lists_every_version,
    deletes_a_version_and_says_whether_it_is_done,
    a_held_version_is_refused_with_why_and_kept,
    a_missing_version_is_not_found_unless_missing_ok,
    an_unknown_token_is_unauthenticated,
    cascade_deletes_the_model_then_it_is_gone,
    a_dry_run_changes_nothing,
    bad_references_reach_no_server,
    rate_limited_requests_wait_and_succeed,
    capabilities_say_what_the_host_does,
    supports_says_which_action_each_kind_takes,
);

/// Baseten only: the production deployment goes only with its model.
#[tokio::test]
async fn basetens_production_deployment_is_refused_with_the_reason() {
    let w = baseten_world().await;
    let production: VersionRef = "baseten:m1/deployments/prod1".parse().unwrap();
    let err = w.host.delete_version(&production, &DeleteOptions::default()).await.unwrap_err();
    assert!(
        matches!(err, Error::Conflict { reason: modelhost::ConflictReason::ProductionDeployment, .. }),
        "{err:?}"
    );
    assert_eq!(w.host.list_versions(&w.model).await.unwrap().iter().filter(|v| v.is_production).count(), 1);
}
