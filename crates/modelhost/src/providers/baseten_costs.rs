//! What Baseten's standing resources cost: model deployments, chain deployments (their
//! chainlets together) and training jobs, priced by `GET /v1/instance_type_prices` and
//! with the window's spend and requests from one `GET /v1/billing/usage_summary` for the
//! whole account (never one call per resource).
//!
//! Those two reads carry money, which the generated types hold as `f64` (`type: number`):
//! a number of more than 15 digits would come back rounded. So they are sent with the
//! generated client's own HTTP client (its credential, body limit and tracing) and decoded
//! here into the few fields read, each amount kept as the exact text sent ([`exact`]).

use std::collections::{BTreeSet, HashMap};
use std::future::Future;

use futures::{StreamExt, TryStreamExt};
use modelhost_baseten::types;
use rust_decimal::Decimal;
use serde_json::value::RawValue;

use super::baseten::Baseten;
use crate::client::exchange::{About, json};
use crate::costs::{
    Costs, Gap, Kind, PerHour, Price, Replicas, Resource, Scope, Source, Window, add, money, times,
};
use crate::{ChainRef, Error, ModelHost, Provider, Target, TrainingProjectRef, TrainingStatus};
use modelhost_text::capped;

/// An amount as the API wrote it (a JSON number or a decimal string), exactly; `None` when it
/// is neither.
fn exact(raw: &RawValue) -> Option<Decimal> {
    match serde_json::from_str::<String>(raw.get()) {
        Ok(text) => money(&text),
        Err(_) => money(raw.get()),
    }
}

/// `GET /v1/instance_type_prices`, the fields read.
#[derive(serde::Deserialize)]
struct PriceList {
    instance_types: Vec<PriceRow>,
}

#[derive(serde::Deserialize)]
struct PriceRow {
    instance_type: InstanceType,
    /// USD per minute.
    price: Box<RawValue>,
}

#[derive(serde::Deserialize)]
struct InstanceType {
    id: String,
    name: String,
}

/// `GET /v1/billing/usage_summary`, the fields read.
#[derive(serde::Deserialize)]
struct UsageSummary {
    dedicated_usage: Option<Section>,
    training_usage: Option<Section>,
}

#[derive(serde::Deserialize)]
struct Section {
    #[serde(default)]
    breakdown: Vec<Item>,
}

#[derive(serde::Deserialize)]
struct Item {
    billable_resource: BillableResource,
    subtotal: Box<RawValue>,
    inference_requests: Option<i64>,
    #[serde(default)]
    daily: Vec<Day>,
}

#[derive(serde::Deserialize)]
struct BillableResource {
    id: String,
    kind: String,
    chain_metadata: Option<ChainMetadata>,
}

#[derive(serde::Deserialize)]
struct ChainMetadata {
    chain_deployment_id: String,
}

#[derive(serde::Deserialize)]
struct Day {
    date: chrono::NaiveDate,
    subtotal: Box<RawValue>,
    inference_requests: Option<i64>,
}

/// Lists read at once (models' deployments, chains' deployments, projects' jobs).
const IN_FLIGHT: usize = 8;

/// What to list of one kind: everything, or the named parents.
enum Listing<T> {
    All,
    Named(BTreeSet<T>),
}

impl<T: Ord> Listing<T> {
    fn of(scopes: &[Scope], all: &Scope, parent: impl Fn(&Target) -> Option<T>) -> Self {
        if scopes.contains(all) {
            return Self::All;
        }
        Self::Named(
            scopes.iter().filter_map(|s| if let Scope::Within(t) = s { parent(t) } else { None }).collect(),
        )
    }
}

/// A published price row: its ID, display name and USD per hour.
struct Row {
    id: String,
    name: String,
    per_hour: Decimal,
}

/// One resource's spend and requests over the window.
struct Spent {
    /// `None` once an amount was not a number (or the sum did not fit).
    spend: Option<Decimal>,
    requests: Option<u64>,
    last: Option<chrono::NaiveDate>,
}

impl Spent {
    /// Nothing spent yet.
    fn none() -> Self {
        Self { spend: Some(Decimal::ZERO), requests: None, last: None }
    }

    /// Adds an amount (`None`: not a usable number, which makes the spend unknown), a count
    /// of requests (a negative count is read as none; a sum too large saturates), and the day
    /// they came, when the amount is a day's.
    fn add(&mut self, amount: Option<Decimal>, requests: Option<i64>, day: Option<chrono::NaiveDate>) {
        self.spend = add(self.spend, amount);
        if let Some(n) = requests {
            let n = u64::try_from(n).unwrap_or(0);
            self.requests = Some(self.requests.unwrap_or(0).saturating_add(n));
            if let Some(day) = day.filter(|day| n > 0 && self.last.is_none_or(|last| last < *day)) {
                self.last = Some(day);
            }
        }
    }
}

impl Baseten {
    /// [`ModelHost::costs`] for Baseten.
    pub(crate) async fn costs_now(&self, scopes: &[Scope], window: &Window) -> Result<Costs, Error> {
        let mut costs = Costs::default();
        let (prices, priced) = match self.price_rows().await {
            Ok(rows) => (rows, true),
            Err(e) => {
                costs.gaps.push(gap("prices", &e));
                (Vec::new(), false)
            }
        };
        let usage = match self.usage(window).await {
            Ok(usage) => Some(usage),
            Err(e) => {
                costs.gaps.push(gap("spend and requests", &e));
                None
            }
        };
        let seen = Seen { prices: &prices, usage: usage.as_ref(), priced };
        let mut resources = self.model_deployments(scopes, &seen).await?;
        resources.extend(self.chain_deployments(scopes, &seen).await?);
        resources.extend(self.training_jobs(scopes, &seen).await?);
        resources.retain(|r| scopes.iter().any(|s| s.covers(&r.reference, None)));
        for r in &mut resources {
            // Every unknown says why: here what no earlier step named (a replica count that is
            // not a count, a chain's sum too large to be money).
            let PerHour { now, floor } = r.cost_per_hour;
            if (now.is_none() || floor.is_none()) && r.unknown.is_empty() {
                r.unknown.push("cost: not computable from the replicas and prices given".to_owned());
            }
        }
        costs.resources = resources;
        let source = Source { source: format!("{}/v1/instance_type_prices", self.base_url()), read: None };
        costs.sources.insert(Provider::Baseten, vec![source]);
        Ok(costs)
    }

    /// [`ModelHost::requests_between`] for a model deployment: its metrics' summary of
    /// `baseten_inference_requests_total` over the window (at most 7 days, as Baseten
    /// serves). A count that is missing, negative or not finite tells nothing (`None`).
    pub(crate) async fn requests_now(
        &self,
        version: &crate::VersionRef,
        start: chrono::DateTime<chrono::Utc>,
        end: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<u64>, Error> {
        const REQUESTS: &str = "baseten_inference_requests_total";
        let model = version.model().baseten_id()?;
        let request = || {
            self.client
                .list_model_deployment_metrics()
                .model_id(model)
                .deployment_id(version.version_id())
                .mode(types::DeploymentMetricModeV1::Summary)
                .start_epoch_millis(start.timestamp_millis())
                .end_epoch_millis(end.timestamp_millis())
                .metrics(vec![REQUESTS.to_owned()])
                .send()
        };
        let about = Target::Version(version.clone());
        let (_, answer): (u16, types::GetDeploymentMetricsResponseV1) = self.read(&about, request).await?;
        let index = answer.metric_descriptors.iter().position(|d| d.name == REQUESTS);
        let count =
            index.and_then(|i| answer.metric_values.first()?.values.get(i)?.first().copied().flatten());
        // A count as Baseten sends it: a float (of a counter's increase), rounded.
        Ok(count.filter(|n| n.is_finite() && *n >= 0.0 && *n < 1e15).map(|n| n.round() as u64))
    }

    fn base_url(&self) -> String {
        progenitor_client::ClientInfo::baseurl(&self.client).trim_end_matches('/').to_owned()
    }

    async fn price_rows(&self) -> Result<Vec<Row>, Error> {
        let about = "the instance type prices";
        let request = || self.exact_get("/v1/instance_type_prices", &[], "list_instance_type_prices");
        let (_, listed): (u16, PriceList) = self.read(&about, request).await?;
        Ok(listed
            .instance_types
            .into_iter()
            .filter_map(|row| {
                let per_minute = exact(&row.price).filter(|p| !p.is_sign_negative())?;
                Some(Row {
                    id: row.instance_type.id,
                    name: row.instance_type.name,
                    per_hour: per_minute.checked_mul(Decimal::from(60))?,
                })
            })
            .collect())
    }

    /// `GET path?query` through the generated client's HTTP client (its credential, body limit
    /// and tracing), decoded as `T`: for the reads whose money the generated types would
    /// hold as `f64`.
    async fn exact_get<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
        operation: &'static str,
    ) -> Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<()>> {
        use progenitor_client::ClientInfo;
        let http = self.client.client();
        let request = http
            .get(format!("{}{path}", self.client.baseurl()))
            .header(reqwest::header::ACCEPT, "application/json")
            .header("api-version", modelhost_baseten::Client::api_version())
            .query(query)
            .build()?;
        let response = modelhost_http::execute(http, request, operation, *self.client.inner()).await?;
        match response.status().as_u16() {
            200 => progenitor_client::ResponseValue::from_response(response).await,
            _ => Err(progenitor_client::Error::UnexpectedResponse(response)),
        }
    }

    /// The window's usage, by (kind, ID): one call for the whole account.
    async fn usage(&self, window: &Window) -> Result<HashMap<(Kind, String), Spent>, Error> {
        let about = "the usage summary";
        let rfc3339 = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let query = [
            ("start_date", rfc3339(window.start_time())),
            ("end_date", rfc3339(window.end_time() - chrono::Duration::seconds(1))),
        ];
        let request = || self.exact_get("/v1/billing/usage_summary", &query, "get_billing_usage_summary");
        let (_, summary): (u16, UsageSummary) = self.read(&about, request).await?;
        let mut usage: HashMap<(Kind, String), Spent> = HashMap::new();
        let sections = [(summary.dedicated_usage, false), (summary.training_usage, true)];
        for (section, training) in sections {
            for item in section.into_iter().flat_map(|s| s.breakdown) {
                let resource = item.billable_resource;
                let key = match (training, resource.kind.as_str(), resource.chain_metadata) {
                    (true, _, _) => (Kind::TrainingJob, resource.id),
                    (false, "CHAINLET", Some(chain)) => (Kind::ChainDeployment, chain.chain_deployment_id),
                    (false, "MODEL_DEPLOYMENT", _) => (Kind::ModelDeployment, resource.id),
                    _ => continue,
                };
                let spent = usage.entry(key).or_insert_with(Spent::none);
                if item.daily.is_empty() {
                    spent.add(exact(&item.subtotal), item.inference_requests, None);
                }
                for day in item.daily.iter().filter(|d| window.contains(d.date)) {
                    spent.add(exact(&day.subtotal), day.inference_requests, Some(day.date));
                }
            }
        }
        Ok(usage)
    }

    /// `request`'s documented body (it is about `about`), with the status it came with.
    async fn read<T, E, Fut>(&self, about: &About, request: impl FnMut() -> Fut) -> Result<(u16, T), Error>
    where
        T: serde::de::DeserializeOwned,
        E: serde::Serialize + Send + 'static,
        Fut: Future<Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>>,
    {
        let answer = self.exchange.send(about, json, request).await.into_answer(about)?;
        let status = answer.status;
        answer.body.map(|body| (status, body)).ok_or_else(|| no_body(status, &about.to_string()))
    }

    async fn model_deployments(&self, scopes: &[Scope], seen: &Seen<'_>) -> Result<Vec<Resource>, Error> {
        let models = match Listing::of(scopes, &Scope::BasetenModels, |t| match t {
            Target::Model(m) => Some(m.clone()),
            Target::Version(v) => Some(v.model().clone()),
            _ => None,
        }) {
            Listing::All => self.list_models().await?,
            Listing::Named(named) => {
                named.into_iter().filter(|m| m.provider() == Provider::Baseten).collect()
            }
        };
        per_parent(models, |model| async move {
            let id = model.baseten_id()?;
            let about = Target::Model(model.clone());
            let request = || self.client.list_model_deployments().model_id(id).send();
            let (status, listed): (u16, types::DeploymentsV1) = self.read(&about, request).await?;
            let each = |d: types::DeploymentV1| {
                let (min, max) = d.autoscaling_settings.as_ref().map_or((None, None), |a| {
                    (u32::try_from(a.min_replica).ok(), u32::try_from(a.max_replica).ok())
                });
                let replicas = Replicas { active: u32::try_from(d.active_replica_count).ok(), min, max };
                let (id, instance_type) = (d.id.clone(), d.instance_type_name.clone());
                let info = super::baseten::version_info(&model, d, Some(status))?;
                let target = Target::Version(info.version.clone());
                let mut r = seen.resource(target, Kind::ModelDeployment, &id, replicas);
                r.status.clone_from(&info.status);
                r.created_at.clone_from(&info.created_at);
                r.environment.clone_from(&info.environment);
                r.listed = Some(info);
                seen.price(&mut r, instance_type.as_deref());
                Ok(r)
            };
            listed.deployments.into_iter().map(each).collect()
        })
        .await
    }

    async fn chain_deployments(&self, scopes: &[Scope], seen: &Seen<'_>) -> Result<Vec<Resource>, Error> {
        let chains = match Listing::of(scopes, &Scope::BasetenChains, |t| match t {
            Target::Chain(c) => Some(c.clone()),
            Target::ChainDeployment(d) => Some(d.chain().clone()),
            _ => None,
        }) {
            Listing::All => {
                let (status, listed): (u16, types::ChainsV1) =
                    self.read(&"the chains", || self.client.list_chains().send()).await?;
                parents(status, listed.chains.iter().map(|c| c.id.as_str()), ChainRef::new)?
            }
            Listing::Named(named) => named.into_iter().collect(),
        };
        per_parent(chains, |chain| async move {
            let id = chain.chain_id();
            let request = || self.client.list_chain_deployments().chain_id(id).send();
            let (status, listed): (u16, types::ChainDeploymentsV1) =
                self.read(&Target::Chain(chain.clone()), request).await?;
            let each = |d: types::ChainDeploymentV1| {
                let reference = chain.deployment(&d.id).map_err(|e| unusable(status, &e))?;
                Ok(seen.chain_deployment(reference, &d))
            };
            listed.deployments.into_iter().map(each).collect()
        })
        .await
    }

    async fn training_jobs(&self, scopes: &[Scope], seen: &Seen<'_>) -> Result<Vec<Resource>, Error> {
        let projects = match Listing::of(scopes, &Scope::BasetenTraining, |t| match t {
            Target::TrainingProject(p) => Some(p.clone()),
            Target::TrainingJob(j) => Some(j.project().clone()),
            _ => None,
        }) {
            Listing::All => {
                let request = || self.client.list_training_projects().send();
                let (status, listed): (u16, types::ListTrainingProjectsResponseV1) =
                    self.read(&"the training projects", request).await?;
                parents(
                    status,
                    listed.training_projects.iter().map(|p| p.id.as_str()),
                    TrainingProjectRef::new,
                )?
            }
            Listing::Named(named) => named.into_iter().collect(),
        };
        per_parent(projects, |project| async move {
            let id = project.project_id();
            let request = || self.client.list_training_project_jobs().training_project_id(id).send();
            let (status, listed): (u16, types::ListTrainingJobsResponseV1) =
                self.read(&Target::TrainingProject(project.clone()), request).await?;
            let each = |job: types::TrainingJobV1| {
                let reference = project.job(&job.id).map_err(|e| unusable(status, &e))?;
                let up = u32::from(TrainingStatus::of(&job.current_status).is_billed());
                let replicas = Replicas { active: Some(up), min: Some(up), max: None };
                let mut r =
                    seen.resource(Target::TrainingJob(reference), Kind::TrainingJob, &job.id, replicas);
                r.status = Some(capped(&job.current_status, crate::EXCERPT_BYTES));
                r.created_at = Some(job.created_at.to_rfc3339());
                seen.price(&mut r, Some(&job.instance_type.id));
                Ok(r)
            };
            listed.training_jobs.into_iter().map(each).collect()
        })
        .await
    }
}

/// Each parent's resources, [`IN_FLIGHT`] parents listed at once, in the parents' order.
async fn per_parent<P, Fut>(parents: Vec<P>, list: impl FnMut(P) -> Fut) -> Result<Vec<Resource>, Error>
where
    Fut: Future<Output = Result<Vec<Resource>, Error>>,
{
    let listed: Vec<Vec<Resource>> =
        futures::stream::iter(parents).map(list).buffered(IN_FLIGHT).try_collect().await?;
    Ok(listed.into_iter().flatten().collect())
}

/// The listed `ids` as references (`reference` checks each), or the answer is not usable.
fn parents<'a, R>(
    status: u16,
    ids: impl Iterator<Item = &'a str>,
    reference: fn(&str) -> Result<R, crate::ReferenceError>,
) -> Result<Vec<R>, Error> {
    ids.map(|id| reference(id).map_err(|e| unusable(status, &e))).collect()
}

/// What was read once for every resource: the prices and the window's usage.
struct Seen<'a> {
    prices: &'a [Row],
    usage: Option<&'a HashMap<(Kind, String), Spent>>,
    /// Whether the prices could be read at all.
    priced: bool,
}

impl Seen<'_> {
    /// A resource with its usage, not yet priced.
    fn resource(&self, reference: Target, kind: Kind, id: &str, replicas: Replicas) -> Resource {
        let mut r = Resource {
            reference,
            provider: Provider::Baseten,
            kind,
            status: None,
            created_at: None,
            environment: None,
            listed: None,
            instance_type: None,
            replicas,
            cost_per_hour: PerHour::default(),
            spend_30d: None,
            requests_30d: None,
            last_request_at: None,
            price: None,
            unknown: Vec::new(),
        };
        match self.usage {
            Some(usage) => {
                let spent = usage.get(&(kind, id.to_owned()));
                r.spend_30d = spent.map_or(Some(Decimal::ZERO), |s| s.spend);
                if r.spend_30d.is_none() {
                    r.unknown.push(
                        "spend: the usage summary gave an amount that is not a usable number".to_owned(),
                    );
                }
                if kind != Kind::TrainingJob {
                    r.requests_30d = Some(spent.and_then(|s| s.requests).unwrap_or(0));
                    r.last_request_at = spent.and_then(|s| s.last).map(|d| d.to_string());
                }
            }
            None => r.unknown.push("spend and requests: the usage summary could not be read".to_owned()),
        }
        r
    }

    /// The published row for `instance_type`, matched by ID, else by name.
    fn row(&self, instance_type: &str) -> Option<(&Row, &'static str)> {
        let by = |pick: fn(&Row) -> &str, how| {
            self.prices.iter().find(|p| pick(p) == instance_type).map(|p| (p, how))
        };
        by(|p| p.id.as_str(), "id").or_else(|| by(|p| p.name.as_str(), "name"))
    }

    /// Prices `r` by one instance type, and its costs per hour from its replicas.
    fn price(&self, r: &mut Resource, instance_type: Option<&str>) {
        r.instance_type = instance_type.map(|t| capped(t, crate::EXCERPT_BYTES));
        // Without a price, no replica still costs nothing.
        r.cost_per_hour = PerHour { now: times(r.replicas.active, None), floor: times(r.replicas.min, None) };
        let Some(instance_type) = instance_type else {
            r.unknown.push("price: no instance type is given".to_owned());
            return;
        };
        match self.row(instance_type) {
            Some((row, how)) => {
                r.price = Some(Price { per_hour: row.per_hour, source: format!("baseten api ({how})") });
                r.cost_per_hour = PerHour {
                    now: times(r.replicas.active, Some(row.per_hour)),
                    floor: times(r.replicas.min, Some(row.per_hour)),
                };
                if r.cost_per_hour.now.is_none() || r.cost_per_hour.floor.is_none() {
                    r.unknown.push("cost: the price times the replicas is too large to be money".to_owned());
                }
            }
            None => r.unknown.push(self.unpriced(instance_type)),
        }
    }

    fn unpriced(&self, instance_type: &str) -> String {
        if self.priced {
            format!(
                "price: instance type `{}` has no published price",
                capped(instance_type, crate::EXCERPT_BYTES)
            )
        } else {
            "price: the prices could not be read".to_owned()
        }
    }

    /// A chain deployment: its chainlets' replicas summed, and its cost the sum of theirs
    /// (unknown when any chainlet's price is).
    fn chain_deployment(
        &self,
        reference: crate::ChainDeploymentRef,
        d: &types::ChainDeploymentV1,
    ) -> Resource {
        let active = |c: &types::ChainletV1| u32::try_from(c.active_replica_count).ok();
        let bound = |pick: fn(&types::AutoscalingSettingsV1) -> i64| {
            move |c: &types::ChainletV1| {
                c.autoscaling_settings.as_ref().and_then(|a| u32::try_from(pick(a)).ok())
            }
        };
        let (min, max) = (bound(|a| a.min_replica), bound(|a| a.max_replica));
        let sum = |count: &dyn Fn(&types::ChainletV1) -> Option<u32>| {
            d.chainlets.iter().map(count).try_fold(0u32, |a, b| Some(a.saturating_add(b?)))
        };
        let replicas = Replicas { active: sum(&active), min: sum(&min), max: sum(&max) };
        let mut r = self.resource(Target::ChainDeployment(reference), Kind::ChainDeployment, &d.id, replicas);
        r.status = Some(capped(&d.status.to_string(), crate::EXCERPT_BYTES));
        r.created_at = Some(d.created_at.to_rfc3339());
        r.environment = d.environment.as_deref().map(|e| capped(e, crate::EXCERPT_BYTES));
        let types: BTreeSet<&str> = d.chainlets.iter().map(|c| c.instance_type_name.as_str()).collect();
        r.instance_type =
            Some(capped(&types.iter().copied().collect::<Vec<_>>().join("+"), crate::EXCERPT_BYTES));
        let rows: Vec<_> = d.chainlets.iter().map(|c| self.row(&c.instance_type_name)).collect();
        let (mut now, mut floor) = (Some(Decimal::ZERO), Some(Decimal::ZERO));
        for (c, row) in d.chainlets.iter().zip(&rows) {
            let per_hour = row.map(|(p, _)| p.per_hour);
            if row.is_none() {
                r.unknown.push(self.unpriced(&c.instance_type_name));
            }
            now = add(now, times(active(c), per_hour));
            floor = add(floor, times(min(c), per_hour));
        }
        r.cost_per_hour = PerHour { now, floor };
        // One price for the deployment when every chainlet is charged the same row.
        if let Some(Some((first, how))) = rows.first()
            && rows.iter().all(|row| row.is_some_and(|(p, _)| std::ptr::eq(p, *first)))
        {
            r.price = Some(Price { per_hour: first.per_hour, source: format!("baseten api ({how})") });
        }
        r
    }
}

fn gap(what: &str, error: &Error) -> Gap {
    Gap { provider: Provider::Baseten, what: what.to_owned(), why: error.to_string() }
}

fn no_body(status: u16, what: &str) -> Error {
    Error::UnexpectedResponse {
        provider: Provider::Baseten,
        status: Some(status),
        excerpt: format!("the answer about {what} has no body"),
    }
}

fn unusable(status: u16, e: &crate::ReferenceError) -> Error {
    Error::UnexpectedResponse {
        provider: Provider::Baseten,
        status: Some(status),
        excerpt: format!("a listed ID is not usable: {e}"),
    }
}
