//! A stateful local Replicate on 127.0.0.1: owners and tokens, private and public models,
//! versions with the guide's restrictions, asynchronous version deletion (a deleted version
//! stays listed for a configurable while), cursor pagination and problem+json errors.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};

/// A version and what stands in the way of deleting it.
#[derive(Debug, Clone, Default)]
pub struct FakeVersion {
    /// Its ID.
    pub id: String,
    /// Someone other than the owner ran predictions with it.
    pub used_by_others: bool,
    /// It is the base of a fine-tune.
    pub fine_tune_base: bool,
    /// It has a deployment.
    pub has_deployment: bool,
    deleted_at: Option<Instant>,
}

impl FakeVersion {
    /// A version nothing stands in the way of.
    pub fn new(id: impl Into<String>) -> Self {
        Self { id: id.into(), ..Self::default() }
    }
}

#[derive(Debug)]
struct FakeModel {
    public: bool,
    versions: Vec<FakeVersion>,
}

#[derive(Debug)]
struct World {
    /// token → owner.
    tokens: BTreeMap<String, String>,
    models: BTreeMap<(String, String), FakeModel>,
    deletion_delay: Duration,
    page_size: usize,
    requests: usize,
    rate: crate::rate_limit::RateWindow,
}

/// The server; it stops when dropped.
pub struct ReplicateServer {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    world: Arc<Mutex<World>>,
    _serving: crate::Serving,
}

type Shared = Arc<Mutex<World>>;

impl ReplicateServer {
    /// Starts an empty Replicate where deleted versions stay listed for `deletion_delay`,
    /// listing `page_size` versions a page.
    pub async fn start(deletion_delay: Duration, page_size: usize) -> Self {
        let world = Arc::new(Mutex::new(World {
            tokens: BTreeMap::new(),
            models: BTreeMap::new(),
            deletion_delay,
            page_size,
            requests: 0,
            rate: Default::default(),
        }));
        let app = axum::Router::new()
            .route("/models/{owner}/{name}", delete(delete_model))
            .route("/models/{owner}/{name}/versions", get(list_versions))
            .route("/models/{owner}/{name}/versions/{id}", delete(delete_version))
            .with_state(Arc::clone(&world));
        let serving = crate::Serving::start(app).await;
        Self { base_url: serving.base_url.clone(), world, _serving: serving }
    }

    /// Adds an owner and the token that authenticates as it.
    pub fn add_owner(&self, owner: &str, token: &str) {
        self.lock().tokens.insert(token.to_owned(), owner.to_owned());
    }

    /// Adds a model with its versions (newest first).
    pub fn add_model(&self, owner: &str, name: &str, public: bool, versions: Vec<FakeVersion>) {
        self.lock().models.insert((owner.to_owned(), name.to_owned()), FakeModel { public, versions });
    }

    /// Whether the model still exists.
    pub fn has_model(&self, owner: &str, name: &str) -> bool {
        self.lock().models.contains_key(&(owner.to_owned(), name.to_owned()))
    }

    /// How many requests the server has answered, other than with 429.
    pub fn requests(&self) -> usize {
        self.lock().requests
    }

    /// Allows `per_second` requests in each one-second window; beyond it, 429 with
    /// `Retry-After` (whole seconds, as Replicate sends it) and a problem document.
    pub fn limit_rate(&self, per_second: u32) {
        self.lock().rate.limit(per_second);
    }

    /// How many requests were refused with 429.
    pub fn throttled(&self) -> usize {
        self.lock().rate.throttled
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, World> {
        self.world.lock().expect("world lock")
    }
}

fn problem(status: u16, detail: &str) -> Response {
    let body =
        serde_json::json!({"type": "about:blank", "title": "error", "status": status, "detail": detail});
    let status = StatusCode::from_u16(status).expect("valid status");
    (status, [(header::CONTENT_TYPE, "application/problem+json")], body.to_string()).into_response()
}

/// The 429 to send when the rate limit is reached.
fn throttle(world: &mut World) -> Option<Response> {
    let wait = world.rate.admit().err()?;
    let mut response = problem(429, "Request was throttled. Your rate limit resets in ~1s.");
    response.headers_mut().insert(header::RETRY_AFTER, wait.into());
    Some(response)
}

/// Counts the request and finds who is asking, if the token is known.
fn caller(world: &mut World, headers: &HeaderMap) -> Option<String> {
    world.requests += 1;
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    world.tokens.get(token).cloned()
}

fn unauthenticated() -> Response {
    problem(401, "Invalid token.")
}

impl World {
    fn listed(&self, model: &FakeModel) -> Vec<FakeVersion> {
        let now = Instant::now();
        model
            .versions
            .iter()
            .filter(|v| v.deleted_at.is_none_or(|at| now < at + self.deletion_delay))
            .cloned()
            .collect()
    }
}

async fn list_versions(
    State(world): State<Shared>,
    Path((owner, name)): Path<(String, String)>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let mut world = world.lock().expect("world lock");
    if let Some(throttled) = throttle(&mut world) {
        return throttled;
    }
    if caller(&mut world, &headers).is_none() {
        return unauthenticated();
    }
    let Some(model) = world.models.get(&(owner.clone(), name.clone())) else {
        return problem(404, "Not found.");
    };
    let listed = world.listed(model);
    let start: usize = query.get("cursor").and_then(|c| c.parse().ok()).unwrap_or(0);
    let end = (start + world.page_size).min(listed.len());
    let results: Vec<_> = listed[start.min(end)..end]
        .iter()
        .map(|v| serde_json::json!({"id": v.id, "created_at": "2026-07-01T12:00:00Z", "cog_version": "0.9.0", "openapi_schema": {}}))
        .collect();
    let next = (end < listed.len())
        .then(|| format!("https://api.replicate.com/v1/models/{owner}/{name}/versions?cursor={end}"));
    axum::Json(serde_json::json!({"next": next, "previous": null, "results": results})).into_response()
}

async fn delete_version(
    State(world): State<Shared>,
    Path((owner, name, id)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    let mut world = world.lock().expect("world lock");
    if let Some(throttled) = throttle(&mut world) {
        return throttled;
    }
    let Some(who) = caller(&mut world, &headers) else { return unauthenticated() };
    let Some(model) = world.models.get_mut(&(owner.clone(), name)) else { return problem(404, "Not found.") };
    if who != owner || model.public {
        return problem(403, "You can only delete versions of private models you own.");
    }
    let Some(version) = model.versions.iter_mut().find(|v| v.id == id && v.deleted_at.is_none()) else {
        return problem(404, "Not found.");
    };
    if version.used_by_others {
        return problem(409, "Cannot delete a version that others have run predictions with.");
    }
    if version.fine_tune_base {
        return problem(409, "Cannot delete a version that is the base model for a fine-tune.");
    }
    if version.has_deployment {
        return problem(409, "Cannot delete a version that has an associated deployment.");
    }
    version.deleted_at = Some(Instant::now());
    StatusCode::ACCEPTED.into_response()
}

async fn delete_model(
    State(world): State<Shared>,
    Path((owner, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let mut world = world.lock().expect("world lock");
    if let Some(throttled) = throttle(&mut world) {
        return throttled;
    }
    let Some(who) = caller(&mut world, &headers) else { return unauthenticated() };
    let key = (owner.clone(), name);
    let Some(model) = world.models.get(&key) else { return problem(404, "Not found.") };
    if who != owner || model.public {
        return problem(403, "You can only delete private models you own.");
    }
    if !world.listed(model).is_empty() {
        return problem(409, "Model has versions. Delete them before deleting the model.");
    }
    world.models.remove(&key);
    StatusCode::NO_CONTENT.into_response()
}
