//! A stateful local Baseten on 127.0.0.1: API keys and their workspaces, models with
//! deployments, tombstones on delete, a production deployment that cannot be deleted on its
//! own (only with its model), and Baseten's rate limit (429 with `retry_after` in the body).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use serde_json::json;

#[derive(Debug)]
struct FakeModel {
    workspace: String,
    /// (deployment ID, is production)
    deployments: Vec<(String, bool)>,
}

#[derive(Debug, Default)]
struct World {
    /// API key → workspace.
    keys: BTreeMap<String, String>,
    models: BTreeMap<String, FakeModel>,
    requests: usize,
    rate: crate::rate_limit::RateWindow,
}

type Shared = Arc<Mutex<World>>;

/// The server; it stops when dropped.
pub struct BasetenServer {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    world: Shared,
    _serving: crate::Serving,
}

impl BasetenServer {
    /// Starts an empty Baseten.
    pub async fn start() -> Self {
        let world = Shared::default();
        let app = axum::Router::new()
            .route("/v1/models/{model}", delete(delete_model))
            .route("/v1/models/{model}/deployments", get(list_deployments))
            .route("/v1/models/{model}/deployments/{deployment}", delete(delete_deployment))
            .with_state(Arc::clone(&world));
        let serving = crate::Serving::start(app).await;
        Self { base_url: serving.base_url.clone(), world, _serving: serving }
    }

    /// Adds an API key of `workspace`.
    pub fn add_key(&self, key: &str, workspace: &str) {
        self.lock().keys.insert(key.to_owned(), workspace.to_owned());
    }

    /// Adds a model of `workspace`; its first deployment is the production one.
    pub fn add_model(&self, workspace: &str, id: &str, deployments: &[&str]) {
        let deployments = deployments.iter().enumerate().map(|(i, d)| ((*d).to_owned(), i == 0)).collect();
        self.lock().models.insert(id.to_owned(), FakeModel { workspace: workspace.to_owned(), deployments });
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
        let body = json!({"error": "Rate limit exceeded. Please try again later.", "retry_after": wait});
        return Err(Box::new((StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response()));
    }
    let Some(ws) = workspace(world, headers) else {
        return Err(Box::new(error(StatusCode::UNAUTHORIZED, "Invalid API key")));
    };
    match world.models.get_mut(id) {
        Some(model) if model.workspace == ws => Ok(model),
        _ => Err(Box::new(error(StatusCode::NOT_FOUND, "Not found"))),
    }
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
    let mut world = world.lock().expect("world lock");
    let model = match own_model(&mut world, &headers, &id) {
        Ok(model) => model,
        Err(refused) => return *refused,
    };
    let deployments: Vec<_> = model
        .deployments
        .iter()
        .map(|(d, production)| {
            json!({"id": d, "created_at": "2026-07-01T12:00:00Z", "name": d, "model_id": id,
                "is_production": production, "is_development": false, "status": "ACTIVE",
                "active_replica_count": 0, "autoscaling_settings": null, "instance_type_name": null, "environment": null})
        })
        .collect();
    axum::Json(json!({"deployments": deployments})).into_response()
}

async fn delete_deployment(
    State(world): State<Shared>,
    Path((id, deployment)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let mut world = world.lock().expect("world lock");
    let model = match own_model(&mut world, &headers, &id) {
        Ok(model) => model,
        Err(refused) => return *refused,
    };
    let Some(index) = model.deployments.iter().position(|(d, _)| *d == deployment) else {
        return error(StatusCode::NOT_FOUND, "Not found");
    };
    if model.deployments[index].1 {
        return error(
            StatusCode::BAD_REQUEST,
            "Cannot delete a production deployment. Promote another deployment to production or delete the entire model.",
        );
    }
    model.deployments.remove(index);
    axum::Json(json!({"id": deployment, "deleted": true, "model_id": id})).into_response()
}
