//! What Replicate's deployments cost: each deployment's hardware and instances floor
//! (`GET /v1/deployments`), priced by the [`PriceTable`] (Replicate publishes no prices),
//! and the window's requests and estimated spend from the account's predictions
//! (`GET /v1/predictions`, `metrics.predict_time` × the hardware's price). `predict_time` is a
//! JSON number of seconds, which the generated client reads as an `f64`: it is used when its
//! shortest form has at most 15 digits (what an `f64` carries exactly), and leaves the
//! estimate unknown otherwise; prices come from the table as exact decimals.

use std::collections::HashMap;

use modelhost_replicate::types;
use rust_decimal::Decimal;

use super::replicate::Replicate;
use crate::costs::{
    Costs, Gap, Kind, PerHour, Price, PriceTable, Replicas, Resource, Scope, Window, add, float_money, times,
};
use crate::{DeploymentRef, Error, Provider, Target};
use modelhost_text::capped;

/// A deployment's predictions in the window.
#[derive(Default)]
struct Served {
    count: u64,
    /// Seconds of `predict_time`, `None` once one prediction lacks it.
    seconds: Option<Decimal>,
    last: Option<chrono::DateTime<chrono::Utc>>,
}

impl Replicate {
    /// [`ModelHost::costs`](crate::ModelHost::costs) for Replicate.
    pub(crate) async fn costs_now(
        &self,
        scopes: &[Scope],
        prices: &PriceTable,
        window: &Window,
    ) -> Result<Costs, Error> {
        let mut costs = Costs::default();
        let pages = self.pages(&"the deployments", |cursor| {
            let mut request = self.client.deployments_list();
            if let Some(c) = cursor {
                request = request.cursor(c);
            }
            request.send()
        });
        let mut listed = Vec::new();
        for (status, page) in pages.await? {
            for d in page.results {
                let reference = DeploymentRef::replicate(
                    d.owner.as_deref().unwrap_or_default(),
                    d.name.as_deref().unwrap_or_default(),
                )
                .map_err(|e| Error::UnexpectedResponse {
                    provider: Provider::Replicate,
                    status: Some(status),
                    excerpt: format!("a listed deployment is not usable: {e}"),
                })?;
                let release = d.current_release;
                let serves = release.as_ref().and_then(|r| {
                    let (owner, name) = r.model.as_deref()?.split_once('/')?;
                    crate::ModelRef::replicate(owner, name).ok()?.version(r.version.as_deref()?).ok()
                });
                let target = Target::Deployment(reference.clone());
                if scopes.iter().any(|s| s.covers(&target, serves.as_ref())) {
                    listed.push((reference, release.and_then(|r| r.configuration)));
                }
            }
        }
        let served = match self.served(window).await {
            Ok(served) => Some(served),
            Err(e) => {
                costs.gaps.push(Gap {
                    provider: Provider::Replicate,
                    what: "spend and requests".to_owned(),
                    why: e.to_string(),
                });
                None
            }
        };
        let mut sources = Vec::new();
        for (deployment, configuration) in listed {
            let resource = resource(deployment, configuration, prices, served.as_ref(), &mut sources);
            costs.resources.push(resource);
        }
        sources.sort();
        sources.dedup();
        costs.sources.insert(Provider::Replicate, sources);
        Ok(costs)
    }

    /// The account's predictions in the window, by deployment (`OWNER/NAME`).
    async fn served(&self, window: &Window) -> Result<HashMap<String, Served>, Error> {
        let (after, before) = (window.start_time(), window.end_time());
        let pages = self.pages(&"the predictions", |cursor| {
            let mut request = self.client.predictions_list().created_after(after).created_before(before);
            if let Some(c) = cursor {
                request = request.cursor(c);
            }
            request.send()
        });
        let mut served: HashMap<String, Served> = HashMap::new();
        for (_, page) in pages.await? {
            for p in page.results {
                let Some(deployment) = p.deployment else { continue };
                if p.created_at.is_some_and(|at| !window.contains(at.date_naive())) {
                    continue;
                }
                let entry = served
                    .entry(deployment)
                    .or_insert_with(|| Served { seconds: Some(Decimal::ZERO), ..Served::default() });
                entry.count = entry.count.saturating_add(1);
                let seconds = p.metrics.and_then(|m| m.predict_time).and_then(float_money);
                entry.seconds = add(entry.seconds, seconds);
                if p.created_at > entry.last {
                    entry.last = p.created_at;
                }
            }
        }
        Ok(served)
    }
}

/// One deployment and what it costs.
fn resource(
    deployment: DeploymentRef,
    configuration: Option<types::DeploymentConfiguration>,
    prices: &PriceTable,
    served: Option<&HashMap<String, Served>>,
    sources: &mut Vec<crate::costs::Source>,
) -> Resource {
    let name = format!("{}/{}", deployment.owner(), deployment.name());
    let hardware = configuration.as_ref().and_then(|c| c.hardware.clone());
    let count = |n: Option<i64>| n.and_then(|n| u32::try_from(n).ok());
    let replicas = Replicas {
        active: None,
        min: count(configuration.as_ref().and_then(|c| c.min_instances)),
        max: count(configuration.as_ref().and_then(|c| c.max_instances)),
    };
    let mut unknown = vec!["instances up now: Replicate does not say (at least the floor)".to_owned()];
    let priced = hardware.as_deref().and_then(|h| prices.per_hour(h));
    let price = priced.map(|(per_hour, source)| {
        sources.push(source.clone());
        Price { per_hour, source: source.source.clone() }
    });
    if price.is_none() {
        let shown =
            hardware.as_deref().map_or("(none given)".to_owned(), |h| capped(h, crate::EXCERPT_BYTES));
        unknown
            .push(format!("price: hardware `{shown}` is not in the price table (add it with --prices FILE)"));
    }
    if replicas.min.is_none() {
        unknown.push("floor: the deployment gives no usable min_instances".to_owned());
    }
    let per_hour = price.as_ref().map(|p| p.per_hour);
    let (mut spend_30d, mut requests_30d, mut last_request_at) = (None, None, None);
    match served {
        Some(served) => {
            let mine = served.get(&name);
            requests_30d = Some(mine.map_or(0, |s| s.count));
            last_request_at = mine.and_then(|s| s.last).map(|t| t.to_rfc3339());
            let seconds = mine.map_or(Some(Decimal::ZERO), |s| s.seconds);
            let spend = times_hours(seconds, per_hour);
            spend_30d = spend.map(|s| s.round_dp(6));
            if seconds.is_none() {
                unknown.push("spend: a prediction has no usable predict_time".to_owned());
            }
        }
        None => unknown.push("spend and requests: the predictions could not be read".to_owned()),
    }
    Resource {
        reference: Target::Deployment(deployment),
        provider: Provider::Replicate,
        kind: Kind::ReplicateDeployment,
        status: None,
        created_at: None,
        environment: None,
        listed: None,
        instance_type: hardware.map(|h| capped(&h, crate::EXCERPT_BYTES)),
        cost_per_hour: PerHour { now: None, floor: times(replicas.min, per_hour) },
        replicas,
        spend_30d,
        requests_30d,
        last_request_at,
        price,
        unknown,
    }
}

/// `seconds` of use at `per_hour`, `None` when either is unknown or it does not fit.
fn times_hours(seconds: Option<Decimal>, per_hour: Option<Decimal>) -> Option<Decimal> {
    seconds?.checked_mul(per_hour?)?.checked_div(Decimal::from(3600))
}
