//! What Baseten's standing resources cost: model deployments, chain deployments (their
//! chainlets together) and training jobs, priced by `GET /v1/instance_type_prices` and
//! with the window's spend and requests from one `GET /v1/billing/usage_summary` for the
//! whole account (never one call per resource).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use futures::{StreamExt, TryStreamExt};
use modelhost_baseten::types;
use rust_decimal::Decimal;

use super::baseten::Baseten;
use crate::client::exchange::json;
use crate::costs::{
    Costs, Gap, Kind, PerHour, Price, Replicas, Resource, Scope, Source, Window, money, times,
};
use crate::{ChainRef, Error, ModelHost, Provider, Target, TrainingProjectRef, TrainingStatus};
use modelhost_text::capped;

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
#[derive(Default)]
struct Spent {
    spend: Decimal,
    requests: Option<u64>,
    last: Option<chrono::NaiveDate>,
}

impl Baseten {
    /// [`ModelHost::costs`] for Baseten.
    pub(crate) async fn costs_now(&self, scopes: &[Scope], window: &Window) -> Result<Costs, Error> {
        let mut costs = Costs::default();
        let prices = self.price_rows().await.unwrap_or_else(|e| {
            costs.gaps.push(gap("prices", &e));
            Vec::new()
        });
        let usage = match self.usage(window).await {
            Ok(usage) => Some(usage),
            Err(e) => {
                costs.gaps.push(gap("spend and requests", &e));
                None
            }
        };
        let seen = Seen {
            prices: &prices,
            usage: usage.as_ref(),
            priced: !costs.gaps.iter().any(|g| g.what == "prices"),
        };
        let mut resources = self.model_deployments(scopes, &seen).await?;
        resources.extend(self.chain_deployments(scopes, &seen).await?);
        resources.extend(self.training_jobs(scopes, &seen).await?);
        resources.retain(|r| scopes.iter().any(|s| s.covers(&r.reference, None)));
        costs.resources = resources;
        let source = Source { source: format!("{}/v1/instance_type_prices", self.base_url()), read: None };
        costs.sources.insert(Provider::Baseten, vec![source]);
        Ok(costs)
    }

    fn base_url(&self) -> String {
        progenitor_client::ClientInfo::baseurl(&self.client).trim_end_matches('/').to_owned()
    }

    async fn price_rows(&self) -> Result<Vec<Row>, Error> {
        let about = "the instance type prices";
        let answer =
            self.exchange.send(&about, json, || self.client.list_instance_type_prices().send()).await;
        let answer = answer.into_answer(&about)?;
        let listed: types::InstanceTypePricesV1 = answer.body.ok_or_else(|| no_body(answer.status, about))?;
        Ok(listed
            .instance_types
            .into_iter()
            .filter_map(|row| {
                let per_minute = money(&row.price.to_string()).filter(|p| !p.is_sign_negative())?;
                Some(Row {
                    id: row.instance_type.id,
                    name: row.instance_type.name,
                    per_hour: per_minute * Decimal::from(60),
                })
            })
            .collect())
    }

    /// The window's usage, by (kind, ID): one call for the whole account.
    async fn usage(&self, window: &Window) -> Result<HashMap<(Kind, String), Spent>, Error> {
        let about = "the usage summary";
        let (start, end) = (window.start_time(), window.end_time() - chrono::Duration::seconds(1));
        let request = || self.client.get_billing_usage_summary().start_date(start).end_date(end).send();
        let answer = self.exchange.send(&about, json, request).await.into_answer(&about)?;
        let summary: types::UsageSummaryV1 = answer.body.ok_or_else(|| no_body(answer.status, about))?;
        let mut usage: HashMap<(Kind, String), Spent> = HashMap::new();
        for item in summary.dedicated_usage.into_iter().flat_map(|d| d.breakdown) {
            let resource = item.billable_resource;
            let key = match (resource.kind, resource.chain_metadata) {
                (types::ResourceKind::Chainlet, Some(chain)) => {
                    (Kind::ChainDeployment, chain.chain_deployment_id)
                }
                (types::ResourceKind::ModelDeployment, _) => (Kind::ModelDeployment, resource.id),
                _ => continue,
            };
            let spent = usage.entry(key).or_default();
            let days: Vec<_> = item.daily.iter().filter(|d| window.contains(d.date)).collect();
            if item.daily.is_empty() {
                spent.spend += money(&item.subtotal.to_string()).unwrap_or_default();
                *spent.requests.get_or_insert(0) += u64::try_from(item.inference_requests).unwrap_or(0);
            }
            for day in days {
                spent.spend += money(&day.subtotal.to_string()).unwrap_or_default();
                let requests = u64::try_from(day.inference_requests).unwrap_or(0);
                *spent.requests.get_or_insert(0) += requests;
                if requests > 0 && spent.last.is_none_or(|last| last < day.date) {
                    spent.last = Some(day.date);
                }
            }
        }
        for item in summary.training_usage.into_iter().flat_map(|t| t.breakdown) {
            let spent = usage.entry((Kind::TrainingJob, item.billable_resource.id)).or_default();
            let days: Vec<_> = item.daily.iter().filter(|d| window.contains(d.date)).collect();
            if item.daily.is_empty() {
                spent.spend += money(&item.subtotal.to_string()).unwrap_or_default();
            }
            for day in days {
                spent.spend += money(&day.subtotal.to_string()).unwrap_or_default();
            }
        }
        Ok(usage)
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
        let listed: Vec<Vec<Resource>> = futures::stream::iter(models)
            .map(|model| async move {
                let id = model.baseten_id()?;
                let about = Target::Model(model.clone());
                let request = || self.client.list_model_deployments().model_id(id).send();
                let answer = self.exchange.send(&about, json, request).await.into_answer(&about)?;
                let listed: types::DeploymentsV1 =
                    answer.body.ok_or_else(|| no_body(answer.status, "deployments"))?;
                listed
                    .deployments
                    .into_iter()
                    .map(|d| {
                        let version = model.version(&d.id).map_err(|e| unusable(answer.status, &e))?;
                        let (min, max) = d.autoscaling_settings.as_ref().map_or((None, None), |a| {
                            (u32::try_from(a.min_replica).ok(), u32::try_from(a.max_replica).ok())
                        });
                        let replicas =
                            Replicas { active: u32::try_from(d.active_replica_count).ok(), min, max };
                        let mut r =
                            seen.resource(Target::Version(version), Kind::ModelDeployment, &d.id, replicas);
                        r.status = Some(capped(&d.status.to_string(), crate::EXCERPT_BYTES));
                        seen.price(&mut r, d.instance_type_name.as_deref());
                        Ok(r)
                    })
                    .collect::<Result<Vec<_>, Error>>()
            })
            .buffered(IN_FLIGHT)
            .try_collect()
            .await?;
        Ok(listed.into_iter().flatten().collect())
    }

    async fn chain_deployments(&self, scopes: &[Scope], seen: &Seen<'_>) -> Result<Vec<Resource>, Error> {
        let chains = match Listing::of(scopes, &Scope::BasetenChains, |t| match t {
            Target::Chain(c) => Some(c.clone()),
            Target::ChainDeployment(d) => Some(d.chain().clone()),
            _ => None,
        }) {
            Listing::All => {
                let about = "the chains";
                let answer = self.exchange.send(&about, json, || self.client.list_chains().send()).await;
                let answer = answer.into_answer(&about)?;
                let listed: types::ChainsV1 = answer.body.ok_or_else(|| no_body(answer.status, about))?;
                listed
                    .chains
                    .iter()
                    .map(|c| ChainRef::new(&c.id).map_err(|e| unusable(answer.status, &e)))
                    .collect::<Result<Vec<_>, _>>()?
            }
            Listing::Named(named) => named.into_iter().collect(),
        };
        let listed: Vec<Vec<Resource>> = futures::stream::iter(chains)
            .map(|chain| async move {
                let id = chain.chain_id();
                let about = Target::Chain(chain.clone());
                let request = || self.client.list_chain_deployments().chain_id(id).send();
                let answer = self.exchange.send(&about, json, request).await.into_answer(&about)?;
                let listed: types::ChainDeploymentsV1 =
                    answer.body.ok_or_else(|| no_body(answer.status, "chain deployments"))?;
                listed
                    .deployments
                    .into_iter()
                    .map(|d| {
                        let reference = chain.deployment(&d.id).map_err(|e| unusable(answer.status, &e))?;
                        Ok(seen.chain_deployment(reference, &d))
                    })
                    .collect::<Result<Vec<_>, Error>>()
            })
            .buffered(IN_FLIGHT)
            .try_collect()
            .await?;
        Ok(listed.into_iter().flatten().collect())
    }

    async fn training_jobs(&self, scopes: &[Scope], seen: &Seen<'_>) -> Result<Vec<Resource>, Error> {
        let projects = match Listing::of(scopes, &Scope::BasetenTraining, |t| match t {
            Target::TrainingProject(p) => Some(p.clone()),
            Target::TrainingJob(j) => Some(j.project().clone()),
            _ => None,
        }) {
            Listing::All => {
                let about = "the training projects";
                let answer =
                    self.exchange.send(&about, json, || self.client.list_training_projects().send()).await;
                let answer = answer.into_answer(&about)?;
                let listed: types::ListTrainingProjectsResponseV1 =
                    answer.body.ok_or_else(|| no_body(answer.status, about))?;
                listed
                    .training_projects
                    .iter()
                    .map(|p| TrainingProjectRef::new(&p.id).map_err(|e| unusable(answer.status, &e)))
                    .collect::<Result<Vec<_>, _>>()?
            }
            Listing::Named(named) => named.into_iter().collect(),
        };
        let listed: Vec<Vec<Resource>> = futures::stream::iter(projects)
            .map(|project| async move {
                let id = project.project_id();
                let about = Target::TrainingProject(project.clone());
                let request = || self.client.list_training_project_jobs().training_project_id(id).send();
                let answer = self.exchange.send(&about, json, request).await.into_answer(&about)?;
                let listed: types::ListTrainingJobsResponseV1 =
                    answer.body.ok_or_else(|| no_body(answer.status, "training jobs"))?;
                listed
                    .training_jobs
                    .into_iter()
                    .map(|job| {
                        let reference = project.job(&job.id).map_err(|e| unusable(answer.status, &e))?;
                        let up = u32::from(TrainingStatus::of(&job.current_status).is_billed());
                        let replicas = Replicas { active: Some(up), min: Some(up), max: None };
                        let mut r = seen.resource(
                            Target::TrainingJob(reference),
                            Kind::TrainingJob,
                            &job.id,
                            replicas,
                        );
                        r.status = Some(capped(&job.current_status, crate::EXCERPT_BYTES));
                        seen.price(&mut r, Some(&job.instance_type.id));
                        Ok(r)
                    })
                    .collect::<Result<Vec<_>, Error>>()
            })
            .buffered(IN_FLIGHT)
            .try_collect()
            .await?;
        Ok(listed.into_iter().flatten().collect())
    }
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
                r.spend_30d = Some(spent.map_or(Decimal::ZERO, |s| s.spend));
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
        let sum = |pick: fn(&types::ChainletV1) -> Option<u32>| {
            d.chainlets.iter().map(pick).try_fold(0u32, |a, b| Some(a.saturating_add(b?)))
        };
        let replicas = Replicas {
            active: sum(|c| u32::try_from(c.active_replica_count).ok()),
            min: sum(|c| c.autoscaling_settings.as_ref().and_then(|a| u32::try_from(a.min_replica).ok())),
            max: sum(|c| c.autoscaling_settings.as_ref().and_then(|a| u32::try_from(a.max_replica).ok())),
        };
        let mut r = self.resource(Target::ChainDeployment(reference), Kind::ChainDeployment, &d.id, replicas);
        r.status = Some(capped(&d.status.to_string(), crate::EXCERPT_BYTES));
        let types: BTreeSet<&str> = d.chainlets.iter().map(|c| c.instance_type_name.as_str()).collect();
        r.instance_type =
            Some(capped(&types.iter().copied().collect::<Vec<_>>().join("+"), crate::EXCERPT_BYTES));
        let mut now = Some(Decimal::ZERO);
        let mut floor = Some(Decimal::ZERO);
        let mut how = BTreeMap::new();
        for c in &d.chainlets {
            let row = self.row(&c.instance_type_name);
            let per_hour = row.map(|(p, _)| p.per_hour);
            if let Some((p, h)) = row {
                how.insert(p.id.as_str(), (p.per_hour, h));
            } else {
                r.unknown.push(self.unpriced(&c.instance_type_name));
            }
            let min = c.autoscaling_settings.as_ref().and_then(|a| u32::try_from(a.min_replica).ok());
            now = now.zip(times(u32::try_from(c.active_replica_count).ok(), per_hour)).map(|(a, b)| a + b);
            floor = floor.zip(times(min, per_hour)).map(|(a, b)| a + b);
        }
        r.cost_per_hour = PerHour { now, floor };
        if let ([(_, (per_hour, h))], true) =
            (how.iter().collect::<Vec<_>>().as_slice(), r.unknown.iter().all(|u| !u.starts_with("price")))
        {
            r.price = Some(Price { per_hour: *per_hour, source: format!("baseten api ({h})") });
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
