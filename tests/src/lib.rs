//! Helpers of the workspace tests: [`RecordingServer`], a real HTTP server on 127.0.0.1 that
//! answers from a table and records every request it receives.
//!
//! The crate's documentation below is the README, so its examples are compiled by `cargo test`.
#![doc = include_str!("../../README.md")]

pub mod baseten_server;
pub mod faults;
pub mod gate;
mod rate_limit;
pub mod raw_server;
pub mod replicate_server;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
pub use axum::http::Method;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

/// One request as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The HTTP method.
    pub method: Method,
    /// The path and query exactly as sent (still percent-encoded).
    pub uri: String,
    /// The `Authorization` header, if any.
    pub authorization: Option<String>,
    /// The `User-Agent` header, if any.
    pub user_agent: Option<String>,
    /// Every header as received (values copied, so no record holds on to a read buffer).
    pub headers: HeaderMap,
}

/// A canned answer: status, content type, body, extra headers, and the answer after it.
#[derive(Debug, Clone)]
pub struct Canned {
    status: StatusCode,
    content_type: &'static str,
    body: Body,
    headers: Vec<(&'static str, String)>,
    delay: Option<std::time::Duration>,
    then: Option<Box<Canned>>,
}

#[derive(Debug, Clone)]
enum Body {
    Text(String),
    /// A body that never ends, for testing size limits.
    Endless,
    /// A body that breaks off after the headers, as a dropped connection does.
    Broken,
}

impl Canned {
    /// A JSON answer.
    pub fn json(status: u16, body: serde_json::Value) -> Self {
        Self::with_type(status, "application/json", body)
    }

    /// An RFC 7807 problem answer.
    pub fn problem(status: u16, detail: &str) -> Self {
        let body =
            serde_json::json!({"type": "about:blank", "title": "error", "status": status, "detail": detail});
        Self::with_type(status, "application/problem+json", body)
    }

    /// An answer with no body.
    pub fn empty(status: u16) -> Self {
        Self::text(status, "text/plain", "")
    }

    /// An answer with any text body.
    pub fn text(status: u16, content_type: &'static str, body: impl Into<String>) -> Self {
        Self {
            status: status_code(status),
            content_type,
            body: Body::Text(body.into()),
            headers: Vec::new(),
            delay: None,
            then: None,
        }
    }

    /// A 200 whose body never ends.
    pub fn endless() -> Self {
        Self { body: Body::Endless, ..Self::text(200, "application/json", "") }
    }

    /// A 200 whose connection drops after the headers.
    pub fn broken() -> Self {
        Self { body: Body::Broken, ..Self::text(200, "application/json", "") }
    }

    /// The same answer, sent only after `delay`, as an overloaded server does.
    pub fn delayed(mut self, delay: std::time::Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// The same answer with one more header.
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// This answer once, then `next` (and whatever follows it) for later requests.
    pub fn then(mut self, next: Canned) -> Self {
        let mut last = &mut self;
        while let Some(ref mut following) = last.then {
            last = following;
        }
        last.then = Some(Box::new(next));
        self
    }

    fn with_type(status: u16, content_type: &'static str, body: serde_json::Value) -> Self {
        Self::text(status, content_type, body.to_string())
    }
}

/// A server task on an ephemeral port of 127.0.0.1, stopped when dropped.
pub(crate) struct Serving {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    task: tokio::task::JoinHandle<()>,
}

impl Serving {
    /// Serves `app` on 127.0.0.1.
    pub async fn start(app: axum::Router) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
        let base_url = format!("http://{}", listener.local_addr().expect("local address"));
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("serve");
        });
        Self { base_url, task }
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).expect("tests use valid status codes")
}

#[derive(Default)]
struct State {
    routes: HashMap<(Method, String), Canned>,
    recorded: Vec<Recorded>,
}

/// A server on an ephemeral port of 127.0.0.1; it stops when dropped.
pub struct RecordingServer {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    state: Arc<Mutex<State>>,
    _serving: Serving,
}

impl std::fmt::Debug for RecordingServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordingServer").field("base_url", &self.base_url).finish_non_exhaustive()
    }
}

impl RecordingServer {
    /// Starts a server answering `(method, path-and-query)` from `routes`, and 404 otherwise.
    pub async fn start<P: Into<String>>(routes: impl IntoIterator<Item = (Method, P, Canned)>) -> Self {
        let state = Arc::new(Mutex::new(State {
            routes: routes.into_iter().map(|(m, p, c)| ((m, p.into()), c)).collect(),
            recorded: Vec::new(),
        }));
        let shared = Arc::clone(&state);
        let app = axum::Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap, _body: Bytes| {
                let shared = Arc::clone(&shared);
                async move {
                    let canned = next_answer(&shared, method, uri, &headers);
                    if let Some(delay) = canned.delay {
                        tokio::time::sleep(delay).await;
                    }
                    respond(canned)
                }
            },
        );
        let serving = Serving::start(app).await;
        Self { base_url: serving.base_url.clone(), state, _serving: serving }
    }

    /// Starts a server that answers every request with 404, to see what a client sends.
    pub async fn without_routes() -> Self {
        Self::start(std::iter::empty::<(Method, String, Canned)>()).await
    }

    /// Every request received so far, in order.
    pub fn recorded(&self) -> Vec<Recorded> {
        self.state.lock().expect("state lock").recorded.clone()
    }
}

/// Records the request and picks its answer.
fn next_answer(state: &Mutex<State>, method: Method, uri: Uri, headers: &HeaderMap) -> Canned {
    let header_text = |name| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let path = uri.path_and_query().map_or_else(|| uri.path().to_owned(), |pq| pq.as_str().to_owned());
    let mut state = state.lock().expect("state lock");
    state.recorded.push(Recorded {
        method: method.clone(),
        uri: path.clone(),
        authorization: header_text(header::AUTHORIZATION),
        user_agent: header_text(header::USER_AGENT),
        headers: headers
            .iter()
            .map(|(name, value)| {
                (name.clone(), HeaderValue::from_bytes(value.as_bytes()).expect("a valid value"))
            })
            .collect(),
    });
    let key = (method, path);
    match state.routes.get_mut(&key) {
        Some(route) => match route.then.take() {
            Some(next) => std::mem::replace(route, *next),
            None => route.clone(),
        },
        None => Canned::problem(404, "no such route on the test server"),
    }
}

fn respond(canned: Canned) -> Response {
    let body = match canned.body {
        Body::Text(text) => axum::body::Body::from(text),
        Body::Endless => {
            let chunk = Bytes::from(vec![b' '; 64 * 1024]);
            axum::body::Body::from_stream(futures::stream::repeat_with(move || {
                Ok::<_, std::convert::Infallible>(chunk.clone())
            }))
        }
        Body::Broken => axum::body::Body::from_stream(futures::stream::once(async {
            Err::<Bytes, _>(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "dropped by the test server",
            ))
        })),
    };
    let mut response = (canned.status, [(header::CONTENT_TYPE, canned.content_type)], body).into_response();
    for (name, value) in canned.headers {
        response.headers_mut().insert(name, value.parse().expect("tests use valid header values"));
    }
    response
}

/// A [`RecordingServer`] with its own runtime, for tests that are not async.
pub struct BlockingServer {
    server: RecordingServer,
    _runtime: tokio::runtime::Runtime,
}

impl BlockingServer {
    /// Starts a [`RecordingServer`] on a runtime of its own.
    pub fn start<P: Into<String>>(routes: impl IntoIterator<Item = (Method, P, Canned)>) -> Self {
        let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
        let server = runtime.block_on(RecordingServer::start(routes));
        Self { server, _runtime: runtime }
    }
}

impl std::ops::Deref for BlockingServer {
    type Target = RecordingServer;

    fn deref(&self) -> &RecordingServer {
        &self.server
    }
}
