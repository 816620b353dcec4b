//! What the facade logs: a span per attempt with provider, attempt and status, around the
//! generated client's span with the operation progenitor named, and never the API key, at
//! any level, from this workspace or its dependencies.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use modelhost::{Baseten, ClientSettings, DeleteOptions, ModelHost, ModelRef, RetryPolicy, Secret};
use modelhost_tests::{Canned, Method, RecordingServer};
use serde_json::json;

const KEY: &str = "sk-log-capture-secret-0123456789";

/// Collects everything written to it.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Captures everything logged, at every level, while the guard lives.
fn capture() -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    (captured, tracing::subscriber::set_default(subscriber))
}

#[tokio::test]
async fn requests_are_traced_without_the_key() {
    let (captured, _guard) = capture();

    let limited = Canned::json(429, json!({"error": "Rate limit exceeded.", "retry_after": 0}));
    let server = RecordingServer::start([
        (
            Method::DELETE,
            "/v1/models/m1",
            limited.then(Canned::json(200, json!({"id": "m1", "deleted": true}))),
        ),
        (Method::DELETE, "/v1/models/m2", Canned::json(401, json!({"error": "Invalid API key"}))),
    ])
    .await;
    let retry = RetryPolicy { base_delay: Duration::from_millis(5), ..RetryPolicy::default() };
    let host = Baseten::new(&Secret::new(KEY).unwrap(), &ClientSettings::new(&server.base_url))
        .unwrap()
        .with_retry(retry);
    host.delete_model(&"baseten:m1".parse::<ModelRef>().unwrap(), &DeleteOptions::default()).await.unwrap();
    let err = host
        .delete_model(&"baseten:m2".parse::<ModelRef>().unwrap(), &DeleteOptions::default())
        .await
        .unwrap_err();
    tracing::error!(error = %err, debug = ?err, host = ?host, "logged by the application");

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(!logs.contains(KEY), "the key is in the logs:\n{logs}");
    for expected in [
        "provider=baseten",
        "operation=\"delete_model\"",
        "attempt=1",
        "attempt=2",
        "status=429",
        "status=200",
        "status=401",
    ] {
        assert!(logs.contains(expected), "`{expected}` is not in the logs:\n{logs}");
    }
}

/// A generated client used alone traces its requests too, named by progenitor's operation.
#[tokio::test]
async fn the_generated_client_alone_names_each_operation() {
    let (captured, _guard) = capture();
    let server = RecordingServer::start([(Method::DELETE, "/models/alice/hello", Canned::empty(204))]).await;
    let client = modelhost_replicate::Client::with_api_token(
        &Secret::new(KEY).unwrap(),
        &ClientSettings::new(&server.base_url),
    )
    .unwrap();
    client.models_delete().model_owner("alice").model_name("hello").send().await.unwrap();
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(!logs.contains(KEY), "the key is in the logs:\n{logs}");
    for expected in ["modelhost.http", "operation=\"models_delete\"", "method=DELETE", "status=204"] {
        assert!(logs.contains(expected), "`{expected}` is not in the logs:\n{logs}");
    }
}
