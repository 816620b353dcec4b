//! A stateful local Baseten on 127.0.0.1: API keys and their workspaces, models with
//! deployments (created, status, production, development, environment), listing models,
//! tombstones on delete, a production deployment that cannot be deleted on its own (only with
//! its model), deactivation, and Baseten's rate limit (429 with `retry_after` in the body);
//! with what costs money in [`billable`]: replicas and instance types, chains, training,
//! prices and the usage summary.

pub mod billable;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use serde_json::json;

#[derive(Debug)]
struct FakeModel {
    workspace: String,
    deployments: Vec<FakeDeployment>,
}

/// A deployment (a model version) and the facts a clean-up reads.
#[derive(Debug, Clone)]
pub struct FakeDeployment {
    /// Its ID.
    pub id: String,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// Its `DeploymentStatusV1` (`ACTIVE`, `BUILD_FAILED`, `INACTIVE`, …).
    pub status: String,
    /// The production deployment: deleted only with its model.
    pub is_production: bool,
    /// The development deployment.
    pub is_development: bool,
    /// The environment it is bound to.
    pub environment: Option<String>,
    /// Its labels.
    pub labels: BTreeMap<String, String>,
    /// Replicas up now, and the autoscaling floor and ceiling.
    pub replicas: billable::Replicas,
    /// Its `instance_type_name`.
    pub instance_type: Option<String>,
}

impl FakeDeployment {
    /// An active deployment created at 2026-07-01T12:00:00Z, neither production nor
    /// development.
    pub fn new(id: &str) -> Self {
        Self {
            id: id.to_owned(),
            created_at: "2026-07-01T12:00:00Z".to_owned(),
            status: "ACTIVE".to_owned(),
            is_production: false,
            is_development: false,
            environment: None,
            labels: BTreeMap::new(),
            replicas: billable::Replicas::default(),
            instance_type: None,
        }
    }

    fn json(&self, model: &str) -> serde_json::Value {
        json!({"id": self.id, "created_at": self.created_at, "name": self.id, "model_id": model,
            "is_production": self.is_production, "is_development": self.is_development, "status": self.status,
            "active_replica_count": self.replicas.active, "autoscaling_settings": self.replicas.autoscaling(),
            "instance_type_name": self.instance_type,
            "environment": self.environment, "labels": self.labels})
    }
}

#[derive(Debug, Default)]
struct World {
    /// API key → workspace.
    keys: BTreeMap<String, String>,
    models: BTreeMap<String, FakeModel>,
    /// (model, deployment) → how many deletes of it the server applied or refused.
    deletes: BTreeMap<(String, String), usize>,
    requests: usize,
    rate: crate::rate_limit::RateWindow,
    /// Chains, training projects, prices and usage.
    billing: billable::Billing,
}

type Shared = Arc<Mutex<World>>;

/// The server; it stops when dropped.
pub struct BasetenServer {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// Faults injected in front of it (none until set).
    pub faults: Arc<crate::faults::Faults>,
    /// Every request's method and path, and a token that expires (see [`crate::gate::Gate`]).
    pub gate: Arc<crate::gate::Gate>,
    world: Shared,
    _serving: crate::Serving,
}

impl BasetenServer {
    /// Starts an empty Baseten.
    pub async fn start() -> Self {
        let world = Shared::default();
        let faults = Arc::<crate::faults::Faults>::default();
        let gate = Arc::<crate::gate::Gate>::default();
        let app = axum::Router::new()
            .route("/v1/models", get(list_models))
            .route("/v1/users/me", get(current_user))
            .route("/v1/models/{model}", delete(delete_model))
            .route("/v1/models/{model}/deployments", get(list_deployments))
            .route(
                "/v1/models/{model}/deployments/{deployment}",
                get(get_deployment).delete(delete_deployment),
            )
            .route("/v1/models/{model}/deployments/{deployment}/deactivate", post(deactivate_deployment))
            .route(
                "/v1/models/{model}/deployments/{deployment}/autoscaling_settings",
                axum::routing::patch(update_autoscaling),
            )
            .merge(billable::routes())
            .with_state(Arc::clone(&world))
            .layer(axum::middleware::from_fn_with_state(Arc::clone(&faults), crate::faults::inject))
            .layer(axum::middleware::from_fn_with_state(Arc::clone(&gate), crate::gate::inspect));
        let serving = crate::Serving::start(app).await;
        Self { base_url: serving.base_url.clone(), faults, gate, world, _serving: serving }
    }

    /// Adds an API key of `workspace`.
    pub fn add_key(&self, key: &str, workspace: &str) {
        self.lock().keys.insert(key.to_owned(), workspace.to_owned());
    }

    /// Adds a model of `workspace`; its first deployment is the production one.
    pub fn add_model(&self, workspace: &str, id: &str, deployments: &[&str]) {
        let deployments = deployments
            .iter()
            .enumerate()
            .map(|(i, d)| FakeDeployment { is_production: i == 0, ..FakeDeployment::new(d) })
            .collect();
        self.add_model_with(workspace, id, deployments);
    }

    /// Adds a model of `workspace` with these deployments, as they are.
    pub fn add_model_with(&self, workspace: &str, id: &str, deployments: Vec<FakeDeployment>) {
        self.lock().models.insert(id.to_owned(), FakeModel { workspace: workspace.to_owned(), deployments });
    }

    /// Changes a deployment in place (promote it, change its status, …).
    pub fn change_deployment(&self, model: &str, id: &str, change: impl FnOnce(&mut FakeDeployment)) {
        let mut world = self.lock();
        let deployment =
            world.models.get_mut(model).and_then(|m| m.deployments.iter_mut().find(|d| d.id == id));
        change(deployment.expect("a deployment of a model the server has"));
    }

    /// Removes a deployment, as a person would out of band.
    pub fn remove_deployment(&self, model: &str, id: &str) {
        if let Some(m) = self.lock().models.get_mut(model) {
            m.deployments.retain(|d| d.id != id);
        }
    }

    /// How many DELETEs of this deployment reached the server (answered other than 429).
    pub fn deletes(&self, model: &str, id: &str) -> usize {
        self.lock().deletes.get(&(model.to_owned(), id.to_owned())).copied().unwrap_or(0)
    }

    /// A deployment as it now stands, if it exists.
    pub fn deployment(&self, model: &str, id: &str) -> Option<FakeDeployment> {
        self.lock().models.get(model)?.deployments.iter().find(|d| d.id == id).cloned()
    }

    /// Whether the model still exists.
    pub fn has_model(&self, id: &str) -> bool {
        self.lock().models.contains_key(id)
    }

    /// How many requests the server has answered, other than with 429.
    pub fn requests(&self) -> usize {
        self.lock().requests
    }

    /// Allows `per_second` requests in each one-second window (Baseten's default is 100);
    /// beyond it, 429 with Baseten's body, which says in `retry_after` how many seconds to wait.
    pub fn limit_rate(&self, per_second: u32) {
        self.lock().rate.limit(per_second);
    }

    /// How many requests were refused with 429.
    pub fn throttled(&self) -> usize {
        self.lock().rate.throttled
    }

    /// Chains, training, prices and usage: add to them, read them.
    pub fn billing<R>(&self, f: impl FnOnce(&mut billable::Billing) -> R) -> R {
        f(&mut self.lock().billing)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, World> {
        self.world.lock().expect("world lock")
    }
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(json!({"error": message}))).into_response()
}

/// Counts the request and finds the caller's workspace, if the key is known
/// (`Bearer`, or the legacy `Api-Key` scheme).
fn workspace(world: &mut World, headers: &HeaderMap) -> Option<String> {
    world.requests += 1;
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let key = value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("Api-Key "))?;
    world.keys.get(key).cloned()
}

/// The caller's model, or the response to send instead: 429 beyond the rate limit, 401 for
/// an unknown key, 404 for a model that does not exist or belongs to another workspace (it
/// is not visible).
fn own_model<'w>(
    world: &'w mut World,
    headers: &HeaderMap,
    id: &str,
) -> Result<&'w mut FakeModel, Box<Response>> {
    if let Err(wait) = world.rate.admit() {
        return Err(Box::new(throttled(wait)));
    }
    let Some(ws) = workspace(world, headers) else {
        return Err(Box::new(error(StatusCode::UNAUTHORIZED, "Invalid API key")));
    };
    match world.models.get_mut(id) {
        Some(model) if model.workspace == ws => Ok(model),
        _ => Err(Box::new(error(StatusCode::NOT_FOUND, "Not found"))),
    }
}

async fn list_models(State(world): State<Shared>, headers: HeaderMap) -> Response {
    let mut world = world.lock().expect("world lock");
    if let Err(wait) = world.rate.admit() {
        return throttled(wait);
    }
    let Some(ws) = workspace(&mut world, &headers) else {
        return error(StatusCode::UNAUTHORIZED, "Invalid API key");
    };
    let models: Vec<_> = world
        .models
        .iter()
        .filter(|(_, m)| m.workspace == ws)
        .map(|(id, m)| {
            let with = |pick: fn(&FakeDeployment) -> bool| m.deployments.iter().find(|d| pick(d)).map(|d| d.id.clone());
            json!({"id": id, "name": id, "created_at": "2026-06-01T12:00:00Z", "deployments_count": m.deployments.len(),
                "production_deployment_id": with(|d| d.is_production), "development_deployment_id": with(|d| d.is_development),
                "instance_type_name": "T4x4x16", "team_name": ws})
        })
        .collect();
    axum::Json(json!({"models": models})).into_response()
}

async fn current_user(State(world): State<Shared>, headers: HeaderMap) -> Response {
    let mut world = world.lock().expect("world lock");
    if let Err(wait) = world.rate.admit() {
        return throttled(wait);
    }
    match workspace(&mut world, &headers) {
        Some(ws) => axum::Json(json!({"user_id": format!("user-of-{ws}"), "workspace_name": ws,
            "name": null, "email": null}))
        .into_response(),
        None => error(StatusCode::UNAUTHORIZED, "Invalid API key"),
    }
}

/// `answer` for the caller's model `id`, or what [`own_model`] sends instead.
fn with_own_model(
    world: &Shared,
    headers: &HeaderMap,
    id: &str,
    answer: impl FnOnce(&mut FakeModel) -> Response,
) -> Response {
    let mut world = world.lock().expect("world lock");
    match own_model(&mut world, headers, id) {
        Ok(model) => answer(model),
        Err(refused) => *refused,
    }
}

async fn get_deployment(
    State(world): State<Shared>,
    Path((id, deployment)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    with_own_model(&world, &headers, &id, |model| {
        match model.deployments.iter().find(|d| d.id == deployment) {
            Some(d) => axum::Json(d.json(&id)).into_response(),
            None => error(StatusCode::NOT_FOUND, "Not found"),
        }
    })
}

async fn deactivate_deployment(
    State(world): State<Shared>,
    Path((id, deployment)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    with_own_model(&world, &headers, &id, |model| {
        match model.deployments.iter_mut().find(|d| d.id == deployment) {
            Some(d) => {
                d.status = "INACTIVE".to_owned();
                axum::Json(json!({"success": true})).into_response()
            }
            None => error(StatusCode::NOT_FOUND, "Not found"),
        }
    })
}

async fn update_autoscaling(
    State(world): State<Shared>,
    Path((id, deployment)): Path<(String, String)>,
    headers: HeaderMap,
    axum::Json(update): axum::Json<serde_json::Value>,
) -> Response {
    with_own_model(&world, &headers, &id, |model| {
        match model.deployments.iter_mut().find(|d| d.id == deployment) {
            Some(d) => {
                let status = d.replicas.update(&update);
                axum::Json(json!({"status": status, "message": "ok"})).into_response()
            }
            None => error(StatusCode::NOT_FOUND, "Not found"),
        }
    })
}

fn throttled(wait: u64) -> Response {
    let body = json!({"error": "Rate limit exceeded. Please try again later.", "retry_after": wait});
    (StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response()
}

async fn delete_model(State(world): State<Shared>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let mut world = world.lock().expect("world lock");
    if let Err(refused) = own_model(&mut world, &headers, &id) {
        return *refused;
    }
    world.models.remove(&id);
    axum::Json(json!({"id": id, "deleted": true})).into_response()
}

async fn list_deployments(
    State(world): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    with_own_model(&world, &headers, &id, |model| {
        let deployments: Vec<_> = model.deployments.iter().map(|d| d.json(&id)).collect();
        axum::Json(json!({"deployments": deployments})).into_response()
    })
}

async fn delete_deployment(
    State(world): State<Shared>,
    Path((id, deployment)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let mut world = world.lock().expect("world lock");
    let admitted = own_model(&mut world, &headers, &id).map(drop);
    if !matches!(&admitted, Err(refused) if refused.status() == StatusCode::TOO_MANY_REQUESTS) {
        *world.deletes.entry((id.clone(), deployment.clone())).or_default() += 1;
    }
    if let Err(refused) = admitted {
        return *refused;
    }
    let model = world.models.get_mut(&id).expect("own_model found it");
    let Some(index) = model.deployments.iter().position(|d| d.id == deployment) else {
        return error(StatusCode::NOT_FOUND, "Not found");
    };
    if model.deployments[index].is_production {
        return error(
            StatusCode::BAD_REQUEST,
            "Cannot delete a production deployment. Promote another deployment to production or delete the entire model.",
        );
    }
    model.deployments.remove(index);
    axum::Json(json!({"id": deployment, "deleted": true, "model_id": id})).into_response()
}
