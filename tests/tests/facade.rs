//! The facade (`modelhost`) against real HTTP servers on 127.0.0.1: results, every error
//! variant it maps responses into, retries, and references refused before any request.

use std::sync::Arc;
use std::time::{Duration, Instant};

use modelhost::{
    Baseten, CascadeOptions, ClientSettings, ConflictReason, DeleteOptions, Error, Hosts, ModelHost,
    ModelRef, Provider, Replicate, RetryPolicy, Secret, State, Tombstone, VersionRef,
};
use modelhost_tests::{Canned, Method, RecordingServer};
use serde_json::json;

const KEY: &str = "sk-facade-test-secret";

/// Quick retries, so tests do not wait on backoff they do not check.
fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_secs(2),
        ..RetryPolicy::default()
    }
}

fn baseten(server: &RecordingServer) -> Baseten {
    Baseten::new(&Secret::new(KEY).unwrap(), &ClientSettings::new(&server.base_url))
        .unwrap()
        .with_retry(fast_retries())
}

fn replicate(server: &RecordingServer) -> Replicate {
    Replicate::new(&Secret::new(KEY).unwrap(), &ClientSettings::new(&server.base_url))
        .unwrap()
        .with_retry(fast_retries())
}

fn model(text: &str) -> ModelRef {
    text.parse().unwrap()
}

fn version(text: &str) -> VersionRef {
    text.parse().unwrap()
}

fn assert_no_secret(text: &str) {
    assert!(!text.contains(KEY), "the key leaked: {text}");
}

#[tokio::test]
async fn baseten_deletes_return_the_tombstone_as_done() {
    let server = RecordingServer::start([
        (Method::DELETE, "/v1/models/m1", Canned::json(200, json!({"id": "m1", "deleted": true}))),
        (
            Method::DELETE,
            "/v1/models/m1/deployments/d1",
            Canned::json(200, json!({"id": "d1", "deleted": true, "model_id": "m1"})),
        ),
    ])
    .await;
    let host: Box<dyn ModelHost> = Box::new(baseten(&server));
    let deleted = host.delete_model(&model("baseten:m1"), &DeleteOptions::default()).await.unwrap();
    assert_eq!((deleted.provider, deleted.state), (Provider::Baseten, State::Deleted));
    let tombstone =
        |t: &Option<Tombstone>| t.as_ref().map(|t| (t.id.clone(), t.deleted, t.parent_id.clone()));
    assert_eq!(tombstone(&deleted.tombstone), Some(("m1".into(), true, None)));
    let deleted =
        host.delete_version(&version("baseten:m1/deployments/d1"), &DeleteOptions::default()).await.unwrap();
    assert_eq!(deleted.target.to_string(), "baseten:m1/deployments/d1");
    assert_eq!(tombstone(&deleted.tombstone), Some(("d1".into(), true, Some("m1".into()))));
    assert!(server.recorded().iter().all(|r| r.authorization.as_deref() == Some(&*format!("Bearer {KEY}"))));
}

#[tokio::test]
async fn replicate_version_deletes_are_accepted_and_model_deletes_done() {
    let server = RecordingServer::start([
        (Method::DELETE, "/models/alice/hello/versions/v1", Canned::empty(202)),
        (Method::DELETE, "/models/alice/hello", Canned::empty(204)),
    ])
    .await;
    let host: Arc<dyn ModelHost> = Arc::new(replicate(&server));
    let deleted = host
        .delete_version(&version("replicate:alice/hello/versions/v1"), &DeleteOptions::default())
        .await
        .unwrap();
    assert_eq!(deleted.state, State::Accepted);
    let deleted =
        host.delete_model(&model("replicate:alice/hello"), &DeleteOptions::default()).await.unwrap();
    assert_eq!((deleted.state, deleted.tombstone), (State::Deleted, None));
}

#[tokio::test]
async fn refusals_say_why() {
    let server = RecordingServer::start([
        (
            Method::DELETE,
            "/models/alice/hello",
            Canned::problem(409, "Model has versions. Delete them first."),
        ),
        (
            Method::DELETE,
            "/models/alice/hello/versions/v1",
            Canned::problem(409, "Others have run predictions with this version"),
        ),
        (
            Method::DELETE,
            "/models/alice/hello/versions/v2",
            Canned::problem(409, "This version is the base model for a fine-tune"),
        ),
        (
            Method::DELETE,
            "/models/alice/hello/versions/v3",
            Canned::problem(409, "This version has an associated deployment"),
        ),
        (
            Method::DELETE,
            "/models/replicate/public",
            Canned::problem(403, "You can only delete private models you own"),
        ),
    ])
    .await;
    let host = replicate(&server);
    let opts = DeleteOptions::default();
    let err = host.delete_model(&model("replicate:alice/hello"), &opts).await.unwrap_err();
    assert!(matches!(err, Error::Conflict { reason: ConflictReason::ModelHasVersions, .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "replicate: cannot delete replicate:alice/hello: the model still has versions; delete them first (Model has versions. Delete them first.)"
    );
    for (v, reason) in [
        ("v1", ConflictReason::VersionUsedByOthers),
        ("v2", ConflictReason::VersionIsFineTuneBase),
        ("v3", ConflictReason::VersionHasDeployment),
    ] {
        let err = host
            .delete_version(&version(&format!("replicate:alice/hello/versions/{v}")), &opts)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Conflict { reason: r, .. } if r == reason), "{v}: {err:?}");
    }
    let err = host.delete_model(&model("replicate:replicate/public"), &opts).await.unwrap_err();
    assert!(matches!(err, Error::PermissionDenied { detail: Some(_), .. }), "{err:?}");
    assert_eq!(server.recorded().len(), 5, "refusals are not retried");
}

#[tokio::test]
async fn baseten_refuses_the_production_deployment() {
    let server = RecordingServer::start([(
        Method::DELETE,
        "/v1/models/m1/deployments/prod",
        Canned::json(
            409,
            json!({"error": "Cannot delete the production deployment. Promote another deployment first."}),
        ),
    )])
    .await;
    let err = baseten(&server)
        .delete_version(&version("baseten:m1/deployments/prod"), &DeleteOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Conflict { reason: ConflictReason::ProductionDeployment, .. }), "{err:?}");
}

#[tokio::test]
async fn not_found_is_an_error_unless_missing_ok() {
    let server = RecordingServer::without_routes().await;
    let host = baseten(&server);
    let err = host.delete_model(&model("baseten:gone"), &DeleteOptions::default()).await.unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    let deleted =
        host.delete_model(&model("baseten:gone"), &DeleteOptions { missing_ok: true }).await.unwrap();
    assert_eq!(deleted.state, State::Absent);
}

#[tokio::test]
async fn a_bad_token_is_unauthenticated_and_never_printed() {
    let server = RecordingServer::start([(
        Method::DELETE,
        "/v1/models/m1",
        Canned::json(401, json!({"error": "bad key"})),
    )])
    .await;
    let host = baseten(&server);
    let err = host.delete_model(&model("baseten:m1"), &DeleteOptions::default()).await.unwrap_err();
    assert!(matches!(err, Error::Unauthenticated { provider: Provider::Baseten }), "{err:?}");
    assert_no_secret(&format!("{err} {err:?} {host:?}"));
}

#[tokio::test]
async fn rate_limits_are_retried_after_the_servers_delay() {
    let limited = Canned::problem(429, "Request was throttled.").header("retry-after", "1");
    let server =
        RecordingServer::start([(Method::DELETE, "/models/a/b", limited.then(Canned::empty(204)))]).await;
    let started = Instant::now();
    let deleted =
        replicate(&server).delete_model(&model("replicate:a/b"), &DeleteOptions::default()).await.unwrap();
    assert_eq!(deleted.state, State::Deleted);
    assert_eq!(server.recorded().len(), 2);
    assert!(started.elapsed() >= Duration::from_secs(1), "the Retry-After of 1 s was not honoured");
}

#[tokio::test]
async fn a_rate_limit_that_persists_reports_the_delay_from_basetens_body() {
    let body = json!({"error": "Rate limit exceeded. Please try again later.", "retry_after": 37});
    let server = RecordingServer::start([(Method::DELETE, "/v1/models/m1", Canned::json(429, body))]).await;
    let host = baseten(&server).with_retry(RetryPolicy::never());
    let err = host.delete_model(&model("baseten:m1"), &DeleteOptions::default()).await.unwrap_err();
    assert!(
        matches!(err, Error::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(37)),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_delete_retried_after_it_may_have_landed_is_confirmed_by_absence() {
    let first = Canned::json(503, json!({"error": "unavailable"}));
    let server = RecordingServer::start([(
        Method::DELETE,
        "/v1/models/m1",
        first.then(Canned::problem(404, "not found")),
    )])
    .await;
    let deleted =
        baseten(&server).delete_model(&model("baseten:m1"), &DeleteOptions::default()).await.unwrap();
    assert_eq!(deleted.state, State::ConfirmedByAbsence);
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    let server = RecordingServer::start([(
        Method::DELETE,
        "/v1/models/m1",
        Canned::broken().then(Canned::json(200, json!({"id": "m1", "deleted": true}))),
    )])
    .await;
    let deleted =
        baseten(&server).delete_model(&model("baseten:m1"), &DeleteOptions::default()).await.unwrap();
    assert_eq!(deleted.state, State::Deleted);
    assert_eq!(server.recorded().len(), 2);
}

#[tokio::test]
async fn other_client_errors_are_not_retried_and_garbage_is_unexpected() {
    let server = RecordingServer::start([
        (Method::DELETE, "/v1/models/teapot", Canned::text(418, "text/plain", "I'm a teapot")),
        (Method::DELETE, "/v1/models/garbage", Canned::text(200, "application/json", "<html>oops</html>")),
    ])
    .await;
    let host = baseten(&server);
    let err = host.delete_model(&model("baseten:teapot"), &DeleteOptions::default()).await.unwrap_err();
    assert!(
        matches!(&err, Error::UnexpectedResponse { status: Some(418), excerpt, .. } if excerpt == "I'm a teapot"),
        "{err:?}"
    );
    let err = host.delete_model(&model("baseten:garbage"), &DeleteOptions::default()).await.unwrap_err();
    assert!(
        matches!(&err, Error::UnexpectedResponse { status: Some(200), excerpt, .. } if excerpt.contains("<html>oops")),
        "{err:?}"
    );
    assert_eq!(server.recorded().len(), 2, "neither was retried");
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let settings = ClientSettings::new(format!("http://127.0.0.1:{port}"));
    let host = Baseten::new(&Secret::new(KEY).unwrap(), &settings).unwrap().with_retry(fast_retries());
    let err = host.delete_model(&model("baseten:m1"), &DeleteOptions::default()).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(std::error::Error::source(&err).is_some(), "the transport error is kept as the source");
    assert_no_secret(&format!("{err} {err:?}"));
}

#[tokio::test]
async fn references_are_refused_before_any_request() {
    let server = RecordingServer::without_routes().await;
    let host = baseten(&server);
    for bad in ["baseten:../secrets", "baseten:a/b", "baseten:", "replicate:alice"] {
        let err: Error = bad.parse::<ModelRef>().unwrap_err().into();
        assert!(matches!(err, Error::InvalidReference(_)), "{bad}: {err:?}");
    }
    let err =
        host.delete_model(&model("replicate:alice/hello"), &DeleteOptions::default()).await.unwrap_err();
    assert!(matches!(err, Error::WrongProvider { provider: Provider::Baseten, .. }), "{err:?}");
    assert!(server.recorded().is_empty(), "a request reached the server: {:?}", server.recorded());
}

#[tokio::test]
async fn listing_follows_replicates_cursor_to_the_end() {
    let version = |id: &str| json!({"id": id, "created_at": "2026-07-01T12:00:00Z"});
    let next = |c: &str| format!("https://api.replicate.com/v1/models/a/b/versions?cursor={c}");
    let server = RecordingServer::start([
        (
            Method::GET,
            "/models/a/b/versions",
            Canned::json(
                200,
                json!({"next": next("p2"), "previous": null, "results": [version("v3"), version("v2")]}),
            ),
        ),
        (
            Method::GET,
            "/models/a/b/versions?cursor=p2",
            Canned::json(200, json!({"next": null, "previous": null, "results": [version("v1")]})),
        ),
        (
            Method::GET,
            "/models/a/loop/versions",
            Canned::json(200, json!({"next": next("x"), "results": []})),
        ),
        (
            Method::GET,
            "/models/a/loop/versions?cursor=x",
            Canned::json(200, json!({"next": next("x"), "results": []})),
        ),
    ])
    .await;
    let host = replicate(&server);
    let listed = host.list_versions(&model("replicate:a/b")).await.unwrap();
    let ids: Vec<&str> = listed.iter().map(|v| v.version.version_id()).collect();
    assert_eq!(ids, ["v3", "v2", "v1"]);
    let err = host.list_versions(&model("replicate:a/loop")).await.unwrap_err();
    assert!(err.to_string().contains("loops back"), "{err}");
}

#[tokio::test]
async fn baseten_lists_deployments_and_marks_production() {
    let d = |id: &str, prod: bool| {
        json!({"id": id, "created_at": "2026-07-01T12:00:00Z", "name": id, "model_id": "m1",
        "is_production": prod, "is_development": false, "status": "ACTIVE", "active_replica_count": 0,
        "autoscaling_settings": null, "instance_type_name": null, "environment": null})
    };
    // A status Baseten added after this client was generated reads as unknown, and the
    // listing goes on.
    let mut preempted = d("d3", false);
    preempted["status"] = json!("PREEMPTED_BY_A_FUTURE_RELEASE");
    let server = RecordingServer::start([(
        Method::GET,
        "/v1/models/m1/deployments",
        Canned::json(200, json!({"deployments": [d("d1", true), d("d2", false), preempted]})),
    )])
    .await;
    let listed = baseten(&server).list_versions(&model("baseten:m1")).await.unwrap();
    assert_eq!(listed.len(), 3);
    assert!(listed[0].is_production && !listed[1].is_production && !listed[2].is_production);
    assert_eq!(listed[1].version.to_string(), "baseten:m1/deployments/d2");
}

#[tokio::test]
async fn hosts_name_the_variable_of_a_missing_provider() {
    let server = RecordingServer::without_routes().await;
    let hosts = Hosts::default().with(Arc::new(baseten(&server)));
    assert_eq!(hosts.get(Provider::Baseten).unwrap().provider(), Provider::Baseten);
    let err = hosts.get(Provider::Replicate).unwrap_err();
    assert!(err.to_string().contains("REPLICATE_API_TOKEN"), "{err}");
}

#[tokio::test]
async fn hosts_route_each_reference_to_its_provider() {
    let baseten_server = RecordingServer::start([
        (
            Method::DELETE,
            "/v1/models/m1/deployments/d1",
            Canned::json(200, json!({"id": "d1", "deleted": true, "model_id": "m1"})),
        ),
        (Method::DELETE, "/v1/models/m1", Canned::json(200, json!({"id": "m1", "deleted": true}))),
    ])
    .await;
    let replicate_server = RecordingServer::start([
        (Method::DELETE, "/models/alice/hello/versions/v1", Canned::empty(202)),
        (
            Method::GET,
            "/models/alice/hello/versions",
            Canned::json(200, json!({"next": null, "previous": null, "results": []})),
        ),
        (Method::DELETE, "/models/alice/hello", Canned::empty(204)),
        (Method::GET, "/deployments", Canned::json(200, json!({"results": []}))),
    ])
    .await;
    let hosts = Hosts::default()
        .with(Arc::new(baseten(&baseten_server)))
        .with(Arc::new(replicate(&replicate_server)));
    let options = DeleteOptions::default();
    let target = |text: &str| text.parse::<modelhost::Target>().unwrap();
    let deleted = hosts.delete(&target("baseten:m1/deployments/d1"), &options).await.unwrap();
    assert_eq!((deleted.provider, deleted.state), (Provider::Baseten, State::Deleted));
    let deleted = hosts.delete(&target("replicate:alice/hello/versions/v1"), &options).await.unwrap();
    assert_eq!((deleted.provider, deleted.state), (Provider::Replicate, State::Accepted));
    let alice = model("replicate:alice/hello");
    assert!(hosts.get(alice.provider()).unwrap().list_versions(&alice).await.unwrap().is_empty());
    assert_eq!(hosts.delete(&target("baseten:m1"), &options).await.unwrap().provider, Provider::Baseten);
    let cascade = CascadeOptions { poll_interval: Duration::from_millis(5), ..CascadeOptions::default() };
    let report = hosts.get(alice.provider()).unwrap().delete_model_cascade(&alice, &cascade).await.unwrap();
    assert!(report.model_deleted(), "{report:?}");
    let paths = |server: &RecordingServer| -> Vec<String> {
        server.recorded().into_iter().map(|r| format!("{} {}", r.method, r.uri)).collect()
    };
    assert_eq!(paths(&baseten_server), ["DELETE /v1/models/m1/deployments/d1", "DELETE /v1/models/m1"]);
    let replicate_paths = paths(&replicate_server);
    assert!(
        replicate_paths.iter().all(|p| p.contains("/models/alice/hello") || p == "GET /deployments"),
        "{replicate_paths:?}"
    );
    // A provider that is not configured is named, and nothing is sent.
    let only_baseten = Hosts::default().with(Arc::new(baseten(&baseten_server)));
    let err = only_baseten.delete(&target("replicate:alice/hello"), &options).await.unwrap_err();
    assert!(err.to_string().contains("REPLICATE_API_TOKEN"), "{err}");
}

#[tokio::test]
async fn after_a_rate_limit_other_requests_to_the_host_wait_too() {
    let limited = Canned::problem(429, "Request was throttled.").header("retry-after", "1");
    let server = RecordingServer::start([
        (Method::DELETE, "/models/a/first", limited.then(Canned::empty(204))),
        (Method::DELETE, "/models/a/second", Canned::empty(204)),
    ])
    .await;
    let host = Arc::new(replicate(&server));
    let first = {
        let host = Arc::clone(&host);
        tokio::spawn(async move {
            host.delete_model(&model("replicate:a/first"), &DeleteOptions::default()).await
        })
    };
    while server.recorded().is_empty() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = Instant::now();
    host.delete_model(&model("replicate:a/second"), &DeleteOptions::default()).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(800),
        "the second request did not wait for the rate limit"
    );
    first.await.unwrap().unwrap();
}

/// A Baseten host whose requests give up after `timeout`.
fn impatient_baseten(server: &RecordingServer, timeout: Duration) -> Baseten {
    let settings = ClientSettings { timeout, ..ClientSettings::new(&server.base_url) };
    Baseten::new(&Secret::new(KEY).unwrap(), &settings).unwrap().with_retry(fast_retries())
}

#[tokio::test]
async fn a_slow_answer_times_out_and_the_retry_finds_the_model_deleted() {
    // The server deletes, but answers after the client has given up; the retry gets 404.
    let tombstone = Canned::json(200, json!({"id": "m1", "deleted": true})).delayed(Duration::from_secs(2));
    let server = RecordingServer::start([(
        Method::DELETE,
        "/v1/models/m1",
        tombstone.then(Canned::problem(404, "not found")),
    )])
    .await;
    let host = impatient_baseten(&server, Duration::from_millis(200));
    let started = Instant::now();
    let deleted = host.delete_model(&model("baseten:m1"), &DeleteOptions::default()).await.unwrap();
    assert_eq!(deleted.state, State::ConfirmedByAbsence);
    assert_eq!(server.recorded().len(), 2);
    assert!(started.elapsed() < Duration::from_secs(2), "the client waited for the slow answer");
}

#[tokio::test]
async fn a_server_that_stays_slow_is_a_transport_error_that_says_so() {
    let slow = Canned::json(200, json!({"id": "m1", "deleted": true})).delayed(Duration::from_secs(5));
    let server = RecordingServer::start([(Method::DELETE, "/v1/models/m1", slow)]).await;
    let host = impatient_baseten(&server, Duration::from_millis(100))
        .with_retry(RetryPolicy { max_attempts: 3, ..fast_retries() });
    let started = Instant::now();
    let err = host.delete_model(&model("baseten:m1"), &DeleteOptions::default()).await.unwrap_err();
    assert!(matches!(&err, Error::Transport { provider: Provider::Baseten, .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("it timed out: "), "{text}");
    assert_eq!(server.recorded().len(), 3, "each attempt timed out and was retried");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    assert!(!text.contains(KEY) && !format!("{err:?}").contains(KEY));
}

/// What a CDN in front of an API sends: an HTML page, whatever the status.
fn html(status: u16) -> Canned {
    Canned::text(status, "text/html", "<html><body><h1>Too busy</h1></body></html>")
}

/// Status first, whatever the body: a Replicate 429 or 5xx with an HTML body is retried (after
/// the `Retry-After` it sends), as it would be with a JSON one.
#[tokio::test]
async fn html_rate_limits_and_gateway_errors_are_retried_by_status() {
    let server = RecordingServer::start([
        (Method::DELETE, "/models/a/limited", html(429).header("retry-after", "1").then(Canned::empty(204))),
        (Method::DELETE, "/models/a/bad-gateway", html(502).then(Canned::empty(204))),
        (Method::DELETE, "/models/a/unavailable", html(503).then(Canned::empty(204))),
        (Method::DELETE, "/models/a/timeout", html(504).then(Canned::empty(204))),
    ])
    .await;
    let host = replicate(&server);
    let started = Instant::now();
    for name in ["limited", "bad-gateway", "unavailable", "timeout"] {
        let target = model(&format!("replicate:a/{name}"));
        let deleted = host.delete_model(&target, &DeleteOptions::default()).await.unwrap();
        assert_eq!(deleted.state, State::Deleted, "{name}");
    }
    assert_eq!(server.recorded().len(), 8, "each answered once in HTML, then deleted");
    assert!(started.elapsed() >= Duration::from_secs(1), "the Retry-After of 1 s was not honoured");

    // When it persists, the error keeps the real status and an excerpt of the page.
    let server = RecordingServer::start([(Method::DELETE, "/models/a/b", html(429))]).await;
    let host = replicate(&server).with_retry(RetryPolicy::never());
    let err = host.delete_model(&model("replicate:a/b"), &DeleteOptions::default()).await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
}

/// An empty 404 (or a 410) is absence: `NotFound`, `AlreadyAbsent` with `missing_ok`, and
/// `ConfirmedByAbsence` after an attempt that may have deleted it.
#[tokio::test]
async fn an_empty_404_or_a_410_is_absence_everywhere() {
    for status in [404, 410] {
        let server = RecordingServer::start([
            (Method::DELETE, "/models/a/gone", Canned::empty(status)),
            (Method::DELETE, "/models/a/flaky", html(503).then(Canned::empty(status))),
        ])
        .await;
        let host = replicate(&server);
        let gone = model("replicate:a/gone");
        let err = host.delete_model(&gone, &DeleteOptions::default()).await.unwrap_err();
        assert!(matches!(err, Error::NotFound { .. }), "{status}: {err:?}");
        let deleted = host.delete_model(&gone, &DeleteOptions { missing_ok: true }).await.unwrap();
        assert_eq!(deleted.state, State::Absent, "{status}");
        let deleted =
            host.delete_model(&model("replicate:a/flaky"), &DeleteOptions::default()).await.unwrap();
        assert_eq!(deleted.state, State::ConfirmedByAbsence, "{status}");
    }
}

/// A truncated JSON body still says which status refused the delete, with the excerpt.
#[tokio::test]
async fn a_truncated_json_409_is_a_conflict_with_the_excerpt() {
    let server = RecordingServer::start([(
        Method::DELETE,
        "/models/a/b/versions/v1",
        Canned::text(409, "application/json", r#"{"detail": "This version has an assoc"#),
    )])
    .await;
    let host = replicate(&server);
    let err = host
        .delete_version(&version("replicate:a/b/versions/v1"), &DeleteOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Conflict { .. }), "{err:?}");
    assert!(format!("{err:?}").contains("This version has an assoc"), "the excerpt is kept: {err:?}");
    assert_eq!(server.recorded().len(), 1, "a conflict is not retried");
}

#[tokio::test]
async fn a_listed_version_without_created_at_is_kept_and_one_without_an_id_is_refused() {
    let server = RecordingServer::start([
        (Method::GET, "/models/a/b/versions", Canned::json(200, json!({"results": [{"id": "v1"}]}))),
        (
            Method::GET,
            "/models/a/c/versions",
            Canned::json(200, json!({"results": [{"created_at": "2026-07-01T12:00:00Z"}]})),
        ),
    ])
    .await;
    let host = replicate(&server);
    let listed = host.list_versions(&model("replicate:a/b")).await.unwrap();
    assert_eq!(
        (listed[0].version.to_string().as_str(), listed[0].created_at.as_deref()),
        ("replicate:a/b/versions/v1", None)
    );
    let err = host.list_versions(&model("replicate:a/c")).await.unwrap_err();
    assert!(err.to_string().contains("no `id`"), "{err}");
}
