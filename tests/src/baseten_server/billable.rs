//! What costs money on the local Baseten: replicas and autoscaling, chains with deployments
//! of chainlets, training projects with jobs, instance type prices, the usage summary (at
//! most 31 days a call, nothing before 2026-01-01; 403 for a key that may not read it), and
//! a deployment's request metrics (at most a 7-day window).

use std::collections::{BTreeMap, BTreeSet};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::{Shared, World, error, throttled, workspace};

/// Replicas up now and the autoscaling floor and ceiling.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Replicas {
    /// `active_replica_count`.
    pub active: u32,
    /// `autoscaling_settings.min_replica`.
    pub min: u32,
    /// `autoscaling_settings.max_replica`.
    pub max: u32,
}

impl Replicas {
    /// `active` up now, between `min` and `max`.
    pub fn new(active: u32, min: u32, max: u32) -> Self {
        Self { active, min, max }
    }

    pub(super) fn autoscaling(&self) -> Value {
        json!({"min_replica": self.min, "max_replica": self.max, "autoscaling_window": 60,
            "scale_down_delay": 900, "concurrency_target": 1, "target_utilization_percentage": 70})
    }

    /// Applies an autoscaling update; Baseten's answer status (`ACCEPTED` or `UNCHANGED`).
    pub(super) fn update(&mut self, update: &Value) -> &'static str {
        let before = *self;
        if let Some(min) = update.get("min_replica").and_then(Value::as_u64) {
            self.min = min as u32;
        }
        if let Some(max) = update.get("max_replica").and_then(Value::as_u64) {
            self.max = max as u32;
        }
        if before == *self { "UNCHANGED" } else { "ACCEPTED" }
    }
}

/// A chainlet of a chain deployment.
#[derive(Debug, Clone)]
pub struct FakeChainlet {
    /// Its ID (the usage summary's billable resource for it).
    pub id: String,
    /// Its `instance_type_name`.
    pub instance_type: String,
    /// Its replicas.
    pub replicas: Replicas,
}

/// A deployment of a chain.
#[derive(Debug, Clone)]
pub struct FakeChainDeployment {
    /// Its ID.
    pub id: String,
    /// Its `DeploymentStatusV1`.
    pub status: String,
    /// Its chainlets.
    pub chainlets: Vec<FakeChainlet>,
}

/// A training job.
#[derive(Debug, Clone)]
pub struct FakeJob {
    /// Its ID.
    pub id: String,
    /// Its `current_status` (`TRAINING_JOB_RUNNING`, …).
    pub status: String,
    /// Its instance type's ID.
    pub instance_type: String,
}

/// One day of a resource's usage.
#[derive(Debug, Clone)]
pub struct FakeDay {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Minutes billed.
    pub minutes: u64,
    /// Subtotal, as the JSON text sent (a number or a quoted decimal string).
    pub subtotal: String,
    /// Inference requests served.
    pub requests: u64,
}

/// A billable resource's usage, day by day.
#[derive(Debug, Clone)]
pub struct FakeUsage {
    /// `MODEL_DEPLOYMENT`, `CHAINLET` or `TRAINING_JOB`.
    pub kind: &'static str,
    /// The resource's ID (a deployment, chainlet or job).
    pub id: String,
    /// For a chainlet: its chain and chain deployment.
    pub chain: Option<(String, String)>,
    /// Its days.
    pub days: Vec<FakeDay>,
}

/// Chains, training, prices and usage of the local Baseten.
#[derive(Debug, Default)]
pub struct Billing {
    /// chain ID → (workspace, deployments).
    chains: Owned<FakeChainDeployment>,
    /// project ID → (workspace, jobs).
    projects: Owned<FakeJob>,
    /// (id, name, USD per minute as JSON text).
    prices: Vec<(String, String, String)>,
    usage: Vec<FakeUsage>,
    /// Keys the usage summary refuses with 403 (not an admin's).
    pub usage_forbidden_for: BTreeSet<String>,
    /// The usage summary answers 500 (a failure of the billing backend).
    pub usage_fails: bool,
    /// Usage summaries asked for, as (start, end) dates.
    pub usage_calls: Vec<(String, String)>,
    /// (model, deployment) → when each inference request came (epoch milliseconds).
    requests: BTreeMap<(String, String), Vec<i64>>,
}

impl Billing {
    /// Adds a chain of `workspace` with its deployments.
    pub fn add_chain(&mut self, workspace: &str, id: &str, deployments: Vec<FakeChainDeployment>) {
        self.chains.insert(id.to_owned(), (workspace.to_owned(), deployments));
    }

    /// Adds a training project of `workspace` with its jobs.
    pub fn add_project(&mut self, workspace: &str, id: &str, jobs: Vec<FakeJob>) {
        self.projects.insert(id.to_owned(), (workspace.to_owned(), jobs));
    }

    /// Publishes an instance type's price: `id`, display `name`, USD per minute as JSON
    /// text (`0.01052`).
    pub fn add_price(&mut self, id: &str, name: &str, per_minute: &str) {
        self.prices.push((id.to_owned(), name.to_owned(), per_minute.to_owned()));
    }

    /// Records a resource's usage.
    pub fn add_usage(&mut self, usage: FakeUsage) {
        self.usage.push(usage);
    }

    /// Records inference requests to a model deployment at these times (epoch milliseconds),
    /// which its metrics count.
    pub fn add_requests(&mut self, model: &str, deployment: &str, at: &[i64]) {
        self.requests.entry((model.to_owned(), deployment.to_owned())).or_default().extend(at);
    }

    /// A chain deployment as it now stands.
    pub fn chain_deployment(&self, chain: &str, id: &str) -> Option<FakeChainDeployment> {
        self.chains.get(chain)?.1.iter().find(|d| d.id == id).cloned()
    }

    /// A training job as it now stands.
    pub fn job(&self, project: &str, id: &str) -> Option<FakeJob> {
        self.projects.get(project)?.1.iter().find(|j| j.id == id).cloned()
    }

    /// Whether the chain exists.
    pub fn has_chain(&self, id: &str) -> bool {
        self.chains.contains_key(id)
    }

    /// Whether the training project exists.
    pub fn has_project(&self, id: &str) -> bool {
        self.projects.contains_key(id)
    }
}

pub(super) fn routes() -> axum::Router<Shared> {
    axum::Router::new()
        .route("/v1/chains", get(list_chains))
        .route("/v1/chains/{chain}", get(get_chain).delete(delete_chain))
        .route("/v1/chains/{chain}/deployments", get(list_chain_deployments))
        .route(
            "/v1/chains/{chain}/deployments/{deployment}",
            get(get_chain_deployment).delete(delete_chain_deployment),
        )
        .route("/v1/chains/{chain}/deployments/{deployment}/deactivate", post(deactivate_chain_deployment))
        .route("/v1/training_projects", get(list_projects))
        .route("/v1/training_projects/{project}", axum::routing::delete(delete_project))
        .route("/v1/training_projects/{project}/jobs", get(list_jobs))
        .route("/v1/training_projects/{project}/jobs/{job}", axum::routing::delete(delete_job))
        .route("/v1/training_projects/{project}/jobs/{job}/stop", post(stop_job))
        .route("/v1/instance_type_prices", get(prices))
        .route("/v1/billing/usage_summary", get(usage_summary))
        .route("/v1/models/{model}/deployments/{deployment}/metrics", get(metrics))
}

/// Locks the world, rate-limits and authenticates: the world and the caller's workspace, or
/// the answer to send instead.
fn admit<'w>(
    world: &'w Shared,
    headers: &HeaderMap,
) -> Result<(std::sync::MutexGuard<'w, World>, String), Box<Response>> {
    let mut world = world.lock().expect("world lock");
    if let Err(wait) = world.rate.admit() {
        return Err(Box::new(throttled(wait)));
    }
    match workspace(&mut world, headers) {
        Some(ws) => Ok((world, ws)),
        None => Err(Box::new(error(StatusCode::UNAUTHORIZED, "Invalid API key"))),
    }
}

fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "Not found")
}

const CREATED: &str = "2026-06-01T12:00:00Z";

fn chain_deployment_json(chain: &str, d: &FakeChainDeployment) -> Value {
    let chainlets: Vec<_> = d
        .chainlets
        .iter()
        .map(|c| {
            json!({"id": c.id, "name": c.id, "autoscaling_settings": c.replicas.autoscaling(),
                "instance_type_name": c.instance_type, "active_replica_count": c.replicas.active, "status": d.status})
        })
        .collect();
    json!({"id": d.id, "created_at": CREATED, "chain_id": chain, "environment": null, "chainlets": chainlets,
        "status": d.status})
}

fn chain_json(id: &str, ws: &str, deployments: &[FakeChainDeployment]) -> Value {
    json!({"id": id, "created_at": CREATED, "name": id, "deployments_count": deployments.len(), "team_name": ws})
}

async fn list_chains(State(world): State<Shared>, headers: HeaderMap) -> Response {
    let (world, ws) = match admit(&world, &headers) {
        Ok(admitted) => admitted,
        Err(refused) => return *refused,
    };
    let chains: Vec<_> = world
        .billing
        .chains
        .iter()
        .filter(|(_, (owner, _))| *owner == ws)
        .map(|(id, (_, deployments))| chain_json(id, &ws, deployments))
        .collect();
    axum::Json(json!({"chains": chains})).into_response()
}

/// The workspace-owned things of one kind: ID → (workspace, what it holds).
type Owned<T> = BTreeMap<String, (String, Vec<T>)>;

/// `answer` for the caller's own `id` among the things `kind` picks (with the caller's
/// workspace), or 404 for one that does not exist or is another workspace's.
fn with_owned<T>(
    world: &Shared,
    headers: &HeaderMap,
    kind: fn(&mut Billing) -> &mut Owned<T>,
    id: &str,
    answer: impl FnOnce(&mut Owned<T>, &str) -> Response,
) -> Response {
    let (mut world, ws) = match admit(world, headers) {
        Ok(admitted) => admitted,
        Err(refused) => return *refused,
    };
    let owned = kind(&mut world.billing);
    match owned.get(id) {
        Some((owner, _)) if *owner == ws => answer(owned, &ws),
        _ => not_found(),
    }
}

/// [`with_owned`] for a chain.
fn with_chain(
    world: &Shared,
    headers: &HeaderMap,
    chain: &str,
    answer: impl FnOnce(&mut Owned<FakeChainDeployment>, &str) -> Response,
) -> Response {
    with_owned(world, headers, |b| &mut b.chains, chain, answer)
}

async fn get_chain(State(world): State<Shared>, Path(chain): Path<String>, headers: HeaderMap) -> Response {
    with_chain(&world, &headers, &chain, |chains, ws| {
        axum::Json(chain_json(&chain, ws, &chains[&chain].1)).into_response()
    })
}

async fn delete_chain(
    State(world): State<Shared>,
    Path(chain): Path<String>,
    headers: HeaderMap,
) -> Response {
    with_chain(&world, &headers, &chain, |chains, _| {
        chains.remove(&chain);
        axum::Json(json!({"id": chain, "deleted": true})).into_response()
    })
}

async fn list_chain_deployments(
    State(world): State<Shared>,
    Path(chain): Path<String>,
    headers: HeaderMap,
) -> Response {
    with_chain(&world, &headers, &chain, |chains, _| {
        let deployments: Vec<_> = chains[&chain].1.iter().map(|d| chain_deployment_json(&chain, d)).collect();
        axum::Json(json!({"deployments": deployments})).into_response()
    })
}

async fn get_chain_deployment(
    State(world): State<Shared>,
    Path((chain, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    with_chain(&world, &headers, &chain, |chains, _| match chains[&chain].1.iter().find(|d| d.id == id) {
        Some(d) => axum::Json(chain_deployment_json(&chain, d)).into_response(),
        None => not_found(),
    })
}

async fn delete_chain_deployment(
    State(world): State<Shared>,
    Path((chain, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    with_chain(&world, &headers, &chain, |chains, _| {
        let deployments = &mut chains.get_mut(&chain).expect("found").1;
        let before = deployments.len();
        deployments.retain(|d| d.id != id);
        if deployments.len() == before {
            return not_found();
        }
        axum::Json(json!({"id": id, "deleted": true, "chain_id": chain})).into_response()
    })
}

async fn deactivate_chain_deployment(
    State(world): State<Shared>,
    Path((chain, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    with_chain(&world, &headers, &chain, |chains, _| {
        match chains.get_mut(&chain).expect("found").1.iter_mut().find(|d| d.id == id) {
            Some(d) => {
                d.status = "INACTIVE".to_owned();
                for c in &mut d.chainlets {
                    c.replicas.active = 0;
                }
                axum::Json(json!({"success": true})).into_response()
            }
            None => not_found(),
        }
    })
}

fn job_json(project: &str, j: &FakeJob) -> Value {
    json!({"id": j.id, "created_at": CREATED, "updated_at": CREATED, "current_status": j.status,
        "instance_type": {"id": j.instance_type, "name": j.instance_type, "memory_limit_mib": 1024,
            "millicpu_limit": 1000, "gpu_count": 1, "gpu_type": "H100", "gpu_memory_limit_mib": null},
        "training_project_id": project, "training_project": {"id": project, "name": project},
        "availability_model": "ON_DEMAND", "priority": 0})
}

fn project_json(id: &str, jobs: &[FakeJob]) -> Value {
    json!({"id": id, "name": id, "created_at": CREATED, "updated_at": CREATED,
        "latest_job": jobs.last().map(|j| job_json(id, j))})
}

/// [`with_owned`] for a training project.
fn with_project(
    world: &Shared,
    headers: &HeaderMap,
    project: &str,
    answer: impl FnOnce(&mut Owned<FakeJob>) -> Response,
) -> Response {
    with_owned(world, headers, |b| &mut b.projects, project, |projects, _| answer(projects))
}

async fn list_projects(State(world): State<Shared>, headers: HeaderMap) -> Response {
    let (world, ws) = match admit(&world, &headers) {
        Ok(admitted) => admitted,
        Err(refused) => return *refused,
    };
    let projects: Vec<_> = world
        .billing
        .projects
        .iter()
        .filter(|(_, (owner, _))| *owner == ws)
        .map(|(id, (_, jobs))| project_json(id, jobs))
        .collect();
    axum::Json(json!({"training_projects": projects})).into_response()
}

async fn delete_project(
    State(world): State<Shared>,
    Path(project): Path<String>,
    headers: HeaderMap,
) -> Response {
    with_project(&world, &headers, &project, |projects| {
        projects.remove(&project);
        axum::Json(json!({"id": project, "deleted": true})).into_response()
    })
}

async fn list_jobs(State(world): State<Shared>, Path(project): Path<String>, headers: HeaderMap) -> Response {
    with_project(&world, &headers, &project, |projects| {
        let jobs = &projects[&project].1;
        let listed: Vec<_> = jobs.iter().map(|j| job_json(&project, j)).collect();
        axum::Json(json!({"training_project": project_json(&project, jobs), "training_jobs": listed}))
            .into_response()
    })
}

async fn delete_job(
    State(world): State<Shared>,
    Path((project, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    with_project(&world, &headers, &project, |projects| {
        let jobs = &mut projects.get_mut(&project).expect("found").1;
        let before = jobs.len();
        jobs.retain(|j| j.id != id);
        if jobs.len() == before {
            return not_found();
        }
        axum::Json(json!({"id": id, "deleted": true, "training_project_id": project})).into_response()
    })
}

async fn stop_job(
    State(world): State<Shared>,
    Path((project, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    with_project(&world, &headers, &project, |projects| {
        match projects.get_mut(&project).expect("found").1.iter_mut().find(|j| j.id == id) {
            Some(job) => {
                job.status = "TRAINING_JOB_STOPPED".to_owned();
                axum::Json(json!({"training_job": job_json(&project, job)})).into_response()
            }
            None => not_found(),
        }
    })
}

async fn prices(State(world): State<Shared>, headers: HeaderMap) -> Response {
    let (world, _) = match admit(&world, &headers) {
        Ok(admitted) => admitted,
        Err(refused) => return *refused,
    };
    let rows: Vec<String> = world
        .billing
        .prices
        .iter()
        .map(|(id, name, price)| {
            let instance = json!({"id": id, "name": name, "memory_limit_mib": 16384, "millicpu_limit": 4000,
                "gpu_count": 1, "gpu_type": null, "gpu_memory_limit_mib": null});
            // The price is written as given, so a test controls its exact JSON text.
            format!(r#"{{"instance_type": {instance}, "price": {price}}}"#)
        })
        .collect();
    let body = format!(r#"{{"instance_types": [{}]}}"#, rows.join(","));
    ([(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// The longest window the metrics endpoint serves.
const METRICS_WINDOW_MS: i64 = 7 * 24 * 3600 * 1000;

/// `baseten_inference_requests_total` over the window, as one summary value set (whatever
/// `mode` asks: the fake serves summaries), or 400 for a window over 7 days.
async fn metrics(
    State(world): State<Shared>,
    Path((model, deployment)): Path<(String, String)>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let (world, ws) = match admit(&world, &headers) {
        Ok(admitted) => admitted,
        Err(refused) => return *refused,
    };
    let owned = world
        .models
        .get(&model)
        .is_some_and(|m| m.workspace == ws && m.deployments.iter().any(|d| d.id == deployment));
    if !owned {
        return not_found();
    }
    let millis = |key: &str| query.get(key).and_then(|v| v.parse::<i64>().ok());
    let end = millis("end_epoch_millis").unwrap_or_else(|| chrono::Utc::now().timestamp_millis());
    let start = millis("start_epoch_millis").unwrap_or(end - 3600 * 1000);
    if end < start || end - start > METRICS_WINDOW_MS {
        return error(StatusCode::BAD_REQUEST, "The window between start and end must not exceed 7 days");
    }
    let key = (model, deployment);
    let count = world
        .billing
        .requests
        .get(&key)
        .into_iter()
        .flatten()
        .filter(|at| (start..end).contains(*at))
        .count();
    axum::Json(json!({
        "start_epoch_millis": start, "end_epoch_millis": end, "mode": "SUMMARY", "step_seconds": null,
        "metric_descriptors": [{"name": "baseten_inference_requests_total", "unit_hint": "COUNT", "kind": "COUNTER",
            "label_sets": [{}]}],
        "metric_values": [{"start_epoch_millis": start, "values": [[count]]}]
    }))
    .into_response()
}

/// The day of an ISO-8601 date or date-time, and whether it parsed.
fn day_of(text: &str) -> Option<chrono::NaiveDate> {
    let day = text.get(..10)?;
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

async fn usage_summary(
    State(world): State<Shared>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let key = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default()
        .to_owned();
    let (mut world, _) = match admit(&world, &headers) {
        Ok(admitted) => admitted,
        Err(refused) => return *refused,
    };
    let (Some(start), Some(end)) = (query.get("start_date"), query.get("end_date")) else {
        return error(StatusCode::BAD_REQUEST, "start_date and end_date are required");
    };
    world.billing.usage_calls.push((start.clone(), end.clone()));
    if world.billing.usage_forbidden_for.contains(&key) {
        return error(StatusCode::FORBIDDEN, "Only workspace admins can view billing");
    }
    if world.billing.usage_fails {
        return (StatusCode::INTERNAL_SERVER_ERROR, "<html>upstream error</html>").into_response();
    }
    let (Some(from), Some(to)) = (day_of(start), day_of(end)) else {
        return error(StatusCode::BAD_REQUEST, "dates must be ISO 8601");
    };
    let earliest = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date");
    if from < earliest || to < from || (to - from).num_days() > 31 {
        return error(
            StatusCode::BAD_REQUEST,
            "The date range must not exceed 31 days and cannot start before 2026-01-01",
        );
    }
    let item = |u: &FakeUsage| {
        let days: Vec<&FakeDay> =
            u.days.iter().filter(|d| day_of(&d.date).is_some_and(|day| from <= day && day <= to)).collect();
        let minutes: u64 = days.iter().map(|d| d.minutes).sum();
        let requests: u64 = days.iter().map(|d| d.requests).sum();
        let daily: Vec<String> = days
            .iter()
            .map(|d| {
                format!(
                    r#"{{"date": "{}", "minutes": {}, "subtotal": {}, "inference_requests": {}}}"#,
                    d.date, d.minutes, d.subtotal, d.requests
                )
            })
            .collect();
        let chain = u.chain.as_ref().map(|(c, d)| json!({"chain_id": c, "chain_deployment_id": d}));
        let resource = json!({"id": u.id, "kind": u.kind, "is_deleted": false, "chain_metadata": chain,
            "name": u.id, "model_name": null, "instance_type": null, "environment_name": null});
        // The subtotal is the days' text summed by the test's own figures: "0" when none.
        format!(
            r#"{{"billable_resource": {resource}, "minutes": {minutes}, "subtotal": "{}", "inference_requests": {requests}, "daily": [{}]}}"#,
            sum_text(&days),
            daily.join(",")
        )
    };
    let section = |training: bool| {
        let items: Vec<String> =
            world.billing.usage.iter().filter(|u| (u.kind == "TRAINING_JOB") == training).map(item).collect();
        format!(
            r#"{{"subtotal": 0, "credits_used": 0, "total": 0, "minutes": 0, "breakdown": [{}]}}"#,
            items.join(",")
        )
    };
    let body = format!(
        r#"{{"dedicated_usage": {}, "training_usage": {}, "model_apis_usage": null}}"#,
        section(false),
        section(true)
    );
    ([(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// The sum of the days' subtotals as decimal text, added from their JSON text (quoted or
/// not) so the fake itself does no float arithmetic; `0` when one is not a decimal that
/// sums (the facade reads the days, not this).
fn sum_text(days: &[&FakeDay]) -> String {
    let mut total = Some(rust_decimal::Decimal::ZERO);
    for d in days {
        let text = d.subtotal.trim_matches('"');
        total = total.zip(text.parse::<rust_decimal::Decimal>().ok()).and_then(|(a, b)| a.checked_add(b));
    }
    total.map_or_else(|| "0".to_owned(), |t| t.normalize().to_string())
}
