//! A clean-up's plan: made by listing what the selectors name (reads only), written as a
//! documented JSON document, read back and shown to a person before anything is deleted.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{DateTime, Utc};
use futures::StreamExt;

use super::policy::{KeepReason, created};
use super::{Policy, Selector};
use crate::{Action, Error, Holder, Hosts, ModelRef, Provider, VersionInfo, VersionRef};

/// Models whose versions a plan lists at once.
const LISTED_AT_ONCE: usize = 8;

/// The plan document's format; raised only when a field changes meaning or goes away.
pub const PLAN_FORMAT: u32 = 1;

/// What a version was chosen (or kept) by, as it was when the plan was made.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Facts {
    /// When it was created (RFC 3339).
    pub created_at: Option<String>,
    /// Its Baseten status (`ACTIVE`, `BUILD_FAILED`, …).
    pub status: Option<String>,
    /// The Baseten production deployment.
    pub is_production: bool,
    /// The Baseten development deployment.
    pub is_development: bool,
    /// The Baseten environment it is bound to.
    pub environment: Option<String>,
    /// The Replicate deployments that serve it.
    pub held_by: Vec<String>,
}

impl Facts {
    /// The facts of a listed version, with the deployments among `holders` that serve it.
    pub fn of(version: &VersionInfo, holders: &[Holder]) -> Self {
        Self {
            created_at: version.created_at.clone(),
            status: version.status.clone(),
            is_production: version.is_production,
            is_development: version.is_development,
            environment: version.environment.clone(),
            held_by: holders
                .iter()
                .filter(|h| h.version == version.version)
                .map(ToString::to_string)
                .collect(),
        }
    }
}

/// One action of a plan.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Planned {
    /// The version (a Baseten deployment) acted on.
    pub reference: VersionRef,
    /// Delete it, or deactivate it.
    pub action: Action,
    /// What it was chosen by.
    pub facts: Facts,
}

/// A version the plan leaves alone, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Kept {
    /// The version.
    pub reference: VersionRef,
    /// Why it is kept.
    #[serde(flatten)]
    pub reason: KeepReason,
    /// What is known of it.
    pub facts: Facts,
}

/// What a clean-up will do, and what it leaves alone: the document `modelhost prune` writes
/// and `modelhost apply` reads.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Plan {
    /// [`PLAN_FORMAT`].
    pub format: u32,
    /// When it was made (RFC 3339, UTC).
    pub made_at: DateTime<Utc>,
    /// Where it looked.
    pub selectors: Vec<Selector>,
    /// What it selected by.
    pub policy: Policy,
    /// Every action, grouped by model, oldest version first within one.
    pub targets: Vec<Planned>,
    /// Every version looked at and left alone.
    pub kept: Vec<Kept>,
}

/// A plan document that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// Not JSON, or not a plan.
    #[error("not a plan document: {0}")]
    Malformed(#[from] serde_json::Error),
    /// Written by a newer `modelhost`.
    #[error("plan format {0} is not one this modelhost reads (it reads {PLAN_FORMAT})")]
    Format(u32),
    /// The same version twice, or an action its provider cannot take.
    #[error("the plan is not consistent: {0}")]
    Inconsistent(String),
}

impl Plan {
    /// Reads a plan document, refusing one that is malformed, of another format, or
    /// inconsistent: every reference in it has been checked again by parsing.
    pub fn from_json(text: &str) -> Result<Self, PlanError> {
        Self::read(std::io::Cursor::new(text.as_bytes()))
    }

    /// [`Plan::from_json`] from a reader (a plan file), never holding its whole text.
    pub fn read(mut reader: impl std::io::Read + std::io::Seek) -> Result<Self, PlanError> {
        /// Only the format: the rest of the document is skipped without being kept.
        #[derive(serde::Deserialize)]
        struct Format {
            format: Option<u64>,
        }
        let format = serde_json::from_reader::<_, Format>(std::io::BufReader::new(&mut reader))?.format;
        if format != Some(u64::from(PLAN_FORMAT)) {
            return Err(PlanError::Format(format.and_then(|f| u32::try_from(f).ok()).unwrap_or(0)));
        }
        reader.seek(std::io::SeekFrom::Start(0)).map_err(serde_json::Error::io)?;
        let plan: Self = serde_json::from_reader(std::io::BufReader::new(reader))?;
        let mut seen = BTreeSet::new();
        for target in &plan.targets {
            if !seen.insert(&target.reference) {
                return Err(PlanError::Inconsistent(format!("{} is planned twice", target.reference)));
            }
            if target.action == Action::Deactivate && target.reference.provider() != Provider::Baseten {
                return Err(PlanError::Inconsistent(format!("{} cannot be deactivated", target.reference)));
            }
        }
        Ok(plan)
    }

    /// The document, as JSON.
    pub fn to_json(&self) -> String {
        let mut text = Vec::new();
        self.write_json(&mut text).expect("a plan serializes");
        String::from_utf8(text).expect("JSON is UTF-8")
    }

    /// Writes the document, as JSON, to `writer`, without building its text first.
    pub fn write_json(&self, mut writer: impl std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut writer, self)?;
        writer.write_all(b"\n")
    }

    /// How many actions per provider.
    pub fn counts(&self) -> BTreeMap<Provider, usize> {
        let mut counts = BTreeMap::new();
        for target in &self.targets {
            *counts.entry(target.reference.provider()).or_default() += 1;
        }
        counts
    }
}

/// Makes the plan: lists every model the selectors name (and every model of the account for
/// `baseten:*`), each model's versions and, on Replicate, the deployments that hold them,
/// and decides each version by `policy` at the time `now`. Sends only reads.
pub async fn plan(
    hosts: &Hosts,
    selectors: &[Selector],
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<Plan, Error> {
    let mut models = BTreeSet::new();
    for selector in selectors {
        match selector {
            Selector::AllModels(provider) => models.extend(hosts.get(*provider)?.list_models().await?),
            Selector::Model(model) => {
                models.insert(model.clone());
            }
        }
    }
    let mut plan = Plan {
        format: PLAN_FORMAT,
        made_at: now,
        selectors: selectors.to_vec(),
        policy: policy.clone(),
        targets: Vec::new(),
        kept: Vec::new(),
    };
    let action = if policy.deactivate { Action::Deactivate } else { Action::Delete };
    for model in &models {
        if policy.deactivate && !hosts.get(model.provider())?.capabilities().deactivates_versions {
            return Err(Error::Unsupported { provider: model.provider(), what: "deactivate a version" });
        }
    }
    let holders = holders_of(hosts, models.iter()).await?;
    // A few models listed at once, decided in order as they come: what is held is the
    // versions of those few, never the account's.
    let mut listed = futures::stream::iter(&models)
        .map(|model| async move {
            let versions = match hosts.get(model.provider()) {
                Ok(host) => host.list_versions(model).await,
                Err(e) => Err(e),
            };
            (model, versions)
        })
        .buffered(LISTED_AT_ONCE);
    while let Some((model, versions)) = listed.next().await {
        let held = holders.get(model).map_or(&[][..], Vec::as_slice);
        decide_model(&mut plan, model, versions?, held, action, now);
    }
    Ok(plan)
}

/// What holds versions of `models` now, listed once per provider.
pub(super) async fn holders_of(
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

/// Decides every version of one model: ranked newest first by creation time, then each
/// planned or kept; the planned ones are added oldest first.
fn decide_model(
    plan: &mut Plan,
    model: &ModelRef,
    versions: Vec<VersionInfo>,
    holders: &[Holder],
    action: Action,
    now: DateTime<Utc>,
) {
    let mut dated: Vec<(DateTime<Utc>, &VersionInfo)> =
        versions.iter().filter_map(|v| created(v.created_at.as_deref()).map(|at| (at, v))).collect();
    dated.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.version.cmp(&b.1.version)));
    let rank: BTreeMap<&VersionRef, usize> =
        dated.iter().enumerate().map(|(i, (_, v))| (&v.version, i)).collect();
    let mut chosen = Vec::new();
    for version in &versions {
        debug_assert_eq!(version.version.model(), model);
        let facts = Facts::of(version, holders);
        match plan.policy.decide(&facts, rank.get(&version.version).copied(), now) {
            Ok(()) => chosen.push((
                rank.get(&version.version).copied(),
                Planned { reference: version.version.clone(), action, facts },
            )),
            Err(reason) => plan.kept.push(Kept { reference: version.version.clone(), reason, facts }),
        }
    }
    chosen.sort_by_key(|(rank, _)| std::cmp::Reverse(*rank));
    plan.targets.extend(chosen.into_iter().map(|(_, planned)| planned));
}

impl fmt::Display for Plan {
    /// One line per action, grouped by model, then what is kept, then totals per provider.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut model: Option<&ModelRef> = None;
        for target in &self.targets {
            if model != Some(target.reference.model()) {
                model = Some(target.reference.model());
                writeln!(f, "{}", target.reference.model())?;
            }
            writeln!(f, "  {} {}{}", target.action, target.reference, describe(&target.facts))?;
        }
        if !self.kept.is_empty() {
            writeln!(f, "kept:")?;
            for kept in &self.kept {
                writeln!(f, "  {}: {}", kept.reference, kept.reason)?;
            }
        }
        let counts = self.counts();
        let totals: Vec<String> = [Provider::Baseten, Provider::Replicate]
            .iter()
            .filter(|p| counts.contains_key(p) || self.kept.iter().any(|k| k.reference.provider() == **p))
            .map(|p| {
                let kept = self.kept.iter().filter(|k| k.reference.provider() == *p).count();
                format!("{p}: {} to {}, {kept} kept", counts.get(p).copied().unwrap_or(0), verb(self))
            })
            .collect();
        if totals.is_empty() { writeln!(f, "nothing to do") } else { writeln!(f, "{}", totals.join("; ")) }
    }
}

fn verb(plan: &Plan) -> &'static str {
    if plan.policy.deactivate { "deactivate" } else { "delete" }
}

/// ` (created 2026-07-01T12:00:00+00:00, BUILD_FAILED)`.
fn describe(facts: &Facts) -> String {
    let parts: Vec<String> = facts
        .created_at
        .iter()
        .map(|c| format!("created {}", crate::Escaped(c)))
        .chain(facts.status.iter().map(|s| crate::Escaped(s).to_string()))
        .collect();
    if parts.is_empty() { String::new() } else { format!(" ({})", parts.join(", ")) }
}
