//! A stateful local Replicate on 127.0.0.1: owners and tokens (`GET /account`), private
//! models others cannot see and public ones they cannot delete, versions with all six of the
//! published restrictions, deployments that hold the version they serve (deletable only when
//! idle), asynchronous version deletion (a deleted version stays listed for a configurable
//! while), cursor pagination and problem+json errors; and what costs money: each
//! deployment's hardware and instances (changed by `PATCH`), and the account's predictions.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
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
    /// Another model version is overridden to use it.
    pub overridden_by: Option<String>,
    /// When it was created (RFC 3339); `2026-07-01T12:00:00Z` when not set.
    pub created_at: Option<String>,
    deleted_at: Option<Instant>,
}

impl FakeVersion {
    /// A version nothing stands in the way of.
    pub fn new(id: impl Into<String>) -> Self {
        Self { id: id.into(), ..Self::default() }
    }

    /// The same, created at `at` (RFC 3339).
    pub fn created(self, at: &str) -> Self {
        Self { created_at: Some(at.to_owned()), ..self }
    }
}

#[derive(Debug)]
struct FakeModel {
    public: bool,
    versions: Vec<FakeVersion>,
}

/// A deployment, serving one version of a model.
#[derive(Debug, Clone)]
pub struct FakeDeployment {
    /// The model served, as (owner, name).
    pub model: (String, String),
    /// The version served: the deployment holds it.
    pub version: String,
    /// Its current release number.
    pub release: i64,
    /// Offline and unused for at least 15 minutes: it may be deleted.
    pub idle: bool,
}

/// A deployment's hardware and scaling (`current_release.configuration`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Configuration {
    /// The hardware SKU (`gpu-t4`, …).
    pub hardware: String,
    /// Instances kept online while idle.
    pub min_instances: u32,
    /// The most instances it scales to.
    pub max_instances: u32,
}

impl Default for Configuration {
    fn default() -> Self {
        Self { hardware: "gpu-t4".to_owned(), min_instances: 0, max_instances: 1 }
    }
}

/// A prediction of the account.
#[derive(Debug, Clone)]
pub struct FakePrediction {
    /// The deployment that served it, `OWNER/NAME`.
    pub deployment: Option<String>,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// `metrics.predict_time` as the JSON text sent (seconds), when there is one.
    pub predict_time: Option<String>,
}

#[derive(Debug)]
struct World {
    /// (owner, name) → hardware and scaling, where not the default.
    configurations: BTreeMap<(String, String), Configuration>,
    /// owner → their predictions, newest first.
    predictions: BTreeMap<String, Vec<FakePrediction>>,
    /// token → owner.
    tokens: BTreeMap<String, String>,
    models: BTreeMap<(String, String), FakeModel>,
    /// (owner, name) → deployment.
    deployments: BTreeMap<(String, String), FakeDeployment>,
    deletion_delay: Duration,
    page_size: usize,
    requests: usize,
    /// Listings of the deployments begun (first pages served).
    deployment_listings: usize,
    rate: crate::rate_limit::RateWindow,
}

/// The server; it stops when dropped.
pub struct ReplicateServer {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// Faults injected in front of it (none until set).
    pub faults: Arc<crate::faults::Faults>,
    /// Every request's method and path, and a token that expires (see [`crate::gate::Gate`]).
    pub gate: Arc<crate::gate::Gate>,
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
            deployments: BTreeMap::new(),
            configurations: BTreeMap::new(),
            predictions: BTreeMap::new(),
            deletion_delay,
            page_size,
            requests: 0,
            deployment_listings: 0,
            rate: Default::default(),
        }));
        let faults = Arc::<crate::faults::Faults>::default();
        let gate = Arc::<crate::gate::Gate>::default();
        let app = axum::Router::new()
            .route("/models/{owner}/{name}", delete(delete_model))
            .route("/models/{owner}/{name}/versions", get(list_versions))
            .route("/models/{owner}/{name}/versions/{id}", get(get_version).delete(delete_version))
            .route("/deployments", get(list_deployments))
            .route(
                "/deployments/{owner}/{name}",
                get(get_deployment).delete(delete_deployment).patch(update_deployment),
            )
            .route("/predictions", get(list_predictions))
            .route("/account", get(account))
            .with_state(Arc::clone(&world))
            .layer(axum::middleware::from_fn_with_state(Arc::clone(&faults), crate::faults::inject))
            .layer(axum::middleware::from_fn_with_state(Arc::clone(&gate), crate::gate::inspect));
        let serving = crate::Serving::start(app).await;
        Self { base_url: serving.base_url.clone(), faults, gate, world, _serving: serving }
    }

    /// Adds an owner and the token that authenticates as it.
    pub fn add_owner(&self, owner: &str, token: &str) {
        self.lock().tokens.insert(token.to_owned(), owner.to_owned());
    }

    /// Adds a model with its versions (newest first).
    pub fn add_model(&self, owner: &str, name: &str, public: bool, versions: Vec<FakeVersion>) {
        self.lock().models.insert((owner.to_owned(), name.to_owned()), FakeModel { public, versions });
    }

    /// Adds a deployment `owner/name`.
    pub fn add_deployment(&self, owner: &str, name: &str, deployment: FakeDeployment) {
        self.lock().deployments.insert((owner.to_owned(), name.to_owned()), deployment);
    }

    /// Sets a deployment's hardware and scaling (the default: `gpu-t4`, 0 to 1 instances).
    pub fn configure_deployment(&self, owner: &str, name: &str, configuration: Configuration) {
        self.lock().configurations.insert((owner.to_owned(), name.to_owned()), configuration);
    }

    /// A deployment's hardware and scaling now.
    pub fn configuration(&self, owner: &str, name: &str) -> Configuration {
        self.lock().configurations.get(&(owner.to_owned(), name.to_owned())).cloned().unwrap_or_default()
    }

    /// Adds a prediction of `owner`'s account (add the newest last).
    pub fn add_prediction(&self, owner: &str, prediction: FakePrediction) {
        self.lock().predictions.entry(owner.to_owned()).or_default().insert(0, prediction);
    }

    /// Whether the deployment still exists.
    pub fn has_deployment(&self, owner: &str, name: &str) -> bool {
        self.lock().deployments.contains_key(&(owner.to_owned(), name.to_owned()))
    }

    /// How many versions of the model are still listed.
    pub fn listed_versions(&self, owner: &str, name: &str) -> usize {
        let world = self.lock();
        world.models.get(&(owner.to_owned(), name.to_owned())).map_or(0, |m| world.still_listed(m).count())
    }

    /// Whether the model still exists.
    pub fn has_model(&self, owner: &str, name: &str) -> bool {
        self.lock().models.contains_key(&(owner.to_owned(), name.to_owned()))
    }

    /// How many listings of the deployments were begun.
    pub fn deployment_listings(&self) -> usize {
        self.lock().deployment_listings
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

/// Locks the world, rate-limits and counts the request, and authenticates it: the world and
/// who is asking, or the answer to send instead (429 or 401).
fn admit<'w>(
    world: &'w Shared,
    headers: &HeaderMap,
) -> Result<(MutexGuard<'w, World>, String), Box<Response>> {
    let mut world = world.lock().expect("world lock");
    if let Some(throttled) = throttle(&mut world) {
        return Err(Box::new(throttled));
    }
    let who = caller(&mut world, headers).ok_or_else(|| Box::new(unauthenticated()))?;
    Ok((world, who))
}

fn unauthenticated() -> Response {
    problem(401, "Invalid token.")
}

impl World {
    /// A deployment's configuration (the default unless set).
    fn configured(&self, owner: &str, name: &str) -> Configuration {
        self.configurations.get(&(owner.to_owned(), name.to_owned())).cloned().unwrap_or_default()
    }

    /// The model, unless it is someone else's private one (which others get 404 for).
    fn visible(&self, who: &str, owner: &str, name: &str) -> Option<&FakeModel> {
        self.models.get(&(owner.to_owned(), name.to_owned())).filter(|m| m.public || who == owner)
    }

    fn listed(&self, model: &FakeModel) -> Vec<FakeVersion> {
        self.still_listed(model).cloned().collect()
    }

    /// The versions of `model` still listed: not deleted, or deleted less than
    /// `deletion_delay` ago.
    fn still_listed<'m>(&self, model: &'m FakeModel) -> impl Iterator<Item = &'m FakeVersion> {
        let (now, delay) = (Instant::now(), self.deletion_delay);
        model.versions.iter().filter(move |v| v.deleted_at.is_none_or(|at| now < at + delay))
    }
}

async fn list_versions(
    State(world): State<Shared>,
    Path((owner, name)): Path<(String, String)>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let (world, who) = match admit(&world, &headers) {
        Ok(admitted) => admitted,
        Err(refused) => return *refused,
    };
    let Some(model) = world.visible(&who, &owner, &name) else { return problem(404, "Not found.") };
    let listed = world.listed(model);
    let start: usize = query.get("cursor").and_then(|c| c.parse().ok()).unwrap_or(0);
    let end = (start + world.page_size).min(listed.len());
    let results: Vec<_> = listed[start.min(end)..end].iter().map(version_json).collect();
    let next = (end < listed.len())
        .then(|| format!("https://api.replicate.com/v1/models/{owner}/{name}/versions?cursor={end}"));
    axum::Json(serde_json::json!({"next": next, "previous": null, "results": results})).into_response()
}

fn version_json(v: &FakeVersion) -> serde_json::Value {
    let created_at = v.created_at.as_deref().unwrap_or("2026-07-01T12:00:00Z");
    serde_json::json!({"id": v.id, "created_at": created_at, "cog_version": "0.9.0", "openapi_schema": {}})
}

async fn get_version(
    State(world): State<Shared>,
    Path((owner, name, id)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    let (world, who) = match admit(&world, &headers) {
        Ok(admitted) => admitted,
        Err(refused) => return *refused,
    };
    let Some(model) = world.visible(&who, &owner, &name) else { return problem(404, "Not found.") };
    match world.still_listed(model).find(|v| v.id == id) {
        Some(version) => axum::Json(version_json(version)).into_response(),
        None => problem(404, "Not found."),
    }
}

async fn delete_version(
    State(world): State<Shared>,
    Path((owner, name, id)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    let (mut world, who) = match admit(&world, &headers) {
        Ok(admitted) => admitted,
        Err(refused) => return *refused,
    };
    if world.visible(&who, &owner, &name).is_none() {
        return problem(404, "Not found.");
    }
    let held =
        world.deployments.iter().any(|(_, d)| d.model == (owner.clone(), name.clone()) && d.version == id);
    let model = world.models.get_mut(&(owner.clone(), name)).expect("visible");
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
    if held {
        return problem(409, "Cannot delete a version that has an associated deployment.");
    }
    if version.overridden_by.is_some() {
        return problem(409, "Cannot delete a version that another model version is overridden to use.");
    }
    version.deleted_at = Some(Instant::now());
    StatusCode::ACCEPTED.into_response()
}

async fn delete_model(
    State(world): State<Shared>,
    Path((owner, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let (mut world, who) = match admit(&world, &headers) {
        Ok(admitted) => admitted,
        Err(refused) => return *refused,
    };
    let Some(model) = world.visible(&who, &owner, &name) else { return problem(404, "Not found.") };
    let key = (owner.clone(), name);
    if who != owner || model.public {
        return problem(403, "You can only delete private models you own.");
    }
    if !world.listed(model).is_empty() {
        return problem(409, "Model has versions. Delete them before deleting the model.");
    }
    world.models.remove(&key);
    StatusCode::NO_CONTENT.into_response()
}

fn deployment_json(owner: &str, name: &str, d: &FakeDeployment, c: &Configuration) -> serde_json::Value {
    serde_json::json!({
        "owner": owner,
        "name": name,
        "current_release": {
            "number": d.release,
            "model": format!("{}/{}", d.model.0, d.model.1),
            "version": d.version,
            "created_at": "2026-07-01T12:00:00Z",
            "created_by": {"type": "user", "username": owner, "name": owner},
            "configuration": {"hardware": c.hardware, "min_instances": c.min_instances, "max_instances": c.max_instances}
        }
    })
}

async fn list_deployments(
    State(world): State<Shared>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let (mut world, who) = match admit(&world, &headers) {
        Ok(admitted) => admitted,
        Err(refused) => return *refused,
    };
    let start: usize = query.get("cursor").and_then(|c| c.parse().ok()).unwrap_or(0);
    if start == 0 {
        world.deployment_listings += 1;
    }
    let own: Vec<_> = world.deployments.iter().filter(|((owner, _), _)| *owner == who).collect();
    let end = (start + world.page_size).min(own.len());
    let results: Vec<_> = own[start.min(end)..end]
        .iter()
        .map(|((owner, name), d)| deployment_json(owner, name, d, &world.configured(owner, name)))
        .collect();
    let next = (end < own.len()).then(|| format!("https://api.replicate.com/v1/deployments?cursor={end}"));
    axum::Json(serde_json::json!({"next": next, "previous": null, "results": results})).into_response()
}

async fn get_deployment(
    State(world): State<Shared>,
    Path((owner, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let (world, who) = match admit(&world, &headers) {
        Ok(admitted) => admitted,
        Err(refused) => return *refused,
    };
    match world.deployments.get(&(owner.clone(), name.clone())) {
        Some(d) if who == owner => {
            axum::Json(deployment_json(&owner, &name, d, &world.configured(&owner, &name))).into_response()
        }
        _ => problem(404, "Not found."),
    }
}

async fn update_deployment(
    State(world): State<Shared>,
    Path((owner, name)): Path<(String, String)>,
    headers: HeaderMap,
    axum::Json(update): axum::Json<serde_json::Value>,
) -> Response {
    let (mut world, who) = match admit(&world, &headers) {
        Ok(admitted) => admitted,
        Err(refused) => return *refused,
    };
    let key = (owner.clone(), name.clone());
    if who != owner || !world.deployments.contains_key(&key) {
        return problem(404, "Not found.");
    }
    let mut configuration = world.configured(&owner, &name);
    let count = |field: &str| update.get(field).and_then(serde_json::Value::as_u64).map(|n| n as u32);
    if let Some(min) = count("min_instances") {
        if min > 5 {
            return problem(422, "min_instances must be at most 5");
        }
        configuration.min_instances = min;
    }
    if let Some(max) = count("max_instances") {
        configuration.max_instances = max;
    }
    world.configurations.insert(key.clone(), configuration.clone());
    let deployment = world.deployments.get_mut(&key).expect("checked above");
    deployment.release += 1;
    let deployment = deployment.clone();
    axum::Json(deployment_json(&owner, &name, &deployment, &configuration)).into_response()
}

async fn list_predictions(
    State(world): State<Shared>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let (world, who) = match admit(&world, &headers) {
        Ok(admitted) => admitted,
        Err(refused) => return *refused,
    };
    let after = query.get("created_after").cloned().unwrap_or_default();
    let own: Vec<&FakePrediction> = world
        .predictions
        .get(&who)
        .into_iter()
        .flatten()
        .filter(|p| chrono_after(&p.created_at, &after))
        .collect();
    let start: usize = query.get("cursor").and_then(|c| c.parse().ok()).unwrap_or(0);
    let end = (start + 100).min(own.len());
    let results: Vec<String> = own[start.min(end)..end]
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let metrics = p.predict_time.as_ref().map_or("{}".to_owned(), |t| format!(r#"{{"predict_time": {t}}}"#));
            let deployment = serde_json::json!(p.deployment);
            format!(
                r#"{{"id": "p{}", "model": "m/m", "status": "succeeded", "created_at": "{}", "deployment": {deployment}, "metrics": {metrics}}}"#,
                start + i,
                p.created_at
            )
        })
        .collect();
    let next = serde_json::json!(
        (end < own.len()).then(|| format!("https://api.replicate.com/v1/predictions?cursor={end}"))
    );
    let body = format!(r#"{{"next": {next}, "previous": null, "results": [{}]}}"#, results.join(","));
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Whether the RFC 3339 time `at` is at or after `after` (empty: always).
fn chrono_after(at: &str, after: &str) -> bool {
    let parse = |t: &str| chrono::DateTime::parse_from_rfc3339(t).ok();
    match (parse(at), parse(after)) {
        (Some(at), Some(after)) => at >= after,
        _ => after.is_empty(),
    }
}

async fn delete_deployment(
    State(world): State<Shared>,
    Path((owner, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let (mut world, who) = match admit(&world, &headers) {
        Ok(admitted) => admitted,
        Err(refused) => return *refused,
    };
    let key = (owner.clone(), name);
    match world.deployments.get(&key) {
        Some(d) if who == owner => {
            if !d.idle {
                return problem(
                    409,
                    "A deployment can only be deleted once it has been offline and unused for 15 minutes.",
                );
            }
            world.deployments.remove(&key);
            StatusCode::NO_CONTENT.into_response()
        }
        _ => problem(404, "Not found."),
    }
}

async fn account(State(world): State<Shared>, headers: HeaderMap) -> Response {
    let (_world, who) = match admit(&world, &headers) {
        Ok(admitted) => admitted,
        Err(refused) => return *refused,
    };
    axum::Json(serde_json::json!({"type": "user", "username": who, "name": who, "github_url": null}))
        .into_response()
}
