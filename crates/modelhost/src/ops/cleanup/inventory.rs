//! What stands now in the groups a clean-up's selectors name, each member with the facts it
//! is decided by, read the same way by `plan` and again by `apply`. Baseten's model
//! deployments, chain deployments and training jobs and Replicate's deployments come from
//! the cost model (what they cost and when they were last called, over the 30 days through
//! today); a Replicate model's versions are listed with the deployments that serve them.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use futures::StreamExt;

use super::Selector;
use super::plan::Facts;
use super::selector::group_of;
use super::standing::Standing;
use crate::costs::{PriceTable, Resource, Scope, Window};
use crate::{Error, Holder, Hosts, ModelRef, Provider, Target};

/// Replicate models whose versions are listed at once.
const LISTED_AT_ONCE: usize = 8;

/// Each group's members, with their facts.
pub(super) type Groups = BTreeMap<Target, Vec<(Target, Facts)>>;

/// What stands now.
#[derive(Debug, Default)]
pub(super) struct Inventory {
    /// Each group's members, groups in order.
    pub groups: Groups,
    /// Named groups that do not exist (or the token cannot see).
    pub missing: Vec<Target>,
}

/// Reads what `selectors` name, as it stands at `now` (Replicate's deployments priced by
/// `prices`: Replicate publishes none).
pub(super) async fn inventory(
    hosts: &Hosts,
    selectors: &[Selector],
    prices: &PriceTable,
    now: DateTime<Utc>,
) -> Result<Inventory, Error> {
    let window = Window::through(now.date_naive());
    let mut inventory = Inventory::default();
    let providers: BTreeSet<Provider> = selectors.iter().map(Selector::provider).collect();
    for provider in providers {
        let host = hosts.get(provider)?;
        let (named, all): (Vec<&Selector>, Vec<&Selector>) = selectors
            .iter()
            .filter(|s| s.provider() == provider && s.scope().is_some())
            .partition(|s| matches!(s, Selector::Named(_)));
        // What every wildcard names, in one read; each named group in its own, so that one
        // that does not exist is told apart.
        let mut reads: Vec<(Option<&Target>, Vec<Scope>)> = Vec::new();
        if !all.is_empty() {
            reads.push((None, all.iter().filter_map(|s| s.scope()).collect()));
        }
        // Each named group once, however many selectors name it or one of its targets.
        let named: BTreeSet<Scope> = named.iter().filter_map(|s| s.scope()).collect();
        for scope in &named {
            let Scope::Within(group) = scope else { continue };
            reads.push((Some(group), vec![scope.clone()]));
        }
        for (named, scopes) in reads {
            match host.costs(&scopes, prices, &window).await {
                Ok(costs) => {
                    // Replicate lists every deployment: one not among them is not there.
                    if let Some(target @ Target::Deployment(_)) = named
                        && !costs.resources.iter().any(|r| r.reference == *target)
                    {
                        inventory.missing.push(target.clone());
                    }
                    inventory.add(costs.resources, &window, selectors);
                }
                Err(Error::NotFound { .. }) if named.is_some() => {
                    inventory.missing.extend(named.cloned());
                }
                Err(e) => return Err(e),
            }
        }
    }
    let models: BTreeSet<ModelRef> = selectors.iter().filter_map(Selector::replicate_model).collect();
    inventory.versions(hosts, &models.iter().collect::<Vec<_>>()).await?;
    inventory.missing.sort();
    inventory.missing.dedup();
    Ok(inventory)
}

impl Inventory {
    /// Adds the resources `selectors` cover, each in its group.
    fn add(&mut self, resources: Vec<Resource>, window: &Window, selectors: &[Selector]) {
        for resource in resources {
            let Some(group) = group_of(&resource.reference) else { continue };
            if !selectors.iter().any(|s| s.lists(&group)) {
                continue;
            }
            let standing = Standing::of(&resource, window);
            let mut facts = match &resource.listed {
                Some(version) => Facts::of(version, &[]),
                None => Facts {
                    created_at: resource.created_at.clone(),
                    status: resource.status.clone(),
                    environment: resource.environment.clone(),
                    ..Facts::default()
                },
            };
            facts.standing = Some(standing);
            let members = self.groups.entry(group).or_default();
            if !members.iter().any(|(t, _)| *t == resource.reference) {
                members.push((resource.reference, facts));
            }
        }
    }

    /// Lists the versions of Replicate `models` (a few at once), with what serves each; a
    /// model whose listing failed after its own retries (a fault that outlasted them) is
    /// listed once more after the others.
    async fn versions(&mut self, hosts: &Hosts, models: &[&ModelRef]) -> Result<(), Error> {
        if models.is_empty() {
            return Ok(());
        }
        let holders = &holders_of(hosts, models.iter().copied()).await?;
        let mut listed = futures::stream::iter(models)
            .map(|model| async move { (*model, listed_facts(hosts, model, holders).await) })
            .buffered(LISTED_AT_ONCE);
        let mut again = Vec::new();
        while let Some((model, versions)) = listed.next().await {
            match versions {
                Ok(versions) => self.put(model, versions),
                Err(Error::NotFound { .. }) => self.missing.push(Target::Model(model.clone())),
                Err(
                    e @ (Error::Transport { .. }
                    | Error::RateLimited { .. }
                    | Error::UnexpectedResponse { .. }),
                ) => {
                    tracing::debug!(%model, error = %e, "listed again after the others");
                    again.push(model);
                }
                Err(error) => return Err(error),
            }
        }
        drop(listed);
        for model in again {
            match listed_facts(hosts, model, holders).await {
                Ok(versions) => self.put(model, versions),
                Err(Error::NotFound { .. }) => self.missing.push(Target::Model(model.clone())),
                Err(error) => return Err(error),
            }
        }
        Ok(())
    }

    fn put(&mut self, model: &ModelRef, versions: Vec<(Target, Facts)>) {
        self.groups.entry(Target::Model(model.clone())).or_default().extend(versions);
    }
}

/// Every version of `model` now, with its facts (what holds it among `holders`).
async fn listed_facts(
    hosts: &Hosts,
    model: &ModelRef,
    holders: &BTreeMap<ModelRef, Vec<Holder>>,
) -> Result<Vec<(Target, Facts)>, Error> {
    let held = holders.get(model).map_or(&[][..], Vec::as_slice);
    let versions = hosts.get(model.provider())?.list_versions(model).await?;
    Ok(versions.into_iter().map(|v| (Target::Version(v.version.clone()), Facts::of(&v, held))).collect())
}

/// What holds versions of `models` now, listed once per provider.
async fn holders_of(
    hosts: &Hosts,
    models: impl Iterator<Item = &ModelRef>,
) -> Result<BTreeMap<ModelRef, Vec<Holder>>, Error> {
    let mut by_provider: BTreeMap<Provider, BTreeSet<&ModelRef>> = BTreeMap::new();
    for model in models {
        by_provider.entry(model.provider()).or_default().insert(model);
    }
    let mut holders = BTreeMap::new();
    for (provider, models) in by_provider {
        holders.append(&mut hosts.get(provider)?.holders_of(&models).await?);
    }
    Ok(holders)
}
