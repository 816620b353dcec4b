//! The generated Baseten client against a real HTTP server on 127.0.0.1.

use axum::http::Method;
use modelhost_baseten::{Client, ClientSettings, Secret};
use modelhost_tests::{Canned, RecordingServer};
use serde_json::json;

fn client(server: &RecordingServer) -> Client {
    let key = Secret::new("bt-test-key").unwrap();
    Client::with_api_key(&key, &ClientSettings::new(&server.base_url)).unwrap()
}

#[tokio::test]
async fn delete_model_sends_delete_with_bearer_key_and_decodes_the_tombstone() {
    let server = RecordingServer::start([(
        Method::DELETE,
        "/v1/models/abc123",
        Canned::json(200, json!({"id": "abc123", "deleted": true})),
    )])
    .await;
    let tombstone = client(&server).delete_model().model_id("abc123").send().await.unwrap();
    assert_eq!(tombstone.id, "abc123");
    assert!(tombstone.deleted);
    let seen = server.recorded();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, Method::DELETE);
    assert_eq!(seen[0].uri, "/v1/models/abc123");
    assert_eq!(seen[0].authorization.as_deref(), Some("Bearer bt-test-key"));
    assert!(seen[0].user_agent.as_deref().unwrap_or("").starts_with("modelhost/"));
}

#[tokio::test]
async fn delete_deployment_decodes_the_deployment_tombstone() {
    let server = RecordingServer::start([(
        Method::DELETE,
        "/v1/models/m1/deployments/d1",
        Canned::json(200, json!({"id": "d1", "deleted": true, "model_id": "m1"})),
    )])
    .await;
    let tombstone =
        client(&server).delete_model_deployment().model_id("m1").deployment_id("d1").send().await.unwrap();
    assert_eq!((tombstone.id.as_str(), tombstone.model_id.as_str(), tombstone.deleted), ("d1", "m1", true));
}

#[tokio::test]
async fn lists_deployments_with_nullable_fields() {
    let server = RecordingServer::start([(
        Method::GET,
        "/v1/models/m1/deployments",
        Canned::json(
            200,
            json!({"deployments": [{
                "id": "d1", "created_at": "2026-07-01T12:00:00Z", "name": "v1", "model_id": "m1",
                "is_production": true, "is_development": false, "status": "ACTIVE",
                "active_replica_count": 1, "autoscaling_settings": null, "instance_type_name": null,
                "environment": null
            }]}),
        ),
    )])
    .await;
    let list = client(&server).list_model_deployments().model_id("m1").send().await.unwrap();
    assert_eq!(list.deployments.len(), 1);
    assert_eq!(list.deployments[0].id, "d1");
    assert!(list.deployments[0].autoscaling_settings.is_none());
}

#[tokio::test]
async fn a_path_parameter_cannot_reach_another_resource() {
    let server = RecordingServer::without_routes().await;
    let _ = client(&server).delete_model().model_id("../secrets/x").send().await;
    let seen = server.recorded();
    assert_eq!(seen[0].uri, "/v1/models/..%2Fsecrets%2Fx");
}

#[tokio::test]
async fn an_undocumented_status_is_an_error_not_a_tombstone() {
    let server = RecordingServer::start([(
        Method::DELETE,
        "/v1/models/m1",
        Canned::json(
            429,
            json!({"error": "Rate limit exceeded. Please try again later.", "retry_after": 37}),
        ),
    )])
    .await;
    let err = client(&server).delete_model().model_id("m1").send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert!(matches!(err, modelhost_baseten::Error::UnexpectedResponse(_)), "{err:?}");
}

#[test]
fn the_key_never_shows_in_debug_output() {
    let key = Secret::new("bt-very-secret-key").unwrap();
    let client = Client::with_api_key(&key, &ClientSettings::new("https://api.baseten.co")).unwrap();
    let printed = format!("{client:?} {key:?} {key}");
    assert!(!printed.contains("bt-very-secret-key"), "{printed}");
}

#[test]
fn the_key_is_not_sent_over_plain_http_to_a_remote_host() {
    let key = Secret::new("bt-key").unwrap();
    let err = Client::with_api_key(&key, &ClientSettings::new("http://api.baseten.co")).unwrap_err();
    assert!(err.to_string().contains("plain http"), "{err}");
}
