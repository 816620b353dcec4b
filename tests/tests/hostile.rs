//! The facade against servers on 127.0.0.1 that misbehave on purpose: waits it is asked for
//! beyond its policy, numbers that overflow, answers that say "not deleted" or name another
//! resource, text that would drive a terminal, bodies without end, links of a megabyte,
//! resets in the middle of an answer, success statuses the API does not document.
//!
//! Every call runs under a time-out well above what the policy allows, so a hang fails the
//! test instead of stalling it.

use std::future::Future;
use std::time::Duration;

use modelhost::{
    Baseten, CascadeOptions, ClientSettings, ConflictReason, DeleteOptions, Error, ModelHost, ModelRef,
    Replicate, RetryPolicy, Secret, State, VersionRef,
};
use modelhost_tests::raw_server::{End, RawAnswer, RawServer};
use modelhost_tests::{Canned, Method, RecordingServer};
use serde_json::json;

const KEY: &str = "sk-hostile-test-secret";

/// Waits of at most 1 s, 5 s in all: the limits the tests hold the facade to.
fn policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_secs(1),
        max_total: Duration::from_secs(5),
    }
}

fn settings(base_url: &str) -> ClientSettings {
    ClientSettings::new(base_url)
}

fn baseten_at(settings: &ClientSettings) -> Baseten {
    Baseten::new(&Secret::new(KEY).unwrap(), settings).unwrap().with_retry(policy())
}

fn replicate_at(settings: &ClientSettings) -> Replicate {
    Replicate::new(&Secret::new(KEY).unwrap(), settings).unwrap().with_retry(policy())
}

fn model(text: &str) -> ModelRef {
    text.parse().unwrap()
}

fn version(text: &str) -> VersionRef {
    text.parse().unwrap()
}

/// `call`'s result, or a failure naming `what` if it is still running after 8 s (the policy
/// allows 5).
async fn within<T>(what: &str, call: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(8), call)
        .await
        .unwrap_or_else(|_| panic!("{what} was still running after 8 s"))
}

async fn delete_model(host: &dyn ModelHost, reference: &str) -> Result<modelhost::Deleted, Error> {
    within(reference, host.delete_model(&model(reference), &DeleteOptions::default())).await
}

/// Whether `text` holds a character that a terminal would act on.
fn has_control(text: &str) -> bool {
    text.chars().any(|c| c.is_control() || ('\u{202A}'..='\u{202E}').contains(&c))
}

#[tokio::test]
async fn a_wait_beyond_the_policy_ends_the_call_at_once_and_holds_no_one_else() {
    let year_9999 = "Fri, 31 Dec 9999 23:59:59 GMT";
    let cases = [
        ("999999999", Duration::from_secs(999_999_999)),
        (" 3 ", Duration::from_secs(3)),
        ("18446744073709551615", Duration::from_secs(u64::MAX)),
        ("99999999999999999999999999999", Duration::MAX),
    ];
    for (header, asked) in cases {
        let limited = Canned::problem(429, "Request was throttled.").header("retry-after", header);
        let server = RecordingServer::start([
            (Method::DELETE, "/models/a/limited", limited),
            (Method::DELETE, "/models/a/other", Canned::empty(204)),
        ])
        .await;
        let host = replicate_at(&settings(&server.base_url));
        let err = delete_model(&host, "replicate:a/limited").await.unwrap_err();
        assert!(
            matches!(err, Error::RateLimited { retry_after: Some(d), .. } if d == asked),
            "Retry-After {header:?}: {err:?}"
        );
        assert_eq!(server.recorded().len(), 1, "Retry-After {header:?}: no retry can be in time");
        assert!(
            err.to_string().contains(&format!("the server asked to wait {} s", asked.as_secs())),
            "{err}"
        );
        // The rate gate holds the host's next request for the policy's longest wait at most.
        let deleted = delete_model(&host, "replicate:a/other").await.unwrap();
        assert_eq!(deleted.state, State::Deleted);
    }
    // An HTTP date thousands of years away is the same.
    let limited = Canned::problem(429, "Request was throttled.").header("retry-after", year_9999);
    let server = RecordingServer::start([(Method::DELETE, "/models/a/limited", limited)]).await;
    let err =
        delete_model(&replicate_at(&settings(&server.base_url)), "replicate:a/limited").await.unwrap_err();
    assert!(
        matches!(err, Error::RateLimited { retry_after: Some(d), .. } if d > Duration::from_secs(200_000_000_000)),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_wait_within_the_policy_is_honoured() {
    let limited = Canned::problem(429, "Request was throttled.").header("retry-after", "1");
    let server =
        RecordingServer::start([(Method::DELETE, "/models/a/b", limited.then(Canned::empty(204)))]).await;
    let deleted = delete_model(&replicate_at(&settings(&server.base_url)), "replicate:a/b").await.unwrap();
    assert_eq!(deleted.state, State::Deleted);
    assert_eq!(server.recorded().len(), 2);
}

#[tokio::test]
async fn numbers_in_a_body_never_panic() {
    for delay in [json!(1e20), json!(1.7e308), json!(-5), json!("soon"), json!(null)] {
        let body = json!({"error": "Rate limit exceeded.", "retry_after": delay});
        let server = RecordingServer::start([
            (Method::DELETE, "/v1/models/limited", Canned::json(429, body.clone())),
            (Method::DELETE, "/v1/models/broken", Canned::json(500, body.clone())),
            (Method::DELETE, "/v1/models/gone", Canned::json(404, body.clone())),
        ])
        .await;
        let host = baseten_at(&settings(&server.base_url));
        let err = delete_model(&host, "baseten:limited").await.unwrap_err();
        assert!(matches!(err, Error::RateLimited { .. }), "{delay}: {err:?}");
        let err = delete_model(&host, "baseten:broken").await.unwrap_err();
        assert!(matches!(err, Error::UnexpectedResponse { status: Some(500), .. }), "{delay}: {err:?}");
        let err = delete_model(&host, "baseten:gone").await.unwrap_err();
        assert!(matches!(err, Error::NotFound { .. }), "{delay}: {err:?}");
    }
}

#[tokio::test]
async fn a_tombstone_must_say_deleted_and_name_what_was_asked() {
    let server = RecordingServer::start([
        (Method::DELETE, "/v1/models/m1", Canned::json(200, json!({"id": "m1", "deleted": false}))),
        (
            Method::DELETE,
            "/v1/models/m2",
            Canned::json(200, json!({"id": "SOMETHING-ELSE", "deleted": true})),
        ),
        (
            Method::DELETE,
            "/v1/models/m3/deployments/d1",
            Canned::json(200, json!({"id": "d1", "deleted": true, "model_id": "m9"})),
        ),
        (
            Method::DELETE,
            "/v1/models/m3/deployments/d2",
            Canned::json(200, json!({"id": "d2", "deleted": false, "model_id": "m3"})),
        ),
    ])
    .await;
    let host = baseten_at(&settings(&server.base_url));
    let err = delete_model(&host, "baseten:m1").await.unwrap_err();
    let Error::Conflict { reason: ConflictReason::NotDeleted, detail: Some(detail), .. } = &err else {
        panic!("{err:?}")
    };
    assert!(detail.contains("\"deleted\":false"), "the server's words are kept: {detail}");
    assert!(err.to_string().contains("did not delete it"), "{err}");

    let err = delete_model(&host, "baseten:m2").await.unwrap_err();
    let Error::UnexpectedResponse { excerpt, .. } = &err else { panic!("{err:?}") };
    assert!(excerpt.contains("SOMETHING-ELSE") && excerpt.contains("`m2`"), "{excerpt}");

    let options = DeleteOptions::default();
    let err =
        within("d1", host.delete_version(&version("baseten:m3/deployments/d1"), &options)).await.unwrap_err();
    let Error::UnexpectedResponse { excerpt, .. } = &err else { panic!("{err:?}") };
    assert!(excerpt.contains("m9") && excerpt.contains("`m3`"), "{excerpt}");
    let err =
        within("d2", host.delete_version(&version("baseten:m3/deployments/d2"), &options)).await.unwrap_err();
    assert!(matches!(err, Error::Conflict { reason: ConflictReason::NotDeleted, .. }), "{err:?}");

    // A cascade does not count a refused model as deleted.
    let report =
        within("cascade", host.delete_model_cascade(&model("baseten:m1"), &CascadeOptions::default()))
            .await
            .unwrap();
    assert!(!report.model_deleted(), "{report:?}");
    assert!(report.deleted.is_empty(), "{report:?}");
}

#[tokio::test]
async fn server_text_is_escaped_when_displayed_and_capped_when_kept() {
    let hostile = "\u{1b}[2K\u{1b}[1A\rbaseten:m1: deleted\u{1b}]0;pwned\u{7}\n\u{202E}";
    let long = "x".repeat(7 * 1024);
    let server = RecordingServer::start([
        (Method::DELETE, "/v1/models/m1", Canned::json(409, json!({"error": hostile}))),
        (Method::DELETE, "/v1/models/m2", Canned::text(418, "text/html", hostile)),
        (Method::DELETE, "/v1/models/m3", Canned::json(409, json!({"error": long}))),
    ])
    .await;
    let host = baseten_at(&settings(&server.base_url));
    for reference in ["baseten:m1", "baseten:m2"] {
        let err = delete_model(&host, reference).await.unwrap_err();
        let shown = err.to_string();
        assert!(!has_control(&shown), "{reference}: {shown:?}");
        assert!(shown.contains("\\u{1b}[2K") && shown.contains("\\r"), "{shown}");
        // The fields keep the text as the server sent it.
        assert!(format!("{err:?}").contains("\\u{1b}"), "{err:?}");
    }
    let err = delete_model(&host, "baseten:m3").await.unwrap_err();
    let Error::Conflict { detail: Some(detail), .. } = &err else { panic!("{err:?}") };
    assert!(detail.len() <= modelhost::EXCERPT_BYTES + '…'.len_utf8(), "a detail of {} bytes", detail.len());
}

#[tokio::test]
async fn a_success_body_past_the_limit_is_refused_however_it_comes() {
    // Announced: 256 MiB promised, a few bytes sent.
    let announced = RawAnswer::new(
        "200 OK",
        &[("content-type", "application/json"), ("content-length", "268435456")],
        br#"{"id": "m1", "deleted": true"#,
        End::Close,
    );
    let raw = RawServer::start(vec![announced]).await;
    let err = delete_model(&baseten_at(&settings(&raw.base_url)), "baseten:m1").await.unwrap_err();
    let Error::UnexpectedResponse { status: Some(200), excerpt, .. } = &err else { panic!("{err:?}") };
    assert!(excerpt.contains("larger than the limit of 16777216 bytes"), "{excerpt}");
    assert!(excerpt.contains("announced 268435456 bytes"), "{excerpt}");
    assert_eq!(raw.requests().len(), 1, "a body too large is not fetched again");

    // Streamed without end, past a limit set lower.
    let server = RecordingServer::start([
        (Method::DELETE, "/v1/models/m1", Canned::endless()),
        (Method::GET, "/v1/models/m1/deployments", Canned::endless()),
    ])
    .await;
    let limited = ClientSettings { max_body_bytes: 1024 * 1024, ..settings(&server.base_url) };
    let host = baseten_at(&limited);
    let err = delete_model(&host, "baseten:m1").await.unwrap_err();
    assert!(err.to_string().contains("larger than the limit of 1048576 bytes"), "{err}");
    let err = within("list", host.list_versions(&model("baseten:m1"))).await.unwrap_err();
    assert!(err.to_string().contains("larger than the limit of 1048576 bytes"), "{err}");
}

#[tokio::test]
async fn a_reset_in_the_middle_of_a_tombstone_is_confirmed_by_absence() {
    let cut = RawAnswer::new(
        "200 OK",
        &[("content-type", "application/json"), ("content-length", "40")],
        br#"{"id": "m1", "#,
        End::Reset,
    );
    let gone = RawAnswer::json("404 Not Found", r#"{"error": "not found"}"#);
    let raw = RawServer::start(vec![cut, gone]).await;
    let deleted = delete_model(&baseten_at(&settings(&raw.base_url)), "baseten:m1").await.unwrap();
    assert_eq!(deleted.state, State::ConfirmedByAbsence);
    assert_eq!(raw.requests().len(), 2, "{:?}", raw.requests());
}

#[tokio::test]
async fn a_link_of_a_megabyte_is_refused_in_a_short_message() {
    let huge = format!("https://api.replicate.com/v1/models/a/b/versions?cursor={}", "c".repeat(1 << 20));
    let page = json!({"next": huge, "previous": null, "results": [{"id": "v1"}]});
    let server =
        RecordingServer::start([(Method::GET, "/models/a/b/versions", Canned::json(200, page))]).await;
    let host = replicate_at(&settings(&server.base_url));
    let err = within("list", host.list_versions(&model("replicate:a/b"))).await.unwrap_err();
    let shown = err.to_string();
    assert!(matches!(err, Error::UnexpectedResponse { .. }), "{err:?}");
    assert!(shown.len() < 2048, "a message of {} bytes", shown.len());
    assert!(shown.contains("more than the 4096"), "{shown}");
    assert_eq!(server.recorded().len(), 1, "the link was not followed");
}

#[tokio::test]
async fn an_undocumented_success_is_taken_when_its_body_is_empty_or_decodes() {
    let server = RecordingServer::start([
        // Replicate documents 204 for a model, 202 for a version.
        (Method::DELETE, "/models/a/ok", Canned::json(200, json!({}))),
        (Method::DELETE, "/models/a/empty", Canned::empty(200)),
        (Method::DELETE, "/models/a/odd", Canned::text(200, "text/html", "<html>deleted?</html>")),
        (Method::DELETE, "/models/a/b/versions/v1", Canned::empty(204)),
        // Baseten documents 200 with a tombstone.
        (Method::DELETE, "/v1/models/m1", Canned::empty(204)),
        (Method::DELETE, "/v1/models/m2", Canned::json(202, json!({"id": "m2", "deleted": true}))),
        (Method::DELETE, "/v1/models/m3", Canned::json(202, json!({"id": "m3", "deleted": false}))),
    ])
    .await;
    let replicate = replicate_at(&settings(&server.base_url));
    for reference in ["replicate:a/ok", "replicate:a/empty"] {
        assert_eq!(delete_model(&replicate, reference).await.unwrap().state, State::Deleted, "{reference}");
    }
    let err = delete_model(&replicate, "replicate:a/odd").await.unwrap_err();
    let Error::UnexpectedResponse { status: Some(200), excerpt, .. } = &err else { panic!("{err:?}") };
    assert!(excerpt.contains("undocumented HTTP 200") && excerpt.contains("<html>deleted?"), "{excerpt}");
    let options = DeleteOptions::default();
    let deleted =
        within("v1", replicate.delete_version(&version("replicate:a/b/versions/v1"), &options)).await;
    assert_eq!(deleted.unwrap().state, State::Accepted);

    let baseten = baseten_at(&settings(&server.base_url));
    let deleted = delete_model(&baseten, "baseten:m1").await.unwrap();
    assert_eq!((deleted.state, deleted.tombstone), (State::Deleted, None));
    let deleted = delete_model(&baseten, "baseten:m2").await.unwrap();
    assert_eq!(deleted.tombstone.map(|t| t.id), Some("m2".to_owned()));
    let err = delete_model(&baseten, "baseten:m3").await.unwrap_err();
    assert!(matches!(err, Error::Conflict { reason: ConflictReason::NotDeleted, .. }), "{err:?}");
}

#[tokio::test]
async fn a_token_is_visible_ascii() {
    for token in ["\u{200B}r8_abc", "r8_abc\u{FEFF}", "r8_\u{202E}abc", "tök€n"] {
        let err = Secret::new(token).unwrap_err().to_string();
        assert!(err.contains("is not visible ASCII") && !err.contains("r8_"), "{token:?}: {err}");
    }
}

/// What a clean-up keeps from a server (the account's name, a deployment's labels) is capped
/// and bounded when kept, and escaped when shown.
#[tokio::test]
async fn an_account_name_and_labels_are_capped_bounded_and_escaped() {
    let hostile = format!("\u{1b}]0;pwned\u{7}\r{}", "w".repeat(100_000));
    let labels: serde_json::Map<String, serde_json::Value> = (0..1_000)
        .map(|i| (format!("k{i:04}\u{1b}[2J"), json!(format!("{}\u{1b}[1A", "v".repeat(10_000)))))
        .collect();
    let deployment = json!({"id": "d1", "created_at": "2026-07-01T12:00:00Z", "name": "d1", "model_id": "m1",
        "is_production": false, "is_development": false, "status": "ACTIVE", "active_replica_count": 0,
        "autoscaling_settings": null, "instance_type_name": null, "environment": null, "labels": labels});
    let server = RecordingServer::start([
        (
            Method::GET,
            "/v1/users/me",
            Canned::json(200, json!({"user_id": hostile, "workspace_name": hostile})),
        ),
        (Method::GET, "/v1/models/m1/deployments", Canned::json(200, json!({"deployments": [deployment]}))),
    ])
    .await;
    let host = baseten_at(&settings(&server.base_url));
    let account = within("the account", host.account()).await.unwrap();
    let cap = modelhost::EXCERPT_BYTES + '…'.len_utf8();
    assert!(account.name.len() <= cap && account.user_id.as_ref().unwrap().len() <= cap, "{account:?}");
    let shown = account.to_string();
    assert!(!has_control(&shown), "{shown:?}");
    let listed = within("the listing", host.list_versions(&model("baseten:m1"))).await.unwrap();
    let labels = &listed[0].labels;
    assert_eq!(labels.len(), 64, "at most 64 labels are kept");
    assert!(labels.iter().all(|(k, v)| k.len() <= cap && v.len() <= cap));
    let facts = modelhost::cleanup::Facts::of(&listed[0], &[]);
    let changes = facts.changes_since(&modelhost::cleanup::Facts::default()).unwrap();
    assert!(!has_control(&changes), "a change in words is escaped");
}
