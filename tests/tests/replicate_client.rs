//! The generated Replicate client against a real HTTP server on 127.0.0.1.

use axum::http::Method;
use modelhost_replicate::{Client, ClientSettings, Error, Secret, types};
use modelhost_tests::{Canned, RecordingServer};
use serde_json::json;

fn client(server: &RecordingServer) -> Client {
    let token = Secret::new("r8_test_token").unwrap();
    Client::with_api_token(&token, &ClientSettings::new(&server.base_url)).unwrap()
}

#[tokio::test]
async fn delete_model_is_a_204() {
    let server = RecordingServer::start([(Method::DELETE, "/models/alice/hello", Canned::empty(204))]).await;
    let response =
        client(&server).models_delete().model_owner("alice").model_name("hello").send().await.unwrap();
    assert_eq!(response.status().as_u16(), 204);
    let seen = server.recorded();
    assert_eq!((seen[0].method.clone(), seen[0].uri.as_str()), (Method::DELETE, "/models/alice/hello"));
    assert_eq!(seen[0].authorization.as_deref(), Some("Bearer r8_test_token"));
}

#[tokio::test]
async fn delete_version_is_an_accepted_202() {
    let server =
        RecordingServer::start([(Method::DELETE, "/models/alice/hello/versions/v1", Canned::empty(202))])
            .await;
    let response = client(&server)
        .models_versions_delete()
        .model_owner("alice")
        .model_name("hello")
        .version_id("v1")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 202);
}

/// Replicate declares no error bodies, so the client's own users get every error's status
/// and its body, whatever it is: a problem document, an HTML page from a CDN, or nothing.
#[tokio::test]
async fn a_refused_delete_keeps_its_status_and_body() {
    let server = RecordingServer::start([(
        Method::DELETE,
        "/models/alice/hello",
        Canned::problem(409, "Model has versions; delete them first."),
    )])
    .await;
    let err =
        client(&server).models_delete().model_owner("alice").model_name("hello").send().await.unwrap_err();
    let Error::UnexpectedResponse(response) = err else { panic!("expected the raw response, got {err:?}") };
    assert_eq!(response.status().as_u16(), 409);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["detail"], "Model has versions; delete them first.");
}

#[tokio::test]
async fn lists_versions_page_by_page_with_the_cursor() {
    let version = |id: &str| json!({"id": id, "created_at": "2026-07-01T12:00:00Z", "cog_version": "0.9.0", "openapi_schema": {}});
    let server = RecordingServer::start([
        (
            Method::GET,
            "/models/alice/hello/versions",
            Canned::json(200, json!({"next": "https://api.replicate.com/v1/models/alice/hello/versions?cursor=c2", "previous": null, "results": [version("v2")]})),
        ),
        (
            Method::GET,
            "/models/alice/hello/versions?cursor=c2",
            Canned::json(200, json!({"next": null, "previous": null, "results": [version("v1")]})),
        ),
    ])
    .await;
    let client = client(&server);
    let first = client.models_versions_list().model_owner("alice").model_name("hello").send().await.unwrap();
    assert_eq!(first.results[0].id.as_deref(), Some("v2"));
    assert!(first.next.is_some());
    let second = client
        .models_versions_list()
        .model_owner("alice")
        .model_name("hello")
        .cursor("c2")
        .send()
        .await
        .unwrap();
    assert_eq!(second.results[0].id.as_deref(), Some("v1"));
    assert!(second.next.is_none());
}

#[tokio::test]
async fn get_model_decodes_nullable_and_nested_fields() {
    let server = RecordingServer::start([(
        Method::GET,
        "/models/alice/hello",
        Canned::json(200, json!({"url": "https://replicate.com/alice/hello", "owner": "alice", "name": "hello",
            "description": null, "visibility": "private", "github_url": null, "paper_url": null, "license_url": null,
            "run_count": 3, "cover_image_url": null, "default_example": null, "latest_version": null})),
    )])
    .await;
    let model = client(&server).models_get().model_owner("alice").model_name("hello").send().await.unwrap();
    assert_eq!(model.visibility, Some(types::ModelVisibility::Private));
    assert!(model.latest_version.is_none() && model.description.is_none());
}

#[tokio::test]
async fn throttling_keeps_its_status_whatever_the_body() {
    let server = RecordingServer::start([
        (
            Method::GET,
            "/models/alice/json",
            Canned::problem(429, "Request was throttled. Your rate limit resets in ~30s."),
        ),
        (Method::GET, "/models/alice/html", Canned::text(429, "text/html", "<html>Too Many Requests</html>")),
        (Method::GET, "/models/alice/empty", Canned::empty(429)),
    ])
    .await;
    for name in ["json", "html", "empty"] {
        let err =
            client(&server).models_get().model_owner("alice").model_name(name).send().await.unwrap_err();
        let Error::UnexpectedResponse(response) = err else {
            panic!("{name}: expected the raw response, got {err:?}")
        };
        assert_eq!(response.status().as_u16(), 429, "{name}");
    }
}

#[tokio::test]
async fn path_parameters_are_encoded_as_one_segment() {
    let server = RecordingServer::without_routes().await;
    let _ = client(&server).models_delete().model_owner("alice").model_name("x/versions/v1").send().await;
    assert_eq!(server.recorded()[0].uri, "/models/alice/x%2Fversions%2Fv1");
}

/// Replicate marks nothing required: a version missing fields still reads, and so does a
/// page that says nothing but its results.
#[tokio::test]
async fn objects_with_fields_missing_still_decode() {
    let server = RecordingServer::start([(
        Method::GET,
        "/models/alice/hello/versions",
        Canned::json(
            200,
            json!({"results": [{"id": "v1"}, {"id": "v2", "created_at": "2026-07-01T12:00:00Z"}]}),
        ),
    )])
    .await;
    let page = client(&server)
        .models_versions_list()
        .model_owner("alice")
        .model_name("hello")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(page.results.len(), 2);
    assert!(page.results[0].created_at.is_none() && page.next.is_none());
}

/// What holds a version, and who the token is: deployments and the account.
#[tokio::test]
async fn deployments_and_the_account_read_and_delete() {
    let release = json!({"number": 3, "model": "alice/hello", "version": "v1", "created_at": "2026-07-01T12:00:00Z",
        "created_by": {"type": "user", "username": "alice"},
        "configuration": {"hardware": "gpu-t4", "min_instances": 0, "max_instances": 1}});
    let server = RecordingServer::start([
        (
            Method::GET,
            "/deployments",
            Canned::json(200, json!({"next": null, "previous": null, "results": [{"owner": "alice", "name": "prod", "current_release": release}]})),
        ),
        (Method::GET, "/deployments/alice/prod", Canned::json(200, json!({"owner": "alice", "name": "prod", "current_release": null}))),
        (Method::DELETE, "/deployments/alice/prod", Canned::empty(204)),
        (Method::GET, "/account", Canned::json(200, json!({"type": "organization", "username": "acme", "name": "Acme"}))),
    ])
    .await;
    let client = client(&server);
    let listed = client.deployments_list().send().await.unwrap().into_inner();
    let release = listed.results[0].current_release.as_ref().unwrap();
    assert_eq!(
        (release.model.as_deref(), release.version.as_deref(), release.number),
        (Some("alice/hello"), Some("v1"), Some(3))
    );
    let one =
        client.deployments_get().deployment_owner("alice").deployment_name("prod").send().await.unwrap();
    assert!(one.into_inner().current_release.is_none());
    let deleted =
        client.deployments_delete().deployment_owner("alice").deployment_name("prod").send().await.unwrap();
    assert_eq!(deleted.status().as_u16(), 204);
    let account: types::Account = client.account_get().send().await.unwrap().into_inner();
    assert_eq!(account.username.as_deref(), Some("acme"));
}

/// A response enum is open: a value Replicate adds later reads as `Unknown`, keeps its text,
/// and goes back out as it came.
#[tokio::test]
async fn an_enum_value_added_later_reads_as_unknown_and_round_trips() {
    let server = RecordingServer::start([(
        Method::GET,
        "/models/alice/hello",
        Canned::json(200, json!({"owner": "alice", "name": "hello", "visibility": "unlisted"})),
    )])
    .await;
    let model = client(&server).models_get().model_owner("alice").model_name("hello").send().await.unwrap();
    let visibility = model.into_inner().visibility.unwrap();
    assert_eq!(visibility, types::ModelVisibility::Unknown("unlisted".into()));
    assert_eq!(visibility.to_string(), "unlisted");
    assert_eq!("unlisted".parse::<types::ModelVisibility>().unwrap(), visibility);
    assert_eq!(serde_json::to_value(&visibility).unwrap(), json!("unlisted"));
    // Known values are still their variants.
    assert_eq!("private".parse::<types::ModelVisibility>().unwrap(), types::ModelVisibility::Private);
    assert_eq!(
        serde_json::from_value::<types::ModelVisibility>(json!("public")).unwrap(),
        types::ModelVisibility::Public
    );
}
