//! What stands now in the groups a clean-up's selectors name, each member with the facts it
//! is decided by, read the same way by `plan` and again by `apply`. Baseten's model
//! deployments, chain deployments and training jobs and Replicate's deployments come from
//! the cost model (what they cost and when they were last called, over the 30 days through
//! today), read at once; a Replicate model's versions are listed one model at a time
//! ([`Inventory::versions`], with the deployments that serve them), so that what is held
//! is a few models' versions, never the account's.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};

use super::Selector;
use super::plan::Facts;
use super::selector::group_of;
use super::standing::{Recent, Standing};
use crate::costs::{PriceTable, Resource, Scope, Window};
use crate::{Error, Holder, Hosts, ModelRef, Provider, Target};

/// Reads sent at once: deployments' metrics (and, by `plan` and `apply`, models' versions).
pub(super) const LISTED_AT_ONCE: usize = 8;

/// Each group's members, with their facts.
pub(super) type Groups = BTreeMap<Target, Vec<(Target, Facts)>>;

/// What stands now.
#[derive(Debug, Default)]
pub(super) struct Inventory {
    /// Each group's members, groups in order.
    pub groups: Groups,
    /// Named groups that do not exist (or the token cannot see).
    pub missing: Vec<Target>,
    /// Replicate models whose versions are listed one at a time, in order.
    pub models: Vec<ModelRef>,
    /// What serves each of their versions, read once for them all.
    holders: BTreeMap<ModelRef, Vec<Holder>>,
}

/// What an inventory reads.
pub(super) struct Reading<'a> {
    /// Where to look.
    pub selectors: &'a [Selector],
    /// Replicate's prices (Replicate publishes none).
    pub prices: &'a PriceTable,
    /// The longest idle time under a day a rule asks for: a model deployment whose last
    /// day with calls reaches into it has its requests over it counted to the minute.
    pub recent: Option<Duration>,
    /// Whether Baseten's model deployments are read through the cost model (what they cost
    /// and when they were called); without it (an apply whose rules decide on neither),
    /// each model's deployments are listed as its turn comes, with no standing facts.
    pub costs: bool,
}

/// Reads what `reading` names, as it stands at `now`.
pub(super) async fn inventory(
    hosts: &Hosts,
    reading: &Reading<'_>,
    now: DateTime<Utc>,
) -> Result<Inventory, Error> {
    let Reading { selectors, prices, recent, costs } = *reading;
    let mut models: BTreeSet<ModelRef> = selectors.iter().filter_map(Selector::replicate_model).collect();
    // Model deployments listed one model at a time rather than through the cost model.
    let listed_alone = |s: &&Selector| {
        !costs && (s.model().is_some() || matches!(s, Selector::AllModels(Provider::Baseten)))
    };
    let window = Window::through(now.date_naive());
    let mut inventory = Inventory::default();
    let providers: BTreeSet<Provider> = selectors.iter().map(Selector::provider).collect();
    for provider in providers {
        let host = hosts.get(provider)?;
        let (named, all): (Vec<&Selector>, Vec<&Selector>) = selectors
            .iter()
            .filter(|s| s.provider() == provider && s.scope().is_some() && !listed_alone(s))
            .partition(|s| matches!(s, Selector::Named(_)));
        for selector in selectors.iter().filter(|s| s.provider() == provider).filter(listed_alone) {
            match selector {
                Selector::AllModels(_) => models.extend(host.list_models().await?),
                named => models.extend(named.model()),
            }
        }
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
    if let Some(window) = recent {
        inventory.count_recent(hosts, window, now).await?;
    }
    inventory.holders = holders_of(hosts, models.iter()).await?;
    inventory.models = models.into_iter().collect();
    inventory.missing.sort();
    inventory.missing.dedup();
    Ok(inventory)
}

impl Inventory {
    /// Adds the resources `selectors` cover, each in its group.
    /// A group an earlier read brought (a wildcard and a named group overlap) is not added
    /// again.
    fn add(&mut self, resources: Vec<Resource>, window: &Window, selectors: &[Selector]) {
        let earlier: BTreeSet<Target> = self.groups.keys().cloned().collect();
        for resource in resources {
            let Some(group) = group_of(&resource.reference) else { continue };
            if earlier.contains(&group) || !selectors.iter().any(|s| s.lists(&group)) {
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
            facts.standing = Some(Box::new(standing));
            self.groups.entry(group).or_default().push((resource.reference, facts));
        }
    }

    /// Counts, over the `window` before `now`, the requests of each member whose last day
    /// with calls reaches into it (a few at once), where its provider counts them.
    async fn count_recent(
        &mut self,
        hosts: &Hosts,
        window: Duration,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        let Some(since) = chrono::Duration::from_std(window).ok().and_then(|w| now.checked_sub_signed(w))
        else {
            return Ok(());
        };
        let first_day = since.date_naive().to_string();
        let reaching = |standing: &Standing| {
            standing
                .last_called
                .as_deref()
                .is_some_and(|day| !day.contains('T') && *day >= *first_day.as_str())
        };
        let asked: Vec<(Target, Provider)> = self
            .groups
            .values()
            .flatten()
            .filter(|(_, facts)| facts.standing.as_deref().is_some_and(reaching))
            .map(|(target, _)| (target.clone(), target.provider()))
            .collect();
        let counted: Vec<(Target, Option<u64>)> = futures::stream::iter(asked)
            .map(|(target, provider)| async move {
                let count = hosts.get(provider)?.requests_between(&target, since, now).await?;
                Ok::<_, Error>((target, count))
            })
            .buffered(LISTED_AT_ONCE)
            .try_collect()
            .await?;
        let counts: BTreeMap<Target, u64> =
            counted.into_iter().filter_map(|(target, count)| Some((target, count?))).collect();
        for (target, facts) in self.groups.values_mut().flatten() {
            if let (Some(standing), Some(&requests)) = (facts.standing.as_mut(), counts.get(target)) {
                standing.recent = Some(Recent { since, requests });
            }
        }
        Ok(())
    }

    /// Every version of `model` (one of [`Inventory::models`]) now, with its facts.
    pub(super) async fn versions(
        &self,
        hosts: &Hosts,
        model: &ModelRef,
    ) -> Result<Vec<(Target, Facts)>, Error> {
        listed_facts(hosts, model, &self.holders).await
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
