//! A clean-up's plan: made by listing what the selectors name (reads only), written as a
//! documented JSON document, read back and shown to a person before anything is deleted.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{DateTime, Utc};
use futures::StreamExt;

use super::decide::decide_model;
use super::policy::KeepReason;
use super::{Policy, Selector};
use crate::{Account, Action, Error, Holder, Hosts, ModelRef, Provider, VersionInfo, VersionRef};

/// Models whose versions a plan lists at once.
const LISTED_AT_ONCE: usize = 8;

/// The plan document's format; raised only when a field changes meaning or goes away
/// (2: the digest, the accounts, labels, and the policy's protections).
pub const PLAN_FORMAT: u32 = 2;

/// What a version was chosen (or kept) by, as it was when the plan was made.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
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
    /// The Baseten deployment's labels.
    pub labels: BTreeMap<String, String>,
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
            labels: version.labels.clone(),
        }
    }

    /// What differs from `then` to `self`, in words (`status ACTIVE → BUILDING`); `None`
    /// when nothing does.
    pub fn changes_since(&self, then: &Self) -> Option<String> {
        fn shown<T: fmt::Debug>(value: &T) -> String {
            crate::Escaped(&format!("{value:?}")).to_string()
        }
        let mut changes = Vec::new();
        let mut differs = |what: &str, before: String, after: String| {
            if before != after {
                changes.push(format!("{what} {before} → {after}"));
            }
        };
        differs("created", shown(&then.created_at), shown(&self.created_at));
        differs("status", shown(&then.status), shown(&self.status));
        differs("production", shown(&then.is_production), shown(&self.is_production));
        differs("development", shown(&then.is_development), shown(&self.is_development));
        differs("environment", shown(&then.environment), shown(&self.environment));
        differs("served by", shown(&then.held_by), shown(&self.held_by));
        differs("labels", shown(&then.labels), shown(&self.labels));
        (!changes.is_empty()).then(|| changes.join(", "))
    }
}

/// One action of a plan.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
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
/// and `modelhost apply` reads. It is a reviewed artefact: [`Plan::digest`] is the sha256 of
/// everything else in it, and [`Plan::read`] refuses a plan whose content does not match it,
/// or whose targets its own selectors, policy and recorded facts would not have chosen.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Plan {
    /// [`PLAN_FORMAT`].
    pub format: u32,
    /// The sha256 of the plan's canonical form without this field, in hex.
    pub digest: String,
    /// When it was made (RFC 3339, UTC).
    pub made_at: DateTime<Utc>,
    /// Where it was made: the account and base URL of each provider it looked at.
    pub accounts: Vec<Account>,
    /// Where it looked.
    pub selectors: Vec<Selector>,
    /// What it selected by.
    pub policy: Policy,
    /// Every action, grouped by model, oldest version first within one.
    pub targets: Vec<Planned>,
    /// Every version looked at and left alone.
    pub kept: Vec<Kept>,
}

/// The plan without its digest, in the order it is written: what the digest is taken over.
#[derive(serde::Serialize)]
struct Canonical<'a> {
    format: u32,
    made_at: &'a DateTime<Utc>,
    accounts: &'a [Account],
    selectors: &'a [Selector],
    policy: &'a Policy,
    targets: &'a [Planned],
    kept: &'a [Kept],
}

/// A plan document that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// Not JSON, or not a plan.
    #[error("not a plan document: {0}")]
    Malformed(#[from] serde_json::Error),
    /// Written by another `modelhost`.
    #[error("plan format {0} is not one this modelhost reads (it reads {PLAN_FORMAT}): make the plan again")]
    Format(u32),
    /// Its content is not what its digest was taken over: it was edited.
    #[error(
        "the plan's content does not match its digest {said}: it was changed after it was made (its content's digest is {found})"
    )]
    Digest {
        /// The digest the plan carries.
        said: String,
        /// The digest of its content.
        found: String,
    },
    /// Not the plan that was reviewed (`--expect-digest`).
    #[error("the plan's digest is {found}, not the {expected} that was reviewed")]
    NotReviewed {
        /// The digest expected.
        expected: String,
        /// The plan's.
        found: String,
    },
    /// A target its selectors do not cover, or its policy would not have chosen from the
    /// facts it records; the same version twice; an account missing.
    #[error("the plan is not consistent: {0}")]
    Inconsistent(String),
}

impl Plan {
    /// Reads a plan document and checks it ([`Plan::check`]): every reference in it has been
    /// parsed again, and its targets are what its own policy chooses from its own facts.
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
        plan.check()?;
        Ok(plan)
    }

    /// The sha256 of the plan's content (everything but [`Plan::digest`]), in hex.
    pub fn content_digest(&self) -> String {
        use sha2::Digest;
        let canonical = Canonical {
            format: self.format,
            made_at: &self.made_at,
            accounts: &self.accounts,
            selectors: &self.selectors,
            policy: &self.policy,
            targets: &self.targets,
            kept: &self.kept,
        };
        let mut hasher = sha2::Sha256::new();
        serde_json::to_writer(&mut hasher, &canonical).expect("a plan serializes");
        hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The first 12 hex digits of the digest: enough to tell plans apart in a name.
    pub fn short_digest(&self) -> &str {
        self.digest.get(..12).unwrap_or(&self.digest)
    }

    /// Checks that the plan is the one that was made: its digest matches its content, no
    /// version is in it twice, every provider it acts on has its account recorded, every
    /// target is of a model its selectors cover, and deciding its recorded versions again by
    /// its policy, at the time it was made, gives exactly its targets and what it keeps.
    pub fn check(&self) -> Result<(), PlanError> {
        let found = self.content_digest();
        if found != self.digest {
            return Err(PlanError::Digest { said: crate::Escaped(&self.digest).to_string(), found });
        }
        let inconsistent = |text: String| Err(PlanError::Inconsistent(text));
        // Each model's versions by their place in the plan: one model is decided again at a
        // time, so checking costs a model's versions, not a second copy of the plan.
        let mut models: BTreeMap<&ModelRef, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
        for (place, target) in self.targets.iter().enumerate() {
            models.entry(target.reference.model()).or_default().0.push(place);
        }
        for (place, kept) in self.kept.iter().enumerate() {
            models.entry(kept.reference.model()).or_default().1.push(place);
        }
        let mut next_target = 0;
        for (model, (targets, kept)) in models {
            if !self.selectors.iter().any(|s| s.covers(model)) {
                return inconsistent(format!("{model} is not a model its selectors name"));
            }
            if !self.accounts.iter().any(|a| a.provider == model.provider()) {
                return inconsistent(format!("{model}: the plan records no {} account", model.provider()));
            }
            let versions = targets.iter().map(|&i| (&self.targets[i].reference, &self.targets[i].facts));
            let versions =
                versions.chain(kept.iter().map(|&i| (&self.kept[i].reference, &self.kept[i].facts)));
            let mut seen = BTreeSet::new();
            let mut listed = Vec::with_capacity(targets.len() + kept.len());
            for (reference, facts) in versions {
                if !seen.insert(reference) {
                    return inconsistent(format!("{reference} is in the plan twice"));
                }
                listed.push((reference.clone(), facts.clone()));
            }
            let decided = decide_model(&self.policy, listed, self.made_at);
            // Its targets, in the decided order, where the plan's order says they are.
            for expected in &decided.targets {
                match self.targets.get(next_target) {
                    Some(target) if target == expected => next_target += 1,
                    Some(target) if target.reference.model() == model => {
                        return inconsistent(not_chosen(target, &decided));
                    }
                    _ => {
                        return inconsistent(format!(
                            "{} is chosen by its policy but not planned",
                            expected.reference
                        ));
                    }
                }
            }
            if let Some(&extra) = targets.iter().find(|&&i| i >= next_target) {
                return inconsistent(not_chosen(&self.targets[extra], &decided));
            }
            // What is kept, and why, is what its policy says too (in any order).
            for &i in &kept {
                let recorded = &self.kept[i];
                match decided.kept.iter().find(|k| k.reference == recorded.reference) {
                    Some(expected) if expected == recorded => {}
                    Some(expected) => {
                        return inconsistent(format!(
                            "{} is kept as \"{}\", but its policy keeps it as \"{}\"",
                            recorded.reference, recorded.reason, expected.reason
                        ));
                    }
                    None => {
                        return inconsistent(format!(
                            "{} is kept, but its policy chooses it",
                            recorded.reference
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// [`Plan::check`], and that the plan is the one reviewed: its digest is `expected`.
    pub fn check_reviewed(&self, expected: &str) -> Result<(), PlanError> {
        if !self.digest.eq_ignore_ascii_case(expected) {
            return Err(PlanError::NotReviewed {
                expected: crate::Escaped(expected).to_string(),
                found: self.digest.clone(),
            });
        }
        self.check()
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
        Self::count(&self.targets)
    }

    /// How many of `targets` (some of a plan's) per provider.
    pub fn count<'a>(targets: impl IntoIterator<Item = &'a Planned>) -> BTreeMap<Provider, usize> {
        let mut counts = BTreeMap::new();
        for target in targets {
            *counts.entry(target.reference.provider()).or_default() += 1;
        }
        counts
    }

    /// The account recorded for `provider`.
    pub fn account(&self, provider: Provider) -> Option<&Account> {
        self.accounts.iter().find(|a| a.provider == provider)
    }
}

impl Plan {
    /// Adds one model's decision where its model's place is (models in order).
    fn add(&mut self, decided: super::decide::Decided) {
        let Some(model) =
            decided.targets.first().map(|t| &t.reference).or(decided.kept.first().map(|k| &k.reference))
        else {
            return;
        };
        let model = model.model().clone();
        let at = self.targets.partition_point(|t| *t.reference.model() < model);
        self.targets.splice(at..at, decided.targets);
        let at = self.kept.partition_point(|k| *k.reference.model() < model);
        self.kept.splice(at..at, decided.kept);
    }
}

/// Why `target` is not what the decision expected at its place.
fn not_chosen(target: &Planned, decided: &super::decide::Decided) -> String {
    match decided.kept.iter().find(|k| k.reference == target.reference) {
        Some(kept) => format!(
            "{} is planned, but its policy keeps it from the facts the plan records: {}",
            target.reference, kept.reason
        ),
        None if decided.targets.iter().any(|t| t.reference == target.reference) => {
            format!(
                "{} is planned with other facts or another action than its policy gives",
                target.reference
            )
        }
        None => format!("{} is planned out of its model's order", target.reference),
    }
}

/// Models that a plan's selectors name but that do not exist.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlanningError {
    /// Named models that the provider does not have (or the token cannot see): all of them.
    #[error("{} not found (or not visible to the token): {}", if .0.len() == 1 { "this model is" } else { "these models are" }, .0.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "))]
    Missing(Vec<ModelRef>),
    /// A model could not be listed, after its retries and once more after the others.
    #[error("cannot list {model}: {error}")]
    Listing {
        /// The model.
        model: ModelRef,
        /// The last failure.
        error: Error,
    },
    /// Listing the account's models or what holds versions failed, or the policy cannot be
    /// applied.
    #[error(transparent)]
    Facade(#[from] Error),
}

/// Makes the plan: asks each provider the selectors name for its account, lists every model
/// the selectors name (and every model of the account for `baseten:*`), each model's
/// versions and, on Replicate, the deployments that hold them, and decides each version by
/// `policy` at the time `now`. Sends only reads. Every named model that does not exist is
/// named in one [`PlanningError::Missing`].
pub async fn plan(
    hosts: &Hosts,
    selectors: &[Selector],
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<Plan, PlanningError> {
    let providers: BTreeSet<Provider> = selectors.iter().map(Selector::provider).collect();
    let accounts = hosts.accounts(&providers.into_iter().collect::<Vec<_>>()).await?;
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
        digest: String::new(),
        made_at: now,
        accounts,
        selectors: selectors.to_vec(),
        policy: policy.clone(),
        targets: Vec::new(),
        kept: Vec::new(),
    };
    let holders = &holders_of(hosts, models.iter()).await?;
    // A few models listed at once, decided in order as they come: what is held is the
    // versions of those few, never the account's.
    let mut listed = futures::stream::iter(&models)
        .map(|model| async move { (model, listed_facts(hosts, model, holders).await) })
        .buffered(LISTED_AT_ONCE);
    // Each model decided as its versions come, in order; a model whose listing failed after
    // its own retries (a fault that outlasted them) is listed once more after the others, and
    // its decision put in its place.
    let (mut missing, mut again) = (Vec::new(), Vec::new());
    while let Some((model, versions)) = listed.next().await {
        match versions {
            Ok(versions) => plan.add(decide_model(&plan.policy, versions, now)),
            Err(e) if is_missing(&e, model, selectors) => missing.push(model.clone()),
            Err(
                e @ (Error::Transport { .. } | Error::RateLimited { .. } | Error::UnexpectedResponse { .. }),
            ) => {
                tracing::debug!(%model, error = %e, "listed again after the others");
                again.push(model);
            }
            Err(error) => return Err(PlanningError::Listing { model: model.clone(), error }),
        }
    }
    drop(listed);
    for model in again {
        match listed_facts(hosts, model, holders).await {
            Ok(versions) => plan.add(decide_model(&plan.policy, versions, now)),
            Err(e) if is_missing(&e, model, selectors) => missing.push(model.clone()),
            Err(error) => return Err(PlanningError::Listing { model: model.clone(), error }),
        }
    }
    if !missing.is_empty() {
        missing.sort();
        return Err(PlanningError::Missing(missing));
    }
    plan.digest = plan.content_digest();
    Ok(plan)
}

/// Whether `error` says that `model`, which `selectors` name, does not exist.
fn is_missing(error: &Error, model: &ModelRef, selectors: &[Selector]) -> bool {
    matches!(error, Error::NotFound { .. }) && selectors.contains(&Selector::Model(model.clone()))
}

/// Every version of `model` now, with its facts (what holds it among `holders`).
pub(super) async fn listed_facts(
    hosts: &Hosts,
    model: &ModelRef,
    holders: &BTreeMap<ModelRef, Vec<Holder>>,
) -> Result<Vec<(VersionRef, Facts)>, Error> {
    let held = holders.get(model).map_or(&[][..], Vec::as_slice);
    let versions = hosts.get(model.provider())?.list_versions(model).await?;
    Ok(versions.into_iter().map(|v| (v.version.clone(), Facts::of(&v, held))).collect())
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
                format!(
                    "{p}: {} to {}, {kept} kept",
                    counts.get(p).copied().unwrap_or(0),
                    self.policy.action().verb()
                )
            })
            .collect();
        if totals.is_empty() { writeln!(f, "nothing to do") } else { writeln!(f, "{}", totals.join("; ")) }
    }
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
